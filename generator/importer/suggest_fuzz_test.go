package importer

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzSuggest drafts mappings of arbitrary text: it must not panic, a
// draft it returns without error must import the text without loss, and
// the topics and items its report lists must be those of the draft.
func FuzzSuggest(f *testing.F) {
	// Small seeds, one per layout: the engine minimizes every input it
	// finds interesting, and a long one would take it the whole run.
	f.Add([]byte("《报告》解读之要点\n●改革\n推动，\n\n改革。\n报头1\n●开放\n开放。\n报头2\n（来源：某市）\n"))
	f.Add([]byte("一、总则\n（一）目标\n文字。\n- 1 -\n1. 任务\n文字。\n- 2 -\n二、其他\n文字。\n"))
	f.Add([]byte("绿色发展\n清洁取暖。\n\n碧水清流\n治水。\n第1页，共2页\n第2页，共2页\n"))
	f.Add([]byte("页眉4\n\n甲乙丙丁\n文字。\n\n节的标题\n\n《報告》解讀\n■條目\n文字。\n"))
	f.Fuzz(func(t *testing.T, seed []byte) {
		sug, err := Suggest("seed.txt", "topics.yaml", seed)
		if err != nil {
			return
		}
		text, _, _ := DecodeText("seed.txt", seed)
		m, err := ParseMapping("topics.yaml", sug.Mapping)
		if err != nil {
			t.Fatalf("draft does not parse: %v\n%s", err, sug.Mapping)
		}
		doc, err := Parse("seed.txt", text, m)
		if err != nil {
			t.Fatalf("draft does not import: %v\n%s", err, sug.Mapping)
		}
		if err := Verify("seed.txt", text, m, Render(doc, m)); err != nil {
			t.Fatalf("draft loses text: %v\n%s", err, sug.Mapping)
		}
		// What the report lists is what the draft says.
		if len(m.Topics) != len(sug.Topics) {
			t.Fatalf("report lists %d topics, the draft has %d", len(sug.Topics), len(m.Topics))
		}
		items := 0
		for i, st := range sug.Topics {
			if m.Topics[i].Slug != st.Slug || !slugRE.MatchString(st.Slug) {
				t.Fatalf("topic %d: slug %q in the report, %q in the draft", i, st.Slug, m.Topics[i].Slug)
			}
			items += len(st.Items)
		}
		if items != len(doc.Items) {
			t.Fatalf("report lists %d items, the import finds %d", items, len(doc.Items))
		}
	})
}

// FuzzDecodeText: whatever it accepts comes out as UTF-8 text without
// carriage returns.
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("甲\r\n乙"))
	f.Add([]byte{0xFF, 0xFE, 0x2D, 0x4E})
	f.Add([]byte{0xD6, 0xD0, 0xCE, 0xC4})
	f.Fuzz(func(t *testing.T, data []byte) {
		text, _, err := DecodeText("seed.txt", data)
		if err != nil {
			return
		}
		if bytes.ContainsRune(text, '\r') {
			t.Fatalf("carriage return left in %q", text)
		}
		if !utf8.Valid(text) && !mostlyUTF8(data) {
			t.Fatalf("not UTF-8: %q", text)
		}
	})
}

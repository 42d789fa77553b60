package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzSuggest drafts mappings of arbitrary text: it must not panic, and a
// draft it returns without error must parse and import the text without
// loss (Suggest proves that itself; this checks the claim again).
func FuzzSuggest(f *testing.F) {
	for _, name := range []string{"bullets", "sections", "headings", "traditional"} {
		if seed, err := os.ReadFile(filepath.Join("testdata", "suggest", name, "seed.txt")); err == nil {
			f.Add(seed)
		}
	}
	f.Add([]byte("一、总则\n（一）目标\n文字。\n- 1 -\n- 2 -\n"))
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

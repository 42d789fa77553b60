package search

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzJSONString checks the index's hand-written JSON string encoder: its
// predicted length is exact (shards are allocated to it), the result is
// JSON that decodes to the input, and nothing in it can end a <script>
// or start markup.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "海外仓", "“双减”政策\n<b>&</b>", "2.76万亩\t\"EOD\"\\", "\x00\x1f\x7f", "高标准农田建设高标准农田建设<", strings.Repeat("仓", 40) + "&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // Build replaces invalid UTF-8 before encoding
		}
		b := appendJSONString(nil, s)
		if len(b) != jsonStringLen(s) {
			t.Fatalf("jsonStringLen(%q) = %d; encoded %d bytes: %s", s, jsonStringLen(s), len(b), b)
		}
		var got string
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Fatalf("%s decodes to %q, %v; want %q", b, got, err, s)
		}
		if strings.ContainsAny(string(b), "<>&") {
			t.Fatalf("%s holds <, > or &", b)
		}
	})
}

func TestAppendGap(t *testing.T) {
	for _, g := range []int32{0, 1, 9, 10, 42, 99, 100, 101, 999, 1000, 12345, 1<<31 - 1, -1, -1000} {
		if got, want := string(appendGap([]byte("x"), g)), "x"+strconv.Itoa(int(g)); got != want {
			t.Errorf("appendGap(%d) = %q; want %q", g, got, want)
		}
	}
}

// TestWeightTable checks the per-document table of BM25 weights against
// the formula, on both sides of the table's range.
func TestWeightTable(t *testing.T) {
	e := &encoder{lenNorm: []float64{0.3, 1.2, 1.9, 7.5}}
	e.fillQs()
	for doc := range e.lenNorm {
		for tf := uint32(1); tf <= 3*qTableTF; tf++ {
			for _, title := range []uint32{0, 1} {
				v := tf<<1 | title
				if got, want := e.weight(v, int32(doc)), e.weightOf(v, int32(doc)); got != want {
					t.Errorf("weight(tf %d, title %d, lenNorm %g) = %d; want %d", tf, title, e.lenNorm[doc], got, want)
				}
			}
		}
	}
}

package search

import (
	"encoding/json"
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

// TestNextEscape puts each byte that needs escaping at every place in
// strings of Chinese and ASCII around the eight-byte steps.
func TestNextEscape(t *testing.T) {
	for _, base := range []string{strings.Repeat("仓", 10), strings.Repeat("ab", 15), "海外仓a1海外仓b2海外仓"} {
		if got := nextEscape(base, 0); got != len(base) {
			t.Errorf("nextEscape(%q) = %d; want %d", base, got, len(base))
		}
		for _, c := range []byte{0, '\n', 0x1f, '"', '\\', '<', '>', '&'} {
			for p := 0; p < len(base); p++ {
				s := base[:p] + string(c) + base[p+1:]
				for from := 0; from <= p; from += 3 {
					if got := nextEscape(s, from); got != p {
						t.Errorf("nextEscape(%q, %d) = %d; want %d", s, from, got, p)
					}
				}
			}
		}
	}
}

// TestWeightTable checks the per-document row of BM25 weights against
// the formula, on both sides of the row's range.
func TestWeightTable(t *testing.T) {
	for _, dl := range []int32{1, 40, 100, 160, 2000} {
		w := weigher{avgdl: 100}
		w.setDoc(dl)
		for tf := uint32(1); tf <= 3*qTableTF; tf++ {
			for _, title := range []uint32{0, 1} {
				got, want := w.value(tf<<1|title), uint32(weightOf(tf, w.lenNorm))|title
				if got != want {
					t.Errorf("value(tf %d, title %d, dl %d) = %d; want %d", tf, title, dl, got, want)
				}
				// valueIn from another document's weigher, which it must
				// leave as it was.
				other := weigher{avgdl: 100}
				other.setDoc(dl + 500)
				before := other
				if in := other.valueIn(tf<<1|title, dl); in != got || other != before {
					t.Errorf("valueIn(tf %d, title %d, dl %d) = %d; value gives %d", tf, title, dl, in, got)
				}
				if got < 2 || got > 15 {
					t.Errorf("value(tf %d, title %d, dl %d) = %d, not a weight 2…15", tf, title, dl, got)
				}
			}
		}
	}
}

package search

import (
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

// foldGeneral folds s by the specification alone (see foldAppend): every
// chunk through NFKC and lower-casing, none of foldAppend's shortcuts for
// ASCII, CJK and full-width forms.
func foldGeneral(s string) (out []rune, starts, ends []int) {
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		for j < len(s) {
			m, k := utf8.DecodeRuneInString(s[j:])
			if !unicode.Is(unicode.M, m) {
				break
			}
			j += k
		}
		before := len(out)
		out = foldChunk(out, s[i:j])
		for range out[before:] {
			starts = append(starts, i)
			ends = append(ends, j)
		}
		i = j
	}
	return out, starts, ends
}

// FuzzFold checks that foldAppend's shortcuts fold exactly as the general
// path does, code points and the byte ranges snippets map them back to.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "海外仓建设", "ＥＯＤ模式，2.76万亩。", "e\u0301té 𠀋𠀋", "中\u0301文", "\u0301\u0302中", "\xe4\xb8", "仓\xe4\xb8\xad", "“双减”—‘政策’《通知》【】", "İstanbul ㎡ Ⅻ", "\u1100\u1161\u11a8", "丁\u302a亠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var starts, ends []int
		got := foldAppend(nil, s, &starts, &ends)
		want, wantStarts, wantEnds := foldGeneral(s)
		if !slices.Equal(got, want) || !slices.Equal(starts, wantStarts) || !slices.Equal(ends, wantEnds) {
			t.Fatalf("foldAppend(%q) = %q %v %v; the general path gives %q %v %v", s, string(got), starts, ends, string(want), wantStarts, wantEnds)
		}
		if plain := foldAppend(nil, s, nil, nil); !slices.Equal(plain, got) {
			t.Fatalf("foldAppend(%q) without offsets = %q; with them %q", s, string(plain), string(got))
		}
	})
}

package search

import (
	"strings"
	"unicode/utf8"
)

// Traditional and simplified characters are one to the search: folding
// maps each traditional or variant form of U+3400–U+9FFF to the one form
// OpenCC's tables give (環 → 环, 醫 → 医, 羣 → 群), the same way in the
// index, in queries and in search.js, so 環境 finds 环境 and 环境 finds
// 環境. Snippets cut the original text, so a site shows its own
// characters. The mapping is one character for one, which keeps the
// fold's offsets and the recall of every substring; the few words where
// OpenCC converts a traditional character differently inside a phrase
// (計畫 → 计划, while 畫 alone → 画) are pairs of folded phrases, and a
// query holding one side also looks for the other (see variants).

// tsTable maps a code point of U+3400–U+9FFF, less 0x3400, to its folded
// form plus one, less 0x3400; 0 where the character folds to itself.
var tsTable = func() *[0x9FFF - 0x3400 + 1]uint16 {
	var t [0x9FFF - 0x3400 + 1]uint16
	for s := tsChars; s != ""; {
		from, n := utf8.DecodeRuneInString(s)
		to, m := utf8.DecodeRuneInString(s[n:])
		t[from-0x3400] = uint16(to - 0x3400 + 1)
		s = s[n+m:]
	}
	return &t
}()

// tsPairs are the phrase pairs of tsPhrases as folded code points.
var tsPairs = func() [][2][]rune {
	f := strings.Fields(tsPhrases)
	out := make([][2][]rune, 0, len(f)/2)
	for i := 0; i+1 < len(f); i += 2 {
		out = append(out, [2][]rune{[]rune(f[i]), []rune(f[i+1])})
	}
	return out
}()

// tsStarts holds the first code point of every phrase of tsPairs: a query
// holding none of them has no variants.
var tsStarts = func() map[rune]bool {
	m := make(map[rune]bool)
	for _, p := range tsPairs {
		m[p[0][0]], m[p[1][0]] = true, true
	}
	return m
}()

// simplify folds a character of U+3400–U+9FFF (the caller checks the
// range) to its one form.
func simplify(r rune) rune {
	if v := tsTable[r-0x3400]; v != 0 {
		return rune(v) + 0x3400 - 1
	}
	return r
}

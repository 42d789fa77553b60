package search

// Token is one unit of the index: a Han bigram, a lone Han character, or a
// word of letters and digits, taken from folded text.
type Token struct {
	Text string // folded token text: "海外", "eod", "2.76"
	Pos  int    // offset of its first code point in the folded text
}

// Tokens returns the tokens of s in order: the Han-character bigrams of
// every run of two or more Han characters, a one-character run on its own,
// and every word (a run of letters, digits and marks, in which "." or ","
// between two digits stays inside, so "2.76万亩" gives "2.76" and "万亩").
// The text is folded first (see Fold), so "ＥＯＤ" gives "eod".
func Tokens(s string) []Token {
	rs := foldAppend(nil, s, nil, nil)
	var toks []Token
	scan(rs, func(start, end int) {
		toks = append(toks, Token{Text: string(rs[start:end]), Pos: start})
	})
	return toks
}

// scan calls emit with the [start, end) range of every token of the folded
// text rs, in order. It is the single definition of the token rules;
// search.js has a line-for-line copy.
func scan(rs []rune, emit func(start, end int)) {
	for i := 0; i < len(rs); {
		switch classify(rs[i]) {
		case han:
			j := i + 1
			for j < len(rs) && classify(rs[j]) == han {
				j++
			}
			if j-i == 1 {
				emit(i, j)
			}
			for k := i; k+1 < j; k++ {
				emit(k, k+2)
			}
			i = j
		case word, digit:
			j := wordEnd(rs, i)
			emit(i, j)
			i = j
		default:
			i++
		}
	}
}

// wordEnd returns the end of the word starting at i.
func wordEnd(rs []rune, i int) int {
	j := i + 1
	for j < len(rs) {
		switch c := classify(rs[j]); {
		case c == word || c == digit:
			j++
		case (rs[j] == '.' || rs[j] == ',') && classify(rs[j-1]) == digit &&
			j+1 < len(rs) && classify(rs[j+1]) == digit:
			j += 2
		default:
			return j
		}
	}
	return j
}

// isWordRune reports whether r continues a word, for phrase boundaries.
func isWordRune(r rune) bool {
	c := classify(r)
	return c == word || c == digit
}

// fnv32 is FNV-1a over the UTF-8 bytes of s: the token-to-shard hash that
// search.js computes with Math.imul.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The folding below is specified character for character so that search.js
// can reproduce it with String.prototype.normalize and toLowerCase:
//
//  1. Split the text into chunks: one code point that is not a combining
//     mark (\p{M}) followed by any marks, or a leading run of marks.
//  2. Normalize each chunk to NFKC on its own.
//  3. Lower-case each resulting code point on its own (ASCII by table;
//     otherwise Go's unicode.ToLower, which is the simple lowercase mapping
//     that JS toLowerCase applies to a lone code point, except U+0130 İ,
//     which JS maps to "i̇" and both sides map to "i"), and map each
//     ideograph of U+3400–U+9FFF to its simplified form (tsfold.go).
//
// Chunking, rather than normalizing the whole string, is what lets a snippet
// map every folded code point back to the original text. It differs from
// whole-string NFKC only where composition crosses a starter (conjoining
// Hangul jamo), which both implementations treat identically.

// foldAppend appends the folded code points of s to dst. If starts is not
// nil, it also appends, for each folded code point, the byte offset in s
// where its chunk begins, and to ends where it ends.
func foldAppend(dst []rune, s string, starts, ends *[]int) []rune {
	for i := 0; i < len(s); {
		// The bulk of the text: a CJK ideograph of U+4000–U+9FFF (lead
		// byte E4–E9) followed by ASCII, another such ideograph or the end,
		// so no mark. It folds to its simplified form.
		if c := s[i]; c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(i+3 == len(s) || s[i+3] < utf8.RuneSelf || s[i+3] >= 0xE4 && s[i+3] <= 0xE9) {
			dst = append(dst, simplify(rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F)))
			if starts != nil {
				*starts = append(*starts, i)
				*ends = append(*ends, i+3)
			}
			i += 3
			continue
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			if c := s[i]; c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				// Three bytes (CJK punctuation, full-width forms, other
				// ideographs): decoded inline.
				r, n = rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F), 3
				if r < 0x800 || r >= 0xD800 && r < 0xE000 {
					r, n = utf8.DecodeRuneInString(s[i:])
				}
			} else {
				r, n = utf8.DecodeRuneInString(s[i:])
			}
		}
		// Absorb the combining marks that follow: they normalize together.
		j := i + n
		// Neither ASCII nor U+4000–U+9FFF (lead bytes E4–E9, the bulk of
		// Chinese text) holds a mark: no need to decode the next rune.
		for j < len(s) && s[j] >= utf8.RuneSelf && (s[j] < 0xE4 || s[j] > 0xE9) {
			m, k := utf8.DecodeRuneInString(s[j:])
			if !isMark(m) {
				break
			}
			j += k
		}
		before := len(dst)
		switch {
		case j > i+n: // a base with marks: the general path
			dst = foldChunk(dst, s[i:j])
		case r < utf8.RuneSelf:
			dst = append(dst, lower(r))
		case r >= 0x3400 && r <= 0x9FFF:
			// CJK ideographs: NFKC-stable and caseless, the bulk of the text.
			dst = append(dst, simplify(r))
		case r == 0x3001 || r == 0x3002 || r >= 0x3008 && r <= 0x3011 || r == 0x2014 ||
			r >= 0x2018 && r <= 0x2019 || r >= 0x201C && r <= 0x201D:
			// CJK punctuation (、。《》「」『』【】—‘’“”): NFKC-stable, caseless.
			dst = append(dst, r)
		case r >= 0xFF01 && r <= 0xFF5E:
			// Full-width ASCII (，（）：ＥＯＤ): NFKC maps each to its ASCII twin.
			dst = append(dst, lower(r-0xFEE0))
		default:
			dst = foldChunk(dst, s[i:j])
		}
		if starts != nil {
			for k := before; k < len(dst); k++ {
				*starts = append(*starts, i)
				*ends = append(*ends, j)
			}
		}
		i = j
	}
	return dst
}

// isMark reports whether r is a combining mark (\p{M}), skipping the
// table search for CJK and full-width forms, which have none.
func isMark(r rune) bool {
	if r < 0x300 || r >= 0x3400 && r <= 0x9FFF || r >= 0xFF00 && r <= 0xFF9D {
		return false
	}
	return unicode.Is(unicode.M, r)
}

// foldChunk appends the folded code points of one chunk.
func foldChunk(dst []rune, chunk string) []rune {
	if !norm.NFKC.IsNormalString(chunk) {
		chunk = norm.NFKC.String(chunk)
	}
	for _, r := range chunk {
		dst = append(dst, lower(r))
	}
	return dst
}

func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r >= 0x3400 && r <= 0x9FFF { // CJK: no case, the common path
		return simplify(r)
	}
	return unicode.ToLower(r)
}

// Fold returns s normalized the way the index and the browser compare text:
// NFKC (so full-width ＥＯＤ equals EOD), lower-cased, traditional
// characters simplified (環境 equals 环境).
func Fold(s string) string {
	return string(foldAppend(nil, s, nil, nil))
}

// class is what the tokenizer makes of one folded code point.
type class uint8

const (
	other class = iota
	han         // \p{Script=Han}: split into bigrams
	word        // other letters, numbers and marks: joined into words
	digit       // \p{Nd}, a word character that can also join "2.76"
)

func classify(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case '0' <= r && r <= '9':
			return digit
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return word
		}
		return other
	case r >= 0x4E00 && r <= 0x9FFF: // CJK Unified Ideographs, all Han
		return han
	case r >= 0x2000 && r <= 0x206F, r >= 0x3000 && r <= 0x3004, r >= 0x3008 && r <= 0x3020:
		// General and CJK punctuation (“”、。《》【】), none Han or a letter.
		return other
	case unicode.Is(unicode.Han, r):
		return han
	case unicode.Is(unicode.Nd, r):
		return digit
	case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsMark(r):
		return word
	}
	return other
}

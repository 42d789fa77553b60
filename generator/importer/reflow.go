package importer

import (
	"strings"
	"unicode/utf8"
)

// Reflow joins the lines of one block of body text, as broken by a printed
// layout, into paragraphs. The pieces of a sentence are joined with no space
// between Chinese characters and one space between ASCII words (see
// [joiner]). A blank line starts a new paragraph only where the text
// before it ends a sentence; anywhere else it is a page or column break.
// White space inside a line is collapsed to single spaces. Bytes that are
// not UTF-8 become U+FFFD first, so joining lines cannot make new runes.
func Reflow(text string) []string {
	return reflowLines(strings.Split(strings.ToValidUTF8(text, "\uFFFD"), "\n"))
}

func reflowLines(lines []string) []string {
	var paras []string
	var cur strings.Builder
	blank := false
	for _, l := range lines {
		l = normalizeSpace(l)
		switch {
		case l == "":
			blank = true
			continue
		case cur.Len() == 0:
		case blank && endsSentence(cur.String()):
			paras = append(paras, cur.String())
			cur.Reset()
		default:
			cur.WriteString(joiner(cur.String(), l))
		}
		cur.WriteString(l)
		blank = false
	}
	if cur.Len() > 0 {
		paras = append(paras, cur.String())
	}
	return paras
}

// normalizeSpace trims s and collapses each run of white space inside it,
// ideographic spaces included, to one ASCII space.
func normalizeSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// joiner returns what goes between two pieces of one sentence, a and b,
// that a line break separated. A space goes between them only where both
// sides are ASCII text that English would separate: a word (or closing
// punctuation) before, a word (or opening punctuation) after. Digits on
// both sides join without a space, because a layout splits numbers, not
// two numbers in a row.
func joiner(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if asciiWordEnd(ra) && asciiWordStart(rb) && !(isDigit(ra) && isDigit(rb)) {
		return " "
	}
	return ""
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isASCIIAlnum(r rune) bool {
	return isDigit(r) || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}

func asciiWordEnd(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(`.,;:!?)]}%'"`, r)
}

func asciiWordStart(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(`([{'"`, r)
}

// endsSentence reports whether s ends a sentence, looking through closing
// quotes and brackets: "……。”" ends one, "……，" does not.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "”’」』）)》〉】\"'")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？!?….", r)
}

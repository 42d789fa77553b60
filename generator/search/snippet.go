package search

// resultsPerPage is how many results the page shows, and fetches documents
// for, at a time.
const resultsPerPage = 10

// Snippet geometry, in folded code points.
const (
	snippetBefore = 16 // context kept before the first match
	snippetLen    = 80 // total length of the window
)

// segment is a piece of a snippet: original text, marked or not.
type segment struct {
	text string
	mark bool
}

// indexPhrase returns the first offset ≥ from where ph occurs in rs (see
// matchAt), or -1.
func indexPhrase(rs, ph []rune, from int) int {
	for p := from; p+len(ph) <= len(rs); p++ {
		if matchAt(rs, ph, p) {
			return p
		}
	}
	return -1
}

// matchAt reports whether ph occurs at rs[p:] as a whole: a phrase that
// starts or ends with a word (letters, digits, or a number like 2.76) must
// start or end at that word's edge, as its tokens did.
func matchAt(rs, ph []rune, p int) bool {
	n := len(ph)
	if n == 0 || p+n > len(rs) || rs[p] != ph[0] || !equalRunes(rs[p:p+n], ph) {
		return false
	}
	if isWordRune(ph[0]) && p > 0 && joins(rs, p-1, true) {
		return false
	}
	return !(isWordRune(ph[n-1]) && p+n < len(rs) && joins(rs, p+n, false))
}

// joins reports whether rs[i], next to a word, would extend it: a word
// rune, or a "." or "," between digits. before says rs[i] precedes the word.
func joins(rs []rune, i int, before bool) bool {
	if isWordRune(rs[i]) {
		return true
	}
	if rs[i] != '.' && rs[i] != ',' {
		return false
	}
	o := i + 1
	if before {
		o = i - 1
	}
	return o >= 0 && o < len(rs) && classify(rs[o]) == digit && classify(rs[2*i-o]) == digit
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// snippet cuts a window of text around the first phrase match and marks
// every match in it. Folding may change lengths (ＥＯＤ→eod, ㎡→m2), so
// windows and marks are computed on folded code points and mapped back to
// the original text chunk by chunk.
func snippet(text string, phrases [][]rune) []segment {
	var starts, ends []int
	rs := foldAppend(nil, text, &starts, &ends)
	return snippetFolded(nil, text, rs, starts, ends, phrases)
}

// snippetFolded appends to out the snippet of text already folded into rs,
// with each code point's byte range in text given by starts and ends.
func snippetFolded(out []segment, text string, rs []rune, starts, ends []int, phrases [][]rune) []segment {
	if len(rs) == 0 {
		return out
	}
	// Matches, left to right, longest phrase first at each position.
	type span struct{ s, e int }
	var marks []span
	// Matches from the window's end on would not be shown: stop there.
	end := len(rs)
	for p := 0; p < end; {
		if len(phrases) == 1 && len(phrases[0]) > 0 {
			// A match starts with the phrase's first code point: skip to
			// the next one (the result pages' common case, one token).
			c := phrases[0][0]
			for p < end && rs[p] != c {
				p++
			}
			if p == end {
				break
			}
		}
		best := 0
		for _, ph := range phrases {
			if len(ph) > best && matchAt(rs, ph, p) {
				best = len(ph)
			}
		}
		if best == 0 {
			p++
			continue
		}
		if len(marks) == 0 {
			end = min(len(rs), max(0, p-snippetBefore)+snippetLen)
		}
		marks = append(marks, span{p, p + best})
		p += best
	}
	first := 0
	if len(marks) > 0 {
		first = marks[0].s
	}
	lo := max(0, first-snippetBefore)
	hi := min(len(rs), lo+snippetLen)

	if starts[lo] > 0 {
		out = append(out, segment{text: "…"})
	}
	at := starts[lo] // byte offset in text written so far
	for _, m := range marks {
		if m.s >= hi {
			break
		}
		ms, me := starts[m.s], ends[min(m.e, hi)-1]
		if ms < at {
			ms = at
		}
		if ms > at {
			out = append(out, segment{text: text[at:ms]})
		}
		if me > ms {
			out = append(out, segment{text: text[ms:me], mark: true})
		}
		at = max(at, me)
	}
	if end := ends[hi-1]; end > at {
		out = append(out, segment{text: text[at:end]})
		at = end
	}
	if at < len(text) {
		out = append(out, segment{text: "…"})
	}
	return out
}

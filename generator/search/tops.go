package search

import (
	"strconv"
	"unicode/utf8"
)

// The first page of results of a one-token Han query (a two-character
// Chinese phrase, or one character) depends on that token alone, so the
// build works it out once and writes it into the result shards: such a
// query then needs the manifest and one result shard, two requests,
// instead of a token shard and the document shards of ten scattered
// sections. The token and document shards still serve longer queries,
// words and numbers, and the pages after the first.

// hasResults reports whether token t has a result entry: Han tokens (one
// character or a pair) do, the queries readers type most and the ones a
// two-request answer matters for. Words and numbers do not: on a large
// site most of them are figures found in a section or two, whose result
// entries were six records in seven and most of the snippet work, and for
// so few results the token-shard path costs about the same bytes. search.js
// applies the same rule before it asks for a result shard.
func hasResults(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return classify(r) == han
}

// defaultResultShardBytes is the target uncompressed size of a result
// shard: about 25 KB after gzip, the whole cost of a two-character query.
const defaultResultShardBytes = 128 << 10

// topRecords returns the JSON result record [url,pageTitle,title,snippet]
// of every (token, document) pair of tops, as recs[token][rank]. Each
// document's text is folded, and its address and titles encoded, once for
// all the tokens whose first page shows it.
func topRecords(toks []token, tops [][]int32, sections []Section) [][][]byte {
	n := len(sections)
	start := make([]int32, n+1)
	recs := make([][][]byte, len(tops))
	for i, t := range tops {
		recs[i] = make([][]byte, len(t))
		for _, d := range t {
			start[d+1]++
		}
	}
	for d := range n {
		start[d+1] += start[d]
	}
	type need struct{ tok, rank int32 }
	needs := make([]need, start[n])
	at := make([]int32, n)
	copy(at, start[:n])
	for i, t := range tops {
		for r, d := range t {
			needs[at[d]] = need{int32(i), int32(r)}
			at[d]++
		}
	}
	parallel(n, func(lo, hi int) {
		var (
			starts, ends []int
			rs           []rune
			phrase       [1][]rune
			segs         []segment
			arena        []byte // records are cut from large blocks
			head         []byte // the document's [url,pageTitle,title,
		)
		for d := lo; d < hi; d++ {
			ns := needs[start[d]:start[d+1]]
			if len(ns) == 0 {
				continue
			}
			sec := sections[d]
			text := sec.Text
			starts, ends = starts[:0], ends[:0]
			rs = foldAppend(rs[:0], text, &starts, &ends)
			head = appendDocHead(head[:0], sec)
			for _, nd := range ns {
				phrase[0] = phrase[0][:0]
				for _, r := range toks[nd.tok].text {
					phrase[0] = append(phrase[0], r)
				}
				segs = snippetFolded(segs[:0], text, rs, starts, ends, phrase[:])
				size := len(head) + 3 // an upper bound: escaping grows a byte to 6 at most
				for _, s := range segs {
					size += 6*len(s.text) + 6 // with quotes, a separator and an empty piece
				}
				if cap(arena)-len(arena) < size {
					arena = make([]byte, 0, max(size, 256<<10))
				}
				at := len(arena)
				arena = append(arena, head...)
				arena = appendSnippet(arena, segs)
				arena = append(arena, ']')
				recs[nd.tok][nd.rank] = arena[at:len(arena):len(arena)]
			}
		}
	})
	return recs
}

// appendSnippet writes snippet pieces as a JSON array of strings that
// alternate plain text and marked text, starting with plain; an empty
// string stands for an empty piece, so two marks in a row stay two.
func appendSnippet(b []byte, segs []segment) []byte {
	b = append(b, '[')
	open := len(b)
	mark := false // the kind the next string stands for
	for _, s := range segs {
		if s.mark != mark {
			if len(b) > open {
				b = append(b, ',')
			}
			b = append(b, `""`...)
			mark = !mark
		}
		if len(b) > open {
			b = append(b, ',')
		}
		b = appendJSONString(b, s.text)
		mark = !mark
	}
	return append(b, ']')
}

// topEntrySize returns the length of token t's result entry (see
// appendTopEntry).
func topEntrySize(t *token, recs [][]byte) int {
	n := jsonStringLen(t.text) + len(`:[,[]]`) + decimalLen(int64(t.df)) + max(0, len(recs)-1)
	for _, r := range recs {
		n += len(r)
	}
	return n
}

// appendTopEntry writes `"token":[df,[[url,pageTitle,title,snippet],…]]`.
func appendTopEntry(b []byte, t *token, recs [][]byte) []byte {
	b = appendJSONString(b, t.text)
	b = append(b, ":["...)
	b = strconv.AppendInt(b, int64(t.df), 10)
	b = append(b, ",["...)
	for r, rec := range recs {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, rec...)
	}
	return append(b, "]]"...)
}

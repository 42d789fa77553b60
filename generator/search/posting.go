package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// token is one token of the whole index: its text and where each worker
// keeps its postings.
type token struct {
	text string
	df   int
	ids  []int32 // per worker: local id, or −1
}

// index is the merged result of collect: tokens sorted by text, and the
// workers' postings they point into.
type index struct {
	sets []*workerSet
	toks []token
}

// merge joins the workers' token lists, each sorted by text, into one;
// postings stay where the workers wrote them, read in worker order (which
// is document order).
func merge(sets []*workerSet) *index {
	ix := &index{sets: sets}
	w := len(sets)
	next := make([]int, w) // per worker: its next token in text order
	most, least := 0, 0    // the tokens of the sets together, at most and at least
	for _, s := range sets {
		most += len(s.sorted)
		least = max(least, len(s.sorted))
	}
	ix.toks = make([]token, 0, most)
	ids := make([]int32, 0, w*least) // w entries per token, carved below
	for {
		// The least text among the sets' next tokens; w is the number
		// of cores and a few sets stolen from them, so a scan.
		text, found := "", false
		for k, s := range sets {
			if next[k] < len(s.sorted) {
				if t := s.text[s.sorted[next[k]]]; !found || t < text {
					text, found = t, true
				}
			}
		}
		if !found {
			break
		}
		tok := token{text: text}
		for k, s := range sets {
			id := int32(-1)
			if next[k] < len(s.sorted) && s.text[s.sorted[next[k]]] == text {
				id = s.sorted[next[k]]
				next[k]++
				tok.df += int(s.df[id])
			}
			ids = append(ids, id)
		}
		ix.toks = append(ix.toks, tok)
	}
	for i := range ix.toks {
		ix.toks[i].ids = ids[i*w : (i+1)*w : (i+1)*w]
	}
	for _, s := range sets {
		s.text, s.sorted = nil, nil
	}
	return ix
}

// encoder writes token entries as `"text":[idf,"postings"]`.
//
// idf is 100·ln(1+(N−df+0.5)/(df+0.5)) rounded. The postings string holds,
// for each posting in document order, its weight and its gap from the
// previous document (the first from 0), as numbers in postingDigits. The
// weight is 2q+t: q in 1..7 is the BM25 term-frequency factor
// tf·(k1+1)/(tf+k1·(1−b+b·dl/avgdl)) scaled to 1..7, and t is 1 when the
// token is in the section's title. Scores are then integer sums, so Go and
// JS rank identically. The workers wrote their postings in this form as
// they counted (see weigher): an entry is their text joined, each
// worker's first gap written again from the previous worker's last
// document.
type encoder struct {
	ix *index
	n  int
}

// scratch is one worker's buffers for encoding shards.
type scratch struct {
	buf []byte // the shard being encoded, reused for the next
}

// newEncoder prepares the encoding of ix, an index of n documents.
func newEncoder(ix *index, n int) *encoder {
	return &encoder{ix: ix, n: n}
}

func (e *encoder) idf(t *token) int64 {
	df := float64(t.df)
	return max(1, int64(math.Round(math.Log(1+(float64(e.n)-df+0.5)/(df+0.5))*100)))
}

// appendEntry appends t's entry.
func (e *encoder) appendEntry(b []byte, t *token) []byte {
	b = appendJSONString(b, t.text)
	b = append(b, ":["...)
	b = strconv.AppendInt(b, e.idf(t), 10)
	b = append(b, ",\""...)
	e.ix.segments(t, func(v, gap uint32, rest []byte) {
		b = appendNum(b, v)
		b = appendNum(b, gap)
		b = append(b, rest...)
	})
	return append(b, "\"]"...)
}

// top returns the documents of the first page of results of a query for
// Han token t alone, best first: the best of the workers' pages, which
// come in document order.
func (ix *index) top(t *token) []int32 {
	var all []cand
	for k, id := range t.ids {
		if id >= 0 {
			s := ix.sets[k]
			for _, c := range s.best[id] {
				all = append(all, cand{s.base + c.doc, c.key})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b cand) int { return cmp.Compare(b.key, a.key) })
	top := make([]int32, min(len(all), resultsPerPage))
	for k := range top {
		top[k] = all[k].doc
	}
	return top
}

// estimate is the length of t's entry, but for its idf (counted as four
// digits): enough to decide how many token shards to cut, without encoding
// every entry twice. Like the entry, it counts each worker's first gap as
// one list holds it, from the previous worker's last document, so it does
// not depend on how the documents were spread over workers.
func (ix *index) estimate(t *token) int {
	size := 0
	ix.segments(t, func(v, gap uint32, rest []byte) {
		size += numLen(v) + numLen(gap) + len(rest)
	})
	return jsonStringLen(t.text) + len(`:[,""]`) + 4 + size
}

// segments calls f with each worker's postings of t, in document order:
// the worker's first posting's value and gap as one list holds it, from
// the previous worker's last document rather than from the worker's base,
// and the postings after it. A token entry is these first postings written
// again and the rest of each worker's text copied.
func (ix *index) segments(t *token, f func(v, gap uint32, rest []byte)) {
	prev := int32(0)
	for k, id := range t.ids {
		if id < 0 {
			continue
		}
		s := ix.sets[k]
		r := postingReader{p: s.post[id], doc: s.base}
		doc, v, _ := r.next()
		f(v, uint32(doc-prev), r.p[r.i:])
		prev = s.base + s.last[id]
	}
}

func decimalLen(v int64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A query runs as a list of runs: the query itself, its variants by the
// phrase pairs of tsfold.go, then each related word of its synonyms (see
// Options.Synonyms). Results come run by run, a section found by an
// earlier run not repeated, so a synonym's matches rank below the query's
// own. search.js runs the same list, fetching a run only when the page
// before it is not full.

// maxVariants bounds the folded forms a query runs, itself included.
const maxVariants = 4

type run struct {
	pq      query
	related string // the synonym, as the site wrote it; "" for the query itself
}

// variants returns the folded query rs and, for each phrase pair one side
// of which it holds, rs with that side replaced by the other (计划 and
// 计画), at most maxVariants in all.
func variants(rs []rune) [][]rune {
	out := [][]rune{rs}
	if !slices.ContainsFunc(rs, func(r rune) bool { return tsStarts[r] }) {
		return out
	}
	for _, p := range tsPairs {
		for k := range 2 {
			if len(out) == maxVariants {
				return out
			}
			if v, ok := replacePhrase(rs, p[k], p[1-k]); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// replacePhrase returns rs with every from replaced by to (of the same
// length), and whether there was one.
func replacePhrase(rs, from, to []rune) ([]rune, bool) {
	var out []rune
	for i := 0; i+len(from) <= len(rs); i++ {
		if slices.Equal(rs[i:i+len(from)], from) {
			if out == nil {
				out = slices.Clone(rs)
			}
			copy(out[i:], to)
			i += len(from) - 1
		}
	}
	return out, out != nil
}

// synonyms returns the related words of the folded query key: from the
// manifest of a small index, or from the synonyms file of a sharded one,
// fetched only if the manifest's "sb" has the key's bit.
func (e *engine) synonyms(key string) ([]string, error) {
	if e.m.Syn != nil || e.m.SB == "" || !synBit(e.m.SB, key) {
		return e.m.Syn[key], nil
	}
	if e.syn == nil {
		b, err := e.fetch(e.m.Dir + synFile)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &e.syn); err != nil {
			return nil, fmt.Errorf("search: synonyms: %v", err)
		}
	}
	return e.syn[key], nil
}

// hasSynonyms reports whether key may have synonyms, without fetching.
func (e *engine) hasSynonyms(key string) bool {
	if e.m.Syn != nil {
		return len(e.m.Syn[key]) > 0
	}
	return e.m.SB != "" && synBit(e.m.SB, key)
}

// searchAll returns up to limit hits of q's runs (all if limit is 0). With
// one run it is search. With several, all of them run (limit 0), total is
// the number of distinct sections; or the runs stop once limit hits are
// found, and total is the sum of the totals of the runs made, an
// estimate. The synonyms are looked up only when the query's own runs
// leave the page short.
func (e *engine) searchAll(q string, limit int) (resultPage, error) {
	rs := foldAppend(nil, q, nil, nil)
	var runs []run
	for _, v := range variants(rs) {
		runs = append(runs, run{pq: parseFolded(v)})
	}
	if len(runs[0].pq.tokens) == 0 {
		return e.search(runs[0].pq, limit)
	}
	if err := e.loadManifest(); err != nil {
		return resultPage{}, err
	}
	key := strings.TrimSpace(string(rs))
	if len(runs) == 1 && !e.hasSynonyms(key) {
		return e.search(runs[0].pq, limit)
	}
	var out resultPage
	seen := make(map[string]bool)
	synDone := false
	for i := 0; ; i++ {
		if limit > 0 && len(out.hits) >= limit {
			out.hits = out.hits[:limit]
			return out, nil
		}
		if i == len(runs) && !synDone {
			synDone = true
			words, err := e.synonyms(key)
			if err != nil {
				return resultPage{}, err
			}
			for _, w := range words {
				runs = append(runs, run{pq: parseQuery(w), related: w})
			}
		}
		if i == len(runs) {
			break
		}
		p, err := e.search(runs[i].pq, limit)
		if err != nil {
			return resultPage{}, err
		}
		out.total += p.total
		for _, h := range p.hits {
			if !seen[h.doc.url] {
				seen[h.doc.url] = true
				h.related = runs[i].related
				out.hits = append(out.hits, h)
			}
		}
	}
	if limit == 0 {
		out.total, out.exact = len(out.hits), true
	}
	return out, nil
}

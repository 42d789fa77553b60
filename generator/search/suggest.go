package search

import (
	"cmp"
	"slices"
	"strings"
)

// When a query finds nothing, the search page offers what does occur,
// for each phrase of Han characters that occurs nowhere:
//
//   - the strings of the same length that differ from it in one
//     character, read in the sections that share most of its characters
//     and bigrams, the most frequent first (医了 → 医疗);
//   - the longest pieces of it that do occur, from its start (湿地公园建设
//     → 湿地公园 and 建设: offered together, "湿地公园 建设", then one by
//     one).
//
// Pieces are cut from the query as typed; corrections from the sections'
// text as written. search.js suggests the same, in the same order.

const (
	maxSuggestions  = 4
	maxTypos        = 2
	typoDocs        = 5  // sections read for corrections
	maxSuggestRunes = 12 // longer phrases are not taken apart
)

// Suggest returns up to four queries that find something, for a query
// that finds nothing (see above); nil if it finds something, or there is
// nothing to offer.
func (s *Searcher) Suggest(q string) []string {
	out, err := s.e.suggest(q)
	if err != nil {
		return nil
	}
	return out
}

func (e *engine) suggest(q string) ([]string, error) {
	var starts, ends []int
	rs := foldAppend(nil, q, &starts, &ends)
	pq := parseFolded(rs)
	var out []string
	add := func(s string) {
		if s != "" && len(out) < maxSuggestions && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for k, ph := range pq.phrases {
		if len(ph) < 2 || len(ph) > maxSuggestRunes || !allHan(ph) {
			continue
		}
		if ok, err := e.occurs(ph); err != nil || ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		typos, err := e.typos(ph)
		if err != nil {
			return nil, err
		}
		for _, t := range typos {
			add(t)
		}
		at := pq.at[k]
		pieces, err := e.pieces(ph)
		if err != nil {
			return nil, err
		}
		var typed []string
		for _, p := range pieces {
			typed = append(typed, q[starts[at+p[0]]:ends[at+p[1]-1]])
		}
		if len(typed) > 1 {
			add(strings.Join(typed, " "))
		}
		for _, t := range typed {
			add(t)
		}
	}
	return out, nil
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if classify(r) != han {
			return false
		}
	}
	return true
}

// occurs reports whether the folded phrase ph finds a section.
func (e *engine) occurs(ph []rune) (bool, error) {
	p, err := e.search(parseFolded(ph), 1)
	return len(p.hits) > 0, err
}

// pieces cuts ph, which occurs nowhere, into the longest runs of two or
// more characters that occur, from its start; a character no such run
// begins with is skipped. It returns [start, end) pairs.
func (e *engine) pieces(ph []rune) ([][2]int, error) {
	var out [][2]int
	for i := 0; i+1 < len(ph); {
		j := len(ph)
		if i == 0 {
			j-- // the whole phrase occurs nowhere
		}
		for ; j >= i+2; j-- {
			ok, err := e.occurs(ph[i:j])
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
		}
		if j < i+2 {
			i++
			continue
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out, nil
}

// typos returns up to maxTypos strings of the sections' text that differ
// from ph in exactly one Han character, the most frequent first, read in
// the typoDocs sections that score best on ph's bigrams (and characters,
// for three or fewer).
func (e *engine) typos(ph []rune) ([]string, error) {
	// A phrase of four or more characters keeps a bigram whatever the
	// wrong one: its characters' lists, the longest, are not needed.
	toks := make([]string, 0, 2*len(ph))
	for i := range ph {
		if len(ph) <= 3 {
			toks = append(toks, string(ph[i:i+1]))
		}
		if i+1 < len(ph) {
			toks = append(toks, string(ph[i:i+2]))
		}
	}
	score := make(map[int]int)
	for _, t := range toks {
		raw, err := e.token(t)
		if err != nil || raw == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		l, err := readEntry(t, raw)
		if err != nil {
			return nil, err
		}
		for i, id := range l.docs {
			score[id] += l.idf * (l.wts[i] >> 1)
		}
	}
	ids := make([]int, 0, len(score))
	for id := range score {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	type found struct {
		text  string
		count int
		order int
	}
	byKey := make(map[string]*found)
	var list []*found
	for _, id := range ids[:min(len(ids), typoDocs)] {
		d, err := e.doc(id)
		if err != nil {
			return nil, err
		}
		fields := []string{d.title, d.text}
		if d.withPageTitle {
			fields = append(fields, d.pageTitle)
		}
		for _, f := range fields {
			var starts, ends []int
			rs := foldAppend(nil, f, &starts, &ends)
			for p := 0; p+len(ph) <= len(rs); p++ {
				if !oneOff(rs[p:p+len(ph)], ph) {
					continue
				}
				key := string(rs[p : p+len(ph)])
				x := byKey[key]
				if x == nil {
					x = &found{text: f[starts[p]:ends[p+len(ph)-1]], order: len(list)}
					byKey[key] = x
					list = append(list, x)
				}
				x.count++
			}
		}
	}
	slices.SortStableFunc(list, func(a, b *found) int { return cmp.Compare(b.count, a.count) })
	var out []string
	for _, x := range list[:min(len(list), maxTypos)] {
		out = append(out, x.text)
	}
	return out, nil
}

// oneOff reports whether w, all Han, differs from ph in exactly one place.
func oneOff(w, ph []rune) bool {
	diff := 0
	for i := range w {
		if classify(w[i]) != han {
			return false
		}
		if w[i] != ph[i] {
			diff++
		}
	}
	return diff == 1
}

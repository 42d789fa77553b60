package search

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
)

// Result is one matching section, as the search page shows it.
type Result struct {
	URL       string
	PageTitle string
	Title     string
	Snippet   string // HTML: escaped text around the match, matches in <mark>
	// Related is the synonym through which the section matched ("医疗"
	// for a query 看病: the page says 相关词：医疗), or "" when it holds
	// the query itself.
	Related string `json:",omitempty"`
}

// Query runs q against the index files produced by Build and returns every
// matching section, best first. It is the Go twin of search.js (same
// tokens, candidates, ranking and snippets), for tests and benchmarks. To
// run many queries on one index, use NewSearcher: Query parses the index
// anew each time.
func Query(files map[string][]byte, q string) []Result {
	return NewSearcher(files).Query(q)
}

// Searcher runs queries on one index, parsing each file once. It is not
// safe for concurrent use.
type Searcher struct{ e *engine }

// NewSearcher returns a Searcher over the files produced by Build.
func NewSearcher(files map[string][]byte) *Searcher {
	return &Searcher{&engine{fetch: func(path string) ([]byte, error) {
		b, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("search: no file %s", path)
		}
		return b, nil
	}}}
}

// Query is like the package function Query.
func (s *Searcher) Query(q string) []Result {
	page, err := s.e.searchAll(q, 0)
	if err != nil {
		return nil
	}
	out := make([]Result, len(page.hits))
	for i, h := range page.hits {
		var sb strings.Builder
		for _, s := range h.snippet {
			if s.mark {
				sb.WriteString("<mark>" + html.EscapeString(s.text) + "</mark>")
			} else {
				sb.WriteString(html.EscapeString(s.text))
			}
		}
		out[i] = Result{URL: h.doc.url, PageTitle: h.doc.pageTitle, Title: h.doc.title, Snippet: sb.String(), Related: h.related}
	}
	return out
}

// engine loads the manifest and shards on demand through fetch, as the
// browser does, so tests can count what a query downloads.
type engine struct {
	fetch func(path string) ([]byte, error)

	syn map[string][]string // a sharded index's synonyms, once fetched

	m       *manifest
	tokens  map[int]map[string]json.RawMessage // token shards by number
	docs    map[int][]json.RawMessage          // document shards by number
	results map[int]map[string]json.RawMessage // result shards by number
}

type manifest struct {
	V      int                        `json:"v"`
	N      int                        `json:"n"`
	Dir    string                     `json:"dir"`
	TS     int                        `json:"ts"`
	DK     int                        `json:"dk"`
	RS     int                        `json:"rs"`
	Tokens map[string]json.RawMessage `json:"tokens"`
	Docs   []json.RawMessage          `json:"docs"`
	Syn    map[string][]string        `json:"syn"`
	SB     string                     `json:"sb"`
}

type doc struct {
	url, pageTitle, title, text string
	withPageTitle               bool
}

type hit struct {
	id      int
	doc     doc
	snippet []segment
	related string // the synonym it matched through, if any
}

type resultPage struct {
	hits  []hit
	total int  // matching sections: exact, or an upper bound if !exact
	exact bool // the phrases were single tokens or every candidate was verified
}

// query is a parsed query: the distinct tokens to look up and the phrases
// (runs of adjacent tokens, as folded code points) that must occur. exact
// is true when every phrase is a single token, so that the posting lists
// alone give the exact result set.
type query struct {
	tokens  []string
	phrases [][]rune
	at      []int // where each phrase starts in the folded query
	exact   bool
}

func parseQuery(q string) query {
	return parseFolded(foldAppend(nil, q, nil, nil))
}

// parseFolded parses a query already folded.
func parseFolded(rs []rune) query {
	out := query{exact: true}
	seen := make(map[string]bool)
	start, end, count := -1, -1, 0
	flush := func() {
		out.phrases = append(out.phrases, rs[start:end])
		out.at = append(out.at, start)
		if count > 1 {
			out.exact = false
		}
		start = -1
	}
	scan(rs, func(s, e int) {
		t := string(rs[s:e])
		if !seen[t] {
			seen[t] = true
			out.tokens = append(out.tokens, t)
		}
		if start >= 0 && s > end { // a gap ends the phrase
			flush()
		}
		if start < 0 {
			start, count = s, 0
		}
		count++
		end = e
	})
	if start >= 0 {
		flush()
	}
	return out
}

type candidate struct {
	id, score int
	titleAll  bool
}

// search returns up to limit verified hits of pq (all if limit is 0).
func (e *engine) search(pq query, limit int) (resultPage, error) {
	if len(pq.tokens) == 0 {
		return resultPage{exact: true}, nil
	}
	if err := e.loadManifest(); err != nil {
		return resultPage{}, err
	}
	// A one-token query's first page is in its result shard if the token
	// has one (see tops.go); the posting lists are read only for the pages
	// after it.
	var first []hit
	if e.m.Tokens == nil && e.m.RS > 0 && len(pq.tokens) == 1 && pq.exact && hasResults(pq.tokens[0]) {
		hits, total, err := e.top(pq.tokens[0])
		if err != nil {
			return resultPage{}, err
		}
		if total == 0 {
			return resultPage{exact: true}, nil
		}
		if limit > 0 && limit <= len(hits) || len(hits) == total {
			if limit > 0 {
				hits = hits[:min(limit, len(hits))]
			}
			return resultPage{hits: hits, total: total, exact: true}, nil
		}
		first = hits
	}
	lists := make([]list, 0, len(pq.tokens))
	for _, t := range pq.tokens {
		raw, err := e.token(t)
		if err != nil {
			return resultPage{}, err
		}
		if raw == nil {
			return resultPage{exact: true}, nil
		}
		l, err := readEntry(t, raw)
		if err != nil {
			return resultPage{}, err
		}
		lists = append(lists, l)
	}
	// Intersect, walking the shortest list and probing the others.
	slices.SortFunc(lists, func(a, b list) int { return cmp.Compare(len(a.docs), len(b.docs)) })
	var cands []candidate
	pos := make([]int, len(lists))
outer:
	for i, id := range lists[0].docs {
		w := lists[0].wts[i]
		score, titles := lists[0].idf*(w>>1), w&1
		for k := 1; k < len(lists); k++ {
			l := &lists[k]
			j, _ := slices.BinarySearch(l.docs[pos[k]:], id)
			pos[k] += j
			if pos[k] >= len(l.docs) {
				break outer
			}
			if l.docs[pos[k]] != id {
				continue outer
			}
			w := l.wts[pos[k]]
			score += l.idf * (w >> 1)
			titles += w & 1
		}
		cands = append(cands, candidate{id, score, titles == len(lists)})
	}
	slices.SortFunc(cands, compareCandidates)

	page := resultPage{hits: first, total: len(cands), exact: pq.exact}
	verified := len(first)
	for i := len(first); i < len(cands); i++ {
		c := cands[i]
		if limit > 0 && len(page.hits) == limit {
			break
		}
		verified = i + 1
		d, err := e.doc(c.id)
		if err != nil {
			return resultPage{}, err
		}
		if !d.matches(pq.phrases) {
			continue
		}
		page.hits = append(page.hits, hit{id: c.id, doc: d, snippet: snippet(d.text, pq.phrases)})
	}
	if verified == len(cands) && !page.exact {
		page.exact, page.total = true, len(page.hits)
	}
	return page, nil
}

// list is a token's posting list.
type list struct {
	idf  int
	docs []int
	wts  []int
}

// readEntry reads the token entry raw of t.
func readEntry(t string, raw json.RawMessage) (list, error) {
	var l list
	var postings string
	if err := json.Unmarshal(raw, &[]any{&l.idf, &postings}); err != nil {
		return list{}, fmt.Errorf("search: token %q: %v", t, err)
	}
	var err error
	if l.docs, l.wts, err = readPostings(postings); err != nil {
		return list{}, fmt.Errorf("search: token %q: %v", t, err)
	}
	return l, nil
}

// compareCandidates orders title matches first, then by score, then by
// document order; search.js sorts with the same key.
func compareCandidates(a, b candidate) int {
	if a.titleAll != b.titleAll {
		if a.titleAll {
			return -1
		}
		return 1
	}
	if a.score != b.score {
		return cmp.Compare(b.score, a.score)
	}
	return cmp.Compare(a.id, b.id)
}

// readPostings reads a token entry's postings string, as search.js does:
// for each posting a weight and a gap, numbers of five-bit digits, least
// significant first, a digit of 32 or more saying another follows.
func readPostings(s string) (docs, wts []int, err error) {
	num := func(i int) (v, next int, err error) {
		for shift := 0; i < len(s); shift += 5 {
			d := strings.IndexByte(postingDigits, s[i])
			if d < 0 || shift > 30 {
				return 0, 0, fmt.Errorf("bad posting digit at %d", i)
			}
			v |= (d & 31) << shift
			i++
			if d < 32 {
				return v, i, nil
			}
		}
		return 0, 0, errors.New("postings end inside a number")
	}
	doc := 0
	for i := 0; i < len(s); {
		w, next, err := num(i)
		if err != nil {
			return nil, nil, err
		}
		g, next, err := num(next)
		if err != nil {
			return nil, nil, err
		}
		doc += g
		docs, wts, i = append(docs, doc), append(wts, w), next
	}
	return docs, wts, nil
}

// matches reports whether every phrase occurs in one of the indexed fields.
func (d doc) matches(phrases [][]rune) bool {
	fields := []string{d.title, d.text}
	if d.withPageTitle {
		fields = append(fields, d.pageTitle)
	}
	folded := make([][]rune, len(fields))
	for i, f := range fields {
		folded[i] = foldAppend(nil, f, nil, nil)
	}
next:
	for _, ph := range phrases {
		for _, rs := range folded {
			if indexPhrase(rs, ph, 0) >= 0 {
				continue next
			}
		}
		return false
	}
	return true
}

func (e *engine) loadManifest() error {
	if e.m != nil {
		return nil
	}
	b, err := e.fetch("search/manifest.json")
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("search: manifest: %v", err)
	}
	if m.V != 3 {
		return fmt.Errorf("search: manifest: unknown version %d", m.V)
	}
	e.m = &m
	e.tokens = make(map[int]map[string]json.RawMessage)
	e.docs = make(map[int][]json.RawMessage)
	e.results = make(map[int]map[string]json.RawMessage)
	return nil
}

// token returns the raw entry of t, or nil if t is not in the index.
func (e *engine) token(t string) (json.RawMessage, error) {
	if e.m.Tokens != nil {
		return e.m.Tokens[t], nil
	}
	n := int(fnv32(t) % uint32(e.m.TS))
	shard, ok := e.tokens[n]
	if !ok {
		b, err := e.fetch(e.m.Dir + shardName('t', n))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &shard); err != nil {
			return nil, fmt.Errorf("search: token shard %d: %v", n, err)
		}
		e.tokens[n] = shard
	}
	return shard[t], nil
}

// top returns the first page of results of the one-token query t from its
// result shard, and the number of matching sections.
func (e *engine) top(t string) ([]hit, int, error) {
	n := int(fnv32(t) % uint32(e.m.RS))
	shard, ok := e.results[n]
	if !ok {
		b, err := e.fetch(e.m.Dir + shardName('r', n))
		if err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal(b, &shard); err != nil {
			return nil, 0, fmt.Errorf("search: result shard %d: %v", n, err)
		}
		e.results[n] = shard
	}
	raw := shard[t]
	if raw == nil {
		return nil, 0, nil
	}
	var total int
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &[]any{&total, &entries}); err != nil {
		return nil, 0, fmt.Errorf("search: results of %q: %v", t, err)
	}
	hits := make([]hit, len(entries))
	for i, r := range entries {
		var pieces []string
		h := &hits[i]
		if err := json.Unmarshal(r, &[]any{&h.doc.url, &h.doc.pageTitle, &h.doc.title, &pieces}); err != nil {
			return nil, 0, fmt.Errorf("search: results of %q: %v", t, err)
		}
		for k, p := range pieces {
			if p != "" {
				h.snippet = append(h.snippet, segment{text: p, mark: k%2 == 1})
			}
		}
	}
	return hits, total, nil
}

func (e *engine) doc(id int) (doc, error) {
	var raw json.RawMessage
	if e.m.Docs != nil {
		if id >= len(e.m.Docs) {
			return doc{}, fmt.Errorf("search: no document %d", id)
		}
		raw = e.m.Docs[id]
	} else {
		n := id / e.m.DK
		shard, ok := e.docs[n]
		if !ok {
			b, err := e.fetch(e.m.Dir + shardName('d', n))
			if err != nil {
				return doc{}, err
			}
			if err := json.Unmarshal(b, &shard); err != nil {
				return doc{}, fmt.Errorf("search: document shard %d: %v", n, err)
			}
			e.docs[n] = shard
		}
		if id-n*e.m.DK >= len(shard) {
			return doc{}, fmt.Errorf("search: no document %d", id)
		}
		raw = shard[id-n*e.m.DK]
	}
	var d doc
	var p int
	if err := json.Unmarshal(raw, &[]any{&d.url, &d.pageTitle, &d.title, &d.text, &p}); err != nil {
		return doc{}, fmt.Errorf("search: document %d: %v", id, err)
	}
	d.withPageTitle = p == 1
	return d, nil
}

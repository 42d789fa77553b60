package search

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"
)

// gzipSize is what a file costs on the wire, gzip -6 as web servers do.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, 6)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// queryCost runs q as the browser does (first page of resultsPerPage) and
// returns the gzip bytes and the files it fetched.
func queryCost(tb testing.TB, files map[string][]byte, gzSizes map[string]int, q string) (int, []string) {
	var fetched []string
	e := &engine{fetch: func(p string) ([]byte, error) {
		b, ok := files[p]
		if !ok {
			return nil, fmt.Errorf("no %s", p)
		}
		fetched = append(fetched, p)
		return b, nil
	}}
	if _, err := e.searchAll(q, resultsPerPage); err != nil {
		tb.Fatalf("search(%q): %v", q, err)
	}
	total := 0
	for _, p := range fetched {
		n, ok := gzSizes[p]
		if !ok {
			n = gzipSize(files[p])
			gzSizes[p] = n
		}
		total += n
	}
	return total, fetched
}

// suggestCost is queryCost of q and then of its suggestions, as the page
// fetches them when q finds nothing.
func suggestCost(tb testing.TB, files map[string][]byte, gzSizes map[string]int, q string) int {
	var fetched []string
	e := &engine{fetch: func(p string) ([]byte, error) {
		b, ok := files[p]
		if !ok {
			return nil, fmt.Errorf("no %s", p)
		}
		if !slices.Contains(fetched, p) {
			fetched = append(fetched, p)
		}
		return b, nil
	}}
	if _, err := e.searchAll(q, resultsPerPage); err != nil {
		tb.Fatalf("search(%q): %v", q, err)
	}
	if _, err := e.suggest(q); err != nil {
		tb.Fatalf("suggest(%q): %v", q, err)
	}
	total := 0
	for _, p := range fetched {
		n, ok := gzSizes[p]
		if !ok {
			n = gzipSize(files[p])
			gzSizes[p] = n
		}
		total += n
	}
	return total
}

// benchOptions are the options of a site without synonyms.yaml: the
// starter list.
func benchOptions(tb testing.TB) Options {
	syn, err := StarterSynonyms()
	if err != nil {
		tb.Fatal(err)
	}
	return Options{Synonyms: syn}
}

// BenchmarkQueryBytes measures, on a 10,000-page corpus, what the first
// page of results of a two-character query downloads, as the browser would
// (gzip -6 sizes). It reports the median, 90th percentile and maximum over
// a sample of the index's two-character tokens, from most to least
// frequent, and fails if any query takes more than the budget of 60 KiB in
// 3 requests. Run it with
//
//	go test -run - -bench QueryBytes -benchtime 1x ./generator/search
func BenchmarkQueryBytes(b *testing.B) {
	secs := benchCorpus(b, 10000)
	files, err := Build(secs, benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	type tf struct {
		text string
		df   int
	}
	var toks []tf
	for _, tok := range mergeForTest(secs) {
		if utf8.RuneCountInString(tok.text) == 2 && classify([]rune(tok.text)[0]) == han {
			toks = append(toks, tf{tok.text, len(tok.p.docs)})
		}
	}
	slices.SortFunc(toks, func(a, b tf) int { return b.df - a.df })
	gzSizes := make(map[string]int)
	var costs, reqs []int
	b.ResetTimer()
	for b.Loop() {
		costs, reqs = costs[:0], reqs[:0]
		for i := 0; i < len(toks); i += max(1, len(toks)/200) {
			n, fetched := queryCost(b, files, gzSizes, toks[i].text)
			costs = append(costs, n)
			reqs = append(reqs, len(fetched))
		}
	}
	slices.Sort(costs)
	slices.Sort(reqs)
	p := func(xs []int, q float64) float64 { return float64(xs[int(float64(len(xs)-1)*q)]) }
	b.ReportMetric(p(costs, .5), "gzipB/query-p50")
	b.ReportMetric(p(costs, .9), "gzipB/query-p90")
	b.ReportMetric(p(costs, 1), "gzipB/query-max")
	b.ReportMetric(p(reqs, 1), "requests/query-max")
	b.ReportMetric(float64(len(files)), "files")
	b.Logf("%d 2-character queries sampled of %d", len(costs), len(toks))

	// Longer phrases read token shards and then document shards, one per
	// result shown: no budget, but reported, since bounding the number of
	// files makes those shards larger.
	var long []int
	for _, q := range longPhrases(secs, 100) {
		n, _ := queryCost(b, files, gzSizes, q)
		long = append(long, n)
	}
	slices.Sort(long)
	b.ReportMetric(p(long, .5), "gzipB/long-p50")
	b.ReportMetric(p(long, .9), "gzipB/long-p90")
	// The starter list's words, which run their related words when their
	// own matches leave the page short, and queries without results,
	// which the page follows with suggestions: no budget, reported.
	syn, _ := StarterSynonyms()
	var synCosts []int
	for _, w := range syn {
		n, _ := queryCost(b, files, gzSizes, w.Word)
		synCosts = append(synCosts, n)
	}
	slices.Sort(synCosts)
	b.ReportMetric(p(synCosts, .5), "gzipB/synonym-p50")
	b.ReportMetric(p(synCosts, .9), "gzipB/synonym-p90")
	var sugCosts []int
	for _, q := range []string{"湿地公园建设", "环竟保护", "医了", "不存在的短语", "高质量发屏", "营商环竟优化"} {
		sugCosts = append(sugCosts, suggestCost(b, files, gzSizes, q))
	}
	slices.Sort(sugCosts)
	b.ReportMetric(p(sugCosts, 1), "gzipB/suggest-max")
	if p(costs, 1) > 60<<10 || p(reqs, 1) > 3 {
		b.Errorf("2-character queries take up to %.0f bytes in %.0f requests; budget 60 KiB in 3", p(costs, 1), p(reqs, 1))
	}
}

// plist is a decoded posting list, for tests.
type plist struct {
	docs []int32
	vals []uint32 // tf << 1 | title
}

type testToken struct {
	text string
	p    plist
}

// decode appends the postings of t to docs and vals, in document order:
// document ids and values (tf<<1 | title when counted raw, as
// mergeForTest counts them). The build reads them as it encodes
// (appendEntry); tests read them whole.
func (ix *index) decode(t *token, docs []int32, vals []uint32) ([]int32, []uint32) {
	for k, id := range t.ids {
		if id < 0 {
			continue
		}
		r := postingReader{p: ix.sets[k].post[id], doc: ix.sets[k].base}
		for doc, v, ok := r.next(); ok; doc, v, ok = r.next() {
			docs = append(docs, doc)
			vals = append(vals, v)
		}
	}
	return docs, vals
}

// mergeForTest returns the decoded posting lists the index of secs holds.
func mergeForTest(secs []Section) []testToken {
	ix := merge(collect(secs, pageTitleCarriers(secs), &docLengths{dl: make([]int32, len(secs)), raw: true}))
	out := make([]testToken, len(ix.toks))
	for i := range ix.toks {
		t := &ix.toks[i]
		out[i].text = t.text
		out[i].p.docs, out[i].p.vals = ix.decode(t, nil, nil)
	}
	return out
}

// longPhrases returns n phrases of three to five Han characters, cut from
// the text of evenly spaced sections (so each occurs at least once).
func longPhrases(secs []Section, n int) []string {
	var out []string
	for i := 0; i < n && len(secs) > 0; i++ {
		rs := []rune(secs[i*len(secs)/n].Text)
		want := 3 + i%3
		for start := (i * 37) % max(1, len(rs)); start+want <= len(rs); start++ {
			ok := true
			for _, r := range rs[start : start+want] {
				ok = ok && classify(r) == han
			}
			if ok {
				out = append(out, string(rs[start:start+want]))
				break
			}
		}
	}
	return out
}

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
	if _, err := e.search(q, resultsPerPage); err != nil {
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

// TestBytesPerQuery measures, on a 10,000-page corpus, what the first page
// of results of a two-character query downloads. Run with -v to see the
// distribution; it fails past the budget.
func TestBytesPerQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-page index")
	}
	secs := benchCorpus(t, 10000)
	files, err := Build(secs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Every 2-character Han token of the index, by descending frequency,
	// sampled: the common ones are the expensive ones.
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
	for i := 0; i < len(toks); i += max(1, len(toks)/200) {
		n, fetched := queryCost(t, files, gzSizes, toks[i].text)
		costs = append(costs, n)
		reqs = append(reqs, len(fetched))
	}
	slices.Sort(costs)
	slices.Sort(reqs)
	p := func(xs []int, q float64) int { return xs[int(float64(len(xs)-1)*q)] }
	t.Logf("%d files; 2-char queries (%d sampled): gzip bytes median %d p90 %d max %d; requests median %d max %d",
		len(files), len(costs), p(costs, .5), p(costs, .9), p(costs, 1), p(reqs, .5), p(reqs, 1))
	for _, q := range []string{"海外仓", "公办园", "高标准农田", "EOD", "发展"} {
		n, fetched := queryCost(t, files, gzSizes, q)
		t.Logf("%s: %d bytes gzip in %d requests", q, n, len(fetched))
	}
	if p(costs, .9) > 60<<10 {
		t.Errorf("p90 bytes per 2-character query = %d; budget 60 KiB", p(costs, .9))
	}
}

func mergeForTest(secs []Section) []token {
	toks, _ := merge(collect(secs, pageTitleCarriers(secs)))
	return toks
}

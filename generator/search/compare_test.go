package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// compareQuery is one query of the Pagefind comparison, with its ground
// truth and what plansite did with it; testdata/pagefind/pagefind.mjs
// adds Pagefind's figures to the same file.
type compareQuery struct {
	Q        string   `json:"q"`
	Pages    []string `json:"pages"`    // page URLs whose indexed text contains Q
	Sections int      `json:"sections"` // sections whose indexed text contains Q
	Plansite struct {
		Requests     int `json:"requests"`     // first page of results
		GzipBytes    int `json:"gzipBytes"`    // first page of results, gzip -6
		Sections     int `json:"sections"`     // true sections found (all pages of results)
		Pages        int `json:"pages"`        // true pages found
		FalseResults int `json:"falseResults"` // results without the query
	} `json:"plansite"`
}

// TestComparePagefind writes the query set and plansite's side of the
// Pagefind comparison (see testdata/pagefind/compare.sh, which runs it).
// It is a measurement, not a test: it runs only when
// PLANSITE_COMPARE_OUT names the output file and PLANSITE_BENCH_CORPUS a
// corpusgen plain layout.
func TestComparePagefind(t *testing.T) {
	out := os.Getenv("PLANSITE_COMPARE_OUT")
	if out == "" || os.Getenv("PLANSITE_BENCH_CORPUS") == "" {
		t.Skip("set PLANSITE_COMPARE_OUT and PLANSITE_BENCH_CORPUS to run the Pagefind comparison")
	}
	secs := benchCorpus(t, 10000)
	files, err := Build(secs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	carries := pageTitleCarriers(secs)
	folded := make([]string, len(secs))
	for i, s := range secs {
		f := Fold(s.Title) + "\n" + Fold(s.Text)
		if carries[i] {
			f += "\n" + Fold(s.PageTitle)
		}
		folded[i] = f
	}
	// Substrings of section text, all Han: 20 of two characters, 10 of
	// three to five, from a fixed seed.
	next := splitmix(20261129)
	var qs []string
	seen := map[string]bool{}
	for len(qs) < 30 {
		n := 2
		if len(qs) >= 20 {
			n = 3 + next(3)
		}
		rs := []rune(Fold(secs[next(len(secs))].Text))
		if len(rs) < n {
			continue
		}
		i := next(len(rs) - n + 1)
		q := string(rs[i : i+n])
		if !allHan(rs[i:i+n]) || seen[q] {
			continue
		}
		seen[q] = true
		qs = append(qs, q)
	}
	gz := map[string]int{}
	var res []compareQuery
	sr := NewSearcher(files)
	for _, q := range qs {
		var cq compareQuery
		cq.Q = q
		truth := map[string]bool{}
		pages := map[string]bool{}
		for i, f := range folded {
			if strings.Contains(f, q) {
				truth[secs[i].URL] = true
				page, _, _ := strings.Cut(secs[i].URL, "#")
				pages[page] = true
			}
		}
		cq.Sections = len(truth)
		for p := range pages {
			cq.Pages = append(cq.Pages, p)
		}
		slices.Sort(cq.Pages)
		n, fetched := queryCost(t, files, gz, q)
		cq.Plansite.Requests, cq.Plansite.GzipBytes = len(fetched), n
		found := map[string]bool{}
		for _, x := range sr.Query(q) {
			if truth[x.URL] {
				cq.Plansite.Sections++
				page, _, _ := strings.Cut(x.URL, "#")
				found[page] = true
			} else {
				cq.Plansite.FalseResults++
			}
		}
		cq.Plansite.Pages = len(found)
		res = append(res, cq)
		t.Logf("%s: %d sections on %d pages; plansite %d requests %d B, found %d sections %d pages, %d false",
			q, cq.Sections, len(cq.Pages), cq.Plansite.Requests, n, cq.Plansite.Sections, cq.Plansite.Pages, cq.Plansite.FalseResults)
	}
	total := 0
	for _, b := range files {
		total += len(b)
	}
	doc := map[string]any{"files": len(files), "bytes": total, "queries": res}
	b, _ := json.MarshalIndent(doc, "", " ")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

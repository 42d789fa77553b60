package search

import (
	"slices"
	"strings"
	"testing"
)

// FuzzQuery feeds arbitrary queries to the query parser and to a search of
// the golden index: neither may panic, a parsed query's phrases are made
// of its tokens, and every result is a page of the index.
func FuzzQuery(f *testing.F) {
	files, err := Build(goldenSections, Options{})
	if err != nil {
		f.Fatal(err)
	}
	urls := map[string]bool{}
	for _, s := range goldenSections {
		urls[strings.SplitN(s.URL, "#", 2)[0]] = true
	}
	s := NewSearcher(files)
	for _, q := range []string{"海外仓", "公办学校与民办园协同", "ＥＯＤ", "2.76", "  ", "\xff", "a b c", "“就业”", "PM2.5", "就業"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		pq := parseQuery(q)
		for _, p := range pq.phrases {
			if len(p) == 0 {
				t.Fatalf("parseQuery(%q): an empty phrase", q)
			}
		}
		if len(pq.tokens) != len(slices.Compact(slices.Sorted(slices.Values(pq.tokens)))) {
			t.Fatalf("parseQuery(%q): tokens repeat: %q", q, pq.tokens)
		}
		if pq.exact {
			for _, p := range pq.phrases {
				if !slices.Contains(pq.tokens, string(p)) {
					t.Fatalf("parseQuery(%q): exact, yet phrase %q is no single token", q, string(p))
				}
			}
		}
		for _, r := range s.Query(q) {
			if !urls[strings.SplitN(r.URL, "#", 2)[0]] {
				t.Fatalf("Query(%q): result %q is no page of the index", q, r.URL)
			}
		}
	})
}

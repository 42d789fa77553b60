package search

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
)

// TestBuildFromMatchesBuildTo requires collectors to give BuildTo's files
// whatever way the sections are spread over them: at page boundaries (as
// the generator spreads them), through the middle of a page (whose title
// the first collector to see it carries), with collectors left empty, and
// with invalid UTF-8 (repaired, then counted again).
func TestBuildFromMatchesBuildTo(t *testing.T) {
	paged := pagedSections()
	bad := slices.Clone(goldenSections)
	bad[2].Text = "普惠性\xff幼儿园"
	bad[3].Title = "公办\xfe园"
	corpora := map[string][]Section{"golden": goldenSections, "paged": paged, "invalid": bad, "synth": synthCorpus(3)}
	opts := map[string]Options{
		"single":  {},
		"sharded": {ShardThreshold: 1, TokenShardBytes: 200, DocShardBytes: 300, ResultShardBytes: 4000},
	}
	for cname, secs := range corpora {
		for oname, opt := range opts {
			want, err := Build(secs, opt)
			if err != nil {
				t.Fatal(err)
			}
			n := len(secs)
			splits := map[string][]int{
				"one":         {n},
				"halves":      {n / 2, n - n/2},
				"each":        slices.Repeat([]int{1}, n),
				"empty first": {0, n / 3, 0, n - n/3},
				"mid page":    {1, n - 1}, // sections 0 and 1 are one page in golden
			}
			for sname, split := range splits {
				t.Run(fmt.Sprintf("%s/%s/%s", cname, oname, sname), func(t *testing.T) {
					var cs []*Collector
					lo := 0
					for _, k := range split {
						c := NewCollector()
						c.Add(secs[lo : lo+k]...)
						cs = append(cs, c)
						lo += k
					}
					got := make(map[string][]byte)
					var mu sync.Mutex
					err := BuildFrom(cs, opt, func(name string, data []byte) error {
						mu.Lock()
						got[name] = slices.Clone(data)
						mu.Unlock()
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
						t.Errorf("BuildFrom gave %d files unlike BuildTo's %d", len(got), len(want))
						for name := range want {
							if string(got[name]) != string(want[name]) {
								t.Logf("%s:\n got %.300s\nwant %.300s", name, got[name], want[name])
								break
							}
						}
					}
				})
			}
		}
	}
}

// TestBuildFromChecksSections requires BuildFrom to refuse what BuildTo
// refuses.
func TestBuildFromChecksSections(t *testing.T) {
	c := NewCollector()
	c.Add(Section{URL: "/a/", Text: "正文"}, Section{Title: "无地址", Text: "正文"})
	err := BuildFrom([]*Collector{c}, Options{}, func(string, []byte) error { return nil })
	if err == nil || err.Error() != `search: section 1 ("无地址"): empty URL` {
		t.Errorf("BuildFrom with an empty URL: %v", err)
	}
}

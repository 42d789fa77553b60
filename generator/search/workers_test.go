package search

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestOutputIndependentOfWorkers requires the index files to be the same
// however the documents are spread over the counting workers (one per
// core): halves, one each, empty workers, a page's sections split between
// two workers, and invalid UTF-8 (repaired, then counted again). The
// number of token shards once followed the number of cores.
func TestOutputIndependentOfWorkers(t *testing.T) {
	bad := slices.Clone(goldenSections)
	bad[2].Text = "普惠性\xff幼儿园"
	corpora := map[string][]Section{"golden": goldenSections, "paged": pagedSections(), "invalid": bad, "synth": synthCorpus(3)}
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
					got := buildSplit(t, secs, opt, split)
					if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
						t.Errorf("%d files, unlike one worker's %d", len(got), len(want))
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

// collectRange counts the sections lo to hi as one set, as one worker of
// collect would if no other took part of its range.
func collectRange(sections []Section, carries []bool, lens *docLengths, lo, hi int) *workerSet {
	var sp span
	sp.set(lo, hi)
	return collectSpan(sections, carries, lens, lo, &sp)
}

// buildSplit builds the index of secs with the documents counted by one
// worker per entry of split, each taking that many in order.
func buildSplit(t *testing.T, secs []Section, opt Options, split []int) map[string][]byte {
	t.Helper()
	secs, _ = validUTF8(secs, func(i int) bool { return !validShort(secs[i]) })
	sz := opt.sizes()
	carries := pageTitleCarriers(secs)
	lens := lengths(secs, carries)
	var sets []*workerSet
	lo := 0
	for _, k := range split {
		sets = append(sets, collectRange(secs, carries, lens, lo, lo+k))
		lo += k
	}
	got := make(map[string][]byte)
	var mu sync.Mutex
	err := finish(secs, carries, sets, hashDir(secs, sz, nil), sz, opt, func(name string, data []byte) error {
		mu.Lock()
		got[name] = slices.Clone(data)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestTopMatchesPostings checks the first page of results that the
// counting keeps for each Han token against one worked out from the
// token's whole posting list: title matches first, then the higher
// weight, then document order. Tokens found in more than a page of
// sections, with ties, and lists split among workers all occur.
func TestTopMatchesPostings(t *testing.T) {
	secs := synthCorpus(3)
	carries := pageTitleCarriers(secs)
	lens := lengths(secs, carries)
	n := len(secs)
	long := 0
	for _, split := range [][]int{{n}, {n / 2, n - n/2}, {n / 3, 0, n / 3, n - 2*(n/3)}} {
		var sets []*workerSet
		lo := 0
		for _, k := range split {
			sets = append(sets, collectRange(secs, carries, lens, lo, lo+k))
			lo += k
		}
		ix := merge(sets)
		for i := range ix.toks {
			tok := &ix.toks[i]
			if !hasResults(tok.text) {
				continue
			}
			docs, vals := ix.decode(tok, nil, nil)
			if len(docs) > resultsPerPage {
				long++
			}
			order := make([]int, len(docs))
			for k := range order {
				order[k] = k
			}
			key := func(v uint32) uint32 { return v&1<<3 | v>>1 }
			slices.SortStableFunc(order, func(a, b int) int { return int(key(vals[b])) - int(key(vals[a])) })
			var want []int32
			for _, k := range order[:min(len(order), resultsPerPage)] {
				want = append(want, docs[k])
			}
			if got := ix.top(tok); !slices.Equal(got, want) {
				t.Fatalf("split %v, %q: top %v; want %v", split, tok.text, got, want)
			}
		}
	}
	if long == 0 {
		t.Fatal("no token is found in more than a page of sections")
	}
}

// TestCollectSizesPostings checks that a worker sizes its posting lists
// from the first sixteenth of its text (see tally.reserve) rather than
// growing them by append alone, which allocated six times what they kept
// and set the collector marking the whole build's heap again and again.
func TestCollectSizesPostings(t *testing.T) {
	secs := benchCorpus(t, 2000)
	carries := pageTitleCarriers(secs)
	lens := lengths(secs, carries)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	set := collectRange(secs, carries, lens, 0, len(secs))
	runtime.ReadMemStats(&after)
	kept := 0
	for _, p := range set.post {
		kept += len(p)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d sections: %d bytes of postings kept, %d allocated", len(secs), kept, allocated)
	// The tables, the words' log and the tokens' text come on top of the
	// postings: on this corpus a collect allocates 5.4 times the postings
	// it keeps, and 8.8 times when they grow by append alone.
	if allocated > 7*uint64(kept) {
		t.Errorf("collect allocated %d bytes for %d bytes of postings; want at most seven times", allocated, kept)
	}
	// Sections of no length (as the counting tests give them) cannot be
	// sized from their share of the text: the range is counted unsized.
	raw := &docLengths{dl: make([]int32, len(secs)), raw: true}
	if got := collectRange(secs, carries, raw, 0, len(secs)); len(got.post) != len(set.post) {
		t.Errorf("with no lengths: %d tokens, want %d", len(got.post), len(set.post))
	}
}

// TestSpanHandsOutEachSectionOnce runs workers that claim sections and
// steal halves of each other's ranges, as collect's do, and requires
// every section to be claimed exactly once, each worker's claims in one
// set to be contiguous and ascending, and every worker to end with
// nothing left to steal. In the lopsided cases the first worker starts
// with every section, so the others have to steal.
func TestSpanHandsOutEachSectionOnce(t *testing.T) {
	for _, tc := range []struct {
		n, w     int
		lopsided bool
	}{{0, 2, false}, {1, 1, false}, {5000, 2, false}, {20000, 3, false}, {100000, 8, false}, {5000, 2, true}, {100000, 8, true}} {
		t.Run(fmt.Sprintf("%d/%d/%v", tc.n, tc.w, tc.lopsided), func(t *testing.T) {
			spans := make([]span, tc.w)
			start := func(k int) int { return tc.n * k / tc.w }
			if tc.lopsided {
				start = func(k int) int { return min(k, 1) * tc.n }
			}
			for k := range spans {
				end := tc.n
				if k+1 < tc.w {
					end = start(k + 1)
				}
				spans[k].set(start(k), end)
			}
			claimed := make([]int32, tc.n)
			var steals atomic.Int64
			var wg sync.WaitGroup
			for k := range tc.w {
				wg.Add(1)
				go func() {
					defer wg.Done()
					lo := start(k)
					for {
						next := lo
						for {
							id, ok := spans[k].claim()
							if !ok {
								break
							}
							if id != next {
								t.Errorf("worker %d: claimed %d after %d", k, id, next-1)
							}
							next = id + 1
							atomic.AddInt32(&claimed[id], 1)
							if id%97 == 0 {
								runtime.Gosched() // let the others steal mid-range
							}
						}
						var ok bool
						if lo, ok = steal(spans, k); !ok {
							return
						}
						steals.Add(1)
					}
				}()
			}
			wg.Wait()
			for id, c := range claimed {
				if c != 1 {
					t.Fatalf("section %d claimed %d times", id, c)
				}
			}
			for k := range spans {
				if l := spans[k].left(); l != 0 {
					t.Errorf("worker %d ended with %d left", k, l)
				}
			}
			t.Logf("%d steals", steals.Load())
			if tc.lopsided && steals.Load() < int64(tc.w-1) {
				t.Errorf("%d steals; each idle worker should have stolen", steals.Load())
			}
		})
	}
}

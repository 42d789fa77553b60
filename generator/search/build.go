package search

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Section is one search document: a `##` section of a page (or a page's
// text before its first `##`).
type Section struct {
	URL       string // "/topics/ecology/#持续打好污染防治攻坚战" style, already with fragment
	PageTitle string
	Title     string // section heading text (empty for a page's lead section)
	Text      string // plain text of the section, from the Markdown AST (no markup)
}

// Options tunes the index; the zero value gives sensible defaults.
type Options struct {
	// ShardThreshold is the size in bytes of the uncompressed index above
	// which it is split into shards; 0 means DefaultShardThreshold.
	ShardThreshold int
	// TokenShardBytes, DocShardBytes and ResultShardBytes are the target
	// uncompressed sizes of token, document and result shards; 0 means
	// the defaults. Smaller shards mean fewer bytes per query but more
	// files.
	TokenShardBytes, DocShardBytes, ResultShardBytes int
	// MaxShards bounds the number of shard files, however large the site:
	// past it, shards grow instead of multiplying. A quarter of them go
	// to tokens, an eighth to results and the rest to documents, which a
	// longer query fetches one per result shown. 0 means DefaultMaxShards;
	// the least is 8.
	MaxShards int
	// Synonyms map the words citizens type to the report's: a query for
	// one's Word also finds its Related words, ranked after its own
	// matches. They go into the manifest.
	Synonyms []Synonym
}

// Synonym is an everyday word and the words of the report it stands for.
type Synonym struct {
	Word    string
	Related []string
}

// DefaultMaxShards keeps the index to at most 8,193 files with the
// manifest. The 10,000-page benchmark corpus just reaches the bound on
// token and document shards (7,606 files); a larger site gets larger
// shards, so a query of several tokens downloads more.
const DefaultMaxShards = 8192

// DefaultShardThreshold keeps a site of a few hundred sections in one file
// (about a quarter of this after gzip).
const DefaultShardThreshold = 512 << 10

// Default shard sizes, in uncompressed bytes. They set the cost of one
// query on a large site: one token shard per query token and one document
// shard per result shown. Token shards gzip to about a third, document
// shards (text) to about a third.
const (
	defaultTokenShardBytes = 24 << 10
	defaultDocShardBytes   = 10 << 10
)

// BM25 parameters, the usual ones.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// workerSet is what one worker collects from a contiguous range of
// documents. Tokens get dense ids, Han tokens first and then words, each in
// order of first sight; text[id] is the token. Postings are kept from the
// start as the token shards hold them, in one byte slice per token: the
// index holds tens of millions of postings, and at two or three bytes each
// instead of the twenty of parallel int32 slices and a sort log, they stop
// dominating the build's memory.
type workerSet struct {
	// base is the id of the set's first document: the ids the set holds
	// (in postings and fffd) count from there.
	base int32
	text []string
	post [][]byte // per token: its postings as the token shard holds them (see postings.go)
	df   []int32  // postings per token
	last []int32  // per token: its last document, from base
	fffd []int32  // ascending ids of the documents whose text holds a U+FFFD, from base
	best [][]cand // per Han token: its first page of results in the set, documents from base
	// sorted lists the ids in text order: each worker sorts its own, and
	// merge only interleaves them.
	sorted []int32
}

// hanKey packs a Han unigram (r2 < 0) or bigram into a map key, so the hot
// loop allocates no strings.
func hanKey(r1, r2 rune) uint64 {
	if r2 < 0 {
		return uint64(r1)
	}
	return 1<<42 | uint64(r1)<<21 | uint64(r2)
}

// Build returns the index files to write, keyed by slash path relative to
// the site root ("search/manifest.json" and, for a sharded index, files
// under "search/<hash>/"). The output depends only on the sections, in
// order: document ids are positions in sections.
func Build(sections []Section, opt Options) (map[string][]byte, error) {
	files := make(map[string][]byte)
	var mu sync.Mutex
	err := BuildTo(sections, opt, func(name string, data []byte) error {
		data = bytes.Clone(data)
		mu.Lock()
		files[name] = data
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// BuildTo builds the files Build returns and hands each to emit as soon as
// it is encoded, so that a large index never has to be held whole. emit
// must not keep data after it returns: the buffer is reused for the next
// file (a large index would otherwise allocate its whole size again, and
// the collector would pay for it). emit is called from several goroutines
// at once, and its first error stops the build. The manifest comes last.
func BuildTo(sections []Section, opt Options, emit func(name string, data []byte) error) error {
	if err := checkSections(sections); err != nil {
		return err
	}
	// The short fields are checked here; the text, tens of megabytes, is
	// checked as it is folded (see collectRange), where an invalid byte
	// shows as U+FFFD, and only a text that showed one is checked again.
	sections, _ = validUTF8(sections, func(i int) bool { return !validShort(sections[i]) })
	sz := opt.sizes()
	// The shard folder's name hashes all the text: that runs beside the
	// tokenizing rather than after it.
	dir := hashDir(sections, sz, opt.Synonyms)
	carries := pageTitleCarriers(sections)
	return finish(sections, carries, collect(sections, carries, lengths(sections, carries)), dir, sz, opt, emit)
}

// checkSections rejects what no index can hold.
func checkSections(sections []Section) error {
	if len(sections) > math.MaxInt32/2 {
		return errors.New("search: too many sections")
	}
	for i, s := range sections {
		if s.URL == "" {
			return fmt.Errorf("search: section %d (%q): empty URL", i, s.Title)
		}
	}
	return nil
}

// validShort reports whether the fields of s but its text are valid UTF-8.
func validShort(s Section) bool {
	return utf8.ValidString(s.URL) && utf8.ValidString(s.PageTitle) && utf8.ValidString(s.Title)
}

// sizes returns the shard sizes opt asks for, defaults filled in.
func (opt Options) sizes() shardSizes {
	sz := shardSizes{opt.TokenShardBytes, opt.DocShardBytes, opt.ResultShardBytes, opt.MaxShards}
	if sz.token <= 0 {
		sz.token = defaultTokenShardBytes
	}
	if sz.doc <= 0 {
		sz.doc = defaultDocShardBytes
	}
	if sz.result <= 0 {
		sz.result = defaultResultShardBytes
	}
	if sz.max <= 0 {
		sz.max = DefaultMaxShards
	}
	sz.max = max(8, sz.max) // one of each kind at the least
	return sz
}

// hashDir computes the shard folder's name (shardDir) on a goroutine of
// its own.
func hashDir(sections []Section, sz shardSizes, syn []Synonym) <-chan string {
	c := make(chan string, 1)
	go func() { c <- shardDir(sections, syn, sz.token, sz.doc, sz.result, sz.max) }()
	return c
}

// finish writes the index of sections from the workers' sets, which hold
// them in order; dir is to yield the shard folder's name.
func finish(sections []Section, carries []bool, sets []*workerSet, dir <-chan string, sz shardSizes, opt Options, emit func(name string, data []byte) error) error {
	var fixed bool
	if sections, fixed = validUTF8(sections, func(i int) bool { return suspect(sets, i) && !utf8.ValidString(sections[i].Text) }); fixed {
		// Rare: count again what the repaired text holds, under the
		// folder name of the repaired sections.
		sets = collect(sections, carries, lengths(sections, carries))
		dir = hashDir(sections, sz, opt.Synonyms)
	}
	ix := merge(sets)

	n := len(sections)
	e := newEncoder(ix, n)
	docSizes := make([]int, n)
	for i, s := range sections {
		docSizes[i] = docSize(s)
	}

	threshold := opt.ShardThreshold
	if threshold <= 0 {
		threshold = DefaultShardThreshold
	}
	// Each estimate reads the start of a posting list that the counting
	// left cold: tens of thousands of cache misses, which one core alone
	// took a twentieth of the index's wall time to pay.
	var tokBytes atomic.Int64
	parallel(len(ix.toks), func(lo, hi int) {
		n := 0
		for i := lo; i < hi; i++ {
			n += ix.estimate(&ix.toks[i])
		}
		tokBytes.Add(int64(n))
	})
	tb := int(tokBytes.Load())
	total := tb
	for _, s := range docSizes {
		total += s
	}
	if total <= threshold {
		return emit("search/manifest.json", single(e, sections, carries, opt.Synonyms))
	}
	// A shard's entries are separated by commas: one more byte each.
	return sharded(e, sections, tb+len(ix.toks), docSizes, carries, sz, <-dir, opt.Synonyms, emit)
}

// validUTF8 returns sections with every field of each section that bad
// reports replaced by its valid UTF-8 form (JSON and the browser need
// valid text), and whether it replaced any. It copies the slice before the
// first change, never editing the caller's.
func validUTF8(sections []Section, bad func(i int) bool) ([]Section, bool) {
	fixed := false
	for i := range sections {
		if !bad(i) {
			continue
		}
		if !fixed {
			sections, fixed = slices.Clone(sections), true
		}
		fix := func(x string) string { return strings.ToValidUTF8(x, "\uFFFD") }
		s := sections[i]
		sections[i] = Section{fix(s.URL), fix(s.PageTitle), fix(s.Title), fix(s.Text)}
	}
	return sections, fixed
}

// suspect reports whether section i folded to a U+FFFD, which an invalid
// byte folds to (and a valid U+FFFD too).
func suspect(sets []*workerSet, i int) bool {
	for _, s := range sets {
		if _, ok := slices.BinarySearch(s.fffd, int32(i)-s.base); ok {
			return true
		}
	}
	return false
}

// pageTitleCarriers marks the first section of each page (by URL without
// fragment): only it indexes the page title, so a query for the title finds
// the page once rather than once per section.
func pageTitleCarriers(sections []Section) []bool {
	seen := make(map[string]bool)
	out := make([]bool, len(sections))
	for i, s := range sections {
		page, _, _ := strings.Cut(s.URL, "#")
		if !seen[page] {
			seen[page] = true
			out[i] = s.PageTitle != ""
		}
	}
	return out
}

// parallel runs f over [0, n) in contiguous chunks, on one goroutine per
// CPU taking the next chunk as it finishes the last: the items can differ
// a lot in cost (a result shard is ten times a document shard), and fixed
// halves left one core idle for a large part of the encoding.
func parallel(n int, f func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), max(1, n/64))
	chunk := max(1, n/(8*w))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				f(lo, min(n, lo+chunk))
			}
		}()
	}
	wg.Wait()
}

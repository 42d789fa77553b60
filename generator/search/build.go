package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
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
	dir := hashDir(sections, sz)
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
func hashDir(sections []Section, sz shardSizes) <-chan string {
	c := make(chan string, 1)
	go func() { c <- shardDir(sections, sz.token, sz.doc, sz.result, sz.max) }()
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
		dir = hashDir(sections, sz)
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
		return emit("search/manifest.json", single(e, sections, carries))
	}
	// A shard's entries are separated by commas: one more byte each.
	return sharded(e, sections, tb+len(ix.toks), docSizes, carries, sz, <-dir, emit)
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

// collect tokenizes all sections in contiguous ranges, one set each, so
// that concatenating the sets' lists in order keeps document ids
// ascending. Each core starts on an equal share; one that runs out takes
// the second half of what another has left, as a set of its own. With
// fixed shares, a core slowed by the collector (or by another process)
// held up the end of the stage while the other sat idle for a tenth of
// the index's wall time.
func collect(sections []Section, carries []bool, lens *docLengths) []*workerSet {
	n := len(sections)
	w := min(runtime.GOMAXPROCS(0), max(1, n/64))
	spans := make([]span, w)
	for k := range spans {
		spans[k].set(n*k/w, n*(k+1)/w)
	}
	var (
		mu   sync.Mutex
		sets []*workerSet
		wg   sync.WaitGroup
	)
	for k := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo := n * k / w
			for {
				set := collectSpan(sections, carries, lens, lo, &spans[k])
				mu.Lock()
				sets = append(sets, set)
				mu.Unlock()
				var ok bool
				if lo, ok = steal(spans, k); !ok {
					return
				}
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(sets, func(a, b *workerSet) int { return cmp.Compare(a.base, b.base) })
	return sets
}

// minSteal is the least number of sections worth a set of their own:
// about a hundredth of a second's counting.
const minSteal = 512

// steal moves the second half of the largest range left among spans into
// spans[k], which is used up, and returns its start; false if no range is
// worth splitting.
func steal(spans []span, k int) (int, bool) {
	for {
		best, most := -1, 0
		for j := range spans {
			if left := spans[j].left(); j != k && left > most {
				best, most = j, left
			}
		}
		if most < 2*minSteal {
			return 0, false
		}
		if lo, hi, ok := spans[best].split(minSteal); ok {
			spans[k].set(lo, hi)
			return lo, true
		}
		// The range changed meanwhile: look again.
	}
}

// span is a worker's range of sections still to count: the next in the
// low 32 bits, the end in the high. One word, so that the worker claiming
// its next section and another taking the range's second half can never
// both have it.
type span struct{ v atomic.Uint64 }

func (s *span) set(lo, hi int) { s.v.Store(uint64(hi)<<32 | uint64(lo)) }

func (s *span) left() int {
	v := s.v.Load()
	return max(0, int(v>>32)-int(uint32(v)))
}

// claim returns the next section and moves past it; false once the range
// is done.
func (s *span) claim() (int, bool) {
	for {
		v := s.v.Load()
		if uint32(v) >= uint32(v>>32) {
			return 0, false
		}
		if s.v.CompareAndSwap(v, v+1) {
			return int(uint32(v)), true
		}
	}
}

// split cuts the range short at the middle of what is left and returns
// the second half, if each half would hold at least that many sections.
func (s *span) split(least int) (lo, hi int, ok bool) {
	v := s.v.Load()
	next, end := int(uint32(v)), int(v>>32)
	if end-next < 2*least {
		return 0, 0, false
	}
	mid := next + (end-next)/2
	if !s.v.CompareAndSwap(v, uint64(mid)<<32|uint64(next)) {
		return 0, 0, false
	}
	return mid, end, true
}

// collectSpan counts sections from lo for as long as sp hands them out.
func collectSpan(sections []Section, carries []bool, lens *docLengths, lo int, sp *span) *workerSet {
	t := newTally(lens.avg, lens.raw)
	t.dl = lens.dl[lo:]
	var total, seen int64
	left := sp.left()
	for _, l := range lens.dl[lo : lo+left] {
		total += int64(l)
	}
	// A small range is not worth sizing, and one whose sections are all
	// empty (or, for tests, have no lengths) cannot be sized from them.
	sized := left < 1024 || total == 0
	for {
		id, ok := sp.claim()
		if !ok {
			break
		}
		t.add(sections[id], carries[id])
		// A range cut short afterwards leaves its lists a little too
		// large: cuts come late, once a worker has run out.
		if seen += int64(t.dl[id-lo]); !sized && seen*16 >= total {
			t.reserve(float64(total) / float64(seen))
			sized = true
		}
	}
	set := t.finish()
	set.base = int32(lo)
	return set
}

// docLengths are BM25's document lengths: the characters of each
// document's indexed text (its page title if it carries it, its title and
// its text), and their mean. Counting characters rather than tokens lets
// a posting's weight be known as the posting is counted.
type docLengths struct {
	dl  []int32
	avg float64
	// raw makes the collected postings hold tf<<1 | title rather than
	// weights, for tests of the counting.
	raw bool
}

// runeCount is utf8.RuneCountInString of valid UTF-8 (an invalid byte
// counts as a character or not, as it happens), eight bytes at a time:
// the bytes that do not continue a character. utf8's, which checks every
// byte, was a twelfth of the index's time.
func runeCount(s string) int {
	const hi = 0x8080808080808080
	n := len(s)
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		n -= bits.OnesCount64(w &^ (w << 1) & hi) // 10xxxxxx: continuation bytes
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// lengths measures the documents of sections.
func lengths(sections []Section, carries []bool) *docLengths {
	dl := make([]int32, len(sections))
	parallel(len(sections), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			s := sections[i]
			n := runeCount(s.Title) + runeCount(s.Text)
			if carries[i] {
				n += runeCount(s.PageTitle)
			}
			dl[i] = int32(n)
		}
	})
	var sum float64
	for _, l := range dl {
		sum += float64(l)
	}
	avg := 1.0
	if sum > 0 {
		avg = sum / float64(len(dl))
	}
	return &docLengths{dl: dl, avg: avg}
}

// tally counts the documents of one worker, one at a time and in order.
// Han tokens and words are counted apart, each with ids of its own: a few
// thousand characters and bigrams take nearly every posting, and with ids
// of their own their counters stay in the cache rather than spread among
// tens of thousands of words, which are logged instead (see postWords).
type tally struct {
	set     *workerSet
	hs, ws  counter
	first   []int32 // per Han id: of a bigram, the id of its first character; else −1
	hanIDs  *idTable
	shortWs *idTable         // words of up to 7 bytes, by wordKey
	wordIDs map[string]int32 // longer words
	uniIDs  []int32          // id+1 of each BMP Han unigram below U+A000, 0 if none yet
	rs      []rune
	buf     []byte
	doc     int32 // the document being counted, from 0
	w       weigher
	// words logs each word counted, in document order; finish turns the
	// log into postings (see postWords).
	words []wordHit
	dl    []int32 // the length of each document, from 0
}

// wordHit is one occurrence of a word: its id<<1 | 1 in a title, and its
// document.
type wordHit struct{ id, doc int32 }

func newTally(avgdl float64, raw bool) *tally {
	return &tally{
		w:       weigher{avgdl: avgdl, raw: raw},
		set:     &workerSet{},
		hanIDs:  newIDTable(),
		shortWs: newIDTable(),
		wordIDs: make(map[string]int32),
		uniIDs:  make([]int32, 0xA000),
		hs:      counter{best: [][]cand{}},
	}
}

// uniID returns the id of the character r: from uniIDs for most, from the
// table for the rest.
func (t *tally) uniID(r rune) int32 {
	inArray := int(r) < len(t.uniIDs)
	if inArray && t.uniIDs[r] != 0 {
		return t.uniIDs[r] - 1
	}
	id := t.hanIDs.get(hanKey(r, -1), func() int32 {
		t.first = append(t.first, -1)
		return t.hs.add(string(r))
	})
	if inArray {
		t.uniIDs[r] = id + 1
	}
	return id
}

// bigramID returns the id of the bigram r1 r2, recording the id of r1
// beside a new one.
func (t *tally) bigramID(r1, r2 rune) int32 {
	return t.hanIDs.get(hanKey(r1, r2), func() int32 {
		u := t.uniID(r1)
		t.first = append(t.first, u)
		return t.hs.add(string([]rune{r1, r2}))
	})
}

// field counts one field of the current document. It is scan, unrolled
// for speed, plus every Han character alone; TestIndexTokensMatchScan
// keeps the two in step. The bulk of the text, common ideographs and the
// punctuation between them, is read straight from its bytes: each such
// character folds to itself (or, full-width, to its ASCII twin) when no
// combining mark follows it, as foldAppend would fold it. The rest is
// folded and counted by segment, each segment running to the next common
// ideograph: a boundary of folding and of every token but a run of Han
// characters, which prev carries on.
func (t *tally) field(text string, title uint32) {
	prev := rune(-1) // the last Han character read, if its run goes on
	for i := 0; i < len(text); {
		c := text[i]
		n, r := 1, rune(c)
		if c >= utf8.RuneSelf {
			if c < 0xE2 || c > 0xEF || i+2 >= len(text) || text[i+1]&0xC0 != 0x80 || text[i+2]&0xC0 != 0x80 {
				goto slow
			}
			n, r = 3, rune(c&0x0F)<<12|rune(text[i+1]&0x3F)<<6|rune(text[i+2]&0x3F)
			if r >= 0xFF01 && r <= 0xFF5E {
				r -= 0xFEE0 // full-width ASCII
			} else if (r < 0x4E00 || r > 0x9FFF) && !cjkPunct(r) {
				goto slow
			}
		}
		if r < utf8.RuneSelf && classify(r) != other {
			if c >= utf8.RuneSelf {
				goto slow // a full-width letter or digit
			}
			j, whole := asciiWord(text, i)
			if !whole {
				goto slow
			}
			if prev >= 0 {
				t.hs.count(t.uniID(prev), title)
				prev = -1
			}
			buf := t.buf[:0]
			for _, c := range []byte(text[i:j]) {
				if c-'A' < 26 {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
			}
			t.buf = buf
			t.word(buf, title)
			i = j
			continue
		}
		if k := i + n; k < len(text) && text[k] >= utf8.RuneSelf && (text[k] < 0xE4 || text[k] > 0xE9) {
			if m, _ := utf8.DecodeRuneInString(text[k:]); isMark(m) {
				goto slow
			}
		}
		if r >= 0x4E00 {
			// Every character but a run's last opens a bigram, and its
			// own count comes from the bigrams' at the end of the
			// document (see add): one count per character, not two.
			if prev >= 0 {
				id, ok := t.hanIDs.probe(hanKey(prev, r))
				if !ok {
					id = t.bigramID(prev, r)
				}
				t.hs.count(id, title)
			}
			prev = r
		} else if prev >= 0 {
			t.hs.count(t.uniID(prev), title)
			prev = -1
		}
		i += n
		continue
	slow:
		j := i + 1
		for j < len(text) && (text[j] < 0xE4 || text[j] > 0xE9 || commonHan(text, j) < 0) {
			j++
		}
		prev = t.segment(text[i:j], title, prev)
		i = j
	}
	if prev >= 0 {
		t.hs.count(t.uniID(prev), title)
	}
}

// cjkPunct reports whether r is punctuation that foldAppend keeps as it is
// and classify calls other: 、。《》「」『』【】—‘’“”.
func cjkPunct(r rune) bool {
	return r == 0x3001 || r == 0x3002 || r >= 0x3008 && r <= 0x3011 || r == 0x2014 ||
		r >= 0x2018 && r <= 0x2019 || r >= 0x201C && r <= 0x201D
}

// commonHan returns the ideograph of U+4E00–U+9FFF at s[i] if no mark can
// follow it (the next byte is ASCII, the lead byte of a character of
// U+4000–U+9FFF, or the end), else −1. Such an ideograph folds to itself
// and is Han.
func commonHan(s string, i int) rune {
	c := s[i]
	if c < 0xE4 || c > 0xE9 || i+2 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 ||
		i+3 < len(s) && s[i+3] >= utf8.RuneSelf && (s[i+3] < 0xE4 || s[i+3] > 0xE9) {
		return -1
	}
	r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
	if r < 0x4E00 {
		return -1
	}
	return r
}

// segment counts the tokens of seg, a stretch of a field between common
// ideographs. prev is the Han character before it if its run reaches seg;
// segment returns its own last Han character if the run reaches the end.
func (t *tally) segment(seg string, title uint32, prev rune) rune {
	rs := foldAppend(t.rs[:0], seg, nil, nil)
	t.rs = rs
	hs := &t.hs
	if prev >= 0 && len(rs) > 0 && classify(rs[0]) != han {
		hs.count(t.uniID(prev), title)
		prev = -1
	}
	for i := 0; i < len(rs); {
		switch classify(rs[i]) {
		case han:
			j := i + 1
			for j < len(rs) && (rs[j] >= 0x4E00 && rs[j] <= 0x9FFF || classify(rs[j]) == han) {
				j++
			}
			if prev >= 0 {
				hs.count(t.bigramID(prev, rs[i]), title)
			}
			for k := i; k+1 < j; k++ {
				hs.count(t.bigramID(rs[k], rs[k+1]), title)
			}
			if j == len(rs) {
				return rs[j-1]
			}
			hs.count(t.uniID(rs[j-1]), title)
			prev = -1
			i = j
		case word, digit:
			j := wordEnd(rs, i)
			buf := t.buf[:0]
			for _, r := range rs[i:j] {
				buf = utf8.AppendRune(buf, r)
			}
			t.buf = buf
			t.word(buf, title)
			i = j
		default:
			if rs[i] == utf8.RuneError && (len(t.set.fffd) == 0 || t.set.fffd[len(t.set.fffd)-1] != t.doc) {
				t.set.fffd = append(t.set.fffd, t.doc)
			}
			i++
		}
	}
	return prev
}

// word counts one occurrence of the word w.
func (t *tally) word(w []byte, title uint32) {
	ws := &t.ws
	var id int32
	if k, ok := wordKey(w); ok {
		if id, ok = t.shortWs.probe(k); !ok {
			id = t.shortWs.get(k, func() int32 { return ws.add(string(w)) })
		}
	} else if id, ok = t.wordIDs[string(w)]; !ok {
		id = ws.add(string(w))
		t.wordIDs[string(w)] = id
	}
	t.words = append(t.words, wordHit{id<<1 | int32(title), t.doc})
}

// postWords writes the words' postings from their log. Counting a word
// in place, like a Han token, touches its counter when it is seen and its
// postings at the end of the document: tens of thousands of words are
// too many for the cache, and both missed it. Sorted by word (counting
// sort keeps each word's documents in order), the log writes each list
// in one go.
func (t *tally) postWords() {
	ws := &t.ws
	start := make([]int32, len(ws.st)+1)
	for _, h := range t.words {
		start[h.id>>1+1]++
	}
	for id := range ws.st {
		start[id+1] += start[id]
	}
	sorted := make([]wordHit, len(t.words))
	at := slices.Clone(start[:len(ws.st)])
	for _, h := range t.words {
		sorted[at[h.id>>1]] = h
		at[h.id>>1]++
	}
	t.words = nil
	for id := range ws.st {
		st := &ws.st[id]
		hits := sorted[start[id]:start[id+1]]
		for k := 0; k < len(hits); {
			doc, tf := hits[k].doc, uint32(0)
			for ; k < len(hits) && hits[k].doc == doc; k++ {
				tf += 2
				tf |= uint32(hits[k].id & 1)
			}
			st.post = appendNum(appendNum(st.post, t.w.valueIn(tf, t.dl[doc])), uint32(doc-st.last))
			st.df++
			st.last = doc
		}
	}
}

// asciiWord returns the end of the word of ASCII letters and digits that
// starts at s[i], and whether it is all there is of the word: it is not
// if a character that may continue it (a mark, a letter or digit beyond
// ASCII, a full-width digit after "." or ",") follows, which only
// folding can tell. A common ideograph ends a word.
func asciiWord(s string, i int) (int, bool) {
	j := i + 1
	for j < len(s) {
		c := s[j]
		if c-'0' < 10 || c|0x20-'a' < 26 {
			j++
			continue
		}
		if (c == '.' || c == ',') && s[j-1]-'0' < 10 && j+1 < len(s) && s[j+1]-'0' < 10 {
			j += 2
			continue
		}
		break
	}
	if j < len(s) {
		if c := s[j]; c >= utf8.RuneSelf && commonHan(s, j) < 0 ||
			(c == '.' || c == ',') && j+1 < len(s) && s[j+1] >= utf8.RuneSelf {
			return j, false
		}
	}
	return j, true
}

// add counts the next document; carries tells whether it indexes the
// page title.
func (t *tally) add(s Section, carries bool) {
	if !t.w.raw {
		t.w.setDoc(t.dl[t.doc])
	}
	if carries {
		t.field(s.PageTitle, 1)
	}
	t.field(s.Title, 1)
	t.field(s.Text, 0)
	// A character's count is that of the bigrams it opens plus its count
	// as the last of a run, and it is in the title if one of them is. The
	// characters this appends to touched are not visited by this loop,
	// which has nothing to do for them.
	hs := &t.hs
	for _, id := range hs.touched {
		if u := t.first[id]; u >= 0 {
			su, st := &hs.st[u], &hs.st[id]
			if su.tf == 0 {
				hs.touched = append(hs.touched, u)
			}
			su.tf += st.tf &^ 1
			su.tf |= st.tf & 1
		}
	}
	hs.flush(t.doc, &t.w)
	t.doc++
}

// reserve grows the Han tokens' posting lists and the words' log, once
// a sixteenth of the text is counted, to what the rest should need: the
// text seen so far times f, plus a tenth. Grown by append alone, a long
// list passed through a dozen sizes, and a collect allocated six times
// the postings it kept (203 MB on the benchmark corpus), which set the
// collector marking the whole build's heap again and again.
func (t *tally) reserve(f float64) {
	f *= 1.1
	for i := range t.hs.st {
		st := &t.hs.st[i]
		st.post = slices.Grow(st.post, more(len(st.post), f))
	}
	t.words = slices.Grow(t.words, more(len(t.words), f))
}

// more is how many elements to add to n to have n times f, none if f is
// not above 1.
func more(n int, f float64) int {
	if !(f > 1) {
		return 0
	}
	return int(float64(n)*f) - n
}

// finish returns what the tally counted, its tokens sorted by text.
func (t *tally) finish() *workerSet {
	set := t.set
	// The workers' ids: Han tokens first, then words.
	t.postWords()
	set.text = append(t.hs.text, t.ws.text...)
	n := len(set.text)
	set.post, set.df, set.last = make([][]byte, 0, n), make([]int32, 0, n), make([]int32, 0, n)
	t.hs.appendTo(set)
	t.ws.appendTo(set)
	set.best = t.hs.best
	set.sorted = make([]int32, len(set.text))
	for id := range set.sorted {
		set.sorted[id] = int32(id)
	}
	slices.SortFunc(set.sorted, func(a, b int32) int { return strings.Compare(set.text[a], set.text[b]) })
	return set
}

// counter counts one kind of token in the documents of one worker, and
// keeps their postings (see workerSet). Words use only its ids and
// postings: postWords counts them from a log.
type counter struct {
	text    []string
	st      []tokenState
	touched []int32 // ids with tf > 0
	// best, for the Han tokens' counter only, holds per token its
	// worker's first page of results of a query for it alone (see
	// offer); nil for words, which have no result entries.
	best [][]cand
}

// cand is a document of a token's first page of results and its rank key:
// 8 if the token is in the document's title, plus the posting's q. Title
// matches come first, then the higher q, then document order, as
// compareCandidates ranks them (a single token's idf is common to all its
// candidates).
type cand struct{ doc, key int32 }

// tokenState is what a counter keeps of one token, together: counting it
// in a document loads the line that flushing its posting then writes.
type tokenState struct {
	tf   uint32 // count << 1 | title, for the current document
	last int32  // the previous document holding it, for gaps
	df   int32
	// floor is the rank key a posting must pass to enter best once it is
	// full: most postings are turned away by this one comparison.
	floor int32
	post  []byte
}

// add gives the token with text t the next id.
func (c *counter) add(t string) int32 {
	c.text = append(c.text, t)
	c.st = append(c.st, tokenState{})
	if c.best != nil {
		c.best = append(c.best, nil)
	}
	return int32(len(c.text) - 1)
}

// count counts one occurrence of token id; title is 1 in a title.
func (c *counter) count(id int32, title uint32) {
	st := &c.st[id]
	if st.tf == 0 {
		c.touched = append(c.touched, id)
	}
	st.tf += 2
	st.tf |= title
}

// flush appends a posting in document doc to each token counted since the
// last flush, its value from w, and offers it to the token's first page.
func (c *counter) flush(doc int32, w *weigher) {
	for _, t := range c.touched {
		st := &c.st[t]
		v, gap := w.value(st.tf), uint32(doc-st.last)
		// Appending to st.post itself stores the slice's pointer only
		// when it grows: a store per posting would pay the GC's write
		// barrier whenever a collection is marking.
		if v|gap < 32 {
			st.post = append(st.post, postingDigits[v], postingDigits[gap])
		} else {
			st.post = appendNum(appendNum(st.post, v), gap)
		}
		st.df++
		st.last = doc
		st.tf = 0
		if key := int32(v&1)<<3 | int32(v>>1); key > st.floor {
			c.offer(t, doc, key)
		}
	}
	c.touched = c.touched[:0]
}

// offer puts document doc, of rank key, in token t's first page if it
// ranks there. Documents come in order, so a tie keeps the earlier one.
// Keeping the page while counting spares the encoder a second reading of
// every Han posting list.
func (c *counter) offer(t, doc, key int32) {
	best := c.best[t]
	j := len(best)
	for j > 0 && best[j-1].key < key {
		j--
	}
	if len(best) < resultsPerPage {
		best = append(best, cand{})
	}
	copy(best[j+1:], best[j:len(best)-1])
	best[j] = cand{doc, key}
	c.best[t] = best
	if len(best) == resultsPerPage {
		c.st[t].floor = best[len(best)-1].key
	}
}

// appendTo appends the counter's postings, document frequencies and last
// documents to set's.
func (c *counter) appendTo(set *workerSet) {
	for i := range c.st {
		set.post = append(set.post, c.st[i].post)
		set.df = append(set.df, c.st[i].df)
		set.last = append(set.last, c.st[i].last)
	}
}

// wordKey packs a word of up to seven bytes (most words and numbers of a
// report: 2023, 106.8, eod) into a nonzero idTable key, so that counting
// them skips hashing a string.
func wordKey(w []byte) (uint64, bool) {
	if len(w) > 7 {
		return 0, false
	}
	k := uint64(len(w)) << 56
	for i, c := range w {
		k |= uint64(c) << (8 * i)
	}
	return k, true
}

// token is one token of the whole index: its text and where each worker
// keeps its postings.
type token struct {
	text string
	df   int
	ids  []int32 // per worker: local id, or −1
}

// index is the merged result of collect: tokens sorted by text, and the
// workers' postings they point into.
type index struct {
	sets []*workerSet
	toks []token
}

// merge joins the workers' token lists, each sorted by text, into one;
// postings stay where the workers wrote them, read in worker order (which
// is document order).
func merge(sets []*workerSet) *index {
	ix := &index{sets: sets}
	w := len(sets)
	next := make([]int, w) // per worker: its next token in text order
	most, least := 0, 0    // the tokens of the sets together, at most and at least
	for _, s := range sets {
		most += len(s.sorted)
		least = max(least, len(s.sorted))
	}
	ix.toks = make([]token, 0, most)
	ids := make([]int32, 0, w*least) // w entries per token, carved below
	for {
		// The least text among the sets' next tokens; w is the number
		// of cores and a few sets stolen from them, so a scan.
		text, found := "", false
		for k, s := range sets {
			if next[k] < len(s.sorted) {
				if t := s.text[s.sorted[next[k]]]; !found || t < text {
					text, found = t, true
				}
			}
		}
		if !found {
			break
		}
		tok := token{text: text}
		for k, s := range sets {
			id := int32(-1)
			if next[k] < len(s.sorted) && s.text[s.sorted[next[k]]] == text {
				id = s.sorted[next[k]]
				next[k]++
				tok.df += int(s.df[id])
			}
			ids = append(ids, id)
		}
		ix.toks = append(ix.toks, tok)
	}
	for i := range ix.toks {
		ix.toks[i].ids = ids[i*w : (i+1)*w : (i+1)*w]
	}
	for _, s := range sets {
		s.text, s.sorted = nil, nil
	}
	return ix
}

// encoder writes token entries as `"text":[idf,"postings"]`.
//
// idf is 100·ln(1+(N−df+0.5)/(df+0.5)) rounded. The postings string holds,
// for each posting in document order, its weight and its gap from the
// previous document (the first from 0), as numbers in postingDigits. The
// weight is 2q+t: q in 1..7 is the BM25 term-frequency factor
// tf·(k1+1)/(tf+k1·(1−b+b·dl/avgdl)) scaled to 1..7, and t is 1 when the
// token is in the section's title. Scores are then integer sums, so Go and
// JS rank identically. The workers wrote their postings in this form as
// they counted (see weigher): an entry is their text joined, each
// worker's first gap written again from the previous worker's last
// document.
type encoder struct {
	ix *index
	n  int
}

// scratch is one worker's buffers for encoding shards.
type scratch struct {
	buf []byte // the shard being encoded, reused for the next
}

// newEncoder prepares the encoding of ix, an index of n documents.
func newEncoder(ix *index, n int) *encoder {
	return &encoder{ix: ix, n: n}
}

func (e *encoder) idf(t *token) int64 {
	df := float64(t.df)
	return max(1, int64(math.Round(math.Log(1+(float64(e.n)-df+0.5)/(df+0.5))*100)))
}

// appendEntry appends t's entry.
func (e *encoder) appendEntry(b []byte, t *token) []byte {
	b = appendJSONString(b, t.text)
	b = append(b, ":["...)
	b = strconv.AppendInt(b, e.idf(t), 10)
	b = append(b, ",\""...)
	e.ix.segments(t, func(v, gap uint32, rest []byte) {
		b = appendNum(b, v)
		b = appendNum(b, gap)
		b = append(b, rest...)
	})
	return append(b, "\"]"...)
}

// top returns the documents of the first page of results of a query for
// Han token t alone, best first: the best of the workers' pages, which
// come in document order.
func (ix *index) top(t *token) []int32 {
	var all []cand
	for k, id := range t.ids {
		if id >= 0 {
			s := ix.sets[k]
			for _, c := range s.best[id] {
				all = append(all, cand{s.base + c.doc, c.key})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b cand) int { return cmp.Compare(b.key, a.key) })
	top := make([]int32, min(len(all), resultsPerPage))
	for k := range top {
		top[k] = all[k].doc
	}
	return top
}

// estimate is the length of t's entry, but for its idf (counted as four
// digits): enough to decide how many token shards to cut, without encoding
// every entry twice. Like the entry, it counts each worker's first gap as
// one list holds it, from the previous worker's last document, so it does
// not depend on how the documents were spread over workers.
func (ix *index) estimate(t *token) int {
	size := 0
	ix.segments(t, func(v, gap uint32, rest []byte) {
		size += numLen(v) + numLen(gap) + len(rest)
	})
	return jsonStringLen(t.text) + len(`:[,""]`) + 4 + size
}

// segments calls f with each worker's postings of t, in document order:
// the worker's first posting's value and gap as one list holds it, from
// the previous worker's last document rather than from the worker's base,
// and the postings after it. A token entry is these first postings written
// again and the rest of each worker's text copied.
func (ix *index) segments(t *token, f func(v, gap uint32, rest []byte)) {
	prev := int32(0)
	for k, id := range t.ids {
		if id < 0 {
			continue
		}
		s := ix.sets[k]
		r := postingReader{p: s.post[id], doc: s.base}
		doc, v, _ := r.next()
		f(v, uint32(doc-prev), r.p[r.i:])
		prev = s.base + s.last[id]
	}
}

func decimalLen(v int64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// docSize returns the length of a document record (see appendDoc) but
// for its escapes, which are few in section text (a line break is two
// bytes): enough to cut the document shards and size their buffers.
// Counting the escapes too meant reading all the text once more, a
// twentieth of the index's time.
func docSize(s Section) int {
	return len(s.URL) + len(s.PageTitle) + len(s.Title) + len(s.Text) + len(`["","","","",0]`)
}

// appendDoc writes a document as [url, pageTitle, title, text, p], p being
// 1 when the page title is indexed with this section.
func appendDoc(b []byte, s Section, carries bool) []byte {
	b = appendDocHead(b, s)
	b = appendJSONString(b, s.Text)
	if carries {
		return append(b, ",1]"...)
	}
	return append(b, ",0]"...)
}

// appendDocHead writes `[url,pageTitle,title,`, how both a document and a
// result record begin.
func appendDocHead(b []byte, s Section) []byte {
	b = append(b, '[')
	b = appendJSONString(b, s.URL)
	b = append(b, ',')
	b = appendJSONString(b, s.PageTitle)
	b = append(b, ',')
	b = appendJSONString(b, s.Title)
	return append(b, ',')
}

// single writes a whole small index into the manifest.
func single(e *encoder, sections []Section, carries []bool) []byte {
	var b []byte
	b = append(b, `{"v":2,"n":`...)
	b = strconv.AppendInt(b, int64(e.n), 10)
	b = append(b, `,"tokens":{`...)
	for i := range e.ix.toks {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.appendEntry(b, &e.ix.toks[i])
	}
	b = append(b, `},"docs":[`...)
	for i, s := range sections {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendDoc(b, s, carries[i])
	}
	return append(b, "]}\n"...)
}

// sharded splits the index: tokens by FNV-1a hash into ts shards, documents
// by id into shards of dk, one-token results by hash into rs shards. All
// shards live in a directory named by shardDir, so they can be cached
// forever (dir is its name); only the manifest has a fixed name. Every file
// is encoded once, into a buffer its worker reuses, and handed to emit.
// tokBytes is the estimated size of all token entries, separators
// included.
func sharded(e *encoder, sections []Section, tokBytes int, docSizes []int, carries []bool, sz shardSizes, dir string, emit func(string, []byte) error) error {
	n := e.n
	docBytes := 0
	for _, s := range docSizes {
		docBytes += s + 1
	}
	ts := min(max(1, sz.max/4), max(1, (tokBytes+sz.token-1)/sz.token))
	dk := max(1, sz.doc*n/max(1, docBytes))
	if maxDocs := max(1, sz.max-sz.max/4-sz.max/8); (n+dk-1)/dk > maxDocs {
		dk = (n + maxDocs - 1) / maxDocs
	}
	dn := (n + dk - 1) / dk

	start, order := groupTokens(e.ix.toks, ts, nil)
	// Only some tokens have result entries (see hasResults).
	inResults := func(i int) bool { return hasResults(e.ix.toks[i].text) }

	// The first page of every one-token query, for the result shards,
	// found as the token shards are encoded.
	tops := make([][]int32, len(e.ix.toks))

	// Shard f is token shard f, document shard f-ts, or result shard
	// f-ts-dn. The token shards go first: then the posting lists can go
	// before the snippets of the result shards take their place.
	var (
		topSizes []int
		recs     [][][]byte
		rstart   []int
		rorder   []int32
		failed   atomic.Bool
		firstErr error
		errOnce  sync.Once
	)
	// send hands a shard to emit; after an error the rest are dropped.
	send := func(name string, data []byte) {
		if failed.Load() {
			return
		}
		if err := emit(dir+name, data); err != nil {
			errOnce.Do(func() { firstErr = err })
			failed.Store(true)
		}
	}
	encode := func(f int, sc *scratch) {
		if f < ts {
			// Every shard is built in a buffer the worker keeps; token
			// entries are not sized up front, which would decode every
			// posting list twice.
			b := append(sc.buf[:0], '{')
			for k, i := range order[start[f]:start[f+1]] {
				if k > 0 {
					b = append(b, ',')
				}
				if inResults(int(i)) {
					tops[i] = e.ix.top(&e.ix.toks[i])
				}
				b = e.appendEntry(b, &e.ix.toks[i])
			}
			sc.buf = append(b, '}', '\n')
			send(shardName('t', f), sc.buf)
			return
		}
		if r := f - ts - dn; r >= 0 {
			toks := rorder[rstart[r]:rstart[r+1]]
			sc.buf = encodeList(sc.buf, '{', '}', len(toks),
				func(k int) int { return topSizes[toks[k]] },
				func(b []byte, k int) []byte {
					i := toks[k]
					return appendTopEntry(b, &e.ix.toks[i], recs[i])
				})
			send(shardName('r', r), sc.buf)
			return
		}
		d := f - ts
		lo, hi := d*dk, min(n, (d+1)*dk)
		sc.buf = encodeList(sc.buf, '[', ']', hi-lo,
			func(k int) int { return docSizes[lo+k] },
			func(b []byte, k int) []byte { return appendDoc(b, sections[lo+k], carries[lo+k]) })
		send(shardName('d', d), sc.buf)
	}
	parallel(ts, func(lo, hi int) {
		var sc scratch
		for f := lo; f < hi; f++ {
			encode(f, &sc)
		}
	})
	e.ix.sets = nil // the posting lists, all written now

	recs = topRecords(e.ix.toks, tops, sections)
	topSizes = make([]int, len(tops))
	parallel(len(tops), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if inResults(i) {
				topSizes[i] = topEntrySize(&e.ix.toks[i], recs[i])
			}
		}
	})
	topBytes := 0
	for _, s := range topSizes {
		if s > 0 {
			topBytes += s + 1
		}
	}
	rn := min(max(1, sz.max/8), max(1, (topBytes+sz.result-1)/sz.result))
	rstart, rorder = groupTokens(e.ix.toks, rn, inResults)
	// The result shards first: each is worth about ten document shards,
	// and last they left one core alone with the final chunk.
	parallel(rn+dn, func(lo, hi int) {
		var sc scratch
		for f := lo; f < hi; f++ {
			if f < rn {
				encode(ts+dn+f, &sc)
			} else {
				encode(ts+f-rn, &sc)
			}
		}
	})
	if firstErr != nil {
		return firstErr
	}
	var m []byte
	m = append(m, `{"v":2,"n":`...)
	m = strconv.AppendInt(m, int64(n), 10)
	m = append(m, `,"dir":`...)
	m = appendJSONString(m, dir)
	m = append(m, `,"ts":`...)
	m = strconv.AppendInt(m, int64(ts), 10)
	m = append(m, `,"dk":`...)
	m = strconv.AppendInt(m, int64(dk), 10)
	m = append(m, `,"rs":`...)
	m = strconv.AppendInt(m, int64(rn), 10)
	m = append(m, "}\n"...)
	return emit("search/manifest.json", m)
}

// shardsPerFolder is how many shards of a kind share a folder (see
// shardName).
const shardsPerFolder = 64

// shardName is the path of shard n of a kind ('t', 'd' or 'r') in the
// shard folder: <kind><n/64>/<n>.json. Creating a file in a folder of
// thousands makes the file system search a large index for the name, and
// two workers writing into one folder wait on its lock. Writing the 6,542
// shards of the 10,000-page benchmark corpus 64 to a folder took 12–17%
// less CPU and 14–18% less wall time than all in one.
func shardName(kind byte, n int) string {
	return string(kind) + strconv.Itoa(n/shardsPerFolder) + "/" + strconv.Itoa(n) + ".json"
}

// shardSizes are the target uncompressed sizes of token, document and
// result shards, and the bound on their number (see Options).
type shardSizes struct {
	token, doc, result, max int
}

// formatVersion names the encoding of the shards. The shard folder is
// named after it and the inputs of the index, not after the shards (which
// would have to be held whole to be hashed before the first is written):
// change it whenever the same sections would give different shards.
// TestShardFolderFollowsFormat checks that it was.
const formatVersion = "plansite-search-10"

// shardDir is "search/<hash>/": the first 16 hex digits of the SHA-256 of
// formatVersion, the shard sizes and every section, so any change to what
// the shards hold gives a new folder, and the shards can be cached forever.
func shardDir(sections []Section, sizes ...int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %v %d\n", formatVersion, sizes, len(sections))
	// The hash takes bytes, not strings: the fields go through one buffer
	// rather than being converted, which allocated a copy of all the text.
	buf := make([]byte, 0, 64<<10)
	for _, s := range sections {
		for _, f := range [...]string{s.URL, s.PageTitle, s.Title, s.Text} {
			buf = binary.AppendUvarint(buf, uint64(len(f)))
			for f != "" {
				if len(buf) == cap(buf) {
					h.Write(buf)
					buf = buf[:0]
				}
				k := copy(buf[len(buf):cap(buf)], f)
				buf, f = buf[:len(buf)+k], f[k:]
			}
			if cap(buf)-len(buf) < binary.MaxVarintLen64 {
				h.Write(buf)
				buf = buf[:0]
			}
		}
	}
	h.Write(buf)
	return "search/" + hex.EncodeToString(h.Sum(nil))[:16] + "/"
}

// encodeList writes n entries, comma-separated between open and close and
// followed by a newline, into dst (reused from its start), grown once to
// the size they should take: size(k) is about the length of entry k (the
// buffer grows again if it falls short) and add appends it.
func encodeList(dst []byte, open, close byte, n int, size func(k int) int, add func(b []byte, k int) []byte) []byte {
	total := 3
	for k := range n {
		total += size(k) + 1
	}
	b := slices.Grow(dst[:0], total)
	b = append(b, open)
	for k := range n {
		if k > 0 {
			b = append(b, ',')
		}
		b = add(b, k)
	}
	return append(b, close, '\n')
}

// groupTokens assigns every token that keep accepts (every token if keep
// is nil) to one of count shards by the FNV-1a hash of its text, keeping
// text order inside each shard: shard f holds the tokens
// order[start[f]:start[f+1]].
func groupTokens(toks []token, count int, keep func(i int) bool) (start []int, order []int32) {
	const none = ^uint32(0)
	shardOf := make([]uint32, len(toks))
	start = make([]int, count+1)
	n := 0
	for i := range toks {
		if keep != nil && !keep(i) {
			shardOf[i] = none
			continue
		}
		shardOf[i] = fnv32(toks[i].text) % uint32(count)
		start[shardOf[i]+1]++
		n++
	}
	for i := 1; i <= count; i++ {
		start[i] += start[i-1]
	}
	order = make([]int32, n)
	at := slices.Clone(start[:count])
	for i, s := range shardOf {
		if s != none {
			order[at[s]] = int32(i)
			at[s]++
		}
	}
	return start, order
}

// jsonStringLen is len(appendJSONString(nil, s)).
func jsonStringLen(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		n += int(jsonExtra[s[i]])
	}
	return n
}

// jsonExtra is how many bytes appendJSONString adds to escape each byte.
var jsonExtra = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 5
	}
	t['\n'], t['\t'], t['"'], t['\\'] = 1, 1, 1, 1
	t['<'], t['>'], t['&'] = 5, 5, 5
	return t
}()

// appendJSONString appends s as a JSON string. Besides the required
// escapes it escapes <, > and & so the files are safe to inline in HTML.
func appendJSONString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	for start := 0; ; {
		i := nextEscape(s, start)
		b = append(b, s[start:i]...)
		if i == len(s) {
			return append(b, '"')
		}
		switch c := s[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
		}
		start = i + 1
	}
}

// nextEscape returns the index of the first byte of s from i on that
// appendJSONString escapes, or len(s). It reads eight bytes at a time:
// the index's biggest strings are section text, mostly Chinese, whose
// bytes are all above ASCII, with a line break every hundred or so.
func nextEscape(s string, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&highs == highs {
			continue // no ASCII byte
		}
		// A byte's high bit is set in m if it is below 0x20 or equal to
		// one of the five; a borrow can only set bits above a true match,
		// so the lowest set bit is always one.
		q, bs, lt, gt, amp := w^'"'*ones, w^'\\'*ones, w^'<'*ones, w^'>'*ones, w^'&'*ones
		m := (w-0x20*ones)&^w | (q-ones)&^q | (bs-ones)&^bs | (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if jsonExtra[b[i]] != 0 {
			return i
		}
	}
	return len(b)
}

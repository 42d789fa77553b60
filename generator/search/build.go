package search

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// TokenShardBytes and DocShardBytes are the target uncompressed sizes
	// of token and document shards; 0 means the defaults. Smaller shards
	// mean fewer bytes per query but more files.
	TokenShardBytes, DocShardBytes int
}

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

// posting lists of one token: parallel slices, ascending document ids.
type plist struct {
	docs []int32
	vals []uint32 // term frequency << 1 | 1 if the token is in a title
}

// shardSet is what one worker collects from a contiguous range of
// documents. Tokens get dense ids in order of first sight; names[id] is the
// token (a hanKey for Han tokens, else the word).
type shardSet struct {
	names []tokenName
	lists []plist
	dl    []int32 // token count of each document of the range
}

// postings is a worker's posting lists as one flat log in document order;
// a counting sort by token at the end of the range replaces growing
// thousands of slices.
type postings struct {
	tok  []int32
	doc  []int32
	vals []uint32
}

type tokenName struct {
	han  uint64
	word string
}

// hanKey packs a Han unigram (r2 < 0) or bigram into a map key, so the hot
// loop allocates no strings.
func hanKey(r1, r2 rune) uint64 {
	if r2 < 0 {
		return uint64(r1)
	}
	return 1<<42 | uint64(r1)<<21 | uint64(r2)
}

func hanText(k uint64) string {
	if k < 1<<42 {
		return string(rune(k))
	}
	return string([]rune{rune(k >> 21 & (1<<21 - 1)), rune(k & (1<<21 - 1))})
}

// Build returns the index files to write, keyed by slash path relative to
// the site root ("search/manifest.json" and, for a sharded index, files
// under "search/<hash>/"). The output depends only on the sections, in
// order: document ids are positions in sections.
func Build(sections []Section, opt Options) (map[string][]byte, error) {
	if len(sections) > math.MaxInt32/2 {
		return nil, errors.New("search: too many sections")
	}
	cloned := false
	for i, s := range sections {
		if s.URL == "" {
			return nil, fmt.Errorf("search: section %d (%q): empty URL", i, s.Title)
		}
		if !utf8.ValidString(s.URL) || !utf8.ValidString(s.PageTitle) || !utf8.ValidString(s.Title) || !utf8.ValidString(s.Text) {
			// JSON and the browser need valid UTF-8; copy, never edit the caller's slice.
			if !cloned {
				sections, cloned = slices.Clone(sections), true
			}
			fix := func(x string) string { return strings.ToValidUTF8(x, "\uFFFD") }
			sections[i] = Section{fix(s.URL), fix(s.PageTitle), fix(s.Title), fix(s.Text)}
		}
	}
	carries := pageTitleCarriers(sections)
	sets := collect(sections, carries)
	toks, dl := merge(sets)

	n := len(sections)
	var sum float64
	for _, l := range dl {
		sum += float64(l)
	}
	avgdl := 1.0
	if n > 0 && sum > 0 {
		avgdl = sum / float64(n)
	}
	entries := encodeTokens(toks, dl, avgdl, n)
	docs := make([][]byte, n)
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			docs[i] = encodeDoc(sections[i], carries[i])
		}
	})

	threshold := opt.ShardThreshold
	if threshold <= 0 {
		threshold = DefaultShardThreshold
	}
	total := 0
	for _, e := range entries {
		total += len(e.json)
	}
	for _, d := range docs {
		total += len(d)
	}
	if total <= threshold {
		return map[string][]byte{"search/manifest.json": single(n, entries, docs)}, nil
	}
	tsb, dsb := opt.TokenShardBytes, opt.DocShardBytes
	if tsb <= 0 {
		tsb = defaultTokenShardBytes
	}
	if dsb <= 0 {
		dsb = defaultDocShardBytes
	}
	return sharded(n, entries, docs, tsb, dsb), nil
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

// parallel runs f over [0, n) split into one contiguous range per CPU.
func parallel(n int, f func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), max(1, n/64))
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := n*k/w, n*(k+1)/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// collect tokenizes all sections, one contiguous range per worker, so that
// concatenating the workers' lists in order keeps document ids ascending.
func collect(sections []Section, carries []bool) []*shardSet {
	w := min(runtime.GOMAXPROCS(0), max(1, len(sections)/64))
	sets := make([]*shardSet, w)
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := len(sections)*k/w, len(sections)*(k+1)/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			sets[k] = collectRange(sections, carries, lo, hi)
		}()
	}
	wg.Wait()
	return sets
}

func collectRange(sections []Section, carries []bool, lo, hi int) *shardSet {
	set := &shardSet{dl: make([]int32, 0, hi-lo)}
	// Size the log from the text: about one posting per three bytes of
	// Chinese, so it rarely has to grow.
	est := 0
	for _, s := range sections[lo:hi] {
		est += (len(s.Title)+len(s.Text))/3 + 16
	}
	log := postings{make([]int32, 0, est), make([]int32, 0, est), make([]uint32, 0, est)}
	var (
		hanIDs  = newIDTable()
		wordIDs = make(map[string]int32)
		uniIDs  = make([]int32, 0xA000) // id+1 of each BMP Han unigram below U+A000, 0 if none yet
		tf      []uint32                // per id: count << 1 | title, for the current document
		touched []int32                 // ids with tf > 0
		rs      []rune
		buf     []byte
	)
	newID := func(n tokenName) int32 {
		set.names = append(set.names, n)
		tf = append(tf, 0)
		return int32(len(set.names) - 1)
	}
	count := func(id int32, title uint32) {
		if tf[id] == 0 {
			touched = append(touched, id)
		}
		tf[id] += 2
		tf[id] |= title
	}
	hanID := func(k uint64) int32 {
		return hanIDs.get(k, func() int32 { return newID(tokenName{han: k}) })
	}
	for id := lo; id < hi; id++ {
		s := sections[id]
		dl := 0
		// field indexes one field. It is scan, unrolled for speed, plus
		// every Han character alone; TestIndexTokensMatchScan keeps the two
		// in step.
		field := func(text string, title uint32) {
			rs = foldAppend(rs[:0], text, nil, nil)
			for i := 0; i < len(rs); {
				switch classify(rs[i]) {
				case han:
					j := i + 1
					for j < len(rs) && (rs[j] >= 0x4E00 && rs[j] <= 0x9FFF || classify(rs[j]) == han) {
						j++
					}
					dl += max(1, j-i-1)
					for k := i; k < j; k++ {
						r := rs[k]
						if int(r) < len(uniIDs) {
							if uniIDs[r] == 0 {
								uniIDs[r] = hanID(hanKey(r, -1)) + 1
							}
							count(uniIDs[r]-1, title)
						} else {
							count(hanID(hanKey(r, -1)), title)
						}
						if k+1 < j {
							count(hanID(hanKey(r, rs[k+1])), title)
						}
					}
					i = j
				case word, digit:
					j := wordEnd(rs, i)
					dl++
					buf = buf[:0]
					for _, r := range rs[i:j] {
						buf = utf8.AppendRune(buf, r)
					}
					w, ok := wordIDs[string(buf)]
					if !ok {
						w = newID(tokenName{word: string(buf)})
						wordIDs[string(buf)] = w
					}
					count(w, title)
					i = j
				default:
					i++
				}
			}
		}
		if carries[id] {
			field(s.PageTitle, 1)
		}
		field(s.Title, 1)
		field(s.Text, 0)
		set.dl = append(set.dl, int32(dl))
		for _, t := range touched {
			log.tok = append(log.tok, t)
			log.doc = append(log.doc, int32(id))
			log.vals = append(log.vals, min(tf[t], 1<<21-1))
			tf[t] = 0
		}
		touched = touched[:0]
	}
	// Counting sort of the log by token: exact-size lists in one allocation.
	n := make([]int, len(set.names)+1)
	for _, t := range log.tok {
		n[t+1]++
	}
	for i := 1; i < len(n); i++ {
		n[i] += n[i-1]
	}
	docs, vals := make([]int32, len(log.tok)), make([]uint32, len(log.tok))
	set.lists = make([]plist, len(set.names))
	for t := range set.lists {
		set.lists[t] = plist{docs[n[t]:n[t]:n[t+1]], vals[n[t]:n[t]:n[t+1]]}
	}
	for i, t := range log.tok {
		p := &set.lists[t]
		p.docs = append(p.docs, log.doc[i])
		p.vals = append(p.vals, log.vals[i])
	}
	return set
}

// token is a merged posting list with its text.
type token struct {
	text string
	p    plist
}

// merge joins the workers' lists in worker order and sorts tokens by text.
func merge(sets []*shardSet) ([]token, []int32) {
	var dl []int32
	index := make(map[tokenName]int)
	var toks []token
	var sizes []int
	for _, s := range sets {
		dl = append(dl, s.dl...)
		for id, name := range s.names {
			i, ok := index[name]
			if !ok {
				i = len(toks)
				index[name] = i
				text := name.word
				if text == "" {
					text = hanText(name.han)
				}
				toks = append(toks, token{text: text})
				sizes = append(sizes, 0)
			}
			sizes[i] += len(s.lists[id].docs)
		}
	}
	if len(sets) == 1 {
		for id := range sets[0].names {
			toks[id].p = sets[0].lists[id]
		}
	} else {
		total := 0
		for _, n := range sizes {
			total += n
		}
		docs, vals := make([]int32, total), make([]uint32, total)
		at := 0
		for i, n := range sizes {
			toks[i].p = plist{docs[at : at : at+n], vals[at : at : at+n]}
			at += n
		}
		for _, s := range sets {
			for id, name := range s.names {
				p := &toks[index[name]].p
				p.docs = append(p.docs, s.lists[id].docs...)
				p.vals = append(p.vals, s.lists[id].vals...)
			}
		}
	}
	slices.SortFunc(toks, func(a, b token) int { return strings.Compare(a.text, b.text) })
	return toks, dl
}

// entry is one token's JSON object member, ready to place in a shard.
type entry struct {
	text string
	json []byte
}

// encodeTokens writes each token as `"text":[idf,[gaps],"weights"]`.
//
// idf is 100·ln(1+(N−df+0.5)/(df+0.5)) rounded, and each weight is one hex
// digit 2q+t: q in 1..7 is the BM25 term-frequency factor
// tf·(k1+1)/(tf+k1·(1−b+b·dl/avgdl)) scaled to 1..7, and t is 1 when the
// token is in the section's title. Scores are then integer sums, so Go and
// JS rank identically.
func encodeTokens(toks []token, dl []int32, avgdl float64, n int) []entry {
	out := make([]entry, len(toks))
	parallel(len(toks), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			t := &toks[i]
			df := float64(len(t.p.docs))
			idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
			b := make([]byte, 0, 16+len(t.p.docs)*5)
			b = appendJSONString(b, t.text)
			b = append(b, ":["...)
			b = strconv.AppendInt(b, max(1, int64(math.Round(idf*100))), 10)
			b = append(b, ",["...)
			prev := int32(0)
			for k, d := range t.p.docs {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(d-prev), 10)
				prev = d
			}
			b = append(b, "],\""...)
			for k, v := range t.p.vals {
				tf := float64(v >> 1)
				norm := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(dl[t.p.docs[k]])/avgdl))
				q := min(7, 1+int(norm/(bm25K1+1)*7))
				b = append(b, "0123456789abcdef"[2*q+int(v&1)])
			}
			b = append(b, "\"]"...)
			out[i] = entry{t.text, b}
		}
	})
	return out
}

// encodeDoc writes a document as [url, pageTitle, title, text, p], p being
// 1 when the page title is indexed with this section.
func encodeDoc(s Section, carries bool) []byte {
	b := make([]byte, 0, len(s.URL)+len(s.PageTitle)+len(s.Title)+len(s.Text)+16)
	b = append(b, '[')
	b = appendJSONString(b, s.URL)
	b = append(b, ',')
	b = appendJSONString(b, s.PageTitle)
	b = append(b, ',')
	b = appendJSONString(b, s.Title)
	b = append(b, ',')
	b = appendJSONString(b, s.Text)
	if carries {
		b = append(b, ",1]"...)
	} else {
		b = append(b, ",0]"...)
	}
	return b
}

// single writes a whole small index into the manifest.
func single(n int, entries []entry, docs [][]byte) []byte {
	var b []byte
	b = append(b, `{"v":1,"n":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"tokens":{`...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e.json...)
	}
	b = append(b, `},"docs":[`...)
	for i, d := range docs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d...)
	}
	return append(b, "]}\n"...)
}

// sharded splits the index: tokens by FNV-1a hash into ts shards, documents
// by id into shards of dk. All shards live in a directory named after the
// hash of their contents, so they can be cached forever; only the manifest
// has a fixed name.
func sharded(n int, entries []entry, docs [][]byte, tokenShardBytes, docShardBytes int) map[string][]byte {
	tokBytes, docBytes := 0, 0
	for _, e := range entries {
		tokBytes += len(e.json) + 1
	}
	for _, d := range docs {
		docBytes += len(d) + 1
	}
	ts := max(1, (tokBytes+tokenShardBytes-1)/tokenShardBytes)
	dk := max(1, docShardBytes*n/max(1, docBytes))
	dn := (n + dk - 1) / dk

	// Size every file first, so each is written into one exact allocation.
	shardOf := make([]uint32, len(entries))
	sizes := make([]int, ts)
	for i, e := range entries {
		shardOf[i] = fnv32(e.text) % uint32(ts)
		sizes[shardOf[i]] += len(e.json) + 1
	}
	buckets := make([][]byte, ts)
	for i := range buckets {
		buckets[i] = make([]byte, 0, sizes[i]+2)
	}
	for i, e := range entries { // in text order, so each shard is sorted
		b := &buckets[shardOf[i]]
		if len(*b) == 0 {
			*b = append(*b, '{')
		} else {
			*b = append(*b, ',')
		}
		*b = append(*b, e.json...)
	}
	rel := make(map[string][]byte, ts+dn)
	var names []string
	for i, b := range buckets {
		if len(b) == 0 {
			b = append(b, '{')
		}
		name := "t" + strconv.Itoa(i) + ".json"
		rel[name] = append(b, "}\n"...)
		names = append(names, name)
	}
	for i := range dn {
		lo, hi := i*dk, min(n, (i+1)*dk)
		size := 3
		for _, d := range docs[lo:hi] {
			size += len(d) + 1
		}
		b := append(make([]byte, 0, size), '[')
		for id := lo; id < hi; id++ {
			if id > lo {
				b = append(b, ',')
			}
			b = append(b, docs[id]...)
		}
		name := "d" + strconv.Itoa(i) + ".json"
		rel[name] = append(b, "]\n"...)
		names = append(names, name)
	}
	h := sha256.New()
	for _, name := range names { // fixed order: t0.., d0..
		fmt.Fprintf(h, "%s %d\n", name, len(rel[name]))
		h.Write(rel[name])
	}
	dir := "search/" + hex.EncodeToString(h.Sum(nil))[:16] + "/"

	files := make(map[string][]byte, len(rel)+1)
	for name, b := range rel {
		files[dir+name] = b
	}
	var m []byte
	m = append(m, `{"v":1,"n":`...)
	m = strconv.AppendInt(m, int64(n), 10)
	m = append(m, `,"dir":`...)
	m = appendJSONString(m, dir)
	m = append(m, `,"ts":`...)
	m = strconv.AppendInt(m, int64(ts), 10)
	m = append(m, `,"dk":`...)
	m = strconv.AppendInt(m, int64(dk), 10)
	m = append(m, "}\n"...)
	files["search/manifest.json"] = m
	return files
}

// appendJSONString appends s as a JSON string. Besides the required
// escapes it escapes <, > and & so the files are safe to inline in HTML.
func appendJSONString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
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
	b = append(b, s[start:]...)
	return append(b, '"')
}

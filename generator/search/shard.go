package search

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// docSize returns the length of a document record (see appendDoc) but
// for its escapes, which are few in section text (a line break is two
// bytes): enough to cut the document shards and size their buffers,
// without reading all the text once more to count them.
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
func single(e *encoder, sections []Section, carries []bool, syn []Synonym) []byte {
	var b []byte
	b = append(b, `{"v":3,"n":`...)
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
	b = append(b, ']')
	if entries := synonymEntries(syn); len(entries) > 0 {
		b = append(b, `,"syn":`...)
		b = appendSynonymMap(b, entries)
	}
	return append(b, "}\n"...)
}

// sharded splits the index: tokens by FNV-1a hash into ts shards, documents
// by id into shards of dk, one-token results by hash into rs shards. All
// shards live in a directory named by shardDir, so they can be cached
// forever (dir is its name); only the manifest has a fixed name. Every file
// is encoded once, into a buffer its worker reuses, and handed to emit.
// tokBytes is the estimated size of all token entries, separators
// included.
func sharded(e *encoder, sections []Section, tokBytes int, docSizes []int, carries []bool, sz shardSizes, dir string, syn []Synonym, emit func(string, []byte) error) error {
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
	m = append(m, `{"v":3,"n":`...)
	m = strconv.AppendInt(m, int64(n), 10)
	m = append(m, `,"dir":`...)
	m = appendJSONString(m, dir)
	m = append(m, `,"ts":`...)
	m = strconv.AppendInt(m, int64(ts), 10)
	m = append(m, `,"dk":`...)
	m = strconv.AppendInt(m, int64(dk), 10)
	m = append(m, `,"rs":`...)
	m = strconv.AppendInt(m, int64(rn), 10)
	if entries := synonymEntries(syn); len(entries) > 0 {
		// The synonyms have a file of their own, which a query fetches
		// only when its word has a bit in "sb" and its own matches do not
		// fill the page: they cost the other queries 256 bytes.
		if err := emit(dir+synFile, append(appendSynonymMap(nil, entries), '\n')); err != nil {
			return err
		}
		m = append(m, `,"sb":"`...)
		m = append(m, synBits(entries)...)
		m = append(m, '"')
	}
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
const formatVersion = "plansite-search-11"

// shardDir is "search/<hash>/": the first 16 hex digits of the SHA-256 of
// formatVersion, the shard sizes, the synonyms and every section, so any
// change to what the shards hold gives a new folder, and the shards can be
// cached forever.
func shardDir(sections []Section, syn []Synonym, sizes ...int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %v %d\n", formatVersion, sizes, len(sections))
	h.Write(appendSynonymMap(nil, synonymEntries(syn)))
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

package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

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
// character folds to itself or its simplified form (or, full-width, to
// its ASCII twin) when no combining mark follows it, as foldAppend would
// fold it. The rest is
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
			r = simplify(r)
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
// or its simplified form (see simplify) and is Han.
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

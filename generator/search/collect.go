package search

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

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

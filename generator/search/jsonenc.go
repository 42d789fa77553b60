package search

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unsafe"
)

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

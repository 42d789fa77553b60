package search

import (
	"encoding/binary"
	"slices"
	"testing"
)

// TestPostingReader reads back postings on both sides of the one-byte fast
// path: gaps and values under and over 128, and a list ending in either.
func TestPostingReader(t *testing.T) {
	for _, postings := range [][][2]uint32{
		{{0, 2}},
		{{127, 127}},
		{{128, 2}},
		{{5, 3}, {200, 2}, {1, 300}, {127, 2}},
		{{1 << 20, 1<<21 - 1}, {3, 4}, {0x80, 0x7f}},
	} {
		var p []byte
		var want [][2]uint32
		doc := uint32(0)
		for _, g := range postings {
			p = binary.AppendUvarint(p, uint64(g[0]))
			p = binary.AppendUvarint(p, uint64(g[1]))
			doc += g[0]
			want = append(want, [2]uint32{doc, g[1]})
		}
		var got [][2]uint32
		r := postingReader{p: p}
		for d, v, ok := r.next(); ok; d, v, ok = r.next() {
			got = append(got, [2]uint32{uint32(d), v})
		}
		if !slices.Equal(got, want) {
			t.Errorf("postings %v read back as %v; want %v", postings, got, want)
		}
	}
}

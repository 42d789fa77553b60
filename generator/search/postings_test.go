package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPostingReader reads back postings on both sides of the one-digit
// fast path: gaps and values under and over 32, and a list ending in
// either.
func TestPostingReader(t *testing.T) {
	for _, postings := range [][][2]uint32{
		{{0, 2}},
		{{31, 31}},
		{{32, 2}},
		{{2, 32}},
		{{5, 3}, {200, 2}, {1, 300}, {31, 2}},
		{{1 << 20, 1<<21 - 1}, {3, 4}, {32, 31}},
		{{1<<31 - 1, 1<<32 - 1}},
	} {
		var p []byte
		var want [][2]uint32
		doc := uint32(0)
		for _, g := range postings {
			p = appendNum(p, g[1])
			p = appendNum(p, g[0])
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

// TestAppendNum checks numbers against their length and digits: five bits
// a digit, least significant first, 32 added to all but the last.
func TestAppendNum(t *testing.T) {
	for _, c := range []struct {
		v    uint32
		want string
	}{{0, "0"}, {9, "9"}, {15, "f"}, {31, "v"}, {32, "w1"}, {33, "x1"}, {1023, "_v"}, {1024, "ww1"}, {1<<32 - 1, "______3"}} {
		if got := string(appendNum([]byte("x"), c.v)); got != "x"+c.want {
			t.Errorf("appendNum(%d) = %q; want %q", c.v, got[1:], c.want)
		}
		if n := numLen(c.v); n != len(c.want) {
			t.Errorf("numLen(%d) = %d; want %d", c.v, n, len(c.want))
		}
	}
}

// TestRuneCount checks runeCount against utf8 on text of every length
// around its eight-byte steps.
func TestRuneCount(t *testing.T) {
	text := "海外仓ＥＯＤ 2.76万亩，𠀀é"
	for i := range len(text) + 1 {
		for _, s := range []string{text[:i], text[i:], strings.Repeat("a中", i)} {
			if s = strings.ToValidUTF8(s, ""); runeCount(s) != utf8.RuneCountInString(s) {
				t.Errorf("runeCount(%q) = %d; want %d", s, runeCount(s), utf8.RuneCountInString(s))
			}
		}
	}
}

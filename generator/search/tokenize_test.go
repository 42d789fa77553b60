package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// vectors is testdata/tokenizer_vectors.json, shared with the JS tests.
type vectors struct {
	Tokens []struct {
		In   string  `json:"in"`
		Want [][]any `json:"want"`
	} `json:"tokens"`
	Hashes     map[string]uint32 `json:"hashes"`
	FoldRanges [][2]rune         `json:"foldRanges"`
	FoldDigest string            `json:"foldDigest"`
}

func readVectors(t *testing.T) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/tokenizer_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTokensVectors(t *testing.T) {
	for _, tc := range readVectors(t).Tokens {
		got := [][]any{}
		for _, tok := range Tokens(tc.In) {
			got = append(got, []any{tok.Text, float64(tok.Pos)})
		}
		if !reflect.DeepEqual(got, tc.Want) {
			t.Errorf("Tokens(%q) = %v; want %v", tc.In, got, tc.Want)
		}
	}
}

func TestHashVectors(t *testing.T) {
	for s, want := range readVectors(t).Hashes {
		if got := fnv32(s); got != want {
			t.Errorf("fnv32(%q) = %d; want %d", s, got, want)
		}
	}
}

// foldDigest hashes the fold and class of every code point of ranges; the
// JS test computes the same.
func foldDigest(ranges [][2]rune) string {
	h := sha256.New()
	for _, rg := range ranges {
		for r := rg[0]; r <= rg[1]; r++ {
			if r >= 0xD800 && r < 0xE000 {
				continue
			}
			fmt.Fprintf(h, "%x %d", r, classify(r))
			for _, c := range foldAppend(nil, string(r), nil, nil) {
				fmt.Fprintf(h, " %x", c)
			}
			h.Write([]byte{'\n'})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestFoldDigest(t *testing.T) {
	v := readVectors(t)
	if got := foldDigest(v.FoldRanges); got != v.FoldDigest {
		t.Errorf("foldDigest = %s; want %s (from tokenizer_vectors.json)", got, v.FoldDigest)
	}
}

// TestFastPaths checks the shortcuts of foldAppend and classify against
// the general definitions they skip.
func TestFastPaths(t *testing.T) {
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		if s := string(r); norm.NFKC.String(s) != s || unicode.ToLower(r) != r || unicode.Is(unicode.M, r) {
			t.Errorf("U+%04X: not NFKC-stable, caseless and unmarked", r)
		}
	}
	for _, r := range []rune("、。〈〉《》「」『』【】—‘’“”") {
		if s := string(r); norm.NFKC.String(s) != s || unicode.ToLower(r) != r || unicode.Is(unicode.M, r) {
			t.Errorf("U+%04X: not NFKC-stable, caseless and unmarked", r)
		}
	}
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if !unicode.Is(unicode.Han, r) {
			t.Errorf("U+%04X: not Han", r)
		}
	}
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		if got, want := norm.NFKC.String(string(r)), string(r-0xFEE0); got != want {
			t.Errorf("NFKC(U+%04X) = %q; want %q", r, got, want)
		}
	}
	for r := rune(0); r <= 0xFFFF; r++ {
		if (r < 0x300 || r >= 0xFF00 && r <= 0xFF9D) && unicode.Is(unicode.M, r) {
			t.Errorf("U+%04X: a mark the fast path misses", r)
		}
		if r >= 0x2000 && r <= 0x206F || r >= 0x3000 && r <= 0x3004 || r >= 0x3008 && r <= 0x3020 {
			if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
				t.Errorf("U+%04X: classified other but is a letter, number or mark", r)
			}
		}
	}
}

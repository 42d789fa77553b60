package search

import (
	"encoding/hex"
	"strings"
)

// synFile is the name of the synonyms file in a sharded index's folder.
const synFile = "syn.json"

// synBitCount is the number of bits of the manifest's "sb".
const synBitCount = 1024

// synKey is the key under which the index keeps the synonyms of a word,
// and a query looks them up: its folded form, spaces trimmed.
func synKey(s string) string {
	return strings.TrimSpace(Fold(s))
}

// synEntry is a word's synonyms as the index holds them.
type synEntry struct {
	key     string   // synKey of the word
	related []string // the related words as written
}

// synonymEntries returns the entries of syn in order: words folding alike
// are one entry, their related words joined in order; a related word
// folding to its own key, or twice, is left out, and so is a word left
// with none.
func synonymEntries(syn []Synonym) []synEntry {
	var out []synEntry
	at := make(map[string]int)
	seen := make(map[string]map[string]bool)
	for _, s := range syn {
		k := synKey(s.Word)
		if k == "" {
			continue
		}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			seen[k] = map[string]bool{k: true}
			out = append(out, synEntry{key: k})
		}
		for _, r := range s.Related {
			if f := synKey(r); f != "" && !seen[k][f] {
				seen[k][f] = true
				out[i].related = append(out[i].related, strings.TrimSpace(r))
			}
		}
	}
	kept := out[:0]
	for _, e := range out {
		if len(e.related) > 0 {
			kept = append(kept, e)
		}
	}
	return kept
}

// appendSynonymMap appends {"<key>": ["<related>", …], …}.
func appendSynonymMap(b []byte, entries []synEntry) []byte {
	b = append(b, '{')
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.key)
		b = append(b, ":["...)
		for j, r := range e.related {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, r)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// synBits returns the manifest's "sb": synBitCount bits in hex, bit
// FNV-1a-32(key) mod synBitCount set for every key, bit i being bit i mod
// 4 of hex digit i/4 (0 the least significant).
func synBits(entries []synEntry) string {
	var bits [synBitCount / 4]byte
	for _, e := range entries {
		i := fnv32(e.key) % synBitCount
		bits[i/4] |= 1 << (i % 4)
	}
	out := make([]byte, len(bits))
	for i, v := range bits {
		out[i] = hex.EncodeToString([]byte{v})[1]
	}
	return string(out)
}

// synBit reports whether sb has the bit of key.
func synBit(sb, key string) bool {
	i := fnv32(key) % synBitCount
	if int(i/4) >= len(sb) {
		return false
	}
	d := strings.IndexByte("0123456789abcdef", sb[i/4])
	return d >= 0 && d>>(i%4)&1 == 1
}

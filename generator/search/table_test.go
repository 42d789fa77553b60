package search

import "testing"

// TestIDTableNestedAdd gets keys whose add gets another new key of the same
// table first, as a new bigram does with its first character, through
// several growths of the table; every key must keep the id it was given.
func TestIDTableNestedAdd(t *testing.T) {
	tab := newIDTable()
	ids := map[uint64]int32{}
	next := int32(0)
	assign := func(k uint64) int32 {
		ids[k] = next
		next++
		return ids[k]
	}
	for k := uint64(1); k <= 20000; k++ {
		tab.get(k, func() int32 {
			// Every outer key adds an inner one first: the table then
			// crosses each of its growth thresholds (an odd count) inside
			// the outer add.
			inner := k + 1<<40
			tab.get(inner, func() int32 { return assign(inner) })
			return assign(k)
		})
	}
	if len(ids) != 40000 {
		t.Fatalf("only %d keys added", len(ids))
	}
	for k, want := range ids {
		got := tab.get(k, func() int32 {
			t.Fatalf("key %d lost", k)
			return -1
		})
		if got != want {
			t.Fatalf("key %d: id %d; want %d", k, got, want)
		}
	}
	if tab.n != len(ids) {
		t.Errorf("table counts %d keys; want %d", tab.n, len(ids))
	}
}

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
	// probe finds a key in its own slot or reports it absent, never a
	// wrong id; most of these keys sit in their own slot.
	found := 0
	for k, want := range ids {
		if got, ok := tab.probe(k); ok {
			found++
			if got != want {
				t.Fatalf("probe(%d) = %d; want %d", k, got, want)
			}
		}
	}
	if found < len(ids)/2 {
		t.Errorf("probe found %d of %d keys", found, len(ids))
	}
	for k := uint64(1 << 41); k < 1<<41+1000; k++ {
		if _, ok := tab.probe(k); ok {
			t.Fatalf("probe(%d) finds a key never added", k)
		}
	}
	if tab.n != len(ids) {
		t.Errorf("table counts %d keys; want %d", tab.n, len(ids))
	}
}

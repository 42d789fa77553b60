package search

// idTable maps packed token keys (never 0) to dense ids. It is an
// open-addressing hash table with linear probing: the indexer looks up
// every bigram and word of the site, and this is several times faster than
// a Go map for that one job. A key and its id share a slot, so a lookup
// of the words' table, too large for the cache, misses it once, not twice.
type idTable struct {
	slots []idSlot
	n     int
	shift uint // 64 − log2(len(slots)): multiplicative hashing keeps the top bits
}

type idSlot struct {
	key uint64
	id  int32
}

func newIDTable() *idTable {
	return &idTable{slots: newSlots(1 << 12), shift: 64 - 12}
}

// newSlots returns n empty slots, written before they are read. Memory
// fresh from the system is mapped to a shared page of zeros when it is
// first read, as a lookup reads a new table, and its first write then
// costs a second page fault and a TLB flush on every core: in a 10,000-page
// build on a 2-core virtual machine, those took 2.4% of the index's CPU,
// nearly all of it in the words' table as it grew.
func newSlots(n int) []idSlot {
	s := make([]idSlot, n)
	clear(s)
	return s
}

// probe returns the id of k if k sits in its own slot, as most keys do:
// small enough to inline, it spares the hot loop get's call.
func (t *idTable) probe(k uint64) (int32, bool) {
	s := &t.slots[k*0x9E3779B97F4A7C15>>t.shift]
	if s.key == k {
		return s.id, true
	}
	return 0, false
}

// get returns the id of k, calling add to assign one if k is new. add may
// itself get other keys of t (a new bigram gets the id of its first
// character): the new key's slot is found after add returns.
func (t *idTable) get(k uint64, add func() int32) int32 {
	mask := uint64(len(t.slots) - 1)
	for i := k * 0x9E3779B97F4A7C15 >> t.shift; ; i = (i + 1) & mask {
		switch s := &t.slots[i]; s.key {
		case k:
			return s.id
		case 0:
			id := add()
			t.put(k, id)
			if t.n++; t.n*2 > len(t.slots) {
				t.grow()
			}
			return id
		}
	}
}

// put stores the id of k, which t does not hold, in the first free slot
// from k's own.
func (t *idTable) put(k uint64, id int32) {
	mask := uint64(len(t.slots) - 1)
	i := k * 0x9E3779B97F4A7C15 >> t.shift
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = idSlot{k, id}
}

func (t *idTable) grow() {
	old := t.slots
	t.slots = newSlots(2 * len(old))
	t.shift--
	for _, s := range old {
		if s.key != 0 {
			t.put(s.key, s.id)
		}
	}
}

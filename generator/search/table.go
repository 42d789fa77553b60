package search

// idTable maps packed Han token keys (never 0) to dense ids. It is an
// open-addressing hash table with linear probing: the indexer looks up
// every bigram of the site, and this is several times faster than a Go
// map for that one job.
type idTable struct {
	keys  []uint64
	ids   []int32
	n     int
	shift uint // 64 − log2(len(keys)): multiplicative hashing keeps the top bits
}

func newIDTable() *idTable {
	return &idTable{keys: make([]uint64, 1<<12), ids: make([]int32, 1<<12), shift: 64 - 12}
}

// probe returns the id of k if k sits in its own slot, as most keys do:
// small enough to inline, it spares the hot loop get's call.
func (t *idTable) probe(k uint64) (int32, bool) {
	i := k * 0x9E3779B97F4A7C15 >> t.shift
	if t.keys[i] == k {
		return t.ids[i], true
	}
	return 0, false
}

// get returns the id of k, calling add to assign one if k is new. add may
// itself get other keys of t (a new bigram gets the id of its first
// character): the new key's slot is found after add returns.
func (t *idTable) get(k uint64, add func() int32) int32 {
	mask := uint64(len(t.keys) - 1)
	for i := k * 0x9E3779B97F4A7C15 >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.ids[i]
		case 0:
			id := add()
			t.put(k, id)
			if t.n++; t.n*2 > len(t.keys) {
				t.grow()
			}
			return id
		}
	}
}

// put stores the id of k, which t does not hold, in the first free slot
// from k's own.
func (t *idTable) put(k uint64, id int32) {
	mask := uint64(len(t.keys) - 1)
	i := k * 0x9E3779B97F4A7C15 >> t.shift
	for t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	t.keys[i], t.ids[i] = k, id
}

func (t *idTable) grow() {
	old, oldIDs := t.keys, t.ids
	t.keys, t.ids = make([]uint64, 2*len(old)), make([]int32, 2*len(old))
	t.shift--
	for j, k := range old {
		if k != 0 {
			t.put(k, oldIDs[j])
		}
	}
}

package search

// A posting list is kept, from the moment its postings are counted to the
// token shard it is written into, as the text the shard holds (see the
// package comment): for each posting, its value and then its gap from the
// previous document, each a number in postingDigits. Encoding a token
// entry is then a copy of each worker's text, with no decoding or number
// formatting at write time.

// postingDigits are the digits of posting numbers: a number is written
// five bits at a time, least significant first; a digit below 32 is the
// last of its number, a digit from 32 on says that more follow. A weight
// (2…15) is one digit. None of the 64 needs escaping in JSON.
const postingDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// digitValue maps a byte of postingDigits to its value; it is never
// written after it is made.
var digitValue = func() (t [256]uint8) {
	for i := range len(postingDigits) {
		t[postingDigits[i]] = uint8(i)
	}
	return t
}()

// appendNum appends v in postingDigits.
func appendNum(b []byte, v uint32) []byte {
	for v >= 32 {
		b = append(b, postingDigits[32|v&31])
		v >>= 5
	}
	return append(b, postingDigits[v])
}

// numLen is the length of v in postingDigits.
func numLen(v uint32) int {
	n := 1
	for ; v >= 32; v >>= 5 {
		n++
	}
	return n
}

// postingReader walks one worker's postings of a token (see workerSet):
// each worker's gaps start from its base.
type postingReader struct {
	p   []byte
	i   int
	doc int32
}

// next returns the next posting's document and value.
func (r *postingReader) next() (doc int32, v uint32, ok bool) {
	if r.i+1 < len(r.p) {
		// Most postings: a weight and a gap under 32, one digit each.
		a, g := digitValue[r.p[r.i]], digitValue[r.p[r.i+1]]
		if a|g < 32 {
			r.doc += int32(g)
			r.i += 2
			return r.doc, uint32(a), true
		}
	}
	if r.i >= len(r.p) {
		return 0, 0, false
	}
	v = r.num()
	r.doc += int32(r.num())
	return r.doc, v, true
}

// num reads one number.
func (r *postingReader) num() uint32 {
	var v uint32
	for shift := 0; ; shift += 5 {
		d := uint32(digitValue[r.p[r.i]])
		r.i++
		v |= (d & 31) << shift
		if d < 32 {
			return v
		}
	}
}

// weigher gives the value of a posting in the document being counted: its
// weight 2q+t (see encoder), or, for tests of the counting, its tf<<1 |
// title itself.
type weigher struct {
	raw   bool
	avgdl float64
	// lenNorm is k1·(1−b+b·dl/avgdl) of the document; row holds 2q for tf
	// 1 … qTableTF, most postings being a token seen a few times.
	lenNorm float64
	row     [qTableTF]uint8
}

// qTableTF is how many term frequencies weigher.row holds.
const qTableTF = 4

// setDoc prepares the weights of a document of dl characters.
func (w *weigher) setDoc(dl int32) {
	w.lenNorm = w.normOf(dl)
	for tf := range qTableTF {
		w.row[tf] = uint8(weightOf(uint32(tf+1), w.lenNorm))
	}
}

// normOf is k1·(1−b+b·dl/avgdl) for a document of dl characters.
func (w *weigher) normOf(dl int32) float64 {
	return bm25K1 * (1 - bm25B + bm25B*float64(dl)/w.avgdl)
}

// value returns the value of a posting with v = tf<<1 | title.
func (w *weigher) value(v uint32) uint32 {
	if w.raw {
		return v
	}
	if tf := v >> 1; tf-1 < qTableTF {
		return uint32(w.row[tf-1]) | v&1
	}
	return uint32(weightOf(v>>1, w.lenNorm)) | v&1
}

// valueIn is value in any document of dl characters, as setDoc and value
// would give it there; it leaves the current document's weights alone.
func (w *weigher) valueIn(v uint32, dl int32) uint32 {
	if w.raw {
		return v
	}
	return uint32(weightOf(v>>1, w.normOf(dl))) | v&1
}

// weightOf is 2q for term frequency tf in a document of length norm
// lenNorm (see normOf): BM25's division, for every posting of the index,
// hence the row.
func weightOf(tf uint32, lenNorm float64) int {
	f := float64(tf)
	norm := f * (bm25K1 + 1) / (f + lenNorm)
	return 2 * min(7, 1+int(norm/(bm25K1+1)*7))
}

// Package qr encodes short byte strings, such as a page's address, as QR
// codes (ISO/IEC 18004) and draws them as SVG.
//
// It covers what a printed or on-screen link needs and no more: byte mode,
// error-correction level M (about 15% of the symbol may be damaged), versions
// 1 to 10 (up to 213 bytes). The mask is chosen by the standard's penalty
// rules, so the same input always gives the same symbol.
package qr

import (
	"errors"
	"html"
	"math/bits"
	"strconv"
	"strings"
)

// Code is an encoded QR symbol.
type Code struct {
	// Version is the symbol version, 1 to 10; Size is 17+4*Version modules.
	Version, Size int
	// Mask is the data mask pattern, 0 to 7.
	Mask int
	rows []uint64 // bit x of rows[y] is set when the module is dark
}

// Dark reports whether the module at column x, row y is dark.
func (c *Code) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= c.Size || y >= c.Size {
		return false
	}
	return c.rows[y]>>x&1 == 1
}

// ErrTooLong is returned for data that needs a version above 10.
var ErrTooLong = errors.New("qr: data too long for versions 1-10 at level M")

// blocks describes the error-correction structure of one version at level
// M: every block has ecLen EC codewords; g1 blocks of d1 data codewords are
// followed by g2 blocks of d1+1.
type blocks struct{ ecLen, g1, d1, g2 int }

var levelM = [11]blocks{
	1: {10, 1, 16, 0}, 2: {16, 1, 28, 0}, 3: {26, 1, 44, 0}, 4: {18, 2, 32, 0},
	5: {24, 2, 43, 0}, 6: {16, 4, 27, 0}, 7: {18, 4, 31, 0}, 8: {22, 2, 38, 2},
	9: {22, 3, 36, 2}, 10: {26, 4, 43, 1},
}

func (b blocks) dataLen() int { return b.g1*b.d1 + b.g2*(b.d1+1) }

// alignment lists the centre coordinates of the alignment patterns.
var alignment = [11][]int{
	2: {6, 18}, 3: {6, 22}, 4: {6, 26}, 5: {6, 30}, 6: {6, 34},
	7: {6, 22, 38}, 8: {6, 24, 42}, 9: {6, 26, 46}, 10: {6, 28, 50},
}

// Encode encodes data in the smallest version that holds it.
func Encode(data []byte) (*Code, error) {
	for v := 1; v <= 10; v++ {
		countBits := 8
		if v >= 10 {
			countBits = 16
		}
		if 4+countBits+8*len(data) <= 8*levelM[v].dataLen() {
			return encode(v, countBits, data), nil
		}
	}
	return nil, ErrTooLong
}

func encode(version, countBits int, data []byte) *Code {
	b := levelM[version]
	capacity := b.dataLen()
	var bb bitBuffer
	bb.put(0b0100, 4) // byte mode
	bb.put(len(data), countBits)
	for _, c := range data {
		bb.put(int(c), 8)
	}
	bb.put(0, min(4, capacity*8-bb.n)) // terminator
	bb.put(0, (8-bb.n%8)%8)
	for pad := 0; len(bb.bytes) < capacity; pad++ {
		bb.put([]int{0xEC, 0x11}[pad%2], 8)
	}

	c := &Code{Version: version, Size: 17 + 4*version}
	m := newMatrix(c.Size)
	m.drawFunctionPatterns(version)
	m.drawCodewords(interleave(bb.bytes, b))

	// Each mask is scored on whole rows and columns of bits: the choice
	// runs eight times for every page's QR code.
	n := c.Size
	var rows, cols [maxSize]uint64
	best, bestPenalty := 0, -1
	for mask := range 8 {
		m.drawFormat(mask)
		m.masked(mask, rows[:n], cols[:n])
		if p := penalty(rows[:n], cols[:n]); bestPenalty < 0 || p < bestPenalty {
			best, bestPenalty = mask, p
		}
	}
	m.drawFormat(best)
	m.masked(best, rows[:n], cols[:n])
	c.Mask = best
	c.rows = append([]uint64(nil), rows[:n]...)
	return c
}

type bitBuffer struct {
	bytes []byte
	n     int
}

func (b *bitBuffer) put(v, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if b.n%8 == 0 {
			b.bytes = append(b.bytes, 0)
		}
		if v>>i&1 == 1 {
			b.bytes[b.n/8] |= 0x80 >> (b.n % 8)
		}
		b.n++
	}
}

// interleave splits data into blocks, adds each block's Reed-Solomon
// codewords and interleaves the result as the symbol stores it.
func interleave(data []byte, b blocks) []byte {
	gen := rsGenerator(b.ecLen)
	var dataBlocks, ecBlocks [][]byte
	for i := 0; i < b.g1+b.g2; i++ {
		n := b.d1
		if i >= b.g1 {
			n++
		}
		d := data[:n]
		data = data[n:]
		dataBlocks = append(dataBlocks, d)
		ecBlocks = append(ecBlocks, rsRemainder(d, gen))
	}
	var out []byte
	for i := 0; i <= b.d1; i++ {
		for _, d := range dataBlocks {
			if i < len(d) {
				out = append(out, d[i])
			}
		}
	}
	for i := 0; i < b.ecLen; i++ {
		for _, e := range ecBlocks {
			out = append(out, e[i])
		}
	}
	return out
}

// gfExp and gfLog are the powers of 2 and their logarithms in GF(2^8)
// modulo x^8+x^4+x^3+x^2+1; gfExp is doubled so sums of two logs need no
// reduction.
var gfExp, gfLog = gfTables()

func gfTables() (exp [510]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11D
		}
	}
	return exp, log
}

// gfMul multiplies in GF(2^8) modulo x^8+x^4+x^3+x^2+1.
func gfMul(x, y byte) byte {
	if x == 0 || y == 0 {
		return 0
	}
	return gfExp[int(gfLog[x])+int(gfLog[y])]
}

// rsGenerator returns the coefficients of the generator polynomial of the
// given degree, highest power first, leading 1 omitted.
func rsGenerator(degree int) []byte {
	g := make([]byte, degree)
	g[degree-1] = 1
	root := byte(1)
	for range degree {
		for j := range g {
			g[j] = gfMul(g[j], root)
			if j+1 < len(g) {
				g[j] ^= g[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return g
}

func rsRemainder(data, gen []byte) []byte {
	r := make([]byte, len(gen))
	for _, d := range data {
		f := d ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i := range r {
			r[i] ^= gfMul(gen[i], f)
		}
	}
	return r
}

// maxSize is the width of the largest symbol (version 10), which is what
// lets a row or column be one uint64.
const maxSize = 17 + 4*10

// matrix is a symbol being built, as bit rows and, for the column rules
// of the penalty, the same bits as columns.
type matrix struct {
	size                   int
	dark, function         [maxSize]uint64 // rows: bit x is column x
	darkCols, functionCols [maxSize]uint64 // columns: bit y is row y
}

func newMatrix(size int) *matrix {
	return &matrix{size: size}
}

func setBit(w *uint64, i int, v bool) {
	if v {
		*w |= 1 << i
	} else {
		*w &^= 1 << i
	}
}

func (m *matrix) set(x, y int, dark bool) {
	setBit(&m.dark[y], x, dark)
	setBit(&m.darkCols[x], y, dark)
	m.function[y] |= 1 << x
	m.functionCols[x] |= 1 << y
}
func (m *matrix) drawFunctionPatterns(version int) {
	n := m.size
	for i := range n {
		m.set(6, i, i%2 == 0)
		m.set(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {n - 4, 3}, {3, n - 4}} {
		// The finder with its light separator ring.
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x >= 0 && x < n && y >= 0 && y < n {
					d := max(abs(dx), abs(dy))
					m.set(x, y, d != 2 && d != 4)
				}
			}
		}
	}
	pos := alignment[version]
	for i, ay := range pos {
		for j, ax := range pos {
			if i == 0 && j == 0 || i == 0 && j == len(pos)-1 || i == len(pos)-1 && j == 0 {
				continue // these overlap the finders
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					m.set(ax+dx, ay+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	m.drawFormat(0) // reserve the area; the real bits come with the mask
	if version >= 7 {
		rem := version
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1F25
		}
		bits := version<<12 | rem
		for i := range 18 {
			dark := bits>>i&1 == 1
			a, b := n-11+i%3, i/3
			m.set(a, b, dark)
			m.set(b, a, dark)
		}
	}
}

// drawFormat writes both copies of the format information: level M (00)
// and the mask, BCH-protected and XORed with the standard's fixed mask.
func (m *matrix) drawFormat(mask int) {
	bits := FormatBits(mask)
	bit := func(i int) bool { return bits>>i&1 == 1 }
	n := m.size
	for i := 0; i <= 5; i++ {
		m.set(8, i, bit(i))
	}
	m.set(8, 7, bit(6))
	m.set(8, 8, bit(7))
	m.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		m.set(14-i, 8, bit(i))
	}
	for i := range 8 {
		m.set(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		m.set(8, n-15+i, bit(i))
	}
	m.set(8, n-8, true) // the "dark module", always dark
}

// FormatBits returns the 15-bit format information for level M and mask.
func FormatBits(mask int) int {
	data := 0b00<<3 | mask
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	return (data<<10 | rem) ^ 0x5412
}

// drawCodewords fills the non-function modules in the standard's zigzag:
// two-module-wide columns from the right, alternately upwards and
// downwards, skipping the vertical timing pattern.
func (m *matrix) drawCodewords(data []byte) {
	i := 0
	for right := m.size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range m.size {
			for j := range 2 {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = m.size - 1 - vert
				}
				if m.function[y]>>x&1 == 0 && i < len(data)*8 {
					if data[i>>3]>>(7-i&7)&1 == 1 {
						m.dark[y] |= 1 << x
						m.darkCols[x] |= 1 << y
					}
					i++
				}
				// Remainder bits past the data stay light.
			}
		}
	}
}

// MaskAt reports whether mask pattern k flips the module at column x, row y.
func MaskAt(k, x, y int) bool {
	switch k {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	default:
		return ((x+y)%2+x*y%3)%2 == 0
	}
}

// maskRows[k][y] has bit x set where mask k flips column x of row y;
// maskCols[k][x] has bit y set for the same modules. Masks repeat every
// few modules, so one table covers every version.
var maskRows, maskCols = maskTables()

func maskTables() (rows, cols [8][maxSize]uint64) {
	for k := range 8 {
		for y := range maxSize {
			for x := range maxSize {
				if MaskAt(k, x, y) {
					rows[k][y] |= 1 << x
					cols[k][x] |= 1 << y
				}
			}
		}
	}
	return rows, cols
}

// masked writes the symbol with mask k applied to its data modules, as
// rows and as columns.
func (m *matrix) masked(k int, rows, cols []uint64) {
	// The tables are maxSize wide; modules past the symbol's edge stay clear.
	full := uint64(1)<<m.size - 1
	for i := range rows {
		rows[i] = (m.dark[i] ^ maskRows[k][i]&^m.function[i]) & full
		cols[i] = (m.darkCols[i] ^ maskCols[k][i]&^m.functionCols[i]) & full
	}
}

// penalty scores a masked symbol by the standard's four rules; the lowest
// score is the easiest for readers to scan.
func penalty(rows, cols []uint64) int {
	n := len(rows)
	p := linePenalty(rows, n) + linePenalty(cols, n)
	// Rule 2: each 2×2 block of one colour.
	inner := uint64(1)<<(n-1) - 1
	dark := 0
	for y, r := range rows {
		dark += bits.OnesCount64(r)
		if y+1 < n {
			next := rows[y+1]
			same := ^(r ^ r>>1) & ^(r ^ next) & ^(r ^ next>>1) & inner
			p += 3 * bits.OnesCount64(same)
		}
	}
	total := n * n
	k := (abs(dark*20-total*10)+total-1)/total - 1
	return p + k*10
}

// linePenalty scores lines of n modules (rows, or columns): runs of five
// or more modules of one colour, and finder-like 1:1:3:1:1 patterns with
// four light modules on one side (outside the symbol counts as light).
func linePenalty(lines []uint64, n int) int {
	full := uint64(1)<<n - 1
	p := 0
	for _, d := range lines {
		l := ^d & full
		// A run of length L ≥ 5 scores L-2: its L-4 windows of five,
		// plus 2 for the window that starts it.
		d5 := d & (d >> 1) & (d >> 2) & (d >> 3) & (d >> 4)
		l5 := l & (l >> 1) & (l >> 2) & (l >> 3) & (l >> 4)
		p += bits.OnesCount64(d5) + bits.OnesCount64(l5) +
			2*(bits.OnesCount64(d5&^(d<<1))+bits.OnesCount64(l5&^(l<<1)))
		// ext is light beyond the last module too.
		ext := ^d
		finder := d & (ext >> 1) & (d >> 2) & (d >> 3) & (d >> 4) & (ext >> 5) & (d >> 6)
		if finder == 0 {
			continue
		}
		before := (ext<<1 | 1) & (ext<<2 | 3) & (ext<<3 | 7) & (ext<<4 | 15)
		after := (ext >> 7) & (ext >> 8) & (ext >> 9) & (ext >> 10)
		p += 40 * (bits.OnesCount64(finder&before) + bits.OnesCount64(finder&after))
	}
	return p
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// SVG draws the symbol with its four-module quiet zone as an SVG image of
// one path. It always draws dark on light, whatever the page's colours, as
// scanners expect; label becomes the image's accessible name.
//
// Each row of dark modules is one subpath of horizontal strokes one module
// wide, "M4 4.5h7m6 0h2…": every page carries its own code, and this is
// half the bytes of a rectangle per run.
func (c *Code) SVG(label string) string {
	const quiet = 4
	w := c.Size + 2*quiet
	ws := strconv.Itoa(w)
	label = html.EscapeString(label)
	var s strings.Builder
	// About 5 bytes per run of dark modules, a run every four modules.
	s.Grow(300 + len(label) + 2*c.Size*c.Size)
	s.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 `)
	s.WriteString(ws + " " + ws)
	s.WriteString(`" role="img" aria-label="`)
	s.WriteString(label)
	s.WriteString(`" shape-rendering="crispEdges"><rect width="`)
	s.WriteString(ws)
	s.WriteString(`" height="`)
	s.WriteString(ws)
	s.WriteString(`" fill="#fff"/><path stroke="#000" d="`)
	var num [20]byte
	for y, r := range c.rows {
		end := -1 // where the row's last stroke ended; -1 before its first
		for r != 0 {
			x := bits.TrailingZeros64(r)
			run := bits.TrailingZeros64(^(r >> x))
			r &^= (uint64(1)<<run - 1) << x
			if end < 0 {
				s.WriteByte('M')
				s.Write(strconv.AppendInt(num[:0], int64(x+quiet), 10))
				s.WriteByte(' ')
				s.Write(strconv.AppendInt(num[:0], int64(y+quiet), 10))
				s.WriteString(".5h")
			} else {
				s.WriteByte('m')
				s.Write(strconv.AppendInt(num[:0], int64(x-end), 10))
				s.WriteString(" 0h")
			}
			s.Write(strconv.AppendInt(num[:0], int64(run), 10))
			end = x + run
		}
	}
	s.WriteString(`"/></svg>`)
	return s.String()
}

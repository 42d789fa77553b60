package qr

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// decode reads a symbol back the way a scanner would, using only the
// standard's layout rules: it finds the mask from the format bits, reads
// the codewords, checks every block's Reed-Solomon syndromes are zero and
// parses the byte-mode segment. It shares no code with the encoder except
// the GF(256) multiply and the mask formulas, which are one-liners.
func decode(c *Code) ([]byte, error) {
	n := c.Size
	v := (n - 17) / 4
	var format int
	for i := 0; i <= 5; i++ {
		format |= b2i(c.Dark(8, i)) << i
	}
	format |= b2i(c.Dark(8, 7))<<6 | b2i(c.Dark(8, 8))<<7 | b2i(c.Dark(7, 8))<<8
	for i := 9; i < 15; i++ {
		format |= b2i(c.Dark(14-i, 8)) << i
	}
	var second int
	for i := range 8 {
		second |= b2i(c.Dark(n-1-i, 8)) << i
	}
	for i := 8; i < 15; i++ {
		second |= b2i(c.Dark(8, n-15+i)) << i
	}
	if format != second {
		return nil, fmt.Errorf("format copies differ: %015b vs %015b", format, second)
	}
	mask := -1
	for k := range 8 {
		if FormatBits(k) == format {
			mask = k
		}
	}
	if mask < 0 {
		return nil, fmt.Errorf("format bits %015b are not level M", format)
	}

	// Function modules, from the layout rules alone.
	fn := func(x, y int) bool {
		switch {
		case x == 6 || y == 6:
			return true
		case x < 9 && y < 9, x >= n-8 && y < 9, x < 9 && y >= n-8:
			return true
		case v >= 7 && (x >= n-11 && y < 6 || y >= n-11 && x < 6):
			return true
		}
		pos := alignment[v]
		for i, ay := range pos {
			for j, ax := range pos {
				if i == 0 && j == 0 || i == 0 && j == len(pos)-1 || i == len(pos)-1 && j == 0 {
					continue
				}
				if abs(x-ax) <= 2 && abs(y-ay) <= 2 {
					return true
				}
			}
		}
		return false
	}
	var bits []bool
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range n {
			for j := range 2 {
				x, y := right-j, vert
				if (right+1)&2 == 0 {
					y = n - 1 - vert
				}
				if !fn(x, y) {
					bits = append(bits, c.Dark(x, y) != MaskAt(mask, x, y))
				}
			}
		}
	}
	b := levelM[v]
	total := b.dataLen() + (b.g1+b.g2)*b.ecLen
	cw := make([]byte, total)
	for i := range cw {
		for j := range 8 {
			if bits[i*8+j] {
				cw[i] |= 0x80 >> j
			}
		}
	}
	nb := b.g1 + b.g2
	blocks := make([][]byte, nb)
	k := 0
	for i := 0; i <= b.d1; i++ {
		for bi := range nb {
			if i < b.d1 || bi >= b.g1 {
				blocks[bi] = append(blocks[bi], cw[k])
				k++
			}
		}
	}
	for range b.ecLen {
		for bi := range nb {
			blocks[bi] = append(blocks[bi], cw[k])
			k++
		}
	}
	var data []byte
	for bi, blk := range blocks {
		// A codeword polynomial evaluates to zero at every root α^i.
		root := byte(1)
		for i := range b.ecLen {
			var s byte
			for _, c := range blk {
				s = gfMul(s, root) ^ c
			}
			if s != 0 {
				return nil, fmt.Errorf("block %d: syndrome %d is %d", bi, i, s)
			}
			root = gfMul(root, 2)
		}
		data = append(data, blk[:len(blk)-b.ecLen]...)
	}
	r := bitReader{data: data}
	if mode := r.read(4); mode != 0b0100 {
		return nil, fmt.Errorf("mode %04b, want byte mode", mode)
	}
	cc := 8
	if v >= 10 {
		cc = 16
	}
	length := r.read(cc)
	out := make([]byte, length)
	for i := range out {
		out[i] = byte(r.read(8))
	}
	return out, nil
}

type bitReader struct {
	data []byte
	pos  int
}

func (r *bitReader) read(n int) int {
	v := 0
	for range n {
		v = v<<1 | int(r.data[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		in      string
		version int
	}{
		{"", 1},
		{"https://plan.example.org/", 2},
		{"https://plan.example.org/topics/urban-rural-integration/", 4},
		{strings.Repeat("a", 14), 1},  // exactly fills version 1-M
		{strings.Repeat("a", 15), 2},  // one byte more
		{strings.Repeat("b", 122), 7}, // the first version with version info
		{strings.Repeat("b", 123), 8},
		{strings.Repeat("c", 213), 10},
		{"https://政府.example.org/专题/生态/?a=1#段落", 4},
	}
	for _, tt := range tests {
		c, err := Encode([]byte(tt.in))
		if err != nil {
			t.Fatalf("Encode(%q): %v", tt.in, err)
		}
		if c.Version != tt.version {
			t.Errorf("Encode(%q).Version = %d; want %d", tt.in, c.Version, tt.version)
		}
		got, err := decode(c)
		if err != nil {
			t.Errorf("decode(Encode(%q)): %v", tt.in, err)
			continue
		}
		if string(got) != tt.in {
			t.Errorf("decode(Encode(%q)) = %q", tt.in, got)
		}
	}
}

func TestTooLong(t *testing.T) {
	if _, err := Encode(bytes.Repeat([]byte("x"), 214)); err != ErrTooLong {
		t.Errorf("Encode(214 bytes) error = %v; want ErrTooLong", err)
	}
}

// TestKnownGood compares with symbols made by libqrencode 4.1.1
// (qrencode -l M -8 -m 0 -t ASCII), an independent encoder, and checked
// with zbarimg. Mask choice is a matter of scoring, so a mismatch in the
// masked symbol only fails if the unmasked data differs too.
func TestKnownGood(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, art, _ := strings.Cut(string(raw), "\n")
		want := parseASCII(art)
		c, err := Encode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != c.Size {
			t.Errorf("%s: size %d; want %d", f, c.Size, len(want))
			continue
		}
		wantMask := -1
		format := 0
		for i := 0; i <= 5; i++ {
			format |= b2i(want[i][8]) << i
		}
		format |= b2i(want[7][8])<<6 | b2i(want[8][8])<<7 | b2i(want[8][7])<<8
		for i := 9; i < 15; i++ {
			format |= b2i(want[8][14-i]) << i
		}
		for k := range 8 {
			if FormatBits(k) == format {
				wantMask = k
			}
		}
		diff := 0
		for y := range c.Size {
			for x := range c.Size {
				g, w := c.Dark(x, y), want[y][x]
				if !isFunctionForTest(c, x, y) {
					g = g != MaskAt(c.Mask, x, y)
					w = w != MaskAt(wantMask, x, y)
				}
				if g != w && !(x == 8 || y == 8) { // format bits differ with the mask
					diff++
				}
			}
		}
		if diff > 0 {
			t.Errorf("%s: %d modules differ from libqrencode's symbol after unmasking", f, diff)
		}
		if c.Mask != wantMask {
			t.Logf("%s: mask %d, libqrencode chose %d (both valid)", f, c.Mask, wantMask)
		}
	}
}

func isFunctionForTest(c *Code, x, y int) bool {
	m := newMatrix(c.Size)
	m.drawFunctionPatterns(c.Version)
	return m.function[y]>>x&1 == 1
}

// parseASCII reads qrencode's ASCII art: "##" is dark, "  " light.
func parseASCII(art string) [][]bool {
	var rows [][]bool
	for _, line := range strings.Split(strings.TrimRight(art, "\n"), "\n") {
		var row []bool
		for i := 0; i+1 < len(line); i += 2 {
			row = append(row, line[i] == '#')
		}
		rows = append(rows, row)
	}
	return rows
}

func TestSVG(t *testing.T) {
	c, err := Encode([]byte("https://plan.example.org/"))
	if err != nil {
		t.Fatal(err)
	}
	svg := c.SVG(`本页二维码 "<>"`)
	for _, want := range []string{`viewBox="0 0 33 33"`, `aria-label="本页二维码 &#34;&lt;&gt;&#34;"`, `<path stroke="#000" d="M4 4.5h7m`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG() lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "style") {
		t.Error("SVG() uses style, which a strict CSP forbids")
	}
}

// TestSVGDrawsEveryModule reads the path back, stroke by stroke, and
// requires it to cover exactly the dark modules, inside the quiet zone.
func TestSVGDrawsEveryModule(t *testing.T) {
	for _, in := range []string{"", "https://plan.example.org/", "https://example.org/reports/p004321/", strings.Repeat("c", 213)} {
		c, err := Encode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		svg := c.SVG("二维码")
		_, d, ok := strings.Cut(svg, `<path stroke="#000" d="`)
		d, _, ok2 := strings.Cut(d, `"`)
		if !ok || !ok2 {
			t.Fatalf("%q: no stroked path in %s", in, svg)
		}
		drawn, err := strokeModules(d, c.Size+8)
		if err != nil {
			t.Fatalf("%q: %v in %s", in, err, d)
		}
		for y := range c.Size + 8 {
			for x := range c.Size + 8 {
				want := x >= 4 && y >= 4 && x < c.Size+4 && y < c.Size+4 && c.Dark(x-4, y-4)
				if drawn[y][x] != want {
					t.Fatalf("%q: module (%d, %d) drawn %v; want %v", in, x-4, y-4, drawn[y][x], want)
				}
			}
		}
	}
}

// strokeModules paints the modules that the path d covers with strokes one
// unit wide: "M x y.5" starts a row, "m dx 0" moves along it, "h n" draws
// n modules. Anything else, or a stroke off the grid or over another, is
// an error.
func strokeModules(d string, w int) ([][]bool, error) {
	grid := make([][]bool, w)
	for i := range grid {
		grid[i] = make([]bool, w)
	}
	x, y := -1, -1
	for d != "" {
		cmd := d[0]
		d = d[1:]
		var args []string
		end := strings.IndexAny(d, "Mmh")
		if end < 0 {
			end = len(d)
		}
		args, d = strings.Fields(d[:end]), d[end:]
		num := func(s string) (int, error) { return strconv.Atoi(s) }
		switch {
		case cmd == 'M' && len(args) == 2 && strings.HasSuffix(args[1], ".5"):
			var err1, err2 error
			x, err1 = num(args[0])
			y, err2 = num(strings.TrimSuffix(args[1], ".5"))
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bad M %v", args)
			}
		case cmd == 'm' && len(args) == 2 && args[1] == "0" && y >= 0:
			dx, err := num(args[0])
			if err != nil || dx <= 0 {
				return nil, fmt.Errorf("bad m %v", args)
			}
			x += dx
		case cmd == 'h' && len(args) == 1 && y >= 0:
			n, err := num(args[0])
			if err != nil || n <= 0 || x+n > w || y >= w {
				return nil, fmt.Errorf("bad h %v at (%d, %d)", args, x, y)
			}
			for ; n > 0; n-- {
				if grid[y][x] {
					return nil, fmt.Errorf("module (%d, %d) drawn twice", x, y)
				}
				grid[y][x] = true
				x++
			}
		default:
			return nil, fmt.Errorf("unexpected %c %v", cmd, args)
		}
	}
	return grid, nil
}

// BenchmarkEncodeSVG is the per-page cost of the share box's QR code.
func BenchmarkEncodeSVG(b *testing.B) {
	for b.Loop() {
		c, err := Encode([]byte("https://example.org/reports/p004321/"))
		if err != nil {
			b.Fatal(err)
		}
		_ = c.SVG("本页地址的二维码")
	}
}

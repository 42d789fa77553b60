package importer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"plansite/generator/yamlnode"
)

// Verify proves that the content files (keyed as [Render] keys them) lose
// and invent nothing: every character of the seed outside white space and
// the layout artifacts m lists appears in them exactly once, and each item
// (its heading and body) and each other block is a whole, in-order run of
// the seed's text.
//
// It reads the files back as a reader would see them rather than trusting
// the parse that produced them: the source and credit front-matter fields of
// the home page (every topic page must repeat them unchanged), and every
// block of every body, Markdown escapes removed. It then tiles the seed's
// text with those blocks; a gap is text lost, a block left over is text
// invented or repeated.
func Verify(seedPath string, seed []byte, m *Mapping, files map[string][]byte) error {
	lines, err := seedLines(seedPath, seed)
	if err != nil {
		return err
	}
	kept, keptLine := keptRunes(lines, m)

	var errs Errors
	var blocks []block
	home, ok := files[HomeFile]
	if !ok {
		errs.add(HomeFile, 0, "missing: it carries the source and credit lines")
		return errs
	}
	homeFM, homeBody, err := splitPage(home)
	if err != nil {
		errs.add(HomeFile, 1, "%v", err)
		return errs
	}
	for _, key := range []string{"source", "credit"} {
		if v := homeFM[key]; v != "" {
			blocks = append(blocks, block{file: HomeFile, text: []rune(stripSpace(v))})
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fm, body := homeFM, homeBody
		if name != HomeFile {
			fm, body, err = splitPage(files[name])
			if err != nil {
				errs.add(name, 1, "%v", err)
				continue
			}
			for _, key := range []string{"source", "credit"} {
				if fm[key] != homeFM[key] {
					errs.add(name, 0, "%s %q differs from %s's %q", key, fm[key], HomeFile, homeFM[key])
				}
			}
		}
		blocks = append(blocks, bodyBlocks(name, body)...)
	}
	if len(errs) > 0 {
		return errs
	}

	t := tiler{kept: kept, blocks: blocks, used: make([]bool, len(blocks)), budget: 1 << 20}
	if t.tile(0) {
		return nil
	}
	// Say where the seed and the output part ways: at the furthest point
	// the tiling reached, past the longest start some block shares, if
	// that is long enough not to be a chance match of a few characters.
	at := min(t.furthest, len(kept)-1)
	best, bestLen := -1, 0
	for i, b := range blocks {
		if n := commonPrefix(b.text, kept[at:]); !t.used[i] && n > bestLen {
			best, bestLen = i, n
		}
	}
	if best >= 0 && bestLen >= 8 && bestLen < len(blocks[best].text) {
		at += bestLen
		errs.add(seedPath, keptLine[min(at, len(kept)-1)], "text from %q on is not in %s, which has %q there", clip(string(kept[at:]), 16), blocks[best].file, clip(string(blocks[best].text[bestLen:]), 16))
	} else {
		errs.add(seedPath, keptLine[at], "text from %q on is not in the generated content whole, once and in order", clip(string(kept[at:]), 16))
	}
	whole := string(kept)
	seen := map[string]int{}
	for _, b := range blocks {
		s := string(b.text)
		seen[s]++
		switch {
		case !strings.Contains(whole, s):
			errs.add(b.file, 0, "text %q is not in the seed (invented, altered or cut short)", clip(s, 16))
		case seen[s] == 2:
			errs.add(b.file, 0, "text %q appears more than once", clip(s, 16))
		}
	}
	return errs
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// block is a run of output text that must be a whole run of the seed.
type block struct {
	file string
	text []rune
}

// tiler searches for an order of the blocks that spells the seed's text.
// Blocks are long and distinct in practice, so the search hardly ever
// backtracks; budget bounds it on pathological input.
type tiler struct {
	kept     []rune
	blocks   []block
	used     []bool
	furthest int
	budget   int
}

func (t *tiler) tile(at int) bool {
	t.furthest = max(t.furthest, at)
	if at == len(t.kept) {
		return !slices.Contains(t.used, false)
	}
	for i, b := range t.blocks {
		if t.budget <= 0 {
			return false
		}
		t.budget--
		if t.used[i] || len(b.text) == 0 || len(b.text) > len(t.kept)-at || !slices.Equal(b.text, t.kept[at:at+len(b.text)]) {
			continue
		}
		t.used[i] = true
		if t.tile(at + len(b.text)) {
			return true
		}
		t.used[i] = false
	}
	return false
}

// splitPage returns a content file's front-matter text fields and its body.
func splitPage(src []byte) (map[string]string, string, error) {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil, "", fmt.Errorf("no front matter")
	}
	fm, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return nil, "", fmt.Errorf("front matter is not closed")
	}
	n, err := yamlnode.Parse(fm)
	if err != nil {
		return nil, "", fmt.Errorf("front matter: %v", err)
	}
	out := map[string]string{}
	fields, ok := n.Decode().(map[string]any)
	if !ok && n != nil {
		return nil, "", fmt.Errorf("front matter is not a list of fields")
	}
	for k, v := range fields {
		out[k] = fmt.Sprint(v)
	}
	return out, string(body), nil
}

// bodyBlocks splits a body into blocks: a "##" heading with the paragraphs
// under it is one block (an item must stay whole and in order); a paragraph
// before the first heading is a block of its own.
func bodyBlocks(file, body string) []block {
	var out []block
	var cur *block
	item := false
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) == "" {
			if cur != nil && !item {
				out = append(out, *cur)
				cur = nil
			}
			continue
		}
		if h, ok := strings.CutPrefix(l, "## "); ok {
			if cur != nil {
				out = append(out, *cur)
			}
			cur, item = &block{file: file, text: []rune(stripSpace(unescapeMarkdown(h)))}, true
			continue
		}
		if cur == nil {
			cur = &block{file: file}
		}
		cur.text = append(cur.text, []rune(stripSpace(unescapeMarkdown(l)))...)
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// keptRunes lists the seed's characters that must reach the output, with
// the line of each: everything but white space, dropped layout lines and
// item markers.
func keptRunes(lines []string, m *Mapping) (kept []rune, line []int) {
	for i, l := range lines {
		if matchAny(m.Drop, l) != nil {
			continue
		}
		if m.ItemMarker != "" {
			l = strings.TrimPrefix(l, m.ItemMarker)
		}
		for _, r := range l {
			if !unicode.IsSpace(r) {
				kept = append(kept, r)
				line = append(line, i+1)
			}
		}
	}
	return kept, line
}

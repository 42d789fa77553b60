package manifest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Diff is what changed between two builds, as the press office reads it
// before publishing: pages by address, and of each changed page the lines
// of visible text that went and came, not the markup around them.
type Diff struct {
	Added, Removed []string
	Changed        []PageChange
	// Markup lists the pages whose bytes changed but whose visible text
	// did not (a theme change, say).
	Markup []string
	// Files counts the other files (styles, feeds, the search index...)
	// added, removed or changed.
	Files int
}

// PageChange is one changed page: its address and the lines of its
// visible text removed (Op '-') and added ('+'), in page order.
type PageChange struct {
	Page  string
	Lines []Line
}

// Line is one line of a page's visible text.
type Line struct {
	Op   byte
	Text string
}

// Compare compares the built sites in folders old and cur by their
// manifests, reading the changed pages' text.
func Compare(old, cur string) (*Diff, error) {
	om, err := Load(old)
	if err != nil {
		return nil, err
	}
	cm, err := Load(cur)
	if err != nil {
		return nil, err
	}
	send, remove := Changes(om, cm)
	was := om.Index()
	d := &Diff{}
	for _, p := range remove {
		if isPage(p) {
			d.Removed = append(d.Removed, Address(p))
		} else {
			d.Files++
		}
	}
	for _, p := range send {
		if !isPage(p) {
			d.Files++
			continue
		}
		if _, ok := was[p]; !ok {
			d.Added = append(d.Added, Address(p))
			continue
		}
		a, err := visibleFile(filepath.Join(old, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		b, err := visibleFile(filepath.Join(cur, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		if lines := diffLines(a, b); len(lines) > 0 {
			d.Changed = append(d.Changed, PageChange{Page: Address(p), Lines: lines})
		} else {
			d.Markup = append(d.Markup, Address(p))
		}
	}
	return d, nil
}

// isPage reports whether output file p is a page a reader sees.
func isPage(p string) bool { return strings.HasSuffix(p, ".html") }

// Address is the site-absolute address of output file p: a folder's
// index.html is the folder.
func Address(p string) string {
	if p == "index.html" {
		return "/"
	}
	if strings.HasSuffix(p, "/index.html") {
		return "/" + strings.TrimSuffix(p, "index.html")
	}
	return "/" + p
}

// Empty reports whether the two builds show the same pages.
func (d *Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0 && len(d.Markup) == 0 && d.Files == 0
}

// WriteTo writes the diff as the press office reads it.
func (d *Diff) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	if d.Empty() {
		b.WriteString("no differences: the two builds are identical\n")
	}
	fmt.Fprintf(&b, "pages added: %d, removed: %d, changed: %d\n", len(d.Added), len(d.Removed), len(d.Changed)+len(d.Markup))
	for _, p := range d.Added {
		fmt.Fprintf(&b, "added   %s\n", p)
	}
	for _, p := range d.Removed {
		fmt.Fprintf(&b, "removed %s\n", p)
	}
	for _, c := range d.Changed {
		fmt.Fprintf(&b, "changed %s\n", c.Page)
		for _, l := range c.Lines {
			fmt.Fprintf(&b, "  %c %s\n", l.Op, l.Text)
		}
	}
	for _, p := range d.Markup {
		fmt.Fprintf(&b, "changed %s (markup only; the text reads the same)\n", p)
	}
	if d.Files > 0 {
		fmt.Fprintf(&b, "other files added, removed or changed: %d (styles, scripts, feeds, search index, site map)\n", d.Files)
	}
	return b.WriteTo(w)
}

func visibleFile(p string) ([]string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return VisibleText(data), nil
}

// VisibleText returns the lines of text a reader sees on an HTML page:
// the title and the body's text, one line per block, whitespace
// collapsed; scripts, styles and the rest of the head are left out.
func VisibleText(page []byte) []string {
	z := html.NewTokenizer(bytes.NewReader(page))
	var lines []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			lines = append(lines, s)
		}
		cur.Reset()
	}
	skip := 0 // depth inside script, style or template
	inHead, inTitle := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return lines
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Template:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Head:
				inHead = tt == html.StartTagToken
			case atom.Title:
				inTitle = tt == html.StartTagToken
			}
			if block[a] {
				flush()
			}
		case html.TextToken:
			if skip > 0 || inHead && !inTitle {
				continue
			}
			cur.Write(z.Text())
		}
	}
}

// block names the elements that start a new line of text.
var block = map[atom.Atom]bool{
	atom.Title: true, atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Nav: true, atom.Main: true, atom.Aside: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Blockquote: true, atom.Pre: true,
	atom.Figure: true, atom.Figcaption: true, atom.Form: true, atom.Label: true, atom.Button: true,
	atom.Details: true, atom.Summary: true, atom.Hr: true, atom.Caption: true, atom.Body: true,
}

// diffLines returns the lines of a removed and of b added, by a longest
// common subsequence after the common head and tail are set aside.
func diffLines(a, b []string) []Line {
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	var out []Line
	if len(a)*len(b) > 4_000_000 {
		// Too long to align in reasonable memory: all went, all came.
		for _, s := range a {
			out = append(out, Line{'-', s})
		}
		for _, s := range b {
			out = append(out, Line{'+', s})
		}
		return out
	}
	// lcs[i][j] is the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{'-', a[i]})
			i++
		default:
			out = append(out, Line{'+', b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, Line{'-', a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, Line{'+', b[j]})
	}
	return out
}

// Package markdown converts a page's Markdown body to HTML and, from the same
// syntax tree, extracts what the rest of the build needs: the headings for a
// table of contents and the plain text of each section for search.
//
// One Converter is built per build and shared by all workers: goldmark keeps
// no per-document state in its Markdown value, and each call gets its own
// parser context (and so its own heading-ID table).
package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configures a Converter.
type Options struct {
	// UnsafeHTML passes raw HTML in Markdown through to the page. Off by
	// default: raw HTML is shown escaped, as the text the author typed, so
	// nothing is silently dropped and nothing can inject markup.
	UnsafeHTML bool
	// BasePath is the path of the site's base URL ("/plan/"): a link or
	// image the author wrote site-absolute ("/topics/ecology/") is placed
	// under it, so a site served from a sub-path keeps its links. Empty
	// or "/" leaves links as written.
	BasePath string
}

// Converter turns Markdown into HTML. It is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// Heading is one heading of a document, in document order.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Section is the plain text of a document between two level-2 headings. The
// first section holds the text before the first `##` heading and has an empty
// ID and Title.
type Section struct {
	ID    string
	Title string
	Text  string
}

// Doc is a converted document.
type Doc struct {
	HTML     []byte
	Headings []Heading
	Sections []Section
	// Problems are the document's faults ConvertPage found.
	Problems []Problem
}

// New returns a Converter with the extensions plansite pages use: GFM
// (tables, strikethrough, autolinks, task lists), footnotes and the CJK line
// break rule. The typographer is deliberately absent: it would turn quotes
// next to Chinese text into Western curly quotes.
func New(opt Options) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(
			util.Prioritized(&codeRenderer{}, 100),
			util.Prioritized(newTableRenderer(), 100),
		),
	}
	if opt.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(rawHTMLEscaper{}, 100)))
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			// Soft line breaks are decided by lineBreaks below, not by
			// the extension's rule, which turns "words,\nnext" into
			// "words,next" in its CSS mode and keeps "，\n推动" apart in
			// its simple mode.
			extension.NewCJK(extension.WithEscapedSpace()),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			// Images are checked and found first, by their names as
			// written; basePath then places them under the base path.
			parser.WithASTTransformers(util.Prioritized(lineBreaks{}, 100), util.Prioritized(imageChecks{}, 150), util.Prioritized(basePath(opt.BasePath), 200)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md}
}

// Convert converts src. It fails only if writing the HTML fails, which for
// an in-memory buffer means never in practice; the error is kept so callers
// treat it like any other build error.
func (c *Converter) Convert(src []byte) (*Doc, error) {
	return c.convert(src, parser.NewContext(parser.WithIDs(newIDs())))
}

func (c *Converter) convert(src []byte, ctx parser.Context) (*Doc, error) {
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2)
	if err := c.md.Renderer().Render(&buf, src, root); err != nil {
		return nil, err
	}
	doc := &Doc{HTML: buf.Bytes()}
	doc.Headings, doc.Sections = outline(root, src)
	return doc, nil
}

// outline walks the tree once for headings and section texts.
func outline(root ast.Node, src []byte) ([]Heading, []Section) {
	var headings []Heading
	sections := []Section{{}}
	var body strings.Builder
	flush := func() {
		sections[len(sections)-1].Text = strings.TrimSpace(body.String())
		body.Reset()
	}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			id, _ := h.AttributeString("id")
			idStr, _ := id.([]byte)
			title := plainText(h, src)
			headings = append(headings, Heading{Level: h.Level, ID: string(idStr), Text: title})
			if h.Level == 2 {
				flush()
				sections = append(sections, Section{ID: string(idStr), Title: title})
				continue
			}
		}
		if n.Kind() == ast.KindHTMLBlock {
			continue
		}
		t := plainText(n, src)
		if t == "" {
			continue
		}
		if body.Len() > 0 {
			body.WriteByte('\n')
		}
		body.WriteString(t)
	}
	flush()
	if sections[0].Text == "" && len(sections) > 1 {
		sections = sections[1:]
	}
	return headings, sections
}

// PlainText returns the text a reader sees in n, without markup. Soft line
// breaks follow the CJK rule of the HTML: none between two wide characters.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if isBlock(n) && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				writeBreak(&b, src, t)
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(t.Label(src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func isBlock(n ast.Node) bool {
	return n.Type() == ast.TypeBlock
}

// writeBreak writes what a line break stands for in plain text: lineBreaks
// has already cleared the soft breaks that are no space.
func writeBreak(b *strings.Builder, src []byte, t *ast.Text) {
	if t.HardLineBreak() {
		b.WriteByte('\n')
		return
	}
	b.WriteByte(' ')
}

// lineBreaks decides which soft line breaks of a paragraph are a space. In
// Chinese, a line break in the source is no space ("攻坚战，\n推动" reads
// "攻坚战，推动"); between words of Latin script it is one.
type lineBreaks struct{}

// Transform implements parser.ASTTransformer.
func (lineBreaks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.SoftLineBreak() {
			return ast.WalkContinue, nil
		}
		before, _ := utf8.DecodeLastRune(t.Segment.Value(src))
		if t.Segment.Len() == 0 && t.PreviousSibling() != nil {
			before = edgeRune(t.PreviousSibling(), src, true)
		}
		var after rune
		// The next words may sit inside emphasis or a link.
		for m := ast.Node(t); m != nil && m.Type() == ast.TypeInline && after == 0; m = m.Parent() {
			for sib := m.NextSibling(); sib != nil && after == 0; sib = sib.NextSibling() {
				after = edgeRune(sib, src, false)
			}
		}
		if before != 0 && after != 0 && !breakIsSpace(before, after) {
			t.SetSoftLineBreak(false)
		}
		return ast.WalkContinue, nil
	})
}

// edgeRune returns the first (or, with last, the last) character of the
// text inside n, or 0 when it holds none.
func edgeRune(n ast.Node, src []byte, last bool) rune {
	var r rune
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var v []byte
		switch c := c.(type) {
		case *ast.Text:
			v = c.Segment.Value(src)
		case *ast.String:
			v = c.Value
		}
		if len(v) == 0 {
			return ast.WalkContinue, nil
		}
		if last {
			r, _ = utf8.DecodeLastRune(v)
			return ast.WalkContinue, nil
		}
		r, _ = utf8.DecodeRune(v)
		return ast.WalkStop, nil
	})
	return r
}

// breakIsSpace reports whether a line break between before and after
// reads as a space: not between two wide characters (Han, kana, full-width
// forms; Hangul keeps its spaces), not next to wide punctuation, and not
// at a zero-width space.
func breakIsSpace(before, after rune) bool {
	if before == '\u200B' || after == '\u200B' {
		return false
	}
	wide := func(r rune) bool {
		w := util.EastAsianWidth(r)
		return w == "F" || w == "W" || w == "H"
	}
	if wide(before) && wide(after) {
		return unicode.Is(unicode.Hangul, before) || unicode.Is(unicode.Hangul, after)
	}
	if wide(before) && unicode.IsPunct(before) || wide(after) && unicode.IsPunct(after) {
		return false
	}
	return true
}

// ids generates heading IDs that keep Chinese text readable in the address
// bar (#持续打好污染防治攻坚战) instead of goldmark's ASCII-only "heading".
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate implements parser.IDs.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// Slugify makes an ID or URL segment from a heading: letters and digits of
// any script are kept (ASCII lower-cased), spaces and dashes become one dash,
// everything else (punctuation, symbols) is dropped.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == ' ' || r == '-' || r == '_' || unicode.IsSpace(r):
			dash = true
		}
	}
	return b.String()
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for i >= 10 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	n--
	buf[n] = byte('0' + i)
	return string(buf[n:])
}

// basePath places site-absolute link and image destinations under the
// base URL's path (see Options.BasePath).
type basePath string

// Transform implements parser.ASTTransformer.
func (b basePath) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	prefix := strings.TrimSuffix(string(b), "/")
	if prefix == "" {
		return
	}
	fix := func(dest []byte) []byte {
		if len(dest) > 0 && dest[0] == '/' && (len(dest) == 1 || dest[1] != '/') {
			return append([]byte(prefix), dest...)
		}
		return dest
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			l.Destination = fix(l.Destination)
		case *ast.Image:
			l.Destination = fix(l.Destination)
		}
		return ast.WalkContinue, nil
	})
}

// HeadingIDs returns the ids the converter gives headings with these texts,
// in this order, so another page can link to a page's section without
// converting the page.
func HeadingIDs(texts []string) []string {
	s := newIDs()
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = string(s.Generate([]byte(t), ast.KindHeading))
	}
	return out
}

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
			extension.NewCJK(extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksSimple), extension.WithEscapedSpace()),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md}
}

// Convert converts src. It fails only if writing the HTML fails, which for
// an in-memory buffer means never in practice; the error is kept so callers
// treat it like any other build error.
func (c *Converter) Convert(src []byte) (*Doc, error) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
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

// writeBreak writes the space a soft line break stands for, unless both sides
// are wide (CJK) characters, matching extension.CJK's HTML.
func writeBreak(b *strings.Builder, src []byte, t *ast.Text) {
	if t.HardLineBreak() {
		b.WriteByte('\n')
		return
	}
	before, _ := utf8.DecodeLastRuneInString(b.String())
	next := t.NextSibling()
	var after rune
	if nt, ok := next.(*ast.Text); ok {
		after, _ = utf8.DecodeRune(nt.Segment.Value(src))
	}
	if isWide(before) && isWide(after) {
		return
	}
	b.WriteByte(' ')
}

// isWide reports whether r is an East Asian wide character, the same test
// goldmark's CJK extension applies to soft line breaks.
func isWide(r rune) bool {
	return util.IsEastAsianWideRune(r)
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

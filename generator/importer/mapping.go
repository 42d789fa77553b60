package importer

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"plansite/generator/yamlnode"
)

// Mapping is the data that drives an import: the topics, and everything
// about the seed that cannot be read from the seed itself. It is read from a
// YAML file such as seeds/topics.yaml:
//
//	publisher: 某市人民政府
//	home: {title: …, summary: …}
//	layout:
//	  drop: ['^running header\d+$']  # layout artifacts, whole trimmed lines
//	  itemMarker: ●                  # starts a marked item heading
//	  sourceLine: '^《.+》.+$'        # names the source document
//	  creditLine: '^（文字整理.*）$'   # kept as attribution
//	sections:
//	  - title: …                     # a section title line of the seed
//	    placement: after             # its items are printed before it
//	    itemHeading: '^\p{Han}{4,16}$'
//	topics:
//	  - slug: ecology
//	    title: 生态环境
//	    summary: …
//	    items: [持续打好污染防治攻坚战, …]
type Mapping struct {
	// Path is the mapping file's name as shown in errors.
	Path      string
	Publisher string
	Home      Home
	// Drop lists the patterns of whole lines that are layout artifacts.
	Drop []Pattern
	// ItemMarker starts a marked item heading; it is a layout artifact.
	ItemMarker string
	// SourceLine matches the line naming the source document.
	SourceLine *Pattern
	// CreditLine, if set, matches the closing credit line.
	CreditLine *Pattern
	Sections   []Section
	Topics     []Topic
}

// Home is the editorial title and summary of the home page.
type Home struct {
	Title   string
	Summary string
}

// Pattern is a regular expression of the mapping and the line it is on.
type Pattern struct {
	Re   *regexp.Regexp
	Line int
}

// Section is a section title of the seed and how its items are found.
type Section struct {
	Title string
	Line  int
	// After is true when the layout printed the title after its items.
	After bool
	// ItemHeading, if set, recognises the unmarked item headings in the
	// section: whole lines that start a paragraph.
	ItemHeading *regexp.Regexp
}

// Topic is one page of the site and the item headings it collects.
type Topic struct {
	Slug    string
	Title   string
	Summary string
	Line    int
	Items   []Heading
}

// Heading is an item heading named by the mapping, with its line there.
type Heading struct {
	Text string
	Line int
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ParseMapping reads a mapping file. path is the name shown in errors. All
// problems found are returned together as [Errors].
func ParseMapping(path string, data []byte) (*Mapping, error) {
	var errs Errors
	if !utf8.Valid(data) {
		errs.add(path, invalidUTF8Line(data), "not valid UTF-8 text")
		return nil, errs
	}
	root, err := yamlnode.Parse(data)
	if err != nil {
		errs.add(path, yamlErrorLine(err), "not valid YAML: %v", err)
		return nil, errs
	}
	if root == nil {
		errs.add(path, 1, "mapping is empty")
		return nil, errs
	}
	d := decoder{path: path, errs: &errs}
	m := &Mapping{Path: path}
	top := d.fields(root, "", "publisher", "home", "layout", "sections", "topics")

	m.Publisher = d.text(top, root, "publisher", true)
	if n := top["home"]; n != nil {
		home := d.fields(n, "home.", "title", "summary")
		m.Home = Home{Title: d.text(home, n, "title", true), Summary: d.text(home, n, "summary", false)}
	} else {
		errs.add(path, root.Line, "missing home: add home.title and home.summary")
	}

	if n := top["layout"]; n != nil {
		layout := d.fields(n, "layout.", "drop", "itemMarker", "sourceLine", "creditLine")
		for _, p := range d.list(layout["drop"], "layout.drop") {
			if re := d.regexp(p, "layout.drop"); re != nil {
				m.Drop = append(m.Drop, Pattern{Re: re, Line: p.Line})
			}
		}
		m.ItemMarker = d.text(layout, n, "itemMarker", false)
		if p := layout["sourceLine"]; p != nil {
			if re := d.regexp(p, "layout.sourceLine"); re != nil {
				m.SourceLine = &Pattern{Re: re, Line: p.Line}
			}
		} else {
			errs.add(path, n.Line, "missing layout.sourceLine: a pattern for the line naming the source document")
		}
		if p := layout["creditLine"]; p != nil {
			if re := d.regexp(p, "layout.creditLine"); re != nil {
				m.CreditLine = &Pattern{Re: re, Line: p.Line}
			}
		}
	} else {
		errs.add(path, root.Line, "missing layout: add at least layout.sourceLine")
	}

	sectionLine := map[string]int{}
	for _, n := range d.list(top["sections"], "sections") {
		f := d.fields(n, "sections[].", "title", "placement", "itemHeading")
		s := Section{Title: d.text(f, n, "title", true), Line: n.Line}
		if t := f["title"]; t != nil {
			s.Line = t.Line
		}
		switch p := d.text(f, n, "placement", false); p {
		case "before", "":
		case "after":
			s.After = true
		default:
			errs.add(path, f["placement"].Line, "placement %q: want before (items follow the title) or after (items precede it)", p)
		}
		if p := f["itemHeading"]; p != nil {
			s.ItemHeading = d.regexp(p, "itemHeading")
		}
		if first, dup := sectionLine[s.Title]; dup && s.Title != "" {
			errs.add(path, s.Line, "duplicate section title %q (first at line %d)", s.Title, first)
		}
		sectionLine[s.Title] = s.Line
		m.Sections = append(m.Sections, s)
	}

	slugLine := map[string]int{}
	headingLine := map[string]int{}
	topics := d.list(top["topics"], "topics")
	if len(topics) == 0 && top["topics"] == nil {
		errs.add(path, root.Line, "no topics: add a list topics with slug, title, summary and items")
	}
	for _, n := range topics {
		f := d.fields(n, "topics[].", "slug", "title", "summary", "items")
		t := Topic{
			Slug:    d.text(f, n, "slug", true),
			Title:   d.text(f, n, "title", true),
			Summary: d.text(f, n, "summary", false),
			Line:    n.Line,
		}
		if s := f["slug"]; s != nil {
			t.Line = s.Line
			switch first, dup := slugLine[t.Slug]; {
			case dup:
				errs.add(path, s.Line, "duplicate slug %q (first at line %d)", t.Slug, first)
			case !slugRE.MatchString(t.Slug):
				errs.add(path, s.Line, "slug %q: use lower-case ASCII letters, digits and single dashes", t.Slug)
			}
			slugLine[t.Slug] = s.Line
		}
		items := d.list(f["items"], "items")
		if len(items) == 0 {
			errs.add(path, t.Line, "topic %q has no items", t.Slug)
		}
		for _, h := range items {
			text := d.scalar(h, "items")
			if text == "" {
				continue
			}
			if first, dup := headingLine[text]; dup {
				errs.add(path, h.Line, "heading %q is claimed twice (first at line %d)", text, first)
				continue
			}
			headingLine[text] = h.Line
			t.Items = append(t.Items, Heading{Text: text, Line: h.Line})
		}
		m.Topics = append(m.Topics, t)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// decoder reads the mapping's YAML nodes, recording problems with their
// lines instead of stopping at the first.
type decoder struct {
	path string
	errs *Errors
}

// fields returns the values of a mapping node by key, reporting keys not in
// allowed (likely typos) and keys given twice.
func (d decoder) fields(n *yamlnode.Node, prefix string, allowed ...string) map[string]*yamlnode.Node {
	out := map[string]*yamlnode.Node{}
	if n.Kind != yamlnode.MappingNode {
		d.errs.add(d.path, n.Line, "%s: want fields like \"%s: …\"", strings.TrimSuffix(prefix, "."), allowed[0])
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		known := false
		for _, a := range allowed {
			known = known || k.Value == a
		}
		switch _, dup := out[k.Value]; {
		case !known:
			d.errs.add(d.path, k.Line, "unknown field %s%s (want one of %s)", prefix, k.Value, strings.Join(allowed, ", "))
		case dup:
			d.errs.add(d.path, k.Line, "field %s%s is given twice", prefix, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out
}

// text returns the one-line text of field key of f; parent locates the
// error when a required field is missing.
func (d decoder) text(f map[string]*yamlnode.Node, parent *yamlnode.Node, key string, required bool) string {
	n := f[key]
	if n == nil {
		if required {
			d.errs.add(d.path, parent.Line, "missing %s", key)
		}
		return ""
	}
	s := d.scalar(n, key)
	if s == "" && required {
		d.errs.add(d.path, n.Line, "%s is empty", key)
	}
	return s
}

func (d decoder) scalar(n *yamlnode.Node, what string) string {
	if n.Kind != yamlnode.ScalarNode || n.Tag == yamlnode.NullTag {
		d.errs.add(d.path, n.Line, "%s: want text on one line", what)
		return ""
	}
	if strings.ContainsAny(n.Value, "\r\n") {
		d.errs.add(d.path, n.Line, "%s: want text on one line", what)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (d decoder) list(n *yamlnode.Node, what string) []*yamlnode.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yamlnode.SequenceNode {
		d.errs.add(d.path, n.Line, "%s: want a list", what)
		return nil
	}
	return n.Content
}

func (d decoder) regexp(n *yamlnode.Node, what string) *regexp.Regexp {
	s := d.scalar(n, what)
	if s == "" {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		d.errs.add(d.path, n.Line, "%s: bad pattern %q: %v", what, s, err)
		return nil
	}
	return re
}

// yamlErrorLine returns the line of a YAML syntax error, or 1.
func yamlErrorLine(err error) int {
	var se *yamlnode.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		return se.Line
	}
	return 1
}

// invalidUTF8Line returns the 1-based line of the first invalid byte.
func invalidUTF8Line(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return bytes.Count(src[:i], []byte("\n")) + 1
		}
		i += size
	}
	return 0
}

// topicOf maps each heading the mapping names to its topic's slug.
func (m *Mapping) topicOf() map[string]string {
	out := map[string]string{}
	for _, t := range m.Topics {
		for _, h := range t.Items {
			out[h.Text] = t.Slug
		}
	}
	return out
}

package importer

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Document is a seed as parsed: its items in report order, and what the
// parse dropped and where.
type Document struct {
	// Path is the seed's name as shown in errors and reports.
	Path string
	// Lines is the number of lines of the seed.
	Lines int
	// Source names the source document.
	Source Line
	// Credit is the closing credit line; its Text is empty if there is none.
	Credit   Line
	Items    []*Item
	Sections []Line
	// Dropped lists the layout artifacts dropped, in seed order.
	Dropped []Artifact
}

// Line is a line of the seed (trimmed) and its 1-based number.
type Line struct {
	Text string
	N    int
}

// Item is one item of the report: its heading and reflowed body.
type Item struct {
	Heading string
	// Line is the line of the heading; Last the last line of the body.
	Line, Last int
	// Marked is true for headings printed with the item marker.
	Marked bool
	// Topic is the slug of the topic that claims the heading.
	Topic string
	// Section is the title of the section the item is in, or "".
	Section    string
	Paragraphs []string
	// Joins counts the line breaks inside paragraphs that were joined.
	Joins int
}

// Artifact is a piece of the seed dropped as a layout artifact.
type Artifact struct {
	Line int
	Text string
	// Why names the mapping rule that dropped it.
	Why string
}

// lineKind is the role of one seed line.
type lineKind int

const (
	kindBlank lineKind = iota
	kindDrop
	kindSource
	kindCredit
	kindSection
	kindHeading
	kindText
)

// structural reports whether a line of kind k bounds a section's span.
func (k lineKind) structural() bool {
	return k == kindSource || k == kindCredit || k == kindSection
}

// Parse reads a seed with the help of mapping m. path is the seed's name as
// shown in errors. All problems found are returned together as [Errors].
func Parse(path string, seed []byte, m *Mapping) (*Document, error) {
	lines, err := seedLines(path, seed)
	if err != nil {
		return nil, err
	}
	var errs Errors
	doc := &Document{Path: path, Lines: len(lines)}
	kinds := make([]lineKind, len(lines))
	headings := make([]string, len(lines))
	sectionAt := map[string]int{}
	for i, l := range lines {
		n := i + 1
		switch {
		case l == "":
			kinds[i] = kindBlank
		case matchAny(m.Drop, l) != nil:
			kinds[i] = kindDrop
			doc.Dropped = append(doc.Dropped, Artifact{Line: n, Text: l, Why: "layout.drop " + matchAny(m.Drop, l).Re.String()})
		case m.SourceLine != nil && m.SourceLine.Re.MatchString(l):
			kinds[i] = kindSource
			if doc.Source.N != 0 {
				errs.add(path, n, "a second line matches layout.sourceLine (first at line %d)", doc.Source.N)
				continue
			}
			doc.Source = Line{Text: l, N: n}
		case m.CreditLine != nil && m.CreditLine.Re.MatchString(l):
			kinds[i] = kindCredit
			if doc.Credit.N != 0 {
				errs.add(path, n, "a second line matches layout.creditLine (first at line %d)", doc.Credit.N)
				continue
			}
			doc.Credit = Line{Text: l, N: n}
		case m.section(l) != nil:
			kinds[i] = kindSection
			if first, dup := sectionAt[l]; dup {
				errs.add(path, n, "section title %q appears twice (first at line %d)", l, first+1)
				continue
			}
			sectionAt[l] = i
			doc.Sections = append(doc.Sections, Line{Text: l, N: n})
		case m.ItemMarker != "" && strings.HasPrefix(l, m.ItemMarker):
			kinds[i] = kindHeading
			headings[i] = strings.TrimSpace(strings.TrimPrefix(l, m.ItemMarker))
			doc.Dropped = append(doc.Dropped, Artifact{Line: n, Text: m.ItemMarker, Why: "layout.itemMarker"})
			if headings[i] == "" {
				errs.add(path, n, "item marker %q with no heading after it", m.ItemMarker)
			}
		case m.ItemHeading != nil && m.ItemHeading.Re.MatchString(l):
			kinds[i] = kindHeading
			headings[i] = l
		default:
			kinds[i] = kindText
		}
	}
	if m.SourceLine != nil && doc.Source.N == 0 {
		errs.add(m.Path, m.SourceLine.Line, "no line of %s matches layout.sourceLine %q", path, m.SourceLine.Re)
	}
	if m.CreditLine != nil && doc.Credit.N == 0 {
		errs.add(m.Path, m.CreditLine.Line, "no line of %s matches layout.creditLine %q", path, m.CreditLine.Re)
	}

	// Each section title owns a span of lines: those after it up to the
	// next structural line, or, for a title printed late, those before it
	// back to the previous one.
	owner := make([]string, len(lines))
	for _, s := range m.Sections {
		at, found := sectionAt[s.Title]
		if !found {
			errs.add(m.Path, s.Line, "section title %q is not a line of %s", s.Title, path)
			continue
		}
		lo, hi := at+1, len(lines)
		if s.After {
			lo, hi = 0, at
			for j := at - 1; j >= 0; j-- {
				if kinds[j].structural() {
					lo = j + 1
					break
				}
			}
		} else {
			for j := at + 1; j < len(lines); j++ {
				if kinds[j].structural() {
					hi = j
					break
				}
			}
		}
		paraStart := true
		for j := lo; j < hi; j++ {
			if owner[j] != "" {
				errs.add(m.Path, s.Line, "sections %q and %q both claim line %d of %s", owner[j], s.Title, j+1, path)
				break
			}
			owner[j] = s.Title
			switch kinds[j] {
			case kindBlank:
				paraStart = true
			case kindText:
				if paraStart && s.ItemHeading != nil && s.ItemHeading.MatchString(lines[j]) {
					kinds[j] = kindHeading
					headings[j] = lines[j]
				}
				paraStart = false
			case kindHeading:
				paraStart = false
			}
		}
	}

	topicOf := m.topicOf()
	headingAt := map[string]int{}
	var cur *Item
	var body []string
	strayReported := false // one error per stray paragraph, not per line
	flush := func() {
		if cur != nil {
			cur.Paragraphs = reflowLines(body)
			nonBlank := 0
			for _, b := range body {
				if b != "" {
					nonBlank++
				}
			}
			cur.Joins = nonBlank - len(cur.Paragraphs)
		}
		cur, body = nil, nil
	}
	for i, l := range lines {
		n := i + 1
		switch kinds[i] {
		case kindBlank:
			strayReported = false
			if cur != nil {
				body = append(body, "")
			}
		case kindDrop:
		case kindSource, kindCredit, kindSection:
			flush()
		case kindHeading:
			flush()
			h := headings[i]
			if h == "" {
				continue
			}
			if first, dup := headingAt[h]; dup {
				errs.add(path, n, "item heading %q appears twice (first at line %d)", h, first)
			}
			headingAt[h] = n
			topic, ok := topicOf[h]
			if !ok {
				errs.add(path, n, "item heading %q is not claimed by any topic in %s", h, m.Path)
			}
			cur = &Item{Heading: h, Line: n, Last: n, Marked: l != h, Topic: topic, Section: owner[i]}
			doc.Items = append(doc.Items, cur)
		case kindText:
			if cur == nil {
				if !strayReported {
					errs.add(path, n, "text outside any item: %q (not an item heading, section title, source or credit line)", clip(l, 24))
				}
				strayReported = true
				continue
			}
			body = append(body, l)
			cur.Last = n
		}
	}
	flush()

	for _, t := range m.Topics {
		for _, h := range t.Items {
			if _, ok := headingAt[h.Text]; !ok {
				errs.add(m.Path, h.Line, "heading %q of topic %q is not an item heading of %s", h.Text, t.Slug, path)
			}
		}
	}
	for _, s := range doc.Sections {
		found := false
		for _, it := range doc.Items {
			found = found || it.Section == s.Text
		}
		if !found {
			errs.add(path, s.N, "section title %q has no items in its span", s.Text)
		}
	}
	if err := errs.err(); err != nil {
		errs.sort()
		return nil, errs
	}
	return doc, nil
}

// seedLines checks that seed is usable text and returns its lines, trimmed
// and with inner white space collapsed.
func seedLines(path string, seed []byte) ([]string, error) {
	var errs Errors
	if !utf8.Valid(seed) {
		// Name every bad line, so one pass of fixing the encoding is enough.
		for i, l := range bytes.Split(seed, []byte("\n")) {
			if !utf8.Valid(l) && len(errs) < 10 {
				errs.add(path, i+1, "not valid UTF-8 text: save the seed as UTF-8")
			}
		}
		return nil, errs
	}
	seed = bytes.TrimPrefix(seed, []byte("\uFEFF"))
	if len(bytes.Fields(seed)) == 0 {
		errs.add(path, 1, "seed is empty")
		return nil, errs
	}
	raw := strings.Split(string(seed), "\n")
	lines := make([]string, len(raw))
	for i, l := range raw {
		lines[i] = normalizeSpace(l)
	}
	return lines, nil
}

func matchAny(ps []Pattern, s string) *Pattern {
	for i := range ps {
		if ps[i].Re.MatchString(s) {
			return &ps[i]
		}
	}
	return nil
}

func (m *Mapping) section(title string) *Section {
	for i := range m.Sections {
		if m.Sections[i].Title == title {
			return &m.Sections[i]
		}
	}
	return nil
}

// clip shortens s to n runes for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// maxTopics bounds the topics a run of items without a section title is
// split into, so a long report without sections still makes a usable
// home page.
const maxTopics = 8

// Suggest reads a seed it has never seen and drafts the mapping that
// imports it: the layout (item marker, numbered item headings and section
// titles, running headers and page numbers, the source and credit lines)
// read from the text alone, and one topic per section, or per group of
// items where there are no sections, each with the section's title, an
// empty summary for the editor and an ASCII slug from the title's pinyin.
// mapPath is the name the draft will have, shown in its errors.
//
// The draft is proved before it is returned: imported with it, the seed
// passes the same check as any import ([Verify]). When it does not, the
// draft is returned anyway, for the editor to mend, with the error.
func Suggest(path, mapPath string, data []byte) (*Suggestion, error) {
	text, conversions, err := DecodeText(path, data)
	if err != nil {
		return nil, err
	}
	lines, err := seedLines(path, text)
	if err != nil {
		return nil, err
	}
	a := &analysis{lines: lines, roles: make([]role, len(lines)), heading: make([]string, len(lines))}
	for i, l := range lines {
		if l != "" {
			a.roles[i] = roleText
		}
	}
	a.artifacts()
	a.attribution()
	a.headings()
	a.unmarked()
	topics, sections := a.topics()
	if len(topics) == 0 {
		return nil, fmt.Errorf("%s: no item headings found: no line starts with an item marker (%s) or a number (（一）, 1.), and no short line stands above a paragraph", path, itemMarkers)
	}
	sug := &Suggestion{Path: path, Lines: len(lines), Conversions: conversions, Topics: topics}
	sug.Mapping = a.write(path, topics, sections)
	for i, r := range a.roles {
		switch r {
		case roleSection, roleLateSection:
			a.note(i+1, "section title: %s", lines[i])
		case roleMarked:
			a.note(i+1, "item (marker %s): %s", a.marker, a.heading[i])
		case roleNumbered:
			a.note(i+1, "item (numbered): %s", a.heading[i])
		case roleHeading:
			a.note(i+1, "item (a short line above a paragraph): %s", a.heading[i])
		}
	}
	sortFindings(a.found)
	sortFindings(a.unsure)
	sug.Found, sug.Unsure = a.found, a.unsure

	m, err := ParseMapping(mapPath, sug.Mapping)
	if err != nil {
		return sug, fmt.Errorf("the draft mapping is not usable as it stands:\n%w", err)
	}
	doc, err := Parse(path, text, m)
	if err != nil {
		return sug, fmt.Errorf("the draft mapping does not import the seed as it stands:\n%w", err)
	}
	if err := Verify(path, text, m, Render(doc, m)); err != nil {
		return sug, fmt.Errorf("the draft mapping loses or repeats text of the seed:\n%w", err)
	}
	for _, it := range doc.Items {
		sug.Joins += it.Joins
	}
	return sug, nil
}

func sortFindings(f []Finding) {
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && f[j].Line < f[j-1].Line; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
}

// section is a section title of the draft and its placement.
type section struct {
	line  int
	after bool
}

// topics groups the item headings: those in a section's span make one
// topic with the section's title; runs of items outside any section are
// split into at most maxTopics topics of consecutive items.
func (a *analysis) topics() ([]SuggestedTopic, []section) {
	owner := make([]int, len(a.lines))
	for i := range owner {
		owner[i] = -1
	}
	var sections []section
	for i, r := range a.roles {
		switch r {
		case roleSection:
			items := 0
			for j := i + 1; j < len(a.lines) && !a.roles[j].structural(); j++ {
				owner[j] = i
				if a.roles[j].heading() {
					items++
				}
			}
			if items == 0 {
				// A title with text but no items under it is an item
				// itself.
				a.roles[i], a.heading[i] = roleHeading, a.lines[i]
				for j := i + 1; j < len(a.lines) && !a.roles[j].structural(); j++ {
					owner[j] = -1
				}
				a.doubt(i+1, "section title %q has no numbered or marked items under it: made an item itself", a.lines[i])
				continue
			}
			sections = append(sections, section{line: i})
		case roleLateSection:
			for j := i - 1; j >= 0 && !a.roles[j].structural(); j-- {
				owner[j] = i
			}
			sections = append(sections, section{line: i, after: true})
		}
	}
	type group struct {
		title string
		items []int
		loose bool
	}
	var groups []group
	for i, r := range a.roles {
		if !r.heading() {
			continue
		}
		o := owner[i]
		if n := len(groups); n > 0 && (o >= 0 && groups[n-1].title == a.lines[o] || o < 0 && groups[n-1].loose) {
			groups[n-1].items = append(groups[n-1].items, i)
			continue
		}
		g := group{loose: o < 0, items: []int{i}}
		if o >= 0 {
			g.title = a.lines[o]
		}
		groups = append(groups, g)
	}
	var topics []SuggestedTopic
	taken := map[string]bool{}
	var byOrder []string // topics that group items by order alone
	firstByOrder := -1
	for _, g := range groups {
		size := len(g.items)
		if g.loose {
			size = (len(g.items) + maxTopics - 1) / maxTopics
		}
		for k := 0; k < len(g.items); k += size {
			chunk := g.items[k:min(k+size, len(g.items))]
			title := g.title
			if g.loose {
				title = a.heading[chunk[0]]
			}
			title = strings.TrimSpace(numberingRE.ReplaceAllString(title, ""))
			if title == "" {
				title = a.heading[chunk[0]]
			}
			t := SuggestedTopic{Title: title, Slug: uniqueSlug(slugOf(title), taken)}
			for _, i := range chunk {
				t.Items = append(t.Items, i+1)
			}
			topics = append(topics, t)
			if g.loose && len(chunk) > 1 {
				byOrder = append(byOrder, t.Slug)
				if firstByOrder < 0 {
					firstByOrder = chunk[0]
				}
			}
		}
	}
	if len(byOrder) > 0 {
		a.doubt(firstByOrder+1, "no section titles group these items, so topics %s each collect a few of them in report order and are titled after the first: regroup the items and give each topic a title that covers them", strings.Join(byOrder, ", "))
	}
	return topics, sections
}

// slugOf makes a readable ASCII slug of a Chinese title: the pinyin of
// its first characters, two syllables to a word as most Chinese words
// have two, three words at most; ASCII letters and digits are kept.
func slugOf(title string) string {
	args := pinyin.NewArgs()
	var words []string
	var syl []string
	flush := func() {
		if len(syl) > 0 {
			words = append(words, strings.Join(syl, ""))
			syl = nil
		}
	}
	var ascii strings.Builder
	for _, r := range title {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			ascii.WriteRune(r)
			continue
		case r >= 'A' && r <= 'Z':
			ascii.WriteRune(r - 'A' + 'a')
			continue
		}
		if ascii.Len() > 0 {
			flush()
			words = append(words, ascii.String())
			ascii.Reset()
		}
		p := pinyin.SinglePinyin(r, args)
		if len(p) == 0 || !slugRE.MatchString(p[0]) {
			flush()
			continue
		}
		syl = append(syl, p[0])
		if len(syl) == 2 {
			flush()
		}
		if len(words) == 3 {
			break
		}
	}
	flush()
	if ascii.Len() > 0 {
		words = append(words, ascii.String())
	}
	if len(words) > 3 {
		words = words[:3]
	}
	return strings.Join(words, "-")
}

// uniqueSlug returns s, or s-2, s-3, ... if taken (topic-1, topic-2, ...
// if s is empty), and marks it taken.
func uniqueSlug(s string, taken map[string]bool) string {
	out := s
	if s == "" {
		s, out = "topic", "topic-1"
	}
	for n := 2; taken[out]; n++ {
		out = fmt.Sprintf("%s-%d", s, n)
	}
	taken[out] = true
	return out
}

// yamlQuote writes s as a single-quoted YAML scalar, which takes every
// character literally but the quote itself.
func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// write renders the draft mapping, with comments for the editor.
func (a *analysis) write(path string, topics []SuggestedTopic, sections []section) []byte {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# Draft mapping of %s, written by plansite import --suggest.", filepath.ToSlash(path))
	p("# Check it, write the summaries, then run: plansite import %s", filepath.ToSlash(path))
	p("# The topics' titles, order, slugs (their web addresses) and which items each")
	p("# collects are yours to change; an item heading must stay exactly as in the")
	p("# report. Patterns are Go regular expressions matched against a whole line,")
	p("# white space trimmed. plansite import --help explains every field.")
	p("")
	if a.publisher != "" {
		p("publisher: %s  # 发布机构, from the report's credit line", yamlQuote(a.publisher))
	} else {
		p("# publisher: 某市人民政府  # 发布机构; without it, the site's publisher (site.yaml)")
	}
	p("")
	home := ""
	for i, r := range a.roles {
		if r == roleSource {
			home = a.lines[i]
		}
	}
	if home == "" {
		home = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		a.doubt(1, "no source line (《…》解读…) found: the home page's title is the file's name, %q: write the site's title in home.title", home)
	}
	p("home:")
	p("  title: %s", yamlQuote(home))
	p("  summary: ''  # one sentence about the report for the home page: write it")
	p("")
	p("layout:")
	if len(a.drop) > 0 {
		p("  # Lines of the printed layout that are not text of the report: dropped.")
		p("  drop:")
		for _, d := range a.drop {
			where := "lines"
			if len(d.lines) == 1 {
				where = "line"
			}
			p("    - %s  # %s %s", yamlQuote(d.pattern), where, joinInts(d.lines))
		}
	}
	if a.marker != "" {
		p("  # Starts each marked item heading; dropped, the heading kept.")
		p("  itemMarker: %s", yamlQuote(a.marker))
	}
	if re := a.itemHeadingPattern(); re != "" {
		p("  # Item headings without a marker: whole lines, kept as they are.")
		p("  itemHeading: %s", yamlQuote(re))
	}
	for i, r := range a.roles {
		switch r {
		case roleSource:
			p("  # Names the source document; it becomes the pages' source field.")
			p("  sourceLine: %s", yamlQuote("^"+regexp.QuoteMeta(a.lines[i])+"$"))
		case roleCredit:
			p("  # The credit line, kept as the pages' credit field.")
			p("  creditLine: %s", yamlQuote("^"+regexp.QuoteMeta(a.lines[i])+"$"))
		}
	}
	if len(sections) > 0 {
		p("")
		p("sections:")
		for _, s := range sections {
			p("  - title: %s  # line %d", yamlQuote(a.lines[s.line]), s.line+1)
			if s.after {
				p("    placement: after   # printed below its items; the site shows it above them")
			} else {
				p("    placement: before")
			}
		}
	}
	p("")
	p("# In the order of the site. Each topic's summary is one sentence for the")
	p("# home page and search engines: write it.")
	p("topics:")
	for i, t := range topics {
		if i > 0 {
			p("")
		}
		p("  - slug: %s", t.Slug)
		p("    title: %s", yamlQuote(t.Title))
		p("    summary: ''")
		p("    items:")
		for _, n := range t.Items {
			p("      - %s  # line %d", yamlQuote(a.heading[n-1]), n)
		}
	}
	return []byte(b.String())
}

func joinInts(n []int) string {
	s := make([]string, len(n))
	for i, x := range n {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// itemHeadingPattern is the pattern of the item headings that have no
// marker: the numbering styles in use, and the headings found by their
// shape, each as the exact line.
func (a *analysis) itemHeadingPattern() string {
	var alts []string
	han, digit := false, false
	for i, r := range a.roles {
		switch r {
		case roleNumbered:
			han = han || hanNumItemRE.MatchString(a.lines[i])
			digit = digit || digitItemRE.MatchString(a.lines[i])
		case roleHeading:
			alts = append(alts, regexp.QuoteMeta(a.lines[i])+"$")
		}
	}
	if digit {
		alts = append([]string{strings.TrimPrefix(digitItemRE.String(), "^")}, alts...)
	}
	if han {
		alts = append([]string{strings.TrimPrefix(hanNumItemRE.String(), "^")}, alts...)
	}
	if len(alts) == 0 {
		return ""
	}
	return "^(?:" + strings.Join(alts, "|") + ")"
}

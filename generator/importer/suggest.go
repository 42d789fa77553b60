package importer

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// A Suggestion is a draft mapping for a seed the importer has never seen,
// read from the seed's text alone (see [Suggest]), and what the reading
// found and was unsure of, for the editor to check.
type Suggestion struct {
	// Path is the seed's name as shown in the report.
	Path string
	// Lines is the number of lines of the seed.
	Lines int
	// Conversions says how the seed was made UTF-8 text ([DecodeText]).
	Conversions []string
	// Mapping is the draft mapping file, ready for [ParseMapping].
	Mapping []byte
	// Found lists what the reading found, in seed order.
	Found []Finding
	// Topics are the topics of the draft, in site order.
	Topics []SuggestedTopic
	// Unsure lists the guesses the editor should check.
	Unsure []Finding
	// Joins is the number of line breaks of the printed layout that the
	// import will join inside paragraphs.
	Joins int
}

// Finding is something found on a line of the seed.
type Finding struct {
	Line int
	What string
}

// SuggestedTopic is a topic of a draft mapping and the lines of its items.
type SuggestedTopic struct {
	Slug, Title string
	Items       []int
}

// role is what a seed line is to the suggestion.
type role int

const (
	roleBlank role = iota
	roleText
	roleDrop
	roleSource
	roleCredit
	roleSection     // a numbered section title, printed before its items
	roleLateSection // a section title printed after its items
	roleMarked      // an item heading starting with the item marker
	roleNumbered    // an item heading numbered （一） or 1.
	roleHeading     // an unmarked item heading found by its shape
)

func (r role) structural() bool {
	return r == roleSource || r == roleCredit || r == roleSection || r == roleLateSection
}

func (r role) heading() bool {
	return r == roleMarked || r == roleNumbered || r == roleHeading
}

// Patterns of the layouts the suggestion knows. Numbers in Chinese
// reports are Chinese numerals for sections and items, or digits.
var (
	digitsRE      = regexp.MustCompile(`[0-9]+`)
	sectionRE     = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	hanNumItemRE  = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`)
	digitItemRE   = regexp.MustCompile(`^[0-9]{1,2}[.．、][^0-9]`)
	sourceLineRE  = regexp.MustCompile(`^[^，。；]{0,20}《[^》]+》[^，。；]{0,10}(?:解[读讀]|摘[编編]|要[点點]|[节節]选|[节節]選|全文|学习|學習)`)
	creditLineRE  = regexp.MustCompile(`^[（(](文字整理|整理|来源|來源|责任编辑|責任編輯|编辑|編輯|记者|記者|作者|供稿)[^（(）)]*[）)]$`)
	publisherRE   = regexp.MustCompile(`^[（(](?:来源|來源)[：:]\s*([^）)]+)[）)]$`)
	numberingRE   = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]{1,2}[.．、])\s*`)
	clausePunct   = "，。；：、！？,;:!?…"
	itemMarkers   = "●○■□◆◇▲△★☆•▪◎►"
	maxHeading    = 24 // runes of an unmarked heading
	maxArtifact   = 30 // runes of a running header or page number
	maxSourceLine = 60
)

// analysis is the state of reading one seed.
type analysis struct {
	lines  []string
	roles  []role
	marker string
	// heading is the item heading of each heading line.
	heading []string
	// drop are the artifact patterns, each with the lines it drops.
	drop      []dropRule
	publisher string
	found     []Finding
	unsure    []Finding
}

type dropRule struct {
	pattern string
	lines   []int
	alone   bool // seen once only
}

func (a *analysis) note(line int, format string, args ...any) {
	a.found = append(a.found, Finding{line, fmt.Sprintf(format, args...)})
}

func (a *analysis) doubt(line int, format string, args ...any) {
	a.unsure = append(a.unsure, Finding{line, fmt.Sprintf(format, args...)})
}

// prev returns the index of the nearest line before i that is neither
// blank nor dropped, or -1; blank reports whether a blank line lies
// between.
func (a *analysis) prev(i int) (j int, blank bool) {
	for j = i - 1; j >= 0; j-- {
		switch a.roles[j] {
		case roleBlank:
			blank = true
		case roleDrop:
		default:
			return j, blank
		}
	}
	return -1, blank
}

// next is prev's mirror.
func (a *analysis) next(i int) (j int, blank bool) {
	for j = i + 1; j < len(a.lines); j++ {
		switch a.roles[j] {
		case roleBlank:
			blank = true
		case roleDrop:
		default:
			return j, blank
		}
	}
	return len(a.lines), blank
}

// artifacts finds the lines of the printed layout: running headers and
// page numbers are short lines without punctuation that repeat with a
// changing number. One such line seen once, standing alone, is dropped
// too, as a doubt.
func (a *analysis) artifacts() {
	groups := map[string][]int{}
	var order []string
	for i, l := range a.lines {
		if l == "" || utf8.RuneCountInString(l) > maxArtifact || !digitsRE.MatchString(l) || endsSentence(l) {
			continue
		}
		key := "^" + strings.Join(quoteAll(digitsRE.Split(l, -1)), `\d+`) + "$"
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		at := groups[key]
		numbers := map[string]bool{}
		for _, i := range at {
			numbers[strings.Join(digitsRE.FindAllString(a.lines[i], -1), " ")] = true
		}
		// A line with punctuation ("第3页，共12页") is a layout line only
		// if it comes back at least three times: two short pieces of
		// text may share a shape by chance.
		punct := strings.ContainsAny(a.lines[at[0]], clausePunct)
		alone := false
		if punct && len(at) < 3 {
			continue
		}
		if len(at) == 1 {
			i := at[0]
			before := i == 0 || a.lines[i-1] == ""
			after := i == len(a.lines)-1 || a.lines[i+1] == ""
			last := digitsRE.FindStringIndex(a.lines[i])
			if !before || !after || last == nil || last[1] != len(a.lines[i]) || !firstOrLastLine(a.lines, i) {
				continue
			}
			alone = true
		} else if len(numbers) < 2 {
			continue
		}
		rule := dropRule{pattern: key, alone: alone}
		for _, i := range at {
			a.roles[i] = roleDrop
			rule.lines = append(rule.lines, i+1)
			why := "a line that repeats with a changing number: running header or page number"
			if alone {
				why = "a line standing alone at the edge of the text, ending in a number: running header or page number"
				a.doubt(i+1, "%q dropped as a running header seen only once: if it is text of the report, remove its pattern from layout.drop", a.lines[i])
			}
			a.note(i+1, "dropped %q (%s)", a.lines[i], why)
		}
		a.drop = append(a.drop, rule)
	}
}

// firstOrLastLine reports whether line i is the first or last non-blank
// line of the text, where a page's running header lands when the text is
// one page's worth.
func firstOrLastLine(lines []string, i int) bool {
	first, last := -1, -1
	for j, l := range lines {
		if l != "" {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	return i == first || i == last
}

func quoteAll(parts []string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = regexp.QuoteMeta(p)
	}
	return out
}

// attribution finds the source line (《…》解读…, 《…》摘编…) and the
// credit line.
func (a *analysis) attribution() {
	for i, l := range a.lines {
		if a.roles[i] != roleText {
			continue
		}
		switch {
		case sourceLineRE.MatchString(l) && utf8.RuneCountInString(l) <= maxSourceLine && !strings.HasSuffix(l, "。"):
			if a.has(roleSource) {
				a.doubt(i+1, "another line like a source line, %q, left as text", l)
				continue
			}
			a.roles[i] = roleSource
			a.note(i+1, "source line: %s", l)
		case creditLineRE.MatchString(l):
			if a.has(roleCredit) {
				a.doubt(i+1, "another credit line, %q, left as text", l)
				continue
			}
			a.roles[i] = roleCredit
			a.note(i+1, "credit line: %s", l)
			if m := publisherRE.FindStringSubmatch(l); m != nil {
				a.publisher = strings.TrimSpace(m[1])
			}
		}
	}
}

func (a *analysis) has(r role) bool {
	for _, x := range a.roles {
		if x == r {
			return true
		}
	}
	return false
}

// headings finds numbered section titles, the item marker and numbered
// item headings.
func (a *analysis) headings() {
	counts := map[rune]int{}
	firstAt := map[rune]int{}
	for i, l := range a.lines {
		if a.roles[i] != roleText {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune(itemMarkers, r) && len(strings.TrimSpace(l[utf8.RuneLen(r):])) > 0 {
			if counts[r] == 0 {
				firstAt[r] = i
			}
			counts[r]++
		}
	}
	var best rune
	for r, n := range counts {
		if best == 0 || n > counts[best] || n == counts[best] && firstAt[r] < firstAt[best] {
			best = r
		}
	}
	if best != 0 {
		a.marker = string(best)
	}
	for r := range counts {
		if r != best {
			a.doubt(firstAt[r]+1, "%s starting with %q, a second item marker, read as text of the item above (layout.itemMarker is %q)", plural(counts[r], "line"), string(r), a.marker)
		}
	}
	for i, l := range a.lines {
		if a.roles[i] != roleText {
			continue
		}
		switch {
		case a.marker != "" && strings.HasPrefix(l, a.marker):
			a.roles[i], a.heading[i] = roleMarked, strings.TrimSpace(strings.TrimPrefix(l, a.marker))
		case sectionRE.MatchString(l) && utf8.RuneCountInString(l) <= maxSourceLine:
			a.roles[i] = roleSection
		case hanNumItemRE.MatchString(l) || digitItemRE.MatchString(l):
			a.roles[i], a.heading[i] = roleNumbered, l
		}
	}
}

// unmarked finds item headings that have neither marker nor number, in
// the stretches of text that no heading claims: a short line without
// clause punctuation that starts a paragraph after a finished sentence,
// with text right below it. A stretch with no such line gets its first
// line as heading, as a doubt. A line standing alone after the last of
// such items, just before a source or credit line, is taken for a section
// title the layout printed after its items.
func (a *analysis) unmarked() {
	claimed, byShape := false, false
	var stretch []int // stray lines of the current stretch, none a heading
	flush := func() {
		if len(stretch) > 0 && !byShape {
			i := stretch[0]
			if p, _ := a.prev(i); p >= 0 && a.roles[p] == roleSection {
				// Text right under a section title: the title heads it.
				a.roles[p], a.heading[p] = roleHeading, a.lines[p]
				a.doubt(p+1, "section title %q has text under it before any item: made an item itself, with that text", a.lines[p])
			} else {
				a.roles[i], a.heading[i] = roleHeading, a.lines[i]
				a.doubt(i+1, "text that no heading claims; its first line %q is made an item heading: give it a better heading in the report, or move it", clip(a.lines[i], 24))
			}
		}
		stretch = nil
	}
	for i := range a.lines {
		switch r := a.roles[i]; {
		case r.structural():
			flush()
			claimed, byShape = false, false
		case r.heading():
			flush()
			claimed, byShape = true, false
		case r == roleText && (!claimed || byShape):
			if a.headingShape(i) {
				flush()
				a.roles[i], a.heading[i] = roleHeading, a.lines[i]
				claimed, byShape = true, true
				continue
			}
			if !claimed {
				stretch = append(stretch, i)
			}
		}
	}
	flush()

	for i := 0; i < len(a.lines); i++ {
		if a.roles[i] != roleHeading {
			continue
		}
		// Follow this run of shape-found items to its last paragraph.
		start, last, j := i, -1, i
		for ; j < len(a.lines) && !a.roles[j].structural() && a.roles[j] != roleMarked && a.roles[j] != roleNumbered; j++ {
			if a.roles[j] == roleText {
				last = j
			}
		}
		i = j
		if last < 0 {
			continue
		}
		p, blankBefore := a.prev(last)
		n, blankAfter := a.next(last)
		blankAfter = blankAfter || n == len(a.lines)
		// Spans of sections must not overlap: after a numbered section
		// title, its items are its own.
		if before := a.prevStructural(start); before >= 0 && a.roles[before] == roleSection {
			continue
		}
		if blankBefore && blankAfter && p >= 0 && a.roles[p] == roleText && endsSentence(a.lines[p]) &&
			!strings.ContainsAny(a.lines[last], clausePunct) && utf8.RuneCountInString(a.lines[last]) <= maxSourceLine && (j == len(a.lines) || a.roles[j].structural()) {
			a.roles[last] = roleLateSection
			a.doubt(last+1, "%q stands alone after the items above it: taken for their section title, printed after them (placement: after)", a.lines[last])
		}
	}
}

// prevStructural returns the nearest structural line before i, or -1.
func (a *analysis) prevStructural(i int) int {
	for j := i - 1; j >= 0; j-- {
		if a.roles[j].structural() {
			return j
		}
	}
	return -1
}

// headingShape reports whether line i looks like an unmarked heading.
func (a *analysis) headingShape(i int) bool {
	l := a.lines[i]
	if utf8.RuneCountInString(l) > maxHeading || strings.ContainsAny(l, clausePunct) || endsSentence(l) {
		return false
	}
	n, _ := a.next(i)
	if n >= len(a.lines) || a.roles[n] != roleText {
		return false
	}
	p, _ := a.prev(i)
	switch {
	case p < 0:
		return true
	case a.roles[p].structural():
		return true
	case a.roles[p] == roleText:
		// After a finished sentence; a page break inside a sentence
		// leaves it unfinished.
		return endsSentence(a.lines[p])
	}
	return false
}

// Write prints what the reading found, line by line, the topics drafted
// and what the editor should check; mapPath is where the draft was
// written.
func (s *Suggestion) Write(w io.Writer, mapPath string) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("seed %s: %d lines", s.Path, s.Lines)
	for _, c := range s.Conversions {
		p("seed: %s", c)
	}
	p("found:")
	for _, f := range s.Found {
		p("  line %d: %s", f.Line, f.What)
	}
	if s.Joins > 0 {
		p("  %s broken by the printed layout will be joined inside paragraphs", plural(s.Joins, "line"))
	}
	p("topics:")
	for _, t := range s.Topics {
		p("  %s: %s (%s, line%s %s)", t.Slug, t.Title, plural(len(t.Items), "item"), map[bool]string{true: "", false: "s"}[len(t.Items) == 1], joinInts(t.Items))
	}
	if len(s.Unsure) > 0 {
		p("unsure, check these:")
		for _, f := range s.Unsure {
			p("  line %d: %s", f.Line, f.What)
		}
	}
	p("wrote %s: check the topics, write their summaries, then run plansite import %s", mapPath, s.Path)
	_, err := io.WriteString(w, b.String())
	return err
}

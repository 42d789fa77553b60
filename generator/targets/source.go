package targets

import (
	"fmt"
	"regexp"
	"strings"
)

// Section is where a clause stands in its topic page: the text of each
// heading of the page up to and including the one whose section holds the
// clause, in order (the heading ids depend on the headings before).
type Section struct {
	Headings []string
}

// Title is the heading of the section holding the clause, or "".
func (s Section) Title() string {
	if len(s.Headings) == 0 {
		return ""
	}
	return s.Headings[len(s.Headings)-1]
}

// CheckSource proves that the target's words are the report's: its clause
// appears verbatim in body (the topic page's Markdown) and its value is a
// number inside that clause. pageName is the topic file as shown in errors.
// It returns the section holding the clause, or an error saying what to
// fix; field is the field the error is about.
func (t *Target) CheckSource(body, pageName string) (sec Section, field string, err error) {
	i := strings.Index(body, t.Clause)
	if i < 0 {
		msg := fmt.Sprintf("clause: %q is not in %s", t.Clause, pageName)
		if now := findLike(body, t.Clause); now != "" {
			msg += fmt.Sprintf(", which now reads %q: check the number and copy the clause as it reads now", now)
		} else {
			msg += ": the page was changed; copy the clause as it reads now, or remove the target"
		}
		return Section{}, "clause", fmt.Errorf("%s", msg)
	}
	found := false
	for _, c := range Numbers(t.Clause) {
		if c == t.Value {
			found = true
			break
		}
	}
	if !found {
		return Section{}, "value", fmt.Errorf("value: %s is not a number of its clause %q (%s)", t.Value, t.Clause, pageName)
	}
	return sectionAt(body, i), "", nil
}

// Numbers lists the numbers written in s, ranges as "4-5", names such as
// 2023年 and PM2.5 included.
func Numbers(s string) []string {
	var out []string
	for _, n := range number.FindAllString(s, -1) {
		out = append(out, normalizeRange(n))
	}
	return out
}

// findLike finds in body a clause that reads as clause with other numbers
// (城镇新增就业6万人 for 城镇新增就业5万人), or "".
func findLike(body, clause string) string {
	locs := number.FindAllStringIndex(clause, -1)
	if len(locs) == 0 {
		return ""
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		b.WriteString(regexp.QuoteMeta(clause[last:l[0]]))
		b.WriteString(number.String())
		last = l[1]
	}
	b.WriteString(regexp.QuoteMeta(clause[last:]))
	re, err := regexp.Compile(b.String())
	if err != nil {
		return ""
	}
	return re.FindString(body)
}

// sectionAt lists the ATX headings of the Markdown body before offset at,
// skipping fenced code.
func sectionAt(body string, at int) Section {
	var s Section
	fence := ""
	pos := 0
	for _, ln := range strings.SplitAfter(body, "\n") {
		if pos > at {
			break
		}
		pos += len(ln)
		t := strings.TrimSpace(ln)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if strings.HasPrefix(ln, "#") {
			h := strings.TrimLeft(t, "#")
			if len(h) < len(t) && len(t)-len(h) <= 6 && (h == "" || h[0] == ' ' || h[0] == '\t') {
				s.Headings = append(s.Headings, strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#")))
			}
		}
	}
	return s
}

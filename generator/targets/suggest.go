package targets

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Page is a topic page's text, for Suggest.
type Page struct {
	// Topic is the topic's slug; Body is the page's Markdown.
	Topic, Body string
}

// Suggest proposes a target for every commitment in the topic pages, in
// the order of pages and of the text, each with an id made from its topic
// and what it counts (employment-chengzhen-xinzeng-jiuye) and stamped as a
// suggestion.
func Suggest(pages []Page) []*Target {
	var out []*Target
	used := map[string]bool{}
	for _, p := range pages {
		for _, c := range Extract(p.Body) {
			t := &Target{Topic: p.Topic, Value: c.Value, Unit: c.Unit, Qualifier: c.Qualifier, What: c.What, Clause: c.Clause}
			base := p.Topic + "-" + idWords(c.What)
			if c.What == "" || base == p.Topic+"-" {
				base = p.Topic + "-target"
			}
			t.ID = base
			for i := 2; used[t.ID]; i++ {
				t.ID = base + "-" + strconv.Itoa(i)
			}
			used[t.ID] = true
			t.Suggested = t.Stamp()
			out = append(out, t)
		}
	}
	return out
}

// idWords spells what is counted in ASCII: Chinese characters in pinyin,
// a syllable a word, since where one Chinese word ends is not written
// (城镇新增就业: cheng-zhen-xin-zeng-jiu-ye), Latin letters and digits as
// they are; at most six words, from the end, where the counted noun stands.
func idWords(what string) string {
	args := pinyin.NewArgs()
	var words []string
	var run []string // pinyin syllables of the current run of Han characters
	flushRun := func() {
		words = append(words, run...)
		run = run[:0]
	}
	var latin strings.Builder
	flushLatin := func() {
		if latin.Len() > 0 {
			words = append(words, latin.String())
			latin.Reset()
		}
	}
	for _, r := range what {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushRun()
			latin.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Han, r):
			flushLatin()
			if py := pinyin.LazyPinyin(string(r), args); len(py) > 0 {
				run = append(run, py[0])
			}
		default:
			flushRun()
			flushLatin()
		}
	}
	flushRun()
	flushLatin()
	if len(words) > 6 {
		words = words[len(words)-6:]
	}
	return strings.Join(words, "-")
}

// Action is what a suggestion did, or would do, to one entry.
type Action int

// The actions, in the order a report lists them.
const (
	Added       Action = iota // a new commitment
	Updated                   // an entry as the last suggestion wrote it, replaced
	Overwritten               // an edited entry, replaced because of force
	Removed                   // an unedited suggestion the pages no longer make
	KeptEdited                // an edited entry, left alone
	Curated                   // proposed, but an entry with another id has its clause and value
	Dismissed                 // proposed, but listed under dismissed
	Unchanged                 // the entry is the suggestion
)

// Change is what Merge did with one target.
type Change struct {
	Action Action
	// Target is the proposed target (or, for Removed, the entry); Entry
	// the entry of the file it met, if any.
	Target, Entry *Target
}

// Merge proposes sugg against an existing targets file: f parsed from old
// (both nil or empty for a new file). An entry the press office edited is
// kept unless force; an entry still as suggested is brought up to date;
// entries not proposed are kept unless they are unedited suggestions. It
// returns the new file's bytes and what changed, or an error when the old
// file is laid out so that entries cannot be added to it line by line (the
// list written on one line, say).
func Merge(old []byte, f *File, sugg []*Target, force bool) ([]byte, []Change, error) {
	if f == nil {
		f = &File{}
	}
	byID := map[string]int{}
	bySource := map[string]bool{}
	for i, t := range f.Targets {
		byID[t.ID] = i
		bySource[t.Topic+"\x00"+t.Clause+"\x00"+t.Value] = true
	}
	dismissed := map[string]bool{}
	for _, id := range f.Dismissed {
		dismissed[id] = true
	}
	var changes []Change
	replace := map[int]*Target{}
	proposed := map[int]bool{}
	var added []*Target
	for _, s := range sugg {
		i, ok := byID[s.ID]
		switch {
		case ok:
			e := f.Targets[i]
			proposed[i] = true
			switch {
			case e.Stamp() == s.Stamp() && !e.Edited():
				changes = append(changes, Change{Unchanged, s, e})
			case !e.Edited():
				replace[i] = s
				changes = append(changes, Change{Updated, s, e})
			case force:
				replace[i] = s
				changes = append(changes, Change{Overwritten, s, e})
			default:
				changes = append(changes, Change{KeptEdited, s, e})
			}
		case dismissed[s.ID]:
			changes = append(changes, Change{Dismissed, s, nil})
		case bySource[s.Topic+"\x00"+s.Clause+"\x00"+s.Value]:
			changes = append(changes, Change{Curated, s, nil})
		default:
			added = append(added, s)
			changes = append(changes, Change{Added, s, nil})
		}
	}
	for i, e := range f.Targets {
		if !proposed[i] && !e.Edited() {
			replace[i] = nil
			changes = append(changes, Change{Removed, e, e})
		}
	}
	out := f.rewrite(old, replace, added)
	// Entries are copied and added line by line: prove that the result
	// reads as the entries meant, rather than write a broken file.
	nf, errs := Parse(FileName, out)
	if len(errs) > 0 || nf == nil || len(nf.Targets) != len(f.Targets)-countNil(replace)+len(added) {
		return nil, nil, fmt.Errorf("cannot add entries to the file as it is laid out: write the list as \"targets:\" followed by one \"- id: ...\" entry per block, as plansite targets --suggest writes it")
	}
	return out, changes, nil
}

func countNil(m map[int]*Target) int {
	n := 0
	for _, t := range m {
		if t == nil {
			n++
		}
	}
	return n
}

// fileHeader opens a new targets file.
const fileHeader = `# 重点工作目标：报告中的量化承诺，由 plansite targets --suggest 提出，经人工核对。
# Each target's clause must appear verbatim in its topic page, and its value
# in the clause; the build checks both. Edit freely: an edited entry is never
# overwritten by a later suggestion without --force. To turn a suggestion
# down for good, delete the entry and list its id under "dismissed:".
`

// rewrite writes the file with entry i replaced by replace[i] (removed if
// nil) and added appended to the list; every other line is copied as it is.
func (f *File) rewrite(old []byte, replace map[int]*Target, added []*Target) []byte {
	var b strings.Builder
	if len(strings.TrimSpace(string(old))) == 0 {
		b.WriteString(fileHeader)
		b.WriteString("targets:\n")
		for _, t := range added {
			writeEntry(&b, t)
		}
		b.WriteString("dismissed: []\n")
		return []byte(b.String())
	}
	lines := strings.SplitAfter(string(old), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	copyLines := func(from, to int) { // 1-based, to exclusive
		for l := from; l < to && l <= len(lines); l++ {
			b.WriteString(lines[l-1])
			if !strings.HasSuffix(lines[l-1], "\n") {
				b.WriteByte('\n')
			}
		}
	}
	if len(f.Targets) == 0 {
		// No entries yet: the list goes where "targets:" was, or at the end.
		if f.listKey == 0 {
			copyLines(1, len(lines)+1)
			b.WriteString("targets:\n")
			for _, t := range added {
				writeEntry(&b, t)
			}
			return []byte(b.String())
		}
		copyLines(1, f.listKey)
		b.WriteString("targets:\n")
		for _, t := range added {
			writeEntry(&b, t)
		}
		copyLines(f.listKey+1, len(lines)+1)
		return []byte(b.String())
	}
	copyLines(1, f.spans[0].from)
	for i, sp := range f.spans {
		if t, ok := replace[i]; ok {
			if t != nil {
				writeEntry(&b, t)
			}
			continue
		}
		copyLines(sp.from, sp.to)
	}
	for _, t := range added {
		writeEntry(&b, t)
	}
	copyLines(f.listEnd, len(lines)+1)
	return []byte(b.String())
}

// writeEntry writes one entry of the targets list.
func writeEntry(b *strings.Builder, t *Target) {
	fmt.Fprintf(b, "  - id: %s\n", t.ID)
	fmt.Fprintf(b, "    topic: %s\n", t.Topic)
	for _, f := range []struct{ k, v string }{{"value", t.Value}, {"unit", t.Unit}, {"qualifier", t.Qualifier}, {"what", t.What}, {"clause", t.Clause}} {
		fmt.Fprintf(b, "    %s: %s\n", f.k, strconv.Quote(f.v))
	}
	fmt.Fprintf(b, "    suggested: %q\n", t.Stamp())
}

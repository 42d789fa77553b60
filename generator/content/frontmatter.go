package content

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"plansite/generator/yamlnode"
)

// Page is one Markdown file: its front matter, its body and where it goes.
type Page struct {
	// Path is the file's slash path below the content folder.
	Path string
	// Kind is what the page is for; it picks the layout.
	Kind Kind
	// URL is the site-absolute URL, always ending in "/".
	URL string

	Title   string
	Summary string
	// Date is the publication date; the zero time means none was given.
	Date   time.Time
	Weight int
	Slug   string
	Draft  bool
	// Topic names the topic a plain page belongs to (a topic page's own
	// topic is its slug).
	Topic string
	// Topics lists the topics an update reports on, each a slug from
	// site.yaml.
	Topics []string
	// Updated is when the page was last revised; zero when never.
	Updated time.Time
	// PublishDate holds the page back until that moment; zero means no
	// hold (for an update, its Date then serves, see PublishTime).
	PublishDate time.Time
	// ExpiryDate takes the page down from that moment; zero means never.
	ExpiryDate time.Time
	// Aliases are old addresses that redirect here, as site-absolute
	// paths ("/news/old-page/" or "/news/old.html").
	Aliases []string
	// Params holds every other front-matter field, for templates.
	Params map[string]any
	// Progress are an update's reports on targets (its progress field).
	Progress []*Progress

	// FrontMatter is the YAML text between the delimiters, kept so a build
	// can tell whether anything other pages show of this one has changed.
	FrontMatter []byte
	// Body is the Markdown after the front matter.
	Body []byte
	// BodyLine is the line of the file on which Body starts.
	BodyLine int
	// lines records the line of each front-matter field, for errors raised
	// after parsing (an unknown topic, say).
	lines map[string]int
	// itemLines records the line of each item of a list field, so an
	// unknown topic in a list is reported on its own line.
	itemLines map[string][]int
}

// Kind is a page's role in the site.
type Kind string

// The kinds of page, each rendered with the layout of the same name.
const (
	KindHome  Kind = "home"
	KindTopic Kind = "topic"
	KindPage  Kind = "page"
	// KindUpdate is a dated press-office update, a file below updates/.
	KindUpdate Kind = "update"
)

// FieldLine returns the line of a front-matter field, or 1 (the opening
// delimiter) when the field is absent.
func (p *Page) FieldLine(field string) int {
	if l, ok := p.lines[field]; ok {
		return l
	}
	return 1
}

// itemLine returns the line of item i of a list field, or the field's line.
func (p *Page) itemLine(field string, i int) int {
	if ls := p.itemLines[field]; i < len(ls) {
		return ls[i]
	}
	return p.FieldLine(field)
}

// PublishTime is the moment the page appears: its publishDate, or for an
// update without one its date, since the press office dates an update
// when it is meant to go out. Zero means it is never held back.
func (p *Page) PublishTime() time.Time {
	if !p.PublishDate.IsZero() || p.Kind != KindUpdate {
		return p.PublishDate
	}
	return p.Date
}

// Modified is the later of the page's date and its updated field.
func (p *Page) Modified() time.Time {
	if p.Updated.After(p.Date) {
		return p.Updated
	}
	return p.Date
}

// Param returns a string param, or "".
func (p *Page) Param(name string) string {
	if s, ok := p.Params[name].(string); ok {
		return s
	}
	return ""
}

// ParsePage parses a Markdown file with YAML front matter. name is the path
// shown in errors. All problems found are returned together.
func ParsePage(name string, src []byte) (*Page, Errors) {
	if !utf8.Valid(src) {
		return nil, Errors{errorf(name, invalidUTF8Line(src), "not valid UTF-8 text: save the file as UTF-8")}
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	p := &Page{Params: map[string]any{}, lines: map[string]int{}, itemLines: map[string][]int{}}
	fm, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		if bytes.HasPrefix(src, []byte("---")) {
			return nil, Errors{errorf(name, 1, "front matter is not closed: add a line with only --- after the last field")}
		}
		return nil, Errors{errorf(name, 1, "missing front matter: the file must start with a line --- followed by at least \"title: ...\" and a closing ---")}
	}
	// A copy: a build drops each body once rendered, and the few hundred
	// bytes of front matter would otherwise keep the whole file alive.
	p.FrontMatter, p.Body, p.BodyLine = bytes.Clone(fm), body, bodyLine
	var errs Errors
	m, err := yamlnode.Parse(fm)
	if err != nil {
		return nil, Errors{yamlError(name, 1, err)}
	}
	if m != nil {
		if m.Kind != yamlnode.MappingNode {
			return nil, Errors{errorf(name, m.Line+1, "front matter must be a list of \"field: value\" lines")}
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			line := k.Line + 1
			if _, dup := p.lines[k.Value]; dup {
				errs = append(errs, errorf(name, line, "field %q is given twice", k.Value))
				continue
			}
			p.lines[k.Value] = line
			if err := p.setField(k.Value, v); err != nil {
				var le lineError
				if errors.As(err, &le) {
					line, err = le.line+1, le.err
				}
				errs = append(errs, errorf(name, line, "%s: %v", k.Value, err))
			}
		}
	}
	if strings.TrimSpace(p.Title) == "" {
		errs = append(errs, errorf(name, p.FieldLine("title"), "missing title: add a line \"title: ...\" to the front matter"))
	}
	errs = append(errs, p.parseProgress(name)...)
	return p, errs
}

func (p *Page) setField(key string, v *yamlnode.Node) error {
	switch key {
	case "title":
		return decodeString(v, &p.Title)
	case "summary":
		return decodeString(v, &p.Summary)
	case "slug":
		if err := decodeString(v, &p.Slug); err != nil {
			return err
		}
		if p.Slug == "" || strings.ContainsAny(p.Slug, "/\\?#% ") || p.Slug == "." || p.Slug == ".." {
			return fmt.Errorf("%q is not a usable URL segment: use letters, digits and dashes", p.Slug)
		}
		return nil
	case "topic":
		return decodeString(v, &p.Topic)
	case "weight":
		if v.Kind != yamlnode.ScalarNode {
			return errors.New("must be a whole number")
		}
		n, err := strconv.Atoi(v.Value)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v.Value)
		}
		p.Weight = n
		return nil
	case "draft":
		b, ok := v.Bool()
		if !ok {
			return fmt.Errorf("%q is not true or false", v.Value)
		}
		p.Draft = b
		return nil
	case "date":
		return decodeDate(v, &p.Date)
	case "updated":
		return decodeDate(v, &p.Updated)
	case "publishDate":
		return decodeDate(v, &p.PublishDate)
	case "expiryDate":
		return decodeDate(v, &p.ExpiryDate)
	case "topics":
		list, lines, err := decodeList(v)
		if err != nil {
			return err
		}
		for i, t := range list {
			if !validSlug(t) {
				return lineError{lines[i], fmt.Errorf("%q is not a topic slug (lower-case letters, digits and dashes, as listed in site.yaml)", t)}
			}
		}
		p.Topics, p.itemLines[key] = list, fileLines(lines)
		return nil
	case "aliases":
		list, lines, err := decodeList(v)
		if err != nil {
			return err
		}
		for i, a := range list {
			clean, err := cleanAlias(a)
			if err != nil {
				return lineError{lines[i], err}
			}
			list[i] = clean
		}
		p.Aliases, p.itemLines[key] = list, fileLines(lines)
		return nil
	case "source", "publisher", "credit", "docNumber":
		// Shown as text in the metadata block; a number or a list here is
		// a typing slip, not a value to render as "[a b]".
		var s string
		if err := decodeString(v, &s); err != nil {
			return err
		}
		p.Params[key] = s
		return nil
	case "progress":
		return nil // read with its lines by parseProgress
	case "example":
		b, ok := v.Bool()
		if !ok {
			return fmt.Errorf("%q is not true or false", v.Value)
		}
		p.Params[key] = b
		return nil
	}
	p.Params[key] = v.Decode()
	return nil
}

// fileLines turns front-matter lines into file lines: the front matter
// starts on the file's second line.
func fileLines(lines []int) []int {
	out := make([]int, len(lines))
	for i, l := range lines {
		out[i] = l + 1
	}
	return out
}

func decodeDate(v *yamlnode.Node, dst *time.Time) error {
	t, err := ParseDate(v)
	if err != nil {
		return err
	}
	*dst = t
	return nil
}

// decodeList reads a list of one-line texts, each "- item" on its own line,
// with each item's line counted from the front matter's first line; a single text stands for a list of one, the way people write
// "topics: ecology".
func decodeList(v *yamlnode.Node) ([]string, []int, error) {
	if v.Kind == yamlnode.ScalarNode && v.Value != "" {
		return []string{v.Value}, []int{v.Line}, nil
	}
	if v.Kind != yamlnode.SequenceNode || len(v.Content) == 0 {
		return nil, nil, errors.New("must be a list, one \"- item\" line each")
	}
	var list []string
	var lines []int
	for _, item := range v.Content {
		if item.Kind != yamlnode.ScalarNode || item.Value == "" {
			return nil, nil, lineError{item.Line, errors.New("each item must be text on one line")}
		}
		list = append(list, item.Value)
		lines = append(lines, item.Line)
	}
	return list, lines, nil
}

// cleanAlias checks an old address and gives it a canonical form: a folder
// address ends in "/", a file address (old.html) is kept as it is.
func cleanAlias(a string) (string, error) {
	if !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
		return "", fmt.Errorf("%q is not a path on this site: write it as /old/address/", a)
	}
	if strings.ContainsAny(a, "?#\\ \t") {
		return "", fmt.Errorf("%q cannot be redirected by a static file: leave out ?, # and spaces", a)
	}
	for _, seg := range strings.Split(a, "/") {
		if seg == "." || seg == ".." {
			return "", fmt.Errorf("%q may not contain . or .. segments", a)
		}
	}
	if a == "/" {
		return "", errors.New(`"/" is the home page and cannot be an alias`)
	}
	if ext := path.Ext(a); ext != ".html" && ext != ".htm" && !strings.HasSuffix(a, "/") {
		a += "/"
	}
	return a, nil
}

func decodeString(v *yamlnode.Node, dst *string) error {
	if v.Kind != yamlnode.ScalarNode {
		return errors.New("must be text on one line")
	}
	*dst = v.Value
	return nil
}

// ParseDate reads a date field: 2023-05-01, 2023-05-01T09:30:00+08:00 or
// "2023-05-01 09:30". Dates without a zone are taken in China Standard Time,
// the zone the press office writes in.
func ParseDate(v *yamlnode.Node) (time.Time, error) {
	if v.Kind != yamlnode.ScalarNode || v.Value == "" {
		return time.Time{}, errors.New("must be a date like 2023-05-01")
	}
	return ParseTime(v.Value)
}

// ParseTime reads a date or moment written as in front matter (see
// ParseDate), for command-line flags such as --now and --date.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a valid date: write it as 2023-05-01 (year-month-day)", s)
}

// chinaTime is UTC+8 without a daylight-saving rule, fixed so builds do not
// depend on the machine's time zone database.
var chinaTime = time.FixedZone("CST", 8*60*60)

// splitFrontMatter separates "---\n...\n---\n" from the body. bodyLine is
// the 1-based line where the body starts.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, ok bool) {
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || strings.TrimRight(string(first), " \t\r") != "---" {
		return nil, nil, 0, false
	}
	line := 2
	off := len(first) + 1
	for len(rest) > 0 {
		l, next, _ := bytes.Cut(rest, []byte("\n"))
		if strings.TrimRight(string(l), " \t\r") == "---" {
			fm = src[len(first)+1 : off]
			bodyStart := off + len(l)
			if bodyStart < len(src) {
				bodyStart++ // the newline
			}
			return fm, src[bodyStart:], line + 1, true
		}
		off += len(l) + 1
		rest = next
		line++
	}
	return nil, nil, 0, false
}

// yamlError turns a YAML syntax error into a located Error. first is the
// file line on which the YAML text starts, minus one.
func yamlError(name string, first int, err error) *Error {
	line := first + 1
	var se *yamlnode.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		line = se.Line + first
	}
	return errorf(name, line, "not valid YAML: %s", strings.TrimSpace(err.Error()))
}

// invalidUTF8Line returns the 1-based line of the first invalid byte.
func invalidUTF8Line(src []byte) int {
	line := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

package targets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// FileName is the targets file's name in the content folder.
const FileName = "targets.yaml"

// Target is one commitment of the report as the press office keeps it in
// targets.yaml.
type Target struct {
	// ID is stable and ASCII (employment-urban-jobs): addresses, the open
	// data and progress reports name the target by it.
	ID    string
	Topic string
	// Value is the number as written in the clause, a range as "4-5".
	Value     string
	Unit      string
	Qualifier string
	What      string
	// Clause is the report's words, verbatim from the topic page.
	Clause string
	// Suggested is the stamp of the entry as plansite targets --suggest
	// wrote it, or "" for an entry written by hand; see Stamp.
	Suggested string

	// Line is the entry's first line in the file.
	Line  int
	lines map[string]int
}

// FieldLine is the line of one of the entry's fields, or of the entry.
func (t *Target) FieldLine(field string) int {
	if l, ok := t.lines[field]; ok {
		return l
	}
	return t.Line
}

// Stamp is the hash of the entry's fields: an entry whose Suggested field
// still equals it is as the suggestion wrote it, so a later suggestion may
// replace it; one that differs was edited and is kept (the same rule as
// plansite import's importHash).
func (t *Target) Stamp() string {
	h := sha256.New()
	for _, f := range []string{t.ID, t.Topic, t.Value, t.Unit, t.Qualifier, t.What, t.Clause} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Edited reports whether the entry differs from what the suggestion wrote
// (an entry written by hand counts as edited).
func (t *Target) Edited() bool { return t.Suggested == "" || t.Suggested != t.Stamp() }

// File is a parsed targets.yaml.
type File struct {
	Targets []*Target
	// Dismissed are ids of suggestions the press office turned down, so a
	// later suggestion does not propose them again.
	Dismissed []string
	// entries are the line spans of the entries and the key lines, for
	// rewriting the file around edits (see Merge).
	spans   []span
	listEnd int // the line after the last entry, 0 when there is none
	listKey int // the line of "targets:"
}

type span struct{ from, to int } // lines, to exclusive

// Error is a problem at one line of an input file.
type Error struct {
	Path string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap lets errors.As see each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es *Errors) add(path string, line int, format string, args ...any) {
	*es = append(*es, &Error{Path: path, Line: line, Err: fmt.Errorf(format, args...)})
}

var validID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Parse reads targets.yaml; name is the path shown in errors. It checks
// each entry on its own (fields, id, number); that a topic exists and the
// clause is in its page is checked by the caller, which has the pages.
func Parse(name string, src []byte) (*File, Errors) {
	var errs Errors
	if !utf8.Valid(src) {
		errs.add(name, 0, "not valid UTF-8 text: save the file as UTF-8")
		return nil, errs
	}
	f := &File{}
	tree, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil {
		var se *goyaml.SyntaxError
		line := 0
		msg := err.Error()
		if errors.As(err, &se) && se.Token != nil {
			line, msg = se.Token.Position.Line, se.Message
		}
		errs.add(name, line, "not valid YAML: %s", msg)
		return nil, errs
	}
	if len(tree.Docs) == 0 || tree.Docs[0].Body == nil {
		return f, nil
	}
	top, ok := mapping(tree.Docs[0].Body)
	if !ok {
		errs.add(name, line(tree.Docs[0].Body), "the file must be a list of fields: \"targets:\" and, optionally, \"dismissed:\"")
		return nil, errs
	}
	seen := map[string]int{}
	for _, kv := range top {
		key := kv.Key.String()
		switch key {
		case "targets":
			f.listKey = line(kv.Key)
			if _, null := kv.Value.(*ast.NullNode); null {
				continue
			}
			seq, ok := kv.Value.(*ast.SequenceNode)
			if !ok {
				errs.add(name, line(kv.Value), "targets: must be a list of entries, each starting with \"- id: ...\"")
				continue
			}
			for _, n := range seq.Values {
				t := parseTarget(name, n, &errs)
				if t == nil {
					continue
				}
				if first, dup := seen[t.ID]; dup && t.ID != "" {
					errs.add(name, t.FieldLine("id"), "id: %q is already the id of the target on line %d: ids must be unique", t.ID, first)
				} else {
					seen[t.ID] = t.FieldLine("id")
				}
				f.Targets = append(f.Targets, t)
			}
		case "dismissed":
			if _, null := kv.Value.(*ast.NullNode); null {
				continue
			}
			seq, ok := kv.Value.(*ast.SequenceNode)
			if !ok {
				errs.add(name, line(kv.Value), "dismissed: must be a list of target ids")
				continue
			}
			for _, n := range seq.Values {
				s, ok := scalar(n)
				if !ok || s == "" {
					errs.add(name, line(n), "dismissed: each entry must be a target id")
					continue
				}
				f.Dismissed = append(f.Dismissed, s)
			}
		default:
			errs.add(name, line(kv.Key), "unknown field %q: the file has \"targets:\" and \"dismissed:\"", key)
		}
	}
	f.findSpans(src)
	return f, errs
}

// findSpans records the lines each entry takes, so Merge can copy an
// entry's text, comments included, as the press office left it.
func (f *File) findSpans(src []byte) {
	lines := strings.Split(string(src), "\n")
	f.spans = make([]span, len(f.Targets))
	for i, t := range f.Targets {
		f.spans[i].from = t.Line
		if i > 0 {
			f.spans[i-1].to = t.Line
		}
	}
	if n := len(f.Targets); n > 0 {
		// The last entry runs to the next line that starts a top-level
		// field (or the end).
		end := len(lines) + 1
		if lines[len(lines)-1] == "" {
			end = len(lines)
		}
		for l := f.Targets[n-1].Line + 1; l <= len(lines); l++ {
			s := lines[l-1]
			if s != "" && s[0] != ' ' && s[0] != '#' && s[0] != '-' && s[0] != '\t' {
				end = l
				// Comments and blank lines at the margin just above the
				// next field are that field's, not the entry's.
				for end-1 > f.Targets[n-1].Line && (strings.TrimSpace(lines[end-2]) == "" || strings.HasPrefix(lines[end-2], "#")) {
					end--
				}
				break
			}
		}
		f.spans[n-1].to = end
		f.listEnd = end
	}
}

var fieldNames = []string{"id", "topic", "value", "unit", "qualifier", "what", "clause", "suggested"}

func parseTarget(name string, n ast.Node, errs *Errors) *Target {
	kvs, ok := mapping(n)
	if !ok {
		errs.add(name, line(n), "targets: each entry must be fields (id, topic, value, unit, qualifier, what, clause)")
		return nil
	}
	t := &Target{Line: line(n), lines: map[string]int{}}
	for _, kv := range kvs {
		key := kv.Key.String()
		l := line(kv.Key)
		if t.Line == 0 || l < t.Line {
			t.Line = l
		}
		if _, dup := t.lines[key]; dup {
			errs.add(name, l, "field %q is given twice", key)
			continue
		}
		t.lines[key] = l
		v, ok := scalar(kv.Value)
		if !ok {
			errs.add(name, l, "%s: must be a single value, not a list or fields", key)
			continue
		}
		switch key {
		case "id":
			t.ID = v
		case "topic":
			t.Topic = v
		case "value":
			t.Value = v
		case "unit":
			t.Unit = v
		case "qualifier":
			t.Qualifier = v
		case "what":
			t.What = v
		case "clause":
			t.Clause = v
		case "suggested":
			t.Suggested = v
		default:
			errs.add(name, l, "unknown field %q (known: %s)", key, strings.Join(fieldNames, ", "))
		}
	}
	for _, req := range []struct{ field, val, example string }{
		{"id", t.ID, "employment-urban-jobs"}, {"topic", t.Topic, "employment"}, {"value", t.Value, "5"},
		{"unit", t.Unit, "万人"}, {"what", t.What, "城镇新增就业"}, {"clause", t.Clause, "城镇新增就业5万人"},
	} {
		if strings.TrimSpace(req.val) == "" {
			errs.add(name, t.FieldLine(req.field), "%s: missing; every target needs one, e.g. \"%s: %s\"", req.field, req.field, req.example)
		}
	}
	if t.ID != "" && !validID.MatchString(t.ID) {
		errs.add(name, t.FieldLine("id"), "id: %q is not a usable id: use lower-case letters, digits and dashes (employment-urban-jobs)", t.ID)
	}
	if t.Value != "" {
		if _, _, err := ParseValue(t.Value); err != nil {
			errs.add(name, t.FieldLine("value"), "value: %v", err)
		}
	}
	return t
}

// ParseValue reads a target's value: a number (5, 2.76) or a range
// (4-5), returning its lower and upper ends.
func ParseValue(v string) (lo, hi float64, err error) {
	a, b, isRange := strings.Cut(v, "-")
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi = lo
	var err2 error
	if isRange {
		hi, err2 = strconv.ParseFloat(strings.TrimSpace(b), 64)
	}
	if err1 != nil || err2 != nil || lo < 0 || hi < lo {
		return 0, 0, fmt.Errorf("%q is not a number (5, 2.76) or a range (4-5)", v)
	}
	return lo, hi, nil
}

// mapping returns the fields of a mapping node; a mapping of one field is
// a single MappingValueNode in the parser's tree.
func mapping(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

// scalar returns the text of a scalar node as written.
func scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return strings.TrimRight(v.Value.Value, "\n"), true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

package targets

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// ProgressField is the front-matter field of an update that reports
// progress against targets.
const ProgressField = "progress"

// Report is one progress report, an entry of an update's progress field:
// the value reached on a target by a date.
type Report struct {
	Target string
	Value  float64
	// ValueText is the value as written (3.2).
	ValueText string
	// Unit, when given, must be the target's unit.
	Unit string
	// AsOf is the date as written (2023-06-30); the caller reads it, as
	// it reads every date of the front matter.
	AsOf string
	Note string
	// Line is the entry's line in the front matter text; lines holds each
	// field's.
	Line  int
	lines map[string]int
}

// FieldLine is the front-matter line of one of the report's fields.
func (r *Report) FieldLine(field string) int {
	if l, ok := r.lines[field]; ok {
		return l
	}
	return r.Line
}

// LineError is a problem at a line of the text given to ParseProgress.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return e.Err.Error() }

// ParseProgress reads the progress field of front matter fm (the YAML
// between the delimiters): nil when there is none. first is added to fm's
// lines, so they can be the file's.
func ParseProgress(fm []byte, first int) ([]*Report, []*LineError) {
	tree, err := parser.ParseBytes(fm, 0)
	if err != nil {
		// The caller read the front matter already; a report it cannot
		// read must still not vanish without a word.
		line, msg := 0, err.Error()
		var se *goyaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			line, msg = se.Token.Position.Line, se.Message
		}
		return nil, []*LineError{{Line: max(line, 1) + first, Err: fmt.Errorf("progress: cannot read the front matter: %s", msg)}}
	}
	if len(tree.Docs) == 0 {
		return nil, nil
	}
	top, ok := mapping(tree.Docs[0].Body)
	if !ok {
		return nil, nil
	}
	var errs []*LineError
	bad := func(n int, format string, args ...any) {
		errs = append(errs, &LineError{Line: n, Err: fmt.Errorf(format, args...)})
	}
	var out []*Report
	for _, kv := range top {
		if kv.Key.String() != ProgressField {
			continue
		}
		seq, ok := kv.Value.(*ast.SequenceNode)
		if !ok {
			bad(line(kv.Key)+first, "progress: must be a list of reports, each like \"- {target: employment-urban-jobs, value: 3.2, asOf: 2023-06-30}\"")
			continue
		}
		for _, n := range seq.Values {
			kvs, ok := mapping(n)
			if !ok {
				bad(line(n)+first, "progress: each report needs target, value and asOf, e.g. \"- {target: employment-urban-jobs, value: 3.2, asOf: 2023-06-30}\"")
				continue
			}
			r := &Report{Line: line(n) + first, lines: map[string]int{}}
			for _, f := range kvs {
				key, l := f.Key.String(), line(f.Key)+first
				r.lines[key] = l
				v, ok := scalar(f.Value)
				if !ok {
					bad(l, "progress: %s: must be a single value", key)
					continue
				}
				switch key {
				case "target":
					r.Target = v
				case "value":
					r.ValueText = v
				case "unit":
					r.Unit = v
				case "asOf":
					r.AsOf = v
				case "note":
					r.Note = v
				default:
					bad(l, "progress: unknown field %q (known: target, value, unit, asOf, note)", key)
				}
			}
			for _, req := range []struct{ field, val, example string }{
				{"target", r.Target, "employment-urban-jobs"}, {"value", r.ValueText, "3.2"}, {"asOf", r.AsOf, "2023-06-30"},
			} {
				if strings.TrimSpace(req.val) == "" {
					bad(r.FieldLine(req.field), "progress: %s: missing, e.g. \"%s: %s\"", req.field, req.field, req.example)
				}
			}
			if r.ValueText != "" {
				x, err := strconv.ParseFloat(r.ValueText, 64)
				if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
					bad(r.FieldLine("value"), "progress: value: %q is not a number: write the value reached in the target's unit, e.g. 3.2", r.ValueText)
				}
				r.Value = x
			}
			out = append(out, r)
		}
	}
	return out, errs
}

// Share is the part of a target reached by a value, in whole per cent
// rounded down (a target is not shown as done before it is): against the
// lower end of a range, which is the commitment. ok is false where a share
// means nothing: a ceiling (以下, 以内, 不高于) or a goal of zero.
func (t *Target) Share(value float64) (pct int, ok bool) {
	lo, _, err := ParseValue(t.Value)
	if err != nil || lo <= 0 || t.Ceiling() {
		return 0, false
	}
	// The small epsilon keeps 3.2/5 = 64% from reading 63.99999.
	return int(math.Floor(value/lo*100 + 1e-9)), true
}

// Ceiling reports whether the target is a limit not to exceed, for which
// more is not progress.
func (t *Target) Ceiling() bool {
	switch t.Qualifier {
	case "以下", "以内", "以內", "不高于", "不高於", "不超过", "不超過":
		return true
	}
	return false
}

// QualifierFirst reports whether the qualifier stands before the number
// (力争2个, 保持100%) rather than after the unit (100家以上).
func (t *Target) QualifierFirst() bool {
	for _, q := range after {
		if t.Qualifier == q {
			return false
		}
	}
	return t.Qualifier != ""
}

// Shown is the value as a reader expects it: a range with a Chinese dash
// (4—5).
func (t *Target) Shown() string { return strings.Replace(t.Value, "-", "—", 1) }

package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is a problem at one line of one input file (Line 0: the whole file).
type Error struct {
	Path string
	Line int
	Msg  string
}

// Error formats e as "path:line: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Errors is every problem found in one pass, so all can be fixed at once.
type Errors []*Error

// Error lists the problems one per line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As reach each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// err returns es as an error, nil when empty (a nil Errors in an error
// interface would not compare equal to nil).
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es *Errors) add(path string, line int, format string, args ...any) {
	*es = append(*es, &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// sort orders the problems by file and line, so they read like a listing.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
}

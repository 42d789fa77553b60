package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"plansite/generator/confine"
)

// Error is a problem in one input file, located by line where the line is
// known (Line 0 means the whole file).
type Error struct {
	Path string // as shown to the user, e.g. "content/topics/ecology.md"
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

// Errors is every problem found in one pass over the input, so the press
// office can fix them all before building again.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Sort orders the problems by file and line, so output is stable.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Path != es[j].Path {
			return es[i].Path < es[j].Path
		}
		return es[i].Line < es[j].Line
	})
}

// Err returns es as an error, or nil when there is no problem.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	es.Sort()
	return es
}

func errorf(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
}

// ReadError is the error of a file that could not be read, in the words a
// clerk reads after the file's name. A link the build may not follow
// speaks for itself.
func ReadError(err error) error {
	err = unwrapPath(err)
	var le *confine.LinkError
	if errors.As(err, &le) {
		return err
	}
	return fmt.Errorf("cannot read: %w", err)
}

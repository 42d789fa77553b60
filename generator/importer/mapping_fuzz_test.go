package importer

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseMapping feeds arbitrary files to the mapping parser: it must
// not panic, and a refusal is a list of problems, each naming the file and
// a line inside it.
func FuzzParseMapping(f *testing.F) {
	for _, s := range []string{
		"topics:\n  - slug: jobs\n    title: 就业\n    match: [\"就业\"]\n",
		"topics: [\n", "topics:\n  - slug: Jobs\n", "- a\n", "\xff\xfe", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, err := ParseMapping("topics.yaml", []byte(src))
		if err == nil {
			if m == nil {
				t.Fatal("no mapping and no error")
			}
			return
		}
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("error %v is not a list of problems", err)
		}
		lines := countLines(src)
		for _, e := range errs {
			if e.Path != "topics.yaml" || e.Line < 0 || e.Line > lines+1 {
				t.Fatalf("error %q: line %d outside the file's %d lines", e, e.Line, lines)
			}
		}
	})
}

// countLines counts lines as YAML does: a lone carriage return (an old
// Mac file) ends a line too.
func countLines(s string) int {
	return strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\r") + 1
}

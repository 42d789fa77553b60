package content

import (
	"strings"
	"testing"
)

// FuzzParsePage feeds arbitrary files to the front-matter parser: it must
// not panic, and every problem it reports names the file and a line
// inside it.
func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"---\ntitle: 标题\n---\n正文", "---\ntitle: [\n---\n", "---\ndate: 2023-02-30\n---\n", "no front matter", "---\ntitle: a\ntitle: b\n---\n", "---\n- list\n---\n", "\xff\xfe",
		"---\ntitle: t\nprogress:\n  - {target: a, value: 1, asOf: 2023-01-01}\n  - target: b\n    value: x\n---\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, errs := ParsePage("x.md", []byte(src))
		lines := strings.Count(src, "\n") + 1
		for _, e := range errs {
			if e.Path != "x.md" || e.Line < 1 || e.Line > lines+1 {
				t.Fatalf("error %q: line %d outside the file's %d lines", e, e.Line, lines)
			}
		}
	})
}

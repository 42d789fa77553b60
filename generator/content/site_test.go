package content

import (
	"strings"
	"testing"
)

// FuzzParseSite feeds arbitrary files to the site.yaml parser: it must not
// panic, and every problem it reports names the file and a line inside it.
func FuzzParseSite(f *testing.F) {
	for _, s := range []string{
		"title: 站\nbaseURL: https://example.org/\ntopics:\n  - jobs\n",
		"title: [\n", "topics: jobs\n", "topics:\n  - Jobs\n  - jobs\n  - jobs\n",
		"allowLinksTo:\n  - ../photos\n  - \n", "params:\n  a: 1\n", "theme: /abs\n",
		"- a list\n", "\xff\xfe", "title: a\ntitle: b\n", "allowHTML: maybe\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		site, errs := ParseSite("site.yaml", []byte(src))
		lines := countLines(src)
		for _, e := range errs {
			if e.Path != "site.yaml" || e.Line < 1 || e.Line > lines+1 {
				t.Fatalf("error %q: line %d outside the file's %d lines", e, e.Line, lines)
			}
		}
		if site == nil && len(errs) == 0 {
			t.Fatal("no settings and no error")
		}
	})
}

// countLines counts lines as YAML does: a lone carriage return (an old
// Mac file) ends a line too.
func countLines(s string) int {
	return strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\r") + 1
}

package markdown

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and the theme's syntax.css")

// The theme ships the generated stylesheet; this keeps it in step with the
// chroma version and styles in use.
func TestSyntaxCSSInTheme(t *testing.T) {
	got, err := SyntaxCSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("..", "..", "themes", "default", "static", "css", "syntax.css")
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s is stale; run go test ./generator/markdown -update", file)
	}
}

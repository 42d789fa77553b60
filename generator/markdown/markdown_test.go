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

func TestLineBreaks(t *testing.T) {
	c := New(Options{})
	tests := []struct{ in, wantHTML, wantText string }{
		{"第一行\n第二行", "<p>第一行第二行</p>\n", "第一行第二行"},
		{"攻坚战，\n推动发展", "<p>攻坚战，推动发展</p>\n", "攻坚战，推动发展"},
		{"English words,\nnext line", "<p>English words,\nnext line</p>\n", "English words, next line"},
		{"导向的开发（EOD）\n模式", "<p>导向的开发（EOD）模式</p>\n", "导向的开发（EOD）模式"},
		{"EOD\n模式", "<p>EOD\n模式</p>\n", "EOD 模式"},
		{"中文\n**加粗**\n文字", "<p>中文<strong>加粗</strong>文字</p>\n", "中文加粗文字"},
		{"看[链接](/a)\n文字", "<p>看<a href=\"/a\">链接</a>文字</p>\n", "看链接文字"},
		{"한국어\n문장", "<p>한국어\n문장</p>\n", "한국어 문장"},
		{"行末两个空格  \n换行", "<p>行末两个空格<br>\n换行</p>\n", "行末两个空格\n换行"},
	}
	for _, tt := range tests {
		d, err := c.Convert([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(d.HTML) != tt.wantHTML {
			t.Errorf("Convert(%q) HTML = %q; want %q", tt.in, d.HTML, tt.wantHTML)
		}
		if got := d.Sections[0].Text; got != tt.wantText {
			t.Errorf("Convert(%q) text = %q; want %q", tt.in, got, tt.wantText)
		}
	}
}

// FuzzConvert feeds arbitrary Markdown to the converter: it must not
// panic, and heading IDs must be unique and non-empty.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{"# 标题\n\n正文\n第二行", "## a\n## a\n## ！", "```go\nx\n```", "<b>x</b>", "| a |\n|---|\n| 1 |", "[^1]\n\n[^1]: 注"} {
		f.Add(s)
	}
	c := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		d, err := c.Convert([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, h := range d.Headings {
			if h.ID == "" || seen[h.ID] {
				t.Fatalf("heading %q: id %q empty or repeated", h.Text, h.ID)
			}
			seen[h.ID] = true
		}
	})
}

package generator

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestBundledSiteMatchesPublic proves the committed public/ is exactly what
// a fresh build of the committed content/ writes.
func TestBundledSiteMatchesPublic(t *testing.T) {
	root := filepath.Join("..")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Src: filepath.Join(root, "content"), Out: out}); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	want := readTree(t, filepath.Join(root, "public"))
	for _, name := range sortedKeys(got) {
		if _, ok := want[name]; !ok {
			t.Errorf("public/%s is missing: run go run ./cmd/plansite build and commit public/", name)
		} else if string(got[name]) != string(want[name]) {
			t.Errorf("public/%s differs from a fresh build: run go run ./cmd/plansite build and commit public/", name)
		}
	}
	for _, name := range sortedKeys(want) {
		if _, ok := got[name]; !ok {
			t.Errorf("public/%s is not written by a fresh build: run go run ./cmd/plansite build and commit public/", name)
		}
	}
}

// TestBundledSiteReadsAsProse checks the imported report as a reader sees
// it: seven topic pages, sentences the printed layout had broken whole
// again, and no running page header.
func TestBundledSiteReadsAsProse(t *testing.T) {
	pub := readTree(t, filepath.Join("..", "public"))
	topics := 0
	for name := range pub {
		if matched, _ := filepath.Match("topics/*/index.html", name); matched {
			topics++
		}
	}
	if topics != 7 {
		t.Errorf("%d topic pages; want 7", topics)
	}
	for _, tt := range []struct{ page, text string }{
		{"topics/government/index.html", "谋划实施好重点民生实事"},
		{"topics/ecology/index.html", "力争我市纳入全国“十四五”无废城市融资试点"},
		{"topics/ecology/index.html", "导向的开发（EOD）模式试点"},
		{"topics/government/index.html", "加强政府自身建设——打造人民满意的服务型政府"},
	} {
		if !strings.Contains(string(pub[tt.page]), tt.text) {
			t.Errorf("%s does not contain %q", tt.page, tt.text)
		}
	}
	for name, data := range pub {
		if strings.Contains(string(data), "统筹城乡融合发展4") {
			t.Errorf("%s contains the running page header", name)
		}
	}
}

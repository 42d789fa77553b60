package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteThemeOverridesDefault: a theme folder named in site.yaml (beside
// the content folder) replaces the embedded default file by file; files it
// does not have still come from the default.
func TestSiteThemeOverridesDefault(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\ntheme: mytheme\n"))
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n你好。\n"))
	writeFile(t, filepath.Join(dir, "mytheme", "layouts", "base.html"), []byte(`<!DOCTYPE html><title>{{.Title}}</title>{{block "main" .}}{{end}}`))
	writeFile(t, filepath.Join(dir, "mytheme", "static", "css", "extra.css"), []byte("p{}\n"))
	out := filepath.Join(dir, "public")
	// The preview's plain names and bytes: what is checked here is which
	// file wins.
	if _, err := Build(context.Background(), Options{Src: src, Out: out, PlainAssets: true}); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	home := string(got["index.html"])
	if !strings.HasPrefix(home, "<!DOCTYPE html><title>首页</title>") || strings.Contains(home, "skip-link") {
		t.Errorf("home page does not use the site's base.html:\n%s", home)
	}
	if !strings.Contains(home, "<p>你好。</p>") {
		t.Errorf("home page lost the default home layout's content:\n%s", home)
	}
	if string(got["css/extra.css"]) != "p{}\n" {
		t.Errorf("css/extra.css = %q; want the site theme's file", got["css/extra.css"])
	}
	if _, ok := got["css/site.css"]; !ok {
		t.Error("css/site.css from the default theme is missing")
	}

	// A theme folder that does not exist is an error at its line.
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\ntheme: nosuch\n"))
	_, err := Build(context.Background(), Options{Src: src, Out: out, PlainAssets: true})
	if err == nil || !strings.Contains(err.Error(), "site.yaml:3: theme: folder") {
		t.Errorf("err = %v; want a site.yaml:3 theme error", err)
	}
	if _, statErr := os.Stat(filepath.Join(out, "css", "extra.css")); statErr != nil {
		t.Error("failed build changed the output")
	}
}

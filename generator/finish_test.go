package generator

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"plansite/generator/linkcheck"
	sitemanifest "plansite/generator/manifest"
	"plansite/themes"
)

// TestBrokenLinksFailTheBuild: a broken link or anchor in Markdown fails
// the build at its file and line, one in the theme is reported once for
// all its pages, and the last good output stays as it was.
func TestBrokenLinksFailTheBuild(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 3)
	out := filepath.Join(dir, "public")
	good := "---\ntitle: 链接\n---\n## 推进改革\n\n见[第一篇](/notes/n001/)、[本节](#推进改革)、[第二篇的一](/notes/n002/#一)和[外站](https://other.example/x)。\n"
	writeFile(t, filepath.Join(src, "links.md"), []byte(good))
	for _, cache := range []string{"", filepath.Join(dir, "cache")} {
		if _, err := Build(context.Background(), Options{Src: src, Out: out, CacheDir: cache}); err != nil {
			t.Fatalf("cache %q: %v", cache, err)
		}
	}
	before := readTree(t, out)

	bad := good + "\n正文。\n\n另见[第九篇](/notes/n009/)\n和[没有的一节](#没有这一节)。\n"
	writeFile(t, filepath.Join(src, "links.md"), []byte(bad))
	for _, cache := range []string{"", filepath.Join(dir, "cache")} {
		_, err := Build(context.Background(), Options{Src: src, Out: out, CacheDir: cache})
		if err == nil {
			t.Fatalf("cache %q: a build with broken links succeeded", cache)
		}
		want := []string{
			filepath.ToSlash(src) + `/links.md:10: broken link "/notes/n009/": no such page or file in the site`,
			filepath.ToSlash(src) + `/links.md:11: broken link "#没有这一节": no heading or element with id "没有这一节" on links/index.html`,
		}
		if got := err.Error(); got != strings.Join(want, "\n") {
			t.Errorf("cache %q: error =\n%s\nwant\n%s", cache, got, strings.Join(want, "\n"))
		}
		if after := readTree(t, out); !sameTree(before, after) {
			t.Errorf("cache %q: a failed build changed the output", cache)
		}
	}

	// A site without a home page: one error, at the file to add.
	os.Remove(filepath.Join(src, "_index.md"))
	if _, err := Build(context.Background(), Options{Src: src, Out: out}); err == nil || err.Error() != filepath.ToSlash(src)+"/_index.md: the site has no home page, which every page links to: add this file (front matter with a title, then the home page's text)" {
		t.Errorf("no home page: error = %v", err)
	}
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n欢迎。\n"))

	// A theme's broken link is the theme's, once for every page.
	writeFile(t, filepath.Join(src, "links.md"), []byte(good))
	th := testTheme()
	th["layouts/base.html"] = &fstest.MapFile{Data: []byte(`<a href="/about/">关于</a>{{block "main" .}}{{end}}`)}
	_, err := Build(context.Background(), Options{Src: src, Out: out, Theme: th})
	if err == nil || !strings.HasPrefix(err.Error(), `theme layouts: broken link "/about/" in 404.html and `) || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("theme's broken link: error = %v", err)
	}
}

func sameTree(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestBundledSiteLinks: the default theme over the bundled content has no
// broken link (Build fails on one), under a sub-path too.
func TestBundledSiteLinks(t *testing.T) {
	for _, base := range []string{"https://plan.example.org/", "https://example.gov.cn/plan/"} {
		dir := t.TempDir()
		src := filepath.Join(dir, "content")
		copyDir(t, filepath.Join("..", "content"), src)
		yaml, _ := os.ReadFile(filepath.Join(src, "site.yaml"))
		yaml = bytes.Replace(yaml, []byte("baseURL: https://plan.example.org/"), []byte("baseURL: "+base), 1)
		writeFile(t, filepath.Join(src, "site.yaml"), yaml)
		out := filepath.Join(dir, "public")
		if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: themes.Default()}); err != nil {
			t.Errorf("base %s: %v", base, err)
			continue
		}
		if base == "https://plan.example.org/" {
			continue
		}
		// Under a sub-path, no address of any file (pages, feeds, site
		// maps, robots.txt, the search page) leaves it.
		outside := regexp.MustCompile(`(?:href|src|action|data-base)="/(?:[^p]|p[^l]|pl[^a]|pla[^n])|example\.gov\.cn/(?:[^p]|$)`)
		for name, data := range readTree(t, out) {
			if m := outside.Find(data); m != nil {
				t.Errorf("base %s: %s has an address outside /plan/: %s", base, name, m)
			}
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(to, rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestManifest: manifest.json lists every other file of the build, with
// its size and hash, sorted, and is the same for a build with a cache.
func TestManifest(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 3)
	out := filepath.Join(dir, "public")
	var first []byte
	for i, cache := range []string{"", filepath.Join(dir, "cache"), filepath.Join(dir, "cache")} {
		if _, err := Build(context.Background(), Options{Src: src, Out: out, CacheDir: cache}); err != nil {
			t.Fatal(err)
		}
		tree := readTree(t, out)
		m, err := sitemanifest.Decode(tree[sitemanifest.Name])
		if err != nil {
			t.Fatal(err)
		}
		delete(tree, sitemanifest.Name)
		if len(m.Files) != len(tree) {
			t.Fatalf("manifest lists %d files; the build has %d", len(m.Files), len(tree))
		}
		for j, f := range m.Files {
			if j > 0 && m.Files[j-1].Path >= f.Path {
				t.Errorf("not sorted: %s before %s", m.Files[j-1].Path, f.Path)
			}
			if want := sitemanifest.Of(f.Path, tree[f.Path]); f != want {
				t.Errorf("entry %+v; the file is %+v", f, want)
			}
		}
		if i == 0 {
			first = readTree(t, out)[sitemanifest.Name]
		} else if !bytes.Equal(first, readTree(t, out)[sitemanifest.Name]) {
			t.Errorf("build %d: manifest differs from the first build's", i)
		}
	}
}

// TestCompress: every text file over 1 KB, and only those, gets .gz and
// .br copies that decompress to it; the bytes are the same every build,
// with or without a cache; the gzip header names no time and no file.
func TestCompress(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	copyDir(t, filepath.Join("..", "content"), src)
	out := filepath.Join(dir, "public")
	var first map[string][]byte
	for i, cache := range []string{"", filepath.Join(dir, "cache"), filepath.Join(dir, "cache")} {
		if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: themes.Default(), CacheDir: cache, Compress: true}); err != nil {
			t.Fatal(err)
		}
		tree := readTree(t, out)
		if i == 0 {
			first = tree
		} else if !sameTree(first, tree) {
			t.Fatalf("build %d differs from the first", i)
		}
	}
	n := 0
	for name, data := range first {
		if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") || name == sitemanifest.Name {
			continue
		}
		text := strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".js") ||
			strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".svg") || strings.HasSuffix(name, ".txt") ||
			strings.HasSuffix(name, ".csv")
		gz, hasGz := first[name+".gz"]
		br, hasBr := first[name+".br"]
		if want := text && len(data) > 1024; hasGz != want || hasBr != want {
			t.Errorf("%s (%d bytes): .gz %t, .br %t; want %t", name, len(data), hasGz, hasBr, want)
			continue
		}
		if !hasGz {
			continue
		}
		n++
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		if !zr.ModTime.IsZero() || zr.Name != "" {
			t.Errorf("%s.gz: header has time %v, name %q", name, zr.ModTime, zr.Name)
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, data) {
			t.Errorf("%s.gz does not decompress to %s", name, name)
		}
		if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); !bytes.Equal(got, data) {
			t.Errorf("%s.br does not decompress to %s", name, name)
		}
		if len(gz) >= len(data) || len(br) >= len(gz)+64 {
			t.Errorf("%s: %d bytes, .gz %d, .br %d", name, len(data), len(gz), len(br))
		}
	}
	if n < 10 {
		t.Errorf("only %d files compressed", n)
	}

	// With the cache, an edit compresses its page again, and carries the
	// copies of unchanged files over rather than compress them again; the
	// result is a fresh build's.
	page := filepath.Join(src, "topics", "ecology.md")
	text, _ := os.ReadFile(page)
	writeFile(t, page, append(text, "\n新加的一句。\n"...))
	res, err := Build(context.Background(), Options{Src: src, Out: out, Theme: themes.Default(), CacheDir: filepath.Join(dir, "cache"), Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	// The page, the search files holding its text, the site map and the
	// manifest of the search index may change; nothing else.
	if res.Compressed == 0 || res.Compressed > 6 {
		t.Errorf("an edit of one page compressed %d files of %d", res.Compressed, n)
	}
	fresh := filepath.Join(dir, "fresh")
	if _, err := Build(context.Background(), Options{Src: src, Out: fresh, Theme: themes.Default(), Compress: true}); err != nil {
		t.Fatal(err)
	}
	if !sameTree(readTree(t, out), readTree(t, fresh)) {
		t.Error("the incremental build differs from a fresh one")
	}
}

// TestAssetsHashed: the theme's styles and scripts are minified and
// written under a name carrying the hash of their bytes, every page
// refers to that name, and no file keeps the plain name; the preview's
// PlainAssets keeps them as written.
func TestAssetsHashed(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	copyDir(t, filepath.Join("..", "content"), src)
	out := filepath.Join(dir, "public")
	if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: themes.Default()}); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, out)
	hashed := regexp.MustCompile(`^(css|js)/([a-z-]+)\.([0-9a-f]{8})\.(css|js)$`)
	n := 0
	for name, data := range tree {
		m := hashed.FindStringSubmatch(name)
		if m == nil {
			if strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".js") {
				t.Errorf("%s: a style or script without a content hash", name)
			}
			continue
		}
		n++
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:])[:8] != m[3] {
			t.Errorf("%s: the name's hash is not that of its bytes", name)
		}
		orig, err := fs.ReadFile(themes.Default(), "static/"+m[1]+"/"+m[2]+"."+m[4])
		if err != nil {
			t.Fatal(err)
		}
		if len(data) >= len(orig) || bytes.Contains(data, []byte("\n  ")) {
			t.Errorf("%s: %d bytes from %d: not minified", name, len(data), len(orig))
		}
		if !bytes.Contains(tree["index.html"], []byte(`"/`+name+`"`)) && !bytes.Contains(tree["search/index.html"], []byte(`"/`+name+`"`)) &&
			!bytes.Contains(tree["topics/ecology/index.html"], []byte(`"/`+name+`"`)) {
			t.Errorf("%s: no page refers to it", name)
		}
	}
	var static []string
	fs.WalkDir(themes.Default(), "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(p, ".css") || strings.HasSuffix(p, ".js")) {
			static = append(static, p)
		}
		return err
	})
	if n != len(static) || n < 4 {
		t.Errorf("%d hashed assets; want one for each of the theme's %q", n, static)
	}

	plain := filepath.Join(dir, "plain")
	if _, err := Build(context.Background(), Options{Src: src, Out: plain, Theme: themes.Default(), PlainAssets: true}); err != nil {
		t.Fatal(err)
	}
	css, _ := fs.ReadFile(themes.Default(), "static/css/site.css")
	if got := readTree(t, plain)["css/site.css"]; !bytes.Equal(got, css) {
		t.Error("PlainAssets: css/site.css is not the theme's file as written")
	}
	if !bytes.Contains(readTree(t, plain)["index.html"], []byte(`href="/css/site.css"`)) {
		t.Error("PlainAssets: the home page does not refer to /css/site.css")
	}
}

// TestMinifyKeepsMeaning: with Minify every page of the bundled site is
// smaller and reads, links and scripts the same: the same visible text,
// links, ids and script contents.
func TestMinifyKeepsMeaning(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	copyDir(t, filepath.Join("..", "content"), src)
	trees := map[bool]map[string][]byte{}
	for _, m := range []bool{false, true} {
		out := filepath.Join(dir, fmt.Sprint("public-", m))
		if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: themes.Default(), Minify: m}); err != nil {
			t.Fatal(err)
		}
		trees[m] = readTree(t, out)
	}
	scripts := regexp.MustCompile(`(?s)<script[^>]*>(.*?)</script>`)
	pages := 0
	for name, plain := range trees[false] {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		min := trees[true][name]
		if len(min) >= len(plain) {
			t.Errorf("%s: %d bytes minified, %d plain", name, len(min), len(plain))
		}
		if a, b := sitemanifest.VisibleText(plain), sitemanifest.VisibleText(min); !slices.Equal(a, b) {
			t.Errorf("%s: the visible text differs:\n%q\n%q", name, a, b)
		}
		la, ia := linkcheck.Scan(plain)
		lb, ib := linkcheck.Scan(min)
		if !slices.Equal(la, lb) || !maps.Equal(ia, ib) {
			t.Errorf("%s: links or ids differ:\n%q %v\n%q %v", name, la, ia, lb, ib)
		}
		sa, sb := scripts.FindAllSubmatch(plain, -1), scripts.FindAllSubmatch(min, -1)
		if len(sa) != len(sb) {
			t.Errorf("%s: %d scripts, %d minified", name, len(sa), len(sb))
			continue
		}
		for i := range sa {
			if !bytes.Equal(sa[i][1], sb[i][1]) {
				t.Errorf("%s: script %d changed:\n%s\n%s", name, i, sa[i][1], sb[i][1])
			}
		}
	}
	if pages < 10 {
		t.Errorf("%d pages compared", pages)
	}
}

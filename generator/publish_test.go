package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"plansite/generator/content"
)

// smallSite writes a content folder of n plain pages plus a home page.
func smallSite(t testing.TB, dir string, n int) string {
	src := filepath.Join(dir, "content")
	writeFile(t.(*testing.T), filepath.Join(src, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"))
	writeFile(t.(*testing.T), filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n欢迎。\n"))
	for i := range n {
		writeFile(t.(*testing.T), filepath.Join(src, "notes", fmt.Sprintf("n%03d.md", i)),
			[]byte(fmt.Sprintf("---\ntitle: 第%d篇\n---\n## 一\n\n正文%d。\n\n## 二\n\n更多。\n", i, i)))
	}
	return src
}

// failingTheme fails to render the page titled "boom", after others have
// already been written.
func failingTheme() fstest.MapFS {
	th := testTheme()
	th["layouts/page.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{if eq .Title "boom"}}{{template "missing-partial" .}}{{end}}{{.Content}}{{end}}`)}
	return th
}

func TestFailedBuildLeavesOutputIntact(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 40)
	out := filepath.Join(dir, "public")
	if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: testTheme()}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)

	// Renders fail halfway: the last page in path order breaks the theme.
	writeFile(t, filepath.Join(src, "notes", "zzz.md"), []byte("---\ntitle: boom\n---\n"))
	_, err := Build(context.Background(), Options{Src: src, Out: out, Theme: failingTheme(), Workers: 1})
	if err == nil {
		t.Fatal("build with a broken layout succeeded")
	}
	assertSameTree(t, out, before)
	assertNoTemp(t, dir)

	// Cancelled builds leave it alone too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, Options{Src: src, Out: out, Theme: testTheme()}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: err = %v; want context.Canceled", err)
	}
	assertSameTree(t, out, before)
	assertNoTemp(t, dir)
}

func TestStaleFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 3)
	out := filepath.Join(dir, "public")
	if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: testTheme()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes", "n001", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "notes", "n001.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), Options{Src: src, Out: out, Theme: testTheme()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes", "n001")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("page of a deleted source still in the output (stat err = %v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes", "n002", "index.html")); err != nil {
		t.Errorf("other page lost: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 60)
	var trees []map[string][]byte
	for i, workers := range []int{1, 8, 0} {
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		if _, err := Build(context.Background(), Options{Src: src, Out: out, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, readTree(t, out))
	}
	for i := 1; i < len(trees); i++ {
		if len(trees[i]) != len(trees[0]) {
			t.Fatalf("build %d wrote %d files; build 0 wrote %d", i, len(trees[i]), len(trees[0]))
		}
		for name, data := range trees[0] {
			if !bytes.Equal(trees[i][name], data) {
				t.Errorf("build %d: %s differs", i, name)
			}
		}
	}
}

func TestRefusesToReplaceForeignFolder(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 1)
	out := filepath.Join(dir, "documents")
	writeFile(t, filepath.Join(out, "report.docx"), []byte("precious"))
	_, err := Build(context.Background(), Options{Src: src, Out: out, Theme: testTheme()})
	if err == nil || !strings.Contains(err.Error(), "does not look like a built site") {
		t.Fatalf("err = %v; want a refusal", err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "report.docx")); string(data) != "precious" {
		t.Error("foreign folder changed")
	}
}

// TestUnreadableFile uses a file system that fails to read one page: as
// root, file permissions cannot make a real file unreadable.
func TestUnreadableFile(t *testing.T) {
	fsys := failingFS{MapFS: fstest.MapFS{
		"site.yaml":      {Data: []byte("title: t\nbaseURL: https://example.org/\n")},
		"_index.md":      {Data: []byte("---\ntitle: 首页\n---\n")},
		"locked.md":      {Data: []byte("---\ntitle: x\n---\n")},
		"also-broken.md": {Data: []byte("---\ntitle: [\n---\n")},
	}, fail: "locked.md"}
	_, err := content.Load(context.Background(), fsys, content.Options{Root: "content"})
	want := "content/also-broken.md:2: not valid YAML: sequence end token ']' not found\ncontent/locked.md: cannot read: permission denied"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v; want\n%s", err, want)
	}
	var ce *content.Error
	if !errors.As(err, &ce) || !errors.Is(err, os.ErrPermission) {
		t.Errorf("errors.As/Is cannot see the cause: %#v", err)
	}
}

type failingFS struct {
	fstest.MapFS
	fail string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f failingFS) ReadFile(name string) ([]byte, error) {
	if name == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadFile(name)
}

func assertSameTree(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	got := readTree(t, dir)
	if len(got) != len(want) {
		t.Fatalf("output has %d files; want %d", len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s changed", name)
		}
	}
}

package generator

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRebuilderEqualsBuild applies random sequences of edits, creations,
// renames (of files and folders), deletions and breakages to a content
// folder, and after each step checks that the Rebuilder, told only which
// paths changed, returns exactly the files a full Build writes, or the same
// error. The files are the Built's and its search index's together, the
// Built's winning where both have a name: what plansite serve serves once
// the index it builds in the background is done.
func TestRebuilderEqualsBuild(t *testing.T) {
	seeds := 6
	steps := 40
	if testing.Short() {
		seeds, steps = 2, 15
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			for _, disk := range []bool{false, true} {
				checkRandomEdits(t, uint64(seed), steps, disk)
			}
		})
	}
}

func checkRandomEdits(t *testing.T, seed uint64, steps int, diskTheme bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	siteYAML := "title: 测试站\nbaseURL: https://example.org/\ntopics:\n  - alpha\n  - beta\n"
	if diskTheme {
		siteYAML += "theme: mytheme\n"
		writeFile(t, filepath.Join(dir, "mytheme", "layouts", "partials", "extra.html"), []byte(`{{define "extra"}}{{end}}`))
		writeFile(t, filepath.Join(dir, "mytheme", "static", "css", "site.css"), []byte("body{color:red}\n"))
	}
	writeFile(t, filepath.Join(src, "site.yaml"), []byte(siteYAML))
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n欢迎。\n"))
	writeFile(t, filepath.Join(src, "topics", "alpha.md"), []byte("---\ntitle: 甲\nsummary: 甲专题\n---\n## 一\n\n甲。\n"))
	writeFile(t, filepath.Join(src, "topics", "beta.md"), []byte("---\ntitle: 乙\n---\n乙。\n"))
	for i := range 8 {
		writeFile(t, filepath.Join(src, "notes", fmt.Sprintf("n%d.md", i)), page(rng, i))
	}

	r := NewRebuilder(Options{Src: src})
	var last map[string][]byte // the Rebuilder's last good site
	check := func(step string, changed []string) {
		t.Helper()
		out := filepath.Join(dir, "public")
		_, werr := Build(context.Background(), Options{Src: src, Out: out})
		got, gerr := r.Build(context.Background(), changed)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%s: Rebuilder error = %v;\nBuild error = %v", step, gerr, werr)
		}
		if werr != nil {
			return
		}
		// Changed is worked out from what was rendered; it must be what
		// comparing the whole sites gives.
		if last != nil {
			if want := diffFiles(last, got.Files); !slices.Equal(got.Changed, want) {
				t.Fatalf("%s: Changed = %q; comparing the sites gives %q", step, got.Changed, want)
			}
		}
		last = got.Files
		want := readTree(t, out)
		for name := range want {
			if BuildOnly(name) {
				delete(want, name)
			}
		}
		index, err := got.Search.Files()
		if err != nil {
			t.Fatalf("%s: search index: %v", step, err)
		}
		if len(index) == 0 {
			t.Fatalf("%s: empty search index", step)
		}
		all := maps.Clone(index)
		maps.Copy(all, got.Files)
		for _, name := range sortedKeys(want) {
			if g, ok := all[name]; !ok {
				t.Fatalf("%s: Rebuilder lacks %s", step, name)
			} else if !bytes.Equal(g, want[name]) {
				t.Fatalf("%s: Rebuilder's %s =\n%s\nBuild's =\n%s", step, name, g, want[name])
			}
		}
		for _, name := range sortedKeys(all) {
			if _, ok := want[name]; !ok {
				t.Fatalf("%s: Rebuilder has %s, which Build does not write", step, name)
			}
		}
	}
	check("first build", nil)

	// pages lists the content-relative paths of the plain pages.
	pages := func() []string {
		var ps []string
		filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
			if _, serr := os.Stat(p); err == nil && serr == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				rel, _ := filepath.Rel(src, p)
				rel = filepath.ToSlash(rel)
				if rel != "_index.md" && !strings.HasPrefix(rel, "topics/") {
					ps = append(ps, rel)
				}
			}
			return nil
		})
		return ps
	}
	abs := func(rel string) string { return filepath.Join(src, filepath.FromSlash(rel)) }
	// through is what the watcher reports when p is written: p, and the
	// file a link p leads to, which is what the system sees change.
	through := func(p string) []string {
		target, err := filepath.EvalSymlinks(abs(p))
		real, _ := filepath.EvalSymlinks(src)
		if rel, rerr := filepath.Rel(real, target); err == nil && rerr == nil && filepath.ToSlash(rel) != p {
			return []string{p, filepath.ToSlash(rel)}
		}
		return []string{p}
	}
	n := 100
	for step := range steps {
		ps := pages()
		pick := func() string {
			if len(ps) == 0 {
				return ""
			}
			return ps[rng.IntN(len(ps))]
		}
		var changed []string
		var what string
		switch op := rng.IntN(14); {
		case op == 11:
			// Updates show on their topics' pages, the home page, the
			// listings and the feeds: front matter that other pages read.
			p := fmt.Sprintf("updates/u%d.md", rng.IntN(4))
			what = "write update " + p
			writeFile(t, abs(p), randomUpdate(rng, n))
			n++
			changed = []string{p}
		case op == 0 || op == 1:
			p := pick()
			if p == "" {
				continue
			}
			what = "edit " + p
			writeFile(t, abs(p), page(rng, n))
			n++
			changed = through(p)
		case op == 2:
			p := fmt.Sprintf("new%d/deep/x%d.md", n, n)
			what = "create " + p
			writeFile(t, abs(p), page(rng, n))
			n++
			changed = []string{strings.SplitN(p, "/", 2)[0]}
		case op == 3:
			p := pick()
			if p == "" {
				continue
			}
			what = "delete " + p
			os.Remove(abs(p))
			changed = []string{p}
		case op == 4:
			p := pick()
			if p == "" {
				continue
			}
			to := path.Join(path.Dir(p), fmt.Sprintf("r%d.md", n))
			n++
			what = "rename " + p + " to " + to
			if err := os.Rename(abs(p), abs(to)); err != nil {
				t.Fatal(err)
			}
			changed = []string{p, to}
		case op == 5:
			p := pick()
			if p == "" || !strings.Contains(p, "/") {
				continue
			}
			from := strings.SplitN(p, "/", 2)[0]
			to := fmt.Sprintf("dir%d", n)
			n++
			what = "rename folder " + from + " to " + to
			if err := os.Rename(abs(from), abs(to)); err != nil {
				t.Fatal(err)
			}
			changed = []string{from, to}
		case op == 6:
			p := pick()
			if p == "" {
				continue
			}
			what = "break " + p
			writeFile(t, abs(p), []byte("---\ntitle: [broken\n---\n"))
			changed = through(p)
		case op == 7:
			what = "edit a topic"
			writeFile(t, abs("topics/beta.md"), []byte(fmt.Sprintf("---\ntitle: 乙%d\n---\n乙。\n", n)))
			n++
			changed = []string{"topics/beta.md"}
		case op == 8:
			what = "edit site.yaml"
			writeFile(t, abs("site.yaml"), []byte(strings.Replace(siteYAML, "测试站", fmt.Sprintf("测试站%d", n), 1)))
			n++
			changed = []string{"site.yaml"}
		case op == 9:
			// search/ is reserved for the search page and index: a
			// content file there is an error, reported by both.
			p := []string{"img/a0.txt", "img/a1.txt", "search/manifest.json"}[rng.IntN(3)]
			what = "write asset " + p
			writeFile(t, abs(p), []byte(fmt.Sprint(n)))
			n++
			changed = []string{p}
		case op == 12:
			// A link inside the folder is a page like any other.
			p := pick()
			if p == "" {
				continue
			}
			l := fmt.Sprintf("links/l%d.md", n)
			n++
			what = "link " + l + " to " + p
			os.MkdirAll(abs("links"), 0o755)
			if err := os.Symlink(abs(p), abs(l)); err != nil {
				t.Fatal(err)
			}
			changed = []string{l}
		case op == 13:
			// A link out of the folder, or a loop, is an error in both;
			// once it is gone, the site is back.
			l := fmt.Sprintf("bad%d", n)
			target := []string{filepath.Join(dir, "outside.txt"), dir, l, "."}[rng.IntN(4)]
			n++
			writeFile(t, filepath.Join(dir, "outside.txt"), []byte("secret"))
			if err := os.Symlink(target, abs(l)); err != nil {
				t.Fatal(err)
			}
			check(fmt.Sprintf("step %d (link %s to %s)", step, l, target), []string{l})
			what = "remove link " + l
			os.Remove(abs(l))
			changed = []string{l}
		case op == 10:
			p := pick()
			if p == "" {
				continue
			}
			what = "slug change " + p
			writeFile(t, abs(p), []byte(fmt.Sprintf("---\ntitle: 别名\nslug: s%d\n---\n正文。\n", n)))
			n++
			changed = through(p)
		}
		if diskTheme && rng.IntN(8) == 0 {
			what += " and the theme"
			writeFile(t, filepath.Join(dir, "mytheme", "static", "css", "site.css"), []byte(fmt.Sprintf("body{color:#%03d}\n", n)))
			n++
		}
		check(fmt.Sprintf("step %d (%s)", step, what), changed)
	}
	check("final full reread", nil)
}

// randomUpdate is a published update, or one time in four a scheduled
// one: not published, its date is only the next change of schedule.json.
func randomUpdate(rng *rand.Rand, i int) []byte {
	topic := []string{"alpha", "beta"}[rng.IntN(2)]
	year := 2023
	if rng.IntN(4) == 0 {
		year = 2990 + rng.IntN(9)
	}
	return []byte(fmt.Sprintf("---\ntitle: 动态%d\ndate: %d-%02d-%02d\ntopics: [%s]\nsummary: 摘要%d\n---\n正文%d。\n", i, year, rng.IntN(12)+1, rng.IntN(28)+1, topic, i, i))
}

func page(rng *rand.Rand, i int) []byte {
	topic := []string{"", "topic: alpha\n", "topic: beta\n"}[rng.IntN(3)]
	if rng.IntN(4) == 0 {
		topic += fmt.Sprintf("aliases: [/old/a%d/]\n", i)
	}
	return []byte(fmt.Sprintf("---\ntitle: 第%d篇\n%s---\n## 一\n\n正文%d。\n\n## 二\n\n```go\nx := %d\n```\n", i, topic, i, rng.IntN(1000)))
}

// TestRebuilderRendersOnlyWhatChanged checks that an edit to one page
// body renders that page alone, and a site.yaml change renders every page.
func TestRebuilderRendersOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 20)
	r := NewRebuilder(Options{Src: src, Theme: testTheme()})
	first, err := r.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Rendered != 21 {
		t.Errorf("first build rendered %d pages; want 21", first.Rendered)
	}
	// A body edit; a front-matter edit would re-render every page, since
	// listings and navigation show front matter.
	writeFile(t, filepath.Join(src, "notes", "n003.md"), []byte("---\ntitle: 第3篇\n---\n改过。\n"))
	got, err := r.Build(context.Background(), []string{"notes/n003.md"})
	if err != nil {
		t.Fatal(err)
	}
	// The search index is not among the changed files: it is built apart.
	if want := "notes/n003/index.html"; got.Rendered != 1 || strings.Join(got.Changed, ",") != want {
		t.Errorf("after one edit: rendered %d, changed %q; want 1, %s", got.Rendered, got.Changed, want)
	}
	if got.Search == first.Search {
		t.Errorf("after a body edit the search index is the old one")
	}
	edited := got.Search
	got, err = r.Build(context.Background(), []string{"notes/n003.md"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rendered != 0 || len(got.Changed) != 0 || got.Search != edited {
		t.Errorf("after no change: rendered %d, changed %q, new search index %t; want 0, none, false", got.Rendered, got.Changed, got.Search != edited)
	}
	// A file that is not indexed text leaves the index as it is.
	writeFile(t, filepath.Join(src, "img", "a.txt"), []byte("x"))
	got, err = r.Build(context.Background(), []string{"img/a.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "img/a.txt"; got.Rendered != 0 || strings.Join(got.Changed, ",") != want || got.Search != edited {
		t.Errorf("after an asset edit: rendered %d, changed %q, new search index %t; want 0, %s, false", got.Rendered, got.Changed, got.Search != edited, want)
	}
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 新\nbaseURL: https://example.org/\n"))
	got, err = r.Build(context.Background(), []string{"site.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rendered != 21 {
		t.Errorf("after a site.yaml edit: rendered %d; want 21", got.Rendered)
	}
}

// TestRebuilderForgetsOldVersions checks that the parsed-page cache holds
// one entry per current file: edits replace, deletes remove (a preview
// server runs for days).
func TestRebuilderForgetsOldVersions(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 5)
	r := NewRebuilder(Options{Src: src, Theme: testTheme()})
	build := func(changed ...string) {
		t.Helper()
		if _, err := r.Build(context.Background(), changed); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, want int) {
		t.Helper()
		if len(r.parsed) != want || len(r.parsedAt) != want {
			t.Errorf("%s: %d parsed pages by bytes, %d by path; want %d", step, len(r.parsed), len(r.parsedAt), want)
		}
	}
	build()
	check("first build", 6)
	for i := range 3 {
		writeFile(t, filepath.Join(src, "notes", "n001.md"), []byte(fmt.Sprintf("---\ntitle: 改%d\n---\n正文。\n", i)))
		build("notes/n001.md")
	}
	check("after three edits", 6)
	if err := os.Remove(filepath.Join(src, "notes", "n002.md")); err != nil {
		t.Fatal(err)
	}
	build("notes/n002.md")
	check("after a delete", 5)
}

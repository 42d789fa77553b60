package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	sitemanifest "plansite/generator/manifest"
	"strings"
	"syscall"
	"testing"
	"time"

	"plansite/generator/content"
	"plansite/themes"
)

// stamps records each output file's inode and modification time.
func stamps(t *testing.T, dir string) map[string][2]int64 {
	t.Helper()
	m := map[string][2]int64{}
	for name := range readTree(t, dir) {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m[name] = [2]int64{int64(st.Sys().(*syscall.Stat_t).Ino), st.ModTime().UnixNano()}
	}
	return m
}

func buildWith(t *testing.T, src, out, cache string) *Result {
	t.Helper()
	res, err := Build(context.Background(), Options{Src: src, Out: out, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// assertEqualsFullBuild checks out against a build without any cache.
func assertEqualsFullBuild(t *testing.T, src, out string) {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh")
	buildWith(t, src, fresh, "")
	assertSameTree(t, out, readTree(t, fresh))
	if got, want := dirList(t, out), dirList(t, fresh); got != want {
		t.Errorf("folders differ from a full build:\n%s\nwant:\n%s", got, want)
	}
}

// dirList lists the folders below dir, so that an empty folder left by a
// removed page shows.
func dirList(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return err
	})
	return strings.Join(names, "\n")
}

func TestNoOpRebuildTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 20)
	out, cache := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	first := buildWith(t, src, out, cache)
	before := stamps(t, out)
	// Coarse file-system clocks must not hide a rewrite.
	time.Sleep(20 * time.Millisecond)
	second := buildWith(t, src, out, cache)
	if !second.NoOp {
		t.Errorf("second build was not a no-op: %v", second)
	}
	if second.Files != first.Files || second.Pages != first.Pages {
		t.Errorf("no-op build reports %d pages, %d files; want %d, %d", second.Pages, second.Files, first.Pages, first.Files)
	}
	after := stamps(t, out)
	for name, s := range before {
		if after[name] != s {
			t.Errorf("%s rewritten by a no-op build", name)
		}
	}
}

func TestIncrementalBuildReusesUnchanged(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 20)
	out, cache := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	buildWith(t, src, out, cache)
	before := stamps(t, out)
	time.Sleep(20 * time.Millisecond)

	// A body edit re-renders only its own page.
	writeFile(t, filepath.Join(src, "notes", "n005.md"), []byte("---\ntitle: 第5篇\n---\n改过的正文。\n"))
	res := buildWith(t, src, out, cache)
	after := stamps(t, out)
	// The page changes, and so may the search index, which holds its text;
	// nothing else is rewritten.
	searchFiles := 0
	for name, s := range before {
		changed := after[name] != s
		if strings.HasPrefix(name, "search/") {
			searchFiles++
			continue
		}
		// manifest.json lists every file's hash, the page's among them.
		if want := name == "notes/n005/index.html" || name == sitemanifest.Name; changed != want {
			t.Errorf("%s: rewritten = %t; want %t", name, changed, want)
		}
	}
	if res.Reused < res.Files-2-searchFiles {
		t.Errorf("reused %d of %d files; want all but the page, the manifest and at most %d search files", res.Reused, res.Files, searchFiles)
	}
	assertEqualsFullBuild(t, src, out)

	// A title edit shows on other pages (listings, navigation): all of
	// them must follow.
	writeFile(t, filepath.Join(src, "notes", "n006.md"), []byte("---\ntitle: 新标题\n---\n正文。\n"))
	buildWith(t, src, out, cache)
	assertEqualsFullBuild(t, src, out)

	// A deleted page disappears; a new one appears.
	os.Remove(filepath.Join(src, "notes", "n007.md"))
	writeFile(t, filepath.Join(src, "notes", "new.md"), []byte("---\ntitle: 新页\n---\n新。\n"))
	buildWith(t, src, out, cache)
	assertEqualsFullBuild(t, src, out)

	// Many builds in a row cycle the spare tree; each still equals a full
	// build.
	for i := range 4 {
		writeFile(t, filepath.Join(src, "notes", fmt.Sprintf("n%03d.md", 10+i)), []byte(fmt.Sprintf("---\ntitle: 第%d篇\n---\n第%d次修改。\n", 10+i, i)))
		if i%2 == 1 {
			os.Remove(filepath.Join(src, "notes", fmt.Sprintf("n%03d.md", i)))
		}
		buildWith(t, src, out, cache)
		assertEqualsFullBuild(t, src, out)
	}
}

func TestCacheNeverTrustedBlindly(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 5)
	out, cache := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	buildWith(t, src, out, cache)

	// A hand edit of the output is repaired, not kept.
	page := filepath.Join(out, "notes", "n001", "index.html")
	if err := os.WriteFile(page, []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := buildWith(t, src, out, cache); res.NoOp {
		t.Error("build after a hand edit of the output was a no-op")
	}
	assertEqualsFullBuild(t, src, out)

	// A corrupt cache file is ignored.
	m, _ := filepath.Glob(filepath.Join(cache, "builds", "*.json"))
	if len(m) != 1 {
		t.Fatalf("cache files: %v", m)
	}
	for _, garbage := range []string{"{not json", `{"build":"x","outputs":{}}`, ""} {
		if err := os.WriteFile(m[0], []byte(garbage), 0o644); err != nil {
			t.Fatal(err)
		}
		if res := buildWith(t, src, out, cache); res.NoOp || res.Reused != 0 {
			t.Errorf("corrupt cache %q used: %v", garbage, res)
		}
		assertEqualsFullBuild(t, src, out)
	}

	// A deleted cache folder costs only a full build.
	os.RemoveAll(cache)
	buildWith(t, src, out, cache)
	assertEqualsFullBuild(t, src, out)
}

// TestIncrementalFeedsKeepBodies: feeds carry update bodies, which a
// reused (not re-rendered) update page must still provide.
func TestIncrementalFeedsKeepBodies(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\ntopics:\n  - alpha\n"))
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n"))
	writeFile(t, filepath.Join(src, "topics", "alpha.md"), []byte("---\ntitle: 甲\n---\n甲。\n"))
	writeFile(t, filepath.Join(src, "updates", "2023-01-02-a.md"), []byte("---\ntitle: 动态\ndate: 2023-01-02\ntopics: [alpha]\n---\n动态**正文**。\n"))
	writeFile(t, filepath.Join(src, "note.md"), []byte("---\ntitle: 说明\n---\n一。\n"))
	out, cache := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	buildWith(t, src, out, cache)
	writeFile(t, filepath.Join(src, "note.md"), []byte("---\ntitle: 说明\n---\n二。\n"))
	if res := buildWith(t, src, out, cache); res.Reused == 0 {
		t.Fatalf("nothing reused: %v", res)
	}
	assertEqualsFullBuild(t, src, out)
}

// A build frees each page's body once rendered; the section cache must
// still file every page's sections under the key the next build looks up.
func TestSectionCacheKeysSurviveDroppedBodies(t *testing.T) {
	dir := t.TempDir()
	src := smallSite(t, dir, 12)
	out, cache := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	buildWith(t, src, out, cache)
	outAbs, err := filepath.Abs(out)
	if err != nil {
		t.Fatal(err)
	}
	cached := readSectionCache(sectionCachePath(cache, outAbs))
	identity, err := buildIdentity(themes.Default(), Options{Src: src, Out: out, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	siteData, err := os.ReadFile(filepath.Join(src, content.SiteFile))
	if err != nil {
		t.Fatal(err)
	}
	s, err := content.Load(context.Background(), os.DirFS(src), content.Options{Root: src})
	if err != nil {
		t.Fatal(err)
	}
	keyOf := pageKeys(globalKey(identity, siteData, s.TargetsData, s.MediaKey, s.Pages))
	for _, p := range s.Pages {
		if _, ok := cached[keyOf(p)]; !ok {
			t.Errorf("%s: no cached sections under its key", p.Path)
		}
	}
	if len(cached) != len(s.Pages) {
		t.Errorf("section cache holds %d pages; want %d", len(cached), len(s.Pages))
	}
}

package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plansite/generator/yamlnode"
)

// fixture copies the harbor fixture into a temporary folder and returns
// options importing it there, into dir/out.
func fixture(t *testing.T) Options {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"seed.txt", "topics.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "harbor", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Options{
		SeedPath: filepath.Join(dir, "seed.txt"),
		MapPath:  filepath.Join(dir, "topics.yaml"),
		OutDir:   filepath.Join(dir, "out"),
	}
}

// actions imports with opts and returns each file's action.
func actions(t *testing.T, opts Options) map[string]Action {
	t.Helper()
	_, acts := importReport(t, opts)
	return acts
}

// importReport imports with opts and returns the printed report and each
// file's action.
func importReport(t *testing.T, opts Options) (string, map[string]Action) {
	t.Helper()
	r, err := Import(context.Background(), opts)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	acts := map[string]Action{}
	for _, f := range r.Files {
		acts[f.Path] = f.Action
	}
	return b.String(), acts
}

// snapshot returns every file below dir with its bytes and time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			data, _ := os.ReadFile(path)
			info, _ := d.Info()
			out[path] = info.ModTime().String() + "\n" + string(data)
		}
		return nil
	})
	return out
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantActions(t *testing.T, got map[string]Action, want map[string]Action) {
	t.Helper()
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: action %s; want %s", name, actionNames[got[name]][0], actionNames[w][0])
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok && g != Unchanged {
			t.Errorf("%s: action %s; want unchanged", name, actionNames[g][0])
		}
	}
}

func TestRerunRewritesNothing(t *testing.T) {
	opts := fixture(t)
	wantActions(t, actions(t, opts), map[string]Action{
		"_index.md": Created, "topics/digital.md": Created, "topics/green-culture.md": Created,
		"topics/welfare.md": Created, "topics/government.md": Created,
	})
	// Age the files, so a rewrite would show in their times even on a
	// file system with coarse timestamps.
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	filepath.WalkDir(opts.OutDir, func(path string, d os.DirEntry, err error) error {
		return os.Chtimes(path, old, old)
	})
	before := snapshot(t, opts.OutDir)
	wantActions(t, actions(t, opts), nil)
	after := snapshot(t, opts.OutDir)
	if len(after) != len(before) {
		t.Errorf("files %d after a rerun; want %d", len(after), len(before))
	}
	for path, b := range before {
		if after[path] != b {
			t.Errorf("%s was rewritten by a rerun on unchanged inputs", path)
		}
	}
}

func TestEditProtection(t *testing.T) {
	opts := fixture(t)
	actions(t, opts)
	digital := filepath.Join(opts.OutDir, "topics", "digital.md")
	welfare := filepath.Join(opts.OutDir, "topics", "welfare.md")
	replaceInFile(t, digital, "数据机柜120个", "数据机柜120个（编辑补充）")
	edited, _ := os.ReadFile(digital)

	// The edited page is kept; an unedited page whose input changed is
	// updated.
	replaceInFile(t, opts.MapPath, "title: 民生保障", "title: 民生")
	report, acts := importReport(t, opts)
	if want := "kept            " + filepath.ToSlash(digital) + " (1 item): edited by hand since the last import; use --force to overwrite"; !strings.Contains(report, want) {
		t.Errorf("report lacks %q:\n%s", want, report)
	}
	wantActions(t, acts, map[string]Action{"topics/digital.md": KeptEdited, "topics/welfare.md": Updated})
	if got, _ := os.ReadFile(digital); !bytes.Equal(got, edited) {
		t.Errorf("edited page was changed:\n%s", got)
	}
	if got, _ := os.ReadFile(welfare); !bytes.Contains(got, []byte("title: 民生\n")) {
		t.Errorf("welfare page not updated:\n%s", got)
	}

	// A dry run says what would change and writes nothing.
	replaceInFile(t, opts.MapPath, "title: 民生\n", "title: 民生保障\n")
	dry := opts
	dry.DryRun, dry.Force = true, true
	before := snapshot(t, opts.OutDir)
	report, _ = importReport(t, dry)
	for _, want := range []string{"dry run: nothing written", "would update    " + filepath.ToSlash(welfare), "would overwrite " + filepath.ToSlash(digital)} {
		if !strings.Contains(report, want) {
			t.Errorf("dry-run report lacks %q:\n%s", want, report)
		}
	}
	after := snapshot(t, opts.OutDir)
	for path, b := range before {
		if after[path] != b {
			t.Errorf("dry run changed %s", path)
		}
	}

	// Force overwrites the edit.
	force := opts
	force.Force = true
	wantActions(t, actions(t, force), map[string]Action{"topics/digital.md": Overwritten, "topics/welfare.md": Updated})
	if got, _ := os.ReadFile(digital); bytes.Contains(got, []byte("编辑补充")) {
		t.Errorf("--force kept the edit:\n%s", got)
	}
	wantActions(t, actions(t, opts), nil)
}

func TestHandWrittenPageIsKept(t *testing.T) {
	opts := fixture(t)
	page := filepath.Join(opts.OutDir, "topics", "digital.md")
	hand := "---\ntitle: 手写\n---\n\n手写正文。\n"
	os.MkdirAll(filepath.Dir(page), 0o755)
	os.WriteFile(page, []byte(hand), 0o644)
	wantActions(t, actions(t, opts), map[string]Action{
		"_index.md": Created, "topics/digital.md": KeptEdited, "topics/green-culture.md": Created,
		"topics/welfare.md": Created, "topics/government.md": Created,
	})
	if got, _ := os.ReadFile(page); string(got) != hand {
		t.Errorf("hand-written page changed:\n%s", got)
	}
}

func TestStalePages(t *testing.T) {
	opts := fixture(t)
	// Someone else's page in topics/ is none of the importer's business.
	other := filepath.Join(opts.OutDir, "topics", "notes.md")
	os.MkdirAll(filepath.Dir(other), 0o755)
	os.WriteFile(other, []byte("---\ntitle: 笔记\n---\n"), 0o644)
	actions(t, opts)

	// Renaming a topic removes the page of the old slug, if unedited.
	replaceInFile(t, opts.MapPath, "slug: digital", "slug: digital-economy")
	wantActions(t, actions(t, opts), map[string]Action{"topics/digital-economy.md": Created, "topics/digital.md": Removed})
	if _, err := os.Stat(filepath.Join(opts.OutDir, "topics", "digital.md")); !os.IsNotExist(err) {
		t.Errorf("stale page not removed: %v", err)
	}
	// An edited stale page stays.
	replaceInFile(t, filepath.Join(opts.OutDir, "topics", "welfare.md"), "55%以上", "55%以上（编辑）")
	replaceInFile(t, opts.MapPath, "slug: welfare", "slug: social-welfare")
	wantActions(t, actions(t, opts), map[string]Action{"topics/social-welfare.md": Created, "topics/welfare.md": KeptEdited})
	if _, err := os.Stat(other); err != nil {
		t.Errorf("someone else's page: %v", err)
	}
}

func TestCheckHash(t *testing.T) {
	var fm yamlnode.Fields
	fm.String("title", "题")
	good := string(page(&fm, "正文。\n"))
	tests := []struct {
		name              string
		src               string
		stamped, unedited bool
	}{
		{"as written", good, true, true},
		{"body edited", strings.Replace(good, "正文", "改文", 1), true, false},
		{"front matter edited", strings.Replace(good, "title: 题", "title: 改", 1), true, false},
		{"hash edited", strings.Replace(good, "importHash: ", "importHash: 0", 1), true, false},
		{"no hash", "---\ntitle: 题\n---\n正文。\n", false, false},
		{"hash in body only", "---\ntitle: 题\n---\nimportHash: x\n", false, false},
		{"no front matter", "正文。\n", false, false},
		{"empty", "", false, false},
	}
	for _, tt := range tests {
		stamped, unedited := checkHash([]byte(tt.src))
		if stamped != tt.stamped || unedited != tt.unedited {
			t.Errorf("%s: checkHash = %v, %v; want %v, %v", tt.name, stamped, unedited, tt.stamped, tt.unedited)
		}
	}
}

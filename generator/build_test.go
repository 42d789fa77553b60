package generator

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"plansite/generator/content"
	"plansite/generator/theme"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata")

// testTheme prints only what the engine decides (title, contents list,
// converted Markdown, source line), so the golden files test the engine and
// not the default theme's chrome.
func testTheme() fstest.MapFS {
	page := `{{define "main"}}<h1>{{.Title}}</h1>
{{range .TOC}}toc: #{{.ID}} {{.Text}}
{{end}}{{with .Source}}source: {{.Publisher}} | {{.Document}} | {{.Credit}}
{{end}}{{with .Prev}}prev: {{.URL}}
{{end}}{{with .Next}}next: {{.URL}}
{{end}}{{if not .LastUpdated.IsZero}}last updated: {{.LastUpdated.Format "2006-01-02"}}
{{end}}{{range .Updates}}latest: {{.URL}}
{{end}}{{range .ChangeLog}}log: {{.Date.Format "2006-01-02"}} {{.URL}} {{.Title}}
{{end}}{{.Content}}{{end}}`
	// Updates show what the engine decided about them: publisher, topics,
	// dates; the list pages their items and pager.
	update := `{{define "main"}}<h1>{{.Title}}</h1>
source: {{.Source.Publisher}} | {{.Page.Param "docNumber"}} | {{.Page.Date.Format "2006-01-02"}}{{if not .Page.Updated.IsZero}} | updated {{.Page.Updated.Format "2006-01-02"}}{{end}}
topics:{{range .UpdateTopics}} {{.URL}}{{end}}
{{.Content}}{{end}}`
	updates := `{{define "main"}}<h1>{{.Title}}</h1>
{{range .Updates}}- {{.URL}} {{.Title}}
{{end}}{{with .Pager}}page {{.Number}}/{{.Total}} prev={{.Prev}} next={{.Next}} pages:{{range .Pages}} {{if .Current}}*{{end}}{{.URL}}{{end}}
{{end}}{{end}}`
	return fstest.MapFS{
		"layouts/base.html":    {Data: []byte(`{{block "main" .}}{{end}}`)},
		"layouts/home.html":    {Data: []byte(`{{define "main"}}<h1>{{.Title}}</h1>{{range .Topics}}<a href="{{.URL}}">{{.Title}}</a>{{.Summary}}{{end}}{{range .Updates}}<a href="{{.URL}}">{{.Title}}</a>{{end}}{{.Content}}{{end}}`)},
		"layouts/topic.html":   {Data: []byte(page)},
		"layouts/page.html":    {Data: []byte(page)},
		"layouts/update.html":  {Data: []byte(update)},
		"layouts/updates.html": {Data: []byte(updates)},
		"layouts/404.html":     {Data: []byte(`{{define "main"}}not found{{end}}`)},
		"static/style.css":     {Data: []byte("body{}\n")},
	}
}

// writeArchive writes the files of a txtar archive under prefix into dir.
func writeArchive(t *testing.T, ar *txtar.Archive, prefix, dir string) {
	t.Helper()
	for _, f := range ar.Files {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every file below dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestGolden builds each testdata/golden/*.txtar site. An archive holds
// content/... (the input), optionally theme/... (overriding the test theme)
// and flags (build options, as "now=2023-05-01 future expired drafts"),
// and either want/... (expected output files, plus want/FILES listing every
// output file) or want-error (the expected error text; the previous output
// must then survive untouched).
func TestGolden(t *testing.T) {
	archives, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no golden archives")
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			writeArchive(t, ar, "content/", filepath.Join(dir, "content"))
			var th fs.FS = testTheme()
			if hasPrefix(ar, "theme/") {
				writeArchive(t, ar, "theme/", filepath.Join(dir, "theme"))
				th = theme.Overlay(os.DirFS(filepath.Join(dir, "theme")), th)
			}
			out := filepath.Join(dir, "public")
			previous := map[string][]byte{"index.html": []byte("previous site\n"), "old/index.html": []byte("old page\n")}
			for name, data := range previous {
				writeFile(t, filepath.Join(out, name), data)
			}
			opt := Options{Src: filepath.Join(dir, "content"), Out: out, Theme: th}
			flags, _ := find(ar, "flags")
			applyFlags(t, &opt, string(flags))
			_, buildErr := Build(context.Background(), opt)
			got := readTree(t, out)
			if wantErr, ok := find(ar, "want-error"); ok {
				if buildErr == nil {
					t.Fatalf("build succeeded; want error:\n%s", wantErr)
				}
				msg := strings.ReplaceAll(buildErr.Error(), filepath.ToSlash(dir)+"/", "") + "\n"
				if *update {
					set(ar, "want-error", []byte(msg))
				} else if msg != string(wantErr) {
					t.Errorf("error:\n%s\nwant:\n%s", msg, wantErr)
				}
				if len(got) != len(previous) || !bytes.Equal(got["index.html"], previous["index.html"]) || !bytes.Equal(got["old/index.html"], previous["old/index.html"]) {
					t.Errorf("failed build changed the output: %v", sortedKeys(got))
				}
				assertNoTemp(t, dir)
			} else {
				if buildErr != nil {
					t.Fatalf("build: %v", buildErr)
				}
				list := []byte(strings.Join(sortedKeys(got), "\n") + "\n")
				if *update {
					set(ar, "want/FILES", list)
				} else if want, _ := find(ar, "want/FILES"); !bytes.Equal(list, want) {
					t.Errorf("output files:\n%s\nwant:\n%s", list, want)
				}
				for i := range ar.Files {
					f := &ar.Files[i]
					name, ok := strings.CutPrefix(f.Name, "want/")
					if !ok || name == "FILES" {
						continue
					}
					if *update {
						f.Data = got[name]
						continue
					}
					// txtar ends every file with a newline.
					if !bytes.Equal(withNewline(got[name]), f.Data) {
						t.Errorf("%s:\n%s\nwant:\n%s", name, got[name], f.Data)
					}
				}
			}
			if *update {
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// applyFlags sets build options from a golden archive's flags file. A
// golden build without now= is built at a fixed moment, so no golden file
// depends on the day the tests run.
func applyFlags(t *testing.T, opt *Options, flags string) {
	t.Helper()
	opt.Now = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range strings.Fields(flags) {
		switch name, value, _ := strings.Cut(f, "="); name {
		case "now":
			now, err := content.ParseTime(value)
			if err != nil {
				t.Fatal(err)
			}
			opt.Now = now
		case "future":
			opt.Future = true
		case "expired":
			opt.Expired = true
		case "drafts":
			opt.Drafts = true
		default:
			t.Fatalf("unknown flag %q", f)
		}
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".building-") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
}

func hasPrefix(ar *txtar.Archive, prefix string) bool {
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, prefix) {
			return true
		}
	}
	return false
}

func find(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func set(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func withNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(b[:len(b):len(b)], '\n')
	}
	return b
}

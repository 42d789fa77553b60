package main

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// faultSite writes a small site into dir: content/ with a topic, a theme
// folder, seeds/, and a folder "outside" holding what no link may publish.
func faultSite(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"content/site.yaml":        "title: 测试站\nbaseURL: https://example.org/\ntopics:\n  - jobs\n",
		"content/_index.md":        "---\ntitle: 首页\n---\n首页。\n",
		"content/topics/jobs.md":   "---\ntitle: 就业\n---\n城镇新增就业5万人。\n",
		"content/files/notice.md":  "---\ntitle: 通知\n---\n通知。\n",
		"mytheme/static/extra.css": "body{}\n",
		"seeds/report.txt":         "报告。\n",
		"seeds/topics.yaml":        "topics: []\n",
		"outside/secret.txt":       "root:x:0:0\n",
		"outside/photos/a.jpg":     "JPEG",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads a folder whole, or the file there, as path → bytes
// (links as "-> target").
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		data, err := os.ReadFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"": string(data)}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "-> " + target
			return err
		case d.IsDir():
			out[rel+"/"] = ""
		default:
			data, err := os.ReadFile(p)
			out[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// leftovers lists the working folders of builds beside public/.
func leftovers(t *testing.T, dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, ".public.building-*"))
	return m
}

// TestFaults is the fault suite: every class of bad input, given to the
// command as a clerk would, must stop the build with exit status 1 and a
// "path: message" a clerk can act on, and leave the last good site byte
// for byte as it was, with no working folder left behind.
func TestFaults(t *testing.T) {
	type setup func(t *testing.T, dir string)
	link := func(target, name string) setup {
		return func(t *testing.T, dir string) {
			target := strings.ReplaceAll(target, "$DIR", dir)
			if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
		}
	}
	write := func(name, data string) setup {
		return func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	build := []string{"build", "--cache-dir", ""}
	tests := []struct {
		name  string
		setup []setup
		args  []string // default: build
		// want is the error line, $DIR standing for the site's folder.
		want string
		// keep is the folder (or file) that must be left as it was.
		keep string
	}{
		{name: "link to a file outside content",
			setup: []setup{link("$DIR/outside/secret.txt", "content/passwd.txt")},
			want:  "content/passwd.txt: symbolic link to a file outside content/ ($DIR/outside/secret.txt): copy the file into content/ instead"},
		{name: "link to /etc/passwd",
			setup: []setup{link("/etc/passwd", "content/passwd.txt")},
			want:  "content/passwd.txt: symbolic link to a file outside content/ (/etc/passwd): copy the file into content/ instead"},
		{name: "relative link leading out",
			setup: []setup{link("../../outside/secret.txt", "content/files/secret.txt")},
			want:  "content/files/secret.txt: symbolic link to a file outside content/ ($DIR/outside/secret.txt): copy the file into content/ instead"},
		{name: "link to a folder outside content",
			setup: []setup{link("$DIR/outside/photos", "content/photos")},
			want:  "content/photos: symbolic link to a folder outside content/ ($DIR/outside/photos): copy the folder into content/ instead"},
		{name: "link to itself",
			setup: []setup{link("self.md", "content/self.md")},
			want:  "content/self.md: symbolic link loop (it leads back to content/self.md): remove the link or point it at a file"},
		{name: "link to its own folder",
			setup: []setup{link("..", "content/topics/up")},
			want:  "content/topics/up: symbolic link loop (it leads back to content/): remove the link or point it at a file"},
		{name: "site.yaml a link outside",
			setup: []setup{
				func(t *testing.T, dir string) { os.Rename(dir+"/content/site.yaml", dir+"/outside/site.yaml") },
				link("$DIR/outside/site.yaml", "content/site.yaml")},
			want: "content/site.yaml: symbolic link to a file outside content/ ($DIR/outside/site.yaml): copy the file into content/ instead"},
		{name: "theme file a link outside",
			setup: []setup{
				write("content/site.yaml", "title: 测试站\nbaseURL: https://example.org/\ntheme: mytheme\ntopics:\n  - jobs\n"),
				link("$DIR/outside/secret.txt", "mytheme/static/secret.txt")},
			want: "mytheme/static/secret.txt: symbolic link to a file outside mytheme/ ($DIR/outside/secret.txt): copy the file into mytheme/ instead"},
		{name: "site.yaml missing",
			setup: []setup{func(t *testing.T, dir string) { os.Remove(dir + "/content/site.yaml") }},
			want:  "content/site.yaml: cannot read the site settings: no such file or directory"},
		{name: "a file that cannot be read",
			setup: []setup{link("missing.md", "content/topics/gone.md")},
			want:  "content/topics/gone.md: cannot read: no such file or directory"},
		{name: "the output folder replaced by a file",
			setup: []setup{func(t *testing.T, dir string) {
				os.RemoveAll(dir + "/public")
				os.WriteFile(dir+"/public", []byte("a file\n"), 0o644)
			}},
			want: "output: $DIR/public exists and is not a folder"},
		{name: "an output folder that is not a site",
			setup: []setup{func(t *testing.T, dir string) {
				os.RemoveAll(dir + "/public")
				os.MkdirAll(dir+"/public", 0o755)
				os.WriteFile(dir+"/public/report.docx", []byte("someone's document"), 0o644)
			}},
			want: "output: refusing to replace $DIR/public: it is not empty and does not look like a built site"},
		{name: "seed a link outside seeds",
			setup: []setup{
				func(t *testing.T, dir string) { os.Remove(dir + "/seeds/report.txt") },
				link("$DIR/outside/secret.txt", "seeds/report.txt")},
			args: []string{"import", "seeds/report.txt", "--map", "seeds/topics.yaml"},
			want: "seeds/report.txt: symbolic link to a file outside seeds/ ($DIR/outside/secret.txt): copy the file into seeds/ instead",
			keep: "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			faultSite(t, dir)
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), build, &stdout, &stderr); err != nil {
				t.Fatalf("first build: %v\n%s", err, stderr.String())
			}
			for _, s := range tt.setup {
				s(t, dir)
			}
			keep := tt.keep
			if keep == "" {
				keep = "public"
			}
			before := snapshot(t, keep)
			args := tt.args
			if args == nil {
				args = build
			}
			stdout.Reset()
			stderr.Reset()
			err := run(context.Background(), args, &stdout, &stderr)
			if code := exitCode(err); err == nil || code != 1 {
				t.Fatalf("exit status %d (err %v); want 1", code, err)
			}
			want := strings.ReplaceAll(tt.want, "$DIR", dir)
			if !slices.ContainsFunc(strings.Split(err.Error(), "\n"), func(l string) bool { return strings.HasPrefix(l, want) }) {
				t.Errorf("error:\n%v\nwant a line starting %q", err, want)
			}
			after := snapshot(t, keep)
			if !maps.Equal(before, after) {
				t.Errorf("%s changed by a failed command", keep)
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("working folders left behind: %q", l)
			}
			for p, data := range after {
				if strings.Contains(data, "root:x:0:0") {
					t.Errorf("%s/%s holds the outside file", keep, p)
				}
			}
		})
	}
}

// TestLinksInsideArePublished checks the other half of the rule: links
// that stay inside content/ are followed, and site.yaml's allowLinksTo
// opens a named outside folder, and only that one.
func TestLinksInsideArePublished(t *testing.T) {
	dir := t.TempDir()
	faultSite(t, dir)
	t.Chdir(dir)
	for _, l := range [][2]string{
		{"notice.md", "content/files/copy.md"},
		{"../files", "content/topics/files"},
		{"../outside/photos", "content/photos"},
	} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	args := []string{"build", "--cache-dir", ""}
	if err := run(context.Background(), args, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "content/photos: symbolic link to a folder outside content/") {
		t.Fatalf("without allowLinksTo: %v", err)
	}
	os.WriteFile("content/site.yaml", []byte("title: 测试站\nbaseURL: https://example.org/\ntopics:\n  - jobs\nallowLinksTo:\n  - outside/photos\n"), 0o644)
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v", err)
	}
	got := snapshot(t, "public")
	for _, want := range []string{"files/copy/index.html", "topics/files/notice/index.html", "photos/a.jpg"} {
		if _, ok := got[filepath.FromSlash(want)]; !ok {
			t.Errorf("public/%s missing; have %q", want, slices.Sorted(maps.Keys(got)))
		}
	}
}

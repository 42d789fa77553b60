package confine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// tree makes a content folder and a folder beside it ("outside") holding
// a secret, with the links given (link path below content → target as
// written).
func tree(t *testing.T, links map[string]string) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "content")
	outside = filepath.Join(base, "outside")
	for _, d := range []string{root + "/a/sub", root + "/b", outside + "/dir"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string]string{
		root + "/page.md": "page", root + "/a/sub/x.md": "x", root + "/b/y.md": "y",
		outside + "/secret.txt": "secret", outside + "/dir/z.txt": "z",
	} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range links {
		target = strings.ReplaceAll(target, "$OUT", outside)
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name   string
		links  map[string]string
		open   string
		want   string // file contents, or
		errMsg string // the error's text after the path
		loop   bool
		allow  bool
	}{
		{name: "link to a file inside", links: map[string]string{"l.md": "page.md"}, open: "l.md", want: "page"},
		{name: "link to a folder inside", links: map[string]string{"a/l": "../b"}, open: "a/l/y.md", want: "y"},
		{name: "absolute link inside", links: map[string]string{"l.md": "$ROOT/b/y.md"}, open: "l.md", want: "y"},
		{name: "link to a file outside", links: map[string]string{"passwd.txt": "$OUT/secret.txt"}, open: "passwd.txt",
			errMsg: "symbolic link to a file outside content/ ($OUT/secret.txt): copy the file into content/ instead"},
		{name: "relative link out", links: map[string]string{"a/s.txt": "../../outside/secret.txt"}, open: "a/s.txt",
			errMsg: "symbolic link to a file outside content/ ($OUT/secret.txt): copy the file into content/ instead"},
		{name: "link to a folder outside", links: map[string]string{"photos": "$OUT/dir"}, open: "photos/z.txt",
			errMsg: "symbolic link to a folder outside content/ ($OUT/dir): copy the folder into content/ instead"},
		{name: "dangling link outside", links: map[string]string{"gone.txt": "$OUT/nothing"}, open: "gone.txt",
			errMsg: "symbolic link to a file outside content/ ($OUT/nothing): copy the file into content/ instead"},
		{name: "dangling link inside", links: map[string]string{"gone.md": "nothing.md"}, open: "gone.md", errMsg: "no such file or directory"},
		{name: "link to itself", links: map[string]string{"self": "self"}, open: "self", loop: true,
			errMsg: "symbolic link loop (it leads back to content/self): remove the link or point it at a file"},
		{name: "two links to each other", links: map[string]string{"p": "q", "q": "p"}, open: "p", loop: true,
			errMsg: "symbolic link loop (it leads back to content/q): remove the link or point it at a file"},
		{name: "link to its own folder", links: map[string]string{"a/up": ".."}, open: "a/up/page.md", loop: true,
			errMsg: "symbolic link loop (it leads back to content/): remove the link or point it at a file"},
		{name: "allowed outside folder", links: map[string]string{"photos": "$OUT/dir"}, open: "photos/z.txt", want: "z", allow: true},
		{name: "allowed folder does not allow a link into the rest", links: map[string]string{"s.txt": "$OUT/secret.txt"}, open: "s.txt", allow: true,
			errMsg: "symbolic link to a file outside content/ ($OUT/secret.txt): copy the file into content/ instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links := map[string]string{}
			root, outside := tree(t, nil)
			for l, target := range tt.links {
				target = strings.ReplaceAll(strings.ReplaceAll(target, "$OUT", outside), "$ROOT", root)
				links[l] = target
				if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
					t.Fatal(err)
				}
			}
			var allow []string
			if tt.allow {
				allow = []string{filepath.Join(outside, "dir")}
			}
			f, err := New(root, "content", allow)
			if err != nil {
				t.Fatal(err)
			}
			data, err := fs.ReadFile(f, tt.open)
			if tt.errMsg == "" {
				if err != nil || string(data) != tt.want {
					t.Fatalf("ReadFile(%s) = %q, %v; want %q", tt.open, data, err, tt.want)
				}
				return
			}
			want := strings.ReplaceAll(tt.errMsg, "$OUT", outside)
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != "content/"+tt.open || pe.Err.Error() != want {
				t.Fatalf("ReadFile(%s) error = %v\nwant %s: %s", tt.open, err, tt.open, want)
			}
			var le *LinkError
			if errors.As(err, &le) != strings.HasPrefix(want, "symbolic") || le != nil && le.Loop != tt.loop {
				t.Fatalf("error %#v: want a LinkError with Loop %t", err, tt.loop)
			}
			if string(data) != "" {
				t.Fatalf("read %q through a refused link", data)
			}
		})
	}
}

// TestWalkFollowsInsideLinksAndEnds walks a tree holding links of every
// kind: inside links are walked through, the others show up as links whose
// Stat fails, and the walk ends (a folder loop would otherwise recurse
// until the path is too long).
func TestWalkFollowsInsideLinksAndEnds(t *testing.T) {
	root, _ := tree(t, map[string]string{
		"a/l":        "../b",
		"a/up":       "..",
		"a/sub/back": "../../a",
		"b/cross":    "../a",
		"out":        "$OUT/dir",
		"p":          "q",
		"q":          "p",
		"page2.md":   "page.md",
	})
	f, err := New(root, "content", nil)
	if err != nil {
		t.Fatal(err)
	}
	var files, refused []string
	done := make(chan error)
	go func() {
		done <- fs.WalkDir(f, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				refused = append(refused, p)
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if _, err := fs.Stat(f, p); err != nil {
					refused = append(refused, p)
				}
				return nil
			}
			if !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("walk did not end")
	}
	wantFiles := []string{"a/l/y.md", "a/sub/x.md", "b/cross/sub/x.md", "b/y.md", "page.md", "page2.md"}
	slices.Sort(files)
	if !slices.Equal(files, wantFiles) {
		t.Errorf("files = %q\nwant    %q", files, wantFiles)
	}
	// a/l/cross and b/cross/l return to b and a, passed on the way there.
	wantRefused := []string{"a/l/cross", "a/sub/back", "a/up", "b/cross/l", "b/cross/sub/back", "b/cross/up", "out", "p", "q"}
	slices.Sort(refused)
	if !slices.Equal(refused, wantRefused) {
		t.Errorf("refused = %q\nwant      %q", refused, wantRefused)
	}
}

// TestFSConformance runs the standard library's checks of an fs.FS over a
// tree with an inside link to a file and one to a folder.
func TestFSConformance(t *testing.T) {
	root, _ := tree(t, map[string]string{"a/l": "../b", "page2.md": "page.md"})
	f, err := New(root, "content", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(f, "page.md", "page2.md", "a/sub/x.md", "a/l/y.md", "b/y.md"); err != nil {
		t.Fatal(err)
	}
}

func TestReadFileStaysInItsFolder(t *testing.T) {
	root, outside := tree(t, map[string]string{"report.txt": "$OUT/secret.txt", "copy.txt": "page.md"})
	if _, err := ReadFile(filepath.Join(root, "report.txt")); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a link out of the seed's folder was read: %v", err)
	}
	if data, err := ReadFile(filepath.Join(root, "copy.txt")); err != nil || string(data) != "page" {
		t.Errorf("a link inside the folder: %q, %v", data, err)
	}
	// A path the user names is trusted, wherever it is.
	if data, err := ReadFile(filepath.Join(outside, "secret.txt")); err != nil || string(data) != "secret" {
		t.Errorf("a named file: %q, %v", data, err)
	}
}

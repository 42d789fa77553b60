package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "site.yaml")
	if err := Write(path, []byte("title: 一\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("title: 二\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "title: 二\n" {
		t.Errorf("file holds %q; want the second write", got)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v; want 0640", info.Mode().Perm())
	}
	assertOnly(t, filepath.Dir(path), "site.yaml")
}

// TestWriteFuncFailureKeepsTheOldFile: a writer that fails halfway leaves
// the file as it was and no temporary file behind.
func TestWriteFuncFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "targets.yaml")
	if err := Write(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := WriteFunc(path, 0o644, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half of the new"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WriteFunc = %v; want the writer's error", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "old\n" {
		t.Errorf("file holds %q after a failed write; want the old bytes", got)
	}
	assertOnly(t, dir, "targets.yaml")
}

func assertOnly(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v; want only %s", names, name)
	}
}

// TestCreateNeverReplaces: Create makes a new file, and refuses one that
// is there already, leaving its bytes.
func TestCreateNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "updates", "2023-05-01-forest.md")
	if err := Create(path, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Create(path, []byte("second\n"), 0o644)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Create over an existing file = %v; want fs.ErrExist", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "first\n" {
		t.Errorf("file holds %q; want the first write kept", got)
	}
}

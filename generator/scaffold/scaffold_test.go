package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNewSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	files, err := NewSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "content/_index.md", "content/site.yaml", "content/topics/example.md", "content/updates/2023-01-01-example.md", "seeds/README.md"}
	slices.Sort(files)
	if !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	home, _ := os.ReadFile(filepath.Join(dir, "content", "_index.md"))
	if !strings.Contains(string(home), "\nimportHash: ") {
		t.Errorf("the home page is not stamped for the first import to replace:\n%s", home)
	}
	if ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.Contains(string(ignore), "/public/") {
		t.Errorf(".gitignore: %s", ignore)
	}
	if _, err := NewSite(dir); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second NewSite: %v, want ErrNotEmpty", err)
	}
	// An empty folder that exists is fine; a file in it is not.
	empty := t.TempDir()
	if _, err := NewSite(empty); err != nil {
		t.Errorf("empty folder: %v", err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if _, err := NewSite(other); !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("folder with a file: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(data) != "mine" {
		t.Error("a refused NewSite changed a file")
	}
}

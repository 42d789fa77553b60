package output

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestRemoveTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	for i := range 50 {
		mustWrite(t, filepath.Join(dir, "reports", fmt.Sprintf("p%03d", i), "index.html"), []byte("x"))
	}
	mustWrite(t, filepath.Join(dir, "index.html"), []byte("x"))
	mustWrite(t, filepath.Join(dir, "a", "b", "c", "d.txt"), []byte("x"))
	if err := os.Symlink("/", filepath.Join(dir, "reports", "root")); err != nil {
		t.Fatal(err)
	}
	removeTree(dir, 3)
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("after removeTree, Lstat(%s) = %v; want not exist", dir, err)
	}
}

func mustWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

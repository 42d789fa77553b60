package generator

import (
	"context"
	"path/filepath"
	"testing"
)

// TestBundledSiteMatchesPublic proves the committed public/ is exactly what
// a fresh build of the committed content/ writes.
func TestBundledSiteMatchesPublic(t *testing.T) {
	root := filepath.Join("..")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Src: filepath.Join(root, "content"), Out: out}); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	want := readTree(t, filepath.Join(root, "public"))
	for _, name := range sortedKeys(got) {
		if _, ok := want[name]; !ok {
			t.Errorf("public/%s is missing: run go run ./cmd/plansite build and commit public/", name)
		} else if string(got[name]) != string(want[name]) {
			t.Errorf("public/%s differs from a fresh build: run go run ./cmd/plansite build and commit public/", name)
		}
	}
	for _, name := range sortedKeys(want) {
		if _, ok := got[name]; !ok {
			t.Errorf("public/%s is not written by a fresh build: run go run ./cmd/plansite build and commit public/", name)
		}
	}
}

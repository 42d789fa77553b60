package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyContent copies the bundled site's site.yaml and topic pages.
func copyContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	files, _ := filepath.Glob(filepath.Join("..", "..", "content", "topics", "*.md"))
	files = append(files, filepath.Join("..", "..", "content", "site.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join("..", "..", "content"), f)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTargetsSuggest(t *testing.T) {
	dir := copyContent(t)
	file := filepath.Join(dir, "targets.yaml")
	suggest := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := runTargets(context.Background(), append([]string{"--suggest", "--src", dir}, args...), &stdout, &stderr); err != nil {
			t.Fatalf("targets %q: %v\n%s", args, err, stderr.String())
		}
		return stdout.String()
	}
	if out := suggest("--dry-run"); !strings.Contains(out, "28 would add") {
		t.Fatalf("dry run:\n%s", out)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a dry run wrote targets.yaml")
	}
	if out := suggest(); !strings.Contains(out, "28 added, from 7 topic pages") || !strings.Contains(out, "城镇新增就业 5万人") {
		t.Fatalf("first run:\n%s", out)
	}
	first, _ := os.ReadFile(file)
	// An edit by hand survives a second run, which reports it.
	edited := bytes.Replace(first, []byte(`what: "城镇新增就业"`), []byte(`what: "城镇新增就业人数"`), 1)
	os.WriteFile(file, edited, 0o644)
	if out := suggest(); !strings.Contains(out, "1 kept, 27 unchanged") || !strings.Contains(out, "edited by hand; use --force to overwrite") {
		t.Fatalf("second run:\n%s", out)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, edited) {
		t.Fatal("the second run changed the edited file")
	}
	if out := suggest("--force"); !strings.Contains(out, "1 overwritten") {
		t.Fatalf("forced run:\n%s", out)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, first) {
		t.Fatal("--force did not put the suggestion back")
	}
}

// TestCuratedTargets proves that the bundled targets.yaml is the curated
// suggestion: every commitment the suggestion finds is in it.
func TestCuratedTargets(t *testing.T) {
	var stdout, stderr bytes.Buffer
	src := filepath.Join("..", "..", "content")
	if err := runTargets(context.Background(), []string{"--suggest", "--dry-run", "--src", src}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), ": 28 curated, from 7 topic pages") {
		t.Errorf("the suggestion against content/targets.yaml:\n%s", stdout.String())
	}
}

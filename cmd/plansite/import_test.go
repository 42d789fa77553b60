package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportFlags(t *testing.T) {
	fixture := filepath.Join("..", "..", "generator", "importer", "testdata", "harbor")
	seed, mapping := filepath.Join(fixture, "seed.txt"), filepath.Join(fixture, "topics.yaml")
	out := filepath.Join(t.TempDir(), "content")
	tests := []struct {
		name       string
		args       []string
		wantErr    error // nil, errUsageShown or errHelp
		wantStdout string
		wantStderr string
		wantFiles  bool // whether out exists afterwards
	}{
		{"flags after the seed", []string{seed, "--map", mapping, "--out", out, "--dry-run"}, nil, "would create    " + filepath.ToSlash(out) + "/topics/digital.md", "", false},
		{"flags before the seed", []string{"--map", mapping, "--out", out, seed}, nil, "created         " + filepath.ToSlash(out) + "/topics/digital.md", "", true},
		{"flags around the seed", []string{"--map", mapping, seed, "--out", out}, nil, "unchanged       " + filepath.ToSlash(out) + "/topics/digital.md", "", true},
		{"force after the seed", []string{seed, "--force", "--map=" + mapping, "--out=" + out}, nil, "5 unchanged", "", true},
		{"two seeds", []string{seed, seed, "--map", mapping}, errUsageShown, "", "one seed at most", true},
		{"unknown flag", []string{seed, "--nosuch"}, errUsageShown, "", "flag provided but not defined: -nosuch", true},
		{"help", []string{"--help"}, errHelp, "", "Usage: plansite import [SEED]", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runImport(context.Background(), tt.args, &stdout, &stderr)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("runImport(%q) = %v; want %v", tt.args, err, tt.wantErr)
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout = %q; want it to contain %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q; want it to contain %q", stderr.String(), tt.wantStderr)
			}
			if _, err := os.Stat(out); (err == nil) != tt.wantFiles {
				t.Errorf("output folder exists: %v; want %v", err == nil, tt.wantFiles)
			}
		})
	}
}

func TestImportBadInputNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join("..", "..", "generator", "importer", "testdata", "harbor", "topics.yaml")
	seed := filepath.Join(dir, "seed.txt")
	os.WriteFile(seed, []byte("\n\n\xff\n"), 0o644)
	out := filepath.Join(dir, "content")
	err := runImport(context.Background(), []string{seed, "--map", mapping, "--out", out}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("runImport = %v; want an error with exit status 1", err)
	}
	if want := seed + ":3: not a text file, or text in an encoding plansite does not read"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("output written despite the error")
	}
}

// TestImportDefaults runs "plansite import --dry-run" at the top of the
// repository: the committed content/ must be what the seed imports to.
func TestImportDefaults(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	var stdout bytes.Buffer
	if err := runImport(context.Background(), []string{"--dry-run"}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if want := "7 topics: 8 unchanged\n"; !strings.HasSuffix(stdout.String(), want) {
		t.Errorf("committed content/ is not the import of the seed (run go run ./cmd/plansite import):\n%s", stdout.String())
	}
}

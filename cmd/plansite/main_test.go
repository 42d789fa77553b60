package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"), 0o644)
	os.WriteFile(filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n"), 0o644)
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "a.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	out := filepath.Join(dir, "public")
	cache := filepath.Join(dir, "cache")

	tests := []struct {
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{[]string{"version"}, 0, "plansite " + version, ""},
		{[]string{"--version"}, 0, "plansite " + version, ""},
		{[]string{"help"}, 0, "Usage: plansite <command>", ""},
		{[]string{"build", "--help"}, 0, "", "Usage: plansite build"},
		{[]string{"help", "build"}, 0, "", "Usage: plansite build"},
		{nil, 2, "", "Usage: plansite <command>"},
		{[]string{"nosuch"}, 2, "", `unknown command "nosuch"`},
		{[]string{"build", "--nosuch"}, 2, "", "flag provided but not defined"},
		{[]string{"build", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"build", "--src", src, "--out", out, "--cache-dir", cache}, 0, "built 1 pages, ", ""},
		{[]string{"build", "--src", src, "--out", out, "--cache-dir", cache}, 0, "nothing changed: 1 pages", ""},
		{[]string{"build", "--src", bad, "--out", out, "--cache-dir", cache}, 1, "", ""},
		{[]string{"build", "--src", src, "--out", out, "--now", "2023-02-30", "--cache-dir", cache}, 1, "", ""},
		{[]string{"new", "--help"}, 0, "", "plansite new update \"标题\" --topic SLUG"},
		{[]string{"new"}, 2, "", `say what to create`},
		{[]string{"new", "update"}, 2, "", `give the title`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, &stdout, &stderr)
		code := 0
		if err != nil {
			code = exitCode(err)
		}
		if code != tt.wantCode {
			t.Errorf("run(%q) exit = %d (err %v); want %d", tt.args, code, err, tt.wantCode)
		}
		if !strings.Contains(stdout.String(), tt.wantStdout) {
			t.Errorf("run(%q) stdout = %q; want it to contain %q", tt.args, stdout.String(), tt.wantStdout)
		}
		if !strings.Contains(stderr.String(), tt.wantStderr) {
			t.Errorf("run(%q) stderr = %q; want it to contain %q", tt.args, stderr.String(), tt.wantStderr)
		}
	}
}

func TestBuildErrorNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: ok\ndate: 2023-13-01\n---\n"), 0o644)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "--src", dir, "--out", filepath.Join(t.TempDir(), "out"), "--cache-dir", ""}, &stdout, &stderr)
	if err == nil || errors.Is(err, errUsageShown) {
		t.Fatalf("err = %v", err)
	}
	want := filepath.ToSlash(dir) + `/a.md:3: date: "2023-13-01" is not a valid date`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

// TestBuildMemoryLimitIsRestored checks that the soft memory limit a build
// sets (see runBuild) is the build's alone: run is also called from tests
// and could be from other programs.
func TestBuildMemoryLimitIsRestored(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set: a build leaves the limit alone")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "_index.md"), []byte("---\ntitle: 首页\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: 一页\n---\n正文。\n"), 0o644)
	before := debug.SetMemoryLimit(-1)
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "--src", dir, "--out", filepath.Join(t.TempDir(), "out"), "--cache-dir", ""}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("memory limit after a build = %d; before = %d", after, before)
	}
}

// TestBuildVerboseStages checks that --verbose reports every stage of a
// build with its wall time and, where the system reports it, its CPU time:
// the figures the performance notes in the README are read from.
func TestBuildVerboseStages(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: 测试\nbaseURL: https://example.org/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "_index.md"), []byte("---\ntitle: 首页\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: 一页\n---\n正文。\n"), 0o644)
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "--verbose", "--src", dir, "--out", filepath.Join(t.TempDir(), "out"), "--cache-dir", ""}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	cpu := ""
	if runtime.GOOS == "linux" {
		cpu = ` \([0-9]+\.[0-9]{2} s CPU\)`
	}
	for _, stage := range []string{"load: 2 pages in", "render and write pages: 2 pages in", "lists, feeds, site map and static files:", "search index:", "link check and manifest:", "publish:"} {
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(stage) + ` [0-9.]+(µs|ms|s)` + cpu + `$`)
		if !re.MatchString(stderr.String()) {
			t.Errorf("no line %q in --verbose output:\n%s", re, stderr.String())
		}
	}
}

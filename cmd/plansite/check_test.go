package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckExternal: plansite check --external fails on an outside link
// that is gone, naming it and its page, and passes on one rate-limited.
func TestCheckExternal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/busy":
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	src, out := filepath.Join(dir, "content"), filepath.Join(dir, "public")
	writeTestFile(t, filepath.Join(src, "site.yaml"), "title: 测试\nbaseURL: https://example.org/\n")
	writeTestFile(t, filepath.Join(src, "_index.md"), "---\ntitle: 首页\n---\n见[甲]("+srv.URL+"/ok)和[乙]("+srv.URL+"/busy)。\n")
	writeTestFile(t, filepath.Join(src, "a.md"), "---\ntitle: 一页\n---\n见[丙]("+srv.URL+"/gone)。\n")
	check := func() (string, error) {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"build", "--src", src, "--out", out, "--cache-dir", ""}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		err := run(context.Background(), []string{"check", "--external", "--src", src, "--out", out, "--cache-dir", filepath.Join(dir, "cache")}, &stdout, &stderr)
		return stdout.String(), err
	}
	log, err := check()
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/gone: status 410 (on a/index.html)") || strings.Contains(err.Error(), "/busy") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(log, "not checked: "+srv.URL+"/busy asked to be asked later (429)") || !strings.Contains(log, "own links: 0 broken") {
		t.Errorf("log:\n%s", log)
	}
	writeTestFile(t, filepath.Join(src, "a.md"), "---\ntitle: 一页\n---\n没有链接。\n")
	if log, err := check(); err != nil || !strings.Contains(log, "1 answered (1 from the cache") {
		t.Errorf("with the gone link removed: %v\n%s", err, log)
	}
}

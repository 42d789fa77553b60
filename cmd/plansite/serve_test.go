package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeHostFlag checks that each --host name is answered, other names
// are refused, and a --host that is no host name is a usage error.
func TestServeHostFlag(t *testing.T) {
	src := filepath.Join(t.TempDir(), "content")
	writeTestFile(t, filepath.Join(src, "site.yaml"), "title: 测试\nbaseURL: https://example.org/\n")
	writeTestFile(t, filepath.Join(src, "_index.md"), "---\ntitle: 首页\n---\n欢迎。\n")

	for _, bad := range []string{"", "http://mybox.lan/", "a.lan,b.lan"} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"serve", "--src", src, "--host", bad}, &stdout, &stderr)
		if err == nil || exitCode(err) != 2 || !strings.Contains(stderr.String(), "want one host name") {
			t.Errorf("--host %q: %v, stderr %q; want a usage error", bad, err, stderr.String())
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--src", src, "--port", "0", "--host", "preview.test", "--host", "Other.Test"}, &stdout, &stderr)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v; stderr:\n%s", err, stderr.String())
		}
	}()
	var url string
	for deadline := time.Now().Add(30 * time.Second); url == ""; time.Sleep(20 * time.Millisecond) {
		if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start; stderr:\n%s", stderr.String())
		}
	}
	for _, tt := range []struct {
		host string
		want int
	}{
		{"", 200}, // the client names the URL's host, 127.0.0.1:PORT
		{"preview.test", 200},
		{"other.test:1313", 200},
		{"evil.example.com", http.StatusMisdirectedRequest},
	} {
		req, _ := http.NewRequest("GET", url, nil)
		req.Host = tt.host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("Host %q: %d; want %d", tt.host, resp.StatusCode, tt.want)
		}
	}
	http.DefaultClient.CloseIdleConnections()
}

package main

import (
	"bytes"
	"context"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingAt = regexp.MustCompile(`at (http://\S+/) `)

// startServe runs "plansite serve" on src and returns its URL and a stop
// function that waits for it to exit.
func startServe(t *testing.T, src, port string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--src", src, "--port", port}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v; stderr:\n%s", err, stderr.String())
				}
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v; stderr:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBrowserSeesEdits opens a page in Chromium under plansite serve,
// edits the Markdown on disk and waits for the new text with no action in
// the browser; then breaks the page (the error overlay appears), fixes it
// (the overlay goes), and restarts the server (the page reconnects).
func TestBrowserSeesEdits(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("PLANSITE_REQUIRE_TOOLS") == "1" {
			t.Fatalf("PLANSITE_REQUIRE_TOOLS=1 but %s is missing: apt-get install -y chromium", chromium)
		}
		t.Skipf("%s not found: install it with 'apt-get install -y chromium' to run the browser test", chromium)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	writeTestFile(t, filepath.Join(src, "site.yaml"), "title: 测试\nbaseURL: https://example.org/\n")
	writeTestFile(t, filepath.Join(src, "_index.md"), "---\ntitle: 首页\n---\n欢迎。\n")
	page := filepath.Join(src, "notes", "a.md")
	writeTestFile(t, page, "---\ntitle: 一篇\n---\n原来的文字。\n")

	url, stop := startServe(t, src, "0")
	port := url[strings.LastIndex(url[:len(url)-1], ":")+1 : len(url)-1]

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "chromium-profile")),
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()

	// waitFor evaluates js until it is true. The page reloads itself under
	// it, which fails an evaluation in flight: that only means try again.
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		var last error
		for time.Now().Before(deadline) {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			last = err
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("waiting for %s: not seen within a minute (last error: %v)", what, last)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"notes/a/")); err != nil {
		t.Fatal(err)
	}
	waitFor("the page", `document.body.innerText.includes("原来的文字")`)

	writeTestFile(t, page, "---\ntitle: 一篇\n---\n浏览器自己看到的新文字。\n")
	waitFor("the edit", `document.body.innerText.includes("浏览器自己看到的新文字")`)

	writeTestFile(t, page, "---\ntitle: [坏\n---\n")
	waitFor("the error overlay", `(() => { const o = document.getElementById("plansite-overlay");
		return !!o && o.innerText.includes("notes/a.md:2:") && getComputedStyle(o).position === "fixed"; })()`)
	writeTestFile(t, page, "---\ntitle: 一篇\n---\n修好了。\n")
	waitFor("the overlay to go", `!document.getElementById("plansite-overlay") && document.body.innerText.includes("修好了")`)

	// The search index follows the pages: the search page, open on a
	// query for text not yet written, first finds nothing, then reloads
	// by itself once the index that has the text is in.
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"search/?q="+neturl.QueryEscape("新添的检索词"))); err != nil {
		t.Fatal(err)
	}
	waitFor("the empty search", `(() => { const s = document.getElementById("search-status");
		return !!s && s.innerText !== "" && !document.getElementById("search-results").innerText.includes("一篇"); })()`)
	writeTestFile(t, page, "---\ntitle: 一篇\n---\n修好了。新添的检索词在这里。\n")
	waitFor("the search result", `document.getElementById("search-results").innerText.includes("一篇")`)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"notes/a/")); err != nil {
		t.Fatal(err)
	}

	// The server restarts on the same port: the page reconnects by itself
	// and, seeing another server, reloads.
	stop()
	writeTestFile(t, page, "---\ntitle: 一篇\n---\n重启之后。\n")
	_, stop = startServe(t, src, port)
	defer stop()
	waitFor("the page after a restart", `document.body.innerText.includes("重启之后")`)
}

func writeTestFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

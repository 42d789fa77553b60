package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"plansite/generator"
	"plansite/generator/watch"
)

// wait bounds every wait for an event: generous, for a loaded two-core
// machine. No test asserts on speed.
const wait = 30 * time.Second

// testSite writes a small site: a home page, two topics, a few notes and a
// theme folder with its own stylesheet.
func testSite(t testing.TB) (root, src string) {
	root = t.TempDir()
	src = filepath.Join(root, "content")
	write(t, filepath.Join(src, "site.yaml"), "title: 测试站\nbaseURL: https://example.org/\ntheme: mytheme\ntopics:\n  - alpha\n  - beta\n")
	write(t, filepath.Join(src, "_index.md"), "---\ntitle: 首页\n---\n欢迎。\n")
	write(t, filepath.Join(src, "topics", "alpha.md"), "---\ntitle: 甲\n---\n甲。\n")
	write(t, filepath.Join(src, "topics", "beta.md"), "---\ntitle: 乙\n---\n乙。\n")
	for i := range 5 {
		write(t, filepath.Join(src, "notes", fmt.Sprintf("n%d.md", i)), fmt.Sprintf("---\ntitle: 第%d篇\ntopic: alpha\n---\n正文%d。\n", i, i))
	}
	write(t, filepath.Join(src, "img", "a.txt"), "asset\n")
	write(t, filepath.Join(root, "mytheme", "static", "css", "extra.css"), "body{color:red}\n")
	return root, src
}

func write(t testing.TB, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// Written whole and renamed into place, as editors save.
	tmp := filepath.Join(filepath.Dir(p), ".tmp-"+filepath.Base(p))
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

type logBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuf) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, format+"\n", args...)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve starts a server on src and stops it when the test ends, checking
// that no goroutine is left behind.
func serve(t testing.TB, src string, opt Options) (*Server, *logBuf) {
	t.Helper()
	before := runtime.NumGoroutine()
	logs := &logBuf{}
	opt.Src, opt.Port, opt.Logf = src, 0, logs.logf
	if opt.Watch.Debounce == 0 {
		opt.Watch.Debounce = 100 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := New(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
		http.DefaultClient.CloseIdleConnections()
		deadline := time.Now().Add(wait)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	return s, logs
}

// events is a server-sent event client, as a browser's EventSource.
type events struct {
	t  testing.TB
	ch chan status
}

func listen(t testing.TB, s *Server) *events {
	t.Helper()
	resp, err := http.Get(s.URL() + "__plansite/events")
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("events Content-Type = %q", ct)
	}
	e := &events{t: t, ch: make(chan status, 1000)}
	go func() {
		defer close(e.ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var st status
				if err := json.Unmarshal([]byte(data), &st); err != nil {
					t.Errorf("bad event %q: %v", data, err)
					return
				}
				e.ch <- st
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return e
}

// next returns the next status event satisfying ok.
func (e *events) next(ok func(status) bool) status {
	e.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case st, open := <-e.ch:
			if !open {
				e.t.Fatal("event stream closed")
			}
			if ok(st) {
				return st
			}
		case <-deadline:
			e.t.Fatalf("no such event within %v", wait)
		}
	}
}

func build(n int) func(status) bool {
	return func(st status) bool { return st.Build == n }
}

func get(t testing.TB, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// TestServesExactlyWhatBuildWrites compares every file once the search
// index, built after the pages, is in.
func TestServesExactlyWhatBuildWrites(t *testing.T) {
	root, src := testSite(t)
	s, _ := serve(t, src, Options{IndexDelay: time.Millisecond})
	listen(t, s).next(func(st status) bool { return st.Index == 1 })
	out := filepath.Join(t.TempDir(), "public")
	// The preview keeps the theme's styles and scripts as written.
	if _, err := generator.Build(context.Background(), generator.Options{Src: src, Out: out, PlainAssets: true}); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if generator.BuildOnly(filepath.ToSlash(rel)) {
			return nil // publishing's files, not the preview's
		}
		want, _ := os.ReadFile(p)
		resp, got := get(t, s.URL()+filepath.ToSlash(rel))
		if rel == "404.html" {
			// Served for missing pages, with status 404.
			resp, got = get(t, s.URL()+"no/such/page/")
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("missing page: status %d; want 404", resp.StatusCode)
			}
		} else if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", rel, resp.StatusCode)
		}
		if strings.HasSuffix(rel, ".html") {
			script := `<script src="/__plansite/reload.js?v=` + s.instance + `.1&amp;i=1" defer></script>` + "\n"
			if !strings.Contains(got, script) {
				t.Errorf("%s lacks the reload script", rel)
			}
			got = strings.Replace(got, script, "", 1)
		}
		if got != string(want) {
			t.Errorf("%s served differs from the built file", rel)
		}
		n++
		return nil
	})
	if n < 10 {
		t.Errorf("compared %d files only", n)
	}
	// Nothing written beside the sources: no public/, no temporary folder.
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.Name() != "content" && e.Name() != "mytheme" {
			t.Errorf("serve left %s in the site folder", e.Name())
		}
	}
}

func TestEditRenameDeleteReload(t *testing.T) {
	_, src := testSite(t)
	s, logs := serve(t, src, Options{})
	ev := listen(t, s)
	ev.next(build(1))

	write(t, filepath.Join(src, "notes", "n1.md"), "---\ntitle: 改过\ntopic: alpha\n---\n新的正文。\n")
	ev.next(build(2))
	if _, body := get(t, s.URL()+"notes/n1/"); !strings.Contains(body, "新的正文") {
		t.Errorf("after the edit the page is %s", body)
	}

	// A slug change moves the page: the old URL must go, not go stale.
	write(t, filepath.Join(src, "notes", "n2.md"), "---\ntitle: 改名\nslug: renamed\n---\n正文。\n")
	ev.next(build(3))
	if resp, _ := get(t, s.URL()+"notes/n2/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("old URL after a slug change: status %d; want 404", resp.StatusCode)
	}
	if resp, _ := get(t, s.URL()+"notes/renamed/"); resp.StatusCode != http.StatusOK {
		t.Errorf("new URL after a slug change: status %d; want 200", resp.StatusCode)
	}

	// A folder renamed, then a new nested folder.
	if err := os.Rename(filepath.Join(src, "notes"), filepath.Join(src, "articles")); err != nil {
		t.Fatal(err)
	}
	ev.next(build(4))
	if resp, _ := get(t, s.URL()+"articles/n3/"); resp.StatusCode != http.StatusOK {
		t.Errorf("page in a renamed folder: status %d; log:\n%s", resp.StatusCode, logs)
	}
	write(t, filepath.Join(src, "a", "b", "c.md"), "---\ntitle: 深\n---\n深处。\n")
	ev.next(build(5))
	if _, body := get(t, s.URL()+"a/b/c/"); !strings.Contains(body, "深处") {
		t.Errorf("page in a new folder: %s", body)
	}
	os.Remove(filepath.Join(src, "a", "b", "c.md"))
	ev.next(build(6))
	if resp, _ := get(t, s.URL()+"a/b/c/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted page: status %d; want 404", resp.StatusCode)
	}
}

func TestBrokenInputShowsErrorsAndKeepsLastGoodSite(t *testing.T) {
	_, src := testSite(t)
	s, _ := serve(t, src, Options{})
	ev := listen(t, s)
	ev.next(build(1))

	write(t, filepath.Join(src, "notes", "n1.md"), "---\ntitle: [oops\n---\n坏了。\n")
	st := ev.next(func(st status) bool { return st.Errors != "" })
	if !strings.Contains(st.Errors, "notes/n1.md:2:") {
		t.Errorf("errors = %q; want them located as notes/n1.md:2:", st.Errors)
	}
	if st.Build != 1 {
		t.Errorf("a failed build changed the build number to %d", st.Build)
	}
	resp, body := get(t, s.URL()+"notes/n1/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "正文1") {
		t.Errorf("during the error: status %d, body %s; want the last good page", resp.StatusCode, body)
	}
	_, stat := get(t, s.URL()+"__plansite/status")
	if !strings.Contains(stat, "notes/n1.md:2:") {
		t.Errorf("/__plansite/status = %s; want the errors", stat)
	}

	// Fixed back to exactly what it was: no new build, but the errors go.
	write(t, filepath.Join(src, "notes", "n1.md"), "---\ntitle: 第1篇\ntopic: alpha\n---\n正文1。\n")
	st = ev.next(func(st status) bool { return st.Errors == "" })
	if st.Build != 1 {
		t.Errorf("after the fix build = %d; want 1 (nothing changed)", st.Build)
	}
}

func TestFirstBuildBroken(t *testing.T) {
	_, src := testSite(t)
	write(t, filepath.Join(src, "site.yaml"), "title: [\n")
	s, _ := serve(t, src, Options{})
	ev := listen(t, s)
	ev.next(func(st status) bool { return st.Errors != "" })
	resp, body := get(t, s.URL())
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "reload.js") {
		t.Errorf("before any good build: status %d, body %s", resp.StatusCode, body)
	}
	write(t, filepath.Join(src, "site.yaml"), "title: 好了\nbaseURL: https://example.org/\ntopics:\n  - alpha\n  - beta\n")
	ev.next(func(st status) bool { return st.Errors == "" && st.Build == 1 })
	if resp, _ := get(t, s.URL()); resp.StatusCode != http.StatusOK {
		t.Errorf("after the fix: status %d", resp.StatusCode)
	}
}

func TestStylesheetOnlyChange(t *testing.T) {
	root, src := testSite(t)
	s, _ := serve(t, src, Options{})
	ev := listen(t, s)
	ev.next(build(1))
	write(t, filepath.Join(root, "mytheme", "static", "css", "extra.css"), "body{color:blue}\n")
	st := ev.next(build(2))
	if strings.Join(st.CSS, ",") != "/css/extra.css" || st.From != 1 {
		t.Errorf("status = %+v; want css [/css/extra.css] from build 1", st)
	}
	if _, body := get(t, s.URL()+"css/extra.css"); body != "body{color:blue}\n" {
		t.Errorf("stylesheet = %q", body)
	}
	// A template change is not stylesheet-only.
	write(t, filepath.Join(root, "mytheme", "layouts", "partials", "x.html"), `{{define "x"}}{{end}}`)
	write(t, filepath.Join(src, "notes", "n0.md"), "---\ntitle: 又改\n---\n又改。\n")
	if st := ev.next(build(3)); len(st.CSS) != 0 {
		t.Errorf("page edit sent css %q", st.CSS)
	}
}

func TestBurstIsOneRebuild(t *testing.T) {
	_, src := testSite(t)
	s, _ := serve(t, src, Options{Watch: watch.Options{Debounce: time.Second}})
	ev := listen(t, s)
	ev.next(build(1))
	for i := range 1000 {
		p := filepath.Join(src, "burst", fmt.Sprintf("d%d", i%10), fmt.Sprintf("p%04d.md", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(fmt.Sprintf("---\ntitle: 第%d\n---\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ev.next(build(2))
	// The search index's event may follow; another build may not.
	quiet := time.After(3 * time.Second)
wait:
	for {
		select {
		case st := <-ev.ch:
			if st.Build != 2 {
				t.Errorf("a second build after the burst: %+v", st)
			}
		case <-quiet:
			break wait
		}
	}
	if resp, _ := get(t, s.URL()+"burst/d9/p0999/"); resp.StatusCode != http.StatusOK {
		t.Errorf("last page of the burst: status %d", resp.StatusCode)
	}
}

func TestHTTP(t *testing.T) {
	root, src := testSite(t)
	os.WriteFile(filepath.Join(root, "secret.txt"), []byte("secret"), 0o644)
	s, _ := serve(t, src, Options{IndexDelay: time.Millisecond})
	// A page's bytes name the search index (reload.js?...&i=N): let it
	// come in first, so the ETags compared below stay the same.
	listen(t, s).next(func(st status) bool { return st.Index == 1 })
	base := strings.TrimSuffix(s.URL(), "/")

	// Raw requests, so that no client cleans the path first.
	raw := func(line string) (int, string) {
		t.Helper()
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "%s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", line)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, p := range []string{
		"/../secret.txt", "/../../../../etc/passwd", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
		"/notes/..%2f..%2fsecret.txt", "/img/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%00",
	} {
		code, body := raw("GET " + p)
		if code == http.StatusOK || strings.Contains(body, "secret") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: status %d, body %q", p, code, body)
		}
	}

	tests := []struct {
		path, wantType string
		wantCode       int
	}{
		{"/", "text/html; charset=utf-8", 200},
		{"/notes/n1/", "text/html; charset=utf-8", 200},
		{"/css/extra.css", "text/css; charset=utf-8", 200},
		{"/img/a.txt", "text/plain; charset=utf-8", 200},
		{"/__plansite/reload.js", "text/javascript; charset=utf-8", 200},
		{"/__plansite/overlay.css", "text/css; charset=utf-8", 200},
		{"/__plansite/status", "application/json; charset=utf-8", 200},
		{"/nope", "text/html; charset=utf-8", 404},
	}
	for _, tt := range tests {
		resp, _ := get(t, base+tt.path)
		if resp.StatusCode != tt.wantCode || resp.Header.Get("Content-Type") != tt.wantType {
			t.Errorf("GET %s: %d %q; want %d %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.wantCode, tt.wantType)
		}
	}

	// A folder without its slash is redirected to it.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/notes/n1?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/notes/n1/?x=1" {
		t.Errorf("GET /notes/n1: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// HEAD and conditional GET.
	resp, body := get(t, base+"/notes/n1/")
	etag := resp.Header.Get("ETag")
	head, err := http.Head(base + "/notes/n1/")
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != 200 || head.Header.Get("ETag") != etag || head.ContentLength != int64(len(body)) {
		t.Errorf("HEAD: %d, ETag %q, length %d; want 200, %q, %d", head.StatusCode, head.Header.Get("ETag"), head.ContentLength, etag, len(body))
	}
	req, _ := http.NewRequest("GET", base+"/notes/n1/", nil)
	req.Header.Set("If-None-Match", etag)
	cond, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cond.Body.Close()
	if etag == "" || cond.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET with ETag %q: status %d; want 304", etag, cond.StatusCode)
	}
	post, err := http.Post(base+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d; want 405", post.StatusCode)
	}
}

// TestBindWarning runs its servers one after the other, in subtests: the
// goroutine count serve checks at the end is taken at the start, which a
// server still starting its goroutines would upset.
func TestBindWarning(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		_, src := testSite(t)
		_, logs := serve(t, src, Options{Bind: "0.0.0.0"})
		if !strings.Contains(logs.String(), "all interfaces") || !strings.Contains(logs.String(), "--host NAME") {
			t.Errorf("no warning, or no mention of --host, when bound to all interfaces; log:\n%s", logs)
		}
	})
	t.Run("loopback", func(t *testing.T) {
		_, src := testSite(t)
		_, logs := serve(t, src, Options{})
		if strings.Contains(logs.String(), "all interfaces") {
			t.Errorf("warning on 127.0.0.1; log:\n%s", logs)
		}
	})
}

// TestManyClients holds 200 event streams open while pages are fetched,
// and checks that every client receives every build.
func TestManyClients(t *testing.T) {
	_, src := testSite(t)
	s, _ := serve(t, src, Options{})
	const n = 200
	clients := make([]*events, n)
	for i := range clients {
		clients[i] = listen(t, s)
	}
	for _, c := range clients {
		c.next(build(1))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(s.URL() + "notes/n0/")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d under load", resp.StatusCode)
				}
			}
		})
	}
	for b := 2; b <= 6; b++ {
		write(t, filepath.Join(src, "notes", "n4.md"), fmt.Sprintf("---\ntitle: 第%d版\n---\n", b))
		for _, c := range clients {
			c.next(build(b))
		}
	}
	close(stop)
	wg.Wait()
}

func TestContentType(t *testing.T) {
	for name, want := range map[string]string{
		"a.html": "text/html; charset=utf-8", "a.css": "text/css; charset=utf-8", "a.js": "text/javascript; charset=utf-8",
		"a.json": "application/json; charset=utf-8", "a.svg": "image/svg+xml; charset=utf-8", "a.png": "image/png",
		"a.xml": "application/xml; charset=utf-8", "a": "application/octet-stream",
	} {
		if got := contentType(name); got != want {
			t.Errorf("contentType(%q) = %q; want %q", name, got, want)
		}
	}
}

func TestInject(t *testing.T) {
	s := &Server{instance: "i"}
	got := string(s.inject([]byte("<html><head><title>x</title></head><body></body></html>"), 7, 2))
	want := `<html><head><title>x</title><script src="/__plansite/reload.js?v=i.7&amp;i=2" defer></script>` + "\n</head><body></body></html>"
	if got != want {
		t.Errorf("inject = %q; want %q", got, want)
	}
	if got := string(s.inject([]byte("no tags"), 1, 0)); !bytes.HasSuffix([]byte(got), []byte("</script>\n")) {
		t.Errorf("inject without </head> = %q", got)
	}
}

// TestServesScheduledUpdatesWhenAsked checks --future, --expired and --now:
// the press office previews an update before its publishDate and after its
// expiryDate.
func TestServesScheduledUpdatesWhenAsked(t *testing.T) {
	_, src := testSite(t)
	write(t, filepath.Join(src, "updates", "later.md"), "---\ntitle: 以后发布\ndate: 2099-01-01\ntopics: [alpha]\n---\n正文。\n")
	write(t, filepath.Join(src, "updates", "gone.md"), "---\ntitle: 已经下线\ndate: 2020-01-01\nexpiryDate: 2020-02-01\ntopics: [alpha]\n---\n正文。\n")
	after := time.Date(2099, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name        string
		opt         Options
		later, gone int
	}{
		{"default", Options{}, http.StatusNotFound, http.StatusNotFound},
		{"future", Options{Future: true}, http.StatusOK, http.StatusNotFound},
		{"expired", Options{Expired: true}, http.StatusNotFound, http.StatusOK},
		{"now after the date", Options{Now: after}, http.StatusOK, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := serve(t, src, tt.opt)
			for path, want := range map[string]int{"updates/later/": tt.later, "updates/gone/": tt.gone} {
				if resp, _ := get(t, s.URL()+path); resp.StatusCode != want {
					t.Errorf("%s: status %d; want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

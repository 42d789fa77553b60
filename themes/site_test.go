// The default theme's checks. They build the test site in testdata/site
// (plus the bundled content/accessibility.md) with the real engine and
// inspect the output: output_test.go with Go alone, always; browser_test.go
// with Chromium and axe-core, vnu_test.go with the Nu HTML checker and
// lighthouse_test.go with Lighthouse, each skipped when its tool is absent
// unless PLANSITE_REQUIRE_TOOLS=1. See themes/default/README.md.
package themes_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"plansite/generator"
)

// pageType is one kind of page the theme must get right, with a page of
// that kind in the test site.
type pageType struct {
	Name string
	// Path is the URL path the browser tests load. For "404" it is any
	// missing address: the server answers with 404.html.
	Path string
	// File is the built file, relative to the output folder.
	File string
	// Article pages carry the metadata block and page labels.
	Article bool
	// Screenshot pages are photographed at phone and desktop widths.
	Screenshot bool
	// Lighthouse pages are scored by Lighthouse (slow: keep to two).
	Lighthouse bool
}

// pageTypes lists every page type to check, with fixture content in
// testdata/site. The search page is checked empty and with results.
var pageTypes = []pageType{
	{Name: "home", Path: "/", File: "index.html", Screenshot: true, Lighthouse: true},
	{Name: "topic", Path: "/topics/ecology/", File: "topics/ecology/index.html", Article: true, Screenshot: true, Lighthouse: true},
	{Name: "topic-short", Path: "/topics/safety/", File: "topics/safety/index.html", Article: true},
	{Name: "404", Path: "/no-such-page/", File: "404.html"},
	{Name: "sitemap", Path: "/sitemap/", File: "sitemap/index.html"},
	{Name: "updates", Path: "/updates/", File: "updates/index.html"},
	{Name: "update", Path: "/updates/2026-03-05-ecology-progress/", File: "updates/2026-03-05-ecology-progress/index.html", Article: true},
	{Name: "accessibility", Path: "/accessibility/", File: "accessibility/index.html", Article: true},
	{Name: "search", Path: "/search/", File: "search/index.html"},
	{Name: "targets", Path: "/targets/", File: "targets/index.html", Screenshot: true, Lighthouse: true},
	{Name: "search-results", Path: "/search/?q=" + url.QueryEscape("蓝天"), File: "search/index.html"},
}

// notYetBuilt are addresses the theme links to whose pages other branches
// will add; the link checker accepts them until then.
var notYetBuilt = map[string]bool{}

// buildSite builds the test site with the given base URL into a new
// temporary folder and returns the output folder. edit, when not nil,
// rewrites site.yaml first.
func buildSite(t testing.TB, baseURL string, edit func(siteYAML string) string) string {
	t.Helper()
	out, err := build(t.TempDir(), filepath.Join("testdata", "site"), baseURL, edit)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func build(tmp, content, baseURL string, edit func(string) string) (string, error) {
	src := filepath.Join(tmp, "content")
	if err := os.CopyFS(src, os.DirFS(content)); err != nil {
		return "", err
	}
	a11y, err := os.ReadFile(filepath.Join("..", "content", "accessibility.md"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "accessibility.md"), a11y, 0o644); err != nil {
		return "", err
	}
	yml, err := os.ReadFile(filepath.Join(src, "site.yaml"))
	if err != nil {
		return "", err
	}
	s := regexp.MustCompile(`(?m)^baseURL: .*$`).ReplaceAllString(string(yml), "baseURL: "+baseURL)
	if edit != nil {
		s = edit(s)
	}
	if err := os.WriteFile(filepath.Join(src, "site.yaml"), []byte(s), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(tmp, "public")
	_, err = generator.Build(context.Background(), generator.Options{Src: src, Out: out})
	return out, err
}

// auditContent is the content folder the browser, vnu and Lighthouse
// checks build: the test site, or PLANSITE_AUDIT_CONTENT (say, ../content
// to audit the bundled site; it needs the pages pageTypes names).
func auditContent() string {
	if dir := os.Getenv("PLANSITE_AUDIT_CONTENT"); dir != "" {
		return dir
	}
	return filepath.Join("testdata", "site")
}

// csp is the policy the site must run under: nothing inline, nothing from
// elsewhere.
const csp = "default-src 'self'"

// served is the test site built for, and served by, a local server with
// the strict CSP. One per test binary: building and starting it once keeps
// the browser suite fast.
var served struct {
	once sync.Once
	url  string // "http://127.0.0.1:port"
	dir  string
	err  error
}

// serve starts the server on first use. It stays up until the test binary
// exits; TestMain removes its folder.
func serve(t *testing.T) (baseURL, dir string) {
	t.Helper()
	served.once.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			served.err = err
			return
		}
		served.url = "http://" + ln.Addr().String()
		tmp, err := os.MkdirTemp("", "plansite-theme-")
		if err != nil {
			served.err = err
			return
		}
		served.dir, served.err = build(tmp, auditContent(), served.url+"/", nil)
		if served.err != nil {
			return
		}
		go http.Serve(ln, siteHandler(served.dir)) //nolint:errcheck // ends with the test binary
	})
	if served.err != nil {
		t.Fatal(served.err)
	}
	return served.url, served.dir
}

// siteHandler serves dir as a static host would: index.html for folders,
// 404.html with status 404 for anything missing, and the strict CSP on
// every response.
func siteHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		p := filepath.Join(dir, filepath.FromSlash(r.URL.Path))
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			_, err = os.Stat(filepath.Join(p, "index.html"))
		}
		if err != nil {
			body, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func TestMain(m *testing.M) {
	code := m.Run()
	if served.dir != "" {
		os.RemoveAll(filepath.Dir(served.dir))
	}
	os.Exit(code)
}

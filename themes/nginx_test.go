package themes_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"plansite/generator/headers"
	"plansite/generator/nginx"
	"plansite/themes"
)

// TestServedByNginx builds the theme's test site with --compress, serves
// it with Debian's nginx and exactly the configuration plansite nginx
// prints, at the root and under a sub-path, and checks what browsers and
// caches get: every sitemap URL answers 200 with its content type and
// headers, a missing page the theme's 404 page with status 404, gzip the
// precompressed bytes, hashed assets a year's caching; and the search page
// works in Chromium, under the policy nginx sends.
func TestServedByNginx(t *testing.T) {
	bin := ""
	for _, c := range []string{"nginx", "/usr/sbin/nginx"} {
		if p, err := exec.LookPath(c); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		need(t, "nginx", "apt-get install -y nginx")
	}
	for _, base := range []string{"/", "/plan/"} {
		t.Run(strings.Trim(base, "/")+"root", func(t *testing.T) {
			servedByNginx(t, bin, base)
		})
	}
}

func servedByNginx(t *testing.T, bin, basePath string) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	site := "http://" + addr + basePath
	src := filepath.Join(dir, "site")
	out, err := build(src, filepath.Join("testdata", "site"), site, func(s string) string { return s + "\ncompress: true\n" })
	if err != nil {
		t.Fatal(err)
	}
	conf, err := nginx.Config(nginx.Options{Root: out, BaseURL: site, Listen: addr, CSP: themes.ContentSecurityPolicy})
	if err != nil {
		t.Fatal(err)
	}
	writeConf(t, filepath.Join(dir, "site.conf"), conf)
	writeConf(t, filepath.Join(dir, "nginx.conf"), fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {}
http {
  access_log off;
  client_body_temp_path %[1]s/tmp;
  proxy_temp_path %[1]s/tmp;
  fastcgi_temp_path %[1]s/tmp;
  uwsgi_temp_path %[1]s/tmp;
  scgi_temp_path %[1]s/tmp;
  include %[1]s/site.conf;
}
`, dir))
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o755)
	cmd := exec.Command(bin, "-c", filepath.Join(dir, "nginx.conf"), "-p", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// No transparent decompression: the test sees the bytes sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string, gzip bool) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	up := false
	for range 200 {
		if resp, err := client.Get(site); err == nil {
			resp.Body.Close()
			up = true
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !up {
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		t.Fatalf("nginx did not start: %s %s", stderr.String(), log)
	}
	checkHeaders := func(what string, resp *http.Response, cache string) {
		t.Helper()
		for k, want := range map[string]string{
			"Content-Security-Policy": themes.ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"Cache-Control":           cache,
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q; want %q", what, k, got, want)
			}
		}
	}

	// Every URL of the sitemap, as a search engine would fetch it.
	_, data := get(site+"sitemap.xml", false)
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if len(sm.URLs) < 8 {
		t.Fatalf("sitemap.xml lists %d URLs", len(sm.URLs))
	}
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, site) {
			t.Errorf("sitemap URL %s is not under %s", u.Loc, site)
			continue
		}
		resp, body := get(u.Loc, false)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", u.Loc, resp.StatusCode)
		}
		// Pages, and the open data (CSV, JSON) the site map lists too;
		// deploy sends the same types.
		file := strings.TrimPrefix(u.Loc, site)
		if file == "" || strings.HasSuffix(file, "/") {
			file += "index.html"
		}
		if ct, want := resp.Header.Get("Content-Type"), headers.ContentType(file); ct != want {
			t.Errorf("%s: Content-Type %q; want %q", u.Loc, ct, want)
		}
		if strings.HasSuffix(file, ".html") && !bytes.Contains(body, []byte("</html>")) {
			t.Errorf("%s: not a whole page", u.Loc)
		}
		checkHeaders(u.Loc, resp, headers.CacheShort)
	}

	// Other files: content types and caching.
	_, homeBody := get(site, false)
	assets := regexp.MustCompile(`(?:href|src)="(`+regexp.QuoteMeta(basePath)+`(?:css|js)/[^"]+)"`).FindAllSubmatch(homeBody, -1)
	if len(assets) < 2 {
		t.Fatalf("the home page links %d styles and scripts", len(assets))
	}
	for _, a := range assets {
		p := string(a[1])
		resp, _ := get("http://"+addr+p, false)
		want := map[string]string{".css": "text/css; charset=utf-8", ".js": "application/javascript; charset=utf-8"}[filepath.Ext(p)]
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want {
			t.Errorf("%s: status %d, Content-Type %q; want 200, %q", p, resp.StatusCode, resp.Header.Get("Content-Type"), want)
		}
		if !regexp.MustCompile(headers.ImmutablePattern).MatchString(p) {
			t.Errorf("%s: the name carries no content hash", p)
		}
		checkHeaders(p, resp, headers.CacheImmutable)
	}
	for _, f := range []struct{ path, ctype string }{
		{"feed.xml", "text/xml; charset=utf-8"},
		{"feed.json", "application/json; charset=utf-8"},
		{"search/manifest.json", "application/json; charset=utf-8"},
		{"favicon.svg", "image/svg+xml; charset=utf-8"},
	} {
		resp, _ := get(site+f.path, false)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f.ctype {
			t.Errorf("%s: status %d, Content-Type %q; want 200, %q", f.path, resp.StatusCode, resp.Header.Get("Content-Type"), f.ctype)
		}
		checkHeaders(f.path, resp, headers.CacheShort)
	}

	// A missing page: the theme's 404 page, status 404.
	notFound, err := os.ReadFile(filepath.Join(out, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"no/such/page/", "topics/nosuch/", "css/nosuch.css"} {
		resp, body := get(site+p, false)
		if resp.StatusCode != 404 || !bytes.Equal(body, notFound) {
			t.Errorf("%s: status %d, theme's 404 page %t; want 404, true", p, resp.StatusCode, bytes.Equal(body, notFound))
		}
		checkHeaders(p, resp, headers.CacheShort)
	}

	// Accept-Encoding: gzip gets the .gz file's very bytes.
	for _, p := range []string{"", "topics/ecology/", "search/manifest.json"} {
		file := filepath.Join(out, filepath.FromSlash(p))
		if p == "" || strings.HasSuffix(p, "/") {
			file = filepath.Join(file, "index.html")
		}
		gz, err := os.ReadFile(file + ".gz")
		if err != nil {
			t.Fatalf("%s: no precompressed copy: %v", p, err)
		}
		resp, body := get(site+p, true)
		if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(body, gz) {
			t.Errorf("%s with gzip: Content-Encoding %q, the .gz bytes %t", p, resp.Header.Get("Content-Encoding"), bytes.Equal(body, gz))
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s with gzip: Vary %q", p, resp.Header.Get("Vary"))
		}
	}

	// The search page works in Chromium against nginx, its policy and all.
	bctx := browser(t)
	tb := newTab(t, bctx)
	tb.open(t, site+"search/?q="+url.QueryEscape("蓝天保卫战"), modes[0])
	err = chromedp.Do(tb.ctx, chromedp.WaitVisible(chromedp.CSS("#search-results li a")))
	var first string
	if err == nil {
		first, err = chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("#search-results li a")))
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "持续打好蓝天保卫战") {
		t.Errorf("first result %q; want the section 持续打好蓝天保卫战", first)
	}
	href, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector("#search-results li a").getAttribute("href")`))
	if err != nil || !strings.HasPrefix(href, basePath+"topics/ecology/#") {
		t.Errorf("first result links to %q (%v); want %stopics/ecology/#...", href, err, basePath)
	}
	tb.check(t, "search under nginx")
}

func writeConf(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

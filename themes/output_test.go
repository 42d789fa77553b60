package themes_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The checks here need no browser and always run.

const testBaseURL = "https://plan.example.org/"

// page is a parsed built page.
type page struct {
	file string // relative to the output folder
	src  []byte
	doc  *html.Node
}

func readPages(t *testing.T, out string) []page {
	t.Helper()
	var pages []page
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(src))
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		pages = append(pages, page{file: filepath.ToSlash(rel), src: src, doc: doc})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return strings.Contains(" "+v+" ", " "+class+" ")
}

// all returns the elements below n, in document order, for which match
// is true.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func meta(doc *html.Node, name string) (string, bool) {
	for _, m := range all(doc, tag("meta")) {
		if v, _ := attr(m, "name"); v == name {
			return attr(m, "content")
		}
	}
	return "", false
}

func ancestor(n *html.Node, match func(*html.Node) bool) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && match(p) {
			return p
		}
	}
	return nil
}

// focusable reports whether n is reachable with the Tab key.
func focusable(n *html.Node) bool {
	if v, ok := attr(n, "tabindex"); ok {
		return v != "-1"
	}
	switch n.Data {
	case "a":
		_, ok := attr(n, "href")
		return ok
	case "button", "input", "select", "textarea", "summary":
		_, disabled := attr(n, "disabled")
		return !disabled
	}
	return false
}

func TestSkeleton(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	pages := readPages(t, out)
	if len(pages) < len(pageTypes) {
		t.Fatalf("built %d pages; want at least %d", len(pages), len(pageTypes))
	}
	titles, descriptions := map[string]string{}, map[string]string{}
	for _, p := range pages {
		doc := p.doc
		errorf := func(format string, args ...any) { t.Errorf("%s: %s", p.file, fmt.Sprintf(format, args...)) }
		if !bytes.HasPrefix(p.src, []byte("<!DOCTYPE html>\n")) {
			errorf("does not start with <!DOCTYPE html>")
		}
		if h := all(doc, tag("html")); len(h) != 1 || func() string { v, _ := attr(h[0], "lang"); return v }() != "zh-CN" {
			errorf(`want <html lang="zh-CN">`)
		}
		vp, _ := meta(doc, "viewport")
		if !strings.Contains(vp, "width=device-width") || strings.Contains(vp, "user-scalable") || strings.Contains(vp, "maximum-scale") {
			errorf("viewport %q must allow zoom", vp)
		}
		// The skip link comes first and leads to the one main.
		f := all(doc, focusable)
		if len(f) == 0 || f[0].Data != "a" || !hasClass(f[0], "skip-link") || text(f[0]) != "跳到主要内容" {
			errorf("the first focusable element is not the skip link 跳到主要内容")
		} else if href, _ := attr(f[0], "href"); href != "#main-content" {
			errorf("skip link goes to %q", href)
		}
		mains := all(doc, tag("main"))
		if len(mains) != 1 || func() string { v, _ := attr(mains[0], "id"); return v }() != "main-content" {
			errorf(`want exactly one <main id="main-content">`)
		}
		for _, name := range []string{"header", "footer"} {
			if len(all(doc, tag(name))) != 1 {
				errorf("want one <%s>", name)
			}
		}
		// The search box: labelled, and never inside something collapsed.
		q := all(doc, func(n *html.Node) bool { v, _ := attr(n, "id"); return v == "site-search-q" })
		labels := all(doc, func(n *html.Node) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == "site-search-q" })
		if len(q) != 1 || len(labels) != 1 || ancestor(q[0], tag("details")) != nil || ancestor(q[0], tag("header")) == nil {
			errorf("want one labelled search box in the header, outside any collapsed menu")
		}
		// Breadcrumbs, except on the home page.
		crumbs := all(doc, func(n *html.Node) bool {
			v, _ := attr(n, "aria-label")
			return n.Data == "nav" && v == "面包屑导航"
		})
		if p.file != "index.html" {
			if len(crumbs) != 1 || len(all(crumbs[0], tag("ol"))) != 1 {
				errorf(`want <nav aria-label="面包屑导航"><ol>`)
			} else {
				items := all(crumbs[0], tag("li"))
				last := items[len(items)-1]
				cur := all(last, func(n *html.Node) bool { v, _ := attr(n, "aria-current"); return v == "page" })
				if len(cur) != 1 || len(all(last, tag("a"))) != 0 {
					errorf(`the last breadcrumb must be text with aria-current="page"`)
				}
			}
		}
		// One h1 and no skipped levels.
		heads := all(doc, func(n *html.Node) bool {
			return len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
		})
		level := 0
		h1s := 0
		for _, h := range heads {
			l := int(h.Data[1] - '0')
			if l == 1 {
				h1s++
			}
			if l > level+1 {
				errorf("<%s>%s</%s> skips a level after h%d", h.Data, text(h), h.Data, level)
			}
			level = l
		}
		if h1s != 1 {
			errorf("%d <h1> elements; want 1", h1s)
		}
		// Title and description: present and unique.
		ts := all(doc, tag("title"))
		title := ""
		if len(ts) == 1 {
			title = text(ts[0])
		}
		if !strings.HasSuffix(title, "测试市政府工作报告解读") || (p.file != "index.html" && !strings.Contains(title, " – ")) {
			errorf("title %q is not \"页面名 – 站点名\"", title)
		}
		if other, dup := titles[title]; dup {
			errorf("title %q is also %s's", title, other)
		}
		titles[title] = p.file
		desc, ok := meta(doc, "description")
		if !ok || desc == "" {
			errorf("no meta description")
		}
		if other, dup := descriptions[desc]; dup {
			errorf("description %q is also %s's", desc, other)
		}
		descriptions[desc] = p.file
		// Page labels.
		for _, name := range []string{"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType"} {
			if v, _ := meta(doc, name); v == "" {
				errorf("no %s page label", name)
			}
		}
	}
}

func TestArticles(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	for _, pt := range pageTypes {
		if !pt.Article {
			continue
		}
		doc := parseFile(t, filepath.Join(out, pt.File))
		for _, name := range []string{"ArticleTitle", "PubDate", "ContentSource"} {
			if v, _ := meta(doc, name); v == "" {
				t.Errorf("%s: no %s page label", pt.File, name)
			}
		}
		// The metadata block: right after the title (and summary), before
		// the toolbar, on every article.
		art := all(doc, tag("article"))
		if len(art) != 1 {
			t.Errorf("%s: want one <article>", pt.File)
			continue
		}
		var order []string
		for c := art[0].FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cl, _ := attr(c, "class")
				order = append(order, c.Data+"."+cl)
			}
		}
		got := strings.Join(order, " ")
		if !regexp.MustCompile(`^h1\. (p\.lead )?(p\.update-example )?div\.meta (p\.last-updated )?div\.tools `).MatchString(got) {
			t.Errorf("%s: article starts %q; want h1, summary, metadata block, toolbar", pt.File, got)
		}
		meta := all(doc, func(n *html.Node) bool { return hasClass(n, "meta") })[0]
		for _, want := range []string{"发布机构", "发布日期"} {
			if !strings.Contains(text(meta), want) {
				t.Errorf("%s: metadata block lacks %s", pt.File, want)
			}
		}
	}
	topic := parseFile(t, filepath.Join(out, "topics/ecology/index.html"))
	m := all(topic, func(n *html.Node) bool { return hasClass(n, "meta") })[0]
	for _, want := range []string{"来源", "《测试市政府工作报告》解读", "文字整理"} {
		if !strings.Contains(text(m), want) {
			t.Errorf("topic metadata block lacks %s: %s", want, text(m))
		}
	}
}

func parseFile(t *testing.T, file string) *html.Node {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFooterFields checks the footer shows the site.yaml fields that are
// set and invents none that are not.
func TestFooterFields(t *testing.T) {
	labels := []string{"主办单位", "联系方式", "网站标识码", "ICP备案号", "公安备案号"}
	tests := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"all set", nil, labels},
		{"none set", func(s string) string { return s[:strings.Index(s, "params:")] }, nil},
		{"two set", func(s string) string {
			return s[:strings.Index(s, "params:")] + "params:\n  contact: 电话 0000-0000000（测试）\n  icp: 测ICP备1号\n"
		}, []string{"联系方式", "ICP备案号"}},
	}
	for _, tt := range tests {
		out := buildSite(t, testBaseURL, tt.edit)
		doc := parseFile(t, filepath.Join(out, "index.html"))
		var got []string
		for _, dt := range all(doc, tag("dt")) {
			if ancestor(dt, tag("footer")) != nil {
				got = append(got, text(dt))
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: footer fields %v; want %v", tt.name, got, tt.want)
		}
		// The ICP number links to the filing system, as the rules ask.
		var icpLinks int
		for _, a := range all(doc, tag("a")) {
			if href, _ := attr(a, "href"); href == "https://beian.miit.gov.cn/" && ancestor(a, tag("footer")) != nil && strings.Contains(text(a), "ICP备") {
				icpLinks++
			}
		}
		if want := min(1, strings.Count(strings.Join(tt.want, ","), "ICP备案号")); icpLinks != want {
			t.Errorf("%s: %d ICP numbers linked to https://beian.miit.gov.cn/; want %d", tt.name, icpLinks, want)
		}
		_, hasID := meta(doc, "SiteIDCode")
		if hasID != (tt.edit == nil) {
			t.Errorf("%s: SiteIDCode page label present = %v", tt.name, hasID)
		}
		a11y := parseFile(t, filepath.Join(out, "accessibility", "index.html"))
		if tt.want == nil && !strings.Contains(text(a11y), "请与测试市人民政府联系") {
			t.Errorf("%s: the accessibility statement's contact does not fall back to the publisher", tt.name)
		}
		if tt.want != nil && !strings.Contains(text(a11y), "请联系：") {
			t.Errorf("%s: the accessibility statement does not give the site's contact", tt.name)
		}
	}
}

// TestLinks checks every #fragment and every link within the site resolves.
func TestLinks(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	for _, p := range readPages(t, out) {
		ids := map[string]bool{}
		for _, n := range all(p.doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
			v, _ := attr(n, "id")
			if ids[v] {
				t.Errorf("%s: id %q used twice", p.file, v)
			}
			ids[v] = true
		}
		for _, a := range all(p.doc, func(n *html.Node) bool { _, ok := attr(n, "href"); return ok }) {
			href, _ := attr(a, "href")
			switch {
			case strings.HasPrefix(href, "#"):
				// html/template percent-encodes Chinese IDs; browsers try the
				// fragment as written, then decoded (HTML's "indicated part").
				frag := strings.TrimPrefix(href, "#")
				dec, err := url.PathUnescape(frag)
				if !ids[frag] && (err != nil || !ids[dec]) {
					t.Errorf("%s: link to %s, which is not on the page", p.file, href)
				}
			case strings.HasPrefix(href, "/"):
				target := strings.SplitN(href, "#", 2)[0]
				if notYetBuilt[target] {
					continue
				}
				file := filepath.Join(out, filepath.FromSlash(target))
				if strings.HasSuffix(target, "/") {
					file = filepath.Join(file, "index.html")
				}
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link to %s, which the site does not have", p.file, href)
				}
			}
		}
		for _, name := range []string{"网站地图", "无障碍声明"} {
			found := false
			for _, a := range all(p.doc, tag("a")) {
				if text(a) == name && ancestor(a, tag("footer")) != nil {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no footer link %s", p.file, name)
			}
		}
	}
}

// TestStrict checks what a strict Content-Security-Policy and a reader
// without JavaScript need: no inline script or style, no external
// resources, script-only controls hidden by default.
func TestStrict(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	for _, p := range readPages(t, out) {
		for _, n := range all(p.doc, func(*html.Node) bool { return true }) {
			if n.Data == "style" {
				t.Errorf("%s: <style> element", p.file)
			}
			if src, ok := attr(n, "src"); n.Data == "script" && (!ok || src == "") && !dataBlock(n) {
				t.Errorf("%s: inline <script>", p.file)
			}
			for _, a := range n.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s=...> is inline style or script", p.file, n.Data, a.Key)
				}
			}
			// Resources (not links) must come from the site itself.
			for _, key := range []string{"src", "srcset", "poster", "data"} {
				if v, ok := attr(n, key); ok && isExternal(v) {
					t.Errorf("%s: <%s %s=%q> loads from another host", p.file, n.Data, key, v)
				}
			}
			if v, ok := attr(n, "href"); ok && n.Data == "link" && isExternal(v) {
				if rel, _ := attr(n, "rel"); rel != "canonical" {
					t.Errorf("%s: <link href=%q> loads from another host", p.file, v)
				}
			}
			for _, key := range []string{"data-font", "data-contrast", "data-print", "data-copy"} {
				if _, ok := attr(n, key); ok && !hasClass(n, "js-only") && ancestor(n, func(a *html.Node) bool { return hasClass(a, "js-only") }) == nil {
					t.Errorf("%s: a %s control shows without JavaScript; give it class js-only", p.file, key)
				}
			}
		}
		// Tables scroll in their own labelled, focusable region.
		for _, tb := range all(p.doc, tag("table")) {
			w := tb.Parent
			label, _ := attr(w, "aria-label")
			ti, _ := attr(w, "tabindex")
			role, _ := attr(w, "role")
			if !hasClass(w, "table-scroll") || ti != "0" || role != "region" || label == "" {
				t.Errorf("%s: a table is not wrapped in a labelled scrolling region", p.file)
			}
		}
	}
	css := readCSS(t, out)
	if regexp.MustCompile(`(?i)@font-face|@import|url\(\s*["']?(https?:)?//`).MatchString(css) {
		t.Error("the CSS loads fonts or other files; use the system font stack")
	}
	if regexp.MustCompile(`text-align:\s*justify`).MatchString(css) {
		t.Error("justified text is hard to read for many; use start alignment")
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if ext := strings.ToLower(path.Ext(p)); ext == ".woff" || ext == ".woff2" || ext == ".ttf" || ext == ".otf" || ext == ".eot" {
			t.Errorf("font file %s: use the system font stack", p)
		}
		return err
	})
}

// dataBlock reports whether a script element holds data, such as
// schema.org JSON-LD, which browsers never run and CSP does not govern.
func dataBlock(n *html.Node) bool {
	typ, _ := attr(n, "type")
	typ = strings.ToLower(strings.TrimSpace(typ))
	return typ == "application/ld+json" || typ == "application/json"
}

func isExternal(u string) bool {
	return strings.HasPrefix(u, "//") || strings.Contains(u, "://") && !strings.HasPrefix(u, testBaseURL)
}

func readCSS(t *testing.T, out string) string {
	t.Helper()
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(out, "css", "*.css"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestContentsList checks 本页目录 appears exactly on pages with three or
// more sections.
func TestContentsList(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	tests := []struct {
		file string
		want bool
	}{
		{"topics/ecology/index.html", true},     // four sections
		{"topics/employment/index.html", false}, // two
		{"accessibility/index.html", true},
	}
	for _, tt := range tests {
		doc := parseFile(t, filepath.Join(out, tt.file))
		toc := all(doc, func(n *html.Node) bool { return hasClass(n, "toc") })
		if got := len(toc) == 1 && strings.Contains(text(toc[0]), "本页目录"); got != tt.want {
			t.Errorf("%s: 本页目录 shown = %v; want %v", tt.file, got, tt.want)
		}
	}
}

// Colour tokens: every pair of text and background the theme uses, by
// custom property name.
var textPairs = [][2]string{
	{"text", "bg"}, {"muted", "bg"}, {"link", "bg"}, {"link-visited", "bg"},
	{"text", "surface"}, {"muted", "surface"}, {"link", "surface"}, {"link-visited", "surface"},
	{"brand-text", "brand"}, {"control-text", "control"}, {"control-text", "surface"},
	{"pressed-text", "pressed"}, {"focus-text", "focus"},
}

// uiPairs are non-text contrasts (WCAG 1.4.11, 3:1): control borders and
// the pressed state against the page.
var uiPairs = [][2]string{
	{"control-text", "bg"}, {"pressed", "bg"}, {"border", "bg"},
}

func TestContrast(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("default", "static", "css", "site.css"))
	if err != nil {
		t.Fatal(err)
	}
	light := tokens(t, string(css), ":root {")
	dark := tokens(t, string(css), "@media (prefers-color-scheme: dark) {\n  :root {")
	hc := tokens(t, string(css), "html.hc {")
	for k := range light {
		if _, ok := hc[k]; !ok {
			t.Errorf("html.hc does not set --%s, so the dark scheme's value would leak into high contrast", k)
		}
	}
	modes := []struct {
		name     string
		vars     map[string]string
		text, ui float64
	}{
		{"light", light, 4.5, 3},
		{"dark", merge(light, dark), 4.5, 3},
		{"high contrast", hc, 7, 3},
	}
	for _, m := range modes {
		for _, pairs := range []struct {
			list [][2]string
			min  float64
		}{{textPairs, m.text}, {uiPairs, m.ui}} {
			for _, p := range pairs.list {
				r := contrast(t, m.vars[p[0]], m.vars[p[1]])
				if r < pairs.min {
					t.Errorf("%s: --%s on --%s is %.2f:1; want at least %g:1", m.name, p[0], p[1], r, pairs.min)
				}
			}
		}
		// The focus ring has a light and a dark part; one of them must
		// stand out (3:1) on every background.
		for _, bg := range []string{"bg", "surface", "brand"} {
			if max(contrast(t, m.vars["focus"], m.vars[bg]), contrast(t, m.vars["focus-text"], m.vars[bg])) < 3 {
				t.Errorf("%s: the focus ring is hard to see on --%s", m.name, bg)
			}
		}
	}
}

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// tokens reads the custom properties of the block that opens with start.
func tokens(t *testing.T, css, start string) map[string]string {
	t.Helper()
	i := strings.Index(css, start)
	if i < 0 {
		t.Fatalf("site.css has no block %q", start)
	}
	block := css[i+len(start):]
	block = block[:strings.Index(block, "}")]
	m := map[string]string{}
	for _, sm := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;`).FindAllStringSubmatch(block, -1) {
		m[sm[1]] = sm[2]
	}
	if len(m) == 0 {
		t.Fatalf("no colour tokens in %q", start)
	}
	return m
}

// contrast is the WCAG contrast ratio of two #rgb or #rrggbb colours.
func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// Page-weight budget of a topic page and of the page of targets, as
// transferred with gzip.
const (
	budgetTotal = 30 * 1024
	budgetJS    = 10 * 1024
)

func TestBudget(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	for _, pt := range pageTypes {
		if pt.Name != "topic" && pt.Name != "targets" {
			continue
		}
		doc := parseFile(t, filepath.Join(out, pt.File))
		files := []string{pt.File}
		for _, n := range all(doc, func(n *html.Node) bool { return n.Data == "link" || n.Data == "script" }) {
			rel, _ := attr(n, "rel")
			if src, ok := attr(n, "src"); ok {
				files = append(files, strings.TrimPrefix(src, "/"))
			} else if href, _ := attr(n, "href"); rel == "stylesheet" {
				files = append(files, strings.TrimPrefix(href, "/"))
			}
		}
		var total, js int
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			z := gzipSize(data)
			t.Logf("%s: %d bytes, %d gzip", f, len(data), z)
			total += z
			if strings.HasSuffix(f, ".js") {
				js += z
			}
		}
		t.Logf("%s page total %d bytes gzip (budget %d), JS %d (budget %d)", pt.Name, total, budgetTotal, js, budgetJS)
		reportLine(t, fmt.Sprintf("page weight %s: %d bytes gzip (budget %d), JS %d (budget %d)", pt.Name, total, budgetTotal, js, budgetJS))
		if total > budgetTotal {
			t.Errorf("%s page weighs %d bytes gzip; budget %d", pt.Name, total, budgetTotal)
		}
		if js > budgetJS {
			t.Errorf("%s page JS weighs %d bytes gzip; budget %d", pt.Name, js, budgetJS)
		}
	}
}

func gzipSize(data []byte) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return b.Len()
}

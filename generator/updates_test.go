package generator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"plansite/generator/content"
	"plansite/generator/site"
)

// updatesSite writes a site with two topics and the given updates, each
// "name": front matter lines (without the --- lines).
func updatesSite(t *testing.T, updates map[string]string) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "content")
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 测试站点\nbaseURL: https://example.org/\npublisher: 测试市人民政府\ntopics:\n  - ecology\n  - safety\n"))
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n"))
	writeFile(t, filepath.Join(src, "topics/ecology.md"), []byte("---\ntitle: 生态环境\nsummary: 生态\n---\n正文。\n"))
	writeFile(t, filepath.Join(src, "topics/safety.md"), []byte("---\ntitle: 安全\n---\n"))
	for name, fm := range updates {
		writeFile(t, filepath.Join(src, "updates", name+".md"), []byte("---\n"+fm+"\n---\n更新正文。\n"))
	}
	return src
}

func build(t *testing.T, src string, opt Options) (map[string][]byte, *Result) {
	t.Helper()
	opt.Src = src
	opt.Out = filepath.Join(t.TempDir(), "public")
	res, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return readTree(t, opt.Out), res
}

func cst(s string) time.Time {
	t, err := content.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestScheduling builds one site at moments on either side of each
// boundary: a page appears at its publish time and goes at its expiry
// time, and schedule.json names the next of them still to come.
func TestScheduling(t *testing.T) {
	src := updatesSite(t, map[string]string{
		"always": "title: 常在\ndate: 2023-01-01\ntopics: [ecology]",
		"later":  "title: 定时\ndate: 2023-05-01\ntopics: [ecology]\npublishDate: 2023-06-01T09:00:00+08:00\nexpiryDate: 2023-08-01",
		"dated":  "title: 按日期\ndate: 2023-07-01\ntopics: [safety]",
		"draft":  "title: 草稿\ndate: 2023-01-02\ntopics: [ecology]\ndraft: true\npublishDate: 2023-03-01",
	})
	tests := []struct {
		now      string
		future   bool
		expired  bool
		drafts   bool
		want     []string
		wantNext string
	}{
		{now: "2023-06-01T08:59:59+08:00", want: []string{"always"}, wantNext: "2023-06-01T09:00:00+08:00"},
		{now: "2023-06-01T09:00:00+08:00", want: []string{"always", "later"}, wantNext: "2023-07-01T00:00:00+08:00"},
		{now: "2023-06-30T23:59:59+08:00", want: []string{"always", "later"}, wantNext: "2023-07-01T00:00:00+08:00"},
		{now: "2023-07-01", want: []string{"always", "dated", "later"}, wantNext: "2023-08-01T00:00:00+08:00"},
		{now: "2023-07-31T23:59:59+08:00", want: []string{"always", "dated", "later"}, wantNext: "2023-08-01T00:00:00+08:00"},
		{now: "2023-08-01", want: []string{"always", "dated"}, wantNext: ""},
		{now: "2023-08-01", expired: true, want: []string{"always", "dated", "later"}, wantNext: ""},
		{now: "2023-01-01", future: true, want: []string{"always", "dated", "later"}, wantNext: "2023-08-01T00:00:00+08:00"},
		{now: "2023-01-01", want: []string{"always"}, wantNext: "2023-06-01T09:00:00+08:00"},
		{now: "2023-01-01", drafts: true, want: []string{"always"}, wantNext: "2023-03-01T00:00:00+08:00"},
		{now: "2023-03-01", drafts: true, want: []string{"always", "draft"}, wantNext: "2023-06-01T09:00:00+08:00"},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("now=%s future=%v expired=%v drafts=%v", tt.now, tt.future, tt.expired, tt.drafts)
		files, res := build(t, src, Options{Theme: testTheme(), Now: cst(tt.now), Future: tt.future, Expired: tt.expired, Drafts: tt.drafts})
		var got []string
		for _, f := range sortedKeys(files) {
			if stem, ok := strings.CutPrefix(f, "updates/"); ok && strings.HasSuffix(stem, "/index.html") {
				got = append(got, strings.TrimSuffix(stem, "/index.html"))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: update pages %v; want %v", name, got, tt.want)
		}
		// What is left out is left out everywhere.
		for _, f := range []string{"index.html", "updates/index.html", "feed.xml", "feed.json", "sitemap.xml", "topics/ecology/index.html", "topics/ecology/feed.xml"} {
			for _, stem := range []string{"later", "dated", "draft"} {
				if in := strings.Contains(string(files[f]), "/updates/"+stem+"/"); in != slices.Contains(tt.want, stem) && (f != "topics/ecology/index.html" && f != "topics/ecology/feed.xml" || stem != "dated") {
					t.Errorf("%s: %s mentions /updates/%s/: %v; want %v", name, f, stem, in, !in)
				}
			}
		}
		var sched struct {
			Next     *string
			NextUnix *int64
		}
		if err := json.Unmarshal(files["schedule.json"], &sched); err != nil {
			t.Fatalf("%s: schedule.json: %v", name, err)
		}
		gotNext := ""
		if sched.Next != nil {
			gotNext = *sched.Next
			if sched.NextUnix == nil || *sched.NextUnix != cst(gotNext).Unix() {
				t.Errorf("%s: nextUnix = %v; want %d", name, sched.NextUnix, cst(gotNext).Unix())
			}
		}
		if gotNext != tt.wantNext {
			t.Errorf("%s: schedule.json next = %q; want %q", name, gotNext, tt.wantNext)
		}
		if wantRes := tt.wantNext; (wantRes == "") != res.NextChange.IsZero() || wantRes != "" && !res.NextChange.Equal(cst(wantRes)) {
			t.Errorf("%s: Result.NextChange = %v; want %q", name, res.NextChange, tt.wantNext)
		}
	}
}

// TestPagination checks the list of updates at the edges of a page.
func TestPagination(t *testing.T) {
	tests := []struct {
		n         int
		wantPages []string
	}{
		{0, []string{"updates/index.html"}},
		{1, []string{"updates/index.html"}},
		{20, []string{"updates/index.html"}},
		{21, []string{"updates/index.html", "updates/page/2/index.html"}},
		{41, []string{"updates/index.html", "updates/page/2/index.html", "updates/page/3/index.html"}},
	}
	for _, tt := range tests {
		ups := map[string]string{}
		for i := range tt.n {
			// Dates fall back in time as i grows, so u000 is the newest.
			ups[fmt.Sprintf("u%03d", i)] = fmt.Sprintf("title: 第%d条\ndate: %s\ntopics: [ecology]", i, time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -i).Format("2006-01-02"))
		}
		files, _ := build(t, updatesSite(t, ups), Options{Theme: testTheme(), Now: cst("2024-01-01")})
		var got []string
		for _, f := range sortedKeys(files) {
			if strings.HasPrefix(f, "updates/") && (f == "updates/index.html" || strings.HasPrefix(f, "updates/page/")) {
				got = append(got, f)
			}
		}
		if !slices.Equal(got, tt.wantPages) {
			t.Errorf("%d updates: list pages %v; want %v", tt.n, got, tt.wantPages)
			continue
		}
		total := len(tt.wantPages)
		seen := 0
		for i, f := range got {
			page := string(files[f])
			items := strings.Count(page, "\n- /updates/")
			seen += items
			wantItems := min(site.UpdatesPerPage, tt.n-i*site.UpdatesPerPage)
			if tt.n == 0 {
				wantItems = 0
			}
			if items != wantItems {
				t.Errorf("%d updates: %s lists %d; want %d", tt.n, f, items, wantItems)
			}
			prev, next := "", ""
			if i > 0 {
				prev = content.UpdatesPageURL(i)
			}
			if i+1 < total {
				next = content.UpdatesPageURL(i + 2)
			}
			if want := fmt.Sprintf("page %d/%d prev=%s next=%s ", i+1, total, prev, next); !strings.Contains(page, want) {
				t.Errorf("%d updates: %s pager:\n%s\nwant it to contain %q", tt.n, f, page, want)
			}
		}
		if seen != tt.n {
			t.Errorf("%d updates: the list pages show %d", tt.n, seen)
		}
	}
}

// TestPaginationLinksInDefaultTheme checks the links a reader and a crawler
// follow between the pages: numbered links, rel=prev/next in the page and
// in the head.
func TestPaginationLinksInDefaultTheme(t *testing.T) {
	ups := map[string]string{}
	for i := range 45 {
		ups[fmt.Sprintf("u%03d", i)] = fmt.Sprintf("title: 第%d条\ndate: 2023-05-01\ntopics: [ecology]", i)
	}
	files, _ := build(t, updatesSite(t, ups), Options{Now: cst("2024-01-01")})
	tests := []struct {
		file    string
		want    []string
		notWant []string
	}{
		{"updates/index.html",
			[]string{`<link rel="next" href="https://example.org/updates/page/2/">`, `<a href="/updates/page/2/" rel="next">`, `<a href="/updates/" aria-current="page">第1页</a>`, `<a href="/updates/page/3/">第3页</a>`},
			[]string{`rel="prev"`}},
		{"updates/page/2/index.html",
			[]string{`<link rel="prev" href="https://example.org/updates/">`, `<link rel="next" href="https://example.org/updates/page/3/">`, `<a href="/updates/" rel="prev">`, `<a href="/updates/page/3/" rel="next">`, `<link rel="canonical" href="https://example.org/updates/page/2/">`},
			nil},
		{"updates/page/3/index.html",
			[]string{`<link rel="prev" href="https://example.org/updates/page/2/">`},
			[]string{`rel="next"`}},
	}
	for _, tt := range tests {
		page := string(files[tt.file])
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s does not contain %s", tt.file, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(page, w) {
				t.Errorf("%s contains %s", tt.file, w)
			}
		}
	}
}

// feedSite has updates with bodies, two topics and an edit history.
func feedSite(t *testing.T, title string) string {
	return updatesSite(t, map[string]string{
		"2023-05-01-1": "title: " + title + "\ndate: 2023-05-01\ntopics: [ecology, safety]\nsummary: 摘要\nsource: 测试市生态环境局\nupdated: 2023-05-10T08:00:00+08:00",
		"2023-04-01-1": "title: 较早\ndate: 2023-04-01\ntopics: [safety]",
	})
}

// TestFeedsParse reads the feeds with a real feed parser and checks what
// readers need: titles, absolute links, ids, dates from the content.
func TestFeedsParse(t *testing.T) {
	files, _ := build(t, feedSite(t, "五月进展"), Options{Theme: testTheme(), Now: cst("2024-01-01")})
	parser := gofeed.NewParser()
	for _, name := range []string{"feed.xml", "feed.json", "topics/safety/feed.xml", "topics/ecology/feed.xml"} {
		f, err := parser.ParseString(string(files[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantType := "atom"
		if strings.HasSuffix(name, ".json") {
			wantType = "json"
		}
		if f.FeedType != wantType || f.Title == "" || !strings.HasPrefix(f.Link, "https://example.org/") || len(f.FeedLink) == 0 && wantType == "atom" {
			t.Errorf("%s: type %q, title %q, link %q, feed link %q", name, f.FeedType, f.Title, f.Link, f.FeedLink)
		}
		if wantType == "atom" && (f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(cst("2023-05-10T08:00:00+08:00")) && name != "topics/ecology/feed.xml") {
			t.Errorf("%s: updated %v; want the newest entry's", name, f.UpdatedParsed)
		}
		for _, it := range f.Items {
			if !strings.HasPrefix(it.GUID, "tag:example.org,2023-") || !strings.HasPrefix(it.Link, "https://example.org/updates/") || it.Title == "" || it.PublishedParsed == nil || it.Content == "" && it.Description == "" {
				t.Errorf("%s: item %+v", name, it)
			}
		}
	}
	f, _ := parser.ParseString(string(files["feed.xml"]))
	if len(f.Items) != 2 {
		t.Fatalf("feed.xml has %d entries; want 2", len(f.Items))
	}
	first := f.Items[0]
	if got, want := first.GUID, "tag:example.org,2023-05-01:updates/2023-05-01-1"; got != want {
		t.Errorf("entry id = %q; want %q", got, want)
	}
	if first.Authors[0].Name != "测试市生态环境局" || !first.UpdatedParsed.Equal(cst("2023-05-10T08:00:00+08:00")) || !slices.Equal(first.Categories, []string{"生态环境", "安全"}) {
		t.Errorf("entry: author %v, updated %v, categories %v", first.Authors[0], first.UpdatedParsed, first.Categories)
	}
	if !strings.Contains(first.Content, "<p>更新正文。</p>") {
		t.Errorf("entry content = %q", first.Content)
	}
	j, _ := parser.ParseString(string(files["feed.json"]))
	if len(j.Items) != 2 || j.Items[0].GUID != first.GUID || j.FeedLink != "https://example.org/feed.json" {
		t.Errorf("feed.json: %d items, first id %q, feed_url %q", len(j.Items), j.Items[0].GUID, j.FeedLink)
	}
}

// TestFeedIDsSurviveTitleChange: a corrected title must not make readers
// see the update twice, and a rebuild must not change the feed at all.
func TestFeedIDsSurviveTitleChange(t *testing.T) {
	a, _ := build(t, feedSite(t, "五月进展"), Options{Theme: testTheme(), Now: cst("2024-01-01")})
	again, _ := build(t, feedSite(t, "五月进展"), Options{Theme: testTheme(), Now: cst("2025-01-01")})
	b, _ := build(t, feedSite(t, "五月进展（更正）"), Options{Theme: testTheme(), Now: cst("2024-01-01")})
	if string(a["feed.xml"]) != string(again["feed.xml"]) || string(a["feed.json"]) != string(again["feed.json"]) {
		t.Error("feeds depend on the build time")
	}
	ids := regexp.MustCompile(`<id>tag:[^<]*</id>`)
	if got, want := ids.FindAllString(string(b["feed.xml"]), -1), ids.FindAllString(string(a["feed.xml"]), -1); !slices.Equal(got, want) {
		t.Errorf("ids after a title change %v; want %v", got, want)
	}
}

// TestXMLWellFormed runs xmllint on the feeds and the sitemap of the
// default theme's build, with markup-heavy content.
func TestXMLWellFormed(t *testing.T) {
	xmllint := requireTool(t, "xmllint")
	src := updatesSite(t, map[string]string{
		"a": "title: \"<b>标题</b> & ]]> 引号\\\"\"\ndate: 2023-05-01\ntopics: [ecology]\nsummary: \"a < b & c\"",
	})
	writeFile(t, filepath.Join(src, "updates", "b.md"), []byte("---\ntitle: 代码\ndate: 2023-05-02\ntopics: [safety]\n---\n```go\nif a < b && c > d {}\n```\n\n<script>alert(1)</script>\n"))
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Src: src, Out: out, Now: cst("2024-01-01")}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"feed.xml", "sitemap.xml", "topics/ecology/feed.xml"} {
		cmd := exec.Command(xmllint, "--noout", filepath.Join(out, filepath.FromSlash(f)))
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("xmllint --noout %s: %v\n%s", f, err, msg)
		}
	}
}

var ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// TestJSONLD checks that the schema.org block of each kind of page parses
// as JSON, even with hostile titles, and has the expected types.
func TestJSONLD(t *testing.T) {
	src := updatesSite(t, map[string]string{
		"a": "title: \"</script><script>alert(1)</script> & 引号\\\"\"\ndate: 2023-05-01\ntopics: [ecology]\nsource: 测试市生态环境局",
	})
	files, _ := build(t, src, Options{Now: cst("2024-01-01")})
	tests := []struct {
		file      string
		wantTypes []string
	}{
		{"index.html", []string{"GovernmentOrganization", "WebSite", "WebPage"}},
		{"topics/ecology/index.html", []string{"GovernmentOrganization", "WebSite", "Article", "BreadcrumbList"}},
		{"updates/a/index.html", []string{"GovernmentOrganization", "WebSite", "NewsArticle", "BreadcrumbList"}},
		{"updates/index.html", []string{"GovernmentOrganization", "WebSite", "CollectionPage", "BreadcrumbList"}},
	}
	for _, tt := range tests {
		page := string(files[tt.file])
		m := ldScript.FindAllStringSubmatch(page, -1)
		if len(m) != 1 {
			t.Errorf("%s: %d JSON-LD blocks; want 1", tt.file, len(m))
			continue
		}
		var doc struct {
			Context string           `json:"@context"`
			Graph   []map[string]any `json:"@graph"`
		}
		if err := json.Unmarshal([]byte(m[0][1]), &doc); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v\n%s", tt.file, err, m[0][1])
			continue
		}
		var types []string
		for _, n := range doc.Graph {
			types = append(types, fmt.Sprint(n["@type"]))
		}
		if doc.Context != "https://schema.org" || !slices.Equal(types, tt.wantTypes) {
			t.Errorf("%s: @context %q, types %v; want %v", tt.file, doc.Context, types, tt.wantTypes)
		}
		if tt.file == "updates/a/index.html" {
			article := doc.Graph[2]
			if article["headline"] != "</script><script>alert(1)</script> & 引号\"" || article["datePublished"] != "2023-05-01T00:00:00+08:00" ||
				fmt.Sprint(article["author"]) != "map[@type:GovernmentOrganization name:测试市生态环境局]" {
				t.Errorf("NewsArticle = %v", article)
			}
			crumbs := doc.Graph[3]["itemListElement"].([]any)
			if last := crumbs[len(crumbs)-1].(map[string]any); len(crumbs) != 3 || last["item"] != "https://example.org/updates/a/" {
				t.Errorf("breadcrumbs = %v", crumbs)
			}
		}
	}
	head := string(files["topics/ecology/index.html"])
	for _, want := range []string{
		`<meta property="og:type" content="article">`,
		`<meta property="og:url" content="https://example.org/topics/ecology/">`,
		`<meta name="twitter:card" content="summary">`,
		`<link rel="alternate" type="application/atom&#43;xml" title="测试站点 – 新闻动态" href="https://example.org/feed.xml">`,
		`<link rel="alternate" type="application/feed&#43;json"`,
		`href="https://example.org/topics/ecology/feed.xml"`,
		`<p class="last-updated">最后更新：<time datetime="2023-05-01">`,
	} {
		if !strings.Contains(head, want) {
			t.Errorf("topic page does not contain %s", want)
		}
	}
	if strings.Contains(string(files["updates/a/index.html"]), "<script>alert(1)") {
		t.Error("a title reached the page unescaped")
	}
}

// TestSitemapAndRobots checks every published page is in the sitemap with
// its last change, and robots.txt points at it.
func TestSitemapAndRobots(t *testing.T) {
	src := updatesSite(t, map[string]string{
		"a":     "title: 甲\ndate: 2023-05-01\ntopics: [ecology]\nupdated: 2023-05-09",
		"draft": "title: 草稿\ndate: 2023-05-02\ntopics: [ecology]\ndraft: true",
	})
	files, _ := build(t, src, Options{Theme: testTheme(), Now: cst("2024-01-01")})
	sm := string(files["sitemap.xml"])
	locs := regexp.MustCompile(`<loc>([^<]*)</loc>\s*(?:<lastmod>([^<]*)</lastmod>)?`).FindAllStringSubmatch(sm, -1)
	got := map[string]string{}
	for _, l := range locs {
		got[l[1]] = l[2]
	}
	want := map[string]string{
		"https://example.org/":                "2023-05-09T00:00:00+08:00",
		"https://example.org/topics/ecology/": "2023-05-09T00:00:00+08:00",
		"https://example.org/topics/safety/":  "",
		"https://example.org/updates/":        "2023-05-09T00:00:00+08:00",
		"https://example.org/updates/a/":      "2023-05-09T00:00:00+08:00",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sitemap = %v; want %v", got, want)
	}
	if got, want := string(files["robots.txt"]), "Sitemap: https://example.org/sitemap.xml\n"; !strings.HasSuffix(got, want) {
		t.Errorf("robots.txt = %q; want it to end with %q", got, want)
	}
}

// TestAliasPages checks an old address sends readers and crawlers on.
func TestAliasPages(t *testing.T) {
	src := updatesSite(t, map[string]string{
		"a": "title: 甲\ndate: 2023-05-01\ntopics: [ecology]\naliases:\n  - /news/a.html\n  - /news/2023/a",
	})
	files, _ := build(t, src, Options{Theme: testTheme(), Now: cst("2024-01-01")})
	for _, f := range []string{"news/a.html", "news/2023/a/index.html"} {
		page := string(files[f])
		for _, want := range []string{
			`<meta http-equiv="refresh" content="0; url=https://example.org/updates/a/">`,
			`<link rel="canonical" href="https://example.org/updates/a/">`,
			`<a href="https://example.org/updates/a/">甲</a>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s does not contain %s:\n%s", f, want, page)
			}
		}
	}
	if strings.Contains(string(files["sitemap.xml"]), "/news/") {
		t.Error("sitemap lists an alias")
	}
}

// TestBundledExamples checks the bundled example updates show the rules:
// two published (one reporting progress on a target), one scheduled for
// 2099, one expired, all marked.
func TestBundledExamples(t *testing.T) {
	dir := filepath.Join("..", "content", "updates")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var scheduled, expired, progress int
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		p, errs := content.ParsePage(e.Name(), data)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if p.Params["example"] != true || !strings.Contains(p.Title, "示例") || !strings.Contains(string(p.Body), "示例") {
			t.Errorf("%s is not marked as an example", e.Name())
		}
		if p.PublishDate.Year() == 2099 {
			scheduled++
		}
		progress += len(p.Progress)
		if !p.ExpiryDate.IsZero() && p.ExpiryDate.Before(time.Now()) {
			expired++
		}
	}
	if len(entries) != 4 || scheduled != 1 || expired != 1 || progress != 1 {
		t.Errorf("%d examples, %d scheduled for 2099, %d expired, %d progress reports; want 4, 1, 1, 1", len(entries), scheduled, expired, progress)
	}
}

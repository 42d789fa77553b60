package linkcheck

import (
	"slices"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	page := `<!DOCTYPE html><html><head><link rel="stylesheet" href="/css/site.css">
<script src='/js/a.js'></script><script>var s = '<a href="/in-script/">';</script>
<style>a[href="/in-style/"]{}</style></head>
<body><!-- <a href="/in-comment/"> --><h2 id="推进改革">推进</h2>
<a href="/topics/a/?x=1&amp;y=2#%E6%8E%A8">x</a><a name=old>y</a>
<img src=/img/p.png alt="a > b"><A HREF="mailto:x@example.org">m</A><p id='p1' data-href="/no/">
</body></html>`
	links, ids := Scan([]byte(page))
	wantLinks := []string{"/css/site.css", "/js/a.js", "/topics/a/?x=1&y=2#%E6%8E%A8", "/img/p.png", "mailto:x@example.org"}
	if !slices.Equal(links, wantLinks) {
		t.Errorf("links = %q; want %q", links, wantLinks)
	}
	for _, id := range []string{"推进改革", "old", "p1"} {
		if !ids[id] {
			t.Errorf("id %q not found in %v", id, ids)
		}
	}
	if len(ids) != 3 {
		t.Errorf("ids = %v; want 3", ids)
	}
}

func TestBroken(t *testing.T) {
	page := func(body string) []byte {
		return []byte(`<html><body><h1 id="top-title">t</h1><h2 id="推进改革">推进</h2>` + body + `</body></html>`)
	}
	tests := []struct {
		name, base, link string
		broken           string // a word of the reason; "" when it resolves
	}{
		{"root page", "https://e.org/", "/", ""},
		{"pretty url", "https://e.org/", "/topics/a/", ""},
		{"pretty url without slash", "https://e.org/", "/topics/a", ""},
		{"file", "https://e.org/", "/css/site.css", ""},
		{"missing page", "https://e.org/", "/topics/b/", "no such page"},
		{"missing file", "https://e.org/", "/css/none.css", "no such page"},
		{"relative", "https://e.org/", "../a/", ""},
		{"relative up", "https://e.org/", "../../css/site.css", ""},
		{"relative missing", "https://e.org/", "b/", "no such page"},
		{"escape the site", "https://e.org/", "../../../x", "outside the site"},
		{"chinese fragment, encoded", "https://e.org/", "/topics/a/#%E6%8E%A8%E8%BF%9B%E6%94%B9%E9%9D%A9", ""},
		{"chinese fragment, raw", "https://e.org/", "#推进改革", ""},
		{"missing fragment", "https://e.org/", "#推进", "no heading"},
		{"fragment on another page", "https://e.org/", "/topics/a/#none", "no heading"},
		{"fragment on a non-page", "https://e.org/", "/css/site.css#x", "not a page"},
		{"top", "https://e.org/", "#top", ""},
		{"query", "https://e.org/", "/search/?q=%E5%B0%B1%E4%B8%9A", ""},
		{"own absolute", "https://e.org/", "https://e.org/topics/a/", ""},
		{"own absolute, missing", "https://e.org/", "https://e.org/topics/zz/", "no such page"},
		{"other site", "https://e.org/", "https://other.org/missing/", ""},
		{"mailto", "https://e.org/", "mailto:a@b.c", ""},
		{"protocol relative", "https://e.org/", "//cdn.example/x.js", ""},
		{"sub-path", "https://e.org/plan/", "/plan/topics/a/", ""},
		{"sub-path, outside", "https://e.org/plan/", "/topics/a/", "outside the site"},
		{"sub-path absolute", "https://e.org/plan/", "https://e.org/plan/css/site.css", ""},
		{"bad escape", "https://e.org/", "/a%zz/", "not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.base)
			s.Add("index.html", page(""))
			s.Add("topics/a/index.html", page(`<a href="`+tt.link+`">x</a>`))
			s.Add("search/index.html", page(""))
			s.Add("css/site.css", []byte("body{}"))
			b := s.Broken()
			switch {
			case tt.broken == "" && len(b) > 0:
				t.Errorf("%q: broken: %+v", tt.link, b)
			case tt.broken != "" && len(b) != 1:
				t.Errorf("%q: broken = %+v; want one", tt.link, b)
			case tt.broken != "" && !strings.Contains(b[0].Reason, tt.broken):
				t.Errorf("%q: reason %q; want it to say %q", tt.link, b[0].Reason, tt.broken)
			case tt.broken != "" && (b[0].File != "topics/a/index.html" || b[0].Link != tt.link):
				t.Errorf("%q: reported %+v", tt.link, b[0])
			}
		})
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(`<a href="/x/#y" id=z><script>"</script>`))
	f.Add([]byte(`<!-- <a href=x> --><img src='a'`))
	f.Add([]byte(`<a href="`))
	f.Fuzz(func(t *testing.T, data []byte) {
		links, ids := Scan(data)
		for _, l := range links {
			if !strings.Contains(string(data), l) && !strings.Contains(string(data), "&") {
				t.Fatalf("link %q is not in the input", l)
			}
		}
		s := New("https://e.org/")
		s.Add("a/index.html", data)
		s.Broken()
		_ = ids
	})
}

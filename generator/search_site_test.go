package generator

import (
	"context"
	"os"
	"path/filepath"
	"plansite/generator/render"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"plansite/generator/content"
	"plansite/generator/search"
	"plansite/themes"
)

// bundledSearch builds the bundled site and returns its search files and
// the sections that were indexed.
func bundledSearch(t *testing.T) (map[string][]byte, map[string][]byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Src: filepath.Join("..", "content"), Out: out}); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, out)
	files := map[string][]byte{}
	for name, data := range tree {
		if strings.HasPrefix(name, "search/") && name != "search/index.html" {
			files[name] = data
		}
	}
	return files, tree
}

// TestSearchFindsNamedPhrases: a citizen's phrase lands on the section of
// the topic that says it, first.
func TestSearchFindsNamedPhrases(t *testing.T) {
	files, _ := bundledSearch(t)
	s := search.NewSearcher(files)
	for _, tt := range []struct{ q, topic, section string }{
		{"海外仓", "opening-up", "推进高水平对外开放"},
		{"无废城市", "ecology", "推进低碳循环发展"},
		{"技能人才", "employment", "坚持稳就业保就业"},
		{"公办园", "education", "办好人民满意教育"},
		{"高标准农田", "urban-rural-integration", "扎实推进乡村振兴"},
		{"枫桥经验", "safety", "创新完善社会治理"},
		{"廉政", "government", "加强廉政建设不止步"},
		{"EOD", "ecology", "推进低碳循环发展"},
		{"ＥＯＤ", "ecology", "推进低碳循环发展"},
	} {
		rs := s.Query(tt.q)
		if len(rs) == 0 {
			t.Errorf("%s: no results", tt.q)
			continue
		}
		want := "/topics/" + tt.topic + "/#" + tt.section
		if rs[0].URL != want {
			t.Errorf("%s: first result %s; want %s", tt.q, rs[0].URL, want)
		}
		if !strings.Contains(rs[0].Snippet, "<mark>") && !strings.Contains(search.Fold(rs[0].Title), search.Fold(tt.q)) {
			t.Errorf("%s: snippet %q marks nothing", tt.q, rs[0].Snippet)
		}
	}
}

// TestSearchRecallBundledSite: every two- and three-character Han string
// of every section of the bundled site finds that section.
func TestSearchRecallBundledSite(t *testing.T) {
	files, _ := bundledSearch(t)
	s := search.NewSearcher(files)
	b := recallSections(t, "")
	checked := 0
	cache := map[string]map[string]bool{}
	for url, text := range b {
		rs := []rune(search.Fold(text))
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(rs); i++ {
				q := rs[i : i+n]
				if !allHanRunes(q) {
					continue
				}
				found, ok := cache[string(q)]
				if !ok {
					found = map[string]bool{}
					for _, r := range s.Query(string(q)) {
						found[r.URL] = true
					}
					cache[string(q)] = found
				}
				if !found[url] {
					t.Errorf("query %q does not find %s", string(q), url)
				}
				checked++
			}
		}
	}
	if checked < 3000 {
		t.Errorf("checked only %d substrings", checked)
	}
}

// recallSections returns each indexed section's URL and text, as the
// builder gives them to the index.
func recallSections(t *testing.T, out string) map[string]string {
	t.Helper()
	var got map[string]string
	b, err := buildForSections(filepath.Join("..", "content"), out)
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, d := range b {
		got[d.URL] = d.Text
	}
	return got
}

// buildForSections loads a content folder and returns the documents the
// builder gives the search index.
func buildForSections(srcDir, out string) ([]search.Section, error) {
	src, err := content.Load(context.Background(), os.DirFS(srcDir), content.Options{Root: srcDir})
	if err != nil {
		return nil, err
	}
	r, err := render.New(src, themes.Default(), render.Options{})
	if err != nil {
		return nil, err
	}
	return searchDocs(src.Pages, r.Model().BasePath(), r)
}

func allHanRunes(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// TestSearchFindsCitizensWords: traditional characters and everyday words
// land on the section that answers them, first, on the bundled site (which
// has no synonyms.yaml, so the starter list applies).
func TestSearchFindsCitizensWords(t *testing.T) {
	files, _ := bundledSearch(t)
	s := search.NewSearcher(files)
	for _, tt := range []struct{ q, topic, section, related string }{
		{"環境", "opening-up", "全面优化营商环境", ""}, // 环境 in the heading, as 环境 finds first
		// With five example updates the section on jobs outranks its
		// topic page by a hair (document statistics): both answer.
		{"就業", "employment", "坚持稳就业保就业", ""},
		{"醫療", "employment", "加快建设健康许昌", "医院"},
		{"看病", "employment", "加快建设健康许昌", "医院"},
		{"找工作", "employment", "坚持稳就业保就业", "就业"},
		{"上学", "education", "", "教育"},
		{"房子", "safety", "防范化解各类风险", "保交楼"},
	} {
		rs := s.Query(tt.q)
		if len(rs) == 0 {
			t.Errorf("%s: no results", tt.q)
			continue
		}
		if simplified := s.Query(search.Fold(tt.q)); tt.related == "" && !reflect.DeepEqual(rs, simplified) {
			t.Errorf("%s finds %v; %s finds %v", tt.q, rs, search.Fold(tt.q), simplified)
		}
		want := "/topics/" + tt.topic + "/"
		if tt.section != "" {
			want += "#" + tt.section
		}
		if rs[0].URL != want || rs[0].Related != tt.related {
			t.Errorf("%s: first result %s (related %q); want %s (related %q)", tt.q, rs[0].URL, rs[0].Related, want, tt.related)
		}
	}
}

// TestSearchTraditionalSite: a site written in traditional characters is
// found from simplified queries, and shows its own characters.
func TestSearchTraditionalSite(t *testing.T) {
	files, err := search.Build([]search.Section{
		{URL: "/topics/health/", PageTitle: "加快建設健康許昌", Text: "新建社區醫院，提升醫療服務能力。推動環境保護計畫。"},
	}, search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, mark string }{
		{"医疗", "<mark>醫療</mark>"},
		{"环境保护", "<mark>環境保護</mark>"},
		{"计划", "<mark>計畫</mark>"},
		{"醫療", "<mark>醫療</mark>"},
		{"健康许昌", ""}, // in the page title, shown as written
	} {
		rs := search.Query(files, tt.q)
		if len(rs) != 1 {
			t.Errorf("%s: %d results; want 1", tt.q, len(rs))
			continue
		}
		if !strings.Contains(rs[0].Snippet, tt.mark) || strings.ContainsAny(rs[0].Snippet+rs[0].PageTitle, "医疗环计划许设") {
			t.Errorf("%s: %q, snippet %q; want %s, in the site's own characters", tt.q, rs[0].PageTitle, rs[0].Snippet, tt.mark)
		}
	}
}

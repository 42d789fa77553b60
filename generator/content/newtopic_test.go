package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddTopicsKeepsTheFile(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
		add                      []string
	}{
		{
			name: "list with comments",
			src:  "# settings\ntitle: T # the name\ntopics:   # in order\n    - b   # second\n    # a note\n    - a\nparams:\n  host: X\n",
			add:  []string{"c", "a"},
			want: "# settings\ntitle: T # the name\ntopics:   # in order\n    - b   # second\n    # a note\n    - a\n    - c\nparams:\n  host: X\n",
		},
		{
			name: "last field without final newline",
			src:  "title: T\ntopics:\n  - a",
			add:  []string{"b"},
			want: "title: T\ntopics:\n  - a\n  - b\n",
		},
		{
			name: "empty list",
			src:  "title: T\ntopics:\n# later\nbaseURL: https://x.org/\n",
			add:  []string{"a", "b"},
			want: "title: T\ntopics:\n  - a\n  - b\n# later\nbaseURL: https://x.org/\n",
		},
		{
			name: "no list",
			src:  "title: T\n",
			add:  []string{"a"},
			want: "title: T\n# Topic pages, in the order the home page lists them; each needs content/topics/<slug>.md.\ntopics:\n  - a\n",
		},
		{
			name: "nothing to add",
			src:  "topics:\n  - a\n",
			add:  []string{"a"},
			want: "topics:\n  - a\n",
		},
		{
			name:    "flow list",
			src:     "title: T\ntopics: [a, b]\n",
			add:     []string{"c"},
			wantErr: `site.yaml:2: topics: write the list one "- slug" line each`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AddTopics("site.yaml", []byte(tc.src), tc.add)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			// The YAML reading of the result lists the new slugs last.
			s, _ := ParseSite("site.yaml", got)
			if s == nil || len(s.Topics) < len(tc.add) {
				t.Fatalf("topics read back: %+v", s)
			}
			for _, a := range tc.add {
				if !strings.Contains(strings.Join(s.Topics, " "), a) {
					t.Errorf("topic %q not listed in %v", a, s.Topics)
				}
			}
		})
	}
}

func TestCreateTopic(t *testing.T) {
	dir := t.TempDir()
	site := "title: 测试\n# the address\nbaseURL: https://example.org/\ntopics:\n  - ecology # 生态\n"
	if err := os.WriteFile(filepath.Join(dir, SiteFile), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	name, err := CreateTopic(dir, "safety", "安全: 与治理")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	p, errs := ParsePage("topics/safety.md", page)
	if err := errs.Err(); err != nil || p.Title != "安全: 与治理" {
		t.Fatalf("page %q: title %q, %v", page, p.Title, err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, SiteFile))
	if want := site + "  - safety\n"; string(got) != want {
		t.Errorf("site.yaml:\n%s\nwant\n%s", got, want)
	}
	for _, tc := range []struct{ slug, title, want string }{
		{"safety", "又一个", `site.yaml:4: topic "safety" is listed already`},
		{"ecology", "生态", `topic "ecology" is listed already`},
		{"生态", "生态", `slug: "生态" is not usable`},
		{"jobs", " ", "title: give the topic's title"},
	} {
		if _, err := CreateTopic(dir, tc.slug, tc.title); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CreateTopic(%q, %q): %v, want %q", tc.slug, tc.title, err, tc.want)
		}
	}
	// A page with no line in site.yaml is not overwritten.
	if err := os.WriteFile(filepath.Join(dir, "topics", "jobs.md"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateTopic(dir, "jobs", "就业"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing page: %v", err)
	}
	if got2, _ := os.ReadFile(filepath.Join(dir, SiteFile)); string(got2) != string(got) {
		t.Errorf("a refused topic changed site.yaml:\n%s", got2)
	}
}

package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseSynonyms(t *testing.T) {
	got, err := ParseSynonyms("content/synonyms.yaml", []byte("# 说明\n看病: [医疗, 医院]\n找工作:\n  - 就业\n  - 招聘\n5G: 基站\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Synonym{{"看病", []string{"医疗", "医院"}}, {"找工作", []string{"就业", "招聘"}}, {"5G", []string{"基站"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSynonyms = %q; want %q", got, want)
	}
	for _, src := range []string{"", "# 只有说明\n"} {
		if got, err := ParseSynonyms("x", []byte(src)); err != nil || len(got) != 0 {
			t.Errorf("ParseSynonyms(%q) = %v, %v; want nothing", src, got, err)
		}
	}
}

func TestParseSynonymsErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"看病: [医疗, 医院\n找工作: [就业]\n", "content/synonyms.yaml:2: not valid YAML"},
		{"看病: [医疗]\n看病: [医院]\n", `content/synonyms.yaml:2: not valid YAML: mapping key "看病" already defined`},
		{"看病: [医疗]\n---\n看病: [医院]\n", `content/synonyms.yaml:3: "看病" is given twice (first on line 1)`},
		{"看病:\n找工作: [就业]\n", `content/synonyms.yaml:1: "看病" has no related words`},
		{"看病: []\n", `content/synonyms.yaml:1: "看病" has no related words`},
		{"看病: [医疗]\n上学: [教育, [学校]]\n", `content/synonyms.yaml:2: the related words of "上学" must be plain words`},
		{"- 看病\n- 医疗\n", "content/synonyms.yaml:1: synonyms must be lines of a word"},
		{"看病: [医疗]\n\xff: [x]\n", "content/synonyms.yaml:2: not valid UTF-8"},
		{"看病: [医疗]\n[a]: [b]\n", "content/synonyms.yaml:2: not valid YAML"},
		{"看病: [医疗]\n~: [b]\n", "content/synonyms.yaml:2: a word must be plain text"},
	} {
		_, err := ParseSynonyms("content/synonyms.yaml", []byte(tt.src))
		var se *SynonymsError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseSynonyms(%q) = %v; want %s…", tt.src, err, tt.want)
		}
	}
}

// TestStarterSynonyms checks the embedded starter list: readable, at least
// 100 words, and the words the search page is known to need.
func TestStarterSynonyms(t *testing.T) {
	syn, err := StarterSynonyms()
	if err != nil {
		t.Fatal(err)
	}
	if len(syn) < 100 {
		t.Errorf("the starter list has %d words; want at least 100", len(syn))
	}
	have := make(map[string][]string)
	for _, s := range syn {
		have[s.Word] = s.Related
	}
	for _, w := range []string{"看病", "找工作", "上学", "房子", "养老"} {
		if len(have[w]) == 0 {
			t.Errorf("the starter list lacks %s", w)
		}
	}
}

func FuzzParseSynonyms(f *testing.F) {
	for _, s := range []string{"看病: [医疗, 医院]\n", "a:\n  - b\n", "x: [", "- a\n", "a: b\na: c\n", "\xff", "a: {b: c}\n", "? [a]\n: b\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		syn, err := ParseSynonyms("s.yaml", []byte(src))
		if err != nil {
			var se *SynonymsError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("ParseSynonyms(%q): %v is not a located error", src, err)
			}
			return
		}
		for _, s := range syn {
			if strings.TrimSpace(s.Word) == "" || len(s.Related) == 0 {
				t.Fatalf("ParseSynonyms(%q) = %q: an empty word or list", src, syn)
			}
		}
	})
}

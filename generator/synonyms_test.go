package generator

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plansite/generator/search"
)

// synonymsOf reads the synonyms of a built site's small index.
func synonymsOf(t *testing.T, files map[string][]byte) map[string][]string {
	t.Helper()
	var m struct {
		Syn map[string][]string `json:"syn"`
	}
	if err := json.Unmarshal(files["search/manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	return m.Syn
}

// TestSiteSynonyms: a site's synonyms.yaml replaces the starter list and
// is not published; without one the starter list applies, unless
// site.yaml turns it off; a mistake names the file and line, and fails the
// build leaving the published site as it was.
func TestSiteSynonyms(t *testing.T) {
	src := updatesSite(t, nil)
	files, _ := build(t, src, Options{})
	if syn := synonymsOf(t, files); len(syn) < 100 || len(syn["看病"]) == 0 {
		t.Errorf("without synonyms.yaml: %d synonyms; want the starter list", len(syn))
	}

	writeFile(t, filepath.Join(src, "synonyms.yaml"), []byte("# 本站的常用词\n看病: [医疗, 医院]\n"))
	files, _ = build(t, src, Options{})
	if syn := synonymsOf(t, files); len(syn) != 1 || strings.Join(syn["看病"], ",") != "医疗,医院" {
		t.Errorf("with synonyms.yaml: synonyms %q; want the site's own", syn)
	}
	if _, ok := files["synonyms.yaml"]; ok {
		t.Error("synonyms.yaml is published")
	}
	if rs := search.Query(files, "看病"); len(rs) != 0 {
		t.Errorf("看病 finds %v on a site without 医疗 or 医院", rs)
	}

	os.Remove(filepath.Join(src, "synonyms.yaml"))
	site, err := os.ReadFile(filepath.Join(src, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(src, "site.yaml"), append(site, "starterSynonyms: false\n"...))
	files, _ = build(t, src, Options{})
	if syn := synonymsOf(t, files); len(syn) != 0 {
		t.Errorf("starterSynonyms: false: %d synonyms; want none", len(syn))
	}

	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Src: src, Out: out}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	writeFile(t, filepath.Join(src, "synonyms.yaml"), []byte("看病: [医疗]\n上学:\n"))
	_, err = Build(context.Background(), Options{Src: src, Out: out})
	if err == nil || !strings.Contains(err.Error(), "content/synonyms.yaml:2: \"上学\" has no related words") {
		t.Errorf("a word without related words: %v; want content/synonyms.yaml:2: …", err)
	}
	assertSameTree(t, out, before)
}

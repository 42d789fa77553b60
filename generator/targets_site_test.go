package generator

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestBundledTargets checks the bundled site's targets as a reader and a
// program meet them: every card's section link leads to a heading of its
// topic page, targets.csv opens in Excel (a byte order mark, one row per
// target, twelve columns) and targets.json names its version.
func TestBundledTargets(t *testing.T) {
	pub := readTree(t, filepath.Join("..", "public"))
	var doc struct {
		Version int `json:"version"`
		Targets []struct {
			ID  string `json:"id"`
			URL string `json:"url"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(pub["targets.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Targets) != 28 {
		t.Fatalf("targets.json: version %d, %d targets; want 1, 28", doc.Version, len(doc.Targets))
	}
	page := string(pub["targets/index.html"])
	for _, tg := range doc.Targets {
		u, frag, ok := strings.Cut(strings.TrimPrefix(tg.URL, "https://plan.example.org"), "#")
		html := string(pub[strings.TrimPrefix(u, "/")+"index.html"])
		if !ok || html == "" || !strings.Contains(html, ` id="`+frag+`"`) {
			t.Errorf("target %s links to %s: no such section", tg.ID, tg.URL)
		}
		if !strings.Contains(page, `<li class="target-card" id="`+tg.ID+`">`) {
			t.Errorf("/targets/ has no card with id %s", tg.ID)
		}
	}
	data := pub["targets.csv"]
	body, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("targets.csv does not start with a UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 29 || len(rows[0]) != 12 || rows[0][0] != "id" {
		t.Errorf("targets.csv: %d rows of %d columns; want 29 of 12", len(rows), len(rows[0]))
	}
	// The page of 28 cards and a table stays within a topic page's budget
	// (30 KB with gzip, its styles and script included).
	weight := 0
	for _, f := range []string{"targets/index.html", "css/site.css", "js/site.js"} {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(pub[f])
		w.Close()
		weight += b.Len()
	}
	if weight > 30*1024 {
		t.Errorf("/targets/ weighs %d bytes with gzip; budget 30 KB", weight)
	}
	for _, name := range []string{"targets/", "targets.json", "targets.csv"} {
		if !strings.Contains(string(pub["sitemap.xml"]), "<loc>https://plan.example.org/"+name+"</loc>") {
			t.Errorf("sitemap.xml does not list /%s", name)
		}
		if !strings.Contains(page, `href="/`+name) && name != "targets/" {
			t.Errorf("/targets/ does not link to /%s", name)
		}
	}
}

// TestTargetsJSONDocumented is the schema check of targets.json: every
// field it writes is described in the table of version 1 in the targets
// reference (generator/targets/README.md), so the documented schema and the
// output cannot drift apart.
func TestTargetsJSONDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("targets", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(readme), "\n## Open data:")
	if !found {
		t.Fatal(`targets/README.md has no section "## Open data:"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`(?:[a-z]+(?:\\[\\])?\\.)?([a-zA-Z]+)`").FindAllStringSubmatch(section, -1) {
		documented[m[1]] = true
	}
	data, err := os.ReadFile(filepath.Join("..", "public", "targets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				keys[k] = true
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	var missing []string
	for k := range keys {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("targets.json fields not described in generator/targets/README.md (Open data): %v", missing)
	}
	for _, k := range []string{"version", "targets", "progress", "share", "asOf"} {
		if !keys[k] {
			t.Errorf("targets.json has no field %q", k)
		}
	}
}

// TestTargetEditsReachEveryOutput edits targets.yaml and an update's
// progress between builds: the cached build and serve's Rebuilder must
// both bring the topic page's cards, the home page's summary and the page
// of targets up to date, as a full build does.
func TestTargetEditsReachEveryOutput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 测试站\nbaseURL: https://example.org/\ntopics:\n  - jobs\n"))
	writeFile(t, filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n"))
	writeFile(t, filepath.Join(src, "topics", "jobs.md"), []byte("---\ntitle: 就业\n---\n## 稳就业\n\n城镇新增就业5万人。\n"))
	targets := "targets:\n  - {id: jobs-urban, topic: jobs, value: 5, unit: 万人, what: 城镇新增就业, clause: 城镇新增就业5万人}\n"
	writeFile(t, filepath.Join(src, "targets.yaml"), []byte(targets))
	update := "---\ntitle: 进展\ndate: 2023-07-01\ntopics: [jobs]\nprogress:\n  - {target: jobs-urban, value: %s, asOf: 2023-06-30}\n---\n"
	writeFile(t, filepath.Join(src, "updates", "u.md"), fmt.Appendf(nil, update, "3.2"))

	cache, out := filepath.Join(dir, "cache"), filepath.Join(dir, "public")
	buildWith(t, src, out, cache)
	r := NewRebuilder(Options{Src: src})
	if _, err := r.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		file, data, want string
	}{
		{"targets.yaml", strings.Replace(targets, "what: 城镇新增就业", "what: 城镇新增就业人数", 1), "城镇新增就业人数"},
		{"updates/u.md", fmt.Sprintf(update, "4.1"), "已完成 82%"},
	} {
		writeFile(t, filepath.Join(src, filepath.FromSlash(step.file)), []byte(step.data))
		buildWith(t, src, out, cache)
		assertEqualsFullBuild(t, src, out)
		got, err := r.Build(context.Background(), []string{step.file})
		if err != nil {
			t.Fatal(err)
		}
		want := readTree(t, out)
		for _, name := range []string{"topics/jobs/index.html", "targets/index.html", "index.html", "targets.json"} {
			if !bytes.Equal(got.Files[name], want[name]) {
				t.Errorf("after editing %s the Rebuilder's %s differs from the build's", step.file, name)
			}
		}
		if name := "topics/jobs/index.html"; !strings.Contains(string(want[name]), step.want) {
			t.Errorf("after editing %s, %s does not show %q", step.file, name, step.want)
		}
	}
}

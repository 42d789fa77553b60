package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestNewSiteBuildsAtOnce creates a site, builds it, adds a topic with its
// page, builds again, and checks the refusals.
func TestNewSiteBuildsAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mysite")
	stdout, _, err := runCmd("new", "site", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"content/site.yaml", "content/_index.md", "content/topics/example.md", "content/updates/2023-01-01-example.md", "seeds/README.md", ".gitignore"} {
		if !strings.Contains(stdout, filepath.Join(dir, filepath.FromSlash(f))) {
			t.Errorf("new site did not list %s:\n%s", f, stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			t.Error(err)
		}
	}
	site, _ := os.ReadFile(filepath.Join(dir, "content", "site.yaml"))
	for _, field := range []string{"title:", "baseURL:", "language:", "publisher:", "source:", "topics:"} {
		// Each field has its own comment on the line above.
		i := strings.Index(string(site), "\n"+field)
		if i < 0 || !strings.HasPrefix(string(site[strings.LastIndex(string(site[:i]), "\n")+1:]), "#") {
			t.Errorf("site.yaml: %s has no comment above it:\n%s", field, site)
		}
	}
	src, out := filepath.Join(dir, "content"), filepath.Join(dir, "public")
	build := func() {
		t.Helper()
		if stdout, stderr, err := runCmd("build", "--src", src, "--out", out, "--now", "2023-06-01", "--cache-dir", ""); err != nil {
			t.Fatalf("build: %v\n%s%s", err, stdout, stderr)
		}
	}
	build()
	for file, want := range map[string]string{
		"index.html":                            "某市政府工作报告解读",
		"topics/example/index.html":             "这是一个示例小节",
		"updates/2023-01-01-example/index.html": "这是一条示例动态",
	} {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(file)))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s: %v, want %q in it", file, err, want)
		}
	}

	if _, _, err := runCmd("new", "topic", "ecology", "生态环境", "--src", src); err != nil {
		t.Fatal(err)
	}
	site2, _ := os.ReadFile(filepath.Join(src, "site.yaml"))
	if want := string(site) + "  - ecology\n"; string(site2) != want {
		t.Errorf("new topic changed site.yaml to\n%s\nwant\n%s", site2, want)
	}
	build()
	if data, err := os.ReadFile(filepath.Join(out, "topics", "ecology", "index.html")); err != nil || !strings.Contains(string(data), "生态环境") {
		t.Errorf("the new topic's page: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"new", "site", dir}, "folder is not empty"},
		{[]string{"new", "topic", "ecology", "又一个", "--src", src}, `topic "ecology" is listed already`},
		{[]string{"new", "topic", "jobs", "--src", src}, "usage"},
		{[]string{"new", "site", dir + "2", "--topic", "x"}, "usage"},
	} {
		if _, _, err := runCmd(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.args, err, tc.want)
		}
	}
	if site3, _ := os.ReadFile(filepath.Join(src, "site.yaml")); string(site3) != string(site2) {
		t.Errorf("a refused command changed site.yaml")
	}
}

// TestStartASiteForYourOwnReport follows README's "Start a site for your
// own report" in a temporary folder: new site, the report's text (saved as
// GBK, as Windows editors do) in seeds/, import --suggest, import, build;
// then checks the pages.
func TestStartASiteForYourOwnReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "qingshan")
	if _, _, err := runCmd("new", "site", dir); err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(filepath.Join("..", "..", "generator", "importer", "testdata", "suggest", "bullets", "seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.ReplaceAll(report, []byte("\n"), []byte("\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	seed, mapping, src, out := filepath.Join(dir, "seeds", "report.txt"), filepath.Join(dir, "seeds", "topics.yaml"), filepath.Join(dir, "content"), filepath.Join(dir, "public")
	if err := os.WriteFile(seed, gbk, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd("import", seed, "--map", mapping, "--out", src); err == nil || !strings.Contains(err.Error(), "no mapping yet: run plansite import "+seed+" --suggest") {
		t.Errorf("import before --suggest: %v", err)
	}
	stdout, _, err := runCmd("import", seed, "--suggest", "--map", mapping)
	if err != nil {
		t.Fatalf("import --suggest: %v\n%s", err, stdout)
	}
	for _, want := range []string{"seed: converted from GB18030", "line 3: item (marker ●): 扩大优质教育供给", "dropped \"青山日报 2024年3月1日 第2版\"", "wrote " + mapping} {
		if !strings.Contains(stdout, want) {
			t.Errorf("import --suggest did not say %q:\n%s", want, stdout)
		}
	}
	draft, _ := os.ReadFile(mapping)
	if _, _, err := runCmd("import", seed, "--suggest", "--map", mapping); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second --suggest: %v; want a refusal", err)
	}
	if again, _ := os.ReadFile(mapping); !bytes.Equal(again, draft) {
		t.Error("a refused --suggest changed the mapping")
	}
	// Without SEED, the one text file beside the mapping is the report.
	stdout, _, err = runCmd("import", "--map", mapping, "--out", src)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stdout)
	}
	for _, want := range []string{"seed " + seed + ": 30 lines", "updated         " + filepath.ToSlash(filepath.Join(src, "_index.md")), "5 topics: 5 created, 1 updated", "listed in " + filepath.Join(src, "site.yaml") + ": kuoda-youzhi-jiaoyu, tisheng-yiliao-fuwu"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("import did not say %q:\n%s", want, stdout)
		}
	}
	if stdout, stderr, err := runCmd("build", "--src", src, "--out", out, "--now", "2024-06-01", "--cache-dir", ""); err != nil || !strings.Contains(stdout, "built 8 pages") {
		t.Fatalf("build: %v\n%s%s", err, stdout, stderr)
	}
	for file, want := range map[string][]string{
		"index.html": {"《青山县政府工作报告》解读之2024年民生实事", `href="/topics/kuoda-youzhi-jiaoyu/"`, `href="/topics/jiaqiang-shipin-yaopin/"`},
		"topics/wanshan-yanglao-fuwu/index.html": {
			`<h1>完善养老服务体系</h1>`,
			"开展“银龄关爱”行动，为80岁以上老人发放高龄津贴。",
			"青山县人民政府",
			"（来源：青山县人民政府）",
		},
		"topics/gaishan-qunzhong-chuxing/index.html": {"实现city bus route全覆盖"},
	} {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(file)))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
		if strings.Contains(string(data), "青山日报") {
			t.Errorf("%s holds the running header", file)
		}
	}
}

// TestImportHelpExplainsTheMapping checks that import --help says what a
// mapping file holds.
func TestImportHelpExplainsTheMapping(t *testing.T) {
	_, stderr, err := runCmd("import", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--suggest", "publisher:", "home:", "layout:", "drop:", "itemMarker:", "itemHeading:", "sourceLine:", "creditLine:", "sections:", "placement:", "topics:", "slug:", "summary:", "items:", "GB18030/GBK"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("import --help lacks %q:\n%s", want, stderr)
		}
	}
}

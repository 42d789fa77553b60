package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

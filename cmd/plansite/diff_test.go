package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiff: two builds of a site that differ by one edited sentence and
// one new update; plansite diff reports exactly those: the new update's
// page, the sentence as it was and as it is, and the update's entries on
// the pages that list it, and nothing of the markup.
func TestDiff(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	writeTestFile(t, filepath.Join(src, "site.yaml"), "title: 测试市政府工作报告\nbaseURL: https://example.org/\npublisher: 测试市人民政府\ntopics:\n  - employment\n")
	writeTestFile(t, filepath.Join(src, "_index.md"), "---\ntitle: 首页\n---\n本站解读政府工作报告。\n")
	page := filepath.Join(src, "topics", "employment.md")
	writeTestFile(t, page, "---\ntitle: 就业\ndate: 2023-01-10\n---\n## 稳就业\n\n城镇新增就业5万人。\n\n新增技能人才9万人。\n")
	writeTestFile(t, filepath.Join(src, "updates", "2023-06-01-half.md"), "---\ntitle: 上半年新增就业3万人\ndate: 2023-06-01\ntopics:\n  - employment\n---\n\n上半年新增就业3万人。\n")
	build := func(out string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"build", "--src", src, "--out", out, "--cache-dir", "", "--now", "2024-01-01"}, &stdout, &stderr); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr.String())
		}
	}
	old, cur := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	build(old)
	writeTestFile(t, page, "---\ntitle: 就业\ndate: 2023-01-10\n---\n## 稳就业\n\n城镇新增就业5万人。\n\n新增技能人才10万人。\n")
	writeTestFile(t, filepath.Join(src, "updates", "2023-12-01-skills.md"), "---\ntitle: 全市新增技能人才10万人\ndate: 2023-12-01\ntopics:\n  - employment\nsummary: 技能人才目标调整。\n---\n\n技能人才目标调整为10万人。\n")
	build(cur)

	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"diff", old, cur}, &stdout, &stderr); err != nil {
		t.Fatalf("diff: %v\n%s", err, stderr.String())
	}
	listed := "  + 全市新增技能人才10万人\n  + 2023年12月1日 · 就业\n  + 技能人才目标调整。\n"
	want := "pages added: 1, removed: 0, changed: 4\n" +
		"added   /updates/2023-12-01-skills/\n" +
		"changed /\n" + listed +
		"changed /sitemap/\n  + 全市新增技能人才10万人\n" +
		"changed /topics/employment/\n" +
		"  - 最后更新：2023年6月1日\n  + 最后更新：2023年12月1日\n" +
		"  - 新增技能人才9万人。\n" +
		"  + 新增技能人才10万人。\n" +
		listed +
		"  + 2023年12月1日 全市新增技能人才10万人\n" +
		"changed /updates/\n" + listed +
		"other files added, removed or changed: 5 (styles, scripts, feeds, search index, site map)\n"
	if got := stdout.String(); got != want {
		t.Errorf("diff =\n%s\nwant\n%s", got, want)
	}

	stdout.Reset()
	if err := run(context.Background(), []string{"diff", cur, cur}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "no differences") {
		t.Errorf("diff of a build with itself = %q", stdout.String())
	}
	if err := run(context.Background(), []string{"diff", cur, dir}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "has no manifest.json") {
		t.Errorf("diff with a folder that is no build: %v", err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newSite writes a content folder with two topics and their pages.
func newSite(t *testing.T) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "content")
	files := map[string]string{
		"site.yaml":         "title: 测试\nbaseURL: https://example.org/\npublisher: 测试市人民政府\ntopics:\n  - ecology\n  - safety\n",
		"_index.md":         "---\ntitle: 首页\n---\n",
		"topics/ecology.md": "---\ntitle: 生态环境\n---\n",
		"topics/safety.md":  "---\ntitle: 安全\n---\n",
	}
	for name, data := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

func runCmd(args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

// TestNewUpdateAsTheREADMESays follows the press office's steps: create an
// update, make it ready, build, and find it on its topic page, in the list
// and in the feed.
func TestNewUpdateAsTheREADMESays(t *testing.T) {
	src := newSite(t)
	out := filepath.Join(filepath.Dir(src), "public")
	tests := []struct {
		args     []string
		wantPath string
		wantErr  string
	}{
		{[]string{"new", "update", "第一条：进展", "--topic", "ecology", "--date", "2023-05-01", "--src", src}, "updates/2023-05-01-1.md", ""},
		{[]string{"new", "update", "--topic", "ecology,safety", "--date", "2023-05-01", "--src", src, "第二条"}, "updates/2023-05-01-2.md", ""},
		{[]string{"new", "--src", src, "update", "带名字", "--topic", "safety", "--slug", "forest", "--date", "2023-05-02"}, "updates/2023-05-02-forest.md", ""},
		{[]string{"new", "update", "同名", "--topic", "safety", "--slug", "forest", "--date", "2023-05-02", "--src", src}, "", "2023-05-02-forest.md already exists"},
		{[]string{"new", "update", "无专题", "--date", "2023-05-02", "--src", src}, "", "give at least one --topic"},
		{[]string{"new", "update", "错专题", "--topic", "jobs", "--src", src}, "", `unknown topic "jobs"`},
		{[]string{"new", "update", "错日期", "--topic", "safety", "--date", "2023-02-30", "--src", src}, "", `--date: "2023-02-30" is not a valid date`},
		{[]string{"new", "update", "错名字", "--topic", "safety", "--slug", "森林", "--src", src}, "", `slug: "森林" is not usable`},
	}
	for _, tt := range tests {
		stdout, _, err := runCmd(tt.args...)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) err = %v; want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("run(%q): %v", tt.args, err)
		}
		if got, want := strings.TrimSpace(stdout), filepath.Join(src, filepath.FromSlash(tt.wantPath)); got != want {
			t.Errorf("run(%q) printed %q; want %q", tt.args, got, want)
		}
	}
	forest := filepath.Join(src, "updates", "2023-05-02-forest.md")
	data, err := os.ReadFile(forest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "title: 带名字\n") {
		t.Errorf("refused overwrite changed the file:\n%s", data)
	}

	// New updates are drafts until the press office says otherwise.
	if stdout, _, err := runCmd("build", "--src", src, "--out", out, "--now", "2023-06-01"); err != nil || !strings.Contains(stdout, "built 3 pages") {
		t.Fatalf("build: %q, %v; want the three pages without the draft updates", stdout, err)
	}
	entries, _ := os.ReadDir(filepath.Join(src, "updates"))
	for _, e := range entries {
		p := filepath.Join(src, "updates", e.Name())
		data, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(data, []byte("draft: true"), []byte("draft: false"), 1), 0o644)
	}
	stdout, _, err := runCmd("build", "--src", src, "--out", out, "--now", "2023-06-01")
	if err != nil || !strings.Contains(stdout, "built 6 pages") {
		t.Fatalf("build: %q, %v", stdout, err)
	}
	for file, want := range map[string]string{
		"topics/ecology/index.html":       `href="/updates/2023-05-01-1/"`,
		"topics/safety/index.html":        `href="/updates/2023-05-02-forest/"`,
		"updates/index.html":              `href="/updates/2023-05-01-2/"`,
		"feed.xml":                        "<title>第一条：进展</title>",
		"topics/safety/feed.xml":          "<title>第二条</title>",
		"updates/2023-05-01-1/index.html": "<dt>发布机构</dt><dd>测试市人民政府</dd>",
	} {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(file)))
		if err != nil {
			t.Error(err)
		} else if !strings.Contains(string(data), want) {
			t.Errorf("%s does not contain %s", file, want)
		}
	}
}

func TestBuildTime(t *testing.T) {
	clock := func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		flag, epoch string
		want        time.Time
		wantErr     string
	}{
		{"", "", clock(), ""},
		{"", "1685577600", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2023-05-01", "1685577600", time.Date(2023, 4, 30, 16, 0, 0, 0, time.UTC), ""},
		{"2023-05-01T09:30:00+08:00", "", time.Date(2023, 5, 1, 1, 30, 0, 0, time.UTC), ""},
		{"yesterday", "", time.Time{}, "--now:"},
		{"", "soon", time.Time{}, "SOURCE_DATE_EPOCH"},
	}
	for _, tt := range tests {
		got, err := buildTime(tt.flag, tt.epoch, clock)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("buildTime(%q, %q) err = %v; want %q", tt.flag, tt.epoch, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("buildTime(%q, %q) = %v, %v; want %v", tt.flag, tt.epoch, got, err, tt.want)
		}
	}
}

// TestBuildPrintsSchedule checks the line a cron job's log shows.
func TestBuildPrintsSchedule(t *testing.T) {
	src := newSite(t)
	os.MkdirAll(filepath.Join(src, "updates"), 0o755)
	os.WriteFile(filepath.Join(src, "updates", "later.md"), []byte("---\ntitle: 稍后\ndate: 2023-05-01\ntopics: [ecology]\npublishDate: 2023-07-01T09:00:00+08:00\n---\n"), 0o644)
	out := filepath.Join(filepath.Dir(src), "public")
	t.Setenv("SOURCE_DATE_EPOCH", "1685577600") // 2023-06-01
	stdout, _, err := runCmd("build", "--src", src, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "schedule: next change at 2023-07-01T09:00:00+08:00"; !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q; want %q", stdout, want)
	}
	stdout, _, _ = runCmd("build", "--src", src, "--out", out, "--now", "2023-07-01T09:00:00+08:00")
	if want := "schedule: nothing scheduled"; !strings.Contains(stdout, want) {
		t.Errorf("at the publish time, stdout = %q; want %q", stdout, want)
	}
}

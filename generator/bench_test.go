package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBenchSite writes n pages of about 5 KB of Chinese Markdown each, with
// headings, lists, a table and, in one page in twenty, a code block.
func writeBenchSite(b *testing.B, dir string, n int) string {
	b.Helper()
	src := filepath.Join(dir, "content")
	topics := []string{"opening-up", "ecology", "employment", "education", "urban-rural-integration"}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "topics"), 0o755))
	must(os.MkdirAll(filepath.Join(src, "reports"), 0o755))
	must(os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: 基准站点\nbaseURL: https://example.org/\ntopics:\n  - "+strings.Join(topics, "\n  - ")+"\n"), 0o644))
	must(os.WriteFile(filepath.Join(src, "_index.md"), []byte("---\ntitle: 首页\n---\n"), 0o644))
	for _, t := range topics {
		must(os.WriteFile(filepath.Join(src, "topics", t+".md"), []byte("---\ntitle: "+t+"\n---\n"), 0o644))
	}
	para := "全面推进城乡融合发展，持续优化营商环境，新增就业5万人，完成造林2.76万亩，" +
		"推动高质量发展取得新成效，加快建设现代化产业体系，深入实施创新驱动发展战略。\n"
	for i := range n {
		var body strings.Builder
		fmt.Fprintf(&body, "---\ntitle: 第%d号报告\nsummary: 摘要%d\ndate: 2023-%02d-%02d\ntopic: %s\ntags: [改革, 民生]\n---\n\n", i, i, i%12+1, i%28+1, topics[i%len(topics)])
		for s := range 6 {
			fmt.Fprintf(&body, "## 第%d节 重点任务\n\n", s+1)
			body.WriteString(strings.Repeat(para, 4))
			body.WriteString("\n- 第一项：稳就业\n- 第二项：保民生\n\n| 指标 | 目标 |\n|---|---|\n| 新增就业 | 5万人 |\n\n")
		}
		if i%20 == 0 {
			body.WriteString("```go\nfunc main() { println(\"hello\") }\n```\n\n")
		}
		body.WriteString(fmt.Sprintf("参见[上一篇](/reports/r%06d/)。\n", max(i-1, 0)))
		must(os.WriteFile(filepath.Join(src, "reports", fmt.Sprintf("r%06d.md", i)), []byte(body.String()), 0o644))
	}
	return src
}

// BenchmarkBuild times a whole build, load to swap, of generated sites.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			src := writeBenchSite(b, dir, n)
			out := filepath.Join(dir, "public")
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(context.Background(), Options{Src: src, Out: out}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

package generator

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var corpus = flag.String("corpus", "", "a content `folder` to time the Rebuilder on (BenchmarkRebuilderEdit)")

// BenchmarkRebuilderEdit times the rebuild after an edit to one page of
// the -corpus folder; it is skipped without one.
func BenchmarkRebuilderEdit(b *testing.B) {
	if *corpus == "" {
		b.Skip("no -corpus folder given")
	}
	r := NewRebuilder(Options{Src: *corpus})
	if _, err := r.Build(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	var page string
	filepath.WalkDir(*corpus, func(p string, d os.DirEntry, err error) error {
		if page == "" && err == nil && !d.IsDir() && filepath.Ext(p) == ".md" && filepath.Base(p) != "_index.md" && filepath.Base(filepath.Dir(p)) != "topics" {
			page = p
		}
		return nil
	})
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(page, orig, 0o644)
	rel, _ := filepath.Rel(*corpus, page)
	cpu0 := processCPU()
	b.ResetTimer()
	for i := range b.N {
		os.WriteFile(page, append(append([]byte(nil), orig...), fmt.Sprintf("\n编辑 %d\n", i)...), 0o644)
		res, err := r.Build(context.Background(), []string{filepath.ToSlash(rel)})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered != 1 {
			b.Fatalf("rendered %d pages; want 1", res.Rendered)
		}
	}
	b.StopTimer()
	// CPU time per edit, which a busy shared machine does not inflate as
	// it does the wall time.
	b.ReportMetric(float64((processCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

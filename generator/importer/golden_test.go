package importer

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files of the test fixtures")

// TestFixtureGolden imports the made-up report of testdata/harbor with the
// same code as the real seed and compares every file written, and the
// report, with testdata/harbor/golden.txtar.
func TestFixtureGolden(t *testing.T) {
	dir := filepath.Join("testdata", "harbor")
	out := t.TempDir()
	r, err := Import(context.Background(), Options{
		SeedPath: filepath.Join(dir, "seed.txt"),
		MapPath:  filepath.Join(dir, "topics.yaml"),
		OutDir:   out,
	})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var report bytes.Buffer
	if err := r.Write(&report); err != nil {
		t.Fatal(err)
	}
	got := &txtar.Archive{
		Comment: []byte("Golden output of importing seed.txt with topics.yaml; refresh with go test -update.\n"),
		Files:   []txtar.File{{Name: "report.txt", Data: []byte(strings.ReplaceAll(report.String(), filepath.ToSlash(out), "OUT"))}},
	}
	for _, f := range r.Files {
		data, err := os.ReadFile(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		got.Files = append(got.Files, txtar.File{Name: f.Path, Data: data})
	}

	golden := filepath.Join(dir, "golden.txtar")
	if *update {
		if err := os.WriteFile(golden, txtar.Format(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := txtar.ParseFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	wantFiles := map[string]string{}
	for _, f := range want.Files {
		wantFiles[f.Name] = string(f.Data)
	}
	for _, f := range got.Files {
		w, ok := wantFiles[f.Name]
		if !ok {
			t.Errorf("%s: not in %s", f.Name, golden)
			continue
		}
		if string(f.Data) != w {
			t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", f.Name, golden, f.Data, w)
		}
		delete(wantFiles, f.Name)
	}
	for name := range wantFiles {
		t.Errorf("%s: in %s but not written", name, golden)
	}
}

// TestRealSeed imports the seed of record and checks that the committed
// content/ is exactly its output and that the reflow made whole sentences.
func TestRealSeed(t *testing.T) {
	root := filepath.Join("..", "..")
	out := t.TempDir()
	r, err := Import(context.Background(), Options{
		SeedPath: filepath.Join(root, "seeds", "xuchang-2023-work-report-key-work-part2.txt"),
		MapPath:  filepath.Join(root, "seeds", "topics.yaml"),
		OutDir:   out,
	})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if got, want := len(r.Doc.Items), 25; got != want {
		t.Errorf("found %d items; want %d", got, want)
	}
	var all strings.Builder
	for _, f := range r.Files {
		got, err := os.ReadFile(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		all.Write(got)
		committed, err := os.ReadFile(filepath.Join(root, "content", f.Path))
		if err != nil {
			t.Errorf("committed content: %v (run go run ./cmd/plansite import)", err)
			continue
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("content/%s is not the importer's output (run go run ./cmd/plansite import)", f.Path)
		}
	}
	for _, want := range []string{
		"谋划实施好重点民生实事",
		"力争我市纳入全国“十四五”无废城市融资试点",
		"推动中德（许昌）产业园建成国际合作产业园。",
		"加强政府自身建设——打造人民满意的服务型政府\n\n## 强化党的领导不动摇",
		"credit: （文字整理王金伟）",
		"source: 《政府工作报告》解读之2023年重点工作篇（下）",
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"统筹城乡融合发展4", "●", "\n\n（文字整理"} {
		if strings.Contains(all.String(), bad) {
			t.Errorf("output contains layout artifact %q", bad)
		}
	}
}

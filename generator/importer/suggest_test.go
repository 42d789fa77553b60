package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/tools/txtar"
)

// suggestAndImport drafts the mapping of the seed at seedPath, writes it,
// imports the seed with it as it stands and returns every output: the
// draft, both reports and the pages, as a txtar archive with the folders
// made neutral.
func suggestAndImport(t *testing.T, seedPath string) *txtar.Archive {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mapPath := filepath.Join(dir, "topics.yaml")
	sug, err := Suggest("seed.txt", "topics.yaml", data)
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	var sugReport bytes.Buffer
	if err := sug.Write(&sugReport, "topics.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mapPath, sug.Mapping, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "content")
	r, err := Import(context.Background(), Options{SeedPath: seedPath, MapPath: mapPath, OutDir: out})
	if err != nil {
		t.Fatalf("Import with the draft mapping as it stands: %v\n%s", err, sug.Mapping)
	}
	var impReport bytes.Buffer
	if err := r.Write(&impReport); err != nil {
		t.Fatal(err)
	}
	neutral := strings.NewReplacer(filepath.ToSlash(out), "OUT", filepath.ToSlash(mapPath), "topics.yaml", filepath.ToSlash(seedPath), "seed.txt")
	ar := &txtar.Archive{
		Comment: []byte("Golden output of plansite import --suggest on seed.txt, then plansite import with the draft as it stands; refresh with go test -update.\n"),
		Files: []txtar.File{
			{Name: "topics.yaml", Data: sug.Mapping},
			{Name: "suggest.txt", Data: sugReport.Bytes()},
			{Name: "import.txt", Data: []byte(neutral.Replace(impReport.String()))},
		},
	}
	for _, f := range r.Files {
		page, err := os.ReadFile(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		ar.Files = append(ar.Files, txtar.File{Name: "content/" + f.Path, Data: page})
	}
	return ar
}

// compareGolden compares an archive with a golden file, or writes it with
// -update.
func compareGolden(t *testing.T, golden string, got *txtar.Archive) {
	t.Helper()
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
		t.Errorf("%s: in %s but not produced", name, golden)
	}
}

// TestSuggestLayouts drafts the mapping of reports of four layouts it has
// never seen (testdata/suggest/*/seed.txt: ● items with a second marker,
// running headers and a source credit; numbered sections with （一） and
// 1. items and page numbers; no markers at all, headings only; traditional
// characters; and the harbor fixture), imports each with its draft untouched, and compares all
// with golden.txtar. The import's no-loss check runs on each.
func TestSuggestLayouts(t *testing.T) {
	for _, name := range []string{"bullets", "sections", "headings", "traditional"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "suggest", name)
			compareGolden(t, filepath.Join(dir, "golden.txtar"), suggestAndImport(t, filepath.Join(dir, "seed.txt")))
		})
	}
	// The harbor fixture, written for a hand-made mapping: ■ items, a
	// section title printed after its unmarked items, a source line with
	// 摘编, a numbered section, a running header inside a sentence.
	t.Run("harbor", func(t *testing.T) {
		compareGolden(t, filepath.Join("testdata", "suggest", "harbor.txtar"), suggestAndImport(t, filepath.Join("testdata", "harbor", "seed.txt")))
	})
}

// TestSuggestEncodings drafts and imports the sections report saved as
// GBK, UTF-16 and with CRLF line endings, and the traditional one as Big5:
// everything but the report's line on the conversion is as from the UTF-8
// file.
func TestSuggestEncodings(t *testing.T) {
	read := func(name string) (string, []byte) {
		p := filepath.Join("testdata", "suggest", name, "seed.txt")
		seed, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return p, seed
	}
	seedPath, seed := read("sections")
	tradPath, trad := read("traditional")
	crlf := strings.ReplaceAll(string(seed), "\n", "\r\n")
	for _, tc := range []struct {
		name, like string
		data       []byte
		note       string
	}{
		{"gbk", seedPath, encode(t, simplifiedchinese.GBK, string(seed)), "seed: converted from GB18030 (GBK, GB2312) to UTF-8\n"},
		{"utf-16", seedPath, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), string(seed)), "seed: converted from UTF-16 (little-endian, with byte-order mark) to UTF-8\n"},
		{"crlf", seedPath, []byte(crlf), "seed: Windows line endings (CRLF) read as line breaks\n"},
		{"big5 traditional", tradPath, encode(t, traditionalchinese.Big5, string(trad)), "seed: converted from Big5 to UTF-8\n"},
	} {
		want := suggestAndImport(t, tc.like)
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "seed.txt")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got := suggestAndImport(t, p)
			for i, f := range got.Files {
				w := string(want.Files[i].Data)
				g := strings.Replace(string(f.Data), tc.note, "", 1)
				if f.Name != want.Files[i].Name || g != w {
					t.Errorf("%s differs from the UTF-8 seed's:\n--- got\n%s\n--- want\n%s", f.Name, f.Data, w)
				}
				if (f.Name == "suggest.txt" || f.Name == "import.txt") && !strings.Contains(string(f.Data), tc.note) {
					t.Errorf("%s does not say %q", f.Name, tc.note)
				}
			}
		})
	}
}

// TestSuggestBundledSeed drafts the mapping of the bundled site's seed,
// which mixes unmarked items under a section title printed after them
// with ● items, and imports it without loss.
func TestSuggestBundledSeed(t *testing.T) {
	ar := suggestAndImport(t, filepath.Join("..", "..", "seeds", "xuchang-2023-work-report-key-work-part2.txt"))
	var imp, sug string
	for _, f := range ar.Files {
		switch f.Name {
		case "import.txt":
			imp = string(f.Data)
		case "suggest.txt":
			sug = string(f.Data)
		}
	}
	for _, want := range []string{
		"jiaqiang-zhengfu-zishen: 加强政府自身建设——打造人民满意的服务型政府 (5 items, lines 3, 9, 16, 22, 28)",
		"zhuahao-zhongdian-lingyu: 抓好重点领域改革 (3 items, lines 39, 44, 51)",
		"line 39: no section titles group these items, so topics zhuahao-zhongdian-lingyu, chixu-dahao-wuran,",
		`line 1: "统筹城乡融合发展4" dropped as a running header seen only once`,
	} {
		if !strings.Contains(sug, want) {
			t.Errorf("suggest report lacks %q:\n%s", want, sug)
		}
	}
	for _, want := range []string{
		"found 25 items:",
		`line 1: "统筹城乡融合发展4" (layout.drop ^统筹城乡融合发展\d+$)`,
		"section, line 35: 加强政府自身建设——打造人民满意的服务型政府 (printed after its items; placed above them)",
		"credit, line 174: （文字整理王金伟）",
		"checked: all ",
	} {
		if !strings.Contains(imp, want) {
			t.Errorf("import report lacks %q:\n%s", want, imp)
		}
	}
}

func TestSlugOf(t *testing.T) {
	taken := map[string]bool{}
	for _, tc := range []struct{ title, want string }{
		{"推动绿色低碳发展", "tuidong-lvse-ditan"},
		{"加快建设现代化产业体系", "jiakuai-jianshe-xiandai"},
		{"优化營商環境", "youhua-yingshang-huanjing"},
		{"壮大数字经济", "zhuangda-shuzi-jingji"},
		{"推动绿色低碳发展", "tuidong-lvse-ditan-2"},
		{"建设5G基站", "jianshe-5g-jizhan"},
		{"PM2.5治理", "pm2-5-zhili"},
		{"——", "topic-1"},
		{"", "topic-2"},
		{"稳", "wen"},
	} {
		if got := uniqueSlug(slugOf(tc.title), taken); got != tc.want {
			t.Errorf("slug of %q = %q, want %q", tc.title, got, tc.want)
		}
	}
}

// TestSuggestRefuses checks what cannot be drafted.
func TestSuggestRefuses(t *testing.T) {
	for _, tc := range []struct{ seed, want string }{
		{"%PDF-1.4\n", "seed.txt: not a text file: this is a PDF document"},
		{"", "seed.txt:1: seed is empty"},
		{"这是一段很长的文字，没有任何标题，也没有条目标记，只是一段话。\n", ""},
	} {
		_, err := Suggest("seed.txt", "topics.yaml", []byte(tc.seed))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.seed, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.seed, err, tc.want)
		}
	}
}

package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realInputs reads the seed of record and its mapping.
func realInputs(t *testing.T) (seed []byte, m *Mapping) {
	t.Helper()
	seed, err := os.ReadFile(filepath.Join("..", "..", "seeds", "xuchang-2023-work-report-key-work-part2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "seeds", "topics.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err = ParseMapping("seeds/topics.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	return seed, m
}

// TestVerify shows that the no-loss check accepts the importer's output and
// fails on every way of losing, inventing, repeating or reordering text.
func TestVerify(t *testing.T) {
	seed, m := realInputs(t)
	doc, err := Parse("seed.txt", seed, m)
	if err != nil {
		t.Fatal(err)
	}
	const sentence = "实施外贸主体培育行动，力争新设立海外仓2个。"
	tests := []struct {
		name string
		// seed and files change the good inputs.
		seed  func(string) string
		files func(map[string][]byte)
		want  string // in the error; "" for no error
	}{
		{name: "output as rendered"},
		{
			name: "seed with a sentence dropped",
			seed: func(s string) string {
				if !strings.Contains(s, sentence) {
					t.Fatalf("seed lacks %q", sentence)
				}
				return strings.Replace(s, sentence, "", 1)
			},
			want: `topics/opening-up.md: text "推进高水平对外开放强化与京津冀、…" is not in the seed`,
		},
		{
			name:  "output with a sentence dropped",
			files: edit("topics/opening-up.md", sentence, ""),
			want:  `seed.txt:48: text from "实施外贸主体培育行动，力争新设立…" on is not in topics/opening-up.md, which has "大力推进对德（欧）合作，推动中德…" there`,
		},
		{
			name:  "output with a character changed",
			files: edit("topics/ecology.md", "2.76万亩", "2.67万亩"),
			want:  `is not in the seed (invented, altered or cut short)`,
		},
		{
			name:  "output with two sentences swapped within an item",
			files: edit("topics/opening-up.md", "做强开放平台，新培育跨境电子商务培训孵化基地1家、示范园区3家。"+sentence, sentence+"做强开放平台，新培育跨境电子商务培训孵化基地1家、示范园区3家。"),
			want:  "is not in the seed",
		},
		{
			name: "output with an item repeated on another page",
			files: func(f map[string][]byte) {
				item := "\n## 强化生态保护修复" + strings.SplitN(strings.SplitN(string(f["topics/ecology.md"]), "## 强化生态保护修复", 2)[1], "\n## ", 2)[0]
				f["topics/safety.md"] = append(f["topics/safety.md"], item...)
			},
			want: `appears more than once`,
		},
		{
			name:  "output without the section title",
			files: edit("topics/government.md", "加强政府自身建设——打造人民满意的服务型政府\n\n", ""),
			want:  `seed.txt:35: text from "加强政府自身建设——打造人民满意…" on is not in the generated content`,
		},
		{
			name:  "output with the running header kept",
			files: edit("topics/government.md", "## 强化党的领导不动摇", "统筹城乡融合发展4\n\n## 强化党的领导不动摇"),
			want:  `topics/government.md: text "统筹城乡融合发展4" is not in the seed`,
		},
		{
			name:  "topic page with another credit",
			files: edit("topics/safety.md", "credit: （文字整理王金伟）", "credit: 佚名"),
			want:  `topics/safety.md: credit "佚名" differs from _index.md's "（文字整理王金伟）"`,
		},
		{
			name:  "home page without the source",
			files: edit("_index.md", "source: 《政府工作报告》解读之2023年重点工作篇（下）\n", ""),
			want:  `topics/ecology.md: source "《政府工作报告》解读之2023年重点工作篇（下）" differs from _index.md's ""`,
		},
		{
			name:  "markdown escapes are not text",
			files: edit("topics/ecology.md", "100%", `100\%`),
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := string(seed)
			if tt.seed != nil {
				s = tt.seed(s)
			}
			files := Render(doc, m)
			if tt.files != nil {
				tt.files(files)
			}
			err := Verify("seed.txt", []byte(s), m, files)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Verify: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("Verify succeeded; want error with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("Verify error:\n%v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// edit returns a change to one rendered file that must find old in it.
func edit(name, old, new string) func(map[string][]byte) {
	return func(files map[string][]byte) {
		s := string(files[name])
		if !strings.Contains(s, old) {
			panic(name + " lacks " + old)
		}
		files[name] = []byte(strings.Replace(s, old, new, 1))
	}
}

package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseSeed is a small report in the layout of the real one. Line numbers
// matter to the tests below:
//
//	1 页眉1   2 ""   3 标题甲   4-5 body   6 ""   7 节标题
//	8 ""   9 source   10 ""   11 ●条目乙   12 body   13 ""   14 credit
const baseSeed = `页眉1

标题甲
正文甲第一
句。

节标题

《测试报告》摘编

●条目乙
正文乙。

（文字整理某某）
`

// baseMap maps baseSeed. Line 17 is the slug of topic a, 20 its item; 21
// the slug of topic b, 25 its item.
const baseMap = `publisher: 测试机构
home:
  title: 首页
  summary: 首页摘要
layout:
  drop:
    - '^页眉\d+$'
  itemMarker: ●
  sourceLine: '^《测试报告》.+$'
  creditLine: '^（文字整理.+）$'
sections:
  - title: 节标题
    placement: after
    itemHeading: '^\p{Han}{2,8}$'
topics:
  - title: 甲
    slug: a
    summary: 甲摘要
    items:
      - 标题甲
  - slug: b
    title: 乙
    summary: 乙摘要
    items:
      - 条目乙
`

// runImportFiles imports seed with mapping in a temporary folder and
// returns the names of the files written.
func runImportFiles(t *testing.T, seed, mapping string) ([]string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{"seed.txt": seed, "topics.yaml": mapping} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	_, err := Import(context.Background(), Options{SeedPath: "seed.txt", MapPath: "topics.yaml", OutDir: "out"})
	var written []string
	filepath.WalkDir("out", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			written = append(written, path)
		}
		return nil
	})
	return written, err
}

func TestBaseImports(t *testing.T) {
	written, err := runImportFiles(t, baseSeed, baseMap)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if got, want := len(written), 3; got != want {
		t.Errorf("wrote %q; want %d files", written, want)
	}
}

// emptySeed stands for a seed of no bytes in the table below, where "" means
// the base seed.
const emptySeed = "(empty)"

func TestBadInput(t *testing.T) {
	tests := []struct {
		name          string
		seed, mapping string
		want          []string
	}{
		{
			name: "heading no topic claims",
			seed: strings.Replace(baseSeed, "（文字整理", "●条目丙\n正文丙。\n\n（文字整理", 1),
			want: []string{`seed.txt:14: item heading "条目丙" is not claimed by any topic in topics.yaml`},
		},
		{
			name: "unmarked heading no topic claims",
			seed: strings.Replace(baseSeed, "节标题", "标题戊\n正文戊。\n\n节标题", 1),
			want: []string{`seed.txt:7: item heading "标题戊" is not claimed by any topic in topics.yaml`},
		},
		{
			name:    "mapped heading missing from the seed",
			mapping: baseMap + "      - 条目丁\n",
			want:    []string{`topics.yaml:26: heading "条目丁" of topic "b" is not an item heading of seed.txt`},
		},
		{
			name:    "both at once",
			seed:    strings.Replace(baseSeed, "●条目乙", "●条目丙", 1),
			mapping: baseMap,
			want: []string{
				`seed.txt:11: item heading "条目丙" is not claimed by any topic in topics.yaml`,
				`topics.yaml:25: heading "条目乙" of topic "b" is not an item heading of seed.txt`,
			},
		},
		{
			name: "empty seed",
			seed: emptySeed,
			want: []string{"seed.txt:1: seed is empty"},
		},
		{
			name: "blank seed",
			seed: " \n\u3000\n\n",
			want: []string{"seed.txt:1: seed is empty"},
		},
		{
			name: "seed not UTF-8",
			seed: "页眉1\n\n\xb1\xea\xcc\xe2\n",
			want: []string{"seed.txt:3: not valid UTF-8 text: save the seed as UTF-8"},
		},
		{
			name:    "duplicate slug",
			mapping: strings.Replace(baseMap, "slug: b", "slug: a", 1),
			want:    []string{`topics.yaml:21: duplicate slug "a" (first at line 17)`},
		},
		{
			name:    "duplicate slug and bad seed together",
			seed:    emptySeed,
			mapping: strings.Replace(baseMap, "slug: b", "slug: a", 1),
			want: []string{
				"seed.txt:1: seed is empty",
				`topics.yaml:21: duplicate slug "a" (first at line 17)`,
			},
		},
		{
			name:    "heading claimed twice",
			mapping: strings.Replace(baseMap, "      - 条目乙", "      - 标题甲", 1),
			want: []string{
				`topics.yaml:25: heading "标题甲" is claimed twice (first at line 20)`,
			},
		},
		{
			name:    "bad slug",
			mapping: strings.Replace(baseMap, "slug: b", "slug: B 2", 1),
			want:    []string{`topics.yaml:21: slug "B 2": use lower-case ASCII letters, digits and single dashes`},
		},
		{
			name:    "unknown field and bad pattern",
			mapping: strings.Replace(strings.Replace(baseMap, "summary: 乙摘要", "sumary: 乙摘要", 1), `'^页眉\d+$'`, `'^页眉(\d+$'`, 1),
			want: []string{
				"topics.yaml:7: layout.drop: bad pattern \"^页眉(\\\\d+$\": error parsing regexp: missing closing ): `^页眉(\\d+$`",
				"topics.yaml:23: unknown field topics[].sumary (want one of slug, title, summary, items)",
			},
		},
		{
			name:    "mapping not YAML",
			mapping: "topics: [a\n",
			want:    []string{"topics.yaml:1: not valid YAML: sequence end token ']' not found"},
		},
		{
			name:    "mapping not UTF-8",
			mapping: "publisher: \xff\n",
			want:    []string{"topics.yaml:1: not valid UTF-8 text"},
		},
		{
			name: "text outside any item",
			seed: strings.Replace(baseSeed, "●条目乙", "孤立的一段文字。\n\n●条目乙", 1),
			want: []string{`seed.txt:11: text outside any item: "孤立的一段文字。" (not an item heading, section title, source or credit line)`},
		},
		{
			name: "section title missing from the seed",
			seed: strings.Replace(baseSeed, "节标题", "节的标题", 1),
			want: []string{
				`seed.txt:3: text outside any item: "标题甲" (not an item heading, section title, source or credit line)`,
				`seed.txt:7: text outside any item: "节的标题" (not an item heading, section title, source or credit line)`,
				`topics.yaml:12: section title "节标题" is not a line of seed.txt`,
				`topics.yaml:20: heading "标题甲" of topic "a" is not an item heading of seed.txt`,
			},
		},
		{
			name: "source line missing",
			seed: strings.Replace(baseSeed, "《测试报告》摘编", "", 1),
			want: []string{`topics.yaml:9: no line of seed.txt matches layout.sourceLine "^《测试报告》.+$"`},
		},
		{
			name: "item heading twice",
			seed: strings.Replace(baseSeed, "（文字整理", "●条目乙\n又一段。\n\n（文字整理", 1),
			want: []string{`seed.txt:14: item heading "条目乙" appears twice (first at line 11)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed, mapping := tt.seed, tt.mapping
			switch seed {
			case "":
				seed = baseSeed
			case emptySeed:
				seed = ""
			}
			if mapping == "" {
				mapping = baseMap
			}
			written, err := runImportFiles(t, seed, mapping)
			if err == nil {
				t.Fatalf("Import succeeded; want errors %q", tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Import error %v is not Errors", err)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("Import errors:\n%s\nwant:\n%s", got, want)
			}
			if len(written) > 0 {
				t.Errorf("Import wrote %q despite errors", written)
			}
		})
	}
}

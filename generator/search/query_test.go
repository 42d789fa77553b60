package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/query_golden.json")

// goldenSections is a small site covering the cases the browser must get
// right: full-width text, numbers, titles, markup-like text, one-character
// queries, and phrases whose bigrams also occur apart.
var goldenSections = []Section{
	{URL: "/topics/opening-up/", PageTitle: "稳外贸稳外资", Text: "支持企业布局海外仓，全年新增海外仓12个，面积2.76万亩。"},
	{URL: "/topics/opening-up/#海外仓建设", PageTitle: "稳外贸稳外资", Title: "海外仓建设", Text: "海外市场拓展取得进展，仓储设施持续完善。推进ＥＯＤ模式试点。"},
	{URL: "/topics/education/", PageTitle: "学前教育普及普惠", Text: "普惠性幼儿园覆盖率达到90.5%，公办园在园幼儿占比55.0%。"},
	{URL: "/topics/education/#公办园", PageTitle: "学前教育普及普惠", Title: "公办园", Text: "新建公办园30所。公办学校与民办园协同发展。"},
	{URL: "/topics/rural/", PageTitle: "高标准农田建设", Text: "新建和改造提升高标准农田600万亩，粮食总产量稳定在7000万吨以上。"},
	{URL: "/topics/rural/#标准化", PageTitle: "高标准农田建设", Title: "标准化", Text: "农田水利标准提高，高标准建设示范区5个。EOD项目2个，5G基站全覆盖。"},
	{URL: "/topics/fold/#fold", PageTitle: "杂项", Title: "Cafe\u0301 ＆ 𠀀𠀁", Text: "面积12㎡，ﬁle；𠀀𠀁𠀂字在扩展B区。Cafe\u0301 au lait，CAFÉ。"},
	{URL: "/topics/misc/#escape", PageTitle: "<script>alert(1)</script>", Title: "A & B", Text: "文本里有<b>标签</b>和&符号，还有“引号”。EOD。"},
	{URL: "/topics/health/", PageTitle: "健康城市", Text: "新建社区医院3所，医疗服务能力持续提升，湿地公园向市民开放。"},
	{URL: "/topics/tw/#計畫", PageTitle: "繁體頁面", Title: "計畫", Text: "推動環境保護計畫，改善醫療與就業服務。"},
}

// goldenSynonyms are the golden indexes' synonyms: 看病 finds the sections
// holding 医疗 or 医院 after those holding 看病 itself.
var goldenSynonyms = []Synonym{
	{Word: "看病", Related: []string{"医疗", "医院", "看病"}},
	{Word: "找工作", Related: []string{"就業", "岗位"}},
	{Word: "海外", Related: []string{"海外仓"}},
}

// pagedSections adds to goldenSections more sections holding 海外 and EOD
// than a page of results, with varying counts and lengths, so that the
// golden queries for them rank and page: a sharded index answers the first
// page from its result shard and the rest from the posting lists.
func pagedSections() []Section {
	secs := slices.Clone(goldenSections)
	for i := range 14 {
		text := strings.Repeat("海外", i%4+1) + "合作项目第" + fmt.Sprint(i) + "批，" + strings.Repeat("稳步推进，", i%5) + "EOD试点。"
		title := ""
		if i%6 == 0 {
			title = "海外合作"
		}
		secs = append(secs, Section{URL: fmt.Sprintf("/topics/more/#p%d", i), PageTitle: "更多合作", Title: title, Text: text})
	}
	return secs
}

var goldenQueries = []string{
	"海外", "eod", "合作",
	"海外仓", "公办园", "高标准农田", "标准", "EOD", "ｅｏｄ", "2.76万亩", "2.76", "5G", "仓", "园",
	"海外 园", "农田 标准", "标签", "script", "&", "不存在的短语", "", "  ",
	"𠀀𠀁", "𠀁𠀂字", "café", "m2", "file", "扩展b区",
	"環境", "环境保护", "醫療", "医疗", "看病", "看 病", "找工作", "找工作 ", "计划", "計畫", "就业服务", "海外",
	"湿地公园建设", "医了", "环竟保护", "不存在的短语",
}

type goldenFile struct {
	Indexes map[string]struct {
		Files map[string]string `json:"files"`
	} `json:"indexes"`
	Queries []goldenQuery `json:"queries"`
}

type goldenQuery struct {
	Q       string              `json:"q"`
	Results map[string][]Result `json:"results"`
	// Suggest is what the page offers when Results are empty (the same on
	// every index).
	Suggest []string `json:"suggest,omitempty"`
}

// TestQueryGolden runs the queries on a one-file and a sharded index,
// checks both give the same results, and compares them with
// testdata/query_golden.json, which the JS tests replay against search.js.
func TestQueryGolden(t *testing.T) {
	sharded := Options{ShardThreshold: 1, TokenShardBytes: 200, DocShardBytes: 300, ResultShardBytes: 4000}
	capped := sharded
	capped.MaxShards = 8
	type variant struct {
		secs []Section
		opt  Options
	}
	variants := map[string]variant{
		"single":        {goldenSections, Options{}},
		"sharded":       {goldenSections, sharded},
		"paged-single":  {pagedSections(), Options{}},
		"paged-sharded": {pagedSections(), sharded},
		// Bounded: the shard sizes above would give more files than this.
		"capped":       {goldenSections, capped},
		"paged-capped": {pagedSections(), capped},
	}
	var g goldenFile
	g.Indexes = make(map[string]struct {
		Files map[string]string `json:"files"`
	})
	built := make(map[string]map[string][]byte)
	for name, v := range variants {
		v.opt.Synonyms = goldenSynonyms
		files, err := Build(v.secs, v.opt)
		if err != nil {
			t.Fatal(err)
		}
		built[name] = files
		fs := make(map[string]string)
		for p, b := range files {
			fs[p] = string(b)
		}
		g.Indexes[name] = struct {
			Files map[string]string `json:"files"`
		}{fs}
	}
	if n := len(built["sharded"]); n < 4 {
		t.Errorf("sharded index has %d files; want several", n)
	}
	for _, name := range []string{"capped", "paged-capped"} {
		// The shards, the manifest and the synonyms.
		if n, m := len(built[name]), len(built[strings.Replace(name, "capped", "sharded", 1)]); n > capped.MaxShards+2 || n >= m {
			t.Errorf("%s index has %d files (%d uncapped); want at most %d", name, n, m, capped.MaxShards+2)
		}
	}
	for _, name := range []string{"sharded", "paged-sharded", "capped"} {
		checkResultTokens(t, name, built[name])
	}
	for _, q := range goldenQueries {
		gq := goldenQuery{Q: q, Results: make(map[string][]Result)}
		for name, files := range built {
			res := Query(files, q)
			if res == nil {
				res = []Result{}
			}
			gq.Results[name] = res
		}
		for _, pre := range []string{"", "paged-"} {
			for _, v := range []string{"sharded", "capped"} {
				if !reflect.DeepEqual(gq.Results[pre+"single"], gq.Results[pre+v]) {
					t.Errorf("Query(%q): %ssingle %v; %s%s %v", q, pre, gq.Results[pre+"single"], pre, v, gq.Results[pre+v])
				}
			}
		}
		if len(gq.Results["single"]) == 0 {
			gq.Suggest = NewSearcher(built["single"]).Suggest(q)
			for name, files := range built {
				if got := NewSearcher(files).Suggest(q); !slices.Equal(got, gq.Suggest) {
					t.Errorf("Suggest(%q) on %s = %q; on single %q", q, name, got, gq.Suggest)
				}
			}
		}
		g.Queries = append(g.Queries, gq)
	}
	got, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const path = "testdata/query_golden.json"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is out of date; rerun with -update and review the diff", path)
	}
}

// checkResultTokens checks that a sharded index's result shards hold
// exactly its Han tokens (see hasResults): words and numbers are left to
// the token shards, and search.js would find no result entry for them.
func checkResultTokens(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	inResults, words := map[string]bool{}, 0
	for p, b := range files {
		var shard map[string]json.RawMessage
		if path.Base(p) == "manifest.json" {
			continue
		}
		kind := path.Base(path.Dir(p)) // "r0", "t12": see shardName
		if err := json.Unmarshal(b, &shard); err != nil {
			continue // a document shard is an array
		}
		for tok := range shard {
			switch {
			case strings.HasPrefix(kind, "r"):
				inResults[tok] = true
				if !hasResults(tok) {
					t.Errorf("%s: %s holds results for %q, which is not Han", name, p, tok)
				}
			case !hasResults(tok):
				words++
			}
		}
	}
	for p, b := range files {
		if !strings.HasPrefix(path.Base(path.Dir(p)), "t") {
			continue
		}
		var shard map[string]json.RawMessage
		if err := json.Unmarshal(b, &shard); err != nil {
			t.Fatalf("%s: %s: %v", name, p, err)
		}
		for tok := range shard {
			if hasResults(tok) && !inResults[tok] {
				t.Errorf("%s: Han token %q has no result entry", name, tok)
			}
		}
	}
	if words == 0 || len(inResults) == 0 {
		t.Errorf("%s: %d word tokens, %d result entries; the check needs both", name, words, len(inResults))
	}
}

func TestQuerySemantics(t *testing.T) {
	files, err := Build(goldenSections, Options{})
	if err != nil {
		t.Fatal(err)
	}
	urls := func(q string) []string {
		var out []string
		for _, r := range Query(files, q) {
			out = append(out, r.URL)
		}
		return out
	}
	tests := []struct {
		q    string
		want []string
	}{
		// Title match first, then the lead section (two occurrences).
		{"海外仓", []string{"/topics/opening-up/#海外仓建设", "/topics/opening-up/"}},
		{"公办园", []string{"/topics/education/#公办园", "/topics/education/"}},
		// Then BM25: one EOD each, in sections of 34, 34 and 39
		// characters, too close for the seven weights to tell apart:
		// document order decides.
		{"ＥＯＤ", []string{"/topics/opening-up/#海外仓建设", "/topics/rural/#标准化", "/topics/misc/#escape"}},
		// The page title is indexed with the page's first section only.
		{"稳外资", []string{"/topics/opening-up/"}},
		{"2.76", []string{"/topics/opening-up/"}},
		{"76", nil},
		{"不存在", nil},
		// 公办 and 办园 both occur in “公办学校与民办园”, but not together.
		{"公办学校与民办园协同", []string{"/topics/education/#公办园"}},
		{"公办园协同", nil},
	}
	for _, tt := range tests {
		if got := urls(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("Query(%q) URLs = %q; want %q", tt.q, got, tt.want)
		}
	}
	res := Query(files, "标签")
	if len(res) != 1 || res[0].Snippet != "文本里有&lt;b&gt;<mark>标签</mark>&lt;/b&gt;和&amp;符号，还有“引号”。EOD。" {
		t.Errorf("Query(标签) = %+v; want the escaped, marked snippet", res)
	}
}

// recallCorpus is random text over a small alphabet, so that bigrams of a
// phrase often occur apart and verification has work to do.
func recallCorpus(n, length int) []Section {
	alphabet := []rune("海外仓公办园高标准农田建设发展")
	r := uint64(7)
	var out []Section
	for i := range n {
		var b strings.Builder
		for j := range length {
			r = r*6364136223846793005 + 1442695040888963407
			b.WriteRune(alphabet[(r>>33)%uint64(len(alphabet))])
			if (r>>20)%17 == 0 && j > 0 {
				b.WriteString("，")
			}
		}
		out = append(out, Section{URL: fmt.Sprintf("/p/%d/#s", i), PageTitle: "页", Title: "", Text: b.String()})
	}
	return out
}

// TestRecall proves the guarantee: every two- and three-character Han
// substring of a section's text finds that section, and every result
// really contains the query.
func TestRecall(t *testing.T) {
	corpora := map[string][]Section{
		"random": recallCorpus(30, 60),
		"report": synthCorpus(4),
	}
	for name, secs := range corpora {
		for _, opt := range []Options{{}, {ShardThreshold: 1, TokenShardBytes: 2 << 10, DocShardBytes: 2 << 10}} {
			files, err := Build(secs, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := make(map[string]map[string]bool) // query → URLs that contain it
			for _, s := range secs {
				rs := []rune(Fold(s.Text))
				for n := 2; n <= 3; n++ {
					for i := 0; i+n <= len(rs); i++ {
						q := string(rs[i : i+n])
						if utf8.RuneCountInString(q) != n || !allHan(rs[i:i+n]) {
							continue
						}
						if want[q] == nil {
							want[q] = make(map[string]bool)
						}
						want[q][s.URL] = true
					}
				}
			}
			byURL := make(map[string]Section)
			for _, s := range secs {
				byURL[s.URL] = s
			}
			sr := NewSearcher(files)
			checked := 0
			for q, urls := range want {
				got := make(map[string]bool)
				for _, r := range sr.Query(q) {
					got[r.URL] = true
					s := byURL[r.URL]
					if !strings.Contains(Fold(s.Text+"\n"+s.Title+"\n"+s.PageTitle), q) {
						t.Errorf("%s: Query(%q) found %s, which does not contain it", name, q, r.URL)
					}
				}
				for u := range urls {
					if !got[u] {
						t.Errorf("%s %+v: Query(%q) misses %s", name, opt, q, u)
					}
				}
				checked++
			}
			if checked < 100 {
				t.Errorf("%s: only %d queries checked", name, checked)
			}
		}
	}
}

func TestBuildDeterministic(t *testing.T) {
	secs := synthCorpus(40)
	for _, opt := range []Options{{}, {ShardThreshold: 1}} {
		a, err := Build(secs, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Build(secs, opt)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Build(%+v) differs between runs", opt)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := Build([]Section{{Title: "x"}}, Options{}); err == nil {
		t.Error("Build with an empty URL: no error")
	}
	// Invalid UTF-8 in any field is replaced by U+FFFD, as if the caller
	// had done it, in one file or in shards; a valid U+FFFD stays.
	fix := func(x string) string { return strings.ToValidUTF8(x, "\uFFFD") }
	for _, opt := range []Options{{}, {ShardThreshold: 1, TokenShardBytes: 200, DocShardBytes: 300}} {
		for _, bad := range []Section{
			{URL: "/a/", PageTitle: "页", Text: "坏\xff字节"},
			{URL: "/a/", PageTitle: "页", Text: "坏\xe5\x9d字节\xed\xa0\x80。"},
			{URL: "/a/", PageTitle: "页", Title: "标\xff题", Text: "正文"},
			{URL: "/a/", PageTitle: "页\xc3", Text: "正文"},
			{URL: "/a/\xff", PageTitle: "页", Text: "正文"},
			{URL: "/a/", PageTitle: "页", Text: "已有\uFFFD替换符"},
		} {
			secs := []Section{{URL: "/b/", PageTitle: "别页", Text: "别的字节"}, bad}
			got, err := Build(secs, opt)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Build([]Section{secs[0], {fix(bad.URL), fix(bad.PageTitle), fix(bad.Title), fix(bad.Text)}}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Build(%q, %+v) differs from the build of its valid UTF-8 form", bad, opt)
			}
			for name, b := range got {
				if !json.Valid(b) {
					t.Errorf("Build(%q, %+v): %s is not valid JSON", bad, opt, name)
				}
			}
			if secs[1] != bad {
				t.Errorf("Build edited its argument: %q, was %q", secs[1], bad)
			}
		}
	}
	files, err := Build(nil, Options{})
	if err != nil || len(Query(files, "任何")) != 0 {
		t.Errorf("empty index: %v, %v", files, err)
	}
}

// TestIndexTokensMatchScan checks that the indexer's unrolled tokenizer
// stores exactly Tokens plus every Han character.
func TestIndexTokensMatchScan(t *testing.T) {
	texts := append([]string{}, goldenQueries...)
	for _, s := range append(goldenSections, synthCorpus(2)...) {
		texts = append(texts, s.Text)
	}
	// Characters counted through the table rather than the array (CJK
	// Extension B), lone characters, and characters both alone and in runs.
	texts = append(texts, "𠀀𠀁𠀀，𠀀", "重重重，重。重", "一二一、二，㐀㐁㐀", "a中b中c中中")
	// Characters field reads from their bytes, next to what it folds:
	// marks after punctuation and ideographs, full-width letters and
	// punctuation, a run of Han characters that crosses a folded stretch.
	texts = append(texts, "中，\u0301文", "中\u0301文", "“中”。\u3099文", "ＡＢ，（ｃ）中ａ", "中㐀文", "中⺀文", "文，", "，文", "中 文\n文", "〇中",
		// Words read from their bytes, and what only folding can end.
		"ABC中2.76万亩", "a.5", "2．5", "e\u0301t", "5.\u0301", "x1,000,000y 3.5%", "１２3", "a２", "2.３", "4.2%以内", "PM2.5。")
	for _, v := range texts {
		checkIndexTokens(t, v)
	}
}

// FuzzIndexTokensMatchScan checks the counting of any text against scan.
func FuzzIndexTokensMatchScan(f *testing.F) {
	for _, q := range goldenQueries {
		f.Add(q)
	}
	f.Add("𠀀𠀁𠀀，重重重。EOD 2.76万亩")
	f.Fuzz(func(t *testing.T, v string) {
		checkIndexTokens(t, strings.ToValidUTF8(v, ""))
	})
}

// checkIndexTokens requires the index of the text v alone to count each
// bigram, word and lone character as Tokens does, and each Han character
// as often as Fold gives it.
func checkIndexTokens(t *testing.T, v string) {
	t.Helper()
	want := make(map[string]int)
	for _, tok := range Tokens(v) {
		if utf8.RuneCountInString(tok.Text) != 1 || classify([]rune(tok.Text)[0]) != han {
			want[tok.Text]++
		}
	}
	for _, r := range Fold(v) {
		if classify(r) == han {
			want[string(r)]++
		}
	}
	got := make(map[string]int)
	for _, tok := range mergeForTest([]Section{{URL: "/", Text: v}}) {
		got[tok.text] = int(tok.p.vals[0] >> 1)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("index tokens of %q = %v; want %v", v, got, want)
	}
}

// TestShardFolderFollowsFormat guards the shard folder's name, which is a
// hash of formatVersion and the index's inputs rather than of the shards:
// testdata/format.txt pins the shards of the golden site for the current
// formatVersion, so a change to the encoding that leaves formatVersion as
// it is fails here instead of reusing folder names browsers cache forever.
func TestShardFolderFollowsFormat(t *testing.T) {
	files, err := Build(pagedSections(), Options{ShardThreshold: 1, TokenShardBytes: 200, DocShardBytes: 300, ResultShardBytes: 4000})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Dir string `json:"dir"`
	}
	if err := json.Unmarshal(files["search/manifest.json"], &m); err != nil || m.Dir == "" {
		t.Fatalf("manifest %s: %v", files["search/manifest.json"], err)
	}
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s %d\n", strings.Replace(name, m.Dir, "DIR/", 1), len(files[name]))
		h.Write(bytes.ReplaceAll(files[name], []byte(m.Dir), []byte("DIR/")))
	}
	got := formatVersion + " " + hex.EncodeToString(h.Sum(nil)) + "\n"
	const path = "testdata/format.txt"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantVersion, _, _ := strings.Cut(string(want), " ")
	switch {
	case got == string(want):
	case wantVersion == formatVersion:
		t.Errorf("the shards changed but formatVersion (%s) did not: change it in build.go, then run with -update", formatVersion)
	default:
		t.Errorf("%s is for %s, not %s: run with -update", path, wantVersion, formatVersion)
	}
}

// FuzzBuildRepairsUTF8 holds the fold-time check of the text to the plain
// one: whatever the bytes, Build indexes a text as its valid UTF-8 form.
func FuzzBuildRepairsUTF8(f *testing.F) {
	for _, s := range []string{"坏\xff字节", "\xe5\x9d字", "a\xcc\x81\xff", "已有\uFFFD", "\xed\xa0\x80", "ＥＯＤ\xf0\x9f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fixed := strings.ToValidUTF8(text, "\uFFFD")
		got, err := Build([]Section{{URL: "/a/", PageTitle: "页", Text: text}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Build([]Section{{URL: "/a/", PageTitle: "页", Text: fixed}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Build(%q) differs from Build(%q)", text, fixed)
		}
	})
}

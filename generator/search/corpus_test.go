package search

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The benchmark corpus: 10,000 pages of about 5.5 KB, either read from a
// corpusgen "plain" layout named by $PLANSITE_BENCH_CORPUS (see
// /work/shared/bench/README.md) or synthesized here from the same kind of
// vocabulary, so the benchmarks run anywhere.

var (
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdTable = regexp.MustCompile(`^\|?\s*:?-{3,}`)
)

// markdownSections is a crude Markdown-to-sections splitter, good enough
// for corpus statistics; the real one walks the goldmark AST.
func markdownSections(url, src string) []Section {
	title := ""
	if rest, ok := strings.CutPrefix(src, "---\n"); ok {
		fm, body, _ := strings.Cut(rest, "\n---\n")
		for _, l := range strings.Split(fm, "\n") {
			if v, ok := strings.CutPrefix(l, "title: "); ok {
				title = strings.Trim(v, `"`)
			}
		}
		src = body
	}
	var out []Section
	cur := Section{URL: url, PageTitle: title}
	var text []string
	flush := func() {
		cur.Text = strings.Join(text, "\n")
		if cur.Title != "" || strings.TrimSpace(cur.Text) != "" {
			out = append(out, cur)
		}
		text = nil
	}
	for _, l := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(l, "## "):
			flush()
			h := strings.TrimPrefix(l, "## ")
			cur = Section{URL: url + "#" + h, PageTitle: title, Title: h}
		case strings.HasPrefix(l, "```"), mdTable.MatchString(l), strings.TrimSpace(l) == "":
		default:
			l = strings.TrimLeft(l, "#-*> ")
			l = mdLink.ReplaceAllString(l, "$1")
			l = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == '|' }), " ")
			text = append(text, strings.TrimSpace(l))
		}
	}
	flush()
	return out
}

// benchCorpus returns the sections of n pages.
func benchCorpus(tb testing.TB, n int) []Section {
	tb.Helper()
	if dir := os.Getenv("PLANSITE_BENCH_CORPUS"); dir != "" {
		names, err := filepath.Glob(filepath.Join(dir, "reports", "*.md"))
		if err != nil || len(names) == 0 {
			tb.Fatalf("PLANSITE_BENCH_CORPUS=%s: no reports/*.md", dir)
		}
		slices.Sort(names)
		var out []Section
		for _, name := range names[:min(n, len(names))] {
			b, err := os.ReadFile(name)
			if err != nil {
				tb.Fatal(err)
			}
			slug := strings.TrimSuffix(filepath.Base(name), ".md")
			out = append(out, markdownSections("/reports/"+slug+"/", string(b))...)
		}
		return out
	}
	return synthCorpus(n)
}

var (
	synthRegions  = []string{"北京市", "河北省", "内蒙古自治区", "上海市", "浙江省", "安徽省", "广东省", "广西壮族自治区", "重庆市", "四川省", "新疆维吾尔自治区", "杭州市", "合肥市", "临沂市", "遵义市"}
	synthSubjects = []string{"稳外贸稳外资", "自由贸易试验区建设", "大气污染防治", "碳达峰碳中和", "高校毕业生就业创业", "零工市场建设", "学前教育普及普惠", "“双减”政策落实", "高标准农田建设", "农村人居环境整治", "海外仓建设", "EOD模式试点", "5G基站建设"}
	synthHeads    = []string{"一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步工作打算", "五、保障措施"}
	synthSents    = []string{
		"全年实现进出口总额%d.%d亿元，同比增长%d.%d%%，其中出口占比%d.%d%%。",
		"新建和改造提升高标准农田%d.%d万亩，粮食总产量稳定在%d万吨以上。",
		"普惠性幼儿园覆盖率达到%d.%d%%，公办园在园幼儿占比%d.%d%%。",
		"全年PM2.5平均浓度下降至%d微克/立方米，空气质量优良天数比例达到%d.%d%%。",
		"支持企业在“一带一路”沿线布局海外仓%d个，面积%d.%d万平方米。",
		"城镇新增就业%d.%d万人，城镇调查失业率控制在%d.%d%%以内。",
		"推进ＥＯＤ模式项目%d个，带动社会投资%d.%d亿元。",
		"累计建成5G基站%d个，实现乡镇以上区域连续覆盖。",
	}
	synthGeneric = []string{
		"坚持问题导向和目标导向相统一，聚焦重点领域和关键环节持续发力。",
		"建立健全“月调度、季通报、年考核”工作机制，压紧压实各级责任。",
		"强化部门协同和上下联动，形成了一级抓一级、层层抓落实的工作格局。",
		"统筹用好中央、省级和市县各级资金，优先保障重点项目建设。",
		"充分发挥市场在资源配置中的决定性作用，更好发挥政府作用。",
		"推动政务服务事项“一网通办”“跨省通办”，群众办事更加便捷。",
		"加强数据共享和信息化平台建设，提升精准管理和服务水平。",
		"部分地区基层力量薄弱，专业人才短缺，工作推进不平衡。",
		"资金投入渠道单一，社会资本参与度不高，长效机制有待健全。",
		"注重典型引路，总结推广了一批可复制、可推广的经验做法。",
	}
)

// splitmix returns a deterministic source of integers in [0, k) from
// seed (splitmix64), for corpora and samples that must not change.
func splitmix(seed uint64) func(k int) int {
	r := seed
	return func(k int) int {
		r += 0x9E3779B97F4A7C15
		z := r
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		return int((z ^ z>>31) % uint64(k))
	}
}

// synthCorpus writes n pages of about 5.5 KB, deterministically.
func synthCorpus(n int) []Section {
	next := splitmix(1)
	sentence := func() string {
		if next(2) == 0 {
			return synthGeneric[next(len(synthGeneric))]
		}
		f := synthSents[next(len(synthSents))]
		// Numbers as corpusgen writes them: integers, one decimal.
		args := make([]any, strings.Count(f, "%d"))
		for i := range args {
			if i > 0 && f[strings.Index(f, "%d")+2] == '.' && i%2 == 1 {
				args[i] = next(10)
			} else {
				args[i] = next(3000)
			}
		}
		return fmt.Sprintf(f, args...)
	}
	var out []Section
	for p := 1; p <= n; p++ {
		region, subj := synthRegions[next(len(synthRegions))], synthSubjects[next(len(synthSubjects))]
		url := fmt.Sprintf("/reports/p%06d/", p)
		title := fmt.Sprintf("%s%d年%s工作情况报告（第%d期）", region, 2020+next(5), subj, p)
		for s := 0; s <= 4; s++ {
			sec := Section{URL: url, PageTitle: title}
			if s > 0 {
				sec.Title = synthHeads[s-1]
				sec.URL += "#" + sec.Title
			}
			var b strings.Builder
			for b.Len() < 1050 {
				b.WriteString(sentence())
				if next(6) == 0 {
					b.WriteString("\n")
				}
			}
			sec.Text = b.String()
			out = append(out, sec)
		}
	}
	return out
}

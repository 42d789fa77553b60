package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commitments are the quantitative commitments of the bundled report,
// listed by reading its seven topic pages (value and what it counts, as
// written); names such as 500强, “16条”, “5+1”, 三年攻坚计划 and 二期 are
// not commitments. The safety and government pages make none.
var commitments = map[string][]string{
	"opening-up": {"1家 跨境电子商务培训孵化基地", "3家 示范园区", "2个 海外仓"},
	"ecology":    {"100家 企业实施绿色化改造", "100% 受污染耕地安全利用率", "2.76万亩 林业生态建设任务", "4-5个 绿色矿山", "200个 “无废细胞”"},
	"employment": {"5万人 城镇新增就业", "2万人 农村劳动力转移就业", "90% 应届高校毕业生综合就业率", "9万人 技能人才"},
	"education":  {"30所 公办园", "1个 省级特色生态旅游示范乡（镇）", "5个 旅游特色村"},
	"urban-rural-integration": {"5条 高速公路项目", "103个 百城建设提质新建项目", "147亿元 年度投资", "265个 老旧小区改造项目",
		"3个 棚户区改造项目", "1646套 棚户区改造", "3.6万亩 高标准农田", "674万亩 粮食面积", "1个 国家级现代农业产业园",
		"10家 市级龙头企业", "150公里 农村公路", "2.6万户 农村户厕改造", "40个 果树进村示范村"},
	"safety":     nil,
	"government": nil,
}

// TestBundledReport measures the suggestion on the bundled report: it must
// find at least 90% of the commitments with at most 2 false ones.
func TestBundledReport(t *testing.T) {
	found, missed, wrong, total := 0, 0, 0, 0
	for topic, want := range commitments {
		src, err := os.ReadFile(filepath.Join("..", "..", "content", "topics", topic+".md"))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(strings.TrimPrefix(string(src), "---\n"), "\n---\n")
		got := Suggest([]Page{{Topic: topic, Body: body}})
		matched := make([]bool, len(got))
		for _, w := range want {
			total++
			amount, what, _ := strings.Cut(w, " ")
			ok := false
			for i, g := range got {
				if !matched[i] && g.Value+g.Unit == amount && strings.Contains(g.Clause, what) {
					matched[i], ok = true, true
					break
				}
			}
			if ok {
				found++
			} else {
				missed++
				t.Logf("%s: missed %s", topic, w)
			}
		}
		for i, g := range got {
			if !matched[i] {
				wrong++
				t.Logf("%s: false %s%s in %q", topic, g.Value, g.Unit, g.Clause)
			}
		}
	}
	t.Logf("found %d of %d, missed %d, false %d", found, total, missed, wrong)
	if found*10 < total*9 || wrong > 2 {
		t.Errorf("found %d of %d with %d false; want at least 90%% and at most 2 false", found, total, wrong)
	}
}

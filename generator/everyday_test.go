package generator

import (
	"strings"
	"testing"

	"plansite/generator/search"
)

// everydayQueries are words citizens type for the services a work report
// covers, most of them not the report's own words. TestEverydayQueries
// checks each finds something on the bundled site and logs the first
// result (go test -run EverydayQueries -v ./generator).
var everydayQueries = []string{
	"看医生", "挂号", "买药", "报销", "打疫苗", "找工作", "工资", "失业", "创业", "培训",
	"上学", "幼儿园", "学费", "老师", "房子", "租房", "老旧小区", "养老", "老人", "低保",
	"坐公交", "停车", "修路", "空气", "污染", "种树", "办事", "投诉", "种地", "旅游",
}

func TestEverydayQueries(t *testing.T) {
	files, _ := bundledSearch(t)
	s := search.NewSearcher(files)
	for _, q := range everydayQueries {
		rs := s.Query(q)
		if len(rs) == 0 {
			t.Errorf("%s: nothing found", q)
			continue
		}
		how := "exact"
		if rs[0].Related != "" {
			how = "相关词：" + rs[0].Related
		}
		t.Logf("%s\t%d\t%s\t%s", q, len(rs), strings.TrimPrefix(rs[0].URL, "/topics/"), how)
	}
}

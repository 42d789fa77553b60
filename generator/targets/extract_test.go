package targets

import "testing"

func TestExtract(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Candidate
	}{
		{"city jobs", "城镇新增就业5万人以上。", []Candidate{{Value: "5", Unit: "万人", Qualifier: "以上", What: "城镇新增就业", Clause: "城镇新增就业5万人以上"}}},
		{"measure word after verb", "新建改扩建公办园30所", []Candidate{{Value: "30", Unit: "所", What: "新建改扩建公办园", Clause: "新建改扩建公办园30所"}}},
		{"decimal, counted after", "完成2.76万亩林业生态建设任务", []Candidate{{Value: "2.76", Unit: "万亩", What: "林业生态建设任务", Clause: "完成2.76万亩林业生态建设任务"}}},
		{"range with dash", "新培育海外仓4—5个", []Candidate{{Value: "4-5", Unit: "个", What: "新培育海外仓", Clause: "新培育海外仓4—5个"}}},
		{"range with hyphen", "建设口袋公园4-5个", []Candidate{{Value: "4-5", Unit: "个", What: "建设口袋公园", Clause: "建设口袋公园4-5个"}}},
		{"percentage, qualifier before", "粮食产量力争增长3%", []Candidate{{Value: "3", Unit: "%", Qualifier: "力争", What: "粮食产量", Clause: "粮食产量力争增长3%"}}},
		{"national report", "居民消费价格涨幅3%左右", []Candidate{{Value: "3", Unit: "%", Qualifier: "左右", What: "居民消费价格涨幅", Clause: "居民消费价格涨幅3%左右"}}},
		{"provincial, money", "全年完成交通投资1200亿元", []Candidate{{Value: "1200", Unit: "亿元", What: "全年完成交通投资", Clause: "全年完成交通投资1200亿元"}}},
		{"county, air", "PM2.5平均浓度控制在35微克/立方米以内", []Candidate{{Value: "35", Unit: "微克/立方米", Qualifier: "以内", What: "PM2.5平均浓度", Clause: "PM2.5平均浓度控制在35微克/立方米以内"}}},
		{"traditional", "城鎮新增就業5萬人以內", []Candidate{{Value: "5", Unit: "萬人", Qualifier: "以內", What: "城鎮新增就業", Clause: "城鎮新增就業5萬人以內"}}},
		{"kilometres", "新改建农村公路500公里", []Candidate{{Value: "500", Unit: "公里", What: "新改建农村公路", Clause: "新改建农村公路500公里"}}},
		{"not below", "森林覆盖率不低于30%", []Candidate{{Value: "30", Unit: "%", Qualifier: "不低于", What: "森林覆盖率", Clause: "森林覆盖率不低于30%"}}},
		{"names are skipped", "引进500强企业3家，落实“16条”，推进“5+1”和“1+1+9+N”，建设5G基站，2023年", []Candidate{{Value: "3", Unit: "家", What: "引进500强企业", Clause: "引进500强企业3家"}}},
		{"two in one clause", "新培育基地1家、示范园区3家", []Candidate{
			{Value: "1", Unit: "家", What: "新培育基地", Clause: "新培育基地1家、示范园区3家"},
			{Value: "3", Unit: "家", What: "示范园区", Clause: "新培育基地1家、示范园区3家"}}},
		{"a verb alone counts what follows", "引导100家以上企业实施绿色化改造", []Candidate{{Value: "100", Unit: "家", Qualifier: "以上", What: "企业实施绿色化改造", Clause: "引导100家以上企业实施绿色化改造"}}},
		{"qualifier first, counted after it", "力争新设立海外仓2个", []Candidate{{Value: "2", Unit: "个", Qualifier: "力争", What: "新设立海外仓", Clause: "力争新设立海外仓2个"}}},
		{"examples before 等", "推动绕城、郑南等5条高速公路项目建设", []Candidate{{Value: "5", Unit: "条", What: "高速公路项目建设", Clause: "推动绕城、郑南等5条高速公路项目建设"}}},
		{"verb before the number", "确保粮食面积稳定在674万亩以上", []Candidate{{Value: "674", Unit: "万亩", Qualifier: "以上", What: "确保粮食面积", Clause: "确保粮食面积稳定在674万亩以上"}}},
		{"a bare second count", "开工棚户区改造项目3个、1646套", []Candidate{
			{Value: "3", Unit: "个", What: "开工棚户区改造项目", Clause: "开工棚户区改造项目3个、1646套"},
			{Value: "1646", Unit: "套", What: "开工棚户区改造项目", Clause: "开工棚户区改造项目3个、1646套"}}},
		{"provincial, traditional range", "新建改建農村公路1000—1200公里以上", []Candidate{{Value: "1000-1200", Unit: "公里", Qualifier: "以上", What: "新建改建農村公路", Clause: "新建改建農村公路1000—1200公里以上"}}},
		{"national, decimal percentage", "城镇调查失业率5.5%左右", []Candidate{{Value: "5.5", Unit: "%", Qualifier: "左右", What: "城镇调查失业率", Clause: "城镇调查失业率5.5%左右"}}},
		{"county, measure word and names", "落实“三零”创建，改造农村户厕1200户，建设二期项目", []Candidate{{Value: "1200", Unit: "户", What: "改造农村户厕", Clause: "改造农村户厕1200户"}}},
		{"national, growth with a qualifier after", "国内生产总值增长5%左右", []Candidate{{Value: "5", Unit: "%", Qualifier: "左右", What: "国内生产总值增长", Clause: "国内生产总值增长5%左右"}}},
		{"national, grain", "粮食产量保持在1.3万亿斤以上", []Candidate{{Value: "1.3", Unit: "万亿斤", Qualifier: "以上", What: "粮食产量", Clause: "粮食产量保持在1.3万亿斤以上"}}},
		{"percentage points before 个", "研发经费投入强度提高0.2个百分点", []Candidate{{Value: "0.2", Unit: "个百分点", What: "研发经费投入强度提高", Clause: "研发经费投入强度提高0.2个百分点"}}},
		{"provincial, kilowatt-hours", "新增新能源发电量30亿千瓦时", []Candidate{{Value: "30", Unit: "亿千瓦时", What: "新增新能源发电量", Clause: "新增新能源发电量30亿千瓦时"}}},
		{"county, traditional hectares", "新增造林綠化面積1.2萬公頃", []Candidate{{Value: "1.2", Unit: "萬公頃", What: "新增造林綠化面積", Clause: "新增造林綠化面積1.2萬公頃"}}},
		{"a year alone", "2023年是全面贯彻落实党的二十大精神的开局之年", nil},
		{"ordinal", "第3个五年规划", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("Extract(%q) = %+v; want %+v", tt.text, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("Extract(%q)[%d] = %+v; want %+v", tt.text, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("城镇新增就业5万人以上，新培育海外仓4—5个。")
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range Extract(s) {
			if c.Value == "" || c.Unit == "" {
				t.Fatalf("empty value or unit in %+v", c)
			}
		}
	})
}

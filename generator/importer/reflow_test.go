package importer

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReflow(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"chinese line break joins without space", "谋划实\n施好重点民生实事", []string{"谋划实施好重点民生实事"}},
		{"blank line mid-sentence is a page break", "力争我市纳\n\n入全国“十四五”无废城市融资试点。", []string{"力争我市纳入全国“十四五”无废城市融资试点。"}},
		{"several blank lines mid-sentence", "贯彻到政府工作\n\n\n\n各个方面。", []string{"贯彻到政府工作各个方面。"}},
		{"blank line after a sentence starts a paragraph", "完成造林1.5万亩。\n\n开展清理行动。", []string{"完成造林1.5万亩。", "开展清理行动。"}},
		{"sentence end inside closing quote", "他说“好。”\n\n下一段。", []string{"他说“好。”", "下一段。"}},
		{"line break after a sentence without a blank line joins", "第一句。\n第二句。", []string{"第一句。第二句。"}},
		{"comma before a blank line joins", "严控“三\n公”经费，\n\n把更多财力", []string{"严控“三公”经费，把更多财力"}},
		{"ascii words keep their space", "建设 smart city\nplatform 平台", []string{"建设 smart city platform 平台"}},
		{"ascii word then chinese joins", "推动5G\n\n基站", []string{"推动5G基站"}},
		{"chinese then digits joins", "新创建绿色矿山\n4—5个", []string{"新创建绿色矿山4—5个"}},
		{"digits split by the layout join", "机柜1\n20个", []string{"机柜120个"}},
		{"ascii sentence end then word", "in 2023.\nThe plan", []string{"in 2023. The plan"}},
		{"hyphen at line end joins", "e-\nmail", []string{"e-mail"}},
		{"surrounding and ideographic space trimmed", "\u3000\u3000首行缩进 \n  次行\t", []string{"首行缩进次行"}},
		{"inner white space collapsed", "a  \t b", []string{"a b"}},
		{"leading and trailing blank lines", "\n\n正文。\n\n", []string{"正文。"}},
		{"empty", "", nil},
		{"only white space", " \n\u3000\n\t", nil},
		{"carriage returns", "甲\r\n乙。\r\n\r\n丙", []string{"甲乙。", "丙"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Reflow(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Reflow(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"普通文字", "普通文字"},
		{"1. 举办活动", "1\\. 举办活动"},
		{"12) 条", "12\\) 条"},
		{"2023年", "2023年"},
		{"- 列表", "\\- 列表"},
		{"+1", "\\+1"},
		{"# 标题", "\\# 标题"},
		{"a*b*_c_", "a\\*b\\*\\_c\\_"},
		{"<b>&amp;", "\\<b\\>\\&amp;"},
		{"[链接](x)", "\\[链接\\](x)"},
		{`反\斜杠`, `反\\斜杠`},
		{"“1+1+9+N”", "“1+1+9+N”"},
		{"100%", "100%"},
		{"", ""},
	}
	for _, tt := range tests {
		got := escapeMarkdown(tt.in)
		if got != tt.want {
			t.Errorf("escapeMarkdown(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if back := unescapeMarkdown(got); back != tt.in {
			t.Errorf("unescapeMarkdown(%q) = %q; want %q", got, back, tt.in)
		}
	}
}

// FuzzReflow feeds random text to the reflow: it must not panic, and it
// must keep every character that is not white space, in order.
func FuzzReflow(f *testing.F) {
	for _, s := range []string{
		"谋划实\n\n施好重点民生实事，着力解决",
		"完成造林1.5万亩。\n\n开展清理行动。",
		"smart\ncity 5G\n\n基站",
		"\xff\xfe",
		"“好。”\n\n\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		paras := Reflow(s)
		for _, p := range paras {
			if p == "" || strings.ContainsAny(p, "\n\r") || p != strings.TrimSpace(p) {
				t.Errorf("Reflow(%q): paragraph %q is empty, spans lines or is not trimmed", s, p)
			}
		}
		if got, want := stripSpace(strings.Join(paras, "")), stripSpace(strings.ToValidUTF8(s, "\uFFFD")); got != want {
			t.Errorf("Reflow(%q) lost or added text: %q; want %q", s, got, want)
		}
		// The seed is checked to be UTF-8 before it is escaped.
		if utf8.ValidString(s) {
			if back := unescapeMarkdown(escapeMarkdown(s)); back != s {
				t.Errorf("unescapeMarkdown(escapeMarkdown(%q)) = %q", s, back)
			}
		}
	})
}

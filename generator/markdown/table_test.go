package markdown

import (
	"strings"
	"testing"
)

func TestTablesAndTaskLists(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		not      []string
	}{
		{
			name: "table under a heading",
			in:   "## 主要指标\n\n| 指标 | 数值 |\n|:--|--:|\n| 就业 | 5万 |\n",
			want: []string{
				`<div class="table-scroll" tabindex="0" role="region" aria-label="表格：主要指标">` + "\n<table>",
				`<th scope="col" class="align-left">指标</th>`,
				`<td class="align-right">5万</td>`,
				"</table>\n</div>\n",
			},
			not: []string{"style=", "align=\""},
		},
		{
			name: "table without a heading, label escaped",
			in:   "| a |\n|---|\n| b |\n",
			want: []string{`aria-label="表格"`, "<th scope=\"col\">a</th>", "<td>b</td>"},
		},
		{
			name: "heading text with markup",
			in:   "## 指标 \"甲\" & *强调*\n\n| a |\n|---|\n| b |\n",
			want: []string{`aria-label="表格：指标 &#34;甲&#34; &amp; 强调"`},
		},
		{
			name: "task list",
			in:   "- [x] 完成\n- [ ] 待办\n",
			want: []string{`<input type="checkbox" checked disabled aria-label="已完成"> 完成`, `<input type="checkbox" disabled aria-label="未完成"> 待办`},
		},
	}
	c := New(Options{})
	for _, tt := range tests {
		doc, err := c.Convert([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		got := string(doc.HTML)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: output lacks %q:\n%s", tt.name, w, got)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: output has %q:\n%s", tt.name, w, got)
			}
		}
	}
}

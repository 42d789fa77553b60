package markdown

import (
	"errors"
	"strings"
	"testing"
)

type fakeImages map[string]Picture

func (f fakeImages) Image(dest string) (Picture, error) {
	if p, ok := f[dest]; ok {
		return p, nil
	}
	return Picture{}, errors.New("no such file " + dest)
}

func TestConvertPageImages(t *testing.T) {
	imgs := fakeImages{
		"a.jpg":  {Src: "/u/a.jpg", Width: 1600, Height: 900, Srcset: "/u/a-480w.jpg 480w, /u/a.jpg 1600w"},
		"b.png":  {Src: "/u/b.png", Width: 10, Height: 20},
		"照片.jpg": {Src: "/u/照片.jpg"},
	}
	tests := []struct {
		name, src, want string
		problems        []string
	}{
		{"sized with srcset", "![山坡](a.jpg)\n", `<p><img src="/u/a.jpg" alt="山坡" width="1600" height="900" srcset="/u/a-480w.jpg 480w, /u/a.jpg 1600w" sizes="(max-width: 46em) 100vw, 46em" loading="lazy" decoding="async"></p>`, nil},
		{"sized", "文字 ![图 *一*](b.png \"标题\") 文字\n", `<img src="/u/b.png" alt="图 一" title="标题" width="10" height="20" loading="lazy" decoding="async">`, nil},
		{"Chinese file name", "![照片](照片.jpg)\n", `<img src="/u/%E7%85%A7%E7%89%87.jpg" alt="照片" loading="lazy" decoding="async">`, nil},
		{"no alt", "第一行\n\n第三行\n![](a.jpg)\n", "", []string{`4: image "a.jpg" has no alt text`}},
		{"blank alt in a link", "[![ ](b.png)](/x/)\n", "", []string{`1: image "b.png" has no alt text`}},
		{"missing", "段落。\n\n- 列表\n- ![图](c.jpg)\n", "", []string{"4: no such file c.jpg"}},
	}
	c := New(Options{})
	for _, tc := range tests {
		doc, err := c.ConvertPage([]byte(tc.src), imgs)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range doc.Problems {
			got = append(got, strings.TrimSpace(strings.Join([]string{itoa(p.Line), p.Msg}, ": ")))
		}
		if len(got) != len(tc.problems) {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.problems)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.problems[i]) {
				t.Errorf("%s: problem %q, want %q", tc.name, got[i], tc.problems[i])
			}
		}
		if tc.want != "" && !strings.Contains(string(doc.HTML), tc.want) {
			t.Errorf("%s: HTML\n%s\nwant\n%s", tc.name, doc.HTML, tc.want)
		}
	}
	// Convert alone leaves images as written.
	doc, _ := c.Convert([]byte("![](a.jpg)\n"))
	if !strings.Contains(string(doc.HTML), `<img src="a.jpg" alt="">`) || doc.Problems != nil {
		t.Errorf("Convert: %s %v", doc.HTML, doc.Problems)
	}
}

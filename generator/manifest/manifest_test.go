package manifest

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	m := New([]File{Of("b.html", []byte("b")), Of("a/index.html", []byte("a")), Of("中文/页.html", []byte("页"))})
	data := m.Encode()
	if !bytes.HasPrefix(data, []byte(`{"format":1,"files":[`+"\n"+`{"path":"a/index.html","size":1,"sha256":"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"}`)) {
		t.Errorf("encoded:\n%s", data)
	}
	if n := bytes.Count(data, []byte("\n")); n != 5 {
		t.Errorf("%d lines; want one a file, and the brackets", n)
	}
	got, err := Decode(data)
	if err != nil || !slices.Equal(got.Files, m.Files) {
		t.Errorf("decoded %+v, %v", got, err)
	}
	for _, bad := range []string{`{"format":2,"files":[]}`, `{"files":[]}`, `[`, ``,
		`{"format":1,"files":[{"path":"../x","size":1,"sha256":""}]}`, `{"format":1,"files":[{"path":"/etc/x","size":1,"sha256":""}]}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

func TestChanges(t *testing.T) {
	old := New([]File{Of("a", []byte("1")), Of("b", []byte("2")), Of("c", []byte("3"))})
	cur := New([]File{Of("a", []byte("1")), Of("b", []byte("two")), Of("d", []byte("4"))})
	send, remove := Changes(old, cur)
	if !slices.Equal(send, []string{"b", "d"}) || !slices.Equal(remove, []string{"c"}) {
		t.Errorf("send %q, remove %q", send, remove)
	}
	send, remove = Changes(nil, cur)
	if len(send) != 3 || remove != nil {
		t.Errorf("from nothing: send %q, remove %q", send, remove)
	}
}

func TestAddress(t *testing.T) {
	for in, want := range map[string]string{"index.html": "/", "topics/a/index.html": "/topics/a/", "404.html": "/404.html"} {
		if got := Address(in); got != want {
			t.Errorf("Address(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDiffLines(t *testing.T) {
	tests := []struct {
		a, b, want string // lines split on "|"; want as "-x +y"
	}{
		{"a|b|c", "a|b|c", ""},
		{"a|b|c", "a|B|c", "-b +B"},
		{"a|c", "a|b|c", "+b"},
		{"a|b|c", "a|c", "-b"},
		{"x|a|b", "a|b|y", "-x +y"},
		{"", "a", "+a"},
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	for _, tt := range tests {
		var got []string
		for _, l := range diffLines(split(tt.a), split(tt.b)) {
			got = append(got, string(l.Op)+l.Text)
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("diffLines(%q, %q) = %q; want %q", tt.a, tt.b, s, tt.want)
		}
	}
}

func TestVisibleText(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>标题</title><meta name="x" content="不可见"><style>p{}</style>
<script>var s = "不可见";</script></head><body><nav><a href="/">首页</a></nav>
<p>第一段，<a href="/x/">链接</a>
接着。</p><ul><li>一</li><li>二</li></ul><script type="application/ld+json">{"a":"不可见"}</script></body></html>`
	want := []string{"标题", "首页", "第一段，链接 接着。", "一", "二"}
	if got := VisibleText([]byte(page)); !slices.Equal(got, want) {
		t.Errorf("VisibleText = %q; want %q", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(New([]File{Of("a.html", []byte("a"))}).Encode())
	f.Add([]byte(`{"format":1,"files":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Decode(m.Encode())
		if err != nil || !slices.Equal(again.Files, m.Files) {
			t.Fatalf("a decoded manifest does not survive encoding: %v", err)
		}
	})
}

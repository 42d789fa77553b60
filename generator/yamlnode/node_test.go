package yamlnode

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// field is what a test expects of one top-level field.
type field struct {
	key   string
	line  int
	kind  Kind
	tag   string
	value any // Decode's result
}

func TestParseFields(t *testing.T) {
	day := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		src  string
		want []field
	}{
		{"text and numbers", "title: 标题：冒号\nweight: 3\nratio: 1.5\nhex: 0x1F\nbig: 1_000\n", []field{
			{"title", 1, ScalarNode, StrTag, "标题：冒号"},
			{"weight", 2, ScalarNode, IntTag, 3},
			{"ratio", 3, ScalarNode, FloatTag, 1.5},
			{"hex", 4, ScalarNode, IntTag, 31},
			{"big", 5, ScalarNode, IntTag, 1000},
		}},
		{"true, false, null and the older forms", "a: true\nb: FALSE\nc: yes\nd: 'true'\ne:\nf: ~\n", []field{
			{"a", 1, ScalarNode, BoolTag, true},
			{"b", 2, ScalarNode, BoolTag, false},
			{"c", 3, ScalarNode, StrTag, "yes"},
			{"d", 4, ScalarNode, StrTag, "true"},
			{"e", 5, ScalarNode, NullTag, nil},
			{"f", 6, ScalarNode, NullTag, nil},
		}},
		{"dates", "date: 2023-05-01\nquoted: '2023-05-01'\n", []field{
			{"date", 1, ScalarNode, TimestampTag, day},
			{"quoted", 2, ScalarNode, StrTag, "2023-05-01"},
		}},
		{"a tab inside plain text is kept", "title: 标题\t副题\n", []field{
			{"title", 1, ScalarNode, StrTag, "标题\t副题"},
		}},
		{"blocks and folded lines", "a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: plain\n  folded\n", []field{
			{"a", 1, ScalarNode, StrTag, "one\ntwo\n"},
			{"b", 4, ScalarNode, StrTag, "folded text"},
			{"c", 7, ScalarNode, StrTag, "plain folded"},
		}},
		{"lists and maps", "topics:\n  - a\n  - b\nflow: [x, y]\nparams:\n  host: 某局\n", []field{
			{"topics", 1, SequenceNode, "", []any{"a", "b"}},
			{"flow", 4, SequenceNode, "", []any{"x", "y"}},
			{"params", 5, MappingNode, "", map[string]any{"host": "某局"}},
		}},
		{"anchors and aliases", "a: &x 文\nb: *x\n", []field{
			{"a", 1, ScalarNode, StrTag, "文"},
			{"b", 2, AliasNode, "", "文"},
		}},
		{"a key given twice is kept for the caller", "title: a\ntitle: b\n", []field{
			{"title", 1, ScalarNode, StrTag, "a"},
			{"title", 2, ScalarNode, StrTag, "b"},
		}},
		{"comments and CRLF", "# note\r\ntitle: a # c\r\n\r\nweight: 2\r\n", []field{
			{"title", 2, ScalarNode, StrTag, "a"},
			{"weight", 4, ScalarNode, IntTag, 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if n == nil || n.Kind != MappingNode || len(n.Content) != 2*len(tt.want) {
				t.Fatalf("Parse = %+v; want a mapping of %d fields", n, len(tt.want))
			}
			for i, w := range tt.want {
				k, v := n.Content[2*i], n.Content[2*i+1]
				if k.Value != w.key || k.Line != w.line {
					t.Errorf("key %d = %q on line %d; want %q on line %d", i, k.Value, k.Line, w.key, w.line)
				}
				if v.Kind != w.kind || v.Tag != w.tag {
					t.Errorf("%s: kind %d tag %q; want %d %q", w.key, v.Kind, v.Tag, w.kind, w.tag)
				}
				if got := v.Decode(); !reflect.DeepEqual(got, w.value) {
					t.Errorf("%s: Decode = %#v; want %#v", w.key, got, w.value)
				}
			}
		})
	}
}

func TestItemLines(t *testing.T) {
	n, err := Parse([]byte("title: x\ntopics:\n  - a\n  # a comment\n  - b\n  - [c]\n"))
	if err != nil {
		t.Fatal(err)
	}
	list := n.Content[3]
	var lines []int
	for _, item := range list.Content {
		lines = append(lines, item.Line)
	}
	if want := []int{3, 5, 6}; list.Line != 3 || !reflect.DeepEqual(lines, want) {
		t.Errorf("list on line %d, items on %v; want 3, %v", list.Line, lines, want)
	}
	if list.Content[2].Kind != SequenceNode {
		t.Errorf("item [c] is kind %d; want a sequence", list.Content[2].Kind)
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		src   string
		b, ok bool
	}{
		{"true", true, true}, {"False", false, true}, {"yes", true, true}, {"OFF", false, true},
		{"'on'", true, true}, {"", false, true}, {"'true'", false, false}, {"maybe", false, false},
		{"1", false, false}, {"[true]", false, false},
	}
	for _, tt := range tests {
		n, err := Parse([]byte("k: " + tt.src + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := n.Content[1].Bool(); b != tt.b || ok != tt.ok {
			t.Errorf("Bool(%s) = %v, %v; want %v, %v", tt.src, b, ok, tt.b, tt.ok)
		}
	}
}

func TestParseEmptyAndErrors(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "\n\n"} {
		if n, err := Parse([]byte(src)); n != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nothing", src, n, err)
		}
	}
	tests := []struct {
		src  string
		line int
		msg  string
	}{
		{"title: a\ntopics: [a, b\ndate: 1\n", 3, "',' or ']' must be specified"},
		{"topics: [a\n", 1, "sequence end token ']' not found"},
		{"title: \"open\n", 1, "could not find end character of double-quoted text"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tt.line || se.Message != tt.msg {
			t.Errorf("Parse(%q) error = %#v; want line %d %q", tt.src, err, tt.line, tt.msg)
		}
	}
}

// FuzzParse feeds arbitrary text to the parser: it must not panic, every
// node and syntax error it reports is on a line of the text, and decoding
// (aliases of aliases included) ends.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"title: 标题\ntopics:\n  - a\n", "a: &x [*x]\n", "topics: [a\n", "- a\n- b: c\n", "a: |\n  x\n", "k: \"\\u00e9\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse([]byte(src))
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") + 1
		var se *SyntaxError
		if errors.As(err, &se) && (se.Line < 0 || se.Line > lines+1) {
			t.Fatalf("syntax error on line %d of %d", se.Line, lines)
		}
		var walk func(*Node, int)
		walk = func(n *Node, depth int) {
			if n.Line < 0 || n.Line > lines+1 {
				t.Fatalf("node %q on line %d of %d", n.Value, n.Line, lines)
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		if n != nil {
			walk(n, 0)
			n.Decode()
		}
	})
}

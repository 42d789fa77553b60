package yamlnode

import (
	"strings"
	"testing"
)

// TestQuote checks the text values front matter is written with against
// what libyaml's emitter (through yaml.v3, which wrote these files before)
// gives for each: a file the importer wrote earlier comes out byte for
// byte the same. The two cases marked "ours" are escaped where libyaml
// wrote a raw line break that a reader would fold away.
func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "\"\""},
		{" ", "' '"},
		{"a", "a"},
		{"a b", "a b"},
		{" lead", "' lead'"},
		{"trail ", "'trail '"},
		{"it's", "it's"},
		{"say \"hi\"", "say \"hi\""},
		{"'both' \"kinds\"", "'''both'' \"kinds\"'"},
		{"a: b", "'a: b'"},
		{"a:b", "a:b"},
		{"a :b", "a :b"},
		{"key:", "'key:'"},
		{":x", ":x"},
		{": x", "': x'"},
		{"# not a comment", "'# not a comment'"},
		{"a #b", "'a #b'"},
		{"a#b", "a#b"},
		{"- item", "'- item'"},
		{"-item", "-item"},
		{"-", "'-'"},
		{"--", "--"},
		{"---", "'---'"},
		{"...", "'...'"},
		{"? q", "'? q'"},
		{"?q", "?q"},
		{"[x]", "'[x]'"},
		{"{x}", "'{x}'"},
		{"a, b", "a, b"},
		{"a[0]", "a[0]"},
		{"&anchor", "'&anchor'"},
		{"*alias", "'*alias'"},
		{"!tag", "'!tag'"},
		{"|", "'|'"},
		{">", "'>'"},
		{"%", "'%'"},
		{"@", "'@'"},
		{"`", "'`'"},
		{"123", "\"123\""},
		{"0123", "\"0123\""},
		{"1_000", "\"1_000\""},
		{"0x1F", "\"0x1F\""},
		{"0o17", "\"0o17\""},
		{"1.5", "\"1.5\""},
		{".5", "\".5\""},
		{"1e3", "\"1e3\""},
		{"-1", "\"-1\""},
		{"+1", "\"+1\""},
		{".inf", "\".inf\""},
		{".nan", "\".nan\""},
		{"12:30", "\"12:30\""},
		{"1:20:30", "\"1:20:30\""},
		{"yes", "\"yes\""},
		{"no", "\"no\""},
		{"Yes", "\"Yes\""},
		{"NO", "\"NO\""},
		{"on", "\"on\""},
		{"off", "\"off\""},
		{"y", "\"y\""},
		{"n", "\"n\""},
		{"true", "\"true\""},
		{"false", "\"false\""},
		{"True", "\"True\""},
		{"null", "\"null\""},
		{"Null", "\"Null\""},
		{"~", "\"~\""},
		{"2023-05-01", "\"2023-05-01\""},
		{"2023-05-01T09:00:00+08:00", "\"2023-05-01T09:00:00+08:00\""},
		{"2023-5-1", "\"2023-5-1\""},
		{"标题：冒号", "标题：冒号"},
		{"《政府工作报告》摘编", "《政府工作报告》摘编"},
		{"（文字整理：某某）", "（文字整理：某某）"},
		{"“引号”", "“引号”"},
		{"「引」", "「引」"},
		{"＃号", "＃号"},
		{"－ 项", "－ 项"},
		{"——破折号", "——破折号"},
		{"tab\there", "\"tab\\there\""},
		{"\ttab", "\"\\ttab\""},
		{"nbsp\u00a0x", "nbsp\u00a0x"},
		{"bom\ufeffx", "\"bom\\uFEFFx\""},
		{"emoji😀", "\"emoji\\U0001F600\""},
		{"𠮷野家", "\"\\U00020BB7野家\""},
		{"ctrl\x01", "\"ctrl\\x01\""},
		{"del\x7f", "\"del\\x7F\""},
		{"nel\u0085x", "\"nel\\Nx\""},
		{"ls\u2028x", `"ls\Lx"`}, // ours
		{"back\\slash", "back\\slash"},
		{"a\\", "a\\"},
		{"trailing\\ ", "'trailing\\ '"},
		{"double  space", "double  space"},
		{"a\rb", "\"a\\rb\""},
		{"line one\nline two", `"line one\nline two"`}, // ours
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s; want %s", tt.in, got, tt.want)
		}
		checkRoundTrip(t, tt.in)
	}
}

// checkRoundTrip fails unless s, written with Quote as a field's value,
// reads back as the text s.
func checkRoundTrip(t *testing.T, s string) {
	t.Helper()
	q := Quote(s)
	n, err := Parse([]byte("k: " + q + "\n"))
	if err != nil {
		t.Fatalf("Quote(%q) = %s: not valid YAML: %v", s, q, err)
	}
	if n == nil || n.Kind != MappingNode || len(n.Content) != 2 {
		t.Fatalf("Quote(%q) = %s: does not read as one field", s, q)
	}
	v := n.Content[1]
	if v.Value != s || v.Decode() != s {
		t.Fatalf("Quote(%q) = %s: reads back as %q (%#v)", s, q, v.Value, v.Decode())
	}
}

// FuzzQuote writes arbitrary one-line texts and reads them back.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"标题：冒号", "a: b", " lead", "yes", "12:30", "- x", "#", "it's \"q\"", "tab\tx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8ValidOneLine(s) {
			t.Skip("front matter values are one line of UTF-8 text")
		}
		checkRoundTrip(t, s)
	})
}

func utf8ValidOneLine(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsAny(s, "\r\n")
}

func TestFields(t *testing.T) {
	var f Fields
	f.String("title", "标题: 副题")
	f.Int("weight", 3)
	f.String("summary", "")
	want := "title: '标题: 副题'\nweight: 3\nsummary: \"\"\n"
	if got := string(f.Bytes()); got != want {
		t.Errorf("Fields = %q; want %q", got, want)
	}
}

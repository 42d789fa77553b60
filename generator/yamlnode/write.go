package yamlnode

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fields writes a YAML mapping of text and whole-number values, one
// "key: value" line each, in the order added: front matter that comes out
// the same on every run.
type Fields struct {
	b []byte
}

// String adds a text field.
func (f *Fields) String(key, value string) {
	f.b = append(f.b, Quote(key)+": "+Quote(value)+"\n"...)
}

// Int adds a whole-number field.
func (f *Fields) Int(key string, value int) {
	f.b = append(f.b, Quote(key)+": "+strconv.Itoa(value)+"\n"...)
}

// Bytes returns the lines written so far.
func (f *Fields) Bytes() []byte { return f.b }

// Quote writes s as a YAML value on one line that reads back as the text
// s: plain when YAML allows it and no reader (of YAML 1.2 or the older
// 1.1) would take it for anything but text, else in single quotes, else in
// double quotes with escapes (for line breaks, tabs and characters that
// are not printable). The choice follows libyaml's emitter, so a file
// written before comes out byte for byte the same.
func Quote(s string) string {
	switch {
	case strings.Contains(s, "\n") || !utf8.ValidString(s):
		return doubleQuoted(s)
	case !readsAsText(s):
		return doubleQuoted(s)
	}
	plainOK, singleOK := analyze(s)
	switch {
	case plainOK:
		return s
	case singleOK:
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return doubleQuoted(s)
}

// readsAsText reports whether s, written plain, is text to every reader:
// not a number, date, true/false or null, nor a YAML 1.1 boolean (yes,
// off) or base-60 number (1:20).
func readsAsText(s string) bool {
	if tag, _ := resolve(s); tag != StrTag {
		return false
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false
	}
	if c := s[0]; (c == '+' || c == '-' || c >= '0' && c <= '9') && strings.Contains(s, ":") && base60.MatchString(s) {
		return false
	}
	return true
}

var base60 = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)

// analyze reports whether the one-line text s may be written plain, and
// whether in single quotes, as a block-context value.
func analyze(s string) (plainOK, singleOK bool) {
	if len(s) == 0 {
		return true, true
	}
	indicators := strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")
	special, tab := false, false
	precededBySpace := true
	for i, r := range s {
		w := utf8.RuneLen(r)
		followedBySpace := i+w >= len(s) || s[i+w] == ' ' || s[i+w] == '\t'
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				indicators = true
			case '?', ':', '-':
				indicators = indicators || followedBySpace
			}
		} else if r == ':' && followedBySpace || r == '#' && precededBySpace {
			indicators = true
		}
		switch {
		case r == '\t':
			tab = true
		case !printable(r):
			special = true
		}
		precededBySpace = r == 0 || r == ' ' || r == '\t' || isBreak(r)
	}
	edgeSpace := s[0] == ' ' || s[len(s)-1] == ' '
	if r, _ := utf8.DecodeRuneInString(s); isBreak(r) {
		edgeSpace = true
	}
	if r, _ := utf8.DecodeLastRuneInString(s); isBreak(r) {
		edgeSpace = true
	}
	singleOK = !tab && !special && !hasBreak(s)
	plainOK = singleOK && !edgeSpace && !indicators
	return plainOK, singleOK
}

// printable is YAML's printable set; the rest must be escaped.
func printable(r rune) bool {
	return r == '\n' || r >= 0x20 && r <= 0x7E || r >= 0xA0 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF
}

// isBreak reports a line break other than \n (already ruled out): each
// makes plain and single-quoted text unsafe.
func isBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

func hasBreak(s string) bool {
	return strings.ContainsAny(s, "\r\n\u0085\u2028\u2029")
}

// doubleQuoted writes s in double quotes, escaping what YAML needs
// escaped the way libyaml does.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if printable(r) && !isBreak(r) && r != '"' && r != '\\' {
			b.WriteRune(r)
			continue
		}
		b.WriteByte('\\')
		switch r {
		case 0:
			b.WriteByte('0')
		case 0x07:
			b.WriteByte('a')
		case 0x08:
			b.WriteByte('b')
		case '\t':
			b.WriteByte('t')
		case '\n':
			b.WriteByte('n')
		case 0x0b:
			b.WriteByte('v')
		case 0x0c:
			b.WriteByte('f')
		case '\r':
			b.WriteByte('r')
		case 0x1b:
			b.WriteByte('e')
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 0x85:
			b.WriteByte('N')
		case 0xA0:
			b.WriteByte('_')
		case 0x2028:
			b.WriteByte('L')
		case 0x2029:
			b.WriteByte('P')
		default:
			switch {
			case r <= 0xFF:
				b.WriteString("x" + hex(r, 2))
			case r <= 0xFFFF:
				b.WriteString("u" + hex(r, 4))
			default:
				b.WriteString("U" + hex(r, 8))
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hex(r rune, width int) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	return strings.Repeat("0", width-len(h)) + h
}

package importer

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// binaryKinds names the files a clerk may give by mistake, by how they
// start, so the refusal can say what the file is.
var binaryKinds = []struct {
	magic, kind string
}{
	{"%PDF", "a PDF document: save or export the report as plain text (.txt) first"},
	{"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file): open it and save the report as plain text (.txt)"},
	{"\xD0\xCF\x11\xE0", "an old Word or Excel document (.doc/.xls): save the report as plain text (.txt)"},
	{"{\\rtf", "an RTF document: save the report as plain text (.txt)"},
	{"\x89PNG", "a PNG image, not text"},
	{"\xFF\xD8\xFF", "a JPEG image, not text"},
	{"GIF8", "a GIF image, not text"},
}

// DecodeText returns a seed as UTF-8 text with "\n" line endings, and what
// it converted to get there, for the import's report: GB18030 (and so GBK
// and GB2312), UTF-16 with a byte-order mark, a UTF-8 byte-order mark, and
// Windows (CRLF) or old Mac (CR) line endings. A file that is not text in
// any of these (a PDF, an image, an archive, or bytes no encoding
// accepts) is refused with what it seems to be. Line numbers stay those
// of the file, so errors point where the clerk looks.
func DecodeText(path string, data []byte) (text []byte, notes []string, err error) {
	for _, b := range binaryKinds {
		if bytes.HasPrefix(data, []byte(b.magic)) {
			return nil, nil, fmt.Errorf("%s: not a text file: this is %s", path, b.kind)
		}
	}
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc, notes = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), []string{"converted from UTF-16 (little-endian, with byte-order mark) to UTF-8"}
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc, notes = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), []string{"converted from UTF-16 (big-endian, with byte-order mark) to UTF-8"}
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data, notes = data[3:], []string{"UTF-8 byte-order mark removed"}
	case !utf8.Valid(data) && !mostlyUTF8(data):
		enc, notes = simplifiedchinese.GB18030, []string{"converted from GB18030 (GBK, GB2312) to UTF-8"}
	}
	if enc != nil {
		out, err := enc.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			at := lineOfRune(out, utf8.RuneError)
			if !utf8.Valid(data) {
				at = invalidUTF8Line(data)
			}
			return nil, nil, fmt.Errorf("%s:%d: not a text file, or text in an encoding plansite does not read (UTF-8, GB18030/GBK, UTF-16 with byte-order mark): save the report as UTF-8 text", path, at)
		}
		data = out
	}
	// Text has no control characters but tabs, line and page breaks.
	for i, r := range string(data) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7F {
			why := "not a text file"
			if r == 0 && enc == nil {
				why += " (or UTF-16 without a byte-order mark)"
			}
			return nil, nil, fmt.Errorf("%s:%d: %s: it holds the control character U+%04X: save the report as UTF-8 text", path, bytes.Count(data[:i], []byte("\n"))+1, why, r)
		}
	}
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		notes = append(notes, "Windows line endings (CRLF) read as line breaks")
	}
	if bytes.Contains(data, []byte("\r")) {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
		notes = append(notes, "old Mac line endings (CR) read as line breaks")
	}
	return data, notes, nil
}

// mostlyUTF8 reports whether most lines of data that are not plain ASCII
// are valid UTF-8: a UTF-8 file with a few damaged bytes, to be reported
// line by line, not misread whole as GB18030.
func mostlyUTF8(data []byte) bool {
	valid, other := 0, 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		ascii := true
		for _, c := range l {
			ascii = ascii && c < 0x80
		}
		switch {
		case ascii:
		case utf8.Valid(l):
			valid++
		default:
			other++
		}
	}
	return valid >= other && valid > 0
}

// lineOfRune returns the 1-based line of the first r in text, or 1.
func lineOfRune(text []byte, r rune) int {
	i := bytes.IndexRune(text, r)
	if i < 0 {
		return 1
	}
	return bytes.Count(text[:i], []byte("\n")) + 1
}

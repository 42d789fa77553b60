package importer

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
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
// and GB2312), Big5, UTF-16 with a byte-order mark, a UTF-8 byte-order mark, and
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
	if enc == simplifiedchinese.GB18030 {
		// Big5 bytes (traditional characters from Taiwan or Hong Kong)
		// are mostly valid GB18030 too, read as rare characters: take
		// Big5 when it reads as common words and GB18030 does not.
		if g, err := enc.NewDecoder().Bytes(data); err == nil && commonShare(g) < 0.5 {
			if b, err := traditionalchinese.Big5.NewDecoder().Bytes(data); err == nil && !bytes.ContainsRune(b, utf8.RuneError) && commonShare(b) > commonShare(g) {
				enc, notes = traditionalchinese.Big5, []string{"converted from Big5 to UTF-8"}
			}
		}
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

// common holds the most frequent Chinese characters, simplified and
// traditional, by which a right decoding is told from a wrong one: text
// read in the wrong encoding is made of rare characters.
var common = func() map[rune]bool {
	const chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严" +
		"這為個國時來們於對會發動過說產種後學經進著電裡現實兩體機當點從業應開還關樣與數問變條沒結題黨員總設長頭資邊級圖統組見計別論運農幾區強決幹戰則據處隊給門規熱領東導壓爭濟階術極聯認權證採轉單風帶場車務萬積議聲報鬥類離華確張馬節話況溫傳許廣記觀織裝眾書復兒須際驗連斷難礦週備辦習響勞團歷構稱準號維劃選標寫親養層卻專狀廠識屬圓調滿縣參紅細聽該鐵價嚴區縣鎮鄉務護醫療標準環境設計畫劃"
	m := map[rune]bool{}
	for _, r := range chars {
		m[r] = true
	}
	return m
}()

// commonShare is the share of text's Chinese characters that are common.
func commonShare(text []byte) float64 {
	han, hits := 0, 0
	for _, r := range string(text) {
		if r >= 0x4E00 && r <= 0x9FFF {
			han++
			if common[r] {
				hits++
			}
		}
	}
	if han == 0 {
		return 1
	}
	return float64(hits) / float64(han)
}

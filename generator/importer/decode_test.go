package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	out, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeText(t *testing.T) {
	const text = "《报告》解读\n●推进改革\n深化“放管服”改革，新增1.5万户。\n"
	utf16LE := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16BE := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	tests := []struct {
		name      string
		data      []byte
		want      string
		wantNotes string
		wantErr   string
	}{
		{"utf-8", []byte(text), text, "", ""},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), text...), text, "byte-order mark removed", ""},
		{"traditional", []byte("《報告》解讀\n●推進改革\n"), "《報告》解讀\n●推進改革\n", "", ""},
		{"gbk", encode(t, simplifiedchinese.GBK, text), text, "converted from GB18030 (GBK, GB2312)", ""},
		{"big5", encode(t, traditionalchinese.Big5, "《東城區政府工作報告》解讀\n（一）深化改革\n推行一網通辦，政務服務事項全部實現網上可辦。\n"), "《東城區政府工作報告》解讀\n（一）深化改革\n推行一網通辦，政務服務事項全部實現網上可辦。\n", "converted from Big5 to UTF-8", ""},
		{"gbk traditional", encode(t, simplifiedchinese.GBK, "《東城區政府工作報告》解讀\n推行一網通辦，政務服務事項全部實現網上可辦。\n"), "《東城區政府工作報告》解讀\n推行一網通辦，政務服務事項全部實現網上可辦。\n", "converted from GB18030", ""},
		{"gb18030 rare character", encode(t, simplifiedchinese.GB18030, "𠀀字\n"), "𠀀字\n", "converted from GB18030", ""},
		{"utf-16le", encode(t, utf16LE, text), text, "UTF-16 (little-endian", ""},
		{"utf-16be", encode(t, utf16BE, text), text, "UTF-16 (big-endian", ""},
		{"crlf", []byte(strings.ReplaceAll(text, "\n", "\r\n")), text, "Windows line endings (CRLF)", ""},
		{"gbk crlf", encode(t, simplifiedchinese.GBK, strings.ReplaceAll(text, "\n", "\r\n")), text, "GB18030 (GBK, GB2312) to UTF-8; Windows line endings", ""},
		{"utf-16 crlf", encode(t, utf16LE, strings.ReplaceAll(text, "\n", "\r\n")), text, "little-endian, with byte-order mark) to UTF-8; Windows", ""},
		{"cr", []byte(strings.ReplaceAll(text, "\n", "\r")), text, "old Mac line endings", ""},
		{"page breaks kept", []byte("甲\f乙\n"), "甲\f乙\n", "", ""},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), "", "", "seed.txt: not a text file: this is a PDF document"},
		{"docx", []byte("PK\x03\x04\x14\x00\x06\x00"), "", "", "a ZIP archive (a .docx"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "", "", "a PNG image"},
		{"jpeg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "", "", "a JPEG image"},
		{"nul in utf-8", []byte("甲\n乙\x00丙\n"), "", "", "seed.txt:2: not a text file (or UTF-16 without a byte-order mark)"},
		{"utf-16 without BOM", []byte("\x2d\x4e\x87\x65\n\x00"), "", "", "not a text file"},
		{"invalid everywhere", []byte("abc\n\xFF\xFF\xFF\n"), "", "", "seed.txt:2: not a text file, or text in an encoding plansite does not read"},
		// A UTF-8 file with a damaged byte is left for the parse to name
		// the bad line, not misread whole as GB18030.
		{"damaged utf-8", []byte("甲乙\n\xFF丙\n"), "甲乙\n\xFF丙\n", "", ""},
		{"bad utf-16", []byte{0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00}, "", "", "not a text file, or text in an encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, notes, err := DecodeText("seed.txt", tc.data)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("text %q, want %q", got, tc.want)
			}
			if n := strings.Join(notes, "; "); tc.wantNotes == "" && n != "" || !strings.Contains(n, tc.wantNotes) {
				t.Errorf("notes %q, want %q", n, tc.wantNotes)
			}
		})
	}
}

// TestImportEncodings imports the harbor fixture saved as GBK, as UTF-16
// and with CRLF line endings: the pages are the same bytes as from the
// UTF-8 file, and the report says what was converted.
func TestImportEncodings(t *testing.T) {
	dir := filepath.Join("testdata", "harbor")
	seed, err := os.ReadFile(filepath.Join(dir, "seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	importTo := func(seedPath string) (map[string][]byte, string) {
		t.Helper()
		out := t.TempDir()
		r, err := Import(context.Background(), Options{SeedPath: seedPath, MapPath: filepath.Join(dir, "topics.yaml"), OutDir: out})
		if err != nil {
			t.Fatalf("%s: %v", seedPath, err)
		}
		files := map[string][]byte{}
		for _, f := range r.Files {
			files[f.Path], _ = os.ReadFile(filepath.Join(out, f.Path))
		}
		var rep bytes.Buffer
		r.Write(&rep)
		return files, rep.String()
	}
	want, _ := importTo(filepath.Join(dir, "seed.txt"))
	crlf := strings.ReplaceAll(string(seed), "\n", "\r\n")
	for _, tc := range []struct {
		name string
		data []byte
		note string
	}{
		{"gbk.txt", encode(t, simplifiedchinese.GBK, string(seed)), "seed: converted from GB18030 (GBK, GB2312) to UTF-8\n"},
		{"utf16.txt", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), string(seed)), "seed: converted from UTF-16 (little-endian, with byte-order mark) to UTF-8\n"},
		{"crlf.txt", []byte(crlf), "seed: Windows line endings (CRLF) read as line breaks\n"},
		{"gbk-crlf.txt", encode(t, simplifiedchinese.GBK, crlf), "seed: Windows line endings (CRLF) read as line breaks\n"},
	} {
		p := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, rep := importTo(p)
		if !strings.Contains(rep, tc.note) {
			t.Errorf("%s: the report does not say %q:\n%s", tc.name, tc.note, rep)
		}
		for name, w := range want {
			if !bytes.Equal(got[name], w) {
				t.Errorf("%s: %s differs from the UTF-8 seed's:\n%s", tc.name, name, got[name])
			}
		}
	}
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4\n"), 0o644)
	if _, err := Import(context.Background(), Options{SeedPath: pdf, MapPath: filepath.Join(dir, "topics.yaml"), OutDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "report.pdf: not a text file: this is a PDF document") {
		t.Errorf("a PDF seed: %v", err)
	}
}

// Package compress owns the precompressed copies of a site's text files:
// name.gz (gzip, best compression) and name.br (brotli) beside each, for
// web servers (nginx's gzip_static) and object storage to send as they
// are. The bytes are deterministic: the gzip header carries no time and
// no name.
package compress

import (
	"bytes"
	"compress/gzip"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

// MinSize is the smallest file worth compressing: below it the saving is
// lost in the headers of a response.
const MinSize = 1024

// BrotliQuality is the brotli level: on the site's pages, levels above 5
// cost two to ten times its time for about one percent (the figures are
// in generator/bench/README.md), and 5 already beats gzip's best by a
// sixth.
const BrotliQuality = 5

// textTypes are the extensions of the files compressed.
var textTypes = map[string]bool{
	".html": true, ".css": true, ".js": true, ".mjs": true, ".json": true, ".xml": true,
	".svg": true, ".txt": true, ".webmanifest": true, ".map": true, ".md": true, ".csv": true,
}

// Worth reports whether file name of size bytes gets compressed copies.
func Worth(name string, size int) bool {
	return size > MinSize && textTypes[strings.ToLower(path.Ext(name))]
}

// Variant is one precompressed copy: its file name suffix and the
// Content-Encoding it is sent with.
type Variant struct {
	Suffix, Encoding string
}

// Variants are the copies written, best first.
var Variants = []Variant{{".br", "br"}, {".gz", "gzip"}}

// Encoding returns the Content-Encoding of a precompressed file name and
// the name of the file it is a copy of, or "" when it is not one.
func Encoding(name string) (encoding, original string) {
	for _, v := range Variants {
		if strings.HasSuffix(name, v.Suffix) {
			return v.Encoding, strings.TrimSuffix(name, v.Suffix)
		}
	}
	return "", name
}

// Gzip returns data gzipped at best compression, with an empty header.
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data) / 3)
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // a valid level: no error
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// Brotli returns data compressed with brotli at BrotliQuality.
func Brotli(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data) / 3)
	w := brotli.NewWriterLevel(&b, BrotliQuality)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// Of returns the compressed copies of data, in the order of Variants.
func Of(data []byte) [][]byte {
	return [][]byte{Brotli(data), Gzip(data)}
}

package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Stamp returns a page with an importHash field added as the last line of
// its front matter, as if an import had written it: an import replaces
// such a page while nobody has edited it, and keeps it once someone has. A
// new site's placeholder home page is stamped so that the first import of
// the report takes its place.
func Stamp(page []byte) ([]byte, error) {
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	if !ok {
		return nil, fmt.Errorf("no front matter")
	}
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		return nil, fmt.Errorf("front matter is not closed")
	}
	at := len("---\n") + end + 1
	sum := sha256.Sum256(page)
	out := append([]byte{}, page[:at]...)
	out = append(out, hashField+": "+hex.EncodeToString(sum[:])+"\n"...)
	return append(out, page[at:]...), nil
}

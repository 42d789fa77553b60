package linkcheck

import (
	"os"
	"testing"
)

// BenchmarkScan reads one page of the 10,000-page benchmark corpus's
// build, named by PLANSITE_SCAN_PAGE.
func BenchmarkScan(b *testing.B) {
	page, err := os.ReadFile(os.Getenv("PLANSITE_SCAN_PAGE"))
	if err != nil {
		b.Skip("set PLANSITE_SCAN_PAGE to a built page")
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		Scan(page)
	}
}

package search

import "testing"

// BenchmarkBuild indexes 10,000 pages of about 5.5 KB (see benchCorpus).
func BenchmarkBuild(b *testing.B) {
	secs := benchCorpus(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(secs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

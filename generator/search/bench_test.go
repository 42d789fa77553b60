package search

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkBuild indexes 10,000 pages of about 5.5 KB (see benchCorpus).
// Besides wall time it reports CPU time (all threads: the build is
// parallel, and on a shared machine CPU is the steadier figure) and, on
// Linux, the peak resident memory the build adds above what the process
// held before it (the corpus itself is loaded already).
func BenchmarkBuild(b *testing.B) {
	secs := benchCorpus(b, 10000)
	runtime.GC()
	base := rssKiB("VmRSS")
	resetPeakRSS()
	cpu0 := cpuTime()
	b.ResetTimer()
	opt := benchOptions(b)
	for b.Loop() {
		if _, err := Build(secs, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	if peak := rssKiB("VmHWM"); peak > 0 && base > 0 {
		b.ReportMetric(float64(peak-base)/1024, "peakMiB")
	}
	runtime.KeepAlive(secs)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS starts a new VmHWM period (Linux; elsewhere a no-op).
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// rssKiB reads a memory field of /proc/self/status, or 0.
func rssKiB(field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// BenchmarkCollect is the counting stage alone, on one goroutine: the
// steadier figure when comparing changes to it on a shared machine.
func BenchmarkCollect(b *testing.B) {
	secs := benchCorpus(b, 10000)
	carries := pageTitleCarriers(secs)
	lens := lengths(secs, carries)
	for b.Loop() {
		collectRange(secs, carries, lens, 0, len(secs))
	}
}

// BenchmarkEncodeTokens is the encoding of every token entry alone, with
// the first page of results of each token that has one, on one goroutine.
func BenchmarkEncodeTokens(b *testing.B) {
	secs := benchCorpus(b, 10000)
	carries := pageTitleCarriers(secs)
	ix := merge(collect(secs, carries, lengths(secs, carries)))
	e := newEncoder(ix, len(secs))
	var buf []byte
	for b.Loop() {
		for i := range ix.toks {
			t := &ix.toks[i]
			if hasResults(t.text) {
				ix.top(t)
			}
			buf = e.appendEntry(buf[:0], t)
		}
	}
}

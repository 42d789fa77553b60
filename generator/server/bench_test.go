package server

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"plansite/generator/watch"
)

var (
	corpus   = flag.String("corpus", "", "content `folder` for BenchmarkEditToReload (see /work/shared/bench)")
	extURL   = flag.String("external-url", "", "BenchmarkExternalEditVisible: `URL` of a page served by another tool (hugo server)")
	extFile  = flag.String("external-file", "", "BenchmarkExternalEditVisible: the Markdown `file` of that page")
	extEdits = flag.Int("edits", 20, "edits per measurement")
	editGap  = flag.Duration("gap", 200*time.Millisecond, "pause between edits, once the last one is visible")
)

// BenchmarkEditToReload measures, on the -corpus folder, the time from
// saving one page to the reload event, and to the new text being served,
// over -edits edits, and the process's peak memory. Run it as
//
//	go test ./generator/server -run XXX -bench EditToReload -benchtime 1x -corpus DIR
func BenchmarkEditToReload(b *testing.B) {
	if *corpus == "" {
		b.Skip("no -corpus folder given")
	}
	start := time.Now()
	// The production debounce, not the tests' longer one.
	s, _ := serve(b, *corpus, Options{Watch: watch.Options{Debounce: watch.DefaultDebounce}})
	b.Logf("first build and start: %v", time.Since(start).Round(time.Millisecond))
	ev := listen(b, s)
	// Edits start once the first search index is in, so the peak memory
	// includes it; with -gap above IndexDelay the index is rebuilt
	// between edits, as for a person who pauses between saves.
	st := ev.next(func(st status) bool { return st.Index > 0 })
	b.Logf("first search index in: %v", time.Since(start).Round(time.Millisecond))
	page := filepath.Join(*corpus, "reports", "p000042.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(page, orig, 0o644)
	url := s.URL() + "reports/p000042/"
	b.ResetTimer()
	for range b.N {
		var toEvent, toVisible []time.Duration
		for i := range *extEdits {
			marker := fmt.Sprintf("编辑标记%d-%d", st.Build, i)
			t0 := time.Now()
			write(b, page, string(orig)+"\n"+marker+"\n")
			st = ev.next(build(st.Build + 1))
			toEvent = append(toEvent, time.Since(t0))
			waitVisible(b, url, marker)
			toVisible = append(toVisible, time.Since(t0))
			// Let the folder settle, as between a person's saves. A gap
			// above IndexDelay lets the search index build in between.
			time.Sleep(*editGap)
		}
		report(b, "event", toEvent)
		report(b, "visible", toVisible)
	}
	b.StopTimer()
	if hwm := peakMemory(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-MiB")
	}
}

// BenchmarkExternalEditVisible measures another tool's preview server the
// same way, as far as HTTP shows it: from saving -external-file to
// -external-url serving the new text.
func BenchmarkExternalEditVisible(b *testing.B) {
	if *extURL == "" || *extFile == "" {
		b.Skip("no -external-url and -external-file given")
	}
	orig, err := os.ReadFile(*extFile)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(*extFile, orig, 0o644)
	for n := range b.N {
		var toVisible []time.Duration
		for i := range *extEdits {
			marker := fmt.Sprintf("编辑标记x%d-%d", n, i)
			t0 := time.Now()
			write(b, *extFile, string(orig)+"\n"+marker+"\n")
			waitVisible(b, *extURL, marker)
			toVisible = append(toVisible, time.Since(t0))
			time.Sleep(*editGap)
		}
		report(b, "visible", toVisible)
	}
}

func waitVisible(b *testing.B, url, marker string) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), marker) {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Fatalf("%s did not show %q within %v", url, marker, wait)
}

func report(b *testing.B, what string, ds []time.Duration) {
	slices.Sort(ds)
	med := ds[len(ds)/2]
	p95 := ds[min(len(ds)-1, (len(ds)*95+99)/100-1)]
	b.ReportMetric(float64(med.Microseconds())/1000, what+"-median-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, what+"-p95-ms")
	b.Logf("%s: median %v, p95 %v, all %v", what, med.Round(time.Millisecond), p95.Round(time.Millisecond), ds)
}

// peakMemory reads the process's peak resident memory (VmHWM) in bytes.
func peakMemory() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

package search

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// latencyPage loads search.js and its folding table and nothing else: the
// benchmark calls its API from chromedp.
const latencyPage = `<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>latency</title><script src="/search-fold.js"></script><script src="/search.js"></script></html>`

// latencyScript answers each query of qs once with the shards fetched
// from the server, keeping their text, and then five times more with a
// loader that parses that text again: the shards have arrived, and what
// is timed is what the browser does with them (JSON parsing included)
// until the first page of results, snippets and all, is ready. It
// resolves to each query's median time in milliseconds.
const latencyScript = `(async (qs) => {
  const api = window.plansiteSearch, out = [];
  for (const q of qs) {
    const texts = {};
    await api.createSearcher(async (p) => {
      const t = await (await fetch('/' + p)).text();
      texts[p] = t;
      return JSON.parse(t);
    }).run(q);
    const times = [];
    for (let i = 0; i < 5; i++) {
      const s = api.createSearcher((p) => JSON.parse(texts[p]));
      const t0 = performance.now();
      const r = await s.run(q);
      if (!r.results.length) throw new Error('no results for ' + q);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.push(times[2]);
  }
  return out;
})`

// BenchmarkQueryLatency measures, in headless Chromium, how long search.js
// takes to answer a query once its shards have arrived, on the same
// 10,000-page corpus and queries as BenchmarkQueryBytes: a sample of the
// two-character tokens and 100 phrases of three to five characters. It
// reports the median, 95th percentile and maximum of the queries' median
// times, and fails if any query takes 50 ms or more. It needs Chromium
// (PLANSITE_CHROME, or chromium on the PATH) and skips without it. Run it
// with
//
//	go test -run - -bench QueryLatency -benchtime 1x ./generator/search
func BenchmarkQueryLatency(b *testing.B) {
	exe := os.Getenv("PLANSITE_CHROME")
	if exe == "" {
		var err error
		if exe, err = exec.LookPath("chromium"); err != nil {
			b.Skip("Chromium not found: set PLANSITE_CHROME or apt-get install -y chromium")
		}
	}
	js, err := os.ReadFile("../../themes/default/static/js/search.js")
	if err != nil {
		b.Fatal(err)
	}
	foldJS, err := os.ReadFile(foldJSPath)
	if err != nil {
		b.Fatal(err)
	}
	secs := benchCorpus(b, 10000)
	files, err := Build(secs, benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	var toks []string
	for _, tok := range mergeForTest(secs) {
		if utf8.RuneCountInString(tok.text) == 2 && classify([]rune(tok.text)[0]) == han {
			toks = append(toks, tok.text)
		}
	}
	var short []string
	for i := 0; i < len(toks); i += max(1, len(toks)/200) {
		short = append(short, toks[i])
	}
	long := longPhrases(secs, 100)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := strings.TrimPrefix(r.URL.Path, "/"); p {
		case "":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(latencyPage))
		case "search.js":
			w.Header().Set("Content-Type", "application/javascript")
			w.Write(js)
		case "search-fold.js":
			w.Header().Set("Content-Type", "application/javascript")
			w.Write(foldJS)
		default:
			if f, ok := files[p]; ok {
				w.Header().Set("Content-Type", "application/json")
				w.Write(f)
				return
			}
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.UserDataDir(b.TempDir())}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	if _, err := chromedp.Run(tab, chromedp.Navigate(srv.URL+"/")); err != nil {
		b.Fatalf("starting %s: %v", exe, err)
	}

	measure := func(qs []string) []float64 {
		arg, err := json.Marshal(qs)
		if err != nil {
			b.Fatal(err)
		}
		ms, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](latencyScript+"("+string(arg)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		slices.Sort(ms)
		return ms
	}
	var s, l []float64
	for b.Loop() {
		s, l = measure(short), measure(long)
	}
	p := func(xs []float64, q float64) float64 { return xs[int(float64(len(xs)-1)*q)] }
	b.ReportMetric(p(s, .5), "ms/query-p50")
	b.ReportMetric(p(s, .95), "ms/query-p95")
	b.ReportMetric(p(s, 1), "ms/query-max")
	b.ReportMetric(p(l, .5), "ms/long-p50")
	b.ReportMetric(p(l, .95), "ms/long-p95")
	b.ReportMetric(p(l, 1), "ms/long-max")
	b.Logf("%d two-character queries and %d longer phrases", len(s), len(l))
	if worst := max(p(s, 1), p(l, 1)); worst >= 50 {
		b.Errorf("a query took %.1f ms after its shards arrived; the budget is under 50 ms", worst)
	}
}

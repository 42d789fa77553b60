package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestExternal checks a site's outside links against a local server: a
// gone page and a server too slow are broken, a rate-limited one is not
// (and is asked again next time), HEAD refused falls back to GET, no more
// than Workers requests run at once, and the cache spares the next run
// every request but those.
func TestExternal(t *testing.T) {
	var (
		mu        sync.Mutex
		hits      = map[string]int{}
		now, most atomic.Int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		case "/busy":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/slow":
			time.Sleep(time.Second)
		case "/nohead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		}
	}))
	defer srv.Close()

	dir := t.TempDir()
	page := `<a href="` + srv.URL + `/ok">a</a><a href="` + srv.URL + `/gone">b</a><a href="` + srv.URL + `/busy">c</a>
<a href="` + srv.URL + `/slow">d</a><a href="` + srv.URL + `/nohead#x">e</a><a href="https://e.org/own/">own</a><a href="/x/">in</a>`
	for i := range 6 {
		extra := ""
		for j := range 5 {
			extra += `<a href="` + srv.URL + `/p` + string(rune('a'+i)) + string(rune('a'+j)) + `">p</a>`
		}
		p := filepath.Join(dir, "p"+string(rune('a'+i)), "index.html")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(page+extra), 0o644)
	}
	cache := filepath.Join(t.TempDir(), "links.json")
	opt := ExternalOptions{Base: "https://e.org/", Workers: 3, Timeout: 300 * time.Millisecond, Cache: cache}
	rep, err := External(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	var broken, limited []string
	for _, r := range rep.Broken {
		broken = append(broken, r.URL[len(srv.URL):])
		if len(r.Pages) != 6 {
			t.Errorf("%s: pages %q; want all six", r.URL, r.Pages)
		}
	}
	for _, r := range rep.Limited {
		limited = append(limited, r.URL[len(srv.URL):])
	}
	if !slices.Equal(broken, []string{"/gone", "/slow"}) || !slices.Equal(limited, []string{"/busy"}) || rep.OK != 32 {
		t.Errorf("broken %q, limited %q, ok %d; want [/gone /slow], [/busy], 32", broken, limited, rep.OK)
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d requests at once; want at most 3", m)
	}
	mu.Lock()
	if hits["/nohead"] != 2 {
		t.Errorf("/nohead asked %d times; want HEAD then GET", hits["/nohead"])
	}
	clear(hits)
	mu.Unlock()
	if rep.Broken[1].Err == "" {
		t.Error("the slow server's error says nothing")
	}

	rep, err = External(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// Asked again: the rate-limited one and the one that did not answer.
	if len(hits) != 2 || hits["/busy"] == 0 || hits["/slow"] == 0 || rep.Cached != 33 {
		t.Errorf("second run asked %v, %d from the cache; want only /busy and /slow asked, 33 cached", hits, rep.Cached)
	}
}

package linkcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// ExternalOptions configures a check of the links to other sites.
type ExternalOptions struct {
	// Base is the site's base URL: its own links are the build's to
	// check, not this.
	Base string
	// Client sends the requests; nil means a plain client.
	Client *http.Client
	// Workers bounds the requests at once; 0 means 8.
	Workers int
	// Timeout bounds each request; 0 means 15 seconds.
	Timeout time.Duration
	// Cache is a file keeping results between runs; empty keeps none.
	Cache string
	// MaxAge is how long a cached result stands; 0 means a day.
	MaxAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// LinkResult is what one outside address answered.
type LinkResult struct {
	URL string `json:"-"`
	// Status is the HTTP status, 0 when there was no answer; Err says
	// why.
	Status int    `json:"status"`
	Err    string `json:"err,omitempty"`
	// Checked is when the answer came (Unix seconds).
	Checked int64 `json:"checked"`
	// Pages are the pages linking to it, sorted.
	Pages []string `json:"-"`
}

// ExternalReport is the outcome of a check.
type ExternalReport struct {
	// Broken are the addresses that failed; Limited those whose server
	// asked to be asked later (429), which are not failures and are
	// tried again next time.
	Broken, Limited []LinkResult
	// OK counts the addresses that answered; Cached, those of all of them
	// taken from the cache.
	OK, Cached int
}

// External checks every link to another site in the HTML files of the
// built site in dir.
func External(ctx context.Context, dir string, opt ExternalOptions) (*ExternalReport, error) {
	links, err := outsideLinks(dir, opt.Base)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	maxAge := opt.MaxAge
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	client := opt.Client
	if client == nil {
		client = &http.Client{}
	}
	cache := readCache(opt.Cache)

	urls := make([]string, 0, len(links))
	for u := range links {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	results := make([]LinkResult, len(urls))
	rep := &ExternalReport{}
	var todo []int
	for i, u := range urls {
		if c, ok := cache[u]; ok && now().Sub(time.Unix(c.Checked, 0)) < maxAge {
			results[i] = c
			rep.Cached++
			continue
		}
		todo = append(todo, i)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = 8
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(todo), 1)) {
		wg.Go(func() {
			for i := range jobs {
				results[i] = check(ctx, client, urls[i], timeout)
				results[i].Checked = now().Unix()
			}
		})
	}
feed:
	for _, i := range todo {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, u := range urls {
		r := results[i]
		r.URL, r.Pages = u, links[u]
		switch {
		case r.Status == http.StatusTooManyRequests:
			rep.Limited = append(rep.Limited, r)
			delete(cache, u)
		case r.Status >= 200 && r.Status < 400:
			rep.OK++
			cache[u] = r
		default:
			rep.Broken = append(rep.Broken, r)
			// A definite answer stands for a while; no answer or a
			// server error may be passing, and is asked again.
			if r.Status >= 400 && r.Status < 500 {
				cache[u] = r
			} else {
				delete(cache, u)
			}
		}
	}
	if opt.Cache != "" {
		if err := writeCache(opt.Cache, cache); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// check asks for u: HEAD first, then GET when the server will not answer
// HEAD properly.
func check(ctx context.Context, client *http.Client, u string, timeout time.Duration) LinkResult {
	var r LinkResult
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		rctx, cancel := context.WithTimeout(ctx, timeout)
		req, err := http.NewRequestWithContext(rctx, method, u, nil)
		if err != nil {
			cancel()
			return LinkResult{Err: err.Error()}
		}
		req.Header.Set("User-Agent", "plansite-linkcheck")
		resp, err := client.Do(req)
		if err != nil {
			cancel()
			r = LinkResult{Err: err.Error()}
			if errors.Is(err, context.DeadlineExceeded) {
				r.Err = fmt.Sprintf("no answer within %v", timeout)
			}
			return r // no server, or none in time: GET will not fare better
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		r = LinkResult{Status: resp.StatusCode}
		if method == http.MethodHead && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented ||
			resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound) {
			continue // some servers answer HEAD wrongly: ask with GET
		}
		return r
	}
	return r
}

// outsideLinks returns the http(s) links to other sites in the HTML
// files below dir, each with the pages holding it.
func outsideLinks(dir, base string) (map[string][]string, error) {
	links := map[string][]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		page := filepath.ToSlash(rel)
		found, _ := Scan(data)
		for _, l := range found {
			if !(strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) || base != "" && strings.HasPrefix(l, base) {
				continue
			}
			if i := strings.IndexByte(l, '#'); i >= 0 {
				l = l[:i]
			}
			if ps := links[l]; len(ps) == 0 || ps[len(ps)-1] != page {
				links[l] = append(links[l], page)
			}
		}
		return nil
	})
	return links, err
}

func readCache(name string) map[string]LinkResult {
	cache := map[string]LinkResult{}
	if name == "" {
		return cache
	}
	if data, err := os.ReadFile(name); err == nil {
		json.Unmarshal(data, &cache) // a damaged cache is an empty one
	}
	return cache
}

func writeCache(name string, cache map[string]LinkResult) error {
	data, err := json.MarshalIndent(cache, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

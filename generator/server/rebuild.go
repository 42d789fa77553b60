package server

import (
	"context"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"time"

	"plansite/generator"
	"plansite/generator/content"
)

// rebuild builds after changes to the given absolute paths (nil: all),
// publishes the result and tells the browsers. It runs on the watcher's
// goroutine, one build at a time.
func (s *Server) rebuild(ctx context.Context, changed []string) {
	var rels []string
	if changed != nil {
		rels = []string{}
		for _, p := range changed {
			rel, err := filepath.Rel(s.src, p)
			if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				rels = append(rels, filepath.ToSlash(rel))
				if rel == content.SiteFile {
					if dir := s.siteThemeDir(); dir != s.themeDir && dir != "" {
						s.themeDir = dir
						s.w.AddRoot(dir)
					}
				}
			}
			// Theme and seed changes need no path: the Rebuilder reads the
			// theme on every build.
		}
	}
	res, err := s.reb.Build(ctx, rels)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.cur.Load()
	if err != nil {
		msg := err.Error()
		s.logf("build failed; still serving build %d:\n%s", prev.build, msg)
		next := *prev
		next.errors = msg
		next.css = nil
		s.publish(&next)
		return
	}
	// The pages go out first; the index follows (see the package doc).
	defer s.queueIndex(res.Search)
	if len(res.Changed) == 0 && prev.errors == "" && prev.build > 0 {
		return
	}
	next := &state{build: prev.build, from: prev.build, files: res.Files, base: basePath(res.Site),
		search: prev.search, index: prev.index}
	if len(res.Changed) > 0 || prev.build == 0 {
		next.build++
		if prev.build > 0 && allCSS(res.Changed) {
			for _, c := range res.Changed {
				next.css = append(next.css, next.base+c)
			}
		}
	}
	s.logf("build %d: %d pages, %d files changed, %d rendered, in %v", next.build, res.Pages, len(res.Changed), res.Rendered, res.Elapsed.Round(time.Millisecond))
	s.publish(next)
}

// queueIndex asks for x to be built and served, unless it already was:
// a Rebuilder returns the same index while the indexed text is unchanged.
func (s *Server) queueIndex(x *generator.SearchIndex) {
	if x == s.queued {
		return
	}
	s.queued = x
	select {
	case <-s.indexQ: // superseded before it was started
	default:
	}
	s.indexQ <- x
}

// indexLoop builds each queued search index once the builds have been
// quiet for IndexDelay, and serves it, until ctx is cancelled.
func (s *Server) indexLoop(ctx context.Context) {
	delay := s.opt.IndexDelay
	if delay <= 0 {
		delay = DefaultIndexDelay
	}
	quiet := time.NewTimer(delay)
	quiet.Stop()
	defer quiet.Stop()
	var next *generator.SearchIndex
	for {
		select {
		case <-ctx.Done():
			return
		case next = <-s.indexQ:
			quiet.Reset(delay)
			continue
		case <-quiet.C:
		}
		x := next
		start := time.Now()
		files, err := x.Files()
		if ctx.Err() != nil {
			return
		}
		s.serveIndex(files, err, time.Since(start))
	}
}

// serveIndex swaps a finished search index in and tells the browsers.
func (s *Server) serveIndex(files map[string][]byte, err error, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := *s.cur.Load()
	next.css = nil
	if err != nil {
		next.errors = "search index: " + err.Error()
		s.logf("search index failed: %v", err)
		s.publish(&next)
		return
	}
	next.search = files
	next.index++
	s.logf("search index %d: %d files, of build %d's text or later, in %v", next.index, len(files), next.build, took.Round(time.Millisecond))
	s.publish(&next)
}

func allCSS(files []string) bool {
	for _, f := range files {
		if path.Ext(f) != ".css" {
			return false
		}
	}
	return len(files) > 0
}

// basePath is the path of the site's base URL, "/" or "/sub/": the
// theme's links start with it, so the server answers under it too.
func basePath(site *content.Site) string {
	u, err := url.Parse(site.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// publish makes st the served site and tells every browser.
func (s *Server) publish(st *state) {
	s.hub.publish(st, func() { s.cur.Store(st) }, s.statusJSON(st))
}

// Package render turns the site model into bytes: it executes the theme's
// layouts for every page, the lists of updates, the alias pages, the feeds,
// the sitemap and robots files, and copies the static files, handing each
// file to a Sink by its slash path below the site root. It converts each
// page's Markdown once and keeps what later stages need of it (each
// section's text for the search index, an update's HTML for the feeds).
//
// It knows nothing of disks: where the bytes go is the Sink's business. It
// must not import output or plansite/generator.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"plansite/generator/confine"
	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/site"
	"plansite/generator/theme"
)

// Sink receives the files of a build.
type Sink interface {
	// Buffer returns an empty buffer to render into; Release takes it
	// back once the buffer's bytes have been written.
	Buffer() *bytes.Buffer
	Release(*bytes.Buffer)
	// Reuse reports whether the sink already has file name as rendered
	// from input key, so that it need not be rendered again.
	Reuse(name, key string) bool
	// Write stores one file; key is the input key of a rendered page, or
	// "". It must keep nothing of data once it returns.
	Write(name, key string, data []byte) error
}

// fileAdder is a Sink that can take kept files without copying them (an
// in-memory output), which lets a Memo's files compare as unchanged at
// once.
type fileAdder interface {
	AddFiles(map[string][]byte)
}

// Renderer renders one site with one theme. The theme and the Markdown
// converter are set up once; SetSource points it at each new load of the
// content.
type Renderer struct {
	src   *content.Source
	model *site.Model
	conv  *markdown.Converter
	theme *theme.Theme

	// Key, if set, gives the input key of a page's output (see Sink.Reuse);
	// nil means a build without a cache, which has no use for keys.
	Key func(p *content.Page) string
	// Progress, if set, is called as pages are rendered, from any worker.
	Progress func(done, total int)
	// DropBodies lets the Renderer free each page's body once rendered.
	DropBodies bool
	// Memo, when set, keeps site-wide files across builds (see Memo).
	Memo *Memo

	// baseURL is the base URL the Markdown converter was made for.
	baseURL string
	opt     Options
	// assets are the theme's styles and scripts as written, for this
	// source; assetErr is the error preparing them gave.
	assets   assetSet
	assetErr error

	done     atomic.Int64
	sections sectionStore
	bodies   bodyStore
	scaled   scaler

	contentSetOnce sync.Once
	contentSet     map[string]bool
}

// New prepares the rendering of src with a theme.
func New(src *content.Source, themeFS fs.FS, opt Options) (*Renderer, error) {
	r := &Renderer{baseURL: src.Site.BaseURL, opt: opt}
	r.SetSource(src)
	r.conv = markdown.New(markdown.Options{UnsafeHTML: src.Site.AllowHTML, BasePath: r.model.BasePath()})
	th, err := theme.Load(themeFS, r.funcs())
	if err != nil {
		return nil, err
	}
	r.theme = th
	if err := r.prepareAssets(); err != nil {
		return nil, err
	}
	return r, nil
}

// SetSource points the Renderer at a (re)loaded content folder, forgetting
// the sections and bodies kept from the last one. The theme's functions
// read the new source when they are called.
func (r *Renderer) SetSource(src *content.Source) {
	r.src = src
	r.model = site.New(src)
	r.sections = sectionStore{byPg: make(map[*content.Page][]markdown.Section, len(src.Pages))}
	r.bodies = bodyStore{m: map[*content.Page]string{}}
	r.contentSetOnce, r.contentSet = sync.Once{}, nil
	r.done.Store(0)
	if r.theme != nil {
		// The content folder may now replace a theme file, or stop to.
		r.assetErr = r.prepareAssets()
	}
}

// Source is the content being rendered.
func (r *Renderer) Source() *content.Source { return r.src }

// Model is the site model of the content being rendered.
func (r *Renderer) Model() *site.Model { return r.model }

// AllowsHTML reports whether the Markdown converter lets raw HTML through.
func (r *Renderer) AllowsHTML() bool { return r.src.Site.AllowHTML }

// Suits reports whether the Renderer's Markdown converter was made for
// src's settings (raw HTML, the base URL), so it may render src.
func (r *Renderer) Suits(src *content.Source) bool {
	return r.conv != nil && r.AllowsHTML() == src.Site.AllowHTML && r.baseURL == src.Site.BaseURL
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// rel turns a site-absolute path into one under the base URL's path.
		// A hashed asset's path becomes its hashed name's.
		"rel": func(p string) string { return r.model.BasePath() + strings.TrimPrefix(r.assetPath(p), "/") },
		// abs turns a site-absolute path into a full URL.
		"abs": func(p string) string { return r.model.AbsURL(p) },
		// host is the host name of the base URL, for the SiteDomain tag.
		"host": func() string {
			u, err := url.Parse(r.src.Site.BaseURL)
			if err != nil {
				return ""
			}
			return u.Host
		},
		// topic returns the published topic page of a slug, or nil.
		"topic": func(slug string) *content.Page { return r.model.Topic(slug) },
		// page returns the published page at a site-absolute URL, or nil.
		"page": func(u string) *content.Page { return r.model.Page(u) },
	}
}

// PageFile is the output file of a page, as a slash path below the root.
func PageFile(p *content.Page) string {
	if u := p.URL; u == "/" {
		return "index.html"
	} else if len(u) > 1 && u[0] == '/' && u[len(u)-1] == '/' {
		// The usual, clean shape costs one allocation instead of
		// path.Join's three: serve calls this for every page on every
		// rebuild. (Clean allocates only when it changes something.)
		if d := u[1 : len(u)-1]; d == "" || path.Clean(d) == d {
			return u[1:] + "index.html"
		}
	}
	return path.Join(strings.TrimPrefix(p.URL, "/"), "index.html")
}

// ThemeError places a theme's file error: a link the theme's folder may
// not follow is reported at the link, like one in the content folder.
func ThemeError(err error) error {
	var le *confine.LinkError
	var pe *fs.PathError
	if errors.As(err, &le) && errors.As(err, &pe) {
		return &content.Error{Path: pe.Path, Err: le}
	}
	return fmt.Errorf("theme: %w", err)
}

// Pages renders pages on a bounded pool of workers (0: one per CPU),
// writing each as soon as it is done. Every page's error is collected.
func (r *Renderer) Pages(ctx context.Context, out Sink, pages []*content.Page, workers int) error {
	if r.assetErr != nil {
		return r.assetErr
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(pages))
	jobs := make(chan *content.Page)
	var (
		mu   sync.Mutex
		errs content.Errors
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for p := range jobs {
				if err := r.page(out, p); err != nil {
					var ces content.Errors
					var ce *content.Error
					switch {
					case errors.As(err, &ces):
					case errors.As(err, &ce):
						ces = content.Errors{ce}
					default:
						ces = content.Errors{{Path: p.Path, Err: err}}
					}
					mu.Lock()
					errs = append(errs, ces...)
					mu.Unlock()
				}
			}
		})
	}
feed:
	for _, p := range pages {
		select {
		case jobs <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errs.Err()
}

func (r *Renderer) key(p *content.Page) string {
	if r.Key == nil {
		return ""
	}
	return r.Key(p)
}

func (r *Renderer) page(out Sink, p *content.Page) error {
	defer r.reportProgress()
	name := PageFile(p)
	key := r.key(p)
	if out.Reuse(name, key) {
		return nil
	}
	doc, err := r.convert(p)
	if err != nil {
		return err
	}
	data := r.model.PageData(p, doc)
	r.bodies.keep(p, doc)
	r.sections.keep(p, doc.Sections)
	if r.DropBodies {
		// Everything that reads the body later (feeds, search, the
		// section cache) has what it needs: the body is the bulk of a
		// page's memory.
		r.sections.keepKey(p, key)
		p.Body = nil
	}
	return r.execute(out, string(p.Kind), data, name, key)
}

// execute runs layout with data and writes the result as file name.
func (r *Renderer) execute(out Sink, layout string, data any, name, key string) error {
	w := out.Buffer()
	defer out.Release(w)
	if err := r.theme.Execute(w, layout, data); err != nil {
		return err
	}
	return out.Write(name, key, w.Bytes())
}

func (r *Renderer) reportProgress() {
	n := r.done.Add(1)
	if r.Progress != nil {
		r.Progress(int(n), len(r.src.Pages))
	}
}

// Others writes everything but the pages themselves and the search index:
// the 404 page, the HTML site map, the lists of updates, alias pages,
// feeds, sitemap.xml, robots.txt, the schedule, the search page, the
// targets (page, JSON and CSV) and the static files. srcFS is the content folder, for its other files.
func (r *Renderer) Others(ctx context.Context, out Sink, srcFS fs.FS) error {
	if r.assetErr != nil {
		return r.assetErr
	}
	if err := r.execute(out, "404", r.model.NotFound(), "404.html", ""); err != nil {
		return err
	}
	steps := []step{
		r.memoized("sitemap", func(_ context.Context, out Sink) error { return r.sitemapPage(out) }),
		r.memoized("updates", r.updateLists), r.memoized("aliases", r.aliases), r.feeds, r.memoized("discovery", r.discovery),
	}
	for _, s := range steps {
		if err := s(ctx, out); err != nil {
			return err
		}
	}
	if err := r.searchPage(out); err != nil {
		return err
	}
	if err := r.targetsPages(out); err != nil {
		return err
	}
	return r.copyStatic(ctx, out, srcFS)
}

func (r *Renderer) sitemapPage(out Sink) error {
	if !r.theme.Has("sitemap") {
		return nil
	}
	data := r.model.Sitemap()
	if data == nil {
		return nil // the site wrote its own
	}
	return r.execute(out, "sitemap", data, strings.TrimPrefix(site.SitemapURL, "/")+"index.html", "")
}

// copyStatic copies the theme's static files and the content folder's
// other files. A content file wins over a theme file of the same path, so
// a site can replace, say, the favicon without a theme folder.
func (r *Renderer) copyStatic(ctx context.Context, out Sink, srcFS fs.FS) error {
	files, err := r.theme.StaticFiles()
	if err != nil {
		return ThemeError(err)
	}
	own := map[string]bool{}
	for _, a := range r.src.Assets {
		own[r.src.AssetFile(a)] = true
	}
	for _, f := range files {
		if own[f] {
			continue
		}
		if name, ok := r.assets.names[f]; ok {
			if err := out.Write(name, "", r.assets.data[f]); err != nil {
				return err
			}
			continue
		}
		data, err := r.theme.ReadStatic(f)
		if err != nil {
			return ThemeError(err)
		}
		if err := out.Write(f, "", data); err != nil {
			return err
		}
	}
	for _, a := range r.src.Assets {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(srcFS, a)
		if err != nil {
			return &content.Error{Path: a, Err: content.ReadError(err)}
		}
		if err := out.Write(r.src.AssetFile(a), "", data); err != nil {
			return err
		}
		if err := r.writeScaled(out, a, data); err != nil {
			return err
		}
	}
	return nil
}

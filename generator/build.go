package generator

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/theme"
	"plansite/themes"
)

// Options configures a build.
type Options struct {
	// Src is the content folder; Out the output folder, replaced whole.
	Src, Out string
	// Theme overrides the theme (tests use an fstest.MapFS). Nil: the
	// embedded default, overlaid with site.yaml's theme folder if named.
	Theme fs.FS
	// Drafts includes pages marked draft.
	Drafts bool
	// Workers bounds rendering concurrency; 0 means one per CPU.
	Workers int
	// Logf receives progress messages; nil discards them.
	Logf func(format string, args ...any)
}

// Result summarises a finished build.
type Result struct {
	Pages   int
	Files   int
	Bytes   int64
	Elapsed time.Duration
}

func (r *Result) String() string {
	return fmt.Sprintf("built %d pages, %d files, %d bytes in %v", r.Pages, r.Files, r.Bytes, r.Elapsed.Round(time.Millisecond))
}

// Build builds the site described by opt. On any error the previous output
// folder is left untouched.
func Build(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	srcFS := os.DirFS(opt.Src)
	src, err := content.Load(ctx, srcFS, content.Options{Root: filepath.ToSlash(opt.Src), Drafts: opt.Drafts})
	if err != nil {
		return nil, err
	}
	logf("loaded %d pages in %v", len(src.Pages), time.Since(start).Round(time.Millisecond))

	themeFS := opt.Theme
	if themeFS == nil {
		themeFS = themes.Default()
		if src.Site.Theme != "" {
			dir := filepath.Join(filepath.Dir(filepath.Clean(opt.Src)), filepath.FromSlash(src.Site.Theme))
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return nil, &content.Error{Path: path.Join(filepath.ToSlash(opt.Src), content.SiteFile), Line: src.Site.FieldLine("theme"),
					Err: fmt.Errorf("theme: folder %s does not exist", dir)}
			}
			themeFS = theme.Overlay(os.DirFS(dir), themeFS)
		}
	}
	b := &builder{
		src:  src,
		conv: markdown.New(markdown.Options{UnsafeHTML: src.Site.AllowHTML}),
	}
	b.basePath = basePath(src.Site.BaseURL)
	th, err := theme.Load(themeFS, b.funcs())
	if err != nil {
		return nil, err
	}
	b.theme = th

	out, err := newOutput(opt.Out)
	if err != nil {
		return nil, err
	}
	defer out.discard()

	if err := b.renderAll(ctx, out, opt.Workers); err != nil {
		return nil, err
	}
	if err := b.copyStatic(ctx, out, srcFS); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := out.publish(); err != nil {
		return nil, err
	}
	return &Result{
		Pages:   len(src.Pages),
		Files:   int(out.files.Load()),
		Bytes:   out.bytes.Load(),
		Elapsed: time.Since(start),
	}, nil
}

// builder holds what every page's rendering shares.
type builder struct {
	src      *content.Source
	conv     *markdown.Converter
	theme    *theme.Theme
	basePath string // the base URL's path, "/" or "/sub/"
}

func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

func (b *builder) funcs() template.FuncMap {
	return template.FuncMap{
		// rel turns a site-absolute path into one under the base URL's path.
		"rel": func(p string) string { return b.basePath + strings.TrimPrefix(p, "/") },
		// abs turns a site-absolute path into a full URL.
		"abs": func(p string) string { return b.absURL(p) },
		// host is the host name of the base URL, for the SiteDomain tag.
		"host": func() string {
			u, err := url.Parse(b.src.Site.BaseURL)
			if err != nil {
				return ""
			}
			return u.Host
		},
	}
}

func (b *builder) absURL(p string) string {
	return strings.TrimSuffix(b.src.Site.BaseURL, "/") + "/" + strings.TrimPrefix(p, "/")
}

// renderAll renders every page, the 404 page and the site map on a bounded pool of
// workers, writing each as soon as it is done, and collects every error.
func (b *builder) renderAll(ctx context.Context, out *output, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan *content.Page)
	var (
		mu   sync.Mutex
		errs content.Errors
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := b.renderPage(out, p); err != nil {
					mu.Lock()
					var ce *content.Error
					if errors.As(err, &ce) {
						errs = append(errs, ce)
					} else {
						errs = append(errs, &content.Error{Path: p.Path, Err: err})
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for _, p := range b.src.Pages {
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
	if err := errs.Err(); err != nil {
		return err
	}
	if err := b.render404(out); err != nil {
		return err
	}
	return b.renderSitemap(out)
}

func (b *builder) renderPage(out *output, p *content.Page) error {
	doc, err := b.conv.Convert(p.Body)
	if err != nil {
		return &content.Error{Path: p.Path, Line: p.BodyLine, Err: err}
	}
	data := b.pageData(p, doc)
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, string(p.Kind), data); err != nil {
		return err
	}
	return out.write(path.Join(strings.TrimPrefix(p.URL, "/"), "index.html"), w.Bytes())
}

func (b *builder) render404(out *output) error {
	data := &pageData{Site: b.src.Site, Kind: "404", Title: "页面未找到",
		Description: b.src.Site.Title + "：页面未找到",
		Breadcrumbs: []crumb{{Title: "首页", URL: "/"}, {Title: "页面未找到"}}}
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "404", data); err != nil {
		return err
	}
	return out.write("404.html", w.Bytes())
}

// SitemapURL is where the HTML site map (网站地图) is written, when the
// theme has a sitemap layout and no content page claims the address.
const SitemapURL = "/sitemap/"

func (b *builder) renderSitemap(out *output) error {
	if !b.theme.Has("sitemap") {
		return nil
	}
	var pages []*content.Page
	if b.src.Home != nil {
		pages = append(pages, b.src.Home)
	}
	pages = append(pages, b.src.Topics...)
	for _, p := range b.src.Pages {
		if p.URL == SitemapURL {
			return nil // the site wrote its own
		}
		if p.Kind == content.KindPage {
			pages = append(pages, p)
		}
	}
	site := b.src.Site
	data := &pageData{Site: site, Kind: "sitemap", Title: "网站地图",
		Description: site.Title + "：网站地图，列出本站全部页面",
		Canonical:   b.absURL(SitemapURL),
		Breadcrumbs: []crumb{{Title: "首页", URL: "/"}, {Title: "网站地图"}},
		Topics:      b.src.Topics,
		Pages:       pages}
	data.QR = qrSVG(data.Canonical)
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "sitemap", data); err != nil {
		return err
	}
	return out.write(strings.TrimPrefix(SitemapURL, "/")+"index.html", w.Bytes())
}

// copyStatic copies the theme's static files and the content folder's
// other files. A content file wins over a theme file of the same path, so
// a site can replace, say, the favicon without a theme folder.
func (b *builder) copyStatic(ctx context.Context, out *output, srcFS fs.FS) error {
	files, err := b.theme.StaticFiles()
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	own := map[string]bool{}
	for _, a := range b.src.Assets {
		own[a] = true
	}
	for _, f := range files {
		if own[f] {
			continue
		}
		data, err := b.theme.ReadStatic(f)
		if err != nil {
			return fmt.Errorf("theme: %w", err)
		}
		if err := out.write(f, data); err != nil {
			return err
		}
	}
	for _, a := range b.src.Assets {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(srcFS, a)
		if err != nil {
			return &content.Error{Path: a, Err: fmt.Errorf("cannot read: %w", err)}
		}
		if err := out.write(a, data); err != nil {
			return err
		}
	}
	return nil
}

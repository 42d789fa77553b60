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

	themeFS, err := siteTheme(opt, src)
	if err != nil {
		return nil, err
	}
	b, err := newBuilder(src, themeFS)
	if err != nil {
		return nil, err
	}

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

// siteTheme returns the theme a build uses: opt.Theme, or the embedded
// default overlaid with the folder site.yaml names.
func siteTheme(opt Options, src *content.Source) (fs.FS, error) {
	if opt.Theme != nil {
		return opt.Theme, nil
	}
	if src.Site.Theme == "" {
		return themes.Default(), nil
	}
	dir := themeDir(opt.Src, src.Site.Theme)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &content.Error{Path: path.Join(filepath.ToSlash(opt.Src), content.SiteFile), Line: src.Site.FieldLine("theme"),
			Err: fmt.Errorf("theme: folder %s does not exist", dir)}
	}
	return theme.Overlay(os.DirFS(dir), themes.Default()), nil
}

// themeDir is the disk folder of a theme named in site.yaml, which is
// relative to the folder holding the content folder.
func themeDir(src, name string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(src)), filepath.FromSlash(name))
}

func newBuilder(src *content.Source, themeFS fs.FS) (*builder, error) {
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
	return b, nil
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
	}
}

func (b *builder) absURL(p string) string {
	return strings.TrimSuffix(b.src.Site.BaseURL, "/") + "/" + strings.TrimPrefix(p, "/")
}

// renderAll renders every page and the 404 page on a bounded pool of
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
	return b.render404(out)
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
	return out.write(pageFile(p), w.Bytes())
}

// pageFile is the output file of a page, as a slash path below the root.
func pageFile(p *content.Page) string {
	return path.Join(strings.TrimPrefix(p.URL, "/"), "index.html")
}

func (b *builder) render404(out *output) error {
	data := &pageData{Site: b.src.Site, Title: "页面未找到"}
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "404", data); err != nil {
		return err
	}
	return out.write("404.html", w.Bytes())
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

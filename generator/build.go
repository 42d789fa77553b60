package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"plansite/generator/confine"
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
	// Now is the moment the site is built for: it decides which scheduled
	// pages are out and which have expired. Zero means the clock; the
	// command passes --now or SOURCE_DATE_EPOCH so builds can be repeated.
	Now time.Time
	// Future includes pages scheduled after Now; Expired, expired pages.
	Future, Expired bool
	// Workers bounds rendering concurrency; 0 means one per CPU.
	Workers int
	// Logf receives progress messages; nil discards them.
	Logf func(format string, args ...any)
	// Progress, if set, is called as pages are rendered, from any worker.
	Progress func(done, total int)
	// CacheDir holds the build cache (see cache.go); empty disables it.
	CacheDir string
	// NoWait makes a build that finds another build of the same output
	// folder running fail at once with ErrLocked, instead of waiting for
	// it to finish.
	NoWait bool
	// OnWait, if set, receives the message that the build is waiting for
	// another build of the same output, in place of Logf: the command
	// shows it even when it shows no other progress.
	OnWait func(msg string)

	// diskRoom, when positive, makes the output's disk fill after that
	// many bytes (fault tests).
	diskRoom int64
}

// Result summarises a finished build.
type Result struct {
	Pages int
	Files int
	Bytes int64
	// Reused counts output files carried over from the previous build
	// unchanged (hard-linked, not rewritten).
	Reused int
	// NoOp is set when nothing had changed and the output was not touched.
	NoOp    bool
	Elapsed time.Duration
	// NextChange is when a scheduled page next appears or expires, the
	// moment to build again; zero when nothing is scheduled.
	NextChange time.Time
	// FreedFolders counts the working folders of killed builds that this
	// build removed before it started; Freed is the bytes that gave back.
	FreedFolders int
	Freed        int64
}

func (r *Result) String() string {
	var s string
	if r.NoOp {
		s = fmt.Sprintf("nothing changed: %d pages, %d files up to date (checked in %v)", r.Pages, r.Files, r.Elapsed.Round(time.Millisecond))
	} else {
		s = fmt.Sprintf("built %d pages, %d files, %d bytes in %v", r.Pages, r.Files, r.Bytes, r.Elapsed.Round(time.Millisecond))
		if r.Reused > 0 {
			s += fmt.Sprintf(" (%d files unchanged)", r.Reused)
		}
	}
	if r.FreedFolders > 0 {
		s += fmt.Sprintf("; removed %d %s left by interrupted builds (%d bytes freed)", r.FreedFolders, plural(r.FreedFolders, "folder", "folders"), r.Freed)
	}
	return s
}

// Build builds the site described by opt. On any error the previous output
// folder is left untouched.
func Build(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	root := filepath.ToSlash(opt.Src)
	show := func(p string) string { return path.Join(root, p) }
	outAbs, err := filepath.Abs(opt.Out)
	if err != nil {
		return nil, err
	}
	// Held until Build returns, from before anything reads the output
	// folder: a second build of it waits (or fails, with NoWait) rather
	// than swap folders under this one. See lock.go.
	claim, err := claimOutput(ctx, opt, outAbs, logf)
	if err != nil {
		return nil, err
	}
	defer claim.release()
	srcFS, siteData, site, err := openSources(opt.Src, root)
	if err != nil {
		return nil, err
	}
	themeFS, err := resolveTheme(opt, site, show)
	if err != nil {
		return nil, err
	}
	// The no-op check: unchanged stamps and an intact output folder. The
	// identity (a hash of the generator binary and the theme) and the page
	// keys matter only to the cache, so a build without one skips them.
	var prev *manifest
	var identity, mpath, spare string
	var scanned []content.FileStamp
	if opt.CacheDir != "" {
		if identity, err = buildIdentity(themeFS, opt); err != nil {
			return nil, err
		}
		mpath = manifestPath(opt.CacheDir, outAbs)
		spare = sparePath(opt.CacheDir, outAbs)
		prev = readManifest(mpath, identity)
		files, serrs, err := content.Scan(ctx, srcFS, show)
		if err != nil {
			return nil, err
		}
		if len(serrs) == 0 {
			scanned = files
		}
		if prev != nil && scanned != nil && sameStamps(scanned, prev.Inputs) &&
			scheduleUnchanged(prev, opt.Now) && outputIntact(outAbs, prev) {
			logf("no input changed since the last build; output left as it is")
			return &Result{Pages: prev.Pages, Files: len(prev.Outputs), NoOp: true, Elapsed: time.Since(start)}, nil
		}
	}
	stage := newStageClock()

	src, err := content.Load(ctx, srcFS, content.Options{
		Root: root, Drafts: opt.Drafts, Now: opt.Now, Future: opt.Future, Expired: opt.Expired,
		Workers: opt.Workers, Files: scanned, Site: site,
	})
	if err != nil {
		return nil, err
	}
	logf("load: %d pages in %s", len(src.Pages), stage.lap())

	b, err := newBuilder(src, themeFS)
	if err != nil {
		return nil, err
	}
	b.progress = opt.Progress
	// Build's pages live for this build only (a Rebuilder keeps its own
	// across builds), so their bodies can go once rendered.
	b.dropBodies = true
	if opt.CacheDir != "" {
		b.globalKey = globalKey(identity, siteData, src.Pages)
	}
	if opt.CacheDir != "" && prev != nil {
		if cached := readSectionCache(sectionCachePath(opt.CacheDir, outAbs)); cached != nil {
			b.sections.cached = func(p *content.Page) ([]markdown.Section, bool) {
				secs, ok := cached[b.pageKey(p)]
				return secs, ok
			}
		}
	}

	out, err := newOutput(opt.Out, prev, spare)
	if err != nil {
		return nil, err
	}
	defer out.discard()
	out.untracked = opt.CacheDir == ""
	if opt.diskRoom > 0 {
		out.room = new(atomic.Int64)
		out.room.Store(opt.diskRoom)
	}

	if err := b.renderAll(ctx, out, opt.Workers); err != nil {
		return nil, err
	}
	logf("render and write pages: %d pages in %s", len(src.Pages), stage.lap())
	if err := b.renderOthers(ctx, out, srcFS); err != nil {
		return nil, err
	}
	logf("lists, feeds, site map and static files: %s", stage.lap())
	if err := b.writeSearch(out); err != nil {
		return nil, err
	}
	logf("search index: %s", stage.lap())
	logf("written: %d files (%d unchanged)", out.files.Load(), out.reused.Load())
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := out.publish(); err != nil {
		return nil, err
	}
	logf("publish: %s", stage.lap())
	if mpath != "" && src.Files != nil {
		m := &manifest{Build: identity, Inputs: src.Files, Pages: len(src.Pages), Outputs: out.written, Now: opt.Now.UnixNano()}
		if !src.NextChange.IsZero() {
			m.NextChange = src.NextChange.UnixNano()
		}
		// The old output becomes the spare only when its contents are known.
		if prev != nil && out.keepSpare(spare) {
			m.Spare = prev.Outputs
		}
		if err := b.writeSectionCache(sectionCachePath(opt.CacheDir, outAbs)); err != nil {
			logf("search section cache not saved: %v", err)
		}
		if err := writeManifest(mpath, m); err != nil {
			logf("build cache not saved (the next build will be a full one): %v", err)
		}
	}
	return &Result{
		Pages:      len(src.Pages),
		Files:      int(out.files.Load()),
		Bytes:      out.bytes.Load(),
		Reused:     int(out.reused.Load()),
		Elapsed:    time.Since(start),
		NextChange: src.NextChange,

		FreedFolders: claim.folders,
		Freed:        claim.freed,
	}, nil
}

// newBuilder prepares the rendering of src with a theme.
func newBuilder(src *content.Source, themeFS fs.FS) (*builder, error) {
	b := &builder{conv: markdown.New(markdown.Options{UnsafeHTML: src.Site.AllowHTML})}
	b.setSource(src)
	th, err := theme.Load(themeFS, b.funcs())
	if err != nil {
		return nil, err
	}
	b.theme = th
	return b, nil
}

// setSource points the builder at a (re)loaded content folder; the
// Rebuilder keeps one builder across loads while the theme stays the same.
func (b *builder) setSource(src *content.Source) {
	b.src = src
	b.basePath = basePath(src.Site.BaseURL)
	b.indexUpdates()
	b.sections = sectionStore{}
	b.ldHead = b.jsonLDHead()
}

// renderRest writes everything but the pages themselves: the 404 page,
// the HTML site map, listings, feeds and other generated files, the search
// index and the static files.
func (b *builder) renderRest(ctx context.Context, out *output, srcFS fs.FS) error {
	if err := b.renderOthers(ctx, out, srcFS); err != nil {
		return err
	}
	return b.writeSearch(out)
}

// renderOthers is renderRest without the search index, which Build times
// as a stage of its own.
func (b *builder) renderOthers(ctx context.Context, out *output, srcFS fs.FS) error {
	if err := b.render404(out); err != nil {
		return err
	}
	if err := b.memoized("sitemap", func(_ context.Context, out *output) error { return b.renderSitemap(out) })(ctx, out); err != nil {
		return err
	}
	if err := b.writeExtras(ctx, out); err != nil {
		return err
	}
	if err := b.renderSearchPage(out); err != nil {
		return err
	}
	return b.copyStatic(ctx, out, srcFS)
}

// themeDir is the disk folder of a theme named in site.yaml, which is
// relative to the folder holding the content folder.
func themeDir(src, name string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(src)), filepath.FromSlash(name))
}

// pageFile is the output file of a page, as a slash path below the root.
func pageFile(p *content.Page) string {
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

// resolveTheme picks the theme: the one given in opt, or the embedded
// default overlaid with site.yaml's theme folder.
func resolveTheme(opt Options, site *content.Site, show func(string) string) (fs.FS, error) {
	if opt.Theme != nil {
		return opt.Theme, nil
	}
	def := themes.Default()
	if site.Theme == "" {
		return def, nil
	}
	dir := themeDir(opt.Src, site.Theme)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &content.Error{Path: show(content.SiteFile), Line: site.FieldLine("theme"),
			Err: fmt.Errorf("theme: folder %s does not exist", dir)}
	}
	themeFS, err := confine.New(dir, filepath.ToSlash(dir), allowedFolders(opt.Src, site))
	if err != nil {
		return nil, err
	}
	return theme.Overlay(themeFS, def), nil
}

// buildIdentity names everything outside the content folder that shapes the
// output: the generator binary, the theme and the options.
func buildIdentity(themeFS fs.FS, opt Options) (string, error) {
	th, err := hashFS(themeFS)
	if err != nil {
		return "", themeError(err)
	}
	h := sha256.New()
	writeField(h, []byte(executableHash()))
	writeField(h, []byte(th))
	writeField(h, []byte(fmt.Sprintf("drafts=%t future=%t expired=%t", opt.Drafts, opt.Future, opt.Expired)))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// globalKey hashes what every page's rendering may read besides its own
// body: the identity, site.yaml and every published page's front matter.
func globalKey(identity string, siteData []byte, pages []*content.Page) []byte {
	h := sha256.New()
	writeField(h, []byte(identity))
	writeField(h, siteData)
	for _, p := range pages {
		writeField(h, []byte(p.Path))
		writeField(h, p.FrontMatter)
	}
	return h.Sum(nil)
}

// pageKey is the input key of one page's output, or "" in a build
// without a cache, which has no use for it.
func (b *builder) pageKey(p *content.Page) string {
	if b.globalKey == nil {
		return ""
	}
	h := sha256.New()
	h.Write(b.globalKey)
	writeField(h, []byte(p.Path))
	writeField(h, p.Body)
	return hex.EncodeToString(h.Sum(nil))
}

// outputIntact reports whether the output folder holds exactly the files
// the manifest recorded, each unchanged.
func outputIntact(dir string, m *manifest) bool {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		info, ok := m.Outputs[filepath.ToSlash(rel)]
		if !ok {
			return errChanged
		}
		st, err := d.Info()
		if err != nil || !st.Mode().IsRegular() || st.Size() != info.Size || st.ModTime().UnixNano() != info.ModTime || inode(st) != info.Inode {
			return errChanged
		}
		n++
		return nil
	})
	return err == nil && n == len(m.Outputs)
}

var errChanged = errors.New("output changed")

// scheduleUnchanged reports whether the pages published at now are those
// the last build published: now is not before that build's moment and not
// yet at the next scheduled change.
func scheduleUnchanged(m *manifest, now time.Time) bool {
	n := now.UnixNano()
	return n >= m.Now && (m.NextChange == 0 || n < m.NextChange)
}

// builder holds what every page's rendering shares.
type builder struct {
	src       *content.Source
	conv      *markdown.Converter
	theme     *theme.Theme
	basePath  string // the base URL's path, "/" or "/sub/"
	globalKey []byte
	progress  func(done, total int)
	sections  sectionStore
	done      atomic.Int64
	updates   updateIndex
	// searchLater, when set, is called instead of writeSearch writing the
	// index: the Rebuilder builds it apart (see SearchIndex).
	searchLater func() error
	// memo, when set, keeps site-wide files across a Rebuilder's builds.
	memo *restMemo
	// dropBodies lets renderPage free each page's body once rendered.
	dropBodies bool
	// ldHead opens every page's schema.org JSON (see jsonLD).
	ldHead string
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
		// topic returns the published topic page of a slug, or nil.
		"topic": b.topicPage,
	}
}

func (b *builder) absURL(p string) string {
	return strings.TrimSuffix(b.src.Site.BaseURL, "/") + "/" + strings.TrimPrefix(p, "/")
}

// renderAll renders every page, writing each as soon as it is done.
func (b *builder) renderAll(ctx context.Context, out *output, workers int) error {
	return renderPages(ctx, b, out, b.src.Pages, workers)
}

func (b *builder) renderPage(out *output, p *content.Page) error {
	defer b.reportProgress()
	name := pageFile(p)
	key := b.pageKey(p)
	if out.reuse(name, key) {
		return nil
	}
	doc, err := b.conv.Convert(p.Body)
	if err != nil {
		return &content.Error{Path: p.Path, Line: p.BodyLine, Err: err}
	}
	data := b.pageData(p, doc)
	b.updates.keepBody(p, doc)
	b.sections.keep(p, doc.Sections)
	if b.dropBodies {
		// Everything that reads the body later (feeds, search, the
		// section cache) has what it needs: the body is the bulk of a
		// page's memory.
		b.sections.keepKey(p, key)
		p.Body = nil
	}
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, string(p.Kind), data); err != nil {
		return err
	}
	return out.write(name, key, w.Bytes())
}

func (b *builder) reportProgress() {
	n := b.done.Add(1)
	if b.progress != nil {
		b.progress(int(n), len(b.src.Pages))
	}
}

func (b *builder) render404(out *output) error {
	data := &pageData{Site: b.src.Site, Kind: "404", Title: "页面未找到",
		Description: b.src.Site.Title + "：页面未找到",
		Breadcrumbs: []crumb{{Title: "首页", URL: "/"}, {Title: "页面未找到"}}}
	b.decorate(data, nil)
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "404", data); err != nil {
		return err
	}
	return out.write("404.html", "", w.Bytes())
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
		Updates:     b.src.Updates,
		Pages:       pages}
	data.QR = qrSVG(data.Canonical)
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "sitemap", data); err != nil {
		return err
	}
	return out.write(strings.TrimPrefix(SitemapURL, "/")+"index.html", "", w.Bytes())
}

// copyStatic copies the theme's static files and the content folder's
// other files. A content file wins over a theme file of the same path, so
// a site can replace, say, the favicon without a theme folder.
func (b *builder) copyStatic(ctx context.Context, out *output, srcFS fs.FS) error {
	files, err := b.theme.StaticFiles()
	if err != nil {
		return themeError(err)
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
			return themeError(err)
		}
		if err := out.write(f, "", data); err != nil {
			return err
		}
	}
	for _, a := range b.src.Assets {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(srcFS, a)
		if err != nil {
			return &content.Error{Path: a, Err: content.ReadError(err)}
		}
		if err := out.write(a, "", data); err != nil {
			return err
		}
	}
	return nil
}

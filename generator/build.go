package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"plansite/generator/confine"
	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/output"
	"plansite/generator/render"
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
	// PlainAssets keeps the theme's styles and scripts as written, under
	// their own names (the preview's choice); see render.Options.
	PlainAssets bool
	// Minify minifies every HTML file (whitespace, optional quotes and
	// such; never what a reader or a browser sees); site.yaml's minify
	// setting does too. The theme's styles and scripts are minified
	// unless PlainAssets, whatever this says.
	Minify bool
	// Compress writes precompressed copies (.gz and .br) beside every text
	// file over a kilobyte; site.yaml's compress setting does too.
	Compress bool
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

// ErrLocked is the error (tested with errors.Is) of a build that found
// another build of the same output folder running and, told not to wait
// (Options.NoWait), gave up.
var ErrLocked = output.ErrLocked

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
	// Compressed counts the files compressed in this build; the copies of
	// files unchanged since the last build are carried over instead.
	Compressed int
	// FreedFolders counts the working folders of killed builds that this
	// build removed before it started; Freed is the bytes that gave back.
	FreedFolders int
	Freed        int64
}

// String is the line a build prints when it is done.
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
		folders := "folders"
		if r.FreedFolders == 1 {
			folders = "folder"
		}
		s += fmt.Sprintf("; removed %d %s left by interrupted builds (%d bytes freed)", r.FreedFolders, folders, r.Freed)
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
	// than swap folders under this one.
	claim, err := output.Lock(ctx, outAbs, output.ClaimOptions{Shown: opt.Out, NoWait: opt.NoWait, OnWait: opt.OnWait, Logf: logf})
	if err != nil {
		return nil, err
	}
	defer claim.Release()
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
		if prev != nil && scanned != nil && slices.Equal(scanned, prev.Inputs) &&
			scheduleUnchanged(prev, opt.Now) && output.Intact(outAbs, prev.Outputs) {
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
	syn, err := siteSynonyms(src, root)
	if err != nil {
		return nil, err
	}
	logf("load: %d pages in %s", len(src.Pages), stage.lap())

	r, err := render.New(src, themeFS, render.Options{PlainAssets: opt.PlainAssets})
	if err != nil {
		return nil, err
	}
	r.Progress = opt.Progress
	// Build's pages live for this build only (a Rebuilder keeps its own
	// across builds), so their bodies can go once rendered.
	r.DropBodies = true
	var keyOf func(*content.Page) string
	if opt.CacheDir != "" {
		keyOf = pageKeys(globalKey(identity, siteData, src.TargetsData, src.MediaKey, src.Pages))
		r.Key = keyOf
		if prev != nil {
			if cached := readSectionCache(sectionCachePath(opt.CacheDir, outAbs)); cached != nil {
				r.UseCachedSections(func(p *content.Page) ([]markdown.Section, bool) {
					secs, ok := cached[keyOf(p)]
					return secs, ok
				})
			}
		}
	}

	var live, spareFiles map[string]output.FileInfo
	if prev != nil {
		live, spareFiles = prev.Outputs, prev.Spare
	}
	out, err := output.New(opt.Out, live, spare, spareFiles)
	if err != nil {
		return nil, err
	}
	defer out.Discard()
	if opt.CacheDir == "" {
		out.SetUntracked()
	}
	if opt.diskRoom > 0 {
		out.LimitRoom(opt.diskRoom)
	}
	fin := newFinisher(out, src.Site.BaseURL, opt.Compress || src.Site.Compress, opt.Minify || src.Site.Minify)

	if err := r.Pages(ctx, fin, src.Pages, opt.Workers); err != nil {
		return nil, err
	}
	logf("render and write pages: %d pages in %s", len(src.Pages), stage.lap())
	if err := r.Others(ctx, fin, srcFS); err != nil {
		return nil, err
	}
	logf("lists, feeds, site map and static files: %s", stage.lap())
	if err := writeSearch(src.Pages, r.Model().BasePath(), r, syn, fin); err != nil {
		return nil, err
	}
	logf("search index: %s", stage.lap())
	pageOf := make(map[string]*content.Page, len(src.Pages))
	for _, p := range src.Pages {
		pageOf[render.PageFile(p)] = p
	}
	if err := fin.finish(srcFS, show, pageOf); err != nil {
		return nil, err
	}
	logf("link check and manifest: %s", stage.lap())
	files, size, reused := out.Count()
	logf("written: %d files (%d unchanged)", files, reused)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := out.Publish(); err != nil {
		return nil, err
	}
	logf("publish: %s", stage.lap())
	if mpath != "" && src.Files != nil {
		m := &manifest{Build: identity, Inputs: src.Files, Pages: len(src.Pages), Outputs: out.Written(), Now: opt.Now.UnixNano()}
		if !src.NextChange.IsZero() {
			m.NextChange = src.NextChange.UnixNano()
		}
		// The old output becomes the spare only when its contents are known.
		if prev != nil && out.KeepSpare(spare) {
			m.Spare = prev.Outputs
		}
		if err := writeSectionCache(sectionCachePath(opt.CacheDir, outAbs), r, keyOf); err != nil {
			logf("search section cache not saved: %v", err)
		}
		if err := writeManifest(mpath, m); err != nil {
			logf("build cache not saved (the next build will be a full one): %v", err)
		}
	}
	return &Result{
		Pages:      len(src.Pages),
		Files:      files,
		Bytes:      size,
		Reused:     reused,
		Elapsed:    time.Since(start),
		NextChange: src.NextChange,
		Compressed: int(fin.compressed.Load()),

		FreedFolders: claim.Folders,
		Freed:        claim.Freed,
	}, nil
}

// pageKeys returns the input key of each page's output: the global key
// and the page's own path and body.
func pageKeys(global []byte) func(p *content.Page) string {
	return func(p *content.Page) string {
		h := sha256.New()
		h.Write(global)
		writeField(h, []byte(p.Path))
		writeField(h, p.Body)
		return hex.EncodeToString(h.Sum(nil))
	}
}

// themeDir is the disk folder of a theme named in site.yaml, which is
// relative to the folder holding the content folder.
func themeDir(src, name string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(src)), filepath.FromSlash(name))
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
		return "", render.ThemeError(err)
	}
	h := sha256.New()
	writeField(h, []byte(executableHash()))
	writeField(h, []byte(th))
	writeField(h, []byte(fmt.Sprintf("drafts=%t future=%t expired=%t minify=%t plain-assets=%t", opt.Drafts, opt.Future, opt.Expired, opt.Minify, opt.PlainAssets)))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// globalKey hashes what every page's rendering may read besides its own
// body: the identity, site.yaml, targets.yaml (the topic pages' cards and
// the home page's summary), the sizes of the images and attachments
// (content.Source.MediaKey) and every published page's front matter.
func globalKey(identity string, siteData, targetsData, media []byte, pages []*content.Page) []byte {
	h := sha256.New()
	writeField(h, []byte(identity))
	writeField(h, siteData)
	writeField(h, targetsData)
	writeField(h, media)
	for _, p := range pages {
		writeField(h, []byte(p.Path))
		writeField(h, p.FrontMatter)
	}
	return h.Sum(nil)
}

// scheduleUnchanged reports whether the pages published at now are those
// the last build published: now is not before that build's moment and not
// yet at the next scheduled change.
func scheduleUnchanged(m *manifest, now time.Time) bool {
	n := now.UnixNano()
	return n >= m.Now && (m.NextChange == 0 || n < m.NextChange)
}

// Schedule says when to build again, the line a build prints after its
// summary.
func (r *Result) Schedule() string {
	next := r.NextChange
	if next.IsZero() {
		return "schedule: nothing scheduled"
	}
	return "schedule: next change at " + next.Format(time.RFC3339) + ", build again then"
}

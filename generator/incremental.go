package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/output"
	"plansite/generator/render"
	"plansite/generator/search"
	"plansite/generator/targets"
)

// Rebuilder builds one site again and again in one process, for a preview
// server. It keeps a copy of the content folder in memory and re-reads only
// the files it is told have changed; it reuses the parsed front matter of
// every page whose bytes are unchanged and the HTML of every page whose
// inputs are unchanged; and it returns the whole site in memory instead of
// writing a folder. What it returns is byte for byte what Build writes for
// the same input (TestRebuilderEqualsBuild checks this after random edits).
//
// A page's HTML depends on the page's own file, site.yaml, the theme, the
// Drafts option and the topic pages, which every layout may list: pageData
// reads nothing else. The render cache key covers exactly these. If
// pageData ever reads other pages (a topic page listing its articles, say),
// add them to epoch, or the cache will serve stale pages.
//
// The search index is not part of Build's result: indexing every section of
// a large site takes seconds, far more than re-rendering one page, so
// Build hands back a SearchIndex to be built apart (plansite serve builds
// it in the background after serving the pages). The files of a Built and
// of its SearchIndex together are what Build writes.
//
// A Rebuilder is not safe for concurrent use; the SearchIndex values it
// returns are.
type Rebuilder struct {
	opt Options
	src *memFS
	// parsed holds the parsed pages by the first byte of their file's
	// bytes: memFS never shares or modifies those slices, so the pointer
	// names one version of one file and looks up faster than its path.
	// parsedAt is each shown path's current key.
	parsed   map[*byte]parsedPage
	parsedAt map[string]*byte
	rendered map[string]renderedPage
	prev     map[string][]byte
	memo     *render.Memo
	memoKey  restKey
	// lastEpoch is what the last epoch was computed from.
	lastEpoch *epochInputs
	// defaultSum is the hash of the embedded theme, computed once.
	defaultSum string
	r          *render.Renderer
	rTheme     string // the hash of r's theme
	index      *SearchIndex
}

// restKey is what the site-wide files kept in a render.Memo depend on.
type restKey struct {
	epoch [32]byte
	next  int64 // the next scheduled change, Unix ns; 0 for none
}

type parsedPage struct {
	name string
	body []byte
	page *content.Page
	errs content.Errors
}

// renderedPage is a page's HTML and what it was made from: the epoch and
// the page's file, by path and hash. Comparing these is cheaper than
// hashing them together for each of ten thousand pages on every edit.
type renderedPage struct {
	key  pageKey
	data []byte
	secs []markdown.Section // for the search index
	body string             // an update's body as HTML, for the feeds
}

type pageKey struct {
	epoch, sum [32]byte
	path       string
}

// Built is a complete site in memory.
type Built struct {
	// Files maps each output file's slash path below the site root to its
	// bytes. Neither the map nor the slices are modified afterwards.
	Files map[string][]byte
	// Changed lists, sorted, the files added, changed or removed since the
	// previous successful build (every file after the first).
	Changed []string
	// Rendered counts the pages rendered, not reused.
	Rendered int
	// Site is the site's settings.
	Site *content.Site
	// Search is the site's search index, whose files Files leaves out. It
	// is the previous build's SearchIndex itself when the indexed text is
	// unchanged, so comparing pointers tells whether it must be rebuilt.
	Search *SearchIndex
	Result
}

// SearchIndex is the search index of one build, built on first use. Its
// files are written to the site root beside the Built's Files; where a
// name is in both (a theme file at search/manifest.json, say), the Built's
// file wins, as in Build, which copies static files after writing the
// index.
type SearchIndex struct {
	// epoch is that of the build; with no page rendered since, the next
	// build indexes the same text.
	epoch [32]byte
	// pages, basePath and sections are the build's, which no later
	// build modifies: the documents are gathered off the build's
	// goroutine.
	pages    []*content.Page
	basePath string
	sections keptSections
	syn      []search.Synonym
	once     sync.Once
	files    map[string][]byte
	err      error
}

// Files builds the index, once; later and concurrent calls return the
// same map, which must not be modified.
func (x *SearchIndex) Files() (map[string][]byte, error) {
	x.once.Do(func() {
		docs, err := searchDocs(x.pages, x.basePath, x.sections)
		x.pages, x.sections = nil, nil // not needed any more
		if err != nil {
			x.err = err
			return
		}
		x.files, x.err = search.Build(docs, search.Options{Synonyms: x.syn})
	})
	return x.files, x.err
}

// NewRebuilder returns a Rebuilder for opt.Src. opt.Out is not used.
func NewRebuilder(opt Options) *Rebuilder {
	return &Rebuilder{opt: opt, parsed: map[*byte]parsedPage{}, parsedAt: map[string]*byte{}, rendered: map[string]renderedPage{}}
}

// Build builds the site after changes to the given files or folders, slash
// paths relative to the content folder (created, modified or removed alike).
// nil means that what changed is unknown: the whole folder is read again,
// as it is on the first call. A theme change needs no path: the theme is
// read on every call.
//
// On error the Rebuilder keeps its last good site, so the next Build reports
// only what changed since then.
func (r *Rebuilder) Build(ctx context.Context, changed []string) (*Built, error) {
	start := time.Now()
	logf := r.opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if r.src == nil || changed == nil {
		fresh, err := readMemFS(ctx, r.opt.Src, r.src)
		if err != nil {
			return nil, err
		}
		r.src = fresh
	} else {
		for _, p := range changed {
			r.src.refresh(p)
		}
		r.src.refreshLinks()
	}

	// r.parsed is only read while Load runs; what is parsed anew is
	// collected apart and merged after: copying 10,000 entries into a new
	// map on every edit would cost more than the parsing saved.
	fresh := map[string]parsedPage{}
	var parsedMu sync.Mutex // Load parses on several goroutines
	parse := func(name string, body []byte) (*content.Page, content.Errors) {
		pp, ok := r.parsed[unsafe.SliceData(body)]
		if len(body) == 0 || !ok || pp.name != name || !sameBytes(pp.body, body) {
			page, errs := content.ParsePage(name, body)
			pp = parsedPage{name: name, body: body, page: page, errs: errs}
			parsedMu.Lock()
			fresh[name] = pp
			parsedMu.Unlock()
		}
		if pp.page == nil {
			return nil, pp.errs
		}
		// Load fills in the page's kind, URL and topic: give it a copy.
		cp := *pp.page
		return &cp, pp.errs
	}
	root := filepath.ToSlash(r.opt.Src)
	stamps, err := r.src.stamps(ctx, func(p string) string { return path.Join(root, p) })
	if err != nil {
		return nil, err
	}
	src, err := content.Load(ctx, r.src, content.Options{
		Root: root, Drafts: r.opt.Drafts, Now: r.opt.Now, Future: r.opt.Future, Expired: r.opt.Expired,
		Workers: r.opt.Workers, Parse: parse, Files: stamps,
	})
	r.keepParsed(root, fresh)
	if err != nil {
		return nil, err
	}
	themeFS, err := resolveTheme(r.opt, src.Site, func(p string) string { return path.Join(root, p) })
	if err != nil {
		return nil, err
	}
	syn, err := siteSynonyms(src, root)
	if err != nil {
		return nil, err
	}
	epoch, themeSum, err := r.epoch(src, themeFS)
	if err != nil {
		return nil, err
	}
	// Parsing the theme and setting up goldmark and chroma cost tens of
	// milliseconds: keep the renderer while they would come out the same.
	rd := r.r
	if rd == nil || r.rTheme != themeSum || !rd.Suits(src) {
		if rd, err = render.New(src, themeFS, render.Options{PlainAssets: r.opt.PlainAssets}); err != nil {
			return nil, err
		}
		r.r, r.rTheme = rd, themeSum
	}
	rd.SetSource(src)

	files := make(map[string][]byte, len(r.prev))
	rendered := make(map[string]renderedPage, len(src.Pages))
	var misses []*content.Page
	keys := map[*content.Page]pageKey{}
	for _, p := range src.Pages {
		key := pageKey{epoch: epoch, sum: r.src.files[p.Path].sum, path: p.Path}
		name := render.PageFile(p)
		if old, ok := r.rendered[name]; ok && old.key == key {
			files[name] = old.data
			rendered[name] = old
			// The feeds would convert an update again otherwise.
			rd.KeepSections(p, old.secs, old.body)
			continue
		}
		keys[p] = key
		misses = append(misses, p)
	}
	out := output.NewMemory()
	if err := rd.Pages(ctx, out, misses, r.opt.Workers); err != nil {
		return nil, err
	}
	for _, p := range misses {
		name := render.PageFile(p)
		secs, body := rd.Kept(p)
		rendered[name] = renderedPage{key: keys[p], data: out.Memory()[name], secs: secs, body: body}
	}
	key := restKey{epoch: epoch}
	if !src.NextChange.IsZero() {
		key.next = src.NextChange.UnixNano()
	}
	if r.memo == nil || r.memoKey != key {
		r.memo, r.memoKey = render.NewMemo(), key
	}
	rd.Memo = r.memo
	if err := rd.Others(ctx, out, r.src); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var total int64
	for name, data := range out.Memory() {
		files[name] = data
	}
	for _, data := range files {
		total += int64(len(data))
	}
	// The documents are the published pages' front matter and sections:
	// unchanged when the epoch is and no page was rendered.
	if r.index == nil || r.index.epoch != epoch || len(misses) > 0 || !reflect.DeepEqual(r.index.syn, syn) {
		// Every page's sections are kept by now, rendered or reused.
		r.index = &SearchIndex{epoch: epoch, pages: src.Pages, basePath: rd.Model().BasePath(), sections: rd.KeptSections(), syn: syn}
	}
	res := &Built{
		Files:    files,
		Changed:  changedFiles(r.prev, files, out.Memory()),
		Rendered: len(misses),
		Site:     src.Site,
		Search:   r.index,
		Result:   Result{Pages: len(src.Pages), Files: len(files), Bytes: total, Elapsed: time.Since(start)},
	}
	r.rendered, r.prev = rendered, files
	logf("rebuilt: %d of %d pages rendered, %d files changed, in %v", len(misses), len(src.Pages), len(res.Changed), res.Elapsed.Round(time.Millisecond))
	return res, nil
}

// keepParsed adds the freshly parsed pages to r.parsed and drops the
// versions they replace and the pages of files that are gone.
func (r *Rebuilder) keepParsed(root string, fresh map[string]parsedPage) {
	for name, pp := range fresh {
		if len(pp.body) == 0 {
			continue // no key of its own: parsed again each time
		}
		key := unsafe.SliceData(pp.body)
		if old, ok := r.parsedAt[name]; ok && old != key {
			delete(r.parsed, old)
		}
		r.parsed[key], r.parsedAt[name] = pp, key
	}
	md := 0
	for p := range r.src.files {
		if strings.HasSuffix(p, ".md") {
			md++
		}
	}
	if len(r.parsedAt) <= md {
		return
	}
	// Load parses a file by its shown name, root/path.
	for name, key := range r.parsedAt {
		rel := strings.TrimPrefix(strings.TrimPrefix(name, root), "/")
		if f, ok := r.src.files[rel]; !ok || len(f.data) == 0 || unsafe.SliceData(f.data) != key {
			delete(r.parsed, key)
			delete(r.parsedAt, name)
		}
	}
}

// epoch hashes what every page's HTML depends on besides its own file:
// the theme, the options, site.yaml, the sizes of images and attachments
// and the front matter of every
// published page (the same rule as Build's globalKey). It returns the
// theme's hash too.
func (r *Rebuilder) epoch(src *content.Source, themeFS fs.FS) (sum [32]byte, themeSum string, err error) {
	if r.opt.Theme == nil && src.Site.Theme == "" {
		if r.defaultSum == "" {
			if r.defaultSum, err = hashFS(themeFS); err != nil {
				return sum, "", err
			}
		}
		themeSum = r.defaultSum
	} else if themeSum, err = hashFS(themeFS); err != nil {
		return sum, "", err
	}
	site := r.src.files[content.SiteFile]
	var tgSum [32]byte
	if tg := r.src.files[targets.FileName]; tg != nil {
		tgSum = tg.sum
	}
	identity := fmt.Sprintf("%s drafts=%t future=%t expired=%t", themeSum, r.opt.Drafts, r.opt.Future, r.opt.Expired)
	in := epochInputs{identity: identity, site: site.sum, targets: tgSum, media: src.MediaKey, pages: make([]pageFM, len(src.Pages))}
	for i, p := range src.Pages {
		in.pages[i] = pageFM{p.Path, p.FrontMatter}
	}
	// Hashing ten thousand pages' front matter costs more than comparing
	// them with the last build's, which a body edit leaves as they were.
	if r.lastEpoch != nil && r.lastEpoch.same(&in) {
		return r.lastEpoch.sum, themeSum, nil
	}
	copy(sum[:], globalKey(identity, site.sum[:], tgSum[:], src.MediaKey, src.Pages))
	in.sum = sum
	r.lastEpoch = &in
	return sum, themeSum, nil
}

// epochInputs is what an epoch was hashed from.
type epochInputs struct {
	identity string
	site     [32]byte
	targets  [32]byte
	media    []byte
	pages    []pageFM
	sum      [32]byte
}

type pageFM struct {
	path string
	fm   []byte
}

func (e *epochInputs) same(o *epochInputs) bool {
	return e.identity == o.identity && e.site == o.site && e.targets == o.targets && bytes.Equal(e.media, o.media) && slices.EqualFunc(e.pages, o.pages, func(a, b pageFM) bool {
		return a.path == b.path && (sameBytes(a.fm, b.fm) || bytes.Equal(a.fm, b.fm))
	})
}

// sameBytes reports whether a and b are the same slice, which for the
// content copy's never-modified slices means the same file version.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b))
}

// changedFiles is diffFiles(old, cur) for a cur that holds old's slices
// except for the files in fresh. It looks at fresh alone unless files
// went away: a rebuild after one edit should not compare 20,000 files.
func changedFiles(old, cur, fresh map[string][]byte) []string {
	var out []string
	added := 0
	for name, data := range fresh {
		o, ok := old[name]
		if !ok {
			added++
		}
		if !ok || !sameBytes(o, data) && !bytes.Equal(o, data) {
			out = append(out, name)
		}
	}
	if len(cur)-added != len(old) {
		return diffFiles(old, cur)
	}
	sort.Strings(out)
	return out
}

// diffFiles lists the files that differ between two sites, sorted.
func diffFiles(old, cur map[string][]byte) []string {
	var out []string
	for name, data := range cur {
		if o, ok := old[name]; !ok || !sameBytes(o, data) && !bytes.Equal(o, data) {
			out = append(out, name)
		}
	}
	for name := range old {
		if _, ok := cur[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"

	"plansite/generator/compress"
	"plansite/generator/content"
	"plansite/generator/linkcheck"
	sitemanifest "plansite/generator/manifest"
	"plansite/generator/output"
	"plansite/generator/render"
)

// BuildOnly reports whether output file name is one that Build writes
// for publishing and a Rebuilder (the preview of plansite serve) does not:
// manifest.json and the precompressed copies. Every other file a
// Rebuilder returns is byte for byte Build's.
func BuildOnly(name string) bool {
	if name == sitemanifest.Name {
		return true
	}
	enc, orig := compress.Encoding(name)
	return enc != "" && compress.Worth(orig, compress.MinSize+1)
}

// finisher stands between the renderer and the output folder and does
// what every file of a build gets, whatever wrote it: its links are read
// for the link check, its size and hash for manifest.json, and a text
// file over a kilobyte gets its precompressed copies when asked for.
// Files carried over unchanged from the last build are read back at the
// end, so the check and the manifest always cover the whole site.
type finisher struct {
	*output.Folder
	links    *linkcheck.Site
	compress bool
	// minify, when set, minifies HTML before it is written.
	minify *minify.M

	// compressed counts the files compressed in this build, not carried
	// over.
	compressed atomic.Int64

	mu     sync.Mutex
	files  []sitemanifest.File
	reused []string
}

func newFinisher(out *output.Folder, baseURL string, compress, minifyHTML bool) *finisher {
	f := &finisher{Folder: out, links: linkcheck.New(baseURL), compress: compress}
	if minifyHTML {
		f.minify = minify.New()
		// Every tag, end tag and quote stays: the page reads, validates
		// and is checked as before, only without the spaces and line
		// breaks no browser shows.
		f.minify.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	}
	return f
}

// Reuse carries file name over from the last build, with its compressed
// copies, which finish carries over too or makes again.
func (f *finisher) Reuse(name, key string) bool {
	if !f.Folder.Reuse(name, key) {
		return false
	}
	f.mu.Lock()
	f.reused = append(f.reused, name)
	f.mu.Unlock()
	return true
}

// Write writes one file and what goes with it.
func (f *finisher) Write(name, key string, data []byte) error {
	if f.minify != nil && strings.HasSuffix(name, ".html") {
		b := f.Folder.Buffer()
		defer f.Folder.Release(b)
		if err := f.minify.Minify("text/html", b, bytes.NewReader(data)); err != nil {
			return fmt.Errorf("minifying %s: %w", name, err)
		}
		data = b.Bytes()
	}
	if err := f.Folder.Write(name, key, data); err != nil {
		return err
	}
	f.note(name, data)
	if f.compress && compress.Worth(name, len(data)) {
		return f.copies(name, data)
	}
	return nil
}

// copies writes the compressed copies of file name, or carries them over
// from the last build when name is unchanged.
func (f *finisher) copies(name string, data []byte) error {
	var made [][]byte
	for i, v := range compress.Variants {
		cname := name + v.Suffix
		if f.Folder.ReuseCopy(cname, name) {
			f.noteKept(cname)
			continue
		}
		if made == nil {
			made = compress.Of(data)
			f.compressed.Add(1)
		}
		if err := f.Folder.Write(cname, "", made[i]); err != nil {
			return err
		}
		f.note(cname, made[i])
	}
	return nil
}

// noteKept notes a file carried over from the last build that is not a
// page: its name and recorded hash are all the link check and the
// manifest need.
func (f *finisher) noteKept(name string) {
	info, _ := f.Folder.Info(name)
	f.links.Add(name, nil)
	f.mu.Lock()
	f.files = append(f.files, sitemanifest.File{Path: name, Size: info.Size, SHA256: info.Hash})
	f.mu.Unlock()
}

func (f *finisher) note(name string, data []byte) {
	f.links.Add(name, data)
	var e sitemanifest.File
	if info, ok := f.Folder.Info(name); ok && info.Hash != "" {
		// A build with a cache hashed it already.
		e = sitemanifest.File{Path: name, Size: info.Size, SHA256: info.Hash}
	} else {
		e = sitemanifest.Of(name, data)
	}
	f.mu.Lock()
	f.files = append(f.files, e)
	f.mu.Unlock()
}

// finish reads back the files carried over, checks the links and writes
// manifest.json. pageOf finds the page an output file was rendered from,
// to place a broken link in its Markdown source.
func (f *finisher) finish(srcFS fs.FS, show func(string) string, pageOf map[string]*content.Page) error {
	slices.Sort(f.reused)
	for _, name := range f.reused {
		data, err := f.Folder.Read(name)
		if err != nil {
			return err
		}
		f.note(name, data)
		if !f.compress || !compress.Worth(name, len(data)) {
			continue
		}
		if err := f.copies(name, data); err != nil {
			return err
		}
	}
	if broken := f.links.Broken(); len(broken) > 0 {
		if !f.links.Has("index.html") {
			// Every page of a theme links home: one error says it all.
			return &content.Error{Path: show("_index.md"), Err: errors.New("the site has no home page, which every page links to: add this file (front matter with a title, then the home page's text)")}
		}
		return brokenLinks(broken, srcFS, show, pageOf)
	}
	return f.Folder.Write(sitemanifest.Name, "", sitemanifest.New(f.files).Encode())
}

// brokenLinks turns broken links into errors a clerk can act on: a link
// found in the page's Markdown is reported at its line; any other was
// written by the theme's layouts, and is reported once for all the pages
// that carry it.
func brokenLinks(broken []linkcheck.Broken, srcFS fs.FS, show func(string) string, pageOf map[string]*content.Page) error {
	var errs content.Errors
	type themeLink struct{ link, reason string }
	theme := map[themeLink][]string{}
	var order []themeLink
	for _, b := range broken {
		if u, err := url.PathUnescape(b.Link); err == nil {
			b.Link = u // as the Markdown has it, Chinese and all
		}
		if p := pageOf[b.File]; p != nil {
			if data, err := fs.ReadFile(srcFS, p.Path); err == nil {
				if line := lineOf(data, p.BodyLine, b.Link); line > 0 {
					errs = append(errs, &content.Error{Path: show(p.Path), Line: line,
						Err: fmt.Errorf("broken link %q: %s", b.Link, b.Reason)})
					continue
				}
			}
		}
		k := themeLink{b.Link, b.Reason}
		if _, ok := theme[k]; !ok {
			order = append(order, k)
		}
		theme[k] = append(theme[k], b.File)
	}
	for _, k := range order {
		files := theme[k]
		where := files[0]
		if len(files) > 1 {
			where = fmt.Sprintf("%s and %d other files", files[0], len(files)-1)
		}
		errs = append(errs, &content.Error{Path: "theme layouts",
			Err: fmt.Errorf("broken link %q in %s (not from a Markdown file: check the theme's templates): %s", k.link, where, k.reason)})
	}
	return errs.Err()
}

// lineOf returns the line of the Markdown source holding link, searching
// from the body's first line; 0 when it is not there as written.
func lineOf(src []byte, bodyLine int, link string) int {
	cands := []string{link}
	if u, err := url.PathUnescape(link); err == nil && u != link {
		cands = append(cands, u)
	}
	for _, c := range slices.Clone(cands) {
		if i := strings.IndexByte(c, '#'); i > 0 {
			cands = append(cands, c[:i])
		}
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	for n := max(bodyLine, 1); n <= len(lines); n++ {
		for _, c := range cands {
			if bytes.Contains(lines[n-1], []byte("("+c)) || bytes.Contains(lines[n-1], []byte(c)) {
				return n
			}
		}
	}
	return 0
}

var _ render.Sink = (*finisher)(nil)

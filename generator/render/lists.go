package render

import (
	"bytes"
	"context"
	"html/template"
	"maps"
	"path"
	"slices"
	"strings"

	"plansite/generator/site"
)

// step is one part of Others, writing its files to a Sink.
type step func(context.Context, Sink) error

// Memo keeps the files of the site-wide outputs that read nothing but
// settings, theme, options, published pages' front matter and the next
// scheduled change: the site map, the lists of updates, alias pages,
// sitemap.xml, robots.txt and schedule.json. A Rebuilder keeps one Memo
// while those inputs stay the same (a body edit leaves them so): on a
// 10,000-page site the HTML site map alone costs more to render than the
// edited page.
type Memo struct {
	steps map[string]map[string][]byte // by step name: files by name
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{steps: map[string]map[string][]byte{}} }

// memoized wraps a step that may be kept in r.Memo; without one it is the
// step itself. The kept files are written again at the step's place, so a
// later step still overrides them as it would otherwise.
func (r *Renderer) memoized(name string, s step) step {
	m := r.Memo
	if m == nil {
		return s
	}
	return func(ctx context.Context, out Sink) error {
		files, ok := m.steps[name]
		if !ok {
			rec := &recorder{files: map[string][]byte{}}
			if err := s(ctx, rec); err != nil {
				return err
			}
			files = rec.files
			m.steps[name] = files
		}
		if fa, ok := out.(fileAdder); ok {
			// The same slices, not copies: the Rebuilder's comparison
			// with the last build sees them unchanged at once.
			fa.AddFiles(files)
			return nil
		}
		for _, name := range sortedNames(files) {
			if err := out.Write(name, "", files[name]); err != nil {
				return err
			}
		}
		return nil
	}
}

// recorder is a Sink that keeps what it is given, for a Memo.
type recorder struct {
	files map[string][]byte
	buf   []byte
}

func (*recorder) Buffer() *bytes.Buffer     { return new(bytes.Buffer) }
func (*recorder) Release(*bytes.Buffer)     {}
func (*recorder) Reuse(string, string) bool { return false }
func (rec *recorder) Write(name, _ string, data []byte) error {
	rec.files[name] = bytes.Clone(data)
	return nil
}

func sortedNames(files map[string][]byte) []string {
	return slices.Sorted(maps.Keys(files))
}

// updateLists writes /updates/, /updates/page/2/ and so on.
func (r *Renderer) updateLists(ctx context.Context, out Sink) error {
	for _, pg := range site.Paginate(len(r.src.Updates), site.UpdatesPerPage) {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, u := r.model.UpdateList(pg)
		if err := r.execute(out, "updates", d, path.Join(strings.TrimPrefix(u, "/"), "index.html"), ""); err != nil {
			return err
		}
	}
	return nil
}

// aliasPage is the page left at an old address. It is not themed: it only
// sends the reader on, and tells search engines where the page lives now.
var aliasPage = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.URL}}">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p>本页已移至：<a href="{{.URL}}">{{.Title}}</a></p>
</body>
</html>
`))

// aliases writes a redirecting page at each old address of every
// published page. Load has checked that no alias meets another file.
func (r *Renderer) aliases(ctx context.Context, out Sink) error {
	for _, p := range r.src.Pages {
		for _, a := range p.Aliases {
			if err := ctx.Err(); err != nil {
				return err
			}
			file := strings.TrimPrefix(a, "/")
			if strings.HasSuffix(a, "/") {
				file += "index.html"
			}
			w := out.Buffer()
			err := aliasPage.Execute(w, map[string]string{"Lang": r.src.Site.Language, "Title": p.Title, "URL": r.model.AbsURL(p.URL)})
			if err == nil {
				err = out.Write(file, "", w.Bytes())
			}
			out.Release(w)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Package theme loads a site's theme: html/template layouts and static
// files, from the embedded default theme overlaid file by file with a
// site's own theme folder.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
)

// Layouts every theme provides. Each is executed with base.html.
var layoutNames = []string{"home", "topic", "page", "update", "updates", "search", "404"}

// Layouts a theme may provide; the engine skips the page without one.
var optionalLayouts = []string{"sitemap", "targets"}

// Theme is a parsed theme, safe for concurrent use.
type Theme struct {
	fsys    fs.FS
	layouts map[string]*template.Template
}

// Load parses the layouts of fsys. funcs are made available to every
// template.
func Load(fsys fs.FS, funcs template.FuncMap) (*Theme, error) {
	base, err := template.New("base.html").Funcs(funcs).ParseFS(fsys, "layouts/base.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	if partials, _ := fs.Glob(fsys, "layouts/partials/*.html"); len(partials) > 0 {
		if _, err := base.ParseFS(fsys, "layouts/partials/*.html"); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
	}
	t := &Theme{fsys: fsys, layouts: map[string]*template.Template{}}
	names := layoutNames
	for _, name := range optionalLayouts {
		if _, err := fs.Stat(fsys, "layouts/"+name+".html"); err == nil {
			names = append(names[:len(names):len(names)], name)
		}
	}
	for _, name := range names {
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		if _, err := clone.ParseFS(fsys, "layouts/"+name+".html"); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		t.layouts[name] = clone
	}
	return t, nil
}

// Has reports whether the theme has the layout.
func (t *Theme) Has(layout string) bool {
	_, ok := t.layouts[layout]
	return ok
}

// Execute renders layout with data into w. The output is buffered so a
// template error never leaves half a page behind.
func (t *Theme) Execute(w io.Writer, layout string, data any) error {
	tmpl, ok := t.layouts[layout]
	if !ok {
		return fmt.Errorf("theme: no layout %q", layout)
	}
	if bw, ok := w.(*bytes.Buffer); ok {
		// The build's own (pooled) buffers: render in place, saving a copy
		// of every page, and cut a failed page off again.
		n := bw.Len()
		if err := tmpl.ExecuteTemplate(bw, "base.html", data); err != nil {
			bw.Truncate(n)
			return fmt.Errorf("theme: layout %s: %w", layout, err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "base.html", data); err != nil {
		return fmt.Errorf("theme: layout %s: %w", layout, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// StaticFiles lists the theme's static files, sorted, as paths below static/.
func (t *Theme) StaticFiles() ([]string, error) {
	var files []string
	err := fs.WalkDir(t.fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "static" {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A link the theme's folder may not follow: say so rather
			// than leave the file out.
			if _, err := fs.Stat(t.fsys, p); err != nil {
				return err
			}
		}
		if d.Type().IsRegular() {
			files = append(files, p[len("static/"):])
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// ReadStatic reads a static file by its path below static/.
func (t *Theme) ReadStatic(name string) ([]byte, error) {
	return fs.ReadFile(t.fsys, path.Join("static", name))
}

// Overlay returns a file system in which top's files replace base's of the
// same name and folders hold the entries of both.
func Overlay(top, base fs.FS) fs.FS {
	return overlay{top: top, base: base}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// A file top has but cannot give (a link it may not follow)
		// must not be replaced by base's.
		return nil, err
	}
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
		if serr == nil {
			// A folder: serve base's, whose ReadDir the overlay merges.
			if bf, berr := o.base.Open(name); berr == nil {
				return bf, nil
			}
			return o.top.Open(name)
		}
	}
	return o.base.Open(name)
}

// ReadDir merges both folders' entries, top's winning.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	topEntries, terr := fs.ReadDir(o.top, name)
	baseEntries, berr := fs.ReadDir(o.base, name)
	if terr != nil && berr != nil {
		return nil, berr
	}
	for _, e := range baseEntries {
		seen[e.Name()] = e
	}
	for _, e := range topEntries {
		seen[e.Name()] = e
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Package scaffold writes the skeleton of a new site: the settings with a
// comment on each field, a home page, an example topic and update, the
// seeds folder the importer reads from, and a .gitignore. The skeleton is
// embedded, so the command works from any folder.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"plansite/generator/atomicfile"
	"plansite/generator/importer"
)

//go:embed all:skeleton
var skeleton embed.FS

// renamed maps skeleton names that cannot be stored under their own name
// (a .gitignore in the engine's tree would apply to the tree itself) to
// the names they get in the new site.
var renamed = map[string]string{"gitignore": ".gitignore"}

// ErrNotEmpty is returned when the folder for a new site holds files.
var ErrNotEmpty = errors.New("folder is not empty")

// NewSite writes a new site into dir, creating it if needed, and returns
// the slash paths of the files written, sorted. It refuses a folder that
// holds anything, so nothing of the press office's is ever overwritten.
func NewSite(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case len(entries) > 0:
		return nil, fmt.Errorf("%s: %w (it holds %s): give a new or empty folder", dir, ErrNotEmpty, entries[0].Name())
	}
	var names []string
	err = fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var written []string
	for _, p := range names {
		data, err := skeleton.ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel := p[len("skeleton/"):]
		if to, ok := renamed[rel]; ok {
			rel = to
		}
		if rel == "content/_index.md" {
			// The placeholder home page gives way to the report's.
			if data, err = importer.Stamp(data); err != nil {
				return nil, fmt.Errorf("skeleton %s: %w", rel, err)
			}
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := atomicfile.Create(dst, data, 0o644); err != nil {
			return nil, err
		}
		written = append(written, path.Clean(rel))
	}
	return written, nil
}

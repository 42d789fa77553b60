package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"plansite/generator/confine"
	"plansite/generator/content"
)

// memFS is a Rebuilder's copy of the content folder: the files content.Load
// would read, with the hash of each. Links are followed when read, as Load
// follows them; a file that cannot be read keeps its error, so Load reports
// it in the same words as on disk. Its slices are never modified, which
// lets ReadFile hand them out without copying.
type memFS struct {
	root string
	src  *confine.FS
	// links are the paths of the symbolic links met, followed or not: a
	// change reported at a link's target is one at the link too, so
	// refreshLinks reads them again after every change.
	links map[string]bool
	files map[string]*memFile
	dirs  map[string][]fs.DirEntry // built on demand; nil after a change
	// scanned is content.Scan of the folder, kept while no file comes or
	// goes: walking 10,000 entries again would cost milliseconds of every
	// rebuild. at indexes it by path.
	scanned []content.FileStamp
	at      map[string]int
}

type memFile struct {
	data []byte
	sum  [32]byte
	err  error       // the error reading it gave
	mode fs.FileMode // fs.ModeSymlink for a link that cannot be followed
}

// readMemFS reads the whole content folder, through confine's rule as a
// build reads it. Files whose bytes are those of old keep old's slices, so
// the caches keyed on them stay valid.
func readMemFS(ctx context.Context, root string, old *memFS) (*memFS, error) {
	label := filepath.ToSlash(root)
	src, _, _, err := openSources(root, label)
	if err != nil {
		// Load reports a broken site.yaml; its files are read all the same.
		if src, err = confine.New(root, label, nil); err != nil {
			return nil, err
		}
	}
	m := &memFS{root: root, src: src, files: map[string]*memFile{}, links: map[string]bool{}}
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				// Load reports a missing site.yaml, as for an empty folder.
				return fs.SkipAll
			}
			m.files[p] = &memFile{err: err}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if confine.IsLink(d) && !content.Ignored(d.Name()) {
			m.links[p] = true
		}
		if p != "." && content.Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if f := m.read(p, d.Type()); f != nil {
			if old != nil {
				if o, ok := old.files[p]; ok && o.err == nil && f.err == nil && o.sum == f.sum {
					f = o
				}
			}
			m.files[p] = f
		}
		return nil
	})
	return m, err
}

// read reads one file; nil means Load would not see it. typ is its entry's
// type from the confined folder: a link there is one it may not follow.
func (m *memFS) read(rel string, typ fs.FileMode) *memFile {
	if typ&fs.ModeSymlink != 0 {
		_, err := m.src.Stat(rel)
		if err == nil {
			err = &fs.PathError{Op: "stat", Path: rel, Err: fs.ErrInvalid}
		}
		return &memFile{err: err, mode: fs.ModeSymlink}
	} else if !typ.IsRegular() {
		return nil
	}
	data, err := m.src.ReadFile(rel)
	if err != nil {
		return &memFile{err: err}
	}
	return &memFile{data: data, sum: sha256.Sum256(data)}
}

// refresh reads again one changed path, which may now be a file, a folder
// or nothing.
func (m *memFS) refresh(rel string) {
	rel = path.Clean(strings.TrimPrefix(filepath.ToSlash(rel), "/"))
	if rel == "." || strings.HasPrefix(rel, "../") || rel == ".." {
		return
	}
	for _, seg := range strings.Split(rel, "/") {
		if content.Ignored(seg) {
			return
		}
	}
	isLink := false
	if fi, err := os.Lstat(filepath.Join(m.root, filepath.FromSlash(rel))); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		m.links[rel] = true
		isLink = true
	}
	fi, err := m.src.Stat(rel)
	var le *confine.LinkError
	switch {
	case err != nil && (isLink || errors.As(err, &le)):
		// A link that cannot be followed is a file lost, reported.
		m.remove(rel)
		m.put(rel, &memFile{err: err, mode: fs.ModeSymlink})
	case err != nil:
		m.remove(rel)
	case fi.IsDir():
		m.remove(rel)
		fs.WalkDir(m.src, rel, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if p != rel && content.Ignored(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if confine.IsLink(d) {
				m.links[p] = true
			}
			if d.IsDir() {
				return nil
			}
			m.put(p, m.read(p, d.Type()))
			return nil
		})
	default:
		m.put(rel, m.read(rel, fi.Mode().Type()))
	}
}

// refreshLinks reads every known link again, after the changes reported
// (which name targets, not the links that lead to them) were applied.
func (m *memFS) refreshLinks() {
	for _, l := range slices.Sorted(maps.Keys(m.links)) {
		m.refresh(l)
	}
}

func (m *memFS) put(rel string, f *memFile) {
	old, ok := m.files[rel]
	switch {
	case f == nil:
		m.remove(rel)
	case ok && old.err == nil && f.err == nil && old.sum == f.sum:
		// Unchanged bytes: keep the old slice for the caches.
	default:
		m.files[rel] = f
		i, known := m.at[rel]
		switch {
		case !ok:
			m.dirs = nil
			m.scanned, m.at = nil, nil
		case known && old.err == nil && f.err == nil && old.mode == f.mode:
			// Only the bytes changed. The slice may belong to an
			// earlier Source: change a copy.
			m.scanned = slices.Clone(m.scanned)
			m.scanned[i].Size = int64(len(f.data))
		default:
			m.scanned, m.at = nil, nil
		}
	}
}

// stamps returns content.Scan of the folder, or nil when the scan found
// an error, so that content.Load scans again and reports it.
func (m *memFS) stamps(ctx context.Context, show func(string) string) ([]content.FileStamp, error) {
	if m.scanned != nil {
		return m.scanned, nil
	}
	files, errs, err := content.Scan(ctx, m, show)
	if err != nil || len(errs) > 0 {
		return nil, err
	}
	m.scanned, m.at = files, make(map[string]int, len(files))
	for i, f := range files {
		m.at[f.Path] = i
	}
	return files, nil
}

// remove forgets rel and, if it was a folder, everything below it.
func (m *memFS) remove(rel string) {
	m.scanned, m.at = nil, nil
	if _, ok := m.files[rel]; ok {
		delete(m.files, rel)
		m.dirs = nil
		return
	}
	prefix := rel + "/"
	for p := range m.files {
		if strings.HasPrefix(p, prefix) {
			delete(m.files, p)
			m.dirs = nil
		}
	}
}

func (m *memFS) index() map[string][]fs.DirEntry {
	if m.dirs != nil {
		return m.dirs
	}
	dirs := map[string][]fs.DirEntry{".": nil}
	for p, f := range m.files {
		dir, name := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		dirs[dir] = append(dirs[dir], fs.FileInfoToDirEntry(&memInfo{name: name, f: f}))
		// Make each ancestor folder an entry of its parent, once.
		for dir != "." {
			parent, base := path.Split(dir)
			parent = strings.TrimSuffix(parent, "/")
			if parent == "" {
				parent = "."
			}
			if _, seen := dirs[dir+"/"]; seen {
				break
			}
			dirs[dir+"/"] = nil
			dirs[parent] = append(dirs[parent], fs.FileInfoToDirEntry(&memInfo{name: base, dir: true}))
			dir = parent
		}
	}
	for k, es := range dirs {
		if strings.HasSuffix(k, "/") {
			delete(dirs, k)
			continue
		}
		sort.Slice(es, func(i, j int) bool { return es[i].Name() < es[j].Name() })
	}
	m.dirs = dirs
	return dirs
}

func notExist(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: syscall.ENOENT}
}

// Open implements fs.FS.
func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := m.files[name]; ok {
		if f.err != nil {
			return nil, f.err
		}
		return &memOpen{info: &memInfo{name: path.Base(name), f: f}, r: bytes.NewReader(f.data)}, nil
	}
	if es, ok := m.index()[name]; ok {
		return &memOpen{info: &memInfo{name: path.Base(name), dir: true}, entries: es}, nil
	}
	return nil, notExist("open", name)
}

// ReadFile implements fs.ReadFileFS without copying; callers must not
// modify the result.
func (m *memFS) ReadFile(name string) ([]byte, error) {
	f, ok := m.files[name]
	if !ok {
		return nil, notExist("open", name)
	}
	if f.err != nil {
		return nil, f.err
	}
	return f.data, nil
}

// ReadDir implements fs.ReadDirFS.
func (m *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, ok := m.index()[name]
	if !ok {
		return nil, notExist("open", name)
	}
	return append([]fs.DirEntry(nil), es...), nil
}

// Stat implements fs.StatFS.
func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	if f, ok := m.files[name]; ok {
		if f.err != nil {
			return nil, f.err
		}
		return &memInfo{name: path.Base(name), f: f}, nil
	}
	if _, ok := m.index()[name]; ok {
		return &memInfo{name: path.Base(name), dir: true}, nil
	}
	return nil, notExist("stat", name)
}

type memInfo struct {
	name string
	f    *memFile
	dir  bool
}

func (i *memInfo) Name() string { return i.name }
func (i *memInfo) Size() int64 {
	if i.f == nil {
		return 0
	}
	return int64(len(i.f.data))
}
func (i *memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return i.f.mode | 0o644
}
func (i *memInfo) ModTime() time.Time { return time.Time{} }
func (i *memInfo) IsDir() bool        { return i.dir }
func (i *memInfo) Sys() any           { return nil }

type memOpen struct {
	info    *memInfo
	r       *bytes.Reader
	entries []fs.DirEntry
	off     int
}

func (o *memOpen) Stat() (fs.FileInfo, error) { return o.info, nil }
func (o *memOpen) Close() error               { return nil }
func (o *memOpen) Read(b []byte) (int, error) {
	if o.r == nil {
		return 0, &fs.PathError{Op: "read", Path: o.info.name, Err: syscall.EISDIR}
	}
	return o.r.Read(b)
}

// ReadDir implements fs.ReadDirFile.
func (o *memOpen) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := o.entries[o.off:]
	if n <= 0 {
		o.off = len(o.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	o.off += len(rest)
	return rest, nil
}

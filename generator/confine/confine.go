// Package confine owns the rule that nothing outside a source folder is
// ever read into a site: it provides a read-only file system over a folder
// (content/, a theme, seeds/) that follows a symbolic link only while the
// link's target stays inside the folder, or inside a folder the site lists
// explicitly. A link that leads out, or back to a folder it lies in (a
// loop), is an error naming the link, never a silent copy and never a hang.
//
// It knows nothing of pages or sites; content loading, the theme and the
// importer read through it.
package confine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// LinkError is a symbolic link that may not be followed. It carries no path
// of the link itself: the *fs.PathError around it, or the caller's error
// naming the file, says which link it is.
type LinkError struct {
	// Root is the folder's name as the user knows it, e.g. "content".
	Root string
	// Target is where the link leads: the resolved folder or file outside
	// Root, or for a loop the folder the link returns to.
	Target string
	// Dir is set when the target is a folder.
	Dir bool
	// Loop is set for a link that leads back to a folder it lies in, or
	// to itself through other links.
	Loop bool
}

func (e *LinkError) Error() string {
	what := "file"
	if e.Dir {
		what = "folder"
	}
	if e.Loop {
		return fmt.Sprintf("symbolic link loop (it leads back to %s): remove the link or point it at a file", e.Target)
	}
	return fmt.Sprintf("symbolic link to a %s outside %s/ (%s): copy the %s into %s/ instead", what, e.Root, e.Target, what, e.Root)
}

// FS is a folder read through the rule above. Its errors are
// *fs.PathError whose Path is the file's name below the folder's label
// ("content/passwd.txt"), the name a clerk knows. It implements fs.FS,
// fs.ReadDirFS, fs.ReadFileFS and fs.StatFS. ReadDir reports a link that
// may be followed as what it points to, so fs.WalkDir descends into linked
// folders; a link that may not be followed keeps the type fs.ModeSymlink,
// and opening or statting it returns a *LinkError.
type FS struct {
	root  string   // absolute, links resolved
	label string   // shown in errors
	allow []string // absolute, links resolved
}

// New returns the folder root, shown in errors as label. Links may also
// lead into the folders of allow (absolute, or relative to the working
// folder). A root that does not exist is no error here: reading from it
// reports that, as os.DirFS would.
func New(root, label string, allow []string) (*FS, error) {
	r, err := realPath(root)
	if err != nil {
		return nil, err
	}
	f := &FS{root: r, label: strings.TrimSuffix(label, "/")}
	for _, a := range allow {
		ra, err := realPath(a)
		if err != nil {
			return nil, err
		}
		f.allow = append(f.allow, ra)
	}
	return f, nil
}

// realPath is p made absolute with its links resolved, or just absolute
// when it does not exist.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r, nil
	}
	return abs, nil
}

// Root is the folder's absolute path, links resolved.
func (f *FS) Root() string { return f.root }

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) ||
		strings.HasSuffix(dir, string(filepath.Separator)) && strings.HasPrefix(p, dir)
}

func (f *FS) allowed(p string) bool {
	if within(p, f.root) {
		return true
	}
	for _, a := range f.allow {
		if within(p, a) {
			return true
		}
	}
	return false
}

// resolve turns a slash path below the root into a real path, following
// each link on the way under the rule. The folders already passed are
// kept, so that a link leading back to one of them is a loop.
func (f *FS) resolve(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: f.named(name), Err: fs.ErrInvalid}
	}
	cur := f.root
	if name == "." {
		return cur, nil
	}
	passed := []string{cur}
	for part := range strings.SplitSeq(name, "/") {
		next := filepath.Join(cur, part)
		fi, err := os.Lstat(next)
		if err != nil {
			return "", &fs.PathError{Op: op, Path: f.named(name), Err: unwrap(err)}
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if next, err = f.follow(next, passed); err != nil {
				return "", &fs.PathError{Op: op, Path: f.named(name), Err: err}
			}
		}
		cur = next
		passed = append(passed, cur)
	}
	return cur, nil
}

// named is name as shown in errors.
func (f *FS) named(name string) string {
	return path.Join(f.label, name)
}

// follow resolves the link at p, whose folders on the way from the root
// are passed.
func (f *FS) follow(p string, passed []string) (string, error) {
	target, err := os.Readlink(p)
	if err != nil {
		return "", unwrap(err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(p), target)
	}
	real, err := filepath.EvalSymlinks(target)
	if err != nil {
		// The system tells a loop of links from a missing target.
		_, serr := os.Stat(p)
		if errors.Is(serr, syscall.ELOOP) {
			return "", &LinkError{Root: f.label, Target: f.show(filepath.Clean(target)), Loop: true}
		}
		if !f.allowed(filepath.Clean(target)) {
			return "", &LinkError{Root: f.label, Target: filepath.Clean(target)}
		}
		if serr == nil {
			serr = err
		}
		return "", unwrap(serr)
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", unwrap(err)
	}
	if !f.allowed(real) {
		return "", &LinkError{Root: f.label, Target: real, Dir: st.IsDir()}
	}
	if st.IsDir() {
		for _, d := range passed {
			if within(d, real) {
				return "", &LinkError{Root: f.label, Target: f.show(real), Dir: true, Loop: true}
			}
		}
	}
	return real, nil
}

// show names a real path inside the root the way the user knows it.
func (f *FS) show(real string) string {
	if rel, err := filepath.Rel(f.root, real); err == nil && within(real, f.root) {
		if rel == "." {
			return f.label + "/"
		}
		return path.Join(f.label, filepath.ToSlash(rel))
	}
	return real
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	p, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: f.named(name), Err: unwrap(err)}
	}
	return &openFile{File: file, fsys: f, name: name}, nil
}

// openFile is an open file or folder seen under the name it was opened
// by, whose folder entries follow the rule as FS.ReadDir's do.
type openFile struct {
	*os.File
	fsys *FS
	name string
}

func (o *openFile) Stat() (fs.FileInfo, error) {
	st, err := o.File.Stat()
	if err != nil {
		return nil, err
	}
	return renamed{st, path.Base(o.name)}, nil
}

func (o *openFile) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := o.File.ReadDir(n)
	o.fsys.followEntries(o.name, entries)
	return entries, err
}

// ReadFile implements fs.ReadFileFS.
func (f *FS) ReadFile(name string) ([]byte, error) {
	p, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: f.named(name), Err: unwrap(err)}
	}
	return data, nil
}

// Stat implements fs.StatFS. The information is the target's; its name
// is the one asked for.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	p, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: f.named(name), Err: unwrap(err)}
	}
	return renamed{st, path.Base(name)}, nil
}

// ReadDir implements fs.ReadDirFS, in name order.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: f.named(name), Err: unwrap(err)}
	}
	f.followEntries(name, entries)
	return entries, nil
}

// followEntries replaces the entries of folder name that are links that
// may be followed by what they lead to.
func (f *FS) followEntries(name string, entries []fs.DirEntry) {
	for i, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		if st, err := f.Stat(path.Join(name, e.Name())); err == nil {
			entries[i] = linkEntry{fs.FileInfoToDirEntry(st)}
		}
	}
}

// linkEntry is a folder entry that is a link FS follows.
type linkEntry struct{ fs.DirEntry }

// IsLink reports whether a folder entry from FS is a symbolic link, one it
// follows or one it refuses. A copy of the folder taken entry by entry
// needs to know: a change to a link's target changes the link's file too.
func IsLink(d fs.DirEntry) bool {
	_, ok := d.(linkEntry)
	return ok || d.Type()&fs.ModeSymlink != 0
}

// renamed is a target's information under the link's name.
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// ReadFile reads the file p, a path the user named, following links only
// while they stay in p's own folder: what the user names is trusted, where
// a link in it leads is not.
func ReadFile(p string) ([]byte, error) {
	dir, base := filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	f, err := New(dir, filepath.ToSlash(filepath.Clean(dir)), nil)
	if err != nil {
		return nil, err
	}
	data, err := f.ReadFile(base)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = p
	}
	return data, err
}

var _ interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
} = (*FS)(nil)

// Package output owns writing a build to disk: the working folder beside
// the output, the atomic swap that replaces the output with it and the
// platform calls behind that swap, the lock that keeps two builds of one
// output apart and the removal of what killed builds left, the detection
// of files unchanged since the last build (hard-linked instead of
// rewritten), and the in-memory folder that plansite serve builds into.
//
// It knows files by slash path and bytes only: nothing about pages,
// templates or content. It must not import the build's higher stages
// (plansite/generator, render, site).
package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

// Folder is a build's folder under construction: a temporary folder beside
// the real output that replaces it only when the build succeeds.
//
// With a cache, the temporary folder is not built from nothing: it starts
// as the spare tree, the output of the build before last, kept in the
// cache folder after the previous swap. Only files that differ from what
// the spare holds are written; unchanged pages are hard links to the live
// files. The swap then puts the previous output where the spare was. So a
// build that changes one page writes one file and deletes nothing, instead
// of writing and deleting a whole site.
type Folder struct {
	dir, tmp string
	files    atomic.Int64
	bytes    atomic.Int64
	reused   atomic.Int64
	dirs     sync.Map // created folders, to skip repeated MkdirAll calls
	bufs     sync.Pool
	// live describes the live output folder as the last build left it;
	// nil without a usable cache.
	live map[string]FileInfo
	// base describes what tmp held before this build (the spare tree);
	// nil when tmp started empty.
	base map[string]FileInfo

	mu      sync.Mutex
	written map[string]FileInfo

	// mem, when set, receives the files instead of the disk: a Rebuilder
	// keeps its site in memory.
	mem map[string][]byte
	// untracked: see SetUntracked.
	untracked bool
	// room, when set, is the space left on a pretend disk that fills up:
	// the fault tests' way to check a disk filling mid-build.
	room *atomic.Int64
}

// NewMemory returns a Folder that keeps its files in memory.
func NewMemory() *Folder {
	o := &Folder{mem: map[string][]byte{}, written: map[string]FileInfo{}}
	o.bufs.New = func() any { return new(bytes.Buffer) }
	return o
}

// New prepares the temporary folder for a build of dir. live lists the
// files of dir as the last build left them (nil when unknown). spare, if
// not empty, is where the build before last was kept, and spareFiles lists
// its files.
func New(dir string, live map[string]FileInfo, spare string, spareFiles map[string]FileInfo) (*Folder, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := checkReplaceable(dir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, buildingPrefix(dir))
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	o := &Folder{dir: dir, tmp: tmp, live: live, written: map[string]FileInfo{}}
	o.bufs.New = func() any { return new(bytes.Buffer) }
	if spare != "" && live != nil && spareFiles != nil {
		// os.Rename refuses to replace a folder, even an empty one; the
		// unique name stays ours between the two calls.
		if err := os.Remove(tmp); err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		if err := os.Rename(spare, tmp); err == nil {
			o.base = spareFiles
		} else if err := os.Mkdir(tmp, 0o755); err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("output: %w", err)
	}
	return o, nil
}

// buildingPrefix starts the name of every temporary folder of a build of
// dir (swapByRename's ".old" folder included): RemoveLeftovers finds what
// killed builds left by it.
func buildingPrefix(dir string) string { return "." + filepath.Base(dir) + ".building-" }

// checkReplaceable refuses to replace a folder that is not a built site, so
// a mistyped --out can never wipe someone's documents.
func checkReplaceable(dir string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output: %s exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err == nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "404.html")); err == nil {
		return nil
	}
	return fmt.Errorf("output: refusing to replace %s: it is not empty and does not look like a built site (no index.html); choose another --out or empty it", dir)
}

// FileInfo records one output file as a build left it.
type FileInfo struct {
	// Key is the input key a page was rendered from; empty for files
	// compared by content alone.
	Key     string `json:"key,omitempty"`
	Hash    string `json:"hash"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"`
	Inode   uint64 `json:"ino"`
}

// SetUntracked tells o that no build cache will record this build: a
// file's hash, modification time and inode are then never read, so Write
// skips the hashing and the stat.
func (o *Folder) SetUntracked() { o.untracked = true }

// LimitRoom makes the disk fill after n more bytes: the fault tests' way
// to check a disk filling mid-build.
func (o *Folder) LimitRoom(n int64) {
	o.room = new(atomic.Int64)
	o.room.Store(n)
}

// Count returns the files written so far, their bytes, and how many of
// them were carried over unchanged from the live output.
func (o *Folder) Count() (files int, size int64, reused int) {
	return int(o.files.Load()), o.bytes.Load(), int(o.reused.Load())
}

// Written lists the files written, for the build cache. It must not be
// called while files are still being written.
func (o *Folder) Written() map[string]FileInfo { return o.written }

// Memory returns the files of a Folder made by NewMemory. The map must not
// be modified.
func (o *Folder) Memory() map[string][]byte { return o.mem }

// AddFiles puts files into a Folder made by NewMemory as they are, without
// copying them: the slices must never be modified. A Rebuilder's kept
// files go in this way, so that comparing them with the last build's
// finds them unchanged at once.
func (o *Folder) AddFiles(files map[string][]byte) {
	o.mu.Lock()
	maps.Copy(o.mem, files)
	o.mu.Unlock()
	for _, data := range files {
		o.files.Add(1)
		o.bytes.Add(int64(len(data)))
	}
}

// Buffer returns an empty buffer from o's pool; Release gives it back.
func (o *Folder) Buffer() *bytes.Buffer {
	b := o.bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// Release returns a buffer from Buffer to the pool.
func (o *Folder) Release(b *bytes.Buffer) { o.bufs.Put(b) }

// prepare makes way for the new file p: its folder exists, and whatever the
// spare tree held under that name is gone.
func (o *Folder) prepare(name, p string) error {
	if _, ok := o.base[name]; ok {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("output: %w", err)
		}
	}
	d := filepath.Dir(p)
	if _, ok := o.dirs.Load(d); !ok {
		if err := o.mkdir(d); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
}

// mkdir makes folder d and any missing parents. Most pages have a folder
// of their own whose parent exists already, so it tries one mkdir first,
// where os.MkdirAll would stat the folder and its parent before it.
func (o *Folder) mkdir(d string) error {
	err := os.Mkdir(d, 0o755)
	if errors.Is(err, os.ErrNotExist) && d != o.tmp {
		if err = o.mkdir(filepath.Dir(d)); err == nil {
			err = os.Mkdir(d, 0o755)
		}
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err != nil {
		// Something other than a folder of ours may hold the name.
		if st, serr := os.Stat(d); serr != nil || !st.IsDir() {
			return err
		}
	}
	o.dirs.Store(d, true)
	return nil
}

// Reuse links the live output's file name into the new tree if it was
// rendered from the same key and is still as that build left it. It
// reports whether it did, in which case the caller need not render.
func (o *Folder) Reuse(name, key string) bool {
	if o.live == nil || key == "" {
		return false
	}
	info, ok := o.live[name]
	if !ok || info.Key != key {
		return false
	}
	return o.link(name, info)
}

// link puts the live file name (recorded as info) into the new tree, after
// checking that it is unchanged since it was recorded.
func (o *Folder) link(name string, info FileInfo) bool {
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if b, ok := o.base[name]; ok && b.Inode == info.Inode && info.Inode != 0 {
		// The spare tree holds the very same file (linked by an earlier
		// build): nothing to do but check it was left alone.
		if st, err := os.Lstat(p); err == nil && sameFile(st, info) {
			o.record(name, info)
			o.reused.Add(1)
			return true
		}
	}
	live := filepath.Join(o.dir, filepath.FromSlash(name))
	st, err := os.Lstat(live)
	if err != nil || !sameFile(st, info) {
		return false
	}
	if o.prepare(name, p) != nil || os.Link(live, p) != nil {
		return false
	}
	o.record(name, info)
	o.reused.Add(1)
	return true
}

func sameFile(st os.FileInfo, info FileInfo) bool {
	return st.Mode().IsRegular() && st.Size() == info.Size && st.ModTime().UnixNano() == info.ModTime && inode(st) == info.Inode
}

func (o *Folder) record(name string, info FileInfo) {
	o.files.Add(1)
	o.bytes.Add(info.Size)
	o.mu.Lock()
	o.written[name] = info
	o.mu.Unlock()
}

// Write writes one file, given by its slash path below the site root. key
// is the input key of a rendered page, or "" for other files. When the
// live output holds the same bytes, its file is linked instead, keeping its
// modification time. write keeps nothing of data once it returns (an
// in-memory output copies it): callers reuse their buffers.
func (o *Folder) Write(name, key string, data []byte) error {
	if o.mem != nil {
		// data may be a pooled buffer, reused once write returns.
		o.mu.Lock()
		o.mem[name] = bytes.Clone(data)
		o.mu.Unlock()
		o.files.Add(1)
		o.bytes.Add(int64(len(data)))
		return nil
	}
	if o.untracked {
		return o.writeUntracked(name, data)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if o.live != nil {
		if info, ok := o.live[name]; ok && info.Hash == hash {
			info.Key = key
			if o.link(name, info) {
				return nil
			}
		}
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if err := o.prepare(name, p); err != nil {
		return err
	}
	if err := o.fits(p, data); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	_, err = f.Write(data)
	var st os.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	o.record(name, FileInfo{Key: key, Hash: hash, Size: int64(len(data)), ModTime: st.ModTime().UnixNano(), Inode: inode(st)})
	return nil
}

// fits takes the room for data on the pretend disk, if there is one. When
// the disk is full it writes what fits, as a real disk would, and returns
// the error a real disk gives.
func (o *Folder) fits(p string, data []byte) error {
	if o.room == nil {
		return nil
	}
	left := o.room.Add(-int64(len(data)))
	if left >= 0 {
		return nil
	}
	os.WriteFile(p, data[:max(0, int64(len(data))+left)], 0o644)
	return fmt.Errorf("output: %w", &fs.PathError{Op: "write", Path: p, Err: syscall.ENOSPC})
}

// writeUntracked writes a file of a build no cache records: open, write,
// close, and nothing else.
func (o *Folder) writeUntracked(name string, data []byte) error {
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if err := o.prepare(name, p); err != nil {
		return err
	}
	if err := o.fits(p, data); err != nil {
		return err
	}
	if err := createFile(p, data); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	return nil
}

// prune removes what the spare tree held that this build did not write,
// and the folders that leaves empty, so the new tree is exactly this
// build's output.
func (o *Folder) prune() error {
	for name := range o.base {
		if _, ok := o.written[name]; ok {
			continue
		}
		p := filepath.Join(o.tmp, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("output: %w", err)
		}
		for d := filepath.Dir(p); d != o.tmp; d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break // not empty
			}
		}
	}
	return nil
}

// Publish puts the finished folder in place of the old output. Afterwards
// o.tmp holds the previous output (or nothing, on a first build).
func (o *Folder) Publish() error {
	if o.base != nil {
		if err := o.prune(); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(o.dir); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(o.tmp, o.dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return nil
	}
	if err := exchange(o.tmp, o.dir); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// KeepSpare moves the previous output, now in o.tmp, to spare for the next
// build to start from. It reports whether it did; if not, Discard deletes it.
func (o *Folder) KeepSpare(spare string) bool {
	if spare == "" {
		return false
	}
	if _, err := os.Lstat(o.tmp); err != nil {
		return false
	}
	if err := os.MkdirAll(filepath.Dir(spare), 0o755); err != nil {
		return false
	}
	os.RemoveAll(spare) // a leftover of a crashed build
	// Fails across file systems, and then the old tree is simply deleted.
	return os.Rename(o.tmp, spare) == nil
}

// Discard removes the temporary folder: a failed build's files, or after a
// successful swap the previous output that was not kept as the spare.
func (o *Folder) Discard() {
	if _, err := os.Lstat(o.tmp); err == nil {
		removeTree(o.tmp, runtime.GOMAXPROCS(0))
	}
}

// removeTree removes dir and everything below it, with several workers: a
// site is tens of thousands of files, mostly one folder per page, and
// deleting them one after another leaves all but one core idle. The
// workers take the entries two levels down (each page's folder), whose
// removals touch different folders and so do not wait on each other.
func removeTree(dir string, workers int) {
	var jobs []string
	top, _ := os.ReadDir(dir)
	for _, e := range top {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			jobs = append(jobs, p)
			continue
		}
		sub, _ := os.ReadDir(p)
		for _, s := range sub {
			jobs = append(jobs, filepath.Join(p, s.Name()))
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(jobs); i = int(next.Add(1)) - 1 {
				os.RemoveAll(jobs[i])
			}
		})
	}
	wg.Wait()
	// Whatever is left: the emptied folders, or all of it if a listing failed.
	os.RemoveAll(dir)
}

// Intact reports whether folder dir holds exactly the files listed, each
// as it was recorded.
func Intact(dir string, files map[string]FileInfo) bool {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		info, ok := files[filepath.ToSlash(rel)]
		if !ok {
			return errChanged
		}
		st, err := d.Info()
		if err != nil || !sameFile(st, info) {
			return errChanged
		}
		n++
		return nil
	})
	return err == nil && n == len(files)
}

var errChanged = errors.New("output changed")

// Read returns the bytes of file name as this build holds it: written or
// carried over from the last build.
func (o *Folder) Read(name string) ([]byte, error) {
	if o.mem != nil {
		o.mu.Lock()
		data, ok := o.mem[name]
		o.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("output: %s: %w", name, fs.ErrNotExist)
		}
		return data, nil
	}
	data, err := os.ReadFile(filepath.Join(o.tmp, filepath.FromSlash(name)))
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return data, nil
}

// Info returns what this build recorded of file name: its hash is known
// only in a tracked build (see SetUntracked).
func (o *Folder) Info(name string) (FileInfo, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	info, ok := o.written[name]
	return info, ok
}

// ReuseCopy links the live output's file name into the new tree when it
// is made from file of (a precompressed copy, say) and this build wrote
// of with the very bytes the live output has: name would come out the
// same. It reports whether it did.
func (o *Folder) ReuseCopy(name, of string) bool {
	if o.live == nil {
		return false
	}
	o.mu.Lock()
	cur, ok := o.written[of]
	o.mu.Unlock()
	was, wok := o.live[of]
	info, lok := o.live[name]
	if !ok || !wok || !lok || cur.Hash == "" || cur.Hash != was.Hash {
		return false
	}
	return o.link(name, info)
}

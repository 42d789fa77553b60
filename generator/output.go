package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// output is a build's folder under construction: a temporary folder beside
// the real output that replaces it only when the build succeeds.
type output struct {
	dir, tmp string
	files    atomic.Int64
	bytes    atomic.Int64
	reused   atomic.Int64
	dirs     sync.Map // created folders, to skip repeated MkdirAll calls
	bufs     sync.Pool
	// prev describes the current output folder as the last build left it;
	// nil without a usable cache.
	prev *manifest

	mu      sync.Mutex
	written map[string]outputInfo
}

func newOutput(dir string, prev *manifest) (*output, error) {
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
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".building-")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("output: %w", err)
	}
	o := &output{dir: dir, tmp: tmp, prev: prev, written: map[string]outputInfo{}}
	o.bufs.New = func() any { return new(bytes.Buffer) }
	return o, nil
}

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

func (o *output) buffer() *bytes.Buffer {
	b := o.bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func (o *output) release(b *bytes.Buffer) { o.bufs.Put(b) }

// mkdirFor creates the folder of the new file p once.
func (o *output) mkdirFor(p string) error {
	d := filepath.Dir(p)
	if _, ok := o.dirs.Load(d); !ok {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		o.dirs.Store(d, true)
	}
	return nil
}

// reuse links the previous build's file name into the new tree if it was
// rendered from the same key and is still as that build left it. It
// reports whether it did, in which case the caller need not render.
func (o *output) reuse(name, key string) bool {
	if o.prev == nil || key == "" {
		return false
	}
	info, ok := o.prev.Outputs[name]
	if !ok || info.Key != key {
		return false
	}
	return o.link(name, info)
}

// link hard-links the old file name into the new tree after checking that
// it is unchanged since it was recorded.
func (o *output) link(name string, info outputInfo) bool {
	old := filepath.Join(o.dir, filepath.FromSlash(name))
	st, err := os.Lstat(old)
	if err != nil || !st.Mode().IsRegular() || st.Size() != info.Size || st.ModTime().UnixNano() != info.ModTime || inode(st) != info.Inode {
		return false
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if o.mkdirFor(p) != nil || os.Link(old, p) != nil {
		return false
	}
	o.record(name, info)
	o.reused.Add(1)
	return true
}

func (o *output) record(name string, info outputInfo) {
	o.files.Add(1)
	o.bytes.Add(info.Size)
	o.mu.Lock()
	o.written[name] = info
	o.mu.Unlock()
}

// write writes one file, given by its slash path below the site root. key
// is the input key of a rendered page, or "" for other files. When the
// previous build left the same bytes, its file is linked instead, keeping
// its modification time.
func (o *output) write(name, key string, data []byte) error {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if o.prev != nil {
		if info, ok := o.prev.Outputs[name]; ok && info.Hash == hash {
			info.Key = key
			if o.link(name, info) {
				return nil
			}
		}
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if err := o.mkdirFor(p); err != nil {
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
	o.record(name, outputInfo{Key: key, Hash: hash, Size: int64(len(data)), ModTime: st.ModTime().UnixNano(), Inode: inode(st)})
	return nil
}

// publish puts the finished folder in place of the old output.
func (o *output) publish() error {
	if _, err := os.Lstat(o.dir); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(o.tmp, o.dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return nil
	}
	if err := exchange(o.tmp, o.dir); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	// o.tmp now holds the previous site; discard removes it.
	return nil
}

// discard removes the temporary folder: the failed build's files, or after
// a successful exchange the previous site.
func (o *output) discard() {
	if _, err := os.Lstat(o.tmp); err == nil {
		os.RemoveAll(o.tmp)
	}
}

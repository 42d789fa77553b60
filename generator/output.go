package generator

import (
	"bytes"
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
	dir, tmp  string
	files     atomic.Int64
	bytes     atomic.Int64
	dirs      sync.Map // created folders, to skip repeated MkdirAll calls
	bufs      sync.Pool
	published bool

	// mem, when set, receives the files instead of the disk: a Rebuilder
	// keeps its site in memory.
	mu  sync.Mutex
	mem map[string][]byte
}

// newMemOutput returns an output that keeps its files in memory.
func newMemOutput() *output {
	o := &output{mem: map[string][]byte{}}
	o.bufs.New = func() any { return new(bytes.Buffer) }
	return o
}

func newOutput(dir string) (*output, error) {
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
	o := &output{dir: dir, tmp: tmp}
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

// write writes one file, given by its slash path below the site root.
func (o *output) write(name string, data []byte) error {
	if o.mem != nil {
		// data may be a pooled buffer, reused once write returns.
		o.mu.Lock()
		o.mem[name] = bytes.Clone(data)
		o.mu.Unlock()
		o.files.Add(1)
		o.bytes.Add(int64(len(data)))
		return nil
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	d := filepath.Dir(p)
	if _, ok := o.dirs.Load(d); !ok {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		o.dirs.Store(d, true)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	return nil
}

// publish puts the finished folder in place of the old output.
func (o *output) publish() error {
	if _, err := os.Lstat(o.dir); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(o.tmp, o.dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		o.published = true
		return nil
	}
	if err := exchange(o.tmp, o.dir); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	// o.tmp now holds the previous site; discard removes it.
	o.published = true
	return nil
}

// discard removes the temporary folder: the failed build's files, or after
// a successful exchange the previous site.
func (o *output) discard() {
	if _, err := os.Lstat(o.tmp); err == nil {
		os.RemoveAll(o.tmp)
	}
}

package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// wait is how long a test waits for a batch: generous, for a loaded
// two-core machine. Nothing asserts on speed.
const wait = 20 * time.Second

type harness struct {
	t       *testing.T
	dir     string
	batches chan []string
	logs    *logBuf
	stop    func()
}

type logBuf struct {
	mu   sync.Mutex
	text strings.Builder
}

func (l *logBuf) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.text, format+"\n", args...)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// start runs a watcher on a fresh folder holding files.
func start(t *testing.T, opt Options, files map[string]string, prepare func(*Watcher)) *harness {
	t.Helper()
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	for name, body := range files {
		write(t, filepath.Join(dir, name), body)
	}
	h := &harness{t: t, dir: dir, batches: make(chan []string, 100), logs: &logBuf{}}
	opt.Roots = []string{dir}
	opt.Logf = h.logs.logf
	if opt.Debounce == 0 {
		opt.Debounce = 200 * time.Millisecond
	}
	w, err := newWatcher(opt)
	if err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(w)
	}
	w.start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- w.Run(ctx, func(_ context.Context, changed []string) {
			rel := make([]string, len(changed))
			for i, p := range changed {
				r, _ := filepath.Rel(dir, p)
				rel[i] = filepath.ToSlash(r)
			}
			h.batches <- rel
		})
	}()
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
		checkGoroutines(t, before)
	}
	t.Cleanup(h.stop)
	return h
}

// checkGoroutines fails if goroutines started by the test outlive it.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines left running, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// next returns the next batch.
func (h *harness) next() []string {
	h.t.Helper()
	select {
	case b := <-h.batches:
		return b
	case <-time.After(wait):
		h.t.Fatalf("no change reported within %v; log:\n%s", wait, h.logs)
		return nil
	}
}

// until collects batches until every path in want has been reported.
func (h *harness) until(want ...string) []string {
	h.t.Helper()
	var got []string
	deadline := time.After(wait)
	for {
		missing := false
		for _, w := range want {
			if !slices.Contains(got, w) {
				missing = true
			}
		}
		if !missing {
			return got
		}
		select {
		case b := <-h.batches:
			got = append(got, b...)
		case <-deadline:
			h.t.Fatalf("reported %q; want all of %q; log:\n%s", got, want, h.logs)
		}
	}
}

// quiet checks that nothing is reported for a while.
func (h *harness) quiet(d time.Duration) {
	h.t.Helper()
	select {
	case b := <-h.batches:
		h.t.Errorf("reported %q; want nothing", b)
	case <-time.After(d):
	}
}

func (h *harness) path(rel string) string { return filepath.Join(h.dir, filepath.FromSlash(rel)) }

func TestAtomicSaves(t *testing.T) {
	h := start(t, Options{}, map[string]string{"a.md": "one", "b.md": "one", "c.md": "one"}, nil)

	// VS Code and gedit: write a temporary file, rename it over the page.
	write(t, h.path(".goutputstream-XYZ"), "two")
	if err := os.Rename(h.path(".goutputstream-XYZ"), h.path("a.md")); err != nil {
		t.Fatal(err)
	}
	if got := h.next(); !slices.Equal(got, []string{"a.md"}) {
		t.Errorf("after a rename over a.md: %q; want [a.md]", got)
	}

	// vim: probe with 4913, move the original to a backup, write anew,
	// drop the backup.
	write(t, h.path("4913"), "")
	os.Remove(h.path("4913"))
	os.Rename(h.path("b.md"), h.path("b.md~"))
	write(t, h.path("b.md"), "two")
	write(t, h.path(".b.md.swp"), "swap")
	os.Remove(h.path("b.md~"))
	if got := h.next(); !slices.Equal(got, []string{"b.md"}) {
		t.Errorf("after vim's save of b.md: %q; want [b.md]", got)
	}

	// JetBrains' safe write.
	write(t, h.path("c.md___jb_tmp___"), "two")
	os.Rename(h.path("c.md"), h.path("c.md___jb_old___"))
	os.Rename(h.path("c.md___jb_tmp___"), h.path("c.md"))
	os.Remove(h.path("c.md___jb_old___"))
	if got := h.next(); !slices.Equal(got, []string{"c.md"}) {
		t.Errorf("after JetBrains' save of c.md: %q; want [c.md]", got)
	}

	// Chmod alone is no change.
	os.Chmod(h.path("a.md"), 0o600)
	h.quiet(time.Second)
}

func TestFoldersAppearDisappearAndMove(t *testing.T) {
	h := start(t, Options{}, map[string]string{"keep.md": "x", "old/deep/a.md": "a", "old/b.md": "b"}, nil)

	// A new nested folder whose files exist before any watch on it.
	os.MkdirAll(h.path("new/x/y"), 0o755)
	write(t, h.path("new/x/y/1.md"), "1")
	write(t, h.path("new/x/2.md"), "2")
	h.until("new/x/y/1.md", "new/x/2.md")

	// Files in the new folder are watched.
	write(t, h.path("new/x/y/3.md"), "3")
	h.until("new/x/y/3.md")

	// A folder renamed: its files go and come back under the new name,
	// and the new name is watched.
	if err := os.Rename(h.path("old"), h.path("moved")); err != nil {
		t.Fatal(err)
	}
	h.until("old/deep/a.md", "old/b.md", "moved/deep/a.md", "moved/b.md")
	write(t, h.path("moved/deep/a.md"), "changed")
	h.until("moved/deep/a.md")

	// A folder created and removed within one debounce, then made again:
	// its second life is watched too.
	os.MkdirAll(h.path("flash"), 0o755)
	os.RemoveAll(h.path("flash"))
	h.quiet(time.Second)
	write(t, h.path("flash/f.md"), "f")
	h.until("flash/f.md")
	write(t, h.path("flash/f.md"), "f2")
	h.until("flash/f.md")

	// Deletes, of a file and of a folder.
	os.Remove(h.path("keep.md"))
	h.until("keep.md")
	os.RemoveAll(h.path("new"))
	h.until("new/x/y/1.md", "new/x/2.md", "new/x/y/3.md")
}

func TestBurstIsOneBatch(t *testing.T) {
	// A long debounce: a stall of the writer on a loaded machine must not
	// split the burst.
	h := start(t, Options{Debounce: time.Second}, map[string]string{"a.md": "x"}, nil)
	var want []string
	for i := range 1000 {
		rel := fmt.Sprintf("d%d/p%04d.md", i%10, i)
		write(t, h.path(rel), "x")
		want = append(want, rel)
	}
	slices.Sort(want)
	got := h.next()
	if !slices.Equal(got, want) {
		t.Errorf("burst reported %d paths; want the 1,000 written", len(got))
	}
	h.quiet(2 * time.Second)
}

func TestWatchLimitFallsBackToPolling(t *testing.T) {
	h := start(t, Options{Poll: 50 * time.Millisecond}, map[string]string{"a/b.md": "x"}, func(w *Watcher) {
		w.add = func(string) error { return syscall.ENOSPC }
	})
	if !strings.Contains(h.logs.String(), "fs.inotify.max_user_watches") {
		t.Errorf("log %q does not say how to raise the watch limit", h.logs)
	}
	write(t, h.path("a/b.md"), "changed, longer")
	write(t, h.path("a/new/c.md"), "new")
	h.until("a/b.md", "a/new/c.md")
	os.Remove(h.path("a/b.md"))
	h.until("a/b.md")
}

func TestScanCatchesLostEvents(t *testing.T) {
	w, err := New(Options{Roots: []string{t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	root := w.opt.Roots[0]
	write(t, filepath.Join(root, "a.md"), "x")
	// Throw the events away, as if the system had lost them.
	select {
	case <-w.fsw.Events:
	case <-time.After(wait):
	}
	for len(w.fsw.Events) > 0 {
		<-w.fsw.Events
	}
	got := w.reconcile()
	if !slices.Equal(got, []string{filepath.Join(root, "a.md")}) {
		t.Errorf("reconcile = %q; want [a.md]", got)
	}
	if got := w.reconcile(); len(got) != 0 {
		t.Errorf("second reconcile = %q; want nothing", got)
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": false, "topics": false, "_index.md": false, "4913": true, ".a.md.swp": true, "a.md~": true,
		".#a.md": true, "#a.md#": true, "a.md___jb_tmp___": true, "a.md___jb_old___": true,
		".goutputstream-AB12": true, ".git": true, "a.swx": true,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v; want %v", name, got, want)
		}
	}
}

// Package watch reports changes to the files below a few folders, for a
// preview server that must never miss an edit.
//
// Events from the operating system (fsnotify) are hints, not the truth:
// after a burst of them quiets down, the watcher looks at each named path on
// disk and compares it with its own record of every file's size, time and
// type. That way an editor's atomic save (write a temporary file, rename it
// over the original), a deleted or renamed folder, and a new folder whose
// files were written before its watch existed all come out as plain lists of
// changed files. Editors' temporary files, hidden files and Chmod-only
// events are ignored.
//
// The debounce is a timer that restarts on every event, so a checkout of a
// thousand files is one batch. A cheap periodic scan (sizes and times only)
// catches any event the system lost. Where no events can be had (the limit
// on watches is reached, or a network file system does not send them), the
// watcher says why and polls instead.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is the quiet time that ends a batch. An editor's save
// (temporary file, rename) and a git checkout emit their events well under
// a millisecond apart, so 30 ms still makes one batch of them, and it is
// the larger part of the time from saving to the browser's reload.
const DefaultDebounce = 30 * time.Millisecond

// Options configures a Watcher. Zero durations take the defaults.
type Options struct {
	// Roots are the folders to watch, recursively. A root that does not
	// exist yet is picked up by the periodic scan once it does.
	Roots []string
	// Debounce is how long the folders must stay quiet before a batch of
	// changes is reported (default DefaultDebounce).
	Debounce time.Duration
	// Rescan is the period of the scan that catches lost events (default
	// 5s); negative disables it.
	Rescan time.Duration
	// Poll is the period of the scan when polling (default 500ms).
	Poll time.Duration
	// ForcePoll polls from the start, without asking for events.
	ForcePoll bool
	// Logf receives messages about how the folders are watched; nil
	// discards them.
	Logf func(format string, args ...any)
}

// Watcher watches the roots of its Options. Create it with New, which
// records every file, then call Run.
type Watcher struct {
	opt     Options
	logf    func(string, ...any)
	fsw     *fsnotify.Watcher // nil when polling
	snap    map[string]entry
	watched map[string]bool
	pending map[string]bool
	full    bool // events were lost: scan everything at the next flush
	misses  int  // scans in a row that found changes no event reported
	// add puts a watch on a folder; tests replace it to hit the limit.
	add func(string) error
}

// entry is what the watcher remembers of a path.
type entry struct {
	dir  bool
	mode fs.FileMode
	size int64
	mod  time.Time
}

func entryOf(fi fs.FileInfo) entry {
	if fi.IsDir() {
		return entry{dir: true}
	}
	return entry{mode: fi.Mode(), size: fi.Size(), mod: fi.ModTime()}
}

// New records the files below opt.Roots and puts a watch on every folder.
func New(opt Options) (*Watcher, error) {
	w, err := newWatcher(opt)
	if err != nil {
		return nil, err
	}
	w.start()
	return w, nil
}

func newWatcher(opt Options) (*Watcher, error) {
	if opt.Debounce <= 0 {
		opt.Debounce = DefaultDebounce
	}
	if opt.Rescan == 0 {
		opt.Rescan = 5 * time.Second
	}
	if opt.Poll <= 0 {
		opt.Poll = 500 * time.Millisecond
	}
	roots := make([]string, len(opt.Roots))
	for i, r := range opt.Roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, err
		}
		roots[i] = abs
	}
	opt.Roots = roots
	w := &Watcher{
		opt:     opt,
		logf:    opt.Logf,
		snap:    map[string]entry{},
		watched: map[string]bool{},
		pending: map[string]bool{},
	}
	if w.logf == nil {
		w.logf = func(string, ...any) {}
	}
	if opt.ForcePoll {
		return w, nil
	}
	for _, r := range roots {
		if why := noEvents(r); why != "" {
			w.logf("watching %s: %s, which may not report changes; polling every %v instead", r, why, opt.Poll)
			return w, nil
		}
	}
	fsw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		w.logf("cannot watch for changes (%v); polling every %v instead.%s", err, opt.Poll, limitAdvice(err))
		return w, nil
	}
	w.fsw = fsw
	w.add = fsw.Add
	return w, nil
}

func (w *Watcher) start() {
	for _, r := range w.opt.Roots {
		w.scan(r)
	}
}

// AddRoot watches one more folder. Call it before Run or from Run's fn.
func (w *Watcher) AddRoot(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil || slices.Contains(w.opt.Roots, abs) {
		return
	}
	w.opt.Roots = append(w.opt.Roots, abs)
	w.scan(abs)
}

// Polling reports whether the watcher polls instead of receiving events.
func (w *Watcher) Polling() bool { return w.fsw == nil }

// Close releases the watches. Run calls it on return.
func (w *Watcher) Close() error {
	if w.fsw == nil {
		return nil
	}
	err := w.fsw.Close()
	w.fsw = nil
	return err
}

// Run reports changes until ctx is done. fn receives the absolute paths of
// the files created, modified or removed since the previous call (a removed
// or renamed folder as its files), sorted. It runs on Run's goroutine;
// changes made while it runs are reported by the next call, never lost.
// Run returns nil when ctx is done, after closing the watcher.
func (w *Watcher) Run(ctx context.Context, fn func(ctx context.Context, changed []string)) error {
	defer w.Close()
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	period := w.opt.Rescan
	if w.Polling() || period < 0 {
		period = w.opt.Poll
	}
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	var polled []string // polling: changes seen, reported once a scan finds no more
	polling := w.Polling()
	for {
		if w.Polling() != polling {
			// The watch limit was hit, or events stopped arriving.
			polling = true
			ticker.Reset(w.opt.Poll)
		}
		var events <-chan fsnotify.Event
		var errs <-chan error
		if w.fsw != nil {
			events, errs = w.fsw.Events, w.fsw.Errors
		}
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				continue
			}
			if w.note(ev) {
				debounce.Reset(w.opt.Debounce)
			}
		case err, ok := <-errs:
			if !ok {
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.logf("too many changes at once for the event queue; scanning the folders")
				w.full = true
				debounce.Reset(w.opt.Debounce)
			} else {
				w.logf("watch: %v", err)
			}
		case <-debounce.C:
			if changed := w.flush(); len(changed) > 0 {
				fn(ctx, changed)
			}
		case <-ticker.C:
			if w.Polling() {
				changed := w.scanAll()
				if len(changed) > 0 {
					polled = append(polled, changed...)
					continue
				}
				if len(polled) > 0 {
					batch := dedup(polled)
					polled = nil
					fn(ctx, batch)
				}
				continue
			}
			if w.opt.Rescan < 0 {
				continue
			}
			if changed := w.reconcile(); len(changed) > 0 {
				fn(ctx, changed)
			}
		}
	}
}

// note records an event's path; it reports whether the event counts.
func (w *Watcher) note(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod || Ignored(filepath.Base(ev.Name)) {
		return false
	}
	w.pending[ev.Name] = true
	if ev.Has(fsnotify.Create) && w.inRoots(ev.Name) {
		// Watch a new folder now, not at the flush: files written into it
		// meanwhile then send events, which keep the debounce going. Files
		// written before the watch are found by the flush's scan.
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			filepath.WalkDir(ev.Name, func(p string, d fs.DirEntry, err error) error {
				if err != nil || !d.IsDir() {
					return nil
				}
				if p != ev.Name && Ignored(d.Name()) {
					return fs.SkipDir
				}
				w.watch(p)
				return nil
			})
		}
	}
	return true
}

// reconcile scans everything for changes no event reported, unless events
// are waiting, which would make their changes look missed.
func (w *Watcher) reconcile() []string {
	if len(w.pending) > 0 || w.fsw != nil && len(w.fsw.Events) > 0 {
		return nil
	}
	changed := w.scanAll()
	if len(changed) == 0 || w.fsw == nil {
		w.misses = 0
		return changed
	}
	w.misses++
	w.logf("found %d changed files that no event reported (first: %s)", len(changed), changed[0])
	if w.misses >= 2 {
		w.logf("the file system does not report every change (a network, FUSE or container mount?); polling every %v instead", w.opt.Poll)
		w.Close()
	}
	return changed
}

// flush turns the pending paths into the list of changed files.
func (w *Watcher) flush() []string {
	var changed []string
	if w.full {
		w.full = false
		clear(w.pending)
		return w.scanAll()
	}
	paths := make([]string, 0, len(w.pending))
	for p := range w.pending {
		paths = append(paths, p)
	}
	clear(w.pending)
	// Gone paths first: a folder renamed within the watched tree must lose
	// its old watches before its new name is watched.
	slices.SortFunc(paths, func(a, b string) int {
		_, ea := os.Lstat(a)
		_, eb := os.Lstat(b)
		if (ea != nil) != (eb != nil) {
			if ea != nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, p := range paths {
		if !w.inRoots(p) {
			continue
		}
		fi, err := os.Lstat(p)
		switch {
		case err != nil:
			changed = append(changed, w.forget(p)...)
		case fi.IsDir():
			changed = append(changed, w.scan(p)...)
		default:
			if old, ok := w.snap[p]; ok && old.dir {
				changed = append(changed, w.forget(p)...)
			}
			w.snap[p] = entryOf(fi)
			// Reported even if size and time look the same: the event says
			// the bytes were written.
			changed = append(changed, p)
		}
	}
	return dedup(changed)
}

func (w *Watcher) inRoots(p string) bool {
	for _, r := range w.opt.Roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			rel := strings.TrimPrefix(p, r)
			for _, seg := range strings.Split(rel, string(filepath.Separator)) {
				if seg != "" && Ignored(seg) {
					return false
				}
			}
			return true
		}
	}
	return false
}

func (w *Watcher) scanAll() []string {
	var changed []string
	for _, r := range w.opt.Roots {
		changed = append(changed, w.scan(r)...)
	}
	return dedup(changed)
}

// scan walks the folder root, watches folders it did not know, updates the
// record and returns the files created, changed or removed below root.
func (w *Watcher) scan(root string) []string {
	var changed []string
	seen := map[string]bool{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if p != root && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		seen[p] = true
		e := entryOf(fi)
		old, known := w.snap[p]
		w.snap[p] = e
		if d.IsDir() {
			if known && !old.dir {
				changed = append(changed, p)
			}
			w.watch(p)
			return nil
		}
		if !known || old != e {
			changed = append(changed, p)
		}
		return nil
	})
	prefix := root + string(filepath.Separator)
	for p, e := range w.snap {
		if (p == root || strings.HasPrefix(p, prefix)) && !seen[p] {
			delete(w.snap, p)
			if !e.dir {
				changed = append(changed, p)
			}
		}
	}
	for p := range w.watched {
		if (p == root || strings.HasPrefix(p, prefix)) && !seen[p] {
			w.unwatch(p)
		}
	}
	return changed
}

// forget drops a path that is gone and everything below it, returning the
// files that were there.
func (w *Watcher) forget(p string) []string {
	var gone []string
	prefix := p + string(filepath.Separator)
	for q, e := range w.snap {
		if q == p || strings.HasPrefix(q, prefix) {
			delete(w.snap, q)
			if !e.dir {
				gone = append(gone, q)
			}
		}
	}
	// Folders watched on creation may never have reached the record.
	for q := range w.watched {
		if q == p || strings.HasPrefix(q, prefix) {
			w.unwatch(q)
		}
	}
	return gone
}

func (w *Watcher) watch(dir string) {
	if w.fsw == nil || w.watched[dir] {
		return
	}
	if err := w.add(dir); err != nil {
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
			w.logf("cannot watch %s: %v; polling every %v instead.%s", dir, err, w.opt.Poll, limitAdvice(err))
			w.Close()
			clear(w.watched)
			return
		}
		// A folder removed since it was seen: the next scan forgets it.
		if !errors.Is(err, fs.ErrNotExist) {
			w.logf("cannot watch %s: %v", dir, err)
		}
		return
	}
	w.watched[dir] = true
}

func (w *Watcher) unwatch(dir string) {
	if !w.watched[dir] {
		return
	}
	delete(w.watched, dir)
	if w.fsw != nil {
		// The system drops the watch of a deleted folder by itself.
		_ = w.fsw.Remove(dir)
	}
}

// limitAdvice explains how to raise the limit an error hit.
func limitAdvice(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Sprint(" The limit on watched folders (fs.inotify.max_user_watches) is reached; raise it with",
			" 'sudo sysctl fs.inotify.max_user_watches=524288' (add the line fs.inotify.max_user_watches=524288",
			" to /etc/sysctl.d/90-inotify.conf to keep it).")
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return fmt.Sprint(" Too many open files or watchers (fs.inotify.max_user_instances, ulimit -n); raise them with",
			" 'sudo sysctl fs.inotify.max_user_instances=1024 fs.inotify.max_user_watches=524288' and 'ulimit -n 65536'.")
	}
	return ""
}

// Ignored reports whether a file or folder name is one that changes to
// should not trigger a rebuild: hidden files and folders (.git, .#lock
// files, gedit's .goutputstream-*) and editors' temporary and backup files
// (vim's .swp and its 4913 probe, ~ backups, Emacs #autosave#, JetBrains'
// ___jb_tmp___ and ___jb_old___).
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") ||
		strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".swo") ||
		name == "4913" ||
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		strings.HasPrefix(name, "___jb_") || strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___")
}

func dedup(paths []string) []string {
	slices.Sort(paths)
	return slices.Compact(paths)
}

package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrLocked is the error (tested with errors.Is) of a build that found
// another build of the same output folder running and, told not to wait
// (ClaimOptions.NoWait), gave up.
var ErrLocked = errors.New("another build of the same output folder is running")

// lockedError says which output is busy and, when the lock file tells,
// which process holds it.
type lockedError struct {
	out string
	pid int
}

func (e *lockedError) Error() string {
	return fmt.Sprintf("output: another build of %s is running%s; wait for it to finish, or run again without --no-wait", e.out, holderText(e.pid))
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

func holderText(pid int) string {
	if pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (process %d)", pid)
}

// lockPoll is how often a waiting build tries the lock again. A blocking
// flock cannot be interrupted when the context is cancelled; polling can.
const lockPoll = 100 * time.Millisecond

// lockPath is the lock file of output folder outAbs. It sits beside the
// folder, not inside it (the folder is swapped out whole) and not in the
// cache folder (two builds with different caches must still exclude each
// other). It is never deleted: removing a lock file while another process
// may have it open would let two builds each lock a different file.
func lockPath(outAbs string) string {
	return filepath.Join(filepath.Dir(outAbs), "."+filepath.Base(outAbs)+".lock")
}

// Claim is a build's hold on its output folder, from before it looks at
// the folder until it returns.
type Claim struct {
	f *os.File // the locked file; nil where locking is not supported
	// Folders and Freed are what removing dead builds' leftovers gave
	// back.
	Folders int
	Freed   int64
}

// ClaimOptions says how Lock waits and whom it tells.
type ClaimOptions struct {
	// Shown is the output folder as the user named it, for messages.
	Shown string
	// NoWait makes Lock fail at once with ErrLocked when another build
	// holds the folder, instead of waiting for it.
	NoWait bool
	// OnWait, if set, receives the message that the build is waiting, in
	// place of Logf.
	OnWait func(msg string)
	// Logf receives progress messages; it must not be nil.
	Logf func(format string, args ...any)
}

// Lock locks output folder outAbs for this build, waiting for any other
// build of it to finish (or failing with ErrLocked under opt.NoWait), and
// then removes what killed builds left beside it: with the lock held, no
// live build can be using those folders.
func Lock(ctx context.Context, outAbs string, opt ClaimOptions) (*Claim, error) {
	if err := os.MkdirAll(filepath.Dir(outAbs), 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	waiting := func(pid int) {
		msg := fmt.Sprintf("waiting for another build of %s%s to finish", opt.Shown, holderText(pid))
		if opt.OnWait != nil {
			opt.OnWait(msg)
		} else {
			opt.Logf("%s", msg)
		}
	}
	f, err := acquireLock(ctx, lockPath(outAbs), opt.NoWait, waiting)
	if err != nil {
		var le *lockedError
		if errors.As(err, &le) {
			le.out = opt.Shown
		}
		return nil, err
	}
	c := &Claim{f: f}
	if f == nil {
		// Without a lock a leftover cannot be told from the working
		// folder of a build running now, so nothing is removed.
		return c, nil
	}
	c.Folders, c.Freed = RemoveLeftovers(outAbs, opt.Logf)
	return c, nil
}

// Release lets the next build of the output go ahead. The kernel releases
// the lock just the same when the process dies, however it dies.
func (c *Claim) Release() {
	if c.f != nil {
		unlockFile(c.f)
		c.f.Close()
		c.f = nil
	}
}

// readHolder returns the process number the lock file's holder wrote, or 0
// if it has not (yet) written one.
func readHolder(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0
	}
	return pid
}

// writeHolder records this process as the holder, for the messages of
// builds that find the lock taken. Nothing depends on it being there.
func writeHolder(f *os.File) {
	if f.Truncate(0) == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}

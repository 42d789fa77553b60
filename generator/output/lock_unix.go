//go:build unix && !aix && !solaris

package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// acquireLock takes an exclusive flock(2) on the lock file at path,
// creating it if need be. flock rather than a file that exists while a
// build runs: the kernel drops the lock when its holder dies, even by
// kill -9, so there is never a stale lock to clear by hand. Until the lock
// is free it polls, calling waiting once with the holder's process number;
// with noWait it returns a *lockedError at once instead.
func acquireLock(ctx context.Context, path string, noWait bool, waiting func(pid int)) (*os.File, error) {
	writable := true
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if errors.Is(err, os.ErrPermission) {
		// Another user's lock file: flock works on a read-only file too,
		// only the holder's process number cannot be written.
		writable = false
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("output: cannot open the lock file: %w", err)
	}
	var timer *time.Timer
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("output: cannot lock %s: %w", path, err)
		}
		if ok {
			if writable {
				writeHolder(f)
			}
			return f, nil
		}
		if noWait {
			pid := readHolder(f)
			f.Close()
			return nil, &lockedError{pid: pid}
		}
		if !told {
			waiting(readHolder(f))
			told = true
		}
		if timer == nil {
			timer = time.NewTimer(lockPoll)
			defer timer.Stop()
		} else {
			timer.Reset(lockPoll)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

// tryLock takes the lock if it is free and reports whether it did.
func tryLock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, err
		}
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// fileLinks identifies a file by device and inode and gives its number of
// names, so that removing leftovers counts only the space it gives back:
// files hard-linked from the live output are not freed.
func fileLinks(st os.FileInfo) (id [2]uint64, nlink uint64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return [2]uint64{uint64(s.Dev), uint64(s.Ino)}, uint64(s.Nlink)
	}
	return id, 1
}

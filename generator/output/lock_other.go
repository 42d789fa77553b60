//go:build !unix || aix || solaris

package output

import (
	"context"
	"os"
)

// acquireLock does nothing here: locking the output folder needs flock(2),
// which the syscall package offers on the unix systems but AIX and
// Solaris/illumos (see lock_unix.go). Two builds of the same output at once are then not kept
// apart, and, since a dead build's working folder cannot be told from a
// running one's, leftovers are not removed either.
func acquireLock(context.Context, string, bool, func(int)) (*os.File, error) {
	return nil, nil
}

func unlockFile(*os.File) {}

// fileLinks is unknown here; leftovers are never removed without a lock.
func fileLinks(os.FileInfo) (id [2]uint64, nlink uint64) { return id, 1 }

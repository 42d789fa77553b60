package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// RemoveLeftovers removes the working folders that killed builds of
// output folder outAbs left beside it, and returns how many it removed and
// the bytes that gave back. The caller must hold the output's lock: every
// folder named like a build's temporary folder is then a dead build's.
//
// Such a folder is a half-written build, a finished one killed before the
// swap, or the previous output killed after it; a build killed in the
// middle of swapByRename's renames may also have left the previous output
// aside under the temporary name plus ".old" with no output folder at all,
// and that one is put back rather than deleted, so the site is not lost if
// this build fails too.
func RemoveLeftovers(outAbs string, logf func(string, ...any)) (folders int, freed int64) {
	parent := filepath.Dir(outAbs)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return 0, 0
	}
	prefix := buildingPrefix(outAbs)
	var dirs, asides []string
	for _, e := range entries {
		// Only real folders: a symbolic link of that name is not a
		// build's, and removeTree would empty the folder it points to.
		if !strings.HasPrefix(e.Name(), prefix) || !e.IsDir() {
			continue
		}
		p := filepath.Join(parent, e.Name())
		dirs = append(dirs, p)
		if strings.HasSuffix(e.Name(), ".old") {
			asides = append(asides, p)
		}
	}
	if len(dirs) == 0 {
		return 0, 0
	}
	if _, err := os.Lstat(outAbs); errors.Is(err, os.ErrNotExist) && len(asides) == 1 {
		if err := os.Rename(asides[0], outAbs); err == nil {
			logf("put back %s, set aside by a build killed while replacing it", filepath.Base(outAbs))
			dirs = without(dirs, asides[0])
		}
	}
	freed = freedBy(dirs)
	for _, d := range dirs {
		removeTree(d, runtime.GOMAXPROCS(0))
	}
	logf("removed %d %s left by interrupted builds (%d bytes freed)", len(dirs), plural(len(dirs), "folder", "folders"), freed)
	return len(dirs), freed
}

// freedBy is the size of the files below dirs that removing dirs deletes:
// a file also linked from elsewhere (the live output, the cache's spare
// tree) stays on disk and is not counted.
func freedBy(dirs []string) int64 {
	type linked struct {
		seen, nlink uint64
		size        int64
	}
	var sum int64
	shared := map[[2]uint64]*linked{}
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return nil
			}
			st, err := e.Info()
			if err != nil {
				return nil
			}
			id, nlink := fileLinks(st)
			if nlink <= 1 {
				sum += st.Size()
				return nil
			}
			l := shared[id]
			if l == nil {
				l = &linked{nlink: nlink, size: st.Size()}
				shared[id] = l
			}
			l.seen++
			return nil
		})
	}
	for _, l := range shared {
		if l.seen >= l.nlink {
			sum += l.size
		}
	}
	return sum
}

func without(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

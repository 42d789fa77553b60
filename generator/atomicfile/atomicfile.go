// Package atomicfile writes a file whole or not at all: through a temporary
// file in the same folder and a rename, so an interruption or a full disk
// leaves the old file or the new one, never half of one; and creating a
// new file that never replaces one already there. The commands use it for
// what a press office keeps (pages, site.yaml, targets.yaml) and the build
// for its cache. It imports nothing of plansite.
package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with data, with permissions perm, creating its folder
// if it is missing.
func Write(path string, data []byte, perm fs.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces path with what write writes, with permissions perm,
// creating its folder if it is missing. When write fails, path is left as
// it was.
func WriteFunc(path string, perm fs.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The temporary name starts with a dot, so a build or a watcher that
	// skips hidden files never reads it half-written.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Create writes data to path, which must not exist yet, creating its folder
// if it is missing. A file already at path is left alone and the error
// wraps fs.ErrExist; a failed write removes what it had written.
func Create(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// O_EXCL: a file that appeared since the caller looked is not
	// overwritten.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

package output

import (
	"io"
	"io/fs"

	"golang.org/x/sys/unix"
)

// createFile writes data to a new file p, which must not exist. It calls
// the system directly: os.OpenFile also tries to register each file with
// the network poller, which regular files refuse, and that costs six
// system calls more per file than the three a write needs; a build
// writes tens of thousands of files.
func createFile(p string, data []byte) error {
	fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	for len(data) > 0 {
		n, werr := unix.Write(fd, data)
		if werr == unix.EINTR {
			continue
		}
		if werr == nil && n == 0 {
			werr = io.ErrShortWrite
		}
		if werr != nil {
			err = &fs.PathError{Op: "write", Path: p, Err: werr}
			break
		}
		data = data[n:]
	}
	if cerr := unix.Close(fd); err == nil && cerr != nil {
		err = &fs.PathError{Op: "close", Path: p, Err: cerr}
	}
	return err
}

package watch

import "golang.org/x/sys/unix"

// noEvents names the file system of dir when it is one whose changes made
// elsewhere (another machine, the host of a container) send no inotify
// events, or returns "".
func noEvents(dir string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return ""
	}
	switch uint32(st.Type) {
	case unix.NFS_SUPER_MAGIC:
		return "an NFS mount"
	case unix.SMB_SUPER_MAGIC, unix.SMB2_SUPER_MAGIC, unix.CIFS_SUPER_MAGIC:
		return "an SMB mount"
	case unix.V9FS_MAGIC:
		return "a 9p mount (WSL or a virtual machine's shared folder)"
	case unix.FUSE_SUPER_MAGIC:
		return "a FUSE mount"
	}
	return ""
}

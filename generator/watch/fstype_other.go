//go:build !linux

package watch

// noEvents reports "" where the file system type cannot be told: the
// periodic scan still notices when events do not arrive.
func noEvents(dir string) string { return "" }

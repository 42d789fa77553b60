//go:build !linux

package generator

func exchange(a, b string) error { return swapByRename(a, b) }

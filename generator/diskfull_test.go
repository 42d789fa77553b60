package generator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDiskFills fills the output's disk at several points of a build, with
// and without a build cache (which changes what is written and what is
// linked): the build must fail with the system's "no space left on
// device", leave the last good site byte for byte as it was and leave no
// working folder behind; the next build, with room, must succeed.
func TestDiskFills(t *testing.T) {
	for _, cache := range []bool{false, true} {
		// 0 stands for a third of the site: a disk that fills halfway.
		for _, room := range []int64{1, 5_000, 60_000, 0} {
			t.Run(fmt.Sprintf("cache=%t/room=%d", cache, room), func(t *testing.T) {
				dir := t.TempDir()
				src := smallSite(t, dir, 60)
				out := filepath.Join(dir, "public")
				opt := Options{Src: src, Out: out}
				if cache {
					opt.CacheDir = filepath.Join(dir, "cache")
				}
				first, err := Build(context.Background(), opt)
				if err != nil {
					t.Fatal(err)
				}
				if room == 0 {
					room = first.Bytes / 3
				}
				if first.Bytes <= room {
					t.Fatalf("the site is %d bytes: a disk of %d would not fill", first.Bytes, room)
				}
				before := readTree(t, out)
				// Every page changes, so every page is written again.
				writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 改名\nbaseURL: https://example.org/\n"))

				full := opt
				full.diskRoom = room
				_, err = Build(context.Background(), full)
				if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "output: write ") || !strings.Contains(err.Error(), ": no space left on device") {
					t.Fatalf("err = %v; want output: write PATH: no space left on device", err)
				}
				if after := readTree(t, out); !maps.EqualFunc(before, after, func(a, b []byte) bool { return string(a) == string(b) }) {
					t.Error("the output changed in a build that ran out of space")
				}
				if left, _ := filepath.Glob(filepath.Join(dir, ".public.building-*")); len(left) > 0 {
					t.Errorf("working folders left behind: %q", left)
				}
				if _, err := Build(context.Background(), opt); err != nil {
					t.Fatalf("the build after: %v", err)
				}
				home, _ := os.ReadFile(filepath.Join(out, "index.html"))
				if !strings.Contains(string(home), "改名") {
					t.Error("the build after did not publish the change")
				}
			})
		}
	}
}

//go:build unix

package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestKilledBuildHelper is the build that TestKilledBuilds kills: run as a
// subprocess of the test binary, it kills itself with SIGKILL at the point
// PLANSITE_KILL_AT names. Run directly it does nothing.
func TestKilledBuildHelper(t *testing.T) {
	at := os.Getenv("PLANSITE_KILL_AT")
	if at == "" {
		t.Skip("run by TestKilledBuilds")
	}
	die := func() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
	opt := Options{Src: os.Getenv("PLANSITE_KILL_SRC"), Out: os.Getenv("PLANSITE_KILL_OUT"), CacheDir: os.Getenv("PLANSITE_KILL_CACHE")}
	opt.Logf = func(format string, args ...any) {
		if strings.HasPrefix(format, at) {
			die()
		}
	}
	opt.Progress = func(done, total int) {
		if at == "halfway" && done >= total/2 {
			die()
		}
	}
	Build(context.Background(), opt)
	t.Fatal("the build was not killed")
}

// TestKilledBuilds kills a build with SIGKILL at several points, with and
// without a cache: the output folder must hold either the last good site
// or the complete new one, never a mixture, and the next build must
// remove every working folder the killed one left and say what it freed.
func TestKilledBuilds(t *testing.T) {
	points := []struct {
		at       string // a --verbose line's start, or "halfway"
		swapped  bool   // the new site is in place when it dies
		leftover bool   // it leaves a working folder
	}{
		{"load:", false, false},   // before the first write
		{"halfway", false, true},  // half the pages written
		{"written:", false, true}, // all written, just before the swap
		{"publish:", true, true},  // just after the swap
	}
	for _, cache := range []bool{false, true} {
		for _, p := range points {
			t.Run(fmt.Sprintf("cache=%t/%s", cache, strings.TrimSuffix(p.at, ":")), func(t *testing.T) {
				dir := t.TempDir()
				src := smallSite(t, dir, 200)
				out := filepath.Join(dir, "public")
				opt := Options{Src: src, Out: out}
				if cache {
					opt.CacheDir = filepath.Join(dir, "cache")
				}
				if _, err := Build(context.Background(), opt); err != nil {
					t.Fatal(err)
				}
				before := readTree(t, out)
				writeFile(t, filepath.Join(src, "site.yaml"), []byte("title: 改名\nbaseURL: https://example.org/\n"))
				ref := filepath.Join(t.TempDir(), "ref")
				if _, err := Build(context.Background(), Options{Src: src, Out: ref}); err != nil {
					t.Fatal(err)
				}
				want := readTree(t, ref)

				cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBuildHelper$")
				cmd.Env = append(os.Environ(), "PLANSITE_KILL_AT="+p.at, "PLANSITE_KILL_SRC="+src, "PLANSITE_KILL_OUT="+out, "PLANSITE_KILL_CACHE="+opt.CacheDir)
				var stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stderr, &stderr
				err := cmd.Run()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Fatalf("the build was not killed: %v\n%s", err, stderr.String())
				}
				got := readTree(t, out)
				same := func(a, b map[string][]byte) bool { return maps.EqualFunc(a, b, bytes.Equal) }
				if p.swapped && !same(got, want) || !p.swapped && !same(got, before) {
					t.Fatalf("after the kill the output is neither the old site nor the new one (swapped: %t)", p.swapped)
				}
				left, _ := filepath.Glob(filepath.Join(dir, ".public.building-*"))
				if p.leftover != (len(left) > 0) {
					t.Fatalf("working folders left: %q; want some: %t", left, p.leftover)
				}

				res, err := Build(context.Background(), opt)
				if err != nil {
					t.Fatal(err)
				}
				if res.FreedFolders != len(left) || len(left) > 0 && res.Freed <= 0 {
					t.Errorf("the next build removed %d folders, %d bytes; %d were left", res.FreedFolders, res.Freed, len(left))
				}
				if len(left) > 0 && !strings.Contains(res.String(), fmt.Sprintf("removed %d ", len(left))) {
					t.Errorf("the result does not say what it removed: %s", res)
				}
				if again, _ := filepath.Glob(filepath.Join(dir, ".public.building-*")); len(again) > 0 {
					t.Errorf("working folders still there: %q", again)
				}
				if !same(readTree(t, out), want) {
					t.Error("the next build's output differs from a clean build's")
				}
			})
		}
	}
}

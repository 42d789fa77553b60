//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"plansite/generator"
)

// TestBuildWaitsForTheLock holds the output's lock as another build would
// and checks both answers of a second build: --no-wait fails at once,
// saying why, and without it the build waits, says so, and goes on once
// the lock is free.
func TestBuildWaitsForTheLock(t *testing.T) {
	dir := t.TempDir()
	faultSite(t, dir)
	t.Chdir(dir)
	f, err := os.OpenFile(".public.lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	f.WriteString("4242\n")

	var stdout, stderr bytes.Buffer
	start := time.Now()
	err = run(context.Background(), []string{"build", "--cache-dir", "", "--no-wait"}, &stdout, &stderr)
	if !errors.Is(err, generator.ErrLocked) || exitCode(err) != 1 ||
		!strings.Contains(err.Error(), "output: another build of public is running (process 4242); wait for it to finish, or run again without --no-wait") {
		t.Fatalf("--no-wait: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("--no-wait took %v", d)
	}
	if _, err := os.Stat("public"); !os.IsNotExist(err) {
		t.Errorf("--no-wait built anyway: %v", err)
	}

	done := make(chan error, 1)
	var waitOut, waitErr bytes.Buffer
	go func() {
		done <- run(context.Background(), []string{"build", "--cache-dir", ""}, &waitOut, &waitErr)
	}()
	select {
	case err := <-done:
		t.Fatalf("the build did not wait: %v", err)
	case <-time.After(400 * time.Millisecond):
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the build did not go on once the lock was free")
	}
	if !strings.Contains(waitErr.String(), "waiting for another build of public (process 4242) to finish") {
		t.Errorf("stderr = %q; want the waiting message", waitErr.String())
	}
	if _, err := os.Stat("public/index.html"); err != nil {
		t.Error(err)
	}
}

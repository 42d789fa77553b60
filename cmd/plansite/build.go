package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"plansite/generator"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "plansite build [--src DIR] [--out DIR] [--drafts] [--verbose]", stderr)
	src := fs.String("src", "content", "the content `folder` (site.yaml and Markdown pages)")
	out := fs.String("out", "public", "the output `folder`, replaced whole by a successful build")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	verbose := fs.Bool("verbose", false, "report each stage of the build")
	workers := fs.Int("workers", 0, "pages rendered at once (0: one per CPU)")
	cacheDir := fs.String("cache-dir", defaultCacheDir(), "the build cache `folder`, safe to delete; empty disables the cache")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plansite build: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsageShown
	}
	opt := generator.Options{Src: *src, Out: *out, Drafts: *drafts, Workers: *workers, CacheDir: *cacheDir}
	if *verbose {
		opt.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	}
	bar := newProgressBar(stderr)
	opt.Progress = bar.update
	res, err := generator.Build(ctx, opt)
	bar.finish()
	if err != nil {
		return fmt.Errorf("build failed, %s left unchanged:\n%w", *out, err)
	}
	fmt.Fprintln(stdout, res)
	return nil
}

// defaultCacheDir is plansite's folder in the user's cache folder, or ""
// (no cache) where the system names none.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "plansite")
}

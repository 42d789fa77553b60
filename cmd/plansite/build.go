package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"plansite/generator"
	"plansite/generator/content"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "plansite build [--src DIR] [--out DIR] [--drafts] [--future] [--expired] [--now TIME] [--compress] [--minify] [--no-wait] [--verbose]", stderr)
	src := fs.String("src", "content", "the content `folder` (site.yaml and Markdown pages)")
	out := fs.String("out", "public", "the output `folder`, replaced whole by a successful build")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	future := fs.Bool("future", false, "include pages whose publishDate is still to come")
	expired := fs.Bool("expired", false, "include pages whose expiryDate has passed")
	nowFlag := fs.String("now", "", "build the site as it is at `TIME` (2006-01-02 or RFC 3339; default: $SOURCE_DATE_EPOCH if set, else the clock)")
	verbose := fs.Bool("verbose", false, "report each stage of the build")
	workers := fs.Int("workers", 0, "pages rendered at once (0: one per CPU)")
	cacheDir := fs.String("cache-dir", defaultCacheDir(), "the build cache `folder`, safe to delete; empty disables the cache")
	compress := fs.Bool("compress", false, "also write precompressed copies (.gz, .br) of every text file over 1 KB, for nginx's gzip_static and object storage")
	minifyHTML := fs.Bool("minify", false, "minify the HTML (the theme's styles and scripts always are)")
	noWait := fs.Bool("no-wait", false, "fail at once if another build of the same output folder is running, instead of waiting for it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plansite build: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsageShown
	}
	now, err := buildTime(*nowFlag, os.Getenv("SOURCE_DATE_EPOCH"), time.Now)
	if err != nil {
		return err
	}
	opt := generator.Options{Src: *src, Out: *out, Drafts: *drafts, Future: *future, Expired: *expired, Now: now, Workers: *workers, CacheDir: *cacheDir, NoWait: *noWait, Compress: *compress, Minify: *minifyHTML}
	// Waiting for another build is said even without --verbose: a build
	// that seems to hang must say why.
	opt.OnWait = func(msg string) { fmt.Fprintln(stderr, msg) }
	if *verbose {
		opt.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// Go lets the heap grow to twice what is live before collecting;
		// near the end of a large build (the site's text and its search
		// index at once) that doubling is most of the peak. Past this soft
		// limit the collector works harder instead: a 50,000-page site
		// then peaks near 1.1 GB rather than 1.8 GB, for about 8% more
		// time. Smaller sites never reach it.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildMemoryLimit))
	}
	bar := newProgressBar(stderr)
	opt.Progress = bar.update
	res, err := generator.Build(ctx, opt)
	bar.finish()
	if err != nil {
		return fmt.Errorf("build failed, %s left unchanged:\n%w", *out, err)
	}
	fmt.Fprintln(stdout, res)
	fmt.Fprintln(stdout, res.Schedule())
	return nil
}

// buildMemoryLimit is the soft memory limit of a build (see runBuild); the
// GOMEMLIMIT environment variable replaces it.
const buildMemoryLimit = 1 << 30

// defaultCacheDir is plansite's folder in the user's cache folder, or ""
// (no cache) where the system names none.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "plansite")
}

// buildTime is the moment a build publishes for: --now, else
// SOURCE_DATE_EPOCH (the reproducible-builds convention), else the clock.
func buildTime(flagValue, epoch string, clock func() time.Time) (time.Time, error) {
	if flagValue != "" {
		t, err := content.ParseTime(flagValue)
		if err != nil {
			return time.Time{}, fmt.Errorf("--now: %w", err)
		}
		return t, nil
	}
	if epoch != "" {
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH: %q is not a number of seconds", epoch)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return clock(), nil
}

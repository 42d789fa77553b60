package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"plansite/generator/content"
	"plansite/generator/linkcheck"
)

// runCheck is "plansite check": the built site's own links again (every
// build checks them) and, with --external, its links to other sites.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "plansite check [--external] [--src DIR] [--out DIR] [--workers N] [--timeout D] [--cache-dir DIR]", stderr)
	src := fs.String("src", "content", "the content `folder`, whose site.yaml gives the base URL")
	out := fs.String("out", "public", "the built site's `folder`")
	external := fs.Bool("external", false, "also check the links to other sites (over the network)")
	workers := fs.Int("workers", 8, "outside requests at once")
	timeout := fs.Duration("timeout", 15*time.Second, "how long to wait for each outside server")
	cacheDir := fs.String("cache-dir", defaultCacheDir(), "where outside links' results are kept for a day; empty keeps none")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plansite check: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsageShown
	}
	site, _, err := content.ReadSite(*src)
	if err != nil {
		return err
	}
	own := linkcheck.New(site.BaseURL)
	err = filepath.WalkDir(*out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(*out, p)
		own.Add(filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		return err
	}
	var problems []string
	for _, b := range own.Broken() {
		problems = append(problems, fmt.Sprintf("%s: broken link %q: %s", filepath.Join(*out, b.File), b.Link, b.Reason))
	}
	fmt.Fprintf(stdout, "own links: %d broken\n", len(problems))
	if *external {
		opt := linkcheck.ExternalOptions{Base: site.BaseURL, Workers: *workers, Timeout: *timeout}
		if *cacheDir != "" {
			opt.Cache = filepath.Join(*cacheDir, "external-links.json")
		}
		rep, err := linkcheck.External(ctx, *out, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "outside links: %d answered (%d from the cache of the last day), %d broken, %d rate-limited\n",
			rep.OK, rep.Cached, len(rep.Broken), len(rep.Limited))
		for _, r := range rep.Limited {
			fmt.Fprintf(stdout, "not checked: %s asked to be asked later (429); it is checked again next time\n", r.URL)
		}
		for _, r := range rep.Broken {
			why := r.Err
			if why == "" {
				why = fmt.Sprintf("status %d", r.Status)
			}
			problems = append(problems, fmt.Sprintf("%s: %s (on %s)", r.URL, why, strings.Join(r.Pages, ", ")))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d broken links:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	return nil
}

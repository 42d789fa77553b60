package main

import (
	"context"
	"fmt"
	"io"

	"plansite/generator/targets/suggest"
)

// runTargets is "plansite targets --suggest": it proposes the report's
// quantitative commitments into content/targets.yaml.
func runTargets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("targets", "plansite targets --suggest [--src DIR] [--dry-run] [--force]", stderr)
	var opts suggest.Options
	var doSuggest bool
	fs.BoolVar(&doSuggest, "suggest", false, "propose the commitments of the topic pages into targets.yaml")
	fs.StringVar(&opts.ContentDir, "src", "content", "the content folder")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "show what would change; write nothing")
	fs.BoolVar(&opts.Force, "force", false, "replace entries edited by hand with the suggestion")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !doSuggest {
		fmt.Fprintln(stderr, "plansite targets: say what to do: --suggest")
		fs.Usage()
		return errUsageShown
	}
	r, err := suggest.Run(ctx, opts)
	if err != nil {
		return err
	}
	return r.Write(stdout)
}

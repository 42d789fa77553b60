package main

import (
	"context"
	"fmt"
	"io"

	"plansite/generator/manifest"
)

// runDiff is "plansite diff OLD NEW": the pages added, removed and changed
// between two built sites, and the text that changed on each.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "plansite diff OLD NEW (two built site folders, such as the live copy and a fresh public/)", stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "plansite diff: give two built site folders, got %d\n", len(pos))
		fs.Usage()
		return errUsageShown
	}
	d, err := manifest.Compare(pos[0], pos[1])
	if err != nil {
		return err
	}
	_, err = d.WriteTo(stdout)
	return err
}

package main

import (
	"context"
	"fmt"
	"io"

	"plansite/generator/importer"
)

// defaultSeed is the source of record of the site's content.
const defaultSeed = "seeds/xuchang-2023-work-report-key-work-part2.txt"

// runImport is "plansite import": it turns the seed into content/ pages.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "plansite import [SEED] [--map FILE] [--out DIR] [--dry-run] [--force]", stderr)
	var opts importer.Options
	fs.StringVar(&opts.MapPath, "map", "seeds/topics.yaml", "the mapping of item headings to topics")
	fs.StringVar(&opts.OutDir, "out", "content", "the content folder to write into")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "show what would change; write nothing")
	fs.BoolVar(&opts.Force, "force", false, "overwrite pages edited by hand since the last import")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		opts.SeedPath = defaultSeed
	case 1:
		opts.SeedPath = pos[0]
	default:
		fmt.Fprintf(stderr, "plansite import: one seed at most, got %d: %q\n", len(pos), pos)
		fs.Usage()
		return errUsageShown
	}
	r, err := importer.Import(ctx, opts)
	if err != nil {
		return err
	}
	return r.Write(stdout)
}

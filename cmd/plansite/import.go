package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"plansite/generator/content"
	"plansite/generator/importer"
)

// defaultSeed is the source of record of the site's content.
const defaultSeed = "seeds/xuchang-2023-work-report-key-work-part2.txt"

const importSynopsis = `plansite import [SEED] [--map FILE] [--out DIR] [--dry-run] [--force]
       plansite import SEED --suggest [--map FILE] [--force]

Turns a report's plain text (SEED; default: the one text file in seeds/) into
content/: the home page and one page per topic, each a "##" section per item
of the report. It proves that every character of the report appears in the
pages once and in order, or writes nothing; a page edited by hand since the
last import is kept unless --force is given. Topics new to content/site.yaml
are added to its topics list.

The mapping file (--map, seeds/topics.yaml) says what cannot be read from the
text. --suggest reads the report and writes a draft of it, to check and edit:

  publisher: 某市人民政府          # optional: 发布机构 of the pages (else site.yaml's)
  home:
    title: …                       # the home page's title
    summary: …                     # one sentence about the report
  layout:                          # patterns: Go regular expressions, whole line
    drop: ['^某某日报\d+$']         #   printed-layout lines to drop (headers, page numbers)
    itemMarker: ●                  #   starts an item heading; dropped
    itemHeading: '^（[一二三]+）'   #   an item heading without a marker
    sourceLine: '^《.+》解读.*$'    #   names the source document (kept as the pages' source)
    creditLine: '^（文字整理.*）$'  #   the credit line (kept as the pages' credit)
  sections:                        # section titles, lines of the report
    - title: 一、…
      placement: before            # before its items, or after them
      itemHeading: '^\p{Han}{4,16}$'  # optional: unmarked item headings in this section
  topics:                          # one page each, in the site's order
    - slug: ecology                # the address /topics/ecology/
      title: 生态环境
      summary: …                   # one sentence for the home page
      items: [持续打好污染防治攻坚战, …]  # item headings, exactly as in the report

A seed in GB18030/GBK, Big5 or UTF-16, or with Windows line endings, is converted.`

// runImport is "plansite import": it turns the seed into content/ pages,
// or with --suggest drafts the mapping that does.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", importSynopsis, stderr)
	var opts importer.Options
	fs.StringVar(&opts.MapPath, "map", "seeds/topics.yaml", "the mapping `file` of the report's items to topics")
	fs.StringVar(&opts.OutDir, "out", "content", "the content `folder` to write into")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "show what would change; write nothing")
	fs.BoolVar(&opts.Force, "force", false, "overwrite pages edited by hand since the last import; with --suggest, an existing mapping")
	suggest := fs.Bool("suggest", false, "read the report and write a draft mapping (--map) instead of importing")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		if opts.SeedPath, err = findSeed(filepath.Dir(opts.MapPath)); err != nil {
			return err
		}
	case 1:
		opts.SeedPath = pos[0]
	default:
		fmt.Fprintf(stderr, "plansite import: one seed at most, got %d: %q\n", len(pos), pos)
		fs.Usage()
		return errUsageShown
	}
	if *suggest {
		return runSuggest(opts, stdout)
	}
	if _, err := os.Stat(opts.MapPath); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: no mapping yet: run plansite import %s --suggest to draft one", opts.MapPath, opts.SeedPath)
	}
	r, err := importer.Import(ctx, opts)
	if err != nil {
		return err
	}
	if err := r.Write(stdout); err != nil {
		return err
	}
	if opts.DryRun {
		return nil
	}
	var slugs []string
	for _, t := range r.Mapping.Topics {
		slugs = append(slugs, t.Slug)
	}
	added, err := content.AddTopicsToSite(opts.OutDir, slugs)
	if err != nil {
		return err
	}
	if len(added) > 0 {
		fmt.Fprintf(stdout, "listed in %s: %s\n", filepath.Join(opts.OutDir, content.SiteFile), strings.Join(added, ", "))
	}
	return nil
}

// findSeed picks the seed when none is named: the bundled site's, or the
// one text file in the mapping's folder.
func findSeed(dir string) (string, error) {
	if _, err := os.Stat(defaultSeed); err == nil {
		return defaultSeed, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	var found []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".md":
		default:
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				found = append(found, filepath.Join(dir, e.Name()))
			}
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("name the report's text file: plansite import seeds/report.txt (%d candidates in %s)", len(found), dir)
	}
	return found[0], nil
}

// runSuggest writes the draft mapping, never over an existing one unless
// forced, and prints what the reading found.
func runSuggest(opts importer.Options, stdout io.Writer) error {
	data, err := os.ReadFile(opts.SeedPath)
	if err != nil {
		return err
	}
	if _, err := os.Stat(opts.MapPath); err == nil && !opts.Force {
		return fmt.Errorf("%s exists: it may hold your edits; give another --map, or --force to replace it", opts.MapPath)
	}
	sug, err := importer.Suggest(filepath.ToSlash(opts.SeedPath), filepath.ToSlash(opts.MapPath), data)
	if sug == nil {
		return err
	}
	if werr := writeMapping(opts.MapPath, sug.Mapping); werr != nil {
		return werr
	}
	if perr := sug.Write(stdout, filepath.ToSlash(opts.MapPath)); perr != nil {
		return perr
	}
	return err
}

func writeMapping(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

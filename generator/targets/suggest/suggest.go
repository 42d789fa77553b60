// Package suggest is "plansite targets --suggest": it reads a content
// folder's topic pages, proposes their quantitative commitments (see
// package targets) and merges them into content/targets.yaml without
// touching what the press office edited.
package suggest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"plansite/generator/atomicfile"
	"plansite/generator/confine"
	"plansite/generator/content"
	"plansite/generator/targets"
)

// Options says which content folder to read and how to write.
type Options struct {
	// ContentDir is the content folder (content).
	ContentDir string
	// DryRun reports what would change and writes nothing.
	DryRun bool
	// Force replaces entries edited by hand with the suggestion.
	Force bool
}

// Report is what a suggestion found and did.
type Report struct {
	Options Options
	// File is targets.yaml's path as shown.
	File    string
	Pages   int
	Changes []targets.Change
	// Written is set when the file was written.
	Written bool
}

// Run proposes the targets of the content folder's topic pages and merges
// them into its targets.yaml (unless opts.DryRun). A broken targets.yaml or
// topic page is an error, and nothing is written.
func Run(ctx context.Context, opts Options) (*Report, error) {
	dir := opts.ContentDir
	show := func(p string) string { return path.Join(filepath.ToSlash(dir), p) }
	siteSrc, err := read(dir, content.SiteFile, show)
	if err != nil {
		return nil, err
	}
	site, errs := content.ParseSite(show(content.SiteFile), siteSrc)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var pages []targets.Page
	var perrs content.Errors
	for _, slug := range site.Topics {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := "topics/" + slug + ".md"
		src, err := read(dir, name, show)
		if err != nil {
			return nil, err
		}
		p, errs := content.ParsePage(show(name), src)
		perrs = append(perrs, errs...)
		if p != nil {
			pages = append(pages, targets.Page{Topic: slug, Body: string(p.Body)})
		}
	}
	if err := perrs.Err(); err != nil {
		return nil, err
	}
	r := &Report{Options: opts, File: show(targets.FileName), Pages: len(pages)}
	file := filepath.Join(dir, targets.FileName)
	old, err := read(dir, targets.FileName, show)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var f *targets.File
	if len(old) > 0 {
		var terrs targets.Errors
		if f, terrs = targets.Parse(r.File, old); len(terrs) > 0 {
			return nil, fmt.Errorf("fix %s first; nothing written:\n%w", r.File, terrs)
		}
	}
	data, changes, err := targets.Merge(old, f, targets.Suggest(pages), opts.Force)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; nothing written", r.File, err)
	}
	r.Changes = changes
	if opts.DryRun || string(data) == string(old) {
		return r, nil
	}
	if err := atomicfile.Write(file, data, 0o644); err != nil {
		return nil, err
	}
	r.Written = true
	return r, nil
}

// read reads a file of the content folder; a link out of it is an error.
func read(dir, name string, show func(string) string) ([]byte, error) {
	data, err := confine.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	var le *confine.LinkError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("%s: %w", show(name), le)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", show(name), err)
	}
	return data, err
}

var actionNames = map[targets.Action][2]string{
	targets.Added:       {"added", "would add"},
	targets.Updated:     {"updated", "would update"},
	targets.Overwritten: {"overwritten", "would overwrite"},
	targets.Removed:     {"removed", "would remove"},
	targets.KeptEdited:  {"kept", "would keep"},
	targets.Curated:     {"curated", "curated"},
	targets.Dismissed:   {"dismissed", "dismissed"},
	targets.Unchanged:   {"unchanged", "unchanged"},
}

// Write prints the report: one line per proposed target that is not
// already in the file as proposed, then a summary.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	verb := 0
	if r.Options.DryRun {
		verb = 1
	}
	counts := map[targets.Action]int{}
	for _, c := range r.Changes {
		counts[c.Action]++
		t := c.Target
		var note string
		switch c.Action {
		case targets.Unchanged:
			continue
		case targets.KeptEdited:
			note = ": edited by hand; use --force to overwrite"
		case targets.Curated:
			note = ": already in the file as a target with the same clause and value"
		case targets.Dismissed:
			note = ": listed under dismissed"
		case targets.Removed:
			note = ": no topic page makes this commitment any more"
		}
		fmt.Fprintf(&b, "  %-15s %s  %s %s%s%s (%s: %s)%s\n", actionNames[c.Action][verb], t.ID, t.What, t.Qualifier, t.Value, t.Unit, t.Topic, t.Clause, note)
	}
	var summary []string
	for _, a := range []targets.Action{targets.Added, targets.Updated, targets.Overwritten, targets.Removed, targets.KeptEdited, targets.Curated, targets.Dismissed, targets.Unchanged} {
		if counts[a] > 0 {
			summary = append(summary, fmt.Sprintf("%d %s", counts[a], actionNames[a][verb]))
		}
	}
	if len(summary) == 0 {
		summary = []string{"no commitment found"}
	}
	where := r.File
	switch {
	case r.Options.DryRun:
		where += " (dry run: nothing written)"
	case !r.Written:
		where += " (nothing to change)"
	}
	fmt.Fprintf(&b, "%s: %s, from %d topic pages\n", where, strings.Join(summary, ", "), r.Pages)
	_, err := io.WriteString(w, b.String())
	return err
}

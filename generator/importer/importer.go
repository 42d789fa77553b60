package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"plansite/generator/atomicfile"
	"plansite/generator/confine"
)

// Options says what to import and where; cmd/plansite fills it from flags.
type Options struct {
	SeedPath string
	MapPath  string
	// OutDir is the content folder written into.
	OutDir string
	// DryRun reports what would change and writes nothing.
	DryRun bool
	// Force overwrites files edited by hand since the last import.
	Force bool
}

// Action is what an import did, or would do, to one output file.
type Action int

// The actions, from the quietest.
const (
	Unchanged   Action = iota // same bytes; not rewritten
	Created                   // did not exist
	Updated                   // unedited since the last import; replaced
	KeptEdited                // edited by hand; left alone
	Overwritten               // edited by hand; replaced because of Force
	Removed                   // page of a topic no longer in the mapping
)

var actionNames = map[Action][2]string{
	Unchanged:   {"unchanged", "unchanged"},
	Created:     {"created", "would create"},
	Updated:     {"updated", "would update"},
	KeptEdited:  {"kept", "would keep"},
	Overwritten: {"overwritten", "would overwrite"},
	Removed:     {"removed", "would remove"},
}

// FileResult is the action taken on one output file.
type FileResult struct {
	// Path is the slash path below the output folder.
	Path   string
	Action Action
	// Items is the number of report items on the page.
	Items int
}

// Report is what an import found and did.
type Report struct {
	Options Options
	Mapping *Mapping
	Doc     *Document
	Files   []FileResult
	// Checked is the number of seed characters proved present exactly once.
	Checked int
	// Conversions says how the seed was made UTF-8 text with "\n" line
	// endings, if it was not already (see [DecodeText]).
	Conversions []string
}

// Import parses the seed with the mapping, renders the content, proves that
// nothing was lost or invented, and writes the files that changed (none, if
// opts.DryRun). If any input is bad it writes nothing and returns every
// problem found, as [Errors].
func Import(ctx context.Context, opts Options) (*Report, error) {
	mapSrc, err := readInput(opts.MapPath)
	if err != nil {
		return nil, err
	}
	seed, conversions, err := readSeed(opts.SeedPath)
	if err != nil {
		return nil, err
	}
	m, err := ParseMapping(opts.MapPath, mapSrc)
	if err != nil {
		// The seed's own problems need no mapping; report them too.
		var seedErrs, mapErrs Errors
		if _, serr := seedLines(opts.SeedPath, seed); errors.As(serr, &seedErrs) && errors.As(err, &mapErrs) {
			all := append(seedErrs, mapErrs...)
			all.sort()
			return nil, all
		}
		return nil, err
	}
	doc, err := Parse(opts.SeedPath, seed, m)
	if err != nil {
		return nil, err
	}
	files := Render(doc, m)
	if err := Verify(opts.SeedPath, seed, m, files); err != nil {
		return nil, fmt.Errorf("the import lost or invented text; nothing written:\n%w", err)
	}
	r := &Report{Options: opts, Mapping: m, Doc: doc, Checked: countChecked(seed, m), Conversions: conversions}

	items := map[string]int{}
	for _, it := range doc.Items {
		items[TopicFile(it.Topic)]++
	}
	names := []string{HomeFile}
	for _, t := range m.Topics {
		names = append(names, TopicFile(t.Slug))
	}
	for _, name := range names {
		act, err := plan(filepath.Join(opts.OutDir, filepath.FromSlash(name)), files[name], opts.Force)
		if err != nil {
			return nil, err
		}
		r.Files = append(r.Files, FileResult{Path: name, Action: act, Items: items[name]})
	}
	stale, err := stalePages(opts.OutDir, files)
	if err != nil {
		return nil, err
	}
	r.Files = append(r.Files, stale...)

	if opts.DryRun {
		return r, nil
	}
	for _, f := range r.Files {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		path := filepath.Join(opts.OutDir, filepath.FromSlash(f.Path))
		switch f.Action {
		case Created, Updated, Overwritten:
			if err := atomicfile.Write(path, files[f.Path], 0o644); err != nil {
				return r, err
			}
		case Removed:
			if err := os.Remove(path); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// readInput reads a seed or mapping the user named. A link there is
// followed only within the file's own folder (seeds/), so a link cannot
// bring a file from elsewhere into the site.
func readInput(p string) ([]byte, error) {
	data, err := confine.ReadFile(p)
	var le *confine.LinkError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("%s: %w", filepath.ToSlash(p), le)
	}
	return data, err
}

// readSeed reads a seed as [readInput] does and makes it UTF-8 text.
func readSeed(p string) ([]byte, []string, error) {
	data, err := readInput(p)
	if err != nil {
		return nil, nil, err
	}
	return DecodeText(filepath.ToSlash(p), data)
}

// plan decides what to do with the file at path, to be given content want.
func plan(path string, want []byte, force bool) (Action, error) {
	have, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Created, nil
	case err != nil:
		return 0, err
	case bytes.Equal(have, want):
		return Unchanged, nil
	}
	if _, unedited := checkHash(have); unedited {
		return Updated, nil
	}
	if force {
		return Overwritten, nil
	}
	return KeptEdited, nil
}

// stalePages finds topic pages a previous import wrote for topics the
// mapping no longer has. Pages without an import hash are someone else's
// and are not looked at.
func stalePages(outDir string, files map[string][]byte) ([]FileResult, error) {
	entries, err := os.ReadDir(filepath.Join(outDir, "topics"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []FileResult
	for _, e := range entries {
		name := "topics/" + e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || files[name] != nil {
			continue
		}
		src, err := os.ReadFile(filepath.Join(outDir, "topics", e.Name()))
		if err != nil {
			return nil, err
		}
		switch stamped, unedited := checkHash(src); {
		case unedited:
			out = append(out, FileResult{Path: name, Action: Removed})
		case stamped:
			out = append(out, FileResult{Path: name, Action: KeptEdited})
		}
	}
	return out, nil
}

// countChecked counts the characters Verify accounts for.
func countChecked(seed []byte, m *Mapping) int {
	lines, err := seedLines("", seed)
	if err != nil {
		return 0
	}
	kept, _ := keptRunes(lines, m)
	return len(kept)
}

// Write prints the report: what was found in the seed, each by line, and
// what was done to each file.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	d, m := r.Doc, r.Mapping
	p("seed %s: %d lines; mapping %s: %d topics", d.Path, d.Lines, m.Path, len(m.Topics))
	for _, c := range r.Conversions {
		p("seed: %s", c)
	}
	p("source, line %d: %s", d.Source.N, d.Source.Text)
	if d.Credit.N != 0 {
		p("credit, line %d: %s (kept as attribution)", d.Credit.N, d.Credit.Text)
	}

	p("dropped %s:", plural(len(d.Dropped), "layout artifact"))
	var markerLines []string
	for _, a := range d.Dropped {
		if a.Why == "layout.itemMarker" {
			markerLines = append(markerLines, fmt.Sprint(a.Line))
			continue
		}
		p("  line %d: %q (%s)", a.Line, a.Text, a.Why)
	}
	if len(markerLines) > 0 {
		p("  item marker %q (layout.itemMarker) on %d lines: %s", m.ItemMarker, len(markerLines), strings.Join(markerLines, ", "))
	}

	for _, s := range d.Sections {
		where := "printed before its items"
		if sec := m.section(s.Text); sec != nil && sec.After {
			where = "printed after its items; placed above them"
		}
		p("section, line %d: %s (%s)", s.N, s.Text, where)
	}

	p("found %s:", plural(len(d.Items), "item"))
	for _, it := range d.Items {
		joins := ""
		if it.Joins > 0 {
			joins = ", " + plural(it.Joins, "line break") + " joined"
		}
		p("  line %d: %s -> %s (lines %d-%d, %s%s)", it.Line, it.Heading, it.Topic, it.Line, it.Last, plural(len(it.Paragraphs), "paragraph"), joins)
	}
	p("checked: all %d characters of the seed outside white space and layout artifacts appear in the output once, each item whole and in order", r.Checked)

	verb := 0
	if r.Options.DryRun {
		verb = 1
		p("dry run: nothing written to %s; the files would be:", r.Options.OutDir)
	} else {
		p("files:")
	}
	counts := map[Action]int{}
	for _, f := range r.Files {
		counts[f.Action]++
		what := ""
		if f.Items > 0 {
			what = " (" + plural(f.Items, "item") + ")"
		}
		switch f.Action {
		case KeptEdited:
			what += ": edited by hand since the last import; use --force to overwrite"
		case Overwritten:
			what += ": edited by hand since the last import"
		}
		p("  %-15s %s%s", actionNames[f.Action][verb], filepath.ToSlash(filepath.Join(r.Options.OutDir, f.Path)), what)
	}
	var summary []string
	for _, a := range []Action{Created, Updated, Overwritten, Removed, KeptEdited, Unchanged} {
		if counts[a] > 0 {
			summary = append(summary, fmt.Sprintf("%d %s", counts[a], actionNames[a][verb]))
		}
	}
	p("%d topics: %s", len(m.Topics), strings.Join(summary, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

// plural formats a count of things in English.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

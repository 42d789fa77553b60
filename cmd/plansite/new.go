package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"plansite/generator/content"
	"plansite/generator/scaffold"
)

const newSynopsis = `plansite new site DIR
       plansite new topic SLUG "标题" [--src DIR]
       plansite new update "标题" --topic SLUG [--topic SLUG] [--date 2023-05-01] [--slug NAME] [--src DIR]`

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("new", newSynopsis, stderr)
	src := fs.String("src", "content", "the content `folder`")
	date := fs.String("date", "", "the update's `date`, 2023-05-01 (default: today, Beijing time)")
	slug := fs.String("slug", "", "the file and address `name` after the date (default: a counter, 1, 2, ...)")
	var topics topicList
	fs.Var(&topics, "topic", "a topic `slug` from site.yaml; repeat the flag or separate by commas for several")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	what := ""
	if len(pos) > 0 {
		what = pos[0]
	}
	// A flag that only an update takes is refused for a site or a topic,
	// not silently ignored.
	var stray []string
	fs.Visit(func(f *flag.Flag) {
		if what == "site" || what == "topic" && f.Name != "src" {
			stray = append(stray, "--"+f.Name)
		}
	})
	if len(stray) > 0 {
		fmt.Fprintf(stderr, "plansite new %s: %s: not a flag of new %s\n", what, strings.Join(stray, ", "), what)
		fs.Usage()
		return errUsageShown
	}
	switch what {
	case "site":
		return runNewSite(pos[1:], stdout, stderr, fs)
	case "topic":
		return runNewTopic(*src, pos[1:], stdout, stderr, fs)
	case "update":
	default:
		fmt.Fprintln(stderr, `plansite new: say what to create: "site", "topic" or "update"`)
		fs.Usage()
		return errUsageShown
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, `plansite new update: give the title as one argument, in quotes: plansite new update "标题" --topic ecology`)
		fs.Usage()
		return errUsageShown
	}
	nu := content.NewUpdate{Title: pos[1], Topics: topics, Slug: *slug, Date: time.Now()}
	if *date != "" {
		if nu.Date, err = content.ParseTime(*date); err != nil {
			return fmt.Errorf("--date: %w", err)
		}
	}
	name, err := content.CreateUpdate(*src, nu)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, name)
	return nil
}

// runNewSite is "plansite new site DIR".
func runNewSite(args []string, stdout, stderr io.Writer, fs *flag.FlagSet) error {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "plansite new site: give the new site's folder: plansite new site mysite")
		fs.Usage()
		return errUsageShown
	}
	files, err := scaffold.NewSite(args[0])
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, filepath.Join(args[0], filepath.FromSlash(f)))
	}
	fmt.Fprintf(stdout, "new site in %s: cd %s, then plansite build (README.md: \"Start a site for your own report\")\n", args[0], args[0])
	return nil
}

// runNewTopic is "plansite new topic SLUG 标题".
func runNewTopic(src string, args []string, stdout, stderr io.Writer, fs *flag.FlagSet) error {
	if len(args) != 2 {
		fmt.Fprintln(stderr, `plansite new topic: give the slug and the title, the title in quotes: plansite new topic ecology "生态环境"`)
		fs.Usage()
		return errUsageShown
	}
	name, err := content.CreateTopic(src, args[0], args[1])
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, name)
	fmt.Fprintf(stdout, "listed %q under topics: in %s\n", args[0], filepath.Join(src, content.SiteFile))
	return nil
}

// topicList collects --topic flags, each one slug or several separated by
// commas.
type topicList []string

func (l *topicList) String() string { return strings.Join(*l, ",") }

func (l *topicList) Set(s string) error {
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			*l = append(*l, t)
		}
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"plansite/generator/content"
)

const newSynopsis = `plansite new update "标题" --topic SLUG [--topic SLUG] [--date 2023-05-01] [--slug NAME] [--src DIR]`

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
	if len(pos) == 0 || pos[0] != "update" {
		fmt.Fprintln(stderr, `plansite new: say what to create: "update"`)
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

// Command plansite builds, previews and imports a plansite site.
//
// It only parses flags and hands off to the engine in plansite/generator;
// run is the testable entry point, driven by main and by the tests alike.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "plansite:", err)
		}
		os.Exit(exitCode(err))
	}
}

// version is the generator's version; it also keys the build cache.
const version = "0.1.0"

// errUsageShown is returned after a usage message has been printed, so main
// exits non-zero without printing the error a second time.
var errUsageShown = errors.New("usage")

// helpRequested marks a --help that printed its usage: exit status 0.
var errHelp = errors.New("help requested")

func exitCode(err error) int {
	if errors.Is(err, errHelp) {
		return 0
	}
	if errors.Is(err, errUsageShown) {
		return 2
	}
	return 1
}

// command is one subcommand: its one-line summary and its entry point.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"build":   {"build the site from content/ into public/", runBuild},
		"import":  {"import the seed report into content/", runImport},
		"diff":    {"show what changed between two builds, for sign-off: diff OLD NEW", runDiff},
		"check":   {"check the built site's links again; --external checks links to other sites", runCheck},
		"nginx":   {"print the nginx configuration that serves the built site", runNginx},
		"deploy":  {"send the built site to object storage, only what changed: deploy --target URL", runDeploy},
		"new":     {"create a site, topic or update: new site DIR, new topic SLUG \"标题\", new update \"标题\" --topic SLUG", runNew},
		"serve":   {"preview the site, rebuilding and reloading on every edit", runServe},
		"targets": {"propose the report's targets into content/targets.yaml: targets --suggest", runTargets},
		"version": {"print the version", runVersion},
		"help":    {"show this help", nil},
	}
}

// commandOrder is the order of the help listing.
var commandOrder = []string{"build", "import", "serve", "new", "targets", "diff", "check", "nginx", "deploy", "version", "help"}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsageShown
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(args) > 1 {
			if c, ok := commands()[args[1]]; ok && c.run != nil {
				return ignoreHelp(c.run(ctx, []string{"--help"}, stdout, stderr))
			}
		}
		usage(stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	c, ok := commands()[name]
	if !ok || c.run == nil {
		fmt.Fprintf(stderr, "plansite: unknown command %q\n\n", name)
		usage(stderr)
		return errUsageShown
	}
	return ignoreHelp(c.run(ctx, args[1:], stdout, stderr))
}

// ignoreHelp turns a handled --help into success.
func ignoreHelp(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "plansite builds a static public-information site from Markdown.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: plansite <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cmds := commands()
	for _, name := range commandOrder {
		if c, ok := cmds[name]; ok {
			fmt.Fprintf(w, "  %-8s %s\n", name, c.summary)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'plansite <command> --help' for a command's flags.")
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "plansite version", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "plansite", version)
	return nil
}

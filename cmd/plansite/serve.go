package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"plansite/generator/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "plansite serve [--src DIR] [--bind 127.0.0.1] [--host NAME]... [--port 1313] [--open] [--drafts] [--future] [--expired] [--now TIME]", stderr)
	src := fs.String("src", "content", "the content `folder` to build, serve and watch")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on (0.0.0.0: every interface, so the whole network; see --host)")
	var hosts hostsFlag
	fs.Var(&hosts, "host", "also answer requests naming `NAME` (an /etc/hosts alias, the machine's name on the LAN); repeat for more names. Requests naming other hosts are refused, against DNS rebinding")
	port := fs.Int("port", 1313, "the `port` to listen on (0: any free port)")
	open := fs.Bool("open", false, "open the site in the default browser")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	future := fs.Bool("future", false, "include pages whose publishDate is still to come")
	expired := fs.Bool("expired", false, "include pages whose expiryDate has passed")
	nowFlag := fs.String("now", "", "show the site as it is at `TIME` (2006-01-02 or RFC 3339; default: the clock at each build)")
	poll := fs.Bool("poll", false, "poll for changes instead of asking the system for events")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plansite serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsageShown
	}
	var now time.Time
	if *nowFlag != "" {
		var err error
		if now, err = buildTime(*nowFlag, "", time.Now); err != nil {
			return err
		}
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	opt := server.Options{Src: *src, Bind: *bind, Port: *port, Drafts: *drafts, Future: *future, Expired: *expired, Now: now, Logf: logf, Hosts: hosts}
	opt.Watch.ForcePoll = *poll
	s, err := server.New(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving %s at %s (Ctrl-C to stop)\n", *src, s.URL())
	if *open {
		openBrowser(s.URL(), logf)
	}
	return s.Run(ctx)
}

// hostsFlag collects the names given with each --host.
type hostsFlag []string

// String lists the names, for flag's defaults.
func (h *hostsFlag) String() string { return strings.Join(*h, ",") }

// Set adds one name. A URL or a list is refused rather than guessed at,
// since a name the server never matches would refuse the very requests
// the flag was meant to let through.
func (h *hostsFlag) Set(name string) error {
	if name == "" || strings.ContainsAny(name, "/, \t") {
		return fmt.Errorf("want one host name such as mybox.lan, not %q (repeat --host for more names)", name)
	}
	*h = append(*h, name)
	return nil
}

// openBrowser asks the desktop to open url and does not wait for it.
func openBrowser(url string, logf func(string, ...any)) {
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name = "explorer"
	}
	cmd := exec.Command(name, url)
	if err := cmd.Start(); err != nil {
		logf("cannot open a browser (%v): open %s yourself", err, url)
		return
	}
	// The opener exits at once; reap it so no zombie is left.
	go cmd.Wait()
}

package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"plansite/generator/content"
	"plansite/generator/nginx"
	"plansite/themes"
)

// runNginx is "plansite nginx": it prints the nginx configuration that
// serves the built site.
func runNginx(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("nginx", "plansite nginx [--src DIR] [--out DIR] [--listen ADDR] > /etc/nginx/conf.d/site.conf", stderr)
	src := fs.String("src", "content", "the content `folder`, whose site.yaml gives the base URL")
	out := fs.String("out", "public", "the built site's `folder`, served as it is")
	listen := fs.String("listen", "80", "nginx's listen `address` (port, or address:port)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plansite nginx: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsageShown
	}
	site, _, err := content.ReadSite(*src)
	if err != nil {
		return err
	}
	root, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	conf, err := nginx.Config(nginx.Options{Root: root, BaseURL: site.BaseURL, Listen: *listen, CSP: themes.ContentSecurityPolicy})
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, conf)
	return err
}

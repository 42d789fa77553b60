package main

import (
	"context"
	"fmt"
	"io"

	"plansite/generator/deploy"
)

// runDeploy is "plansite deploy": it sends the built site to object
// storage, only what changed since the last deploy.
func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("deploy", "plansite deploy --target URL [--out DIR] [--dry-run]\n\n"+
		"  URL: s3://BUCKET?region=REGION (Amazon S3), for other S3-compatible stores\n"+
		"  s3://BUCKET?endpoint=https://HOST&region=REGION&use_path_style=true, or file:///FOLDER.\n"+
		"  Credentials come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)\n"+
		"  or ~/.aws; never put them in the URL.", stderr)
	target := fs.String("target", "", "the bucket's `URL`")
	out := fs.String("out", "public", "the built site's `folder` (build it first; it must hold manifest.json)")
	dry := fs.Bool("dry-run", false, "list what would be sent and deleted; change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *target == "" {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "plansite deploy: unexpected argument %q\n", fs.Arg(0))
		} else {
			fmt.Fprintln(stderr, "plansite deploy: say where to with --target URL")
		}
		fs.Usage()
		return errUsageShown
	}
	res, err := deploy.Deploy(ctx, deploy.Options{Dir: *out, Target: *target, DryRun: *dry,
		Logf: func(format string, args ...any) { fmt.Fprintf(stdout, format+"\n", args...) }})
	if err != nil {
		return err
	}
	if *dry {
		fmt.Fprintln(stdout, "dry run: nothing was sent or deleted")
		return nil
	}
	fmt.Fprintf(stdout, "deployed: %d files sent (%d bytes), %d objects deleted, %d unchanged\n", len(res.Sent), res.Bytes, len(res.Deleted), res.Unchanged)
	return nil
}

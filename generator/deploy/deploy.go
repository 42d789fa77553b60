// Package deploy owns publishing a built site to object storage (a bucket
// behind a CDN, or a folder), through gocloud.dev/blob: s3:// (Amazon S3
// and every S3-compatible store), gs://, azblob:// and file://.
//
// It sends only what changed: the bucket keeps the site's manifest.json,
// and a file whose size and SHA-256 match the deployed manifest's, and
// which the bucket holds, is not sent again. Each object gets the
// Content-Type and Cache-Control a web server would send (package
// headers), and a precompressed copy the Content-Encoding of its
// compression. Objects the site no longer has are deleted. The manifest
// goes last, so an interrupted deploy is finished by the next one.
package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	// The bucket kinds a target URL may name. gocloud.dev's gcsblob and
	// azureblob would add gs:// and azblob://, each with its cloud's SDK.
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob"

	"plansite/generator/compress"
	"plansite/generator/headers"
	"plansite/generator/manifest"
)

// Options describes one deploy.
type Options struct {
	// Dir is the built site's folder; it must hold manifest.json.
	Dir string
	// Target is the bucket's URL, such as
	// s3://bucket?endpoint=https://s3.example.gov.cn&region=cn-1&use_path_style=true
	// or file:///srv/site.
	Target string
	// DryRun lists what would be sent and deleted and changes nothing.
	DryRun bool
	// Workers bounds the uploads at once; 0 means 8.
	Workers int
	// Attempts is how many times a failing request is tried; 0 means 4.
	Attempts int
	// Logf receives progress: the counts first, then each change.
	Logf func(format string, args ...any)

	// pause is the wait before the first retry, doubled after each; 0
	// means half a second (tests shorten it).
	pause time.Duration
}

// Result is what a deploy did (or, dry, would do).
type Result struct {
	// Sent lists the files uploaded, Deleted the objects removed, each
	// sorted; Unchanged counts the files left as they were.
	Sent, Deleted []string
	Unchanged     int
	// Bytes is the size of what was sent.
	Bytes int64
}

// Deploy publishes the built site in opt.Dir to opt.Target.
func Deploy(ctx context.Context, opt Options) (*Result, error) {
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	cur, err := manifest.Load(opt.Dir)
	if err != nil {
		return nil, err
	}
	bucket, err := blob.OpenBucket(ctx, opt.Target)
	if err != nil {
		return nil, fmt.Errorf("deploy: cannot open %s: %w", opt.Target, err)
	}
	defer bucket.Close()
	d := &deployer{opt: opt, bucket: bucket}
	if d.opt.Attempts <= 0 {
		d.opt.Attempts = 4
	}
	if d.opt.pause <= 0 {
		d.opt.pause = 500 * time.Millisecond
	}

	old, err := d.deployedManifest(ctx)
	if err != nil {
		return nil, err
	}
	held, err := d.list(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	was := map[string]manifest.File{}
	if old != nil {
		was = old.Index()
	}
	now := cur.Index()
	for _, f := range cur.Files {
		if o, ok := was[f.Path]; ok && o == f && held[f.Path] {
			res.Unchanged++
			continue
		}
		res.Sent = append(res.Sent, f.Path)
		res.Bytes += f.Size
	}
	for key := range held {
		if _, ok := now[key]; !ok && key != manifest.Name {
			res.Deleted = append(res.Deleted, key)
		}
	}
	slices.Sort(res.Deleted)
	verb := "will"
	if opt.DryRun {
		verb = "would"
	}
	logf("%s: %d files to send (%d bytes), %d objects to delete, %d unchanged; this deploy %s send and delete them",
		opt.Target, len(res.Sent), res.Bytes, len(res.Deleted), res.Unchanged, verb)
	if opt.DryRun {
		for _, p := range res.Sent {
			logf("would send   %s", p)
		}
		for _, p := range res.Deleted {
			logf("would delete %s", p)
		}
		return res, nil
	}
	if err := d.sendAll(ctx, res.Sent, logf); err != nil {
		return nil, err
	}
	for _, key := range res.Deleted {
		if err := d.retry(ctx, "delete "+key, func() error { return ignoreNotFound(bucket.Delete(ctx, key)) }); err != nil {
			return nil, err
		}
		logf("deleted %s", key)
	}
	// The record goes last: until it is there, the next deploy compares
	// with the previous one and sends again whatever this one did not.
	data := cur.Encode()
	if old != nil && len(res.Sent) == 0 && len(res.Deleted) == 0 && bytes.Equal(old.Encode(), data) {
		return res, nil // the bucket is the site already
	}
	if err := d.retry(ctx, "send "+manifest.Name, func() error { return d.put(ctx, manifest.Name, data) }); err != nil {
		return nil, err
	}
	return res, nil
}

type deployer struct {
	opt    Options
	bucket *blob.Bucket
}

// deployedManifest reads the bucket's manifest.json; nil when it has
// none (a first deploy) or one this version cannot read (all is sent).
func (d *deployer) deployedManifest(ctx context.Context) (*manifest.Manifest, error) {
	var data []byte
	err := d.retry(ctx, "read "+manifest.Name, func() error {
		var err error
		data, err = d.bucket.ReadAll(ctx, manifest.Name)
		if gcerrors.Code(err) == gcerrors.NotFound {
			data, err = nil, nil
		}
		return err
	})
	if err != nil || data == nil {
		return nil, err
	}
	m, err := manifest.Decode(data)
	if err != nil {
		return nil, nil
	}
	return m, nil
}

// list returns the keys the bucket holds.
func (d *deployer) list(ctx context.Context) (map[string]bool, error) {
	held := map[string]bool{}
	err := d.retry(ctx, "list the bucket", func() error {
		clear(held)
		it := d.bucket.List(nil)
		for {
			obj, err := it.Next(ctx)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if !obj.IsDir {
				held[obj.Key] = true
			}
		}
	})
	return held, err
}

// sendAll uploads files on a bounded pool of workers; the first error
// stops the rest.
func (d *deployer) sendAll(ctx context.Context, files []string, logf func(string, ...any)) error {
	workers := d.opt.Workers
	if workers <= 0 {
		workers = 8
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan string)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(workers, max(len(files), 1)) {
		wg.Go(func() {
			for name := range jobs {
				err := d.retry(ctx, "send "+name, func() error {
					data, err := os.ReadFile(filepath.Join(d.opt.Dir, filepath.FromSlash(name)))
					if err != nil {
						return permanent{err}
					}
					return d.put(ctx, name, data)
				})
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				}
				if err == nil {
					logf("sent %s", name)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, name := range files {
		select {
		case jobs <- name:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// put writes one object with the headers it is served with.
func (d *deployer) put(ctx context.Context, name string, data []byte) error {
	enc, orig := compress.Encoding(name)
	opts := &blob.WriterOptions{
		ContentType:  headers.ContentType(orig),
		CacheControl: headers.CacheControl(orig),
	}
	if enc == "" {
		opts.ContentType = headers.ContentType(name)
		opts.CacheControl = headers.CacheControl(name)
	} else {
		opts.ContentEncoding = enc
	}
	return d.bucket.Upload(ctx, name, bytes.NewReader(data), opts)
}

// permanent marks an error that trying again cannot mend.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retry runs op until it succeeds, fails for good or has been tried
// Attempts times, waiting longer after each failure.
func (d *deployer) retry(ctx context.Context, what string, op func() error) error {
	wait := d.opt.pause
	var err error
	for attempt := 1; ; attempt++ {
		if err = op(); err == nil {
			return nil
		}
		var p permanent
		if errors.As(err, &p) || !transient(err) || attempt >= d.opt.Attempts || ctx.Err() != nil {
			break
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait *= 2
	}
	return fmt.Errorf("deploy: %s: %w", what, err)
}

// transient reports whether an error may pass if tried again: the store
// was busy, unreachable or failed inside.
func transient(err error) bool {
	switch gcerrors.Code(err) {
	case gcerrors.NotFound, gcerrors.PermissionDenied, gcerrors.InvalidArgument, gcerrors.AlreadyExists,
		gcerrors.FailedPrecondition, gcerrors.Unimplemented, gcerrors.Canceled:
		return false
	}
	return true
}

func ignoreNotFound(err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	return err
}

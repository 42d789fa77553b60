package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"plansite/generator/headers"
	"plansite/generator/manifest"
)

// deployRun is one end-to-end deploy test: a target URL, and sent, which
// returns the keys the store received since it was last called (nil when
// the store cannot tell, and Result.Sent is trusted).
type deployRun struct {
	target string
	sent   func() []string
}

// checkDeploy builds the bundled site with --compress, deploys it, edits
// one page, builds and deploys again, and checks that exactly the changed
// files were sent, that a stray object was deleted (after a dry run that
// changed nothing) and that the bucket then holds exactly the build, each
// object with the headers it is served with.
func checkDeploy(t *testing.T, d deployRun) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "content")
	copyTree(t, filepath.Join("..", "..", "content"), src)
	out := filepath.Join(dir, "public")
	cmd := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := run(ctx, args, &stdout, &stderr); err != nil {
			t.Fatalf("plansite %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	build := func() *manifest.Manifest {
		t.Helper()
		cmd("build", "--src", src, "--out", out, "--cache-dir", "", "--now", "2024-01-01", "--compress")
		m, err := manifest.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	bucket, err := blob.OpenBucket(ctx, d.target)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()

	first := build()
	log := cmd("deploy", "--out", out, "--target", d.target)
	if want := len(first.Files); !strings.Contains(log, "deployed: "+strconv.Itoa(want)+" files sent") {
		t.Errorf("first deploy: want all %d files sent; log:\n%s", want, log)
	}
	if d.sent != nil {
		if got := d.sent(); len(got) != len(first.Files)+1 { // and manifest.json
			t.Errorf("first deploy: the store received %d objects; want %d", len(got), len(first.Files)+1)
		}
	}
	checkBucket(t, bucket, out)

	// One edited sentence.
	page := filepath.Join(src, "topics", "employment.md")
	text, _ := os.ReadFile(page)
	os.WriteFile(page, bytes.Replace(text, []byte("新增技能人才9万人。"), []byte("新增技能人才10万人。"), 1), 0o644)
	second := build()
	var want []string
	was := first.Index()
	for _, f := range second.Files {
		if o, ok := was[f.Path]; !ok || o != f {
			want = append(want, f.Path)
		}
	}
	if len(want) < 3 || !slices.Contains(want, "topics/employment/index.html") || !slices.Contains(want, "topics/employment/index.html.gz") {
		t.Fatalf("the edit changed %q", want)
	}

	// A stray object, which the site does not have: the dry run counts it
	// and leaves it; the deploy deletes it.
	if err := bucket.WriteAll(ctx, "old/stray.html", []byte("stray"), nil); err != nil {
		t.Fatal(err)
	}
	if d.sent != nil {
		d.sent()
	}
	log = cmd("deploy", "--out", out, "--target", d.target, "--dry-run")
	if !strings.Contains(log, ": "+strconv.Itoa(len(want))+" files to send") || !strings.Contains(log, ", 1 objects to delete") ||
		!strings.Contains(log, "would delete old/stray.html") || !strings.Contains(log, "dry run: nothing was sent or deleted") {
		t.Errorf("dry run's log:\n%s", log)
	}
	if ok, _ := bucket.Exists(ctx, "old/stray.html"); !ok {
		t.Error("the dry run deleted an object")
	}
	if d.sent != nil {
		if got := d.sent(); len(got) != 0 {
			t.Errorf("the dry run sent %q", got)
		}
	}
	log = cmd("deploy", "--out", out, "--target", d.target)
	for _, p := range want {
		if !strings.Contains(log, "\nsent "+p+"\n") {
			t.Errorf("second deploy did not send %s", p)
		}
	}
	if n := strings.Count(log, "\nsent "); n != len(want) {
		t.Errorf("second deploy sent %d files; want the %d changed: %q\n%s", n, len(want), want, log)
	}
	if !strings.Contains(log, "deleted old/stray.html") {
		t.Errorf("the stray object was not deleted:\n%s", log)
	}
	if d.sent != nil {
		got := d.sent()
		slices.Sort(got)
		if exp := slices.Sorted(slices.Values(append(slices.Clone(want), manifest.Name))); !slices.Equal(got, exp) {
			t.Errorf("the store received %q; want exactly %q", got, exp)
		}
	}
	checkBucket(t, bucket, out)

	// Nothing changed: nothing sent.
	log = cmd("deploy", "--out", out, "--target", d.target)
	if !strings.Contains(log, "deployed: 0 files sent (0 bytes), 0 objects deleted") {
		t.Errorf("third deploy:\n%s", log)
	}
}

// checkBucket checks that the bucket holds exactly the built site, each
// object with its content type, caching and encoding.
func checkBucket(t *testing.T, bucket *blob.Bucket, out string) {
	t.Helper()
	ctx := context.Background()
	files := map[string][]byte{}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return err
	})
	held := map[string]bool{}
	it := bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		held[obj.Key] = true
	}
	if got, want := slices.Sorted(maps.Keys(held)), slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Fatalf("the bucket holds %d objects, the build %d files:\nbucket %q\nbuild  %q", len(got), len(want), got, want)
	}
	for name, data := range files {
		got, err := bucket.ReadAll(ctx, name)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: the object's bytes differ from the build's (%v)", name, err)
		}
	}
	for _, c := range []struct{ key, ctype, cache, enc string }{
		{"index.html", "text/html; charset=utf-8", headers.CacheShort, ""},
		{"index.html.gz", "text/html; charset=utf-8", headers.CacheShort, "gzip"},
		{"index.html.br", "text/html; charset=utf-8", headers.CacheShort, "br"},
		{"feed.xml", "text/xml; charset=utf-8", headers.CacheShort, ""},
		{"favicon.svg", "image/svg+xml; charset=utf-8", headers.CacheShort, ""},
	} {
		a, err := bucket.Attributes(ctx, c.key)
		if err != nil {
			t.Errorf("%s: %v", c.key, err)
			continue
		}
		if a.ContentType != c.ctype || a.CacheControl != c.cache || a.ContentEncoding != c.enc {
			t.Errorf("%s: Content-Type %q, Cache-Control %q, Content-Encoding %q; want %q, %q, %q",
				c.key, a.ContentType, a.CacheControl, a.ContentEncoding, c.ctype, c.cache, c.enc)
		}
	}
	n := 0
	for name := range files {
		if strings.HasPrefix(name, "css/site.") && strings.HasSuffix(name, ".css") {
			n++
			a, err := bucket.Attributes(ctx, name)
			if err != nil || a.CacheControl != headers.CacheImmutable || a.ContentType != "text/css; charset=utf-8" {
				t.Errorf("%s: %+v, %v; want a year's caching", name, a, err)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d hashed stylesheets css/site.*.css", n)
	}
}

// TestDeployToFolder deploys to a file:// target (gocloud's fileblob).
func TestDeployToFolder(t *testing.T) {
	checkDeploy(t, deployRun{target: "file://" + filepath.ToSlash(t.TempDir())})
}

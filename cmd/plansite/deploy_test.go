package main

import (
	"bytes"
	"context"
	"io"
	stdlog "log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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
	os.WriteFile(page, bytes.Replace(text, []byte("逐步实现城镇养老服务设施“九个统一”。"), []byte("逐步实现城镇养老服务设施“九个统一”，年底前完成。"), 1), 0o644)
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

	// Nothing changed: nothing sent, not even the manifest.
	log = cmd("deploy", "--out", out, "--target", d.target)
	if !strings.Contains(log, "deployed: 0 files sent (0 bytes), 0 objects deleted") {
		t.Errorf("third deploy:\n%s", log)
	}
	if d.sent != nil {
		if got := d.sent(); len(got) != 0 {
			t.Errorf("third deploy: the store received %q", got)
		}
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

// TestDeployToS3 runs the deploy test against a real S3-compatible
// server: SeaweedFS (weed server -s3) on 127.0.0.1, with a key pair, its
// requests passing through a recorder, so the test sees which objects
// were really sent.
func TestDeployToS3(t *testing.T) {
	weed := os.Getenv("PLANSITE_WEED")
	if weed == "" {
		weed, _ = exec.LookPath("weed")
	}
	if weed == "" {
		msg := "SeaweedFS (weed) not found: .ci/run builds it and sets PLANSITE_WEED; or put weed on PATH to run this test"
		if os.Getenv("PLANSITE_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg + "; PLANSITE_REQUIRE_TOOLS=1 makes this a failure")
		}
		t.Skip(msg)
	}
	const key, secret = "plansite-test", "plansite-test-secret"
	t.Setenv("AWS_ACCESS_KEY_ID", key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)

	dir := t.TempDir()
	p := freePorts(t, 8)
	args := []string{"server", "-dir=" + dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + p[0], "-master.port.grpc=" + p[1], "-master.volumeSizeLimitMB=64",
		"-volume.port=" + p[2], "-volume.port.grpc=" + p[3], "-volume.max=4",
		"-filer", "-filer.port=" + p[4], "-filer.port.grpc=" + p[5], "-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3", "-s3.port=" + p[6], "-s3.port.grpc=" + p[7], "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.localSocket=" + filepath.Join(dir, "s3.sock")}
	server := exec.Command(weed, args...)
	// The key pair in its environment turns authentication on.
	server.Env = os.Environ()
	var log syncBuffer
	server.Stdout, server.Stderr = &log, &log
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		server.Process.Kill()
		server.Wait()
	})
	s3URL := "http://127.0.0.1:" + p[6]
	ctx := context.Background()

	// Every request passes through the recorder.
	target, _ := neturl.Parse(s3URL)
	var mu sync.Mutex
	var puts []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	// Refused connections while the server starts are expected.
	proxy.ErrorLog = stdlog.New(io.Discard, "", 0)
	// The store is busy for the first few uploads of one file (as S3
	// says when throttling): more than the S3 client's own retries, so
	// the deploy's must carry it through.
	busy := 5
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut || r.Method == http.MethodPost && r.URL.Query().Has("uploads") {
			if k, ok := strings.CutPrefix(r.URL.Path, "/site/"); ok {
				mu.Lock()
				if k == "404.html" && busy > 0 {
					busy--
					mu.Unlock()
					w.Header().Set("Content-Type", "application/xml")
					w.WriteHeader(http.StatusServiceUnavailable)
					io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
					return
				}
				puts = append(puts, k)
				mu.Unlock()
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	url := "s3://site?endpoint=" + neturl.QueryEscape(rec.URL) + "&region=us-east-1&use_path_style=true"

	bucket, err := blob.OpenBucket(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	var client *s3.Client
	if !bucket.As(&client) {
		t.Fatal("not an S3 bucket")
	}
	// The server takes a while to elect its master and start the gateway.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("site")})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SeaweedFS did not take the bucket within two minutes: %v\n%s", err, log.String())
		}
		time.Sleep(300 * time.Millisecond)
	}
	mu.Lock()
	puts = nil
	mu.Unlock()
	checkDeploy(t, deployRun{target: url, sent: func() []string {
		mu.Lock()
		defer mu.Unlock()
		if busy != 0 {
			t.Errorf("the busy store was asked %d times too few", busy)
		}
		got := puts
		puts = nil
		return got
	}})
}

// freePorts returns n free TCP ports on 127.0.0.1.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var ports []string
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

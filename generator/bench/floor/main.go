// Command floor measures the Markdown floor of a site build: it reads every
// .md file below a folder, converts it with goldmark (GFM and the CJK
// extension) on all cores and writes the HTML out, one folder per page as
// a site generator with pretty URLs would, and does nothing else. No front
// matter is parsed (it is skipped), no template runs, no index is built.
// generator/bench/compare.sh reports plansite's and Hugo's builds as
// multiples of this floor.
//
//	floor -src DIR -out DIR
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func main() {
	src := flag.String("src", "", "the `folder` of Markdown files")
	out := flag.String("out", "", "the `folder` to write HTML to (must not exist)")
	flag.Parse()
	if *src == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: floor -src DIR -out DIR")
		os.Exit(2)
	}
	n, err := run(*src, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "floor: converted %d files\n", n)
}

func run(src, out string) (int, error) {
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return 0, err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.CJK))
	jobs := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for p := range jobs {
				if err := convert(md, src, out, p, &buf); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, p := range files {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	return len(files), nil
}

func convert(md goldmark.Markdown, src, out, p string, buf *bytes.Buffer) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(src, p)
	if err != nil {
		return err
	}
	buf.Reset()
	if err := md.Convert(body(data), buf); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	dir := filepath.Join(out, strings.TrimSuffix(rel, ".md"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}

// body skips a leading front matter block between two "---" lines.
func body(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return data
	}
	if i := bytes.Index(data[4:], []byte("\n---\n")); i >= 0 {
		return data[4+i+5:]
	}
	return data
}

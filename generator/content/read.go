package content

import (
	"context"
	"io/fs"
	"runtime"
	"sync"
)

// readPages reads and parses the pages at paths on a pool of workers. The
// result has one entry per path, in the same order, nil where the file
// could not be parsed; reading files is most of a load's time, and the
// parse of one file does not depend on another.
func readPages(ctx context.Context, fsys fs.FS, paths []string, show func(string) string, parse func(string, []byte) (*Page, Errors), workers int) ([]*Page, Errors, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pages := make([]*Page, len(paths))
	perFile := make([]Errors, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(paths), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := paths[i]
				body, err := fs.ReadFile(fsys, p)
				if err != nil {
					perFile[i] = Errors{{Path: show(p), Err: ReadError(err)}}
					continue
				}
				page, errs := parse(show(p), body)
				perFile[i] = errs
				if page != nil {
					page.Path = p
					pages[i] = page
				}
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var errs Errors
	for _, e := range perFile {
		errs = append(errs, e...)
	}
	return pages, errs, nil
}

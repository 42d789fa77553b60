package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressBar draws a one-line bar on a terminal for builds that take more
// than a couple of seconds. On anything else (a CI log, a pipe) it draws
// nothing: a bar redrawn with carriage returns is noise in a log file.
type progressBar struct {
	w       io.Writer
	enabled bool
	start   time.Time

	mu    sync.Mutex
	last  time.Time
	drawn bool
}

// progressDelay is how long a build runs before the bar appears.
const progressDelay = 2 * time.Second

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, enabled: isTerminal(w) && os.Getenv("CI") == "", start: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progressBar) update(done, total int) {
	if !p.enabled || total == 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressDelay {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = now
	const width = 30
	filled := width * done / total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d pages", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
	p.drawn = true
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

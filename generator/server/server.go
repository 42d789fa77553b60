// Package server is plansite serve: a preview server that builds a site,
// serves it, watches its sources and rebuilds on every change.
//
// The site is built by a generator.Rebuilder and served from memory: the
// bytes served are exactly those plansite build writes, nothing is written
// to disk, and the committed public/ is never touched. Each HTML page gets
// one line more, <script src="/__plansite/reload.js" defer>, a file of its
// own because the theme runs under the Content-Security-Policy
// default-src 'self'.
//
// A finished build replaces the served site in one step (an atomic pointer
// to an immutable set of files); only then is a "status" server-sent event
// broadcast, carrying the build number, so a browser never reloads into a
// half-built site.
//
// The search index is the exception. Indexing every section of a large
// site takes seconds (about 3 s of CPU for 10,000 pages), against tens of
// milliseconds for re-rendering the edited page, so the pages are served
// and the browsers reloaded first, and the index is built afterwards on a
// goroutine of its own, once the builds have been quiet for
// Options.IndexDelay: a burst of saves costs one index, not one per save.
// Until it is done the previous index stays served, whole (its manifest
// and the shards the manifest names are swapped together), so a search
// finds the text as it was a few seconds earlier, never a broken index.
// When the new index is in, a status event carries its number; reload.js
// reloads the search page, whose script keeps the manifest it fetched
// first, and no other page. Once the index of the last build is in, the
// site served is byte for byte what plansite build writes (tested). A change that touches stylesheets alone swaps them
// without a reload. A failed build leaves the last good site served and
// sends its errors, which reload.js shows over every page until a build
// succeeds.
//
// Requests are answered only from the built files, so nothing outside the
// site can be reached, whatever the path. The server binds to 127.0.0.1
// unless told otherwise, answers only requests naming this machine (see
// Server.allowedHost: DNS rebinding), and shuts down when its context is
// cancelled, leaving no goroutine behind.
package server

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"plansite/generator"
	"plansite/generator/content"
	"plansite/generator/watch"
)

// Options configures a Server.
type Options struct {
	// Src is the content folder.
	Src string
	// Bind is the address to listen on; "" means 127.0.0.1.
	Bind string
	// Port is the port; 0 picks a free one.
	Port int
	// Drafts includes pages marked draft.
	Drafts bool
	// Future includes pages scheduled after Now, and Expired pages whose
	// expiryDate has passed, so an update can be checked before it goes
	// live or after it was taken down.
	Future, Expired bool
	// Now is the moment the site is built for; zero means the clock at
	// each build.
	Now time.Time
	// Logf receives progress and warnings; nil discards them.
	Logf func(format string, args ...any)
	// Watch tunes the watcher (its Roots and Logf are set by the server).
	Watch watch.Options
	// IndexDelay is how long the builds must be quiet before the search
	// index is rebuilt; 0 means DefaultIndexDelay.
	IndexDelay time.Duration
	// Hosts are host names the server answers to besides localhost,
	// 127.0.0.1, [::1] and the Bind address (and, when bound beyond
	// loopback, any IP address): an /etc/hosts alias, or the machine's
	// name on the LAN. A port, letter case and a trailing dot are
	// ignored. Requests naming any other host are refused; see
	// Server.allowedHost.
	Hosts []string
}

// DefaultIndexDelay lets a burst of saves finish before the search index,
// which cannot be interrupted once started, takes the CPUs for seconds.
const DefaultIndexDelay = time.Second

// Server is a running preview server. Create it with New, then call Run.
type Server struct {
	opt      Options
	logf     func(string, ...any)
	reb      *generator.Rebuilder
	w        *watch.Watcher
	ln       net.Listener
	srv      *http.Server
	instance string
	src      string // absolute content folder
	themeDir string // absolute theme folder, or ""
	hub      hub
	cur      atomic.Pointer[state]
	// mu orders the changes of cur: a build and a finished search index
	// each derive the next state from the current one.
	mu sync.Mutex
	// indexQ holds the newest search index to build, if any. Only the
	// build goroutine sends, after emptying it, so a send never blocks.
	indexQ chan *generator.SearchIndex
	// queued is the last index sent to indexQ; only rebuild uses it.
	queued *generator.SearchIndex
	done   chan struct{} // closed at shutdown, ending event streams
	// headers are added to every response; tests set a CSP.
	headers http.Header
	// hosts are the names allowedHost accepts, as hostName spells them;
	// anyIP also accepts every IP address, when bound beyond loopback.
	hosts map[string]bool
	anyIP bool
}

// state is one served version of the site. It is never modified.
type state struct {
	build int
	from  int // the build before, for stylesheet swaps
	files map[string][]byte
	// search holds the search index's files, looked up after files (a
	// site file of the same name wins, as in plansite build); index
	// counts the indexes served so far.
	search map[string][]byte
	index  int
	base   string // the base URL's path, "/" or "/sub/"
	errors string // the last build's errors; "" when it succeeded
	css    []string
}

//go:embed assets
var assets embed.FS

// New builds the site, starts watching its sources and listens. A failed
// first build is no error: the server starts and shows the errors.
func New(ctx context.Context, opt Options) (*Server, error) {
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	src, err := filepath.Abs(opt.Src)
	if err != nil {
		return nil, err
	}
	var id [4]byte
	rand.Read(id[:])
	s := &Server{
		opt:      opt,
		logf:     logf,
		reb:      generator.NewRebuilder(generator.Options{Src: src, PlainAssets: true, Drafts: opt.Drafts, Future: opt.Future, Expired: opt.Expired, Now: opt.Now}),
		instance: hex.EncodeToString(id[:]),
		src:      src,
		indexQ:   make(chan *generator.SearchIndex, 1),
		done:     make(chan struct{}),
	}
	s.cur.Store(&state{files: map[string][]byte{}, base: "/"})
	s.themeDir = s.siteThemeDir()

	// Watch before the first build, so an edit made during it is not lost.
	wopt := opt.Watch
	wopt.Roots = s.roots()
	wopt.Logf = logf
	w, err := watch.New(wopt)
	if err != nil {
		return nil, err
	}
	s.w = w
	s.rebuild(ctx, nil)

	bind := opt.Bind
	if bind == "" {
		bind = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(opt.Port)))
	if err != nil {
		w.Close()
		return nil, err
	}
	s.ln = ln
	s.allowHosts(bind, ln.Addr().(*net.TCPAddr).IP)
	if ip := net.ParseIP(bind); bind == "0.0.0.0" || bind == "::" || ip != nil && ip.IsUnspecified() {
		names := "an IP address or localhost; add --host NAME to reach it by a name too"
		if len(opt.Hosts) > 0 {
			names = "an IP address, localhost or " + strings.Join(opt.Hosts, ", ")
		}
		logf("warning: listening on all interfaces (%s): anyone on the network can read the preview, drafts included. It answers requests naming %s", bind, names)
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// URL is the address the server answers on.
func (s *Server) URL() string {
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port)) + "/"
}

// Run serves and rebuilds until ctx is cancelled, then shuts down: event
// streams end, requests in flight finish, the watcher stops.
func (s *Server) Run(ctx context.Context) error {
	wctx, stopWatch := context.WithCancel(ctx)
	watched := make(chan error, 1)
	go func() { watched <- s.w.Run(wctx, s.rebuild) }()
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(s.ln) }()
	indexed := make(chan struct{})
	go func() {
		defer close(indexed)
		s.indexLoop(wctx)
	}()

	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	close(s.done)
	stopWatch()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := s.srv.Shutdown(sctx); errors.Is(serr, context.DeadlineExceeded) {
		// A connection still busy after the grace period, such as a
		// client that stopped reading: being stopped is what was asked.
		s.logf("closing connections still open after %v", 5*time.Second)
		s.srv.Close()
	} else if serr != nil && err == nil {
		err = serr
	}
	if err == nil {
		if e := <-served; !errors.Is(e, http.ErrServerClosed) {
			err = e
		}
	}
	if werr := <-watched; err == nil {
		err = werr
	}
	// An index build under way finishes first: it cannot be interrupted.
	<-indexed
	return err
}

// roots are the folders watched: the content folder, the theme folder if
// site.yaml names one, and seeds/ beside the content folder.
func (s *Server) roots() []string {
	roots := []string{s.src, filepath.Join(filepath.Dir(s.src), "seeds")}
	if s.themeDir != "" {
		roots = append(roots, s.themeDir)
	}
	return roots
}

// siteThemeDir reads site.yaml for the theme folder; errors are left to
// the build to report.
func (s *Server) siteThemeDir() string {
	data, err := os.ReadFile(filepath.Join(s.src, content.SiteFile))
	if err != nil {
		return ""
	}
	site, _ := content.ParseSite(content.SiteFile, data)
	if site == nil || site.Theme == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(s.src), filepath.FromSlash(site.Theme))
}

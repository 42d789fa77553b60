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
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
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

// rebuild builds after changes to the given absolute paths (nil: all),
// publishes the result and tells the browsers. It runs on the watcher's
// goroutine, one build at a time.
func (s *Server) rebuild(ctx context.Context, changed []string) {
	var rels []string
	if changed != nil {
		rels = []string{}
		for _, p := range changed {
			rel, err := filepath.Rel(s.src, p)
			if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				rels = append(rels, filepath.ToSlash(rel))
				if rel == content.SiteFile {
					if dir := s.siteThemeDir(); dir != s.themeDir && dir != "" {
						s.themeDir = dir
						s.w.AddRoot(dir)
					}
				}
			}
			// Theme and seed changes need no path: the Rebuilder reads the
			// theme on every build.
		}
	}
	res, err := s.reb.Build(ctx, rels)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.cur.Load()
	if err != nil {
		msg := err.Error()
		s.logf("build failed; still serving build %d:\n%s", prev.build, msg)
		next := *prev
		next.errors = msg
		next.css = nil
		s.publish(&next)
		return
	}
	// The pages go out first; the index follows (see the package doc).
	defer s.queueIndex(res.Search)
	if len(res.Changed) == 0 && prev.errors == "" && prev.build > 0 {
		return
	}
	next := &state{build: prev.build, from: prev.build, files: res.Files, base: basePath(res.Site),
		search: prev.search, index: prev.index}
	if len(res.Changed) > 0 || prev.build == 0 {
		next.build++
		if prev.build > 0 && allCSS(res.Changed) {
			for _, c := range res.Changed {
				next.css = append(next.css, next.base+c)
			}
		}
	}
	s.logf("build %d: %d pages, %d files changed, %d rendered, in %v", next.build, res.Pages, len(res.Changed), res.Rendered, res.Elapsed.Round(time.Millisecond))
	s.publish(next)
}

// queueIndex asks for x to be built and served, unless it already was:
// a Rebuilder returns the same index while the indexed text is unchanged.
func (s *Server) queueIndex(x *generator.SearchIndex) {
	if x == s.queued {
		return
	}
	s.queued = x
	select {
	case <-s.indexQ: // superseded before it was started
	default:
	}
	s.indexQ <- x
}

// indexLoop builds each queued search index once the builds have been
// quiet for IndexDelay, and serves it, until ctx is cancelled.
func (s *Server) indexLoop(ctx context.Context) {
	delay := s.opt.IndexDelay
	if delay <= 0 {
		delay = DefaultIndexDelay
	}
	quiet := time.NewTimer(delay)
	quiet.Stop()
	defer quiet.Stop()
	var next *generator.SearchIndex
	for {
		select {
		case <-ctx.Done():
			return
		case next = <-s.indexQ:
			quiet.Reset(delay)
			continue
		case <-quiet.C:
		}
		x := next
		start := time.Now()
		files, err := x.Files()
		if ctx.Err() != nil {
			return
		}
		s.serveIndex(files, err, time.Since(start))
	}
}

// serveIndex swaps a finished search index in and tells the browsers.
func (s *Server) serveIndex(files map[string][]byte, err error, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := *s.cur.Load()
	next.css = nil
	if err != nil {
		next.errors = "search index: " + err.Error()
		s.logf("search index failed: %v", err)
		s.publish(&next)
		return
	}
	next.search = files
	next.index++
	s.logf("search index %d: %d files, of build %d's text or later, in %v", next.index, len(files), next.build, took.Round(time.Millisecond))
	s.publish(&next)
}

func allCSS(files []string) bool {
	for _, f := range files {
		if path.Ext(f) != ".css" {
			return false
		}
	}
	return len(files) > 0
}

// basePath is the path of the site's base URL, "/" or "/sub/": the
// theme's links start with it, so the server answers under it too.
func basePath(site *content.Site) string {
	u, err := url.Parse(site.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// publish makes st the served site and tells every browser.
func (s *Server) publish(st *state) {
	s.hub.publish(st, func() { s.cur.Store(st) }, s.statusJSON(st))
}

type status struct {
	Instance string   `json:"instance"`
	Build    int      `json:"build"`
	From     int      `json:"from"`
	Index    int      `json:"index"`
	Errors   string   `json:"errors,omitempty"`
	CSS      []string `json:"css,omitempty"`
}

func (s *Server) statusJSON(st *state) []byte {
	data, _ := json.Marshal(status{Instance: s.instance, Build: st.build, From: st.from, Index: st.index, Errors: st.errors, CSS: st.css})
	return data
}

// ServeHTTP answers every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.allowedHost(r.Host) {
		name := hostName(r.Host)
		http.Error(w, s.refusal("this request named "+quoteName(name), name), http.StatusMisdirectedRequest)
		return
	}
	for k, v := range s.headers {
		w.Header()[k] = v
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if rest, ok := strings.CutPrefix(r.URL.Path, "/__plansite/"); ok {
		s.serveOwn(w, r, rest)
		return
	}
	s.serveSite(w, r)
}

func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "events":
		s.serveEvents(w, r)
	case "status":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(s.statusJSON(s.cur.Load()))
	case "reload.js", "overlay.css":
		data, _ := assets.ReadFile("assets/" + name)
		s.serveBytes(w, r, s.cur.Load(), name, data, http.StatusOK)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.cur.Load()
	p := r.URL.Path
	// net/http has decoded %2e%2e and %2f already. The files are a map, so
	// ".." could reach nothing outside the site anyway; refuse it outright
	// rather than guess what was meant.
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") || slicesContains(strings.Split(p, "/"), "..") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if st.base != "/" && strings.HasPrefix(p, st.base) {
		p = "/" + strings.TrimPrefix(p, st.base)
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if strings.HasSuffix(p, "/") || name == "" {
		name = path.Join(name, "index.html")
	}
	data, ok := st.files[name]
	if !ok {
		data, ok = st.search[name]
	}
	if !ok && !strings.HasSuffix(p, "/") {
		if _, dir := st.files[path.Join(name, "index.html")]; dir {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
	}
	if !ok {
		if st.build == 0 {
			s.serveBytes(w, r, st, "index.html", []byte(notBuilt), http.StatusServiceUnavailable)
			return
		}
		if nf, ok := st.files["404.html"]; ok {
			s.serveBytes(w, r, st, "404.html", nf, http.StatusNotFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	s.serveBytes(w, r, st, name, data, http.StatusOK)
}

const notBuilt = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>plansite serve</title></head>
<body><p>The site has not built yet: see the errors. 网站尚未构建成功。</p></body></html>
`

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// serveBytes sends a file with its type, an ETag for conditional requests
// and, for HTML, the reload script.
func (s *Server) serveBytes(w http.ResponseWriter, r *http.Request, st *state, name string, data []byte, code int) {
	ctype := contentType(name)
	if strings.HasPrefix(ctype, "text/html") {
		data = s.inject(data, st.build, st.index)
	}
	sum := sha256.Sum256(data)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	if code == http.StatusOK {
		// ServeContent answers If-None-Match, HEAD and ranges.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// inject adds the reload script to an HTML page, before </head>. The
// script URL names the build and the search index the page is served from.
func (s *Server) inject(page []byte, build, index int) []byte {
	tag := fmt.Sprintf(`<script src="/__plansite/reload.js?v=%s.%d&amp;i=%d" defer></script>`+"\n", s.instance, build, index)
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		i = bytes.Index(page, []byte("</body>"))
	}
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// contentType is the type of a file by its extension, with the charset of
// text types spelled out.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	t, ok := map[string]string{
		".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
		".json": "application/json", ".xml": "application/xml", ".txt": "text/plain", ".svg": "image/svg+xml",
		".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
		".ico": "image/vnd.microsoft.icon", ".woff2": "font/woff2", ".woff": "font/woff", ".pdf": "application/pdf",
		".md": "text/markdown", ".map": "application/json", ".webmanifest": "application/manifest+json",
	}[ext]
	if !ok {
		t = mime.TypeByExtension(ext)
		if t == "" {
			return "application/octet-stream"
		}
	}
	mt, params, err := mime.ParseMediaType(t)
	if err != nil {
		return t
	}
	if _, has := params["charset"]; !has && (strings.HasPrefix(mt, "text/") || mt == "application/json" || mt == "application/xml" ||
		mt == "image/svg+xml" || mt == "application/manifest+json") {
		t = mt + "; charset=utf-8"
	}
	return t
}

// hub sends status events to every connected browser.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
	last    []byte
}

// publish runs swap and queues msg for every client, under one lock, so a
// client that connects meanwhile gets either the old status and then msg,
// or the new status: never a gap.
func (h *hub) publish(_ *state, swap func(), msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	swap()
	h.last = msg
	for c := range h.clients {
		select {
		case c <- msg:
		default:
			// Too slow to keep up: drop it. Its browser reconnects and is
			// sent the current status, which is all it needs.
			delete(h.clients, c)
			close(c)
		}
	}
}

func (h *hub) subscribe() (chan []byte, []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients == nil {
		h.clients = map[chan []byte]struct{}{}
	}
	c := make(chan []byte, 64)
	h.clients[c] = struct{}{}
	return c, h.last
}

func (h *hub) unsubscribe(c chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c)
	}
}

// serveEvents streams status events until the client or the server goes.
//
// A page of any site can open the stream with EventSource, which sends
// its Origin: CORS keeps that page from reading it, but a stream held
// open costs a connection and a goroutine, so one from a page that is not
// the preview's own is refused at once. A request without Origin is
// served: browsers send one with every cross-origin request, so none
// means a page of the preview itself or a client that is no browser.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" {
		if u, err := url.Parse(o); err != nil || u.Host == "" || !s.allowedHost(u.Host) {
			var name string
			if err == nil {
				name = hostName(u.Host)
			}
			http.Error(w, s.refusal(fmt.Sprintf("this event stream was asked for by a page from %q", o), name), http.StatusForbidden)
			return
		}
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c, last := s.hub.subscribe()
	defer s.hub.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// Proxies (nginx) must not buffer the stream.
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(msg []byte) bool {
		_, err := fmt.Fprintf(w, "event: status\ndata: %s\n\n", msg)
		flusher.Flush()
		return err == nil
	}
	if last == nil {
		last = s.statusJSON(s.cur.Load())
	}
	if !send(last) {
		return
	}
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case msg, ok := <-c:
			if !ok || !send(msg) {
				return
			}
		case <-keepalive.C:
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

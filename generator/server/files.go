package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

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

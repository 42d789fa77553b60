// Package headers owns the HTTP headers each file of a built site is
// served with, wherever it is served from: its Content-Type, and how long
// caches may keep it. The nginx configuration and the upload to object
// storage both follow it, so the two serve a site alike.
package headers

import (
	"mime"
	"path"
	"regexp"
	"strings"
)

// ImmutablePattern matches the names of content-hashed assets (such as
// css/site.3f9a1c2e.css), which may be cached for a year: a changed file
// gets a new name.
const ImmutablePattern = `\.[0-9a-f]{8}\.(?:css|js|mjs|svg|png|jpe?g|gif|webp|avif|woff2?)$`

var immutable = regexp.MustCompile(ImmutablePattern)

// Cache-Control values: hashed assets for a year, everything else (pages,
// feeds, the search manifest and index) for five minutes, so an update is
// seen within minutes.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CacheShort     = "public, max-age=300"
)

// CacheControl returns the Cache-Control of file name (a slash path).
func CacheControl(name string) string {
	if immutable.MatchString(name) {
		return CacheImmutable
	}
	return CacheShort
}

// types are the content types of a site's usual files, as Debian's
// nginx sends them, so that every server sends the same.
var types = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".mjs": "application/javascript",
	".json": "application/json", ".xml": "text/xml", ".svg": "image/svg+xml", ".txt": "text/plain",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
	".avif": "image/avif", ".ico": "image/x-icon", ".pdf": "application/pdf", ".woff": "font/woff", ".woff2": "font/woff2",
	".csv": "text/csv", ".webmanifest": "application/manifest+json",
}

// ContentType returns the Content-Type of file name; text is UTF-8.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	t, ok := types[ext]
	if !ok {
		if t = mime.TypeByExtension(ext); t == "" {
			return "application/octet-stream"
		}
		if i := strings.IndexByte(t, ';'); i >= 0 {
			t = t[:i]
		}
	}
	if strings.HasPrefix(t, "text/") || t == "application/javascript" || t == "application/json" || t == "image/svg+xml" || strings.HasSuffix(t, "+json") || strings.HasSuffix(t, "+xml") {
		t += "; charset=utf-8"
	}
	return t
}

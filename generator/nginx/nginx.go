// Package nginx owns the nginx configuration that serves a built site:
// pretty URLs, the theme's 404 page with status 404, the precompressed
// copies, a year's caching for content-hashed assets and minutes for
// everything else, and the security headers the theme is written for.
//
// It writes text only; the end-to-end test runs Debian's nginx on it.
package nginx

import (
	"fmt"
	"net/url"
	"plansite/generator/headers"
	"strings"
)

// Options describes the site to serve.
type Options struct {
	// Root is the built site's folder, absolute.
	Root string
	// BaseURL is the site's base URL from site.yaml: its host is the
	// server name, its path the location the site is served under.
	BaseURL string
	// Listen is nginx's listen parameter; empty means 80.
	Listen string
	// CSP is the Content-Security-Policy the theme runs under.
	CSP string
}

// Config returns the configuration: a map (which nginx allows only at the
// http level, like the server block; conf.d files are included there) and
// the server block.
func Config(opt Options) (string, error) {
	if !strings.HasPrefix(opt.Root, "/") {
		return "", fmt.Errorf("nginx: the site folder must be an absolute path, not %q", opt.Root)
	}
	u, err := url.Parse(opt.BaseURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("nginx: %q is not an absolute base URL", opt.BaseURL)
	}
	base := strings.TrimSuffix(u.Path, "/") + "/"
	listen := opt.Listen
	if listen == "" {
		listen = "80"
	}
	root := strings.TrimSuffix(opt.Root, "/") + "/"
	for _, s := range []string{root, base, u.Hostname(), listen, opt.CSP} {
		bad := "\";{}\n\\'$# \t"
		if s == opt.CSP {
			bad = "\"\n\\$"
		} else if s == listen {
			bad = "\";{}\n\\'$#"
		}
		if strings.ContainsAny(s, bad) {
			return "", fmt.Errorf("nginx: %q holds a character nginx would misread", s)
		}
	}
	// The variable's name is per site, so that several sites' files can
	// sit in one conf.d.
	id := "plansite_cache_" + strings.NewReplacer(".", "_", "-", "_", ":", "_").Replace(u.Hostname()) +
		strings.NewReplacer("/", "_", "-", "_", ".", "_").Replace(strings.TrimSuffix(base, "/"))

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# nginx configuration of the site at %s, written by plansite nginx.", opt.BaseURL)
	w("# Save it as /etc/nginx/conf.d/<site>.conf: it belongs in nginx's http block")
	w("# (Debian's nginx.conf includes conf.d there). Build the site")
	w("# with --compress, or compress: true in site.yaml, for gzip_static to find")
	w("# the .gz copies.")
	w("")
	w("# Content-hashed assets never change under their name; the rest may.")
	w("map $uri $%s {", id)
	w("    \"~%s\" %q;", headers.ImmutablePattern, headers.CacheImmutable)
	w("    default %q;", headers.CacheShort)
	w("}")
	w("")
	w("server {")
	w("    listen %s;", listen)
	w("    server_name %s;", u.Hostname())
	w("    # With HTTPS (listen 443 ssl; ssl_certificate ...), tell browsers to")
	w("    # come back over HTTPS only, once every page works there:")
	w("    # add_header Strict-Transport-Security \"max-age=31536000\" always;")
	w("")
	w("    # Debian's content types, and CSV for the open data, which it lacks.")
	w("    include /etc/nginx/mime.types;")
	w("    types { text/csv csv; }")
	w("    charset utf-8;")
	w("    charset_types text/css text/plain text/csv text/xml application/javascript application/json application/xml application/atom+xml application/rss+xml image/svg+xml;")
	w("    # Send file.gz in place of file to clients that accept gzip.")
	w("    gzip_static on;")
	w("    gzip_vary on;")
	w("    # With the brotli module (Debian: libnginx-mod-http-brotli-static), file.br too:")
	w("    # brotli_static on;")
	w("    server_tokens off;")
	w("")
	if base == "/" {
		w("    root %s;", strings.TrimSuffix(root, "/"))
		w("    error_page 404 /404.html;")
		w("")
		w("    location / {")
	} else {
		w("    error_page 404 %s404.html;", base)
		w("")
		w("    location %s {", base)
		w("        alias %s;", root)
	}
	w("        # Pretty URLs: /topics/ecology/ is topics/ecology/index.html.")
	w("        try_files $uri $uri/index.html =404;")
	w("        add_header Cache-Control $%s always;", id)
	w("        add_header Content-Security-Policy %q always;", opt.CSP)
	w("        add_header X-Content-Type-Options \"nosniff\" always;")
	w("        add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;")
	w("    }")
	w("}")
	return b.String(), nil
}

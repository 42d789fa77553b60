// Package linkcheck owns the check that a built site's own links resolve:
// every href and src of every HTML file, and every #fragment, must name a
// file of the build and an id in it. It works on output files only (slash
// path and bytes), so whatever page kinds, bundles or assets a build
// writes are checked alike, and it knows nothing of Markdown: the caller
// places each broken link in its source.
//
// Links to other sites are not followed here (see External for that).
package linkcheck

import (
	"html"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Site collects the files of one build as they are written and, once all
// are in, lists the links that do not resolve. Its methods are safe for
// concurrent use.
type Site struct {
	// basePath is the path of the base URL ("/" or "/plan/"); base is
	// the base URL itself, whose links count as the site's own.
	basePath, base string

	mu    sync.Mutex
	files map[string]bool
	ids   map[string]map[string]bool // HTML file → its ids
	links map[string][]string        // HTML file → its own links, as written
}

// New returns an empty Site for a build whose base URL is baseURL (such as
// https://example.gov.cn/plan/).
func New(baseURL string) *Site {
	s := &Site{basePath: "/", files: map[string]bool{}, ids: map[string]map[string]bool{}, links: map[string][]string{}}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		s.basePath = strings.TrimSuffix(u.Path, "/") + "/"
		s.base = u.Scheme + "://" + u.Host + s.basePath
	}
	return s
}

// Add records file name (a slash path below the site root) with its
// bytes; an HTML file's links and ids are read at once, and nothing of
// data is kept.
func (s *Site) Add(name string, data []byte) {
	if !strings.HasSuffix(name, ".html") {
		s.mu.Lock()
		s.files[name] = true
		s.mu.Unlock()
		return
	}
	links, ids := Scan(data)
	own := links[:0]
	for _, l := range links {
		if s.internal(l) {
			own = append(own, l)
		}
	}
	slices.Sort(own)
	own = slices.Clip(slices.Compact(own))
	s.mu.Lock()
	s.files[name] = true
	s.ids[name] = ids
	if len(own) > 0 {
		s.links[name] = own
	} else {
		delete(s.links, name)
	}
	s.mu.Unlock()
}

// internal reports whether link l points into the site.
func (s *Site) internal(l string) bool {
	if s.base != "" && strings.HasPrefix(l, s.base) {
		return true
	}
	if strings.HasPrefix(l, "//") {
		return false
	}
	// A scheme is letters, digits, + - . before the first colon, which
	// must come before any / ? or #.
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == ':':
			return false
		case c == '/' || c == '?' || c == '#':
			return true
		}
	}
	return true
}

// Has reports whether file name was added.
func (s *Site) Has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[name]
}

// Broken is one link that does not resolve.
type Broken struct {
	// File is the HTML file holding the link, Link the link as written
	// (entities decoded), Reason what is wrong, in words a clerk can act on.
	File, Link, Reason string
}

// Broken lists the links that do not resolve, sorted by file then link.
// It must be called once every file is added.
func (s *Site) Broken() []Broken {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Broken
	names := make([]string, 0, len(s.links))
	for name := range s.links {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, l := range s.links[name] {
			if reason := s.resolve(name, l); reason != "" {
				out = append(out, Broken{File: name, Link: l, Reason: reason})
			}
		}
	}
	return out
}

// resolve returns why link l of file name does not resolve, or "".
func (s *Site) resolve(name, l string) string {
	if s.base != "" && strings.HasPrefix(l, s.base) {
		l = s.basePath + strings.TrimPrefix(l, s.base)
	}
	frag := ""
	if i := strings.IndexByte(l, '#'); i >= 0 {
		l, frag = l[:i], l[i+1:]
	}
	if i := strings.IndexByte(l, '?'); i >= 0 {
		l = l[:i]
	}
	p, err := url.PathUnescape(l)
	if err != nil {
		return "the address is not valid (" + err.Error() + ")"
	}
	var target string
	switch {
	case p == "":
		target = name
	case strings.HasPrefix(p, "/"):
		if !strings.HasPrefix(p, s.basePath) {
			return "the address is outside the site, whose addresses start with " + s.basePath
		}
		target = strings.TrimPrefix(p, s.basePath)
	default:
		target = path.Join(path.Dir(name), p)
		if strings.HasSuffix(p, "/") {
			target += "/"
		}
		if target == "." || target == "./" {
			target = ""
		}
		if target == ".." || strings.HasPrefix(target, "../") {
			return "the address leads outside the site"
		}
	}
	if p != "" {
		switch {
		case target == "" || strings.HasSuffix(target, "/"):
			target += "index.html"
		case s.files[target]:
		case s.files[target+"/index.html"]:
			target += "/index.html"
		default:
			return "no such page or file in the site"
		}
		if !s.files[target] {
			return "no such page or file in the site"
		}
	}
	if frag == "" || frag == "top" {
		return ""
	}
	f, err := url.PathUnescape(frag)
	if err != nil {
		return "the #anchor is not valid (" + err.Error() + ")"
	}
	ids, ok := s.ids[target]
	if !ok {
		return "#" + f + " points into a file that is not a page"
	}
	if !ids[f] {
		return "no heading or element with id \"" + f + "\" on " + target
	}
	return ""
}

// Scan returns the links (href and src attributes) and the ids (id, and
// name on a elements) of an HTML document, entities decoded. Text inside
// script and style elements and comments is skipped.
func Scan(data []byte) (links []string, ids map[string]bool) {
	ids = map[string]bool{}
	// Read in place, not copied: a page is tens of kilobytes, and every
	// value kept is cloned, so nothing refers to data once Scan returns.
	s := unsafe.String(unsafe.SliceData(data), len(data))
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		if strings.HasPrefix(s[i:], "!--") {
			k := strings.Index(s[i:], "-->")
			if k < 0 {
				break
			}
			i += k + 3
			continue
		}
		// The tag name.
		k := i
		for k < len(s) && isNameByte(s[k]) {
			k++
		}
		if k == i {
			continue // "</x", "<!DOCTYPE" or a stray "<"
		}
		tag := strings.ToLower(s[i:k])
		i = k
		// Attributes, up to the tag's end.
		for i < len(s) {
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) || s[i] == '>' || s[i] == '/' {
				if i < len(s) && s[i] == '/' {
					i++
					continue
				}
				break
			}
			k := i
			for k < len(s) && !isSpace(s[k]) && s[k] != '=' && s[k] != '>' && s[k] != '/' {
				k++
			}
			attr := s[i:k]
			i = k
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) || s[i] != '=' {
				continue // an attribute with no value
			}
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			var val string
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				e := strings.IndexByte(s[i+1:], q)
				if e < 0 {
					return links, ids
				}
				val = s[i+1 : i+1+e]
				i += e + 2
			} else {
				k := i
				for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
					k++
				}
				val = s[i:k]
				i = k
			}
			switch {
			case eqFold(attr, "href"), eqFold(attr, "src"):
				if tag != "base" {
					links = append(links, strings.Clone(html.UnescapeString(strings.TrimSpace(val))))
				}
			case eqFold(attr, "id"), eqFold(attr, "name") && tag == "a":
				ids[strings.Clone(html.UnescapeString(val))] = true
			}
		}
		if i < len(s) {
			i++ // '>'
		}
		if tag == "script" || tag == "style" {
			end := closing(s[i:], tag)
			if end < 0 {
				break
			}
			i += end
		}
	}
	return links, ids
}

// closing returns where the end tag of tag starts in s, or -1.
func closing(s, tag string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], "</")
		if k < 0 {
			return -1
		}
		off += k
		if e := off + 2 + len(tag); e <= len(s) && strings.EqualFold(s[off+2:e], tag) {
			return off
		}
		off += 2
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

func eqFold(a, b string) bool { return len(a) == len(b) && strings.EqualFold(a, b) }

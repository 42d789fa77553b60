package server

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// allowHosts fills the names allowedHost accepts: the loopback names, the
// --bind address both as given and as listened on, and Options.Hosts.
// Bound beyond loopback, every IP address is accepted too, since a phone
// on the LAN names the machine by its address.
func (s *Server) allowHosts(bind string, ip net.IP) {
	s.hosts = map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	for _, h := range append([]string{bind, ip.String()}, s.opt.Hosts...) {
		if h := hostName(h); h != "" && h != "0.0.0.0" && h != "::" {
			s.hosts[h] = true
		}
	}
	s.anyIP = !ip.IsLoopback()
}

// allowedHost reports whether the server answers a request naming
// hostport, a Host header or the authority of an Origin.
//
// A web page the developer visits can point its own name at 127.0.0.1
// (DNS rebinding) and then read the preview, drafts and scheduled
// updates included, as a page of its own origin. Its requests still name
// that host, so answering only the names of this machine defeats it. An
// IP address cannot be rebound, so when bound beyond loopback every IP
// address is accepted; on loopback only 127.0.0.1 and ::1, the addresses
// a developer types.
func (s *Server) allowedHost(hostport string) bool {
	h := hostName(hostport)
	return s.hosts[h] || s.anyIP && net.ParseIP(h) != nil
}

// hostName is the host of a Host header or URL authority without its port
// or brackets, lower-cased and without one trailing dot ("localhost." is
// the same name as "localhost"); an IP address is put in its canonical
// form. An empty Host gives "", which no server name matches.
func hostName(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	} else {
		h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// refusal explains a refused request: the names the server answers, what
// the request named instead (named, a phrase, and name, the host), and
// the flags that would make it answer.
func (s *Server) refusal(named, name string) string {
	names := []string{"localhost", "127.0.0.1", "[::1]"}
	seen := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	for _, h := range append([]string{s.opt.Bind, s.ln.Addr().(*net.TCPAddr).IP.String()}, s.opt.Hosts...) {
		if h = hostName(h); s.hosts[h] && !seen[h] {
			seen[h] = true
			if strings.Contains(h, ":") {
				h = "[" + h + "]"
			}
			names = append(names, h)
		}
	}
	if s.anyIP {
		names = append(names, "any IP address")
	}
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	hint := "If another name stands for this machine (an /etc/hosts alias, say), add --host NAME"
	if name != "" && !strings.ContainsAny(name, "/\"") {
		hint = fmt.Sprintf("If %s names this machine (an /etc/hosts alias, say), add --host %s", name, name)
	}
	if !s.anyIP {
		hint += "; to preview from another device, run plansite serve --bind 0.0.0.0 --host NAME"
	}
	return "plansite serve answers only " + list + "; " + named + ".\n" +
		"Other names are refused so that a web page cannot reach the preview by pointing its own name at this machine (DNS rebinding).\n" +
		hint + ".\n"
}

// quoteName is a requested host name for a message, quoted so that
// whatever a client sent shows as it is; no name at all says so.
func quoteName(h string) string {
	if h == "" {
		return "no host (no Host header)"
	}
	return strconv.Quote(h)
}

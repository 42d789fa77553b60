package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// rawRequest sends req, a whole request with PATH and PORT standing for
// the path and the server's port, over a connection of its own, so that
// the Host header is exactly what the test wrote (or absent).
func rawRequest(t *testing.T, s *Server, req, path string) (code int, ctype, body string) {
	t.Helper()
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/")
	_, port, _ := net.SplitHostPort(addr)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, strings.NewReplacer("PATH", path, "PORT", port).Replace(req))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Not resp.Body.Close, which would drain an event stream: closing the
	// connection ends it.
	ctype = resp.Header.Get("Content-Type")
	return resp.StatusCode, ctype, readBody(resp.Body, ctype)
}

// readBody reads a response body, but only the first line of an event
// stream, which does not end.
func readBody(r io.Reader, ctype string) string {
	if strings.HasPrefix(ctype, "text/event-stream") {
		line, _ := bufio.NewReader(r).ReadString('\n')
		return line
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// host is a GET of PATH naming h in its Host header.
func host(h string) string {
	return "GET PATH HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n"
}

// siteContent is text of the test site, of the server's status and of its
// script: none of it may be in a refusal.
var siteContent = []string{"欢迎", "测试站", `"instance"`, "EventSource"}

// checkRefusal checks that a refused request got code and the explanation,
// and nothing of the site.
func checkRefusal(t *testing.T, what string, code, want int, ctype, body string) {
	t.Helper()
	if code != want || !strings.HasPrefix(ctype, "text/plain") {
		t.Errorf("%s: %d %q; want %d text/plain", what, code, ctype, want)
	}
	if !strings.Contains(body, "plansite serve answers only localhost, 127.0.0.1") || !strings.Contains(body, "add --host ") {
		t.Errorf("%s: no explanation in %.200q", what, body)
	}
	for _, c := range siteContent {
		if strings.Contains(body, c) {
			t.Errorf("%s: refusal contains %q: %.200q", what, c, body)
		}
	}
}

// TestHostCheck sends requests naming many hosts to servers bound to
// loopback and to all interfaces: only the machine's own names are
// answered, on every path, and the event stream also refuses pages of
// other origins. The servers run one after the other (see TestBindWarning).
func TestHostCheck(t *testing.T) {
	type hostCase struct {
		name, req string
		ok        bool
	}
	type originCase struct {
		origin string // "" sends none
		ok     bool
	}
	tests := []struct {
		name    string
		opt     Options
		hosts   []hostCase
		origins []originCase
		logged  string
	}{{
		name: "loopback",
		opt:  Options{Hosts: []string{"Preview.Test"}},
		hosts: []hostCase{
			{"localhost", host("localhost"), true},
			{"localhost:1313", host("localhost:1313"), true},
			{"127.0.0.1:PORT", host("127.0.0.1:PORT"), true},
			{"[::1]:PORT", host("[::1]:PORT"), true},
			{"[::1]", host("[::1]"), true},
			{"LOCALHOST", host("LOCALHOST"), true},
			{"LocalHost:PORT", host("LocalHost:PORT"), true},
			{"trailing dot", host("localhost."), true},
			{"trailing dot and port", host("localhost.:PORT"), true},
			{"--host name", host("preview.test"), true},
			{"--host name, other case, port", host("PREVIEW.TEST:1313"), true},
			{"evil.example.com", host("evil.example.com"), false},
			{"evil.example.com:PORT", host("evil.example.com:PORT"), false},
			{"127.0.0.1.evil.example", host("127.0.0.1.evil.example"), false},
			{"localhost.evil.example", host("localhost.evil.example:PORT"), false},
			{"two trailing dots", host("localhost.."), false},
			{"LAN address on loopback", host("192.168.1.20:1313"), false},
			{"other loopback address", host("127.0.0.2:PORT"), false},
			{"empty Host", host(""), false},
			// A browser always names the host; a request that names none
			// is refused like any name not on the list.
			{"HTTP/1.0 without Host", "GET PATH HTTP/1.0\r\n\r\n", false},
			// net/http takes the host of an absolute URL over the header.
			{"absolute URL", "GET http://evil.example.comPATH HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", false},
		},
		origins: []originCase{
			{"", true},
			{"http://localhost:PORT", true},
			{"http://127.0.0.1:PORT", true},
			{"http://[::1]:PORT", true},
			{"http://preview.test:1313", true},
			{"http://evil.example.com", false},
			{"http://localhost.evil.example:PORT", false},
			{"http://192.168.1.20:PORT", false},
			{"null", false},
		},
	}, {
		name: "all interfaces",
		opt:  Options{Bind: "0.0.0.0", Hosts: []string{"phone.lan"}},
		hosts: []hostCase{
			{"LAN address", host("192.168.1.20:1313"), true},
			{"other address", host("10.0.0.7"), true},
			{"IPv6 address", host("[fe80::1]:1313"), true},
			{"localhost:PORT", host("localhost:PORT"), true},
			{"127.0.0.1:PORT", host("127.0.0.1:PORT"), true},
			{"--host name", host("phone.lan:1313"), true},
			{"--host name, other case, trailing dot", host("PHONE.LAN."), true},
			{"evil.example.com", host("evil.example.com"), false},
			{"evil.example.com:1313", host("evil.example.com:1313"), false},
			{"address-like name", host("192.168.1.20.evil.example"), false},
			{"HTTP/1.0 without Host", "GET PATH HTTP/1.0\r\n\r\n", false},
		},
		origins: []originCase{
			{"", true},
			{"http://192.168.1.20:1313", true},
			{"http://phone.lan:1313", true},
			{"http://evil.example.com", false},
		},
		logged: "an IP address, localhost or phone.lan",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, src := testSite(t)
			s, logs := serve(t, src, tt.opt)
			if !strings.Contains(logs.String(), tt.logged) {
				t.Errorf("log does not say %q:\n%s", tt.logged, logs)
			}
			for _, hc := range tt.hosts {
				if hc.ok {
					for _, p := range []string{"/", "/__plansite/status", "/__plansite/reload.js"} {
						code, _, body := rawRequest(t, s, hc.req, p)
						if code != http.StatusOK || p == "/" && !strings.Contains(body, "欢迎") {
							t.Errorf("%s, GET %s: %d %.80q; want 200 and the page", hc.name, p, code, body)
						}
					}
					continue
				}
				for _, p := range []string{"/", "/notes/n1/", "/nope", "/__plansite/status", "/__plansite/reload.js", "/__plansite/events"} {
					code, ctype, body := rawRequest(t, s, hc.req, p)
					checkRefusal(t, fmt.Sprintf("%s, GET %s", hc.name, p), code, http.StatusMisdirectedRequest, ctype, body)
				}
			}

			_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/"))
			for _, oc := range tt.origins {
				origin := strings.ReplaceAll(oc.origin, "PORT", port)
				req, _ := http.NewRequest("GET", s.URL()+"__plansite/events", nil)
				if origin != "" {
					req.Header.Set("Origin", origin)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("events, Origin %q", origin)
				if oc.ok {
					// The stream goes on: check its start and hang up.
					line := readBody(resp.Body, resp.Header.Get("Content-Type"))
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || line != "event: status\n" {
						t.Errorf("%s: %d, first line %q; want 200 and a status event", what, resp.StatusCode, line)
					}
					continue
				}
				body := readBody(resp.Body, resp.Header.Get("Content-Type"))
				resp.Body.Close()
				checkRefusal(t, what, resp.StatusCode, http.StatusForbidden, resp.Header.Get("Content-Type"), body)
				if !strings.Contains(body, "a page from") {
					t.Errorf("%s: the refusal does not name the page's origin: %.200q", what, body)
				}
			}
		})
	}
}

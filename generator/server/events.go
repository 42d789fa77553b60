package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

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

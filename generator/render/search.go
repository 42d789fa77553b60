package render

import (
	"strings"
	"sync"

	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/site"
)

// The search index needs the text of every section of every published
// page, which only the Markdown converter yields. Pages rendered in this
// build hand their sections over as they go; pages reused from an earlier
// build (not rendered) take theirs from the section cache, kept by page
// key beside the build cache (or in memory by the Rebuilder), so an
// incremental build need not convert unchanged pages just for search.

// sectionStore collects sections during a build.
type sectionStore struct {
	mu   sync.Mutex
	byPg map[*content.Page][]markdown.Section
	// cached finds a reused page's sections; nil means none are cached.
	cached func(p *content.Page) ([]markdown.Section, bool)
	// keys holds the key of each page whose body was dropped after
	// rendering, for the section cache.
	keys map[*content.Page]string
}

func (s *sectionStore) keepKey(p *content.Page, key string) {
	s.mu.Lock()
	if s.keys == nil {
		s.keys = map[*content.Page]string{}
	}
	s.keys[p] = key
	s.mu.Unlock()
}

func (s *sectionStore) keep(p *content.Page, secs []markdown.Section) {
	s.mu.Lock()
	if s.byPg == nil {
		s.byPg = map[*content.Page][]markdown.Section{}
	}
	s.byPg[p] = secs
	s.mu.Unlock()
}

// Sections returns p's sections: kept this build, cached, or converted
// now. It is safe for concurrent use.
func (r *Renderer) Sections(p *content.Page) ([]markdown.Section, error) {
	s := &r.sections
	s.mu.Lock()
	secs, ok := s.byPg[p]
	s.mu.Unlock()
	if ok {
		return secs, nil
	}
	if s.cached != nil {
		if secs, ok := s.cached(p); ok {
			s.keep(p, secs)
			return secs, nil
		}
	}
	doc, err := r.convert(p)
	if err != nil {
		return nil, err
	}
	s.keep(p, doc.Sections)
	return doc.Sections, nil
}

// KeepSections records the sections and, for an update, the HTML body of
// a page that was not rendered in this build (a Rebuilder kept its
// output).
func (r *Renderer) KeepSections(p *content.Page, secs []markdown.Section, body string) {
	r.sections.keep(p, secs)
	if p.Kind == content.KindUpdate {
		r.bodies.mu.Lock()
		r.bodies.m[p] = body
		r.bodies.mu.Unlock()
	}
}

// Kept returns what was kept of page p in this build: its sections and,
// for an update, its HTML body.
func (r *Renderer) Kept(p *content.Page) (secs []markdown.Section, body string) {
	r.sections.mu.Lock()
	secs = r.sections.byPg[p]
	r.sections.mu.Unlock()
	r.bodies.mu.Lock()
	body = r.bodies.m[p]
	r.bodies.mu.Unlock()
	return secs, body
}

// KeptSections returns every page's sections kept in this build, by
// page. The map is the Renderer's own until the next SetSource, which
// starts a new one: callers may read it afterwards but never write it.
func (r *Renderer) KeptSections() map[*content.Page][]markdown.Section {
	return r.sections.byPg
}

// KeptKey returns the input key of page p when its body was dropped
// after rendering (DropBodies), for the section cache.
func (r *Renderer) KeptKey(p *content.Page) (string, bool) {
	key, ok := r.sections.keys[p]
	return key, ok
}

// UseCachedSections gives the Renderer the sections of pages reused from
// an earlier build, so that they need not be converted again.
func (r *Renderer) UseCachedSections(cached func(p *content.Page) ([]markdown.Section, bool)) {
	r.sections.cached = cached
}

// searchPage writes /search/: the search form, and every topic with its
// sections as links for readers without JavaScript.
func (r *Renderer) searchPage(out Sink) error {
	var browse []site.BrowseTopic
	for _, t := range r.src.Topics {
		secs, err := r.Sections(t)
		if err != nil {
			return err
		}
		bt := site.BrowseTopic{Page: t}
		for _, s := range secs {
			if s.ID != "" {
				bt.Sections = append(bt.Sections, site.Link{Title: s.Title, URL: t.URL + "#" + s.ID})
			}
		}
		browse = append(browse, bt)
	}
	return r.execute(out, "search", r.model.Search(browse), strings.TrimPrefix(content.SearchURL, "/")+"index.html", "")
}

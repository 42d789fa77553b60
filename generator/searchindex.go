package generator

import (
	"encoding/gob"
	"io"
	"os"
	"strings"
	"sync"

	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/search"
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

// of returns p's sections: kept this build, cached, or converted now.
func (b *builder) sectionsOf(p *content.Page) ([]markdown.Section, error) {
	s := &b.sections
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
	doc, err := b.conv.Convert(p.Body)
	if err != nil {
		return nil, &content.Error{Path: p.Path, Line: p.BodyLine, Err: err}
	}
	s.keep(p, doc.Sections)
	return doc.Sections, nil
}

// writeSearch builds the search index of the published pages. Each `##`
// section is a document; a page's summary, shown under its title, opens
// its first document.
func (b *builder) writeSearch(out *output) error {
	if b.searchLater != nil {
		return b.searchLater()
	}
	docs, err := b.searchDocs()
	if err != nil {
		return err
	}
	// Each file goes to disk as soon as it is encoded, from the index's
	// own workers: a large index is never held whole. out.write keeps
	// nothing of data, as BuildTo requires of emit.
	return search.BuildTo(docs, search.Options{}, func(name string, data []byte) error {
		return out.write(name, "", data)
	})
}

// searchDocs lists the search documents of the published pages.
func (b *builder) searchDocs() ([]search.Section, error) {
	var docs []search.Section
	for _, p := range b.src.Pages {
		secs, err := b.sectionsOf(p)
		if err != nil {
			return nil, err
		}
		url := b.basePath + strings.TrimPrefix(p.URL, "/")
		lead := strings.TrimSpace(p.Summary)
		if len(secs) == 0 || secs[0].ID != "" {
			docs = append(docs, search.Section{URL: url, PageTitle: p.Title, Text: lead})
		} else {
			text := secs[0].Text
			if lead != "" {
				text = lead + "\n" + text
			}
			docs = append(docs, search.Section{URL: url, PageTitle: p.Title, Text: text})
			secs = secs[1:]
		}
		for _, s := range secs {
			docs = append(docs, search.Section{URL: url + "#" + s.ID, PageTitle: p.Title, Title: s.Title, Text: s.Text})
		}
	}
	return docs, nil
}

// renderSearchPage writes /search/: the search form, and every topic with
// its sections as links for readers without JavaScript.
func (b *builder) renderSearchPage(out *output) error {
	data := &pageData{Site: b.src.Site, Title: "搜索", Description: b.src.Site.Title + "：全文搜索",
		Canonical: b.absURL(content.SearchURL)}
	data.Breadcrumbs = []crumb{{Title: "首页", URL: "/"}, {Title: data.Title}}
	for _, t := range b.src.Topics {
		secs, err := b.sectionsOf(t)
		if err != nil {
			return err
		}
		bt := browseTopic{Page: t}
		for _, s := range secs {
			if s.ID != "" {
				bt.Sections = append(bt.Sections, link{Title: s.Title, URL: t.URL + "#" + s.ID})
			}
		}
		data.Browse = append(data.Browse, bt)
	}
	b.decorate(data, nil)
	w := out.buffer()
	defer out.release(w)
	if err := b.theme.Execute(w, "search", data); err != nil {
		return err
	}
	return out.write(strings.TrimPrefix(content.SearchURL, "/")+"index.html", "", w.Bytes())
}

// sectionCachePath names the section cache of an output folder.
func sectionCachePath(cacheDir, outAbs string) string {
	return strings.TrimSuffix(manifestPath(cacheDir, outAbs), ".json") + ".sections.gob"
}

// readSectionCache loads cached sections by page key; a missing or damaged
// file gives an empty cache.
func readSectionCache(path string) map[string][]markdown.Section {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var m map[string][]markdown.Section
	if gob.NewDecoder(f).Decode(&m) != nil {
		return nil
	}
	return m
}

// writeSectionCache saves the sections of this build's pages by key.
func (b *builder) writeSectionCache(path string) error {
	m := make(map[string][]markdown.Section, len(b.src.Pages))
	for _, p := range b.src.Pages {
		if secs, ok := b.sections.byPg[p]; ok {
			key, ok := b.sections.keys[p]
			if !ok {
				key = b.pageKey(p)
			}
			m[key] = secs
		}
	}
	return writeCacheFile(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(m) })
}

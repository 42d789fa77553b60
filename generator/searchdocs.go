package generator

import (
	"encoding/gob"
	"io"
	"os"
	"path"
	"strings"

	"plansite/generator/atomicfile"
	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/render"
	"plansite/generator/search"
)

// The search index needs the text of every section of every published
// page, which only the Markdown converter yields: the Renderer keeps each
// rendered page's sections, and those of pages reused from an earlier
// build come from the section cache, kept by page key beside the build
// cache (or in memory by the Rebuilder), so an incremental build need not
// convert unchanged pages just for search.

// sectionSource gives a page's sections.
type sectionSource interface {
	Sections(p *content.Page) ([]markdown.Section, error)
}

// writeSearch builds the search index of the published pages and writes
// each file as soon as it is encoded, from the index's own workers: a
// large index is never held whole. out.Write keeps nothing of data, as
// BuildTo requires of emit.
func writeSearch(pages []*content.Page, basePath string, secs sectionSource, syn []search.Synonym, out render.Sink) error {
	docs, err := searchDocs(pages, basePath, secs)
	if err != nil {
		return err
	}
	return search.BuildTo(docs, search.Options{Synonyms: syn}, func(name string, data []byte) error {
		return out.Write(name, "", data)
	})
}

// siteSynonyms returns the synonyms the search uses: the site's
// synonyms.yaml if it has one (errors name it as root/synonyms.yaml),
// else plansite's starter list, unless site.yaml turns that off.
func siteSynonyms(src *content.Source, root string) ([]search.Synonym, error) {
	if src.Synonyms != nil {
		return search.ParseSynonyms(path.Join(root, content.SynonymsFile), src.Synonyms)
	}
	if on := src.Site.StarterSynonyms; on != nil && !*on {
		return nil, nil
	}
	return search.StarterSynonyms()
}

// searchDocs lists the search documents of the published pages. Each `##`
// section is a document; a page's summary, shown under its title, opens
// its first document.
func searchDocs(pages []*content.Page, basePath string, src sectionSource) ([]search.Section, error) {
	var docs []search.Section
	for _, p := range pages {
		secs, err := src.Sections(p)
		if err != nil {
			return nil, err
		}
		url := basePath + strings.TrimPrefix(p.URL, "/")
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

// keptSections is a build's sections by page, all known: a SearchIndex
// reads them after the build without a converter.
type keptSections map[*content.Page][]markdown.Section

func (k keptSections) Sections(p *content.Page) ([]markdown.Section, error) { return k[p], nil }

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
func writeSectionCache(path string, r *render.Renderer, pageKey func(*content.Page) string) error {
	kept := r.KeptSections()
	pages := r.Source().Pages
	m := make(map[string][]markdown.Section, len(pages))
	for _, p := range pages {
		if secs, ok := kept[p]; ok {
			key, ok := r.KeptKey(p)
			if !ok {
				key = pageKey(p)
			}
			m[key] = secs
		}
	}
	return atomicfile.WriteFunc(path, 0o600, func(w io.Writer) error { return gob.NewEncoder(w).Encode(m) })
}

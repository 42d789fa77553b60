package site

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"plansite/generator/content"
)

// FeedLink is a feed announced in a page's head.
type FeedLink struct {
	Type, Title, URL string
}

// addMeta fills in what the head tells machines: Open Graph, the feeds and
// the schema.org description. p is nil for generated pages.
func (m *Model) addMeta(d *PageData, p *content.Page) {
	site := m.src.Site
	d.OGLocale = strings.ReplaceAll(site.Language, "-", "_")
	d.OGType = "website"
	d.Feeds = []FeedLink{
		{Type: "application/atom+xml", Title: site.Title + " – " + UpdatesTitle, URL: m.AbsLink("/" + content.AtomFeedFile)},
		{Type: "application/feed+json", Title: site.Title + " – " + UpdatesTitle + "（JSON Feed）", URL: m.AbsLink("/" + content.JSONFeedFile)},
	}
	if p != nil && p.Kind != content.KindHome {
		d.OGType = "article"
		d.Published = p.Date
		d.Modified = p.Modified()
	}
	if p != nil && p.Kind == content.KindTopic {
		d.Modified = d.LastUpdated
		d.Feeds = append(d.Feeds, FeedLink{Type: "application/atom+xml", Title: p.Title + " – " + site.Title, URL: m.AbsLink("/" + content.TopicFeedFile(p.Topic))})
	}
	if d.Canonical != "" {
		d.JSONLD = m.jsonLD(d, p)
	}
}

// ld is one schema.org node; encoding/json sorts its keys, so the output
// is stable.
type ld map[string]any

// jsonLD describes the page in schema.org terms for search engines and the
// government-site platforms: the publishing government, the page as an
// Article (topic), NewsArticle (update), WebSite (home) or WebPage, and its
// breadcrumb trail.
//
// json.Marshal escapes <, > and & as \u003c and so on, so no value can end
// the script element; the bytes are then handed to html/template as
// template.JS, which inserts them unchanged inside the
// <script type="application/ld+json"> block, where a plain string would be
// quoted as a JavaScript string.
func (m *Model) jsonLD(d *PageData, p *content.Page) template.JS {
	site := m.src.Site
	home := m.AbsLink("/")
	var graph []ld
	url := m.AbsLink(strings.TrimPrefix(d.Canonical, strings.TrimSuffix(site.BaseURL, "/")))
	node := ld{"@id": url + "#page", "url": url, "name": d.Title, "inLanguage": site.Language, "isPartOf": ld{"@id": home + "#website"}}
	if d.Description != "" {
		node["description"] = d.Description
	}
	switch {
	case p == nil:
		node["@type"] = "CollectionPage"
	case p.Kind == content.KindHome:
		node["@type"] = "WebPage"
	case p.Kind == content.KindTopic || p.Kind == content.KindUpdate:
		node["@type"] = "Article"
		node["headline"] = p.Title
		node["mainEntityOfPage"] = url
		node["author"] = ld{"@id": home + "#publisher"}
		node["publisher"] = ld{"@id": home + "#publisher"}
		if p.Kind == content.KindUpdate {
			node["@type"] = "NewsArticle"
			if src := p.Param("source"); src != "" && src != site.Publisher {
				node["author"] = ld{"@type": "GovernmentOrganization", "name": src}
			}
			var sections []string
			for _, t := range d.UpdateTopics {
				sections = append(sections, t.Title)
			}
			if len(sections) > 0 {
				node["articleSection"] = sections
			}
		}
	default:
		node["@type"] = "WebPage"
	}
	if !d.Published.IsZero() {
		node["datePublished"] = d.Published.Format(time.RFC3339)
	}
	if !d.Modified.IsZero() {
		node["dateModified"] = d.Modified.Format(time.RFC3339)
	}
	graph = append(graph, node)
	if len(d.Breadcrumbs) > 0 {
		var items []ld
		for i, c := range d.Breadcrumbs {
			item := ld{"@type": "ListItem", "position": i + 1, "name": c.Title, "item": url}
			if c.URL != "" {
				item["item"] = m.AbsLink(c.URL)
			}
			items = append(items, item)
		}
		graph = append(graph, ld{"@type": "BreadcrumbList", "itemListElement": items})
	}
	data, err := json.Marshal(graph)
	if err != nil {
		// Only strings, numbers and maps of them: Marshal cannot fail.
		panic(err)
	}
	// The same JSON as marshalling the whole object, whose first two
	// nodes are the same on every page and so are marshalled once.
	return template.JS(m.ldHead + string(data[1:]) + "}")
}

// jsonLDHead is the start of every page's schema.org JSON, up to its own
// nodes: the context, the publishing government and the web site.
func (m *Model) jsonLDHead() string {
	site := m.src.Site
	home := m.AbsLink("/")
	org := ld{"@type": "GovernmentOrganization", "@id": home + "#publisher", "name": FirstNonEmpty(site.Publisher, site.Title), "url": home}
	website := ld{"@type": "WebSite", "@id": home + "#website", "name": site.Title, "url": home, "inLanguage": site.Language, "publisher": ld{"@id": home + "#publisher"}}
	data, err := json.Marshal(ld{"@context": "https://schema.org", "@graph": []ld{org, website}})
	if err != nil {
		panic(err)
	}
	// Cut the closing "]}" so the page's nodes follow a comma.
	return string(data[:len(data)-2]) + ","
}

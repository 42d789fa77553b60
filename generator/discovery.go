package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"plansite/generator/content"
)

// feedLink is a feed announced in a page's head.
type feedLink struct {
	Type, Title, URL string
}

// addMeta fills in what the head tells machines: Open Graph, the feeds and
// the schema.org description. p is nil for generated pages.
func (b *builder) addMeta(d *pageData, p *content.Page) {
	site := b.src.Site
	d.OGLocale = strings.ReplaceAll(site.Language, "-", "_")
	d.OGType = "website"
	d.Feeds = []feedLink{
		{Type: "application/atom+xml", Title: site.Title + " – " + updatesTitle, URL: b.absLink("/" + content.AtomFeedFile)},
		{Type: "application/feed+json", Title: site.Title + " – " + updatesTitle + "（JSON Feed）", URL: b.absLink("/" + content.JSONFeedFile)},
	}
	if p != nil && p.Kind != content.KindHome {
		d.OGType = "article"
		d.Published = p.Date
		d.Modified = p.Modified()
	}
	if p != nil && p.Kind == content.KindTopic {
		d.Modified = d.LastUpdated
		d.Feeds = append(d.Feeds, feedLink{Type: "application/atom+xml", Title: p.Title + " – " + site.Title, URL: b.absLink("/" + content.TopicFeedFile(p.Topic))})
	}
	if d.Canonical != "" {
		d.JSONLD = b.jsonLD(d, p)
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
func (b *builder) jsonLD(d *pageData, p *content.Page) template.JS {
	site := b.src.Site
	home := b.absLink("/")
	var graph []ld
	url := b.absLink(strings.TrimPrefix(d.Canonical, strings.TrimSuffix(site.BaseURL, "/")))
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
				item["item"] = b.absLink(c.URL)
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
	return template.JS(b.ldHead + string(data[1:]) + "}")
}

// jsonLDHead is the start of every page's schema.org JSON, up to its own
// nodes: the context, the publishing government and the web site.
func (b *builder) jsonLDHead() string {
	site := b.src.Site
	home := b.absLink("/")
	org := ld{"@type": "GovernmentOrganization", "@id": home + "#publisher", "name": firstNonEmpty(site.Publisher, site.Title), "url": home}
	website := ld{"@type": "WebSite", "@id": home + "#website", "name": site.Title, "url": home, "inLanguage": site.Language, "publisher": ld{"@id": home + "#publisher"}}
	data, err := json.Marshal(ld{"@context": "https://schema.org", "@graph": []ld{org, website}})
	if err != nil {
		panic(err)
	}
	// Cut the closing "]}" so the page's nodes follow a comma.
	return string(data[:len(data)-2]) + ","
}

// writeDiscovery writes sitemap.xml, robots.txt and schedule.json.
func (b *builder) writeDiscovery(ctx context.Context, out *output) error {
	data, err := b.sitemap()
	if err != nil {
		return err
	}
	if err := out.write(content.SitemapFile, "", data); err != nil {
		return err
	}
	robots := fmt.Sprintf("User-agent: *\nDisallow:\n\nSitemap: %s\n", b.absLink("/"+content.SitemapFile))
	if err := out.write(content.RobotsFile, "", []byte(robots)); err != nil {
		return err
	}
	return out.write(content.ScheduleFile, "", schedule(b.src.NextChange))
}

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every published page and page of the list of updates, by
// address, each with the date its content last changed.
func (b *builder) sitemap() ([]byte, error) {
	var set sitemapURLSet
	add := func(u string, mod time.Time) {
		su := sitemapURL{Loc: b.absLink(u)}
		if !mod.IsZero() {
			su.LastMod = mod.Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, su)
	}
	for _, p := range b.src.Pages {
		mod := p.Modified()
		switch p.Kind {
		case content.KindTopic:
			mod = b.updates.lastUpdated[p.Topic]
		case content.KindHome:
			// The home page lists the latest updates.
			for _, u := range firstN(b.src.Updates, latestUpdates) {
				mod = latest(mod, u.Modified())
			}
		}
		add(p.URL, mod)
	}
	all := b.src.Updates
	for _, pg := range paginate(len(all), updatesPerPage) {
		var mod time.Time
		for _, u := range all[(pg.Number-1)*updatesPerPage : min(pg.Number*updatesPerPage, len(all))] {
			mod = latest(mod, u.Modified())
		}
		add(content.UpdatesPageURL(pg.Number), mod)
	}
	sort.Slice(set.URLs, func(i, j int) bool { return set.URLs[i].Loc < set.URLs[j].Loc })
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// schedule is the content of schedule.json: the next moment the site
// changes by itself, as RFC 3339 and as Unix seconds for shell scripts,
// or null for both. It names no page: a scheduled update is not public
// until its time, and neither is its address.
func schedule(next time.Time) []byte {
	var v struct {
		Next     *string `json:"next"`
		NextUnix *int64  `json:"nextUnix"`
	}
	if !next.IsZero() {
		s, u := next.Format(time.RFC3339), next.Unix()
		v.Next, v.NextUnix = &s, &u
	}
	data, _ := json.MarshalIndent(v, "", "  ")
	return append(data, '\n')
}

// Schedule says when to build again, the line a build prints after its
// summary.
func (r *Result) Schedule() string {
	next := r.NextChange
	if next.IsZero() {
		return "schedule: nothing scheduled"
	}
	return "schedule: next change at " + next.Format(time.RFC3339) + ", build again then"
}

// Package site is the site model: the loaded pages turned into what the
// theme's layouts need. It owns each page's data (PageData, the theme's
// interface), the relations between topics and updates, the listings and
// their pagination, and what the head tells machines (Open Graph, feed
// links, schema.org JSON). It does no I/O and knows nothing of templates
// or disks; it must not import render, output or plansite/generator.
package site

import (
	"html/template"
	"time"

	"plansite/generator/content"
	"plansite/generator/markdown"
	"plansite/generator/qr"
)

// PageData is what a layout sees. Its fields are the theme's interface.
type PageData struct {
	Site *content.Site
	// Page is nil on pages the engine makes itself (404, site map).
	Page *content.Page
	// Kind is the layout in use: home, topic, page, 404 or sitemap.
	Kind        string
	IsHome      bool
	Title       string
	Description string
	Canonical   string
	Content     template.HTML
	// TOC lists the page's level-2 headings when it has at least three;
	// fewer fit on a phone screen without one.
	TOC         []markdown.Heading
	Topics      []*content.Page
	Prev, Next  *content.Page
	Breadcrumbs []Crumb
	Source      *SourceLine
	// QR is the canonical address as an inline SVG QR code, made at build
	// time so sharing needs no script or third-party service. Empty when
	// the page has no canonical address.
	QR template.HTML
	// Pages lists every page for the site map: home, topics in order, then
	// the others by path. Set only for the sitemap layout.
	Pages []*content.Page

	// Updates are the updates a page lists: the latest few on the home
	// and topic pages, one page's worth on the list of updates.
	Updates []*content.Page
	// ChangeLog is every update of a topic, for its 更新记录.
	ChangeLog []*content.Page
	// LastUpdated is, on a topic page, the newest of its own date and its
	// updates' dates (最后更新).
	LastUpdated time.Time
	// UpdateTopics are, on an update's page, the topic pages it is about.
	UpdateTopics []*content.Page
	// Pager is set on the pages of the list of updates.
	Pager *Pager
	// Browse lists, on the search page, every topic and its sections, so
	// the page is useful without JavaScript.
	Browse []BrowseTopic
	// TargetGroups are the site's targets by topic, on the page of all
	// targets and (for its summary) the home page; TargetCards are a topic
	// page's own.
	TargetGroups []*TargetGroup
	TargetCards  []*TargetCard
	// Reported are, on an update's page, its progress reports.
	Reported []Reported

	// For the head: Open Graph type and dates, the feeds to announce and
	// the schema.org description, JSON built by encoding/json.
	OGType              string
	OGLocale            string
	Published, Modified time.Time
	Feeds               []FeedLink
	JSONLD              template.JS
}

// BrowseTopic is a topic and its sections, on the search page.
type BrowseTopic struct {
	Page     *content.Page
	Sections []Link
}

// Link is a titled address.
type Link struct {
	Title string
	URL   string
}

// Crumb is one step of a page's breadcrumb trail.
type Crumb struct {
	Title string
	URL   string // empty for the current page
}

// SourceLine is where a page's words come from: the metadata block that
// every article shows in the same place.
type SourceLine struct {
	Publisher string
	Date      time.Time
	Document  string
	Credit    string
}

// PageData is the data of source page p, whose Markdown converted to md.
func (m *Model) PageData(p *content.Page, md *markdown.Doc) *PageData {
	site := m.src.Site
	d := &PageData{
		Site:        site,
		Page:        p,
		Kind:        string(p.Kind),
		IsHome:      p.Kind == content.KindHome,
		Title:       p.Title,
		Description: p.Summary,
		Canonical:   m.AbsURL(p.URL),
		// The converter escapes raw HTML unless the site opted in.
		Content: template.HTML(md.HTML),
		Topics:  m.src.Topics,
	}
	if d.Description == "" {
		d.Description = site.Title + "：" + p.Title
	}
	for _, h := range md.Headings {
		if h.Level == 2 {
			d.TOC = append(d.TOC, h)
		}
	}
	if len(d.TOC) < 3 {
		d.TOC = nil
	}
	if p.Kind != content.KindHome {
		d.Breadcrumbs = []Crumb{{Title: "首页", URL: "/"}, {Title: p.Title}}
	}
	if p.Kind == content.KindTopic {
		for i, t := range m.src.Topics {
			if t == p {
				if i > 0 {
					d.Prev = m.src.Topics[i-1]
				}
				if i+1 < len(m.src.Topics) {
					d.Next = m.src.Topics[i+1]
				}
			}
		}
	}
	// The site's source document is what home and topic pages interpret;
	// a plain page (an accessibility statement, say) names its own or none.
	doc := p.Param("source")
	if p.Kind != content.KindPage {
		doc = FirstNonEmpty(doc, site.Source)
	}
	src := &SourceLine{
		Publisher: FirstNonEmpty(p.Param("publisher"), site.Publisher),
		Document:  doc,
		Credit:    p.Param("credit"),
		Date:      p.Date,
	}
	if *src != (SourceLine{}) {
		d.Source = src
	}
	d.QR = QR(d.Canonical)
	m.Decorate(d, p)
	return d
}

// QR draws url as a QR code, or returns "" for an address too long for
// one (over 213 bytes), which the layouts then leave out.
func QR(url string) template.HTML {
	if url == "" {
		return ""
	}
	c, err := qr.Encode([]byte(url))
	if err != nil {
		return ""
	}
	// The SVG is built from numbers and an escaped label only.
	return template.HTML(c.SVG("本页地址的二维码"))
}

// FirstNonEmpty returns the first of ss that is not empty.
func FirstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package generator

import (
	"html/template"
	"time"

	"plansite/generator/content"
	"plansite/generator/markdown"
)

// pageData is what a layout sees. Its fields are the theme's interface.
type pageData struct {
	Site        *content.Site
	Page        *content.Page
	IsHome      bool
	Title       string
	Description string
	Canonical   string
	Content     template.HTML
	// TOC lists the page's level-2 headings when it has at least two.
	TOC         []markdown.Heading
	Topics      []*content.Page
	Prev, Next  *content.Page
	Breadcrumbs []crumb
	Source      *sourceLine

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
	Pager *pager
	// Browse lists, on the search page, every topic and its sections, so
	// the page is useful without JavaScript.
	Browse []browseTopic

	// For the head: Open Graph type and dates, the feeds to announce and
	// the schema.org description, JSON built by encoding/json.
	OGType              string
	OGLocale            string
	Published, Modified time.Time
	Feeds               []feedLink
	JSONLD              template.JS
}

type browseTopic struct {
	Page     *content.Page
	Sections []link
}

type link struct {
	Title string
	URL   string
}

type crumb struct {
	Title string
	URL   string // empty for the current page
}

// sourceLine is where a page's words come from: the metadata block that
// every article shows in the same place.
type sourceLine struct {
	Publisher string
	Date      time.Time
	Document  string
	Credit    string
}

func (b *builder) pageData(p *content.Page, doc *markdown.Doc) *pageData {
	site := b.src.Site
	d := &pageData{
		Site:        site,
		Page:        p,
		IsHome:      p.Kind == content.KindHome,
		Title:       p.Title,
		Description: p.Summary,
		Canonical:   b.absURL(p.URL),
		// The converter escapes raw HTML unless the site opted in.
		Content: template.HTML(doc.HTML),
		Topics:  b.src.Topics,
	}
	if d.Description == "" {
		d.Description = site.Title + "：" + p.Title
	}
	for _, h := range doc.Headings {
		if h.Level == 2 {
			d.TOC = append(d.TOC, h)
		}
	}
	if len(d.TOC) < 2 {
		d.TOC = nil
	}
	if p.Kind != content.KindHome {
		d.Breadcrumbs = []crumb{{Title: "首页", URL: "/"}, {Title: p.Title}}
	}
	if p.Kind == content.KindTopic {
		for i, t := range b.src.Topics {
			if t == p {
				if i > 0 {
					d.Prev = b.src.Topics[i-1]
				}
				if i+1 < len(b.src.Topics) {
					d.Next = b.src.Topics[i+1]
				}
			}
		}
	}
	src := &sourceLine{
		Publisher: firstNonEmpty(p.Param("publisher"), site.Publisher),
		Document:  firstNonEmpty(p.Param("source"), site.Source),
		Credit:    p.Param("credit"),
		Date:      p.Date,
	}
	if *src != (sourceLine{}) {
		d.Source = src
	}
	b.decorate(d, p)
	return d
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

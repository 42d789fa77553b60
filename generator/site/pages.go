package site

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"plansite/generator/content"
)

// SitemapURL is where the HTML site map (网站地图) is written, when the
// theme has a sitemap layout and no content page claims the address.
const SitemapURL = "/sitemap/"

// NotFound is the data of the 404 page.
func (m *Model) NotFound() *PageData {
	d := &PageData{Site: m.src.Site, Kind: "404", Title: "页面未找到",
		Description: m.src.Site.Title + "：页面未找到",
		Breadcrumbs: []Crumb{{Title: "首页", URL: "/"}, {Title: "页面未找到"}}}
	m.Decorate(d, nil)
	return d
}

// Sitemap is the data of the HTML site map, or nil when a content page
// has the site map's address: the site wrote its own.
func (m *Model) Sitemap() *PageData {
	var pages []*content.Page
	if m.src.Home != nil {
		pages = append(pages, m.src.Home)
	}
	pages = append(pages, m.src.Topics...)
	for _, p := range m.src.Pages {
		if p.URL == SitemapURL {
			return nil
		}
		if p.Kind == content.KindPage {
			pages = append(pages, p)
		}
	}
	site := m.src.Site
	d := &PageData{Site: site, Kind: "sitemap", Title: "网站地图",
		Description: site.Title + "：网站地图，列出本站全部页面",
		Canonical:   m.AbsURL(SitemapURL),
		Breadcrumbs: []Crumb{{Title: "首页", URL: "/"}, {Title: "网站地图"}},
		Topics:      m.src.Topics,
		Updates:     m.src.Updates,
		Pages:       pages,
		// The theme that lists the targets renders their page.
		TargetGroups: m.targets}
	d.QR = QR(d.Canonical)
	return d
}

// UpdateList is the data of one page of the list of updates, at address u.
func (m *Model) UpdateList(pg *Pager) (d *PageData, u string) {
	all := m.src.Updates
	lo := (pg.Number - 1) * UpdatesPerPage
	hi := min(lo+UpdatesPerPage, len(all))
	u = content.UpdatesPageURL(pg.Number)
	d = &PageData{
		Site:        m.src.Site,
		Kind:        "updates",
		Title:       UpdatesTitle,
		Description: m.src.Site.Title + "：" + UpdatesTitle,
		Canonical:   m.AbsURL(u),
		Topics:      m.src.Topics,
		Updates:     all[lo:hi],
		Pager:       pg,
		Breadcrumbs: []Crumb{{Title: "首页", URL: "/"}, {Title: UpdatesTitle}},
	}
	if pg.Number > 1 {
		// Distinct titles, so search results can tell the pages apart.
		d.Title = fmt.Sprintf("%s（第%d页）", UpdatesTitle, pg.Number)
		d.Breadcrumbs = []Crumb{{Title: "首页", URL: "/"}, {Title: UpdatesTitle, URL: content.UpdatesURL}, {Title: fmt.Sprintf("第%d页", pg.Number)}}
	}
	m.Decorate(d, nil)
	d.QR = QR(d.Canonical)
	return d, u
}

// Search is the data of the search page; browse lists every topic with
// its sections, for readers without JavaScript. TargetGroups tell it
// whether to point to the page of targets.
func (m *Model) Search(browse []BrowseTopic) *PageData {
	d := &PageData{Site: m.src.Site, Title: "搜索", Description: m.src.Site.Title + "：全文搜索",
		Canonical: m.AbsURL(content.SearchURL), Browse: browse, TargetGroups: m.targets}
	d.Breadcrumbs = []Crumb{{Title: "首页", URL: "/"}, {Title: d.Title}}
	m.Decorate(d, nil)
	return d
}

// EntryID is an update's permanent id, a tag URI (RFC 4151) made of the
// site's host, the update's date and its file's stem: a new title or slug
// leaves it alone, so feed readers do not see the update twice.
func (m *Model) EntryID(u *content.Page) string {
	host := m.src.Site.BaseURL
	if pu, err := url.Parse(host); err == nil {
		host = pu.Hostname()
	}
	specific := strings.Trim(m.basePath, "/")
	if specific != "" {
		specific += "/"
	}
	specific += "updates/" + u.Stem()
	return "tag:" + host + "," + u.Date.Format("2006-01-02") + ":" + (&url.URL{Path: specific}).EscapedPath()
}

// Modified is the newest date of any published page, or the Unix epoch
// for a site without dates.
func (m *Model) Modified() time.Time {
	var t time.Time
	for _, p := range m.src.Pages {
		t = Latest(t, p.Modified())
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t
}

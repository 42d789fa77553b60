package site

import (
	"net/url"
	"strings"
	"time"

	"plansite/generator/content"
)

const (
	// UpdatesPerPage is the length of one page of the list of updates.
	UpdatesPerPage = 20
	// LatestUpdates is how many updates the home and topic pages show.
	LatestUpdates = 5
	// FeedEntries bounds a feed: readers poll it, so it carries the recent
	// updates, not the archive.
	FeedEntries = 50
)

// Model is the site model of one load of the content folder. The updates
// are grouped by topic once, so every page's data is a lookup. A Model is
// not modified after New and is safe for concurrent use.
type Model struct {
	src      *content.Source
	basePath string                     // the base URL's path, "/" or "/sub/"
	byTopic  map[string][]*content.Page // newest first
	// lastUpdated is per topic slug.
	lastUpdated map[string]time.Time
	// ldHead opens every page's schema.org JSON (see jsonLD).
	ldHead string
	// byURL holds the published pages by URL.
	byURL map[string]*content.Page
	// targets are the target cards by topic.
	targets []*TargetGroup
}

// New returns the model of src.
func New(src *content.Source) *Model {
	m := &Model{src: src, basePath: basePath(src.Site.BaseURL),
		byTopic: map[string][]*content.Page{}, lastUpdated: map[string]time.Time{}}
	for _, u := range src.Updates {
		for _, t := range u.Topics {
			m.byTopic[t] = append(m.byTopic[t], u)
		}
	}
	for _, t := range src.Topics {
		last := t.Modified()
		for _, u := range m.byTopic[t.Topic] {
			last = Latest(last, u.Modified())
		}
		m.lastUpdated[t.Topic] = last
	}
	m.ldHead = m.jsonLDHead()
	m.byURL = make(map[string]*content.Page, len(src.Pages))
	for _, p := range src.Pages {
		m.byURL[p.URL] = p
	}
	m.targets = targetGroups(src)
	return m
}

// Page returns the published page at site-absolute URL u, or nil: a
// theme links to a page the site may not have (an accessibility
// statement, say) only when it is there.
func (m *Model) Page(u string) *content.Page { return m.byURL[u] }

// Source is the loaded content the model was made from.
func (m *Model) Source() *content.Source { return m.src }

// BasePath is the base URL's path, "/" or "/sub/".
func (m *Model) BasePath() string { return m.basePath }

// UpdatesOf lists the updates of a topic, newest first.
func (m *Model) UpdatesOf(slug string) []*content.Page { return m.byTopic[slug] }

// LastUpdated is the newest of a topic's own date and its updates' dates.
func (m *Model) LastUpdated(slug string) time.Time { return m.lastUpdated[slug] }

func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// AbsURL turns a site-absolute path into a full URL.
func (m *Model) AbsURL(p string) string {
	return strings.TrimSuffix(m.src.Site.BaseURL, "/") + "/" + strings.TrimPrefix(p, "/")
}

// AbsLink is AbsURL with the path percent-encoded, for feeds, the sitemap
// and structured data, which are read by programs that want a valid URL.
func (m *Model) AbsLink(p string) string {
	return strings.TrimSuffix(m.src.Site.BaseURL, "/") + (&url.URL{Path: "/" + strings.TrimPrefix(p, "/")}).EscapedPath()
}

// Topic returns the published topic page of a slug, or nil.
func (m *Model) Topic(slug string) *content.Page {
	for _, t := range m.src.Topics {
		if t.Topic == slug {
			return t
		}
	}
	return nil
}

// Decorate adds what depends on the updates and the head's metadata to a
// page's data; p is nil for generated pages.
func (m *Model) Decorate(d *PageData, p *content.Page) {
	site := m.src.Site
	switch {
	case p == nil:
	case p.Kind == content.KindHome:
		d.Updates = FirstN(m.src.Updates, LatestUpdates)
		d.TargetGroups = m.targets
	case p.Kind == content.KindTopic:
		d.TargetCards = m.TargetsOf(p.Topic)
		all := m.byTopic[p.Topic]
		d.Updates = FirstN(all, LatestUpdates)
		d.ChangeLog = all
		d.LastUpdated = m.lastUpdated[p.Topic]
	case p.Kind == content.KindUpdate:
		for _, t := range p.Topics {
			if tp := m.Topic(t); tp != nil {
				d.UpdateTopics = append(d.UpdateTopics, tp)
			}
		}
		d.Breadcrumbs = []Crumb{{Title: "首页", URL: "/"}, {Title: UpdatesTitle, URL: content.UpdatesURL}, {Title: p.Title}}
		if len(p.Progress) > 0 {
			d.Reported = m.reportedBy(p)
		}
		// On an update, source is the 发布机构 (not the original document
		// as on topic pages), so the generic source line does not apply.
		d.Source = &SourceLine{Publisher: FirstNonEmpty(p.Param("source"), site.Publisher), Date: p.Date}
	}
	m.addMeta(d, p)
}

// FirstN is the first n of ps, or all of them.
func FirstN(ps []*content.Page, n int) []*content.Page {
	if len(ps) > n {
		return ps[:n]
	}
	return ps
}

// Latest is the later of two times.
func Latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// UpdatesTitle names the list of updates.
const UpdatesTitle = "新闻动态"

// Pager is one page of a paginated list.
type Pager struct {
	Number, Total int
	// Prev and Next are site-absolute URLs, empty at either end.
	Prev, Next string
	Pages      []PageLink
}

// PageLink is a link to one page of a paginated list.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// Paginate splits n items into pages of size per; an empty list still has
// one page, which says there is nothing yet.
func Paginate(n, per int) []*Pager {
	total := max(1, (n+per-1)/per)
	pagers := make([]*Pager, total)
	for i := range pagers {
		pg := &Pager{Number: i + 1, Total: total}
		if i > 0 {
			pg.Prev = content.UpdatesPageURL(i)
		}
		if i+1 < total {
			pg.Next = content.UpdatesPageURL(i + 2)
		}
		for j := range total {
			pg.Pages = append(pg.Pages, PageLink{Number: j + 1, URL: content.UpdatesPageURL(j + 1), Current: j == i})
		}
		pagers[i] = pg
	}
	return pagers
}

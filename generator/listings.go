package generator

import (
	"context"
	"fmt"
	"html/template"
	"path"
	"strings"
	"sync"
	"time"

	"plansite/generator/content"
	"plansite/generator/markdown"
)

const (
	// updatesPerPage is the length of one page of the list of updates.
	updatesPerPage = 20
	// latestUpdates is how many updates the home and topic pages show.
	latestUpdates = 5
	// feedEntries bounds a feed: readers poll it, so it carries the recent
	// updates, not the archive.
	feedEntries = 50
)

// updateIndex groups the published updates by topic before rendering, so
// every page's data is a lookup, and keeps the updates' rendered bodies for
// the feeds, which are written after the pages.
type updateIndex struct {
	byTopic     map[string][]*content.Page // newest first
	lastUpdated map[string]time.Time       // per topic slug

	mu     sync.Mutex
	bodies map[*content.Page]string
}

func (b *builder) indexUpdates() {
	ix := &b.updates
	ix.byTopic = map[string][]*content.Page{}
	ix.lastUpdated = map[string]time.Time{}
	ix.bodies = map[*content.Page]string{}
	for _, u := range b.src.Updates {
		for _, t := range u.Topics {
			ix.byTopic[t] = append(ix.byTopic[t], u)
		}
	}
	for _, t := range b.src.Topics {
		last := t.Modified()
		for _, u := range ix.byTopic[t.Topic] {
			last = latest(last, u.Modified())
		}
		ix.lastUpdated[t.Topic] = last
	}
}

func (ix *updateIndex) keepBody(p *content.Page, doc *markdown.Doc) {
	if p.Kind != content.KindUpdate {
		return
	}
	ix.mu.Lock()
	ix.bodies[p] = string(doc.HTML)
	ix.mu.Unlock()
}

// updateBody returns an update's body as HTML: kept from its page's
// rendering, or converted now when the page was reused from an earlier
// build and so not rendered in this one.
func (b *builder) updateBody(p *content.Page) string {
	ix := &b.updates
	ix.mu.Lock()
	body, ok := ix.bodies[p]
	ix.mu.Unlock()
	if ok {
		return body
	}
	doc, err := b.conv.Convert(p.Body)
	if err != nil {
		// Rendering the same body for its page would have failed the
		// build already; an empty feed entry body is the safe answer.
		return ""
	}
	ix.keepBody(p, doc)
	return string(doc.HTML)
}

func (b *builder) topicPage(slug string) *content.Page {
	for _, t := range b.src.Topics {
		if t.Topic == slug {
			return t
		}
	}
	return nil
}

// decorate adds what depends on the updates and the head's metadata to a
// page's data; p is nil for generated pages.
func (b *builder) decorate(d *pageData, p *content.Page) {
	site := b.src.Site
	switch {
	case p == nil:
	case p.Kind == content.KindHome:
		d.Updates = firstN(b.src.Updates, latestUpdates)
	case p.Kind == content.KindTopic:
		all := b.updates.byTopic[p.Topic]
		d.Updates = firstN(all, latestUpdates)
		d.ChangeLog = all
		d.LastUpdated = b.updates.lastUpdated[p.Topic]
	case p.Kind == content.KindUpdate:
		for _, t := range p.Topics {
			if tp := b.topicPage(t); tp != nil {
				d.UpdateTopics = append(d.UpdateTopics, tp)
			}
		}
		d.Breadcrumbs = []crumb{{Title: "首页", URL: "/"}, {Title: updatesTitle, URL: content.UpdatesURL}, {Title: p.Title}}
		// On an update, source is the 发布机构 (not the original document
		// as on topic pages), so the generic source line does not apply.
		d.Source = &sourceLine{Publisher: firstNonEmpty(p.Param("source"), site.Publisher), Date: p.Date}
	}
	b.addMeta(d, p)
}

func firstN(ps []*content.Page, n int) []*content.Page {
	if len(ps) > n {
		return ps[:n]
	}
	return ps
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

const updatesTitle = "新闻动态"

// pager is one page of a paginated list.
type pager struct {
	Number, Total int
	// Prev and Next are site-absolute URLs, empty at either end.
	Prev, Next string
	Pages      []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
}

// paginate splits n items into pages of size per; an empty list still has
// one page, which says there is nothing yet.
func paginate(n, per int) []*pager {
	total := max(1, (n+per-1)/per)
	pagers := make([]*pager, total)
	for i := range pagers {
		pg := &pager{Number: i + 1, Total: total}
		if i > 0 {
			pg.Prev = content.UpdatesPageURL(i)
		}
		if i+1 < total {
			pg.Next = content.UpdatesPageURL(i + 2)
		}
		for j := range total {
			pg.Pages = append(pg.Pages, pageLink{Number: j + 1, URL: content.UpdatesPageURL(j + 1), Current: j == i})
		}
		pagers[i] = pg
	}
	return pagers
}

// renderUpdateLists writes /updates/, /updates/page/2/ and so on.
func (b *builder) renderUpdateLists(ctx context.Context, out *output) error {
	all := b.src.Updates
	for _, pg := range paginate(len(all), updatesPerPage) {
		if err := ctx.Err(); err != nil {
			return err
		}
		lo := (pg.Number - 1) * updatesPerPage
		hi := min(lo+updatesPerPage, len(all))
		u := content.UpdatesPageURL(pg.Number)
		d := &pageData{
			Site:        b.src.Site,
			Kind:        "updates",
			Title:       updatesTitle,
			Description: b.src.Site.Title + "：" + updatesTitle,
			Canonical:   b.absURL(u),
			Topics:      b.src.Topics,
			Updates:     all[lo:hi],
			Pager:       pg,
			Breadcrumbs: []crumb{{Title: "首页", URL: "/"}, {Title: updatesTitle}},
		}
		if pg.Number > 1 {
			// Distinct titles, so search results can tell the pages apart.
			d.Title = fmt.Sprintf("%s（第%d页）", updatesTitle, pg.Number)
			d.Breadcrumbs = []crumb{{Title: "首页", URL: "/"}, {Title: updatesTitle, URL: content.UpdatesURL}, {Title: fmt.Sprintf("第%d页", pg.Number)}}
		}
		b.decorate(d, nil)
		d.QR = qrSVG(d.Canonical)
		w := out.buffer()
		err := b.theme.Execute(w, "updates", d)
		if err == nil {
			err = out.write(path.Join(strings.TrimPrefix(u, "/"), "index.html"), "", w.Bytes())
		}
		out.release(w)
		if err != nil {
			return err
		}
	}
	return nil
}

// aliasPage is the page left at an old address. It is not themed: it only
// sends the reader on, and tells search engines where the page lives now.
var aliasPage = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.URL}}">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p>本页已移至：<a href="{{.URL}}">{{.Title}}</a></p>
</body>
</html>
`))

// renderAliases writes a redirecting page at each old address of every
// published page. Load has checked that no alias meets another file.
func (b *builder) renderAliases(ctx context.Context, out *output) error {
	for _, p := range b.src.Pages {
		for _, a := range p.Aliases {
			if err := ctx.Err(); err != nil {
				return err
			}
			file := strings.TrimPrefix(a, "/")
			if strings.HasSuffix(a, "/") {
				file += "index.html"
			}
			w := out.buffer()
			err := aliasPage.Execute(w, map[string]string{"Lang": b.src.Site.Language, "Title": p.Title, "URL": b.absURL(p.URL)})
			if err == nil {
				err = out.write(file, "", w.Bytes())
			}
			out.release(w)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// writeExtras writes everything that is not one source page: the lists of
// updates, alias pages, feeds, sitemap, robots.txt and the schedule.
func (b *builder) writeExtras(ctx context.Context, out *output) error {
	for _, step := range []func(context.Context, *output) error{
		b.memoized("updates", b.renderUpdateLists), b.memoized("aliases", b.renderAliases), b.writeFeeds, b.memoized("discovery", b.writeDiscovery),
	} {
		if err := step(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

package render

import (
	"context"
	"sync"

	"plansite/generator/content"
	"plansite/generator/feed"
	"plansite/generator/markdown"
	"plansite/generator/site"
)

// feeds writes the site's Atom and JSON feeds of updates and an Atom
// feed for each topic.
func (r *Renderer) feeds(ctx context.Context, out Sink) error {
	st := r.src.Site
	f := r.feed(st.Title+" – "+site.UpdatesTitle, content.UpdatesURL, content.AtomFeedFile, r.src.Updates)
	data, err := feed.Atom(f)
	if err != nil {
		return err
	}
	if err := out.Write(content.AtomFeedFile, "", data); err != nil {
		return err
	}
	f.Self = r.model.AbsLink("/" + content.JSONFeedFile)
	if data, err = feed.JSON(f); err != nil {
		return err
	}
	if err := out.Write(content.JSONFeedFile, "", data); err != nil {
		return err
	}
	for _, t := range r.src.Topics {
		if err := ctx.Err(); err != nil {
			return err
		}
		file := content.TopicFeedFile(t.Topic)
		data, err := feed.Atom(r.feed(t.Title+" – "+st.Title, t.URL, file, r.model.UpdatesOf(t.Topic)))
		if err != nil {
			return err
		}
		if err := out.Write(file, "", data); err != nil {
			return err
		}
	}
	return nil
}

// feed describes a feed of updates (newest first) that follows the page at
// pageURL and lives at file.
func (r *Renderer) feed(title, pageURL, file string, updates []*content.Page) *feed.Feed {
	st := r.src.Site
	self := r.model.AbsLink("/" + file)
	f := &feed.Feed{
		Title:    title,
		Subtitle: st.Publisher,
		// The feed's address is its identity: it is what readers store.
		ID:       self,
		Link:     r.model.AbsLink(pageURL),
		Self:     self,
		Language: st.Language,
		Author:   site.FirstNonEmpty(st.Publisher, st.Title),
	}
	for _, u := range site.FirstN(updates, site.FeedEntries) {
		e := feed.Entry{
			ID:        r.model.EntryID(u),
			Title:     u.Title,
			Link:      r.model.AbsLink(u.URL),
			Summary:   u.Summary,
			HTML:      r.updateBody(u),
			Author:    site.FirstNonEmpty(u.Param("source"), st.Publisher),
			Published: u.Date,
			Updated:   u.Modified(),
		}
		for _, slug := range u.Topics {
			name := slug
			if t := r.model.Topic(slug); t != nil {
				name = t.Title
			}
			e.Categories = append(e.Categories, name)
		}
		f.Updated = site.Latest(f.Updated, e.Updated)
		f.Entries = append(f.Entries, e)
	}
	if f.Updated.IsZero() {
		// An empty feed still needs a date; the site's newest content
		// date keeps it independent of the clock.
		f.Updated = r.model.Modified()
	}
	return f
}

// bodyStore keeps the updates' rendered bodies for the feeds, which are
// written after the pages.
type bodyStore struct {
	mu sync.Mutex
	m  map[*content.Page]string
}

func (s *bodyStore) keep(p *content.Page, doc *markdown.Doc) {
	if p.Kind != content.KindUpdate {
		return
	}
	s.mu.Lock()
	s.m[p] = string(doc.HTML)
	s.mu.Unlock()
}

// updateBody returns an update's body as HTML: kept from its page's
// rendering, or converted now when the page was reused from an earlier
// build and so not rendered in this one.
func (r *Renderer) updateBody(p *content.Page) string {
	r.bodies.mu.Lock()
	body, ok := r.bodies.m[p]
	r.bodies.mu.Unlock()
	if ok {
		return body
	}
	doc, err := r.convert(p)
	if err != nil {
		// Rendering the same body for its page would have failed the
		// build already; an empty feed entry body is the safe answer.
		return ""
	}
	r.bodies.keep(p, doc)
	return string(doc.HTML)
}

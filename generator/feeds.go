package generator

import (
	"context"
	"net/url"
	"strings"
	"time"

	"plansite/generator/content"
	"plansite/generator/feed"
)

// writeFeeds writes the site's Atom and JSON feeds of updates and an Atom
// feed for each topic.
func (b *builder) writeFeeds(ctx context.Context, out *output) error {
	site := b.src.Site
	f := b.feed(site.Title+" – "+updatesTitle, content.UpdatesURL, content.AtomFeedFile, b.src.Updates)
	data, err := feed.Atom(f)
	if err != nil {
		return err
	}
	if err := out.write(content.AtomFeedFile, "", data); err != nil {
		return err
	}
	f.Self = b.absLink("/" + content.JSONFeedFile)
	if data, err = feed.JSON(f); err != nil {
		return err
	}
	if err := out.write(content.JSONFeedFile, "", data); err != nil {
		return err
	}
	for _, t := range b.src.Topics {
		if err := ctx.Err(); err != nil {
			return err
		}
		file := content.TopicFeedFile(t.Topic)
		data, err := feed.Atom(b.feed(t.Title+" – "+site.Title, t.URL, file, b.updates.byTopic[t.Topic]))
		if err != nil {
			return err
		}
		if err := out.write(file, "", data); err != nil {
			return err
		}
	}
	return nil
}

// feed describes a feed of updates (newest first) that follows the page at
// pageURL and lives at file.
func (b *builder) feed(title, pageURL, file string, updates []*content.Page) *feed.Feed {
	site := b.src.Site
	self := b.absLink("/" + file)
	f := &feed.Feed{
		Title:    title,
		Subtitle: site.Publisher,
		// The feed's address is its identity: it is what readers store.
		ID:       self,
		Link:     b.absLink(pageURL),
		Self:     self,
		Language: site.Language,
		Author:   firstNonEmpty(site.Publisher, site.Title),
	}
	for _, u := range firstN(updates, feedEntries) {
		e := feed.Entry{
			ID:        b.entryID(u),
			Title:     u.Title,
			Link:      b.absLink(u.URL),
			Summary:   u.Summary,
			HTML:      b.updateBody(u),
			Author:    firstNonEmpty(u.Param("source"), site.Publisher),
			Published: u.Date,
			Updated:   u.Modified(),
		}
		for _, slug := range u.Topics {
			name := slug
			if t := b.topicPage(slug); t != nil {
				name = t.Title
			}
			e.Categories = append(e.Categories, name)
		}
		f.Updated = latest(f.Updated, e.Updated)
		f.Entries = append(f.Entries, e)
	}
	if f.Updated.IsZero() {
		// An empty feed still needs a date; the site's newest content
		// date keeps it independent of the clock.
		f.Updated = b.siteModified()
	}
	return f
}

// entryID is an update's permanent id, a tag URI (RFC 4151) made of the
// site's host, the update's date and its file's stem: a new title or slug
// leaves it alone, so readers do not see the update twice.
func (b *builder) entryID(u *content.Page) string {
	host := b.src.Site.BaseURL
	if pu, err := url.Parse(host); err == nil {
		host = pu.Hostname()
	}
	specific := strings.Trim(b.basePath, "/")
	if specific != "" {
		specific += "/"
	}
	specific += "updates/" + u.Stem()
	return "tag:" + host + "," + u.Date.Format("2006-01-02") + ":" + (&url.URL{Path: specific}).EscapedPath()
}

// absLink is absURL with the path percent-encoded, for feeds, the sitemap
// and structured data, which are read by programs that want a valid URL.
func (b *builder) absLink(p string) string {
	return strings.TrimSuffix(b.src.Site.BaseURL, "/") + (&url.URL{Path: "/" + strings.TrimPrefix(p, "/")}).EscapedPath()
}

// siteModified is the newest date of any published page, or the Unix epoch
// for a site without dates.
func (b *builder) siteModified() time.Time {
	var t time.Time
	for _, p := range b.src.Pages {
		t = latest(t, p.Modified())
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t
}

// Package feed writes news feeds in the two formats readers and
// aggregators take: Atom 1.0 (RFC 4287) and JSON Feed 1.1. Both are written
// from one description of the feed, with encoding/xml and encoding/json,
// so the output is well formed and, for the same input, byte for byte the
// same.
package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"time"
)

// Feed describes a feed. Every URL is absolute.
type Feed struct {
	Title    string
	Subtitle string
	// ID is the feed's permanent identity, an absolute IRI.
	ID string
	// Link is the web page the feed follows; Self the feed's own address.
	Link, Self string
	Language   string // BCP 47
	Author     string
	// Updated is when the feed last changed, taken from its entries.
	Updated time.Time
	Entries []Entry
}

// Entry is one item of a feed.
type Entry struct {
	// ID is permanent: it must not change when the title or address does.
	ID      string
	Title   string
	Link    string
	Summary string
	// HTML is the entry's body; relative links in it are resolved against
	// Link.
	HTML               string
	Author             string
	Published, Updated time.Time
	Categories         []string
}

const atomNS = "http://www.w3.org/2005/Atom"

// xmlNS is the namespace of xml:lang and xml:base; encoding/xml writes
// attributes in it with the reserved "xml" prefix.
const xmlNS = "http://www.w3.org/XML/1998/namespace"

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

// Atom returns f as an Atom 1.0 document.
func Atom(f *Feed) ([]byte, error) {
	af := atomFeed{
		Lang:    f.Language,
		ID:      f.ID,
		Title:   atomText{Text: f.Title},
		Updated: stamp(f.Updated),
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: f.Link},
			{Rel: "self", Type: "application/atom+xml", Href: f.Self},
		},
	}
	if f.Subtitle != "" {
		af.Subtitle = &atomText{Text: f.Subtitle}
	}
	if f.Author != "" {
		// RFC 4287 wants an author on every entry; the feed's covers those
		// without their own.
		af.Author = &atomPerson{Name: f.Author}
	}
	for _, e := range f.Entries {
		ae := atomEntry{
			ID:        e.ID,
			Title:     atomText{Text: e.Title},
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Link}},
			Published: stamp(e.Published),
			Updated:   stamp(latest(e.Updated, e.Published)),
		}
		if e.Author != "" {
			ae.Author = &atomPerson{Name: e.Author}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Text: e.Summary}
		}
		if e.HTML != "" {
			ae.Content = &atomText{Type: "html", Base: e.Link, Text: e.HTML}
		}
		af.Entries = append(af.Entries, ae)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

// JSON returns f as a JSON Feed 1.1 document.
func JSON(f *Feed) ([]byte, error) {
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		HomePageURL: f.Link,
		FeedURL:     f.Self,
		Description: f.Subtitle,
		Language:    f.Language,
		Items:       []jsonItem{},
	}
	if f.Author != "" {
		jf.Authors = []jsonAuthor{{Name: f.Author}}
	}
	for _, e := range f.Entries {
		it := jsonItem{
			ID:            e.ID,
			URL:           e.Link,
			Title:         e.Title,
			ContentHTML:   e.HTML,
			Summary:       e.Summary,
			DatePublished: stamp(e.Published),
			DateModified:  stamp(latest(e.Updated, e.Published)),
			Tags:          e.Categories,
		}
		if e.HTML == "" {
			// JSON Feed wants content on every item; an update without a
			// body is its summary, or its title.
			it.ContentText = e.Summary
			if it.ContentText == "" {
				it.ContentText = e.Title
			}
		}
		if e.Author != "" {
			it.Authors = []jsonAuthor{{Name: e.Author}}
		}
		jf.Items = append(jf.Items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The feed is served as JSON, never inside HTML, so "<" can stay
	// readable in content_html.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stamp formats t as RFC 3339, the date format of both Atom and JSON Feed;
// the zero time gives "", which the encoders then leave out.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

package render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"sort"
	"time"

	"plansite/generator/content"
	"plansite/generator/site"
)

// discovery writes sitemap.xml, robots.txt and schedule.json.
func (r *Renderer) discovery(ctx context.Context, out Sink) error {
	data, err := r.sitemap()
	if err != nil {
		return err
	}
	if err := out.Write(content.SitemapFile, "", data); err != nil {
		return err
	}
	robots := fmt.Sprintf("User-agent: *\nDisallow:\n\nSitemap: %s\n", r.model.AbsLink("/"+content.SitemapFile))
	if err := out.Write(content.RobotsFile, "", []byte(robots)); err != nil {
		return err
	}
	return out.Write(content.ScheduleFile, "", schedule(r.src.NextChange))
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
func (r *Renderer) sitemap() ([]byte, error) {
	var set sitemapURLSet
	add := func(u string, mod time.Time) {
		su := sitemapURL{Loc: r.model.AbsLink(u)}
		if !mod.IsZero() {
			su.LastMod = mod.Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, su)
	}
	for _, p := range r.src.Pages {
		mod := p.Modified()
		switch p.Kind {
		case content.KindTopic:
			mod = r.model.LastUpdated(p.Topic)
		case content.KindHome:
			// The home page lists the latest updates.
			for _, u := range site.FirstN(r.src.Updates, site.LatestUpdates) {
				mod = site.Latest(mod, u.Modified())
			}
		}
		add(p.URL, mod)
	}
	all := r.src.Updates
	for _, pg := range site.Paginate(len(all), site.UpdatesPerPage) {
		var mod time.Time
		for _, u := range all[(pg.Number-1)*site.UpdatesPerPage : min(pg.Number*site.UpdatesPerPage, len(all))] {
			mod = site.Latest(mod, u.Modified())
		}
		add(content.UpdatesPageURL(pg.Number), mod)
	}
	if groups := r.model.TargetGroups(); len(groups) > 0 {
		// The targets change with their topic pages and progress reports.
		var mod time.Time
		for _, g := range groups {
			mod = site.Latest(mod, g.Topic.Modified())
			for _, c := range g.Cards {
				for _, p := range c.Progress {
					mod = site.Latest(mod, p.Update.Modified())
				}
			}
		}
		if r.theme.Has("targets") {
			add(content.TargetsURL, mod)
		}
		add("/"+content.TargetsJSONFile, mod)
		add("/"+content.TargetsCSVFile, mod)
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

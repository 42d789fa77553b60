package site

import (
	"plansite/generator/content"
	"plansite/generator/markdown"
)

// TargetsTitle names the page of all targets.
const TargetsTitle = "重点工作目标一图读懂"

// TargetCard is a target as its card shows it: the target, the section of
// its topic page holding its clause, and its latest progress.
type TargetCard struct {
	*content.Target
	// Topic is the topic page; SectionURL the address of the section
	// (/topics/employment/#坚持稳就业保就业) and SectionTitle its heading.
	Topic        *content.Page
	SectionURL   string
	SectionTitle string
	// URL is the card's place on the page of all targets, whose anchor
	// lists the history of progress reports.
	URL string
}

// TargetGroup is one topic's targets, in the order of its page.
type TargetGroup struct {
	Topic *content.Page
	Cards []*TargetCard
	// WithProgress counts the targets that have a progress report.
	WithProgress int
}

// targetGroups builds the cards of src's targets, grouped by topic in
// report order.
func targetGroups(src *content.Source) []*TargetGroup {
	var groups []*TargetGroup
	for _, t := range src.Targets {
		if len(groups) == 0 || groups[len(groups)-1].Topic != t.Page {
			groups = append(groups, &TargetGroup{Topic: t.Page})
		}
		g := groups[len(groups)-1]
		c := &TargetCard{Target: t, Topic: t.Page, SectionURL: t.Page.URL, URL: content.TargetsURL + "#" + t.ID}
		if hs := t.Section.Headings; len(hs) > 0 {
			ids := markdown.HeadingIDs(hs)
			c.SectionURL += "#" + ids[len(ids)-1]
			c.SectionTitle = t.Section.Title()
		}
		g.Cards = append(g.Cards, c)
		if len(t.Progress) > 0 {
			g.WithProgress++
		}
	}
	return groups
}

// TargetGroups are the site's targets by topic, in report order.
func (m *Model) TargetGroups() []*TargetGroup { return m.targets }

// TargetsOf is the cards of one topic's targets.
func (m *Model) TargetsOf(slug string) []*TargetCard {
	for _, g := range m.targets {
		if g.Topic.Topic == slug {
			return g.Cards
		}
	}
	return nil
}

// Targets is the data of the page of all targets, or nil when the site
// has none.
func (m *Model) Targets() *PageData {
	if len(m.targets) == 0 {
		return nil
	}
	site := m.src.Site
	d := &PageData{Site: site, Kind: "targets", Title: TargetsTitle,
		Description:  site.Title + "：报告提出的量化目标及其进展，附开放数据下载",
		Canonical:    m.AbsURL(content.TargetsURL),
		Breadcrumbs:  []Crumb{{Title: "首页", URL: "/"}, {Title: TargetsTitle}},
		Topics:       m.src.Topics,
		TargetGroups: m.targets}
	m.Decorate(d, nil)
	d.QR = QR(d.Canonical)
	return d
}

// Reported is one progress report of an update, with the card of its
// target.
type Reported struct {
	Card     *TargetCard
	Progress *content.Progress
}

// reportedBy lists the progress reports update u makes, in report order.
func (m *Model) reportedBy(u *content.Page) []Reported {
	var out []Reported
	for _, g := range m.targets {
		for _, c := range g.Cards {
			for _, p := range c.Progress {
				if p.Update == u {
					out = append(out, Reported{Card: c, Progress: p})
				}
			}
		}
	}
	return out
}

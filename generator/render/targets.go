package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"

	"plansite/generator/content"
	"plansite/generator/site"
	"plansite/generator/targets"
)

// TargetsSchemaVersion is the version of targets.json's format; it changes
// only when a field changes meaning or goes away (README, "Open data").
const TargetsSchemaVersion = 1

// targetsPages writes /targets/, /targets.json and /targets.csv when the
// site has targets.
func (r *Renderer) targetsPages(out Sink) error {
	groups := r.model.TargetGroups()
	if len(groups) == 0 {
		return nil
	}
	if r.theme.Has("targets") {
		if err := r.execute(out, "targets", r.model.Targets(), strings.TrimPrefix(content.TargetsURL, "/")+"index.html", ""); err != nil {
			return err
		}
	}
	data, err := r.targetsJSON(groups)
	if err != nil {
		return err
	}
	if err := out.Write(content.TargetsJSONFile, "", data); err != nil {
		return err
	}
	return out.Write(content.TargetsCSVFile, "", r.targetsCSV(groups))
}

type targetsDoc struct {
	Version   int          `json:"version"`
	Site      string       `json:"site"`
	Publisher string       `json:"publisher,omitempty"`
	Source    string       `json:"source,omitempty"`
	URL       string       `json:"url"`
	Topics    []topicJSON  `json:"topics"`
	Targets   []targetJSON `json:"targets"`
}

type topicJSON struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type targetJSON struct {
	ID        string        `json:"id"`
	Topic     string        `json:"topic"`
	What      string        `json:"what"`
	Value     string        `json:"value"`
	Min       float64       `json:"min"`
	Max       float64       `json:"max"`
	Unit      string        `json:"unit"`
	Qualifier string        `json:"qualifier"`
	Clause    string        `json:"clause"`
	Section   string        `json:"section"`
	URL       string        `json:"url"`
	Progress  []progressDoc `json:"progress"`
}

type progressDoc struct {
	Value  float64 `json:"value"`
	AsOf   string  `json:"asOf"`
	Share  *int    `json:"share"`
	Note   string  `json:"note,omitempty"`
	Update string  `json:"update"`
}

func (r *Renderer) targetsJSON(groups []*site.TargetGroup) ([]byte, error) {
	m := r.model
	s := r.src.Site
	doc := targetsDoc{Version: TargetsSchemaVersion, Site: s.Title, Publisher: s.Publisher, Source: s.Source,
		URL: m.AbsLink(content.TargetsURL), Targets: []targetJSON{}}
	for _, g := range groups {
		doc.Topics = append(doc.Topics, topicJSON{Slug: g.Topic.Topic, Title: g.Topic.Title, URL: m.AbsLink(g.Topic.URL)})
		for _, c := range g.Cards {
			lo, hi, _ := targets.ParseValue(c.Value)
			t := targetJSON{ID: c.ID, Topic: c.Topic.Topic, What: c.What, Value: c.Value, Min: lo, Max: hi, Unit: c.Unit,
				Qualifier: c.Qualifier, Clause: c.Clause, Section: c.SectionTitle, URL: sectionLink(m, c), Progress: []progressDoc{}}
			for _, p := range c.Progress {
				pd := progressDoc{Value: p.Value, AsOf: p.AsOf.Format("2006-01-02"), Note: p.Note, Update: m.AbsLink(p.Update.URL)}
				if p.HasShare {
					share := p.Share
					pd.Share = &share
				}
				t.Progress = append(t.Progress, pd)
			}
			doc.Targets = append(doc.Targets, t)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sectionLink is the full address of a card's section, its anchor kept
// readable as the page writes it.
func sectionLink(m *site.Model, c *site.TargetCard) string {
	u, frag, _ := strings.Cut(c.SectionURL, "#")
	if frag == "" {
		return m.AbsLink(u)
	}
	return m.AbsLink(u) + "#" + frag
}

// targetsCSV is the targets as a table for spreadsheets, with a byte order
// mark so that Excel reads the Chinese as UTF-8.
func (r *Renderer) targetsCSV(groups []*site.TargetGroup) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.Write([]string{"id", "专题", "目标", "限定", "数值", "单位", "原文", "链接", "最新进展", "截至日期", "完成比例(%)", "进展来源"})
	for _, g := range groups {
		for _, c := range g.Cards {
			row := []string{c.ID, g.Topic.Title, c.What, c.Qualifier, c.Value, c.Unit, c.Clause, sectionLink(r.model, c), "", "", "", ""}
			if p := c.Latest(); p != nil {
				row[8], row[9], row[11] = p.ValueText, p.AsOf.Format("2006-01-02"), r.model.AbsLink(p.Update.URL)
				if p.HasShare {
					row[10] = strconv.Itoa(p.Share)
				}
			}
			w.Write(row)
		}
	}
	w.Flush()
	return buf.Bytes()
}

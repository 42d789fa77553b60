package content

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"plansite/generator/targets"
)

// What the build writes for the targets, named beside the other generated
// files (see publish.go).
const (
	// TargetsURL is the address of the page of all targets (一图读懂).
	TargetsURL = "/targets/"
	// TargetsJSONFile and TargetsCSVFile are the targets as open data.
	TargetsJSONFile = "targets.json"
	TargetsCSVFile  = "targets.csv"
)

// Target is a target of targets.yaml, checked against its topic page, with
// the progress reports of the published updates.
type Target struct {
	*targets.Target
	// Page is the topic page the clause is from.
	Page *Page
	// Section is where the clause stands in the page.
	Section targets.Section
	// offset is the clause's place in the page, for the report's order.
	offset int
	// Progress lists the published reports on the target, oldest first.
	Progress []*Progress
}

// Latest is the newest progress report, or nil.
func (t *Target) Latest() *Progress {
	if len(t.Progress) == 0 {
		return nil
	}
	return t.Progress[len(t.Progress)-1]
}

// Progress is one published report on a target.
type Progress struct {
	*targets.Report
	// AsOf is the date the value was reached.
	AsOf time.Time
	// Update is the update that reported it.
	Update *Page
	// Share is the part of the target reached, in whole per cent; HasShare
	// is false where a share means nothing (a ceiling such as 以内).
	Share    int
	HasShare bool
}

// parseProgress reads an update's progress field into p.Progress; lines in
// errors are the file's.
func (p *Page) parseProgress(name string) Errors {
	if _, ok := p.lines[targets.ProgressField]; !ok {
		return nil
	}
	// The front matter starts on the file's second line.
	reports, lerrs := targets.ParseProgress(p.FrontMatter, 1)
	var errs Errors
	for _, e := range lerrs {
		errs = append(errs, &Error{Path: name, Line: e.Line, Err: e.Err})
	}
	for _, r := range reports {
		t, err := ParseTime(r.AsOf)
		if r.AsOf != "" && err != nil {
			errs = append(errs, errorf(name, r.FieldLine("asOf"), "progress: asOf: %v", err))
			continue
		}
		p.Progress = append(p.Progress, &Progress{Report: r, AsOf: t})
	}
	return errs
}

// loadTargets reads targets.yaml, checks every target against its topic
// page and every update's progress reports against the targets. It runs
// after link, while every page still has its body.
func (src *Source) loadTargets(fsys fs.FS, show func(string) string, topicPage map[string]*Page) Errors {
	var errs Errors
	name := show(targets.FileName)
	var file *targets.File
	if src.hasTargets {
		data, err := fs.ReadFile(fsys, targets.FileName)
		if err != nil {
			return Errors{{Path: name, Err: ReadError(err)}}
		}
		src.TargetsData = data
		var terrs targets.Errors
		file, terrs = targets.Parse(name, data)
		for _, e := range terrs {
			errs = append(errs, &Error{Path: e.Path, Line: e.Line, Err: e.Err})
		}
	}
	byID := map[string]*Target{}
	if file != nil {
		known := strings.Join(src.Site.Topics, ", ")
		for _, t := range file.Targets {
			if t.Topic == "" || t.Clause == "" || t.Value == "" {
				continue // reported by Parse
			}
			page, ok := topicPage[t.Topic]
			if !ok {
				errs = append(errs, errorf(name, t.FieldLine("topic"), "topic: unknown topic %q (known: %s)", t.Topic, known))
				continue
			}
			sec, field, err := t.CheckSource(string(page.Body), show(page.Path))
			if err != nil {
				errs = append(errs, &Error{Path: name, Line: t.FieldLine(field), Err: err})
				continue
			}
			ct := &Target{Target: t, Page: page, Section: sec, offset: strings.Index(string(page.Body), t.Clause)}
			byID[t.ID] = ct
			src.Targets = append(src.Targets, ct)
		}
	}
	order := map[string]int{}
	for i, t := range src.Site.Topics {
		order[t] = i
	}
	slices.SortStableFunc(src.Targets, func(a, b *Target) int {
		if a.Topic != b.Topic {
			return order[a.Topic] - order[b.Topic]
		}
		return a.offset - b.offset
	})
	for _, p := range src.Pages {
		if len(p.Progress) == 0 {
			continue
		}
		pname := show(p.Path)
		if p.Kind != KindUpdate {
			errs = append(errs, errorf(pname, p.FieldLine(targets.ProgressField), "progress: only an update (a file in updates/) reports progress"))
			continue
		}
		for _, r := range p.Progress {
			t, ok := byID[r.Target]
			switch {
			case !ok && (file == nil || !slices.ContainsFunc(file.Targets, func(x *targets.Target) bool { return x.ID == r.Target })):
				errs = append(errs, errorf(pname, r.FieldLine("target"), "progress: unknown target %q: use an id from %s%s", r.Target, name, closeIDs(file, r.Target)))
			case !ok:
				// The target itself has an error, reported above.
			case r.Unit != "" && r.Unit != t.Unit:
				errs = append(errs, errorf(pname, r.FieldLine("unit"), "progress: unit: %q is not the unit of target %s (%s): give the value in %s", r.Unit, t.ID, t.Unit, t.Unit))
			case !r.AsOf.IsZero() && !p.Date.IsZero() && r.AsOf.After(p.Date):
				errs = append(errs, errorf(pname, r.FieldLine("asOf"), "progress: asOf: %s is after the update's date %s: a report cannot be of a day still to come", showTime(r.AsOf), showTime(p.Date)))
			}
		}
	}
	return errs
}

// closeIDs suggests the ids of the file that share the unknown id's topic.
func closeIDs(file *targets.File, id string) string {
	if file == nil {
		return ""
	}
	var ids []string
	topic := ""
	for _, t := range file.Targets {
		if strings.HasPrefix(id, t.Topic+"-") && (topic == "" || topic == t.Topic) && !slices.Contains(ids, t.ID) {
			topic = t.Topic
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 || len(ids) > 8 {
		return ""
	}
	return fmt.Sprintf(" (topic %s has: %s)", topic, strings.Join(ids, ", "))
}

// publishTargets keeps the targets of published topic pages and gives
// them the progress reports of published updates only: a report on a
// draft or scheduled update appears with the update.
func (src *Source) publishTargets() {
	shown := map[*Page]bool{}
	for _, p := range src.Topics {
		shown[p] = true
	}
	src.Targets = slices.DeleteFunc(src.Targets, func(t *Target) bool { return !shown[t.Page] })
	byID := map[string]*Target{}
	for _, t := range src.Targets {
		byID[t.ID] = t
	}
	for _, u := range src.Updates {
		for _, r := range u.Progress {
			if t, ok := byID[r.Target]; ok {
				pr := &Progress{Report: r.Report, AsOf: r.AsOf, Update: u}
				pr.Share, pr.HasShare = t.Share(r.Value)
				t.Progress = append(t.Progress, pr)
			}
		}
	}
	for _, t := range src.Targets {
		slices.SortStableFunc(t.Progress, func(a, b *Progress) int {
			if c := a.AsOf.Compare(b.AsOf); c != 0 {
				return c
			}
			return a.Update.Date.Compare(b.Update.Date)
		})
	}
}

// Bar is Share held to 0..100, the value of a <progress> element, which
// cannot pass its maximum.
func (p *Progress) Bar() int { return min(max(p.Share, 0), 100) }

package content

import (
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Files the build writes besides the pages. They are named here, beside
// the checks that keep pages, aliases and copied files off them, so the two
// can never disagree.
const (
	AtomFeedFile = "feed.xml"
	JSONFeedFile = "feed.json"
	SitemapFile  = "sitemap.xml"
	RobotsFile   = "robots.txt"
	ScheduleFile = "schedule.json"
	// TopicFeedName is the Atom feed's file name in each topic's folder.
	TopicFeedName = "feed.xml"
	// UpdatesURL is the address of the first page of the list of updates.
	UpdatesURL = "/updates/"
	// SearchURL is the address of the search page; the index lives in the
	// folder of the same name.
	SearchURL = "/search/"
)

// UpdatesPageURL is the address of page n (from 1) of the list of updates.
func UpdatesPageURL(n int) string {
	if n <= 1 {
		return UpdatesURL
	}
	return UpdatesURL + "page/" + strconv.Itoa(n) + "/"
}

// TopicFeedFile is the path of a topic's Atom feed below the site root.
func TopicFeedFile(slug string) string {
	return "topics/" + slug + "/" + TopicFeedName
}

// generatedURL reports whether a page address is one of the list pages.
func generatedURL(u string) (string, bool) {
	if u == UpdatesURL {
		return "the list of updates", true
	}
	if strings.HasPrefix(u, SearchURL) {
		return "the search page and index", true
	}
	if u == TargetsURL {
		return "the page of targets", true
	}
	if n, ok := strings.CutPrefix(u, UpdatesURL+"page/"); ok {
		if _, err := strconv.Atoi(strings.TrimSuffix(n, "/")); err == nil {
			return "a page of the list of updates", true
		}
	}
	return "", false
}

// generatedFile reports whether a file path below the site root is one the
// build writes itself, and names it.
func generatedFile(site *Site, file string) (string, bool) {
	switch file {
	case AtomFeedFile:
		return "the Atom feed", true
	case JSONFeedFile:
		return "the JSON feed", true
	case SitemapFile:
		return "the sitemap", true
	case RobotsFile:
		return "robots.txt", true
	case ScheduleFile:
		return "the publishing schedule", true
	case "404.html":
		return "the not-found page", true
	case TargetsJSONFile, TargetsCSVFile:
		return "the targets as open data", true
	}
	for _, t := range site.Topics {
		if file == TopicFeedFile(t) {
			return "the feed of topic " + t, true
		}
	}
	if strings.HasPrefix("/"+file, SearchURL) {
		return "the search page and index", true
	}
	if dir, ok := strings.CutSuffix(file, "index.html"); ok {
		return generatedURL("/" + dir)
	}
	return "", false
}

// aliasFile is the file an alias is written to.
func aliasFile(alias string) string {
	if strings.HasSuffix(alias, "/") {
		return strings.TrimPrefix(alias, "/") + "index.html"
	}
	return strings.TrimPrefix(alias, "/")
}

// checkUpdate checks what an update needs beyond any page: a date to sort
// and date it by, at least one topic, and an expiry after its publication.
func checkUpdate(name string, p *Page) Errors {
	var errs Errors
	if _, given := p.lines["date"]; !given {
		errs = append(errs, errorf(name, p.FieldLine("date"), "date: an update needs a date, e.g. \"date: 2023-05-01\""))
	}
	if len(p.Topics) == 0 {
		errs = append(errs, errorf(name, p.FieldLine("topics"), "topics: an update needs at least one topic, e.g. \"topics: [ecology]\""))
	}
	if p.Topic != "" {
		errs = append(errs, errorf(name, p.FieldLine("topic"), "topic: an update lists its topics under \"topics:\""))
	}
	if pub := p.PublishTime(); !p.ExpiryDate.IsZero() && !pub.IsZero() && !p.ExpiryDate.After(pub) {
		field := "publishDate"
		if p.PublishDate.IsZero() {
			field = "date"
		}
		errs = append(errs, errorf(name, p.FieldLine("expiryDate"), "expiryDate: %s is not after the %s %s: the update would never be shown",
			showTime(p.ExpiryDate), field, showTime(pub)))
	}
	return errs
}

// checkTopics checks the topics field of any page against site.yaml.
func checkTopics(name string, p *Page, known map[string]int, topics []string) Errors {
	var errs Errors
	seen := map[string]bool{}
	for i, t := range p.Topics {
		if _, ok := known[t]; !ok {
			errs = append(errs, errorf(name, p.itemLine("topics", i), "topics: unknown topic %q (known: %s)", t, strings.Join(topics, ", ")))
		} else if seen[t] {
			errs = append(errs, errorf(name, p.itemLine("topics", i), "topics: %q is listed twice", t))
		}
		seen[t] = true
	}
	return errs
}

// checkAliases makes sure every alias is an address nothing else uses: not
// a page, a copied file, a file the build writes or another alias.
func (src *Source) checkAliases(show func(string) string, byURL map[string]*Page) Errors {
	var errs Errors
	// A rebuild in plansite serve runs this for every edit: skip the
	// maps below when no page has an alias, as most sites.
	if !slices.ContainsFunc(src.Pages, func(p *Page) bool { return len(p.Aliases) > 0 }) {
		return nil
	}
	pageFiles := map[string]*Page{}
	for u, p := range byURL {
		pageFiles[aliasFile(u)] = p
	}
	assets := map[string]bool{}
	for _, a := range src.Assets {
		assets[a] = true
	}
	aliasOf := map[string]*Page{}
	for _, p := range src.Pages {
		for i, a := range p.Aliases {
			file := aliasFile(a)
			line := p.itemLine("aliases", i)
			// "/feed.xml" would become the folder feed.xml/, which cannot
			// exist beside the file of that name.
			asDir := strings.TrimSuffix(file, "/index.html")
			if other, ok := pageFiles[file]; ok {
				if other == p {
					errs = append(errs, errorf(show(p.Path), line, "aliases: %q is this page's own address", a))
				} else {
					errs = append(errs, errorf(show(p.Path), line, "aliases: %q is the address of %s: an alias must be an old address no page uses", a, show(other.Path)))
				}
			} else if assets[file] || assets[asDir] {
				errs = append(errs, errorf(show(p.Path), line, "aliases: %q is the file %s: remove the file or the alias", a, show(strings.TrimPrefix(a, "/"))))
			} else if what, ok := generatedFile(src.Site, file); ok {
				errs = append(errs, errorf(show(p.Path), line, "aliases: %q is where the site puts %s", a, what))
			} else if what, ok := generatedFile(src.Site, asDir); ok {
				errs = append(errs, errorf(show(p.Path), line, "aliases: %q is where the site puts %s", a, what))
			} else if other, ok := aliasOf[file]; ok {
				errs = append(errs, errorf(show(p.Path), line, "aliases: %q is already an alias of %s", a, show(other.Path)))
			} else {
				aliasOf[file] = p
			}
		}
	}
	return errs
}

// publish applies the publishing rules: drafts, pages scheduled after Now
// and expired pages are left out, unless asked for. It runs after linking,
// so a page left out still claims its URL and a draft topic page still
// counts as the topic's page. Everything downstream — pages, lists, feeds,
// sitemap, search — sees only what is left.
func (src *Source) publish(opt Options) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	shown := func(p *Page) bool {
		if p.Draft && !opt.Drafts {
			return false
		}
		if pub := p.PublishTime(); !opt.Future && pub.After(now) {
			return false
		}
		return opt.Expired || p.ExpiryDate.IsZero() || p.ExpiryDate.After(now)
	}
	for _, p := range src.Pages {
		if p.Draft && !opt.Drafts {
			continue // a draft waits for a person, not for the clock
		}
		if pub := p.PublishTime(); !opt.Future && pub.After(now) {
			src.NextChange = earliest(src.NextChange, pub)
		}
		if !opt.Expired && p.ExpiryDate.After(now) {
			src.NextChange = earliest(src.NextChange, p.ExpiryDate)
		}
	}
	keep := func(ps []*Page) []*Page {
		out := ps[:0:0]
		for _, p := range ps {
			if shown(p) {
				out = append(out, p)
			}
		}
		return out
	}
	src.Pages = keep(src.Pages)
	src.Topics = keep(src.Topics)
	if src.Home != nil && !shown(src.Home) {
		src.Home = nil
	}
	for _, p := range src.Pages {
		if p.Kind == KindUpdate {
			src.Updates = append(src.Updates, p)
		}
	}
	SortUpdates(src.Updates)
}

// SortUpdates orders updates newest first; of two on the same date, the
// later file (2023-05-01-2.md after -1.md) comes first, so the order never
// depends on the file system.
func SortUpdates(ps []*Page) {
	sort.SliceStable(ps, func(i, j int) bool {
		if !ps[i].Date.Equal(ps[j].Date) {
			return ps[i].Date.After(ps[j].Date)
		}
		return ps[i].Path > ps[j].Path
	})
}

// showTime writes a moment as the press office would have: a bare date
// when it is midnight in Beijing time.
func showTime(t time.Time) string {
	if t = t.In(chinaTime); t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// Stem is the file name of a page without its folder and ".md", the part
// of an update's identity that survives a change of title or slug.
func (p *Page) Stem() string {
	return strings.TrimSuffix(path.Base(p.Path), ".md")
}

// Package content reads a site's source folder: site.yaml, the Markdown
// pages with their YAML front matter, and any other files, which are copied
// through unchanged. It checks everything it can before anything is
// rendered and reports every problem at once, each as "path:line: message".
package content

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"plansite/generator/targets"
)

// Options controls Load.
type Options struct {
	// Root is the content folder's name as shown in errors ("content").
	Root string
	// Drafts includes pages marked draft: true.
	Drafts bool
	// Files, when set, is the folder's Scan from just before, so Load
	// need not walk the folder again.
	Files []FileStamp
	// Workers bounds how many files are read and parsed at once; 0 means
	// one per CPU.
	Workers int
	// Now is the moment the site is built for: pages whose publication
	// time is after it are held back, pages whose expiryDate is at or
	// before it are taken down. Zero means the clock; builds that must be
	// reproducible pass a fixed moment.
	Now time.Time
	// Future includes pages scheduled after Now; Expired, pages expired
	// by Now.
	Future, Expired bool
	// Site, when set, is the folder's site.yaml as parsed just before
	// (without errors), so Load need not read and parse it again.
	Site *Site
	// Parse, when set, is called instead of ParsePage, so a caller that
	// loads the same folder again and again can reuse the pages whose
	// bytes did not change. It must return a page that Load may modify,
	// and it is called from several goroutines at once.
	Parse func(name string, body []byte) (*Page, Errors)
}

// Source is a loaded content folder.
type Source struct {
	Site *Site
	// Pages are sorted by Path; drafts are left out unless asked for.
	Pages []*Page
	// Home is the page of _index.md, or nil.
	Home *Page
	// Topics are the topic pages in site.yaml's order.
	Topics []*Page
	// Files stamps every file read, site.yaml included, so a later build
	// can tell without reading anything that nothing changed.
	Files []FileStamp
	// Updates are the published updates, newest first.
	Updates []*Page
	// NextChange is the next moment after Now at which a page appears or
	// expires by itself, so the site should be built again; zero when
	// nothing is scheduled.
	NextChange time.Time
	// Assets are the paths of files other than Markdown, site.yaml,
	// synonyms.yaml and targets.yaml, copied to the same path in the
	// output.
	Assets []string
	// Synonyms is the text of synonyms.yaml (the search's everyday words,
	// parsed by the search stage), nil if the site has none. It is not
	// published.
	Synonyms []byte
	// Targets are the targets of targets.yaml whose topic page is
	// published, in report order (topics in site.yaml's order, each in
	// the order of its page), with their published progress.
	Targets []*Target
	// TargetsData is targets.yaml as read, for the build's cache keys.
	TargetsData []byte
	hasTargets  bool
}

// FileStamp is a file's size and modification time (Unix nanoseconds).
type FileStamp struct {
	Path    string
	Size    int64
	ModTime int64
}

// SiteFile is the name of the settings file in the content folder.
const SiteFile = "site.yaml"

// SynonymsFile is the name of the search's synonyms in the content folder.
const SynonymsFile = "synonyms.yaml"

// Load reads and checks a content folder.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Source, error) {
	root := opt.Root
	show := func(p string) string { return path.Join(root, p) }
	var errs Errors
	src := &Source{}
	site := opt.Site
	if site == nil {
		data, err := fs.ReadFile(fsys, SiteFile)
		if err != nil {
			return nil, Errors{{Path: show(SiteFile), Err: fmt.Errorf("cannot read the site settings: %w", unwrapPath(err))}}
		}
		var serrs Errors
		site, serrs = ParseSite(show(SiteFile), data)
		errs = append(errs, serrs...)
	}
	src.Site = site

	parse := opt.Parse
	if parse == nil {
		parse = ParsePage
	}
	broken := map[string]bool{}
	files := opt.Files
	if files == nil {
		var serrs Errors
		var err error
		files, serrs, err = Scan(ctx, fsys, show)
		if err != nil {
			return nil, err
		}
		errs = append(errs, serrs...)
	}
	src.Files = files
	var pagePaths []string
	for _, f := range files {
		switch {
		case f.Path == SiteFile:
		case f.Path == SynonymsFile:
			data, err := fs.ReadFile(fsys, SynonymsFile)
			if err != nil {
				errs = append(errs, &Error{Path: show(SynonymsFile), Err: fmt.Errorf("cannot read the synonyms: %w", unwrapPath(err))})
				continue
			}
			src.Synonyms = data
		case f.Path == targets.FileName:
			src.hasTargets = true
		case strings.HasSuffix(f.Path, ".md"):
			pagePaths = append(pagePaths, f.Path)
		default:
			src.Assets = append(src.Assets, f.Path)
		}
	}
	pages, perrs, err := readPages(ctx, fsys, pagePaths, show, parse, opt.Workers)
	if err != nil {
		return nil, err
	}
	errs = append(errs, perrs...)
	for i, page := range pages {
		if page == nil {
			// The file exists, so "no page for this topic" would be noise.
			broken[pagePaths[i]] = true
			continue
		}
		src.Pages = append(src.Pages, page)
	}
	sort.Slice(src.Pages, func(i, j int) bool { return src.Pages[i].Path < src.Pages[j].Path })
	if site != nil {
		errs = append(errs, src.link(show, broken)...)
		topicPage := map[string]*Page{}
		for _, p := range src.Topics {
			topicPage[p.Topic] = p
		}
		errs = append(errs, src.loadTargets(fsys, show, topicPage)...)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	src.publish(opt)
	src.publishTargets()
	return src, nil
}

// link gives every page its kind and URL, checks topics and output paths,
// and orders the topics.
func (src *Source) link(show func(string) string, broken map[string]bool) Errors {
	var errs Errors
	site := src.Site
	known := map[string]int{}
	for i, t := range site.Topics {
		known[t] = i
	}
	topicPage := map[string]*Page{}
	byURL := map[string]*Page{}
	for _, p := range src.Pages {
		dir, file := path.Split(p.Path)
		stem := strings.TrimSuffix(file, ".md")
		switch {
		case p.Path == "_index.md":
			p.Kind, p.URL = KindHome, "/"
			src.Home = p
		case dir == "topics/":
			p.Kind, p.URL = KindTopic, "/topics/"+stem+"/"
			if _, ok := known[stem]; !ok {
				errs = append(errs, errorf(show(p.Path), 1, "unknown topic %q: list it under \"topics:\" in %s, or rename the file to one of: %s", stem, show(SiteFile), strings.Join(site.Topics, ", ")))
			}
			if p.Topic != "" && p.Topic != stem {
				errs = append(errs, errorf(show(p.Path), p.FieldLine("topic"), "topic: a topic page's topic is its file name %q; remove this field", stem))
			}
			p.Topic = stem
			topicPage[stem] = p
		case strings.HasPrefix(dir, "updates/"):
			// Folders below updates/ only sort the files (by year, say):
			// every update is served at /updates/<slug>/.
			seg := stem
			if p.Slug != "" {
				seg = p.Slug
			}
			p.Kind, p.URL = KindUpdate, "/updates/"+seg+"/"
			if stem == "_index" || stem == "index" {
				errs = append(errs, errorf(show(p.Path), 1, "the list of updates at /updates/ is generated: rename this file (it would be an update called %q)", stem))
			}
			errs = append(errs, checkUpdate(show(p.Path), p)...)
		default:
			seg := stem
			if p.Slug != "" {
				seg = p.Slug
			}
			if stem == "index" || stem == "_index" {
				seg = ""
			}
			p.Kind = KindPage
			if j := dir + seg; seg != "" && seg != "." && seg != ".." && p.Slug == "" && path.Clean(j) == j {
				// Most pages: a clean path, without path.Join's copies
				// (a serve rebuild links every page again).
				p.URL = "/" + j + "/"
			} else {
				p.URL = "/" + path.Join(dir, seg) + "/"
			}
			if p.URL == "//" {
				p.URL = "/"
			}
			if p.Topic != "" {
				if _, ok := known[p.Topic]; !ok {
					errs = append(errs, errorf(show(p.Path), p.FieldLine("topic"), "topic: unknown topic %q (known: %s)", p.Topic, strings.Join(site.Topics, ", ")))
				}
			}
		}
		if len(p.Topics) > 0 {
			errs = append(errs, checkTopics(show(p.Path), p, known, site.Topics)...)
		}
		if other, dup := byURL[p.URL]; dup {
			if p.Slug != "" {
				errs = append(errs, errorf(show(p.Path), p.FieldLine("slug"), "slug: this page would be written to %s, which %s already uses: choose another slug", p.URL, show(other.Path)))
			} else {
				errs = append(errs, errorf(show(p.Path), 1, "this page would be written to %s, which %s already uses: change its file name or slug", p.URL, show(other.Path)))
			}
			continue
		}
		if what, ok := generatedURL(p.URL); ok {
			errs = append(errs, errorf(show(p.Path), p.FieldLine("slug"), "this page would be written to %s, where the site puts %s: change its file name or slug", p.URL, what))
			continue
		}
		byURL[p.URL] = p
	}
	errs = append(errs, src.checkAliases(show, byURL)...)
	for _, a := range src.Assets {
		u := "/" + a
		if strings.HasSuffix(a, "/index.html") || a == "index.html" {
			u = "/" + strings.TrimSuffix(a, "index.html")
		}
		if other, dup := byURL[u]; dup {
			errs = append(errs, errorf(show(a), 0, "this file would overwrite the page of %s: rename one of them", show(other.Path)))
		} else if what, ok := generatedFile(site, a); ok {
			errs = append(errs, errorf(show(a), 0, "this file would overwrite %s, which the build writes: rename or remove it", what))
		}
	}
	for _, t := range site.Topics {
		if p, ok := topicPage[t]; ok {
			src.Topics = append(src.Topics, p)
		} else if !broken["topics/"+t+".md"] {
			errs = append(errs, errorf(show(SiteFile), site.FieldLine("topics"), "topic %q has no page: add %s", t, show("topics/"+t+".md")))
		}
	}
	return errs
}

// Scan lists the files of a content folder that a build reads, with their
// stamps, in path order: what Load reads, and what a later build compares to
// find out cheaply whether anything changed. show maps a path to the name
// used in errors.
func Scan(ctx context.Context, fsys fs.FS, show func(string) string) ([]FileStamp, Errors, error) {
	var files []FileStamp
	var errs Errors
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &Error{Path: show(p), Err: ReadError(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p != "." && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		var info fs.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			// Follow links to files; a dangling link is a lost page.
			info, err = fs.Stat(fsys, p)
		} else if d.Type().IsRegular() {
			info, err = d.Info()
		} else {
			return nil
		}
		if err != nil {
			errs = append(errs, &Error{Path: show(p), Err: ReadError(err)})
			return nil
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		files = append(files, FileStamp{Path: p, Size: info.Size(), ModTime: info.ModTime().UnixNano()})
		return nil
	})
	return files, errs, err
}

// Ignored reports whether a file or folder name is left out of the site:
// hidden files and editors' temporary and backup files.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && !strings.HasSuffix(name, ".md") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		name == "4913" || strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___")
}

// unwrapPath drops the *fs.PathError wrapper, whose path would repeat the
// one already at the front of the message.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

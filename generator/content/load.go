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
)

// Options controls Load.
type Options struct {
	// Root is the content folder's name as shown in errors ("content").
	Root string
	// Drafts includes pages marked draft: true.
	Drafts bool
	// Parse, when set, is called instead of ParsePage, so a caller that
	// loads the same folder again and again can reuse the pages whose
	// bytes did not change. It must return a page that Load may modify.
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
	// Assets are the paths of files other than Markdown and site.yaml,
	// copied to the same path in the output.
	Assets []string
}

// SiteFile is the name of the settings file in the content folder.
const SiteFile = "site.yaml"

// Load reads and checks a content folder.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Source, error) {
	root := opt.Root
	show := func(p string) string { return path.Join(root, p) }
	var errs Errors
	src := &Source{}
	data, err := fs.ReadFile(fsys, SiteFile)
	if err != nil {
		return nil, Errors{{Path: show(SiteFile), Err: fmt.Errorf("cannot read the site settings: %w", unwrapPath(err))}}
	}
	site, serrs := ParseSite(show(SiteFile), data)
	errs = append(errs, serrs...)
	src.Site = site

	parse := opt.Parse
	if parse == nil {
		parse = ParsePage
	}
	broken := map[string]bool{}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &Error{Path: show(p), Err: fmt.Errorf("cannot read: %w", unwrapPath(err))})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if p != "." && Ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || p == SiteFile {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Follow links to files; a dangling link is a lost page.
			if _, err := fs.Stat(fsys, p); err != nil {
				errs = append(errs, &Error{Path: show(p), Err: fmt.Errorf("cannot read: %w", unwrapPath(err))})
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if !strings.HasSuffix(name, ".md") {
			src.Assets = append(src.Assets, p)
			return nil
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, &Error{Path: show(p), Err: fmt.Errorf("cannot read: %w", unwrapPath(err))})
			return nil
		}
		page, perrs := parse(show(p), body)
		errs = append(errs, perrs...)
		if page == nil {
			// The file exists, so "no page for this topic" would be noise.
			broken[p] = true
			return nil
		}
		page.Path = p
		src.Pages = append(src.Pages, page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(src.Pages, func(i, j int) bool { return src.Pages[i].Path < src.Pages[j].Path })
	if site != nil {
		errs = append(errs, src.link(show, broken)...)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !opt.Drafts {
		src.dropDrafts()
	}
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
		default:
			seg := stem
			if p.Slug != "" {
				seg = p.Slug
			}
			if stem == "index" || stem == "_index" {
				seg = ""
			}
			p.Kind = KindPage
			p.URL = "/" + path.Join(dir, seg) + "/"
			if p.URL == "//" {
				p.URL = "/"
			}
			if p.Topic != "" {
				if _, ok := known[p.Topic]; !ok {
					errs = append(errs, errorf(show(p.Path), p.FieldLine("topic"), "topic: unknown topic %q (known: %s)", p.Topic, strings.Join(site.Topics, ", ")))
				}
			}
		}
		if other, dup := byURL[p.URL]; dup {
			errs = append(errs, errorf(show(p.Path), 1, "this page would be written to %s, which %s already uses: change its file name or slug", p.URL, show(other.Path)))
			continue
		}
		byURL[p.URL] = p
	}
	for _, a := range src.Assets {
		u := "/" + a
		if strings.HasSuffix(a, "/index.html") || a == "index.html" {
			u = "/" + strings.TrimSuffix(a, "index.html")
		}
		if other, dup := byURL[u]; dup {
			errs = append(errs, errorf(show(a), 0, "this file would overwrite the page of %s: rename one of them", show(other.Path)))
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

// dropDrafts leaves draft pages out. It runs after linking, so a draft
// still claims its URL and a draft topic page still counts as the topic's
// page.
func (src *Source) dropDrafts() {
	keep := func(ps []*Page) []*Page {
		out := ps[:0:0]
		for _, p := range ps {
			if !p.Draft {
				out = append(out, p)
			}
		}
		return out
	}
	src.Pages = keep(src.Pages)
	src.Topics = keep(src.Topics)
	if src.Home != nil && src.Home.Draft {
		src.Home = nil
	}
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

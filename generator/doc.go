// Package generator builds a plansite site: it turns a content folder into a
// complete static site in an output folder.
//
// # Sites
//
// A site is a content folder (by convention content/) holding site.yaml and
// Markdown pages, and a theme: the default theme embedded in the binary,
// overlaid file by file with the site's own theme folder when site.yaml
// names one. site.yaml gives the site's title, base URL, language,
// publisher (发布机构), source document and the order of its topics.
//
// # Pages
//
// Every .md file is a page: YAML front matter between two "---" lines, then
// Markdown. _index.md is the home page, topics/<slug>.md a topic page (its
// slug must be listed in site.yaml), any other file a plain page. URLs are
// "pretty": topics/ecology.md is served at /topics/ecology/ from
// topics/ecology/index.html. Other files in the content folder are copied
// through unchanged; the theme's static/ folder is copied to the site root.
//
// # Updates and publishing rules
//
// Files below updates/ are the press office's dated updates, each served at
// /updates/<file stem or slug>/ and tagged with one or more topics. Load
// decides once what is published, and every output follows: drafts, pages
// whose publication time (publishDate, or an update's date) is after
// Options.Now and pages whose expiryDate is at or before it are left out,
// unless Drafts, Future or Expired asks for them. Now is a parameter, not
// the clock, so a build can be repeated; the build reports, and writes to
// schedule.json, the next moment at which a page appears or expires.
//
// Besides one page per source file, a build writes the list of updates
// (/updates/, /updates/page/2/, ...), a redirecting page at each alias, an
// Atom and a JSON feed of the site's updates and an Atom feed per topic,
// sitemap.xml, robots.txt and schedule.json. Every page's data carries the
// updates it shows, the topic's change log and last-updated date, and
// what the head tells machines: Open Graph fields, feed links and a
// schema.org description built with encoding/json.
//
// # The pipeline
//
// Build runs in three steps. Load reads every file and checks it: front
// matter fields and types, titles, topics, output paths that two pages
// would share, UTF-8. Every problem of the whole folder is reported at
// once, each as "path:line: message", and nothing is written. Render
// converts each page's Markdown with one shared goldmark converter (GFM,
// footnotes, CJK line breaks, chroma highlighting with CSS classes, raw
// HTML escaped unless site.yaml sets allowHTML) and executes the theme's
// layout for it, on a pool of workers sized to the CPUs; each page is
// written to disk as soon as it is rendered, and its Markdown body is let
// go, since the search index and the feeds keep what they need of it (each
// section's text, an update's HTML); the 404 page, an HTML site map
// (网站地图) at /sitemap/ when the theme has a sitemap layout, the lists,
// aliases, feeds and discovery files follow, then the search index. Each page's canonical
// address is also drawn as a QR code (package qr) for the theme's share
// box. Publish swaps the finished folder in for the old output in one
// rename.
//
// # Safety of the output
//
// The new site is written to a fresh temporary folder beside the output
// folder. Only a complete, error-free build replaces the output, with an
// atomic exchange of the two folders where the system offers one; a failed
// or cancelled build removes its temporary folder and leaves the previous
// site byte for byte as it was. Because every build starts empty, files
// whose source was deleted disappear. Output is deterministic: pages are
// ordered by path and topics by site.yaml, and nothing depends on the clock,
// map order or random names, so two builds of the same input are identical.
//
// # Rebuilding
//
// A Rebuilder serves plansite serve: it builds the same site again and
// again in one process, keeping the content folder, the parsed pages and
// each page's HTML in memory, and after an edit re-reads and re-renders
// only what the edit touched. The site-wide files that read only settings,
// theme and front matter (the HTML site map, the lists of updates, alias
// pages, sitemap.xml) are kept until one of those changes, so editing one
// page's body costs about as much as rendering that page, whatever the
// size of the site. The search index is the exception: its layout depends
// on every document, and building it takes seconds on a large site, so a
// Rebuilder returns it apart, as a SearchIndex built on demand; plansite
// serve reloads the browsers first and swaps the index in when it is done
// (see package server). Its result, also in memory, with the index's
// files, is byte for byte what Build writes for the same input.
package generator

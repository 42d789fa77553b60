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
// This package owns the orchestration only, and the build cache; each
// stage has its own package, and data flows one way through them:
//
//	content  load: read every file and check it (front matter fields and
//	         types, titles, topics, output paths two pages would share,
//	         UTF-8); every problem of the whole folder is reported at once
//	         as "path:line: message", and nothing is written
//	site     the site model: each page's data, listings, relations, the
//	         head's metadata (no I/O)
//	render   the theme's layouts and the model in, bytes per output path
//	         out: pages on a pool of workers sized to the CPUs, each handed
//	         to the output as soon as it is rendered, then the 404 page,
//	         the HTML site map, lists, aliases, feeds, discovery files and
//	         static files
//	search   the search index, from the sections render kept
//	finish   (finish.go, in this package) every file on its way out:
//	         HTML minified when asked; links and ids read (linkcheck),
//	         size and hash noted for manifest.json (manifest); .gz and .br
//	         copies made or carried over (compress); once all are in, a
//	         broken link fails the build at its Markdown line, before the
//	         swap
//	output   the working folder, the atomic swap, the lock, the reuse of
//	         unchanged files (or, for serve, memory)
//
// After a build, the built folder is published by other packages that
// read it as files: nginx (the server configuration), deploy (object
// storage, sending what the manifests say changed), manifest's Compare
// (plansite diff) and linkcheck's External (links to other sites).
//
// Build and the Rebuilder drive the same stages. This package may import
// every stage; no stage may import it (imports_test.go checks the order).
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

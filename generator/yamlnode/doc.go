// Package yamlnode owns the engine's YAML: it reads a YAML file into plain
// nodes that know their lines, so the front-matter, site.yaml and import
// mapping parsers can name the line of every problem they find, and it
// writes the one-line text values the importer and `plansite new` put in
// front matter.
//
// It is the only package that imports a YAML library (goccy/go-yaml, whose
// parser gives exact positions for values and syntax errors). Plain
// scalars are resolved by the YAML 1.2 core rules the site's files have
// always been read with: true/false (any of three casings), null and ~,
// decimal, 0x, 0o and 0b integers, floats, and dates read as timestamps;
// yes/no/on/off are text. It imports nothing of the engine.
package yamlnode

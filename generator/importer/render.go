package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"plansite/generator/yamlnode"
)

// HomeFile is the home page's path below the output folder.
const HomeFile = "_index.md"

// TopicFile returns the path of a topic's page below the output folder.
func TopicFile(slug string) string { return "topics/" + slug + ".md" }

// hashField is the front-matter field holding the hash of the rest of the
// file; a file whose content no longer matches it was edited by hand.
const hashField = "importHash"

// Render returns the content files for doc, keyed by slash path below the
// output folder: the home page and one page per topic of m.
func Render(doc *Document, m *Mapping) map[string][]byte {
	files := map[string][]byte{}
	common := func(fm *yamlnode.Fields) {
		fm.String("source", doc.Source.Text)
		fm.String("publisher", m.Publisher)
		if doc.Credit.Text != "" {
			fm.String("credit", doc.Credit.Text)
		}
	}

	var home yamlnode.Fields
	home.String("title", m.Home.Title)
	if m.Home.Summary != "" {
		home.String("summary", m.Home.Summary)
	}
	common(&home)
	files[HomeFile] = page(&home, "")

	for i, t := range m.Topics {
		var fm yamlnode.Fields
		fm.String("title", t.Title)
		if t.Summary != "" {
			fm.String("summary", t.Summary)
		}
		fm.Int("weight", i+1)
		common(&fm)

		var body strings.Builder
		placed := map[string]bool{}
		for _, it := range doc.Items {
			if it.Topic != t.Slug {
				continue
			}
			// A section title goes once, above the first of its items,
			// wherever the layout printed it.
			if it.Section != "" && !placed[it.Section] {
				placed[it.Section] = true
				body.WriteString(escapeMarkdown(it.Section) + "\n\n")
			}
			body.WriteString("## " + escapeMarkdown(it.Heading) + "\n\n")
			for _, p := range it.Paragraphs {
				body.WriteString(escapeMarkdown(p) + "\n\n")
			}
		}
		files[TopicFile(t.Slug)] = page(&fm, strings.TrimSuffix(body.String(), "\n"))
	}
	return files
}

// page assembles a content file and stamps it with the hash of the rest.
func page(fm *yamlnode.Fields, body string) []byte {
	head := "---\n" + string(fm.Bytes())
	tail := "---\n"
	if body != "" {
		tail += "\n" + body
	}
	sum := sha256.Sum256([]byte(head + tail))
	return []byte(head + hashField + ": " + hex.EncodeToString(sum[:]) + "\n" + tail)
}

// checkHash reports whether src carries an importHash field and whether the
// rest of src still matches it, that is, whether it is unedited since the
// import that wrote it.
func checkHash(src []byte) (stamped, unedited bool) {
	lines := strings.SplitAfter(string(src), "\n")
	if len(lines) == 0 || lines[0] != "---\n" {
		return false, false
	}
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if l == "---\n" || l == "---" {
			return false, false
		}
		if v, ok := strings.CutPrefix(l, hashField+": "); ok {
			rest := strings.Join(lines[:i], "") + strings.Join(lines[i+1:], "")
			sum := sha256.Sum256([]byte(rest))
			return true, strings.TrimSpace(v) == hex.EncodeToString(sum[:])
		}
	}
	return false, false
}

// escapeMarkdown makes s read as plain text in Markdown: the seed is plain
// text, so a "*", "_" or "<" in it, or a line starting "1." or "-", must
// not turn into emphasis, HTML or a list. Every output line is one whole
// paragraph or heading, so only its start needs the line-start rules.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>&|~#!$", r) || i == 0 && strings.ContainsRune("-+=:", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	// An ordered-list marker: digits, then "." or ")".
	if n := len(out) - len(strings.TrimLeft(out, "0123456789")); n > 0 && n < len(out) && (out[n] == '.' || out[n] == ')') {
		out = out[:n] + "\\" + out[n:]
	}
	return out
}

// unescapeMarkdown reverses escapeMarkdown.
func unescapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return '!' <= c && c <= '/' || ':' <= c && c <= '@' || '[' <= c && c <= '`' || '{' <= c && c <= '~'
}

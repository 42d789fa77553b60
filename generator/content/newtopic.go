package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	goparser "github.com/goccy/go-yaml/parser"

	"plansite/generator/atomicfile"
	"plansite/generator/yamlnode"
)

// CreateTopic adds a topic to the site in dir: the page topics/<slug>.md
// with the title and a placeholder summary and body, and the slug's line at
// the end of site.yaml's topics list. It refuses a slug that is listed or
// has a page already, and writes nothing then.
func CreateTopic(dir, slug, title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" || strings.ContainsAny(title, "\r\n") {
		return "", errors.New("title: give the topic's title on one line, e.g. \"生态环境\"")
	}
	if !validSlug(slug) {
		return "", fmt.Errorf("slug: %q is not usable in an address: use lower-case letters, digits and dashes, e.g. ecology", slug)
	}
	sitePath := filepath.Join(dir, SiteFile)
	site, data, err := ReadSite(dir)
	if err != nil {
		return "", err
	}
	if slices.Contains(site.Topics, slug) {
		return "", fmt.Errorf("%s:%d: topic %q is listed already: choose another slug", filepath.ToSlash(sitePath), site.FieldLine("topics"), slug)
	}
	page := filepath.Join(dir, "topics", slug+".md")
	if _, err := os.Lstat(page); err == nil {
		return "", fmt.Errorf("%s already exists: choose another slug, or list %q under topics: in %s", page, slug, sitePath)
	}
	edited, err := AddTopics(filepath.ToSlash(sitePath), data, []string{slug})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlnode.Quote(title))
	b.WriteString("summary: \"\"   # one sentence: shown on the home page and to search engines\n")
	b.WriteString("---\n\n")
	b.WriteString("## 在这里写第一节的标题\n\n在这里写正文。\n")
	if err := atomicfile.Create(page, []byte(b.String()), 0o644); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%s already exists: choose another slug", page)
		}
		return "", err
	}
	if err := replaceFile(sitePath, edited); err != nil {
		os.Remove(page)
		return "", err
	}
	return page, nil
}

// AddTopics returns site.yaml's text src with each slug not listed yet
// added at the end of its topics list, one "- slug" line each, in the list's
// own indentation. Every other byte stays as it was, comments and order
// included, because the file is the press office's: it is edited as text at
// the place the YAML parser locates, never re-encoded. name is the path
// shown in errors.
func AddTopics(name string, src []byte, slugs []string) ([]byte, error) {
	file, err := goparser.ParseBytes(src, goparser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %v", name, err)
	}
	var topics *ast.MappingValueNode
	if len(file.Docs) > 0 && file.Docs[0].Body != nil {
		if m, ok := file.Docs[0].Body.(*ast.MappingNode); ok {
			for _, v := range m.Values {
				if v.Key.GetToken().Value == "topics" {
					topics = v
				}
			}
		}
	}
	var listed []string
	lines := strings.SplitAfter(string(src), "\n")
	insertAt, indent := len(lines), "  "
	switch {
	case topics == nil:
	case topics.Value.Type() == ast.NullType:
		// "topics:" with nothing under it: the items go right below.
		insertAt = topics.Key.GetToken().Position.Line
	default:
		seq, ok := topics.Value.(*ast.SequenceNode)
		if !ok || seq.IsFlowStyle {
			line := topics.Key.GetToken().Position.Line
			return nil, fmt.Errorf("%s:%d: topics: write the list one \"- slug\" line each, so a topic can be added", name, line)
		}
		for _, v := range seq.Values {
			listed = append(listed, strings.TrimSpace(v.GetToken().Value))
			insertAt = v.GetToken().Position.Line
			l := lines[insertAt-1]
			indent = l[:len(l)-len(strings.TrimLeft(l, " "))]
		}
	}
	var add strings.Builder
	for _, s := range slugs {
		if !slices.Contains(listed, s) {
			listed = append(listed, s)
			fmt.Fprintf(&add, "%s- %s\n", indent, s)
		}
	}
	if add.Len() == 0 {
		return src, nil
	}
	if topics == nil {
		add.Reset()
		add.WriteString("# Topic pages, in the order the home page lists them; each needs content/topics/<slug>.md.\ntopics:\n")
		for _, s := range slugs {
			fmt.Fprintf(&add, "  - %s\n", s)
		}
	}
	head := strings.Join(lines[:insertAt], "")
	if head != "" && !strings.HasSuffix(head, "\n") {
		head += "\n"
	}
	out := head + add.String() + strings.Join(lines[insertAt:], "")
	return []byte(out), nil
}

// AddTopicsToSite lists slugs in dir's site.yaml where they are missing,
// keeping the rest of the file as it is, and returns the slugs it added.
// A folder without site.yaml is left alone.
func AddTopicsToSite(dir string, slugs []string) ([]string, error) {
	path := filepath.Join(dir, SiteFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	site, errs := ParseSite(filepath.ToSlash(path), data)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var missing []string
	for _, s := range slugs {
		if !slices.Contains(site.Topics, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	edited, err := AddTopics(filepath.ToSlash(path), data, missing)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(edited, data) {
		return nil, nil
	}
	return missing, replaceFile(path, edited)
}

// replaceFile writes data over an existing file whole or not at all,
// keeping its permissions, so an interruption never leaves half a settings
// file.
func replaceFile(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, info.Mode().Perm())
}

package content

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"plansite/generator/yamlnode"
)

// Site holds the settings of content/site.yaml.
type Site struct {
	Title     string
	BaseURL   string // absolute, ending in "/"
	Language  string // BCP 47, e.g. "zh-CN"
	Publisher string // 发布机构
	Source    string // the original document's name
	// Topics lists the topic slugs in display order; each needs a page
	// topics/<slug>.md.
	Topics []string
	// Theme is a theme folder relative to the folder holding content/,
	// whose files override the embedded default file by file. Empty: the
	// default theme alone.
	Theme string
	// AllowHTML lets raw HTML in Markdown through. Off by default.
	AllowHTML bool
	// Compress writes precompressed copies (.gz, .br) of the text files,
	// as plansite build --compress does. Off by default.
	Compress bool
	// Minify minifies the HTML, as plansite build --minify does. Off by
	// default.
	Minify bool
	// AllowLinksTo lists folders outside the content folder that symbolic
	// links in it (and in the theme) may lead into, relative to the folder
	// holding content/ or absolute. Empty by default: no link may leave.
	AllowLinksTo []string
	// StarterSynonyms, when false ("starterSynonyms: false"), keeps the
	// search from plansite's starter list of everyday words when the site
	// has no synonyms.yaml. nil means true.
	StarterSynonyms *bool
	// Params holds site-wide values for templates (footer fields and such).
	Params map[string]any

	lines map[string]int
}

// FieldLine returns the line of a site.yaml field, or 1.
func (s *Site) FieldLine(field string) int {
	if l, ok := s.lines[field]; ok {
		return l
	}
	return 1
}

// Param returns a string site param, or "".
func (s *Site) Param(name string) string {
	if v, ok := s.Params[name].(string); ok {
		return v
	}
	return ""
}

// ParseSite parses site.yaml. name is the path shown in errors.
func ParseSite(name string, src []byte) (*Site, Errors) {
	if !utf8.Valid(src) {
		return nil, Errors{errorf(name, invalidUTF8Line(src), "not valid UTF-8 text: save the file as UTF-8")}
	}
	s := &Site{Language: "zh-CN", Params: map[string]any{}, lines: map[string]int{}}
	m, err := yamlnode.Parse(src)
	if err != nil {
		return nil, Errors{yamlError(name, 0, err)}
	}
	var errs Errors
	if m == nil || m.Kind != yamlnode.MappingNode {
		return nil, Errors{errorf(name, 1, "site settings must be \"field: value\" lines (title, baseURL, topics, ...)")}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, dup := s.lines[k.Value]; dup {
			errs = append(errs, errorf(name, k.Line, "field %q is given twice", k.Value))
			continue
		}
		s.lines[k.Value] = k.Line
		if err := s.setField(k.Value, v); err != nil {
			line := k.Line
			var le lineError
			if errors.As(err, &le) {
				line, err = le.line, le.err
			}
			errs = append(errs, errorf(name, line, "%s: %v", k.Value, err))
		}
	}
	if s.Title == "" {
		errs = append(errs, errorf(name, 1, "missing title: add a line \"title: ...\""))
	}
	if s.BaseURL == "" {
		errs = append(errs, errorf(name, 1, "missing baseURL: add a line \"baseURL: https://...\" with the site's public address"))
	}
	return s, errs
}

// decodeBool reads a true or false setting.
func decodeBool(v *yamlnode.Node, dst *bool) error {
	b, ok := v.Bool()
	if !ok {
		return fmt.Errorf("%q is not true or false", v.Value)
	}
	*dst = b
	return nil
}

func (s *Site) setField(key string, v *yamlnode.Node) error {
	switch key {
	case "title":
		return decodeString(v, &s.Title)
	case "language":
		return decodeString(v, &s.Language)
	case "publisher":
		return decodeString(v, &s.Publisher)
	case "source":
		return decodeString(v, &s.Source)
	case "theme":
		if err := decodeString(v, &s.Theme); err != nil {
			return err
		}
		if strings.HasPrefix(s.Theme, "/") {
			return errors.New("give the theme folder relative to the site folder")
		}
		return nil
	case "baseURL":
		if err := decodeString(v, &s.BaseURL); err != nil {
			return err
		}
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%q is not an absolute http(s) address", s.BaseURL)
		}
		if !strings.HasSuffix(s.BaseURL, "/") {
			s.BaseURL += "/"
		}
		return nil
	case "allowHTML":
		return decodeBool(v, &s.AllowHTML)
	case "compress":
		return decodeBool(v, &s.Compress)
	case "minify":
		return decodeBool(v, &s.Minify)
	case "starterSynonyms":
		on, ok := v.Bool()
		if !ok {
			return fmt.Errorf("%q is not true or false", v.Value)
		}
		s.StarterSynonyms = &on
		return nil
	case "topics":
		if v.Kind != yamlnode.SequenceNode {
			return errors.New("must be a list of topic slugs, one \"- slug\" line each")
		}
		seen := map[string]bool{}
		for _, item := range v.Content {
			if item.Kind != yamlnode.ScalarNode || !validSlug(item.Value) {
				return lineError{item.Line, fmt.Errorf("%q is not a topic slug (lower-case letters, digits and dashes)", item.Value)}
			}
			if seen[item.Value] {
				return fmt.Errorf("topic %q is listed twice", item.Value)
			}
			seen[item.Value] = true
			s.Topics = append(s.Topics, item.Value)
		}
		return nil
	case "allowLinksTo":
		if v.Kind != yamlnode.SequenceNode {
			return errors.New("must be a list of folders, one \"- folder\" line each")
		}
		for _, item := range v.Content {
			if item.Kind != yamlnode.ScalarNode || item.Value == "" {
				return lineError{item.Line, errors.New("each item must be a folder's path")}
			}
			s.AllowLinksTo = append(s.AllowLinksTo, item.Value)
		}
		return nil
	case "params":
		if v.Kind != yamlnode.MappingNode {
			return errors.New("must be a list of \"name: value\" lines")
		}
		for k, x := range v.Decode().(map[string]any) {
			s.Params[k] = x
		}
		return nil
	}
	return fmt.Errorf("unknown setting (known: title, baseURL, language, publisher, source, topics, theme, allowHTML, compress, minify, allowLinksTo, starterSynonyms, params)")
}

func validSlug(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// lineError places an error in a list item on the item's own line.
type lineError struct {
	line int
	err  error
}

func (e lineError) Error() string { return e.err.Error() }

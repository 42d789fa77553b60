package search

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// SynonymsError is a mistake in a synonyms file, at a line.
type SynonymsError struct {
	Path string // as shown, e.g. content/synonyms.yaml
	Line int
	Msg  string
}

func (e *SynonymsError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg) }

// ParseSynonyms reads a synonyms file: one line per everyday word, the
// word, a colon and the list of the report's words it stands for,
//
//	看病: [医疗, 医院, 卫生, 健康]
//
// name is the path shown in errors, which are *SynonymsError.
func ParseSynonyms(name string, src []byte) ([]Synonym, error) {
	fail := func(line int, format string, args ...any) error {
		return &SynonymsError{Path: name, Line: max(1, line), Msg: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(src) {
		line := 1
		for len(src) > 0 {
			r, n := utf8.DecodeRune(src)
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			src = src[n:]
		}
		return nil, fail(line, "not valid UTF-8 text: save the file as UTF-8")
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			return nil, fail(se.Token.Position.Line, "not valid YAML: %s", se.Message)
		}
		return nil, fail(1, "not valid YAML: %v", err)
	}
	var out []Synonym
	first := make(map[string]int)
	for _, doc := range f.Docs {
		body := doc.Body
		if c, ok := body.(*ast.CommentNode); ok && c != nil || body == nil {
			continue // empty, or comments only
		}
		m, ok := body.(*ast.MappingNode)
		if !ok {
			if mv, isOne := body.(*ast.MappingValueNode); isOne {
				m = &ast.MappingNode{Values: []*ast.MappingValueNode{mv}}
			} else {
				return nil, fail(lineOf(body), "synonyms must be lines of a word, a colon and its related words: 看病: [医疗, 医院]")
			}
		}
		for _, mv := range m.Values {
			line := lineOf(mv.Key)
			word, ok := scalar(mv.Key)
			if !ok || strings.TrimSpace(word) == "" {
				return nil, fail(line, "a word must be plain text before the colon: 看病: [医疗, 医院]")
			}
			word = strings.TrimSpace(word)
			if l, dup := first[word]; dup {
				return nil, fail(line, "%q is given twice (first on line %d): put all its related words in one list", word, l)
			}
			first[word] = line
			var related []string
			switch v := mv.Value.(type) {
			case *ast.SequenceNode:
				for _, item := range v.Values {
					r, ok := scalar(item)
					if !ok || strings.TrimSpace(r) == "" {
						return nil, fail(lineOf(item), "the related words of %q must be plain words in one list, like 看病: [医疗, 医院]", word)
					}
					related = append(related, strings.TrimSpace(r))
				}
			default:
				if r, ok := scalar(mv.Value); ok && strings.TrimSpace(r) != "" {
					related = []string{strings.TrimSpace(r)}
				}
			}
			if len(related) == 0 {
				return nil, fail(line, "%q has no related words: write the report's words after the colon, like 看病: [医疗, 医院]", word)
			}
			out = append(out, Synonym{Word: word, Related: related})
		}
	}
	return out, nil
}

// scalar returns the text of a plain value (a string, a number), and false
// for a list, a mapping or null.
func scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	}
	return "", false
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 1
	}
	return n.GetToken().Position.Line
}

//go:embed starter_synonyms.yaml
var starterYAML []byte

var starter = sync.OnceValues(func() ([]Synonym, error) {
	return ParseSynonyms("starter_synonyms.yaml", starterYAML)
})

// StarterSynonyms returns plansite's starter list of everyday words of
// public services (starter_synonyms.yaml), which a site without a
// synonyms file searches with. TestStarterSynonyms keeps it readable.
func StarterSynonyms() ([]Synonym, error) {
	return starter()
}

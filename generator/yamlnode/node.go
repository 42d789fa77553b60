package yamlnode

import (
	"bytes"
	"errors"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Kind is what a node holds.
type Kind uint8

// The kinds of node.
const (
	ScalarNode Kind = iota + 1
	SequenceNode
	MappingNode
	// AliasNode is a reference (*name) to a node anchored elsewhere.
	AliasNode
)

// The tags a scalar resolves to.
const (
	NullTag      = "!!null"
	BoolTag      = "!!bool"
	StrTag       = "!!str"
	IntTag       = "!!int"
	FloatTag     = "!!float"
	TimestampTag = "!!timestamp"
)

// Node is one value of a YAML document.
type Node struct {
	Kind Kind
	// Tag is a scalar's resolved tag (see the Tag constants), or the tag
	// written before it.
	Tag string
	// Value is a scalar's text without its quotes, escapes resolved and
	// lines folded, or an alias's anchor name.
	Value string
	// Line is the 1-based line on which the node starts.
	Line int
	// Content holds a sequence's items, or a mapping's keys and values in
	// turn: key, value, key, value.
	Content []*Node

	// quoted is set for a scalar written in quotes or as a block (| or >):
	// always text, whatever it looks like.
	quoted bool
	alias  *Node
}

// SyntaxError is a file that is not YAML.
type SyntaxError struct {
	// Line is the 1-based line of the problem, or 0 when unknown.
	Line    int
	Message string
}

func (e *SyntaxError) Error() string { return e.Message }

// Parse reads the first document of src. A document with nothing in it
// (empty, or only comments) gives a nil node and no error. A syntax error
// is a *SyntaxError. Keys given twice are kept, in order, for the caller
// to report.
func Parse(src []byte) (*Node, error) {
	if bytes.IndexByte(src, '\r') >= 0 {
		// YAML reads every line break as "\n"; the lexer miscounts lines
		// after a comment ending in "\r\n", so breaks are made "\n" first.
		src = bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	f, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var se *goyaml.SyntaxError
		if errors.As(err, &se) {
			e := &SyntaxError{Message: se.Message}
			if se.Token != nil && se.Token.Position != nil {
				e.Line = se.Token.Position.Line
			}
			return nil, e
		}
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return nil, &SyntaxError{Message: msg}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, nil
	}
	c := converter{anchors: map[string]*Node{}}
	return c.node(f.Docs[0].Body), nil
}

type converter struct {
	anchors map[string]*Node
}

func line(tk *token.Token) int {
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

func (c converter) node(n ast.Node) *Node {
	switch n := n.(type) {
	case nil:
		return &Node{Kind: ScalarNode, Tag: NullTag}
	case *ast.MappingNode:
		out := &Node{Kind: MappingNode, Line: line(n.Start)}
		for _, kv := range n.Values {
			c.pair(out, kv)
		}
		if !n.IsFlowStyle && len(out.Content) > 0 {
			out.Line = out.Content[0].Line
		}
		return out
	case *ast.MappingValueNode:
		out := &Node{Kind: MappingNode}
		c.pair(out, n)
		out.Line = out.Content[0].Line
		return out
	case *ast.MappingKeyNode:
		return c.node(n.Value)
	case *ast.SequenceNode:
		out := &Node{Kind: SequenceNode, Line: line(n.Start)}
		for _, v := range n.Values {
			out.Content = append(out.Content, c.node(v))
		}
		return out
	case *ast.AnchorNode:
		out := c.node(n.Value)
		if l := line(n.Start); l > 0 && out.Kind != MappingNode {
			out.Line = l
		}
		c.anchors[n.Name.GetToken().Value] = out
		return out
	case *ast.AliasNode:
		name := n.Value.GetToken().Value
		return &Node{Kind: AliasNode, Value: name, Line: line(n.Start), alias: c.anchors[name]}
	case *ast.TagNode:
		out := c.node(n.Value)
		if out.Kind == ScalarNode {
			out.Tag = shortTag(n.Start.Value)
			out.quoted = out.Tag == StrTag
		}
		if l := line(n.Start); l > 0 && out.Kind != MappingNode {
			out.Line = l
		}
		return out
	case *ast.LiteralNode:
		v := ""
		if n.Value != nil {
			v = n.Value.Value
		}
		return &Node{Kind: ScalarNode, Tag: StrTag, Value: v, Line: line(n.Start), quoted: true}
	case *ast.StringNode:
		if n.Token.Type == token.SingleQuoteType || n.Token.Type == token.DoubleQuoteType {
			return &Node{Kind: ScalarNode, Tag: StrTag, Value: n.Value, Line: line(n.Token), quoted: true}
		}
		return plain(n.Value, n.Token)
	case *ast.NullNode:
		if n.Token.Type == token.ImplicitNullType {
			return &Node{Kind: ScalarNode, Tag: NullTag, Line: line(n.Token)}
		}
		return plain(n.Token.Value, n.Token)
	case ast.ScalarNode:
		return plain(n.GetToken().Value, n.GetToken())
	}
	// Documents nest no other nodes; a node kind added to the library
	// later reads as its text.
	return plain(n.String(), n.GetToken())
}

func plain(v string, tk *token.Token) *Node {
	n := &Node{Kind: ScalarNode, Value: v, Line: line(tk)}
	if tk != nil {
		text := strings.Trim(tk.Origin, " \t\r\n")
		lead := tk.Origin[:strings.Index(tk.Origin, text)]
		if text != "" && !strings.ContainsAny(text, "\r\n") {
			// The lexer drops tabs inside a plain scalar; on one line
			// the scalar is its text as written.
			n.Value = text
		}
		if tk.Prev != nil && tk.Prev.Position != nil && strings.ContainsAny(text, "\r\n") {
			// A scalar folded over lines can be placed on its last
			// line; it starts after the token before it and the lead.
			n.Line = tk.Prev.Position.Line + strings.Count(lead, "\n")
		}
	}
	n.Tag, _ = resolve(n.Value)
	return n
}

// pair appends a mapping entry's key and value to m.
func (c converter) pair(m *Node, kv *ast.MappingValueNode) {
	k := c.node(kv.Key)
	v := c.node(kv.Value)
	if v.Line == 0 {
		v.Line = k.Line
	}
	m.Content = append(m.Content, k, v)
}

func shortTag(t string) string {
	if rest, ok := strings.CutPrefix(t, "!<tag:yaml.org,2002:"); ok {
		return "!!" + strings.TrimSuffix(rest, ">")
	}
	return t
}

package yamlnode

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxDepth bounds how deep Decode follows nesting and aliases, so a file
// of aliases to aliases cannot make it run away.
const maxDepth = 100

// mergeTag marks "<<", the key YAML 1.1 used to merge one mapping into
// another; written out, it is quoted so no reader merges.
const mergeTag = "!!merge"

// Decode returns the node's value: a string, int, float64, bool,
// time.Time or nil for a scalar, []any for a sequence, map[string]any for
// a mapping (keys as written), and the anchored value for an alias.
func (n *Node) Decode() any {
	return n.decode(0)
}

func (n *Node) decode(depth int) any {
	if n == nil || depth > maxDepth {
		return nil
	}
	switch n.Kind {
	case SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, c.decode(depth+1))
		}
		return out
	case MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = n.Content[i+1].decode(depth + 1)
		}
		return out
	case AliasNode:
		return n.alias.decode(depth + 1)
	}
	return n.scalar()
}

// scalar returns a scalar's value as its tag reads it.
func (n *Node) scalar() any {
	switch n.Tag {
	case StrTag:
		return n.Value
	case NullTag, BoolTag, IntTag, FloatTag, TimestampTag:
		if n.quoted {
			return n.Value
		}
		if _, v := resolve(n.Value); v != nil || n.Tag == NullTag {
			return v
		}
	}
	return n.Value
}

// Bool reads a true-or-false field. Besides true and false it takes the
// yes/no and on/off forms people carry over from older YAML, and an empty
// value as false; ok is false for anything else.
func (n *Node) Bool() (b, ok bool) {
	for depth := 0; n != nil && n.Kind == AliasNode && depth < maxDepth; depth++ {
		n = n.alias
	}
	if n == nil || n.Kind != ScalarNode {
		return false, false
	}
	switch v := n.scalar().(type) {
	case nil:
		return false, true
	case bool:
		return v, true
	case string:
		switch v {
		case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
			return true, true
		case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
			return false, true
		}
	}
	return false, false
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolve returns the tag and value of a plain (unquoted) scalar.
func resolve(s string) (string, any) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return NullTag, nil
	case "true", "True", "TRUE":
		return BoolTag, true
	case "false", "False", "FALSE":
		return BoolTag, false
	case ".nan", ".NaN", ".NAN":
		return FloatTag, math.NaN()
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return FloatTag, math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		return FloatTag, math.Inf(-1)
	case "<<":
		return mergeTag, s
	}
	switch c := s[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return FloatTag, f
		}
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if t, ok := parseTimestamp(s); ok {
			return TimestampTag, t
		}
		return resolveNumber(s)
	}
	return StrTag, s
}

// resolveNumber reads an integer (decimal, 0x, 0o, 0b; _ separators
// allowed) or a float, or returns s as text.
func resolveNumber(s string) (string, any) {
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return IntTag, int(i)
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return IntTag, u
	}
	if yamlStyleFloat.MatchString(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return FloatTag, f
		}
	}
	return StrTag, s
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// parseTimestamp reads the date forms YAML's timestamp type allows,
// starting with a four-digit year.
func parseTimestamp(s string) (time.Time, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return time.Time{}, false
	}
	for _, layout := range timestampFormats {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

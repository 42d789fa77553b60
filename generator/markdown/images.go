package markdown

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Images finds the image files a document shows. It is given to
// ConvertPage by the caller, who knows where the document's files are.
type Images interface {
	// Image returns how to show the image a document names as dest, or
	// an error saying why it cannot be shown (no such file, say).
	Image(dest string) (Picture, error)
}

// Picture is how an image is shown.
type Picture struct {
	// Src is the address to put in the page.
	Src string
	// Width and Height are the image's size in pixels; 0 when unknown.
	Width, Height int
	// Srcset lists copies of other widths ("a-480w.jpg 480w, a.jpg
	// 1600w"), so a phone loads a small one; "" when there are none.
	Srcset string
}

// Problem is a fault of a document that must stop the build, at a line
// of the document (from 1).
type Problem struct {
	Line int
	Msg  string
}

// contentWidth is the widest the theme shows an image, for the browser to
// pick from a srcset before the styles have loaded: the text column.
const contentWidth = "(max-width: 46em) 100vw, 46em"

var (
	imagesKey   = parser.NewContextKey()
	problemsKey = parser.NewContextKey()
)

// ConvertPage converts src as Convert does, showing its images as imgs
// says (imgs may be nil), and reports the document's problems: an image
// without alt text, which screen-reader users could not know, or one imgs
// cannot show.
func (c *Converter) ConvertPage(src []byte, imgs Images) (*Doc, error) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	var problems []Problem
	ctx.Set(problemsKey, &problems)
	if imgs != nil {
		ctx.Set(imagesKey, imgs)
	}
	doc, err := c.convert(src, ctx)
	if err != nil {
		return nil, err
	}
	doc.Problems = problems
	return doc, nil
}

// imageChecks checks and completes every image of a document.
type imageChecks struct{}

// Transform implements parser.ASTTransformer.
func (imageChecks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	problems, _ := pc.Get(problemsKey).(*[]Problem)
	imgs, _ := pc.Get(imagesKey).(Images)
	src := reader.Source()
	// Most pages have no image: no need to walk their tree.
	if problems == nil && imgs == nil || !bytes.Contains(src, []byte("![")) && !bytes.Contains(src, []byte("]:")) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		dest := string(img.Destination)
		line := imageLine(img, src)
		if strings.TrimSpace(plainText(img, src)) == "" && problems != nil {
			*problems = append(*problems, Problem{line, fmt.Sprintf("image %q has no alt text: write what it shows between the brackets, ![……](%s), for readers who cannot see it", dest, dest)})
		}
		if imgs == nil {
			return ast.WalkContinue, nil
		}
		pic, err := imgs.Image(dest)
		if err != nil {
			if problems != nil {
				*problems = append(*problems, Problem{line, err.Error()})
			}
			return ast.WalkContinue, nil
		}
		img.Destination = []byte(pic.Src)
		if pic.Width > 0 && pic.Height > 0 {
			img.SetAttributeString("width", []byte(strconv.Itoa(pic.Width)))
			img.SetAttributeString("height", []byte(strconv.Itoa(pic.Height)))
		}
		if pic.Srcset != "" {
			img.SetAttributeString("srcset", []byte(pic.Srcset))
			img.SetAttributeString("sizes", []byte(contentWidth))
		}
		img.SetAttributeString("loading", []byte("lazy"))
		img.SetAttributeString("decoding", []byte("async"))
		return ast.WalkContinue, nil
	})
}

// imageLine finds the line of an image: where its destination is written,
// searched from the start of the block that holds it.
func imageLine(img *ast.Image, src []byte) int {
	start := 0
	for b := img.Parent(); b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			start = b.Lines().At(0).Start
			break
		}
	}
	at := start
	if i := bytes.Index(src[start:], img.Destination); i >= 0 && len(img.Destination) > 0 {
		at += i
	}
	return bytes.Count(src[:at], []byte("\n")) + 1
}

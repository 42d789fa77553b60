package markdown

import (
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableRenderer makes GFM tables fit a 320 px screen and a strict
// Content-Security-Policy. A table sits in a focusable, labelled region
// that scrolls sideways on its own, so the page never does and keyboard
// users can scroll it too (WCAG 1.4.10, 2.1.1). Column alignment becomes a
// class instead of goldmark's style attribute, which CSP would block, or
// its align attribute, which HTML5 has dropped. Header cells get
// scope="col".
type tableRenderer struct {
	table renderer.NodeRendererFunc // goldmark's, for everything but the wrapper
}

func newTableRenderer() *tableRenderer {
	var cap capture
	extension.NewTableHTMLRenderer().RegisterFuncs(&cap)
	return &tableRenderer{table: cap.funcs[east.KindTable]}
}

// capture collects another renderer's functions so ours can wrap them.
type capture struct {
	funcs map[ast.NodeKind]renderer.NodeRendererFunc
}

func (c *capture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) {
	if c.funcs == nil {
		c.funcs = map[ast.NodeKind]renderer.NodeRendererFunc{}
	}
	c.funcs[k] = f
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, r.renderTable)
	reg.Register(east.KindTableCell, renderCell)
	reg.Register(east.KindTaskCheckBox, renderCheckBox)
}

func (r *tableRenderer) renderTable(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		label := "表格"
		if h := headingBefore(n); h != nil {
			label += "：" + plainText(h, src)
		}
		_, _ = w.WriteString(`<div class="table-scroll" tabindex="0" role="region" aria-label="` + html.EscapeString(label) + `">` + "\n")
	}
	status, err := r.table(w, src, n, entering)
	if !entering {
		_, _ = w.WriteString("</div>\n")
	}
	return status, err
}

// headingBefore finds the heading a table belongs to: the nearest one
// before it at its own level of the tree or an enclosing one.
func headingBefore(n ast.Node) ast.Node {
	for ; n != nil; n = n.Parent() {
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if s.Kind() == ast.KindHeading {
				return s
			}
		}
	}
	return nil
}

func renderCell(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	tag := "td"
	if n.Parent().Kind() == east.KindTableHeader {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	if tag == "th" {
		_, _ = w.WriteString(` scope="col"`)
	}
	if n.Alignment != east.AlignNone {
		_, _ = w.WriteString(` class="align-` + n.Alignment.String() + `"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// renderCheckBox gives a task-list checkbox an accessible name; goldmark's
// has none, which every accessibility checker reports.
func renderCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<input type="checkbox" checked disabled aria-label="已完成"> `)
	} else {
		_, _ = w.WriteString(`<input type="checkbox" disabled aria-label="未完成"> `)
	}
	return ast.WalkContinue, nil
}

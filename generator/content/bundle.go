package content

import (
	"crypto/sha256"
	"fmt"
	"image"
	_ "image/gif" // image sizes of GIF files
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	goparser "github.com/goccy/go-yaml/parser"
)

// A page bundle is a page written as index.md in a folder of its own, with
// its photos and documents beside it:
//
//	updates/2023-05-01-forest/index.md
//	updates/2023-05-01-forest/photo.jpg
//	updates/2023-05-01-forest/方案.pdf
//
// The folder's files are published in the page's own output folder, next
// to its index.html, wherever the page's address puts it (an update in
// updates/2023/ is served at /updates/<name>/), so the Markdown can name
// them by their bare names. A bundle's files are published only while its
// page is: the photo of a scheduled update does not go out before it.

// Image is the size in pixels of an image file of the content folder.
type Image struct {
	Width, Height int
}

// Attachment is a file a page lists in its front matter, for the page's
// 附件 list:
//
//	attachments:
//	  - file: 方案.pdf        # beside the page, or a path from its folder
//	    title: 实施方案全文    # optional: the file's name without extension
type Attachment struct {
	// File is the name as written; Title what the list shows.
	File, Title string
	// Path is the file's slash path below the content folder.
	Path string
	// URL is its site-absolute address.
	URL string
	// Size is its size in bytes.
	Size int64
	// Line is the line of the item in the page's file.
	Line int
}

// Type names the kind of file for the list, by its extension.
func (a Attachment) Type() string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(a.File), "."))
	switch ext {
	case "pdf":
		return "PDF"
	case "doc", "docx", "wps":
		return "Word"
	case "xls", "xlsx", "et":
		return "Excel"
	case "ppt", "pptx", "dps":
		return "PowerPoint"
	case "jpg", "jpeg", "png", "gif", "webp":
		return "图片"
	case "zip", "rar", "7z":
		return "压缩包"
	case "":
		return "文件"
	}
	return strings.ToUpper(ext)
}

// SizeText is the size for readers: 980 字节, 12.3 KB, 1.5 MB.
func (a Attachment) SizeText() string {
	switch n := float64(a.Size); {
	case a.Size < 1024:
		return fmt.Sprintf("%d 字节", a.Size)
	case a.Size < 1024*1024:
		return fmt.Sprintf("%.1f KB", n/1024)
	default:
		return fmt.Sprintf("%.1f MB", n/1024/1024)
	}
}

// imageExts are the image files whose size is read at load.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true}

// IsImage reports whether a file name is one of the images whose size
// the build reads (JPEG, PNG, GIF).
func IsImage(name string) bool { return imageExts[strings.ToLower(path.Ext(name))] }

// AssetFile returns the path below the site root at which a file of the
// content folder is published: its own path, or for a bundle's file the
// page's output folder.
func (src *Source) AssetFile(a string) string {
	if out, ok := src.assetOut[a]; ok {
		return out
	}
	return a
}

// ImageSize returns the size of an image file of the content folder, if
// it is one whose header could be read.
func (src *Source) ImageSize(a string) (Image, bool) {
	im, ok := src.images[a]
	return im, ok
}

// bundles places each bundle's files in its page's output folder.
func (src *Source) bundles() {
	var folders []string
	owner := map[string]*Page{}
	for _, p := range src.Pages {
		if p.Bundle != "" {
			folders = append(folders, p.Bundle)
			owner[p.Bundle] = p
		}
	}
	if len(folders) == 0 {
		return
	}
	// The longest folder first: a bundle inside a bundle keeps its files.
	sort.Slice(folders, func(i, j int) bool { return len(folders[i]) > len(folders[j]) })
	src.assetOut = map[string]string{}
	src.bundleOf = map[string]*Page{}
	for _, a := range src.Assets {
		for _, f := range folders {
			if rel, ok := strings.CutPrefix(a, f); ok {
				p := owner[f]
				src.assetOut[a] = strings.TrimPrefix(p.URL, "/") + rel
				src.bundleOf[a] = p
				break
			}
		}
	}
}

// media reads the size of every image file and checks every page's
// attachments, and sums both up as MediaKey.
func (src *Source) media(fsys fs.FS, show func(string) string) Errors {
	var errs Errors
	sizes := map[string]int64{}
	for _, f := range src.Files {
		sizes[f.Path] = f.Size
	}
	h := sha256.New()
	for _, a := range src.Assets {
		if !IsImage(a) {
			continue
		}
		f, err := fsys.Open(a)
		if err != nil {
			continue // reported when a page shows it
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil {
			continue
		}
		if src.images == nil {
			src.images = map[string]Image{}
		}
		src.images[a] = Image{cfg.Width, cfg.Height}
		fmt.Fprintf(h, "%s %d %d\n", a, cfg.Width, cfg.Height)
	}
	for _, p := range src.Pages {
		if _, ok := p.Params["attachments"]; !ok {
			continue
		}
		var perrs Errors
		p.Attachments, perrs = attachments(show(p.Path), p, sizes, src)
		errs = append(errs, perrs...)
		for _, a := range p.Attachments {
			fmt.Fprintf(h, "%s %s %s %d\n", p.Path, a.Path, a.Title, a.Size)
		}
	}
	src.MediaKey = h.Sum(nil)
	return errs
}

// attachments reads a page's attachments field. Its items are found in
// the front matter's syntax tree, for their lines.
func attachments(name string, p *Page, sizes map[string]int64, src *Source) ([]Attachment, Errors) {
	var errs Errors
	line := p.FieldLine("attachments")
	bad := func(l int, format string, args ...any) {
		errs = append(errs, errorf(name, l, "attachments: "+format, args...))
	}
	file, err := goparser.ParseBytes(p.FrontMatter, 0)
	if err != nil || len(file.Docs) == 0 {
		bad(line, "cannot read the list")
		return nil, errs
	}
	var seq *ast.SequenceNode
	if m, ok := file.Docs[0].Body.(*ast.MappingNode); ok {
		for _, v := range m.Values {
			if v.Key.GetToken().Value == "attachments" {
				seq, _ = v.Value.(*ast.SequenceNode)
			}
		}
	}
	if seq == nil {
		bad(line, `write one "- file: 名称.pdf" item per file, each with an optional "title:"`)
		return nil, errs
	}
	// The front matter starts on the file's second line.
	fileLine := func(n ast.Node) int { return n.GetToken().Position.Line + 1 }
	dir := path.Dir(p.Path)
	var out []Attachment
	for _, item := range seq.Values {
		at := Attachment{Line: fileLine(item)}
		fields := map[string]string{}
		switch n := item.(type) {
		case *ast.MappingNode:
			for _, v := range n.Values {
				fields[v.Key.GetToken().Value] = strings.TrimSpace(v.Value.GetToken().Value)
			}
		case *ast.MappingValueNode:
			fields[n.Key.GetToken().Value] = strings.TrimSpace(n.Value.GetToken().Value)
		case *ast.StringNode:
			fields["file"] = n.Value
		default:
			bad(at.Line, `write "- file: 名称.pdf", with an optional "title:" below it`)
			continue
		}
		for k := range fields {
			if k != "file" && k != "title" {
				bad(at.Line, "unknown field %q (known: file, title)", k)
			}
		}
		at.File, at.Title = fields["file"], fields["title"]
		if at.File == "" {
			bad(at.Line, `give the file: "- file: 名称.pdf"`)
			continue
		}
		at.Path = path.Join(dir, at.File)
		if strings.HasPrefix(at.File, "/") {
			at.Path = strings.TrimPrefix(path.Clean(at.File), "/")
		}
		size, ok := sizes[at.Path]
		if !ok || at.Path == ".." || strings.HasPrefix(at.Path, "../") || strings.HasSuffix(at.Path, ".md") || at.Path == SiteFile {
			bad(at.Line, "no file %q in %s/: put the file there beside the page, or correct its name", at.File, path.Dir(name))
			continue
		}
		at.Size = size
		if at.Title == "" {
			at.Title = strings.TrimSuffix(path.Base(at.File), path.Ext(at.File))
		}
		out = append(out, at)
	}
	for i := range out {
		out[i].URL = "/" + src.AssetFile(out[i].Path)
	}
	return out, errs
}

// dropUnpublishedBundles leaves out the files of bundles whose page is not
// published (a draft, scheduled or expired).
func (src *Source) dropUnpublishedBundles() {
	if len(src.bundleOf) == 0 {
		return
	}
	shown := map[*Page]bool{}
	for _, p := range src.Pages {
		shown[p] = true
	}
	kept := src.Assets[:0:0]
	for _, a := range src.Assets {
		if p, ok := src.bundleOf[a]; !ok || shown[p] {
			kept = append(kept, a)
		}
	}
	src.Assets = kept
}

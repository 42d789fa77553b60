package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/draw"

	"plansite/generator/content"
	"plansite/generator/markdown"
)

// scaleAbove is the width in pixels above which a JPEG or PNG image gets
// smaller copies, and scaleWidths the widths of the copies (those below
// the image's own): a phone on a slow line loads the smallest that fills
// its screen.
const scaleAbove = 800

var scaleWidths = []int{480, 800, 1200}

// scaledVersion is part of every copy's key: change it when the scaling or
// the encoding changes, so no copy made the old way is reused.
const scaledVersion = "catmullrom-q82-1"

// scaledCopy is a smaller copy of an image of the content folder.
type scaledCopy struct {
	file          string // below the site root
	width, height int
}

// scaledCopies lists the copies an image gets: none unless it is a JPEG or
// PNG wider than scaleAbove. out is where the image itself is published.
func scaledCopies(out string, im content.Image) []scaledCopy {
	ext := strings.ToLower(path.Ext(out))
	if im.Width <= scaleAbove || ext != ".jpg" && ext != ".jpeg" && ext != ".png" {
		return nil
	}
	var copies []scaledCopy
	stem := strings.TrimSuffix(out, path.Ext(out))
	for _, w := range scaleWidths {
		if w < im.Width {
			h := max(1, (im.Height*w+im.Width/2)/im.Width)
			copies = append(copies, scaledCopy{file: stem + "-" + strconv.Itoa(w) + "w" + path.Ext(out), width: w, height: h})
		}
	}
	return copies
}

// pageImages finds the images a page shows among the content folder's
// files: a name is taken from the page's folder (a bundle's files are
// beside it), or from the content folder's top with a leading "/". An
// image on another site is shown as written.
type pageImages struct {
	r    *Renderer
	page *content.Page
}

func (pi pageImages) Image(dest string) (markdown.Picture, error) {
	u, err := url.Parse(dest)
	if err == nil && (u.Scheme != "" || u.Host != "") {
		return markdown.Picture{Src: dest}, nil
	}
	name := dest
	if err == nil {
		name = u.Path
	}
	if name == "" {
		return markdown.Picture{}, fmt.Errorf("image with no file name: write ![说明](photo.jpg)")
	}
	file := path.Join(path.Dir(pi.page.Path), name)
	if strings.HasPrefix(name, "/") {
		file = strings.TrimPrefix(path.Clean(name), "/")
	}
	if file == ".." || strings.HasPrefix(file, "../") {
		return markdown.Picture{}, fmt.Errorf("image %q is outside the content folder: copy the file beside the page", dest)
	}
	if !pi.r.contentFiles()[file] {
		return markdown.Picture{}, fmt.Errorf("image %q: no such file %s: put the file beside the page, or correct the name", dest, path.Join(pi.r.src.Root, file))
	}
	out := pi.r.src.AssetFile(file)
	// The converter puts Src under the base path, as every site-absolute
	// link; a srcset it does not read is written with it here.
	pic := markdown.Picture{Src: "/" + out}
	im, ok := pi.r.src.ImageSize(file)
	if !ok {
		if content.IsImage(file) {
			return markdown.Picture{}, fmt.Errorf("image %q: cannot read its size: the file is damaged, or not the JPEG, PNG or GIF its name says", dest)
		}
		return pic, nil
	}
	pic.Width, pic.Height = im.Width, im.Height
	if copies := scaledCopies(out, im); len(copies) > 0 {
		var set []string
		for _, c := range copies {
			set = append(set, pi.r.model.BasePath()+c.file+" "+strconv.Itoa(c.width)+"w")
		}
		set = append(set, pi.r.model.BasePath()+out+" "+strconv.Itoa(im.Width)+"w")
		pic.Srcset = strings.Join(set, ", ")
	}
	return pic, nil
}

// contentFiles is the set of the content folder's published files.
func (r *Renderer) contentFiles() map[string]bool {
	r.contentSetOnce.Do(func() {
		r.contentSet = make(map[string]bool, len(r.src.Assets))
		for _, a := range r.src.Assets {
			r.contentSet[a] = true
		}
	})
	return r.contentSet
}

// convert converts a page's Markdown with its images found, and turns the
// document's problems into errors at their lines of the page's file.
func (r *Renderer) convert(p *content.Page) (*markdown.Doc, error) {
	doc, err := r.conv.ConvertPage(p.Body, pageImages{r: r, page: p})
	if err != nil {
		return nil, &content.Error{Path: p.Path, Line: p.BodyLine, Err: err}
	}
	if len(doc.Problems) > 0 {
		errs := make(content.Errors, len(doc.Problems))
		for i, pr := range doc.Problems {
			errs[i] = &content.Error{Path: path.Join(r.src.Root, p.Path), Line: p.BodyLine + pr.Line - 1, Err: fmt.Errorf("%s", pr.Msg)}
		}
		return nil, errs
	}
	return doc, nil
}

// scaler makes the smaller copies of images, and keeps them across the
// builds of one Renderer (plansite serve), by the bytes they are made
// from.
type scaler struct {
	mu   sync.Mutex
	done map[string][]byte
}

// writeScaled writes the smaller copies of every large image. Each copy's
// key is the hash of the image's bytes and the copy's width, so a build
// with a cache reuses the copy of an unchanged image instead of scaling it
// again. The same image gives the same bytes on every build.
func (r *Renderer) writeScaled(out Sink, a string, data []byte) error {
	im, ok := r.src.ImageSize(a)
	if !ok {
		return nil
	}
	copies := scaledCopies(r.src.AssetFile(a), im)
	if len(copies) == 0 {
		return nil
	}
	sum := sha256.Sum256(data)
	var decoded image.Image
	for _, c := range copies {
		key := scaledVersion + " " + hex.EncodeToString(sum[:]) + " " + strconv.Itoa(c.width)
		if out.Reuse(c.file, key) {
			continue
		}
		r.scaled.mu.Lock()
		b, ok := r.scaled.done[key]
		r.scaled.mu.Unlock()
		if !ok {
			if decoded == nil {
				img, _, err := image.Decode(bytes.NewReader(data))
				if err != nil {
					return &content.Error{Path: a, Err: fmt.Errorf("cannot read the image to make smaller copies: %w", err)}
				}
				decoded = img
			}
			var err error
			if b, err = scale(decoded, c, path.Ext(c.file)); err != nil {
				return &content.Error{Path: a, Err: err}
			}
			r.scaled.mu.Lock()
			if r.scaled.done == nil {
				r.scaled.done = map[string][]byte{}
			}
			r.scaled.done[key] = b
			r.scaled.mu.Unlock()
		}
		if err := out.Write(c.file, key, b); err != nil {
			return err
		}
	}
	return nil
}

// scale draws img at the copy's size (Catmull-Rom, which keeps text and
// edges in photos sharp) and encodes it as the original was.
func scale(img image.Image, c scaledCopy, ext string) ([]byte, error) {
	dst := image.NewRGBA(image.Rect(0, 0, c.width, c.height))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	var err error
	if strings.EqualFold(ext, ".png") {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst)
	} else {
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82})
	}
	return buf.Bytes(), err
}

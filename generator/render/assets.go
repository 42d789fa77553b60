package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// Options sets how a Renderer writes the theme's styles and scripts.
type Options struct {
	// PlainAssets keeps the theme's styles and scripts as written, under
	// their own names: the preview's choice, where a developer reads them
	// in the browser and a changed stylesheet is swapped in place. Off,
	// each is minified and named for its content (css/site.3f9a1c2e.css),
	// so servers may cache it for a year, and every reference through the
	// layouts' rel function follows the new name.
	PlainAssets bool
}

// assetSet holds the theme's styles and scripts as a build writes them.
type assetSet struct {
	// names maps a static file's path to the path it is written at.
	names map[string]string
	// data holds the bytes written, by the static file's path.
	data map[string][]byte
}

// hashLen is the length of the content hash in an asset's name: 32 bits
// tell a changed file from the last few versions, which is all a cache
// needs.
const hashLen = 8

// prepareAssets minifies and names the theme's styles and scripts. A
// file the content folder replaces is left to it (copyStatic writes the
// content's file under its own name).
func (r *Renderer) prepareAssets() error {
	r.assets = assetSet{}
	if r.opt.PlainAssets {
		return nil
	}
	files, err := r.theme.StaticFiles()
	if err != nil {
		return ThemeError(err)
	}
	own := map[string]bool{}
	for _, a := range r.src.Assets {
		own[r.src.AssetFile(a)] = true
	}
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	for _, f := range files {
		mime := map[string]string{".css": "text/css", ".js": "text/javascript"}[path.Ext(f)]
		if mime == "" || own[f] {
			continue
		}
		data, err := r.theme.ReadStatic(f)
		if err != nil {
			return ThemeError(err)
		}
		var b bytes.Buffer
		if err := m.Minify(mime, &b, bytes.NewReader(data)); err != nil {
			return ThemeError(fmt.Errorf("static/%s: %w", f, err))
		}
		sum := sha256.Sum256(b.Bytes())
		ext := path.Ext(f)
		if r.assets.names == nil {
			r.assets.names, r.assets.data = map[string]string{}, map[string][]byte{}
		}
		r.assets.names[f] = strings.TrimSuffix(f, ext) + "." + hex.EncodeToString(sum[:])[:hashLen] + ext
		r.assets.data[f] = b.Bytes()
	}
	return nil
}

// assetPath returns the path a site-absolute path is served at: a hashed
// asset's new name, or the path itself.
func (r *Renderer) assetPath(p string) string {
	if n, ok := r.assets.names[strings.TrimPrefix(p, "/")]; ok {
		return "/" + n
	}
	return p
}

package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"plansite/generator/confine"
	"plansite/generator/content"
)

// openSources opens the content folder src under confine's rule and reads
// its site.yaml, which may name folders outside that links may lead into;
// the folder returned applies them. root is the folder's name in errors.
// site is nil, with the problems in errs, when site.yaml does not parse.
func openSources(src, root string) (fsys *confine.FS, siteData []byte, site *content.Site, err error) {
	show := func(p string) string { return root + "/" + p }
	if fsys, err = confine.New(src, root, nil); err != nil {
		return nil, nil, nil, err
	}
	siteData, err = fs.ReadFile(fsys, content.SiteFile)
	if err != nil {
		var le *confine.LinkError
		var pe *fs.PathError
		switch {
		case errors.As(err, &le):
			err = le
		case errors.As(err, &pe):
			err = fmt.Errorf("cannot read the site settings: %w", pe.Err)
		default:
			err = fmt.Errorf("cannot read the site settings: %w", err)
		}
		return nil, nil, nil, &content.Error{Path: show(content.SiteFile), Err: err}
	}
	site, errs := content.ParseSite(show(content.SiteFile), siteData)
	if err := errs.Err(); err != nil {
		return nil, nil, nil, err
	}
	if allow := allowedFolders(src, site); len(allow) > 0 {
		if fsys, err = confine.New(src, root, allow); err != nil {
			return nil, nil, nil, err
		}
	}
	return fsys, siteData, site, nil
}

// allowedFolders is site.yaml's allowLinksTo as disk paths: relative ones
// are relative to the folder holding the content folder, like the theme.
func allowedFolders(src string, site *content.Site) []string {
	var out []string
	for _, a := range site.AllowLinksTo {
		if !filepath.IsAbs(a) {
			a = filepath.Join(filepath.Dir(filepath.Clean(src)), filepath.FromSlash(a))
		}
		out = append(out, a)
	}
	return out
}

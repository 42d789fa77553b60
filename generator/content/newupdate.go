package content

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"plansite/generator/atomicfile"
	"plansite/generator/yamlnode"
)

// NewUpdate describes an update file for CreateUpdate to write.
type NewUpdate struct {
	Title string
	// Topics are topic slugs from site.yaml; at least one.
	Topics []string
	// Date is the update's date; only the day counts, in Beijing time.
	Date time.Time
	// Slug names the file and address after the date; empty means the
	// first free counter (2023-05-01-1, -2, ...).
	Slug string
}

// CreateUpdate writes a new update below dir/updates/, named
// <date>-<slug>.md, with the front matter filled in and a placeholder body,
// and returns the file's path. It never overwrites a file, and checks the
// topics against dir/site.yaml so the file builds as written.
func CreateUpdate(dir string, nu NewUpdate) (string, error) {
	site, _, err := ReadSite(dir)
	if err != nil {
		return "", err
	}
	title := strings.TrimSpace(nu.Title)
	if title == "" || strings.ContainsAny(title, "\r\n") {
		return "", errors.New("title: give the update's title on one line, e.g. \"生态环境整治进展\"")
	}
	if len(nu.Topics) == 0 {
		return "", fmt.Errorf("topic: give at least one --topic (known: %s)", strings.Join(site.Topics, ", "))
	}
	for _, t := range nu.Topics {
		if !slices.Contains(site.Topics, t) {
			return "", fmt.Errorf("topic: unknown topic %q (known: %s)", t, strings.Join(site.Topics, ", "))
		}
	}
	if nu.Slug != "" && !validSlug(nu.Slug) {
		return "", fmt.Errorf("slug: %q is not usable in an address: use lower-case letters, digits and dashes", nu.Slug)
	}
	if nu.Date.IsZero() {
		return "", errors.New("date: give the update's date")
	}
	day := nu.Date.In(chinaTime).Format("2006-01-02")

	updates := filepath.Join(dir, "updates")
	if err := os.MkdirAll(updates, 0o755); err != nil {
		return "", err
	}
	// Updates in subfolders share the /updates/ address space, so a name
	// is free only if no folder holds it.
	taken := map[string]bool{}
	err = filepath.WalkDir(updates, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			taken[strings.TrimSuffix(d.Name(), ".md")] = true
		}
		return err
	})
	if err != nil {
		return "", err
	}
	stem := day + "-" + nu.Slug
	if nu.Slug == "" {
		for n := 1; ; n++ {
			stem = day + "-" + strconv.Itoa(n)
			if !taken[stem] {
				break
			}
		}
	} else if taken[stem] {
		return "", fmt.Errorf("%s already exists: choose another --slug", filepath.Join(updates, stem+".md"))
	}

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlnode.Quote(title))
	fmt.Fprintf(&b, "date: %s\n", day)
	b.WriteString("topics:\n")
	for _, t := range nu.Topics {
		fmt.Fprintf(&b, "  - %s\n", t)
	}
	b.WriteString("summary: \"\"          # one sentence for lists, feeds and search engines\n")
	if site.Publisher != "" {
		fmt.Fprintf(&b, "source: %s  # 发布机构\n", yamlnode.Quote(site.Publisher))
	} else {
		b.WriteString("# source: 发布机构\n")
	}
	b.WriteString("# docNumber: 文号\n")
	fmt.Fprintf(&b, "# publishDate: %sT09:00:00+08:00   # hold the update back until then\n", day)
	b.WriteString("# expiryDate: 2099-12-31            # take it down from then\n")
	b.WriteString("draft: true   # change to false when the text is ready\n")
	b.WriteString("---\n\n")
	b.WriteString("在这里写正文。写好后把上面的 draft: true 改为 draft: false，然后运行 plansite build。\n")

	name := filepath.Join(updates, stem+".md")
	// Create, not Write: a file that appeared since the check is not
	// overwritten.
	if err := atomicfile.Create(name, []byte(b.String()), 0o644); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%s already exists: choose another --slug", name)
		}
		return "", err
	}
	return name, nil
}

// ReadSite reads and checks dir's site.yaml for the commands that need the
// settings without building (new, check, nginx). It returns the file's
// bytes too, for those that edit it.
func ReadSite(dir string) (*Site, []byte, error) {
	path := filepath.Join(dir, SiteFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the site settings: %w", err)
	}
	site, errs := ParseSite(filepath.ToSlash(path), data)
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	return site, data, nil
}

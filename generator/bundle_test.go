package generator

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testJPEG is a w×h photo-like JPEG: a gradient with a diagonal edge.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255}
			if x > y {
				c.B = 30
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bundleSite writes a site with an update written as a page bundle in a
// year folder: index.md with a large photo, a small PNG and a PDF beside
// it; body is the update's text.
func bundleSite(t *testing.T, body string) string {
	t.Helper()
	src := updatesSite(t, nil)
	dir := filepath.Join(src, "updates", "2023", "2023-05-01-forest")
	writeFile(t, filepath.Join(dir, "index.md"), []byte("---\ntitle: 植树进展\ndate: 2023-05-01\ntopics: [ecology]\nattachments:\n  - file: 方案.pdf\n    title: 实施方案全文\n  - file: 表格.xlsx\n---\n"+body))
	writeFile(t, filepath.Join(dir, "photo.jpg"), testJPEG(t, 1600, 1000))
	writeFile(t, filepath.Join(dir, "map.png"), testPNG(t, 300, 200))
	writeFile(t, filepath.Join(dir, "方案.pdf"), bytes.Repeat([]byte("%PDF-1.4 "), 300))
	writeFile(t, filepath.Join(dir, "表格.xlsx"), []byte("PK\x03\x04"))
	return src
}

const bundleBody = "造林现场：\n\n![工人在山坡上植树](photo.jpg)\n\n![林区分布图](map.png \"分布图\")\n"

// TestPageBundle builds an update written as a bundle and checks that its
// files are published beside its page, that its images carry their size
// and, when large, smaller copies in a srcset, and that its attachments
// are listed with their kind and size.
func TestPageBundle(t *testing.T) {
	src := bundleSite(t, bundleBody)
	files, _ := build(t, src, Options{Now: cst("2023-06-01")})
	page := string(files["updates/2023-05-01-forest/index.html"])
	if page == "" {
		t.Fatalf("no page at updates/2023-05-01-forest/; files: %v", sortedKeys(files))
	}
	for _, want := range []string{
		`<img src="/updates/2023-05-01-forest/photo.jpg" alt="工人在山坡上植树" width="1600" height="1000" srcset="/updates/2023-05-01-forest/photo-480w.jpg 480w, /updates/2023-05-01-forest/photo-800w.jpg 800w, /updates/2023-05-01-forest/photo-1200w.jpg 1200w, /updates/2023-05-01-forest/photo.jpg 1600w" sizes="(max-width: 46em) 100vw, 46em" loading="lazy" decoding="async">`,
		`<img src="/updates/2023-05-01-forest/map.png" alt="林区分布图" title="分布图" width="300" height="200" loading="lazy" decoding="async">`,
		`<h2 id="attachments-heading">附件</h2>`,
		`<li><a href="/updates/2023-05-01-forest/%e6%96%b9%e6%a1%88.pdf">实施方案全文</a> <span class="attachment-meta">（PDF，2.6 KB）</span></li>`,
		`<li><a href="/updates/2023-05-01-forest/%e8%a1%a8%e6%a0%bc.xlsx">表格</a> <span class="attachment-meta">（Excel，4 字节）</span></li>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks\n%s\n%s", want, page[strings.Index(page, "<article"):])
		}
	}
	for name, width := range map[string]int{"photo.jpg": 1600, "photo-480w.jpg": 480, "photo-800w.jpg": 800, "photo-1200w.jpg": 1200, "map.png": 300} {
		data, ok := files["updates/2023-05-01-forest/"+name]
		if !ok {
			t.Errorf("%s not published beside the page", name)
			continue
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != width || cfg.Height != width*1000/1600 && name != "map.png" {
			t.Errorf("%s: %dx%d, %v; want width %d", name, cfg.Width, cfg.Height, err, width)
		}
	}
	for _, name := range []string{"方案.pdf", "表格.xlsx"} {
		if _, ok := files["updates/2023-05-01-forest/"+name]; !ok {
			t.Errorf("%s not published beside the page", name)
		}
	}
	for name := range files {
		if strings.HasPrefix(name, "updates/2023/") || strings.HasPrefix(name, "updates/2023-05-01-forest/map-") {
			t.Errorf("%s: a bundle's file published outside the page's folder, or a small image scaled", name)
		}
	}
	// The same input gives the same bytes, the scaled copies included.
	again, _ := build(t, src, Options{Now: cst("2023-06-01")})
	for name, data := range files {
		if !bytes.Equal(again[name], data) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	// Under a base path, every address of the images and attachments is
	// under it too.
	siteYAML := filepath.Join(src, "site.yaml")
	orig, _ := os.ReadFile(siteYAML)
	writeFile(t, siteYAML, bytes.Replace(orig, []byte("https://example.org/"), []byte("https://example.org/plan/"), 1))
	sub, _ := build(t, src, Options{Now: cst("2023-06-01")})
	subPage := string(sub["updates/2023-05-01-forest/index.html"])
	for _, want := range []string{
		`<img src="/plan/updates/2023-05-01-forest/photo.jpg" alt="工人在山坡上植树" width="1600" height="1000" srcset="/plan/updates/2023-05-01-forest/photo-480w.jpg 480w, /plan/updates/2023-05-01-forest/photo-800w.jpg 800w, /plan/updates/2023-05-01-forest/photo-1200w.jpg 1200w, /plan/updates/2023-05-01-forest/photo.jpg 1600w"`,
		`<a href="/plan/updates/2023-05-01-forest/%e6%96%b9%e6%a1%88.pdf">实施方案全文</a>`,
	} {
		if !strings.Contains(subPage, want) {
			t.Errorf("under /plan/, the page lacks\n%s", want)
		}
	}
	writeFile(t, siteYAML, orig)

	// A draft bundle's files stay unpublished with it.
	idx := filepath.Join(src, "updates", "2023", "2023-05-01-forest", "index.md")
	data, _ := os.ReadFile(idx)
	writeFile(t, idx, bytes.Replace(data, []byte("title:"), []byte("draft: true\ntitle:"), 1))
	files, _ = build(t, src, Options{Now: cst("2023-06-01")})
	for name := range files {
		if strings.Contains(name, "forest") {
			t.Errorf("%s published though its page is a draft", name)
		}
	}
}

// TestPageBundleErrors checks that every fault of a bundle is reported at
// its file and line, and that nothing from outside the content folder is
// published.
func TestPageBundleErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		edit       func(src string)
		want       []string
	}{
		{
			name: "no alt text",
			body: "第一段。\n\n![](photo.jpg)\n\n![ ](map.png)\n",
			want: []string{
				`content/updates/2023/2023-05-01-forest/index.md:12: image "photo.jpg" has no alt text`,
				`content/updates/2023/2023-05-01-forest/index.md:14: image "map.png" has no alt text`,
			},
		},
		{
			name: "missing image",
			body: "![照片](photo2.jpg)\n",
			want: []string{`content/updates/2023/2023-05-01-forest/index.md:10: image "photo2.jpg": no such file `, `content/updates/2023/2023-05-01-forest/photo2.jpg: put the file beside the page`},
		},
		{
			name: "image outside content",
			body: "![密码](../../../../etc/passwd)\n",
			want: []string{`content/updates/2023/2023-05-01-forest/index.md:10: image "../../../../etc/passwd" is outside the content folder`},
		},
		{
			name: "missing attachment",
			body: bundleBody,
			edit: func(src string) { os.Remove(filepath.Join(src, "updates", "2023", "2023-05-01-forest", "方案.pdf")) },
			want: []string{`content/updates/2023/2023-05-01-forest/index.md:6: attachments: no file "方案.pdf" in `, `content/updates/2023/2023-05-01-forest/: put the file there`},
		},
		{
			name: "attachment outside content",
			body: bundleBody,
			edit: func(src string) {
				idx := filepath.Join(src, "updates", "2023", "2023-05-01-forest", "index.md")
				data, _ := os.ReadFile(idx)
				os.WriteFile(idx, bytes.Replace(data, []byte("file: 表格.xlsx"), []byte("file: ../../../../site.yaml"), 1), 0o644)
			},
			want: []string{`index.md:8: attachments: no file`},
		},
		{
			name: "damaged image",
			body: "![照片](photo.jpg)\n",
			edit: func(src string) {
				os.WriteFile(filepath.Join(src, "updates", "2023", "2023-05-01-forest", "photo.jpg"), []byte("not a jpeg"), 0o644)
			},
			want: []string{`content/updates/2023/2023-05-01-forest/index.md:10: image "photo.jpg": cannot read its size`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := bundleSite(t, tc.body)
			if tc.edit != nil {
				tc.edit(src)
			}
			out := filepath.Join(t.TempDir(), "public")
			_, err := Build(context.Background(), Options{Src: src, Out: out, Now: cst("2023-06-01")})
			if err == nil {
				t.Fatal("build succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed build wrote the output folder")
			}
		})
	}
}

// TestPageBundleCache changes a bundle's photo between builds that keep a
// cache: the page shows the new size, and the copies are made anew.
func TestPageBundleCache(t *testing.T) {
	src := bundleSite(t, bundleBody)
	opt := Options{Src: src, Out: filepath.Join(t.TempDir(), "public"), CacheDir: t.TempDir(), Now: cst("2023-06-01")}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(src, "updates", "2023", "2023-05-01-forest", "photo.jpg")
	writeFile(t, photo, testJPEG(t, 1000, 500))
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(photo, later, later)
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(opt.Out, "updates", "2023-05-01-forest", "index.html"))
	if !strings.Contains(string(page), `width="1000" height="500" srcset="/updates/2023-05-01-forest/photo-480w.jpg 480w, /updates/2023-05-01-forest/photo-800w.jpg 800w, /updates/2023-05-01-forest/photo.jpg 1000w"`) {
		t.Errorf("the page does not show the new photo's size:\n%s", page)
	}
	if _, err := os.Stat(filepath.Join(opt.Out, "updates", "2023-05-01-forest", "photo-1200w.jpg")); err == nil {
		t.Error("a copy wider than the new photo is left")
	}
	small, _ := os.ReadFile(filepath.Join(opt.Out, "updates", "2023-05-01-forest", "photo-480w.jpg"))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(small)); err != nil || cfg.Height != 240 {
		t.Errorf("photo-480w.jpg: %+v, %v; want 480x240", cfg, err)
	}
}

// TestRebuilderBundles checks that plansite serve's Rebuilder shows
// exactly what Build writes for a bundle, after its photo is replaced
// (new size, new copies) and after an image loses its alt text.
func TestRebuilderBundles(t *testing.T) {
	src := bundleSite(t, bundleBody)
	now := cst("2023-06-01")
	r := NewRebuilder(Options{Src: src, Now: now})
	dir := filepath.Join(src, "updates", "2023", "2023-05-01-forest")
	check := func(step string, changed []string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		_, werr := Build(context.Background(), Options{Src: src, Out: out, Now: now})
		got, gerr := r.Build(context.Background(), changed)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%s: Rebuilder error = %v;\nBuild error = %v", step, gerr, werr)
		}
		if werr != nil {
			return
		}
		want := readTree(t, out)
		for name := range want {
			if BuildOnly(name) {
				delete(want, name)
			}
		}
		index, err := got.Search.Files()
		if err != nil {
			t.Fatal(err)
		}
		all := map[string][]byte{}
		for k, v := range index {
			all[k] = v
		}
		for k, v := range got.Files {
			all[k] = v
		}
		for name, w := range want {
			if !bytes.Equal(all[name], w) {
				t.Errorf("%s: Rebuilder's %s differs from Build's", step, name)
			}
		}
		for name := range all {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: Rebuilder has %s, which Build does not write", step, name)
			}
		}
	}
	check("first build", nil)
	writeFile(t, filepath.Join(dir, "photo.jpg"), testJPEG(t, 1000, 500))
	check("photo replaced", []string{"updates/2023/2023-05-01-forest/photo.jpg"})
	writeFile(t, filepath.Join(dir, "index.md"), []byte("---\ntitle: 植树进展\ndate: 2023-05-01\ntopics: [ecology]\n---\n![](photo.jpg)\n"))
	check("alt text removed", []string{"updates/2023/2023-05-01-forest/index.md"})
}

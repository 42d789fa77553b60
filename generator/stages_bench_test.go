package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"plansite/generator/content"
	"plansite/generator/output"
	"plansite/generator/render"
	"plansite/themes"
)

// benchSource is the content folder the stage benchmarks read:
// $PLANSITE_BENCH_SRC when set (generator/bench/compare.sh prints one),
// else 2,000 generated pages.
func benchSource(b *testing.B) string {
	if src := os.Getenv("PLANSITE_BENCH_SRC"); src != "" {
		return src
	}
	return writeBenchSite(b, b.TempDir(), 2000)
}

// benchNow fixes the build's moment so every iteration publishes the same pages.
var benchNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func benchLoad(b *testing.B, src string) *content.Source {
	b.Helper()
	s, err := content.Load(context.Background(), os.DirFS(src), content.Options{Root: src, Now: benchNow})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchBuilder(b *testing.B, s *content.Source) *render.Renderer {
	b.Helper()
	bl, err := render.New(s, themes.Default(), render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return bl
}

// BenchmarkStages times the pipeline's stages one by one: load (read and
// parse every file), render (Markdown and layouts, into memory), search
// (the index from the sections render kept) and write (the rendered pages
// to a fresh folder).
func BenchmarkStages(b *testing.B) {
	src := benchSource(b)
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			benchLoad(b, src)
		}
	})
	s := benchLoad(b, src)
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			bl := benchBuilder(b, s)
			if err := bl.Pages(context.Background(), output.NewMemory(), s.Pages, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	bl := benchBuilder(b, s)
	mem := output.NewMemory()
	if err := bl.Pages(context.Background(), mem, s.Pages, 0); err != nil {
		b.Fatal(err)
	}
	b.Run("search", func(b *testing.B) {
		syn, err := siteSynonyms(s, "content")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := writeSearch(s.Pages, bl.Model().BasePath(), bl, syn, output.NewMemory()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write", func(b *testing.B) {
		dir := b.TempDir()
		for i := 0; b.Loop(); i++ {
			out, err := output.New(filepath.Join(dir, "out"), nil, "", nil)
			if err != nil {
				b.Fatal(err)
			}
			for name, data := range mem.Memory() {
				if err := out.Write(name, "", data); err != nil {
					b.Fatal(err)
				}
			}
			if err := out.Publish(); err != nil {
				b.Fatal(err)
			}
			out.Discard()
		}
	})
}

// BenchmarkFullBuild times Build without a cache, as plansite build
// --cache-dir "" runs it.
func BenchmarkFullBuild(b *testing.B) {
	src := benchSource(b)
	out := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		if _, err := Build(context.Background(), Options{Src: src, Out: out, Now: benchNow}); err != nil {
			b.Fatal(err)
		}
	}
}

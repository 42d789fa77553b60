package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"plansite/generator/content"
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

func benchBuilder(b *testing.B, s *content.Source) *builder {
	b.Helper()
	bl, err := newBuilder(s, themes.Default())
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
			if err := bl.renderAll(context.Background(), newMemOutput(), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	bl := benchBuilder(b, s)
	mem := newMemOutput()
	if err := bl.renderAll(context.Background(), mem, 0); err != nil {
		b.Fatal(err)
	}
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if err := bl.writeSearch(newMemOutput()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write", func(b *testing.B) {
		dir := b.TempDir()
		for i := 0; b.Loop(); i++ {
			out, err := newOutput(filepath.Join(dir, "out"), nil, "")
			if err != nil {
				b.Fatal(err)
			}
			for name, data := range mem.mem {
				if err := out.write(name, "", data); err != nil {
					b.Fatal(err)
				}
			}
			if err := out.publish(); err != nil {
				b.Fatal(err)
			}
			out.discard()
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

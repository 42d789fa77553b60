#!/bin/sh
# Compares plansite's search index with Pagefind 1.6.0 on the 10,000-page
# benchmark corpus: index build time and memory, files and bytes written,
# and per query (20 two-character and 10 three-to-five-character
# substrings of the corpus, fixed seed): requests, gzip bytes and recall
# against the corpus text. A measurement, not a test: run it by hand from
# the repository root,
#
#   sh generator/search/testdata/pagefind/compare.sh [workdir]
#
# It needs go, node, npm (only the npm registry is contacted, for pagefind
# and its Linux binary), hugo and GNU time (/usr/bin/time). Nothing
# downloads a browser: Pagefind's JS API runs in node with a fetch that
# reads files and counts them.
set -eu
repo=$(pwd)
here=$repo/generator/search/testdata/pagefind
work=${1:-$(mktemp -d)}
mkdir -p "$work"
echo "work folder: $work"

(cd /work/shared/bench/corpusgen && go build -o "$work/corpusgen" .)
[ -d "$work/plain" ] || "$work/corpusgen" -n 10000 -seed 1 -out "$work/plain" -layout plain
[ -d "$work/hugo" ] || "$work/corpusgen" -n 10000 -seed 1 -out "$work/hugo" -layout hugo
[ -x "$work/npm/node_modules/.bin/pagefind" ] || (mkdir -p "$work/npm" && cd "$work/npm" && npm init -y >/dev/null && npm i pagefind@1.6.0)

rm -rf "$work/public"
hugo --quiet -s "$work/hugo" -d "$work/public"
grep -q '<html lang="zh-cn"' "$work/public/index.html" || { echo 'Hugo output lacks lang="zh-cn"' >&2; exit 1; }
/usr/bin/time -v "$work/npm/node_modules/.bin/pagefind" --site "$work/public" >"$work/pagefind.log" 2>"$work/pagefind.time"
echo "Pagefind: $(grep -E 'Elapsed' "$work/pagefind.time" | sed 's/.*: //') wall," \
	"$(grep -E 'User time' "$work/pagefind.time" | sed 's/.*: //') s user," \
	"$(grep -E 'System time' "$work/pagefind.time" | sed 's/.*: //') s sys," \
	"$(grep -E 'Maximum resident' "$work/pagefind.time" | sed 's/.*: //') KiB peak RSS," \
	"$(find "$work/public/pagefind" -type f | wc -l) files, $(du -sb "$work/public/pagefind" | cut -f1) bytes"

export PLANSITE_BENCH_CORPUS="$work/plain"
go test -run - -bench 'Build$' -benchtime 5x ./generator/search | grep Benchmark
PLANSITE_COMPARE_OUT="$work/plansite.json" go test -count=1 -run ComparePagefind ./generator/search >/dev/null
node "$here/pagefind.mjs" "$work/public" "$work/plansite.json" "$work/both.json" >"$work/queries.log"
node "$here/table.mjs" "$work/both.json"

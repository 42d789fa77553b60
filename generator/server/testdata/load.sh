#!/bin/sh
# Load measurement for plansite serve: 200 browsers holding event streams,
# wrk fetching a page, and 5 edits meanwhile. Every stream must receive
# every build; wrk must report no errors.
#
#   sh generator/server/testdata/load.sh CONTENT_DIR PAGE.md URL_PATH
#   e.g. load.sh /tmp/corpus/plain reports/p000042.md reports/p000042/
set -eu
src=$1 page=$2 path=$3 port=${PORT:-18181}
work=$(mktemp -d)
go build -o "$work/plansite" ./cmd/plansite
"$work/plansite" serve --src "$src" --port "$port" >"$work/serve.out" 2>"$work/serve.err" &
serve=$!
trap 'kill -INT $serve 2>/dev/null; wait $serve 2>/dev/null; rm -rf "$work"' EXIT
until grep -q serving "$work/serve.out" 2>/dev/null; do sleep 0.5; done
url=http://127.0.0.1:$port
curls=""
for i in $(seq 200); do
	curl -sN "$url/__plansite/events" >"$work/sse.$i" &
	curls="$curls $!"
done
sleep 2
cp "$src/$page" "$work/orig.md"
wrk -t2 -c50 -d15s "$url/$path" >"$work/wrk.out" &
wrk=$!
for i in 1 2 3 4 5; do
	sleep 2
	{ cat "$work/orig.md"; echo; echo "负载编辑 $i"; } >"$src/$page.tmp"
	mv "$src/$page.tmp" "$src/$page"
done
wait $wrk
cp "$work/orig.md" "$src/$page"
sleep 1
kill $curls 2>/dev/null || true
cat "$work/wrk.out"
first=$(grep -ho '"build":[0-9]*' "$work/sse.1" | head -1 | cut -d: -f2)
want=$((first + 5))
short=0
for i in $(seq 200); do
	n=$(grep -c '"build"' "$work/sse.$i" || true)
	last=$(grep -ho '"build":[0-9]*' "$work/sse.$i" | tail -1 | cut -d: -f2)
	[ "$n" -ge 6 ] && [ "${last:-0}" -ge "$want" ] || short=$((short + 1))
done
echo "event streams: 200, missing a build: $short"
grep -E "build [0-9]+:" "$work/serve.err" | tail -6

#!/usr/bin/env bash
# compare.sh times plansite against Hugo and against the Markdown floor on
# the shared benchmark corpus, side by side in one run, and prints one
# Markdown table.
#
#   generator/bench/compare.sh [-n PAGES]... [-runs N] [-work DIR] [-keep] [-settle S]
#
#   -n PAGES  corpus size; repeat for several (default: 10000)
#   -runs N   runs of each build, of which the median is shown (default: 5)
#   -work DIR where corpora, binaries and outputs go (default: a new
#             temporary folder, deleted at the end unless -keep); corpora
#             already in DIR are reused
#   -settle S seconds to leave between deleting outputs and the next
#             build: the outputs an interrupted run left in DIR, or those
#             an earlier run in DIR deleted when it ended (default: 360)
#
# Every build writes a fresh output folder of its own, and nothing is
# deleted until all runs are done. Deleting between runs would tax the
# next builds' file creation on some disks: ext4 without a journal (this
# project's benchmark machine has one) does not reuse an inode for 60
# seconds after its deletion, or 360 while its inode table block is
# unwritten, and scans past every such inode at each file it creates. Right
# after 5,000 files are deleted, creating one costs 0.4–0.7 ms of CPU
# instead of about 55 µs. The outputs need room: about 450 MB a run at
# 10,000 pages, 2.3 GB at 50,000.
#
# The rows:
#   floor       generator/bench/floor: read every page, goldmark GFM + CJK on
#               all cores, write the HTML, nothing else
#   plansite    plansite build --cache-dir "" --verbose (a full build)
#   plansite no-op  plansite build again with a warm cache, nothing changed
#   hugo        hugo --quiet on the same pages (corpusgen -layout hugo)
# Columns: wall, user+sys CPU and peak RSS from /usr/bin/time -v; output
# file bytes; ratios to Hugo and to the floor. Each figure is
# the median of its own runs. Below the table, from the stage times of the
# same full builds: how much the search index stage adds to the rest of
# the build, in wall and in CPU time (the search design allows 25%).
set -euo pipefail

sizes=()
runs=5
settle=360
work=""
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	-n) sizes+=("$2"); shift 2 ;;
	-runs) runs="$2"; shift 2 ;;
	-work) work="$2"; shift 2 ;;
	-keep) keep=1; shift ;;
	-settle) settle="$2"; shift 2 ;;
	*) echo "usage: $0 [-n PAGES]... [-runs N] [-work DIR] [-keep] [-settle S]" >&2; exit 2 ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)

missing=0
command -v hugo >/dev/null || { echo "compare.sh: hugo is not installed" >&2; missing=1; }
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time is not installed" >&2; missing=1; }
if [ $missing = 1 ]; then
	echo "install them with: apt-get install -y hugo time" >&2
	exit 1
fi

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
shared="$root/../shared"
[ -d "$shared/bench/corpusgen" ] || { echo "compare.sh: $shared/bench/corpusgen not found" >&2; exit 1; }
if [ -z "$work" ]; then
	work=$(mktemp -d)
	[ $keep = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/bin"
work=$(cd "$work" && pwd)

echo "building corpusgen, plansite and floor in $work/bin" >&2
(cd "$shared/bench/corpusgen" && go build -o "$work/bin/corpusgen" .)
(cd "$root" && go build -o "$work/bin/plansite" ./cmd/plansite && go build -o "$work/bin/floor" ./generator/bench/floor)

topics="opening-up ecology employment education urban-rural-integration"

# corpus N writes $work/nN/{content,hugo} unless already there.
corpus() {
	local n=$1 d="$work/n$1"
	if [ -f "$d/.done" ]; then return; fi
	rm -rf "$d"
	mkdir -p "$d"
	"$work/bin/corpusgen" -n "$n" -seed 1 -out "$d/content" -layout plain 2>/dev/null
	"$work/bin/corpusgen" -n "$n" -seed 1 -out "$d/hugo" -layout hugo 2>/dev/null
	# What plansite needs around the pages: the settings, a home page and
	# one page per topic, as the Hugo layout has its topic pages.
	{
		echo "title: 基准站点"
		echo "baseURL: https://example.org/"
		echo "language: zh-CN"
		echo "publisher: 基准发布机构"
		echo "topics:"
		for t in $topics; do echo "  - $t"; done
	} >"$d/content/site.yaml"
	printf -- '---\ntitle: 首页\n---\n\n基准站点。\n' >"$d/content/_index.md"
	mkdir -p "$d/content/topics"
	for t in $topics; do
		printf -- '---\ntitle: %s\nsummary: %s\n---\n\n## 概述\n\n%s。\n' "$t" "$t" "$t" >"$d/content/topics/$t.md"
	done
	touch "$d/.done"
}

# measure NAME DIR CMD... runs CMD in DIR, appending "wall cpu rssKiB
# bytes" to $work/NAME; bytes are those of the files in $outdir.
measure() {
	local name=$1 dir=$2
	shift 2
	local t="$work/time.txt"
	(cd "$dir" && /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$work/stderr.txt") || {
		echo "compare.sh: $name failed:" >&2
		cat "$work/stderr.txt" >&2
		exit 1
	}
	# Only the files' bytes: a folder's own size depends on the order its
	# entries were added in.
	awk -v bytes="$(find "$outdir" -type f -printf '%s\n' | awk '{s += $1} END {print s}')" '
		/User time/ {u = $NF}
		/System time/ {s = $NF}
		/Maximum resident/ {r = $NF}
		/Elapsed \(wall clock\)/ {
			n = split($NF, p, ":"); w = 0
			for (i = 1; i <= n; i++) w = w * 60 + p[i]
		}
		END {printf "%.3f %.3f %d %d\n", w, u + s, r, bytes}' "$t" >>"$work/$name"
}

# stages FILE appends "wall% cpu%" to FILE: what the search index stage
# adds to every other stage added up, in wall and in CPU time, from the
# stage lines of plansite build --verbose in $work/stderr.txt.
stages() {
	awk '
		function dur(s, p) {
			if (s ~ /ms$/) return substr(s, 1, length(s) - 2) / 1000
			if (s ~ /m/) { split(s, p, "m"); return p[1] * 60 + substr(p[2], 1, length(p[2]) - 1) }
			return substr(s, 1, length(s) - 1)
		}
		/ s CPU\)$/ {
			w = dur($(NF - 3)); c = substr($(NF - 2), 2)
			if ($0 ~ /^search index:/) { iw += w; ic += c } else { rw += w; rc += c }
		}
		END {
			if (rw == 0 || rc == 0) { print "compare.sh: no stage lines in plansite build --verbose" > "/dev/stderr"; exit 1 }
			printf "%.1f %.1f\n", 100 * iw / rw, 100 * ic / rc
		}' "$work/stderr.txt" >>"$1"
}

# median FILE COLUMN
median() {
	cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# spread FILE COLUMN prints the column's least and greatest, as "29–33%".
spread() {
	cut -d' ' -f"$2" "$1" | sort -g | awk 'NR == 1 {a = $1} {b = $1} END {printf "%.0f–%.0f%%", a, b}'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

before=$(load)
echo "load average before: $before" >&2
table=()
growth=()
index=()
outs=()
first_pw=""
for n in "${sizes[@]}"; do
	echo "corpus of $n pages" >&2
	corpus "$n"
	d="$work/n$n"
	rm -f "$work"/{floor,plansite,noop,hugo,stages}.$n
	out="$d/out"
	if [ -e "$out" ]; then
		echo "  deleting the outputs of an interrupted run" >&2
		rm -rf "$out"
		date +%s >"$work/.deleted"
	fi
	if [ -f "$work/.deleted" ]; then
		left=$(($(cat "$work/.deleted") + settle - $(date +%s)))
		if [ "$left" -gt 0 ]; then
			echo "  waiting ${left} s: outputs were deleted less than ${settle} s ago" >&2
			sync
			sleep "$left"
		fi
	fi
	for i in $(seq "$runs"); do
		echo "  run $i of $runs" >&2
		# Interleaved, so a change in the machine's load hits every tool.
		mkdir -p "$out/$i"
		outdir="$out/$i/floor"
		measure "floor.$n" "$d" "$work/bin/floor" -src content -out "$outdir"
		outdir="$out/$i/plansite"
		measure "plansite.$n" "$d" "$work/bin/plansite" build --src content --out "$outdir" --cache-dir "" --verbose
		stages "$work/stages.$n"
		outdir="$out/$i/hugo"
		measure "hugo.$n" "$d/hugo" hugo --quiet --destination "$outdir"
	done
	# The no-op rebuild: one build fills the cache, then nothing changes.
	outdir="$out/noop"
	(cd "$d" && "$work/bin/plansite" build --src content --out "$outdir" --cache-dir "$out/cache" >/dev/null 2>&1)
	for i in $(seq "$runs"); do
		measure "noop.$n" "$d" "$work/bin/plansite" build --src content --out "$outdir" --cache-dir "$out/cache"
	done
	outs+=("$out")

	hw=$(median "$work/hugo.$n" 1)
	hr=$(median "$work/hugo.$n" 3)
	fw=$(median "$work/floor.$n" 1)
	pw=$(median "$work/plansite.$n" 1)
	for tool in floor plansite noop hugo; do
		f="$work/$tool.$n"
		w=$(median "$f" 1) c=$(median "$f" 2) r=$(median "$f" 3) b=$(median "$f" 4)
		label=$tool
		[ $tool = noop ] && label="plansite no-op"
		table+=("$(awk -v n="$n" -v l="$label" -v w="$w" -v c="$c" -v r="$r" -v b="$b" -v hw="$hw" -v hr="$hr" -v fw="$fw" -v pw="$pw" -v t="$tool" 'BEGIN {
			extra = (t == "noop") ? sprintf(" (%.1f%% of a full build)", 100 * w / pw) : ""
			printf "| %d | %s | %.2f | %.2f | %.2f | %.0f | %.1f | %.2f× | %.2f×%s | %.2f× |\n", n, l, w, c, c / w, r / 1024, b / 1048576, w / hw, w / fw, extra, r / hr
		}')")
	done
	# The search budget: what the index stage adds to the rest of the
	# build, run by run, in wall and in CPU time.
	f="$work/stages.$n"
	index+=("$(printf '%d pages: the search index adds %.0f%% to the wall time of the rest of the build (%s) and %.0f%% to its CPU time (%s)' \
		"$n" "$(median "$f" 1)" "$(spread "$f" 1)" "$(median "$f" 2)" "$(spread "$f" 2)")")
	if [ -z "$first_pw" ]; then
		first_n=$n first_pw=$pw first_hw=$hw
	else
		growth+=("$(awk -v a="$first_n" -v b="$n" -v p="$pw" -v q="$first_pw" -v h="$hw" -v g="$first_hw" 'BEGIN {printf "%d → %d pages: plansite wall ×%.2f, Hugo wall ×%.2f (pages ×%.1f)", a, b, p / q, h / g, b / a}')")
	fi
done
after=$(load)
echo "load average after: $after" >&2
rm -rf "${outs[@]}"
date +%s >"$work/.deleted"

echo
echo "Median of $runs runs each; $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; $(hugo version | cut -d' ' -f1-2); $(go version | cut -d' ' -f3); $(date -u +%Y-%m-%d); load average $before before, $after after."
echo
echo "| pages | build | wall s | user+sys s | CPU ÷ wall | peak RSS MiB | output MiB | wall ÷ Hugo | wall ÷ floor | RSS ÷ Hugo |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${table[@]}"
if [ ${#growth[@]} -gt 0 ]; then
	echo
	printf '%s\n' "${growth[@]}"
fi
echo
echo "From the stages plansite build --verbose reports in the same runs (median, then the range):"
printf '%s\n' "${index[@]}"
if [ $keep = 1 ]; then
	echo
	echo "corpora kept in $work (stage benchmarks: PLANSITE_BENCH_SRC=$work/n${sizes[0]}/content go test -run - -bench Stages ./generator)"
fi

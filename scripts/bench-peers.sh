#!/usr/bin/env bash
# Times sitrep's geoparser against a peer on the same input, on one core, in one run: the
# dictionary tagger geotext (PyPI), installed into a virtual environment under target/.
#
#   scripts/bench-peers.sh [MB]
#
# The input is the news corpora of ../shared/evaldata (LGL, GeoWebNews, the UCDP and CIR event
# texts) as JSON lines {"id", "text"}, repeated to about MB megabytes (default 60) and written
# to target/bench-peers/news.jsonl; it is never committed. Both tools are pinned to the first
# processor this shell may use, and timed from start to exit:
#
# - sitrep: `sitrep geoparse --jsonl news.jsonl --format jsonl`, output to /dev/null;
# - geotext: a Python loop reading the same lines and calling GeoText(text) on each text.
#
# Rates are MB of document text (UTF-8) per second of wall time, and per second of processor
# time (which the host's other load does not change); the ratio is sitrep's over geotext's.
# A benchmark script, not a test.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-60}"
shared="${SITREP_SHARED:-$root/../shared}/evaldata"
work="$root/target/bench-peers"
mkdir -p "$work"

cpu="$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')"
input="$work/news.jsonl"
if [[ ! -s "$input" || "$(cat "$work/news.mb" 2>/dev/null)" != "$mb" ]]; then
    python3 - "$shared" "$input" "$mb" <<'EOF'
import json, sys
shared, out, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
files = ["geo/lgl.jsonl", "geo/geowebnews.jsonl", "war/ucdp_ukraine_2023.jsonl", "war/cir_2022_02_05.jsonl"]
docs = []
for f in files:
    with open(f"{shared}/{f}", encoding="utf-8") as lines:
        docs += [(str(d["id"]), d["text"]) for d in map(json.loads, lines)]
size, copy = 0, 0
with open(out, "w", encoding="utf-8") as w:
    while size < mb * 1e6:
        for i, text in docs:
            line = json.dumps({"id": f"{copy}-{i}", "text": text}, ensure_ascii=False) + "\n"
            w.write(line)
            size += len(line.encode())
        copy += 1
EOF
    echo "$mb" > "$work/news.mb"
fi
text_mb="$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")) / 1e6)' "$input")"

venv="$work/venv"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet geotext==0.4.0
fi

sitrep="$root/target/release/sitrep"
if [[ ! -x "$sitrep" ]]; then
    (cd "$root" && cargo build --release -p sitrep-cli)
fi

# Runs a command pinned to one processor; prints "wall_seconds cpu_seconds".
timed() {
    local t
    t="$( { /usr/bin/time -f '%e %U %S' taskset -c "$cpu" "$@" > /dev/null; } 2>&1 | tail -n 1)"
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' <<< "$t"
}

read -r sitrep_wall sitrep_cpu < <(timed "$sitrep" geoparse --jsonl "$input" --format jsonl)
read -r geotext_wall geotext_cpu < <(timed "$venv/bin/python" -c '
import json, sys
from geotext import GeoText
found = 0
for line in open(sys.argv[1], encoding="utf-8"):
    g = GeoText(json.loads(line)["text"])
    found += len(g.cities) + len(g.countries)
print(found)
' "$input")

awk -v mb="$text_mb" -v sw="$sitrep_wall" -v sc="$sitrep_cpu" -v gw="$geotext_wall" -v gc="$geotext_cpu" -v cpu="$cpu" -v hostload="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "input: %.1f MB of text (%s), one core (processor %s), load average %s\n", mb, "target/bench-peers/news.jsonl", cpu, hostload
    printf "sitrep geoparse: %6.1f MB/s wall, %6.1f MB/s of processor time\n", mb / sw, mb / sc
    printf "geotext 0.4.0:   %6.1f MB/s wall, %6.1f MB/s of processor time\n", mb / gw, mb / gc
    printf "sitrep / geotext: %.1fx wall, %.1fx processor time   [target >= 5x]\n", gw / sw, gc / sc
}'

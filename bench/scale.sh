#!/usr/bin/env bash
# The scale benchmark (docs/scale.md): on a database of BOUNCES bounces over IPS sending IPs (seeded by bench/bench-app.sh,
# database "deliverability_bench"; KEEP=1 reuses it as it is), times
#   1. the full re-diagnosis of every IP (as after a re-parse), on WORKERS in-process workers (default 4);
#   2. the hourly refresh with CHANGED percent of the IPs changed (default 1);
#   3. ingest end to end of a MESSAGES-message mbox of varied bounces (bench/bounce-mbox.py; default 100000);
#   4. the IP list / IP page p95 with one reader (bench/pages.sh) and with READERS concurrent readers (bench/readers.sh), and
#      the explorer's filters (bench/explorer.sh), unless PAGES=0;
# and prints one table at the end. Usage: bench/scale.sh [BOUNCES] [IPS]   (defaults 10000000, 10000)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bounces=${1:-10000000}
ips=${2:-10000}
workers=${WORKERS:-4}
changed=${CHANGED:-1}
messages=${MESSAGES:-100000}
readers=${READERS:-50}
port=${BENCH_PORT:-5094}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null && wait "${app_pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/bench-app.sh
. "$root/bench/bench-app.sh"
kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
app_pid=0

table="$work/table"
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3" | tee -a "$table"; }
: >"$table"
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== full re-diagnosis ($workers workers, load $(load))"
cli bench diagnosis --full --workers "$workers" | tee "$work/full"
row "Full re-diagnosis, $(sql "SELECT count(*) FROM sending_ips") IPs, $workers workers" "$(tail -1 "$work/full")" "load $(load)"

echo "== hourly refresh, $changed% changed (load $(load))"
cli bench diagnosis --changed "$changed" --workers "$workers" | tee "$work/refresh"
row "Hourly refresh, $changed% of IPs changed" "$(tail -2 "$work/refresh" | paste -sd' ')" "load $(load)"

echo "== ingest of $messages varied bounces (load $(load))"
python3 "$root/bench/bounce-mbox.py" "$messages" "$work/bench.mbox" 17 "$ips"
cli bench ingest --mbox "$work/bench.mbox" | tee "$work/ingest"
row "Ingest end to end, $messages varied bounces ($(du -m "$work/bench.mbox" | cut -f1) MB)" \
    "$(grep -E 'messages/s|peak' "$work/ingest" | paste -sd' ')" "load $(load)"

if [ "${PAGES:-1}" != "0" ]; then
    KEEP=1 BENCH_PORT=$((port + 1)) "$root/bench/pages.sh" "$bounces" "$ips" 50 | tee "$work/pages"
    row "IP list / IP page, 1 reader, 50 requests each" "$(grep -E 'p95' "$work/pages" | paste -sd';')" "load $(load)"
    KEEP=1 BENCH_PORT=$((port + 2)) "$root/bench/readers.sh" "$bounces" "$ips" "$readers" 60 | tee "$work/readers"
    row "IP list / IP page, $readers concurrent readers, 60 s" "$(grep -E 'p95' "$work/readers" | paste -sd';')" "load $(load)"
    KEEP=1 BENCH_PORT=$((port + 3)) "$root/bench/explorer.sh" "$bounces" "$ips" 40 | tee "$work/explorer"
    row "Explorer, 1 reader" "$(grep -E 'p95' "$work/explorer" | head -6 | paste -sd';')" "load $(load)"
fi

echo
echo "| What | Figure | Conditions |"
echo "|---|---|---|"
cat "$table"

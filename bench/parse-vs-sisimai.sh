#!/usr/bin/env bash
# Parse the same messages with our CLI and with Debian's Sisimai (libsisimai-perl), whole process and start-up
# included, and compare. Each run times both tools back to back (`deliverability parse --json PATH` on all cores with
# ordered output, against Sisimai reading PATH once on its one thread; wall clock, CPU time and peak RSS from
# /usr/bin/time), so both see the same machine load; the ratios are taken per run and the median of RUNS is reported.
# On a shared machine CPU time is the steadier figure (wall clock depends on what else runs).
# Then one `deliverability bench parse PATH` (single-threaded, in-process, after a warm-up) for allocations per message.
# Usage: bench/parse-vs-sisimai.sh PATH [RUNS]
#   PATH  a flat directory of message files (Sisimai does not read sub-directories) or an mbox file
#   RUNS  how many runs of both tools (default 3)
# Env: DELIVERABILITY_BIN runs that executable instead of building the CLI (e.g. a ReadyToRun or Native AOT publish).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: $0 PATH [RUNS]}
runs=${2:-3}

if ! perl -MSisimai -e 1 2>/dev/null; then
    echo "Installing libsisimai-perl..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y libsisimai-perl >&2; else sudo apt-get install -y libsisimai-perl >&2; fi
fi

if [ -n "${DELIVERABILITY_BIN:-}" ]; then
    ours=$DELIVERABILITY_BIN
else
    dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
    ours="$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -d "$target" ]; then files=$(find "$target" -type f | wc -l); else files=1; fi

for run in $(seq 1 "$runs"); do
    /usr/bin/time -o "$work/ours.$run" -f "%e %U %S %M" "$ours" parse --json "$target" >"$work/ours.jsonl"
    /usr/bin/time -o "$work/theirs.$run" -f "%e %U %S %M" perl "$root/bench/sisimai-rate.pl" "$target" 1 >"$work/theirs.out"
    read -r ow ou os om <"$work/ours.$run"
    read -r tw tu ts tm <"$work/theirs.$run"
    awk -v r="$run" -v ow="$ow" -v oc="$(awk -v u="$ou" -v s="$os" 'BEGIN {print u + s}')" -v om="$om" \
        -v tw="$tw" -v tc="$(awk -v u="$tu" -v s="$ts" 'BEGIN {print u + s}')" -v tm="$tm" 'BEGIN {
        printf "run %d: deliverability %.2f s wall, %.2f cpu-s, peak RSS %.0f MB; sisimai %.2f s wall, %.2f cpu-s, peak RSS %.0f MB; ratio %.1fx wall, %.1fx cpu\n",
            r, ow, oc, om / 1024, tw, tc, tm / 1024, (ow > 0 ? tw / ow : 0), (oc > 0 ? tc / oc : 0) }'
done

# Messages: ours counts one per (source, message index) in its JSON lines, Sisimai prints its own count.
our_messages=$(python3 -c '
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    seen.add((row["source"], row["message_index"]))
print(len(seen))' "$work/ours.jsonl")
their_messages=$(awk '/^messages:/ {print $2}' "$work/theirs.out")

alloc=$("$ours" bench parse "$target" | awk '/^allocated bytes\/message:/ {print $3, $6}' | tr -d ')')

python3 - "$work" "$runs" "$files" "$our_messages" "$their_messages" "$alloc" "$(perl -MSisimai -e 'print $Sisimai::VERSION')" <<'PY'
import statistics, sys
work, runs, files, ours_n, theirs_n, alloc, version = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6].split(), sys.argv[7]
def read(name):
    rows = []
    for run in range(1, runs + 1):
        wall, user, system, rss = open(f"{work}/{name}.{run}").read().split()
        rows.append((float(wall), float(user) + float(system), int(rss) / 1024))
    return rows
ours, theirs = read("ours"), read("theirs")
med = statistics.median
print()
print(f"files: {files}   messages: deliverability {ours_n}, sisimai {theirs_n}   runs: {runs} (medians below)")
print(f"deliverability: {med(r[0] for r in ours):.2f} s wall, {med(r[1] for r in ours):.2f} cpu-s, peak RSS {max(r[2] for r in ours):.0f} MB (highest run)")
print(f"sisimai {version}: {med(r[0] for r in theirs):.2f} s wall, {med(r[1] for r in theirs):.2f} cpu-s, peak RSS {max(r[2] for r in theirs):.0f} MB")
print(f"ratio (median of per-run ratios): {med(t[0] / o[0] for o, t in zip(ours, theirs)):.1f}x wall clock, "
      f"{med(t[1] / o[1] for o, t in zip(ours, theirs)):.1f}x cpu time")
if len(alloc) == 2:
    print(f"allocations: {int(alloc[0]) / 1024:.1f} KB per message ({int(alloc[1]) / 1024:.1f} KB inside BounceParser.Parse; `deliverability bench parse`, single-threaded)")
PY

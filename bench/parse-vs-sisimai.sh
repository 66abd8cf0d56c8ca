#!/usr/bin/env bash
# Parse the same messages with our parser and with Debian's Sisimai (libsisimai-perl) and compare.
# First the whole process, start-up included, in one run each: `deliverability parse --json PATH` (all cores, ordered
# output) against Sisimai reading PATH once (wall clock, CPU time and peak RSS from /usr/bin/time).
# Then the in-process rates, single-threaded, best of ROUNDS alternating rounds.
# Usage: bench/parse-vs-sisimai.sh PATH [REPEAT]
#   PATH    a directory of message files (flat, Maildir-like) or an mbox file: both tools must be able to read it
#   REPEAT  how many times each tool parses PATH per round (default 3)
# Env: ROUNDS (default 2) alternates the two tools that many times and keeps each tool's best round.
# TIERED=1 keeps .NET's tiered JIT on. By default it is switched off for our process (DOTNET_TieredCompilation=0):
# with it on, on a busy 2-core machine the optimised tier arrives seconds late and a short run measures the JIT's
# quick first tier rather than the parser (steady state is the same either way; a long run shows it).
# Both wall-clock rates and rates per CPU-second are compared: on a shared, busy machine the CPU-time ratio is the
# steadier of the two (both tools parse on one thread; ours also counts its JIT and GC threads).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: $0 PATH [REPEAT]}
repeat=${2:-3}
rounds=${ROUNDS:-2}

if ! perl -MSisimai -e 1 2>/dev/null; then
    echo "Installing libsisimai-perl..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y libsisimai-perl >&2; else sudo apt-get install -y libsisimai-perl >&2; fi
fi

dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
dll="$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability.dll"

# Whole process, one run each, start-up included.
measure() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
ours_whole=$(measure "$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability" parse --json "$target")
theirs_whole=$(measure perl "$root/bench/sisimai-rate.pl" "$target" 1)
read -r ow ou os om <<<"$ours_whole"
read -r tw tu ts tm <<<"$theirs_whole"
echo "whole process: deliverability ${ow} s wall, $(awk -v u="$ou" -v s="$os" 'BEGIN {print u + s}') cpu-s, peak ${om} KB;" \
     "sisimai ${tw} s wall, $(awk -v u="$tu" -v s="$ts" 'BEGIN {print u + s}') cpu-s, peak ${tm} KB"
awk -v a="$ow" -v b="$tw" -v ac="$ou" -v as="$os" -v bc="$tu" -v bs="$ts" 'BEGIN {
    printf "whole-process ratio: %.1fx wall clock, %.1fx cpu time\n\n", (a > 0 ? b / a : 0), (ac + as > 0 ? (bc + bs) / (ac + as) : 0) }'

best_ours=0
best_theirs=0
best_ours_cpu=0
best_theirs_cpu=0
for round in $(seq 1 "$rounds"); do
    if [ "${TIERED:-0}" = "1" ]; then
        ours=$(dotnet "$dll" bench parse "$target" --repeat "$repeat")
    else
        ours=$(DOTNET_TieredCompilation=0 dotnet "$dll" bench parse "$target" --repeat "$repeat")
    fi
    theirs=$(perl "$root/bench/sisimai-rate.pl" "$target" "$repeat")
    ours_rate=$(awk '/^messages\/s:/ {print $2}' <<<"$ours")
    theirs_rate=$(awk '/^messages\/s:/ {print $2}' <<<"$theirs")
    ours_cpu=$(awk '/^cpu seconds:/ {print $NF}' <<<"$ours")
    theirs_cpu=$(awk '/^cpu seconds:/ {print $NF}' <<<"$theirs")
    echo "round $round: deliverability ${ours_rate} msg/s (${ours_cpu}/cpu-s), sisimai ${theirs_rate} msg/s (${theirs_cpu}/cpu-s)"
    best_ours_cpu=$(awk -v a="$best_ours_cpu" -v b="$ours_cpu" 'BEGIN {print (b > a) ? b : a}')
    best_theirs_cpu=$(awk -v a="$best_theirs_cpu" -v b="$theirs_cpu" 'BEGIN {print (b > a) ? b : a}')
    best_ours=$(awk -v a="$best_ours" -v b="$ours_rate" 'BEGIN {print (b > a) ? b : a}')
    best_theirs=$(awk -v a="$best_theirs" -v b="$theirs_rate" 'BEGIN {print (b > a) ? b : a}')
    last_ours=$ours
    last_theirs=$theirs
done

echo
echo "== deliverability bench parse (last round)"
echo "$last_ours"
echo "== Sisimai $(perl -MSisimai -e 'print $Sisimai::VERSION') (last round)"
echo "$last_theirs"
echo
awk -v a="$best_ours" -v b="$best_theirs" 'BEGIN {
    printf "best wall-clock rates: deliverability %.1f msg/s, sisimai %.1f msg/s, ratio %.1fx\n", a, b, (b > 0 ? a / b : 0) }'
awk -v a="$best_ours_cpu" -v b="$best_theirs_cpu" 'BEGIN {
    printf "best rates per cpu-second: deliverability %.1f, sisimai %.1f, ratio %.1fx\n", a, b, (b > 0 ? a / b : 0) }'

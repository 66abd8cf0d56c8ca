#!/usr/bin/env bash
# Parse the same messages with our parser and with Debian's Sisimai (libsisimai-perl), single-threaded, and compare.
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

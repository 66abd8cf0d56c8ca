#!/usr/bin/env bash
# Parse the same messages with our parser and with Debian's Sisimai (libsisimai-perl), single-threaded, and compare.
# Usage: bench/parse-vs-sisimai.sh PATH [REPEAT]
#   PATH    a directory of message files (flat, Maildir-like) or an mbox file: both tools must be able to read it
#   REPEAT  how many times each tool parses PATH per round (default 3)
# Env: ROUNDS (default 2) alternates the two tools that many times and keeps each tool's best round, which
#      evens out a busy machine.
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
for round in $(seq 1 "$rounds"); do
    ours=$(dotnet "$dll" bench parse "$target" --repeat "$repeat")
    theirs=$(perl "$root/bench/sisimai-rate.pl" "$target" "$repeat")
    ours_rate=$(awk '/^messages\/s:/ {print $2}' <<<"$ours")
    theirs_rate=$(awk '/^messages\/s:/ {print $2}' <<<"$theirs")
    echo "round $round: deliverability ${ours_rate} msg/s, sisimai ${theirs_rate} msg/s"
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
    printf "best rates: deliverability %.1f msg/s, sisimai %.1f msg/s, ratio %.1fx\n", a, b, (b > 0 ? a / b : 0) }'

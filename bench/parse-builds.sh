#!/usr/bin/env bash
# Compare the builds of `parse` on the same messages, each run back to back with Debian's Sisimai so that all see the
# same machine load: the CLI as `dotnet build` makes it (JIT), a ReadyToRun and a Native AOT publish of the parse-only
# executable (src/Deliverability.Parse), and the published CLI handing `parse` to the native executable beside it.
# Whole process, start-up included (wall clock, CPU time and peak RSS from /usr/bin/time); ratios are taken per run
# against that run's Sisimai and the median of RUNS is reported. Also: start-up (one small file, median of 5 runs) and
# a check that every build prints byte for byte what the JIT build prints.
# Usage: bench/parse-builds.sh PATH [RUNS]
#   PATH  a flat directory of message files or an mbox file (see bench/parse-vs-sisimai.sh)
# Env: BUILDS_DIR keeps the publishes there (and reuses them when present); SKIP_SISIMAI=1 times our builds only.
# The Native AOT publish links with the system's gcc (or clang); it took 3 minutes here on a busy 2-core machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: $0 PATH [RUNS]}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
builds=${BUILDS_DIR:-$work/builds}

publish() { # name, then the publish arguments
    local name=$1; shift
    [ -e "$builds/$name" ] || dotnet publish "$@" -c Release --nologo -v q -o "$builds/$name" >&2
}
dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
publish aot "$root/src/Deliverability.Parse" -r linux-x64
publish r2r "$root/src/Deliverability.Parse" -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true -p:UseAppHost=true
publish cli "$root/src/Deliverability.Cli"
cp "$builds/aot/deliverability-parse" "$builds/cli/"

declare -A bin=(
    [jit]="$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability"
    [r2r]="$builds/r2r/deliverability-parse"
    [aot]="$builds/aot/deliverability-parse"
    [cli+aot]="$builds/cli/deliverability"
)
names=(jit r2r aot cli+aot)

one=$(if [ -d "$target" ]; then find "$target" -type f -size +1k | sort | sed -n 1p; else echo "$target"; fi)
for name in "${names[@]}"; do
    "${bin[$name]}" parse --json "$target" >"$work/$name.jsonl"
    if ! cmp -s "$work/jit.jsonl" "$work/$name.jsonl"; then echo "$name: output differs from the JIT build's" >&2; exit 1; fi
    for i in 1 2 3 4 5; do /usr/bin/time -a -o "$work/$name.startup" -f "%e %U %S" "${bin[$name]}" parse --json "$one" >/dev/null; done
done

for run in $(seq 1 "$runs"); do
    if [ -z "${SKIP_SISIMAI:-}" ]; then
        /usr/bin/time -o "$work/sisimai.$run" -f "%e %U %S %M" perl "$root/bench/sisimai-rate.pl" "$target" 1 >/dev/null
    fi
    for name in "${names[@]}"; do
        /usr/bin/time -o "$work/$name.$run" -f "%e %U %S %M" "${bin[$name]}" parse --json "$target" >/dev/null
    done
    echo "run $run done" >&2
done

python3 - "$work" "$runs" "${names[@]}" <<'PY'
import os, statistics, sys
work, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
med = statistics.median
def row(path):
    wall, user, system, *rss = open(path).read().split()
    return float(wall), float(user) + float(system), (int(rss[0]) / 1024 if rss else 0)
theirs = [row(f"{work}/sisimai.{r}") for r in range(1, runs + 1)] if os.path.exists(f"{work}/sisimai.1") else None
if theirs:
    print(f"sisimai: {med(t[0] for t in theirs):.2f} s wall, {med(t[1] for t in theirs):.2f} cpu-s (medians of {runs} runs)")
print(f"{'build':8} {'start-up wall/cpu-s':>20} {'wall s':>8} {'cpu-s':>7} {'peak MB':>8} {'x wall':>7} {'x cpu':>6}   per run (x wall / x cpu)")
for name in names:
    start = [tuple(map(float, line.split())) for line in open(f"{work}/{name}.startup")]
    startup = f"{med(s[0] for s in start):.2f}/{med(s[1] + s[2] for s in start):.2f}"
    ours = [row(f"{work}/{name}.{r}") for r in range(1, runs + 1)]
    line = f"{name:8} {startup:>20} {med(o[0] for o in ours):8.2f} {med(o[1] for o in ours):7.2f} {max(o[2] for o in ours):8.0f}"
    if theirs:
        per = [(t[0] / o[0], t[1] / o[1]) for o, t in zip(ours, theirs)]
        line += f" {med(p[0] for p in per):7.1f} {med(p[1] for p in per):6.1f}   " + ", ".join(f"{w:.1f}/{c:.1f}" for w, c in per)
    print(line)
PY

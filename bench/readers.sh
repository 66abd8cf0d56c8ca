#!/usr/bin/env bash
# Many people reading at once: READERS concurrent signed-in readers for SECONDS seconds, each asking in turn for the
# Sending IPs page (/ips) and the IP page of the blocked demo IP (/ips/{id}), as a browser's first GET gets them (the
# full server render, prerender included: every query of the page runs). Prints per route: requests, errors (non-200 or
# no answer), p50, p95, max in milliseconds, and the load average before and after (the machine may be shared).
# Usage: bench/readers.sh [BOUNCES] [IPS] [READERS] [SECONDS]   (defaults 1000000, 1000, 50, 60)
# The database and the app are made as in bench/pages.sh (bench/bench-app.sh; KEEP=1 reuses the seeded database).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bounces=${1:-1000000}
ips=${2:-1000}
readers=${3:-50}
seconds=${4:-60}
port=${BENCH_PORT:-5091}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null && wait "${app_pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/bench-app.sh
. "$root/bench/bench-app.sh"

cookie=$(awk -F'\t' 'NF == 7 { print $6 "=" $7 }' "$jar" | paste -sd';' | sed 's/;/; /g')
[ -n "$cookie" ] || { echo "No sign-in cookie in the jar." >&2; exit 1; }
# Warm-up to the steady state: after 200 requests the runtime was still recompiling hot methods (tiered JIT, 40% of
# the app's CPU in a perf sample); after 1,200 it was done.
for _ in $(seq 1 600); do for url in /ips "/ips/$blocked"; do curl -s -b "$jar" -o /dev/null "http://127.0.0.1:$port$url"; done; done

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $readers readers for $seconds s against /ips and /ips/$blocked"
python3 - "$port" "$cookie" "$readers" "$seconds" "/ips" "/ips/$blocked" <<'PY'
import http.client, sys, threading, time

port, cookie, readers, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
routes = sys.argv[5:]
times = {r: [] for r in routes}
errors = {r: 0 for r in routes}
lock = threading.Lock()
stop = time.monotonic() + seconds
start = threading.Barrier(readers)

def reader(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait()
    i = n
    while time.monotonic() < stop:
        route = routes[i % len(routes)]
        i += 1
        began = time.monotonic()
        try:
            conn.request("GET", route, headers={"Cookie": cookie, "Accept": "text/html"})
            response = conn.getresponse()
            body = response.read()
            ok = response.status == 200 and b"<html" in body[:2000].lower()
        except Exception:
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        elapsed = (time.monotonic() - began) * 1000
        with lock:
            if ok:
                times[route].append(elapsed)
            else:
                errors[route] += 1

threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
for t in threads: t.start()
for t in threads: t.join()

def pct(values, p):
    return values[min(len(values) - 1, max(0, int(len(values) * p + 0.999) - 1))] if values else float("nan")

for route in routes:
    v = sorted(times[route])
    print(f"{route:<16} requests {len(v) + errors[route]:>6}  errors {errors[route]:>4}  p50 {pct(v, .5):7.0f} ms  p95 {pct(v, .95):7.0f} ms  max {(v[-1] if v else float('nan')):7.0f} ms")
PY
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

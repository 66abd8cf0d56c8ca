#!/usr/bin/env bash
# The bounce explorer's common filters through GET /api/v1/bounces (the query the /bounces page runs), one signed-in reader
# asking one after another: per filter, REQUESTS pages of 50 rows (the first page, then following the cursor, starting over
# at the end) and prints count, errors, p50, p95, max in milliseconds; then the facet counts of the same filters (facets=true);
# and the load average before and after (the machine may be shared).
# Usage: bench/explorer.sh [BOUNCES] [IPS] [REQUESTS]   (defaults 1000000, 1000, 40)
# The database and the app are made as in bench/readers.sh (bench/bench-app.sh; KEEP=1 reuses the seeded database).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bounces=${1:-1000000}
ips=${2:-1000}
requests=${3:-40}
port=${BENCH_PORT:-5093}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null && wait "${app_pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/bench-app.sh
. "$root/bench/bench-app.sh"

cookie=$(awk -F'\t' 'NF == 7 { print $6 "=" $7 }' "$jar" | paste -sd';' | sed 's/;/; /g')
[ -n "$cookie" ] || { echo "No sign-in cookie in the jar." >&2; exit 1; }
week=$(date -u -d '7 days ago' +%Y-%m-%dT%H:00:00Z)
day=$(date -u -d '1 day ago' +%Y-%m-%dT%H:00:00Z)

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $requests requests per filter, one reader"
python3 - "$port" "$cookie" "$requests" \
    "IP + 7 days=ip=203.0.113.25&from=$week" \
    "IP /24 + 1 day=ip=203.0.113.0/24&from=$day" \
    "provider code=code=S3150" \
    "reason=reason=userunknown" \
    "provider + reason=provider=gmail.com&reason=userunknown" \
    "no filter=" \
    "text search + 1 day=q=block%20list&from=$day" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse

port, cookie, requests = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
filters = [a.split("=", 1) for a in sys.argv[4:]]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

def get(path):
    began = time.monotonic()
    conn.request("GET", path, headers={"Cookie": cookie, "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    return (time.monotonic() - began) * 1000, response.status, body

def report(name, times, errors, extra=""):
    if not times:
        print(f"{name:<22} n=0 errors={errors}")
        return
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(f"{name:<22} n={len(times):<4} errors={errors:<3} p50={statistics.median(times):7.1f} ms  p95={p95:7.1f} ms  max={times[-1]:7.1f} ms {extra}")

print("Pages of 50 rows (first page, then the cursor):")
for name, query in filters:
    times, errors, cursor, rows = [], 0, None, 0
    get(f"/api/v1/bounces?limit=50&{query}")  # warm-up
    for _ in range(requests):
        path = f"/api/v1/bounces?limit=50&{query}" + (f"&cursor={cursor}" if cursor else "")
        elapsed, status, body = get(path)
        if status != 200:
            errors += 1
            cursor = None
            continue
        page = json.loads(body)
        rows = len(page["items"])
        cursor = page.get("next_cursor")
        times.append(elapsed)
    report(name, times, errors, f"rows/page={rows}")

print(f"Facet counts (facets=true, first page; counting stops after 5 s and says unknown):")
for name, query in filters:
    times, errors, known = [], 0, None
    for _ in range(max(3, requests // 8)):
        elapsed, status, body = get(f"/api/v1/bounces?limit=50&facets=true&{query}")
        if status != 200:
            errors += 1
            continue
        facets = json.loads(body)["facets"]
        known = facets.get("total") if facets["known"] else "unknown"
        times.append(elapsed)
    report(name, times, errors, f"total={known}")
PY
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

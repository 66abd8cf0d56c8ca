#!/usr/bin/env bash
# Server-side speed of the Sending IPs table and an IP page on a large database.
# Usage: bench/pages.sh [BOUNCES] [IPS] [REQUESTS]   (defaults 1000000, 1000, 50)
# Makes a database "deliverability_bench" on the local PostgreSQL of scripts/pg-up.sh (or reuses it when it already
# holds that many bounces: KEEP=1 skips the seeding check), fills it with `deliverability seed-demo --bounces`, starts the
# app (Release) on 127.0.0.1:5091 and times REQUESTS requests of each kind with curl after a warm-up:
#   - the table: GET /api/v1/sending-ips, the query the page's grid runs (paging, sort, search, status filter), cycling
#     through the default order, sorts by 7-day bounces / Sender Score / last check, a CIDR search and a status filter;
#   - the IP page: GET /ips/{id}, the full server-side render (prerender runs every query of the page) of the blocked
#     demo IP and of bulk IPs.
# Prints the median, p95 and max in milliseconds for each.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bounces=${1:-1000000}
ips=${2:-1000}
requests=${3:-50}
port=${BENCH_PORT:-5091}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null && wait "${app_pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/bench-app.sh
. "$root/bench/bench-app.sh"

bulk_ips=$(sql "SELECT id FROM sending_ips WHERE address << '198.18.0.0/15' ORDER BY id LIMIT 5" | tr '\n' ' ')
list_urls=("/api/v1/sending-ips" "/api/v1/sending-ips?sort=Bounces7d&desc=true" "/api/v1/sending-ips?sort=SenderScore&page=3"
           "/api/v1/sending-ips?search=198.18.1.0/24" "/api/v1/sending-ips?status=Blocked" "/api/v1/sending-ips?sort=LastCheckedAt&desc=true&page=10")
page_urls=("/ips/$blocked")
for id in $bulk_ips; do page_urls+=("/ips/$id"); done

measure() { # name, urls...
    local name=$1; shift
    local urls=("$@") times="$work/times-$RANDOM.txt"
    : >"$times"
    for i in $(seq 1 5); do curl -s -b "$jar" -o /dev/null "http://127.0.0.1:$port${urls[$((i % ${#urls[@]}))]}"; done
    for i in $(seq 0 $((requests - 1))); do
        local url=${urls[$((i % ${#urls[@]}))]}
        local out
        out=$(curl -s -b "$jar" -o "$work/body" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port$url")
        if [ "${out%% *}" != "200" ]; then echo "$url answered ${out%% *}" >&2; exit 1; fi
        echo "${out##* }" >>"$times"
    done
    sort -n "$times" | awk -v name="$name" '{ v[NR] = $1 * 1000 } END {
        p95 = v[int(NR * 0.95 + 0.999)]; printf "%-28s n=%d  median %.0f ms  p95 %.0f ms  max %.0f ms\n", name, NR, v[int((NR + 1) / 2)], p95, v[NR] }'
}

measure "IP list (GET /api/v1/sending-ips)" "${list_urls[@]}"
measure "IP page (GET /ips/{id})" "${page_urls[@]}"

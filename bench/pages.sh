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
db=deliverability_bench
pgport=${DELIVERABILITY_PG_PORT:-55432}
conn="Host=127.0.0.1;Port=$pgport;Database=$db;Username=deliverability;Password=deliverability;Maximum Pool Size=50"
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null && wait "${app_pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT

"$root/scripts/pg-up.sh" >/dev/null
dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
dotnet build "$root/src/Deliverability.Web" -c Release --nologo -v q >/dev/null
cli() { ConnectionStrings__Deliverability="$conn" dotnet "$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability.dll" "$@"; }
sql() { psql -h 127.0.0.1 -p "$pgport" -U deliverability -d "$db" -Atqc "$1"; }

existing=$(psql -h 127.0.0.1 -p "$pgport" -U deliverability -d "$db" -Atqc "SELECT count(*) FROM bounces" 2>/dev/null || echo 0)
if [ "$existing" -lt "$bounces" ] && [ "${KEEP:-0}" != "1" ]; then
    echo "Seeding $bounces bounces over $ips IPs (a few minutes)..."
    psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db OWNER deliverability"
    cli migrate >/dev/null
    cli seed-demo --bounces "$bounces" --ips "$ips"
    psql -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -qc "VACUUM ANALYZE"
fi
echo "Database: $(sql "SELECT count(*) FROM bounces") bounces, $(sql "SELECT count(*) FROM sending_ips") sending IPs, $(sql "SELECT pg_size_pretty(pg_database_size('$db'))")."

export DELIVERABILITY_PASSWORD="bench-Password-1"
cli users add --email bench@deliverability.local --role Viewer >/dev/null 2>&1 || true

(cd "$root/src/Deliverability.Web/bin/Release/net10.0" && ConnectionStrings__Deliverability="$conn" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Jobs__RunServer=false dotnet Deliverability.Web.dll >"$work/app.log" 2>&1) &
app_pid=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done

jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/account/sign-in" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -w '' --data-urlencode "email=bench@deliverability.local" --data-urlencode "password=$DELIVERABILITY_PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "http://127.0.0.1:$port/account/sign-in"

blocked=$(sql "SELECT id FROM sending_ips WHERE address = '203.0.113.25'")
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

grep -q "203.0.113.25" <(curl -s -b "$jar" "http://127.0.0.1:$port/ips/$blocked") || { echo "Sign-in failed: the IP page did not render." >&2; exit 1; }
measure "IP list (GET /api/v1/sending-ips)" "${list_urls[@]}"
measure "IP page (GET /ips/{id})" "${page_urls[@]}"

# Shared by bench/pages.sh and bench/readers.sh (source it): a seeded database "deliverability_bench" on the local
# PostgreSQL of scripts/pg-up.sh and the app (Release, no job server) on 127.0.0.1:$port, signed in as a Viewer.
# Needs: root, bounces, ips, port, work (a temporary folder). Sets: db, pgport, conn, app_pid, jar; defines cli and sql.
db=deliverability_bench
pgport=${DELIVERABILITY_PG_PORT:-55432}
conn="Host=127.0.0.1;Port=$pgport;Database=$db;Username=deliverability;Password=deliverability;Maximum Pool Size=${BENCH_POOL:-50}"

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
else
    cli migrate >/dev/null
fi
echo "Database: $(sql "SELECT count(*) FROM bounces") bounces, $(sql "SELECT count(*) FROM sending_ips") sending IPs, $(sql "SELECT pg_size_pretty(pg_database_size('$db'))")."

export DELIVERABILITY_PASSWORD="bench-Password-1"
cli users add --email bench@deliverability.local --role Viewer >/dev/null 2>&1 || true

(cd "$root/src/Deliverability.Web/bin/Release/net10.0" && ConnectionStrings__Deliverability="$conn" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Jobs__RunServer=false exec dotnet Deliverability.Web.dll >"$work/app.log" 2>&1) &
app_pid=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done

jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/account/sign-in" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -w '' --data-urlencode "email=bench@deliverability.local" --data-urlencode "password=$DELIVERABILITY_PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "http://127.0.0.1:$port/account/sign-in"
blocked=$(sql "SELECT id FROM sending_ips WHERE address = '203.0.113.25'")
grep -q "203.0.113.25" <(curl -s -b "$jar" "http://127.0.0.1:$port/ips/$blocked") || { echo "Sign-in failed: the IP page did not render." >&2; exit 1; }

#!/usr/bin/env bash
# Measures recovery after a crash: uploads a big mbox through the API, kills the app with SIGKILL mid-batch, starts it
# again and prints how long until the batch resumes and until a new one-message upload starts, then checks the counts.
# Needs ConnectionStrings__Deliverability (an empty database is best: it is migrated and gets a bench user).
# Usage: bench/crash-resume.sh [messages]    (default 20000; DELIVERABILITY_BENCH_CONFIG=Debug uses the Debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
N="${1:-20000}"
PORT="${DELIVERABILITY_BENCH_PORT:-5091}"
BASE="http://127.0.0.1:$PORT"
: "${ConnectionStrings__Deliverability:?set ConnectionStrings__Deliverability}"
CONFIG="${DELIVERABILITY_BENCH_CONFIG:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORK=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

psql_() { psql "$(python3 -c 'import os;kv=dict(p.split("=",1) for p in os.environ["ConnectionStrings__Deliverability"].split(";") if p);print("host=%s port=%s dbname=%s user=%s"%(kv["Host"],kv["Port"],kv["Database"],kv["Username"]))')" -Atq -c "$1"; }
now() { date +%s.%N; }

if [ "$CONFIG" = Release ]; then
  dotnet build src/Deliverability.Cli -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build src/Deliverability.Web -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi
CLI=(dotnet "$ROOT/src/Deliverability.Cli/bin/$CONFIG/net10.0/deliverability.dll")
"${CLI[@]}" migrate >/dev/null
EMAIL="crash-bench-$$@example.com"; PASSWORD="Crash-Bench-$RANDOM-$RANDOM"
DELIVERABILITY_PASSWORD="$PASSWORD" "${CLI[@]}" users add --email "$EMAIL" --role Operator >/dev/null

# N distinct bounces (one fixture, its own Message-ID and recipient each).
python3 - "$N" "$WORK/big.mbox" <<'PY'
import sys, uuid
n, out = int(sys.argv[1]), sys.argv[2]
t = open("tests/Deliverability.Core.Tests/TestData/Bounces/outlook-s3150.eml", encoding="utf-8").read().replace("\r\n", "\n")
run = uuid.uuid4().hex
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        f.write("From MAILER-DAEMON Tue Mar 10 09:15:02 2026\nX-Crash-Bench: %s-%d\n" % (run, i))
        f.write(t.replace("alice@hotmail.com", "user%d@hotmail.com" % i).replace("\nFrom ", "\n>From ") + "\n")
PY
sed "s/^X-Test-Copy.*//" tests/Deliverability.Core.Tests/TestData/Bounces/exim-mailboxfull.eml | sed "1i X-Crash-Bench: new-$$-$RANDOM" > "$WORK/new.eml"

start_app() {
  ASPNETCORE_ENVIRONMENT=Production DataProtection__KeysDirectory="$WORK/keys" Ingest__ChunkSize=500 \
    dotnet "$ROOT/src/Deliverability.Web/bin/$CONFIG/net10.0/Deliverability.Web.dll" --urls "$BASE" >"$WORK/app-$1.log" 2>&1 &
  app_pid=$!
  until curl -fs "$BASE/health" >/dev/null 2>&1; do sleep 0.2; done
}
sign_in() {
  rm -f "$WORK/cookies"
  local token
  token=$(curl -fs -c "$WORK/cookies" -b "$WORK/cookies" "$BASE/account/sign-in" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -fs -o /dev/null -c "$WORK/cookies" -b "$WORK/cookies" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "returnUrl=/" --data-urlencode "__RequestVerificationToken=$token" "$BASE/account/sign-in"
}
# A cookie-authenticated API write needs the antiforgery token of GET /api/v1/antiforgery-token in its header.
api_token() { curl -fs -c "$WORK/cookies" -b "$WORK/cookies" "$BASE/api/v1/antiforgery-token" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
upload() {
  curl -fs -c "$WORK/cookies" -b "$WORK/cookies" -H "RequestVerificationToken: $(api_token)" -F "files=@$1" "$BASE/api/v1/messages" \
    | python3 -c 'import json,sys;print(json.load(sys.stdin)["batchId"])'
}

start_app 1
sign_in
BIG=$(upload "$WORK/big.mbox")
until [ "$(psql_ "SELECT coalesce(sum(processed_messages),0) FROM ingest_files WHERE batch_id=$BIG")" -gt 0 ]; do sleep 0.1; done
sleep 1
kill -9 "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
KILLED_AT=$(psql_ "SELECT coalesce(sum(processed_messages),0) FROM ingest_files WHERE batch_id=$BIG")
echo "killed the app (SIGKILL) with batch $BIG at $KILLED_AT of $N messages"

T0=$(now)
start_app 2
T_UP=$(now)
sign_in
T_POST=$(now)
NEW=$(upload "$WORK/new.eml")
T_NEW=""; T_RESUME=""
while [ -z "$T_NEW" ] || [ -z "$T_RESUME" ]; do
  if [ -z "$T_NEW" ] && [ -n "$(psql_ "SELECT 1 FROM ingest_batches WHERE id=$NEW AND started_at IS NOT NULL")" ]; then T_NEW=$(now); fi
  if [ -z "$T_RESUME" ] && [ "$(psql_ "SELECT coalesce(sum(processed_messages),0) FROM ingest_files WHERE batch_id=$BIG")" -gt "$KILLED_AT" ]; then T_RESUME=$(now); fi
  if python3 -c "import sys;sys.exit(0 if float('$(now)')-float('$T0')>300 else 1)"; then echo "gave up after 300 s"; exit 1; fi
  sleep 0.1
done
until [ "$(psql_ "SELECT status FROM ingest_batches WHERE id=$BIG")" = "Completed" ]; do sleep 0.5; done
python3 -c "print('restart to app answering /health: %.1f s' % (float('$T_UP')-float('$T0')))"
python3 -c "print('new upload sent to its job started: %.1f s' % (float('$T_NEW')-float('$T_POST')))"
python3 -c "print('restart to killed batch resumed (next chunk committed): %.1f s (%.1f s after the app answered)' % (float('$T_RESUME')-float('$T0'), float('$T_RESUME')-float('$T_UP')))"
echo "batch $BIG: $(psql_ "SELECT status || ', ' || message_count || ' messages, ' || bounce_count || ' bounce rows, ' || duplicate_count || ' duplicates, ' || error_count || ' errors' FROM ingest_batches WHERE id=$BIG")"
echo "new upload $NEW: $(psql_ "SELECT status FROM ingest_batches WHERE id=$NEW")"
[ "$(psql_ "SELECT message_count = $N AND bounce_count = $N AND duplicate_count = 0 FROM ingest_batches WHERE id=$BIG")" = "t" ]

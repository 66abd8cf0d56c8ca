#!/usr/bin/env bash
# Serves Deliverability on http://127.0.0.1:5080 until Ctrl-C. Installs PostgreSQL if missing and runs a private
# cluster under .data/ (unless ConnectionStrings__Deliverability is set), applies migrations, creates a demo admin
# the first time and prints its credentials. Stops what it started on exit.
# ./run.sh --demo also fills an empty database with the labelled demo (`deliverability seed-demo`).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
PORT="${DELIVERABILITY_PORT:-5080}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)."; exit 1; }

started_pg=0
app_pid=""
stop() {
  trap - EXIT INT TERM
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ "$started_pg" -eq 1 ]; then
    scripts/pg-down.sh
    echo "Stopped PostgreSQL."
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

if [ -z "${ConnectionStrings__Deliverability:-}" ]; then
  # The app role signs in with a password (generated once into .data/pg-app-password); no `trust` for it.
  DELIVERABILITY_PG_AUTH=password scripts/pg-up.sh
  started_pg=1
  export ConnectionStrings__Deliverability="Host=127.0.0.1;Port=${DELIVERABILITY_PG_PORT:-55432};Database=deliverability;Username=deliverability;Password=$(cat .data/pg-app-password)"
fi

mkdir -p .data/keys
chmod 700 .data/keys
# The CLI (migrate encrypts a plain DQS key) and the web app share these Data Protection keys.
export DataProtection__KeysDirectory="${DataProtection__KeysDirectory:-$ROOT/.data/keys}"
echo "Building..."
dotnet build src/Deliverability.Cli -c Release -nologo -v q -clp:ErrorsOnly
dotnet publish src/Deliverability.Web -c Release -o .data/publish/web -nologo -v q -clp:ErrorsOnly
CLI=(dotnet "$ROOT/src/Deliverability.Cli/bin/Release/net10.0/deliverability.dll")

"${CLI[@]}" migrate
"${CLI[@]}" users demo-admin --credentials-file .data/demo-admin.txt >/dev/null
if [ "${1:-}" = "--demo" ]; then
  "${CLI[@]}" seed-demo || echo "(no demo data added: seed-demo only fills an empty database)"
fi

cd .data/publish/web
ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
  dotnet Deliverability.Web.dll --urls "http://127.0.0.1:$PORT" &
app_pid=$!
cd "$ROOT"

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { echo "The app stopped during start-up."; exit 1; }
  sleep 0.5
done
echo
echo "Deliverability is running on http://127.0.0.1:$PORT  (Ctrl-C stops it)"
if [ -f .data/demo-admin.txt ]; then
  echo "Demo admin (local only): $(sed -n 1p .data/demo-admin.txt)  password: $(sed -n 2p .data/demo-admin.txt)"
fi
wait "$app_pid"

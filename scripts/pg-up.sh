#!/usr/bin/env bash
# Start a private PostgreSQL cluster under .data/pg (port 55432), creating it on first use.
# Prints nothing but errors; idempotent. Usage: scripts/pg-up.sh [database ...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.data/pg"
PORT="${DELIVERABILITY_PG_PORT:-55432}"
if ! command -v psql >/dev/null || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "Installing PostgreSQL from apt..." >&2
  scripts/apt-install.sh postgresql
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$ROOT"
chown postgres:postgres "$ROOT"
chmod 700 "$ROOT"
if [ ! -f "$ROOT/data/PG_VERSION" ]; then
  runuser -u postgres -- "$PGBIN/initdb" -D "$ROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" status >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/pg.log" -w start \
    -o "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
fi
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 <<SQL
SELECT 'CREATE ROLE deliverability LOGIN CREATEDB PASSWORD ''deliverability'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'deliverability') \gexec
SELECT 'CREATE DATABASE deliverability OWNER deliverability'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'deliverability') \gexec
SQL

#!/usr/bin/env bash
# Start a private PostgreSQL cluster under .data/pg (port 55432), creating it on first use.
# Prints nothing but errors; idempotent. Usage: scripts/pg-up.sh
#
# Authentication (pg_hba.conf is rewritten on every start):
# - default (test.sh, the helpers' and the benchmarks' scripts): `trust` for local connections, as before;
# - DELIVERABILITY_PG_AUTH=password (run.sh): the app role `deliverability` must give its password (SCRAM) over TCP,
#   the password is generated once into .data/pg-app-password (mode 600); `postgres` connects only through the
#   cluster's own socket folder (.data/pg, mode 700) as the postgres OS user; every other connection is refused.
# The app role's password is the one in .data/pg-app-password in both modes, so a connection string that carries it
# works either way.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.data/pg"
PORT="${DELIVERABILITY_PG_PORT:-55432}"
PASSWORD_FILE="$PWD/.data/pg-app-password"
if ! command -v psql >/dev/null || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "Installing PostgreSQL from apt..." >&2
  scripts/apt-install.sh postgresql
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$ROOT"
chown postgres:postgres "$ROOT"
chmod 700 "$ROOT"
if [ ! -s "$PASSWORD_FILE" ]; then
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$PASSWORD_FILE")
fi
if [ ! -f "$ROOT/data/PG_VERSION" ]; then
  runuser -u postgres -- "$PGBIN/initdb" -D "$ROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if [ "${DELIVERABILITY_PG_AUTH:-trust}" = "password" ]; then
  hba="local all postgres peer
host all deliverability 127.0.0.1/32 scram-sha-256"
else
  hba="local all all trust
host all all 127.0.0.1/32 trust
host all all ::1/128 trust"
fi
printf '# Written by scripts/pg-up.sh on every start (DELIVERABILITY_PG_AUTH=%s).\n%s\n' "${DELIVERABILITY_PG_AUTH:-trust}" "$hba" \
  | runuser -u postgres -- tee "$ROOT/data/pg_hba.conf" >/dev/null
# A quarter of the memory, at most 8 GB (PostgreSQL's usual advice): the diagnosis reads each IP's 30 days of bounces, and
# with the default 128 MB every one of them comes from the OS cache again (10M bounces: 59 s for a full re-diagnosis, 42 s with 4 GB).
# Taken at start only; DELIVERABILITY_PG_SHARED_BUFFERS (e.g. 512MB) overrides it.
mem_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
shared_mb=$(( mem_mb / 4 > 8192 ? 8192 : (mem_mb / 4 < 128 ? 128 : mem_mb / 4) ))
SHARED_BUFFERS="${DELIVERABILITY_PG_SHARED_BUFFERS:-${shared_mb}MB}"
if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" status >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/pg.log" -w start \
    -o "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=$SHARED_BUFFERS" >/dev/null
else
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" reload >/dev/null
fi
# As the postgres OS user through the cluster's socket: works whatever pg_hba says for TCP.
runuser -u postgres -- psql -q -h "$ROOT" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -v password="$(cat "$PASSWORD_FILE")" <<'SQL'
SELECT 'CREATE ROLE deliverability LOGIN CREATEDB'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'deliverability') \gexec
ALTER ROLE deliverability PASSWORD :'password';
SELECT 'CREATE DATABASE deliverability OWNER deliverability'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'deliverability') \gexec
SQL

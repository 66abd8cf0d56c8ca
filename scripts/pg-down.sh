#!/usr/bin/env bash
# Stop the private PostgreSQL cluster started by pg-up.sh, if it runs.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.data/pg"
[ -f "$ROOT/data/PG_VERSION" ] || exit 0
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || exit 0
if runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" status >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$ROOT/data" -m fast -w stop >/dev/null
fi

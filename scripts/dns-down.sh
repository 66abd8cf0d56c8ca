#!/usr/bin/env bash
set -uo pipefail
cd "$(dirname "$0")/.."
PIDFILE="${DELIVERABILITY_DNS_RUN:-$PWD/.data/dns}/fg.pid"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  kill "$(cat "$PIDFILE")"
fi
rm -f "$PIDFILE"

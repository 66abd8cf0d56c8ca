#!/usr/bin/env bash
# Stop the private Dovecot started by imap-up.sh, if it runs (only that process, by its pid file).
set -uo pipefail
cd "$(dirname "$0")/.."
PIDFILE="$PWD/.data/imap/fg.pid"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  pid=$(cat "$PIDFILE")
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$PIDFILE"

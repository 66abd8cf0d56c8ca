#!/usr/bin/env bash
# Stop the SMTP sink started by smtp-sink-up.sh, if it runs. The received messages stay in .data/smtp-sink/.
set -uo pipefail
cd "$(dirname "$0")/.."
PIDFILE="$PWD/.data/smtp-sink.pid"
[ -f "$PIDFILE" ] || exit 0
pid=$(cat "$PIDFILE")
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$PIDFILE"

#!/usr/bin/env bash
# Stop the private Prometheus started by scripts/prometheus-up.sh (only that process, by its pid file).
set -euo pipefail
cd "$(dirname "$0")/.."
PIDFILE=.data/prometheus/pid
if [ -f "$PIDFILE" ]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
fi

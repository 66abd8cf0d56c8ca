#!/usr/bin/env bash
# Start a private SMTP sink (aiosmtpd from apt) on 127.0.0.1:$DELIVERABILITY_SMTP_SINK_PORT (default 55025) that writes
# every message it receives as one file into .data/smtp-sink/new/ (a Maildir). The alert tests read those files.
# Prints nothing but errors; idempotent. Usage: scripts/smtp-sink-up.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.data/smtp-sink"
PORT="${DELIVERABILITY_SMTP_SINK_PORT:-55025}"
scripts/apt-install.sh python3-aiosmtpd
mkdir -p "$ROOT/new" "$ROOT/cur" "$ROOT/tmp"
if [ -f "$ROOT.pid" ] && kill -0 "$(cat "$ROOT.pid")" 2>/dev/null; then
  exit 0
fi
# The apt package belongs to the system Python (/usr/bin/python3), not whatever python3 comes first on PATH.
# -n: run as the current user; the Mailbox handler stores each message with Python's mailbox.Maildir.
setsid /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$PORT" -c aiosmtpd.handlers.Mailbox "$ROOT" >"$ROOT.log" 2>&1 < /dev/null &
echo $! > "$ROOT.pid"
for _ in $(seq 1 50); do
  if /usr/bin/python3 - "$PORT" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
ok = s.recv(512).startswith(b"220")
s.close()
sys.exit(0 if ok else 1)
PY
  then exit 0; fi
  kill -0 "$(cat "$ROOT.pid")" 2>/dev/null || break
  sleep 0.2
done
echo "The SMTP sink did not start on 127.0.0.1:$PORT (see $ROOT.log):" >&2
cat "$ROOT.log" >&2
exit 1

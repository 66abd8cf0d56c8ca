#!/usr/bin/env bash
# Start a private Prometheus (Debian's `prometheus` package) for the metrics test on 127.0.0.1:${DELIVERABILITY_PROMETHEUS_PORT:-55190}.
# Its data and config live in .data/prometheus; it scrapes nothing until a test writes a scrape target file
# (.data/prometheus/targets/*.json, file_sd) and the token file (.data/prometheus/token). Idempotent: a running
# instance is restarted. Never touches a system prometheus service.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${DELIVERABILITY_PROMETHEUS_PORT:-55190}"
ROOT="$PWD/.data/prometheus"
if ! [ -x /usr/bin/prometheus ]; then
  echo "Installing Prometheus (prometheus) from apt..." >&2
  scripts/apt-install.sh prometheus
fi
scripts/prometheus-down.sh
mkdir -p "$ROOT/data" "$ROOT/targets"
[ -f "$ROOT/token" ] || : > "$ROOT/token"
cat > "$ROOT/prometheus.yml" <<CONF
# Written by scripts/prometheus-up.sh on every start.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: deliverability
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $ROOT/token
    file_sd_configs:
      - files: ["$ROOT/targets/*.json"]
        refresh_interval: 1s
CONF
/usr/bin/prometheus --config.file="$ROOT/prometheus.yml" --storage.tsdb.path="$ROOT/data" \
  --web.listen-address="127.0.0.1:$PORT" --web.enable-lifecycle >>"$ROOT/prometheus.log" 2>&1 &
echo $! > "$ROOT/pid"
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; then exit 0; fi
  kill -0 "$(cat "$ROOT/pid")" 2>/dev/null || break
  sleep 0.2
done
echo "Prometheus did not answer on 127.0.0.1:$PORT; see $ROOT/prometheus.log" >&2
tail -20 "$ROOT/prometheus.log" >&2 || true
exit 1

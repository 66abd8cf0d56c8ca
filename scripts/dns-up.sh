#!/usr/bin/env bash
# Serve every tests/dns/zones/<zone>.zone with NSD on 127.0.0.1:55353 (UDP and TCP), for the DNS tests.
# Idempotent: a running instance is reloaded with the current zone files.
# DELIVERABILITY_DNS_ZONES (a directory of <zone>.zone files) and DELIVERABILITY_DNS_RUN (pid, log and config) let a test
# run a private instance on its own port with zones it changes. A file root.zone is served as the root zone "." (a test's
# lying resolver: a root with only SOA and NS answers NXDOMAIN to every name). The readiness probe asks the SOA of
# deliverability.test, or of the first zone when that one is not served.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${DELIVERABILITY_DNS_PORT:-55353}"
RUN="${DELIVERABILITY_DNS_RUN:-$PWD/.data/dns}"
ZONES="${DELIVERABILITY_DNS_ZONES:-$PWD/tests/dns/zones}"
if ! command -v nsd >/dev/null; then
  echo "Installing NSD from apt..." >&2
  scripts/apt-install.sh nsd dnsutils
fi
mkdir -p "$RUN"
zone_name() { if [ "$1" = "root" ]; then echo "."; else echo "$1"; fi; }
{
  cat <<CONF
server:
    ip-address: 127.0.0.1@$PORT
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$ZONES"
    database: ""
    pidfile: "$RUN/nsd.pid"
    xfrdfile: "$RUN/xfrd.state"
    zonelistfile: "$RUN/zone.list"
    logfile: "$RUN/nsd.log"
    server-count: 1
    verbosity: 0
    # Response rate limiting would drop fixture answers under the benchmark's load.
    rrl-ratelimit: 0
remote-control:
    control-enable: no
CONF
  for f in "$ZONES"/*.zone; do
    [ -e "$f" ] || continue
    z=$(basename "$f" .zone)
    printf 'zone:\n    name: "%s"\n    zonefile: "%s.zone"\n' "$(zone_name "$z")" "$z"
  done
} > "$RUN/nsd.conf"
nsd-checkconf "$RUN/nsd.conf"
PROBE=""
for f in "$ZONES"/*.zone; do
  [ -e "$f" ] || continue
  z=$(zone_name "$(basename "$f" .zone)")
  [ -n "$PROBE" ] || PROBE="$z"
  [ "$z" = "deliverability.test" ] && PROBE="$z"
  nsd-checkzone "$z" "$f" >/dev/null
done
if [ -f "$RUN/fg.pid" ] && kill -0 "$(cat "$RUN/fg.pid")" 2>/dev/null; then
  old=$(cat "$RUN/fg.pid")
  kill "$old"
  # Wait for it to let go of the port: a new instance started too early cannot bind, and the old one would still
  # answer the readiness probe below with the old zones.
  for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
fi
nsd -d -c "$RUN/nsd.conf" >>"$RUN/nsd.out" 2>&1 &
echo $! > "$RUN/fg.pid"
for _ in $(seq 1 50); do
  if dig +time=1 +tries=1 @127.0.0.1 -p "$PORT" "${PROBE:-deliverability.test}" SOA +short 2>/dev/null | grep -q .; then exit 0; fi
  sleep 0.1
done
echo "NSD did not answer on 127.0.0.1:$PORT; see $RUN/nsd.log" >&2
exit 1

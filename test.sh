#!/usr/bin/env bash
# Runs every test project against real services: installs what is missing (PostgreSQL, NSD, dnsutils, Chromium,
# Dovecot, aiosmtpd), starts a private PostgreSQL on 127.0.0.1:55432, NSD with the fixture zones on 127.0.0.1:55353,
# Dovecot IMAP on 127.0.0.1:55143 (DELIVERABILITY_IMAP_PORT) and an SMTP sink for alert mail on 127.0.0.1:55025
# (DELIVERABILITY_SMTP_SINK_PORT), Prometheus on 127.0.0.1:55190 (DELIVERABILITY_PROMETHEUS_PORT), builds, tests, prints "N passed, N failed" and stops what it
# started. Exit code is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
RESULTS="$ROOT/.data/test-results"

scripts/apt-install.sh postgresql nsd dnsutils chromium dovecot-imapd python3-aiosmtpd prometheus || exit 1
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)."; exit 1; }

cleanup() {
  scripts/prometheus-down.sh
  scripts/imap-down.sh
  scripts/smtp-sink-down.sh
  scripts/dns-down.sh
  scripts/pg-down.sh
}
trap cleanup EXIT

scripts/pg-up.sh || exit 1
scripts/dns-up.sh || exit 1
export DELIVERABILITY_IMAP_PORT="${DELIVERABILITY_IMAP_PORT:-55143}"
scripts/imap-up.sh || exit 1
export DELIVERABILITY_SMTP_SINK_PORT="${DELIVERABILITY_SMTP_SINK_PORT:-55025}"
scripts/smtp-sink-up.sh || exit 1
export DELIVERABILITY_PROMETHEUS_PORT="${DELIVERABILITY_PROMETHEUS_PORT:-55190}"
scripts/prometheus-up.sh || exit 1
export ConnectionStrings__Deliverability="Host=127.0.0.1;Port=${DELIVERABILITY_PG_PORT:-55432};Database=deliverability;Username=deliverability"
export DELIVERABILITY_TEST_DNS="127.0.0.1:${DELIVERABILITY_DNS_PORT:-55353}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore >/dev/null || exit 1
if ! dotnet build Deliverability.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  echo "The build failed (see the errors above)."
  exit 1
fi

rm -rf "$RESULTS"
# Two test programs at a time on small machines: the browser, the DNS and the database tests all want the CPU.
dotnet test --solution Deliverability.sln --no-build -c Debug --max-parallel-test-modules 2 --results-directory "$RESULTS" --report-xunit-trx "$@"
rc=$?

passed=0; failed=0
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "dotnet test exited with $rc without a failed test in the reports (a test host crashed or no tests ran)."
fi
if [ "$failed" -gt 0 ]; then
  # The names and first lines of the failures, so a CI log that shows only its tail still says what failed.
  echo "Failed tests:"
  for trx in "$RESULTS"/*.trx; do
    [ -e "$trx" ] || continue
    python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for result in ET.parse(sys.argv[1]).getroot().iter(ns + "UnitTestResult"):
    if result.get("outcome") != "Failed":
        continue
    message = result.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
    text = (message.text or "").strip().replace("\n", " ")[:600] if message is not None else ""
    print(f"  - {result.get('testName')}: {text}")
PY
  done
fi
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]

#!/usr/bin/env bash
# A large DMARC aggregate report, ingested for real: generates a report of RECORDS records (default 300000, about 200 MB of
# XML; receivers' own layout, two DKIM signatures and one SPF result per record, sources spread over 5,000 IPs), stores it
# with `deliverability ingest` (the upload path: stored compressed, then read by the ingest job inline) into a fresh
# database "deliverability_dmarc_bench" on the local PostgreSQL of scripts/pg-up.sh, and prints the report's size, the
# records stored, the elapsed time, records per second, and the process's peak resident memory (GNU time's max RSS).
# Usage: bench/dmarc.sh [RECORDS]   (KEEP_WORK=1 keeps the generated report in its temporary folder)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
records=${1:-300000}
db=deliverability_dmarc_bench
pgport=${DELIVERABILITY_PG_PORT:-55432}
conn="Host=127.0.0.1;Port=$pgport;Database=$db;Username=deliverability;Password=deliverability"
work=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

"$root/scripts/pg-up.sh" >/dev/null
config=${CONFIG:-Release}  # CONFIG=Debug uses the build the tests made (slower code, no extra build)
[ "$config" = Debug ] || dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
cli() { ConnectionStrings__Deliverability="$conn" dotnet "$root/src/Deliverability.Cli/bin/$config/net10.0/deliverability.dll" "$@"; }
psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db OWNER deliverability"
cli migrate >/dev/null

python3 - "$records" "$work/big-report.xml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<feedback>\n  <report_metadata>\n    <org_name>bench.example</org_name>\n'
            '    <email>dmarc@bench.example</email>\n    <report_id>bench-1</report_id>\n'
            '    <date_range>\n      <begin>1796083200</begin>\n      <end>1796169599</end>\n    </date_range>\n  </report_metadata>\n'
            '  <policy_published>\n    <domain>example.com</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n    <p>quarantine</p>\n    <pct>100</pct>\n  </policy_published>\n')
    for i in range(n):
        ip = f"10.{(i // 5000) % 4}.{(i % 5000) // 250}.{i % 250 + 1}" if i % 7 else f"2001:db8::{i % 5000:x}"
        dkim = "pass" if i % 5 else "fail"
        spf = "pass" if i % 3 else "fail"
        f.write(f'  <record>\n    <row>\n      <source_ip>{ip}</source_ip>\n      <count>{i % 9 + 1}</count>\n      <policy_evaluated>\n'
                f'        <disposition>{"none" if dkim == "pass" or spf == "pass" else "quarantine"}</disposition>\n        <dkim>{dkim}</dkim>\n        <spf>{spf}</spf>\n'
                f'      </policy_evaluated>\n    </row>\n    <identifiers>\n      <envelope_to>receiver.example</envelope_to>\n'
                f'      <envelope_from>bounce{i % 13}.example.com</envelope_from>\n      <header_from>example.com</header_from>\n    </identifiers>\n'
                f'    <auth_results>\n      <dkim>\n        <domain>example.com</domain>\n        <selector>s{i % 4}</selector>\n        <result>{dkim}</result>\n'
                f'        <human_result>signature verification {dkim}ed for this message of the benchmark</human_result>\n      </dkim>\n'
                f'      <dkim>\n        <domain>esp{i % 17}.example.net</domain>\n        <selector>esp-selector-{i % 3}</selector>\n        <result>pass</result>\n      </dkim>\n'
                f'      <spf>\n        <domain>bounce{i % 13}.example.com</domain>\n        <scope>mfrom</scope>\n        <result>{spf}</result>\n      </spf>\n'
                f'    </auth_results>\n  </record>\n')
    f.write('</feedback>\n')
PY
size=$(stat -c %s "$work/big-report.xml")
echo "Report: $records records, $((size / 1048576)) MB of XML"
/usr/bin/time -f "%e %M" -o "$work/time" bash -c "ConnectionStrings__Deliverability='$conn' dotnet '$root/src/Deliverability.Cli/bin/$config/net10.0/deliverability.dll' ingest '$work/big-report.xml'" >"$work/out"
read -r elapsed rss <"$work/time"
stored=$(psql -h 127.0.0.1 -p "$pgport" -U deliverability -d "$db" -Atqc "SELECT count(*) FROM dmarc_records")
signatures=$(psql -h 127.0.0.1 -p "$pgport" -U deliverability -d "$db" -Atqc "SELECT count(*) FROM dmarc_dkim_results")
tail -1 "$work/out"
python3 -c "import sys; r, e, m = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(f'Stored {r} records ({sys.argv[4]} DKIM results) in {e:.1f} s: {r / e:,.0f} records/s, peak memory {m / 1024:.0f} MB (whole CLI process, incl. upload storing)')" \
    "$stored" "$elapsed" "$rss" "$signatures"

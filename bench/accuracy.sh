#!/usr/bin/env bash
# Score the bounce parser against a labelled corpus: DIR/expected.tsv (file, lhost_or_module, status, replycode, reason,
# hardbounce, rcpt_index, feedbacktype, kind) and the messages it names under DIR/emails/ (or DIR/).
# Prints agreement on recipients found, reason, status (Sisimai's invented X.0.9NN skipped) and reply code,
# for the DEV part and the BLIND part (SHA-256 of the file name starts with 0-4) apart, per reason and per MTA family,
# then the dev part's top confusions. --verbose lists the dev part's disagreements (never the blind part's).
# Usage: bench/accuracy.sh DIR [--verbose]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: $0 DIR [--verbose]}
shift

dotnet build "$root/src/Deliverability.Cli" -c Release --nologo -v q >/dev/null
dotnet "$root/src/Deliverability.Cli/bin/Release/net10.0/deliverability.dll" bench accuracy "$dir" "$@"

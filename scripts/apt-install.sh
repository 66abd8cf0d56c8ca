#!/usr/bin/env bash
# Install Debian packages that are missing; runs `apt-get update` once if a package is unknown to the cache.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]} from apt..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/tmp/deliverability-apt.log 2>&1; then
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/tmp/deliverability-apt.log 2>&1 || { cat /tmp/deliverability-apt.log >&2; exit 1; }
fi

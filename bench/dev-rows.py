#!/usr/bin/env python3
"""Print the header and the DEV rows of a corpus's expected.tsv (files whose SHA-256 of the base name starts with 5-f).
Blind rows (hash starts with 0-4) are never printed: use this instead of reading expected.tsv directly.
Usage: bench/dev-rows.py DIR [--files]   (--files: print the dev file paths instead of rows)"""
import hashlib, os, sys

def blind(name: str) -> bool:
    return hashlib.sha256(os.path.basename(name).encode("utf-8")).hexdigest()[0] in "01234"

d = sys.argv[1]
files = "--files" in sys.argv
with open(os.path.join(d, "expected.tsv"), encoding="utf-8") as f:
    header = f.readline()
    if not files:
        sys.stdout.write(header)
    seen = set()
    for line in f:
        name = line.split("\t", 1)[0]
        if blind(name):
            continue
        if files:
            if name not in seen:
                seen.add(name)
                base = os.path.join(d, "emails") if os.path.isdir(os.path.join(d, "emails")) else d
                print(os.path.join(base, name))
        else:
            sys.stdout.write(line)

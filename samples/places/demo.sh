#!/usr/bin/env bash
# samples/places/demo.sh: place-normalize on a messy partner export
# (CP1251, ';', Russian headers, decimal commas, a swapped coordinate, a
# duplicate id, a missing title), then a change set against the places the
# API already has, then a company structure.  Needs the tools on PATH.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== place-normalize: the mapping recognized from the Russian header"
place-normalize --encoding cp1251 --print-map partner.csv

echo "== place-normalize: normalized places (NDJSON), warnings and --stats on stderr"
place-normalize --encoding cp1251 --locale ru --bbox 41,19,82,180 \
    --rejects "$tmp/rejects.csv" --stats partner.csv 2>&1

echo "== place-normalize: rejected rows with _file, _line, _reason"
cat "$tmp/rejects.csv"

echo "== place-normalize --against: change set against the API's listing"
place-normalize --encoding cp1251 --locale ru --bbox 41,19,82,180 \
    --rejects /dev/null --against existing.json \
    --ops create,update,unchanged,delete partner.csv 2>/dev/null

echo "== place-normalize company: flat units to the company structure tree"
place-normalize company company.csv >"$tmp/tree.json"
cat "$tmp/tree.json"

echo "== place-normalize company --flatten: the tree back to rows"
place-normalize company --flatten "$tmp/tree.json"

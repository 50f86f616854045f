#!/usr/bin/env bash
# samples/twins/demo.sh: twin-join on a small partner export (shops.csv),
# the partner's twins links export (links.csv) and one saved Twins API
# search-by-partner response.  Assumes the dumpkit tools are on PATH.
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== attach 2GIS ids to every shop (--left keeps shops without a twin)"
twin-join --left -l links.csv -p sber-food -l search-by-partner.json shops.csv

echo "== shops without a twin"
twin-join --unmatched -p sber-food -l links.csv -l search-by-partner.json shops.csv

echo "== stale links: no shop has their partner_id"
twin-join --orphans -l links.csv shops.csv

echo "== one twin per shop? (--expect many-to-one exits 1 and names the key)"
status=0
twin-join --report --expect many-to-one -o "$out/joined.csv" -l links.csv \
    shops.csv || status=$?
echo "exit status $status"

echo "== one pass, four files (--split)"
twin-join --split "$out/split" -p sber-food -l links.csv \
    -l search-by-partner.json shops.csv
for f in matched unmatched orphans ambiguous; do
	echo "-- $f.csv"
	cat "$out/split/$f.csv"
done

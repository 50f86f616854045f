#!/usr/bin/env bash
# samples/jsonapi/demo.sh: jsonapi-paginate on three saved pages of a
# vehicles listing (page[number]/page[size], included drivers), given out of
# order, as a parallel download would leave them.
set -euo pipefail
cd "$(dirname "$0")"

echo "== urls: the pages still to fetch after page 1 (for xargs -P)"
jsonapi-paginate urls vehicles-p1.json

echo "== next: the page after page 2"
jsonapi-paginate next vehicles-p2.json

echo "== records: pages 3, 1, 2 in, one verified stream out (--flatten, --stats)"
jsonapi-paginate --flatten --stats vehicles-p3.json vehicles-p1.json vehicles-p2.json

echo "== --flatten --to csv: a spreadsheet, columns the union of all attributes"
jsonapi-paginate --flatten --to csv vehicles-p2.json vehicles-p3.json vehicles-p1.json

echo "== --resolve: drivers from included, only some fields (--fields)"
jsonapi-paginate --resolve --flatten --fields vehicle=plate,driver \
    --fields driver=name vehicles-p1.json vehicles-p2.json vehicles-p3.json

echo "== a missing page is named (exit 2), --allow-partial writes the rest (exit 1)"
jsonapi-paginate -o /dev/null vehicles-p1.json vehicles-p3.json || echo "(exit $?)"
jsonapi-paginate --allow-partial --flatten --columns id,name vehicles-p3.json vehicles-p1.json \
    --to csv || echo "(exit $?)"

echo "== pack: the stream back into pages of 4, and records again gives the same"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
jsonapi-paginate vehicles-p1.json vehicles-p2.json vehicles-p3.json >"$tmp"
jsonapi-paginate pack --size 4 --base https://api.fleet.example.com/v1/vehicles "$tmp" |
    jsonapi-paginate | cmp - "$tmp" && echo "round trip: identical ($(wc -l <"$tmp") resources)"

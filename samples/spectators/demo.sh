#!/usr/bin/env bash
# samples/spectators/demo.sh: spectator-expire over two saved pages of a
# fleet's spectator keys, as a cron job on 1 March 2024, 09:00 UTC would see
# them (--now fixes the clock so the demo always prints the same).
set -u
cd "$(dirname "$0")"
NOW=2024-03-01T09:00:00Z
PAGES="spectators-page1.json spectators-page2.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== keys expired or expiring within 7 days (access keys masked)"
spectator-expire --now $NOW $PAGES

echo "== the same as CSV, from a gzipped dump"
cat $PAGES | gzip -c >"$tmp/dump.json.gz"
spectator-expire --now $NOW --to csv "$tmp/dump.json.gz"

echo "== pages in any order, verified by jsonapi-paginate; expiring within 3 days"
jsonapi-paginate spectators-page2.json spectators-page1.json >"$tmp/keys.ndjson"
spectator-expire --now $NOW --within 3d --to csv "$tmp/keys.ndjson"

echo "== keys per status"
spectator-expire --now $NOW --summary --to csv $PAGES

echo "== cars nobody can watch any more (every key expired)"
spectator-expire --now $NOW --summary --by-car $PAGES

echo "== --check for cron: exit status"
spectator-expire --now $NOW --check -o "$tmp/report.ndjson" $PAGES
echo "exit status $? ($(wc -l <"$tmp/report.ndjson") keys to renew)"

echo "== monitoring line (--warn 7d --crit 1d) and its exit status"
spectator-expire --now $NOW --warn 7d --crit 1d $PAGES
echo "exit status $?"

echo "== --state, first hourly run: every key expired or expiring is new (ids only)"
spectator-expire --now $NOW --state "$tmp/alerts.state" --to csv $PAGES >"$tmp/run1.csv"
cut -d, -f1,2 "$tmp/run1.csv"
echo "== --state, one hour later: nothing new, nothing printed"
spectator-expire --now 2024-03-01T10:00:00Z --state "$tmp/alerts.state" $PAGES
echo "== --state, four days later: key 5107 has expired since"
spectator-expire --now 2024-03-05T09:00:00Z --state "$tmp/alerts.state" $PAGES
exit 0

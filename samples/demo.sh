#!/usr/bin/env bash
# samples/demo.sh (make demo): runs every tool over the bundled samples and
# prints what it found.  Each tool's own steps live in samples/<dir>/demo.sh.
set -euo pipefail
cd "$(dirname "$0")"
: "${BIN:?make demo sets BIN}"
export PATH="$BIN:$PATH" LC_ALL=C TZ=UTC

status=0
for pair in twins:twin-join jsonapi:jsonapi-paginate places:place-normalize \
    spectators:spectator-expire; do
	dir=${pair%%:*} tool=${pair#*:}
	echo "######## $tool (samples/$dir)"
	if [ ! -x "$BIN/$tool" ] || [ ! -f "$dir/demo.sh" ]; then
		echo "(not built yet)"
		continue
	fi
	(cd "$dir" && bash ./demo.sh) || { echo "demo of $tool failed"; status=1; }
	echo
done
exit $status

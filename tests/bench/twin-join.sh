# tests/bench/twin-join.sh: twin-join against `mlr join` and `sort | join`
# on BENCH_ROWS generated twins links (the Twins API CSV export) and as many
# partner records, for the inner, left and unmatched joins.
# Sourced by tests/bench/run, which calls bench_twin_join.
#
# Keys are shuffled by a multiplicative permutation so that neither side is
# sorted (sort | join pays for its sort, as a cron job would); 90% of the
# records have a twin, 10% of the links are orphans.

# The links are lib.sh's twins export (bench_gen_twins: 17-digit dgis_ids,
# keys permuted by i -> i * m mod p, p = bench_partner_prime).

twin_bench_gen_records() {
	awk -v n="$1" -v p="$2" "$BENCH_AWK_RND"'
	BEGIN {
		print "partner_id,name,city,amount"
		for (i = 1; i <= n; i++)
			printf "%d,%s %s,%s,%d.%02d\n",
			    100000000 + n / 10 + (i * 16807) % p,
			    first[rnd(16) + 1], last[rnd(8) + 1],
			    city[rnd(8) + 1], rnd(100000), rnd(100)
	}'
}

# CPU seconds (user + sys, children included) of a shell command: on a
# shared machine wall time says as much about the neighbours as about us.
twin_bench_cpu() {
	/usr/bin/time -f '%U %S' -o "$BENCH_DIR/.cpu" bash -c "$1" \
	    >/dev/null 2>&1 || { echo "-"; return 0; }
	awk '{ printf "%.2f", $1 + $2 }' "$BENCH_DIR/.cpu"
}

bench_twin_join() {
	local links recs p tj="$BIN/twin-join" sj rss ratio
	local l r

	p=$(bench_partner_prime "$BENCH_ROWS")
	links=$(bench_data_twins) || return 0
	recs=$BENCH_DIR/twins-records-$BENCH_SIZE.csv
	bench_gen "$recs" twin_bench_gen_records "$BENCH_ROWS" "$p" || return 0
	l="<(tail -n +2 '$links' | LC_ALL=C sort -t, -k3,3)"
	r="<(tail -n +2 '$recs' | LC_ALL=C sort -t, -k1,1)"
	sj="LC_ALL=C join -t, -1 1 -2 3"

	# The same join, the same number of rows, or the timing means nothing.
	local ours theirs
	ours=$("$tj" -l "$links" "$recs" | wc -l)
	theirs=$(bash -c "$sj $r $l" | wc -l)
	echo "inner join rows: twin-join $((ours - 1)) (plus header), sort|join $theirs"

	bench_header "twin-join: $BENCH_ROWS links ($(( $(bench_size "$links") / 1000000 )) MB) x $BENCH_ROWS records ($(( $(bench_size "$recs") / 1000000 )) MB)"
	# mlr join: -f holds the links in memory like twin-join does; the
	# records stream as the main input (--ur keeps them when unpaired).
	# mlr join holds ~3.3 GB per million links: skip it where that would
	# not fit (10m on a small machine) rather than start swapping.
	local avail need mlr_ok=1
	avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null)
	need=$((BENCH_ROWS / 1000 * 3500))
	if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
		mlr_ok=0
		echo "mlr join: skipped, needs ~$((need / 1048576)) GB," \
		    "$((avail / 1048576)) GB available"
	fi
	bench_cmd "twin-join inner" "$recs" "'$tj' -l '$links' '$recs'"
	[ "$mlr_ok" = 1 ] && bench_cmd "mlr join -j (inner)" "$recs" \
	    "mlr --icsv --ocsv join -j partner_id -f '$links' '$recs'"
	bench_cmd "sort | join (inner)" "$recs" "$sj $r $l"
	bench_ratio "twin-join inner" "sort | join (inner)"
	bench_ratio "twin-join inner" "mlr join -j (inner)"

	bench_cmd "twin-join --left" "$recs" "'$tj' --left -l '$links' '$recs'"
	[ "$mlr_ok" = 1 ] && bench_cmd "mlr join --ur (left)" "$recs" \
	    "mlr --icsv --ocsv join --ur -j partner_id -f '$links' '$recs'"
	bench_cmd "sort | join -a 1 (left)" "$recs" "$sj -a 1 $r $l"
	bench_ratio "twin-join --left" "sort | join -a 1 (left)"
	bench_ratio "twin-join --left" "mlr join --ur (left)"

	bench_cmd "twin-join --unmatched" "$recs" \
	    "'$tj' --unmatched -l '$links' '$recs'"
	[ "$mlr_ok" = 1 ] && bench_cmd "mlr join --np --ur (unmatched)" "$recs" \
	    "mlr --icsv --ocsv join --np --ur -j partner_id -f '$links' '$recs'"
	bench_cmd "sort | join -v 1 (unmatched)" "$recs" "$sj -v 1 $r $l"
	bench_ratio "twin-join --unmatched" "sort | join -v 1 (unmatched)"
	bench_ratio "twin-join --unmatched" "mlr join --np --ur (unmatched)"

	# --sorted on inputs sorted beforehand (the sort is not timed): the
	# constant-memory merge, against join(1) on the same sorted files.
	local slinks=$BENCH_DIR/twins-links-$BENCH_SIZE.sorted.csv
	local srecs=$BENCH_DIR/twins-records-$BENCH_SIZE.sorted.csv
	bench_gen "$slinks" bash -c "head -1 '$links'; tail -n +2 '$links' |
	    LC_ALL=C sort -t, -k3,3" || return 0
	bench_gen "$srecs" bash -c "head -1 '$recs'; tail -n +2 '$recs' |
	    LC_ALL=C sort -t, -k1,1" || return 0
	bench_cmd "twin-join --sorted (sorted inputs)" "$srecs" \
	    "'$tj' --sorted -l '$slinks' '$srecs'"
	bench_cmd "join (sorted inputs)" "$srecs" \
	    "$sj <(tail -n +2 '$srecs') <(tail -n +2 '$slinks')"
	bench_ratio "twin-join --sorted (sorted inputs)" "join (sorted inputs)"

	# The same inner join in CPU seconds; sort | join as separate steps
	# here, so that every process is waited for and counted.
	local cpu_tj cpu_sj line
	cpu_tj=$(twin_bench_cpu "'$tj' -l '$links' '$recs'")
	cpu_sj=$(twin_bench_cpu "tail -n +2 '$recs' | LC_ALL=C sort -t, -k1,1 \
	    >'$BENCH_DIR/.r'; tail -n +2 '$links' | LC_ALL=C sort -t, -k3,3 \
	    >'$BENCH_DIR/.l'; $sj '$BENCH_DIR/.r' '$BENCH_DIR/.l'")
	rm -f "$BENCH_DIR/.r" "$BENCH_DIR/.l"
	line=$(printf 'inner join CPU seconds (user+sys): twin-join %s, sort | join %s' \
	    "$cpu_tj" "$cpu_sj")
	echo "  $line"
	BENCH_SUMMARY+=("  $line")
	bench_target "twin-join inner speedup vs sort|join" \
	    "$(bench_speedup "twin-join inner" "sort | join (inner)")" ge 2
	bench_target "twin-join inner speedup vs mlr join" \
	    "$(bench_speedup "twin-join inner" "mlr join -j (inner)")" ge 5
	rss=${BENCH_RSS[twin-join inner]:-}
	if [ -n "$rss" ]; then
		ratio=$(awk -v k="$rss" -v b="$(bench_size "$links")" \
		    'BEGIN { printf "%.2f", k * 1024 / b }')
	else
		ratio=
	fi
	bench_target "twin-join peak RSS / links file size" "$ratio" le 2
}

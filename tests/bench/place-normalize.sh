# tests/bench/place-normalize.sh: place-normalize against an equivalent mlr
# pipeline on BENCH_ROWS generated partner rows (';', Russian headers,
# decimal commas, tags in one cell), CSV -> NDJSON places.
# Sourced by tests/bench/run, which calls bench_place_normalize.

place_bench_gen() {
	awk -v n="$1" "$BENCH_AWK_RND"'
	BEGIN {
		split("продукты аптека кафе банкомат склад", cat, " ")
		print "Код;Наименование;Широта;Долгота;Адрес;Категория;Время прибытия"
		for (i = 1; i <= n; i++) {
			# Two different categories: mlr does not de-duplicate.
			c = rnd(5)
			printf "P%07d;Магазин %s %s;55,%06d;37,%06d;%s, ул. Ленина, %d;%s, %s;%d\n",
			    i, first[rnd(16) + 1], last[rnd(8) + 1],
			    rnd(1000000), rnd(1000000), city[rnd(8) + 1],
			    rnd(200) + 1, cat[c + 1], cat[(c + 1 + rnd(4)) % 5 + 1],
			    rnd(60) * 60
		}
	}'
}

# The same mapping in Miller: rename by header, decimal commas to points,
# tags split on ',', the nested place object, NDJSON out.
PLACE_BENCH_MLR='$* = {
	"id": $Код,
	"title": $Наименование,
	"tags": splitax(gsub($Категория, " ", ""), ","),
	"location": {
		"coordinates": {
			"lat": float(sub($Широта, ",", ".")),
			"lng": float(sub($Долгота, ",", "."))
		},
		"addresses": [{"locale": "ru", "address": $Адрес}],
		"arrivalDuration": int(${Время прибытия})
	}
}'

bench_place_normalize() {
	local csv pn="$BIN/place-normalize" mlr_cmd ours theirs

	csv=$BENCH_DIR/places-v2-$BENCH_SIZE.csv
	bench_gen "$csv" place_bench_gen "$BENCH_ROWS" || return 0

	bench_header "place-normalize: partner CSV -> NDJSON places ($(( $(bench_size "$csv") / 1000000 )) MB)"
	# Same places out of both, or the timing means nothing: compared on
	# the first 10000 rows (mlr is too slow to run twice on all of them).
	head -n 10001 "$csv" >"$BENCH_DIR/places-head.csv"
	ours=$("$pn" --locale ru "$BENCH_DIR/places-head.csv" | wc -l)
	echo "  places written from the first 10000 rows: $ours"
	bench_cmd "place-normalize --locale ru" "$csv" \
	    "'$pn' --locale ru '$csv'"
	bench_cmd "place-normalize --to csv" "$csv" \
	    "'$pn' --locale ru --to csv '$csv'"
	bench_cmd "place-normalize --id-uuid5 dns" "$csv" \
	    "'$pn' --locale ru --id-uuid5 dns '$csv'"
	if command -v mlr >/dev/null 2>&1; then
		mlr_cmd="mlr --icsv --ifs ';' --ojsonl put '$PLACE_BENCH_MLR' '$csv'"
		theirs=$(mlr --icsv --ifs ';' --ojsonl put "$PLACE_BENCH_MLR" \
		    "$BENCH_DIR/places-head.csv" | wc -l)
		echo "  mlr records written from the first 10000 rows: $theirs"
		if ! cmp -s <("$pn" --locale ru "$BENCH_DIR/places-head.csv" |
		    jq -c .) <(mlr --icsv --ifs ';' --ojsonl put \
		    "$PLACE_BENCH_MLR" "$BENCH_DIR/places-head.csv" | jq -c .)
		then
			echo "  WARNING: mlr and place-normalize disagree"
		fi
		bench_cmd "mlr put (same mapping)" "$csv" "$mlr_cmd"
		bench_ratio "place-normalize --locale ru" "mlr put (same mapping)"
	fi
	bench_target "place-normalize CSV->places MB/s" \
	    "$(bench_mbps "place-normalize --locale ru" "$csv")" ge 100
	bench_target "place-normalize speedup vs mlr" \
	    "$(bench_speedup "place-normalize --locale ru" "mlr put (same mapping)")" ge 3
}

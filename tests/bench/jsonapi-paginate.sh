# tests/bench/jsonapi-paginate.sh: jsonapi-paginate records and
# --flatten (NDJSON and CSV) against jq doing the same job, on BENCH_ROWS
# generated resources in JSON:API pages of 1000 (bench_data_pages), and the
# same pages shuffled in blocks of 10 (out-of-order downloads).
# Sourced by tests/bench/run, which calls bench_jsonapi_paginate.

# The jq twin of --flatten: id, type, attributes, linkage as ids.
JP_JQ_FLATTEN='
.data[]
| {id, type} + .attributes
  + ((.relationships // {})
     | with_entries(select(.value | has("data"))
       | .value |= (.data | if type == "array" then map(.id)
                            elif type == "object" then .id else . end)))'

# The jq twin of --flatten --to csv for these resources (header included).
JP_JQ_CSV='
(["id","type","AccessKey","Note","ValidTill","MapLink","DateOfCreation","Cars"] | @csv),
(.data[] | [.id, .type, .attributes.AccessKey, .attributes.Note,
  .attributes.ValidTill, .attributes.MapLink, .attributes.DateOfCreation,
  ([.relationships.Cars.data[].id] | tojson)] | @csv)'

bench_jsonapi_paginate() {
	local jp="$BIN/jsonapi-paginate" pages shuffled ours theirs
	pages=$(bench_data_pages) || return 0
	shuffled=$BENCH_DIR/pages-$BENCH_SIZE-shuffled.json
	# Each block of 10 pages reversed: a page waits for up to 9 others.
	bench_gen "$shuffled" awk '
	    { blk[NR % 10] = $0 }
	    NR % 10 == 0 { for (i = 9; i >= 0; i--) print blk[i]; delete blk }
	    END { for (i = (NR % 10) - 1; i >= 1; i--) print blk[i] }' \
	    "$pages" || return 0

	# Same bytes out, or the speed comparison means nothing.
	ours=$BENCH_DIR/jp-ours.ndjson theirs=$BENCH_DIR/jp-jq.ndjson
	# The first 20 pages as a listing of their own: no next, its total.
	head -n 20 "$pages" | sed -e '20s/,"next":"[^"]*"//' \
	    -e 's/"total_count":[0-9]*/"total_count":20000/' \
	    >"$BENCH_DIR/jp-head.json"
	"$jp" "$BENCH_DIR/jp-head.json" >"$ours"
	jq -c '.data[]' "$BENCH_DIR/jp-head.json" >"$theirs"
	if cmp -s "$ours" "$theirs"; then
		echo "jsonapi-paginate records and jq -c '.data[]' agree on the first 20 pages"
	else
		echo "jsonapi-paginate records and jq -c '.data[]' DISAGREE on the first 20 pages"
		BENCH_SUMMARY+=("jsonapi-paginate: records differs from jq")
	fi
	"$jp" --flatten "$BENCH_DIR/jp-head.json" >"$ours"
	jq -c "$JP_JQ_FLATTEN" "$BENCH_DIR/jp-head.json" >"$theirs"
	if cmp -s "$ours" "$theirs"; then
		echo "jsonapi-paginate --flatten and the jq flatten program agree on the first 20 pages"
	else
		echo "jsonapi-paginate --flatten and the jq flatten program DISAGREE on the first 20 pages"
		BENCH_SUMMARY+=("jsonapi-paginate: --flatten differs from jq")
	fi
	rm -f "$ours" "$theirs" "$BENCH_DIR/jp-head.json"

	bench_header "jsonapi-paginate: $BENCH_ROWS resources ($(( $(bench_size "$pages") / 1000000 )) MB of pages of 1000)"
	bench_cmd "jsonapi-paginate records" "$pages" "'$jp' '$pages'"
	bench_cmd "jsonapi-paginate records (shuffled by 10)" "$shuffled" \
	    "'$jp' '$shuffled'"
	bench_cmd "jq -c '.data[]' (no checks)" "$pages" "jq -c '.data[]' '$pages'"
	bench_ratio "jsonapi-paginate records" "jq -c '.data[]' (no checks)"
	bench_target "jsonapi-paginate records MB/s" \
	    "$(bench_mbps "jsonapi-paginate records" "$pages")" ge 300
	bench_target "jsonapi-paginate records speedup vs jq" \
	    "$(bench_speedup "jsonapi-paginate records" "jq -c '.data[]' (no checks)")" ge 8

	bench_cmd "jsonapi-paginate --flatten" "$pages" "'$jp' --flatten '$pages'"
	bench_cmd "jq flatten program" "$pages" "jq -c '$JP_JQ_FLATTEN' '$pages'"
	bench_ratio "jsonapi-paginate --flatten" "jq flatten program"

	bench_cmd "jsonapi-paginate --flatten --to csv" "$pages" \
	    "'$jp' --flatten --to csv '$pages'"
	bench_cmd "jq flatten-to-csv program" "$pages" \
	    "jq -r '$JP_JQ_CSV' '$pages'"
	bench_ratio "jsonapi-paginate --flatten --to csv" "jq flatten-to-csv program"
	bench_target "jsonapi-paginate --flatten --to csv speedup vs jq" \
	    "$(bench_speedup "jsonapi-paginate --flatten --to csv" "jq flatten-to-csv program")" ge 8
}

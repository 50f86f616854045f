# tests/bench/vs-peers.sh: dumpkit on realistic partner exports (lib.sh's
# bench_data_partner: quoted commas and doubled quotes in most rows,
# Cyrillic, embedded newlines, a CR LF copy) against DuckDB and Polars
# (tests/bench/peers.mjs, when make bench-deps installed them), sort|join,
# simdjson and jq, every engine doing the same job, in one table.
# Sourced by tests/bench/run, which calls bench_vs_peers: last, so that
# the jq programs that spectator-expire.sh and jsonapi-paginate.sh timed
# on the same pages are not run again (their figures are reused).
#
# Before anything is timed, every engine runs each job on a 20000-row
# sample and must give the same number of rows as dumpkit (counted by
# reading its output back as CSV or NDJSON); one that does not is left
# out of the timing and said so.

REAL_TABLE=()

# VS_PEERS_JOBS limits the run to some of: csv2ndjson joins places records
# spectator (all by default), e.g. VS_PEERS_JOBS=joins BENCH_SIZE=10m for
# the 10M-row joins without generating 10M pages and places.
real_want() {
	case " ${VS_PEERS_JOBS:-csv2ndjson joins places records spectator} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# Which peers load: "duckdb polars simdjson", or fewer, or none.
real_peers() {
	if ! command -v node >/dev/null 2>&1; then
		echo "peers: skipped (no node: make bench-deps installs it and them)" >&2
		return 0
	fi
	PEERS_DIR=${PEERS_DIR:-$PWD/build/peers} \
	    node tests/bench/peers.mjs check 2>/dev/null | tr '\n' ' '
}

# real_rows FILE KIND: the rows in an output (KIND csv or ndjson).
real_rows() {
	if [ "$2" = csv ]; then
		"$DKCAT" --to ndjson "$1" | wc -l
	else
		grep -c '' "$1"
	fi
}

# real_agree LABEL KIND WANT CMD: does CMD (its output to $out) give WANT
# rows on the sample?  Prints why not.
real_agree() {
	local label=$1 kind=$2 want=$3 cmd=$4 got out=$BENCH_DIR/.real-out
	rm -f "$out"
	if ! bash -c "${cmd//@OUT@/$out}" >/dev/null 2>"$BENCH_DIR/.real-err"; then
		echo "  $label: FAILED on the sample: $(head -1 "$BENCH_DIR/.real-err")"
		return 1
	fi
	got=$(real_rows "$out" "$kind")
	rm -f "$out"
	if [ "$got" != "$want" ]; then
		echo "  $label: $got rows on the sample, dumpkit $want: not timed"
		return 1
	fi
	echo "  $label: $got rows on the sample, as dumpkit"
}

# real_job JOB INPUT KIND SAMPLE_ARGS FULL_ARGS OURS_LABEL OURS_CMD
#   then pairs of PEER_LABEL PEER_CMD.  Commands hold @IN@ (the inputs,
# sample or full) and @OUT@ (where the output goes: /dev/stdout when
# timed).  Row counts first, then bench_cmd for each that agreed.
real_job() {
	local job=$1 input=$2 kind=$3 sargs=$4 fargs=$5
	local ours=$6 ocmd=$7 want label cmd
	shift 7
	want=$(bash -c "${ocmd//@IN@/$sargs}" | { if [ "$kind" = csv ]; then
		cat >"$BENCH_DIR/.real-ours"; real_rows "$BENCH_DIR/.real-ours" csv
	    else grep -c ''; fi })
	rm -f "$BENCH_DIR/.real-ours"
	echo "  $job: dumpkit writes $want rows on the 20000-row sample"
	bench_cmd "$ours" "$input" "${ocmd//@IN@/$fargs}"
	REAL_TABLE+=("$job|$ours|$ours|$input")
	while [ $# -ge 2 ]; do
		label=$1 cmd=$2
		shift 2
		real_agree "$label" "$kind" "$want" "${cmd//@IN@/$sargs}" || continue
		cmd=${cmd//@IN@/$fargs}
		bench_cmd "$label" "$input" "${cmd//@OUT@//dev/stdout}"
		REAL_TABLE+=("$job|$label|$ours|$input")
	done
}

# The one table: wall, CPU, peak RSS, MB/s and how many times dumpkit's
# wall time each engine took (above 1: dumpkit is faster).
real_table() {
	local row job label ours input w c k mbs x
	printf '\n== realistic data: one table (best of %s; ratio = engine wall / dumpkit wall) ==\n' "$BENCH_RUNS"
	printf '%-14s %-34s %7s %7s %8s %7s %7s\n' job engine "wall s" "cpu s" \
	    "RSS MiB" "MB/s" "ratio"
	for row in "${REAL_TABLE[@]}"; do
		IFS='|' read -r job label ours input <<<"$row"
		w=${BENCH_WALL[$label]:-} c=${BENCH_CPU[$label]:-}
		k=${BENCH_RSS[$label]:-}
		[ -n "$w" ] || continue
		mbs=$(awk -v s="$w" -v b="$(bench_size "$input")" \
		    'BEGIN { if (s > 0) printf "%.0f", b / 1e6 / s; else print "-" }')
		x=$(awk -v a="$w" -v b="${BENCH_WALL[$ours]:-0}" \
		    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		line=$(printf '%-14s %-34s %7.2f %7.2f %8.1f %7s %7s' "$job" \
		    "$label" "$w" "$c" "$(awk -v k="$k" 'BEGIN { print k / 1024 }')" \
		    "$mbs" "$x")
		echo "$line"
		BENCH_SUMMARY+=("$line")
	done
}

# bench_target on a ratio: ours against a peer's label (skipped if absent).
real_target() {
	local text=$1 ours=$2 peer=$3 want=$4
	[ -n "${BENCH_SECS[$peer]:-}" ] || return 0
	bench_target "$text" "$(bench_speedup "$ours" "$peer")" ge "$want"
}

bench_vs_peers() {
	local peers partner crlf twins pages places p sp st tj="$BIN/twin-join"
	local node pm duck= pol= sj= se="$BIN/spectator-expire"
	local sj_cmd sl sr now=2022-01-01T00:00:00Z epoch=1640995200 within=604800

	build_dkcat 2>/dev/null || DKCAT=$BENCH_DIR/dkcat
	[ -x "$DKCAT" ] || { echo "vs-peers: skipped (no dkcat)"; return 0; }
	partner=$(bench_data_partner) || return 0
	twins=$(bench_data_twins) || return 0
	if real_want csv2ndjson || real_want joins; then
		crlf=$(bench_data_partner_crlf) || return 0
	fi
	if real_want records || real_want spectator; then
		pages=$(bench_data_pages) || return 0
		bench_gen "$BENCH_DIR/pages-sample.json" bench_gen_pages 20000 \
		    1000 || return 0
	fi
	places=$BENCH_DIR/places-v2-$BENCH_SIZE.csv
	if real_want places; then
		declare -F place_bench_gen >/dev/null ||
		    . tests/bench/place-normalize.sh
		bench_gen "$places" place_bench_gen "$BENCH_ROWS" || return 0
		bench_gen "$BENCH_DIR/places-sample.csv" place_bench_gen \
		    20000 || return 0
	fi
	# The samples: the same generators at 20000 rows.
	sp=$BENCH_DIR/partner-sample.csv st=$BENCH_DIR/twins-sample.csv
	p=$(bench_partner_prime 20000)
	bench_gen "$sp" bench_gen_partner 20000 "$p" || return 0
	bench_gen "$st" bench_gen_twins 20000 "$p" || return 0

	peers=$(real_peers)
	echo
	echo "realistic data: partner export $(( $(bench_size "$partner") / 1000000 )) MB" \
	    "($BENCH_ROWS rows, 13 columns), twins export" \
	    "$(( $(bench_size "$twins") / 1000000 )) MB; peers: ${peers:-none}"
	pm="PEERS_DIR='${PEERS_DIR:-$PWD/build/peers}' node tests/bench/peers.mjs"
	case " $peers " in *" duckdb "*) duck=1 ;; esac
	case " $peers " in *" polars "*) pol=1 ;; esac
	case " $peers " in *" simdjson "*) sj=1 ;; esac
	[ -n "$duck" ] || echo "  DuckDB: skipped (make bench-deps)"
	[ -n "$pol" ] || echo "  Polars: skipped (make bench-deps)"
	[ -n "$sj" ] || echo "  simdjson: skipped (make bench-deps)"

	# Peers as "LABEL CMD" pairs, added only when they load.
	local -a pc
	if real_want csv2ndjson; then
	bench_header "realistic: CSV -> NDJSON"
	pc=()
	[ -n "$duck" ] && pc+=("DuckDB csv->ndjson" "$pm duckdb csv2ndjson @OUT@ @IN@")
	[ -n "$pol" ] && pc+=("Polars csv->ndjson" "$pm polars csv2ndjson @OUT@ @IN@")
	real_job csv2ndjson "$partner" ndjson "'$sp'" "'$partner'" \
	    "dkcat csv->ndjson (realistic)" "'$DKCAT' --to ndjson @IN@" "${pc[@]}"
	real_job csv2ndjson-crlf "$crlf" ndjson "'$sp'" "'$crlf'" \
	    "dkcat csv->ndjson (CRLF)" "'$DKCAT' --to ndjson @IN@"
	fi

	# sort | join splits embedded newlines (0.5% of rows) into lines of
	# their own: its count differs, so it is timed without the check.
	sl="<(tail -n +2 '$twins' | LC_ALL=C sort -t, -k3,3)"
	sr="<(tail -n +2 '$partner' | LC_ALL=C sort -t, -k1,1)"
	local j a opt
	# The twins export is read by every join: warm it with the partner
	# export before each run (bench_warm).
	BENCH_WARM=$twins
	real_want joins &&
	for j in inner left unmatched; do
		case $j in
		inner) opt= a= ;;
		left) opt=--left a='-a 1' ;;
		unmatched) opt=--unmatched a='-v 1' ;;
		esac
		bench_header "realistic: twin-join $j"
		pc=()
		[ -n "$duck" ] && pc+=("DuckDB $j join" "$pm duckdb $j @OUT@ @IN@")
		[ -n "$pol" ] && pc+=("Polars $j join" "$pm polars $j @OUT@ @IN@")
		real_job "join $j" "$partner" csv "'$st' '$sp'" "'$twins' '$partner'" \
		    "twin-join $j (realistic)" \
		    "set -- @IN@; '$tj' $opt -l \"\$1\" \"\$2\"" "${pc[@]}"
		bench_cmd "sort | join $j (realistic, approx.)" "$partner" \
		    "LC_ALL=C join -t, -1 1 -2 3 $a $sr $sl"
		REAL_TABLE+=("join $j|sort | join $j (realistic, approx.)|twin-join $j (realistic)|$partner")
	done
	if real_want joins; then
	bench_header "realistic: twin-join inner, CR LF records"
	real_job "join crlf" "$crlf" csv "'$st' '$sp'" "'$twins' '$crlf'" \
	    "twin-join inner (CRLF)" "set -- @IN@; '$tj' -l \"\$1\" \"\$2\""
	fi
	BENCH_WARM=

	if real_want places; then
	bench_header "realistic: place-normalize"
	pc=()
	[ -n "$duck" ] && pc+=("DuckDB places SQL" "$pm duckdb places @OUT@ @IN@")
	real_job places "$places" ndjson "'$BENCH_DIR/places-sample.csv'" "'$places'" \
	    "place-normalize (realistic)" "'$BIN/place-normalize' --locale ru @IN@" \
	    "${pc[@]}"
	fi

	if real_want records; then
	bench_header "realistic: jsonapi-paginate records"
	pc=()
	[ -n "$sj" ] && pc+=("simdjson parse+minify" "$pm simdjson records @OUT@ @IN@")
	# The sample pages as a listing of their own (its total, no next).
	sed -e '20s/,"next":"[^"]*"//' -e 's/"total_count":[0-9]*/"total_count":20000/' \
	    "$BENCH_DIR/pages-sample.json" >"$BENCH_DIR/pages-sample-own.json"
	real_job records "$pages" ndjson "'$BENCH_DIR/pages-sample-own.json'" "'$pages'" \
	    "jsonapi-paginate records (realistic)" "'$BIN/jsonapi-paginate' @IN@" \
	    "${pc[@]}"
	fi

	if real_want spectator; then
	bench_header "realistic: spectator-expire"
	pc=()
	[ -n "$duck" ] && pc+=("DuckDB spectator SQL" "$pm duckdb spectator @OUT@ @IN@ $epoch $within")
	real_job spectator "$pages" ndjson "'$BENCH_DIR/pages-sample.json'" "'$pages'" \
	    "spectator-expire (realistic)" "'$se' --now $now @IN@" "${pc[@]}"
	fi

	# jq on the same pages, as timed by jsonapi-paginate.sh and
	# spectator-expire.sh (same command, same file).
	local jqd="jq -c '.data[]' (no checks)" jqs="jq report program"
	[ -n "${BENCH_WALL[$jqd]:-}" ] &&
	    REAL_TABLE+=("records|$jqd|jsonapi-paginate records (realistic)|$pages")
	[ -n "${BENCH_WALL[$jqs]:-}" ] &&
	    REAL_TABLE+=("spectator|$jqs|spectator-expire (realistic)|$pages")
	real_table
	local o
	o="dkcat csv->ndjson (realistic)"
	bench_target "realistic CSV->NDJSON MB/s" "$(bench_mbps "$o" "$partner")" ge 600
	real_target "CSV->NDJSON vs Polars" "$o" "Polars csv->ndjson" 2
	for j in inner left unmatched; do
		o="twin-join $j (realistic)"
		real_target "twin-join $j vs DuckDB" "$o" "DuckDB $j join" 2
		real_target "twin-join $j vs Polars" "$o" "Polars $j join" 2
		real_target "twin-join $j vs sort|join" "$o" \
		    "sort | join $j (realistic, approx.)" 3
		[ -n "${BENCH_RSS[$o]:-}" ] && bench_target \
		    "twin-join $j peak RSS / twins file" "$(awk -v k="${BENCH_RSS[$o]}" \
		    -v b="$(bench_size "$twins")" 'BEGIN { printf "%.2f", k * 1024 / b }')" le 1.5
	done
	real_target "place-normalize vs DuckDB SQL" "place-normalize (realistic)" \
	    "DuckDB places SQL" 2
	real_target "jsonapi-paginate records vs simdjson" \
	    "jsonapi-paginate records (realistic)" "simdjson parse+minify" 1.2
	real_target "spectator-expire vs jq" "spectator-expire (realistic)" \
	    "jq report program" 12
	real_target "spectator-expire vs DuckDB" "spectator-expire (realistic)" \
	    "DuckDB spectator SQL" 5
	o="spectator-expire (realistic)"
	[ -n "${BENCH_RSS[$o]:-}" ] && bench_target "spectator-expire peak RSS MiB" \
	    "$(awk -v k="${BENCH_RSS[$o]}" 'BEGIN { printf "%.1f", k / 1024 }')" le 64
	return 0
}

# tests/bench/lib.sh: helpers for make bench, sourced by tests/bench/run and
# by each tests/bench/<tool>.sh.  Benchmarks are never tests: they print
# figures and ratios, and fail only when something could not run at all.
#
#   bench_header TITLE
#   bench_gen FILE CMD...            FILE := stdout of CMD, unless cached
#   bench_cmd LABEL INPUT SHELL_CMD  time SHELL_CMD (bash -c), one row
#   bench_ratio FAST SLOW            "FAST is N.Nx faster than SLOW"
#   bench_target TEXT GOT OP WANT    a target met or missed (OP: ge or le)
#   bench_mbps LABEL INPUT           MB/s of a timed row (empty if none)
#   bench_speedup FAST SLOW          N.NN, how many times faster (or empty)
#   bench_have TOOL                  is $BIN/TOOL built?
#   bench_data_csv / _csv_gz / _ndjson / _pages   the shared data sets
# Each timed LABEL leaves BENCH_SECS, BENCH_WALL, BENCH_CPU (seconds) and
# BENCH_RSS (KiB) entries; BENCH_SUMMARY collects lines for the summary.
#
# Environment: BIN (tool binaries), BENCH_DIR (data and scratch files),
# BENCH_SIZE (1m or 10m; BENCH_ROWS follows), BENCH_RUNS (default 2: each
# command is run that many times, 5 when it takes under a second, once when
# it takes 10 s or more, and the fastest run counts), BENCH_CLOCK (wall or cpu: the time that MB/s,
# ratios and targets use; both are always printed).

: "${BENCH_DIR:=build/bench}"
: "${BENCH_SIZE:=1m}"
: "${BENCH_RUNS:=2}"
: "${BENCH_CLOCK:=wall}"
case $BENCH_CLOCK in
wall|cpu) ;;
*)	echo "bench: BENCH_CLOCK must be wall or cpu" >&2; exit 2 ;;
esac
case $BENCH_SIZE in
1m)	BENCH_ROWS=1000000 ;;
10m)	BENCH_ROWS=10000000 ;;
*[!0-9]*|'')
	echo "bench: BENCH_SIZE must be 1m, 10m or a row count, not '$BENCH_SIZE'" >&2
	exit 2 ;;
*)	BENCH_ROWS=$BENCH_SIZE ;;
esac
export BENCH_DIR BENCH_SIZE BENCH_ROWS BENCH_RUNS BENCH_CLOCK
mkdir -p "$BENCH_DIR" || exit 2

declare -gA BENCH_SECS=() BENCH_WALL=() BENCH_CPU=() BENCH_RSS=()
declare -ga BENCH_SUMMARY=()

if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is missing: apt-get install time" >&2
	exit 2
fi

bench_header() {
	printf '\n== %s ==\n' "$1"
	bench_columns
}

bench_columns() {
	printf '%-40s %7s %7s %10s %9s\n' "command" "wall s" "cpu s" \
	    "MB/s($BENCH_CLOCK)" "peak MiB"
}

# Size of a file in bytes.
bench_size() {
	stat -c %s "$1" 2>/dev/null || echo 0
}

# bench_gen FILE CMD...: make FILE from CMD's standard output unless it
# exists.  Generators must be deterministic (same bytes on every run), so
# the cache is safe and figures from two runs compare.
bench_gen() {
	local file=$1
	shift
	[ -s "$file" ] && return 0
	echo "generating ${file##*/} ..." >&2
	if ! "$@" >"$file.tmp"; then
		rm -f "$file.tmp"
		echo "bench: could not generate $file" >&2
		return 1
	fi
	mv "$file.tmp" "$file"
	printf 'generated %s: %.1f MB\n' "${file##*/}" \
	    "$(awk -v b="$(bench_size "$file")" 'BEGIN { print b / 1e6 }')" >&2
}

# bench_cmd LABEL INPUT_FILE SHELL_CMD: run SHELL_CMD with bash (stdout to
# /dev/null unless it redirects), BENCH_RUNS times; the fastest run counts,
# with its peak RSS.  Both clocks are shown: wall seconds, and CPU seconds
# (user + system of the command and its children), which a busy shared
# machine disturbs far less (it counts the processes bash waits for: a
# pipeline's, not a process substitution's <(...)).  BENCH_SECS holds the one BENCH_CLOCK picks
# (wall by default), for MB/s, ratios and targets.  MB/s is INPUT_FILE's
# size over that time.  A failing command prints FAILED and its first
# error line.
#
# Before each run INPUT_FILE and the files in BENCH_WARM (space-separated)
# are read once, untimed, so every engine starts from the page cache: on
# this project's machine a peer's 9 GB of RSS (Polars at 10M) pushed the
# next command's 3 GB of input out of it, and a 20 s disk-bound first run
# (runs of 10 s or more are timed once) was counted as the join's time.
bench_warm() {
	local f
	for f in "$@" ${BENCH_WARM:-}; do
		[ -f "$f" ] && cat -- "$f" >/dev/null
	done
	return 0
}

bench_cmd() {
	local label=$1 input=$2 cmd=$3
	local i t0 t1 wall cpu key bestkey= bw bc rss= r
	local err=$BENCH_DIR/.stderr tf=$BENCH_DIR/.time bytes runs=$BENCH_RUNS

	bytes=$(bench_size "$input")
	for ((i = 0; i < runs; i++)); do
		bench_warm "$input"
		t0=$EPOCHREALTIME
		if ! /usr/bin/time -f '%U %S %M' -o "$tf" bash -c "$cmd" \
		    >/dev/null 2>"$err"; then
			printf '%-40s FAILED: %s\n' "$label" \
			    "$(grep -v '^Command exited' "$err" | head -1)"
			BENCH_SUMMARY+=("$(printf '%-40s FAILED' "$label")")
			unset 'BENCH_SECS[$label]' 'BENCH_WALL[$label]' \
			    'BENCH_CPU[$label]'
			return 1
		fi
		t1=$EPOCHREALTIME
		read -r wall cpu r < <(awk -v a="$t0" -v b="$t1" \
		    -v t="$(tail -1 "$tf")" 'BEGIN {
			split(t, f, " ")
			printf "%.3f %.2f %d\n", b - a, f[1] + f[2], f[3]
		}')
		# Sub-second runs are at the mercy of a shared machine's
		# noise: give them a few more tries.  Runs of 10 s or more
		# once: the noise is small beside them, and make bench at 1M
		# stays within a quarter of an hour.
		if [ "$i" -eq 0 ] && awk -v a="$wall" 'BEGIN { exit !(a < 1) }'
		then
			runs=$((BENCH_RUNS < 5 ? 5 : BENCH_RUNS))
		elif [ "$i" -eq 0 ] && awk -v a="$wall" 'BEGIN { exit !(a >= 10) }'
		then
			runs=1
		fi
		key=$wall
		[ "$BENCH_CLOCK" = cpu ] && key=$cpu
		if [ -z "$bestkey" ] || awk -v a="$key" -v b="$bestkey" \
		    'BEGIN { exit !(a < b) }'; then
			bestkey=$key bw=$wall bc=$cpu rss=$r
		fi
	done
	BENCH_SECS[$label]=$bestkey
	BENCH_WALL[$label]=$bw
	BENCH_CPU[$label]=$bc
	BENCH_RSS[$label]=$rss
	r=$(awk -v w="$bw" -v c="$bc" -v s="$bestkey" -v b="$bytes" \
	    -v k="$rss" 'BEGIN {
		printf "%7.2f %7.2f ", w, c
		if (s > 0)
			printf "%10.1f", b / 1e6 / s
		else
			printf "%10s", "-"
		printf " %9.1f", k / 1024
	}')
	printf '%-40s %s\n' "$label" "$r"
	BENCH_SUMMARY+=("$(printf '%-40s %s' "$label" "$r")")
}

# MB/s of a finished bench_cmd row (for targets), or empty.
bench_mbps() {
	local label=$1 input=$2
	[ -n "${BENCH_SECS[$label]:-}" ] || return 0
	awk -v s="${BENCH_SECS[$label]}" -v b="$(bench_size "$input")" \
	    'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s }'
}

# How many times faster FAST ran than SLOW (empty if either failed).
bench_speedup() {
	local f=${BENCH_SECS[$1]:-} s=${BENCH_SECS[$2]:-}
	[ -n "$f" ] && [ -n "$s" ] || return 0
	# A run too short for the clock's resolution can't be compared.  Two
	# decimals: a target compares this text, and with one a 1.97x ratio
	# printed as 2.0 and passed a ">= 2" target (the 10M inner join vs
	# DuckDB at 21:37 on 1 December 2026).
	awk -v f="$f" -v s="$s" 'BEGIN { if (f > 0 && s > 0) printf "%.2f", s / f }'
}

bench_ratio() {
	local x line
	x=$(bench_speedup "$1" "$2")
	if [ -z "$x" ]; then
		line="$1 vs $2: not compared (a run failed, or was too short to time)"
	elif awk -v x="$x" 'BEGIN { exit !(x >= 1) }'; then
		line="$1 is ${x}x faster than $2"
	else
		x=$(awk -v f="${BENCH_SECS[$1]}" -v s="${BENCH_SECS[$2]}" \
		    'BEGIN { printf "%.1f", (s > 0 ? f / s : 0) }')
		line="$1 is ${x}x SLOWER than $2"
	fi
	# The other clock too, so a busy machine can't hide a regression.
	local o=BENCH_CPU other=cpu
	[ "$BENCH_CLOCK" = cpu ] && o=BENCH_WALL other=wall
	local -n oc=$o
	if [ -n "$x" ] && awk -v f="${oc[$1]:-0}" -v s="${oc[$2]:-0}" \
	    'BEGIN { exit !(f > 0 && s > 0) }'; then
		line="$line ($other time: $(awk -v f="${oc[$1]}" -v s="${oc[$2]}" \
		    'BEGIN { printf "%.1f", s / f }')x)"
	fi
	echo "  $line"
	BENCH_SUMMARY+=("  $line")
}

# bench_target TEXT GOT ge|le WANT: report a target against a figure.
bench_target() {
	local text=$1 got=$2 op=$3 want=$4 verdict
	if [ -z "$got" ]; then
		verdict="not measured"
	elif awk -v g="$got" -v w="$want" -v op="$op" \
	    'BEGIN { exit !(op == "ge" ? g >= w : g <= w) }'; then
		verdict="met"
	else
		verdict="MISSED"
	fi
	local sym='>='
	[ "$op" = le ] && sym='<='
	local line
	line=$(printf 'target %-40s %8s (want %s %s): %s' "$text" "${got:--}" \
	    "$sym" "$want" "$verdict")
	echo "  $line"
	BENCH_SUMMARY+=("  $line")
}

# ==== shared data sets (deterministic: a fixed-seed MINSTD generator) ====
#
# Each prints the path of its file, generating it on first use:
#   bench_data_csv     BENCH_ROWS rows of partner-like CSV (~110 B/row)
#   bench_data_csv_gz  the same, gzip -6 -n
#   bench_data_ndjson  the same rows as NDJSON (numbers as numbers,
#                      a 17-digit numeric id)
#   bench_data_pages   BENCH_ROWS spectator resources as JSON:API pages of
#                      1000, one compact page per line, offset/limit links

# The awk prelude: rnd(n) gives 0..n-1 from MINSTD (x * 48271 mod 2^31-1,
# exact in doubles), so every awk gives the same bytes.
BENCH_AWK_RND='
function rnd(n) { seed = (seed * 48271) % 2147483647; return seed % n }
BEGIN {
	seed = 20240601
	split("Anna Boris Vera Gleb Dasha Egor Zhenya Ivan Kira Lev Mila Nina Oleg Polina Roman Sofia", first, " ")
	split("Ivanova Petrov Sidorova Smirnov Kuznetsova Popov Vasileva Sokolov", last, " ")
	split("Moscow Kazan Novosibirsk Yekaterinburg Samara Omsk Tver Sochi", city, " ")
}'

bench_gen_csv() {
	awk -v n="$1" "$BENCH_AWK_RND"'
	BEGIN {
		print "id,partner_id,name,city,lat,lng,amount,created_at,comment"
		for (i = 1; i <= n; i++) {
			c = rnd(10) == 0 ? "\"said \"\"hi\"\", then left\"" : "ok"
			printf "70000001%09d,p%d,%s %s,%s,55.%06d,37.%06d,%d.%02d,2023-%02d-%02dT%02d:%02d:%02dZ,%s\n",
			    i, i, first[rnd(16) + 1], last[rnd(8) + 1],
			    city[rnd(8) + 1], rnd(1000000), rnd(1000000),
			    rnd(100000), rnd(100), rnd(12) + 1, rnd(28) + 1,
			    rnd(24), rnd(60), rnd(60), c
		}
	}'
}

bench_gen_ndjson() {
	awk -v n="$1" "$BENCH_AWK_RND"'
	BEGIN {
		for (i = 1; i <= n; i++) {
			c = rnd(10) == 0 ? "said \\\"hi\\\", then left" : "ok"
			printf "{\"id\":\"70000001%09d\",\"dgis_id\":70000001%09d,\"partner_id\":\"p%d\",\"name\":\"%s %s\",\"city\":\"%s\",\"lat\":55.%06d,\"lng\":37.%06d,\"amount\":%d.%02d,\"active\":%s,\"tags\":[\"a\",\"b%d\"],\"created_at\":\"2023-%02d-%02dT%02d:%02d:%02dZ\",\"comment\":\"%s\"}\n",
			    i, i, i, first[rnd(16) + 1], last[rnd(8) + 1],
			    city[rnd(8) + 1], rnd(1000000), rnd(1000000),
			    rnd(100000), rnd(100), rnd(2) ? "true" : "false",
			    rnd(5), rnd(12) + 1, rnd(28) + 1, rnd(24), rnd(60),
			    rnd(60), c
		}
	}'
}

# bench_gen_pages N SIZE: N resources in pages of SIZE.
bench_gen_pages() {
	awk -v n="$1" -v size="$2" "$BENCH_AWK_RND"'
	BEGIN {
		base = "https://fleet.example.test/api/user/1/spectator?page%5Blimit%5D=" size "&page%5Boffset%5D="
		for (off = 0; off < n; off += size) {
			printf "{\"data\":["
			for (i = off + 1; i <= off + size && i <= n; i++) {
				k = sprintf("%08x%08x", rnd(2147483647), rnd(2147483647))
				vt = rnd(10) == 0 ? "null" : sprintf("\"20%02d-%02d-%02dT%02d:%02d:%02dZ\"", 17 + rnd(10), rnd(12) + 1, rnd(28) + 1, rnd(24), rnd(60), rnd(60))
				printf "%s{\"type\":\"spectator\",\"id\":\"%d\",\"attributes\":{\"AccessKey\":\"%s\",\"Note\":\"car park %d\",\"ValidTill\":%s,\"MapLink\":\"http://map.url/?_cpKey=%s\",\"DateOfCreation\":\"2017-08-09T16:04:19Z\"},\"relationships\":{\"Cars\":{\"data\":[{\"type\":\"car\",\"id\":\"%d\"},{\"type\":\"car\",\"id\":\"%d\"}]}}}",
				    (i > off + 1 ? "," : ""), i, k, rnd(1000), vt, k,
				    rnd(100000), rnd(100000)
			}
			printf "],\"links\":{\"self\":\"%s%d\"", base, off
			if (off + size < n)
				printf ",\"next\":\"%s%d\"", base, off + size
			printf "},\"meta\":{\"total_count\":%d}}\n", n
		}
	}'
}

bench_data_csv() {
	local f=$BENCH_DIR/rows-$BENCH_SIZE.csv
	bench_gen "$f" bench_gen_csv "$BENCH_ROWS" || return 1
	echo "$f"
}

bench_data_csv_gz() {
	local f=$BENCH_DIR/rows-$BENCH_SIZE.csv.gz csv
	csv=$(bench_data_csv) || return 1
	bench_gen "$f" gzip -6 -n -c "$csv" || return 1
	echo "$f"
}

bench_data_ndjson() {
	local f=$BENCH_DIR/rows-$BENCH_SIZE.ndjson
	bench_gen "$f" bench_gen_ndjson "$BENCH_ROWS" || return 1
	echo "$f"
}

bench_data_pages() {
	local f=$BENCH_DIR/pages-$BENCH_SIZE.json
	bench_gen "$f" bench_gen_pages "$BENCH_ROWS" 1000 || return 1
	echo "$f"
}

# Run a tool's bench only when its binary was built.
bench_have() {
	[ -x "$BIN/$1" ]
}

# ==== realistic partner exports (issue 17) ====
#
# Shaped like real ones: 13 columns, Cyrillic names and addresses, a comma
# inside most addresses ("ул. Ленина, 5"), doubled quotes in most names
# ("Кафе ""Ромашка"""), an embedded newline in ~0.5% of descriptions, and
# partner ids that the twins export (bench_gen_twins, 17-digit
# dgis_ids) links 90% of.  Deterministic like the rest.
#   bench_data_partner        BENCH_ROWS rows, LF (~250 B/row)
#   bench_data_partner_crlf   the same with CR LF line ends
#   bench_data_twins          the matching twins export
# bench_partner_prime N: the prime above N of the key permutation (also for
# twin-join.sh, whose links are bench_gen_twins too).

bench_partner_prime() {
	awk -v n="$1" 'BEGIN {
		for (p = n + 1; ; p++) {
			for (d = 2; d * d <= p; d++)
				if (p % d == 0)
					break
			if (d * d > p) { print p; exit }
		}
	}'
}

bench_gen_partner() {
	awk -v n="$1" -v p="$2" "$BENCH_AWK_RND"'
	BEGIN {
		split("Кафе Ресторан Аптека Магазин Пекарня Салон Автосервис Кофейня", kind, " ")
		split("Ромашка Берёзка Уют Солнышко Север Огонёк Калинка Заря Русь Весна", brand, " ")
		split("кафе ресторан аптека продукты пекарня красота автосервис кофейня", cat, " ")
		split("Ленина Мира Гагарина Советская Пушкина Садовая Лесная Школьная", street, " ")
		split("Москва Казань Новосибирск Екатеринбург Самара Омск Тверь Сочи", city, " ")
		split("уютное место|быстрое обслуживание|парковка рядом|есть доставка|работаем без выходных", desc, "|")
		print "partner_id,name,brand,category,address,city,phone,website,lat,lng,opening_hours,description,updated_at"
		for (i = 1; i <= n; i++) {
			k = rnd(8) + 1; b = rnd(10) + 1
			# Most names carry quotes: Кафе "Ромашка" as "Кафе ""Ромашка""".
			if (rnd(10) < 7)
				name = "\"" kind[k] " \"\"" brand[b] "\"\"\""
			else
				name = kind[k] " " brand[b]
			addr = rnd(10) < 9 ? sprintf("\"ул. %s, %d\"", street[rnd(8) + 1], rnd(150) + 1) : sprintf("ул. %s %d", street[rnd(8) + 1], rnd(150) + 1)
			d = desc[rnd(5) + 1]
			if (rnd(200) == 0)
				d = "\"" d ",\n" desc[rnd(5) + 1] "\""
			else if (rnd(2))
				d = "\"" d ", " desc[rnd(5) + 1] "\""
			id = 100000000 + int(n / 10) + (i * 16807) % p
			printf "%d,%s,%s,%s,%s,%s,+7 (%03d) %03d-%02d-%02d,https://partner.example.ru/p/%d,55.%06d,37.%06d,\"Пн-Пт 09:00-21:00, Сб 10:00-18:00\",%s,2024-%02d-%02dT%02d:%02d:%02dZ\n",
			    id, name,
			    brand[b], cat[k], addr, city[rnd(8) + 1],
			    rnd(1000), rnd(1000), rnd(100), rnd(100), id,
			    rnd(1000000), rnd(1000000), d, rnd(12) + 1,
			    rnd(28) + 1, rnd(24), rnd(60), rnd(60)
		}
	}'
}

bench_data_partner() {
	local f=$BENCH_DIR/partner-$BENCH_SIZE.csv
	bench_gen "$f" bench_gen_partner "$BENCH_ROWS" \
	    "$(bench_partner_prime "$BENCH_ROWS")" || return 1
	echo "$f"
}

# CR LF after every line, embedded newlines included (as Windows tools
# write them).
bench_data_partner_crlf() {
	local f=$BENCH_DIR/partner-$BENCH_SIZE.crlf.csv csv
	csv=$(bench_data_partner) || return 1
	bench_gen "$f" sed 's/$/\r/' "$csv" || return 1
	echo "$f"
}

bench_gen_twins() {
	awk -v n="$1" -v p="$2" "$BENCH_AWK_RND"'
	BEGIN {
		split("branch building branch branch", dt, " ")
		print "dgis_id,dgis_type,partner_id,partner_type,partner_code"
		for (i = 1; i <= n; i++)
			# 17-digit 2GIS IDs, built as text: mawk prints a
			# %d above 2^31 as 2147483647.
			printf "70000001%09d,%s,%d,branch,sber-food\n",
			    i, dt[rnd(4) + 1],
			    100000000 + (i * 48271) % p
	}'
}

bench_data_twins() {
	local f=$BENCH_DIR/twins-$BENCH_SIZE.csv
	bench_gen "$f" bench_gen_twins "$BENCH_ROWS" \
	    "$(bench_partner_prime "$BENCH_ROWS")" || return 1
	echo "$f"
}

#!/usr/bin/env bats
# bench.bats: the benchmark's verdicts (tests/bench/lib.sh), which the
# README's speed table is read from: a target is met only by the ratio
# itself, never by its rounded text.

setup() {
	export BENCH_DIR=$BATS_TEST_TMPDIR/bench
	# shellcheck source=tests/bench/lib.sh
	source "$BATS_TEST_DIRNAME/bench/lib.sh"
}

@test "bench: a 1.97x ratio misses a >= 2 target" {
	BENCH_SECS[twin-join]=6.59
	BENCH_SECS[DuckDB]=12.98
	run bench_target "inner vs DuckDB" "$(bench_speedup twin-join DuckDB)" ge 2
	[ "$output" = "  target inner vs DuckDB                              1.97 (want >= 2): MISSED" ]
}

@test "bench: a 2.01x ratio meets it, and a missing time is not measured" {
	BENCH_SECS[twin-join]=6.45
	BENCH_SECS[DuckDB]=12.98
	run bench_target "inner vs DuckDB" "$(bench_speedup twin-join DuckDB)" ge 2
	[ "$output" = "  target inner vs DuckDB                              2.01 (want >= 2): met" ]
	run bench_target "inner vs Polars" "$(bench_speedup twin-join Polars)" ge 2
	[ "$output" = "  target inner vs Polars                                 - (want >= 2): not measured" ]
}

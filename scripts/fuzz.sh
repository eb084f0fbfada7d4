#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Run every libFuzzer target built in BUILD/fuzz (make fuzz builds them
# with clang) for FUZZ_SECS seconds each, one after the other, on its seed
# corpus tests/fuzz/corpus/NAME/ (read, never written) and a scratch
# corpus BUILD/fuzz/new/NAME/ where new inputs go. A crash, leak or
# sanitizer report stops that target; its input is saved as
# BUILD/fuzz/crash/NAME-crash-HASH (add it to the seed corpus with the
# fix, and make check replays it from then on). Prints one line per
# target: executions, seconds, executions a second, new inputs, result.
#
# Environment: FUZZ_SECS (default 60), FUZZ_RUNS (stop a target after
# this many executions), FUZZ_TARGETS (names, default all), FUZZ_ARGS
# (more libFuzzer options). tests/fuzz/NAME.dict (a libFuzzer dictionary)
# and tests/fuzz/NAME.options (libFuzzer options, such as -max_len) are
# used when present.
#
# Usage: scripts/fuzz.sh BUILD
set -u

build=${1:?usage: fuzz.sh BUILD}
secs=${FUZZ_SECS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/fuzz
mkdir -p "$dir/crash" "$dir/logs"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

targets=${FUZZ_TARGETS:-}
if [ -z "$targets" ]; then
	for f in "$dir"/fuzz-*; do
		[ -x "$f" ] || continue
		targets="$targets ${f##*/fuzz-}"
	done
fi
[ -n "$targets" ] || { echo "fuzz.sh: no targets in $dir" >&2; exit 1; }

failed=0
printf '%-10s %12s %6s %9s %6s  %s\n' target executions secs "exec/s" new \
    result
for t in $targets; do
	exe=$dir/fuzz-$t
	seeds=$root/tests/fuzz/corpus/$t
	new=$dir/new/$t
	log=$dir/logs/$t.log
	if [ ! -x "$exe" ] || [ ! -d "$seeds" ]; then
		printf '%-10s %s\n' "$t" "missing: $exe or $seeds"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$new"
	before=$(find "$new" -type f | wc -l)
	set -- -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$dir/crash/$t-" -timeout=10
	[ -n "${FUZZ_RUNS:-}" ] && set -- "$@" -runs="$FUZZ_RUNS"
	[ -f "$root/tests/fuzz/$t.dict" ] &&
	    set -- "$@" -dict="$root/tests/fuzz/$t.dict"
	# shellcheck disable=SC2046
	[ -f "$root/tests/fuzz/$t.options" ] &&
	    set -- "$@" $(cat "$root/tests/fuzz/$t.options")
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$exe" "$@" ${FUZZ_ARGS:-} "$new" "$seeds" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	[ -n "$runs" ] ||
	    runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=0
	after=$(find "$new" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc; $log)"
		failed=$((failed + 1))
	fi
	[ "$took" -gt 0 ] || took=1
	printf '%-10s %12s %6s %9s %6s  %s\n' "$t" "$runs" "$took" \
	    $((runs / took)) $((after - before)) "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" |
		    head -8 | sed 's/^/    | /'
	fi
done
[ "$failed" -eq 0 ]

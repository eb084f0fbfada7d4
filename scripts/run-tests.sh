#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Run every test against the binaries in BUILD: the cmocka unit and render
# tests (BUILD/tests/test-*), each fuzz target's seed corpus replayed
# (BUILD/fuzz/replay-NAME on tests/fuzz/corpus/NAME), then the end-to-end
# tests (tests/e2e/*.sh, each given BUILD as $1). With "valgrind" as the second argument the unit tests
# run under valgrind and the e2e tests are skipped.
#
# Usage: scripts/run-tests.sh BUILD [valgrind]
set -u

build=${1:?usage: run-tests.sh BUILD [valgrind]}
mode=${2:-}
pass=0
fail=0
failed=""
logdir="$build/test-logs"
mkdir -p "$logdir"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run() {	# name, command...
	name=$1
	shift
	log="$logdir/$name.log"
	mkdir -p "$(dirname "$log")"
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1))
		printf 'PASS %-28s %3ss\n' "$name" $(($(date +%s) - start))
	else
		fail=$((fail + 1))
		failed="$failed $name"
		printf 'FAIL %-28s %3ss (log: %s)\n' "$name" \
		    $(($(date +%s) - start)) "$log"
		tail -n 40 "$log" | sed 's/^/    | /'
	fi
}

for t in "$build"/tests/test-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ "$mode" = valgrind ]; then
		run "$name" valgrind -q --leak-check=full \
		    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		    --error-exitcode=1 "$t"
	else
		run "$name" "$t"
	fi
done

# The layering: core knows no curses, lws or readline; no include circle
# in backend/ (scripts/check-layers.sh).
run layers sh scripts/check-layers.sh "$build"

# Each fuzz target on its seed corpus (tests/fuzz/corpus/NAME): every
# input that ever found a bug stays a regression test.
for r in "$build"/fuzz/replay-*; do
	[ -x "$r" ] || continue
	name=${r##*/replay-}
	if [ "$mode" = valgrind ]; then
		run "fuzz/$name" valgrind -q --error-exitcode=1 "$r" \
		    "tests/fuzz/corpus/$name"
	else
		run "fuzz/$name" "$r" "tests/fuzz/corpus/$name"
	fi
done

if [ "$mode" != valgrind ]; then
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		[ "$(basename "$t")" = lib.sh ] && continue	# sourced helpers
		run "e2e/$(basename "$t" .sh)" sh "$t" "$build"
	done
fi

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

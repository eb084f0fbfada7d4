#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Thirty days, accelerated: bench-sim runs the backend's simulator and its
# retention (the default window) on the driven clock for 30 simulated
# days at a tick every 4 s (--rate 0.25, so it takes seconds, not the
# minutes of `make bench`'s 20 a second), and prints the size of the
# snapshot a console would get at the end of every day. The snapshot must
# stay under the 2 MB bound of issue 8 and must not grow with uptime: the
# last day's is at most twice the largest of the first three. Without
# retention it grows by the day (some 60 KB a day at this rate).
#
# Usage: tests/e2e/sim-day30.sh BUILD_DIR   (e.g. build/san)
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init sim-day30 "$@"

sim=$bin/tools/bench-sim
if "$sim" -r 0.25 -D 30 -d "$data" >"$tmp/sim.out" 2>"$tmp/sim.err"; then
	pass "bench-sim ran 30 simulated days"
else
	fail "bench-sim: $(tail -3 "$tmp/sim.err")"
	e2e_finish
fi
if grep -q '^sim.complete 1$' "$tmp/sim.out"; then
	pass "the run is complete"
else
	fail "the run is not complete: $(tail -5 "$tmp/sim.out")"
fi
last=$(awk '$1 == "sim.snapshot_bytes" { print $2 }' "$tmp/sim.out")
first=$(awk '$1 == "sim.day" && $2 <= 3 && $6 > m { m = $6 }
    END { print m + 0 }' "$tmp/sim.out")
if [ -n "$last" ] && [ "$last" -le 2000000 ]; then
	pass "day 30: the snapshot is $last bytes, at most 2,000,000"
else
	fail "day 30: the snapshot is ${last:-?} bytes, over 2,000,000"
fi
if [ -n "$last" ] && [ "$first" -gt 0 ] &&
    [ "$last" -le $((2 * first)) ]; then
	pass "day 30 ($last B) is at most twice days 1-3 (at most $first B)"
else
	fail "the snapshot grows with uptime: days 1-3 at most $first B," \
	    "day 30 ${last:-?} B"
	grep '^sim.day' "$tmp/sim.out" | awk '{ print "    " $0 }'
fi
e2e_finish

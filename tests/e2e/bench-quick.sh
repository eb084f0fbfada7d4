#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# The instrument of `make bench` (scripts/bench.sh, docs/bench.md), run in
# seconds instead of minutes: the large state bench-state makes is the
# state the backend restarts with (same digest); then the whole bench in
# quick mode exits 0, writes every figure of issue 8 as a number, within
# bounds that say the instrument measured something real, and nothing it
# ran reported a sanitizer error.
#
# Usage: tests/e2e/bench-quick.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init bench-quick "$@"

# The large state, small: made through the backend's journal code, it
# must come back whole.
if "$bin/tools/bench-state" -D -a 300 -f 60 -d "$data" "$tmp/snap.json" \
    "$tmp/state" >"$tmp/state.out" 2>"$tmp/state.err"; then
	pass "bench-state made a state"
else
	fail "bench-state: $(cat "$tmp/state.err")"
fi
want=$(sed -n 's/^state\.digest //p' "$tmp/state.out")
if backend_start --state "$tmp/state" --rate 0; then
	got=$(tb digest | awk '{ print $2 }')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "the backend restarts with bench-state's state ($got)"
	else
		fail "digest after the restart $got, bench-state said $want"
	fi
	alerts=$(tb hello | sed -n 's/.* alerts=\([0-9]*\) .*/\1/p')
	if [ "$alerts" -ge 300 ] 2>/dev/null; then
		pass "it holds the $alerts alerts"
	else
		fail "it holds ${alerts:-no} alerts, not 300 and more"
	fi
	backend_stop
fi

# The whole bench, in seconds.
out=$tmp/bench.json
work=$tmp/work
if BENCH_QUICK=1 BENCH_SECS=2 BENCH_WARMUP=1 BENCH_RTT_SECS=1 \
    BENCH_FANOUT_SECS=1 BENCH_CLIENTS=5 BENCH_PAINT_RUNS=1 \
    BENCH_ALERTS=300 BENCH_CASES=60 BENCH_DAYS=0.005 BENCH_SIM_SECS=120 \
    BENCH_OUT="$out" BENCH_TMP="$work" \
    bash "$root/scripts/bench.sh" "$bin" >"$tmp/bench.out" 2>&1; then
	pass "scripts/bench.sh exited 0"
else
	fail "scripts/bench.sh exited $?"
	cat "$tmp/bench.out"
fi

# "key": value of the figure in the JSON, as written.
figure() {
	sed -n "s/^  \"$1\": \\([^,]*\\),\$/\\1/p" "$out" 2>/dev/null
}

for k in events_per_s tty_bytes_per_s_80x24 tty_bytes_per_s_200x50 \
    tty_bytes_per_s_80x24_rate100 wire_bytes_per_s_raw wire_bytes_per_s \
    relay_upstream_bytes_per_s ingest_events_per_s parse_only_events_per_s snapshot_load_ms_100k \
    snapshot_parse_ms_100k rss_kb_100k restart_ms_100k command_rtt_p99_ms \
    first_paint_ms fanout_p99_ms_200 snapshot_bytes_day30; do
	v=$(figure "$k")
	case $v in
	[0-9]*) pass "$k = $v" ;;
	*) fail "$k is \"$v\", not a number" ;;
	esac
done

# Bounds that only a real measurement meets.
within() {	# key, low, high
	awk -v v="$(figure "$1")" -v lo="$2" -v hi="$3" \
	    'BEGIN { exit !(v + 0 >= lo && v + 0 <= hi) }'
}
within events_per_s 5 80 && pass "about 20 events a second" ||
    fail "events_per_s $(figure events_per_s) at --rate 20"
within tty_bytes_per_s_80x24 1 1000000 && pass "the console wrote" ||
    fail "no terminal bytes counted"
within wire_bytes_per_s 1 "$(figure wire_bytes_per_s_raw)" &&
    pass "the wire carries no more than the payload" ||
    fail "wire $(figure wire_bytes_per_s) vs payload \
$(figure wire_bytes_per_s_raw)"
within rss_kb_100k 1000 10000000 && pass "a console RSS" ||
    fail "rss_kb_100k $(figure rss_kb_100k)"
within fanout_p99_ms_200 0 60000 && pass "fan-out latencies" ||
    fail "fanout_p99_ms_200 $(figure fanout_p99_ms_200)"
if grep -q '"verdicts": {' "$out" && grep -q '"notes": {' "$out"; then
	pass "targets, verdicts and notes are in the JSON"
else
	fail "no verdicts or notes in $out"
fi

# Nothing the bench ran (tools, backends, consoles) reported an error.
if grep -El "AddressSanitizer|LeakSanitizer|runtime error" "$work"/*err \
    >"$tmp/san.txt" 2>/dev/null; then
	fail "sanitizer reports in: $(cat "$tmp/san.txt")"
	cat $(cat "$tmp/san.txt") | head -40
else
	pass "no sanitizer report from anything the bench ran"
fi

e2e_finish

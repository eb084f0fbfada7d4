#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Exactly once over JetStream with no gap (docs/ha.md, "Command ids in
# the events"): a holder that dies between its events' acks and its
# command record, or between two of one command's events, loses nothing
# and applies nothing twice. One nats-server -js; the fault hook
# TRUCBAN_TEST_NATS_DIE (a test's only: the holder kills itself with
# SIGKILL at that point) makes the holder die:
#  1. "record": an inject's event is acknowledged, its record is never
#     sent; the other gateway takes the lease, the same id sent to it is
#     answered with the first result (the item the first run made), and
#     the alert is there once.
#  2. "part": a dispatch's first event (the alert) is acknowledged, the
#     second (the unit) never sent; the next holder appends it from the
#     first event's headers: the unit is dispatched on the alert, the id
#     sent again gets the first result, and a gateway rebuilt from the
#     stream holds the same state.
#
# Usage: tests/e2e/nats-exactly-once.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init nats-exactly-once "$@"

nats_start n1
case $? in
0) ;;
2) fail "nats-server is not installed (scripts/deps.sh ha)"; e2e_finish ;;
*) exit 1 ;;
esac
opts="--nats $nats_url_n1 --seed 5 --rate 0"

# A gateway of our own (not backend_start's): name, extra environment.
gw_start() {
	: >"$tmp/$1.out"
	# shellcheck disable=SC2086
	env $2 "$backend" --listen 127.0.0.1:0 --data "$data" $opts \
	    >"$tmp/$1.out" 2>"$tmp/$1.err" &
	eval "pid_$1=\$!"
	e2e_on_cleanup "kill -9 \$pid_$1 2>/dev/null"
	wait_for 10 "grep -q '^trucban-backend: listening' '$tmp/$1.out'" ||
	    { fail "gateway $1 did not start"; cat "$tmp/$1.err"; exit 1; }
	eval "url_$1=\$(sed -n 's/^trucban-backend: listening on \(ws:.*\)$/\1/p' \
	    '$tmp/$1.out')"
}
holds() {	# name
	grep -Eq 'holds the lease|took the lease' "$tmp/$1.err"
}
dead() {	# pid
	! kill -0 "$1" 2>/dev/null
}
count_title() {	# url, title
	"$client" -t 10 "$1" snapshot | grep -o "\"title\":\"$2\"" | wc -l
}

# 1. The record's gap.
gw_start a TRUCBAN_TEST_NATS_DIE=record
wait_for 10 "holds a" || fail "gateway a does not hold the lease"
gw_start b ""
grep -q 'follows the stream' "$tmp/b.err" || fail "gateway b does not follow"
area=$("$client" -t 10 "$url_a" snapshot |
    sed -n 's/.*"areas":\[{"code":"\([^"]*\)".*/\1/p')
args='{"kind":"alert","item":{"kind":"fire","severity":3,"area":"'$area'",'
args=$args'"place":"Kho 1","source":"manual","title":"EXACTLY-ONCE-1"}}'
"$client" -t 5 "$url_a" cmd inject "$args" eo-inject-1 >"$tmp/first.out" \
    2>&1
if wait_for 10 "dead $pid_a" &&
    grep -q 'TRUCBAN_TEST_NATS_DIE=record: killed after' "$tmp/a.err"; then
	pass "the holder died after its event's ack, before the record"
else
	fail "the holder did not die at the hook: $(tail -3 "$tmp/a.err")"
fi
t0=$(date +%s%N)
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/b.err'"; then
	pass "gateway b took the lease in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	fail "gateway b did not take the lease"
fi
again=$("$client" -t 20 "$url_b" cmd inject "$args" eo-inject-1)
made=$("$client" -t 10 "$url_b" snapshot | grep -o \
    '"id":"A-[0-9]*","kind":"fire","severity":3,"area":"[0-9A-Za-z]*","place":"Kho 1","source":"manual","title":"EXACTLY-ONCE-1"' |
    sed 's/^"id":"\([^"]*\)".*/\1/')
n=$(count_title "$url_b" EXACTLY-ONCE-1)
if [ "$n" = 1 ] && echo "$again" | grep -q '"ok":true' &&
    echo "$again" | grep -q "\"item\":\"$made\""; then
	pass "the same id again: its first result ($made), applied once"
else
	fail "the same id again: '$again'; $n alerts EXACTLY-ONCE-1 ($made)"
fi

# 2. A torn command: the first of its two events only.
gw_start c TRUCBAN_TEST_NATS_DIE=part
kill "$pid_b"
wait "$pid_b" 2>/dev/null
wait_for 15 "grep -q 'holds the lease: applying' '$tmp/c.err'" ||
    fail "gateway c did not take the lease"
unit=$("$client" -t 10 "$url_c" first-unit)
dargs="{\"alert\":\"$made\",\"units\":[\"$unit\"]}"
"$client" -t 5 "$url_c" cmd dispatch "$dargs" eo-dispatch-1 \
    >"$tmp/d1.out" 2>&1
if wait_for 10 "dead $pid_c" &&
    grep -q 'TRUCBAN_TEST_NATS_DIE=part: killed after' "$tmp/c.err"; then
	pass "the holder died after the first of the dispatch's events"
else
	fail "the holder did not die at the hook: $(tail -3 "$tmp/c.err")"
fi
gw_start d ""
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/d.err'" &&
    grep -q "command eo-dispatch-1: 1 of its 2 events" "$tmp/d.err"; then
	pass "the next holder found the torn command and completed it"
else
	fail "no completion: $(grep -i 'command\|lease' "$tmp/d.err" | tail -3)"
fi
again=$("$client" -t 20 "$url_d" cmd dispatch "$dargs" eo-dispatch-1)
u=$("$client" -t 10 "$url_d" get unit "$unit")
a=$("$client" -t 10 "$url_d" get alert "$made")
if echo "$again" | grep -q '"ok":true' &&
    echo "$u" | grep -q '"status":"dispatched"' &&
    echo "$u" | grep -q "\"alert\":\"$made\"" &&
    echo "$a" | grep -q "\"units\":\[\"$unit\"\]"; then
	pass "the dispatch whole, once: $unit on $made; the id again: ok"
else
	fail "after the completion: result '$again', unit '$u', alert '$a'"
fi
# A gateway rebuilt from the stream alone holds the same state.
gw_start e ""
same() {
	d1=$("$client" -t 10 "$url_d" digest)
	d2=$("$client" -t 10 "$url_e" digest)
	[ -n "$d1" ] && [ "$d1" = "$d2" ]
}
if wait_for 15 same; then
	pass "a gateway rebuilt from the stream: the same state ($d1)"
else
	fail "digests differ: '$d1' and '$d2'"
fi
kill "$pid_d" "$pid_e"
wait "$pid_d" "$pid_e" 2>/dev/null
if ! grep -Eq 'Sanitizer|runtime error' "$tmp"/[abcde].err; then
	pass "no sanitizer report from the gateways"
else
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp"/[abcde].err | head -20
fi
e2e_finish

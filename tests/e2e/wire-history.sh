#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Events carry only the history entries their change appended
# ("history_from", docs/protocol.md): an alert whose history is full (200
# entries of 4 KB, folded) makes small events, a burst of 50 notes on it
# (the documented burst) at the documented rate closes nobody who reads,
# and what a reading client merged is exactly the backend's state (its
# digest). A client that does not merge deltas (-F) gets whole items.
#
# Usage: tests/e2e/wire-history.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init wire-history "$@"

state=$tmp/state
# A long history, quickly: the rate limit raised for the set-up only.
backend_start --rate 0 --state "$state" --client-rate 100000 \
    --client-burst 100000 || exit 1
alert=$(tb first-alert)
[ -n "$alert" ] || { fail "no alert"; exit 1; }
long=$(awk 'BEGIN { for (i = 0; i < 400; i++) printf "ghi chú %03d ", i % 1000 }' |
    cut -c1-3900)
"$client" -t 120 "$url" burst fill 210 note \
    '{"alert":"'"$alert"'","text":"%n '"$long"'"}' >"$tmp/fill.out" 2>&1
n=$(grep -c ' ok ' "$tmp/fill.out")
[ "$n" -eq 210 ] && pass "210 notes of 4 KB on $alert" ||
    fail "$n of 210 notes ok: $(tail -3 "$tmp/fill.out")"
entries=$(tb get alert "$alert" | grep -o '"what":' | wc -l)
[ "$entries" -eq 200 ] && pass "its history is full (200 entries)" ||
    fail "its history has $entries entries, not 200"
backend_stop || fail "the backend did not stop cleanly"

# The documented limits now: 20 a second, bursts of 50.
backend_start --rate 0 --state "$state" || exit 1
snapshots() {
	grep -c 'hello, snapshot' "$tmp/be.err"
}
s0=$(snapshots)
"$client" -t 60 "$url" watch 6 >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
wait_for 20 '[ "$(snapshots)" -gt "$s0" ]' ||
    fail "the watching client got no snapshot"
"$client" -t 60 "$url" burst b 50 note \
    '{"alert":"'"$alert"'","text":"%n '"$long"'"}' >"$tmp/burst.out" 2>&1
n=$(grep -c ' ok ' "$tmp/burst.out")
[ "$n" -eq 50 ] && pass "a burst of 50 notes, all ok" ||
    fail "$n of 50 notes ok: $(grep -v ' ok ' "$tmp/burst.out" | head -3)"
wait "$wpid"
wrc=$?
[ "$wrc" -eq 0 ] && pass "the reading client stayed" ||
    fail "the reading client ended with $wrc: $(cat "$tmp/watch.err")"
grep -q '^watch.digest equal' "$tmp/watch.out" &&
    pass "what it merged is the backend's state" ||
    fail "its digest: $(grep digest "$tmp/watch.out")"
! grep -q 'outbound queue full' "$tmp/be.err" &&
    pass "no client closed for its queue" ||
    fail "the backend closed a client: $(grep 'queue full' "$tmp/be.err")"
# Per event: the note and the item, not 200 entries of 4 KB (800 KB).
per=$(awk '/^watch.app_bytes_per_s/ { a = $2 } /^watch.events_per_s/ {
    e = $2 } END { if (e > 0) printf "%d", a / e; else print "none" }' \
    "$tmp/watch.out")
if [ "$per" != none ] && [ "$per" -lt 16384 ]; then
	pass "$per bytes an event"
else
	fail "$per bytes an event: $(cat "$tmp/watch.out")"
fi
# Deltas on the wire, named as such.
seq=$(tb digest | cut -d' ' -f1)
"$client" -t 20 "$url" -r $((seq - 1)) hello >"$tmp/resume.out" 2>&1
grep -q 'events=1 ' "$tmp/resume.out" &&
    pass "a resume of one event: $(cat "$tmp/resume.out")" ||
    fail "resume: $(cat "$tmp/resume.out")"

# A client that does not merge gets the whole history in an event, and
# resumes with a snapshot.
"$client" -F -t 30 "$url" watch 3 >"$tmp/full.out" 2>"$tmp/full.err" &
fpid=$!
s0=$(snapshots)
wait_for 20 '[ "$(snapshots)" -gt "$s0" ]' ||
    fail "the -F client got no snapshot"
tb cmd note '{"alert":"'"$alert"'","text":"one more"}' >/dev/null
wait "$fpid"
per=$(awk '/^watch.app_bytes_per_s/ { a = $2 } /^watch.events_per_s/ {
    e = $2 } END { if (e > 0) printf "%d", a / e; else print "none" }' \
    "$tmp/full.out")
if [ "$per" != none ] && [ "$per" -gt 400000 ] &&
    grep -q '^watch.digest equal' "$tmp/full.out"; then
	pass "without history_delta: $per bytes an event, digest equal"
else
	fail "without history_delta: $(cat "$tmp/full.out" "$tmp/full.err")"
fi
seq=$(tb digest | cut -d' ' -f1)
"$client" -F -t 20 "$url" -r $((seq - 1)) hello >"$tmp/fresume.out" 2>&1
grep -q 'snapshot=1' "$tmp/fresume.out" &&
    pass "its resume is a snapshot" ||
    fail "its resume: $(cat "$tmp/fresume.out")"
backend_stop || fail "the backend did not stop cleanly"
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# A resume never livelocks: a client that missed more events than half
# its outbound queue holds (--max-queue) gets a snapshot with the gap
# marker instead of the events, and stays connected; one that missed
# fewer gets exactly the events. Before, the replay itself overflowed the
# queue and the backend closed with 1008, on every resume, for ever.
#
# Usage: tests/e2e/wire-resume.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init wire-resume "$@"

backend_start --rate 0 --max-queue 40 --client-rate 100000 \
    --client-burst 100000 || exit 1
alert=$(tb first-alert)
seq0=$(tb digest | cut -d' ' -f1)
"$client" -t 60 "$url" burst n 60 note \
    '{"alert":"'"$alert"'","text":"missed %n"}' >"$tmp/burst.out" 2>&1
n=$(grep -c ' ok ' "$tmp/burst.out")
[ "$n" -eq 60 ] && pass "60 events made" || fail "$n of 60 notes ok"
seq1=$(tb digest | cut -d' ' -f1)

# 60 missed, the queue 40: a snapshot with the gap marker.
"$client" -t 20 "$url" -r "$seq0" hello >"$tmp/far.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q "snapshot=1 gap=true seq=$seq1" "$tmp/far.out"
then
	pass "60 missed: a gap snapshot at $seq1"
else
	fail "60 missed: status $rc: $(tail -2 "$tmp/far.out")"
fi
grep -q 'pass half its queue' "$tmp/be.err" &&
    pass "the backend says why" || fail "no log line for the snapshot"
! grep -q 'outbound queue full' "$tmp/be.err" &&
    pass "nobody closed" || fail "a client was closed for its queue"

# 10 missed: exactly those.
"$client" -t 20 "$url" -r $((seq1 - 10)) hello >"$tmp/near.out" 2>&1
grep -q "events=10 snapshot=0 gap=false seq=$seq1" "$tmp/near.out" &&
    pass "10 missed: the 10 events" ||
    fail "10 missed: $(tail -2 "$tmp/near.out")"
backend_stop || fail "the backend did not stop cleanly"
e2e_finish

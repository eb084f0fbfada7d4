#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Nothing lost, nothing done twice: the backend runs with --state; four
# tb-clients send bursts of commands in parallel; the backend is killed
# with SIGKILL in the middle; after a restart every command that got an
# "ok" is there exactly once, repeating the ids gives the first results
# and no new events, a second restart rebuilds the same state (digest),
# and a client that comes back with its last seq gets exactly the events
# it missed, from memory or from the journal.
#
# Usage: tests/e2e/backend-journal.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init backend-journal "$@"

state=$tmp/state
opts="--state $state --seed 3 --snapshot-every 150 --client-rate 1000 \
    --client-burst 1000"

# shellcheck disable=SC2086
backend_start $opts --rate 20 || exit 1
area=$(tb snapshot | sed -n 's/.*"areas":\[{"code":"\([^"]*\)".*/\1/p')
[ -n "$area" ] || { fail "no area in the snapshot"; area=HL; }

# inject: every command makes one new alert whose title names its id.
args='{"kind":"alert","item":{"kind":"fire","severity":2,"area":"'$area'",'
args=$args'"place":"Kho %n","source":"manual","title":"burst PFX-%n"}}'
burst() {	# prefix, count
	"$client" -t 30 "$url" burst "$1" "$2" inject \
	    "$(echo "$args" | sed "s/PFX/$1/")"
}

n=300
for k in 1 2 3 4; do
	burst "b$k" $n >"$tmp/burst$k.out" 2>"$tmp/burst$k.err" &
	eval "cpid$k=\$!"
done
oks() {
	cat "$tmp"/burst[1-4].out 2>/dev/null | grep -c ' ok '
}
if wait_for 30 '[ "$(oks)" -ge 40 ]'; then
	pass "bursts running: $(oks) commands acknowledged"
else
	fail "bursts: only $(oks) acknowledged"
fi
kill -9 "$bpid"
wait "$bpid" 2>/dev/null
bpid=
for k in 1 2 3 4; do
	eval "wait \$cpid$k"
done
acked=$(oks)
sent=$(cat "$tmp"/burst[1-4].out | wc -l)
if [ "$acked" -lt $((4 * n)) ]; then
	pass "killed mid-burst: $acked of $((4 * n)) acknowledged"
else
	fail "the burst ended before the kill ($acked acknowledged)"
fi

# shellcheck disable=SC2086
backend_start $opts --rate 0 || exit 1
if grep -q 'journal .*restored seq' "$tmp/be.err"; then
	pass "restarted from the journal: $(sed -n \
	    's/.*journal .*: \(restored seq [0-9]*\).*/\1/p' "$tmp/be.err" |
	    tail -1)"
else
	fail "no restore in the log"
fi
tb snapshot >"$tmp/snap1.json"
digest1=$(tb digest)
# The command ids whose alerts a snapshot holds, sorted, once per alert.
titles() {
	grep -o '"title":"burst [^"]*"' "$1" |
	    sed 's/^"title":"burst \(.*\)"$/\1/' | sort
}
# Every acknowledged command is there, and nothing is there twice.
titles "$tmp/snap1.json" >"$tmp/titles1"
cat "$tmp"/burst[1-4].out | awk '$2 == "ok" { print $1 }' | sort \
    >"$tmp/acked"
bad=$(comm -23 "$tmp/acked" "$tmp/titles1" | wc -l)
dups=$(uniq -d "$tmp/titles1" | wc -l)
if [ "$bad" -eq 0 ] && [ "$dups" -eq 0 ]; then
	pass "all $acked acknowledged commands present exactly once"
else
	fail "$bad acknowledged commands missing or repeated, $dups twice"
fi

# The same ids again: the first results, and no new event.
for k in 1 2; do
	burst "b$k" $n >"$tmp/again$k.out" 2>&1
done
changed=0
for k in 1 2; do
	while read -r id what seq; do
		first=$(grep "^$id " "$tmp/burst$k.out")
		[ -z "$first" ] && continue	# Not answered before the kill.
		if [ "$first" != "$id $what $seq" ]; then
			changed=$((changed + 1))
			echo "  $id: '$first' then '$id $what $seq'"
		fi
	done <"$tmp/again$k.out"
done
[ $changed -eq 0 ] && pass "repeated ids: the first results" ||
    fail "repeated ids: $changed results changed"
tb snapshot >"$tmp/snap2.json"
titles "$tmp/snap2.json" >"$tmp/titles2"
dups=$(uniq -d "$tmp/titles2" | wc -l)
all=$(grep -c '^b[12]-' "$tmp/titles2")
if [ "$dups" -eq 0 ] && [ "$all" -eq $((2 * n)) ]; then
	pass "after the repeat: every command of b1, b2 once ($all)"
else
	fail "after the repeat: $all commands of b1, b2, $dups twice"
fi

# Resume: exactly the missed events, from memory.
seq0=$(tb digest | cut -d' ' -f1)
burst c 5 >/dev/null 2>&1
seq1=$(tb digest | cut -d' ' -f1)
out=$(tb -r "$seq0" hello | tail -1)
if [ "$out" = "resume events=$((seq1 - seq0)) snapshot=0 gap=false \
seq=$seq1" ] && [ $((seq1 - seq0)) -ge 5 ]; then
	pass "resume after $seq0: $((seq1 - seq0)) events"
else
	fail "resume after $seq0 (now $seq1): $out"
fi

# A clean stop and a restart: the same state, the same seq.
digest2=$(tb digest)
backend_stop || fail "the backend did not stop cleanly"
# shellcheck disable=SC2086
backend_start $opts --rate 0 || exit 1
digest3=$(tb digest)
if [ "$digest2" = "$digest3" ]; then
	pass "restart rebuilds the state: $digest3"
else
	fail "restart: '$digest2' then '$digest3'"
fi
[ -n "$digest1" ] || fail "no digest after the crash"

# Older than what the restarted backend holds in memory (the tail after
# its newest snapshot): from the journal.
snap=$(ls "$state" | sed -n 's/^snap-0*\([0-9][0-9]*\)\.json$/\1/p' |
    sort -n | tail -1)
seq=${digest3%% *}
from=$((snap - 20))
out=$(tb -r "$from" hello | tail -1)
if [ "$out" = "resume events=$((seq - from)) snapshot=0 gap=false \
seq=$seq" ] && grep -q 'events from the journal' "$tmp/be.err"; then
	pass "resume after $from (snapshot at $snap): from the journal"
else
	fail "resume after $from (snapshot $snap, seq $seq): $out"
fi
if ! grep -Eq 'Sanitizer|runtime error' "$tmp/be.err" \
    "$tmp"/burst[1-4].err; then
	pass "no sanitizer report from the backend or the clients"
else
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" \
	    "$tmp"/burst[1-4].err | head -20
fi
e2e_finish

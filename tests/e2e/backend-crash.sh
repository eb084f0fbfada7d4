#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Never applied twice after a crash (issue 9, item 1): a command's events
# and its remembered id become durable together, or not at all.
#
# The backend runs with --state and nothing simulated (--rate 0), so the
# next event is always the next command's. TRUCBAN_TEST_CRASH_AFTER_EVENT
# (test-only: docs/journal.md) makes it write what its journal holds right
# after a given event and die there with _exit(86), as a kill -9 in the
# middle of a turn would: the command's event is in the segment, its
# record is not.
#
# 1. One note, and the same id again after the restart (what a console
#    does with its outbox): the note is there once.
# 2. A burst: three clients send long notes at a raised --client-rate (so
#    turns also pass the 1 MiB the journal writes in the middle of a turn),
#    and the backend dies at an event in the middle of the burst. After
#    the restart every client sends all its ids again: every note is there
#    exactly once, and the ids answered before the crash get their first
#    results.
#
# Usage: tests/e2e/backend-crash.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init backend-crash "$@"

state=$tmp/state
opts="--state $state --seed 5 --rate 0 --client-rate 100000 \
    --client-burst 100000"
crash_env=TRUCBAN_TEST_CRASH_AFTER_EVENT

# Starts the backend set to die after event $1.
backend_start_crashing() {
	export TRUCBAN_TEST_CRASH_AFTER_EVENT="$1"
	# shellcheck disable=SC2086
	backend_start $opts
	_bc_rc=$?
	unset TRUCBAN_TEST_CRASH_AFTER_EVENT
	return $_bc_rc
}

# Waits for the backend to end; its exit status must be the hook's.
backend_died() {
	wait "$bpid"
	_bd_rc=$?
	bpid=
	[ "$_bd_rc" -eq 86 ]
}

# How many times the backend's log says it cut off an unfinished turn.
cut_offs() {
	grep -c 'no commit after them' "$tmp/be.err"
}

# How many times the text $2 is in alert $1's history.
count_notes() {
	tb get alert "$1" | grep -o "$2" | wc -l
}

# shellcheck disable=SC2086
backend_start $opts || exit 1
seq0=$(tb digest | cut -d' ' -f1)
alerts=$(tb snapshot | grep -o '"id":"A-[0-9]*"' | cut -d'"' -f4 |
    head -4 | tr '\n' ' ')
set -- $alerts
[ $# -eq 4 ] || { fail "four alerts wanted, got: $alerts"; exit 1; }
backend_stop || fail "the backend did not stop cleanly"

# ==== 1. One note. ====
backend_start_crashing $((seq0 + 1)) || exit 1
"$client" -t 10 "$url" cmd note '{"alert":"'"$1"'","text":"crash-note-1"}' \
    crash-1 >"$tmp/cmd1.out" 2>&1
if backend_died; then
	pass "the backend died after event $((seq0 + 1)) (the hook)"
else
	fail "the backend did not die by the hook (status $_bd_rc)"
fi
if grep -q 'crash-note-1' "$state"/journal-*.log &&
    ! grep -q '"id":"crash-1"' "$state"/journal-*.log; then
	pass "on disk: the note's event, not its command record"
else
	fail "the crash did not leave the event without its record"
fi
grep -q ' ok ' "$tmp/cmd1.out" && fail "a result was sent before the crash"

# shellcheck disable=SC2086
backend_start $opts || exit 1
seq1=$(tb digest | cut -d' ' -f1)
if [ "$seq1" = "$seq0" ] && [ "$(cut_offs)" -eq 1 ]; then
	pass "restarted at seq $seq1: the uncommitted event is cut off"
else
	fail "restarted at seq $seq1, not $seq0 ($(cut_offs) cut off)"
fi
out=$(tb cmd note '{"alert":"'"$1"'","text":"crash-note-1"}' crash-1)
case $out in
*'"ok":true'*) pass "the same id again: applied" ;;
*) fail "the same id again: $out" ;;
esac
n=$(count_notes "$1" crash-note-1)
if [ "$n" -eq 1 ]; then
	pass "the note is there once"
else
	fail "the note is there $n times"
fi
out2=$(tb cmd note '{"alert":"'"$1"'","text":"crash-note-1"}' crash-1)
if [ "$out2" = "$out" ] && [ "$(count_notes "$1" crash-note-1)" -eq 1 ]; then
	pass "and once more: the first result, nothing applied"
else
	fail "once more: '$out2' after '$out'"
fi
seq2=$(tb digest | cut -d' ' -f1)
backend_stop || fail "the backend did not stop cleanly"

# ==== 2. A burst from three clients. ====
shift
# Random text; notes that compress well from concurrent clients once
# garbled lws 4.1.6's inflate (tests/e2e/wire-deflate.sh guards the fix).
long=$(head -c 2250 /dev/urandom | base64 | tr -d '\n' | tr '+/' 'xy')
n=60
burst() {	# client number, alert
	"$client" -t 60 "$url" burst "b$1" $n note \
	    '{"alert":"'"$2"'","text":"burst b'"$1"'-%n '"$long"'"}'
}
backend_start_crashing $((seq2 + 100)) || exit 1
k=1
for a in "$@"; do
	burst $k "$a" >"$tmp/burst$k.out" 2>"$tmp/burst$k.err" &
	eval "cpid$k=\$!"
	k=$((k + 1))
done
if backend_died; then
	pass "the backend died in the burst, after event $((seq2 + 100))"
else
	fail "the backend did not die by the hook (status $_bd_rc)"
fi
for k in 1 2 3; do
	eval "wait \$cpid$k"
done
acked=$(cat "$tmp"/burst[1-3].out | grep -c ' ok ')
big=$(wc -c <"$(ls "$state"/journal-*.log | tail -1)")
pass "$acked of $((3 * n)) acknowledged before the crash; the segment \
holds $big bytes"

# shellcheck disable=SC2086
backend_start $opts || exit 1
[ "$(cut_offs)" -eq 2 ] && pass "restarted: the unfinished turn cut off" ||
    fail "restarted: nothing cut off"
k=1
for a in "$@"; do
	burst $k "$a" >"$tmp/again$k.out" 2>&1
	k=$((k + 1))
done
again=$(cat "$tmp"/again[1-3].out | grep -c ' ok ')
[ "$again" -eq $((3 * n)) ] && pass "the same ids again: all $again ok" ||
    fail "the same ids again: $again of $((3 * n)) ok"
changed=0
for k in 1 2 3; do
	while read -r id what seq; do
		first=$(grep "^$id " "$tmp/burst$k.out")
		[ -z "$first" ] && continue
		if [ "$first" != "$id $what $seq" ]; then
			changed=$((changed + 1))
			echo "  $id: '$first' then '$id $what $seq'"
		fi
	done <"$tmp/again$k.out"
done
[ $changed -eq 0 ] && pass "ids answered before the crash: first results" ||
    fail "$changed results changed"
k=1
twice=0
missing=0
for a in "$@"; do
	tb get alert "$a" | grep -o "burst b$k-[0-9]*" | sort >"$tmp/notes$k"
	twice=$((twice + $(uniq -d "$tmp/notes$k" | wc -l)))
	missing=$((missing + n - $(sort -u "$tmp/notes$k" | wc -l)))
	uniq -d "$tmp/notes$k" | sed 's/^/  twice: /'
	k=$((k + 1))
done
if [ $twice -eq 0 ] && [ $missing -eq 0 ]; then
	pass "every one of the $((3 * n)) notes is there exactly once"
else
	fail "$twice notes twice, $missing missing"
fi

digest1=$(tb digest)
backend_stop || fail "the backend did not stop cleanly"
# shellcheck disable=SC2086
backend_start $opts || exit 1
digest2=$(tb digest)
[ "$digest1" = "$digest2" ] && pass "a clean restart: the same state" ||
    fail "restart: '$digest1' then '$digest2'"

if ! grep -Eq 'Sanitizer|runtime error' "$tmp/be.err" \
    "$tmp"/burst[1-3].err; then
	pass "no sanitizer report"
else
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
fi
e2e_finish

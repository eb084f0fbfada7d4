#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Snapshots in JetStream (docs/ha.md, "Snapshots"): one nats-server -js.
# Gateway A holds the lease at a fast rate and writes a snapshot to
# TRUCBAN_SNAP every 600 events, in 8 KiB chunks (a test setting); its
# third snapshot gets one digit changed after its checksum was taken, and
# it dies (_exit) half-way through its fourth (test hooks). Gateway B,
# started late, loads the newest snapshot and applies only the events
# after it, and holds A's state. After A's death, gateway C starts: it
# must ignore the torn snapshot (no manifest) and the corrupt one
# (checksum), load the one before, and hold B's state. Last, events aged
# out (--nats-max-age): a gateway starts from a snapshot after them (the
# newest 3 kept), and without one it is refused with a clear message.
#
# Usage: tests/e2e/nats-snapshot.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init nats-snapshot "$@"

nats_start n1
case $? in
0) ;;
2) fail "nats-server is not installed (scripts/deps.sh ha)"; e2e_finish ;;
*) exit 1 ;;
esac
every=600
opts="--nats $nats_url_n1 --seed 3 --rate 100"

# The snapshots A wrote: "SEQ" a line.
written() {
	sed -n 's/.*nats: wrote the snapshot at seq \([0-9]*\).*/\1/p' \
	    "$tmp/be.err"
}
TRUCBAN_TEST_NSNAP_CHUNK=8192 TRUCBAN_TEST_NSNAP_CORRUPT=3 \
TRUCBAN_TEST_NSNAP_TORN=4 backend_start $opts --nats-snapshot-every $every ||
    exit 1
apid=$bpid
# Commands before the first snapshot: their ids travel in the snapshots.
area=$(tb snapshot | sed -n 's/.*"areas":\[{"code":"\([^"]*\)".*/\1/p')
args='{"kind":"alert","item":{"kind":"fire","severity":2,"area":"'$area'",'
args=$args'"place":"Kho %n","source":"manual","title":"snap %n"}}'
"$client" -t 20 "$url" burst k 20 inject "$args" >"$tmp/k1.out" 2>&1
[ "$(grep -c ' ok ' "$tmp/k1.out")" -eq 20 ] &&
    pass "20 commands applied before the first snapshot" ||
    fail "commands: $(grep -c ' ok ' "$tmp/k1.out") of 20 ok"
if wait_for 30 '[ "$(written | wc -l)" -ge 2 ]'; then
	pass "the holder wrote snapshots at seq $(written | tr '\n' ' ')"
else
	fail "the holder wrote $(written | wc -l) snapshots in 30 s"
	cat "$tmp/be.err" >&2
	e2e_finish
fi
grep -q 'wrote the snapshot at seq .* in [0-9]* chunks' "$tmp/be.err" &&
    pass "in chunks: $(grep -m1 -o '[0-9]* bytes in [0-9]* chunks' \
    "$tmp/be.err")" || fail "no chunks in the log"

# A gateway started late: the newest snapshot, then the events after it.
gateway() {	# name, extra arguments...
	_g=$1
	shift
	"$backend" --listen 127.0.0.1:0 --data "$data" $opts "$@" \
	    >"$tmp/$_g.out" 2>"$tmp/$_g.err" &
	eval "pid_$_g=\$!"
	e2e_on_cleanup "kill -9 \$pid_$_g 2>/dev/null"
	_gurl() {
		eval "url_$_g=\$(sed -n 's/^trucban-backend: listening on \
\(ws:.*\)$/\1/p' '$tmp/$_g.out' 2>/dev/null)"
		eval "[ -n \"\$url_$_g\" ]"
	}
	wait_for 15 _gurl
}
# "SNAPSHOT EVENTS RESTORED" of a gateway's start.
started() {	# name
	_re='.*restored seq \([0-9]*\) (snapshot \([0-9]*\), \([0-9]*\)'
	sed -n "s/$_re events after it.*/\\2 \\3 \\1/p" "$tmp/$1.err"
}
gateway b --nats-snapshot-every 0 || fail "gateway b did not start"
set -- $(started b)
snap_b=${1:-0} after_b=${2:-0} seq_b=${3:-0}
if [ "$snap_b" -gt 0 ] && written | grep -qx "$snap_b" &&
    grep -q "loaded the snapshot at seq $snap_b " "$tmp/b.err" &&
    [ "$after_b" -eq $((seq_b - snap_b)) ] &&
    [ $((after_b * 2)) -lt "$seq_b" ]; then
	pass "a late gateway loaded the snapshot at seq $snap_b and applied \
the $after_b events after it, not $seq_b"
else
	fail "the late gateway: snapshot '$snap_b', $after_b events, seq \
$seq_b"
	cat "$tmp/b.err" >&2
fi
same() {	# url, url
	"$client" -t 10 "$1" digest >"$tmp/d1" &
	"$client" -t 10 "$2" digest >"$tmp/d2"
	wait $!
	d1=$(cat "$tmp/d1")
	d2=$(cat "$tmp/d2")
	[ -n "$d1" ] && [ "$d1" = "$d2" ]
}
# The simulator runs: poll until both answer at the same seq.
if wait_for 15 "same '$url' '$url_b'"; then
	pass "it holds the writer's state ($d1)"
else
	fail "the late gateway differs: '$d1' and '$d2'"
fi

# A's third snapshot is corrupt, and it dies in its fourth.
if wait_for 40 "! kill -0 $apid 2>/dev/null"; then
	wait "$apid"
	rc=$?
	bpid=
	if [ $rc -eq 86 ] && grep -q 'dying half-way through the snapshot' \
	    "$tmp/be.err"; then
		pass "the writer died half-way through a snapshot \
($(sed -n 's/.*\(the snapshot at seq [0-9]* (chunk [0-9]* of [0-9]*)\)/\1/p' \
"$tmp/be.err"))"
	else
		fail "the writer ended with $rc"
	fi
else
	fail "the writer did not die in its fourth snapshot"
fi
_re='.*wrote the snapshot at seq \([0-9]*\) .*one digit changed'
corrupt=$(sed -n "s/$_re.*/\\1/p" "$tmp/be.err")
good=$(written | grep -vx "$corrupt" | tail -1)
[ -n "$corrupt" ] && [ -n "$good" ] ||
    fail "no corrupt snapshot after a good one: $(written | tr '\n' ' ')"
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/b.err'"; then
	pass "gateway b took the lease"
else
	fail "gateway b did not take the lease"
fi
# B knows those ids from the snapshot it started from: the first results.
"$client" -t 20 "$url_b" burst k 20 inject "$args" >"$tmp/k2.out" 2>&1
if [ "$(sort "$tmp/k1.out")" = "$(sort "$tmp/k2.out")" ]; then
	pass "the same ids again at the new holder: the first results"
else
	fail "the same ids again: $(sort "$tmp/k2.out" | head -3 | tr '\n' ' ')"
fi

gateway c --nats-snapshot-every 0 || fail "gateway c did not start"
set -- $(started c)
snap_c=${1:-0}
if grep -q "snapshot at seq $corrupt .* is ignored: checksum" "$tmp/c.err" &&
    [ "$snap_c" = "$good" ]; then
	pass "a gateway ignores the corrupt snapshot at seq $corrupt and \
the torn one, and loads the one at seq $good"
else
	fail "gateway c loaded '$snap_c' (corrupt: $corrupt, good: $good)"
	cat "$tmp/c.err" >&2
fi
if wait_for 15 "same '$url_b' '$url_c'"; then
	pass "it holds the holder's state ($d1)"
else
	fail "gateway c differs: '$d1' and '$d2'"
fi
kill "$pid_b" "$pid_c"
wait "$pid_b" "$pid_c" 2>/dev/null

# Events that aged out (--nats-max-age, here 4.3 s): a gateway starts
# from a snapshot the rest of the stream goes on from; without one, it
# refuses to start, saying why.
aged() {	# server, snapshot-every
	nats_start "$1" || return 1
	eval "_u=\$nats_url_$1"
	"$backend" --listen 127.0.0.1:0 --data "$data" --nats "$_u" \
	    --seed 3 --rate 100 --nats-max-age 0.00005 \
	    --nats-snapshot-every "$2" >"$tmp/w$1.out" 2>"$tmp/w$1.err" &
	_wpid=$!
	e2e_on_cleanup "kill -9 $_wpid 2>/dev/null"
	# Past the age (a time: nothing to poll for), and with snapshots,
	# five of them: the purge has run.
	_until=$(($(date +%s) + 7))
	_want=5
	[ "$2" -eq 0 ] && _want=0
	wait_for 30 "[ \$(date +%s) -ge $_until ] && [ \$(grep -c \
	    'wrote the snapshot' '$tmp/w$1.err') -ge $_want ]"
	kill -9 "$_wpid"
	wait "$_wpid" 2>/dev/null
	"$backend" --listen 127.0.0.1:0 --data "$data" --nats "$_u" \
	    --seed 3 --rate 0 --nats-snapshot-every 0 >"$tmp/r$1.out" \
	    2>"$tmp/r$1.err" &
	_rpid=$!
	e2e_on_cleanup "kill -9 $_rpid 2>/dev/null"
	wait_for 15 "grep -q 'listening on' '$tmp/r$1.out' 2>/dev/null || \
	    ! kill -0 $_rpid 2>/dev/null"
}
if aged n2 100; then
	set -- $(started rn2)
	_re='.*TRUCBAN_EVENTS starts at seq \([0-9]*\) (older'
	_first=$(sed -n "s/$_re.*/\\1/p" "$tmp/rn2.err")
	if grep -q 'listening on' "$tmp/rn2.out" && [ "${1:-0}" -gt 0 ] &&
	    [ "${_first:-0}" -gt 1 ] && [ "$_first" -le $(($1 + 1)) ]; then
		pass "events up to seq $((_first - 1)) aged out: a gateway \
starts from the snapshot at seq $1"
		# Five or more written, the newest 3 kept.
		_w=$(grep -c 'wrote the snapshot' "$tmp/wn2.err")
		if [ "$_w" -gt 3 ] && grep -q "; 3 whole manifests in" \
		    "$tmp/rn2.err"; then
			pass "$_w snapshots written, the newest 3 kept"
		else
			fail "$_w snapshots written; kept: $(grep -o \
			    '[0-9]* whole manifests\?' "$tmp/rn2.err")"
		fi
	else
		fail "aged events with snapshots: the gateway did not start"
		cat "$tmp/rn2.err" >&2
	fi
	kill "$_rpid" 2>/dev/null
	wait "$_rpid" 2>/dev/null
fi
if aged n3 0; then
	wait "$_rpid" 2>/dev/null
	if grep -q 'not 1 (trimmed by its limits), and TRUCBAN_SNAP holds no' \
	    "$tmp/rn3.err"; then
		pass "aged events, no snapshot: refused ($(sed -n \
's/.*\(TRUCBAN_EVENTS starts at [0-9]*\).*/\1/p' "$tmp/rn3.err"))"
	else
		fail "aged events, no snapshot: not refused"
		cat "$tmp/rn3.err" >&2
	fi
fi

if ! grep -Eq 'Sanitizer|runtime error' "$tmp/be.err" "$tmp/b.err" \
    "$tmp/c.err" "$tmp"/[rw]n[23].err; then
	pass "no sanitizer report from the gateways"
else
	fail "sanitizer report"
	grep -h -E -A5 'Sanitizer|runtime error' "$tmp/be.err" "$tmp/b.err" \
	    "$tmp/c.err" "$tmp"/[rw]n[23].err | head -20
fi
e2e_finish

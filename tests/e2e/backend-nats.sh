#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# The backend over JetStream (--nats, docs/ha.md): a single nats-server
# with JetStream; four tb-clients send bursts of commands; the backend is
# killed with SIGKILL in the middle; a new backend process, with no state
# directory, rebuilds from the stream: every command that got "ok" is
# there exactly once, repeating the ids gives the first results, a clean
# restart gives the same digest, and a client resumes by seq. Then a
# second gateway that writes to the same stream on its own (no lease)
# cannot fork the log: one of the two is refused and stops.
#
# Usage: tests/e2e/backend-nats.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init backend-nats "$@"

nats_start n1
case $? in
0) ;;
2) fail "nats-server is not installed (scripts/deps.sh ha)"; e2e_finish ;;
*) exit 1 ;;
esac
opts="--nats $nats_url_n1 --seed 3 --client-rate 1000 --client-burst 1000"

# shellcheck disable=SC2086
backend_start $opts --rate 20 || exit 1
if grep -q 'nats .*new stream' "$tmp/be.err"; then
	pass "a new stream: $(sed -n 's/.*nats [^ ]*: \(new stream.*\)/\1/p' \
	    "$tmp/be.err")"
else
	fail "no new stream in the log"
fi
area=$(tb snapshot | sed -n 's/.*"areas":\[{"code":"\([^"]*\)".*/\1/p')
[ -n "$area" ] || { fail "no area in the snapshot"; area=HL; }

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
if [ "$acked" -lt $((4 * n)) ]; then
	pass "killed mid-burst: $acked of $((4 * n)) acknowledged"
else
	fail "the burst ended before the kill ($acked acknowledged)"
fi

# A new process with nothing on disk: everything from the stream.
# shellcheck disable=SC2086
backend_start $opts --rate 0 || exit 1
if grep -q 'nats .*restored seq' "$tmp/be.err"; then
	pass "rebuilt from the stream: $(sed -n \
	    's/.*nats [^ ]*: \(restored seq [0-9]*\).*/\1/p' "$tmp/be.err" |
	    tail -1)"
else
	fail "no restore from the stream in the log"
fi
tb snapshot >"$tmp/snap1.json"
titles() {
	grep -o '"title":"burst [^"]*"' "$1" |
	    sed 's/^"title":"burst \(.*\)"$/\1/' | sort
}
titles "$tmp/snap1.json" >"$tmp/titles1"
cat "$tmp"/burst[1-4].out | awk '$2 == "ok" { print $1 }' | sort \
    >"$tmp/acked"
bad=$(comm -23 "$tmp/acked" "$tmp/titles1" | wc -l)
dups=$(uniq -d "$tmp/titles1" | wc -l)
if [ "$bad" -eq 0 ] && [ "$dups" -eq 0 ]; then
	pass "all $acked acknowledged commands present exactly once"
else
	fail "$bad acknowledged commands missing, $dups twice"
fi

# The same ids again: the first results (remembered in TRUCBAN_CMDS).
burst b1 $n >"$tmp/again1.out" 2>&1
changed=0
while read -r id what seq; do
	first=$(grep "^$id " "$tmp/burst1.out")
	[ -z "$first" ] && continue	# Not answered before the kill.
	[ "$first" != "$id $what $seq" ] && changed=$((changed + 1))
done <"$tmp/again1.out"
[ $changed -eq 0 ] && pass "repeated ids: the first results" ||
    fail "repeated ids: $changed results changed"

# Resume by seq, then a clean restart rebuilds the same state.
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
digest2=$(tb digest)
backend_stop || fail "the backend did not stop cleanly"
: >"$tmp/be.err"
# shellcheck disable=SC2086
backend_start $opts --rate 0 || exit 1
digest3=$(tb digest)
if [ "$digest2" = "$digest3" ]; then
	pass "a restart from the stream: the same state ($digest3)"
else
	fail "restart: '$digest2' then '$digest3'"
fi

if wait_for 10 "grep -Eq 'holds the lease|took the lease' '$tmp/be.err'"
then
	pass "the restarted gateway holds the lease (given back at the stop)"
else
	fail "the restarted gateway did not get the lease"
fi

# A second gateway on the same stream follows it: it does not hold the
# lease, simulates nothing, forwards its clients' commands to the holder,
# and holds the same state.
"$backend" --listen 127.0.0.1:0 --data "$data" $opts --rate 2 \
    >"$tmp/be2.out" 2>"$tmp/be2.err" &
pid2=$!
e2e_on_cleanup "kill -CONT $pid2 2>/dev/null; kill -9 $pid2 2>/dev/null"
url2() {
	url2=$(sed -n 's/^trucban-backend: listening on \(ws:.*\)$/\1/p' \
	    "$tmp/be2.out" 2>/dev/null)
	[ -n "$url2" ]
}
wait_for 10 url2 || fail "the second gateway did not start"
if grep -q 'follows the stream' "$tmp/be2.err"; then
	pass "a second gateway follows: $(sed -n \
	    's/.*; \([^ ]* follows the stream\)/\1/p' "$tmp/be2.err")"
else
	fail "the second gateway does not follow"
fi
"$client" -t 20 "$url2" burst g 30 inject \
    "$(echo "$args" | sed "s/PFX/g/")" >"$tmp/g.out" 2>&1
gok=$(grep -c ' ok ' "$tmp/g.out")
[ "$gok" -eq 30 ] && pass "30 commands through the follower: all ok" ||
    fail "through the follower: $gok of 30 ok"
# The two gateways at the same seq (the simulator runs: a follower may be
# an event or two behind at any moment); then their digests must agree.
same() {
	tb digest >"$tmp/d1" &
	"$client" -t 10 "$url2" digest >"$tmp/d2"
	wait $!
	d1=$(cat "$tmp/d1")
	d2=$(cat "$tmp/d2")
	[ -n "$d1" ] && [ "${d1%% *}" = "${d2%% *}" ]
}
if wait_for 20 same && [ "$d1" = "$d2" ]; then
	pass "both gateways hold the same state ($d1)"
else
	fail "the gateways differ: '$d1' and '$d2'"
fi

# The holder stops (SIGSTOP) past the lease's expiry: the follower takes
# the lease over, simulates and applies; the old holder, continued, finds
# it lost the lease and follows. No fork: the same state on both.
# Commands sent to the follower at the stop are forwarded to the stopped
# holder (its NATS connection lives on): they wait, on their link, until
# the follower holds the lease, then it answers them itself; no link is
# closed for want of an applier (docs/ha.md).
kill -STOP "$bpid"
t0=$(date +%s%N)
"$client" -t 30 "$url2" burst s 10 inject \
    "$(echo "$args" | sed "s/PFX/s/")" >"$tmp/s.out" 2>&1 &
spid=$!
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/be2.err'"; then
	t1=$(date +%s%N)
	pass "the lease moved to the other gateway in \
$(((t1 - t0) / 1000000)) ms"
else
	fail "the lease did not move"
fi
wait "$spid"
t2=$(date +%s%N)
if [ "$(grep -c ' ok ' "$tmp/s.out")" -eq 10 ] &&
    ! grep -q 'no applier answered' "$tmp/be2.err"; then
	pass "10 commands sent at the stop: all ok, in \
$(((t2 - t0) / 1000000)) ms from the stop"
else
	fail "commands sent at the stop: $(grep -c ' ok ' "$tmp/s.out") of 10 \
ok, $(grep -c 'closing (1001 no applier answered' "$tmp/be2.err") link(s) \
closed with 'no applier answered'"
fi
"$client" -t 20 "$url2" burst h 10 inject \
    "$(echo "$args" | sed "s/PFX/h/")" >"$tmp/h.out" 2>&1
[ "$(grep -c ' ok ' "$tmp/h.out")" -eq 10 ] &&
    pass "the new holder applies commands" ||
    fail "the new holder: $(grep -c ' ok ' "$tmp/h.out") of 10 ok"
kill -CONT "$bpid"
if wait_for 15 "grep -q 'lost the lease' '$tmp/be.err'"; then
	pass "the old holder, continued, follows"
else
	fail "the old holder did not notice it lost the lease"
fi
"$client" -t 20 "$url" burst i 10 inject \
    "$(echo "$args" | sed "s/PFX/i/")" >"$tmp/i.out" 2>&1
[ "$(grep -c ' ok ' "$tmp/i.out")" -eq 10 ] &&
    pass "the old holder forwards commands" ||
    fail "the old holder: $(grep -c ' ok ' "$tmp/i.out") of 10 ok"
if wait_for 20 same && [ "$d1" = "$d2" ]; then
	pass "after the failover both hold the same state ($d1)"
else
	fail "after the failover: '$d1' and '$d2'"
fi
titles_of() {	# url
	"$client" -t 10 "$1" snapshot | grep -o '"title":"burst [^"]*"' |
	    sort | uniq -d | wc -l
}
[ "$(titles_of "$url")" -eq 0 ] && pass "no command applied twice" ||
    fail "commands applied twice"
kill "$pid2"
wait "$pid2" 2>/dev/null
if ! grep -Eq 'Sanitizer|runtime error' "$tmp/be.err" "$tmp/be2.err"; then
	pass "no sanitizer report from the backends"
else
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
fi
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# A console with two backends (docs/ha.md): two gateways over one
# JetStream stream; the console is given both URLs and talks to the
# first, which holds the lease and runs the simulator. It is killed
# (SIGKILL): the console goes on at the second, which takes the lease,
# resuming by seq; a command typed while the link was down is delivered
# once; the console's digest equals the backend's. Prints the time from
# the kill to the console's link at the other gateway, and to its first
# event from there.
#
# Usage: tests/e2e/console-failover.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init console-failover "$@"

nats_start n1
case $? in
0) ;;
2) fail "nats-server is not installed (scripts/deps.sh ha)"; e2e_finish ;;
*) exit 1 ;;
esac
opts="--nats $nats_url_n1 --seed 5"

# shellcheck disable=SC2086
backend_start $opts --rate 20 || exit 1
url1=$url
grep -q 'holds the lease' "$tmp/be.err" || fail "the first gateway has no lease"
"$backend" --listen 127.0.0.1:0 --data "$data" $opts --rate 0 \
    >"$tmp/be2.out" 2>"$tmp/be2.err" &
pid2=$!
e2e_on_cleanup "kill -9 $pid2 2>/dev/null"
url2() {
	url2=$(sed -n 's/^trucban-backend: listening on \(ws:.*\)$/\1/p' \
	    "$tmp/be2.out" 2>/dev/null)
	[ -n "$url2" ]
}
wait_for 10 url2 || { fail "the second gateway did not start"; e2e_finish; }

console_start 120 30 "$url1" "$url2"
if wait_screen 10 'A-[0-9]+'; then
	pass "the console shows alerts from the first gateway"
else
	fail "no alerts on screen"
fi
id=$(screen | grep -Eo 'A-[0-9]+' | head -1)

t0=$(date +%s%N)
kill -9 "$bpid"
wait "$bpid" 2>/dev/null
bpid=
# Typed while the link is down or just back: queued, sent once.
console_cmd "note $id failover-note"
# Its first event on the new link (console/sync.c logs "live: event N").
live2() {
	awk -v u="connected to $url2 " 'index($0, u) { on = 1 }
	    on && / live: event / { print; exit }' "$tmp/console.log"
}
if wait_for 20 "grep -q 'connected to $url2' '$tmp/console.log'"; then
	t1=$(date +%s%N)
	pass "the console went on at the second gateway in \
$(((t1 - t0) / 1000000)) ms"
	if wait_for 20 '[ -n "$(live2)" ]'; then
		t2=$(date -d "$(live2 | cut -d' ' -f1)" +%s%N)
		pass "its first event from the second gateway \
$(((t2 - t0) / 1000000)) ms after the kill ($(live2 | sed \
's/.*live: //'))"
	else
		fail "no event from the second gateway"
	fi
else
	fail "the console did not go on at the second gateway"
	tail -5 "$tmp/console.log"
fi
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/be2.err'"; then
	pass "the second gateway took the lease"
else
	fail "the second gateway did not take the lease"
fi
url=$url2
notes() {
	tb get alert "$id" | grep -o 'failover-note' | wc -l
}
if wait_for 20 '[ "$(notes)" -ge 1 ]'; then
	[ "$(notes)" -eq 1 ] &&
	    pass "the note typed during the failover: once" ||
	    fail "the note is there $(notes) times"
else
	fail "the note typed during the failover never arrived"
fi
if grep -q 'resumed after seq' "$tmp/be2.err"; then
	pass "the console resumed by seq: $(grep -o 'resumed after seq.*' \
	    "$tmp/be2.err" | head -1)"
else
	fail "the console did not resume by seq"
fi
ours=$(console_digest)
theirs=$(backend_digest)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
	pass "the console's digest equals the backend's ($ours)"
else
	fail "digest: console '$ours', backend '$theirs'"
fi
console_quit
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# permessage-deflate keeps its context across messages, on a real
# backend-to-client link with the console's own offer (bench-client links
# console/conn.c's conn_extensions[]): two nearly identical events (a
# hospital diverted, then back) cost the second a fraction of the first's
# TCP bytes. With an offer that carries client_no_context_takeover, lws
# 4.1.6 resets the backend's compressor per message and the second costs
# about as much as the first (docs/protocol.md §1).
#
# Usage: tests/e2e/wire-deflate.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init wire-deflate "$@"

# Bursts of 60 commands a client, past the default burst of 50: raise
# it, so that what is tested is the inflate, not the rate limit.
backend_start --rate 0 --client-burst 100 || exit 1
if "$bin/tools/bench-client" -w 0.5 -t 20 "$url" deflate 10 \
    >"$tmp/dfl.out" 2>"$tmp/dfl.err"; then
	pass "two diverts answered"
else
	fail "bench-client deflate: $(cat "$tmp/dfl.err")"
fi
cat "$tmp/dfl.out"
p1=$(sed -n 's/^deflate\.1 payload \([0-9]*\) wire .*/\1/p' "$tmp/dfl.out")
w1=$(sed -n 's/^deflate\.1 payload [0-9]* wire \([0-9]*\)$/\1/p' "$tmp/dfl.out")
p2=$(sed -n 's/^deflate\.2 payload \([0-9]*\) wire .*/\1/p' "$tmp/dfl.out")
w2=$(sed -n 's/^deflate\.2 payload [0-9]* wire \([0-9]*\)$/\1/p' "$tmp/dfl.out")
if [ -n "$w1" ] && [ -n "$w2" ] && [ "$p2" -gt 0 ]; then
	# The same text again is mostly back-references: a kept context
	# sends it in well under half the first's bytes, a reset one in
	# about as many.
	if [ $((w2 * 2)) -lt "$w1" ]; then
		pass "the second event took $w2 wire bytes, the first $w1"
	else
		fail "the second event took $w2 wire bytes, the first $w1:" \
		    "the compressor forgot the first"
	fi
	# And the wire is well under the payload.
	if [ $((w2 * 3)) -lt "$p2" ]; then
		pass "$p2 payload bytes in $w2 on the wire"
	else
		fail "$p2 payload bytes took $w2 on the wire"
	fi
else
	fail "no figures from bench-client"
fi

# Clients that compress well, at the same time: four bursts of the same
# 4 KB note. lws 4.1.6 leaves what it could not inflate yet pointing into
# a buffer the next connection's read reuses; the backend inflates a
# command in one go (be-server.c), so no stream is garbled.
long=$(head -c 4000 /dev/zero | tr '\0' 'x')
alert=$(tb first-alert)
for k in 1 2 3 4; do
	"$client" -t 60 "$url" burst "x$k" 60 note \
	    '{"alert":"'"$alert"'","text":"x'"$k"'-%n '"$long"'"}' \
	    >"$tmp/x$k.out" 2>&1 &
	eval "xpid$k=\$!"
done
for k in 1 2 3 4; do
	eval "wait \$xpid$k"
done
n=$(cat "$tmp"/x[1-4].out | grep -c ' ok ')
[ "$n" -eq 240 ] && pass "four clients, 240 notes that compress well: all ok" ||
    fail "$n of 240 notes ok; the others: $(cat "$tmp"/x[1-4].out |
    grep -v ' ok ' | head -5)"
! grep -q 'zlib error' "$tmp/be.err" && pass "no zlib error" ||
    fail "$(grep 'zlib error' "$tmp/be.err" | head -2)"
backend_stop
e2e_finish

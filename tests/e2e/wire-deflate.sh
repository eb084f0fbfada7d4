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

backend_start --rate 0 || exit 1
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
backend_stop
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: connections that never say hello must not lock anybody out
# (docs/protocol.md §2, "Connections"). The backend runs with tokens, a
# 3 s hello deadline, 4 sessions a token (and 4 waiting for hello) and 12
# waiting for hello from one address; every client is on 127.0.0.1, one
# address, like the officers of a district centre behind its NAT.
#
# 1. hello-flood opens 1,100 websocket connections with five tokens and
#    never says hello (before the limits, they took every descriptor the
#    backend had and new consoles timed out in the handshake). Another
#    officer, with another token from the same address, still gets the
#    snapshot within 5 s, and so does a second while the flood goes on.
# 2. Every flood connection is closed: the oldest as newer ones come, the
#    rest by the hello deadline, with the close reason "no hello within
#    3 s", logged.
# 3. The same with bare TCP connections that never send the upgrade
#    request (no token needed for that): at most 12 wait from the address,
#    the oldest are shut down, an officer gets in.
# 4. Four sessions of one token say hello and stay; the fifth is refused
#    with too_many_sessions and closed (1008). The console of that token
#    says so, in English and in Vietnamese, and gets in once one of the
#    four is gone.
#
# Usage: tests/e2e/backend-hello-flood.sh BUILD_DIR

set -u

. "$(dirname "$0")/lib.sh"
e2e_init backend-hello-flood "$@"

flood=$bin/tools/hello-flood
if [ ! -x "$flood" ]; then
	echo "backend-hello-flood: $flood is missing; build it first" >&2
	exit 1
fi

att=aaaaaaaaaaaaaaaaaaaa
cat >"$tmp/tokens" <<EOF
${att}1 att1 operator *
${att}2 att2 operator *
${att}3 att3 operator *
${att}4 att4 operator *
${att}5 att5 operator *
bbbbbbbbbbbbbbbbbbbbbbbb lan supervisor *
cccccccccccccccccccccccc minh operator *
EOF
chmod 600 "$tmp/tokens"
echo cccccccccccccccccccccccc >"$tmp/minh.token"
chmod 600 "$tmp/minh.token"

if ! backend_start --tokens "$tmp/tokens" --rate 0 --log "$tmp/be.log" \
    --hello-timeout 3 --max-per-token 4 --max-per-address 12; then
	fail "the backend did not start"
	e2e_finish
fi

# The flood's last status line, and one of its counts.
flood_line() {
	grep '^hello-flood: tried' "$1" | tail -1
}
flood_count() {	# file, word; 0 before the first line
	_fc=$(flood_line "$1" | sed -n "s/.* $2 \([0-9]*\).*/\1/p")
	echo "${_fc:-0}"
}

# 1. The flood (one token four times as often as the others), and
# officers getting in through it.
: >"$tmp/flood.out"
"$flood" -b 8 -n 1100 -T "${att}1" -T "${att}1" -T "${att}1" -T "${att}1" \
    -T "${att}2" -T "${att}3" -T "${att}4" -T "${att}5" "$port" >"$tmp/flood.out" 2>&1 &
fpid=$!
e2e_on_cleanup 'kill $fpid 2>/dev/null; wait $fpid 2>/dev/null'
if wait_for 20 '[ "$(flood_count "$tmp/flood.out" upgraded)" -ge 1000 ]'; then
	pass "the flood opened 1100 connections ($(flood_line "$tmp/flood.out"))"
else
	fail "the flood did not start: $(tail -2 "$tmp/flood.out")"
fi
if "$client" -t 5 -T bbbbbbbbbbbbbbbbbbbbbbbb "$url" hello \
    >"$tmp/lan.out" 2>&1 && grep -q '^snapshot seq=' "$tmp/lan.out"; then
	pass "another token from the same address: snapshot within 5 s"
else
	fail "another token from the same address: $(tail -1 "$tmp/lan.out")"
fi
if wait_for 5 '[ "$(flood_count "$tmp/flood.out" open)" -le 12 ]'; then
	pass "at most 12 flood connections wait for hello" \
	    "($(flood_count "$tmp/flood.out" open) open)"
else
	fail "$(flood_count "$tmp/flood.out" open) flood connections open"
fi
if grep -q 'connections from .* before hello (at most 12)' "$tmp/be.log" &&
    grep -q 'connections of att[1-5] before hello (at most 4)' \
    "$tmp/be.log"; then
	pass "the oldest waiting, per address and per token, made room"
else
	fail "no eviction logged"
fi

# 2. The hello deadline closes the rest, with its reason.
if wait_for 12 '[ "$(flood_count "$tmp/flood.out" open)" = 0 ]'; then
	pass "every flood connection closed"
else
	fail "flood connections still open: $(flood_line "$tmp/flood.out")"
fi
if grep -q 'close 1008 "no hello within 3 s"' "$tmp/flood.out" &&
    grep -q 'no hello within 3 s: closing' "$tmp/be.log"; then
	pass "closed by the hello deadline with its reason, logged"
else
	fail "no close reason for the hello deadline"
	tail -3 "$tmp/flood.out"
fi
if "$client" -t 5 -T bbbbbbbbbbbbbbbbbbbbbbbb "$url" hello \
    >"$tmp/lan.out" 2>&1 && grep -q '^snapshot seq=' "$tmp/lan.out"; then
	pass "after the flood: snapshot"
else
	fail "after the flood: $(tail -1 "$tmp/lan.out")"
fi
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null

# 3. Bare TCP connections, never an upgrade request.
: >"$tmp/raw.out"
"$flood" -R -n 1100 "$port" >"$tmp/raw.out" 2>&1 &
rpid=$!
e2e_on_cleanup 'kill $rpid 2>/dev/null; wait $rpid 2>/dev/null'
wait_for 10 'flood_line "$tmp/raw.out" | grep -q "tried 1100"'
if "$client" -t 5 -T bbbbbbbbbbbbbbbbbbbbbbbb "$url" hello \
    >"$tmp/lan.out" 2>&1 && grep -q '^snapshot seq=' "$tmp/lan.out"; then
	pass "through 1100 bare connections: snapshot within 5 s"
else
	fail "through bare connections: $(tail -1 "$tmp/lan.out")"
fi
if wait_for 20 '[ "$(flood_count "$tmp/raw.out" closed)" -ge 1000 ]'; then
	pass "bare connections: the oldest shut down" \
	    "($(flood_line "$tmp/raw.out"))"
else
	fail "bare connections: $(flood_line "$tmp/raw.out")"
fi
# (Connections whose SYN the full backlog dropped are not there yet.)
if wait_for 8 '[ $(($(flood_count "$tmp/raw.out" open) -
    $(flood_count "$tmp/raw.out" connecting))) -le 12 ]' &&
    grep -q 'connections not upgraded (at most 12): closing the oldest' \
    "$tmp/be.log"; then
	pass "at most 12 bare connections held, logged"
else
	fail "bare connections held: $(flood_line "$tmp/raw.out")"
fi
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null

# 4. Sessions of one token: four, then a fifth.
: >"$tmp/held.out"
"$flood" -H -n 4 -T cccccccccccccccccccccccc "$port" >"$tmp/held.out" 2>&1 &
hpid=$!
e2e_on_cleanup 'kill $hpid 2>/dev/null; wait $hpid 2>/dev/null'
wait_for 10 '[ "$(flood_count "$tmp/held.out" upgraded)" = 4 ]' &&
    wait_for 10 '[ "$(grep -c "as minh (operator): hello, snapshot" \
    "$tmp/be.log")" -ge 4 ]' || fail "four sessions of minh did not start"
: >"$tmp/fifth.out"
"$flood" -H -n 1 -T cccccccccccccccccccccccc "$port" >"$tmp/fifth.out" 2>&1 &
f5pid=$!
e2e_on_cleanup 'kill $f5pid 2>/dev/null; wait $f5pid 2>/dev/null'
if wait_for 10 'grep -q "error too_many_sessions" "$tmp/fifth.out"' &&
    wait_for 5 'grep -q "close 1008 \"too many sessions\"" "$tmp/fifth.out"'
then
	pass "the fifth session of a token: too_many_sessions, closed 1008"
else
	fail "the fifth session: $(tail -3 "$tmp/fifth.out")"
fi
kill "$f5pid" 2>/dev/null
wait "$f5pid" 2>/dev/null
if wait_for 5 '[ "$(flood_count "$tmp/held.out" open)" = 4 ]' &&
    ! grep -q 'no hello within' "$tmp/held.out"; then
	pass "four sessions stay past the hello deadline"
else
	fail "sessions: $(flood_line "$tmp/held.out")"
fi

console_start 120 30 --token-file "$tmp/minh.token" "$url"
if wait_screen 10 'minh already has 4 sessions open, at most 4'; then
	pass "the console says why it is refused"
else
	fail "console: $(screen | tail -2)"
fi
if grep -q 'refused: minh already has 4 sessions open, at most 4' \
    "$tmp/be.log"; then
	pass "the refusal is logged"
else
	fail "the refusal is not logged"
fi
console_quit

console_start 120 30 --lang vi --token-file "$tmp/minh.token" "$url"
if wait_screen 10 'minh đã có 4 phiên'; then
	pass "in Vietnamese too"
else
	fail "console (vi): $(screen | tail -2)"
fi
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null
if wait_screen 40 'A-[0-9]+'; then
	pass "once the sessions are gone, the console gets in"
else
	fail "the console did not get in: $(screen | head -1)"
fi
console_quit

e2e_finish

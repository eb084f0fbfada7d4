#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a link that never gives up. The console reaches the backend
# through tcp-stall, a proxy that can hang like a tunnel whose far end
# stopped answering: it accepts and never forwards. The link's times run
# ten times faster (TRUCBAN_TEST_TIMESCALE=10: attempts end after 1.5 s,
# backoff caps at 3 s, the idle hangup comes after 3 s).
#
# 1. The console starts while the tunnel hangs: every attempt is accepted
#    and never answered. It must keep trying (libwebsockets 4.1.6 ends
#    such an attempt without telling anybody, and the console used to
#    wait for ever) and log each try; once the tunnel flows, it is
#    connected within the backoff cap.
# 2. The tunnel hangs under a live link: the idle hangup notices, it
#    keeps trying, and comes back when the tunnel flows.
# 3. The backend itself is stopped (SIGSTOP) behind the tunnel: the
#    kernel still accepts, nobody answers; after SIGCONT it is back.
#
# Usage: tests/e2e/link-stall.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init link-stall "$@"

stall=$bin/tools/tcp-stall
if [ ! -x "$stall" ]; then
	echo "link-stall: $stall is missing; build it first" >&2
	exit 1
fi
# The backoff cap at this scale (2.5 s and 20% jitter), one attempt's
# deadline (1.5 s) and the screen's frame: recovered within 6 s.
cap=6

if ! backend_start --seed 3 --rate 0; then
	fail "the backend did not start"
	exit 1
fi

: >"$tmp/stall.out"
"$stall" "$port" >>"$tmp/stall.out" 2>&1 &
spid=$!
e2e_on_cleanup 'kill $spid 2>/dev/null; wait $spid 2>/dev/null'
wait_for 5 'grep -q listening "$tmp/stall.out"' || {
	fail "tcp-stall did not start"
	e2e_finish
}
pport=$(sed -n 's/^tcp-stall: listening on 127.0.0.1://p' "$tmp/stall.out")

held() {
	grep -c 'held$' "$tmp/stall.out"
}

# Seconds (with tenths) until the header says connected, at most $1.
time_to_connect() {
	_t=0
	while [ "$_t" -lt $(($1 * 10)) ]; do
		if screen | head -1 | grep -q 'connected'; then
			echo "$((_t / 10)).$((_t % 10))"
			return 0
		fi
		sleep 0.1
		_t=$((_t + 1))
	done
	echo "never"
	return 1
}

# 1. Start against a hung tunnel.
kill -USR1 "$spid"
wait_for 5 'grep -q stalled "$tmp/stall.out"'
E2E_ENV="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TRUCBAN_TEST_TIMESCALE=10" \
    console_start 100 30 "ws://127.0.0.1:$pport"
if wait_for 15 '[ "$(held)" -ge 3 ]'; then
	pass "a hung tunnel: the console keeps trying ($(held) attempts held)"
else
	fail "a hung tunnel: $(held) attempt(s), then nothing"
	tail -5 "$tmp/console.log"
fi
if [ "$(grep -c 'dialing ws://' "$tmp/console.log")" -ge 3 ] &&
    [ "$(grep -c 'connect to ws://.* failed (attempt' \
    "$tmp/console.log")" -ge 2 ]; then
	pass "every attempt and failure is logged"
else
	fail "attempts not logged"
	tail -5 "$tmp/console.log"
fi
if screen | head -1 | grep -Eq 'connecting|reconnecting'; then
	pass "the header says it is still trying"
else
	fail "header: $(screen | head -1)"
fi
kill -USR2 "$spid"
t=$(time_to_connect $cap) && pass "the tunnel flows: connected in ${t} s" ||
    fail "the tunnel flows: not connected within $cap s"
wait_screen 10 'A-[0-9]+' || fail "no rows after connecting"

# 2. The tunnel hangs under a live link.
n=$(held)
kill -USR1 "$spid"
if wait_screen 10 'reconnecting'; then
	pass "a live link hangs: noticed, reconnecting"
else
	fail "a hung live link was not noticed"
	screen | head -1
fi
if wait_for 10 '[ "$(held)" -ge $((n + 2)) ]'; then
	pass "it keeps trying ($(($(held) - n)) more held)"
else
	fail "it stopped trying after $(($(held) - n))"
fi
kill -USR2 "$spid"
t=$(time_to_connect $cap) && pass "flowing again: connected in ${t} s" ||
    fail "flowing again: not connected within $cap s"

# 3. The backend stopped: accepted by the kernel, answered by nobody.
a=$(grep -c 'dialing ws://' "$tmp/console.log")
kill -STOP "$bpid"
e2e_on_cleanup 'kill -CONT $bpid 2>/dev/null'
if wait_screen 10 'reconnecting' &&
    wait_for 10 '[ "$(grep -c "dialing ws://" "$tmp/console.log")" -ge $((a + 2)) ]'
then
	pass "a stopped backend: reconnecting, still trying"
else
	fail "a stopped backend: $(screen | head -1)"
fi
kill -CONT "$bpid"
t=$(time_to_connect $cap) && pass "the backend continues: connected in ${t} s" ||
    fail "the backend continues: not connected within $cap s"
if wait_screen 5 'A-[0-9]+'; then
	pass "rows again"
else
	fail "no rows after the stall"
fi

console_quit
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a dead link is noticed within seconds, and the state is
# stale since the last data, not since the loss was noticed
# (docs/protocol.md §1, "Heartbeats"; §4, "beat"). No time scale: the
# console runs with its real times; the backend beats every second
# (--beat 1) in a quiet province (--rate 0), so beats are all that comes.
#
# 1. The backend is stopped (SIGSTOP: TCP stays up, nobody answers).
#    Within 5 s the header says "reconnecting" and "stale since HH:MM:SS",
#    and that time is the one the console logged as the last data, at
#    least 2 s before it noticed (the old console said "connected" for
#    20-28 s, then dated the staleness from then).
# 2. SIGCONT: it reconnects, is no longer stale, and data flows (an ack
#    made with tb-client reaches it: the digests agree).
# 3. A backend without beats (--beat 0, as an older one): the console
#    arms no watchdog, so a quiet, stopped backend is not taken for dead
#    (no reconnect loop against old backends).
#
# Usage: tests/e2e/link-blackout.sh BUILD_DIR

set -u

. "$(dirname "$0")/lib.sh"
e2e_init link-blackout "$@"

# The province's clock (the header's) from UTC seconds since the epoch.
offset_min=$(sed -n 's/.*"utc_offset_min": *\(-*[0-9]*\).*/\1/p' \
    "$data/province.json" | head -1)
offset_min=${offset_min:-0}

# Seconds of the day of HH:MM:SS.
secs() {
	echo "$1" | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }'
}

# The stale time the header shows, HH:MM:SS ("" when none).
header_stale() {
	screen | head -1 | grep -Eo 'stale since [0-9]{2}:[0-9]{2}:[0-9]{2}' |
	    tail -1 | sed 's/stale since //'
}

if ! backend_start --seed 3 --rate 0 --beat 1; then
	fail "the backend did not start"
	e2e_finish
fi
console_start 100 30 "$url"
if wait_screen 10 'A-[0-9]+' && wait_for 5 \
    'grep -q "welcome: .*; beats every 1000 ms" "$tmp/console.log"'; then
	pass "connected; the welcome says beats every 1000 ms"
else
	fail "not connected with beats: $(grep welcome "$tmp/console.log")"
fi

# 1. Blackout.
kill -STOP "$bpid"
e2e_on_cleanup 'kill -CONT $bpid 2>/dev/null'
stopped=$(date +%s)
if wait_for 5 'screen | head -1 | grep -q reconnecting &&
    [ -n "$(header_stale)" ]'; then
	noticed=$(date +%s)
	pass "a stopped backend: stale and reconnecting within" \
	    "$((noticed - stopped)) s"
else
	fail "a stopped backend: after 5 s the header says: $(screen | head -1)"
fi
shown=$(header_stale)
last=$(sed -n 's/.*nothing from the backend for 3 s (the last at \([0-9:]*\)).*/\1/p' \
    "$tmp/console.log" | tail -1)
if [ -n "$shown" ] && [ "$shown" = "$last" ]; then
	pass "stale since $shown: the last data, as logged"
else
	fail "stale since '$shown', the last data logged at '$last'"
	grep 'nothing from' "$tmp/console.log"
fi
# When the console noticed, on the province's clock.
at=$(sed -n 's/^\([0-9-]*T[0-9:]*\)[.0-9]*Z .*nothing from the backend.*/\1/p' \
    "$tmp/console.log" | tail -1)
if [ -n "$at" ] && [ -n "$shown" ]; then
	at_s=$(( ($(date -u -d "$at" +%s) + offset_min * 60) % 86400 ))
	lag=$(( (at_s - $(secs "$shown") + 86400) % 86400 ))
	if [ "$lag" -ge 2 ] && [ "$lag" -le 5 ]; then
		pass "dated $lag s before it was noticed, not when noticed"
	else
		fail "stale since $shown, noticed $lag s later"
	fi
else
	fail "no time to compare ('$at', '$shown')"
fi
if grep -q 'dropping the link to .*: no beat' "$tmp/console.log"; then
	pass "the link is dropped and reconnecting"
else
	fail "the link was not dropped"
fi

# 2. The backend continues.
kill -CONT "$bpid"
if wait_screen 20 'connected' && wait_screen_gone 10 'stale since'; then
	pass "SIGCONT: connected again, no longer stale"
else
	fail "SIGCONT: $(screen | head -1)"
fi
a=$(tb first-alert)
if [ -n "$a" ] && tb cmd ack "{\"alert\":\"$a\"}" >/dev/null &&
    [ "$(console_digest)" = "$(backend_digest)" ]; then
	pass "data flows: an ack of $a reached the console (digests agree)"
else
	fail "after SIGCONT the console and the backend differ"
fi
console_quit
backend_stop

# 3. No beats: no watchdog.
if ! backend_start --seed 3 --rate 0 --beat 0; then
	fail "the backend did not start without beats"
	e2e_finish
fi
: >"$tmp/console.log"
console_start 100 30 "$url"
if wait_screen 10 'A-[0-9]+' && wait_for 5 \
    'grep -q "welcome: .*; beats none" "$tmp/console.log"'; then
	pass "a backend without beats: the welcome says none"
else
	fail "no welcome without beats"
fi
kill -STOP "$bpid"
stopped=$(date +%s)
# Nothing to wait for: the check is that nothing happens for 8 s.
wait_for 8 'screen | head -1 | grep -q reconnecting'
if screen | head -1 | grep -q 'connected' &&
    ! screen | head -1 | grep -q 'reconnecting' &&
    ! grep -q 'nothing from the backend' "$tmp/console.log"; then
	pass "stopped for $(($(date +%s) - stopped)) s without beats: still" \
	    "connected, no reconnect"
else
	fail "without beats: $(screen | head -1)"
fi
kill -CONT "$bpid"
console_quit

e2e_finish

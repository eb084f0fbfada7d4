#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# A snapshot larger than one part (docs/protocol.md §4, "Snapshot in
# parts"): a backend holding a state of several MiB sends it in parts to
# a client that asks for them, and in one message to one that does not.
# tb-client and a real console under tmux join the parts into the same
# state as the backend's (digest and seq); the console says how far the
# loading is and shows the alerts.
#
# Usage: tests/e2e/snapshot-parts.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init snapshot-parts "$@"

# About 4 MiB of state: four parts or more of 1 MiB, and well under the
# 16 MiB a message may have, so that an older client still gets it whole.
if "$bin/tools/bench-state" -a 4000 -f 400 -d "$data" "$tmp/snap.json" \
    "$tmp/statedir" >"$tmp/state.out" 2>"$tmp/state.err"; then
	pass "bench-state made a state of \
$(sed -n 's/^state\.snapshot_bytes //p' "$tmp/state.out") bytes"
else
	fail "bench-state: $(cat "$tmp/state.err")"
	e2e_finish
fi
backend_start --state "$tmp/statedir" --rate 0 || e2e_finish
want=$(backend_digest)

# "name=value" of tb-client's hello line.
field() {
	sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p"
}

tb -t 30 hello >"$tmp/parts.out" 2>&1
n=$(field parts <"$tmp/parts.out")
if [ "${n:-0}" -ge 4 ] 2>/dev/null; then
	pass "a client that asks gets the snapshot in $n parts"
else
	fail "parts=${n:-none}: $(cat "$tmp/parts.out")"
fi
got="$(field digest <"$tmp/parts.out") $(field seq <"$tmp/parts.out")"
if [ "$got" = "$want" ]; then
	pass "the parts join to the backend's state ($got)"
else
	fail "joined $got, the backend has $want"
fi
if grep -q "snapshot at seq [0-9]* in $n parts" "$tmp/be.err"; then
	pass "the backend logged the parts"
else
	fail "no \"in $n parts\" in the backend's log"
fi

tb -t 30 -W hello >"$tmp/whole.out" 2>&1
n1=$(field parts <"$tmp/whole.out")
got="$(field digest <"$tmp/whole.out") $(field seq <"$tmp/whole.out")"
if [ "$n1" = 1 ] && [ "$got" = "$want" ]; then
	pass "an older client (no snapshot_parts) gets one message, the same"
else
	fail "without parts: parts=${n1:-none}, $got: $(cat "$tmp/whole.out")"
fi

# The real console: parts, the alerts on screen, the same digest.
console_start 120 30 "$url"
if wait_screen 30 'state from the backend is loaded \([0-9]+ parts\)' &&
    wait_screen 5 'Alerts \([0-9]{3,}\)'; then
	pass "the console shows the state"
else
	fail "no alerts on the console"
	screen
fi
if wait_for 10 "grep -q 'snapshot at seq [0-9]* in [0-9]* parts loaded' \
    $tmp/console.log"; then
	pass "the console loaded $(grep -o 'in [0-9]* parts' \
	    "$tmp/console.log" | tail -1)"
else
	fail "the console log says no snapshot in parts"
fi
got=$(console_digest)
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	pass "console digest equals the backend's ($got)"
else
	fail "console digest '$got', backend '$want'"
fi
console_quit
backend_stop

e2e_finish

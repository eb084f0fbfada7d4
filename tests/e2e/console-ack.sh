#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the real console, under tmux at 80x24, against the real
# backend. Wait for alert rows, acknowledge a new alert with ":ack ID",
# and check both the screen and the backend's state (through tb-client);
# the session is recorded (":record FILE") and the recording holds the
# command out and its result in; then ":quit" and check the console exited 0, cleanly, and the backend
# still runs. Every wait polls with a deadline.
#
# The simulation is off (--rate 0): its simulated colleagues would
# otherwise pick up the same overdue alert.
#
# Usage: tests/e2e/console-ack.sh BUILD_DIR   (e.g. build/san)
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init console-ack "$@"

if backend_start --seed 7 --rate 0; then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	exit 1
fi

# The console, in a private tmux server; its exit status lands in a file.
console_start 80 24 "$url"

if wait_for 10 'screen | grep -q "Alerts" && screen | grep -Eq "A-[0-9]+"'
then
	pass "alert rows on screen"
else
	fail "no alert rows on screen"
	screen
fi
if screen | head -1 | grep -q "connected"; then
	pass "header shows the link connected"
else
	fail "header does not show the link connected"
fi

id=$("$client" "$url" first-alert)
if [ -n "$id" ] && "$client" "$url" get alert "$id" | \
    grep -q '"state":"new"'; then
	pass "alert $id is new on the backend"
else
	fail "no new alert from tb-client first-alert"
fi

console_cmd "record $tmp/shift.rec"
if wait_for 5 "screen | grep -q 'recording to '"; then
	pass "recording started"
else
	fail "recording did not start"
	screen | tail -3
fi

tm send-keys -t console ':'
if wait_for 5 'screen | tail -1 | grep -q "^:"'; then
	pass "':' opens the command line"
else
	fail "':' did not open the command line"
fi
tm send-keys -t console -l "ack $id"
tm send-keys -t console Enter
if wait_for 10 "screen | grep -q '✓ ack $id'"; then
	pass "screen shows ✓ ack $id"
else
	fail "screen does not show ✓ ack $id"
	screen
fi
row=$(screen | grep " $id " | head -1)
# The state is a word ("ack") when there is room, else a glyph.
if [ -z "$row" ] || echo "$row" | grep -Eq " (ack|✓) "; then
	pass "alerts panel row is acknowledged (or scrolled off)"
else
	fail "alerts panel row for $id: $row"
fi

item=$("$client" "$url" get alert "$id")
if echo "$item" | grep -q '"state":"acknowledged"'; then
	pass "backend: $id is acknowledged"
else
	fail "backend: $id is not acknowledged: $item"
fi
if echo "$item" | grep -q '"acked_by":"demo"'; then
	pass "backend: acked by demo"
else
	fail "backend: not acked by demo: $item"
fi

# The recording: the ack went out, its result and the event came in.
console_cmd "record stop"
if wait_for 5 "screen | grep -q 'recording stopped'"; then
	pass "recording stopped"
else
	fail "recording did not stop"
fi
rec="$tmp/shift.rec"
if [ -f "$rec" ] &&
    grep -q "\"dir\":\"out\".*\"cmd\":\"ack\".*\"$id\"" "$rec" &&
    grep -q '"dir":"in".*"type":"result".*"ok":true' "$rec" &&
    grep -q "\"dir\":\"in\".*\"type\":\"event\".*\"$id\"" "$rec" &&
    tail -1 "$rec" | grep -q '"what":"stop"'; then
	pass "the recording holds the ack out, its result and events in"
else
	fail "recording $rec: $(head -c 300 "$rec" 2>/dev/null)"
fi

# A command for an unknown alert is refused on the message line.
tm send-keys -t console ':'
tm send-keys -t console -l "ack Z-999"
tm send-keys -t console Enter
if wait_for 5 "screen | grep -q 'no such alert: Z-999'"; then
	pass "unknown alert refused with a message"
else
	fail "no message for an unknown alert"
fi

console_quit
if wait_for 5 '! tm has-session -t console 2>/dev/null'; then
	pass "pane gone"
else
	fail "pane still there"
fi
if kill -0 "$bpid" 2>/dev/null; then
	pass "backend still runs"
else
	fail "backend died"
fi

e2e_finish

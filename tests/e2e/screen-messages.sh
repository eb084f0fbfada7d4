#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: messages that can be read (issue 13, item 2), on the real
# console under tmux at 80x24. A refusal too long for the status line is
# cut there with a hint to open the log ("…L"); "L" opens the message log,
# which has it whole, with its time. "link lost" goes from the status line
# when the link is back, and stays in the log; ":messages" opens the log
# too.
#
# Usage: tests/e2e/screen-messages.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-messages "$@"

if ! backend_start --seed 7 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
# The status line, second from the bottom.
status_line() {
	screen | tail -2 | head -1
}

console_start 80 24 "$url"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "console up"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

alert=$(tb first-alert)
# The first unit out of service, from the snapshot's units.
oos='"id":"[^"]*","type":"[a-z_]*","area":"[^"]*","name":"[^"]*",'
oos=$oos'"status":"out_of_service"'
unit=$(tb snapshot | grep -o "$oos" | head -1 | cut -d'"' -f4)
if [ -n "$alert" ] && [ -n "$unit" ]; then
	pass "alert $alert, unit $unit out of service"
else
	fail "no alert or no unit out of service in the dataset"
	e2e_finish
fi

# A refusal longer than the status line: cut, with the hint at its end.
console_cmd "dispatch $alert $unit"
if wait_for 10 "status_line | grep -q '✗ dispatch $alert'"; then
	pass "the refusal is on the status line"
else
	fail "no refusal on the status line"
	screen | tail -3
fi
if status_line | grep -q '…L *$'; then
	pass "cut at the width, with a hint to open the log (…L)"
else
	fail "no hint at the end of the cut message: $(status_line)"
fi

# L opens the log: the whole refusal, its time, the reason's end.
tm send-keys -t console L
if wait_screen 5 '┌ Messages ─' &&
    wait_screen 2 "[0-9]{2}:[0-9]{2}:[0-9]{2} ✗ dispatch $alert $unit:"; then
	pass "L opens the log, the refusal with its time"
else
	fail "the log did not open, or has no timed refusal"
	screen
fi
if screen | grep -q 'out of service'; then
	pass "the log has the refusal in full, to its reason's last word"
else
	fail "the reason is cut in the log too"
	screen
fi
if screen | grep -Eq "[0-9:]{8} . ack $alert|✓ ack" ; then
	fail "the log has a result that never was"
fi
tm send-keys -t console q
wait_screen_gone 5 '┌ Messages ─' >/dev/null

# The link goes: "link lost" on the status line; back: it goes.
backend_stop
if wait_for 10 "status_line | grep -q 'link lost'"; then
	pass "link lost: said on the status line"
else
	fail "no link lost on the status line"
	screen | tail -3
fi
if ! backend_start --seed 7 --rate 0; then
	fail "the backend did not restart"
	e2e_finish
fi
if wait_screen 20 '● connected' &&
    wait_for 10 "! status_line | grep -q 'link lost'"; then
	pass "link back: \"link lost\" is gone from the status line"
else
	fail "\"link lost\" still on the status line with the link back"
	screen | tail -3
fi

console_cmd "messages"
if wait_screen 5 '┌ Messages ─' &&
    wait_screen 2 '[0-9]{2}:[0-9]{2}:[0-9]{2} ✗ link lost'; then
	pass ":messages: the log keeps \"link lost\", with its time"
else
	fail ":messages: no link lost in the log"
	screen
fi
tm send-keys -t console q
wait_screen_gone 5 '┌ Messages ─' >/dev/null

console_quit
e2e_finish

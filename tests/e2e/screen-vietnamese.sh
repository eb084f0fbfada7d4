#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end (issue 13, item 5): Vietnamese through and through. The
# real console in Vietnamese against the real backend (seed 2), at
# 200x50 so that whole lines show, goes through a scripted set of
# actions: an acknowledgement, the same again (refused by the backend,
# which gives a reason and its arguments), completion with several
# matches, an alert's detail and history, a case's detail (its category
# and channel), the quit question. Every screen is captured and must hold
# none of a list of English words; each step also checks that its
# Vietnamese is there, so an empty screen cannot pass.
#
# Usage: tests/e2e/screen-vietnamese.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-vietnamese "$@"

# Words an English screen would show and a Vietnamese one must not: the
# key hints, completion, results and refusals, questions, history,
# categories, channels and sources, deadlines.
english='matches|dispatch|resolve|command|keys|search|quit|sure|only|
acknowledged|alert|cannot|citizen|sensor|hotline|power|water|traffic|
overdue|untouched|Alerts|Feedback|level|created|history|Deadline|due|
new|ack|done|running'
english=$(printf '%s' "$english" | tr -d '\n')

# check NAME: the screen holds none of the English words (the command
# line, what the officer typed, aside).
check() {
	found=$(screen | grep -v '^:' | grep -Ewo "$english" | sort -u |
	    tr '\n' ' ')
	if [ -z "$found" ]; then
		pass "$1: no English on screen"
	else
		fail "$1: English on screen: $found"
		screen
	fi
}

if ! backend_start --seed 2 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
console_start 200 50 --lang vi "$url"
if wait_screen 10 'Cảnh báo \([0-9]+\)' && wait_screen 5 'A-0002 '; then
	pass "Vietnamese screen with alert rows"
else
	fail "no Vietnamese screen"
	screen
fi
check "start"

console_cmd "ack A-0002"
if wait_screen 10 '✓ xác nhận A-0002'; then
	pass "the result is said in Vietnamese"
else
	fail "no ✓ xác nhận A-0002"
	screen | tail -3
fi
check "after an acknowledgement"

console_cmd "ack A-0002"
if wait_screen 10 '✗ xác nhận A-0002: .*A-0002 đang ở trạng thái đã xác nhận: chỉ xác nhận được cảnh báo mới'
then
	pass "the backend's refusal is said in Vietnamese, from its reason"
else
	fail "the refusal is not in Vietnamese"
	screen | tail -3
fi
check "after a refusal"

tm send-keys -t console ':'
tm send-keys -t console -l 'ack A-000'
tm send-keys -t console Tab Tab
if wait_screen 5 '[0-9]+ kết quả: A-'; then
	pass "completion's matches are counted in Vietnamese"
else
	fail "no 'kết quả:' on completion"
	screen | tail -3
fi
check "completion"
tm send-keys -t console C-u Escape
if wait_for 5 '! screen | tail -1 | grep -q "^:"'; then
	pass "Esc closes the command line"
else
	fail "the command line stays open"
fi

# The alert's detail: its clocks and history (acknowledged, created by a
# citizen or a sensor).
console_cmd "search A-0002"
wait_screen 5 'Cảnh báo \(1\)' >/dev/null
tm send-keys -t console Enter
if wait_screen 5 'Lịch sử' && wait_screen 5 'đã xác nhận'; then
	pass "the alert's detail, in Vietnamese"
else
	fail "no detail of A-0002"
	screen
fi
check "alert detail"
tm send-keys -t console Escape
wait_screen_gone 5 'Lịch sử' >/dev/null

console_cmd "focus feedback"
console_cmd "search PA-0002"
wait_screen 5 'Phản ánh \(1\)' >/dev/null
tm send-keys -t console Enter
if wait_screen 5 'Nhóm +điện' && wait_screen 5 'Lịch sử'; then
	pass "the case's category is said in Vietnamese"
else
	fail "no category in Vietnamese on PA-0002"
	screen
fi
check "case detail"
tm send-keys -t console Escape
wait_screen_gone 5 'Lịch sử' >/dev/null

tm send-keys -t console q
if wait_screen 5 'thoát: chắc chắn\? \(y/n\)'; then
	pass "the quit question is in Vietnamese"
else
	fail "no Vietnamese quit question"
	screen | tail -2
fi
check "quit question"
tm send-keys -t console n

console_quit
e2e_finish

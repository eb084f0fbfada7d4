#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end (issue 13, item 6): a case's deadline with its date and the
# working time left, counted in working hours by the calendar (office
# hours, week-ends, Tết). The backend's clock starts on Friday 13/2/2026
# at 16:00, the last working afternoon before Tết (--start); the console
# follows the backend's clock (its welcome's "now"). A case received then
# is due on Friday 27/2 at 17:00: fourteen days on the clock, but one
# working hour that Friday and five working days after the holiday, 41
# working hours. At 80x24 the Feedback row says 40h (not "14d"); the
# detail says "17:00 thứ Sáu 27/02 · còn 40 giờ làm việc", and in English
# "17:00 Friday 27/02 · 40 working hours left".
#
# Usage: tests/e2e/screen-deadlines.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-deadlines "$@"

if ! backend_start --seed 3 --rate 0 --start 2026-02-13T16:00; then
	fail "the backend did not start"
	exit 1
fi
out=$(tb cmd inject '{"kind":"feedback","item":{"channel":"hotline",
"area":"06673","category":"education","text":"Trường xuống cấp"}}')
case1=$(printf '%s\n' "$out" | grep -o '"item":"[^"]*"' | cut -d'"' -f4)
if [ -n "$case1" ]; then
	pass "case $case1 received on Friday 13/2 at 16:00"
else
	fail "no case injected: $out"
	exit 1
fi

# detail ID: open the detail of case ID on the Feedback panel.
detail() {
	console_cmd "focus feedback"
	console_cmd "search $1"
	wait_screen 5 "$1 " >/dev/null
	tm send-keys -t console Enter
}

console_start 80 24 --lang vi "$url"
if wait_screen 10 'Quảng Ninh  16:0[0-9]:[0-9]{2}'; then
	pass "the console runs on the backend's clock (16:0x)"
else
	fail "the console's clock is not the backend's: $(screen | head -1)"
fi
if wait_screen 10 "$case1 .* 4[01]h *│"; then
	pass "80x24: the row counts working hours left (4xh, not 14d)"
else
	fail "80x24: no working hours on the row of $case1"
	screen
fi
detail "$case1"
if wait_screen 5 'Hạn xử lý +17:00 thứ Sáu 27/02 · còn 4[01] giờ làm việc'
then
	pass "80x24 detail: the date, the weekday and the working hours left"
else
	fail "80x24 detail: no date and working hours"
	screen
fi
console_quit

console_start 80 24 --lang en "$url"
wait_screen 10 "$case1 " >/dev/null
detail "$case1"
if wait_screen 5 'Deadline +17:00 Friday 27/02 · 4[01] working hours left'
then
	pass "in English: the date and the working hours left"
else
	fail "in English: no date and working hours"
	screen
fi
console_quit
e2e_finish

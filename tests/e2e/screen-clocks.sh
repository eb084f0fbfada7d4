#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end (issue 13, item 1): "overdue" means that nobody has done
# what the running stage clock asks. The real console, under tmux,
# against the real backend with seed 2, whose first day has A-0002
# (severity 2, traffic) created 17 minutes ago, due to be acknowledged 2
# minutes ago and to be dispatched in 13 minutes:
#
#  - before: A-0002 is untouched and overdue ("!!"); the Alerts footer
#    and the status line count the untouched apart ("untouched");
#  - acknowledged with ":ack A-0002": its first-response clock stops, the
#    dispatch clock runs (the Due column shows "→" and the time left),
#    and its row is no longer overdue, at 200x50 and at 80x24; the
#    untouched count goes down by one.
#
# Usage: tests/e2e/screen-clocks.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-clocks "$@"

if ! backend_start --seed 2 --rate 0; then
	fail "the backend did not start"
	exit 1
fi

# row ID: the line of the console's screen with ID on it.
row() {
	screen | grep -E "(^| |│)$1 " | head -1
}

# untouched: the untouched count on the Alerts footer.
untouched() {
	screen | grep -Eo 'untouched [0-9]+' | head -1 | cut -d' ' -f2
}

console_start 200 50 --lang en "$url"
if wait_screen 10 'A-0002 ' && wait_screen 5 'untouched [0-9]+'; then
	pass "alert rows and an untouched count on screen"
else
	fail "no A-0002 or no untouched count"
	screen
fi
if row A-0002 | grep -q '!!'; then
	pass "before: A-0002, not acknowledged past its time, is overdue"
else
	fail "before: A-0002 not overdue: $(row A-0002)"
fi
if row A-0002 | grep -Eq '✓ -[0-9]+m'; then
	pass "before: its Due column names the clock to acknowledge (✓)"
else
	fail "before: no ✓ clock on A-0002: $(row A-0002)"
fi
if screen | tail -2 | head -1 | grep -Eq '!! untouched [0-9]+'; then
	pass "the status line counts the untouched apart"
else
	fail "no untouched count on the status line"
	screen | tail -2
fi
before=$(untouched)

console_cmd "ack A-0002"
if wait_screen 10 '✓ ack A-0002'; then
	pass "A-0002 acknowledged"
else
	fail "no ✓ ack A-0002"
	screen | tail -3
fi
if wait_for 5 '! row A-0002 | grep -q "!!"'; then
	pass "after: acknowledged, A-0002 is not overdue"
else
	fail "after: A-0002 still overdue: $(row A-0002)"
fi
if row A-0002 | grep -Eq '→ 1[0-9]m'; then
	pass "after: the dispatch clock runs (→ and the time left)"
else
	fail "after: no dispatch clock on A-0002: $(row A-0002)"
fi
after=$(untouched)
if [ -n "$before" ] && [ "${after:-0}" -eq $((before - 1)) ]; then
	pass "the untouched count went from $before to ${after:-0}"
else
	fail "untouched went from '$before' to '$after'"
fi

tm resize-window -t console -x 80 -y 24
if wait_for 5 'screen | grep -q "A-0002 " && ! row A-0002 | grep -q "!!"'
then
	pass "80x24: A-0002 is not overdue"
else
	fail "80x24: A-0002 overdue or not shown: $(row A-0002)"
	screen
fi
console_quit
e2e_finish

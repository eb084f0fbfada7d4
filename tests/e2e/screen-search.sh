#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: search without accents, filters, the detail view and the
# schools drill-down on the real console under tmux. "/" then "bai chay"
# must find Bãi Cháy and nothing else, "cam pha" Cẩm Phả; Esc clears; a
# filter by area applies to every panel; Enter opens an item's detail
# with its history and Esc goes back.
#
# Usage: tests/e2e/screen-search.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-search "$@"

if ! backend_start --seed 5 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
console_start 100 30 "$url"
if wait_screen 10 'Schools \([0-9]+\)'; then
	pass "panels on screen"
else
	fail "no panels"
	screen
	e2e_finish
fi

# The lines of the Schools panel (bottom left at 100x30: rows 15-27).
schools() {
	screen | sed -n '15,28p' | cut -c1-50
}

# Focus Schools, search without accents.
tm send-keys -t console 3
tm send-keys -t console /
tm send-keys -t console -l "bai chay"
tm send-keys -t console Enter
if wait_for 5 'schools | grep -q "Schools (1) /bai chay"'; then
	pass "\"bai chay\": one area in Schools"
else
	fail "\"bai chay\": not one area"
	screen
fi
if schools | grep -q "Bãi Cháy" && ! schools | grep -q "Cẩm Phả"; then
	pass "\"bai chay\" finds Bãi Cháy, not Cẩm Phả"
else
	fail "\"bai chay\" rows wrong"
	schools
fi
if screen | grep -q 'found for "bai chay"'; then
	pass "the status line says what was found"
else
	fail "no message for the search"
fi

console_cmd "search cam pha"
if wait_for 5 'schools | grep -q "Cẩm Phả"' && ! schools | grep -q "Bãi Cháy"
then
	pass "\"cam pha\" finds Cẩm Phả"
else
	fail "\"cam pha\" rows wrong"
	schools
fi

# Esc clears the search.
tm send-keys -t console Escape
if wait_for 5 '! schools | grep -q "/cam pha"' &&
    schools | grep -q "Hạ Long"; then
	pass "Esc clears the search"
else
	fail "Esc did not clear the search"
	schools
fi

# Drill down into Hạ Long's schools and back.
tm send-keys -t console g Enter
if wait_for 5 'schools | grep -q "Schools ([0-9]*) › Hạ Long"'; then
	pass "Enter: the schools of an area"
else
	fail "Enter did not drill down"
	schools
fi
tm send-keys -t console Escape
if wait_for 5 '! schools | grep -q "Schools ([0-9]*) ›"' &&
    schools | grep -q "Hạ Long"; then
	pass "Esc: back to the areas"
else
	fail "Esc did not go back up"
	schools
fi

# A filter by area applies to every panel: Feedback too.
console_cmd "filter cam pha"
if wait_screen 5 'Feedback \([0-9]+\) \[CP\]' &&
    screen | grep -q 'Alerts ([0-9]*) \[CP\]'; then
	pass "filter by area in every panel"
else
	fail "the area filter is not shown"
	screen
fi
console_cmd "filter clear"
if wait_screen_gone 5 '\[CP\]'; then
	pass "filter cleared"
else
	fail "the filter stayed"
fi

# The detail of an alert, with its history; Esc goes back.
id=$(tb first-alert)
tb cmd ack "{\"alert\":\"$id\"}" >/dev/null
tb cmd note "{\"alert\":\"$id\",\"text\":\"Đã gọi công an phường\"}" \
    >/dev/null
tm send-keys -t console 1
console_cmd "search $id"
if wait_screen 5 "Alerts \\(1\\) /$id"; then
	tm send-keys -t console Enter
else
	fail "could not find $id"
fi
if wait_screen 5 "Alerts $id" && wait_screen 5 'History' &&
    wait_screen 5 'acknowledged' && wait_screen 5 'Đã gọi công an'; then
	pass "Enter: the detail of $id with its history"
else
	fail "no detail of $id"
	screen
fi
tm send-keys -t console Escape
if wait_screen 5 'Hospitals \([0-9]+\)' && ! screen | grep -q 'History'
then
	pass "Esc: back from the detail"
else
	fail "Esc did not close the detail"
	screen
fi

console_quit
e2e_finish

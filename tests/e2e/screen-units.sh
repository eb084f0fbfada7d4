#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the unit board (issue 13, item 3), on the real console under
# tmux at 100x30. "5" shows every unit with its status, area and alert;
# a unit out of service says so in words; one dispatched shows its alert;
# the area filter applies; Esc goes back to the panels. Completing the
# units of "dispatch" leaves out a unit that cannot go and says why
# ("RES-HL-01: out of service"); in Vietnamese too.
#
# Usage: tests/e2e/screen-units.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-units "$@"

# Esc, and wait until it is read as Esc alone (not Alt with what follows).
esc() {
	tm send-keys -t console Escape
	wait_for 5 "! screen | tail -1 | grep -q '^:'" >/dev/null
}

if ! backend_start --seed 7 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
snap=$tmp/snap.json
tb snapshot >"$snap"
# The first unit of a status: its id.
unit_with() {
	_uw='"id":"[^"]*","type":"[a-z_]*","area":"[^"]*","name":"[^"]*",'
	grep -o "$_uw\"status\":\"$1\"" "$snap" | head -1 | cut -d'"' -f4
}
oos=$(unit_with out_of_service)
free=$(unit_with available)
alert=$(tb first-alert)
if [ -n "$oos" ] && [ -n "$free" ] && [ -n "$alert" ]; then
	pass "units $oos (out of service) and $free (available), alert $alert"
else
	fail "the dataset has no unit out of service, or none available"
	e2e_finish
fi
tb cmd dispatch "{\"alert\":\"$alert\",\"units\":[\"$free\"]}" >/dev/null

console_start 100 30 "$url"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "console up"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

# The help, generated from the key table, has the views and the log.
tm send-keys -t console '?'
# Page on (Space) until the log's key shows, or the end.
page_to() {
	screen | grep -Eq "$1" && return 0
	tm send-keys -t console Space
	return 1
}
if wait_screen 5 '5 +The unit board' && wait_screen 2 '6 +The overview' &&
    wait_for 10 "page_to 'L +The message log'"; then
	pass "? lists 5 (unit board), 6 (overview) and L (message log)"
else
	fail "? does not list the views' keys"
	screen
fi
tm send-keys -t console q
wait_screen_gone 5 '┌ Keys ─' >/dev/null

tm send-keys -t console 5
if wait_screen 5 '─ Units \([0-9]+\) ─'; then
	pass "5 shows the unit board"
else
	fail "5 did not show the unit board"
	screen
	e2e_finish
fi
if screen | grep -q 'Status' && screen | grep -q 'Alert'; then
	pass "columns: status, alert"
else
	fail "no Status or Alert column"
	screen | head -4
fi
console_cmd "search $oos"
if wait_for 5 "screen | grep '$oos' | grep -q 'out of service'"; then
	pass "$oos: out of service, in words"
else
	fail "$oos is not shown out of service"
	screen
fi
# s: the unit's status from the board; back in service.
tm send-keys -t console s
if wait_for 5 "screen | tail -1 | grep -q '^:status $oos'"; then
	pass "s opens the command line with the selected unit"
else
	fail "s did not open :status $oos"
	screen | tail -2
fi
tm send-keys -t console -l available
tm send-keys -t console Enter
if wait_for 10 "screen | grep '$oos' | grep -q ' available '"; then
	pass "$oos back in service from the board"
else
	fail "$oos not available after :status"
	screen
fi
tb cmd unit_status "{\"unit\":\"$oos\",\"status\":\"out_of_service\"}" \
    >/dev/null
console_cmd "search $free"
if wait_for 5 "screen | grep '$free' | grep -q 'dispatched.*$alert'"; then
	pass "$free: dispatched, on $alert"
else
	fail "$free does not show its alert"
	screen
fi
esc
console_cmd "sort status"
console_cmd "filter area 06685"
if wait_screen 5 '─ Units \([0-9]+\) \[' &&
    ! screen | grep -Eq '^│[A-Z]+-CP-'; then
	pass "the area filter applies to the units"
else
	fail "the area filter does not apply"
	screen | head -6
fi
console_cmd "filter clear"
esc
if wait_screen 5 '─ Alerts \([0-9]+\) ─' && screen | grep -q '─ Hospitals'
then
	pass "Esc: back to the panels"
else
	fail "Esc did not leave the unit board"
	screen | head -3
fi

# Completion of dispatch: the unit out of service is not offered, and
# the officer is told why.
tm send-keys -t console ':'
tm send-keys -t console -l "dispatch $alert $oos"
tm send-keys -t console Tab
if wait_for 5 "screen | tail -2 | grep -q '$oos: out of service'"; then
	pass "completion: $oos not offered, and why"
else
	fail "completion does not say why $oos is not offered"
	screen | tail -3
fi
esc
console_cmd "lang vi"
wait_screen 5 'Cảnh báo' >/dev/null
tm send-keys -t console ':'
tm send-keys -t console -l "dispatch $alert $oos"
tm send-keys -t console Tab
if wait_for 5 "screen | tail -2 | grep -q '$oos: ngừng hoạt động'"; then
	pass "in Vietnamese: $oos: ngừng hoạt động"
else
	fail "no Vietnamese reason"
	screen | tail -3
fi
esc
tm send-keys -t console 5
if wait_screen 5 '─ Đơn vị \([0-9]+\)' && screen | grep -q 'Loại' &&
    screen | grep -q 'sẵn sàng'; then
	pass "the unit board in Vietnamese"
else
	fail "the unit board is not in Vietnamese"
	screen | head -8
fi

console_quit
e2e_finish

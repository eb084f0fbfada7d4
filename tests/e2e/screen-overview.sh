#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the supervisor's view (issue 13, item 10), on the real
# console under tmux at 120x36. Operator minh (through tb-client)
# acknowledges an alert and assigns a case; the supervisor's console
# shows minh as their handler on Alerts and Feedback; "6" shows the
# overview: per area the open alerts by severity, the untouched overdue
# items and the escalated ones, and per operator the items in hand.
#
# Usage: tests/e2e/screen-overview.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-overview "$@"

sup=sup-2b7e9c4d1a3f5e60
op=op-8c1d3e5f7a9b0c2d
cat >"$tmp/tokens" <<TOKENS
$sup  lan   supervisor  *
$op   minh  operator    *
TOKENS
chmod 600 "$tmp/tokens"
echo "$sup" >"$tmp/sup.token"
chmod 600 "$tmp/sup.token"

if ! backend_start --tokens "$tmp/tokens" --seed 7 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
as() {	# token, tb-client arguments...
	_as_t=$1
	shift
	"$client" -t 10 -T "$_as_t" "$url" "$@"
}
snap=$tmp/snap.json
as "$sup" snapshot >"$snap"
alerts=$(grep -o '"id":"A-[0-9]*"' "$snap" | cut -d'"' -f4)
a1=$(echo "$alerts" | sed -n 1p)
a2=$(echo "$alerts" | sed -n 2p)
new='"id":"PA-[0-9]*","channel":"[a-z]*","area":"[^"]*",'
new=$new'"category":"[^"]*","text":"[^"]*","state":"new"'
case1=$(grep -o "$new" "$snap" | head -1 | cut -d'"' -f4)
dept=$(grep -o '"departments":\[{"code":"[^"]*"' "$snap" | cut -d'"' -f6)
if [ -n "$a1" ] && [ -n "$a2" ] && [ -n "$case1" ] && [ -n "$dept" ]; then
	pass "alerts $a1 $a2, case $case1, department $dept"
else
	fail "the dataset lacks alerts, a new case or a department"
	e2e_finish
fi
if as "$op" cmd ack "{\"alert\":\"$a1\"}" | grep -q '"ok":true' &&
    as "$op" cmd assign "{\"case\":\"$case1\",\"dept\":\"$dept\"}" |
    grep -q '"ok":true' &&
    as "$sup" cmd escalate "{\"alert\":\"$a2\"}" | grep -q '"ok":true'
then
	pass "minh acknowledged $a1 and assigned $case1; $a2 escalated"
else
	fail "the operator's commands were refused"
fi

console_start 120 36 --token-file "$tmp/sup.token" "$url"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "the supervisor's console is up"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

# The handler column: zoomed, each panel has room for it.
tm send-keys -t console z
if wait_screen 5 'Handler' &&
    wait_for 5 "screen | grep ' $a1 ' | grep -q ' minh '"; then
	pass "Alerts: $a1 handled by minh"
else
	fail "Alerts: no handler column, or not minh on $a1"
	screen | head -6
fi
tm send-keys -t console 4
if wait_screen 5 '─ Feedback' &&
    wait_for 5 "screen | grep '$case1 ' | grep -q ' minh '"; then
	pass "Feedback: $case1 handled by minh"
else
	fail "Feedback: not minh on $case1"
	screen
fi
tm send-keys -t console z

tm send-keys -t console 6
if wait_screen 5 '─ Overview \([0-9]+\)'; then
	pass "6 shows the overview"
else
	fail "6 did not show the overview"
	screen
	e2e_finish
fi
if screen | grep -q 'Untouched' && screen | grep -q 'Escalated'; then
	pass "per area: untouched and escalated columns"
else
	fail "no untouched or escalated column"
	screen | head -4
fi
if wait_for 5 "screen | grep -q 'minh  *alerts 1 · cases 1'"; then
	pass "per operator: minh holds 1 alert and 1 case"
else
	fail "minh's items in hand are not shown"
	screen
fi
if screen | grep -Eq '!! untouched overdue [1-9][0-9]* · escalated 1'; then
	pass "footer: untouched overdue items, one escalated"
else
	fail "footer: $(screen | grep 'untouched overdue')"
fi
if screen | grep -q '↑1'; then
	pass "the escalated alert's area shows ↑1"
else
	fail "no ↑1 on the escalated alert's area"
	screen
fi
tm send-keys -t console Escape
if wait_screen 5 '─ Alerts \([0-9]+\)'; then
	pass "Esc: back"
else
	fail "Esc did not leave the overview"
fi

console_quit
e2e_finish

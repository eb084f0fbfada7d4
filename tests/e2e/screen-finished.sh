#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: finished work stays reachable (issue 13, item 4), on the
# real console under tmux at 80x24, against the real backend with a
# 3-second retention (--retention 0.05). "7" shows the finished view: an
# answered case (which the Feedback panel no longer lists) is there and
# closed from there with "c" and Enter; an alert closed and taken out of
# the live state is found in the view through the archive, its detail
# saying so; 21 more archived alerts come in two pages, the second when
# the selection reaches the last row ("more below", then "no more"); "h" shows the shift's history, with the officer's own ack.
# Every wait polls with a deadline.
#
# Usage: tests/e2e/screen-finished.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-finished "$@"

# Esc, and wait until it is read as Esc alone (not Alt with what follows).
esc() {
	tm send-keys -t console Escape
	wait_for 5 "! screen | tail -1 | grep -q '^:'" >/dev/null
}

if ! backend_start --seed 7 --rate 0 --retention 0.05; then
	fail "the backend did not start"
	exit 1
fi

# An answered case, with a word no other case has.
res=$(tb cmd inject '{"kind":"feedback","item":{"channel":"app",
    "area":"06673","category":"environment","text":"Khoibuixong mù mịt"}}')
case_id=$(echo "$res" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
if [ -n "$case_id" ] &&
    tb cmd assign "{\"case\":\"$case_id\",\"dept\":\"NUOC\"}" |
    grep -q '"ok":true' &&
    tb cmd reply "{\"case\":\"$case_id\",\"text\":\"Đã xử lý\"}" |
    grep -q '"ok":true'; then
	pass "case $case_id answered"
else
	fail "could not make an answered case: $res"
	e2e_finish
fi
# Two alerts: one the officer acknowledges, one closed and archived.
alerts=$(tb snapshot | grep -o '"id":"A-[0-9]*"' | cut -d'"' -f4 | head -2)
ack_id=$(echo "$alerts" | sed -n 1p)
gone_id=$(echo "$alerts" | sed -n 2p)
if [ -n "$ack_id" ] && [ -n "$gone_id" ]; then
	pass "alerts $ack_id (to ack) and $gone_id (to close)"
else
	fail "the dataset has fewer than two alerts"
	e2e_finish
fi

# Twenty-one more closed alerts, so the archive has two pages (20 a page).
n=0
i=1
while [ $i -le 21 ]; do
	id=$(tb cmd inject '{"kind":"alert","item":{"kind":"fire",
	    "severity":1,"area":"06673","place":"X","source":"manual",
	    "title":"Khoitrang '"$i"'"}}' |
	    sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
	[ -n "$id" ] && tb cmd close "{\"alert\":\"$id\",
	    \"disposition\":\"false_alarm\",\"reason\":\"thử\"}" |
	    grep -q '"ok":true' && n=$((n + 1))
	i=$((i + 1))
done
if [ "$n" -eq 21 ]; then
	pass "21 more alerts closed"
else
	fail "only $n of 21 alerts closed"
fi

console_start 80 24 "$url"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "console up at 80x24"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

console_cmd "ack $ack_id"
if wait_for 10 "tb get alert $ack_id | grep -q '\"state\":\"acknowledged\"'"
then
	pass "$ack_id acknowledged from the console"
else
	fail "$ack_id not acknowledged: $(tb get alert "$ack_id")"
fi

# Closed, then out of the live state 3 s later (at the next pass).
tb cmd close "{\"alert\":\"$gone_id\",\"disposition\":\"false_alarm\",
    \"reason\":\"báo nhầm\"}" >/dev/null
if wait_for 20 "! tb get alert $gone_id >/dev/null 2>&1"; then
	pass "$gone_id closed and archived"
else
	fail "$gone_id is still live: $(tb get alert "$gone_id")"
fi

# The view: the answered case, found by the search, and closed from it.
tm send-keys -t console 7
if wait_screen 5 'Finished'; then
	pass "7 shows the finished view"
else
	fail "7 shows no finished view"
	screen
fi
# The archive's first page, then the next when the selection gets to the
# last row: "more below", then "no more".
if wait_screen 10 'more below ─'; then
	pass "the first archive page came: more below"
else
	fail "no \"more below\" after the first page"
	screen
fi
tm send-keys -t console G
if wait_screen 10 'no more ─'; then
	pass "at the last row the next page came: no more"
else
	fail "no next page at the last row"
	screen
fi
if wait_screen 10 "$case_id +answered"; then
	pass "the answered case $case_id is in the view"
else
	fail "the answered case $case_id is not in the view"
	screen
fi
console_cmd "search khoibuixong"
wait_screen 5 "$case_id" >/dev/null
tm send-keys -t console c
if wait_screen 5 "^:close $case_id"; then
	tm send-keys -t console Enter
else
	fail "c on the case does not open \":close $case_id\""
	screen
fi
if wait_for 10 "tb get feedback $case_id | grep -q '\"state\":\"closed\"'"
then
	pass "$case_id closed from the view"
else
	fail "$case_id not closed: $(tb get feedback "$case_id")"
	screen
fi
if wait_screen 10 "$case_id +closed"; then
	pass "the view shows $case_id closed"
else
	fail "the view does not show $case_id closed"
	screen
fi

console_cmd "search khoitrang"
if wait_screen 5 'Finished \(21\) /khoitrang'; then
	pass "all 21 archived alerts are in the view (two pages)"
else
	fail "not all 21 archived alerts are in the view"
	screen
fi
# The archived alert: in the view through the archive, its detail too.
console_cmd "search $gone_id"
if wait_screen 10 "$gone_id +closed \(false alarm\)"; then
	pass "$gone_id, out of the live state, is in the view (archive)"
else
	fail "$gone_id is not in the view"
	screen
fi
tm send-keys -t console Enter
if wait_screen 5 'archived \(no longer live\)' &&
    wait_screen 2 'báo nhầm'; then
	pass "its detail comes from the archive, with its history"
else
	fail "no detail of the archived $gone_id"
	screen
fi
esc
esc

# The shift's history: the officer's own ack.
tm send-keys -t console h
console_cmd "search $ack_id"
if wait_screen 5 "the shift's history.*/$ack_id" &&
    wait_screen 10 "$ack_id +acknowledged"; then
	pass "h: the shift's history has the officer's ack of $ack_id"
else
	fail "the shift's history does not show the ack of $ack_id"
	screen
fi
if screen | sed '$d' | grep -q "$gone_id"; then
	fail "the search does not apply to the history"
else
	pass "the search applies to the history"
fi
esc
tm send-keys -t console Escape
if wait_screen_gone 5 "the shift's history"; then
	pass "Esc leaves the view"
else
	fail "Esc does not leave the view"
	screen
fi

console_quit
backend_stop
e2e_finish

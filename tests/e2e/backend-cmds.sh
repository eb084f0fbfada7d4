#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# The commands of protocol v1 through the real server with tb-client: an
# inject with hostile text (escape sequences, bidi controls, CR) kept byte
# for byte and returned by get; an alert's life from ack to reopen; a
# feedback case; diversion; refusals over the wire; a scenario that plays
# from the start, and one that does not load.
#
# Usage: tests/e2e/backend-cmds.sh BUILD_DIR   (e.g. build/san)
# Exits 0 when every check passes, else 1 with a line per failed check.

set -u
. "$(dirname "$0")/lib.sh"
e2e_init backend-cmds "$@"

backend_start --seed 3 --rate 0 || exit 1

# ok NAME OUTPUT: a check that a command's result was ok.
ok() {
	if printf '%s\n' "$2" | grep -q '"ok":true'; then
		pass "$1"
	else
		fail "$1: $2"
	fi
}

# refused NAME CODE TEXT OUTPUT: refused with CODE, message with TEXT.
refused() {
	if printf '%s\n' "$4" | grep -q "\"code\":\"$2\"" &&
	    printf '%s\n' "$4" | grep -qF -- "$3"; then
		pass "$1"
	else
		fail "$1: $4"
	fi
}

# has NAME PATTERN OUTPUT: OUTPUT holds the fixed string PATTERN.
has() {
	if printf '%s\n' "$3" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1: no '$2' in $3"
	fi
}

# An inject with hostile text: stored byte for byte (the backend keeps the
# truth; consoles sanitise what they show), so get returns the JSON escapes
# for ESC, BEL and CR and the raw bytes of U+202E. (printf, not echo: some
# shells' echo turns "\r" into a carriage return.)
args='{"kind":"alert","item":{"kind":"fire","severity":4,"area":"06685",
"place":"P\u001b[2J","source":"manual","deadline_min":10,
"title":"Ch\u00e1y \u001b[31mKHO\u001b[0m\r\u202ebl\u001b]0;pwned\u0007x"}}'
out=$(tb cmd inject "$args" e2e-inject-1)
ok "inject an alert with hostile text" "$out"
alert=$(printf '%s\n' "$out" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
[ -n "$alert" ] || alert=A-9999
again=$(tb cmd inject "$args" e2e-inject-1)
if [ "$again" = "$out" ]; then
	pass "inject repeated: the same result, the same $alert"
else
	fail "inject repeated: '$out' then '$again'"
fi
got=$(tb get alert "$alert")
want=$(printf '"title":"Cháy \\u001B[31mKHO\\u001B[0m\\r\342\200\256'
    printf 'bl\\u001B]0;pwned\\u0007x"')
has "get returns the title byte for byte" "$want" "$got"
has "... and the place" '"place":"P\u001B[2J"' "$got"
has "... with its creation in the history" '"what":"created"' "$got"

# An alert's life.
out=$(tb cmd ack "{\"alert\":\"$alert\",\"version\":1}")
ok "ack $alert" "$out"
out=$(tb cmd ack "{\"alert\":\"$alert\"}")
refused "ack twice: bad_state" bad_state "is acknowledged" "$out"
out=$(tb cmd note "{\"alert\":\"$alert\",\
\"text\":\"L\u1ea7n 1\r\n\u001b[1mgo\"}")
ok "note" "$out"
has "the note is in the history, byte for byte" \
    '"what":"note","text":"Lần 1\r\n\u001B[1mgo"' "$(tb get alert "$alert")"
out=$(tb cmd escalate "{\"alert\":\"$alert\"}")
ok "escalate" "$out"
out=$(tb cmd mute "{\"alert\":\"$alert\",\"minutes\":15}")
ok "mute 15 min" "$out"
out=$(tb cmd mute "{\"alert\":\"$alert\",\"minutes\":999}")
refused "mute 999 min: bad_args" bad_args "1 to 240" "$out"
out=$(tb cmd note "{\"alert\":\"$alert\",\"text\":\"x\",\"version\":2}")
refused "a stale version names both" stale_version \
    "you saw version 2, it is now version 5" "$out"

unit=$(tb first-unit)
out=$(tb cmd dispatch "{\"alert\":\"$alert\",\"units\":[\"$unit\"]}")
ok "dispatch $unit" "$out"
out=$(tb cmd dispatch "{\"alert\":\"$alert\",\"units\":[\"$unit\"]}")
refused "dispatch it again: unit_unavailable" unit_unavailable \
    "$unit is dispatched on $alert" "$out"
out=$(tb cmd unit_status "{\"unit\":\"$unit\",\"status\":\"on_scene\"}")
ok "unit on scene" "$out"
has "the alert follows its unit on scene" '"state":"on_scene"' \
    "$(tb get alert "$alert")"
out=$(tb cmd resolve "{\"alert\":\"$alert\",\"text\":\"Đã dập tắt\"}")
ok "resolve" "$out"
has "the unit returns" '"status":"returning"' "$(tb get unit "$unit")"
out=$(tb cmd close "{\"alert\":\"$alert\",\"disposition\":\"false_alarm\"}")
refused "close as a false alarm without a reason" bad_args "give a reason" \
    "$out"
out=$(tb cmd close "{\"alert\":\"$alert\",\"disposition\":\"resolved\"}" \
    e2e-close-1)
ok "close resolved" "$out"
out=$(tb cmd close "{\"alert\":\"$alert\",\"disposition\":\"resolved\"}" \
    e2e-close-1)
ok "close repeated with its id: the first result again" "$out"
out=$(tb cmd close "{\"alert\":\"$alert\",\"disposition\":\"duplicate\",\
\"reason\":\"x\"}" e2e-close-1)
refused "the same id for another payload: conflict" conflict e2e-close-1 \
    "$out"
out=$(tb cmd escalate "{\"alert\":\"$alert\"}")
refused "escalate a closed alert" bad_state "is closed: reopen it first" \
    "$out"
out=$(tb cmd reopen "{\"alert\":\"$alert\",\"reason\":\"Cháy lại\"}")
ok "reopen" "$out"
has "reopened: acknowledged, no disposition" \
    '"state":"acknowledged","disposition":"none"' \
    "$(tb get alert "$alert" | sed 's/"acked_by":"[^"]*",//')"

# A feedback case.
out=$(tb cmd inject '{"kind":"feedback","item":{"channel":"zalo",
"area":"06793","category":"water",
"text":"M\u1ea5t n\u01b0\u1edbc\r\n3 ng\u00e0y"}}')
ok "inject a feedback case" "$out"
case=$(printf '%s\n' "$out" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
out=$(tb cmd reply "{\"case\":\"$case\",\"text\":\"x\"}")
refused "reply before assign" bad_state "assign it to a department first" \
    "$out"
out=$(tb cmd assign "{\"case\":\"$case\",\"dept\":\"NOPE\"}")
refused "assign to an unknown department" not_found "no department NOPE" \
    "$out"
ok "assign" "$(tb cmd assign "{\"case\":\"$case\",\"dept\":\"NUOC\"}")"
ok "reply" \
    "$(tb cmd reply "{\"case\":\"$case\",\"text\":\"Đã khắc phục\"}")"
ok "close the case" "$(tb cmd close_case "{\"case\":\"$case\"}")"
has "the case is closed with its reply" '"state":"closed"' \
    "$(tb get feedback "$case")"
out=$(tb cmd return \
    '{"case":"PA-0001","reason":"Không thuộc thẩm quyền"}')
ok "return a case" "$out"

# Diversion.
ok "divert on" "$(tb cmd divert '{"hospital":"BV-BAICHAY","on":true}')"
out=$(tb cmd divert '{"hospital":"BV-BAICHAY","on":true}')
refused "divert on twice" bad_state "already on diversion" "$out"
ok "divert off" "$(tb cmd divert '{"hospital":"BV-BAICHAY","on":false}')"

# Unknown items and commands.
refused "unknown alert" not_found "no alert A-0999" \
    "$(tb cmd ack '{"alert":"A-0999"}')"
refused "unknown unit" not_found "no unit NOPE-1" \
    "$(tb cmd unit_status '{"unit":"NOPE-1","status":"available"}')"
refused "unknown command" unknown_command "explode" \
    "$(tb cmd explode '{}')"

backend_stop
rc=$?
if [ $rc -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error' "$tmp/be.err"; then
	pass "clean exit"
else
	fail "backend exit status $rc"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
fi

# A scenario plays from its start: its first inject is the alert after the
# initial day's eight.
if [ -f "$root/data/scenarios/mass-casualty.json" ]; then
	backend_start --seed 3 --rate 50 --scenario mass-casualty || exit 1
	if wait_for 10 'tb get alert A-0009 2>/dev/null | grep -q "Xe kh"'; then
		pass "scenario mass-casualty: its first inject is there"
	else
		fail "scenario mass-casualty: no first inject"
	fi
	has "... as an exercise" '"exercise":true' "$(tb get alert A-0009)"
	backend_stop
fi
: >"$tmp/be.err"
"$backend" --listen 127.0.0.1:0 --data "$data" --scenario no-such-drill \
    >"$tmp/out" 2>"$tmp/be.err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'no scenario "no-such-drill"' "$tmp/be.err"; then
	pass "an unknown scenario stops the start with a message"
else
	fail "unknown scenario: exit $rc, $(cat "$tmp/be.err")"
fi

e2e_finish

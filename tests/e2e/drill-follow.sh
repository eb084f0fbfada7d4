#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: an instructor follows a trainee through a drill. The
# backend runs tests/data/drill-score.json with tokens for a trainee
# (lan, operator) and an instructor (thay, trainer). The instructor's
# console (trucban --follow lan) shows the drill's expectations in the
# follow tile, and each command the trainee sends, with its result,
# within a second; an alert the instructor injects from the command
# line (:inject alert ...) appears on the trainee's screen; an
# annotation goes into the report; a trainer acting on a live alert
# outside a drill is refused (trainer_live), and the console says why in
# Vietnamese.
#
# Usage: tests/e2e/drill-follow.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"

e2e_init drill-follow "$@"
printf 'lan-token-1234567890 lan operator *\n' >"$tmp/tokens"
printf 'thay-token-1234567890 thay trainer *\n' >>"$tmp/tokens"
printf 'lan-token-1234567890\n' >"$tmp/lan.tok"
printf 'thay-token-1234567890\n' >"$tmp/thay.tok"
chmod 600 "$tmp/tokens" "$tmp/lan.tok" "$tmp/thay.tok"
backend_start --seed 7 --rate 0 --tokens "$tmp/tokens" \
    --drill "$root/tests/data/drill-score.json" \
    --report "$tmp/report.json" || exit 1

drill_id() {	# N: the drill's alert DRILLTEST-N
	tb --token "$tmp/lan.tok" snapshot |
	    grep -o '"id":"A-[0-9]*","kind":"[a-z]*","severity":[0-9],"area":"[0-9]*","place":"[^"]*","source":"[a-z]*","title":"DRILLTEST-'"$1" |
	    sed 's/^"id":"\(A-[0-9]*\)".*/\1/'
}
wait_for 10 '[ -n "$(drill_id 1)" ]' || fail "the drill's alerts did not come"
a1=$(drill_id 1)

# The instructor, in tmux session "console", follows lan.
console_start 120 40 --token-file "$tmp/thay.tok" --follow lan "$url"
if wait_screen 10 'Following lan'; then
	pass "the follow tile names the trainee"
else
	fail "no follow tile"
	screen
fi
if wait_screen 5 'ack-one' && wait_screen 5 'rescue-one'; then
	pass "the drill's expectations are shown"
else
	fail "no expectations in the follow tile"
	screen
fi

# The trainee, in tmux session "trainee".
tm new-session -d -s trainee -x 120 -y 40 -c "$root" \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
    XDG_STATE_HOME=$tmp/state-lan XDG_CONFIG_HOME=$tmp/config \
    $console --log $tmp/lan.log --token-file $tmp/lan.tok $url \
    2>$tmp/lan.err; echo \$? >$tmp/lan.status"
wait_for 10 'screen trainee | grep -q "DRILLTEST-1"' ||
    fail "the trainee's screen has no drill alert"

# The trainee acks; the instructor sees it within a second.
tm send-keys -t trainee ':'
tm send-keys -t trainee -l "ack $a1"
tm send-keys -t trainee Enter
if wait_for 1 'screen | grep -Eq "[0-9:]{8} . ack $a1"'; then
	pass "the trainee's ack shows on the instructor's screen within 1 s"
else
	fail "the trainee's ack did not show within 1 s"
	screen
fi
if wait_screen 3 '. ack-one +10 +met after'; then
	pass "the expectation the ack met shows as met"
else
	fail "ack-one not shown as met"
	screen
fi

# The instructor injects; the trainee's screen shows it.
console_cmd "inject alert fire 4 06673 DRILLTEST-INJ cháy chợ Bãi Cháy"
if wait_for 5 'screen trainee | grep -q "DRILLTEST-INJ"'; then
	pass "an alert injected from the instructor's console is on the trainee's screen"
else
	fail "the injected alert is not on the trainee's screen"
	screen trainee
fi
console_cmd "annotate Lan xác nhận nhanh"
wait_for 5 'grep -q "annotate" "$tmp/console.log"' || true

tm send-keys -t trainee ':'
tm send-keys -t trainee -l quit
tm send-keys -t trainee Enter
wait_for 10 "[ -s $tmp/lan.status ]" || fail "the trainee's console did not exit"
console_quit
backend_stop
if grep -q '"text": "Lan xác nhận nhanh"' "$tmp/report.json" &&
    grep -q "thay: Lan xác nhận nhanh" "$tmp/report.json.txt"; then
	pass "the annotation is in the report"
else
	fail "no annotation in the report"
	cat "$tmp/report.json.txt"
fi

# Outside a drill, a trainer acts on nothing live.
backend_start --seed 7 --rate 0 --tokens "$tmp/tokens" || exit 1
live=$(tb --token "$tmp/thay.tok" first-alert)
got=$(tb --token "$tmp/thay.tok" cmd ack "{\"alert\":\"$live\"}" 2>&1)
if echo "$got" | grep -q 'trainer_live'; then
	pass "a trainer's ack on a live alert is refused (trainer_live)"
else
	fail "trainer on a live alert: $got"
fi
# The console says it in the officer's language (the reason, translated).
got=$(env XDG_STATE_HOME="$tmp/state-vi" "$console" --lang vi \
    --log "$tmp/vi.log" --token-file "$tmp/thay.tok" -c "ack $live" "$url" \
    2>>"$tmp/c.err")
if echo "$got" | grep -q "^error forbidden ack $live: $live là thật, không phải diễn tập"; then
	pass "the refusal in Vietnamese: '$got'"
else
	fail "the refusal in Vietnamese: '$got'"
fi
e2e_finish

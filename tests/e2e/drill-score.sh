#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a drill scored per trainee (docs/drills.md). The backend
# runs tests/data/drill-score.json (three alerts at once, five
# expectations worth 60 points) with --report and an idle trainee; two
# scripted trainees (trucban --script, each with their own token) act:
# "lan" meets exactly two of the five, "minh" one, and an action that is
# no expectation counts for nothing. Stopped with SIGTERM before the
# drill's end, the backend writes the report: the JSON the issue asks
# for, each trainee scored on their own actions, and the text beside it.
# Every item the drill made carries the exercise flag, and the welcome
# says the whole feed is an exercise.
#
# Usage: tests/e2e/drill-score.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"

e2e_init drill-score "$@"
printf 'lan-token-1234567890 lan operator *\n' >"$tmp/tokens"
printf 'minh-token-1234567890 minh operator *\n' >>"$tmp/tokens"
printf 'lan-token-1234567890\n' >"$tmp/lan.tok"
printf 'minh-token-1234567890\n' >"$tmp/minh.tok"
chmod 600 "$tmp/tokens" "$tmp/lan.tok" "$tmp/minh.tok"
backend_start --seed 7 --rate 0 --tokens "$tmp/tokens" \
    --drill "$root/tests/data/drill-score.json" \
    --report "$tmp/report.json" --trainees hoa || exit 1

# The drill's alerts by their marker: "N A-00xx".
drill_ids() {
	tb --token "$tmp/lan.tok" snapshot |
	    grep -o '"id":"A-[0-9]*","kind":"[a-z]*","severity":[0-9],"area":"[0-9]*","place":"[^"]*","source":"[a-z]*","title":"DRILLTEST-[0-9]' |
	    sed 's/^"id":"\(A-[0-9]*\)".*DRILLTEST-\([0-9]\)$/\2 \1/'
}
wait_for 10 '[ "$(drill_ids | wc -l)" -eq 3 ]' ||
    fail "the drill's three alerts did not come"
a1=$(drill_ids | sed -n 's/^1 //p')
a2=$(drill_ids | sed -n 's/^2 //p')
a3=$(drill_ids | sed -n 's/^3 //p')
echo "drill alerts: $a1 $a2 $a3"

if tb --token "$tmp/lan.tok" hello | grep -q '"exercise":true'; then
	pass "the welcome says the feed is an exercise"
else
	fail "the welcome does not say exercise"
fi
n=$(tb --token "$tmp/lan.tok" snapshot | grep -o '"title":"DRILLTEST-[0-9][^}]*"exercise":true' | wc -l)
if [ "$n" -eq 3 ]; then
	pass "every drill item has the exercise flag"
else
	fail "$n of 3 drill items have the exercise flag"
fi

tc() {	# token, script
	env XDG_STATE_HOME="$tmp/state-$1" "$console" --log "$tmp/$1.log" \
	    --token-file "$tmp/$1.tok" --script "$2" "$url" 2>>"$tmp/c.err"
}
printf 'ack %s\nack %s\nnote %s "không phải yêu cầu"\n' "$a1" "$a2" \
    "$a3" >"$tmp/lan.script"
printf 'ack %s\n' "$a3" >"$tmp/minh.script"
got=$(tc lan "$tmp/lan.script")
rc=$?
if [ "$rc" = 0 ] && [ "$(echo "$got" | grep -c '^ok ')" = 3 ]; then
	pass "lan's script: three commands ok"
else
	fail "lan's script: exit $rc, '$got'"
fi
got=$(tc minh "$tmp/minh.script")
rc=$?
if [ "$rc" = 0 ] && [ "$got" = "ok ack $a3" ]; then
	pass "minh's script: ok"
else
	fail "minh's script: exit $rc, '$got'"
fi

# SIGTERM before the drill's end: the report is written all the same.
backend_stop
if [ -s "$tmp/report.json" ] && [ -s "$tmp/report.json.txt" ]; then
	pass "--report: the JSON and the text written on SIGTERM"
else
	fail "no report after SIGTERM"
fi
# Keys are sorted: each trainee's expectations come before its name.
scores=$(awk '
	/"met": true/ { met++ }
	/"after_s": [0-9]/ { timed++ }
	/"operator":/ { gsub(/[",]/, "", $2); who = $2 }
	/"score":/ { gsub(/,/, "", $2); printf "%s %s %d %d\n", who, $2, met, timed; met = 0; timed = 0 }
' "$tmp/report.json" | sort)
echo "$scores"
want="hoa 0 0 0
lan 20 2 2
minh 10 1 1"
if [ "$scores" = "$want" ]; then
	pass "scored apart: lan 2 of 5 (20), minh 1 (10), hoa none"
else
	fail "scores: '$scores', want '$want'"
fi
for key in '"drill": "e2e-score"' '"trainees": \[' '"passed": false' \
    '"expectations": \[' '"id": "ack-one"' '"after_s": null' \
    '"max": 60'; do
	grep -q "$key" "$tmp/report.json" || fail "report lacks $key"
done
if grep -q "Học viên lan: 20/60 điểm" "$tmp/report.json.txt"; then
	pass "the text report"
else
	fail "the text report: $(cat "$tmp/report.json.txt")"
fi
e2e_finish

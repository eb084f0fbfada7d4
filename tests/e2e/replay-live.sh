#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a live session recorded, then replayed without a backend.
#
# The console, under tmux, records from its start (--record) as the
# officer lan, who does six things on six items; a colleague (minh) acts
# through tb-client, a trainer injects an alert. The officer's :digest at
# the end is in the recording. Then, with the console gone:
#
# - trucban --replay FILE --headless comes to the backend's digest (the
#   backend is still; --rate 0), and finds the recorded digest its own;
#   under strace, it opens no socket;
# - a scripted trainee (--script) that repeats exactly half of the
#   officer's actions, at the officer's times, gets exactly that in the
#   JSON score: 3 matched, 3 missed, none extra;
# - a recording cut short, or damaged in its middle, replays up to the
#   damage, says which line, and exits 3;
# - with "sessions = yes" a session is recorded in the sessions folder;
# - the shift report lists who did what, in English and Vietnamese, and
#   as CSV.
#
# Usage: tests/e2e/replay-live.sh BUILD_DIR   (e.g. build/san)

set -u

. "$(dirname "$0")/lib.sh"
e2e_init replay-live "$@"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

lan=lan-token-0123456789abcdef
minh=minh-token-0123456789abcdef
kiet=kiet-token-0123456789abcdef
cat >"$tmp/tokens" <<EOF
$lan lan supervisor *
$minh minh supervisor *
$kiet kiet trainer *
EOF
chmod 600 "$tmp/tokens"
echo "$lan" >"$tmp/lan.token"
chmod 600 "$tmp/lan.token"
rec=$tmp/shift.rec

as() {	# token, tb-client arguments
	_as_tok=$1
	shift
	"$client" -t 10 -T "$_as_tok" "$url" "$@"
}

if backend_start --tokens "$tmp/tokens" --seed 7 --rate 0; then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	exit 1
fi

console_start 100 30 --token-file "$tmp/lan.token" --record "$rec" "$url"
if wait_screen 15 'A-0008'; then
	pass "the console shows the province"
else
	fail "no alerts on screen: $(screen | head -5)"
fi
if wait_for 5 "[ -s $rec ] && [ \$(stat -c %a $rec) = 600 ]"; then
	pass "--record: the recording started, mode 600"
else
	fail "no recording at $rec"
fi

# The officer's six actions, in order, on six items.
set -- "ack A-0001" "ack A-0002" "dispatch A-0003 FIR-HL-01" \
    "assign PA-0001 SYT" "close A-0004 fa báo nhầm" "note A-0005 đã gọi"
n=0
for c in "$@"; do
	console_cmd "$c"
	verb=${c%% *}
	rest=${c#* }
	id=${rest%% *}
	if wait_screen 10 "✓ $verb $id"; then
		n=$((n + 1))
	else
		fail "officer: $c: $(screen | tail -2)"
	fi
	# A colleague and the province act in between.
	case $n in
	2) as "$minh" cmd ack '{"alert":"A-0006"}' >/dev/null ;;
	4) as "$kiet" cmd inject '{"kind":"alert","item":{"kind":"fire",
	    "severity":3,"area":"06685","place":"Bãi Cháy","source":"camera",
	    "title":"Cháy kho hàng"}}' >/dev/null ;;
	5) as "$minh" cmd dispatch \
	    '{"alert":"A-0007","units":["AMB-HL-01"]}' >/dev/null ;;
	esac
done
[ "$n" = 6 ] && pass "the officer did six things"
console_cmd "mark the end"
console_cmd digest
if wait_screen 10 '✓ digest [0-9a-f]{16}'; then
	pass "the officer's digest is the backend's"
else
	fail "no digest: $(screen | tail -2)"
fi
console_quit
backend=$(as "$kiet" digest | awk '{ print $2 }')

# The recording, format 2: a header, the state, the officer's commands.
if head -1 "$rec" | grep -q '"what":"start","format":2' &&
    head -1 "$rec" | grep -q '"operator":"lan"' &&
    sed -n 2p "$rec" | grep -q '"dir":"state"' &&
    tail -1 "$rec" | grep -q '"what":"stop"' &&
    [ "$(grep -c '"dir":"out","msg":{"type":"cmd"' "$rec")" = 6 ]; then
	pass "the recording: header, state, six commands, stop"
else
	fail "the recording: $(head -c 300 "$rec")"
fi

# Headless, watching: the backend's final digest.
"$console" --log "$tmp/replay.log" --replay "$rec" --headless \
    >"$tmp/headless.out" 2>"$tmp/headless.err"
rc=$?
digest=$(sed -n 's/^replay.digest //p' "$tmp/headless.out")
if [ "$rc" = 0 ] && [ -n "$backend" ] && [ "$digest" = "$backend" ]; then
	pass "headless replay: the backend's final digest $digest"
else
	fail "headless replay: exit $rc, digest '$digest', backend" \
	    "'$backend': $(cat "$tmp/headless.out" "$tmp/headless.err")"
fi
if grep -q '^replay.checks 1 same, 0 differ$' "$tmp/headless.out"; then
	pass "the officer's recorded digest is the replay's"
else
	fail "recorded digest: $(cat "$tmp/headless.out")"
fi
if grep -q '^replay.events_per_s [0-9]' "$tmp/headless.out" &&
    grep -q '^replay.events [1-9]' "$tmp/headless.out"; then
	pass "headless replay prints events and events per second"
else
	fail "headless output: $(cat "$tmp/headless.out")"
fi
# No socket: strace (LeakSanitizer cannot run under ptrace).
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=socket,connect \
    -o "$tmp/strace.out" "$console" --log "$tmp/replay.log" \
    --replay "$rec" --headless >/dev/null 2>&1
rc=$?
if [ "$rc" = 0 ] && [ -f "$tmp/strace.out" ] &&
    ! grep -Eq 'socket\(|connect\(' "$tmp/strace.out"; then
	pass "a replay opens no socket (strace)"
else
	fail "strace: exit $rc: $(head -5 "$tmp/strace.out")"
fi

# A scripted trainee: half of the officer's actions, at the officer's
# times (the time of each command's "out" line).
at() {	# cmd, item: the time the officer sent it
	grep "\"dir\":\"out\",\"msg\":{\"type\":\"cmd\".*\"cmd\":\"$1\".*\"$2\"" \
	    "$rec" | head -1 | sed 's/^{"t":\([0-9]*\),.*/\1/'
}
cat >"$tmp/half.txt" <<EOF
# The trainee repeats the officer's 1st, 3rd and 5th actions.
replay seek @$(at ack A-0001)
ack A-0001
replay seek @$(at dispatch A-0003)
dispatch A-0003 FIR-HL-01
replay seek @$(at close A-0004)
close A-0004 fa báo nhầm
EOF
"$console" --log "$tmp/replay.log" --replay "$rec" --script "$tmp/half.txt" \
    --score-json "$tmp/score.json" >"$tmp/trainee.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q '^ok ack A-0001' "$tmp/trainee.out" &&
    grep -q '^ok dispatch A-0003' "$tmp/trainee.out" &&
    grep -q '^ok close A-0004' "$tmp/trainee.out"; then
	pass "the scripted trainee's commands ran in the sandbox"
else
	fail "scripted trainee: exit $rc: $(cat "$tmp/trainee.out")"
fi
num() {	# member of the score's summary
	sed -n "s/^  \"$1\": \([0-9.]*\),*$/\1/p" "$tmp/score.json"
}
if [ "$(num officer_actions)" = 6 ] && [ "$(num trainee_actions)" = 3 ] &&
    [ "$(num matched)" = 3 ] && [ "$(num missed)" = 3 ] &&
    [ "$(num extra)" = 0 ] && [ "$(num items_both)" = 3 ] &&
    [ "$(num items_missed)" = 3 ] && [ "$(num agreement_percent)" = 50.0 ]
then
	pass "the score: exactly half, 3 matched, 3 missed, none extra"
else
	fail "the score: $(cat "$tmp/score.json")"
fi
if grep -q '"complete": true' "$tmp/score.json" &&
    grep -q '"held_back": [1-9]' "$tmp/score.json"; then
	pass "the score is of the whole recording; the officer held back"
else
	fail "score: $(head -20 "$tmp/score.json")"
fi

# Damage: cut short, and garbage in the middle.
head -c -30 "$rec" >"$tmp/cut.rec"
"$console" --log "$tmp/replay.log" --replay "$tmp/cut.rec" --headless \
    >"$tmp/cut.out" 2>&1
rc=$?
lines=$(wc -l <"$rec")
if [ "$rc" = 3 ] && grep -q "^replay.damaged line $lines (byte [0-9]*) is \
cut short" "$tmp/cut.out"; then
	pass "a recording cut short: replayed up to line $lines, exit 3"
else
	fail "cut short: exit $rc: $(cat "$tmp/cut.out")"
fi
mid=$((lines / 2))
sed "${mid}s/.*/this line is not JSON/" "$rec" >"$tmp/bad.rec"
"$console" --log "$tmp/replay.log" --replay "$tmp/bad.rec" --headless \
    >"$tmp/bad.out" 2>&1
rc=$?
if [ "$rc" = 3 ] && grep -q "^replay.damaged line $mid (byte [0-9]*) is \
not JSON" "$tmp/bad.out"; then
	pass "a damaged line $mid: replayed up to it, exit 3"
else
	fail "damaged: exit $rc: $(cat "$tmp/bad.out")"
fi
printf '{"t":1,"dir":"mark","what":"start","url":"ws://x","proto":1}\n' \
    >"$tmp/v1.rec"
"$console" --replay "$tmp/v1.rec" --headless >"$tmp/v1.out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "format 1" "$tmp/v1.out"; then
	pass "a recording of format 1 is refused, and said why"
else
	fail "format 1: exit $rc: $(cat "$tmp/v1.out")"
fi

# Every session recorded, with "sessions = yes": a private file in the
# sessions folder, which replays.
mkdir -p "$tmp/config/trucban"
printf 'sessions = yes\nsessions_max_mb = 1\n' >"$tmp/config/trucban/config"
console_start 100 30 --token-file "$tmp/lan.token" "$url"
wait_screen 15 'A-0008' || fail "sessions: no alerts on screen"
console_cmd "record"
# The message may be cut on the status line: read it whole in the log.
wait_screen 5 'recording to' >/dev/null
tm send-keys -t console L
if wait_screen 5 '┌ Messages ─' && wait_screen 2 'recording to' &&
    screen | grep -q '/sessions/'; then
	pass "sessions = yes: this session is recorded"
else
	fail "sessions: $(screen | tail -2)"
fi
tm send-keys -t console q
wait_screen_gone 5 '┌ Messages ─' >/dev/null
console_quit
session=$(ls "$tmp/state/trucban/sessions/"*.rec 2>/dev/null | head -1)
if [ -n "$session" ] && [ "$(stat -c %a "$session")" = 600 ] &&
    "$console" --replay "$session" --headless >"$tmp/session.out" 2>&1 &&
    grep -q "^replay.digest $backend$" "$tmp/session.out"; then
	pass "the session's recording is private and replays to the digest"
else
	fail "session $session: $(cat "$tmp/session.out" 2>/dev/null)"
fi
rm -f "$tmp/config/trucban/config"

# The shift report.
"$console" --lang en --report "$rec" >"$tmp/report.txt" 2>&1
if grep -q "^Shift report: Quảng Ninh" "$tmp/report.txt" &&
    grep -Eq "^  [0-9:]{8}  ack +lan" "$tmp/report.txt" &&
    grep -q "(acknowledged after" "$tmp/report.txt" &&
    grep -Eq "^  [0-9:]{8}  dispatch +minh +AMB-HL-01" "$tmp/report.txt"
then
	pass "the shift report: who did what, times to acknowledge"
else
	fail "report: $(cat "$tmp/report.txt")"
fi
"$console" --lang vi --report "$rec" >"$tmp/report-vi.txt" 2>&1
"$console" --lang en --report "$rec" --csv >"$tmp/report.csv" 2>&1
if grep -q "^Báo cáo ca trực" "$tmp/report-vi.txt" &&
    head -1 "$tmp/report.csv" | grep -q \
    "^time,item,kind,who,what,detail,time_to_ack_s,time_to_dispatch_s$" &&
    grep -q ",A-0004,alert,lan,close,false_alarm: báo nhầm," \
    "$tmp/report.csv"; then
	pass "the report in Vietnamese, and as CSV"
else
	fail "report: $(head -3 "$tmp/report-vi.txt" "$tmp/report.csv")"
fi

e2e_finish

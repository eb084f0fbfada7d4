#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the real console under tmux against a hostile backend of our
# own (tests/tools/fake-backend, scripted). Four backends, four checks:
#
# 1. Escapes in every field the console shows (province, areas,
#    departments, operator, role, presence, every item's text, errors,
#    results), a raw ESC the JSON may not even carry, and bad items in the
#    snapshot (a 100 KB title, a 16-character id, "\u0000" in an id, a
#    lone surrogate, an unknown state). The bytes the console wrote to
#    the pty (tmux pipe-pane) hold nothing ncurses did not write
#    (tests/tools/tty-scan); the layout is intact; the good items are on
#    screen and the header counts the bad ones; an event brings a skipped
#    item back; keys and commands still work.
# 2. Events nobody can read (no "ts", a number of 2^63, nested too deep,
#    over 16 MiB), sent again on every resume: the console falls back to
#    a fresh snapshot after the second try instead of looping.
# 3. A backend that never answers hello, then one that never sends the
#    snapshot: each gets a deadline, a message and a retry.
# 4. Tokens: a redirect (HTTP 302) is not followed, so the token never
#    reaches the other host; a token file others may read, and a token
#    over plain ws:// to another machine, are refused before the screen.
#
# Usage: tests/e2e/screen-hostile-backend.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-hostile-backend "$@"

fake=$bin/tools/fake-backend
scan=$bin/tools/tty-scan
for f in "$fake" "$scan"; do
	if [ ! -x "$f" ]; then
		echo "screen-hostile-backend: $f is missing; build it first" >&2
		exit 1
	fi
done
# The link's times 20 times faster: a welcome is due within 0.75 s, a
# snapshot within 3 s, backoff starts at 12 ms.
fast="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TRUCBAN_TEST_TIMESCALE=20"

# Starts a fake backend on script $2, its output in $tmp/$1.out; sets
# furl and fpid (the last one started).
fake_start() {
	: >"$tmp/$1.out"
	"$fake" "$2" >>"$tmp/$1.out" 2>&1 &
	fpid=$!
	e2e_on_cleanup "kill $fpid 2>/dev/null; wait $fpid 2>/dev/null"
	if ! wait_for 5 "grep -q listening '$tmp/$1.out'"; then
		fail "fake backend $1 did not start"
		cat "$tmp/$1.out"
		e2e_finish
	fi
	furl=$(sed -n 's/^fake-backend: listening on //p' "$tmp/$1.out")
}

# Quits the console and waits for the session to end.
console_end() {
	console_quit
	tm kill-session -t console 2>/dev/null
}

# One line of a script, as it is (echo would read its backslashes).
line() {
	printf '%s\n' "$1"
}

now=$(date +%s)000
item_alert() {	# id title state
	printf '{"id":"%s","kind":"fire","severity":3,"area":"HL","place":"Bãi\\u001b[2J Cháy\\u202e","source":"citizen","title":"%s","state":"%s","disposition":"none","acked_by":null,"units":[],"escalation":0,"created":%s,"updated":%s,"deadline":0,"exercise":false,"version":1,"muted_until":0,"history":[{"ts":%s,"by":"x\\u001b]0;H\\u0007","what":"created","text":"t\\u009b31m"}]}' \
	    "$1" "$2" "$3" "$now" "$now" "$now"
}

# ==== 1. Hostile text and bad items ====

esc='\u001b]0;PWNED\u0007\u001b]52;c;SGVsbG8=\u0007\u001b[2J\u001b[H\u001b[41;37m\u001bP1;2q\u001b\\\u009b31m\u202e\u2066\u001bc\u001b#8\u001b(0\r\b'
big=$(head -c 102400 /dev/zero | tr '\0' x)
s1=$tmp/hostile.script
{
	line '[fresh]'
	line '@after 700'
	line '{"type":"welcome","proto":1,"server":"evil\u001b]0;T\u0007","operator":"op\u001b[2J\u202eer","role":"operator\u009b1m","areas":[],"seq":10,"exercise":true}'
	line '{"type":"presence","operators":[{"name":"ev\u001b]52;c;SGVsbG8=\u0007il","role":"ob\u202eserver","since":1},{"name":"op\u001b[2J\u202eer","role":"operator","since":1}]}'
	printf '{"type":"snapshot","seq":10,"gap":false,"province":{"code":"QN","name":"Quảng Ninh%s","utc_offset_min":420},"areas":[{"code":"HL","name":"Hạ Long%s"},{"name":"no code"}],"departments":[{"code":"SYT","name":"Sở Y tế%s"}],"alerts":[' \
	    "$esc" "$esc" "$esc"
	item_alert A-0001 "EVIL-A1$esc end" new; printf ','
	item_alert A-0002 "$big" new; printf ','
	item_alert A-0123456789abcd "LONG-ID" new; printf ','
	item_alert 'A-\u0000' "NUL-ID" new; printf ','
	item_alert A-0004 'LONE\ud800SURROGATE' new; printf ','
	item_alert A-0005 "BAD-STATE" burning
	printf '],"units":[{"id":"U-1","type":"fire","area":"HL","name":"Xe cứu hỏa%s","status":"available","alert":"","version":1}],' "$esc"
	printf '"hospitals":[{"id":"BV-1","name":"EVIL-H1%s","area":"HL","smart":true,"beds":100,"beds_used":50,"icu":10,"icu_used":2,"er_waiting":1,"ambulances":2,"diversion":false,"version":1}],' "$esc"
	printf '"schools":[{"id":"TH-1","name":"EVIL-S1%s","area":"HL","level":"thpt","enrolled":100,"present":90,"smart_classrooms":3,"version":1}],' "$esc"
	printf '"feedback":[{"id":"PA-1","channel":"app","area":"HL","category":"power","text":"EVIL-F1%s\\n\033[31mRAW\033]0;RAW\007","state":"new","dept":"","reply":null,"received":%s,"deadline":0,"version":1,"history":[]}]}\n' \
	    "$esc" "$now"
	line '@after 1500'
	printf '{"type":"event","seq":11,"ts":%s,"kind":"alert","item":%s}\n' \
	    "$now" "$(item_alert A-0002 "BACK-A2$esc" acknowledged)"
	line '{"type":"error","code":"bad\u001b]0;T\u0007","message":"m\u001bP1q\u001b\\ \u202eX"}'
	# Not JSON: the parser quotes what it could not read.
	printf '{"type":"presence","operators":x\342\200\256\033]0;PWNED\007}\n'
	line '{"type":"\u202eEVIL\u001b]0;PWNED\u0007"}'
	line '[cmd]'
	line '{"type":"result","id":"$ID","ok":false,"code":"forbidden\u001b]0;T\u0007","message":"NO-WAY\u001b[2J\u009b31m \u202eend"}'
	line '[digest]'
	line '{"type":"result","id":"$ID","ok":true,"seq":11,"digest":"\u001b]0;T\u0007abcdef0123456789"}'
} >"$s1"

fake_start hostile "$s1"
console_start 100 30 "$furl"
tm pipe-pane -O -t console "cat >>'$tmp/pty.bin'"
title0=$(tm display -p -t console '#{pane_title}')
if wait_screen 10 'EVIL-A1' && wait_screen 5 'EVIL-H1'; then
	pass "hostile snapshot: the good items are on screen"
else
	fail "hostile snapshot: not shown"
	screen | head -3
fi
if screen | head -1 | grep -Eq '[0-9]+ skipped'; then
	pass "the header counts what was skipped: $(screen | head -1 |
	    grep -Eo '[0-9]+ skipped')"
else
	fail "no skipped count in the header: $(screen | head -1)"
fi
if grep -q 'A-0005 left out: member "state"' "$tmp/console.log" &&
    grep -q 'left out: member "title" is too long' "$tmp/console.log"; then
	pass "each skipped item is logged with its reason"
else
	fail "skipped items not logged"
	grep 'left out' "$tmp/console.log"
fi
if screen | grep -q 'A-0004' && ! screen | grep -Eq 'A-0005|LONG-ID|NUL-ID'
then
	pass "a lone surrogate is shown as U+FFFD; bad items are not shown"
else
	fail "bad items: $(screen | grep -E 'A-000|LONG|NUL')"
fi
if wait_screen 5 'BACK-A2'; then
	pass "a skipped item comes back whole with an event"
else
	fail "the event for a skipped item was not applied"
fi
if screen | grep -q PWNED || screen | grep -q 'SGVsbG8'; then
	fail "escape sequence text on screen"
else
	pass "no escape sequence text on screen"
fi
if screen | head -1 | grep -q 'TRUCBAN' && screen | grep -q 'Alerts (' &&
    screen | grep -q 'Hospitals (' && screen | grep -q 'Schools (' &&
    screen | grep -q 'Feedback ('; then
	pass "layout intact: header and four panels"
else
	fail "layout broken"
	screen
fi
if [ "$(screen | grep 'EVIL-A1' | head -1 | tail -c 4)" = "│" ]; then
	pass "rows end at their border"
else
	fail "row end: $(screen | grep 'EVIL-A1' | tail -c 20)"
fi
# Keys and commands still work: the help, a command and its result.
tm send-keys -t console '?'
if wait_screen 5 'quit'; then
	pass "keys: the help opens"
else
	fail "keys: no help"
fi
tm send-keys -t console Escape
console_cmd "ack A-0001"
if wait_for 5 "grep -q 'fake-backend: cmd' '$tmp/hostile.out'" &&
    wait_screen 5 'NO-WAY'; then
	pass "a command goes out and its hostile refusal is shown"
else
	fail "no command or no result"
	screen | tail -2
fi
console_cmd "digest"
if wait_screen 5 'digest'; then
	pass "a hostile digest result is shown"
else
	fail "no digest result"
fi
if [ "$(tm display -p -t console '#{pane_title}')" = "$title0" ]; then
	pass "the terminal title is unchanged"
else
	fail "the title changed: $(tm display -p -t console '#{pane_title}')"
fi
console_end
# The checker itself: it passes ncurses' output and catches the rest.
printf '\033[?1049h\033[22;0;0t\033[1;31mok\033[m\033(0q\033(B\r\n' \
    >"$tmp/good.bin"
printf 'x\033]0;t\007 \342\200\256 \302\233 \033P1q\033\\ \033c\n' >"$tmp/bad.bin"
if "$scan" "$tmp/good.bin" >/dev/null &&
    [ "$("$scan" "$tmp/bad.bin" | wc -l)" -ge 5 ]; then
	pass "tty-scan knows ncurses' sequences from the others"
else
	fail "tty-scan: $("$scan" "$tmp/good.bin"; "$scan" "$tmp/bad.bin")"
fi
if [ -s "$tmp/pty.bin" ] && out=$("$scan" "$tmp/pty.bin"); then
	pass "pty bytes: only what ncurses writes ($(wc -c <"$tmp/pty.bin") bytes)"
else
	fail "pty bytes ncurses did not write:"
	echo "$out" | head -20
fi

# ==== 2. Events nobody can read, sent again on every resume ====

s2=$tmp/loop.script
snap='{"type":"snapshot","seq":%d,"gap":false,"province":{"code":"QN","name":"Quảng Ninh","utc_offset_min":420},"areas":[{"code":"HL","name":"Hạ Long"}],"departments":[],"alerts":[%s],"units":[],"hospitals":[],"schools":[],"feedback":[]}\n'
{
	line '[fresh]'
	line '{"type":"welcome","proto":1,"operator":"demo","role":"operator","areas":[],"seq":10}'
	printf "$snap" 10 "$(item_alert A-0001 LOOP-FIRST new)"
	cat <<-'EOF'
	{"type":"event","seq":11,"kind":"alert","item":{}}
	@deep 12 3000
	{"type":"event","seq":13,"ts":9223372036854775808,"kind":"alert","item":{}}
	@big 14 17000000
	EOF
	printf '{"type":"event","seq":15,"ts":1,"kind":"alert","item":%s}\n' \
	    "$(item_alert A-0001 LOOP-STUCK acknowledged)"
	line '[resume]'
	cat <<-'EOF'
	{"type":"welcome","proto":1,"operator":"demo","role":"operator","areas":[],"seq":15}
	{"type":"event","seq":11,"kind":"alert","item":{}}
	@deep 12 3000
	{"type":"event","seq":13,"ts":9223372036854775808,"kind":"alert","item":{}}
	EOF
	printf '{"type":"event","seq":15,"ts":1,"kind":"alert","item":%s}\n' \
	    "$(item_alert A-0001 LOOP-STUCK acknowledged)"
	line '[fresh]'
	line '{"type":"welcome","proto":1,"operator":"demo","role":"operator","areas":[],"seq":15}'
	printf "$snap" 15 "$(item_alert A-0001 LOOP-BROKEN acknowledged)"
} >"$s2"
fake_start loop "$s2"
console_start 100 30 "$furl"
if wait_screen 15 'LOOP-BROKEN'; then
	pass "unreadable events: a fresh snapshot after the second try"
else
	fail "unreadable events: never got past them"
	screen | tail -2
fi
# What comes after, over 3 more seconds.
wait_for 3 false
hellos=$(sed -n 's/^fake-backend: hello [0-9]* //p' "$tmp/loop.out" |
    tr '\n' ' ')
if [ "$hellos" = "resume=none resume=10 resume=none " ]; then
	pass "no loop: a resume, then a fresh start, and no more"
else
	fail "hellos: $(echo "$hellos" | cut -c1-120)"
fi
if screen | head -1 | grep -q 'skipped'; then
	fail "still counting after the fresh snapshot: $(screen | head -1)"
else
	pass "the fresh snapshot made the picture whole"
fi
console_end

# ==== 3. No answer to hello; no snapshot ====

s3=$tmp/silent.script
{
	line '[fresh]'
	line '@silent'
	line '[fresh]'
	line '{"type":"welcome","proto":1,"operator":"demo","role":"operator","areas":[],"seq":1}'
	line '@silent'
	line '[fresh]'
	line '{"type":"welcome","proto":1,"operator":"demo","role":"operator","areas":[],"seq":1}'
	printf "$snap" 1 "$(item_alert A-0001 AT-LAST new)"
} >"$s3"
fake_start silent "$s3"
E2E_ENV=$fast console_start 100 30 "$furl"
if wait_for 10 "grep -q 'no answer to hello' '$tmp/console.log'" &&
    wait_for 15 "grep -q 'no snapshot from the backend' '$tmp/console.log'"
then
	pass "deadlines: no welcome, then no snapshot; both said"
else
	fail "deadlines did not fire"
	tail -5 "$tmp/console.log"
fi
if wait_screen 15 'AT-LAST'; then
	pass "deadlines: the third try gets the state"
else
	fail "deadlines: no state in the end"
fi
console_end

# ==== 4. Tokens ====

printf 'sesame-0123456789abcdef\n' >"$tmp/token"
chmod 600 "$tmp/token"
printf '[fresh]\n@silent\n' >"$tmp/target.script"
fake_start target "$tmp/target.script"
turl=$furl
printf '@http 302 %s\n[fresh]\n@silent\n' "$turl" >"$tmp/redirect.script"
fake_start redirect "$tmp/redirect.script"
console_start 100 30 --token-file "$tmp/token" "$furl"
if wait_for 10 "grep -q 'upgrade 1 authorization=yes' '$tmp/redirect.out'" &&
    wait_screen 10 'HTTP 302'; then
	pass "a redirect is refused and said"
else
	fail "redirect: $(screen | tail -1)"
fi
wait_for 2 "grep -q 'upgrade' '$tmp/target.out'"
if grep -q 'upgrade' "$tmp/target.out"; then
	fail "the redirect was followed: $(grep upgrade "$tmp/target.out")"
else
	pass "the token never went to the redirect's host"
fi
console_end

chmod 644 "$tmp/token"
console_start 100 30 --token-file "$tmp/token" "$turl"
if wait_for 10 "[ -s '$cstatus' ]" && [ "$(cat "$cstatus")" = 2 ] &&
    grep -q 'others may read' "$cerr"; then
	pass "a token file others may read is refused before the screen"
else
	fail "a readable token file: status $(cat "$cstatus" 2>/dev/null), $(cat "$cerr")"
	tm kill-session -t console 2>/dev/null
fi
chmod 600 "$tmp/token"
got=$("$console" --log "$tmp/plain.log" --timeout 1 --token-file "$tmp/token" \
    -c digest ws://0.0.0.1:7600 2>&1)
rc=$?
if [ "$rc" = 2 ] && echo "$got" | grep -q -- '--allow-plain-token'; then
	pass "a token over plain ws:// to another machine is refused"
else
	fail "plain ws:// with a token: $rc, $got"
fi
got=$("$console" --log "$tmp/plain.log" --timeout 1 --token-file "$tmp/token" \
    --allow-plain-token -c digest ws://0.0.0.1:7600 2>&1)
if echo "$got" | grep -q -- 'plain ws://'; then
	fail "--allow-plain-token: still refused"
else
	pass "--allow-plain-token lets it try"
fi

e2e_finish

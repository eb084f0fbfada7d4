#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the outbox, with the real console under tmux and the real
# backend keeping its state in a journal (--state).
#
# 1. The backend stops; the officer types 20 notes (queued, on disk);
#    the console is killed with SIGKILL; backend and console start again:
#    all 20 are applied exactly once (each text once in the backend's
#    history), and the console reports them.
# 2. Commands sent but not answered (the backend is stopped with SIGSTOP)
#    when the console is killed: the next console sends them again with
#    the same ids, and the backend applies each exactly once. (One per
#    alert: commands on one item go one at a time.)
# 3. A queued command whose alert changes meanwhile is refused as stale,
#    naming both versions; R sends it again with the fresh version.
# 4. Two commands queued; the console is killed; one of them is damaged
#    on disk, a dead record is added and a link is planted at outbox.tmp.
#    The next console sends the good one, sets the damaged one aside in
#    outbox.bad (0600, nothing lost), says so in :outbox, and never
#    writes through the link when it rewrites the file.
#
# Usage: tests/e2e/dispatch-outbox.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"

e2e_init dispatch-outbox "$@"
if ! grep -q journal "$root"/backend/*.c; then
	fail "the backend has no journal (--state) yet"
	e2e_finish
fi
bstate=$tmp/backend-state
e2e_on_cleanup 'cp "$tmp/console.log" "$tmp/be.err" /tmp/c-e2e/ 2>/dev/null'
backend_start --seed 7 --rate 0 --state "$bstate" || exit 1

outbox=$tmp/state/trucban/outbox
bottom() {
	screen | tail -1
}
# The console's pid: the child of the pane's shell.
console_pid() {
	pgrep -P "$(tm display -p -t console '#{pane_pid}')" | head -1
}
# fetch: the alerts $a1-$a5 as the backend has them, into $tmp/alerts.
fetch() {
	for _a in $a1 $a2 $a3 $a4 $a5; do
		tb get alert "$_a"
		echo
	done >"$tmp/alerts"
}
# count TEXT: how many times TEXT is in those histories.
count() {
	grep -o "\"$1\"" "$tmp/alerts" | wc -l | tr -d ' '
}
outbox_lines() {
	if [ -f "$outbox" ]; then
		wc -l <"$outbox" | tr -d ' '
	else
		echo 0
	fi
}

console_start 100 30 "$url"
if wait_screen 10 'A-[0-9]+'; then
	pass "alert rows on screen"
else
	fail "no alert rows"
	e2e_finish
fi
set -- $(tb snapshot | grep -o '"id":"A-[0-9]*"' | cut -d'"' -f4 |
    head -5)
a1=$1 a2=$2 a3=$3 a4=$4 a5=$5

# ---- 1. Offline, 20 commands, kill -9, restart both.
backend_stop
if wait_screen 10 'reconnecting|offline'; then
	pass "the console sees the link down"
else
	fail "the header does not show the link down"
	screen | head -1
fi
i=1
while [ $i -le 20 ]; do
	case $((i % 4)) in
	0) a=$a1 ;;
	1) a=$a2 ;;
	2) a=$a3 ;;
	*) a=$a4 ;;
	esac
	console_cmd "note $a outbox-$i"
	i=$((i + 1))
done
if wait_for 10 '[ "$(outbox_lines)" = 20 ]'; then
	pass "20 commands on disk in the outbox"
else
	fail "the outbox holds $(outbox_lines) lines"
fi
if wait_screen 5 '20 queued'; then
	pass "the bottom line counts 20 queued"
else
	fail "no count of queued commands: '$(bottom)'"
fi
pid=$(console_pid)
kill -9 "$pid"
if wait_for 10 '[ -s "$cstatus" ]' && [ "$(cat "$cstatus")" = 137 ]; then
	pass "console $pid killed with SIGKILL"
else
	fail "the console did not die of SIGKILL"
fi
wait_for 5 '! tm has-session -t console 2>/dev/null'

backend_start --seed 7 --rate 0 --state "$bstate" || exit 1
console_start 100 30 "$url"
if wait_for 15 '[ "$(outbox_lines)" = 0 ]'; then
	pass "every queued command got its result"
else
	fail "the outbox still holds $(outbox_lines) lines"
	screen | tail -3
fi
fetch
ok=0
twice=
i=1
while [ $i -le 20 ]; do
	c=$(count "outbox-$i")
	if [ "$c" = 1 ]; then
		ok=$((ok + 1))
	else
		twice="$twice outbox-$i:$c"
	fi
	i=$((i + 1))
done
if [ "$ok" = 20 ]; then
	pass "backend: all 20 notes applied exactly once"
else
	fail "backend: $ok of 20 applied once;$twice"
fi
n=$(grep -c 'result c-[0-9a-f]*-[0-9]*: ok' "$tmp/console.log")
if [ "$n" -ge 20 ]; then
	pass "the console reported the 20 results"
else
	fail "the console log has $n ok results"
fi
if wait_screen 5 '✓ note A-[0-9]+'; then
	pass "the screen shows the results"
else
	fail "no result on the screen"
fi

# ---- 2. Sent, not answered, console killed: same ids, applied once.
kill -STOP "$bpid"
i=21
for a in $a1 $a2 $a3 $a4 $a5; do
	console_cmd "note $a outbox-$i"
	i=$((i + 1))
done
if wait_for 10 '[ "$(outbox_lines)" = 5 ]' && wait_screen 5 '5 waiting'; then
	pass "5 commands sent, waiting for their results"
else
	fail "outbox $(outbox_lines) lines; '$(bottom)'"
fi
kill -9 "$(console_pid)"
wait_for 5 '! tm has-session -t console 2>/dev/null'
kill -CONT "$bpid"
# The backend read them before the close; the results had nowhere to go.
if wait_for 10 'fetch; [ "$(count outbox-25)" = 1 ]'; then
	pass "the backend applied them once"
else
	fail "outbox-25 is there $(count outbox-25) times"
fi
console_start 100 30 "$url"
if wait_for 15 '[ "$(outbox_lines)" = 0 ]'; then
	pass "the next console sent them again and got the results"
else
	fail "the outbox still holds $(outbox_lines) lines"
fi
fetch
ok=0
i=21
while [ $i -le 25 ]; do
	[ "$(count "outbox-$i")" = 1 ] && ok=$((ok + 1))
	i=$((i + 1))
done
if [ "$ok" = 5 ]; then
	pass "backend: the 5 resent notes applied exactly once"
else
	fail "backend: $ok of 5 applied once"
fi

# ---- 3. Stale: queued with version v, the alert changes meanwhile.
v=$(tb get alert "$a5" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
backend_stop
wait_screen 10 'reconnecting|offline'
console_cmd "note $a5 stale-check"
wait_for 5 '[ "$(outbox_lines)" = 1 ]'
cpid=$(console_pid)
kill -STOP "$cpid"
backend_start --seed 7 --rate 0 --state "$bstate" || exit 1
tb cmd escalate "{\"alert\":\"$a5\",\"version\":$v}" >/dev/null
kill -CONT "$cpid"
# The message line is cut to the screen; the log has all of it.
if wait_screen 15 "✗ note $a5: changed since you saw it" &&
    grep -q "✗ note $a5: changed since you saw it: .*version $v.*version \
$((v + 1)); R or :retry sends it again with version $((v + 1))" \
    "$tmp/console.log"; then
	pass "stale: refused, naming versions $v and $((v + 1)), offering R"
else
	fail "no stale refusal naming both versions"
	screen | tail -3
	grep "stale\|changed" "$tmp/console.log"
fi
tm send-keys -t console R
if wait_for 10 'fetch; [ "$(count stale-check)" = 1 ]'; then
	pass "R sent it again with the fresh version"
else
	fail "R: the note is not on $a5"
	screen | tail -3
fi
console_cmd digest
if wait_screen 10 '✓ digest [0-9a-f]{16}'; then
	pass "the console's digest equals the backend's"
else
	fail "digest differs"
	screen | tail -2
fi

# ---- 4. A damaged record and a planted link.
backend_stop
wait_screen 10 'reconnecting|offline'
console_cmd "note $a1 damaged-1"
console_cmd "note $a2 intact-1"
wait_for 5 '[ "$(outbox_lines)" = 2 ]' ||
    fail "the outbox holds $(outbox_lines) lines, not 2"
kill -9 "$(console_pid)"
wait_for 5 '! tm has-session -t console 2>/dev/null'
sed 's/damaged-1/damaged-X/' "$outbox" >"$tmp/outbox.new"
cat "$tmp/outbox.new" >"$outbox"
# A dead record (the first format's, without a checksum), so that the
# next console rewrites the file: through path.tmp.
echo '{"done":"c-0-0"}' >>"$outbox"
echo precious >"$tmp/target"
ln -s "$tmp/target" "$outbox.tmp"
backend_start --seed 7 --rate 0 --state "$bstate" || exit 1
console_start 100 30 "$url"
if wait_for 15 '[ "$(outbox_lines)" = 0 ]'; then
	pass "the intact command was sent and answered"
else
	fail "the outbox still holds $(outbox_lines) lines"
fi
fetch
if [ "$(count intact-1)" = 1 ] && [ "$(count damaged-1)" = 0 ] &&
    [ "$(count damaged-X)" = 0 ]; then
	pass "backend: the intact note once, the damaged one not sent"
else
	fail "backend: intact $(count intact-1), damaged $(count damaged-1)"
fi
if [ -f "$outbox.bad" ] && grep -q 'damaged-X' "$outbox.bad" &&
    grep -q '"why":"checksum mismatch"' "$outbox.bad" &&
    [ "$(stat -c %a "$outbox.bad")" = 600 ]; then
	pass "the damaged record is set aside in outbox.bad (0600)"
else
	fail "no quarantine of the damaged record"
fi
if grep -q 'outbox: 1 unreadable records kept in .*outbox.bad' \
    "$tmp/console.log"; then
	pass "the console said at start that a record was set aside"
else
	fail "nothing said at start about the damaged record"
fi
if [ "$(cat "$tmp/target")" = precious ] && [ -L "$outbox.tmp" ]; then
	pass "the link at outbox.tmp was not followed"
else
	fail "the link's target was written to"
fi
console_cmd outbox
if wait_screen 10 'could not be read is set aside'; then
	pass ":outbox says a record is set aside"
else
	fail ":outbox does not tell about the damaged record"
	screen | tail -4
fi
tm send-keys -t console Escape		# Closes the pager.
wait_screen_gone 5 'could not be read is set aside' ||
    fail "the :outbox pager did not close"
console_quit
e2e_finish

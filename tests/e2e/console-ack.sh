#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the real console, under tmux at 80x24, against the real
# backend. Wait for alert rows, acknowledge a new alert with ":ack ID",
# and check both the screen and the backend's state (through tb-client);
# then ":quit" and check the console exited 0, cleanly, and the backend
# still runs. Every wait polls with a deadline.
#
# Usage: tests/e2e/console-ack.sh BUILD_DIR   (e.g. build/san)
# Prints one line per check; exits 0 when all pass, else 1.

set -u

bin=${1:?usage: console-ack.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
backend=$bin/trucban-backend
console=$bin/trucban
client=$bin/tools/tb-client
for f in "$backend" "$console" "$client"; do
	if [ ! -x "$f" ]; then
		echo "console-ack: $f is missing; build it first" >&2
		exit 1
	fi
done
if ! command -v tmux >/dev/null 2>&1; then
	echo "console-ack: tmux is needed" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/console-ack.XXXXXX")
sock=trucban-test-$$
bpid=
tm() {
	tmux -f /dev/null -L "$sock" "$@"
}
cleanup() {
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	if [ -n "$bpid" ]; then
		kill "$bpid" 2>/dev/null
		wait "$bpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

failed=0
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
pass() {
	echo "ok: $*"
}
# Poll a shell condition every 0.1 s for at most $1 seconds.
wait_for() {
	secs=$1
	shift
	n=$((secs * 10))
	while [ "$n" -gt 0 ]; do
		if eval "$@"; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
screen() {
	tm capture-pane -p -t console 2>/dev/null
}

# The shipped dataset, or the backend's test fixture.
data=$root/data/quangninh
if [ ! -f "$data/province.json" ]; then
	data=$tmp/data
	mkdir -p "$data"
	cp "$root/tests/data/be-province.json" "$data/province.json"
	cp "$root/tests/data/be-texts.json" "$data/texts.json"
fi

"$backend" --listen 127.0.0.1:0 --data "$data" --seed 7 \
    >"$tmp/be.out" 2>"$tmp/be.err" &
bpid=$!
url=
get_url() {
	url=$(sed -n 's/^trucban-backend: listening on \(ws:.*\)$/\1/p' \
	    "$tmp/be.out")
	[ -n "$url" ]
}
if wait_for 10 get_url; then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	cat "$tmp/be.err"
	exit 1
fi

# The console, in a private tmux server; its exit status lands in a file.
asan=${ASAN_OPTIONS:-detect_leaks=1}
tm new-session -d -s console -x 80 -y 24 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
    XDG_STATE_HOME=$tmp/state ASAN_OPTIONS=$asan \
    $console --log $tmp/console.log $url 2>$tmp/err.log; \
    echo \$? >$tmp/status"

if wait_for 10 'screen | grep -q "Alerts" && screen | grep -Eq "A-[0-9]+"'
then
	pass "alert rows on screen"
else
	fail "no alert rows on screen"
	screen
fi
if screen | head -1 | grep -q "connected"; then
	pass "header shows the link connected"
else
	fail "header does not show the link connected"
fi

id=$("$client" "$url" first-alert)
if [ -n "$id" ] && "$client" "$url" get alert "$id" | \
    grep -q '"state":"new"'; then
	pass "alert $id is new on the backend"
else
	fail "no new alert from tb-client first-alert"
fi

tm send-keys -t console ':'
if wait_for 5 'screen | tail -1 | grep -q "^:"'; then
	pass "':' opens the command line"
else
	fail "':' did not open the command line"
fi
tm send-keys -t console -l "ack $id"
tm send-keys -t console Enter
if wait_for 10 "screen | grep -q '✓ ack $id'"; then
	pass "screen shows ✓ ack $id"
else
	fail "screen does not show ✓ ack $id"
	screen
fi
row=$(screen | grep " $id " | head -1)
if [ -z "$row" ] || echo "$row" | grep -q " ack "; then
	pass "alerts panel row is acknowledged (or scrolled off)"
else
	fail "alerts panel row for $id: $row"
fi

item=$("$client" "$url" get alert "$id")
if echo "$item" | grep -q '"state":"acknowledged"'; then
	pass "backend: $id is acknowledged"
else
	fail "backend: $id is not acknowledged: $item"
fi
if echo "$item" | grep -q '"acked_by":"demo"'; then
	pass "backend: acked by demo"
else
	fail "backend: not acked by demo: $item"
fi

# A command for an unknown alert is refused on the message line.
tm send-keys -t console ':'
tm send-keys -t console -l "ack Z-999"
tm send-keys -t console Enter
if wait_for 5 "screen | grep -q 'no such alert: Z-999'"; then
	pass "unknown alert refused with a message"
else
	fail "no message for an unknown alert"
fi

tm send-keys -t console ':'
tm send-keys -t console -l "quit"
tm send-keys -t console Enter
if wait_for 10 "[ -s $tmp/status ]"; then
	st=$(cat "$tmp/status")
	if [ "$st" = 0 ]; then
		pass "console exited with status 0"
	else
		fail "console exited with status $st"
	fi
else
	fail "console did not exit after :quit"
fi
if wait_for 5 '! tm has-session -t console 2>/dev/null'; then
	pass "pane gone"
else
	fail "pane still there"
fi
if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" \
    "$tmp/err.log"; then
	fail "sanitizer report from the console"
	cat "$tmp/err.log"
else
	pass "no sanitizer report from the console"
fi
if kill -0 "$bpid" 2>/dev/null; then
	pass "backend still runs"
else
	fail "backend died"
fi

[ "$failed" -eq 0 ] || exit 1
exit 0

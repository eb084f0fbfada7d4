#!/bin/bash
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# `make soak`: a monkey test. The sanitised console at 80x24 under tmux
# against a fast simulation (--rate 100), fed random keys from its own key
# tables, random command lines and random resizes (15x5 to 215x65) for
# SOAK_SECS seconds (default 300). It passes when the console is still
# running, then quits with status 0, and neither program wrote a sanitizer
# report. Random but repeatable: SOAK_SEED (default 42) seeds the keys.
#
# Not part of `make check`: it runs for minutes, and what it finds is
# reproduced and then fixed with a test of its own.
#
# Usage: scripts/soak.sh BUILD   (a SAN=1 build, e.g. build/san)
set -u

build=${1:?usage: soak.sh BUILD}
secs=${SOAK_SECS:-300}
RANDOM=${SOAK_SEED:-42}
tmp=$(mktemp -d)
sock=trucban-soak-$$
bpid=""

cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$bpid" ] && kill "$bpid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

"$build/trucban-backend" --listen 127.0.0.1:0 --seed 3 --rate 100 \
    >"$tmp/be.out" 2>"$tmp/be.err" &
bpid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/be.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "soak: the backend did not start"; exit 1; }

tmux -f /dev/null -L "$sock" new-session -d -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state \
    $build/trucban ws://127.0.0.1:$port 2>$tmp/console.err; \
    echo \$? >$tmp/exit"

keys=(j k j j Tab BTab 1 2 3 4 z z Enter Escape g G + - ']' '[' 0 '?'
    Escape a n Escape m e Escape r n d Escape s Escape c Escape / R Down
    Up PPage NPage Home End C-l Escape)
end=$((SECONDS + secs))
n=0
while [ $SECONDS -lt $end ]; do
	k=${keys[$((RANDOM % ${#keys[@]}))]}
	echo "$k" >>"$tmp/keys"
	tmux -L "$sock" send-keys -t 0 "$k" 2>/dev/null || break
	n=$((n + 1))
	if [ $((RANDOM % 40)) -eq 0 ]; then
		tmux -L "$sock" resize-window -t 0 -x $((15 + RANDOM % 200)) \
		    -y $((5 + RANDOM % 60)) 2>/dev/null
	fi
	if [ $((RANDOM % 60)) -eq 0 ]; then
		line="ack A-00$((10 + RANDOM % 80)) A-00$((10 + RANDOM % 80))"
		echo ": $line" >>"$tmp/keys"
		tmux -L "$sock" send-keys -t 0 ':'
		tmux -L "$sock" send-keys -t 0 -l "$line"
		tmux -L "$sock" send-keys -t 0 Enter
	fi
	sleep 0.02
done

ok=1
if tmux -L "$sock" has-session 2>/dev/null; then
	echo "soak: the console survived $n keys in $secs s"
	# Out of whatever it is in (prompt, pager, question), then quit.
	for k in Escape Escape n Escape; do
		tmux -L "$sock" send-keys -t 0 "$k"
		sleep 0.2
	done
	tmux -L "$sock" send-keys -t 0 ':'
	tmux -L "$sock" send-keys -t 0 -l quit
	tmux -L "$sock" send-keys -t 0 Enter
	for _ in $(seq 50); do
		[ -f "$tmp/exit" ] && break
		sleep 0.1
	done
	if [ "$(cat "$tmp/exit" 2>/dev/null)" != 0 ]; then
		echo "soak: the console did not quit cleanly" \
		    "(status $(cat "$tmp/exit" 2>/dev/null))"
		ok=0
	fi
else
	echo "soak: the console DIED after $n keys; the last ones:"
	tail -20 "$tmp/keys" | tr '\n' ' '
	echo
	ok=0
fi
for f in console be; do
	if grep -q "Sanitizer\|runtime error" "$tmp/$f.err"; then
		echo "soak: sanitizer report from the $f:"
		head -30 "$tmp/$f.err"
		ok=0
	fi
done
if [ $ok -eq 1 ]; then
	rm -rf "$tmp"
	echo "soak: passed"
	exit 0
fi
echo "soak: FAILED (files kept in $tmp)"
exit 1

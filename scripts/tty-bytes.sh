#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Terminal bytes a second written by the console under load: the real
# console at COLSxLINES under tmux against `trucban-backend --seed SEED
# --rate RATE`, its output copied with `tmux pipe-pane -O` into a file,
# bytes counted over SECS seconds from the first paint (the panels drawn
# with the snapshot's rows, and SETTLE seconds more for the first frames
# to pass). Prints one line, for people and for scripts/bench.sh:
#
#	tty_bytes_per_s 412 cols 80 lines 24 rate 20 secs 60 bytes 24720 \
#	    first_paint_bytes 9012
#
# Usage: scripts/tty-bytes.sh [-x COLS] [-y LINES] [-r RATE] [-s SECS]
#            [-S SEED] [-o FILE] [-k KEY] BUILD
#   defaults: 80x24, rate 20, 60 s, seed 1. -o keeps the bytes counted
#   (the whole pane output) in FILE, to look at what was written. -k
#   presses KEY (a tmux key name) after the first paint, before the
#   settling time: "-k 5" measures the unit board, "-k 6" the overview.
#
# Waiting for the first paint polls with a deadline; the one sleep is the
# measuring window itself.
set -eu

cols=80
lines=24
rate=20
secs=60
seed=1
keep=""
key=""
settle=2

while getopts x:y:r:s:S:o:k: opt; do
	case $opt in
	x) cols=$OPTARG ;;
	y) lines=$OPTARG ;;
	r) rate=$OPTARG ;;
	s) secs=$OPTARG ;;
	S) seed=$OPTARG ;;
	o) keep=$OPTARG ;;
	k) key=$OPTARG ;;
	*) echo "usage: tty-bytes.sh [-x COLS] [-y LINES] [-r RATE]" \
	    "[-s SECS] [-S SEED] [-o FILE] [-k KEY] BUILD" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:?usage: tty-bytes.sh [options] BUILD}
case $build in
/*) ;;
*) build=$(pwd)/$build ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)

command -v tmux >/dev/null 2>&1 || { echo "tty-bytes: tmux is needed" >&2; exit 1; }
for f in "$build/trucban" "$build/trucban-backend"; do
	[ -x "$f" ] || { echo "tty-bytes: $f is missing; build it first" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tty-bytes.XXXXXX")
sock="tty-bytes-$$"
bpid=""

tm() {
	tmux -f /dev/null -L "$sock" "$@"
}

cleanup() {
	tm kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	if [ -n "$bpid" ]; then
		kill "$bpid" 2>/dev/null || true
		wait "$bpid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Polls "$@" every 0.1 s for at most $1 seconds.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		if eval "$@"; then
			return 0
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

size() {
	stat -c %s "$tmp/term.bin" 2>/dev/null || echo 0
}

"$build/trucban-backend" --listen 127.0.0.1:0 --data "$root/data/quangninh" \
    --seed "$seed" --rate "$rate" >"$tmp/be.out" 2>"$tmp/be.err" &
bpid=$!
url=""
get_url() {
	url=$(sed -n 's/^trucban-backend: listening on \(wss*:.*\)$/\1/p' \
	    "$tmp/be.out" | tail -1)
	[ -n "$url" ]
}
wait_for 10 get_url || { echo "tty-bytes: the backend did not start" >&2; cat "$tmp/be.err" >&2; exit 1; }

mkdir -p "$tmp/config" "$tmp/state"
: >"$tmp/term.bin"
# The pane's program waits for pipe-pane to be in place before it starts,
# so that the first paint is in the file too.
tm new-session -d -s tty -x "$cols" -y "$lines" -c "$root" \
    "while [ ! -e $tmp/go ]; do sleep 0.05; done; \
    env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
    XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config \
    $build/trucban --config /dev/null --log $tmp/console.log $url"
tm pipe-pane -O -t tty "cat >>$tmp/term.bin"
: >"$tmp/go"

# The first paint: rows of alerts on screen, with the link up.
painted() {
	tm capture-pane -p -t tty 2>/dev/null | grep -Eq 'A-[0-9]+' &&
	    tm capture-pane -p -t tty 2>/dev/null | grep -q 'connected'
}
wait_for 30 painted || { echo "tty-bytes: no first paint" >&2; tm capture-pane -p -t tty >&2; exit 1; }
[ -n "$key" ] && tm send-keys -t tty "$key"
sleep "$settle"
b0=$(size)
sleep "$secs"
b1=$(size)
kill -0 "$bpid" 2>/dev/null || { echo "tty-bytes: the backend died" >&2; exit 1; }
[ -n "$keep" ] && cp "$tmp/term.bin" "$keep"
echo "tty_bytes_per_s $(( (b1 - b0) / secs )) cols $cols lines $lines" \
    "rate $rate secs $secs bytes $((b1 - b0)) first_paint_bytes $b0${key:+ key $key}"

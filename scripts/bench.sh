#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# `make bench`: performance figures, printed as "name value unit" lines.
#   1. core: codec, store and sanitiser throughput (tests/tools/bench-core);
#   2. the journal: append throughput and the restart time with 1,000,000
#      events (tests/tools/bench-journal, in $build/bench-journal so that
#      fdatasync hits the build's disk, not a tmpfs; JOURNAL_EVENTS=N for
#      fewer);
#   3. the standard load: the backend's default simulation at its default
#      rate, the console at 80x24 under tmux for BENCH_SECS seconds (60):
#      terminal bytes per second written by the console (tmux pipe-pane) and
#      websocket bytes per second on the wire (tb-client watch, TCP_INFO).
#
# Usage: scripts/bench.sh BUILD
set -eu

build=${1:?usage: bench.sh BUILD}
secs=${BENCH_SECS:-60}
tmp=$(mktemp -d)
sock="trucban-bench-$$"
bpid=""

cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "$bpid" ] && kill "$bpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "# trucban bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
"$build/tools/bench-core"

jdir="$build/bench-journal"
rm -rf "$jdir"
"$build/tools/bench-journal" -n "${JOURNAL_EVENTS:-1000000}" "$jdir"
rm -rf "$jdir"

command -v tmux >/dev/null 2>&1 || { echo "# no tmux: skipping the load figures"; exit 0; }

"$build/trucban-backend" --listen 127.0.0.1:0 >"$tmp/backend.out" 2>"$tmp/backend.err" &
bpid=$!
port=""
i=0
while [ -z "$port" ] && [ $i -lt 100 ]; do
	port=$(sed -n 's/.*listening on ws:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/backend.out")
	[ -n "$port" ] || { sleep 0.1; i=$((i + 1)); }
done
[ -n "$port" ] || { echo "bench: backend did not start" >&2; exit 1; }
url="ws://127.0.0.1:$port"

tmux -f /dev/null -L "$sock" new-session -d -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color $build/trucban $url"
tmux -L "$sock" pipe-pane -O -t 0 "cat >> $tmp/term.bin"
# The console draws its first frame, then we count a steady state.
"$build/tools/tb-client" -t $((secs + 20)) "$url" watch "$secs" >"$tmp/ws.out" &
wpid=$!
sleep 2
b0=$(stat -c %s "$tmp/term.bin" 2>/dev/null || echo 0)
sleep "$secs"
b1=$(stat -c %s "$tmp/term.bin")
wait "$wpid" || true
echo "load.terminal_80x24 $(( (b1 - b0) / secs )) bytes/s (budget 1024)"
sed -n 's/^watch\./load.ws_/p' "$tmp/ws.out"

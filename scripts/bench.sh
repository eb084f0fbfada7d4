#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# `make bench`: the performance figures of issue 8 around the standard load
# (trucban-backend --seed 1 --rate 20) and the heavy one (--rate 100).
# Prints every figure next to its target with "ok" or "MISS" and writes
# them to BUILD/bench.json. docs/bench.md says what each figure measures,
# how, and why its target is what it is.
#
# Phases, each on a fresh backend unless said:
#   day30   bench-sim runs 30 simulated days in the background at nice 19
#           for the whole run (it soaks up idle CPU and yields to the rest)
#   core    bench-core: codec, store and sanitiser throughput (extras)
#   rate20  consoles at 80x24 and 200x50 under tmux (pipe-pane bytes, and
#           the 80x24 console's TCP counters from ss), and bench-client
#           watching and recording the same stream
#   ingest  trucban --replay --headless on that recording (ingest), and
#           bench-ingest on it (parse-only)
#   paint   first paint of the console, BENCH_PAINT_RUNS starts
#   rtt     bench-client sending commands at --rate 20
#   ha      the same through JetStream (nats-server, two gateways), and a
#           console's failover when the lease holder is killed
#   rate100 a console at 80x24, then 200 bench-client connections
#   100k    bench-state, bench-snapshot, a backend restart on the state,
#           the console holding it
#   relay   a district relay (--relay) with BENCH_RELAY_CONSOLES local
#           consoles (tb-client watch) beside one direct console, both
#           links counted by ss over the window; then tests/e2e/relay.sh
#           with the issue's 30 s outage (RELAY_OUTAGE=30)
#
# A figure that cannot be measured is null with a note saying why. The
# exit status is 0 whether targets are met or not; 1 when a measurement
# itself failed (a tool or a process that did not work).
#
# Usage: scripts/bench.sh BUILD
# Environment:
#   BENCH_SECS=60        measurement window of the load phases, seconds
#   BENCH_WARMUP=5       seconds discarded after the state arrived
#   BENCH_RTT_SECS=30    each of three command windows
#   BENCH_FANOUT_SECS=20 each of three fan-out windows
#   BENCH_CLIENTS=200    fan-out connections
#   BENCH_PAINT_RUNS=5   console starts for first_paint_ms
#   BENCH_ALERTS=100000 BENCH_CASES=20000   the large state
#   BENCH_DAYS=30        simulated days; BENCH_SIM_SECS=780 its time budget
#   BENCH_JOURNAL=1      also run bench-journal (1,000,000 events; ~7 min)
#   BENCH_QUICK=1        seconds instead of minutes, a small state (tests)
#   BENCH_OUT=FILE       instead of BUILD/bench.json
#   BENCH_TMP=DIR        work in DIR and keep it (logs, recordings, states)
#   BENCH_RELAY_CONSOLES=10 consoles on the relay
#   BENCH_ONLY="rtt ..." only these phases (day30 core rate20 ingest 100k
#                        paint rtt ha rate100 relay); the other figures are
#                        null

set -u

build=${1:?usage: bench.sh BUILD}
case $build in
/*) ;;
*) build=$PWD/$build ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
out=${BENCH_OUT:-$build/bench.json}

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_SECS:=3}" "${BENCH_WARMUP:=1}" "${BENCH_RTT_SECS:=2}"
	: "${BENCH_FANOUT_SECS:=2}" "${BENCH_CLIENTS:=10}"
	: "${BENCH_PAINT_RUNS:=2}" "${BENCH_ALERTS:=2000}"
	: "${BENCH_CASES:=400}" "${BENCH_DAYS:=0.02}" "${BENCH_SIM_SECS:=60}"
	: "${BENCH_CORE_ROUNDS:=2000}"
	ingest_opts="-r 1 -s 0.2"
fi
secs=${BENCH_SECS:-60}
warmup=${BENCH_WARMUP:-5}
rtt_secs=${BENCH_RTT_SECS:-30}
fan_secs=${BENCH_FANOUT_SECS:-20}
clients=${BENCH_CLIENTS:-200}
paint_runs=${BENCH_PAINT_RUNS:-5}
nalerts=${BENCH_ALERTS:-100000}
ncases=${BENCH_CASES:-20000}
days=${BENCH_DAYS:-30}
sim_secs=${BENCH_SIM_SECS:-780}
core_rounds=${BENCH_CORE_ROUNDS:-200000}
for v in "$secs" "$warmup" "$rtt_secs" "$fan_secs" "$clients" "$paint_runs" \
    "$nalerts" "$ncases" "$sim_secs" "$core_rounds"; do
	case $v in
	'' | *[!0-9]*)
		echo "bench: \"$v\": BENCH_* counts and seconds are whole" \
		    "numbers (BENCH_DAYS may have a fraction)" >&2
		exit 1
		;;
	esac
done

data=$root/data/quangninh
[ -f "$data/province.json" ] || data=$root/tests/data
if [ -n "${BENCH_TMP:-}" ]; then
	tmp=$BENCH_TMP		# Kept, for a look at the logs.
	mkdir -p "$tmp" || exit 1
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/trucban-bench.XXXXXX")
fi
sock=trucban-bench-$$
tmuxdir=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)	# Where the sockets are.
pids=()
socks=()
failures=0
t_begin=$EPOCHREALTIME

cleanup() {
	local s p
	for s in "${socks[@]}"; do
		tmux -L "$s" kill-server 2>/dev/null
		rm -f "$tmuxdir/$s"
	done
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${BENCH_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ==== Figures ====

# The figures the issue asks for, in print order; then extras as set.
keys=(events_per_s tty_bytes_per_s_80x24 tty_bytes_per_s_200x50
    tty_bytes_per_s_80x24_rate100 wire_bytes_per_s_raw wire_bytes_per_s
    relay_upstream_bytes_per_s
    ingest_events_per_s parse_only_events_per_s snapshot_load_ms_100k
    snapshot_parse_ms_100k rss_kb_100k restart_ms_100k command_rtt_p99_ms
    first_paint_ms fanout_p99_ms_200 snapshot_bytes_day30)
declare -A val note target unit
extras=()

# Targets: "report", "le N" (value <= N), "ge N", or "le|ge F KEY" (value
# against F times another figure).
target=(
    [events_per_s]="report"
    [tty_bytes_per_s_80x24]="le 500"
    [tty_bytes_per_s_200x50]="le 1500"
    [tty_bytes_per_s_80x24_rate100]="report"
    [wire_bytes_per_s_raw]="report"
    [wire_bytes_per_s]="le 0.25 wire_bytes_per_s_raw"
    [relay_upstream_bytes_per_s]="le 1.5 relay_direct_bytes_per_s"
    [ingest_events_per_s]="ge 0.8 parse_only_events_per_s"
    [parse_only_events_per_s]="report"
    [snapshot_load_ms_100k]="le 2 snapshot_parse_ms_100k"
    [snapshot_parse_ms_100k]="report"
    [rss_kb_100k]="le 61440"
    [restart_ms_100k]="le 10000"
    [command_rtt_p99_ms]="le 20"
    [first_paint_ms]="le 100"
    [fanout_p99_ms_200]="le 50"
    [snapshot_bytes_day30]="le 2000000"
)
unit=(
    [events_per_s]="events/s" [tty_bytes_per_s_80x24]="B/s"
    [tty_bytes_per_s_200x50]="B/s" [tty_bytes_per_s_80x24_rate100]="B/s"
    [wire_bytes_per_s_raw]="B/s" [wire_bytes_per_s]="B/s"
    [relay_upstream_bytes_per_s]="B/s"
    [ingest_events_per_s]="events/s" [parse_only_events_per_s]="events/s"
    [snapshot_load_ms_100k]="ms" [snapshot_parse_ms_100k]="ms"
    [rss_kb_100k]="KiB" [restart_ms_100k]="ms" [command_rtt_p99_ms]="ms"
    [first_paint_ms]="ms" [fanout_p99_ms_200]="ms"
    [snapshot_bytes_day30]="B"
)

# A number for JSON, or nothing.
num() {
	case ${1:-} in
	'' | *[!0-9.eE+-]* | *.*.*) return 1 ;;
	*[0-9]*) printf '%s' "$1" ;;
	*) return 1 ;;
	esac
}

# set_val KEY VALUE [UNIT]: a figure (an extra when not in keys).
set_val() {
	local v
	if ! v=$(num "${2:-}"); then
		add_note "$1" "no number from the tool (got \"${2:-}\")"
		v=""
	fi
	if [ -z "${val[$1]+x}" ] && [ -z "${target[$1]+x}" ]; then
		extras+=("$1")
	fi
	val[$1]=$v
	[ -n "${3:-}" ] && unit[$1]=$3
	return 0
}

# set_null KEY NOTE
set_null() {
	if [ -z "${val[$1]+x}" ] && [ -z "${target[$1]+x}" ]; then
		extras+=("$1")
	fi
	val[$1]=""
	add_note "$1" "$2"
}

add_note() {
	if [ -n "${note[$1]:-}" ]; then
		note[$1]="${note[$1]}; $2"
	else
		note[$1]=$2
	fi
}

# A measurement failed (not a target missed): say so, exit 1 at the end.
failed() {
	echo "bench: $*" >&2
	failures=$((failures + 1))
}

# The value of "NAME VALUE" in file $2 for name $1.
get() {
	awk -v k="$1" '$1 == k { print $2; exit }' "$2"
}

# The median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The sum of the numbers on stdin, one a line.
sum() {
	awk '{ s += $1 } END { print s + 0 }'
}

# Field $1 of the "MODE.window" lines of file $2, one a line.
window_field() {
	awk -v f="$1" '$1 ~ /\.window$/ {
		for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }' "$2"
}

# Machine load now: the 1, 5 and 15 minute load averages.
declare -A load
load_note() {
	load[$1]=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "# $1: load ${load[$1]}, at $(awk -v a="$t_begin" \
	    -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
}

# ==== Processes ====

# Runs "$@" (eval'ed) every 0.1 s for at most $1 seconds; 0 when it held.
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		eval "$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# backend_start NAME ARGS...: a backend on a free loopback port; sets
# bpid and url. Returns 1 when it does not come up within 600 s.
backend_start() {
	local name=$1
	shift
	"$build/trucban-backend" --listen 127.0.0.1:0 --data "$data" \
	    --log "$tmp/$name.blog" "$@" >"$tmp/$name.bout" \
	    2>"$tmp/$name.berr" &
	bpid=$!
	pids+=("$bpid")
	if ! wait_for 600 "grep -q 'listening on' '$tmp/$name.bout' \
	    2>/dev/null ||
	    ! kill -0 $bpid 2>/dev/null"; then
		failed "backend $name did not start"
		return 1
	fi
	url=$(sed -n 's/^trucban-backend: listening on //p' "$tmp/$name.bout")
	if [ -z "$url" ]; then
		failed "backend $name did not start:" \
		    "$(tail -3 "$tmp/$name.berr")"
		return 1
	fi
}

# bg_start NAME OUT ERR CMD...: CMD in the background, its output in OUT
# and ERR, its exit status in $tmp/NAME.rc when it ends (bash forgets a
# child whose pid came round again, and pids do on a busy machine).
bg_start() {
	local name=$1 o=$2 e=$3
	shift 3
	rm -f "$tmp/$name.pid" "$tmp/$name.rc"
	( "$@" >"$o" 2>"$e" &
	  echo $! >"$tmp/$name.pid"
	  wait $!
	  echo $? >"$tmp/$name.rc" ) &
	pids+=("$!")
	wait_for 10 "[ -s '$tmp/$name.pid' ]" &&
	    pids+=("$(cat "$tmp/$name.pid")")
}

# bg_wait NAME SECS: waits at most SECS for NAME to end; returns its exit
# status, or 255 when it did not end.
bg_wait() {
	wait_for "$2" "[ -s '$tmp/$1.rc' ]" || return 255
	return "$(cat "$tmp/$1.rc")"
}

backend_stop() {
	kill "$bpid" 2>/dev/null
	wait "$bpid" 2>/dev/null
	bpid=""
}

# The console starts through this, so that its start time is taken just
# before the exec (first_paint_ms); its screen on the tmux pane, its log,
# config and state in $tmp.
cat >"$tmp/console.sh" <<EOF
#!/usr/bin/env bash
# console.sh NAME URL
echo "\$EPOCHREALTIME" >"$tmp/\$1.t0"
mkdir -p "$tmp/xdg-\$1"
exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \\
    XDG_CONFIG_HOME="$tmp/xdg-\$1" XDG_STATE_HOME="$tmp/xdg-\$1" \\
    "$build/trucban" --log "$tmp/\$1.clog" "\${@:2}" 2>"$tmp/\$1.cerr"
EOF
chmod +x "$tmp/console.sh"

# console_start NAME COLS ROWS URL: the console in its own tmux server,
# every byte it writes to the pty appended to $tmp/NAME.tty; sets cpid.
console_start() {
	local s=$sock-$1
	socks+=("$s")
	: >"$tmp/$1.tty"
	tmux -f /dev/null -L "$s" new-session -d -s c -x "$2" -y "$3" \
	    "$tmp/console.sh $1 $4" &&
	tmux -L "$s" pipe-pane -O -t c "cat >>'$tmp/$1.tty'" &&
	cpid=$(tmux -L "$s" display -p -t c '#{pane_pid}')
}

console_stop() {
	tmux -L "$sock-$1" kill-server 2>/dev/null
	rm -f "$tmuxdir/$sock-$1"
}

# Waits up to $2 seconds for console $1 to draw its first frame with the
# backend's state (console/screen.c logs it).
console_ready() {
	wait_for "$2" "grep -q 'first frame with the province' \
	    '$tmp/$1.clog' 2>/dev/null"
}

# Milliseconds from console $1's exec to its first frame with state.
console_paint_ms() {
	local t0 line ts
	t0=$(cat "$tmp/$1.t0")
	line=$(grep -m1 'first frame with the province' "$tmp/$1.clog")
	ts=$(date -d "${line%% *}" +%s.%N) || return 1
	awk -v a="$t0" -v b="$ts" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
}

# "bytes_received segs_in" of the TCP connection of process $1 (ss).
tcp_counters() {
	ss -tinpH state established 2>/dev/null | awk -v p="pid=$1," '
	    index($0, p) { want = 1; next }
	    want { for (i = 1; i <= NF; i++) {
		if ($i ~ /^bytes_received:/) { sub(/.*:/, "", $i); b = $i }
		if ($i ~ /^data_segs_in:/) { sub(/.*:/, "", $i); s = $i } }
		print b + 0, s + 0; exit }'
}

# tty_window NAMES...: after the warm-up, three windows of secs/3 over the
# pty byte counts of the named consoles. Sets tty_rate[NAME] (bytes a
# second over the whole window) and tty_spread[NAME] ("min-max" of the
# three), and wire_console[first NAME] from its TCP counters.
declare -A tty_rate tty_spread
tty_window() {
	local n t0 t1 k b0 b1 start now i third tcp0 tcp1
	local -A first prev lo hi
	start=$EPOCHREALTIME
	for n in "$@"; do
		first[$n]=$(stat -c %s "$tmp/$n.tty")
		prev[$n]=${first[$n]}
		lo[$n]=""
		hi[$n]=""
	done
	tcp0=$(command -v ss >/dev/null && tcp_counters "$ccpid")
	t0=$start
	third=$(awk -v s="$secs" 'BEGIN { print s / 3 }')
	for k in 1 2 3; do
		# The window is measured time, not a wait for something.
		now=$EPOCHREALTIME
		i=$(awk -v a="$start" -v k="$k" -v t="$third" -v n="$now" \
		    'BEGIN { d = a + k * t - n; print (d > 0 ? d : 0) }')
		sleep "$i"
		t1=$EPOCHREALTIME
		for n in "$@"; do
			b1=$(stat -c %s "$tmp/$n.tty")
			b0=${prev[$n]}
			i=$(awk -v b="$((b1 - b0))" -v a="$t0" -v c="$t1" \
			    'BEGIN { printf "%.0f", b / (c - a) }')
			if [ -z "${lo[$n]}" ] || [ "$i" -lt "${lo[$n]}" ]; then
				lo[$n]=$i
			fi
			if [ -z "${hi[$n]}" ] || [ "$i" -gt "${hi[$n]}" ]; then
				hi[$n]=$i
			fi
			prev[$n]=$b1
		done
		t0=$t1
	done
	tcp1=$(command -v ss >/dev/null && tcp_counters "$ccpid")
	for n in "$@"; do
		tty_rate[$n]=$(awk -v b="$((prev[$n] - first[$n]))" \
		    -v a="$start" -v c="$t1" \
		    'BEGIN { printf "%.0f", b / (c - a) }')
		tty_spread[$n]="${lo[$n]}-${hi[$n]}"
	done
	wire_console=""
	if [ -n "$tcp0" ] && [ -n "$tcp1" ]; then
		wire_console=$(awk -v x="$tcp0" -v y="$tcp1" -v a="$start" \
		    -v c="$t1" 'BEGIN { split(x, p, " "); split(y, q, " ")
			printf "%.0f %.1f", (q[1] - p[1]) / (c - a),
			    (q[2] - p[2]) / (c - a) }')
	fi
}

# ==== Phases ====

phase_core() {
	load_note core
	if ! "$build/tools/bench-core" -n "$core_rounds" >"$tmp/core.out" \
	    2>"$tmp/core.err"; then
		failed "bench-core: $(tail -1 "$tmp/core.err")"
		return
	fi
	set_val core_event_round_trip_per_s \
	    "$(get codec.event_round_trip "$tmp/core.out")" events/s
	set_val core_event_bytes "$(get codec.event_size "$tmp/core.out")" B
	set_val core_snapshot_5000_round_trip_ms \
	    "$(get store.snapshot_5000_alerts_round_trip "$tmp/core.out")" ms
	set_val core_sanitize_mb_per_s \
	    "$(get sanitize.hostile_text "$tmp/core.out")" MB/s
}

phase_rate20() {
	local rc ok=1 v
	load_note rate20
	backend_start rate20 --seed 1 --rate 20 || return
	console_start c80 80 24 "$url" || ok=0
	ccpid=$cpid
	console_start c200 200 50 "$url" || ok=0
	bg_start watch "$tmp/watch.out" "$tmp/watch.err" \
	    "$build/tools/bench-client" -w "$warmup" -r "$tmp/rate20.rec" \
	    "$url" watch "$secs"
	if [ $ok = 0 ] || ! console_ready c80 30 || ! console_ready c200 30
	then
		failed "rate20: the consoles did not show the state"
		ok=0
	fi
	if [ $ok = 1 ]; then
		sleep "$warmup"		# Discarded: the first paints.
		tty_window c80 c200
		set_val tty_bytes_per_s_80x24 "${tty_rate[c80]}"
		add_note tty_bytes_per_s_80x24 "three windows of \
$(awk -v s="$secs" 'BEGIN { print s / 3 }') s: ${tty_spread[c80]} B/s"
		set_val tty_bytes_per_s_200x50 "${tty_rate[c200]}"
		add_note tty_bytes_per_s_200x50 \
		    "three windows: ${tty_spread[c200]} B/s"
		if [ -n "$wire_console" ]; then
			set_val wire_bytes_per_s_console "${wire_console% *}" \
			    B/s
			set_val wire_segs_per_s_console "${wire_console#* }" \
			    segments/s
		fi
	fi
	bg_wait watch "$((secs + warmup + 120))"
	rc=$?
	console_stop c80
	console_stop c200
	backend_stop
	if [ $rc -ne 0 ]; then
		failed "bench-client watch: $(tail -2 "$tmp/watch.err")"
		[ $rc -ne 1 ] && return
	fi
	set_val events_per_s "$(get watch.events_per_s "$tmp/watch.out")"
	set_val wire_bytes_per_s_raw \
	    "$(get watch.payload_bytes_per_s "$tmp/watch.out")"
	set_val wire_bytes_per_s \
	    "$(get watch.wire_bytes_per_s "$tmp/watch.out")"
	set_val wire_segs_per_s \
	    "$(get watch.wire_segs_per_s "$tmp/watch.out")" segments/s
	v=$(awk -v r="${val[wire_bytes_per_s_raw]:-0}" \
	    -v w="${val[wire_bytes_per_s]:-0}" \
	    'BEGIN { if (w > 0) printf "%.2f", r / w }')
	[ -n "$v" ] && set_val wire_compression_ratio "$v" x
}

# TCP bytes received by process $1 on its connection to port $2 (ss).
tcp_rx_to() {
	ss -tinpH state established "( dport = :$2 )" 2>/dev/null |
	    awk -v p="pid=$1," '
	    index($0, p) { want = 1; next }
	    want { for (i = 1; i <= NF; i++)
		if ($i ~ /^bytes_received:/) { sub(/.*:/, "", $i); print $i;
		    exit } }'
}

# A district relay at --rate 20: its upstream bytes a second with
# BENCH_RELAY_CONSOLES consoles on it, beside one direct console's over
# the same window (both from the kernel's counters); then the e2e test
# with the issue's 30 s outage.
phase_relay() {
	local n=${BENCH_RELAY_CONSOLES:-10} i rpid dpid rurl pport t0 t1
	local r0 r1 d0 d1
	load_note relay
	backend_start relay-prov --seed 1 --rate 20 || return
	pport=${url##*:}
	pport=${pport%%/*}
	"$build/trucban-backend" --listen 127.0.0.1:0 --relay "$url" \
	    --log "$tmp/relay.blog" >"$tmp/relay.bout" 2>"$tmp/relay.berr" &
	rpid=$!
	pids+=("$rpid")
	if ! wait_for 30 "grep -q 'in step' '$tmp/relay.blog' 2>/dev/null"
	then
		failed "relay: not in step with the province"
		backend_stop
		return
	fi
	rurl=$(sed -n 's/^.*listening on \(ws:.*\)$/\1/p' \
	    "$tmp/relay.bout")
	for i in $(seq 1 "$n"); do
		"$build/tools/tb-client" -t $((secs + warmup + 60)) "$rurl" \
		    watch $((secs + warmup + 5)) >"$tmp/relay-w$i.out" 2>&1 &
		pids+=("$!")
	done
	"$build/tools/tb-client" -t $((secs + warmup + 60)) "$url" \
	    watch $((secs + warmup + 5)) >"$tmp/relay-direct.out" 2>&1 &
	dpid=$!
	pids+=("$dpid")
	sleep "$warmup"		# Discarded: the snapshots.
	t0=$EPOCHREALTIME
	r0=$(tcp_rx_to "$rpid" "$pport")
	d0=$(tcp_rx_to "$dpid" "$pport")
	sleep "$secs"		# The window.
	t1=$EPOCHREALTIME
	r1=$(tcp_rx_to "$rpid" "$pport")
	d1=$(tcp_rx_to "$dpid" "$pport")
	if [ -n "$r0" ] && [ -n "$r1" ] && [ -n "$d0" ] && [ -n "$d1" ]; then
		set_val relay_upstream_bytes_per_s "$(awk -v b=$((r1 - r0)) \
		    -v a="$t0" -v c="$t1" 'BEGIN { printf "%.0f", b / (c - a) }')"
		add_note relay_upstream_bytes_per_s "$n consoles on the relay"
		set_val relay_direct_bytes_per_s "$(awk -v b=$((d1 - d0)) \
		    -v a="$t0" -v c="$t1" 'BEGIN { printf "%.0f", b / (c - a) }')" \
		    B/s
	else
		set_null relay_upstream_bytes_per_s "no TCP counters (ss)"
	fi
	wait "$dpid" 2>/dev/null
	kill "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	backend_stop
	if [ "${BENCH_QUICK:-0}" = 1 ]; then
		set_null relay_outage_30s_ok "BENCH_QUICK: make check runs \
tests/e2e/relay.sh with a 5 s outage"
		return
	fi
	if RELAY_OUTAGE=30 sh tests/e2e/relay.sh "$build" \
	    >"$tmp/relay-e2e.out" 2>&1; then
		set_val relay_outage_30s_ok 1
	else
		set_val relay_outage_30s_ok 0
		add_note relay_outage_30s_ok "$(grep -c FAIL \
		    "$tmp/relay-e2e.out") checks failed"
	fi
}

phase_ingest() {
	local i runs=()
	load_note ingest
	if [ ! -s "$tmp/rate20.rec" ]; then
		set_null ingest_events_per_s "no recording from rate20"
		set_null parse_only_events_per_s "no recording"
		return
	fi
	# The console's own replay, without a screen: the recording through
	# the reader, the sync, the store; five runs, the median.
	for i in 1 2 3 4 5; do
		if ! "$build/trucban" --log /dev/null --replay \
		    "$tmp/rate20.rec" --headless >"$tmp/replay.out" \
		    2>"$tmp/replay.err"; then
			failed "trucban --replay --headless: $(tail -2 \
			    "$tmp/replay.out" "$tmp/replay.err")"
			break
		fi
		runs+=("$(get replay.events_per_s "$tmp/replay.out")")
	done
	if [ ${#runs[@]} -eq 5 ]; then
		set_val ingest_events_per_s "$(printf '%s\n' "${runs[@]}" |
		    median)"
		add_note ingest_events_per_s "$(get replay.events \
"$tmp/replay.out") events recorded at --rate 20, replayed by trucban \
--replay FILE --headless (reader, sync, store; no screen); median of 5 runs"
	else
		set_null ingest_events_per_s "trucban --replay --headless failed"
	fi
	# shellcheck disable=SC2086
	if ! "$build/tools/bench-ingest" ${ingest_opts:-} "$tmp/rate20.rec" \
	    >"$tmp/ingest.out" 2>"$tmp/ingest.err"; then
		failed "bench-ingest: $(tail -2 "$tmp/ingest.err")"
		set_null parse_only_events_per_s "bench-ingest failed"
		return
	fi
	set_val parse_only_events_per_s \
	    "$(get ingest.parse_only_events_per_s "$tmp/ingest.out")"
	add_note parse_only_events_per_s "jansson parse-and-free of the same \
events (bench-ingest), median of $(grep -c '^ingest.round' \
"$tmp/ingest.out") rounds; bench-ingest's sync-only figure: \
$(get ingest.ingest_events_per_s "$tmp/ingest.out") events/s"
}

phase_paint() {
	local i ms runs=()
	load_note paint
	backend_start paint --seed 1 --rate 20 || return
	for i in $(seq "$paint_runs"); do
		console_start "paint$i" 80 24 "$url" || break
		if ! console_ready "paint$i" 20; then
			failed "paint: console $i did not show the state"
			console_stop "paint$i"
			break
		fi
		ms=$(console_paint_ms "paint$i") && runs+=("$ms")
		console_stop "paint$i"
	done
	backend_stop
	if [ ${#runs[@]} -eq 0 ]; then
		set_null first_paint_ms "no console start was measured"
		return
	fi
	set_val first_paint_ms "$(printf '%s\n' "${runs[@]}" | median)"
	add_note first_paint_ms "median of ${#runs[@]} starts at 80x24: \
${runs[*]} ms"
}

phase_rtt() {
	local rc
	load_note rtt
	backend_start rtt --seed 1 --rate 20 || return
	"$build/tools/bench-client" -w "$warmup" -W 3 "$url" rtt "$rtt_secs" \
	    >"$tmp/rtt.out" 2>"$tmp/rtt.err"
	rc=$?
	backend_stop
	if [ $rc -ne 0 ]; then
		failed "bench-client rtt: $(tail -2 "$tmp/rtt.err")"
		[ $rc -ne 1 ] && return
	fi
	set_val command_rtt_p99_ms "$(window_field p99 "$tmp/rtt.out" | median)"
	set_val command_rtt_p50_ms \
	    "$(window_field p50 "$tmp/rtt.out" | median)" ms
	set_val command_rtt_max_ms "$(window_field max "$tmp/rtt.out" |
	    sort -g | tail -1)" ms
	add_note command_rtt_p99_ms "median of three ${rtt_secs} s windows, \
p99 of each: $(window_field p99 "$tmp/rtt.out" | tr '\n' ' ')ms; \
$(window_field n "$tmp/rtt.out" | sum) commands (divert), \
$(awk '$1 == "rtt.refused" { print $2 }' "$tmp/rtt.out") refused"
}

# The backend over JetStream (docs/ha.md): one nats-server, two gateways.
# The command round trip through the holder (its events acknowledged by
# the stream before the result), beside the local journal's (--state:
# flushed and fdatasync'ed before the result), measured the same way;
# then a console given both URLs, and the holder killed: ha_failover_ms
# is from the kill to the console's first event from the other gateway
# (its log's "live: event N" after "connected to" that gateway).
# The console's first "live: event" line after its link to $1.
ha_live() {
	awk -v u="connected to $1 " 'index($0, u) { on = 1 }
	    on && / live: event / { print; exit }' "$tmp/haf.clog"
}

phase_ha() {
	local npid nurl g1pid g1url g2url t0 t1 t2 line
	load_note ha
	backend_start haj --seed 1 --rate 20 --state "$tmp/haj.state" ||
	    return
	if "$build/tools/bench-client" -w "$warmup" -W 3 "$url" rtt \
	    "$rtt_secs" >"$tmp/rttj.out" 2>"$tmp/rttj.err"; then
		set_val command_rtt_p99_ms_journal \
		    "$(window_field p99 "$tmp/rttj.out" | median)" ms
		add_note command_rtt_p99_ms_journal "the local journal \
(--state), for command_rtt_p99_ms_nats beside it; median of three \
${rtt_secs} s windows, p99 of each: $(window_field p99 "$tmp/rttj.out" |
tr '\n' ' ')ms"
	else
		failed "bench-client rtt on the journal: $(tail -2 \
		    "$tmp/rttj.err")"
	fi
	backend_stop
	if ! command -v nats-server >/dev/null 2>&1 ||
	    ! "$build/trucban-backend" --help | grep -q -- --nats; then
		set_null ha_failover_ms "no nats-server or libnats (scripts/deps.sh ha)"
		set_null command_rtt_p99_ms_nats "no nats-server or libnats"
		return
	fi
	nats-server -a 127.0.0.1 -p -1 -js -sd "$tmp/nats" \
	    >"$tmp/nats.log" 2>&1 &
	npid=$!
	pids+=("$npid")
	if ! wait_for 10 "grep -q 'Server is ready' '$tmp/nats.log'"; then
		failed "nats-server did not start"
		return
	fi
	nurl=nats://127.0.0.1:$(sed -n 's/.*client connections on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
	    "$tmp/nats.log" | head -1)
	backend_start ha1 --seed 1 --rate 20 --nats "$nurl" || return
	g1pid=$bpid
	g1url=$url
	backend_start ha2 --seed 1 --rate 20 --nats "$nurl" || return
	g2url=$url
	if "$build/tools/bench-client" -w "$warmup" -W 3 "$g1url" rtt \
	    "$rtt_secs" >"$tmp/rttn.out" 2>"$tmp/rttn.err"; then
		set_val command_rtt_p99_ms_nats \
		    "$(window_field p99 "$tmp/rttn.out" | median)" ms
		add_note command_rtt_p99_ms_nats "through the lease holder \
over one nats-server (R1); median of three ${rtt_secs} s windows, p99 of \
each: $(window_field p99 "$tmp/rttn.out" | tr '\n' ' ')ms"
	else
		failed "bench-client rtt over nats: $(tail -2 "$tmp/rttn.err")"
	fi
	if console_start haf 80 24 "$g1url $g2url" && console_ready haf 30
	then
		t0=$EPOCHREALTIME
		kill -9 "$g1pid"
		if wait_for 30 "[ -n \"\$(ha_live '$g2url')\" ]" &&
		    wait_for 30 "grep -q 'holds the lease' '$tmp/ha2.berr' \
		    '$tmp/ha2.blog' 2>/dev/null"; then
			line=$(ha_live "$g2url")
			t1=$(date -d "${line%% *}" +%s.%N)
			t2=$(date -d "$(grep -h -m1 'holds the lease' \
			    "$tmp/ha2.blog" "$tmp/ha2.berr" 2>/dev/null |
			    head -1 | cut -d' ' -f1)" +%s.%N)
			set_val ha_failover_ms "$(awk -v a="$t0" -v b="$t1" \
			    'BEGIN { printf "%.0f\n", (b - a) * 1000 }')" ms
			add_note ha_failover_ms "kill -9 of the holder to the \
console's first event from the other gateway (${line#*live: }); that \
gateway held the lease $(awk -v a="$t0" -v c="$t2" \
'BEGIN { printf "%.0f", (c - a) * 1000 }') ms after the kill (lease \
expiry 3 s)"
		else
			set_null ha_failover_ms "the console or the lease did \
not move within 30 s"
		fi
		console_stop haf
	else
		set_null ha_failover_ms "the console did not start"
	fi
	backend_stop
	kill "$npid" 2>/dev/null
	wait "$npid" 2>/dev/null
}

phase_rate100() {
	local rc
	load_note rate100
	# The fan-out's clients all come from one loopback address at once:
	# more than the 64 that may wait for hello from one address (the
	# guard against floods, tests/e2e/backend-hello-flood.sh).
	backend_start rate100 --seed 1 --rate 100 \
	    --max-per-address $((clients + 64)) || return
	if console_start r100 80 24 "$url" && console_ready r100 30; then
		ccpid=$cpid
		sleep "$warmup"
		tty_window r100
		set_val tty_bytes_per_s_80x24_rate100 "${tty_rate[r100]}"
		add_note tty_bytes_per_s_80x24_rate100 \
		    "three windows: ${tty_spread[r100]} B/s"
	else
		failed "rate100: the console did not show the state"
	fi
	console_stop r100
	load_note fanout
	"$build/tools/bench-client" -n "$clients" -w "$warmup" -W 3 "$url" \
	    fanout "$fan_secs" >"$tmp/fanout.out" 2>"$tmp/fanout.err"
	rc=$?
	backend_stop
	if [ $rc -ne 0 ]; then
		failed "bench-client fanout: $(tail -2 "$tmp/fanout.err")"
		[ $rc -ne 1 ] && return
	fi
	set_val fanout_p99_ms_200 \
	    "$(window_field p99 "$tmp/fanout.out" | median)"
	set_val fanout_p50_ms_200 \
	    "$(window_field p50 "$tmp/fanout.out" | median)" ms
	set_val events_per_s_rate100 "$(awk '$1 == "fanout.window" {
		for (i = 3; i < NF; i += 2) {
			if ($i == "seq") n += $(i + 1)
			if ($i == "secs") t += $(i + 1) } }
		END { if (t > 0) printf "%.2f", n / t }' "$tmp/fanout.out")" \
	    events/s
	set_val fanout_client_cpu_pct \
	    "$(window_field cpu "$tmp/fanout.out" | median)" %
	add_note fanout_p99_ms_200 "$clients clients at --rate 100, median of \
three ${fan_secs} s windows, p99 of each: $(window_field p99 \
"$tmp/fanout.out" | tr '\n' ' ')ms; deliveries per window: \
$(window_field n "$tmp/fanout.out" | tr '\n' ' ')"
	if [ "$(window_field closed "$tmp/fanout.out" | sum)" != 0 ]; then
		add_note fanout_p99_ms_200 "the backend closed some clients"
	fi
}

# The console's RSS once it holds the large state: after its first frame
# with state and its CPU time stands still for a second.
rss_settled() {
	local pid=$1 a b n=60
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 1
	while [ $n -gt 0 ]; do
		sleep 1
		b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) ||
		    return 1
		[ "$a" = "$b" ] && break
		a=$b
		n=$((n - 1))
	done
	awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"
}

phase_100k() {
	local t0 t1 line rss why wait k
	load_note 100k
	rm -rf "$tmp/state100k"
	if ! "$build/tools/bench-state" -a "$nalerts" -f "$ncases" -d "$data" \
	    "$tmp/snap100k.json" "$tmp/state100k" >"$tmp/state.out" \
	    2>"$tmp/state.err"; then
		failed "bench-state: $(tail -2 "$tmp/state.err")"
		for k in snapshot_load_ms_100k snapshot_parse_ms_100k \
		    rss_kb_100k restart_ms_100k; do
			set_null $k "bench-state failed"
		done
		return
	fi
	set_val state_snapshot_bytes_100k \
	    "$(get state.snapshot_bytes "$tmp/state.out")" B
	set_val state_backend_load_ms_100k \
	    "$(get state.backend_load_ms "$tmp/state.out")" ms

	if "$build/tools/bench-snapshot" -r 3 -b 60 "$tmp/snap100k.json" \
	    >"$tmp/snapshot.out" 2>"$tmp/snapshot.err"; then
		set_val snapshot_parse_ms_100k \
		    "$(get snapshot.parse_ms "$tmp/snapshot.out")"
		set_val snapshot_load_ms_100k \
		    "$(get snapshot.load_ms "$tmp/snapshot.out")"
		add_note snapshot_load_ms_100k "runs: \
$(get snapshot.runs "$tmp/snapshot.out") (the median of at most 3, fewer \
when slow), $nalerts alerts + $ncases cases, \
$(get snapshot.bytes "$tmp/snapshot.out") bytes"
		if [ "$(get snapshot.over_frame_limit \
		    "$tmp/snapshot.out")" = 1 ]; then
			add_note snapshot_load_ms_100k "over the 16 MiB a \
message may have: the console gets it in parts (docs/protocol.md section \
4); the load reads the text whole, item by item, as the console reads \
each part"
		fi
		set_val snapshot_load_peak_rss_kb_100k \
		    "$(get snapshot.peak_rss_kb "$tmp/snapshot.out")" KiB
		add_note snapshot_load_peak_rss_kb_100k "the whole \
bench-snapshot run: the parse-only and whole-tree runs hold jansson's tree \
of the text; the console's item-by-item load alone peaks at \
snapshot_text_load_peak_rss_kb_100k"
		set_val snapshot_text_load_peak_rss_kb_100k "$(get \
		    snapshot.text_load_peak_rss_kb "$tmp/snapshot.out")" KiB
		set_val snapshot_load_tree_ms_100k \
		    "$(get snapshot.load_tree_ms "$tmp/snapshot.out")" ms
		set_val store_held_rss_kb_100k \
		    "$(get snapshot.held_rss_kb "$tmp/snapshot.out")" KiB
		set_val store_bytes_per_item \
		    "$(get snapshot.store_bytes_per_item "$tmp/snapshot.out")" B
	else
		failed "bench-snapshot: $(tail -2 "$tmp/snapshot.err")"
		set_null snapshot_load_ms_100k "bench-snapshot failed"
		set_null snapshot_parse_ms_100k "bench-snapshot failed"
	fi

	# The restart: exec to "listening on", read from a FIFO as it comes.
	load_note restart
	mkfifo "$tmp/restart.fifo"
	t0=$EPOCHREALTIME
	"$build/trucban-backend" --listen 127.0.0.1:0 --data "$data" \
	    --state "$tmp/state100k" --rate 0 --log "$tmp/restart.blog" \
	    >"$tmp/restart.fifo" 2>"$tmp/restart.berr" &
	bpid=$!
	pids+=("$bpid")
	exec 3<"$tmp/restart.fifo"
	line=""
	read -r -t 600 line <&3
	t1=$EPOCHREALTIME
	url=${line#trucban-backend: listening on }
	case $line in
	*"listening on"*)
		set_val restart_ms_100k "$(awk -v a="$t0" -v b="$t1" \
		    'BEGIN { printf "%.0f", (b - a) * 1000 }')"
		set_val backend_rss_kb_100k \
		    "$(awk '/^VmRSS:/ { print $2 }' "/proc/$bpid/status")" KiB
		set_val backend_peak_rss_kb_100k \
		    "$(awk '/^VmHWM:/ { print $2 }' "/proc/$bpid/status")" KiB
		;;
	*)
		failed "restart: $(tail -2 "$tmp/restart.berr")"
		set_null restart_ms_100k "the backend did not restart"
		set_null rss_kb_100k "the backend did not restart"
		exec 3<&-
		backend_stop
		return
		;;
	esac

	# The console holding that state; given up early when the backend
	# keeps closing its link.
	# While it sends the snapshot (in parts: docs/protocol.md section
	# 4), the backend's RSS is sampled every 50 ms.
	wait=${BENCH_100K_WAIT:-300}
	( while kill -0 "$bpid" 2>/dev/null; do
		awk '/^VmRSS:/ { print $2 }' "/proc/$bpid/status"
		sleep 0.05
	done ) >"$tmp/send.rss" 2>/dev/null &
	local sampler=$!
	pids+=("$sampler")
	local before
	before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$bpid/status")
	t0=$EPOCHREALTIME
	if console_start c100k 80 24 "$url" && wait_for "$wait" \
	    "grep -q 'first frame with the province' '$tmp/c100k.clog' \
	    2>/dev/null || [ \$(grep -c 'closing (' '$tmp/restart.blog') \
	    -ge 2 ]" && grep -q 'first frame with the province' \
	    "$tmp/c100k.clog"; then
		t1=$EPOCHREALTIME
		set_val console_show_ms_100k "$(awk -v a="$t0" -v b="$t1" \
		    'BEGIN { printf "%.0f", (b - a) * 1000 }')"
		add_note console_show_ms_100k "from the console's start to its \
first frame with the state, polled every 100 ms; $(grep -o \
'in [0-9]* parts, [0-9]* bytes' "$tmp/restart.blog" | tail -1)"
		kill "$sampler" 2>/dev/null
		set_val backend_send_rss_kb_100k "$(sort -n "$tmp/send.rss" |
		    tail -1)" KiB
		add_note backend_send_rss_kb_100k "the backend's largest RSS \
while it sent the console the state, sampled every 50 ms; $before KiB \
before"
		rss=$(rss_settled "$cpid")
		set_val rss_kb_100k "$rss"
		set_val console_peak_rss_kb_100k \
		    "$(awk '/^VmHWM:/ { print $2 }' "/proc/$cpid/status")" KiB
	else
		why=$(grep -m1 -o 'closing (.*' "$tmp/restart.blog")
		if [ -n "$why" ]; then
			why="the backend closed its link $(grep -c \
'closing (' "$tmp/restart.blog") times, $why"
		else
			why="it did not show the state within $wait s"
		fi
		# A snapshot over 16 MiB cannot reach a console (protocol
		# section 2): the figure is then the console's own load path
		# holding the state in bench-snapshot, the load given back.
		if [ -n "${val[store_held_rss_kb_100k]:-}" ] &&
		    [ "$(get snapshot.over_frame_limit "$tmp/snapshot.out")" \
		    = 1 ]; then
			set_val rss_kb_100k "${val[store_held_rss_kb_100k]}"
			add_note rss_kb_100k "the real console cannot get \
this state ($(get snapshot.bytes "$tmp/snapshot.out") bytes, over the \
16 MiB message limit: $why); measured in bench-snapshot, a process that \
read it through the console's load path (store_load_snapshot_text) and \
holds the store, the text freed and malloc_trim()ed"
		else
			set_null rss_kb_100k "the console never holds the \
state: $why"
		fi
	fi
	console_stop c100k
	exec 3<&-
	backend_stop
}

# With a nats-server, bench-sim also writes the day-30 state's snapshot to
# a scratch TRUCBAN_SNAP and reads it back as a starting gateway does
# (docs/ha.md, "Snapshots"): nats_gateway_start_ms and its parts.
phase_day30_start() {
	local nopt=() nport
	if command -v nats-server >/dev/null 2>&1 &&
	    "$build/trucban-backend" --help | grep -q -- --nats; then
		nats-server -a 127.0.0.1 -p -1 -js -sd "$tmp/nats-day30" \
		    >"$tmp/nats-day30.log" 2>&1 &
		pids+=("$!")
		if wait_for 10 "grep -q 'Server is ready' '$tmp/nats-day30.log'"
		then
			nport=$(sed -n 's/.*client connections on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
			    "$tmp/nats-day30.log" | head -1)
			nopt=(-n "nats://127.0.0.1:$nport")
		fi
	fi
	bg_start sim "$tmp/sim.out" "$tmp/sim.err" nice -n 19 \
	    "$build/tools/bench-sim" -r 20 -D "$days" -b "$sim_secs" -d "$data" \
	    "${nopt[@]}"
}

phase_day30_end() {
	local last
	load_note day30
	if ! bg_wait sim "$((sim_secs + 300))"; then
		failed "bench-sim: $(tail -2 "$tmp/sim.err")"
		set_null snapshot_bytes_day30 "bench-sim failed"
		return
	fi
	last=$(grep '^sim\.day ' "$tmp/sim.out" | tail -1)
	if [ "$(get sim.complete "$tmp/sim.out")" = 1 ]; then
		set_val snapshot_bytes_day30 \
		    "$(get sim.snapshot_bytes "$tmp/sim.out")"
		add_note snapshot_bytes_day30 "$days days: $(get sim.ticks \
"$tmp/sim.out") ticks in $(get sim.secs "$tmp/sim.out") s at nice 19"
	else
		set_null snapshot_bytes_day30 "the simulation reached \
$(get sim.simulated_hours "$tmp/sim.out") h of $days days in its \
$sim_secs s budget ($(get sim.us_per_tick "$tmp/sim.out") us a tick at the \
end, at nice 19); snapshot $(get sim.snapshot_bytes_at_stop "$tmp/sim.out") \
bytes then${last:+; last whole day: }${last#sim.day }"
	fi
	if [ -n "$(get nsnap.load_ms "$tmp/sim.out")" ]; then
		set_val nats_gateway_start_ms \
		    "$(get nsnap.load_ms "$tmp/sim.out")" ms
		add_note nats_gateway_start_ms "the day-$days state's snapshot \
($(get nsnap.bytes "$tmp/sim.out") B in $(get nsnap.chunks "$tmp/sim.out") \
chunks) listed, read, checked and loaded from TRUCBAN_SNAP (one \
nats-server); the events after it come on top"
		set_val nats_snapshot_build_ms \
		    "$(get nsnap.build_ms "$tmp/sim.out")" ms
		add_note nats_snapshot_build_ms "the record built in the loop"
		set_val nats_snapshot_write_ms \
		    "$(get nsnap.write_ms "$tmp/sim.out")" ms
		add_note nats_snapshot_write_ms "serialised and written, by \
the writer's thread"
	fi
	last=$(awk '$1 == "sim.day" && $2 == 1 && $4 == "24.0" { print $6 }' \
	    "$tmp/sim.out")
	[ -n "$last" ] && set_val snapshot_bytes_day1 "$last" B
}

phase_journal() {
	load_note journal
	rm -rf "$build/bench-journal"
	if "$build/tools/bench-journal" -d "$data" \
	    -n "${JOURNAL_EVENTS:-1000000}" "$build/bench-journal" \
	    >"$tmp/journal.out" 2>"$tmp/journal.err"; then
		sed 's/^/# /' "$tmp/journal.out"
		set_val journal_append_events_per_s \
		    "$(get journal.append_events_per_s "$tmp/journal.out")" \
		    events/s
		set_val journal_restart_ms_1m "$(awk \
		    '$1 ~ /^journal\.restart_.*_events$/ { print $2 }' \
		    "$tmp/journal.out")" ms
	else
		failed "bench-journal: $(tail -2 "$tmp/journal.err")"
	fi
	rm -rf "$build/bench-journal"
}

# ==== Report ====

# verdict KEY: ok, MISS, "-" (no target) or "n/a" (no figure).
verdict() {
	local t=${target[$1]:-report} v=${val[$1]:-} ref
	[ -z "$v" ] && { echo n/a; return; }
	set -- $t
	case $1 in
	report)	echo "-" ;;
	le|ge)
		if [ $# -eq 3 ]; then
			ref=${val[$3]:-}
			[ -z "$ref" ] && { echo n/a; return; }
			ref=$(awk -v f="$2" -v r="$ref" 'BEGIN { print f * r }')
		else
			ref=$2
		fi
		awk -v v="$v" -v r="$ref" -v op="$1" 'BEGIN {
			ok = op == "le" ? v <= r : v >= r
			print ok ? "ok" : "MISS" }' ;;
	esac
}

target_text() {
	local t=${target[$1]:-report}
	set -- $t
	case $1 in
	report)	echo "(report)" ;;
	le)	[ $# -eq 3 ] && echo "<= $2 x $3" || echo "<= $2" ;;
	ge)	[ $# -eq 3 ] && echo ">= $2 x $3" || echo ">= $2" ;;
	esac
}

json_str() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\t'/ }
	s=${s//$'\n'/ }
	printf '"%s"' "$s"
}

report() {
	local k v all=("${keys[@]}" "${extras[@]}") first=1
	echo
	printf '%-34s %12s %-9s %-8s %s\n' figure value unit verdict target
	for k in "${all[@]}"; do
		[ "$k" = "${extras[0]:-}" ] && echo "# extras"
		v=${val[$k]:-null}
		printf '%-34s %12s %-9s %-8s %s\n' "$k" "$v" "${unit[$k]:-}" \
		    "$(verdict "$k")" "$(target_text "$k")"
	done
	echo
	for k in "${all[@]}"; do
		[ -n "${note[$k]:-}" ] && echo "note: $k: ${note[$k]}"
	done
	echo "load averages by phase:"
	for k in "${!load[@]}"; do
		echo "  $k: ${load[$k]}"
	done | sort

	{
		printf '{\n'
		printf '  "date": %s,\n' \
		    "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
		printf '  "commit": %s,\n' "$(json_str "$commit")"
		printf '  "cores": %s,\n' "$(nproc)"
		printf '  "quick": %s,\n' "$([ "${BENCH_QUICK:-0}" = 1 ] &&
		    echo true || echo false)"
		printf '  "window_s": %s,\n' "$secs"
		printf '  "duration_s": %s,\n' "$(awk -v a="$t_begin" \
		    -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')"
		for k in "${all[@]}"; do
			printf '  %s: %s,\n' "$(json_str "$k")" \
			    "${val[$k]:-null}"
		done
		printf '  "targets": {'
		first=1
		for k in "${keys[@]}"; do
			[ $first = 1 ] || printf ','
			first=0
			printf '\n    %s: %s' "$(json_str "$k")" \
			    "$(json_str "$(target_text "$k")")"
		done
		printf '\n  },\n  "verdicts": {'
		first=1
		for k in "${keys[@]}"; do
			[ $first = 1 ] || printf ','
			first=0
			printf '\n    %s: %s' "$(json_str "$k")" \
			    "$(json_str "$(verdict "$k")")"
		done
		printf '\n  },\n  "units": {'
		first=1
		for k in "${all[@]}"; do
			[ $first = 1 ] || printf ','
			first=0
			printf '\n    %s: %s' "$(json_str "$k")" \
			    "$(json_str "${unit[$k]:-}")"
		done
		printf '\n  },\n  "notes": {'
		first=1
		for k in "${all[@]}"; do
			[ -n "${note[$k]:-}" ] || continue
			[ $first = 1 ] || printf ','
			first=0
			printf '\n    %s: %s' "$(json_str "$k")" \
			    "$(json_str "${note[$k]}")"
		done
		printf '\n  },\n  "load": {'
		first=1
		for k in "${!load[@]}"; do
			[ $first = 1 ] || printf ','
			first=0
			printf '\n    %s: %s' "$(json_str "$k")" \
			    "$(json_str "${load[$k]}")"
		done
		printf '\n  }\n}\n'
	} >"$out.tmp" && mv "$out.tmp" "$out"
	echo "wrote $out"
}

# ==== Main ====

for t in trucban trucban-backend tools/bench-client tools/bench-core \
    tools/bench-ingest tools/bench-sim tools/bench-snapshot \
    tools/bench-state; do
	if [ ! -x "$build/$t" ]; then
		echo "bench: $build/$t is missing; run make bench" >&2
		exit 1
	fi
done
if ! command -v tmux >/dev/null 2>&1; then
	echo "bench: tmux is needed (scripts/deps.sh check installs it)" >&2
	exit 1
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] &&
    commit="$commit-dirty"

echo "# trucban bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit," \
    "$(nproc) cores, window ${secs} s"
# want PHASE: whether BENCH_ONLY (default: every phase) names it.
phases="day30 core rate20 ingest 100k paint rtt ha rate100 relay"
want() {
	case " ${BENCH_ONLY:-$phases} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}
want day30 && phase_day30_start
want core && phase_core
want rate20 && phase_rate20
want ingest && phase_ingest
want 100k && phase_100k
want paint && phase_paint
want rtt && phase_rtt
want ha && phase_ha
want rate100 && phase_rate100
want relay && phase_relay
[ "${BENCH_JOURNAL:-0}" = 1 ] && phase_journal
want day30 && phase_day30_end
for k in "${keys[@]}"; do
	[ -n "${val[$k]+x}" ] || set_null "$k" "not measured: its phase \
was not in BENCH_ONLY"
done
report
[ "$failures" -eq 0 ]

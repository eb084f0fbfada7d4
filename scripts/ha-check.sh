#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# make ha-check: the backend over a 3-node JetStream cluster survives its
# faults (docs/ha.md). Starts three nats-server nodes on 127.0.0.1 (free
# ports, temporary stores, killed at exit), three gateways over the
# stream (replicas 3, the simulator at --rate 20 on the lease holder),
# and three clients sending bursts of commands to the gateways in turn,
# during the live stream. Then, one after the other:
#   1. kill -9 the gateway that runs the simulator (the lease holder);
#   2. kill -9 the NATS node that leads the stream TRUCBAN_EVENTS;
#   3. SIGSTOP the lease holder's gateway for HA_STOP_SECS (default 30)
#      seconds, then SIGCONT.
# After each: every command that got "ok" is in the state exactly once,
# no command twice, and the living gateways converge on one digest; the
# time to recover (to the next applied command) is printed. One line per
# fault, then "N passed, M failed"; exit 0 when none failed.
#
# Usage: scripts/ha-check.sh [BUILD_DIR]
set -u

build=${1:-build}
stop_secs=${HA_STOP_SECS:-30}
backend=$build/trucban-backend
client=$build/tools/tb-client
data=data/quangninh
passed=0
failed=0
pids=""

for f in "$backend" "$client"; do
	[ -x "$f" ] || { echo "ha-check: $f is missing; build it first" >&2
	    exit 2; }
done
command -v nats-server >/dev/null 2>&1 || {
	echo "ha-check: nats-server is missing: run scripts/deps.sh ha" >&2
	exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ha-check.XXXXXX")
cleanup() {
	touch "$tmp/stop"
	for p in $pids; do
		kill -CONT "$p" 2>/dev/null
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${HA_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
ms() { echo $(($(date +%s%N) / 1000000)); }
wait_for() {	# seconds, condition
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		eval "$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# A TCP port nobody listens on (from /proc/net/tcp), not handed out yet.
taken=""
free_port() {
	while :; do
		p=$(awk -v s="$$$(date +%N)" 'BEGIN { srand(s % 100000);
		    print 20000 + int(rand() * 40000) }')
		case " $taken " in *" $p "*) continue ;; esac
		hex=$(printf '%04X' "$p")
		if ! awk '$4 == "0A" { print $2 }' /proc/net/tcp \
		    /proc/net/tcp6 2>/dev/null | grep -q ":$hex\$"; then
			taken="$taken $p"
			echo "$p"
			return
		fi
	done
}

# The cluster: every node routes to all three.
routes=""
for i in 1 2 3; do
	eval "cport$i=$(free_port) rport$i=$(free_port)"
	eval "routes=\$routes\${routes:+,}nats://127.0.0.1:\$rport$i"
done
for i in 1 2 3; do
	eval "cp=\$cport$i rp=\$rport$i"
	nats-server -a 127.0.0.1 -p "$cp" -js -sd "$tmp/n$i" -n "n$i" \
	    --cluster_name trucban --cluster "nats://127.0.0.1:$rp" \
	    --routes "$routes" >"$tmp/n$i.log" 2>&1 &
	eval "npid$i=\$!"
	pids="$pids $!"
done
nats="nats://127.0.0.1:$cport1,nats://127.0.0.1:$cport2"
nats="$nats,nats://127.0.0.1:$cport3"
ready() {
	[ "$(cat "$tmp"/n[123].log | grep -c 'Server is ready')" -ge 3 ] &&
	    grep -qh 'JetStream cluster new metadata leader' "$tmp"/n[123].log
}
if wait_for 30 ready; then
	echo "cluster: 3 nodes on $nats"
else
	bad "the JetStream cluster did not form"
	tail -5 "$tmp"/n[123].log
	echo "$passed passed, $failed failed"
	exit 1
fi

# The gateways: g1 first, so it takes the lease and starts the province.
start_gw() {	# i
	"$backend" --listen 127.0.0.1:0 --data "$data" --seed 9 --rate 20 \
	    --nats "$nats" --nats-replicas 3 --client-rate 1000 \
	    --client-burst 1000 >"$tmp/g$1.out" 2>"$tmp/g$1.err" &
	eval "gpid$1=\$!"
	pids="$pids $!"
	if ! wait_for 20 "grep -q 'listening on' '$tmp/g$1.out' \
	    2>/dev/null"; then
		bad "gateway g$1 did not start"
		cat "$tmp/g$1.err" >&2
		return 1
	fi
	eval "gurl$1=\$(sed -n 's/^trucban-backend: listening on //p' \
	    '$tmp/g$1.out')"
}
start_gw 1 || exit 1
wait_for 10 "grep -q 'holds the lease' '$tmp/g1.err'" ||
    bad "g1 holds no lease"
start_gw 2 || exit 1
start_gw 3 || exit 1
alive="1 2 3"
echo "gateways: $gurl1 $gurl2 $gurl3"

area=$("$client" -t 10 "$gurl1" snapshot |
    sed -n 's/.*"areas":\[{"code":"\([^"]*\)".*/\1/p')
args='{"kind":"alert","item":{"kind":"fire","severity":2,"area":"'$area'",'
args=$args'"place":"Kho %n","source":"manual","title":"ha PFX-%n"}}'

# A client: bursts of 20 commands, each to the next living gateway; a
# burst with results missing is sent again, same ids, to the next one.
client_loop() {	# name
	k=0
	g=0
	while [ ! -f "$tmp/stop" ]; do
		# Held while the state is checked (verify).
		while [ -f "$tmp/pause" ] && [ ! -f "$tmp/stop" ]; do
			sleep 0.1
		done
		touch "$tmp/busy.$1"
		k=$((k + 1))
		pfx="$1x$k"
		for try in 1 2 3 4 5 6; do
			list=$(cat "$tmp/alive")
			cnt=$(echo "$list" | wc -w)
			if [ "$cnt" -eq 0 ]; then
				sleep 1
				continue
			fi
			gw=$(echo "$list" | cut -d' ' -f$((g % cnt + 1)))
			g=$((g + 1))
			u=$(sed -n 's/^trucban-backend: listening on //p' \
			    "$tmp/g$gw.out")
			"$client" -t 15 "$u" burst "$pfx" 20 inject \
			    "$(echo "$args" | sed "s/PFX/$pfx/")" \
			    >"$tmp/$pfx.$try.out" 2>/dev/null
			[ "$(grep -c ' ok ' "$tmp/$pfx.$try.out")" -eq 20 ] &&
			    break
			[ -f "$tmp/stop" ] && break
		done
		rm -f "$tmp/busy.$1"
	done
}
echo "$alive" >"$tmp/alive"
for c in a b c; do
	client_loop "$c" &
	pids="$pids $!"
done

oks() {
	cat "$tmp"/*x*.out 2>/dev/null | grep -c ' ok '
}
# Every acked id once in the state, nothing twice, and repeated ids gave
# their first results; the living gateways on one digest.
verify() {	# fault name, recovery ms
	touch "$tmp/pause"
	wait_for 100 '! ls "$tmp"/busy.* >/dev/null 2>&1' ||
	    echo "(a client is still busy)"
	# A gateway the fault was not aimed at must live through it.
	died=""
	for g in $alive; do
		eval "p=\$gpid$g"
		if ! kill -0 "$p" 2>/dev/null; then
			died="$died g$g"
			drop "$g"
			echo "g$g died: $(grep -h 'stopping' "$tmp/g$g.err" |
			    tail -1 | cut -c26-)"
		fi
	done
	g=$(echo "$alive" | cut -d' ' -f1)
	eval "u=\$gurl$g"
	"$client" -t 20 "$u" snapshot >"$tmp/snap.json"
	grep -o '"title":"ha [^"]*"' "$tmp/snap.json" |
	    sed 's/^"title":"ha \(.*\)"$/\1/' | sort >"$tmp/titles"
	cat "$tmp"/*x*.out | awk '$2 == "ok" { print $1 }' | sort -u \
	    >"$tmp/acked"
	missing=$(comm -23 "$tmp/acked" "$tmp/titles" | wc -l)
	dups=$(uniq -d "$tmp/titles" | wc -l)
	acked=$(wc -l <"$tmp/acked")
	# All at one seq (the simulator runs), then one digest.
	same() {
		first=""
		differ=0
		for g in $alive; do
			eval "u=\$gurl$g"
			d=$("$client" -t 5 "$u" digest) || return 1
			[ -z "$first" ] && first=$d
			[ "${d%% *}" = "${first%% *}" ] || return 1
			[ "$d" = "$first" ] || differ=1
		done
	}
	if wait_for 30 same && [ "$differ" = 0 ]; then
		conv="digests equal on g$(echo "$alive" | sed 's/ /,g/g') \
($first)"
		conv_ok=1
	else
		conv="digests differ"
		conv_ok=0
	fi
	rm -f "$tmp/pause"
	line="$1: recovered in $2 ms; $acked commands ok, $missing missing, \
$dups twice; $conv"
	[ -n "$died" ] && line="$line; died:$died"
	if [ "$missing" -eq 0 ] && [ "$dups" -eq 0 ] && [ "$conv_ok" = 1 ] &&
	    [ "$2" -ge 0 ] && [ -z "$died" ]; then
		ok "$line"
	else
		bad "$line"
	fi
}
# Recovery: from the fault until commands are applied again, at a
# gateway that is alive (the clients' oks grow by a whole burst).
recover() {	# t0
	base=$(oks)
	if wait_for 60 '[ "$(oks)" -ge $((base + 20)) ]'; then
		echo $(($(ms) - $1))
	else
		echo -1
	fi
}
holder() {	# the gateway that last said it holds the lease
	for g in $alive; do
		if grep -q 'holds the lease' "$tmp/g$g.err" &&
		    ! grep -q 'lost the lease' "$tmp/g$g.err"; then
			echo "$g"
			return
		fi
	done
	# Re-taken after a loss: the last word in its log is "holds".
	for g in $alive; do
		if grep -E 'holds the lease|lost the lease' "$tmp/g$g.err" |
		    tail -1 | grep -q holds; then
			echo "$g"
			return
		fi
	done
}
drop() {	# gateway no longer alive
	alive=$(echo "$alive" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ' |
	    sed 's/ $//')
	echo "$alive" >"$tmp/alive"
}

wait_for 20 '[ "$(oks)" -ge 200 ]' || bad "the clients are not running"
echo "live: $(oks) commands ok before the faults"

# 1. The simulator's gateway dies.
h=$(holder)
eval "p=\$gpid$h"
drop "$h"
t0=$(ms)
kill -9 "$p"
if wait_for 20 "grep -q 'took the lease' $(for g in $alive; do
    printf "'%s' " "$tmp/g$g.err"; done)"; then
	echo "lease moved in $(($(ms) - t0)) ms"
fi
verify "kill -9 g$h (lease holder, simulator)" "$(recover "$t0")"

# 2. The stream's leader node dies.
# The leader is the node that last logged becoming it.
leader=$(for f in "$tmp"/n[123].log; do
	grep "new stream leader for '.* > TRUCBAN_EVENTS'" "$f" |
	    awk -v n="$(basename "$f" .log)" '{ print $2 " " $3 " " n }'
done | sort | tail -1 | awk '{ print $3 }')
[ -n "$leader" ] || { bad "no leader of TRUCBAN_EVENTS in the logs"
    leader=n1; }
eval "p=\$npid${leader#n}"
t0=$(ms)
kill -9 "$p"
verify "kill -9 $leader (leader of TRUCBAN_EVENTS)" "$(recover "$t0")"

# 3. The lease holder's host stops for a while.
h=$(holder)
[ -n "$h" ] || h=$(echo "$alive" | cut -d' ' -f1)
eval "p=\$gpid$h"
drop "$h"
t0=$(ms)
kill -STOP "$p"
r=$(recover "$t0")
sleep "$stop_secs"	# The fault itself lasts this long.
kill -CONT "$p"
# It either follows (lost the lease before appending) or, having appended
# on a stream that moved on, is refused and stops: either way no fork.
wait_for 20 "grep -q 'lost the lease' '$tmp/g$h.err' ||
    ! kill -0 $p 2>/dev/null"
sleep 3	# Its last turn's appends are refused within this.
if kill -0 "$p" 2>/dev/null; then
	echo "g$h came back and follows"
	alive="$alive $h"
	echo "$alive" >"$tmp/alive"
elif ! kill -0 "$p" 2>/dev/null; then
	echo "g$h came back, was refused and stopped: $(grep -h \
	    'stopping' "$tmp/g$h.err" | tail -1 | cut -c26-)"
fi
verify "SIGSTOP g$h for $stop_secs s (lease holder)" "$r"

touch "$tmp/stop"
if grep -Eq 'Sanitizer|runtime error' "$tmp"/g[123].err; then
	bad "sanitizer report from a gateway"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

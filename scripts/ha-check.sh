#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# make ha-check: the backend over a 3-node JetStream cluster survives its
# faults (docs/ha.md). Starts three nats-server nodes on 127.0.0.1 (free
# ports, temporary stores, killed at exit), three gateways over the
# stream (replicas 3, the simulator at --rate 20 on the lease holder),
# three clients sending bursts of commands to the gateways in turn, and
# three real consoles (build/trucban under tmux, each given the three
# gateways starting at a different one, each with its own state directory
# and so its own durable outbox) where an inject is typed at the prompt
# about once a second, during the live stream. Then, one after the other:
#   1. kill -9 the gateway that runs the simulator (the lease holder);
#   2. kill -9 the NATS node that leads the stream TRUCBAN_EVENTS;
#   3. SIGSTOP the lease holder's gateway for HA_STOP_SECS (default 30)
#      seconds, then SIGCONT.
# After each: every command that got "ok" is in the state (a client's by
# its title; a console's by the item its result named, from its log), no
# title twice, the living gateways on one digest at one seq, every
# console has a result for every line typed and its own digest equals its
# gateway's at the same seq (no event lost or doubled); the time to
# recover (to a whole burst begun after the fault) is printed, and for
# each console whose link went, the time from the fault to its first
# event from another gateway. One line per fault, then "N passed, M
# failed"; exit 0 when none failed.
#
# Usage: scripts/ha-check.sh [BUILD_DIR]
# Environment: HA_STOP_SECS (30), HA_CONSOLES (3: 0 to 3 consoles),
# HA_KEEP (keep the temporary directory: logs of every process).
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in
/*) ;;
*) build=$PWD/$build ;;
esac
stop_secs=${HA_STOP_SECS:-30}
nconsoles=${HA_CONSOLES:-3}
backend=$build/trucban-backend
client=$build/tools/tb-client
console=$build/trucban
data=$root/data/quangninh
passed=0
failed=0
pids=""

for f in "$backend" "$client" "$console"; do
	[ -x "$f" ] || { echo "ha-check: $f is missing; build it first" >&2
	    exit 2; }
done
command -v nats-server >/dev/null 2>&1 || {
	echo "ha-check: nats-server is missing: run scripts/deps.sh ha" >&2
	exit 2; }
command -v tmux >/dev/null 2>&1 || {
	echo "ha-check: tmux is missing (the consoles run in it)" >&2
	exit 2; }
case $nconsoles in
[0-3]) ;;
*) echo "ha-check: HA_CONSOLES is 0 to 3" >&2; exit 2 ;;
esac
setsid=$(command -v setsid)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ha-check.XXXXXX")
sock=ha-check-$$
# tmux on a private socket, without any user configuration.
tm() {
	tmux -f /dev/null -L "$sock" "$@"
}
cleanup() {
	touch "$tmp/stop"
	tm kill-server 2>/dev/null
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
# Polls the condition until it holds (0) or the deadline passes (1): a
# deadline on the clock, as a condition may itself take seconds on a
# loaded machine.
wait_for() {	# seconds, condition
	_end=$(($(date +%s) + $1))
	shift
	while :; do
		eval "$@" && return 0
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.1
	done
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
	tail -n 5 "$tmp"/n[123].log
	echo "$passed passed, $failed failed"
	exit 1
fi

# The gateways: g1 first, so it takes the lease and starts the province.
# Each gateway in a session of its own (setsid, which execs it here, so
# $! is the gateway): one is SIGSTOPped, and a stopped process in our
# process group would have the kernel hang up the whole group were the
# group orphaned meanwhile (a run whose parent shell ends).
#
# The cluster may say it is ready before its metadata leader counts all
# three peers: the first gateway's stream (replicas 3) is then refused
# ("no suitable peers for placement") and it exits; it is started again
# until 30 s have passed.
start_gw() {	# i
	_end=$(($(date +%s) + 30))
	while :; do
		$setsid "$backend" --listen 127.0.0.1:0 --data "$data" \
		    --seed 9 --rate 20 --nats "$nats" --nats-replicas 3 \
		    --client-rate 1000 --client-burst 1000 \
		    >"$tmp/g$1.out" 2>"$tmp/g$1.err" &
		eval "gpid$1=\$!"
		pids="$pids $!"
		eval "_p=\$gpid$1"
		wait_for 20 "grep -q 'listening on' '$tmp/g$1.out' \
		    2>/dev/null || ! kill -0 $_p 2>/dev/null"
		grep -q 'listening on' "$tmp/g$1.out" && break
		if grep -q 'no suitable peers' "$tmp/g$1.err" &&
		    [ "$(date +%s)" -lt "$_end" ]; then
			wait "$_p" 2>/dev/null
			sleep 1
			continue
		fi
		bad "gateway g$1 did not start"
		cat "$tmp/g$1.err" >&2
		return 1
	done
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

# Held while the state is checked (verify): busy.NAME says NAME is at
# work, and it is made before pause is looked at, so that verify, which
# makes pause and then waits for no busy file, never checks while a
# burst or a typed line is under way. Returns 1 at the stop.
hold() {	# name
	while :; do
		touch "$tmp/busy.$1"
		[ -f "$tmp/stop" ] && { rm -f "$tmp/busy.$1"; return 1; }
		[ -f "$tmp/pause" ] || return 0
		rm -f "$tmp/busy.$1"
		sleep 0.1
	done
}

# A client: bursts of 20 commands, each to the next living gateway; a
# burst with results missing is sent again, same ids, to the next one.
# Each client starts at a gateway of its own: clients in step on one
# gateway would all wait out their 15 s on it when it stops, and the
# recovery would measure that rather than the forwarding.
client_loop() {	# name, first gateway (0, 1, 2)
	k=0
	g=$2
	while [ ! -f "$tmp/stop" ]; do
		hold "$1" || break
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
			echo "$(ms) $pfx.$try" >>"$tmp/bursts"
			"$client" -t 15 "$u" burst "$pfx" 20 inject \
			    "$(echo "$args" | sed "s/PFX/$pfx/")" \
			    >"$tmp/$pfx.$try.out" 2>/dev/null
			[ "$(grep -c ' ok ' "$tmp/$pfx.$try.out")" -eq 20 ] &&
			    break
			[ -f "$tmp/stop" ] && break
		done
		rm -f "$tmp/busy.$1"
		# A pace (not a synchronisation): the state stays a few
		# thousand alerts over the whole run.
		sleep 0.5
	done
}
echo "$alive" >"$tmp/alive"
_i=0
for c in a b c; do
	client_loop "$c" "$_i" &
	_i=$((_i + 1))
	pids="$pids $!"
done

# The consoles: console i is given the three gateways starting at gi, so
# that whichever gateway a fault hits, a console is on it (console 1 on
# the simulator's). Each has its own XDG state directory (its outbox on
# disk) and log, in the top of the tree so that ./themes is found.
consoles=""
start_console() {	# i
	case $1 in
	1) urls="$gurl1 $gurl2 $gurl3" ;;
	2) urls="$gurl2 $gurl3 $gurl1" ;;
	*) urls="$gurl3 $gurl1 $gurl2" ;;
	esac
	mkdir -p "$tmp/c$1/state" "$tmp/c$1/config"
	tm new-session -d -s "c$1" -x 100 -y 30 -c "$root" \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
	    XDG_STATE_HOME=$tmp/c$1/state XDG_CONFIG_HOME=$tmp/c$1/config \
	    $console --log $tmp/c$1.log $urls 2>$tmp/c$1.err; \
	    echo \$? >$tmp/c$1.status"
	consoles="$consoles $1"
}
# Types line at console i's ':' prompt and presses Enter (one tmux call).
console_type() {	# i, line
	tm send-keys -t "c$1" : \; send-keys -t "c$1" -l "$2" \; \
	    send-keys -t "c$1" Enter
}
# The officer at console i: an inject, then half a second (a pace, not a
# synchronisation), typed whether the link is up or not; a line typed
# offline waits in the outbox. cI.typed holds how many were typed.
console_loop() {	# i
	k=0
	while hold "c$1"; do
		k=$((k + 1))
		console_type "$1" "inject alert fire 2 $area ha c$1-$k"
		echo "$k" >"$tmp/c$1.typed"
		rm -f "$tmp/busy.c$1"
		sleep 0.5
	done
}
i=1
while [ "$i" -le "$nconsoles" ]; do
	start_console "$i"
	i=$((i + 1))
done
for i in $consoles; do
	if wait_for 30 "grep -q 'live: event' '$tmp/c$i.log' 2>/dev/null"
	then
		console_loop "$i" &
		pids="$pids $!"
	else
		bad "console c$i is not live: $(tail -1 "$tmp/c$i.log" \
		    2>/dev/null | cut -d' ' -f4-)"
	fi
done
[ -n "$consoles" ] && echo "consoles:$(for i in $consoles; do
	printf ' c%s on %s' "$i" "$(grep 'connected to' "$tmp/c$i.log" |
	    tail -1 | sed 's/.*connected to \([^ ]*\).*/\1/')"; done)"

oks() {
	cat "$tmp"/*x*.out 2>/dev/null | grep -c ' ok '
}

# ==== The consoles, read from their logs (every line starts with its
# UTC time to the ms; console/sync.c and console/conn.c write them) ====

console_typed() {	# i
	cat "$tmp/c$1.typed" 2>/dev/null || echo 0
}
console_results() {	# i: results of commands (not of requests)
	grep -c ' info: result ' "$tmp/c$1.log"
}
# The ids of the items console i's injects made, for those that got
# "ok" (its log names the item with the result).
console_items() {	# i
	sed -n 's/.* info: result [^ ]*: ok, item \([^ ]*\)$/\1/p' \
	    "$tmp/c$1.log" | sort -u
}
# How many injects console i queued or sent: one a line typed.
console_sent() {	# i
	grep -Ec ' info: (queued|sent|after the one before) [^ ]*: inject' \
	    "$tmp/c$1.log"
}
# Console i's own digest against its gateway's: the console asks, and
# compares at the seq of the answer; its log says "digest check: equal
# at seq N ...". Asked again (three tries) while they differ, as the
# console may not be at that seq yet. Prints the log's words.
console_digest() {	# i
	for _t in 1 2 3; do
		_n=$(grep -c ' info: digest check: ' "$tmp/c$1.log")
		console_type "$1" digest
		if ! wait_for 20 "[ \$(grep -c ' info: digest check: ' \
		    '$tmp/c$1.log') -gt $_n ]"; then
			echo "no answer to digest"
			return 1
		fi
		_d=$(grep ' info: digest check: ' "$tmp/c$1.log" | tail -1 |
		    sed 's/.* info: digest check: //')
		case $_d in
		equal*) echo "$_d"; return 0 ;;
		esac
	done
	echo "$_d"
	return 1
}
# Console i after the fault at t0 (ms since the epoch): nothing when its
# link stayed up; else "cI live on gN in T ms (K typed meanwhile)", from
# the fault to its first event on a new link, or "cI not live again".
console_moved() {	# i, t0
	_ts=$(date -u -d "@$(($2 / 1000))" +%Y-%m-%dT%H:%M:%S).$(printf \
	    '%03d' $(($2 % 1000)))Z
	_m=$(awk -v t="$_ts" '$1 < t { next }
	/ info: (link to .* lost|dropping the link)/ { lost = 1 }
	/ info: (queued|sent|after the one before) [^ ]*: inject alert / &&
	    lost && !live { q++ }
	/ info: connected to / { url = $6 }
	/ info: live: event / && lost { print $1, url, q + 0; live = 1;
	    exit }
	END { if (lost && !live) print "none" }' "$tmp/c$1.log")
	[ -z "$_m" ] && return 0
	if [ "$_m" = none ]; then
		echo "c$1 not live again"
		return 1
	fi
	set -- "$1" "$2" $_m
	_g=?
	for _i in 1 2 3; do
		eval "[ \"\$gurl$_i\" = '$4' ] && _g=g$_i"
	done
	echo "c$1 live on $_g in $(($(date -d "$3" +%s%3N) - $2)) ms \
($5 typed meanwhile)"
}

# The first gateway to say it applies, holding the lease, after the
# fault at t0 (ms since the epoch): "gN applying T ms after the fault",
# or nothing when the lease did not move.
applying_since() {	# t0
	_ts=$(date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S).$(printf \
	    '%03d' $(($1 % 1000)))Z
	_a=$(for g in 1 2 3; do
		awk -v t="$_ts" -v g="$g" '$1 >= t &&
		    / holds the lease: applying from / { print $1, g; exit }' \
		    "$tmp/g$g.err"
	done | sort | head -1)
	[ -n "$_a" ] && echo "g${_a#* } applying $(($(date -d "${_a% *}" \
	    +%s%3N) - $1)) ms after the fault"
}
# Links a gateway closed because no holder answered a command it
# forwarded, in all the gateways' logs so far. A follower keeps a
# forwarded command until the next holder answers it (docs/ha.md): none
# is expected.
closed_unanswered() {
	cat "$tmp"/g[123].err | grep -c 'closing (1001 no applier answered'
}
nclosed=0

# Every acked command in the state, nothing twice; the living gateways
# on one digest; every console with a result for every line it typed,
# its digest its gateway's, and live again when its link went.
verify() {	# fault name, recovery ms, t0
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
	# The consoles' outboxes drain: what they typed is applied before
	# the state is read.
	cbad=""
	for i in $consoles; do
		wait_for 60 '[ "$(console_results "$i")" -ge \
		    "$(console_typed "$i")" ]' ||
		    cbad="$cbad; c$i: $(($(console_typed "$i") - \
$(console_results "$i"))) of $(console_typed "$i") without a result"
	done
	g=$(echo "$alive" | cut -d' ' -f1)
	eval "u=\$gurl$g"
	"$client" -t 20 "$u" snapshot >"$tmp/snap.json"
	grep -o '"title":"ha [^"]*"' "$tmp/snap.json" |
	    sed 's/^"title":"ha \(.*\)"$/\1/' | sort >"$tmp/titles"
	cat "$tmp"/*x*.out | awk '$2 == "ok" { print $1 }' | sort -u \
	    >"$tmp/acked"
	# The consoles' by the ids of the items they made (titles cI-K are
	# counted for doubles, with the clients').
	grep -o '"id":"[^"]*"' "$tmp/snap.json" | cut -d'"' -f4 | sort -u \
	    >"$tmp/ids"
	for i in $consoles; do
		console_items "$i"
	done | sort -u >"$tmp/cacked"
	missing=$(($(comm -23 "$tmp/acked" "$tmp/titles" | wc -l) + \
	    $(comm -23 "$tmp/cacked" "$tmp/ids" | wc -l)))
	dups=$(uniq -d "$tmp/titles" | wc -l)
	cacked=$(wc -l <"$tmp/cacked")
	acked=$(($(wc -l <"$tmp/acked") + cacked))
	# One digest at one seq. The simulator runs (20 events a second)
	# and each answer takes a snapshot's time, so every gateway is asked
	# again and again, at once, each answer "SEQ DIGEST" kept, until a
	# seq was answered by all (30 s at most); the digests are compared
	# at every such seq.
	for g in $alive; do
		: >"$tmp/dig.g$g"
	done
	rm -f "$tmp/sampled"
	spids=""
	for g in $alive; do
		eval "u=\$gurl$g"
		while [ ! -f "$tmp/sampled" ]; do
			"$client" -t 5 "$u" digest >>"$tmp/dig.g$g" 2>/dev/null
		done &
		spids="$spids $!"
	done
	ng=$(echo $alive | wc -w)
	common() {
		for g in $alive; do
			sort -u "$tmp/dig.g$g"
		done | awk -v n="$ng" '{ c[$1]++; d[$1, c[$1]] = $2 }
		    END { for (s in c) if (c[s] == n) {
			same = 1
			for (i = 2; i <= n; i++)
				if (d[s, i] != d[s, 1]) same = 0
			print s, d[s, 1], same } }' | sort -n >"$tmp/common"
		[ -s "$tmp/common" ]
	}
	wait_for 30 common
	touch "$tmp/sampled"
	for p in $spids; do
		wait "$p"
	done
	common
	if [ ! -s "$tmp/common" ]; then
		conv="the gateways were never at one seq in 30 s (last: \
$(for g in $alive; do printf 'g%s %s ' "$g" "$(tail -1 "$tmp/dig.g$g" |
cut -d' ' -f1)"; done))"
		conv_ok=0
	elif awk '$3 == 0 { bad = 1 } END { exit !bad }' "$tmp/common"; then
		conv="digests differ at seq $(awk '$3 == 0 { print $1; exit }' \
"$tmp/common") ($(for g in $alive; do printf 'g%s %s ' "$g" "$(awk -v s="$(
awk '$3 == 0 { print $1; exit }' "$tmp/common")" '$1 == s { print $2;
exit }' "$tmp/dig.g$g")"; done))"
		conv_ok=0
	else
		conv="digests equal on g$(echo "$alive" | sed 's/ /,g/g') \
($(tail -1 "$tmp/common" | cut -d' ' -f1,2), $(wc -l <"$tmp/common") \
seq(s) compared)"
		conv_ok=1
	fi
	# Each console: refused commands, its digest, its failover.
	moved=""
	ndig=0
	for i in $consoles; do
		n=$(($(console_results "$i") - $(grep -Ec \
		    ' info: result [^ ]*: ok(,|$)' "$tmp/c$i.log")))
		[ "$n" -gt 0 ] && cbad="$cbad; c$i: $n refused ($(grep \
		    ' info: result ' "$tmp/c$i.log" | grep -Ev ': ok(,|$)' |
		    tail -1 | cut -d' ' -f5-))"
		# A line typed that made no command: the harness's keys were
		# lost, not a failover's doing; said, as it spoils the count.
		[ "$(console_sent "$i")" = "$(console_typed "$i")" ] ||
		    cbad="$cbad; c$i: $(console_typed "$i") lines typed, \
$(console_sent "$i") injects"
		if d=$(console_digest "$i"); then
			ndig=$((ndig + 1))
		else
			cbad="$cbad; c$i digest: $d"
		fi
		if m=$(console_moved "$i" "$3"); then
			[ -n "$m" ] && moved="$moved, $m"
		else
			cbad="$cbad; $m"
		fi
	done
	_n=$(closed_unanswered)
	closed=""
	[ "$_n" -gt "$nclosed" ] && closed="; $((_n - nclosed)) link(s) \
closed with 'no applier answered'"
	nclosed=$_n
	rm -f "$tmp/pause"
	_a=$(applying_since "$3") && _a=" ($_a)"
	line="$1: recovered in $2 ms${_a:-}; $acked commands ok ($cacked from \
consoles), $missing missing, $dups twice; $conv"
	if [ -n "$consoles" ]; then
		line="$line; consoles: $ndig of $(echo $consoles | wc -w) \
digests equal${moved:-, none moved}$cbad"
	fi
	[ -n "$died" ] && line="$line; died:$died"
	line="$line$closed"
	if [ "$missing" -eq 0 ] && [ "$dups" -eq 0 ] && [ "$conv_ok" = 1 ] &&
	    [ "$2" -ge 0 ] && [ -z "$died" ] && [ -z "$cbad" ] &&
	    [ -z "$closed" ]; then
		ok "$line"
	else
		bad "$line"
	fi
}
# Recovery: from the fault until commands are applied again, at a
# gateway that is alive: a whole burst begun after the fault has its 20
# oks (not oks of bursts in flight at the fault, which the stream may
# acknowledge before anyone applies anything new).
fresh_burst() {	# t0
	for b in $(awk -v t="$1" '$1 > t { print $2 }' "$tmp/bursts"); do
		# Its output may not be there yet: a count of 0 then.
		[ "$(cat "$tmp/$b.out" 2>/dev/null |
		    grep -c ' ok ')" -eq 20 ] &&
		    return 0
	done
	return 1
}
recover() {	# t0
	if wait_for 60 fresh_burst "$1"; then
		echo $(($(ms) - $1))
	else
		echo -1
	fi
}
# The lease holder, once settled: the gateway that said last that it
# holds the lease, when it also applied the last command (only the
# holder logs "cmd ... ok") after saying so. Not "holds and never
# lost": a holder cut off from the KV bucket (its leader node killed)
# may have lost the lease without knowing yet, and the next takes it
# only once it can read where the streams end. Prints nothing while
# the lease is in transit.
holder() {
	_l=$(for g in $alive; do
		grep -h 'holds the lease: applying' "$tmp/g$g.err" | tail -1 |
		    awk -v g="$g" '{ print $1, g }'
	done | sort | tail -1)
	_c=$(for g in $alive; do
		grep -h ' cmd .*: ok, seq' "$tmp/g$g.err" | tail -1 |
		    awk -v g="$g" '{ print $1, g }'
	done | sort | tail -1)
	[ -n "$_l" ] && [ "${_l#* }" = "${_c#* }" ] &&
	    [ "${_c% *}" \> "${_l% *}" ] && echo "${_l#* }"
}
drop() {	# gateway no longer alive
	alive=$(echo "$alive" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ' |
	    sed 's/ $//')
	echo "$alive" >"$tmp/alive"
}

wait_for 20 '[ "$(oks)" -ge 200 ]' || bad "the clients are not running"
echo "live: $(oks) commands ok before the faults"

# 1. The simulator's gateway dies.
wait_for 30 'h=$(holder); [ -n "$h" ]' || h=1
eval "p=\$gpid$h"
drop "$h"
t0=$(ms)
kill -9 "$p"
if wait_for 20 "grep -q 'took the lease' $(for g in $alive; do
    printf "'%s' " "$tmp/g$g.err"; done)"; then
	echo "lease moved in $(($(ms) - t0)) ms"
fi
verify "kill -9 g$h (lease holder, simulator)" "$(recover "$t0")" "$t0"

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
verify "kill -9 $leader (leader of TRUCBAN_EVENTS)" "$(recover "$t0")" \
    "$t0"

# 3. The lease holder's host stops for a while.
wait_for 30 'h=$(holder); [ -n "$h" ]' ||
    h=$(echo "$alive" | cut -d' ' -f1)
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
verify "SIGSTOP g$h for $stop_secs s (lease holder)" "$r" "$t0"

touch "$tmp/stop"
# The consoles quit as an officer quits them: exit status 0.
wait_for 10 '! ls "$tmp"/busy.c* >/dev/null 2>&1'
for i in $consoles; do
	console_type "$i" quit
	if ! wait_for 20 "[ -s '$tmp/c$i.status' ]"; then
		bad "console c$i did not quit"
	elif [ "$(cat "$tmp/c$i.status")" != 0 ]; then
		bad "console c$i exited with status $(cat "$tmp/c$i.status")"
	fi
done
if grep -Eq 'Sanitizer|runtime error' "$tmp"/g[123].err; then
	bad "sanitizer report from a gateway"
fi
if [ -n "$consoles" ] && grep -Eq 'Sanitizer|runtime error' "$tmp"/c*.err
then
	bad "sanitizer report from a console"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

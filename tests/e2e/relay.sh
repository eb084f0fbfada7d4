#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a district relay (trucban-backend --relay, docs/relay.md).
# A province backend (no simulator: every event is a command, so the end
# state is still and digests compare), a TCP proxy (tcp-stall) in front of
# it, a relay through the proxy with a relay token scoped to Hạ Long's
# communes that may act for minh and lan, and on the relay five headless
# consoles (tb-client watch) and the officers' commands.
#
# 1. Bytes: while lan (at the province) writes notes on Hạ Long's alerts
#    and elsewhere, the relay's upstream link carries no more than 1.5
#    times what one direct console of the same scope receives (both
#    counted by the kernel, ss, over the same window), whatever the five
#    local consoles cost.
# 2. Commands from two local consoles (minh, lan) go up as their officers
#    with their ids and apply once each (a repeat of an id changes
#    nothing); minh's command outside his areas is refused by the
#    province (the relay adds no power); the relay's token acting for
#    someone not on its list is refused (act_as_denied).
# 3. Outage: the proxy is stopped for RELAY_OUTAGE seconds (default 30,
#    as the issue asks; RELAY_OUTAGE=5 for a quick run): the relay's
#    consoles are told (presence "upstream":"down"), a local command is
#    refused with the retryable relay_offline, the province goes on; the
#    proxy comes back on the same port, the relay resumes by seq, and
#    every console's digest equals the province's for that scope.
# 4. Hang: the proxy stalls (bytes stop both ways, TCP stays up, as a
#    tunnel to a hung host): the relay asked the province for beats, so
#    three missed ones (6 s at the province's 2 s) drop the link, well
#    before lws's pings would (BE_RELAY_PING_S + BE_RELAY_HANGUP_S); its
#    consoles are told; the proxy comes back and the relay resumes.
#
# Usage: tests/e2e/relay.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init relay "$@"

stall=$bin/tools/tcp-stall
if [ ! -x "$stall" ]; then
	echo "relay: $stall is missing; build it first" >&2
	exit 1
fi
outage=${RELAY_OUTAGE:-30}
consoles=${RELAY_CONSOLES:-5}
notes=${RELAY_NOTES:-200}

# Hạ Long's communes (group HL of the dataset).
district=06673,06658,06676,06688,06652,07030,06685,07054,07060,06706,06661
t_relay=relay0123456789abcdef0123456789
t_minh=minh0123456789abcdef0123456789ab
t_lan=lan0123456789abcdef0123456789abc
t_thu=thu0123456789abcdef0123456789abc
cat >"$tmp/tokens" <<EOF
$t_relay relay-hl observer $district scoped act_as=minh,lan
$t_minh minh operator $district scoped
$t_lan lan supervisor *
$t_thu thu observer *
EOF
# The officers' tokens at the relay are the relay's own, not the province's.
cat >"$tmp/local-tokens" <<EOF
local-minh-0123456789abcdef01 minh operator $district
local-lan-0123456789abcdef012 lan supervisor *
EOF
printf '%s\n' "$t_relay" >"$tmp/relay-token"
chmod 600 "$tmp/tokens" "$tmp/local-tokens" "$tmp/relay-token"

if ! backend_start --seed 3 --rate 0 --tokens "$tmp/tokens" \
    --client-rate 1000 --client-burst 1000; then
	fail "the province did not start"
	exit 1
fi
purl=$url
pport=$port

# The proxy; started again on the same port after the outage.
proxy_start() {
	: >"$tmp/stall.out"
	"$stall" ${1:+-p "$1"} "$pport" >>"$tmp/stall.out" 2>&1 &
	spid=$!
	wait_for 5 'grep -q listening "$tmp/stall.out"'
}
spid=
e2e_on_cleanup 'if [ -n "$spid" ]; then kill $spid; wait $spid; fi 2>/dev/null'
proxy_start || { fail "tcp-stall did not start"; e2e_finish; }
xport=$(sed -n 's/^tcp-stall: listening on 127.0.0.1://p' "$tmp/stall.out")

: >"$tmp/relay.out"
"$backend" --listen 127.0.0.1:0 --relay "ws://127.0.0.1:$xport" \
    --relay-token "$tmp/relay-token" --tokens "$tmp/local-tokens" \
    >>"$tmp/relay.out" 2>>"$tmp/relay.err" &
rpid=$!
e2e_on_cleanup 'if [ -n "$rpid" ]; then kill $rpid; wait $rpid; fi 2>/dev/null'
wait_for 10 'grep -q "listening on" "$tmp/relay.out"' || {
	fail "the relay did not start"
	cat "$tmp/relay.err"
	e2e_finish
}
rurl=$(sed -n 's/^.*listening on \(ws:.*\)$/\1/p' "$tmp/relay.out")
wait_for 10 'grep -q "in step" "$tmp/relay.err"' &&
    pass "the relay is in step with the province" ||
    fail "the relay never got the province's state"

# tb-client at the province as $1 (a token), the rest its arguments.
at_province() {
	_ap_t=$1
	shift
	"$client" -t 20 -T "$_ap_t" "$purl" "$@"
}
at_relay() {
	_ar_t=$1
	shift
	"$client" -t 20 -T "$_ar_t" "$rurl" "$@"
}

# TCP bytes received by process $1 on its connection to port $2 (ss).
tcp_rx() {
	ss -tinpH state established "( dport = :$2 )" 2>/dev/null |
	    awk -v p="pid=$1," '
	    index($0, p) { want = 1; next }
	    want { for (i = 1; i <= NF; i++)
		if ($i ~ /^bytes_received:/) { sub(/.*:/, "", $i); print $i;
		    exit } }'
}

# Alerts to write notes on: one in the district (from the relay's view),
# one outside (from lan's view at the province, an area not in it).
a_in=$(at_relay local-minh-0123456789abcdef01 first-alert)
a_out=$(at_province "$t_lan" snapshot | python3 -c '
import json, sys
d = json.load(sys.stdin)
hl = set(sys.argv[1].split(","))
print(next(a["id"] for a in d["alerts"] if a["area"] not in hl))
' "$district" 2>/dev/null)
if [ -z "$a_in" ] || [ -z "$a_out" ]; then
	fail "no alert in the district ($a_in) or outside it ($a_out)"
	e2e_finish
fi

# ==== 1. Bytes: five consoles on the relay, one direct ====
watch_s=$((outage + 30))
for i in $(seq 1 "$consoles"); do
	"$client" -t $((watch_s + 30)) -T local-minh-0123456789abcdef01 \
	    "$rurl" watch "$watch_s" >"$tmp/watch$i.out" 2>&1 &
	eval "wpid$i=\$!"
done
"$client" -t 60 -T "$t_minh" "$purl" watch 30 >"$tmp/direct.out" 2>&1 &
dpid=$!
wait_for 10 '[ -n "$(tcp_rx $dpid $pport)" ]' ||
    fail "the direct console did not connect"
wait_for 5 "[ \$(grep -c 'hello, snapshot' '$tmp/relay.err') -ge $consoles ]" ||
    fail "the relay's consoles did not all get a snapshot"
sleep 1	# The direct console's snapshot is in (its watch starts after it).
r0=$(tcp_rx $rpid "$xport")
d0=$(tcp_rx $dpid "$pport")
at_province "$t_lan" burst in "$notes" note \
    "{\"alert\":\"$a_in\",\"text\":\"ghi chú %n: mưa lớn ở Hạ Long\"}" \
    >"$tmp/burst-in.out"
at_province "$t_lan" burst out "$notes" note \
    "{\"alert\":\"$a_out\",\"text\":\"note %n elsewhere\"}" \
    >"$tmp/burst-out.out"
# In step: the relay's digest is the province's for the relay's scope.
in_step() {
	[ "$(at_relay local-lan-0123456789abcdef012 digest | cut -d' ' -f2)" = \
	    "$(at_province "$t_relay" digest | cut -d' ' -f2)" ]
}
wait_for 20 in_step || fail "the relay did not catch up with the notes"
r1=$(tcp_rx $rpid "$xport")
d1=$(tcp_rx $dpid "$pport")
rb=$((r1 - r0))
db=$((d1 - d0))
echo "relay upstream bytes $rb, one direct console $db ($consoles consoles on the relay, $notes notes in the district)"
if [ "$db" -gt 0 ] && [ $((rb * 10)) -le $((db * 15)) ]; then
	pass "upstream bytes within 1.5x of one direct console ($rb <= 1.5 x $db)"
else
	fail "upstream bytes $rb, one direct console $db: over 1.5x"
fi
kill $dpid 2>/dev/null
wait $dpid 2>/dev/null

# ==== 2. Commands from two local consoles ====
c_minh=$(at_relay local-minh-0123456789abcdef01 cmd note \
    "{\"alert\":\"$a_in\",\"text\":\"minh qua trạm\"}" relay-minh-1)
c_lan=$(at_relay local-lan-0123456789abcdef012 cmd note \
    "{\"alert\":\"$a_in\",\"text\":\"lan qua trạm\"}" relay-lan-1)
c_again=$(at_relay local-minh-0123456789abcdef01 cmd note \
    "{\"alert\":\"$a_in\",\"text\":\"minh qua trạm\"}" relay-minh-1)
case $c_minh$c_lan in
*'"ok":true'*'"ok":true'*) pass "both local commands applied" ;;
*) fail "local commands: $c_minh / $c_lan" ;;
esac
[ "$c_again" = "$c_minh" ] && pass "a repeated id gets the first result" ||
    fail "repeat: $c_again (first: $c_minh)"
hist=$(at_province "$t_lan" get alert "$a_in")
n_minh=$(printf '%s' "$hist" | grep -o '"by":"minh","what":"note","text":"minh qua trạm"' | wc -l)
n_lan=$(printf '%s' "$hist" | grep -o '"by":"lan","what":"note","text":"lan qua trạm"' | wc -l)
[ "$n_minh" = 1 ] && [ "$n_lan" = 1 ] &&
    pass "each applied once, as its officer (minh, lan)" ||
    fail "minh's note $n_minh times, lan's $n_lan times"
c_far=$(at_relay local-minh-0123456789abcdef01 cmd note \
    "{\"alert\":\"$a_out\",\"text\":\"ngoài địa bàn\"}" relay-minh-2)
case $c_far in
*'"code":"forbidden"'*'not_your_area'*|*'not_your_area'*'"code":"forbidden"'*)
	pass "minh outside his areas: the province refuses (not_your_area)" ;;
*) fail "minh outside his areas: $c_far" ;;
esac
c_as=$("$client" -t 10 -T "$t_relay" "$purl" raw \
    "{\"type\":\"cmd\",\"id\":\"as-1\",\"cmd\":\"note\",\"args\":{\"alert\":\"$a_in\",\"text\":\"x\"},\"act_as\":\"thu\"}" 2>&1)
case $c_as in
*act_as_denied*) pass "the relay's token may not act for thu" ;;
*) fail "act_as thu: $c_as" ;;
esac
c_as=$("$client" -t 10 -T "$t_minh" "$purl" raw \
    "{\"type\":\"cmd\",\"id\":\"as-2\",\"cmd\":\"note\",\"args\":{\"alert\":\"$a_in\",\"text\":\"x\"},\"act_as\":\"lan\"}" 2>&1)
case $c_as in
*act_as_denied*) pass "an officer's token may not act for another" ;;
*) fail "minh act_as lan: $c_as" ;;
esac

# ==== 3. The upstream link is cut for $outage s ====
# A real console on the relay too: its header says when it is stale.
printf '%s\n' local-lan-0123456789abcdef012 >"$tmp/lan-token"
chmod 600 "$tmp/lan-token"
console_start 160 40 --token-file "$tmp/lan-token" "$rurl"
wait_screen 15 'connected' || fail "the console did not connect to the relay"
kill $spid
wait $spid 2>/dev/null
spid=
wait_for 10 'at_relay local-lan-0123456789abcdef012 presence |
    grep -q "\"upstream\":\"down\""' &&
    pass "the relay's consoles are told the province is out of reach" ||
    fail "presence does not say upstream down"
wait_screen 10 'province out of reach.*stale since' &&
    pass "the console's header: province out of reach, stale since" ||
    { fail "the console's header does not say stale"; screen | head -3; }
c_off=$(at_relay local-minh-0123456789abcdef01 cmd note \
    "{\"alert\":\"$a_in\",\"text\":\"trong lúc mất mạng\"}" relay-minh-3)
case $c_off in
*relay_offline*rate_limited*|*rate_limited*relay_offline*)
	pass "a command meanwhile: relay_offline (rate_limited: retried)" ;;
*) fail "a command during the outage: $c_off" ;;
esac
t_cut=$(date +%s)
at_province "$t_lan" burst cut "$notes" note \
    "{\"alert\":\"$a_in\",\"text\":\"trong lúc đứt %n\"}" >"$tmp/burst-cut.out"
while [ $(($(date +%s) - t_cut)) -lt "$outage" ]; do
	sleep 0.5	# The outage itself: nothing to poll for.
done
proxy_start "$xport" || fail "tcp-stall did not come back"
wait_for 40 "at_relay local-lan-0123456789abcdef012 presence |
    grep -q '\"upstream\":\"up\"'" &&
    pass "the relay resumed after $outage s" ||
    fail "the relay did not come back"
wait_screen_gone 10 'out of reach' &&
    pass "the console's header is fresh again" ||
    fail "the console's header still says out of reach"
c_back=$(at_relay local-minh-0123456789abcdef01 cmd note \
    "{\"alert\":\"$a_in\",\"text\":\"trong lúc mất mạng\"}" relay-minh-3)
case $c_back in
*'"ok":true'*) pass "the refused command goes once the link is back" ;;
*) fail "after the outage: $c_back" ;;
esac
grep -q 'resumed after seq' "$tmp/be.err" &&
    pass "the relay resumed by seq (no snapshot)" ||
    fail "the relay did not resume by seq"

# Every console's digest equals the province's (the relay's scope).
pdig=$(at_province "$t_relay" digest)
for i in $(seq 1 "$consoles"); do
	eval "wait \$wpid$i"
	line=$(grep '^watch.digest' "$tmp/watch$i.out")
	case $line in
	"watch.digest equal (seq "*", ${pdig#* })")
		pass "console $i: digest equals the province's ($line)" ;;
	*) fail "console $i: $line; province ${pdig}" ;;
	esac
done
# ==== 4. The province hangs: the relay's beat watchdog ====
grep -q 'beats every' "$tmp/relay.err" &&
    pass "the relay asked the province for beats" ||
    fail "the relay's welcome says no beats"
t_stall=$(date +%s)
kill -USR1 "$spid"
if wait_for 15 "grep -q 'no beat' '$tmp/relay.err'"; then
	pass "the relay dropped the hung province after \
$(($(date +%s) - t_stall)) s (3 beats missed)"
else
	fail "the relay did not notice the hung province within 15 s"
fi
wait_for 10 'at_relay local-lan-0123456789abcdef012 presence |
    grep -q "\"upstream\":\"down\""' &&
    pass "the relay's consoles are told the province hangs" ||
    fail "presence does not say upstream down after the hang"
# The tunnel is mended: a new proxy on the same port (the held links go).
kill "$spid"
wait "$spid" 2>/dev/null
proxy_start "$xport" || fail "tcp-stall did not come back after the hang"
wait_for 40 "at_relay local-lan-0123456789abcdef012 presence |
    grep -q '\"upstream\":\"up\"'" &&
    pass "the relay resumed after the hang" ||
    fail "the relay did not come back after the hang"

if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" \
    "$tmp/relay.err" "$tmp/be.err"; then
	fail "sanitizer report"
	grep -E -A20 "AddressSanitizer|LeakSanitizer|runtime error" \
	    "$tmp/relay.err" "$tmp/be.err" | head -40
fi
console_quit
kill $rpid
wait $rpid && pass "the relay stopped cleanly" ||
    fail "the relay exited with $?"
rpid=
e2e_finish

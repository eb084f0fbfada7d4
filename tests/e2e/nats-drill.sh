#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# A drill over JetStream (docs/ha.md, "Drills"): two gateways with the
# same --drill (tests/data/nats-drill.json: three alerts at +0, +2 and
# +9 s) on one nats-server -js. Only the lease's holder (a) plays the
# timeline; a scripted trainee (tb-client with lan's token) acts on the
# other (b), and a trainer annotates there. The holder is killed with
# SIGKILL after the second inject: b takes the lease and plays the third,
# not the first two again; each inject is in the state once. b's report
# (SIGTERM) scores lan exactly as the same drill and the same actions on
# a local backend do, and holds the trainer's note.
#
# Usage: tests/e2e/nats-drill.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init nats-drill "$@"

nats_start n1
case $? in
0) ;;
2) fail "nats-server is not installed (scripts/deps.sh ha)"; e2e_finish ;;
*) exit 1 ;;
esac
printf 'lan-token-1234567890 lan operator *\n' >"$tmp/tokens"
printf 'thay-token-1234567890 thay trainer *\n' >>"$tmp/tokens"
chmod 600 "$tmp/tokens"
drill=$root/tests/data/nats-drill.json
common="--seed 7 --rate 0 --tokens $tmp/tokens --drill $drill --trainees hoa"

gw_start() {	# name, extra arguments...
	_gw=$1
	shift
	: >"$tmp/$_gw.out"
	# shellcheck disable=SC2086
	"$backend" --listen 127.0.0.1:0 --data "$data" $common "$@" \
	    >"$tmp/$_gw.out" 2>"$tmp/$_gw.err" &
	eval "pid_$_gw=\$!"
	e2e_on_cleanup "kill -9 \$pid_$_gw 2>/dev/null"
	wait_for 10 "grep -q '^trucban-backend: listening' '$tmp/$_gw.out'" ||
	    { fail "gateway $_gw did not start"; cat "$tmp/$_gw.err"; exit 1; }
	eval "url_$_gw=\$(sed -n \
	    's/^trucban-backend: listening on \(ws:.*\)$/\1/p' '$tmp/$_gw.out')"
}
lan() {		# url, tb-client arguments...
	_u=$1
	shift
	"$client" -t 15 -T lan-token-1234567890 "$_u" "$@"
}
# The drill's alert N's id at url, or nothing.
drill_id() {	# url, N
	lan "$1" snapshot | grep -o '"id":"A-[0-9]*","kind":"[a-z]*","severity":[0-9],"area":"[0-9]*","place":"[^"]*","source":"[a-z]*","title":"NATSDRILL-'"$2" |
	    sed 's/^"id":"\(A-[0-9]*\)".*/\1/'
}
ack() {		# url, N
	_id=$(drill_id "$1" "$2")
	lan "$1" cmd ack "{\"alert\":\"$_id\"}" | grep -q '"ok":true'
}
annotate() {	# url
	"$client" -t 15 -T thay-token-1234567890 "$1" cmd annotate \
	    '{"text":"Lan xác nhận nhanh"}' | grep -q '"ok":true'
}
# Each trainee's operator, score, expectations met and timed, by name.
scores() {	# report
	awk '
	/"met": true/ { met++ }
	/"after_s": [0-9]/ { timed++ }
	/"operator":/ { gsub(/[",]/, "", $2); who = $2 }
	/"score":/ { gsub(/,/, "", $2); printf "%s %s %d %d\n", who, $2, met, timed; met = 0; timed = 0 }
	' "$1" | sort
}
# The trainee's part, the same on both runs: ack 1, a trainer's note, ack
# 2; (the caller kills the holder;) ack 3.
act12() {	# url
	wait_for 10 "[ -n \"\$(drill_id $1 1)\" ]" && ack "$1" 1 &&
	    annotate "$1" &&
	    wait_for 10 "[ -n \"\$(drill_id $1 2)\" ]" && ack "$1" 2
}
act3() {	# url
	wait_for 20 "[ -n \"\$(drill_id $1 3)\" ]" && ack "$1" 3
}

gw_start a --nats "$nats_url_n1" --report "$tmp/rep-a.json"
wait_for 10 "grep -q 'holds the lease' '$tmp/a.err'" ||
    fail "gateway a does not hold the lease"
gw_start b --nats "$nats_url_n1" --report "$tmp/rep-b.json"
if grep -q 'follows the stream' "$tmp/b.err" &&
    wait_for 5 "grep -q 'drill e2e-nats .*joined' '$tmp/b.err'"; then
	pass "gateway b follows and joined the drill a started"
else
	fail "gateway b: $(grep -i 'drill\|lease' "$tmp/b.err" | tail -2)"
fi
# The trainer follows lan on b, where lan's commands are forwarded to
# the holder: each comes back to the trainer with its result.
"$client" -v -f lan -t 60 -T thay-token-1234567890 "$url_b" watch 60 \
    >"$tmp/follow.out" 2>&1 &
pid_follow=$!
e2e_on_cleanup "kill \$pid_follow 2>/dev/null"
wait_for 10 "grep -q '\"type\":\"snapshot\"' '$tmp/follow.out'" ||
    fail "the trainer's follow client did not connect"
act12 "$url_b" && pass "lan acked alerts 1 and 2 on the follower" ||
    fail "lan's first actions on the follower"
if wait_for 10 "[ \$(grep -c '\"type\":\"follow\".*\"cmd\":\"ack\".*\"ok\":true' \
    '$tmp/follow.out') -ge 2 ]"; then
	pass "the trainer on b saw lan's two forwarded acks with their results"
else
	fail "the trainer saw $(grep -c '"type":"follow"' "$tmp/follow.out") \
follow messages for lan's forwarded commands"
fi
if [ -n "$(drill_id "$url_b" 3)" ]; then
	fail "the third inject came before the kill: too slow to test"
fi
kill -9 "$pid_a"
wait "$pid_a" 2>/dev/null
t0=$(date +%s%N)
if wait_for 15 "grep -q 'holds the lease: applying' '$tmp/b.err'"; then
	pass "b took the lease in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	fail "b did not take the lease"
fi
act3 "$url_b" && pass "b played the third inject; lan acked it" ||
    fail "no third inject from b, or lan's ack refused"
once=0
for k in 1 2 3; do
	n=$(lan "$url_b" snapshot | grep -o "\"title\":\"NATSDRILL-$k:" |
	    wc -l)
	[ "$n" = 1 ] && once=$((once + 1))
done
played=$(grep -o 'drill e2e-nats: timeline\[[0-9]*\]' "$tmp/b.err" |
    tr '\n' ' ')
if [ "$once" = 3 ] && [ "$played" = "drill e2e-nats: timeline[2] " ]; then
	pass "each inject once: a played 1 and 2, b only 3"
else
	fail "injects: $once of 3 once; b played '$played'"
fi
kill "$pid_b"
wait "$pid_b" 2>/dev/null
[ -s "$tmp/rep-b.json" ] || fail "b wrote no report at SIGTERM"
got=$(scores "$tmp/rep-b.json")
echo "over JetStream: $got"

# The same drill and actions on a local backend: the same scores.
# shellcheck disable=SC2086
backend_start $common --report "$tmp/rep-l.json" || exit 1
act12 "$url" && act3 "$url" || fail "the local run's actions"
backend_stop
want=$(scores "$tmp/rep-l.json")
echo "local: $want"
if [ -n "$got" ] && [ "$got" = "$want" ] &&
    echo "$got" | grep -q '^lan 30 3 3$'; then
	pass "b's report scores lan as the local drill does (30, 3 met)"
else
	fail "scores over JetStream '$got', locally '$want'"
fi
if grep -q '"by": "thay"' "$tmp/rep-b.json" &&
    grep -q 'Lan xác nhận nhanh' "$tmp/rep-b.json"; then
	pass "the trainer's note, made through the dead holder, in b's report"
else
	fail "b's report lacks the trainer's note"
fi
if ! grep -Eq 'Sanitizer|runtime error' "$tmp/a.err" "$tmp/b.err" \
    "$tmp/be.err"; then
	pass "no sanitizer report from the backends"
else
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp"/*.err | head -20
fi
e2e_finish

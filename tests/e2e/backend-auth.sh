#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Who may do what: bearer tokens (HTTP 401 for a bad one, in tb-client and
# in the console), roles (an observer changes nothing), areas (an operator
# acts only in its areas; a scoped one sees only them, and its digest
# matches what it holds), presence, the inbound rate limit, the refusal to
# listen beyond loopback without tokens, and wss:// with a self-signed
# certificate (trusted with --ca, refused without).
#
# Usage: tests/e2e/backend-auth.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init backend-auth "$@"

# The first two areas of the dataset.
areas=$(sed -n '/"areas"/,/^  *\]/s/.*{"code": *"\([A-Za-z0-9_.-]*\)".*/\1/p' \
    "$data/province.json" | head -2)
a1=$(echo "$areas" | sed -n 1p)
a2=$(echo "$areas" | sed -n 2p)
if [ -z "$a1" ] || [ -z "$a2" ]; then
	echo "backend-auth: no areas in $data/province.json" >&2
	exit 1
fi

sup=sup-7d1c2b8e9f0a4c11
op=op-5e6f7a8b9c0d1e2f
obs=obs-0a1b2c3d4e5f6a7b
scoped=scoped-9f8e7d6c5b4a
cat >"$tmp/tokens" <<EOF
# token               name  role        areas
$sup  lan   supervisor  *
$op   minh  operator    $a1
$obs  thu   observer    *
$scoped hoa operator    $a1 scoped
EOF
chmod 600 "$tmp/tokens"
echo "$op" >"$tmp/op.token"
chmod 600 "$tmp/op.token"
echo "wrong-0000000000000000" >"$tmp/bad.token"
chmod 600 "$tmp/bad.token"

backend_start --tokens "$tmp/tokens" --rate 0 --client-rate 5 \
    --client-burst 10 || exit 1

# No token, a wrong one: HTTP 401, and tb-client says so (exit 3).
for t in none wrong; do
	if [ $t = none ]; then
		err=$("$client" -t 10 "$url" hello 2>&1 >/dev/null)
	else
		err=$("$client" -t 10 -T wrong-0000000000000000 "$url" hello \
		    2>&1 >/dev/null)
	fi
	rc=$?
	if [ $rc -eq 3 ] && echo "$err" | grep -q 'HTTP 401'; then
		pass "$t token: refused with 401 ($err)"
	else
		fail "$t token: exit $rc, '$err'"
	fi
done
if command -v curl >/dev/null 2>&1; then
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
	    -H 'Sec-WebSocket-Version: 13' \
	    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
	    -H 'Sec-WebSocket-Protocol: trucban.v1' \
	    -H 'Authorization: Bearer wrong-0000000000000000' \
	    "http://127.0.0.1:$port/")
	[ "$code" = 401 ] && pass "the handshake answers HTTP 401" ||
	    fail "the handshake answered HTTP $code"
fi

as() {	# token, tb-client arguments
	_as_t=$1
	shift
	"$client" -t 10 -T "$_as_t" "$url" "$@"
}

out=$(as "$sup" hello | head -1)
if echo "$out" | grep -q '"operator":"lan","role":"supervisor"'; then
	pass "a good token: welcome as lan, supervisor"
else
	fail "welcome: $out"
fi

# Two alerts, one in each area.
in1=$(as "$sup" cmd inject '{"kind":"alert","item":{"kind":"fire",
"severity":2,"area":"'"$a1"'","place":"X","source":"manual","title":"one"}}' |
    sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
in2=$(as "$sup" cmd inject '{"kind":"alert","item":{"kind":"fire",
"severity":2,"area":"'"$a2"'","place":"Y","source":"manual","title":"two"}}' |
    sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
[ -n "$in1" ] && [ -n "$in2" ] || fail "inject gave '$in1' '$in2'"

out=$(as "$obs" cmd ack "{\"alert\":\"$in1\"}")
if echo "$out" | grep -q '"code":"forbidden"'; then
	pass "observer: ack refused (forbidden)"
else
	fail "observer ack: $out"
fi
out=$(as "$op" cmd ack "{\"alert\":\"$in2\"}")
if echo "$out" | grep -q '"code":"forbidden"'; then
	pass "operator of $a1: ack in $a2 refused (forbidden)"
else
	fail "operator outside its area: $out"
fi
out=$(as "$op" cmd ack "{\"alert\":\"$in1\"}")
if echo "$out" | grep -q '"ok":true'; then
	pass "operator of $a1: ack in $a1"
else
	fail "operator in its area: $out"
fi
out=$(as "$op" cmd inject '{"kind":"alert","item":{"kind":"fire",
"severity":2,"area":"'"$a1"'","place":"X","source":"manual","title":"x"}}')
echo "$out" | grep -q '"code":"forbidden"' &&
    pass "operator: inject refused (forbidden)" ||
    fail "operator inject: $out"

# Area-scoped: only its area, and a digest that matches what it holds.
seen=$(as "$scoped" snapshot | grep -o '"area":"[^"]*"' | sort -u)
if [ "$seen" = "\"area\":\"$a1\"" ]; then
	pass "scoped operator sees only $a1"
else
	fail "scoped operator sees: $(echo "$seen" | tr '\n' ' ')"
fi
all=$(as "$sup" snapshot | grep -o '"area":"[^"]*"' | sort -u | wc -l)
[ "$all" -gt 1 ] || fail "the supervisor sees only $all area"
local_digest=$(as "$scoped" hello | sed -n 's/.* digest=\([0-9a-f]*\)$/\1/p')
server_digest=$(as "$scoped" digest | cut -d' ' -f2)
if [ -n "$local_digest" ] && [ "$local_digest" = "$server_digest" ]; then
	pass "scoped digest matches: $local_digest"
else
	fail "scoped digest: held $local_digest, backend $server_digest"
fi
out=$(as "$scoped" get alert "$in2")
echo "$out" | grep -q '"code":"forbidden"' &&
    pass "scoped operator: get in $a2 refused" ||
    fail "scoped get: $out"

# Presence: who is connected.
as "$op" -t 20 watch 10 >/dev/null 2>&1 &
wpid=$!
e2e_on_cleanup "kill $wpid 2>/dev/null"
if wait_for 10 'as "$sup" presence | grep -q "\"name\":\"minh\""'; then
	out=$(as "$sup" presence)
	if echo "$out" | grep -q '"name":"lan","role":"supervisor"'; then
		pass "presence: lan and minh"
	else
		fail "presence: $out"
	fi
else
	fail "presence never showed minh"
fi
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null

# The rate limit: bursts of 10, then 5 a second; sustained abuse closes.
# tb-client sends each message when the last is answered, so the requests
# must be cheap to answer to come faster than the rate: a get of a unit,
# not a digest, whose cost grows with the dataset.
unit=$(sed -n 's/.*"id": *"\(AMB-[^"]*\)".*/\1/p' "$data/province.json" |
    head -1)
get="{\"type\":\"get\",\"kind\":\"unit\",\"item\":\"$unit\",\"id\""
set --
i=0
while [ $i -lt 20 ]; do
	set -- "$@" "$get:\"r$i\"}"
	i=$((i + 1))
done
out=$(as "$sup" raw "$@")
if echo "$out" | grep -q '"code":"rate_limited"' &&
    echo "$out" | grep -q '"id":"r0","ok":true'; then
	pass "over the rate: rate_limited"
else
	fail "rate: $(echo "$out" | head -3)"
fi
i=0
while [ $i -lt 220 ]; do
	set -- "$@" "$get:\"a$i\"}"
	i=$((i + 1))
done
out=$("$client" -t 20 -T "$sup" -c "$url" raw "$@")
if echo "$out" | grep -q '^close 1008 too many messages'; then
	pass "sustained abuse: closed with 1008"
else
	fail "abuse: $(echo "$out" | tail -2)"
fi

# The console: a bad token is said and not retried; a good one works.
console_start 100 30 --token-file "$tmp/bad.token" "$url"
if wait_screen 10 'HTTP 401'; then
	pass "console: a refused token is shown"
else
	fail "console with a bad token: $(screen | tail -3)"
fi
n=$(grep -c 'refused (HTTP 401)' "$tmp/be.err")
sleep 1
if [ "$(grep -c 'refused (HTTP 401)' "$tmp/be.err")" = "$n" ]; then
	pass "console: no retry after the 401"
else
	fail "console: it retried after the 401"
fi
console_quit
console_start 100 30 --token-file "$tmp/op.token" "$url"
if wait_screen 10 'minh'; then
	pass "console: connected as minh"
else
	fail "console with a good token: $(screen | head -3)"
fi
console_quit

# Beyond loopback only with tokens.
err=$("$backend" --listen 0.0.0.0:0 --data "$data" 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q 'refusing to listen on 0.0.0.0'
then
	pass "beyond loopback without tokens: refused"
else
	fail "beyond loopback: exit $rc, $err"
fi
backend_stop || fail "the backend did not stop cleanly"
if grep -Eq 'Sanitizer|runtime error' "$tmp/be.err"; then
	fail "sanitizer report from the backend"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
fi

# TLS with a self-signed certificate.
if ! command -v openssl >/dev/null 2>&1; then
	fail "openssl is needed (scripts/deps.sh check installs it)"
	e2e_finish
fi
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -days 2 -keyout "$tmp/srv.key" -out "$tmp/srv.crt" \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1
then
	fail "openssl could not make a certificate"
	e2e_finish
fi
port=
backend_start --tokens "$tmp/tokens" --rate 0 --cert "$tmp/srv.crt" \
    --key "$tmp/srv.key" || exit 1
case $url in
wss://*) pass "TLS: listening on $url" ;;
*) fail "TLS: listening on $url" ;;
esac
out=$("$client" -t 10 -T "$sup" --ca "$tmp/srv.crt" "$url" digest)
if echo "$out" | grep -Eq '^[0-9]+ [0-9a-f]{16}$'; then
	pass "wss with --ca: $out"
else
	fail "wss with --ca: $out"
fi
"$client" -t 10 -T "$sup" "$url" digest >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && pass "wss without --ca: refused (exit 2)" ||
    fail "wss without --ca: exit $rc"
backend_stop || fail "the TLS backend did not stop cleanly"
if grep -Eq 'Sanitizer|runtime error' "$tmp/be.err"; then
	fail "sanitizer report from the backend"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
fi
e2e_finish

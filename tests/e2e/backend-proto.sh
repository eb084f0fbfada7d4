#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Protocol test of trucban-backend through tb-client: hello, ack, get,
# refusals, malformed and oversize messages, idempotent repeats, dispatch,
# a clean exit on SIGTERM.
#
# Usage: tests/e2e/backend-proto.sh BUILD_DIR   (e.g. build/san)
# Exits 0 when every check passes, else 1 with a line per failed check.

set -u

bin=${1:?usage: backend-proto.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
backend=$bin/trucban-backend
client=$bin/tools/tb-client
for f in "$backend" "$client"; do
	if [ ! -x "$f" ]; then
		echo "backend-proto: $f is missing; build it first" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/backend-proto.XXXXXX")
pid=
# shellcheck disable=SC2317  # Called by the trap.
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
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

# The shipped dataset, or the test fixture when it is not there.
data=$root/data/quangninh
if [ ! -f "$data/province.json" ]; then
	data=$tmp/data
	mkdir -p "$data"
	cp "$root/tests/data/be-province.json" "$data/province.json"
	cp "$root/tests/data/be-texts.json" "$data/texts.json"
fi

"$backend" --listen 127.0.0.1:0 --data "$data" --seed 1 --rate 5 \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!

# Wait for the listening line, with a deadline of 10 s.
url=
i=0
while [ $i -lt 100 ]; do
	url=$(sed -n 's/^trucban-backend: listening on \(ws:.*\)$/\1/p' \
	    "$tmp/out")
	[ -n "$url" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$url" ]; then
	echo "FAIL: the backend did not start"
	cat "$tmp/err"
	exit 1
fi
pass "backend listening on $url"

tb() {
	"$client" -t 10 "$url" "$@"
}

# hello: welcome and a snapshot.
out=$(tb hello)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '"type":"welcome"' &&
    echo "$out" | grep -q '^snapshot seq=[1-9][0-9]* alerts=[1-9]'; then
	pass "hello"
else
	fail "hello (rc $rc): $out"
fi

# first-alert: an alert in state new.
alert=$(tb first-alert)
if echo "$alert" | grep -q '^A-[0-9][0-9]*$'; then
	pass "first-alert $alert"
else
	fail "first-alert gave '$alert'"
	alert=A-0001
fi

# ack succeeds, and the backend's state shows it.
out=$(tb cmd ack "{\"alert\":\"$alert\"}" e2e-ack-1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '"ok":true'; then
	pass "ack $alert"
else
	fail "ack $alert (rc $rc): $out"
fi
out=$(tb get alert "$alert")
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '"state":"acknowledged"' &&
    echo "$out" | grep -q '"acked_by":"demo"'; then
	pass "get shows $alert acknowledged by demo"
else
	fail "get $alert (rc $rc): $out"
fi

# The same command id again: the same result, nothing applied twice.
first=$(tb cmd ack "{\"alert\":\"$alert\"}" e2e-ack-1)
again=$(tb cmd ack "{\"alert\":\"$alert\"}" e2e-ack-1)
if [ "$first" = "$again" ] && echo "$again" | grep -q '"ok":true'; then
	pass "repeated command id answered with the first result"
else
	fail "repeated id: '$first' then '$again'"
fi
# Another alert than the one acknowledged, or the payload is the same.
other=A-0002
[ "$alert" = A-0002 ] && other=A-0001
out=$(tb cmd ack "{\"alert\":\"$other\"}" e2e-ack-1)
if echo "$out" | grep -q '"code":"conflict"'; then
	pass "same id, other payload: conflict"
else
	fail "same id, other payload: $out"
fi

# ack again with a new id: bad_state.
out=$(tb cmd ack "{\"alert\":\"$alert\"}")
rc=$?
if [ $rc -eq 1 ] && echo "$out" | grep -q '"code":"bad_state"'; then
	pass "second ack refused with bad_state"
else
	fail "second ack (rc $rc): $out"
fi

# A stale version names both versions.
out=$(tb cmd ack "{\"alert\":\"$alert\",\"version\":1}")
if echo "$out" | grep -q '"code":"stale_version"' &&
    echo "$out" | grep -q 'version 1' && echo "$out" | grep -q 'version 2'; then
	pass "stale version refused"
else
	fail "stale version: $out"
fi

# dispatch an available unit.
unit=$(tb first-unit)
out=$(tb cmd dispatch "{\"alert\":\"$alert\",\"units\":[\"$unit\"]}")
rc=$?
ustate=$(tb get unit "$unit")
if [ $rc -eq 0 ] && echo "$ustate" | grep -q "\"alert\":\"$alert\"" &&
    echo "$ustate" | grep -Eq '"status":"(dispatched|en_route|on_scene)"'
then
	pass "dispatch $unit to $alert"
else
	fail "dispatch $unit (rc $rc): $out / $ustate"
fi

# Unknown items.
tb get alert A-9999 >/dev/null 2>&1
rc=$?
if [ $rc -eq 1 ]; then
	pass "get unknown alert: exit 1"
else
	fail "get unknown alert: exit $rc"
fi
out=$(tb cmd ack '{"alert":"A-9999"}')
if echo "$out" | grep -q '"code":"not_found"'; then
	pass "ack unknown: not_found"
else
	fail "ack unknown: $out"
fi

# Garbage: bad_message, and the connection still works after it.
out=$(tb raw '{"type":' '{"type":"digest","id":"d1"}')
if echo "$out" | sed -n 1p | grep -q '"code":"bad_message"' &&
    echo "$out" | sed -n 2p | grep -q '"id":"d1","ok":true'; then
	pass "garbage: bad_message, connection alive"
else
	fail "garbage: $out"
fi

# Oversize (300 KB): too_large, and the connection still works after it.
out=$(head -c 300000 /dev/zero | tr '\0' x | tb raw - \
    '{"type":"digest","id":"d2"}')
if echo "$out" | sed -n 1p | grep -q '"code":"too_large"' &&
    echo "$out" | sed -n 2p | grep -q '"id":"d2","ok":true'; then
	pass "300 KB message: too_large, connection alive"
else
	fail "oversize: $(echo "$out" | cut -c1-200)"
fi

# Before hello: not_ready; a wrong version: unsupported_version and close.
out=$("$client" -t 10 -n -c "$url" raw '{"type":"digest","id":"d3"}' \
    '{"type":"hello","proto":2}')
if echo "$out" | sed -n 1p | grep -q '"code":"not_ready"' &&
    echo "$out" | grep -q '"code":"unsupported_version"' &&
    echo "$out" | grep -q '^close 1002'; then
	pass "not_ready before hello; unsupported_version closes"
else
	fail "before hello / version: $out"
fi

# Resume: the missed events, none when up to date, a gap from the future.
seq=$(tb digest | cut -d' ' -f1)
out=$(tb -r 0 hello | tail -1)
n=$(echo "$out" | sed -n 's/^resume events=\([0-9]*\) snapshot=0 .*/\1/p')
if [ -n "$n" ] && [ "$n" -ge "$seq" ]; then
	pass "resume from 0: $n events"
else
	fail "resume from 0 (seq $seq): $out"
fi
out=$(tb -r $((seq + 100000)) hello | tail -1)
if echo "$out" | grep -q 'snapshot=1 gap=true'; then
	pass "resume from the future: snapshot with gap"
else
	fail "resume from the future: $out"
fi

# The digest answers with seq and 16 hex digits.
out=$(tb digest)
if echo "$out" | grep -Eq '^[0-9]+ [0-9a-f]{16}$'; then
	pass "digest $out"
else
	fail "digest: $out"
fi

# SIGTERM: a clean exit, status 0, nothing from the sanitizers.
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
if [ $rc -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error' "$tmp/err"; then
	pass "clean exit on SIGTERM"
else
	fail "exit on SIGTERM: status $rc"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/err" | head -20
fi

if [ $failed -ne 0 ]; then
	echo "backend-proto: $failed check(s) failed"
	exit 1
fi
echo "backend-proto: all checks passed"
exit 0

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: scripted use of the console binary. trucban -c and
# --script (a file, and "-" for stdin) against the real backend: one
# result line per command, exit 0 when all succeed, 1 when one is refused
# or wrong, 2 when there is no link within --timeout or the backend
# refuses the token. Against tests/tools/tb-liar, whose codes, messages
# and digest carry terminal escapes, stdout, stderr and the log file get
# none of them.
#
# Usage: tests/e2e/dispatch-script.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"

e2e_init dispatch-script "$@"
backend_start --seed 7 --rate 0 || exit 1
id=$(tb first-alert)

tc() {
	env XDG_STATE_HOME="$tmp/state" "$console" --log "$tmp/c.log" "$@" \
	    2>>"$tmp/c.err"
}

got=$(tc -c "ack $id" "$url")
rc=$?
if [ "$rc" = 0 ] && [ "$got" = "ok ack $id" ]; then
	pass "-c 'ack $id': ok, exit 0"
else
	fail "-c 'ack $id': exit $rc, '$got'"
fi
got=$(tc -c "ack $id; note $id 'Hạ Long'" "$url")
rc=$?
if [ "$rc" = 1 ] && echo "$got" | head -1 |
    grep -q "^error bad_state ack $id: " &&
    [ "$(echo "$got" | tail -1)" = "ok note $id" ]; then
	pass "a refused command: its code and reason, exit 1"
else
	fail "refused: exit $rc, '$got'"
fi
printf '# drill\nnote %s "từ tệp"\n\ndigest\n' "$id" >"$tmp/drill"
got=$(tc --script "$tmp/drill" "$url")
rc=$?
if [ "$rc" = 0 ] && echo "$got" | grep -q "^ok note $id$" &&
    echo "$got" | grep -Eq '^ok digest [0-9a-f]{16} \(seq [0-9]+\)$'; then
	pass "--script FILE: ok, exit 0"
else
	fail "--script FILE: exit $rc, '$got'"
fi
got=$(echo "ack NOPE" | tc --script - "$url")
rc=$?
if [ "$rc" = 1 ] && [ "$got" = "error local: ack: no such alert: NOPE" ]
then
	pass "--script -: a local error, exit 1"
else
	fail "--script -: exit $rc, '$got'"
fi
if tb get alert "$id" | grep -q "từ tệp"; then
	pass "backend has the note from the file"
else
	fail "backend has no note from the file"
fi
# A backend that wants a token: refused without it, served with it.
backend_stop
printf 'sesame-1234567890 anh operator *\n' >"$tmp/tokens"
printf 'sesame-1234567890\n' >"$tmp/token"
chmod 600 "$tmp/tokens" "$tmp/token"
backend_start --seed 7 --rate 0 --tokens "$tmp/tokens" || exit 1
got=$(tc -c digest "$url")
rc=$?
if [ "$rc" = 2 ] && echo "$got" | grep -q "^error unauthorized: "; then
	pass "no token: error unauthorized, exit 2"
else
	fail "no token: exit $rc, '$got'"
fi
got=$(tc --token-file "$tmp/token" -c digest "$url")
rc=$?
if [ "$rc" = 0 ] && echo "$got" | grep -q "^ok digest "; then
	pass "--token-file: served"
else
	fail "--token-file: exit $rc, '$got'"
fi
backend_stop
got=$(tc --timeout 1 -c "ack $id" "$url")
rc=$?
if [ "$rc" = 2 ] && echo "$got" | grep -q "^error offline: no link"; then
	pass "no backend: error offline, exit 2"
else
	fail "no backend: exit $rc, '$got'"
fi
# A backend whose codes, messages and digest carry terminal escapes
# (tests/tools/tb-liar): nothing of them reaches stdout, stderr or the log.
"$bin/tools/tb-liar" >"$tmp/liar.out" 2>>"$tmp/liar.err" &
lpid=$!
e2e_on_cleanup 'kill $lpid 2>/dev/null; wait $lpid 2>/dev/null'
liar_url() {
	lurl=$(sed -n 's/^tb-liar: listening on \(ws:.*\)$/\1/p' "$tmp/liar.out")
	[ -n "$lurl" ]
}
# Fails when file $1 holds an ESC, another C0 control but the newline, DEL,
# a C1 control or a bidi control (as bytes).
clean_bytes() {
	! od -An -v -tx1 "$1" | tr -s ' \n' '  ' | grep -Eq \
	    ' (0[0-9b-f]|1[0-9a-f]|7f)( |$)| c2 [89][0-9a-f]| e2 80 (a[a-e]|8[ef])| e2 81 a[6-9]| d8 9c'
}
if wait_for 10 liar_url; then
	: >"$tmp/c.log"
	: >"$tmp/liar-c.err"
	env XDG_STATE_HOME="$tmp/state" "$console" --log "$tmp/c.log" \
	    -c "ack A-0001; digest" "$lurl" >"$tmp/liar-c.out" \
	    2>"$tmp/liar-c.err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q '^error bad_stateREDRLO ack A-0001: ' \
	    "$tmp/liar-c.out" && grep -q '^error digest_differs digest: ' \
	    "$tmp/liar-c.out"; then
		pass "hostile backend: its codes and messages printed, exit 1"
	else
		fail "hostile backend: exit $rc, '$(cat -v "$tmp/liar-c.out")'"
	fi
	for f in liar-c.out liar-c.err c.log; do
		if clean_bytes "$tmp/$f"; then
			pass "hostile backend: $f has no ESC, C1 or bidi control"
		else
			fail "hostile backend: escapes in $f:"
			cat -v "$tmp/$f" | head -20
		fi
	done
	if grep -q 'not JSON' "$tmp/c.log" &&
	    grep -q 'unknown message type' "$tmp/c.log" &&
	    grep -q 'result .*bad_state' "$tmp/c.log"; then
		pass "hostile backend: the log has its lines, sanitised"
	else
		fail "hostile backend: lines missing from the log"
		cat -v "$tmp/c.log" | tail -20
	fi
	cat "$tmp/liar-c.err" >>"$tmp/c.err"
else
	fail "tb-liar did not start"
	cat "$tmp/liar.err"
fi

if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/c.err"
then
	fail "sanitizer report"
	cat "$tmp/c.err"
else
	pass "no sanitizer report"
fi
e2e_finish

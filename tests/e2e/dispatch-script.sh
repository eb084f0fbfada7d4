#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: scripted use of the console binary. trucban -c and
# --script (a file, and "-" for stdin) against the real backend: one
# result line per command, exit 0 when all succeed, 1 when one is refused
# or wrong, 2 when there is no link within --timeout or the backend
# refuses the token.
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
if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/c.err"
then
	fail "sanitizer report"
	cat "$tmp/c.err"
else
	pass "no sanitizer report"
fi
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: retention. The real backend with a 3-second window
# (--retention 0.05) and a state directory, the real console under tmux.
# A feedback case the console shows, returned, leaves the live state: the
# console drops it from its replica, whose digest stays the backend's;
# ":archive" lists it, and so does an archive query; a restart does not
# bring it back and keeps it in the archive. Every wait polls with a
# deadline.
#
# Usage: tests/e2e/backend-retain.sh BUILD_DIR   (e.g. build/san)
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init backend-retain "$@"

state=$tmp/be-state
if backend_start --seed 7 --rate 0 --retention 0.05 --state "$state"
then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	exit 1
fi

console_start 100 30 "$url"
if wait_for 10 'screen | grep -Eq "A-[0-9]+"'; then
	pass "the console shows the state"
else
	fail "the console shows no state"
	screen
fi

# A case with a word no other has, found by the panel's search.
res=$(tb cmd inject '{"kind":"feedback","item":{"channel":"app",
    "area":"06673","category":"environment","text":"Khoibuiretain mù mịt"}}')
case_id=$(echo "$res" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
if [ -n "$case_id" ]; then
	pass "case $case_id injected"
else
	fail "inject: $res"
	tail -5 "$tmp/be.err"
	exit 1
fi
console_cmd "focus feedback"
console_cmd "search khoibuiretain"
if wait_for 10 "screen | grep -q '$case_id'"; then
	pass "the console shows $case_id"
else
	fail "the console does not show $case_id"
	screen
fi

if tb cmd return "{\"case\":\"$case_id\",\"reason\":\"không thuộc thẩm quyền\"}" |
    grep -q '"ok":true'; then
	pass "case $case_id returned"
else
	fail "case $case_id not returned"
fi

# Three seconds after, at the next pass (at most a second later), it goes.
if wait_for 15 "grep -q 'retention: 1 item archived' '$tmp/be.err' \
    $tmp/be.log 2>/dev/null || ! tb get feedback $case_id >/dev/null"; then
	pass "the backend took $case_id out of the live state"
else
	fail "$case_id is still live: $(tb get feedback "$case_id")"
fi
# Finished work is not in the panels; what the console holds shows in
# its digest, which would differ had it kept the case.
console_cmd "search"
cd_=$(console_digest)
bd=$(backend_digest)
if [ -n "$cd_" ] && [ "$cd_" = "$bd" ]; then
	pass "console digest = backend digest ($cd_)"
else
	fail "digests differ: console \"$cd_\", backend \"$bd\""
fi

# The officer asks for the archive.
console_cmd "archive feedback"
if wait_for 10 "screen | grep -q '$case_id .*returned'"; then
	pass ":archive feedback lists $case_id, returned"
else
	fail ":archive feedback does not list $case_id"
	screen
fi
tm send-keys -t console q
page=$(tb raw '{"type":"archive","id":"q1","kind":"feedback"}')
if echo "$page" | grep -q "\"id\":\"$case_id\""; then
	pass "an archive query pages $case_id"
else
	fail "archive query: $page"
fi
page=$(tb raw '{"type":"archive","id":"q2","cursor":"x"}')
if echo "$page" | grep -q '"ok":false'; then
	pass "a bad cursor is refused"
else
	fail "a bad cursor: $page"
fi

# A restart: still gone, still archived.
console_quit
backend_stop
if backend_start --seed 7 --rate 0 --retention 0.05 --state "$state"; then
	pass "backend restarted"
else
	fail "the backend did not restart"
	exit 1
fi
if ! tb get feedback "$case_id" >/dev/null; then
	pass "$case_id is not live after the restart"
else
	fail "$case_id came back after the restart"
fi
page=$(tb raw '{"type":"archive","id":"q3","kind":"feedback"}')
if echo "$page" | grep -q "\"id\":\"$case_id\""; then
	pass "the archive keeps $case_id after the restart"
else
	fail "archive after the restart: $page"
fi
backend_stop
if grep -Eq 'Sanitizer|runtime error' "$tmp/be.err"; then
	fail "sanitizer report from the backend"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" | head -20
else
	pass "no sanitizer report from the backend"
fi

e2e_finish

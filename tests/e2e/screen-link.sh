#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the link lost and found again, on the real console under
# tmux. The backend (with a journal) is stopped: the console shows
# "offline" and "stale since hh:mm:ss" in the header and the panels. It
# comes back on the same port and changes things before the console is
# back: the console resumes, catches up, and its digest (":digest", which
# compares itself with the backend's) matches tb-client's. Then a fresh
# backend without the journal: the console's seq is from the future, it
# gets a snapshot with a gap marker, says so, and matches again.
#
# Usage: tests/e2e/screen-link.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-link "$@"

state=$tmp/be-state
mkdir -p "$state"
if ! backend_start --seed 9 --rate 0 --state "$state"; then
	fail "the backend did not start"
	exit 1
fi
console_start 100 30 "$url"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "connected, rows on screen"
else
	fail "not connected"
	screen
	e2e_finish
fi

id=$(tb first-alert)
tb cmd ack "{\"alert\":\"$id\"}" >/dev/null
if wait_screen 5 "$id"; then
	pass "an alert acknowledged through the backend ($id)"
fi

# Link lost.
backend_stop
if wait_screen 10 'offline|reconnecting'; then
	pass "header: the link is down"
else
	fail "the header does not show the link down"
	screen | head -2
fi
if wait_screen 5 'stale since [0-9]{2}:[0-9]{2}:[0-9]{2}' &&
    screen | grep -Eq 'Hospitals \([0-9]+\) · stale [0-9:]{8}'; then
	pass "stale since hh:mm:ss, in the header and the panels"
else
	fail "no stale marks"
	screen | head -3
fi
before=$(screen | grep -c 'A-[0-9]')

# Back, with the journal, on the same port; changes before we are back.
if backend_start --seed 9 --rate 0 --state "$state"; then
	pass "backend restarted on port $port"
else
	fail "the backend did not restart"
	e2e_finish
fi
tb cmd inject '{"kind":"alert","item":{"kind":"fire","severity":4,"area":"06673","place":"Bãi Cháy","source":"manual","title":"Cháy chợ Hạ Long (drill)"}}' \
    >/dev/null
tb cmd inject '{"kind":"feedback","item":{"channel":"hotline","area":"06793","category":"water","text":"Mất nước ở Cẩm Phả từ sáng"}}' \
    >/dev/null
if wait_screen 20 'connected' && wait_screen_gone 10 'stale since'; then
	pass "reconnected, no longer stale"
else
	fail "did not reconnect"
	screen | head -2
fi
if wait_screen 10 'Cháy chợ Hạ Long' && wait_screen 5 'Mất nước ở Cẩm'; then
	pass "caught up: the changes made while offline are on screen"
else
	fail "did not catch up"
	screen
fi
ours=$(console_digest)
theirs=$(backend_digest)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
	pass "digest after resume equals the backend's ($ours)"
else
	fail "digest after resume: console '$ours', backend '$theirs'"
	screen | tail -3
fi
if screen | grep -q 'events were lost'; then
	fail "a resume with the journal should not lose events"
fi

# A fresh backend: everything the console held is from a future.
backend_stop
wait_screen 10 'offline|reconnecting' >/dev/null
rm -rf "$state"
mkdir -p "$state"
if ! backend_start --seed 9 --rate 0 --state "$state"; then
	fail "the fresh backend did not start"
	e2e_finish
fi
if wait_screen 20 'connected' && wait_screen 10 'events were lost'; then
	pass "gap: a new snapshot, and the console says events were lost"
else
	fail "no gap message after a fresh backend"
	screen | tail -3
fi
if wait_screen_gone 10 'Cháy chợ Hạ Long'; then
	pass "gap: the snapshot replaced what the console held"
else
	fail "gap: old rows still on screen"
fi
ours=$(console_digest)
theirs=$(backend_digest)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
	pass "digest after the gap equals the backend's ($ours)"
else
	fail "digest after the gap: console '$ours', backend '$theirs'"
fi

console_quit
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a recording replayed in the real console under tmux, the
# trainee at the keys, with no backend and no network.
#
# A live session is recorded first (a busy province, --rate 20; the
# officer acknowledges A-0001 and puts a mark in). Then, with the backend
# gone, the console replays it under strace and --asciicast: the REPLAY
# banner and the progress bar, the replay's keys (Space pauses, ? lists
# them), seeking, the trainee's command answered by the sandbox, :score,
# the end with the score shown and written. The replay opened no socket;
# the asciicast is a valid v2 that asciinema plays.
#
# Usage: tests/e2e/replay-screen.sh BUILD_DIR   (e.g. build/san)

set -u

. "$(dirname "$0")/lib.sh"
e2e_init replay-screen "$@"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
rec=$tmp/shift.rec
cast=$tmp/shift.cast
for t in strace asciinema; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "replay-screen: $t is needed (scripts/deps.sh check)" >&2
		exit 1
	fi
done

# The live session. The colleagues are off: the initial alerts are made
# up to 150 minutes old, and by the night's deadlines a colleague would
# have taken A-0001 before the officer could (after midnight, province
# time, the test failed so).
if backend_start --seed 7 --rate 20 --colleagues off; then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	exit 1
fi
console_start 100 30 --record "$rec" "$url"
if wait_screen 15 'A-0008'; then
	pass "live: the console shows the province"
else
	fail "live: no alerts: $(screen | head -3)"
fi
console_cmd "ack A-0001"
wait_screen 10 '✓ ack A-0001' || fail "live: no ack: $(screen | tail -2)"
console_cmd "mark sau khi xác nhận"
wait_screen 5 'a mark in the recording' || fail "live: no mark"
# Some seconds of the province's life, counted in its events.
wait_for 20 "[ \$(grep -c '\"type\":\"event\"' $rec) -gt 60 ]" ||
    fail "live: few events recorded"
console_quit
backend_stop
tm kill-server 2>/dev/null

# No backend, no network: a replay under strace opens no socket
# (without LeakSanitizer, which cannot run under ptrace).
trucban=$console
asan=${ASAN_OPTIONS:-detect_leaks=1}
console="strace -f -qq -e trace=socket,connect -o $tmp/strace.out $console"
export ASAN_OPTIONS=detect_leaks=0
console_start 100 30 --replay "$rec"
wait_screen 10 'REPLAY' || fail "under strace: $(screen | head -2)"
console_cmd "ack A-0001"
wait_screen 5 '✓ ack A-0001' || fail "under strace: $(screen | tail -2)"
console_quit
if [ -f "$tmp/strace.out" ] && ! grep -Eq 'socket\(|connect\(' \
    "$tmp/strace.out"; then
	pass "the replay opened no socket (strace -f)"
else
	fail "sockets: $(grep -E 'socket\(|connect\(' "$tmp/strace.out" |
	    head -3)"
fi
console=$trucban
export ASAN_OPTIONS="$asan"

# The replay, the trainee at the keys.
console_start 100 30 --replay "$rec" --asciicast "$cast" \
    --score-json "$tmp/score.json"
if wait_screen 10 'REPLAY +▶ 1×'; then
	pass "the REPLAY banner, playing at 1×"
else
	fail "no banner: $(screen | head -2)"
fi
if screen | head -1 | grep -Eq '[━─]{10} [0-9]+%'; then
	pass "the progress bar"
else
	fail "no progress bar: $(screen | head -1)"
fi
tm send-keys -t console Space
if wait_screen 5 'REPLAY +‖'; then
	pass "Space pauses"
else
	fail "Space: $(screen | head -1)"
fi
tm send-keys -t console '?'
wait_screen 5 'Focus the next panel'
# The keys, then the legend of the glyphs: page on to the replay's keys.
_n=0
while [ $_n -lt 10 ] &&
    ! wait_screen 1 'Pause the replay, or play on \(Replay\)'; do
	tm send-keys -t console PgDn
	_n=$((_n + 1))
done
if wait_screen 5 'Pause the replay, or play on \(Replay\)'; then
	pass "? lists the replay's keys"
else
	fail "?: $(screen | head -12)"
fi
tm send-keys -t console Escape
console_cmd "replay seek 50%"
if wait_screen 5 'REPLAY +‖ [━─]{10} 50%'; then
	pass ":replay seek 50%"
else
	fail "seek: $(screen | head -1)"
fi
tm send-keys -t console '{'
if wait_screen 5 'replay: to '; then
	pass "{ goes back to the mark"
else
	fail "{: $(screen | tail -2)"
fi
# The officer acknowledged A-0001: held back, the trainee does it.
if screen | grep -Eq 'A-0001 .* new '; then
	pass "the officer's ack is held back"
else
	fail "A-0001: $(screen | grep 'A-0001')"
fi
console_cmd "ack A-0001"
if wait_screen 5 '✓ ack A-0001'; then
	pass "the trainee's ack, answered by the sandbox"
else
	fail "trainee ack: $(screen | tail -2)"
fi
console_cmd "score"
if wait_screen 5 'Your score against demo'; then
	pass ":score"
else
	fail ":score: $(screen | head -12)"
fi
tm send-keys -t console Escape
tm send-keys -t console '>'
tm send-keys -t console '>'
tm send-keys -t console Space
if wait_screen 5 'REPLAY +▶ 4×'; then
	pass "> > plays at 4×"
else
	fail "speed: $(screen | head -1)"
fi
console_cmd "replay speed max"
if wait_screen 20 'matched 1, missed 0, extra 0'; then
	pass "the end: the score is shown"
else
	fail "the end: $(screen | head -12)"
fi
tm send-keys -t console Escape
console_quit
if [ -s "$tmp/score.json" ] && grep -q '"matched": 1,' "$tmp/score.json" &&
    grep -q '"complete": true' "$tmp/score.json"; then
	pass "--score-json written at the end"
else
	fail "score.json: $(head -c 400 "$tmp/score.json" 2>/dev/null)"
fi

# The asciicast: valid v2, and asciinema plays it.
if "$bin/tools/cast-check" "$cast" >"$tmp/cast.out" 2>&1; then
	pass "the asciicast is valid v2: $(cat "$tmp/cast.out")"
else
	fail "asciicast: $(cat "$tmp/cast.out")"
fi
if "$bin/tools/cast-check" -o "$cast" | grep -q 'REPLAY'; then
	pass "the asciicast shows the REPLAY banner"
else
	fail "the asciicast does not show the banner"
fi
tm new-session -d -s play -x 100 -y 30 "asciinema play -i 0.1 -s 50 \
    $cast 2>$tmp/play.err; echo \$? >$tmp/play.status; sleep 30"
if wait_for 30 "[ -s $tmp/play.status ]" &&
    [ "$(cat "$tmp/play.status")" = 0 ] &&
    screen play | head -1 | grep -q 'REPLAY'; then
	pass "asciinema play plays it"
else
	fail "asciinema play: $(cat "$tmp/play.status" "$tmp/play.err" \
	    2>/dev/null | tail -3)"
fi

e2e_finish

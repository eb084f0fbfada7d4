#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a citizen's feedback full of terminal escapes, injected
# through the backend (tb-client cmd inject), shown on the real console
# under tmux. The text must be inert: it shows as plain text; the
# terminal's title, colours, character set and clipboard are untouched;
# nothing is cleared, reset or moved; columns still line up. Also in the
# detail view, which shows the whole text.
#
# Usage: tests/e2e/screen-hostile.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-hostile "$@"

if ! backend_start --seed 4 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
console_start 120 30 "$url"
if wait_screen 10 'Feedback \([1-9][0-9]*\)' && wait_screen 5 'demo \('
then
	pass "console up"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

title0=$(tm display -p -t console '#{pane_title}')
# The colours and attributes (SGR sequences) of the header line.
head_sgr() {
	tm capture-pane -e -p -t console | sed -n 1p |
	    grep -o "$(printf '\033')\[[0-9;]*m" | tr '\n' ' '
}
head0=$(head_sgr)

# OSC 0 and 2 (title), OSC 52 (clipboard), OSC 8 (link), CSI colours,
# clear screen, cursor moves, RIS, DEC alignment test, the line-drawing
# character set, C1 CSI, bidi override, CR and BS, a NUL-free JSON.
evil='EVIL1 \u001b]0;PWNED\u0007\u001b]2;PWNED2\u001b\\ \u001b[41;37mRED\u001b[0m'
evil="$evil"' \u001b]52;c;SGVsbG8=\u0007\u001b]8;;http://x.example/\u0007'
evil="$evil"'LINK\u001b]8;;\u0007 \u001b[2J\u001b[H\u001b[10;10H\u001bc'
evil="$evil"'\u001b#8\u001b(0qqqq\u001b(B \u009b31mC1 \u202eRLO\u202c'
evil="$evil"' a\rb\bc EVIL2'
out=$(tb cmd inject \
    "{\"kind\":\"feedback\",\"item\":{\"channel\":\"app\",\"area\":\"06685\",\"category\":\"power\",\"text\":\"$evil\"}}")
case $out in
*'"ok":true'*)
	pass "hostile feedback injected" ;;
*)
	fail "inject refused: $out"
	e2e_finish ;;
esac

if wait_screen 10 'EVIL1'; then
	pass "the hostile case is on screen"
else
	fail "the hostile case is not on screen"
	screen
fi
row=$(screen | grep 'EVIL1' | head -1)
if echo "$row" | grep -q 'PWNED'; then
	fail "the OSC title text leaked: $row"
else
	pass "no OSC text on the row"
fi
if [ "$(tm display -p -t console '#{pane_title}')" = "$title0" ]; then
	pass "the terminal title is unchanged"
else
	fail "the title changed to '$(tm display -p -t console \
	    '#{pane_title}')'"
fi
head1=$(head_sgr)
if [ "$head0" = "$head1" ]; then
	pass "the header's colours are unchanged"
else
	fail "the header's colours changed: $(printf '%s' "$head0" |
	    cat -v) then $(printf '%s' "$head1" | cat -v)"
fi
erow=$(tm capture-pane -e -p -t console | grep 'EVIL1' | head -1)
if printf '%s' "$erow" | grep -q "$(printf '\033')\[[0-9;]*41[;m]"; then
	fail "a red background reached the screen"
else
	pass "no colour from the text"
fi
# Nothing cleared, nothing reset: the other panels are still there.
if screen | grep -q 'Alerts (' && screen | grep -q 'Hospitals (' &&
    screen | grep -q 'Schools ('; then
	pass "nothing was cleared"
else
	fail "panels gone"
	screen
fi
# The right border of the Feedback panel is still in its column.
if [ "$(screen | grep 'EVIL1' | head -1 | tail -c 4)" = "│" ]; then
	pass "the row ends at the border: columns line up"
else
	fail "the row's end: $(screen | grep 'EVIL1' | tail -c 20)"
fi

# The detail: the whole text, still inert.
tm send-keys -t console 4
console_cmd "search evil1"
tm send-keys -t console Enter
if wait_screen 5 'EVIL2' && wait_screen 5 'History'; then
	pass "detail: the whole text"
else
	fail "no detail of the hostile case"
	screen
fi
if screen | grep -q 'qqqq' && ! screen | grep -q 'PWNED' &&
    ! screen | grep -q 'EEEEEEEEEE'; then
	pass "detail: no character set switch, no alignment test, no title"
else
	fail "detail: escapes took effect"
	screen
fi
if [ "$(tm display -p -t console '#{pane_title}')" = "$title0" ]; then
	pass "the title is still unchanged"
else
	fail "the title changed"
fi
# The backend keeps the raw bytes and the console the sanitised text, yet
# both hash the displayed form (docs/protocol.md §4), so they agree.
tm send-keys -t console Escape
wait_screen_gone 5 'History' || fail "the detail did not close"
ours=$(console_digest)
theirs=$(backend_digest)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
	pass "digest with hostile text equals the backend's ($ours)"
else
	fail "digest with hostile text: console '$ours', backend '$theirs'"
	screen | tail -4
fi
console_quit
e2e_finish

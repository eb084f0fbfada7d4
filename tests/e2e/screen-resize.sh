#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: a storm of terminal sizes, down to 20x6 and up to 200x50,
# against the real console under tmux. The console must survive every
# size, show the "too small" message below 40x10, one panel with tabs
# below 80x20, and keep the selected row (the real cursor stays on it)
# and the focus through it all.
#
# Usage: tests/e2e/screen-resize.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-resize "$@"

if ! backend_start --seed 11 --rate 2; then
	fail "the backend did not start"
	exit 1
fi
console_start 80 24 "$url"
if wait_screen 10 'A-[0-9]+'; then
	pass "alert rows on screen"
else
	fail "no alert rows"
	screen
	e2e_finish
fi

# The id on the row the terminal's cursor is on.
cursor_id() {
	_cy=$(tm display -p -t console '#{cursor_y}')
	screen | sed -n "$((_cy + 1))p" | grep -Eo '[A-Z]+-[0-9]{4}' | head -1
}

# Select the third alert (screen line 5: header, border, column names,
# two rows); remember it once the keys have all been taken.
tm send-keys -t console g j j
if wait_for 5 '[ "$(tm display -p -t console "#{cursor_y}")" = 5 ]' &&
    [ -n "$(cursor_id)" ]; then
	sel=$(cursor_id)
	pass "cursor on the selected row ($sel)"
else
	fail "the cursor is not on a row with an id"
	sel=
fi

# The storm: many sizes, quickly, without waiting for frames.
for size in 20x6 200x50 79x19 40x10 39x9 120x30 21x7 160x36 159x35 \
    60x20 30x8 100x40 80x24 45x12 200x50 20x6 81x25 80x24; do
	tm resize-window -t console -x "${size%x*}" -y "${size#*x}"
done
tm resize-window -t console -x 20 -y 6
if wait_screen 5 'too small'; then
	pass "20x6: the too-small message"
else
	fail "20x6: no too-small message"
	screen
fi
tm resize-window -t console -x 60 -y 20
if wait_screen 5 '1 Alerts.*2 Hospitals' && ! screen | grep -q 'too small'
then
	pass "60x20: one panel and a tab bar"
else
	fail "60x20: no tab bar"
	screen
fi
tm resize-window -t console -x 200 -y 50
if wait_screen 5 'Alerts \([0-9]+\).*Hospitals'; then
	pass "200x50: the wide layout"
else
	fail "200x50: not the wide layout"
	screen
fi
tm resize-window -t console -x 80 -y 24
if wait_screen 5 'Alerts \([0-9]+\).*Hospitals \([0-9]+\)'; then
	pass "80x24: back to the grid"
else
	fail "80x24: not the grid"
	screen
fi
if [ -n "$sel" ] && wait_for 5 '[ "$(cursor_id)" = "$sel" ]'; then
	pass "the selection survived the storm ($sel, under the cursor)"
else
	fail "selection lost: had $sel, cursor on '$(cursor_id)'"
	screen
fi

# Still alive and working: a command goes through.
console_cmd "search zzzz-nothing"
if wait_screen 5 '\(no match\)'; then
	pass "the console still takes commands"
else
	fail "no answer to a command after the storm"
fi
console_cmd "search"
console_quit
e2e_finish

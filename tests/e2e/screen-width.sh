#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: citizens' emoji at 80x24, through the real backend and the
# real console under tmux, whose grid is what a terminal would show (tmux
# asks the same C library for widths as ncurses does). Two feedback cases
# and two alerts are injected: one with ⌚⚡✅❌⭐🀄 (two columns each)
# and 〿🌡 (one each), one with the same text but "WW" for each emoji.
# Their rows must look the same from the emoji on: the text cut at the
# same column, the columns after it where they belong, the border in
# place. Also in the detail view, which wraps the whole text.
#
# Usage: tests/e2e/screen-width.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-width "$@"

if ! backend_start --seed 4 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
console_start 80 24 "$url"
if wait_screen 10 'Feedback \([1-9][0-9]*\)' && wait_screen 5 'demo \('
then
	pass "console up at 80x24"
else
	fail "console did not come up"
	screen
	e2e_finish
fi

emoji='⌚⚡✅❌⭐🀄'
ww='WWWWWWWWWWWW'
rest=' mất điện 〿🌡 khu 5 Hồng Hà 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17'
# Then 42 emoji in a row (84 columns): the detail view must cut them.
long="$emoji$emoji$emoji$emoji$emoji$emoji$emoji"
inject() {	# kind, marker, text
	if [ "$1" = feedback ]; then
		item="{\"channel\":\"app\",\"area\":\"06673\",\"category\":\"power\",\"text\":\"$2 $3\"}"
	else
		item="{\"kind\":\"flood\",\"severity\":4,\"area\":\"06673\",\"place\":\"x\",\"source\":\"citizen\",\"title\":\"$2 $3\"}"
	fi
	case $(tb cmd inject "{\"kind\":\"$1\",\"item\":$item}") in
	*'"ok":true'*)
		return 0 ;;
	esac
	return 1
}
if inject feedback EMJ "$emoji$rest $long" &&
    inject feedback TWN "$ww$rest $long" &&
    inject alert EMJ "$emoji$rest" && inject alert TWN "$ww$rest"; then
	pass "emoji feedback and alerts injected"
else
	fail "inject refused"
	e2e_finish
fi

# What follows marker $1 on its line of the pane, up to the panel's right
# border, with each emoji spelled "WW".
tail_of() {
	screen | grep -- "$1" | head -1 | sed "s/.*$1//; s/│.*/│/" |
	    sed 's/[⌚⚡✅❌⭐🀄]/WW/g; s/[0-9]/N/g'
}
# Checks that the rows of the two markers agree ($1 names the panel).
same_rows() {
	e=$(tail_of EMJ)
	w=$(tail_of TWN)
	if [ -n "$e" ] && [ "$e" = "$w" ]; then
		pass "$1: the emoji row is laid out as its twin ('$e')"
	else
		fail "$1: emoji '$e', twin '$w'"
		screen
	fi
}
# Every line of the pane is 80 columns or fewer.
check_widths() {
	if screen | while IFS= read -r line; do
		[ "$(printf '%s' "$line" | wc -L)" -le 80 ] || exit 1
	done; then
		pass "$1: no line is wider than the terminal"
	else
		fail "$1: a line is wider than 80 columns"
		screen
	fi
}

# Alerts: both rows are new and critical, at the top of the panel. (The
# markers alone would match the feedback rows, which come first.)
if wait_screen 10 ' A-[0-9]+ +[A-Za-z0-9]+ +EMJ' &&
    wait_screen 5 ' A-[0-9]+ +[A-Za-z0-9]+ +TWN'; then
	pass "alerts: the rows are on screen"
else
	fail "alerts: the rows are not on screen"
	screen
fi
same_rows alerts
check_widths alerts

# Feedback: only the two cases, found by their common words.
tm send-keys -t console 4
console_cmd "search khu 5 hong ha"
if wait_screen 5 '2 found' && wait_screen 5 'PA-[0-9]+ BCha +EMJ' &&
    wait_screen 5 'PA-[0-9]+ BCha +TWN'; then
	pass "feedback: the rows are on screen"
else
	fail "feedback: the rows are not on screen"
	screen
fi
same_rows feedback
check_widths feedback
console_cmd "search"

# The detail view of the emoji case: the text wrapped within the box.
console_cmd "search EMJ"
tm send-keys -t console Enter
if wait_screen 5 'History' && wait_screen 5 '〿🌡'; then
	pass "detail of the emoji case"
else
	fail "no detail view"
	screen
fi
bad=$(screen | sed -n '2,22p' | grep -cv '[│┐┘]$')
if [ "$bad" = 0 ]; then
	pass "detail: every line ends at the border"
else
	fail "detail: $bad line(s) past the border"
	screen
fi
check_widths detail
tm send-keys -t console Escape
wait_screen_gone 5 'History' || fail "the detail did not close"
console_quit
e2e_finish

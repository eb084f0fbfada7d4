#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end (issue 13, item 9): "?" shows, after the keys, a legend of
# the glyphs the panels draw: the severities, the deadline marks, the
# alerts' states, marks and stage clocks, the hospitals' status, the
# schools' marks, the cases' states; in English, in Vietnamese, and in
# ASCII with the ASCII glyphs.
#
# Usage: tests/e2e/screen-legend.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-legend "$@"

if ! backend_start --seed 2 --rate 0; then
	fail "the backend did not start"
	exit 1
fi

# legend NAME PATTERN...: after "?" and G (the end of the list), every
# extended regex PATTERN is on screen.
legend() {
	_lg_name=$1
	shift
	tm send-keys -t console '?'
	wait_screen 5 '^┌ |^\+ ' >/dev/null
	tm send-keys -t console G
	_lg_bad=
	for _lg_p in "$@"; do
		wait_screen 5 "$_lg_p" >/dev/null || _lg_bad="$_lg_bad [$_lg_p]"
	done
	if [ -z "$_lg_bad" ]; then
		pass "$_lg_name: the legend explains every glyph"
	else
		fail "$_lg_name: missing$_lg_bad"
		screen
	fi
	tm send-keys -t console q
	wait_screen_gone 5 "$1" >/dev/null
}

console_start 100 70 --lang en "$url"
wait_screen 10 'A-0002 ' >/dev/null
legend "English" 'What the glyphs mean' '◆4 +critical' '▲3 +high' \
    '○2 +medium' '·1 +low' '5m!! +overdue' '● +new' '✓ +acknowledged' \
    '→ +dispatched' '⌂ +on scene' '○ +resolved' '× +closed' \
    '↑ +escalated' '⊘ +muted' '✓ 5m +Due: time left to acknowledge' \
    '→ 5m +Due: time left to dispatch' '⌂ 5m +Due: time left for a unit' \
    '★ +a smart hospital' '⇄ +on diversion' '› +a region' \
    '» +in progress' '← +returned'
console_quit

console_start 100 70 --lang vi "$url"
wait_screen 10 'A-0002 ' >/dev/null
legend "Vietnamese" 'Ý nghĩa các ký hiệu' '◆4 +nghiêm trọng' \
    '⌂ +tại hiện trường' '⇄ +đang chuyển hướng' \
    '→ 5m +Hạn: thời gian còn lại để điều động'
console_quit

console_start 100 70 --lang en --ascii "$url"
wait_screen 10 'A-0002 ' >/dev/null
legend "ASCII" '\*4 +critical' 'S 5m +Due: time left for a unit' \
    '> +on diversion' 'N +new'
console_quit
e2e_finish

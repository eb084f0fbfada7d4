#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end (issue 13, item 11): completion of names of several words,
# accents left out. The real console under tmux against the real
# backend (seed 2): ":assign PA-0004 so g" and Tab lists the two
# departments whose names start with words "Sở" and "G..." (Sở Giáo dục
# và Đào tạo, Sở Giao thông Vận tải) with their names; typing on to
# "so giao t" and Tab puts the one code in place of the words; Enter
# assigns the case to it, as the backend confirms.
#
# Usage: tests/e2e/screen-complete-names.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-complete-names "$@"

if ! backend_start --seed 2 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
console_start 160 30 --lang en "$url"
if wait_screen 10 'PA-0004 '; then
	pass "case PA-0004 on screen"
else
	fail "no PA-0004 on screen"
	screen
fi

tm send-keys -t console ':'
tm send-keys -t console -l 'assign PA-0004 so g'
tm send-keys -t console Tab
if wait_screen 5 '2 matches: SGDDT \(Sở Giáo dục và Đào tạo\) · SGTVT \(Sở Giao thông Vận tải\)'
then
	pass "\"so g\" Tab lists Sở Giáo dục và Đào tạo and Sở Giao thông Vận tải"
else
	fail "\"so g\" Tab does not list the two departments"
	screen | tail -2
fi
if screen | tail -1 | grep -q '^:assign PA-0004 so g *$'; then
	pass "with several matches, what was typed stays"
else
	fail "the line changed: $(screen | tail -1)"
fi

tm send-keys -t console -l 'iao t'
tm send-keys -t console Tab
if wait_for 5 'screen | tail -1 | grep -q "^:assign PA-0004 SGTVT *$"'; then
	pass "\"so giao t\" Tab completes to SGTVT in place of the words"
else
	fail "no SGTVT on the line: $(screen | tail -1)"
fi
tm send-keys -t console Enter
if wait_screen 10 '✓ assign PA-0004'; then
	pass "PA-0004 assigned"
else
	fail "no ✓ assign PA-0004"
	screen | tail -3
fi
if tb get feedback PA-0004 | grep -q '"dept":"SGTVT"'; then
	pass "the backend has PA-0004 with SGTVT"
else
	fail "the backend's PA-0004: $(tb get feedback PA-0004 | head -c 300)"
fi
console_quit
e2e_finish

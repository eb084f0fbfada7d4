#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: themes on the real console under tmux. Switching with
# ":theme" changes the colours the terminal is sent (capture-pane -e);
# "mono" and NO_COLOR send no colour at all; an unknown theme is refused
# and a broken one is loaded with a file:line warning, never a crash;
# --theme picks one at start.
#
# Usage: tests/e2e/screen-theme.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-theme "$@"

if ! backend_start --seed 3 --rate 0; then
	fail "the backend did not start"
	exit 1
fi

# The SGR parameters the pane uses, one per line, sorted and unique.
sgr() {
	tm capture-pane -e -p -t console 2>/dev/null |
	    grep -o "$(printf '\033')\[[0-9;]*m" | tr -d "$(printf '\033')[m" |
	    tr ';' '\n' | sort -u
}
# 0 when the pane uses some colour: 30-37, 40-47, 90-97, 100-107, 38, 48.
has_colour() {
	sgr | grep -Eq '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}

console_start 80 24 "$url"
if wait_screen 10 'Alerts \([0-9]+\)'; then
	pass "console up with the default theme"
else
	fail "console did not come up"
	screen
	e2e_finish
fi
before=$(sgr | tr '\n' ' ')
if has_colour; then
	pass "default theme: colour on the screen"
else
	fail "default theme: no colour ($before)"
fi

console_cmd "theme light"
if wait_screen 5 'Theme light'; then
	pass ":theme light"
else
	fail ":theme light: no message"
	screen
fi
if wait_for 5 '[ "$(sgr | tr "\n" " ")" != "$before" ]'; then
	pass "light: the colours changed"
else
	fail "light: the same colours as before ($before)"
fi

console_cmd "theme mono"
if wait_screen 5 'Theme mono' && wait_for 5 '! has_colour'; then
	pass "mono: no colour sent, attributes only"
else
	fail "mono: colour still there: $(sgr | tr '\n' ' ')"
fi
if sgr | grep -Eq '^(1|7)$'; then
	pass "mono: bold or reverse still mark things"
else
	fail "mono: no attributes at all"
fi

console_cmd "theme no-such-theme"
if wait_screen 5 'no theme called "no-such-theme"'; then
	pass "an unknown theme is refused"
else
	fail "no message for an unknown theme"
	screen
fi

console_cmd "theme tests/data/broken.theme"
if wait_screen 5 'broken.theme:3: unknown key'; then
	pass "a broken theme: a warning with file and line"
else
	fail "no file:line warning for the broken theme"
	screen | tail -3
fi
console_cmd "theme high-contrast"
if wait_screen 5 'Theme high-contrast' && has_colour; then
	pass "still running, and a good theme loads after a broken one"
else
	fail "high-contrast after broken"
fi
console_quit

# NO_COLOR: no colour even with a colour theme asked for.
E2E_ENV="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1" \
    console_start 80 24 --theme high-contrast "$url"
if wait_screen 10 'Alerts \([0-9]+\)' && ! has_colour; then
	pass "NO_COLOR: no colour"
else
	fail "NO_COLOR: colour sent: $(sgr | tr '\n' ' ')"
fi
console_quit

# --theme at start, and from the configuration file.
mkdir -p "$tmp/config/trucban"
echo "theme = mono" >"$tmp/config/trucban/config"
console_start 80 24 "$url"
if wait_screen 10 'Alerts \([0-9]+\)' && ! has_colour; then
	pass "theme = mono in the configuration file"
else
	fail "the configuration's theme was not used"
fi
console_quit
console_start 80 24 --theme light "$url"
if wait_screen 10 'Alerts \([0-9]+\)' && has_colour; then
	pass "--theme light wins over the configuration file"
else
	fail "--theme did not win"
fi
console_quit
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: themes wherever trucban is run from (issue 13, item 8). The
# console is started from a directory with no themes/ in it: --theme
# light is found in the build tree; --list-themes lists the build tree's
# themes, the officer's own ($XDG_CONFIG_HOME/trucban/themes) and the
# installed ones ($TRUCBAN_DATADIR/themes), with where each comes from;
# ":theme" completes their names; the colour-blind-safe theme loads and
# sends its Okabe-Ito colours.
#
# Usage: tests/e2e/screen-theme-elsewhere.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-theme-elsewhere "$@"

away=$tmp/elsewhere
mkdir -p "$away" "$tmp/config/trucban/themes" "$tmp/share/themes"
printf 'name = mine\n[styles]\nselected = fg=black,bg=yellow\n' \
    >"$tmp/config/trucban/themes/mine.theme"
printf 'name = installed\n[styles]\nselected = fg=black,bg=green\n' \
    >"$tmp/share/themes/installed.theme"
envs="XDG_CONFIG_HOME=$tmp/config TRUCBAN_DATADIR=$tmp/share"

list=$(cd "$away" && env $envs "$console" --list-themes)
if echo "$list" | grep -q "^light	$root/themes/light.theme$" &&
    echo "$list" | grep -q "^colourblind	$root/themes/colourblind.theme$"
then
	pass "--list-themes from elsewhere: the build tree's themes, by path"
else
	fail "--list-themes from elsewhere: $list"
fi
mine=$tmp/config/trucban/themes/mine.theme
installed=$tmp/share/themes/installed.theme
if echo "$list" | grep -q "^mine	$mine$" &&
    echo "$list" | grep -q "^installed	$installed$"; then
	pass "--list-themes: the officer's and the installed themes"
else
	fail "--list-themes lacks the XDG or installed theme: $list"
fi

if ! backend_start --seed 3 --rate 0; then
	fail "the backend did not start"
	exit 1
fi
# The console as console_start starts it, but from $away.
cerr=$tmp/err.log
cstatus=$tmp/status
mkdir -p "$tmp/state"
tm new-session -d -s console -x 100 -y 30 -c "$away" \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
    XDG_STATE_HOME=$tmp/state $envs \
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    $console --log $tmp/console.log --theme light $url 2>$cerr; \
    echo \$? >$cstatus"
if wait_screen 10 'connected' && wait_screen 10 'A-[0-9]+'; then
	pass "console up, started from $away"
else
	fail "console did not come up"
	screen
	e2e_finish
fi
if screen | grep -q 'no theme called' || grep -q 'no theme called' "$cerr"
then
	fail "--theme light from elsewhere: not found"
else
	pass "--theme light from elsewhere: found"
fi
okabe() {
	tm capture-pane -e -p -t console | grep -Eq '38;5;(25|74|166|214)m'
}
if okabe; then
	fail "light uses the colours the colour-blind test looks for"
fi
console_cmd "theme"
# Longer than the status line: read it whole in the log.
wait_screen 5 'Theme light; themes' >/dev/null
tm send-keys -t console L
all='colourblind, default, high-contrast, installed, light, mine, mono'
if wait_screen 5 "Theme light; themes: $all"; then
	pass ":theme: light in use, every theme listed"
else
	fail ":theme: $(screen)"
fi
tm send-keys -t console q
wait_screen_gone 5 '┌ Messages ─' >/dev/null

# Completion: "colourb" Tab gives the whole name.
tm send-keys -t console ':'
tm send-keys -t console -l 'theme colourb'
tm send-keys -t console Tab
if wait_for 5 "screen | tail -1 | grep -q ':theme colourblind'"; then
	pass ":theme colourb<Tab> completes to colourblind"
else
	fail "no completion: $(screen | tail -1)"
fi
tm send-keys -t console Enter
if wait_screen 5 'Theme colourblind'; then
	pass "the colour-blind-safe theme loads"
else
	fail "colourblind did not load: $(screen | tail -2 | head -1)"
fi
# Okabe-Ito vermillion (166) or orange (214) for the severe alerts, blue
# (25) for the borders: 256-colour SGR as tmux passes them on.
if wait_for 5 okabe; then
	pass "colourblind: Okabe-Ito colours sent"
else
	fail "colourblind: no Okabe-Ito colour on screen"
fi
console_cmd "theme mine"
if wait_screen 5 'Theme mine'; then
	pass "the officer's own theme (XDG_CONFIG_HOME) loads"
else
	fail "mine did not load"
fi
console_cmd "theme installed"
if wait_screen 5 'Theme installed'; then
	pass "the installed theme (TRUCBAN_DATADIR) loads"
else
	fail "installed did not load"
fi

console_quit
e2e_finish

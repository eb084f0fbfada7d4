#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: keys and what the terminal is sent, on the real console
# under tmux. Keys remapped in the configuration file work, and the "?"
# help and --keys show them (--keys without a configuration lists what
# the README's table lists); the terminal cursor sits on the selected
# row; Esc and a key sent together are Esc, then the key; the mouse is
# never turned on; and at 80x24 under the backend's standard load the
# console stays within its budget of 1 KB/s of terminal output (frames
# coalesced, no full repaints).
#
# Usage: tests/e2e/screen-keys.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-keys "$@"

if ! backend_start --seed 1; then
	fail "the backend did not start"
	exit 1
fi

mkdir -p "$tmp/config/trucban"
cat >"$tmp/config/trucban/config" <<EOF
# Remapped keys
bind J down
bind K up
unbind j
bind F5 search hospital
lang = en
nonsense here
EOF

console_start 80 24 "$url"
if wait_screen 10 'A-[0-9]+'; then
	pass "console up"
else
	fail "console did not come up"
	screen
	e2e_finish
fi
if wait_screen 5 'config:7: not "name = value"'; then
	pass "a bad configuration line: a warning with file and line"
else
	fail "no warning for the bad configuration line"
	screen | tail -2
fi

cursor_row() {
	_cy=$(tm display -p -t console '#{cursor_y}')
	screen | sed -n "$((_cy + 1))p"
}
first=$(cursor_row | grep -Eo 'A-[0-9]{4}')
if [ -n "$first" ]; then
	pass "the cursor is on the first alert ($first)"
else
	fail "the cursor is not on an alert row: $(cursor_row)"
fi
tm send-keys -t console J
if wait_for 5 '[ -n "$(cursor_row | grep -Eo "A-[0-9]{4}")" ] &&
    [ "$(cursor_row | grep -Eo "A-[0-9]{4}")" != "$first" ]'; then
	pass "J (bound to down) moves the selection and the cursor"
else
	fail "J did not move"
fi
tm send-keys -t console K
if wait_for 5 '[ "$(cursor_row | grep -Eo "A-[0-9]{4}")" = "$first" ]'; then
	pass "K (bound to up) moves back"
else
	fail "K did not move back"
fi
tm send-keys -t console j
if wait_for 2 '[ "$(cursor_row | grep -Eo "A-[0-9]{4}")" != "$first" ]'
then
	fail "j still moves after unbind j"
else
	pass "unbind j: j does nothing"
fi
tm send-keys -t console F5
if wait_screen 5 'Alerts \([0-9]+\) /hospital'; then
	pass "F5 runs its command (search hospital)"
else
	fail "F5 did nothing"
	screen | head -3
fi
console_cmd search
tm send-keys -t console '?'
if wait_screen 5 'Down, J' && wait_screen 5 ':search hospital'; then
	pass "? shows the keys as configured"
else
	fail "? does not show the configured keys"
	screen
fi
tm send-keys -t console q

# Esc and a key in one send-keys (as keys come in a bunch over SSH) are
# two keys: Esc closes the detail, then G selects the last row. They are
# not Alt+G, which nothing is bound to.
tm send-keys -t console Enter
if wait_screen 5 'History'; then
	pass "Enter opens the detail"
else
	fail "Enter did not open the detail"
	screen | head -3
fi
tm send-keys -t console Escape G
if wait_screen 5 'Hospitals \(' &&
    wait_for 5 '[ -n "$(cursor_row | grep -Eo "A-[0-9]{4}")" ] &&
    [ "$(cursor_row | grep -Eo "A-[0-9]{4}")" != "$first" ]'; then
	pass "Esc and G together: the detail closes, the last row selected"
else
	fail "Esc and G together: '$(cursor_row)'"
	screen | head -3
fi
tm send-keys -t console g

if [ "$(tm display -p -t console '#{mouse_any_flag}')" = 0 ]; then
	pass "the mouse is off"
else
	fail "the console turned the mouse on"
fi

# The standard load for a while: bytes to the terminal per second.
tm pipe-pane -O -t console "cat >>$tmp/term.bin"
secs=8
start=$(date +%s)
wait_for $((secs + 1)) '[ $(($(date +%s) - start)) -ge $secs ]'
tm pipe-pane -t console
bytes=$(wc -c <"$tmp/term.bin")
rate=$((bytes / secs))
if [ "$rate" -le 1024 ]; then
	pass "terminal output at 80x24: $rate B/s (budget 1024)"
else
	fail "terminal output at 80x24: $rate B/s, over 1024"
fi
console_quit

# --keys: the same list as "?", from the same tables, without a screen.
"$console" --keys --config "$tmp/config/trucban/config" >"$tmp/keys.txt" \
    2>"$tmp/keys.err"
if grep -qx 'Down, J    Select the row below (scroll down in a detail)' \
    "$tmp/keys.txt" && grep -qx 'F5         :search hospital' \
    "$tmp/keys.txt" && ! grep -q '^j ' "$tmp/keys.txt" &&
    grep -qx 'a          Acknowledge the selected alert (Alerts)' \
    "$tmp/keys.txt"; then
	pass "--keys lists the keys as configured"
else
	fail "--keys: $(cat "$tmp/keys.txt" "$tmp/keys.err")"
fi
LANG=C.UTF-8 "$console" --keys --config /dev/null --lang en \
    >"$tmp/keys0.txt" 2>&1
sed -n '/^<!-- BEGIN KEYS -->$/,/^<!-- END KEYS -->$/p' "$root/README.md" |
    grep '^| `' >"$tmp/readme-keys.txt"
n=0
while IFS='|' read -r _ keys _ what _; do
	what=${what# }
	what=${what% }
	grep -qF -- "$what" "$tmp/keys0.txt" || n=$((n + 1))
done <"$tmp/readme-keys.txt"
if [ "$n" -eq 0 ] && [ "$(wc -l <"$tmp/keys0.txt")" -eq \
    "$(wc -l <"$tmp/readme-keys.txt")" ] &&
    [ -s "$tmp/readme-keys.txt" ]; then
	pass "--keys lists what the README's key table lists"
else
	fail "--keys and the README differ ($n missing)"
	cat "$tmp/keys0.txt"
fi
e2e_finish

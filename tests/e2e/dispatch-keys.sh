#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: dispatching from the keyboard, in the real console under tmux
# against the real backend. Single keys on the selected row (a, d, n),
# the command line with Tab completion (verbs, ids, units of the alert's
# area first, a department by its name without accents), Ctrl-R over
# Vietnamese history, a refused command with the backend's reason, a
# batch ack, and the y/n question before a batch of more than five and
# before resolving a critical alert; text typed on while a question is
# open never acts (issue 13 item 7); the :help overlay, scrolled. Every
# effect is checked on the backend with tb-client.
#
# Usage: tests/e2e/dispatch-keys.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"

e2e_init dispatch-keys "$@"
backend_start --seed 7 --rate 0 || exit 1

# inject AREA SEVERITY TAG: a new alert; prints its id.
inject() {
	tb cmd inject "{\"kind\":\"alert\",\"item\":{\"kind\":\"fire\",\
\"severity\":$2,\"area\":\"$1\",\"place\":\"Chợ Rừng\",\"source\":\"manual\",\
\"title\":\"Cháy $3\"}}" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p'
}
# state KIND ID: the item's state (or a unit's status) on the backend.
state() {
	tb get "$1" "$2" | sed -n \
	    's/.*"\(state\|status\)":"\([a-z_]*\)".*/\2/p' | head -1
}
bottom() {
	screen | tail -1
}

qy=$(inject 07132 2 qy)
crit=$(inject 07132 4 crit)
crit2=$(inject 07132 4 crit2)
batch=
for i in 1 2 3 4 5 6 7 8 9; do
	batch="$batch $(inject 07132 1 "b$i")"
done
# b1 ... b9; wait_for's conditions cannot use $1 (it shifts).
n=0
for id in $batch; do
	n=$((n + 1))
	eval "b$n=$id"
done
if [ -n "$qy" ] && [ -n "$crit" ] && [ -n "$crit2" ] && [ "$n" -eq 9 ]
then
	pass "injected $qy, $crit, $crit2 and 9 more alerts"
else
	fail "inject: qy=$qy crit=$crit crit2=$crit2 batch=$batch"
	e2e_finish
fi

console_start 120 40 "$url"
if wait_screen 10 "$qy"; then
	pass "alert rows on screen"
else
	fail "no alert rows"
	screen
	e2e_finish
fi

# ---- Single keys on the selected row. The terminal cursor sits on it.
y=$(tm display -p -t console '#{cursor_y}')
sel=$(screen | sed -n "$((y + 1))p" | grep -o 'A-[0-9]*' | head -1)
if [ -n "$sel" ] && [ "$(state alert "$sel")" = new ]; then
	pass "selected row $sel (cursor row $y) is a new alert"
else
	fail "no new alert on the cursor row $y: '$sel'"
	screen
fi
tm send-keys -t console a
if wait_screen 10 "✓ ack $sel"; then
	pass "a: the screen says ✓ ack $sel"
else
	fail "a: no ✓ ack $sel"
	screen | tail -3
fi
if wait_for 5 '[ "$(state alert "$sel")" = acknowledged ]'; then
	pass "a: backend has $sel acknowledged"
else
	fail "a: backend state of $sel: $(state alert "$sel")"
fi

# d opens the command line with the id typed; Tab lists the available
# units, those of the alert's own area first.
area=$(tb get alert "$sel" | sed -n 's/.*"area":"\([0-9A-Za-z_.-]*\)".*/\1/p')
tm send-keys -t console d
if wait_for 5 '[ "$(bottom | sed "s/ *$//")" = ":dispatch $sel" ]'; then
	pass "d: the command line reads 'dispatch $sel '"
else
	fail "d: bottom line is '$(bottom)'"
fi
tm send-keys -t console Tab
first=
wait_screen 5 "matches: [A-Z]+-[A-Z]+-[0-9]+" &&
    first=$(screen | grep -o 'matches: [A-Z]*-[A-Z]*-[0-9]*' | head -1 |
    sed 's/^matches: //')
if [ -n "$first" ] && tb get unit "$first" | grep -q "\"area\":\"$area\""
then
	pass "Tab: units of $area first"
else
	fail "Tab: the first unit is not of area $area"
	screen | tail -2
fi
tm send-keys -t console Escape
if wait_for 5 '! bottom | grep -q "^:"'; then
	pass "Esc closes the command line"
else
	fail "Esc did not close the command line"
fi

# ---- The command line with Tab completion: verb, id, unit.
tm send-keys -t console ':'
tm send-keys -t console -l 'dis'
tm send-keys -t console Tab
tm send-keys -t console -l "$qy FIR-Q"
tm send-keys -t console Tab
if wait_for 5 \
    '[ "$(bottom | sed "s/ *$//")" = ":dispatch $qy FIR-QY-01" ]'; then
	pass "Tab completes 'dis' and 'FIR-Q' to dispatch $qy FIR-QY-01"
else
	fail "Tab completion: bottom line is '$(bottom)'"
fi
tm send-keys -t console Enter
if wait_screen 10 "✓ dispatch $qy FIR-QY-01"; then
	pass "the screen says ✓ dispatch $qy FIR-QY-01"
else
	fail "no ✓ dispatch"
	screen | tail -3
fi
if [ "$(state alert "$qy")" = dispatched ] &&
    [ "$(state unit FIR-QY-01)" = dispatched ]; then
	pass "backend: $qy and FIR-QY-01 dispatched"
else
	fail "backend: $qy $(state alert "$qy"), FIR-QY-01 \
$(state unit FIR-QY-01)"
fi

# A department by its name without accents: "soyte" is Sở Y tế.
case1=$(tb snapshot | grep -o '"PA-[0-9]*"' | head -1 | tr -d '"')
tm send-keys -t console ':'
tm send-keys -t console -l "assign $case1 soyte"
tm send-keys -t console Tab
if wait_for 5 \
    '[ "$(bottom | sed "s/ *$//")" = ":assign $case1 SYT" ]'; then
	pass "Tab completes 'soyte' to SYT"
else
	fail "department completion: bottom line is '$(bottom)'"
fi
tm send-keys -t console Enter
if wait_for 10 'tb get feedback "$case1" | grep -q "\"dept\":\"SYT\""'; then
	pass "backend: $case1 assigned to SYT"
else
	fail "backend: $case1 not assigned to SYT"
	screen | tail -3
fi

# ---- n: a note in Vietnamese; then Ctrl-R finds it in the history.
tm send-keys -t console n
wait_for 5 'bottom | grep -q "^:note $sel"'
tm send-keys -t console -l 'Cầu Bãi Cháy ngập 30 cm'
tm send-keys -t console Enter
if wait_for 10 \
    'tb get alert "$sel" | grep -q "Cầu Bãi Cháy ngập 30 cm"'; then
	pass "n: backend has the note on $sel"
else
	fail "n: no note on $sel"
	screen | tail -3
fi
tm send-keys -t console ':'
tm send-keys -t console C-r
tm send-keys -t console -l 'Bãi Ch'
if wait_for 5 'bottom | grep -q "Bãi Ch.*note $sel Cầu Bãi Cháy"'; then
	pass "Ctrl-R finds the Vietnamese note in the history"
else
	fail "Ctrl-R: bottom line is '$(bottom)'"
fi
tm send-keys -t console Escape
wait_for 5 '! bottom | grep -q "reverse-i-search\|^:"'

# ---- A refused command shows the backend's reason in plain words.
console_cmd "ack $sel"
if wait_screen 10 "✗ ack $sel: not possible now: .*acknowledged"; then
	pass "a refused ack shows the reason"
else
	fail "no reason for the refused ack"
	screen | tail -3
fi

# ---- A batch ack: one command per id, each answered.
console_cmd "xn $b1 $b2 $b3"
if wait_screen 10 "✓ ack $b3" &&
    [ "$(state alert "$b1")" = acknowledged ] &&
    [ "$(state alert "$b2")" = acknowledged ] &&
    [ "$(state alert "$b3")" = acknowledged ]; then
	pass "batch ack of $b1 $b2 $b3"
else
	fail "batch ack: $(state alert "$b1") $(state alert "$b2") \
$(state alert "$b3")"
fi

# More than five asks first; "n" sends nothing, "y" sends all six.
console_cmd "ack $b4 $b5 $b6 $b7 $b8 $b9"
if wait_for 5 'bottom | grep -q "6 items at once: sure? (y/n)"'; then
	pass "a batch of six asks first"
else
	fail "no question for six: '$(bottom)'"
fi
tm send-keys -t console n
wait_for 5 '! bottom | grep -q "(y/n)"'
if [ "$(state alert "$b4")" = new ]; then
	pass "'n' sent nothing"
else
	fail "'n' sent the batch anyway"
fi
console_cmd "ack $b4 $b5 $b6 $b7 $b8 $b9"
wait_for 5 'bottom | grep -q "(y/n)"'
tm send-keys -t console y
if wait_screen 10 "✓ ack $b9" &&
    [ "$(state alert "$b4")" = acknowledged ] &&
    [ "$(state alert "$b9")" = acknowledged ]; then
	pass "'y' sent the batch of six"
else
	fail "after 'y': $(state alert "$b4") $(state alert "$b9")"
fi

# Resolving a critical alert asks first.
console_cmd "xl $crit"
if wait_for 5 'bottom | grep -q "critical alert $crit: sure? (y/n)"'; then
	pass "resolving a critical alert asks first"
else
	fail "no question before resolving $crit: '$(bottom)'"
fi
tm send-keys -t console y
if wait_for 10 '[ "$(state alert "$crit")" = resolved ]'; then
	pass "backend: $crit resolved after 'y'"
else
	fail "backend: $crit is $(state alert "$crit")"
fi

# ---- Type-ahead never acts. The question for closing a critical alert,
# and keys typed on after the Enter, in the same send-keys (a, e, r, m
# would ack, escalate, resolve, mute the selected alert, $crit2 itself;
# d, s open the command line; z zooms): the question stays, nothing
# changes on the backend (its digest), and only Esc ends it.
console_cmd "search crit2"
if wait_for 5 '[ "$(screen | sed -n "$(($(tm display -p -t console \
    "#{cursor_y}") + 1))p" | grep -o "A-[0-9]*" | head -1)" = "$crit2" ]'
then
	pass "$crit2 (new, critical) is the selected row"
else
	fail "$crit2 is not selected"
	screen | head -5
fi
before=$(backend_digest)
tm send-keys -t console ':'
tm send-keys -t console -l "close $crit2 fa"
tm send-keys -t console Enter c a e r m d s z j
if wait_for 5 \
    'bottom | grep -q "critical alert $crit2: sure? (y/n)"'; then
	pass "closing $crit2 asks first"
else
	fail "no question before closing $crit2: '$(bottom)'"
fi
tm send-keys -t console -l 'camera lost at 14:00'
tm send-keys -t console c a e r m
if wait_for 2 '! bottom | grep -q "critical alert $crit2: sure? (y/n)"'
then
	fail "text typed on ended the question: '$(bottom)'"
else
	pass "text typed on while the question is open leaves it open"
fi
if [ "$(backend_digest)" = "$before" ] &&
    [ "$(state alert "$crit2")" = new ]; then
	pass "text typed on while the question is open did nothing"
else
	fail "type-ahead acted: $crit2 is $(state alert "$crit2"), the \
backend changed"
	screen | tail -3
fi
tm send-keys -t console Escape
if wait_for 5 'bottom | grep -q "Not done: close $crit2 fa" ||
    screen | grep -q "Not done: close $crit2 fa"'; then
	pass "Esc answers no"
else
	fail "Esc did not answer the question: '$(bottom)'"
fi
if [ "$(backend_digest)" = "$before" ] && ! bottom | grep -q '^:' &&
    [ "$(state alert "$crit2")" = new ]; then
	pass "after the question: nothing sent, no command line open"
else
	fail "after the question: '$(bottom)'"
fi
console_cmd search

# :help lists the table; the overlay scrolls; another key closes it.
console_cmd help
if wait_screen 5 'ack, xn +ALERT \[ALERT\.\.\.\]' &&
    ! screen | grep -q 'zoom, phong'; then
	pass ":help shows the command table from the top"
else
	fail ":help overlay"
	screen | head -5
fi
tm send-keys -t console G
if wait_screen 5 'zoom, phong'; then
	pass "G scrolls the help to its end"
else
	fail "G did not scroll the help"
fi
tm send-keys -t console x
if wait_screen_gone 5 'zoom, phong'; then
	pass "another key closes the help"
else
	fail "the help stays open"
fi

console_quit
if grep -q "Cầu Bãi Cháy" "$tmp/state/trucban/history" 2>/dev/null; then
	pass "the history file keeps the note"
else
	fail "no history file in $tmp/state/trucban"
fi
if kill -0 "$bpid" 2>/dev/null; then
	pass "backend still runs"
else
	fail "backend died"
fi
e2e_finish

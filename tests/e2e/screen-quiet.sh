#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the gauge rate in the real console. The console at 200x50
# under tmux, with gauge_refresh = 600 in its configuration, against the
# real backend at the standard load (--seed 1 --rate 20). Once the first
# readings are on screen, the hospitals' figures stay as they are while
# the backend's readings move on (polled for 6 s: they are held back);
# then a colleague (tb-client) puts a hospital on diversion, a record,
# which shows at once, readings with it. The screen's bytes over the held
# seconds are counted (tmux pipe-pane) and printed, not judged: what
# passes for cheap is make bench's business.
#
# Usage: tests/e2e/screen-quiet.sh BUILD_DIR   (e.g. build/san)
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-quiet "$@"

if backend_start --seed 1 --rate 20; then
	pass "backend listens at $url"
else
	fail "the backend did not start"
	exit 1
fi

mkdir -p "$tmp/config/trucban"
printf 'gauge_refresh = 600\n' >"$tmp/config/trucban/config"
console_start 200 50 "$url"
tm pipe-pane -O -t console "cat >>$tmp/term.bin"

# The lines of the Hospitals panel (the top of the right half in the wide
# layout; the Alerts rows beside it show no used/total figures).
hospitals() {
	screen | awk '/Hospitals \(/ { on = 1 } on { print } /beds free/ { exit }'
}

# Every used/total figure of the Hospitals panel, in screen order.
figures() {
	hospitals | grep -Eo '[0-9]+/[0-9]+' | tr '\n' ' '
}

# Every hospital's beds in use on the backend.
backend_beds() {
	tb snapshot | grep -Eo '"beds_used":[0-9]+' | tr '\n' ' '
}

if wait_for 20 'hospitals | grep -q "Hospitals (" &&
    [ -n "$(figures)" ]'; then
	pass "hospitals and their figures on screen"
else
	fail "no hospital figures on screen"
	screen
fi
if screen | grep -q "divert"; then
	fail "a hospital is on diversion already"
fi

shown=$(figures)
beds0=$(backend_beds)
b0=$(stat -c %s "$tmp/term.bin" 2>/dev/null || echo 0)
if wait_for 6 '[ "$(figures)" != "$shown" ]'; then
	fail "the hospitals' figures changed within gauge_refresh"
else
	pass "the hospitals' figures held for 6 s"
fi
b1=$(stat -c %s "$tmp/term.bin" 2>/dev/null || echo 0)
echo "# $(( (b1 - b0) / 6 )) bytes/s to the terminal while held (200x50)"
if [ "$(backend_beds)" != "$beds0" ]; then
	pass "the backend's readings moved meanwhile"
else
	fail "no reading from the backend in 6 s"
fi

# A diversion is an officer's decision: a record, shown at once.
out=$(tb cmd divert '{"hospital":"BV-BAICHAY","on":true}')
case $out in
*'"ok":true'*) pass "a colleague diverts BV-BAICHAY" ;;
*) fail "divert refused: $out" ;;
esac
if wait_screen 5 'divert'; then
	pass "the diversion shows at once"
else
	fail "the diversion is not on screen"
	hospitals
fi
if [ "$(figures)" != "$shown" ]; then
	pass "the readings held so far show with it"
else
	fail "the readings did not show with the diversion"
fi

console_quit
e2e_finish

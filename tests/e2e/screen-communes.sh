#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the province of 54 communes at 80x24 on the real console
# under tmux, with the backend's clock started at a given instant. The
# Schools panel shows the former districts as regions; "/" finds communes
# by names typed without accents ("bai chay", "p hong gai", and "ha khanh",
# the phường merged into Cao Xanh in 2025, whose school is still found);
# ":filter bai" completes to Bãi_Cháy and filters by it; "]" steps to a
# region. The backend started with --start runs its clock from there.
#
# Usage: tests/e2e/screen-communes.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-communes "$@"

if ! grep -q '"code": "06673"' "$data/province.json"; then
	echo "screen-communes: $data is not the province of communes" >&2
	exit 1
fi

# The last working afternoon before Tết 2026, local time (UTC+7).
if ! backend_start --seed 3 --rate 0 --start 2026-02-13T16:00; then
	fail "the backend did not start"
	exit 1
fi
out=$(tb cmd inject '{"kind":"feedback","item":{"channel":"hotline",
"area":"06673","category":"water","text":"Mất nước ở Hùng Thắng"}}')
case=$(printf '%s\n' "$out" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p')
received=$(tb get feedback "$case" | sed -n 's/.*"received":\([0-9]*\).*/\1/p')
# 2026-02-13T09:00Z is 1770973200000 ms; allow a minute of test time.
if [ -n "$received" ] && [ "$received" -ge 1770973200000 ] &&
    [ "$received" -lt 1770973260000 ]; then
	pass "--start: a case injected now is received on 13/2/2026 16:00"
else
	fail "--start: received '$received' for '$case' ($out)"
fi

console_start 80 24 "$url"
if wait_screen 10 'Schools \(13\)'; then
	pass "Schools: 13 regions"
else
	fail "Schools does not show the 13 regions"
	screen
	e2e_finish
fi
if screen | grep -q 'Hạ Long ›'; then
	pass "regions open to their communes (Hạ Long ›)"
else
	fail "no region mark"
	screen
fi

# The lines of the Schools panel (bottom left at 80x24).
schools() {
	screen | sed -n '12,22p' | cut -c1-40
}

# Focus Schools; "/" and names without accents. Each key that follows an
# Esc waits for it to take effect (else the two read as Alt-key).
tm send-keys -t console 3
search() {
	tm send-keys -t console /
	tm send-keys -t console -l "$1"
	tm send-keys -t console Enter
}
# Esc, then wait until the Schools title no longer matches $1.
esc_until_gone() {
	tm send-keys -t console Escape
	wait_for 5 "! schools | grep -q \"$1\""
}
search "bai chay"
if wait_for 5 'schools | grep -q "Schools (1) /bai chay"' &&
    schools | grep -q "Bãi Cháy"; then
	pass "\"bai chay\" finds Bãi Cháy"
else
	fail "\"bai chay\""
	schools
fi
esc_until_gone "/bai chay"
search "p hong gai"
if wait_for 5 'schools | grep -q "Schools (1) /p hong gai"' &&
    schools | grep -q "Hồng Gai"; then
	pass "\"p hong gai\" finds Phường Hồng Gai"
else
	fail "\"p hong gai\""
	schools
fi
esc_until_gone "/p hong gai"
search "ha khanh"
if wait_for 5 'schools | grep -q "Schools (1) /ha khanh"' &&
    schools | grep -q "Cao Xanh"; then
	pass "\"ha khanh\" finds Phường Cao Xanh (formed from Hà Khánh)"
else
	fail "\"ha khanh\""
	schools
fi
tm send-keys -t console Enter
if wait_for 5 'schools | grep -q "THCS Hà Khánh"'; then
	pass "Enter: its schools, THCS Hà Khánh among them"
else
	fail "no THCS Hà Khánh"
	schools
fi
esc_until_gone "THCS Hà Khánh"
esc_until_gone "/ha khanh"
if wait_for 5 'schools | grep -q "Schools (13)"'; then
	pass "Esc: back to the regions"
else
	fail "Esc did not go back to the regions"
	schools
fi

# Completion at the prompt: ":filter bai" Tab gives Bãi_Cháy.
tm send-keys -t console ':'
tm send-keys -t console -l 'filter bai'
tm send-keys -t console Tab
if wait_for 5 '[ "$(screen | tail -1 | sed "s/ *$//")" = ":filter Bãi_Cháy" ]'
then
	pass "Tab completes \"filter bai\" to Bãi_Cháy"
else
	fail "Tab: bottom line is '$(screen | tail -1)'"
fi
tm send-keys -t console Enter
if wait_screen 5 'Schools \(1\) \[BCha\]' &&
    screen | grep -q 'Alerts ([0-9]*) \[BCha\]'; then
	pass "the filter shows Bãi Cháy in every panel"
else
	fail "no [BCha] filter"
	screen
fi

# "0" clears; "]" shows a whole region.
tm send-keys -t console 0
tm send-keys -t console ']'
if wait_screen 5 'Schools \(11\) \[Hạ Long\]' &&
    wait_screen 5 'Area: Hạ Long, 11 communes'; then
	pass "]: the region of Hạ Long, 11 communes"
else
	fail "]: no region"
	screen
fi

console_quit
e2e_finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# End to end: the screen's language and character set under the locales
# this machine really has (often only C.UTF-8). Every string in the
# sources is translated in po/vi.po; --lang vi, LANGUAGE=vi, a vi_VN
# locale that is not installed, and ":lang" all give Vietnamese; LANG=C
# (no UTF-8) and --ascii give ASCII borders and Vietnamese without
# diacritics, columns intact; "?" lists the keys from the key table, in
# the screen's language.
#
# Usage: tests/e2e/screen-i18n.sh BUILD_DIR
# Prints one line per check; exits 0 when all pass, else 1.

set -u

. "$(dirname "$0")/lib.sh"
e2e_init screen-i18n "$@"

# Every string the code marks for translation has a Vietnamese one.
if command -v xgettext >/dev/null 2>&1 && command -v msgmerge >/dev/null &&
    command -v msgattrib >/dev/null; then
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	    --keyword=C_:1c,2 --keyword=NC_:1c,2 -o "$tmp/trucban.pot" \
	    "$root"/console/*.c "$root"/widgets/*.c 2>"$tmp/xgettext.err"
	msgmerge -q --no-fuzzy-matching -o "$tmp/vi.po" "$root/po/vi.po" \
	    "$tmp/trucban.pot"
	missing=$(msgattrib --untranslated --no-obsolete "$tmp/vi.po" |
	    grep -c '^msgid "..*"')
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/vi.po" |
	    grep -c '^msgid "..*"')
	if [ "$missing" -eq 0 ] && [ "$fuzzy" -eq 0 ]; then
		pass "po/vi.po translates every string in the sources"
	else
		fail "po/vi.po: $missing untranslated, $fuzzy fuzzy:"
		msgattrib --untranslated --no-obsolete "$tmp/vi.po" |
		    grep '^msgid' | head -20
	fi
else
	fail "gettext tools missing (scripts/deps.sh check installs them)"
fi
if [ -f "$bin/locale/vi/LC_MESSAGES/trucban.mo" ]; then
	pass "the catalogue is built in the build directory"
else
	fail "no $bin/locale/vi/LC_MESSAGES/trucban.mo"
fi

if ! backend_start --seed 2 --rate 0; then
	fail "the backend did not start"
	exit 1
fi

# 1: C.UTF-8 (what this machine has) and --lang vi.
console_start 80 24 --lang vi "$url"
if wait_screen 10 'Đã kết nối' && wait_screen 5 'Cảnh báo \([0-9]+\)' &&
    wait_screen 5 'Bệnh viện \([0-9]+\)'; then
	pass "C.UTF-8 --lang vi: Vietnamese"
else
	fail "C.UTF-8 --lang vi: not Vietnamese"
	screen
fi
tm send-keys -t console '?'
if wait_screen 5 'Chuyển sang bảng kế tiếp' &&
    wait_screen 5 'Phóng to bảng đang chọn'; then
	pass "? lists the keys, in Vietnamese"
else
	fail "? does not list the keys in Vietnamese"
	screen
fi
tm send-keys -t console q
wait_screen_gone 5 'Chuyển sang bảng kế tiếp' >/dev/null
console_cmd "lang en"
if wait_screen 5 'connected' && wait_screen 5 'Alerts \([0-9]+\)'; then
	pass ":lang en switches at once"
else
	fail ":lang en did not switch"
	screen
fi
tm send-keys -t console '?'
if wait_screen 5 'Focus the next panel'; then
	pass "? lists the keys, in English"
else
	fail "? not in English"
fi
tm send-keys -t console q
console_quit

# 2: LANGUAGE=vi with C.UTF-8, no flag.
E2E_ENV="LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=vi TERM=xterm-256color" \
    console_start 80 24 "$url"
if wait_screen 10 'Cảnh báo \([0-9]+\)'; then
	pass "LANGUAGE=vi: Vietnamese"
else
	fail "LANGUAGE=vi: not Vietnamese"
fi
console_quit

# 3: a Vietnamese locale that is not installed: still UTF-8, Vietnamese.
E2E_ENV="LANG=vi_VN.UTF-8 LC_ALL= TERM=xterm-256color" \
    console_start 80 24 "$url"
if wait_screen 10 'Cảnh báo \([0-9]+\)' && wait_screen 5 '┌─'; then
	pass "LANG=vi_VN.UTF-8 (not installed): Vietnamese, UTF-8"
else
	fail "LANG=vi_VN.UTF-8: wrong"
	screen
fi
console_quit

# 4: no UTF-8 at all: ASCII borders, Vietnamese without diacritics.
E2E_ENV="LANG=C LC_ALL=C TERM=xterm-256color" \
    console_start 80 24 --lang vi "$url"
if wait_screen 10 'Canh bao \([0-9]+\)' && wait_screen 5 'Da ket noi' &&
    wait_screen 5 '^\+- Canh bao'; then
	pass "LANG=C --lang vi: ASCII, Vietnamese without diacritics"
else
	fail "LANG=C --lang vi: wrong"
	screen
fi
if screen | LC_ALL=C grep -q "$(printf '[\200-\377]')"; then
	fail "LANG=C: non-ASCII on the screen"
	screen | LC_ALL=C grep "$(printf '[\200-\377]')" | head -3
else
	pass "LANG=C: every cell is ASCII"
fi
# Columns: every line of the body ends with a border in the last column.
bad=$(screen | sed -n '2,21p' | grep -vc '[|+]$')
if [ "$bad" -eq 0 ]; then
	pass "LANG=C: the right borders line up"
else
	fail "LANG=C: $bad lines without a right border"
	screen
fi
console_quit

# 5: --ascii on a UTF-8 terminal, in English.
console_start 80 24 --ascii --lang en "$url"
if wait_screen 10 '^\+- Alerts \([0-9]+\)' &&
    ! screen | LC_ALL=C grep -q "$(printf '[\200-\377]')"; then
	pass "--ascii: ASCII only"
else
	fail "--ascii: not ASCII"
	screen
fi
console_quit
e2e_finish

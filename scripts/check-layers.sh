#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# The layering, checked (docs/architecture.md, style.md §1):
#
#   1. core/ knows no screen, no network and no line editor: nothing in
#      BUILD/libcore.a refers to a curses, libwebsockets or readline
#      symbol (nm).
#   2. backend/ has no include circle: a module is X.c with its header
#      X.h, and it depends on Y when X.c or X.h includes "Y.h" of another
#      module of backend/; tsort finds any loop in that graph.
#
# Usage: scripts/check-layers.sh BUILD
# Exits 0 when both hold; otherwise says what breaks them and exits 1.
set -u

build=${1:?usage: check-layers.sh BUILD}
lib="$build/libcore.a"
status=0

if [ ! -f "$lib" ]; then
	echo "check-layers: $lib is missing; build it first"
	exit 1
fi

# 1. Symbols. nm -A prints "archive:member: [address] type name"; any
# symbol of the three libraries, defined or used, is a breach.
curses='initscr|newterm|endwin|set_term|doupdate|refresh|newwin|delwin'
curses="$curses|subwin|derwin|newpad|stdscr|curscr|COLS|LINES|COLORS"
curses="$curses|COLOR_PAIRS|start_color|init_pair|use_default_colors"
curses="$curses|keypad|curs_set|beep|flash|napms|noecho|cbreak|raw"
curses="$curses|w?(mv)?w?(move|addn?w?str|addch|add_wch|add_wchn?str|insch"
curses="$curses|erase|clear|clrtoeol|getch|get_wch|attr_on|attr_off|attron"
curses="$curses|attroff|attrset|bkgd|bkgdset|refresh|noutrefresh|border"
curses="$curses|box|hline|vline|in_wch|inch)"
curses="$curses|tigetstr|tigetnum|tputs|setupterm|_nc_[a-z_]+"
lws='lws_[A-Za-z0-9_]+|libwebsocket[A-Za-z0-9_]*'
rl='readline|rl_[A-Za-z0-9_]+|add_history|using_history|read_history'
rl="$rl|write_history|stifle_history|clear_history|history_get"
rl="$rl|history_list|history_length|history_set_pos|where_history"
rl="$rl|previous_history|next_history"
bad=$(nm -A "$lib" 2>/dev/null | awk '{ print $1, $NF }' |
    grep -E " ($curses|$lws|$rl)\$")
if [ -n "$bad" ]; then
	echo "core refers to curses, lws or readline symbols:"
	echo "$bad" | sed 's/^/	/'
	status=1
else
	echo "core: no curses, lws or readline symbol in $lib"
fi

# 2. Include circles in backend/. Every edge "X Y" is X includes Y.
modules=$(for f in backend/*.c include/be-*.h; do
	[ -f "$f" ] || continue
	basename "$f" | sed 's/\.[ch]$//'
done | sort -u)
edges=$(for f in backend/*.c include/be-*.h; do
	[ -f "$f" ] || continue
	from=$(basename "$f" | sed 's/\.[ch]$//')
	sed -n 's/^#[ 	]*include[ 	]*"\([^"]*\)\.h".*/\1/p' "$f" |
	while read -r to; do
		[ "$to" = "$from" ] && continue
		echo "$modules" | grep -qx "$to" && echo "$from $to"
	done
done | sort -u)
loop=$( { echo "$edges"; echo "$modules" | awk '{ print $1, $1 }'; } |
    tsort 2>&1 >/dev/null)
if [ -n "$loop" ]; then
	echo "backend has an include circle:"
	echo "$loop" | sed 's/^tsort: //; s/^/	/'
	status=1
else
	echo "backend: no include circle among $(echo "$modules" |
	    wc -l | tr -d ' ') modules ($(echo "$edges" | grep -c .)" \
	    "dependencies)"
fi
exit $status

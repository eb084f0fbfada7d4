#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Per-client views on a busy province: a client that asks for gauge_ms
# gets fewer hospital and school events (conflated) and an area-scoped
# operator only its areas' events, with "prev" over what was left out and
# "conflated" readings out of order; after watching, what each client
# holds has the backend's digest for it. A plain client on the same feed
# gets every event and the full digest.
#
# Usage: tests/e2e/backend-views.sh BUILD_DIR

. "$(dirname "$0")/lib.sh"
e2e_init backend-views "$@"

a1=$(sed -n '/"areas"/,/\]/s/.*{"code": *"\([A-Za-z0-9_.-]*\)".*/\1/p' \
    "$data/province.json" | head -1)
sup=sup-7d1c2b8e9f0a4c11
scoped=scoped-9f8e7d6c5b4a
cat >"$tmp/tokens" <<EOF
$sup    lan supervisor *
$scoped hoa operator   $a1 scoped
EOF
chmod 600 "$tmp/tokens"
backend_start --tokens "$tmp/tokens" --rate 200 --seed 11 || exit 1

watch() {	# name, tb-client options...
	_w=$1
	shift
	"$client" -t 20 "$@" "$url" watch 3 >"$tmp/$_w.out" 2>"$tmp/$_w.err" &
	eval "pid_$_w=\$!"
}
watch plain -T "$sup"
watch gauge -T "$sup" -g 1000
watch scoped -T "$scoped"
watch both -T "$scoped" -g 1000
for w in plain gauge scoped both; do
	eval "wait \$pid_$w"
	eval "rc_$w=\$?"
done
rate() {	# name
	sed -n 's/^watch.events_per_s \([0-9]*\).*/\1/p' "$tmp/$1.out"
}
for w in plain gauge scoped both; do
	eval "rc=\$rc_$w"
	if [ "$rc" -eq 0 ] && grep -q '^watch.digest equal' "$tmp/$w.out"; then
		pass "$w: $(rate "$w") events/s, $(grep '^watch.digest' \
		    "$tmp/$w.out")"
	else
		fail "$w (exit $rc): $(cat "$tmp/$w.out" "$tmp/$w.err")"
	fi
done
p=$(rate plain)
g=$(rate gauge)
s=$(rate scoped)
b=$(rate both)
if [ -n "$p" ] && [ -n "$g" ] && [ "$g" -lt "$p" ]; then
	pass "conflation: $g events/s instead of $p"
else
	fail "conflation: '$g' events/s, plain '$p'"
fi
if [ -n "$s" ] && [ "$s" -lt "$p" ] && [ -n "$b" ] && [ "$b" -le "$s" ]; then
	pass "scoped: $s events/s, $b with conflation"
else
	fail "scoped: '$s', with conflation '$b', plain '$p'"
fi
# The console does the same: scoped, conflated, and its digest matches.
echo "$scoped" >"$tmp/scoped.token"
chmod 600 "$tmp/scoped.token"
console_start 100 30 --token-file "$tmp/scoped.token" --gauge-ms 1000 "$url"
if wait_screen 10 'hoa'; then
	sleep 2		# A busy feed with gaps and conflated readings.
	console_cmd digest
	if wait_screen 10 'digest [0-9a-f]{16}'; then
		pass "console, scoped and conflated: $(screen |
		    grep -o 'digest [0-9a-f]\{16\}[^│]*' | head -1)"
	else
		fail "console digest: $(screen | tail -2)"
	fi
else
	fail "the console did not connect as hoa"
fi
console_quit
backend_stop || fail "the backend did not stop cleanly"
if grep -Eq 'Sanitizer|runtime error' "$tmp/be.err" "$tmp"/*.err; then
	fail "sanitizer report"
	grep -E -A5 'Sanitizer|runtime error' "$tmp/be.err" "$tmp"/*.err |
	    head -20
fi
e2e_finish

# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Helpers shared by the end-to-end tests; sourced, never run on its own:
#
#	. "$(dirname "$0")/lib.sh"
#	e2e_init my-test "$@"		# $1 = build dir; sets bin, root, tmp ...
#	backend_start --seed 7		# sets url, port, bpid
#	console_start 80 24 "$url"	# the console in tmux session "console"
#	wait_screen 10 'A-[0-9]+' && pass "rows" || fail "no rows"
#	e2e_finish			# exit 0 or 1
#
# Everything that waits polls with a deadline (wait_for); nothing sleeps as
# synchronisation. tmux runs on a private socket (-L NAME-PID); the trap
# kills it, the backend and anything registered with e2e_on_cleanup, and
# removes the temporary directory.
#
# Variables set by e2e_init: e2e_name bin root backend console client tmp
# sock data failed. By backend_start: url port bpid. By console_start:
# cstatus (the file the console's exit status lands in), cerr (its stderr).

# Records a failed check; the test goes on.
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# Records a passed check.
pass() {
	echo "ok: $*"
}

# Runs "$@" (a shell condition, eval'ed) every 0.1 s for at most $1 seconds
# (an integer). Returns 0 as soon as it holds, 1 at the deadline.
wait_for() {
	_wf_n=$(($1 * 10))
	shift
	while [ "$_wf_n" -gt 0 ]; do
		if eval "$@"; then
			return 0
		fi
		sleep 0.1
		_wf_n=$((_wf_n - 1))
	done
	return 1
}

# tmux on the test's private socket, without any user configuration.
tm() {
	tmux -f /dev/null -L "$sock" "$@"
}

# The text of the console's pane (session "console"), one line per row.
screen() {
	tm capture-pane -p -t "${1:-console}" 2>/dev/null
}

# Waits up to $1 seconds for the extended regex $2 to appear in the console's
# pane. Returns 0 when it does, 1 at the deadline.
wait_screen() {
	_ws_secs=$1
	_ws_pat=$2
	wait_for "$_ws_secs" 'screen | grep -Eq -- "$_ws_pat"'
}

# Waits up to $1 seconds for the extended regex $2 to vanish from the pane.
wait_screen_gone() {
	_ws_secs=$1
	_ws_pat=$2
	wait_for "$_ws_secs" '! screen | grep -Eq -- "$_ws_pat"'
}

# Registers a shell command to run at cleanup (before the standard steps).
e2e_on_cleanup() {
	_e2e_hooks="${_e2e_hooks:-}$1
"
}

_e2e_cleanup() {
	if [ -n "${_e2e_hooks:-}" ]; then
		eval "$_e2e_hooks"
	fi
	if [ -n "${sock:-}" ]; then
		tm kill-server 2>/dev/null
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	fi
	backend_stop
	if [ -n "${tmp:-}" ]; then
		[ -n "${E2E_KEEP:-}" ] || rm -rf "$tmp"
	fi
}

# Sets up a test: $1 is its name (for messages, the socket and the temp
# dir), $2 the build dir. Checks the binaries and tmux are there (exits 1
# when not), makes $tmp, picks the dataset and installs the trap.
e2e_init() {
	e2e_name=$1
	bin=${2:?usage: $e2e_name.sh BUILD_DIR}
	root=$(cd "$(dirname "$0")/../.." && pwd)
	case $bin in
	/*) ;;
	*) bin=$(pwd)/$bin ;;
	esac
	backend=$bin/trucban-backend
	console=$bin/trucban
	client=$bin/tools/tb-client
	for _f in "$backend" "$console" "$client"; do
		if [ ! -x "$_f" ]; then
			echo "$e2e_name: $_f is missing; build it first" >&2
			exit 1
		fi
	done
	if ! command -v tmux >/dev/null 2>&1; then
		echo "$e2e_name: tmux is needed" >&2
		exit 1
	fi
	failed=0
	bpid=
	url=
	port=
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$e2e_name.XXXXXX")
	sock=$e2e_name-$$
	trap _e2e_cleanup EXIT
	trap 'exit 1' INT TERM HUP

	# The shipped dataset, or the backend's test fixture.
	data=$root/data/quangninh
	if [ ! -f "$data/province.json" ]; then
		data=$tmp/data
		mkdir -p "$data"
		cp "$root/tests/data/be-province.json" "$data/province.json"
		cp "$root/tests/data/be-texts.json" "$data/texts.json"
	fi
}

_e2e_get_url() {
	url=$(sed -n 's/^trucban-backend: listening on \(wss*:.*\)$/\1/p' \
	    "$tmp/be.out" | tail -1)
	[ -n "$url" ]
}

# Starts the backend with the dataset on 127.0.0.1:${port:-0} (so a restart
# after backend_stop gets the same port back), extra arguments passed on.
# Waits up to 10 s for its "listening on" line; sets url, port and bpid.
# Returns 1 (after printing its stderr) when it does not come up.
backend_start() {
	: >"$tmp/be.out"
	"$backend" --listen "127.0.0.1:${port:-0}" --data "$data" "$@" \
	    >>"$tmp/be.out" 2>>"$tmp/be.err" &
	bpid=$!
	if ! wait_for 10 _e2e_get_url; then
		echo "$e2e_name: the backend did not start" >&2
		cat "$tmp/be.err" >&2
		return 1
	fi
	port=${url##*:}
	port=${port%%/*}
	return 0
}

# Stops the backend (SIGTERM, then waits for it). Returns its exit status,
# 0 when none ran.
backend_stop() {
	_bs_rc=0
	if [ -n "${bpid:-}" ]; then
		kill "$bpid" 2>/dev/null
		wait "$bpid" 2>/dev/null
		_bs_rc=$?
		bpid=
	fi
	return $_bs_rc
}

# tb-client against the running backend, with a 10 s timeout.
tb() {
	"$client" -t 10 "$url" "$@"
}

# Starts the console in tmux session "console" at $1 columns by $2 rows,
# in the top of the tree (so ./themes is found); the rest are its
# arguments (put the URL last). The environment is
# C.UTF-8 and xterm-256color unless E2E_ENV overrides it (e.g.
# E2E_ENV="LANG=C LC_ALL=C TERM=xterm"); XDG dirs point into $tmp.
# Its stderr goes to $cerr, its exit status to $cstatus.
console_start() {
	_cs_x=$1
	_cs_y=$2
	shift 2
	cstatus=$tmp/status
	cerr=$tmp/err.log
	rm -f "$cstatus"
	_cs_env=${E2E_ENV:-LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color}
	_cs_asan=${ASAN_OPTIONS:-detect_leaks=1}
	mkdir -p "$tmp/config" "$tmp/state"
	tm new-session -d -s console -x "$_cs_x" -y "$_cs_y" -c "$root" \
	    "env $_cs_env XDG_STATE_HOME=$tmp/state \
	    XDG_CONFIG_HOME=$tmp/config ASAN_OPTIONS=$_cs_asan \
	    $console --log $tmp/console.log $* 2>$cerr; \
	    echo \$? >$cstatus"
}

# Types $1 at the console's ':' prompt and presses Enter.
console_cmd() {
	tm send-keys -t console ':'
	tm send-keys -t console -l "$1"
	tm send-keys -t console Enter
}

# Quits the console with ":quit" and waits up to 10 s for it to exit.
# Checks (pass/fail) exit status 0 and no sanitizer report on its stderr.
console_quit() {
	console_cmd quit
	if wait_for 10 "[ -s $cstatus ]"; then
		_cq_st=$(cat "$cstatus")
		if [ "$_cq_st" = 0 ]; then
			pass "console exited with status 0"
		else
			fail "console exited with status $_cq_st"
		fi
	else
		fail "console did not exit after :quit"
		screen | tail -n 4
	fi
	console_check_sanitizer
}

# Checks the console's stderr for a sanitizer report.
console_check_sanitizer() {
	if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" \
	    "$cerr" 2>/dev/null; then
		fail "sanitizer report from the console"
		cat "$cerr"
	else
		pass "no sanitizer report from the console"
	fi
}

# Ends the test: exit 0 when no check failed, else 1.
e2e_finish() {
	if [ "$failed" -ne 0 ]; then
		echo "$e2e_name: $failed check(s) failed"
		exit 1
	fi
	echo "$e2e_name: all checks passed"
	exit 0
}

# Asks the console for its digest; prints "HEX SEQ" once it says "ok".
console_digest() {
	console_cmd digest
	if ! wait_screen 10 '[0-9a-f]{16} \(seq [0-9]+\)'; then
		return 1
	fi
	screen | grep -Eo '[0-9a-f]{16} \(seq [0-9]+\)' | tail -1 |
	    sed 's/ (seq \([0-9]*\))/ \1/'
}
# tb-client's digest as "HEX SEQ".
backend_digest() {
	tb digest | awk '{ print $2, $1 }'
}

# Starts a JetStream nats-server on 127.0.0.1 with a free port (the
# server's own -p -1), its store in $tmp/nats-$1, extra arguments passed
# on (cluster options). Waits up to 10 s for it to listen; sets nats_url_$1
# and nats_pid_$1, and kills it at cleanup. Returns 2 when nats-server is
# not installed (the caller skips: scripts/deps.sh ha installs it), 1 when
# it does not come up.
nats_start() {	# name, extra arguments...
	_ns_name=$1
	shift
	command -v nats-server >/dev/null 2>&1 || return 2
	mkdir -p "$tmp/nats-$_ns_name"
	nats-server -a 127.0.0.1 -p -1 -js -sd "$tmp/nats-$_ns_name" \
	    -n "$_ns_name" "$@" >"$tmp/nats-$_ns_name.log" 2>&1 &
	eval "nats_pid_$_ns_name=\$!"
	e2e_on_cleanup "kill -9 \$nats_pid_$_ns_name 2>/dev/null; \
wait \$nats_pid_$_ns_name 2>/dev/null"
	_ns_get() {
		_ns_port=$(sed -n 's/.*Listening for client connections on '\
'127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/nats-$_ns_name.log" \
		    2>/dev/null | tail -1)
		[ -n "$_ns_port" ] && grep -q 'Server is ready' \
		    "$tmp/nats-$_ns_name.log" 2>/dev/null
	}
	if ! wait_for 10 _ns_get; then
		echo "$e2e_name: nats-server $_ns_name did not start" >&2
		cat "$tmp/nats-$_ns_name.log" >&2
		return 1
	fi
	eval "nats_url_$_ns_name=nats://127.0.0.1:$_ns_port"
	return 0
}

#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Check the build and test dependencies with pkg-config and the command
# lookup, and install the missing Debian packages with apt-get (through sudo
# when not root). Prints what it does. Safe to run again: when everything is
# present it prints nothing and exits 0.
#
# Usage: scripts/deps.sh [build|check|fuzz|ha]   (check adds the test tools,
# fuzz clang and libFuzzer for make fuzz, ha the NATS JetStream server and
# C client for trucban-backend --nats and make ha-check)
set -eu

want=${1:-build}
missing=""

need_pc() {	# pkg-config module, Debian package
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {	# command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_h() {	# header (no pkg-config file), Debian package
	[ -f "/usr/include/$1" ] || missing="$missing $2"
}

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pc ncursesw libncurses-dev
need_pc libwebsockets libwebsockets-dev
need_pc jansson libjansson-dev
need_pc readline libreadline-dev
# NFC normalisation of inbound text (u8_normalize); msgfmt for the
# translations.
need_h uninorm.h libunistring-dev
need_cmd msgfmt gettext


if [ "$want" = check ]; then
	need_pc cmocka libcmocka-dev
	need_cmd tmux tmux
	# Certificates for the TLS test (tests/e2e/backend-auth.sh).
	need_cmd openssl openssl
	need_cmd xgettext gettext
	# A replay opens no socket, and its asciicast plays
	# (tests/e2e/replay-*.sh).
	need_cmd strace strace
	need_cmd asciinema asciinema
fi
# The JetStream backend (docs/ha.md) is optional: only the ha target, and
# the check target (which runs the short HA test), need the NATS server and
# the C client. Without libnats the backend builds without --nats.
if [ "$want" = ha ] || [ "$want" = check ]; then
	need_pc libnats libnats-dev
	need_cmd nats-server nats-server
fi
if [ "$want" = fuzz ]; then
	need_cmd clang clang
	# libFuzzer's runtime comes with clang's runtime libraries.
	if command -v clang >/dev/null 2>&1 && [ ! -f "$(clang \
	    -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]
	then
		missing="$missing libclang-rt-dev"
	fi
fi
# Locale data: the console is tested in C.UTF-8, which glibc always has;
# Vietnamese works there through LANGUAGE (console/i18n.c), so no vi_VN
# locale needs generating.

[ -z "$missing" ] && exit 0

echo "deps.sh: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps.sh: not root and no sudo; please install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
echo "deps.sh: done"

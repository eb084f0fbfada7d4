# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# trucban: non-recursive Makefile. Objects and binaries go under $(BUILD).
# `make check` builds a second tree, build/san, with ASan and UBSan, and runs
# every test against it. Missing Debian packages are installed by
# scripts/deps.sh, which `all`, `demo` and `check` call first.

VERSION		= 0.1.0
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
DATADIR		?= $(PREFIX)/share/trucban
LOCALEDIR	?= $(PREFIX)/share/locale
MANDIR		?= $(PREFIX)/share/man
DESTDIR		?=

BUILD		?= build
SAN		?=
OPT		?= -O2 -g

PKGS		= ncursesw libwebsockets jansson readline
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The NATS JetStream client is optional (docs/ha.md): with it the backend
# runs as a gateway over a JetStream stream (--nats); without it --nats
# says it was built without. scripts/deps.sh ha installs it.
ifneq ($(shell pkg-config --exists libnats 2>/dev/null && echo y),)
PKG_CFLAGS	+= -DHAVE_NATS $(shell pkg-config --cflags libnats)
NATS_LIBS	:= $(shell pkg-config --libs libnats)
endif
CMOCKA_CFLAGS	:= $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS	:= $(shell pkg-config --libs cmocka 2>/dev/null)

ifneq ($(SAN),)
SANFLAGS	= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
OPT		= -O1 -g
endif
# The libFuzzer build (make fuzz): clang, every object instrumented for
# coverage; only the fuzz targets link libFuzzer's main.
ifneq ($(FUZZ),)
SANFLAGS	= -fsanitize=fuzzer-no-link,address,undefined \
		  -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT		= -O2 -g
endif

CC		?= cc
CPPFLAGS	+= -D_GNU_SOURCE -DTRUCBAN_VERSION='"$(VERSION)"' \
		   -DTRUCBAN_DATADIR='"$(DATADIR)"' \
		   -DTRUCBAN_LOCALEDIR='"$(LOCALEDIR)"' -Iinclude
CFLAGS		+= -std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		   -Wstrict-prototypes -Wmissing-prototypes \
		   $(OPT) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS		+= $(SANFLAGS)
LDLIBS		+= $(PKG_LIBS) -lunistring -lm

CORE_SRC	:= $(wildcard core/*.c)
BACKEND_SRC	:= $(filter-out backend/main.c,$(wildcard backend/*.c))
CONSOLE_SRC	:= $(filter-out console/main.c,$(wildcard console/*.c)) \
		   $(wildcard widgets/*.c)
TEST_SRC	:= $(wildcard tests/test-*.c)
TOOL_SRC	:= $(wildcard tests/tools/*.c)
TESTLIB_SRC	:= $(wildcard tests/lib/*.c)
# libFuzzer targets, one per file: tests/fuzz/fuzz-NAME.c, with its seed
# corpus in tests/fuzz/corpus/NAME/.
FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz-*.c)

obj		= $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

CORE_LIB	= $(BUILD)/libcore.a
BACKEND_LIB	= $(BUILD)/libbackend.a
CONSOLE_LIB	= $(BUILD)/libconsole.a
TEST_LIB	= $(BUILD)/libtest.a
PROGS		= $(BUILD)/trucban $(BUILD)/trucban-backend
TESTS		= $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TOOLS		= $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
# Each target twice: linked with libFuzzer (make fuzz, clang), and with
# tests/fuzz/replay.c, which runs it on its corpus (make check, any CC).
FUZZERS		= $(patsubst tests/fuzz/fuzz-%.c,$(BUILD)/fuzz/fuzz-%,$(FUZZ_SRC))
REPLAYS		= $(patsubst tests/fuzz/fuzz-%.c,$(BUILD)/fuzz/replay-%,\
		  $(FUZZ_SRC))
FUZZ_BUILD	?= build/fuzz
FUZZ_CC		?= clang
# Translations: po/LANG.po -> $(BUILD)/locale/LANG/LC_MESSAGES/trucban.mo,
# where the console finds them when it runs from the build directory.
PO_SRC		:= $(wildcard po/*.po)
MO		= $(patsubst po/%.po,$(BUILD)/locale/%/LC_MESSAGES/trucban.mo,\
		  $(PO_SRC))

.PHONY: all deps demo check test-build bench soak valgrind install uninstall \
	clean po-update fuzz fuzz-build ha-check FORCE
.DEFAULT_GOAL := all
# Keep test and tool objects: they are not throwaway intermediates.
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory $(PROGS) $(MO)

deps:
	@sh scripts/deps.sh build

# Objects depend on the flags they were built with (PREFIX, SAN, ...), so
# `make install PREFIX=/usr` after a plain `make` rebuilds what it must.
FLAGS_STAMP	= $(BUILD)/.flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
	    echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(CORE_LIB): $(call obj,$(CORE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(BACKEND_LIB): $(call obj,$(BACKEND_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(CONSOLE_LIB): $(call obj,$(CONSOLE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(TEST_LIB): $(call obj,$(TESTLIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/trucban: $(call obj,console/main.c) $(CONSOLE_LIB) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/trucban-backend: $(call obj,backend/main.c) $(BACKEND_LIB) \
    $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NATS_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_LIB) $(CONSOLE_LIB) \
    $(BACKEND_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NATS_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz/fuzz-%: $(BUILD)/obj/tests/fuzz/fuzz-%.o $(CONSOLE_LIB) \
    $(BACKEND_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS) $(NATS_LIBS)

$(BUILD)/fuzz/replay-%: $(BUILD)/obj/tests/fuzz/fuzz-%.o \
    $(BUILD)/obj/tests/fuzz/replay.o $(CONSOLE_LIB) $(BACKEND_LIB) \
    $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NATS_LIBS)

# Tools that drive the backend's or the console's own code (make bench).
BACKEND_TOOLS	= $(BUILD)/tools/bench-journal $(BUILD)/tools/bench-sim \
		  $(BUILD)/tools/bench-state
CONSOLE_TOOLS	= $(BUILD)/tools/bench-client $(BUILD)/tools/bench-ingest
$(BACKEND_TOOLS): $(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o \
    $(BACKEND_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NATS_LIBS)
$(CONSOLE_TOOLS): $(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o \
    $(CONSOLE_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/locale/%/LC_MESSAGES/trucban.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# Refresh po/trucban.pot from the sources and merge it into each po file.
po-update:
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	    --keyword=C_:1c,2 --keyword=NC_:1c,2 --add-comments=TRANSLATORS \
	    --package-name=trucban --package-version=$(VERSION) \
	    --sort-by-file --add-location=file -o po/trucban.pot \
	    console/*.c widgets/*.c
	for po in $(PO_SRC); do msgmerge -q -U --backup=none $$po \
	    po/trucban.pot; done

test-build: $(PROGS) $(TESTS) $(TOOLS) $(REPLAYS) $(MO)

# Every test, against the sanitised build: unit and render tests, each
# fuzz target's seed corpus replayed, then the end-to-end tests under tmux.
check:
	@sh scripts/deps.sh check
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 test-build
	@sh scripts/run-tests.sh build/san

# The backend over a 3-node JetStream cluster, through its faults: a
# gateway killed, the stream's leader node killed, a gateway stopped for
# 30 s, with clients and three consoles (under tmux) sending commands
# (docs/ha.md; HA_STOP_SECS shortens the stop, HA_CONSOLES=0..3).
ha-check:
	@sh scripts/deps.sh ha
	@$(MAKE) --no-print-directory $(PROGS) $(BUILD)/tools/tb-client
	@sh scripts/ha-check.sh $(BUILD)

# Build every libFuzzer target with clang in $(FUZZ_BUILD) and run each
# for FUZZ_SECS seconds (default 60) on its corpus; new inputs go to
# $(FUZZ_BUILD)/fuzz/new/NAME, crashes to $(FUZZ_BUILD)/fuzz/crash/
# (scripts/fuzz.sh; FUZZ_TARGETS picks some, FUZZ_RUNS caps executions).
fuzz:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) FUZZ=1 \
	    fuzz-build
	@sh scripts/fuzz.sh $(FUZZ_BUILD)

fuzz-build: $(FUZZERS)

demo: all
	$(BUILD)/trucban --demo

# The performance figures (scripts/bench.sh, docs/bench.md): about 15
# minutes; $(BUILD)/bench.json. Not part of check.
bench: all
	@sh scripts/deps.sh check
	@$(MAKE) --no-print-directory $(TOOLS)
	@bash scripts/bench.sh $(BUILD)

# Minutes of random keys, commands and resizes against the sanitised
# console (scripts/soak.sh; SOAK_SECS, SOAK_SEED).
soak:
	@sh scripts/deps.sh check
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 test-build
	@bash scripts/soak.sh build/san

valgrind: all
	@$(MAKE) --no-print-directory $(TESTS)
	@sh scripts/run-tests.sh $(BUILD) valgrind

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes \
	    $(DESTDIR)$(DATADIR)/data $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	cp -R data/. $(DESTDIR)$(DATADIR)/data/
	-cp themes/*.theme $(DESTDIR)$(DATADIR)/themes/ 2>/dev/null
	install -m 644 docs/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/trucban.bash-completion \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/trucban
	for mo in $(MO); do l=$${mo#$(BUILD)/locale/}; l=$${l%%/*}; \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/trucban $(DESTDIR)$(BINDIR)/trucban-backend
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/trucban.1 \
	    $(DESTDIR)$(MANDIR)/man1/trucban-backend.1
	rm -f $(DESTDIR)$(LOCALEDIR)/*/LC_MESSAGES/trucban.mo
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/trucban

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

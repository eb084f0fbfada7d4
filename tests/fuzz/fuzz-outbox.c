/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for the outbox loader: the fuzzer's bytes are an
 * outbox file, which outbox_open() reads as a console starting again
 * does. Nothing may be lost: every line it cannot read is set aside in
 * outbox.bad, and opening the rewritten file again finds the same
 * commands, in the same order, and nothing more to set aside. Seeds:
 * corpus/outbox/.
 *
 * Build, with the libraries built by the same compiler and flags:
 *   make BUILD=build/fuzz CC=clang \
 *     OPT='-O1 -g -fsanitize=fuzzer-no-link,address,undefined' \
 *     build/fuzz/libconsole.a build/fuzz/libcore.a
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Iinclude tests/fuzz/fuzz-outbox.c build/fuzz/libconsole.a \
 *     build/fuzz/libcore.a $(pkg-config --libs jansson) -lunistring -lm \
 *     -o build/fuzz/fuzz-outbox
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "outbox.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fo_dir[256];
static char	fo_path[512];

static void
fo_clean(void)
{
	static const char *const suffixes[] = { "", ".bad", ".tmp", ".lock" };
	char	path[600];
	size_t	i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(path, sizeof path, "%s%s", fo_path, suffixes[i]);
		unlink(path);
	}
}

static void
fo_cleanup(void)
{
	fo_clean();
	rmdir(fo_dir);
}

static void
fo_init(void)
{
	struct stat	sb;

	log_open("/dev/null", "fuzz-outbox");
	snprintf(fo_dir, sizeof fo_dir, "%s/fuzz-outbox.XXXXXX",
	    stat("/dev/shm", &sb) == 0 && access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm" : getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fo_dir) == NULL)
		abort();
	snprintf(fo_path, sizeof fo_path, "%s/outbox", fo_dir);
	atexit(fo_cleanup);
}

/* The ids in the outbox, in order, with what each carries. */
static void
fo_ids(struct outbox *ob, struct buf *b)
{
	struct outbox_entry	*e;

	TAILQ_FOREACH(e, &ob->list, entry) {
		if (outbox_entry_msg(e) == NULL ||
		    strcmp(outbox_entry_text(e), e->text) != 0)
			abort();
		buf_printf(b, "%s %lld %s\n", e->id,
		    (long long)outbox_entry_version(e), e->key);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outbox	*ob;
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	char		*cause = NULL, *text;
	size_t		 dropped;
	int		 fd;

	if (fo_path[0] == '\0')
		fo_init();
	fo_clean();
	if ((fd = open(fo_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);

	if ((ob = outbox_open(fo_path, &cause)) == NULL) {
		fprintf(stderr, "fuzz-outbox: %s\n", cause);
		abort();
	}
	fo_ids(ob, &a);
	dropped = ob->dropped;
	if (outbox_quarantined(ob) != dropped)
		abort();
	text = outbox_text(ob, 420, 0);
	free(text);
	outbox_free(ob);

	if ((ob = outbox_open(fo_path, &cause)) == NULL) {
		fprintf(stderr, "fuzz-outbox: again: %s\n", cause);
		abort();
	}
	fo_ids(ob, &b);
	if (ob->dropped != 0 || outbox_quarantined(ob) != dropped ||
	    strcmp(buf_str(&a), buf_str(&b)) != 0)
		abort();
	outbox_free(ob);
	buf_free(&a);
	buf_free(&b);
	return (0);
}

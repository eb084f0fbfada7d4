/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for the journal's reader: a state directory made of
 * the fuzzer's bytes is opened as a restarting backend opens it
 * (be_journal_open(): the snapshot, the segment replayed, a torn or
 * uncommitted tail cut off), closed, and opened again, which must then
 * find the same state and nothing more to cut.
 *
 * The input is the segment journal-00000000000000000000.log. When it
 * holds a line "--", the bytes before that line are the snapshot
 * snap-00000000000000000000.json instead of the snapshot of an empty
 * province that the target makes at start. Seeds: corpus/journal/.
 *
 * Build, with the libraries built by the same compiler and flags:
 *   make BUILD=build/fuzz CC=clang \
 *     OPT='-O1 -g -fsanitize=fuzzer-no-link,address,undefined' \
 *     build/fuzz/libbackend.a build/fuzz/libcore.a
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Iinclude tests/fuzz/fuzz-journal.c build/fuzz/libbackend.a \
 *     build/fuzz/libcore.a $(pkg-config --libs jansson libwebsockets) \
 *     -lunistring -lm -o build/fuzz/fuzz-journal
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-journal.h"
#include "be-state.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define FJ_SNAP		"snap-00000000000000000000.json"
#define FJ_SEG		"journal-00000000000000000000.log"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fj_dir[256];
static char	*fj_snap;		/* The empty province's snapshot. */
static size_t	 fj_snap_len;

static void
fj_clean(void)
{
	static const char *const names[] = { FJ_SNAP, FJ_SEG, "lock",
	    FJ_SNAP ".tmp" };
	char	path[512];
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fj_dir, names[i]);
		unlink(path);
	}
}

static void
fj_cleanup(void)
{
	fj_clean();
	rmdir(fj_dir);
}

static void
fj_write(const char *name, const void *p, size_t len)
{
	char	path[512];
	int	fd;

	snprintf(path, sizeof path, "%s/%s", fj_dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (len > 0 && write(fd, p, len) != (ssize_t)len))
		abort();
	close(fd);
}

/* A temporary directory (in memory when it can), and the snapshot. */
static void
fj_init(void)
{
	struct be_state		*st;
	struct be_journal	*j;
	struct stat		 sb;
	char			 path[512], *cause = NULL;
	FILE			*f;

	log_open("/dev/null", "fuzz-journal");
	snprintf(fj_dir, sizeof fj_dir, "%s/fuzz-journal.XXXXXX",
	    stat("/dev/shm", &sb) == 0 && access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm" : getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fj_dir) == NULL)
		abort();
	atexit(fj_cleanup);
	st = be_state_new(1);
	if (be_journal_open(st, fj_dir, 0, &j, &cause) != 0) {
		fprintf(stderr, "fuzz-journal: %s\n", cause);
		abort();
	}
	be_journal_close(j, NULL);
	be_state_free(st);
	snprintf(path, sizeof path, "%s/%s", fj_dir, FJ_SNAP);
	if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &sb) != 0)
		abort();
	fj_snap_len = (size_t)sb.st_size;
	fj_snap = xmalloc(fj_snap_len);
	if (fread(fj_snap, 1, fj_snap_len, f) != fj_snap_len)
		abort();
	fclose(f);
	fj_clean();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct be_state		*st;
	struct be_journal	*j;
	const uint8_t		*seg = data, *p;
	size_t			 seglen = size;
	char			 d1[17], d2[17], *cause = NULL;
	uint64_t		 seq;

	if (fj_snap == NULL)
		fj_init();
	fj_clean();
	if (size >= 3 && memcmp(data, "--\n", 3) == 0) {
		fj_write(FJ_SNAP, data, 0);
		seg = data + 3;
		seglen = size - 3;
	} else if ((p = memmem(data, size, "\n--\n", 4)) != NULL) {
		fj_write(FJ_SNAP, data, (size_t)(p + 1 - data));
		seg = p + 4;
		seglen = size - (size_t)(seg - data);
	} else
		fj_write(FJ_SNAP, fj_snap, fj_snap_len);
	fj_write(FJ_SEG, seg, seglen);

	st = be_state_new(1);
	if (be_journal_open(st, fj_dir, 0, &j, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		be_state_free(st);
		return (0);
	}
	store_digest(st->store, d1);
	seq = st->store->seq;
	if (be_journal_close(j, NULL) != 0)
		abort();
	be_state_free(st);

	/* Whatever was cut, the directory now opens clean, the same. */
	st = be_state_new(1);
	if (be_journal_open(st, fj_dir, 0, &j, &cause) != 0) {
		fprintf(stderr, "fuzz-journal: the second open: %s\n", cause);
		abort();
	}
	store_digest(st->store, d2);
	if (st->store->seq != seq || strcmp(d1, d2) != 0 ||
	    be_journal_stats(j)->truncated != 0 ||
	    be_journal_stats(j)->uncommitted != 0)
		abort();
	be_journal_close(j, NULL);
	be_state_free(st);
	return (0);
}

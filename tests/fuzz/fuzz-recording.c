/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for a recording (console/record.c's reader) and its
 * replay (console/replay.c) into a sync and a store, as the console does:
 * the fuzzer's bytes are the file, read through by the reader, then
 * replayed both ways (watching, and in training with checkpoints every
 * few messages, played to its end, back to its middle, and on again).
 * Whatever the bytes, nothing may crash, leak or read out of bounds, and
 * a replay ends at the end of the file or at its damage. Seeds:
 * tests/fuzz/corpus/recording/.
 */

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "record.h"
#include "replay.h"
#include "store.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_replay(const char *path, enum replay_mode mode)
{
	struct store	*st = store_new();
	struct sync	*s = sync_create(st, NULL);
	struct replay	*rp;
	struct replay_status rs;
	char		*cause = NULL;

	if ((rp = replay_open(path, st, s, mode, NULL, &cause)) == NULL)
		free(cause);
	else {
		if (replay_start(rp, mode == REPLAY_TRAIN ? 3 : 0) == 0) {
			replay_play_all(rp);
			replay_get_status(rp, &rs);
			if (!replay_ended(rp))
				abort();
			replay_seek(rp, rs.t0 + (rs.t1 - rs.t0) / 2);
			replay_play_all(rp);
			json_decref(replay_score_json(rp));
		}
		replay_free(rp);
	}
	sync_free(s);
	store_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_reader	*rd;
	struct record_line	 line;
	char			 path[64], *cause = NULL;
	int			 fd, n = 0;

	log_level = LOG_ERROR;
	if ((rd = record_reader_new(data, size, &cause)) == NULL)
		free(cause);
	else {
		while (n++ < 100000 && record_read(rd, &line, &cause) ==
		    RECORD_LINE)
			/* nothing */;
		free(cause);
		record_reader_free(rd);
	}

	if ((fd = memfd_create("recording", 0)) == -1)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	fuzz_replay(path, REPLAY_WATCH);
	fuzz_replay(path, REPLAY_TRAIN);
	close(fd);
	clock_set_real();
	return (0);
}

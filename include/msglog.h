/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The message log: every result, refusal and notice the console showed on
 * its status line, with the time and the full text, the newest last, at
 * most a fixed number (the oldest go first). The status line has room
 * for one short message; the log keeps them all for ":messages".
 *
 * Ownership: the log owns its entries' texts; msglog_text() returns an
 * allocated string the caller frees.
 */

#ifndef MSGLOG_H
#define MSGLOG_H

#include <stddef.h>
#include <stdint.h>

#define MSGLOG_MAX	500	/* Entries kept by default. */

struct msglog_entry {
	int64_t		 ts;		/* ms, wall clock. */
	int		 error;		/* A refusal or a fault. */
	char		*text;		/* Owned; sanitised. */
};

struct msglog {
	struct msglog_entry	*v;	/* A ring of max entries. */
	size_t			 max;
	size_t			 n;	/* Held. */
	size_t			 head;	/* Index of the oldest. */
	uint64_t		 added;	/* Ever added: a serial. */
};

struct msglog	*msglog_create(size_t max);
void		 msglog_free(struct msglog *);
void		 msglog_add(struct msglog *, int64_t ts, int error,
		     const char *text);
const struct msglog_entry *msglog_get(const struct msglog *, size_t i);
char		*msglog_text(const struct msglog *, int utc_offset_min,
		     int ascii, size_t cols);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The journal (--state DIR): every event and every remembered command id,
 * appended to segment files and made durable before anything that depends
 * on them is sent, plus periodic snapshots so a restart reads one snapshot
 * and a short tail. The format is in docs/journal.md.
 */

#ifndef BE_JOURNAL_H
#define BE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct be_journal;
struct be_msg;
struct be_state;

#define BE_JOURNAL_FORMAT		2	/* Reads 1 too. */
#define BE_JOURNAL_SNAPSHOT_EVERY	100000	/* Events; default. */
#define BE_JOURNAL_KEEP			2	/* Snapshots kept. */

/* What opening found and did, for the log and the bench. */
struct be_journal_stats {
	int		 restored;	/* 0: a new state directory. */
	uint64_t	 snapshot_seq;	/* The snapshot loaded. */
	uint64_t	 events;	/* Replayed after it. */
	uint64_t	 commands;	/* Command records replayed. */
	size_t		 truncated;	/* Bytes of a torn tail cut off. */
	size_t		 uncommitted;	/* Bytes without a commit cut off. */
	int64_t		 ms;		/* Time to open and replay. */
	uint64_t	 syncs;		/* fdatasync() calls since. */
	uint64_t	 bytes;		/* Bytes appended since. */
};

int	be_journal_open(struct be_state *, const char *dir,
	    uint64_t snapshot_every, struct be_journal **, char **cause);
int	be_journal_close(struct be_journal *, char **cause);
void	be_journal_event(struct be_journal *, struct be_msg *);
void	be_journal_command(struct be_journal *, const char *id,
	    const char *by, const char *payload, const char *result);
int	be_journal_flush(struct be_journal *, char **cause);
int	be_journal_pending(const struct be_journal *);
int	be_journal_snapshot(struct be_journal *, char **cause);
int	be_journal_since(struct be_journal *, uint64_t after, uint64_t last,
	    size_t max, void (*)(void *, struct be_msg *), void *);
const struct be_journal_stats *be_journal_stats(const struct be_journal *);
uint32_t be_journal_crc32(const void *, size_t);
json_t	*be_journal_snapshot_record(struct be_state *);
int	 be_journal_load_record(struct be_state *, const char *, size_t,
	    uint64_t seq, const char *where, char **cause);

#endif

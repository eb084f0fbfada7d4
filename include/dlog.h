/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Durable logs: the append-only files the backend's journal and the
 * console's outbox keep, one framing for both, and the private files
 * around them. A log is a sequence of records, one a line:
 *
 *	<crc> <text>\n
 *
 * eight lower-case hexadecimal digits of the CRC-32 (zlib's) of the text,
 * a space, the text (JSON, without a newline), a newline. What the text
 * means is the caller's business; this module writes, syncs, reads back,
 * cuts torn tails, replaces files atomically and locks, and every file it
 * opens is the caller's own: 0600, never through a symbolic link.
 */

#ifndef DLOG_H
#define DLOG_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define DLOG_HEAD	9	/* "1f0c9a3e ": the checksum and a space. */

/* ==== Records ==== */

uint32_t	 dlog_crc32(const void *, size_t);
void		 dlog_frame(struct buf *, const char *text, size_t len);

enum dlog_status {
	DLOG_END = 0,		/* Nothing more. */
	DLOG_OK,		/* A whole record; text and len are set. */
	DLOG_BAD,		/* A line that is not a good record. */
	DLOG_TORN		/* Bytes without a newline at the very end. */
};

/* Reads the records of a buffer (a mapped file), in order. */
struct dlog_reader {
	const unsigned char	*p;
	size_t			 size;
	size_t			 off;	/* Where the next one starts. */
	int			 flags;
#define DLOG_READ_BARE 0x1	/* Take a line starting with '{' as a record
				   without a checksum (the outbox's first
				   format). */
#define DLOG_READ_CHECKED 0x2	/* These bytes were read through once
				   already: skip the checksums. */

	/* The record dlog_read() returned last. */
	size_t			 start;	/* Its first byte. */
	size_t			 end;	/* After its newline. */
	const char		*text;	/* DLOG_OK; not NUL-ended. */
	size_t			 len;
	int			 bare;	/* DLOG_OK without a checksum. */
	const char		*why;	/* DLOG_BAD, DLOG_TORN. */
};

void		 dlog_reader_init(struct dlog_reader *, const void *,
		     size_t, int flags);
enum dlog_status dlog_read(struct dlog_reader *);
int		 dlog_reader_more(const struct dlog_reader *);

/* ==== Files ==== */

/* A file mapped read-only (p is NULL when it is empty). */
struct dlog_map {
	int		 fd;		/* -1 when not ours to close. */
	unsigned char	*p;
	size_t		 size;
};

int		 dlog_open_private(int dirfd, const char *path, int flags,
		     char **cause);
FILE		*dlog_fopen_private(const char *path, const char *mode,
		     char **cause);
int		 dlog_check_private(const char *path, char **cause);
int		 dlog_lock(int dirfd, const char *name, char **cause);
int		 dlog_open_dir(const char *path, char **base, char **cause);
int		 dlog_map(int dirfd, const char *name, int writable,
		     struct dlog_map *, char **cause);
int		 dlog_map_fd(int fd, struct dlog_map *, char **cause);
void		 dlog_unmap(struct dlog_map *);
int		 dlog_write_all(int fd, const void *, size_t);
int		 dlog_replace(int dirfd, const char *name, const void *,
		     size_t, int (*sync)(int), char **cause);

/* ==== Appending ==== */

/* One log file open for appending. */
struct dlog {
	int		 dirfd;		/* Borrowed. */
	char		*name;		/* In dirfd. */
	int		 fd;		/* O_APPEND. */
	struct buf	 buf;		/* Records not yet written. */
	int		 unsynced;	/* Written, not synced. */
	int		(*sync)(int);	/* fdatasync(); tests set it. */
	uint64_t	 nsync;		/* Syncs, the directory's too. */
	uint64_t	 written;	/* Bytes written. */
};

struct dlog	*dlog_open(int dirfd, const char *name, char **cause);
void		 dlog_free(struct dlog *);
void		 dlog_add(struct dlog *, const char *text, size_t len);
int		 dlog_write(struct dlog *);
int		 dlog_sync(struct dlog *);
int		 dlog_append(struct dlog *, const char *text, size_t len,
		     char **cause);
int		 dlog_truncate(struct dlog *, off_t);
int		 dlog_rewrite(struct dlog *, const void *, size_t,
		     char **cause);
int		 dlog_sync_dir(struct dlog *);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The archive: what retention took out of the live state (alerts closed,
 * feedback cases closed or returned, a window ago), kept on disk and
 * queryable by page (docs/protocol.md "archive"). It holds in memory only
 * a sparse index, one entry every BE_ARCHIVE_STRIDE records.
 */

#ifndef BE_ARCHIVE_H
#define BE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct be_archive;
struct operator;

#define BE_ARCHIVE_FILE		"archive.jsonl"
#define BE_ARCHIVE_STRIDE	64	/* Records per index entry. */
/* Items a page by default and at most; bytes one query reads at most. */
#define BE_ARCHIVE_PAGE		50
#define BE_ARCHIVE_PAGE_MAX	200
#define BE_ARCHIVE_SCAN_MAX	(4 * 1024 * 1024)

/* Called by be_archive_open() with every record's kind and id. */
typedef void	(*be_archive_id_cb)(void *arg, const char *kind,
		    const char *id);

int		 be_archive_open(const char *dir, be_archive_id_cb,
		     void *arg, struct be_archive **, char **cause);
void		 be_archive_free(struct be_archive *);
int		 be_archive_add(struct be_archive *, json_t *ev);
int		 be_archive_sync(struct be_archive *, char **cause);
uint64_t	 be_archive_last_seq(const struct be_archive *);
size_t		 be_archive_count(const struct be_archive *);
json_t		*be_archive_query(struct be_archive *,
		     const struct operator *scope, json_t *msg);

#endif

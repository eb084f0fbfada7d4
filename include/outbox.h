/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The outbox: every officer's command from the moment it is accepted until
 * its result arrives, in order, kept on disk ($XDG_STATE_HOME/trucban/
 * outbox, fsynced) so that neither a dropped link nor a killed console
 * loses one. The connection sends what is queued, with the original ids,
 * when the link is back; the backend applies each id at most once.
 *
 * Commands on one item go one at a time: a command waits (held) while an
 * earlier one that changes its item has no result, and when that one
 * succeeds the waiting one takes the item's new version (the officer's
 * own change is no news to the officer) before it is first sent.
 *
 * A command is kept both as the text that goes on the wire and parsed
 * (outbox_entry_msg()), so nobody parses it again. A record of the file
 * that cannot be read back is never just dropped: it is set aside in
 * path.bad (appended, never rewritten; outbox_quarantined() counts it).
 */

#ifndef OUTBOX_H
#define OUTBOX_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "proto.h"

struct dlog;

#define OUTBOX_COMPACT_AT	64	/* Dead records before a rewrite. */
#define OUTBOX_KEY_MAX		32	/* "alert:A-0012". */
#define OUTBOX_TOUCH_MAX	(1 + ALERT_MAX_UNITS)

enum outbox_state {
	OUTBOX_QUEUED,			/* Not sent on the current link. */
	OUTBOX_SENT			/* Sent; waiting for its result. */
};

struct outbox_entry {
	char			 id[PROTO_CMD_ID_MAX];
	char			*cmd;		/* "ack". */
	char			*summary;	/* "ack A-0003". */
	char			*text;		/* The cmd message (JSON). */
	json_t			*msg;		/* The same, parsed; owned. */
	int64_t			 queued;	/* ms: accepted at. */
	enum outbox_state	 state;
	/* The item it names first ("" none), and every item it changes. */
	char			 key[OUTBOX_KEY_MAX];
	char			 touch[OUTBOX_TOUCH_MAX][OUTBOX_KEY_MAX];
	int			 ntouch;
	TAILQ_ENTRY(outbox_entry) entry;
};
TAILQ_HEAD(outbox_list, outbox_entry);

struct outbox {
	char			*path;		/* NULL: in memory only. */
	char			*bad_path;	/* path.bad. */
	int			 dirfd;		/* path's directory. */
	char			*name;		/* path's name in it. */
	struct dlog		*log;		/* The file; NULL: memory. */
	struct dlog		*bad;		/* path.bad, once written. */
	int			 lockfd;	/* path.lock, flock'ed. */
	struct outbox_list	 list;		/* Oldest first. */
	size_t			 n;
	size_t			 records;	/* Lines in the file. */
	size_t			 dropped;	/* Set aside when loaded. */
	size_t			 quarantined;	/* Records in path.bad. */
};

struct outbox		*outbox_open(const char *path, char **cause);
void			 outbox_free(struct outbox *);
struct outbox_entry	*outbox_add(struct outbox *, const char *id,
			     const char *cmd, const char *summary,
			     const char *text, char **cause);
struct outbox_entry	*outbox_add_new(struct outbox *, const char *summary,
			     json_t *msg, char **cause);
int			 outbox_done(struct outbox *, const char *id);
int			 outbox_update(struct outbox *, struct outbox_entry *,
			     const char *text, char **cause);
int			 outbox_set_version(struct outbox *,
			     struct outbox_entry *, uint32_t, char **cause);
json_t			*outbox_entry_msg(const struct outbox_entry *);
json_t			*outbox_entry_args(const struct outbox_entry *);
const char		*outbox_entry_text(const struct outbox_entry *);
int64_t			 outbox_entry_version(const struct outbox_entry *);
size_t			 outbox_quarantined(const struct outbox *);
const char		*outbox_quarantine_path(const struct outbox *);
int			 outbox_touches(const struct outbox_entry *,
			     const char *key);
int			 outbox_held(struct outbox *, struct outbox_entry *);
struct outbox_entry	*outbox_find(struct outbox *, const char *id);
size_t			 outbox_count(struct outbox *, enum outbox_state);
void			 outbox_requeue(struct outbox *);
int			 outbox_compact(struct outbox *, char **cause);
char			*outbox_text(struct outbox *, int utc_offset_min,
			     int ascii);
char			*outbox_state_path(const char *name);

#endif

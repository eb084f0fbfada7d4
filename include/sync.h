/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's side of the protocol, apart from any transport: it takes
 * the backend's messages as texts, keeps a store in step (welcome,
 * snapshot, events in seq order, resuming after a gap, conflated gauges,
 * presence), pumps the officer's commands out of the outbox and matches
 * their results. It knows no socket, no libwebsockets and no curses: a
 * host carries it. The host says when its link comes up and goes down,
 * hands over every whole message received, and does what the sync asks
 * through struct sync_transport (send a text, arm a timer, drop the link).
 * console/conn.c is the websocket host; a replay or a relay can be another.
 */

#ifndef SYNC_H
#define SYNC_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "follow.h"
#include "outbox.h"
#include "snapparts.h"
#include "store.h"

struct recorder;

#define SYNC_PREFIX_BYTES	6	/* Random bytes in command ids. */
#define SYNC_INFLIGHT_MAX	16	/* Commands sent, not answered. */
#define SYNC_THROTTLE_MS	1000	/* Wait after rate_limited. */
#define SYNC_WELCOME_MS		15000	/* hello sent: welcome due. */
#define SYNC_SNAPSHOT_MS	60000	/* welcome (no resume): snapshot due. */
#define SYNC_GAP_TRIES		2	/* Gaps at one seq: then a snapshot. */
#define SYNC_SKIP_LOG		20	/* Skipped items logged one by one. */
#define SYNC_SKIP_MAX		4096	/* Skipped items remembered. */
#define SYNC_ARCHIVE_PAGE	20	/* Archived items a page. */
/* A snapshot this large is read item by item. */
#define SYNC_STREAM_MIN		(256 * 1024)
#define SYNC_BEAT_MISSES	3	/* Beats missed: the link is dead. */

/* The state of the host's link, for the header. */
enum sync_link {
	SYNC_LINK_CONNECTING,		/* Never connected yet. */
	SYNC_LINK_CONNECTED,
	SYNC_LINK_RECONNECTING,		/* Had a link; trying again. */
	SYNC_LINK_OFFLINE,		/* The backend is gone for good. */
	SYNC_LINK_REFUSED		/* Token refused: no more retries. */
};

/* What the header shows; plain data the host copies to the screen. */
struct sync_status {
	enum sync_link	 link;
	int64_t		 stale_since;	/* ms; 0 when fresh. */
	char		 operator[64];	/* Sanitised. */
	char		 role[32];	/* Sanitised. */
	/* Who else is connected: "lan, minh (observer)"; "" when nobody. */
	char		 presence[160];
	int		 npresence;
	int		 exercise;
	/* A district relay said the province is out of reach (presence
	 * "upstream":"down"): connected to the relay, but stale. */
	int		 upstream_down;
	/* Items of the backend's state we do not show as it has them
	 * (they did not decode), and messages we could not read since the
	 * last snapshot. Both 0 when the replica is whole. */
	size_t		 skipped;
	uint64_t	 bad;
};

/* The answer to a command or a digest request, for sync_hooks.result. */
struct sync_result {
	const char	*id;
	const char	*cmd;		/* "ack", "digest". */
	const char	*summary;	/* "ack A-0003". */
	const json_t	*sent;		/* The command sent, parsed; NULL
					   for a request. */
	int		 ok;
	const char	*code;		/* Error code; NULL when ok. */
	const char	*message;	/* Sanitised reason, or what a digest
					   found. */
	const char	*page;		/* Archive page lines
					   (sanitised); else NULL. */
};

/* How the sync talks to the officer; main.c fills it, tests too. */
struct sync_hooks {
	void	*arg;
	/* One line for the message line; error in red. */
	void	(*message)(void *arg, int error, const char *text);
	/* Link state or who we are changed (the header). */
	void	(*status)(void *arg);
	/* The store changed (panels). */
	void	(*changed)(void *arg);
	/* A result; when NULL, results go to message as "✓ ack A-3". */
	void	(*result)(void *arg, const struct sync_result *);
	/* The backend's clock ("now" of its welcome, ms); may be NULL. */
	void	(*clock)(void *arg, int64_t now);
};

/* The sync's timers; the host runs them (sync_transport.timer). */
enum sync_timer {
	SYNC_TIMER_PUMP,		/* The rate_limited pause is over. */
	SYNC_TIMER_DEADLINE,		/* welcome or snapshot overdue. */
	SYNC_TIMER_BEAT,		/* Nothing for SYNC_BEAT_MISSES beats. */
	SYNC_TIMER_COUNT
};

/* What the sync asks of its host. Every member is required. */
struct sync_transport {
	/* Queue one whole message of len bytes (copied) for the backend. */
	void	(*send)(void *arg, const char *text, size_t len);
	/* Call sync_timer() with t in ms milliseconds (replacing an earlier
	 * one of t); ms < 0 cancels it. */
	void	(*timer)(void *arg, enum sync_timer t, int64_t ms);
	/* Drop the link (why is for the log) and come back as usual: the
	 * host then calls sync_down(), and later sync_up(). */
	void	(*drop)(void *arg, const char *why);
};

/* A request (digest) sent and not yet answered; commands are in the
 * outbox. */
struct sync_pending {
	char			 id[64];
	char			*cmd;		/* "digest". */
	char			*summary;
	char			*text;		/* The message, to resend. */
	TAILQ_ENTRY(sync_pending) entry;
};
TAILQ_HEAD(sync_pendingq, sync_pending);

/* An item left out because it did not decode: "alert:A-1". */
struct sync_skip {
	char			*key;
	TAILQ_ENTRY(sync_skip)	 entry;
};
TAILQ_HEAD(sync_skipq, sync_skip);

struct finished;

struct sync {
	struct store		*store;		/* Borrowed. */
	struct sync_hooks	 hooks;
	struct sync_transport	 tr;
	void			*tr_arg;
	struct sync_status	 st;

	int			 gauge_ms;	/* Asked in hello; 0: none. */
	int			 ascii;		/* No UTF-8 in messages. */
	int64_t			 welcome_ms;	/* SYNC_WELCOME_MS. */
	int64_t			 snapshot_ms;	/* SYNC_SNAPSHOT_MS. */
	int64_t			 throttle_ms;	/* SYNC_THROTTLE_MS. */

	int			 up;		/* Link up; hello sent. */
	int			 welcomed;	/* Welcome received. */
	int			 have_state;	/* A snapshot was loaded. */
	int			 snapshot_up;	/* One came on this link. */
	int			 resuming;	/* Hello asked to resume. */
	int			 ready;		/* The outbox went out. */
	int			 throttled;	/* rate_limited: wait. */
	int			 dropping;	/* Asked the host to drop. */
	int			 fresh;		/* Next hello: no resume. */
	int			 stopped;	/* No more hooks or timers. */
	int			 quiet_down;	/* Why the link goes was said. */
	int			 live;		/* An event came on this link. */
	int64_t			 beat_ms;	/* From the welcome; 0: none. */
	int64_t			 rx_at;		/* Last byte received (wall). */
	int64_t			 rx_mono;	/* ... and monotonic. */
	enum {
		SYNC_WAIT_NONE,
		SYNC_WAIT_WELCOME,
		SYNC_WAIT_SNAPSHOT
	}			 waiting;	/* What the deadline is for. */
	int64_t			 progress_at;	/* Deadline moved (mono ms). */
	uint64_t		 gap_at;	/* Our seq at the last gap. */
	int			 gaps;		/* Gaps in a row at gap_at. */

	struct sync_pendingq	 pending;
	struct outbox		*outbox;	/* Borrowed, or owned. */
	int			 own_outbox;
	struct recorder		*rec;		/* Borrowed; NULL: none. */
	json_t			*welcome;	/* The last one; recordings. */
	char			 prefix[2 * SYNC_PREFIX_BYTES + 3];
	uint64_t		 counter;

	struct sync_skipq	 skipq;		/* Oldest first. */
	size_t			 nskip;		/* In skipq. */
	size_t			 nskip_lost;	/* Not kept: over the max. */
	size_t			 nskip_logged;	/* Since the last snapshot. */

	/*
	 * A snapshot in parts being read (core/snapparts.c): the staging
	 * store, and the items left out before it began, set aside until
	 * the last part is in (then dropped) or the join fails (then they
	 * are the list again).
	 */
	struct snapparts_join	 join;
	int			 joining;	/* oldskip holds the list. */
	struct sync_skipq	 oldskip;
	size_t			 oldnskip, oldnskip_lost, oldnskip_logged;
	int64_t			 join_said;	/* "part k of n" (mono ms). */

	uint64_t		 nrx, ntx;	/* Messages, for the log. */

	struct follow_view	 follow;	/* --follow; name "": none. */
	/* The last archive query, and where its next page starts. */
	json_t			*archive_query;
	char			*archive_next;	/* NULL: the last. */
	/* The finished view's pages (borrowed; NULL: none), and where
	 * its next page starts. */
	struct finished		*finished;
	char			*finished_next;
};

struct sync	*sync_create(struct store *, const struct sync_hooks *);
void		 sync_free(struct sync *);
void		 sync_attach(struct sync *, const struct sync_transport *,
		     void *arg);
void		 sync_stop(struct sync *);
void		 sync_set_follow(struct sync *, const char *);
void		 sync_set_outbox(struct sync *, struct outbox *);
void		 sync_set_recorder(struct sync *, struct recorder *);
void		 sync_set_link(struct sync *, enum sync_link);
void		 sync_say(struct sync *, int error, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 sync_up(struct sync *);
void		 sync_down(struct sync *, enum sync_link, const char *why);
int		 sync_receive(struct sync *, const char *buf, size_t len);
void		 sync_unreadable(struct sync *, const char *text);
void		 sync_progress(struct sync *);
void		 sync_timer(struct sync *, enum sync_timer);
int		 sync_online(const struct sync *);
int		 sync_send_cmd(struct sync *, const char *cmd, json_t *args,
		     const char *summary, char **cause);
int		 sync_send_digest(struct sync *, char **cause);
int		 sync_send_archive(struct sync *, const char *kind,
		     int64_t from, int next, char **cause);
void		 sync_set_finished(struct sync *, struct finished *);
int		 sync_send_finished(struct sync *, int next, char **cause);

#endif

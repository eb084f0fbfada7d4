/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's link to the backend: one libwebsockets client connection
 * that reconnects with backoff, keeps the store in step (snapshot, then
 * events in seq order, resuming after a gap), and sends the officer's
 * commands and matches their results.
 */

#ifndef CONN_H
#define CONN_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "layout.h"
#include "outbox.h"
#include "proto.h"
#include "store.h"

struct recorder;

#define CONN_PREFIX_BYTES	6	/* Random bytes in command ids. */
#define CONN_INFLIGHT_MAX	16	/* Commands sent, not answered. */
#define CONN_THROTTLE_MS	1000	/* Wait after rate_limited. */

/* The answer to a command or a digest request, for conn_hooks.result. */
struct conn_result {
	const char	*id;
	const char	*cmd;		/* "ack", "digest". */
	const char	*summary;	/* "ack A-0003". */
	const char	*sent;		/* The message sent (JSON). */
	int		 ok;
	const char	*code;		/* Error code; NULL when ok. */
	const char	*message;	/* Sanitised reason, or what a digest
					   found. */
};

/* How the connection talks to the screen; main.c fills it, tests too. */
struct conn_hooks {
	void	*arg;
	/* One line for the message line; error in red. */
	void	(*message)(void *arg, int error, const char *text);
	/* Link state or who we are changed (the header). */
	void	(*status)(void *arg);
	/* The store changed (panels). */
	void	(*changed)(void *arg);
	/* A result; when NULL, results go to message as "✓ ack A-3". */
	void	(*result)(void *arg, const struct conn_result *);
};

/* A message waiting for CLIENT_WRITEABLE, with LWS_PRE headroom. */
struct conn_out {
	unsigned char		*buf;	/* Owned; text at buf + LWS_PRE. */
	size_t			 len;
	TAILQ_ENTRY(conn_out)	 entry;
};
TAILQ_HEAD(conn_outq, conn_out);

/* A request (digest) sent and not yet answered; commands are in the
 * outbox. */
struct conn_pending {
	char			 id[64];
	char			*cmd;		/* "ack", "digest". */
	char			*summary;	/* "ack A-0003". */
	char			*text;		/* The message, to resend. */
	TAILQ_ENTRY(conn_pending) entry;
};
TAILQ_HEAD(conn_pendingq, conn_pending);

struct conn {
	struct lws_context	*ctx;		/* Borrowed. */
	struct store		*store;		/* Borrowed. */
	struct layout_status	*st;		/* Borrowed: link, operator. */
	struct conn_hooks	 hooks;

	char			*url;
	char			*host;
	char			*path;
	int			 port;
	int			 tls;
	char			*token;		/* Bearer token, or NULL. */
	int			 gauge_ms;	/* Asked in hello; 0: none. */

	struct lws		*wsi;
	lws_sorted_usec_list_t	 sul;
	uint16_t		 retry_count;
	int			 established;	/* Upgraded; hello sent. */
	int			 welcomed;	/* Welcome received. */
	int			 have_state;	/* A snapshot was loaded. */
	int			 refused;	/* 401: no more retries. */
	int			 exiting;
	int			 dead;		/* Backend gone for good. */
	int			 ascii;		/* No UTF-8 in messages. */

	char			*rx;		/* Frame reassembly. */
	size_t			 rxlen, rxcap;
	int			 rx_skip;	/* Dropping an oversized one. */

	struct conn_outq	 outq;
	unsigned char		*inflight;	/* Written; pmd may read it. */
	struct conn_pendingq	 pending;
	struct outbox		*outbox;	/* Borrowed, or owned. */
	int			 own_outbox;
	struct recorder		*rec;		/* Borrowed; NULL: none. */
	int			 resuming;	/* Hello asked to resume. */
	int			 ready;		/* The outbox went out. */
	int			 throttled;	/* rate_limited: wait. */
	lws_sorted_usec_list_t	 sul_pump;	/* Ends the wait. */
	char			 prefix[2 * CONN_PREFIX_BYTES + 3];
	uint64_t		 counter;

	uint64_t		 nrx, ntx;	/* Messages, for the log. */
};

extern const struct lws_extension conn_extensions[];

struct conn	*conn_create(struct lws_context *, const char *url,
		    struct store *, struct layout_status *,
		    const struct conn_hooks *, char **cause);
void		 conn_free(struct conn *);
void		 conn_start(struct conn *);
void		 conn_stop(struct conn *);
void		 conn_lost(struct conn *, const char *why);
void		 conn_set_outbox(struct conn *, struct outbox *);
void		 conn_set_recorder(struct conn *, struct recorder *);
void		 conn_set_token(struct conn *, const char *token);
int		 conn_online(struct conn *);
int		 conn_send_cmd(struct conn *, const char *cmd, json_t *args,
		     const char *summary, char **cause);
int		 conn_send_digest(struct conn *, char **cause);
int		 conn_receive(struct conn *, const char *buf, size_t len);
int		 conn_callback(struct lws *, enum lws_callback_reasons,
		     void *user, void *in, size_t len);

#endif

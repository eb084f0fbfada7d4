/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's link to the backend: one libwebsockets client connection
 * that carries a sync (include/sync.h). It dials, upgrades with the
 * bearer token, never follows a redirect, gives every attempt a deadline,
 * reconnects with capped backoff for as long as the console runs,
 * reassembles frames and writes from a queue.
 */

#ifndef CONN_H
#define CONN_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "sync.h"

#define CONN_DIAL_MS		15000	/* Dial to upgraded: DNS, TCP, TLS,
					   HTTP. */
#define CONN_STABLE_MS		10000	/* Up this long: backoff restarts. */
#define CONN_BACKOFF_STEPS	8	/* 250 ms doubling to 25 s. */
#define CONN_JITTER_PERCENT	20	/* Added: at most 30 s. */
#define CONN_PING_S		20	/* Silence: lws pings. */
#define CONN_HANGUP_S		30	/* No answer: lws hangs up. */
#define CONN_TIMESCALE_ENV	"TRUCBAN_TEST_TIMESCALE"

/* A message waiting for CLIENT_WRITEABLE, with LWS_PRE headroom. */
struct conn_out {
	unsigned char		*buf;	/* Owned; text at buf + LWS_PRE. */
	size_t			 len;
	TAILQ_ENTRY(conn_out)	 entry;
};
TAILQ_HEAD(conn_outq, conn_out);

/* One of the sync's timers, on the lws loop. */
struct conn_timer {
	lws_sorted_usec_list_t	 sul;
	struct conn		*c;
	enum sync_timer		 t;
};

struct conn {
	struct lws_context	*ctx;		/* Borrowed; NULL in tests. */
	struct sync		*sync;		/* Borrowed. */

	char			*url;		/* The one dialled now. */
	char			**urls;		/* Every backend, in turn. */
	size_t			 nurls;
	size_t			 cur;		/* urls[cur] is url. */
	char			*host;
	char			*path;
	int			 port;
	int			 tls;
	char			*token;		/* Bearer token, or NULL. */

	int			 scale;		/* Divides all times (tests). */
	uint32_t		 backoff_ms[CONN_BACKOFF_STEPS];
	lws_retry_bo_t		 retry;
	int64_t			 dial_ms;	/* CONN_DIAL_MS / scale. */
	int64_t			 stable_ms;	/* CONN_STABLE_MS / scale. */

	struct lws		*wsi;		/* The attempt or the link. */
	lws_sorted_usec_list_t	 sul_retry;	/* The next attempt. */
	lws_sorted_usec_list_t	 sul_dial;	/* This attempt's deadline. */
	struct conn_timer	 timers[SYNC_TIMER_COUNT];
	uint16_t		 retry_count;
	uint64_t		 attempts;
	int64_t			 up_since;	/* Monotonic ms; 0: not up. */
	int			 dialing;	/* An attempt is under way. */
	int			 established;	/* Upgraded; the sync is up. */
	int			 dropping;	/* The sync asked to drop. */
	int			 refused;	/* 401: no more retries. */
	int			 exiting;
	int			 dead;		/* Backend gone for good. */
	char			 redirect[160];	/* Where a 3xx pointed. */
	int			 redirect_code;

	char			*rx;		/* Frame reassembly. */
	size_t			 rxlen, rxcap;
	int			 rx_skip;	/* Dropping this message. */

	struct conn_outq	 outq;
	unsigned char		*inflight;	/* Written; pmd may read it. */
};

extern const struct lws_extension conn_extensions[];

struct conn	*conn_create(struct lws_context *, const char *url,
		    struct sync *, char **cause);
int		 conn_add_url(struct conn *, const char *url, char **cause);
void		 conn_free(struct conn *);
void		 conn_start(struct conn *);
void		 conn_stop(struct conn *);
void		 conn_lost(struct conn *, const char *why);
void		 conn_set_token(struct conn *, const char *token);
uint32_t	 conn_backoff(struct conn *);
int		 conn_check_token(const char *url, int allow_plain,
		     char **cause);
int		 conn_callback(struct lws *, enum lws_callback_reasons,
		     void *user, void *in, size_t len);

#endif

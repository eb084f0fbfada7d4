/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The websocket server: one lws context (protocol trucban.v1 with
 * permessage-deflate), the clients with their inbound reassembly and
 * outbound queues, the broadcast of every event, and the signal fd that
 * ends the loop.
 */

#ifndef BE_SERVER_H
#define BE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct be_auth;
struct be_drill;
struct be_journal;
struct be_server;
struct be_state;
struct lws_context;
struct lws_protocols;
struct operator;

/*
 * A relay's hook for every command a client sends (msg, borrowed), from
 * the client with this serial as op: returns the answer now (a new
 * reference), or NULL when the answer comes later through
 * be_server_deliver().
 */
typedef json_t *(*be_server_forward_cb)(void *arg, uint64_t serial,
    const struct operator *op, json_t *msg);

#define BE_SERVER_QUEUE_MSGS	20000	/* Per client, outbound. */
#define BE_SERVER_QUEUE_BYTES	(16 * 1024 * 1024)
#define BE_SERVER_MAX_FDS	1024
#define BE_SERVER_RATE		20.0	/* Inbound messages a second. */
#define BE_SERVER_BURST		50.0	/* ... and in one burst. */
#define BE_SERVER_ABUSE		200	/* Refusals beyond served: close. */
#define BE_SERVER_GAUGE_MS_MAX	60000	/* Longest conflation asked. */
#define BE_SERVER_PRESENCE_MS	100	/* Presence changes coalesced. */
#define BE_SERVER_FOLLOW_MS	1000	/* A drill's state to followers. */
#define BE_SERVER_RX_BUF	16384	/* Read and inflate in pieces of. */
#define BE_SERVER_RX_BUF_PWR2	"14"	/* ... as permessage-deflate says. */
#define BE_SERVER_HELLO_S	10	/* Upgrade to hello, at most. */
#define BE_SERVER_PER_ADDRESS	64	/* Before hello, from one address. */
#define BE_SERVER_PER_TOKEN	16	/* Sessions of one token (and as
					   many before hello). */
#define BE_SERVER_BEAT_MS	2000	/* Silence before a beat. */

struct be_server_opts {
	const char	*iface;		/* Address to listen on. */
	int		 port;		/* 0: ephemeral. */
	int		 signal_fd;	/* signalfd to watch, or -1. */
	size_t		 queue_msgs;	/* 0: BE_SERVER_QUEUE_MSGS. */
	size_t		 queue_bytes; /* 0: BE_SERVER_QUEUE_BYTES. */
	struct be_journal *journal;	/* Flushed before sending; NULL. */
	const struct be_auth *auth;	/* NULL: everyone is "demo". */
	int		 area_scoped;	/* Operators see only their areas. */
	const char	*cert;		/* wss: certificate (PEM) ... */
	const char	*key;		/* ... and its key; NULL: ws. */
	double		 rate;		/* 0: BE_SERVER_RATE. */
	double		 burst;		/* 0: BE_SERVER_BURST. */
	struct be_drill	*drill;		/* Its followers; NULL: none. */
	/* Protocols run on the same loop (a relay's client); NULL. */
	const struct lws_protocols *extra;
	be_server_forward_cb forward;	/* A relay's; NULL: the engine. */
	int		 client_tls;	/* A relay's client speaks wss:// ... */
	const char	*client_ca;	/* ... trusting this CA; NULL: the
					   system's. */
	void		*forward_arg;
	int		 hello_s;	/* 0: BE_SERVER_HELLO_S. */
	size_t		 per_address;	/* 0: BE_SERVER_PER_ADDRESS. */
	size_t		 per_token;	/* 0: BE_SERVER_PER_TOKEN. */
	int		 beat_ms;	/* 0: BE_SERVER_BEAT_MS; <0: none. */
	/*
	 * A replicated log (be-nats.c) beside or instead of the journal:
	 * sync() is called at the end of every turn, before anything is
	 * sent, and makes durable what the turn appended (0), or fails
	 * (-1, *cause set), which stops the server like a failed journal.
	 * wake_fd, when not -1, is watched by the loop (lws closes it):
	 * another thread writes to it, and wake() runs here, in the loop.
	 */
	int		(*sync)(void *, char **);
	void		(*wake)(void *);
	/*
	 * Called with every command (msg borrowed) before it is applied
	 * here: 1 when the log took it to be applied elsewhere (the result
	 * comes later through be_server_deliver()), 0 to apply it here.
	 */
	int		(*log_forward)(void *, const struct operator *,
			    json_t *, uint64_t client);
	void		*log_arg;
	int		 wake_fd;
};

struct be_server	*be_server_new(struct be_state *,
			     const struct be_server_opts *, char **cause);
void			 be_server_free(struct be_server *);
int			 be_server_port(const struct be_server *);
struct lws_context	*be_server_context(struct be_server *);
int			 be_server_run(struct be_server *);
void			 be_server_stop(struct be_server *);
size_t			 be_server_clients(const struct be_server *);
void			 be_server_deliver(struct be_server *, uint64_t,
			     json_t *);
void			 be_server_set_stale(struct be_server *, int64_t);
void			 be_server_resnapshot(struct be_server *);

#endif

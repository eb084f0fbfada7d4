/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A district relay (trucban-backend --relay URL, docs/relay.md): one link
 * to the province, whose snapshot and events keep the state (be-state.c)
 * in the province's numbering, so the server (be-server.c) serves local
 * consoles from it as it would from its own: snapshots, resumes, events,
 * digests. Local consoles' commands go up with their ids, as their
 * officers (act_as), and each result comes back to its sender only.
 */

#ifndef BE_RELAY_H
#define BE_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct be_relay;
struct be_server;
struct be_state;
struct lws_protocols;
struct operator;

#define BE_RELAY_PROTOCOL	"be-relay"	/* The upstream's lws protocol. */
#define BE_RELAY_BACKOFF_STEPS	8	/* 250 ms doubling to 32 s. */
#define BE_RELAY_PING_S		20	/* Silence: ping the province ... */
#define BE_RELAY_HANGUP_S	30	/* ... and drop it after this. */
#define BE_RELAY_BEAT_MISSES	3	/* Beats without a byte: drop it. */
#define BE_RELAY_PENDING_MAX	4096	/* Commands up, not answered. */

struct be_relay_opts {
	const char	*url;		/* ws:// or wss:// of the province. */
	const char	*token;		/* The relay's bearer token; NULL. */
	const char	*ca;		/* NULL: the system's CAs. */
	int		 gauge_ms;	/* Ask the province to conflate. */
};

struct be_relay	*be_relay_new(struct be_state *, const struct be_relay_opts *,
		     char **cause);
void		 be_relay_free(struct be_relay *);
const struct lws_protocols *be_relay_protocols(void);
void		 be_relay_start(struct be_relay *, struct be_server *);
void		 be_relay_stop(struct be_relay *);
json_t		*be_relay_forward(void *arg, uint64_t serial,
		     const struct operator *, json_t *msg);
int		 be_relay_online(const struct be_relay *);
uint64_t	 be_relay_bytes(const struct be_relay *);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend over NATS JetStream (--nats URL[,URL...]): the stream
 * TRUCBAN_EVENTS is the system of record instead of the journal, its
 * sequence is the protocol's seq, and the stream TRUCBAN_CMDS keeps every
 * remembered command id, de-duplicated by id. The design, and what
 * happens on each failure, is in docs/ha.md.
 */
#ifndef BE_NATS_H
#define BE_NATS_H
#include <stdint.h>

#include <jansson.h>

struct be_nats;
struct be_nsnap_conf;
struct be_server;
struct be_state;
struct operator;

#define BE_NATS_EVENTS		"TRUCBAN_EVENTS"
#define BE_NATS_EVENTS_SUBJ	"trucban.events"
#define BE_NATS_CMDS		"TRUCBAN_CMDS"
#define BE_NATS_CMDS_SUBJ	"trucban.cmds"
#define BE_NATS_APPLY_SUBJ	"trucban.apply"	/* .NAME: the holder's. */
#define BE_NATS_BUCKET		"trucban"	/* KV: key "applier". */
#define BE_NATS_LEASE_MS	3000	/* The lease expires. */
#define BE_NATS_DUP_MS		(6 * 3600 * 1000)	/* De-dup window. */
#define BE_NATS_WAIT_MS		10000	/* For an ack, a reply. */

/* What opening found, for the log and the tests. */
struct be_nats_stats {
	int		 restored;	/* 0: an empty stream. */
	uint64_t	 events;	/* Replayed from the stream. */
	uint64_t	 commands;	/* Command ids read back. */
	int64_t		 ms;		/* Time to connect and replay. */
	uint64_t	 published;	/* Events appended since. */
	uint64_t	 snapshot_seq;	/* Loaded from TRUCBAN_SNAP; 0. */
	uint64_t	 snapshots;	/* Written since. */
};

int	be_nats_available(void);
int	be_nats_open(struct be_state *, const char *urls, int replicas,
	    const struct be_nsnap_conf *, struct be_nats **, char **cause);
void	be_nats_close(struct be_nats *);
int	be_nats_sync(void *, char **cause);
void	be_nats_wake(void *);
int	be_nats_forward(void *, const struct operator *, json_t *,
	    uint64_t client);
int	be_nats_applier(const struct be_nats *);
int	be_nats_may_write(struct be_nats *);
int	be_nats_wake_fd(struct be_nats *);
int	be_nats_attach(struct be_nats *, struct be_server *,
	    void (*)(void *, int), void *, char **cause);
void	be_nats_detach(struct be_nats *);
const struct be_nats_stats *be_nats_stats(const struct be_nats *);
int	be_nats_drill_start(struct be_nats *, const char *, int64_t,
	    int64_t *, char **cause);
void	be_nats_drill_playing(struct be_nats *, const char *, int, int64_t);
int	be_nats_drill_seen(const char *, int *, int64_t *);

#endif

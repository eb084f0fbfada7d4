/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's state: the store (the truth), the engine that changes it,
 * the seeded generator, the retained events and the remembered command
 * ids. Every change, from the simulator or from a command, goes through
 * the engine, whose sink (be-state.c) builds the event with the next seq,
 * applies it to the store, retains it and hands it to every listener:
 * the journal and the server's broadcast are two. The state knows none of
 * them: it calls what they registered.
 */

#ifndef BE_STATE_H
#define BE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "be-rng.h"

struct be_archive;
struct be_idem;
struct be_msg;
struct be_retain;
struct engine;
struct store;

#define BE_RETAIN_EVENTS	10000	/* Events kept for resume. */
#define BE_IDEM_IDS		100000	/* Command ids remembered. */
/*
 * Retention: the default window, a pass at most this often, items a pass
 * (no limit: a removal costs the same whatever the store holds, so a
 * backlog leaves in one pass).
 */
#define BE_RETENTION_MS		(4 * 3600 * 1000)
#define BE_RETENTION_EVERY_MS	(60 * 1000)
#define BE_RETIRE_MAX		SIZE_MAX

/* Called with every event, after the store applied it; msg is borrowed. */
typedef void (*be_event_cb)(void *arg, struct be_msg *msg);

/*
 * Called with every newly remembered command id after its events: who
 * sent it, its canonical payload and its serialised result (borrowed).
 */
typedef void (*be_command_cb)(void *arg, const char *id, const char *by,
    const char *payload, const char *result);

struct be_listener {
	be_event_cb		 event;		/* NULL: not wanted. */
	be_command_cb		 command;	/* NULL: not wanted. */
	void			*arg;
};

struct be_state {
	struct store		*store;		/* Owned. */
	struct engine		*engine;	/* Owned; changes the store. */
	struct be_rng		 rng;
	uint64_t		 seed;		/* The generator's seed. */
	struct be_retain	*retain;	/* Owned. */
	struct be_idem		*idem;		/* Owned. */

	struct be_listener	*listeners;	/* In registration order. */
	size_t			 nlisteners;

	/*
	 * Retention: finished items leave the live state retention_ms
	 * after their last change (-1: never), into the archive.
	 */
	struct be_archive	*archive;	/* Owned; NULL: none yet. */
	int64_t			 retention_ms;
	int64_t			 next_retire;	/* 0: next call. */
};

struct be_state	*be_state_new(uint64_t seed);
void		 be_state_free(struct be_state *);
void		 be_state_listen(struct be_state *, be_event_cb,
		     be_command_cb, void *arg);
void		 be_state_unlisten(struct be_state *, void *arg);
size_t		 be_state_listeners(const struct be_state *);
void		 be_state_command(struct be_state *, const char *id,
		     const char *by, const char *payload, const char *result);
void		 be_state_restored(struct be_state *);
int		 be_state_apply(struct be_state *, json_t *, const char *,
		     size_t, int, char **);
int		 be_state_open_archive(struct be_state *, const char *dir,
		     char **cause);
size_t		 be_state_retire(struct be_state *);
size_t		 be_state_retire_due(struct be_state *);
int		 be_state_load(struct be_state *, json_t *, char **cause);
void		 be_state_replace(struct be_state *, struct store *);
int		 be_state_ingest(struct be_state *, json_t *, char **cause);
void		 be_state_conflated(struct be_state *, json_t *,
		     const char *text, size_t len);

#endif

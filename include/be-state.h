/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's state: the store (the truth), the engine that changes it,
 * the dataset's templates, the seeded generator, the retained events and
 * the remembered command ids. Every change, from the simulator or from a
 * command, goes through the engine, whose sink (be-state.c) builds the
 * event, applies it to the store, retains it and hands it to the journal
 * and the event callback (the server broadcasts it).
 */

#ifndef BE_STATE_H
#define BE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "be-rng.h"
#include "model.h"

struct be_data;
struct be_idem;
struct be_journal;
struct be_msg;
struct be_retain;
struct engine;
struct operator;
struct store;

#define BE_RETAIN_EVENTS	10000	/* Events kept for resume. */
#define BE_IDEM_IDS		100000	/* Command ids remembered. */

/* Called with every event, after the store applied it; msg is borrowed. */
typedef void (*be_event_cb)(void *arg, struct be_msg *msg);

struct be_state {
	struct store		*store;		/* Owned. */
	struct engine		*engine;	/* Owned; changes the store. */
	struct be_data		*data;	/* Owned; NULL when none. */
	struct be_rng		 rng;
	struct be_retain	*retain;	/* Owned. */
	struct be_idem		*idem;		/* Owned. */
	uint64_t		 seed;		/* The generator's seed. */
	struct be_journal	*journal;	/* Borrowed; NULL: none. */

	be_event_cb		 on_event;
	void			*on_event_arg;
};

struct be_state	*be_state_new(uint64_t seed);
void		 be_state_free(struct be_state *);
void		 be_state_set_data(struct be_state *, struct be_data *);
void		 be_state_set_event_cb(struct be_state *, be_event_cb,
		     void *);

json_t		*be_state_welcome(const struct be_state *,
		     const struct operator *);
json_t		*be_state_snapshot(const struct be_state *, int gap);

/* Durability and access (issue 3): see be-state.c. */
void		 be_state_set_journal(struct be_state *, struct be_journal *);
json_t		*be_state_cmd(struct be_state *, const struct operator *,
		     json_t *msg);
void		 be_state_restored(struct be_state *);
json_t		*be_state_snapshot_for(const struct be_state *, int gap,
		     const struct operator *);
void		 be_state_digest_for(const struct be_state *,
		     const struct operator *, char out[17]);

#endif

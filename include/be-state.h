/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's state: the store (the truth), the dataset's templates, the
 * seeded generator, the retained events and the remembered command ids.
 * Every change, from the simulator or from a command, goes through
 * be_emit(): it builds the event, applies it to the store, retains it and
 * hands it to the event callback (the server broadcasts it; a journal
 * will write it).
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
struct kind;
struct store;

#define BE_RETAIN_EVENTS	10000	/* Events kept for resume. */
#define BE_IDEM_IDS		100000	/* Command ids remembered. */

/* Called with every event, after the store applied it; msg is borrowed. */
typedef void (*be_event_cb)(void *arg, struct be_msg *msg);

/*
 * Who sends a command (be_cmd_exec() enforces role and areas). The strings
 * are borrowed from whoever made the operator (the tokens table).
 */
struct be_operator {
	const char		*name;
	const char		*role;	/* supervisor, operator, observer,
					   trainer. */
	const char *const	*areas;	/* Area codes; none: every area. */
	size_t			 nareas;
};

struct be_state {
	struct store		*store;		/* Owned. */
	struct be_data		*data;	/* Owned; NULL when none. */
	struct be_rng		 rng;
	struct be_retain	*retain;	/* Owned. */
	struct be_idem		*idem;		/* Owned. */
	uint32_t		 last_alert;	/* Last "A-%04u" used. */
	uint32_t		 last_feedback; /* Last "PA-%04u". */
	int			 exercise;	/* Feed is an exercise. */
	uint64_t		 seed;		/* The generator's seed. */
	struct be_journal	*journal;	/* Borrowed; NULL: none. */

	be_event_cb		 on_event;
	void			*on_event_arg;
};

extern const struct be_operator be_operator_demo;

struct be_state	*be_state_new(uint64_t seed);
void		 be_state_free(struct be_state *);
void		 be_state_set_data(struct be_state *, struct be_data *);
void		 be_state_set_event_cb(struct be_state *, be_event_cb,
		     void *);

int		 be_emit(struct be_state *, const char *kind, json_t *item,
		     const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_item(struct be_state *, const struct kind *,
		     void *, const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_alert(struct be_state *, struct alert *,
		     const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_unit(struct be_state *, struct unit *,
		     const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_hospital(struct be_state *, struct hospital *,
		     const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_school(struct be_state *, struct school *,
		     const char *by, const char *cmd, uint64_t *seq);
int		 be_emit_feedback(struct be_state *, struct feedback *,
		     const char *by, const char *cmd, uint64_t *seq);

json_t		*be_state_welcome(const struct be_state *,
		     const struct be_operator *);
json_t		*be_state_snapshot(const struct be_state *, int gap);

/* Durability and access (issue 3): see be-state.c. */
void		 be_state_set_journal(struct be_state *, struct be_journal *);
json_t		*be_state_cmd(struct be_state *, const struct be_operator *,
		     json_t *msg);
void		 be_state_restored(struct be_state *);
int		 be_operator_has_area(const struct be_operator *,
		     const char *area);
json_t		*be_state_snapshot_for(const struct be_state *, int gap,
		     const struct be_operator *);
void		 be_state_digest_for(const struct be_state *,
		     const struct be_operator *, char out[17]);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The domain engine: the officers' commands (docs/protocol.md "cmd and
 * result") with every check behind them (arguments, role and areas, the
 * version the officer saw, the state machines, unit availability), the
 * version stamping and history of every change, and the feedback
 * deadline rule. The engine reads a store and changes it only through a
 * sink its owner plugs in: the backend's state (events, journal,
 * broadcast), a console's training sandbox, a test. It knows no network
 * and no screen.
 *
 *	struct engine_sink	 sink = { .emit = my_emit, .arg = me };
 *	struct engine		*e = engine_new(store, &sink);
 *	struct engine_outcome	 out;
 *
 *	if (engine_run(e, op, "ack", args, 0, &out) != 0)
 *		refused(proto_err_names[out.err], out.msg);
 *	engine_outcome_clear(&out);
 */

#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "proto.h"

struct engine;
struct kind;
struct operator;
struct store;

struct engine_sink {
	/*
	 * Make item (of kind k, its version stamped) the new state of that
	 * item at time ts: for the backend, an event with the next seq,
	 * applied to the store the engine reads, retained, journalled and
	 * broadcast. by and cmd are NULL for a change nobody commanded.
	 * The item is borrowed. Sets *seq (when not NULL) to the change's
	 * seq. Returns 0, or -1 when it was refused (nothing changed).
	 */
	int	 (*emit)(void *arg, const struct kind *k, const void *item,
		     const char *by, const char *cmd, int64_t ts,
		     uint64_t *seq);
	/*
	 * Write a fresh id for a new item of kind k. NULL: the engine
	 * numbers them itself, "A-0001", "PA-0001", ...
	 */
	void	 (*new_id)(void *arg, const struct kind *k,
		     char id[MODEL_ID_MAX]);
	/* The time, ms. NULL: clock_now(). */
	int64_t	 (*now)(void *arg);
	void	*arg;
};

/* What engine_run() did. */
struct engine_outcome {
	uint64_t	 seq;		/* Last change made; 0: none. */
	size_t		 changes;	/* Changes made (sink calls). */
	char		 item[MODEL_ID_MAX];	/* inject: the new id. */
	enum proto_err	 err;		/* When refused. */
	char		*msg;		/* When refused; owned. */
};

#define ENGINE_DRY	0x1	/* Every check, no change. */

struct engine	*engine_new(struct store *, const struct engine_sink *);
void		 engine_free(struct engine *);
void		 engine_set_exercise(struct engine *, int);
int		 engine_exercise(const struct engine *);
int		 engine_run(struct engine *, const struct operator *,
		     const char *cmd, json_t *args, int flags,
		     struct engine_outcome *);
void		 engine_outcome_clear(struct engine_outcome *);
int		 engine_emit(struct engine *, const struct kind *, void *item,
		     const char *by, const char *cmd, uint64_t *seq);
void		 engine_new_id(struct engine *, const struct kind *,
		     char id[MODEL_ID_MAX]);
void		 engine_restored(struct engine *);
uint32_t	 engine_last_number(const struct engine *,
		     const struct kind *);
int64_t		 engine_now(struct engine *);
int		 engine_cmd_exists(const char *);
const struct kind *engine_cmd_kind(const char *);
int64_t		 engine_feedback_due(int64_t received, int utc_offset_min);

#endif

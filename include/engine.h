/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The domain engine: the officers' commands (docs/protocol.md "cmd and
 * result") with every check behind them (arguments, role and areas, the
 * version the officer saw, the state machines, unit availability), the
 * version stamping and history of every change, and the clocks of
 * alerts and cases from the province's working time (core/workcal.c).
 * The engine reads a store and changes it only through a sink its owner
 * plugs in: the backend's state (events, journal, broadcast), a
 * console's training sandbox, a test. It knows no network and no
 * screen.
 *
 *	struct engine_sink	 sink = { .emit = my_emit, .arg = me };
 *	struct engine		*e = engine_new(store, &sink);
 *	struct engine_outcome	 out;
 *
 *	if (engine_run(e, op, "ack", args, 0, &out) != 0)
 *		refused(proto_err_names[out.err],
 *		    engine_reason_name(out.reason), out.args, out.msg);
 *	engine_outcome_clear(&out);
 *
 * A refusal has a code (what a program acts on), a reason (why, as a
 * name a console translates, docs/protocol.md §7) with its arguments
 * (strings: the ids, states, versions, areas it names) and the English
 * message made from the reason's format and those arguments.
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
struct workcal;

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
	 * Take item (of kind k, borrowed) out of the live state at time ts:
	 * for the backend, a "remove" event with the next seq that archives
	 * it (docs/protocol.md "event"). Sets *seq (when not NULL). Returns
	 * 0, or -1 when it was refused (nothing changed). NULL: the engine
	 * never retires anything for this owner.
	 */
	int	 (*remove)(void *arg, const struct kind *k, const void *item,
		     int64_t ts, uint64_t *seq);
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

/*
 * Why a command is refused: one table, engine_reasons[], gives each its
 * wire name, its code and its English format, whose "{name}" parts are
 * the arguments of the refusal. The server's own refusals around the
 * engine (a command's envelope, a reused id, the rate) are here too, so
 * that one table holds every reason a result may carry.
 */
enum engine_reason {
	ENGINE_R_NONE,
	/* Before any check. */
	ENGINE_R_UNKNOWN_COMMAND,
	ENGINE_R_ARGS_NOT_OBJECT,
	/* bad_args */
	ENGINE_R_BAD_ARGUMENTS,
	ENGINE_R_ARG_MISSING,
	ENGINE_R_ARG_NOT_STRING,
	ENGINE_R_BAD_ID,
	ENGINE_R_BAD_VERSION,
	ENGINE_R_TEXT_MISSING,
	ENGINE_R_TEXT_EMPTY,
	ENGINE_R_TEXT_TOO_LONG,
	ENGINE_R_UNITS_NOT_ARRAY,
	ENGINE_R_UNITS_COUNT,
	ENGINE_R_UNIT_BAD_ID,
	ENGINE_R_UNIT_TWICE,
	ENGINE_R_MINUTES_RANGE,
	ENGINE_R_BAD_DISPOSITION,
	ENGINE_R_REASON_NEEDED,
	ENGINE_R_BAD_STATUS,
	ENGINE_R_BAD_DEPT,
	ENGINE_R_BAD_AREA,
	ENGINE_R_BAD_CATEGORY,
	ENGINE_R_UNKNOWN_VALUE,
	ENGINE_R_SEVERITY_RANGE,
	ENGINE_R_DEADLINE_RANGE,
	ENGINE_R_ITEM_NOT_OBJECT,
	ENGINE_R_BAD_INJECT_KIND,
	/* not_found */
	ENGINE_R_NO_ALERT,
	ENGINE_R_NO_UNIT,
	ENGINE_R_NO_CASE,
	ENGINE_R_NO_HOSPITAL,
	ENGINE_R_NO_DEPARTMENT,
	ENGINE_R_NO_AREA,
	/* forbidden */
	ENGINE_R_OBSERVER,
	ENGINE_R_ROLE,
	ENGINE_R_TRAINERS_ONLY,
	ENGINE_R_TRAINER_LIVE,
	ENGINE_R_NOT_YOUR_AREA,
	/* stale_version */
	ENGINE_R_STALE,
	/* bad_state */
	ENGINE_R_ALERT_NOT_NEW,
	ENGINE_R_ALERT_OPEN,
	ENGINE_R_ALERT_CLOSED,
	ENGINE_R_ALERT_RESOLVED,
	ENGINE_R_ALERT_FINISHED,
	ENGINE_R_BAD_STATE,
	ENGINE_R_ALERT_FULL,
	ENGINE_R_ESCALATION_MAX,
	ENGINE_R_CASE_CLOSED,
	ENGINE_R_CASE_NOT_DONE,
	ENGINE_R_CASE_NEW,
	ENGINE_R_CASE_ASSIGNED,
	ENGINE_R_CASE_HELD,
	ENGINE_R_CASE_CAME_THROUGH,
	ENGINE_R_TOO_MANY_HOPS,
	ENGINE_R_DIVERSION_ON,
	ENGINE_R_DIVERSION_OFF,
	ENGINE_R_UNIT_SAME,
	ENGINE_R_UNIT_AVAILABLE,
	ENGINE_R_UNIT_OUT_OF_SERVICE,
	ENGINE_R_UNIT_BAD_MOVE,
	/* unit_unavailable */
	ENGINE_R_UNIT_BUSY,
	ENGINE_R_UNIT_UNAVAILABLE,
	/* internal */
	ENGINE_R_APPLY_FAILED,
	/* The server's, around the engine. */
	ENGINE_R_BAD_COMMAND_ID,
	ENGINE_R_BAD_COMMAND,
	ENGINE_R_CONFLICT,
	ENGINE_R_RATE_LIMITED,
	ENGINE_R_ACT_AS_DENIED,		/* A relay acts for whom it may. */
	ENGINE_R_RELAY_OFFLINE,		/* A relay's upstream is down. */
	ENGINE_R_TOO_MANY_SESSIONS,
	ENGINE_R_COUNT
};

struct engine_reason_info {
	const char	*name;		/* "alert_not_new"; NULL for none. */
	enum proto_err	 code;
	const char	*format;	/* "{alert} is {state}: ..." */
};

extern const struct engine_reason_info engine_reasons[ENGINE_R_COUNT];

/* What engine_run() did. */
struct engine_outcome {
	uint64_t	 seq;		/* Last change made; 0: none. */
	size_t		 changes;	/* Changes made (sink calls). */
	char		 item[MODEL_ID_MAX];	/* inject: the new id. */
	enum proto_err	 err;		/* When refused. */
	enum engine_reason reason;	/* When refused. */
	json_t		*args;		/* When refused: strings; owned. */
	char		*msg;		/* When refused; owned. */
};

#define ENGINE_DRY	0x1	/* Every check, no change. */

struct engine	*engine_new(struct store *, const struct engine_sink *);
void		 engine_free(struct engine *);
void		 engine_set_exercise(struct engine *, int);
int		 engine_exercise(const struct engine *);
struct store	*engine_store(const struct engine *);
void		 engine_set_workcal(struct engine *, const struct workcal *);
const struct workcal *engine_workcal(const struct engine *);
void		 engine_alert_clocks(const struct engine *, struct alert *,
		     int deadline_min);
void		 engine_case_clocks(const struct engine *, struct feedback *);
int64_t		 engine_case_due(const struct engine *,
		     const struct feedback *, int64_t from);
int		 engine_run(struct engine *, const struct operator *,
		     const char *cmd, json_t *args, int flags,
		     struct engine_outcome *);
void		 engine_outcome_clear(struct engine_outcome *);
int		 engine_emit(struct engine *, const struct kind *, void *item,
		     const char *by, const char *cmd, uint64_t *seq);
void		 engine_new_id(struct engine *, const struct kind *,
		     char id[MODEL_ID_MAX]);
void		 engine_restored(struct engine *);
void		 engine_note_id(struct engine *, const struct kind *,
		     const char *id);
int64_t		 engine_finished_at(const struct kind *,
		     const void *item);
size_t		 engine_retire(struct engine *, int64_t window_ms,
		     size_t max);
uint32_t	 engine_last_number(const struct engine *,
		     const struct kind *);
int64_t		 engine_now(struct engine *);
int		 engine_cmd_exists(const char *);
const struct kind *engine_cmd_kind(const char *);
int64_t		 engine_feedback_due(int64_t received, int utc_offset_min);

const char	*engine_reason_name(enum engine_reason);
enum engine_reason engine_reason_find(const char *);
char		*engine_reason_message(enum engine_reason, json_t *args);

#endif

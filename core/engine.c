/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The domain engine. A command runs in phases, in this order, each with
 * its own refusal code (docs/protocol.md "cmd and result"):
 *
 *	ARGS	bad_args		the arguments, parsed and checked
 *	FIND	not_found		every item, unit, department, area named
 *	ACCESS	forbidden		the role, then the areas of each item
 *	FRESH	stale_version		the version the officer saw, if given
 *	STATE	bad_state		the state machines (alert_can(), ...)
 *	UNITS	unit_unavailable	the units to dispatch
 *	APPLY	internal		the change, through the sink
 *
 * A command's entry in engine_cmds[] is mostly data: the item it names
 * first, its free text argument, the action the item's state machine
 * must allow, what the role needs. The generic phases use it (parsing
 * those arguments, finding the items, access, freshness, the state
 * machine), and hooks add what is the command's own (its other
 * arguments, what else it finds, its other state checks, its units, its
 * change); engine_run() runs them all in that order. A hook refuses with
 * engine_refuse() and a reason, and the code is the phase's: the order
 * is the engine's, not each handler's. A dry run stops before APPLY, so it
 * answers as the real run would and changes nothing; a refused command
 * changes nothing either. Every change goes through the sink
 * (engine_change()); every change to an alert or a feedback case appends
 * an entry to its history (engine_history()).
 *
 * A refusal is a reason of engine_reasons[] with its arguments (the ids,
 * states and numbers it names, as strings); its message is the reason's
 * English format filled with them, one line an officer understands,
 * naming the item and the reason: "A-0012 is closed: reopen it first". A
 * console says the same from the reason and the arguments in its
 * officer's language.
 */

#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#define ENGINE_MUTE_MAX		240	/* Minutes. */
#define ENGINE_DEADLINE_MAX	10080	/* Minutes (a week). */
#define ENGINE_REFS		(1 + ALERT_MAX_UNITS)

struct engine {
	struct store		*store;		/* Read; changed by the sink. */
	struct engine_sink	 sink;
	int			 exercise;	/* Injects' default flag. */
	uint32_t		 last[KIND_COUNT]; /* Own numbering. */
	const struct workcal	*workcal;	/* Borrowed; NULL: none. */
};

/* The phases of a command, in order. */
enum engine_phase {
	ENGINE_ARGS,
	ENGINE_FIND,
	ENGINE_ACCESS,
	ENGINE_FRESH,
	ENGINE_STATE,
	ENGINE_UNITS,
	ENGINE_APPLY,
	ENGINE_PHASE_COUNT
};

/* The refusal code of each phase. */
static const enum proto_err engine_phase_errs[ENGINE_PHASE_COUNT] = {
	[ENGINE_ARGS] = PROTO_E_BAD_ARGS,
	[ENGINE_FIND] = PROTO_E_NOT_FOUND,
	[ENGINE_ACCESS] = PROTO_E_FORBIDDEN,
	[ENGINE_FRESH] = PROTO_E_STALE_VERSION,
	[ENGINE_STATE] = PROTO_E_BAD_STATE,
	[ENGINE_UNITS] = PROTO_E_UNIT_UNAVAILABLE,
	[ENGINE_APPLY] = PROTO_E_INTERNAL
};

/* An item a command names; the first is the one "version" is about. */
struct engine_ref {
	const struct kind	*kind;
	const char		*id;		/* Borrowed from the args. */
	void			*item;		/* Found (FIND); borrowed. */
	int			 access;
#define ENGINE_ACT	0	/* The operator acts in the item's area. */
#define ENGINE_REPORT	1	/* ... or, for a unit, its alert's area. */
};

/*
 * One command being run: who, the parsed arguments, and the outcome. The
 * items found are borrowed from the store until the first change; a
 * change hook that makes several finds them again.
 */
struct engine_ctx {
	struct engine		*e;
	const struct engine_cmd	*ce;
	const struct operator	*op;
	const char		*name;
	int64_t			 now;
	enum engine_phase	 phase;
	struct engine_outcome	*out;

	struct engine_ref	 refs[ENGINE_REFS];
	size_t			 nrefs;
	json_int_t		 version;	/* -1: none given. */
	const char		*text;		/* text or reason; NULL. */
	const char		*code;		/* dept. */
	int			 value;		/* disposition, status, ... */
	const struct kind	*inject;	/* inject: the new item's. */
	union kind_item		 item;		/* inject: the new item. */
};

/*
 * A command: its name, what it needs of the role, the item it names first
 * (its argument is the kind's: "alert", "case", "unit", "hospital"), its
 * free text argument, the action the item's state machine must allow,
 * and the hooks of its own phases (NULL: nothing more to check there).
 * args parses the arguments the generic part does not know; apply makes
 * the change.
 */
struct engine_cmd {
	const char	*name;
	int		 flags;
#define ENGINE_WRITE	0x1	/* Changes state: not for observers. */
#define ENGINE_DRILL	0x2	/* Trainers and supervisors only. */
#define ENGINE_TEXT	0x4	/* The text argument is required. */
#define ENGINE_REPORTS	0x8	/* A unit's own report (ENGINE_REPORT). */
	enum kind_index	 kind;		/* KIND_COUNT: names none. */
	const char	*text;		/* "text", "reason"; NULL: none. */
	int		 action;	/* alert_action, fb_action; -1: none. */
	int		(*args)(struct engine_ctx *, json_t *);
	int		(*find)(struct engine_ctx *);
	int		(*state)(struct engine_ctx *);
	int		(*units)(struct engine_ctx *);
	int		(*apply)(struct engine_ctx *);
};

static int	engine_ack(struct engine_ctx *);
static int	engine_annotate(struct engine_ctx *);
static int	engine_assign_args(struct engine_ctx *, json_t *);
static int	engine_assign_find(struct engine_ctx *);
static int	engine_assign_state(struct engine_ctx *);
static int	engine_assign(struct engine_ctx *);
static int	engine_close_args(struct engine_ctx *, json_t *);
static int	engine_close(struct engine_ctx *);
static int	engine_close_case(struct engine_ctx *);
static int	engine_dispatch_args(struct engine_ctx *, json_t *);
static int	engine_dispatch_state(struct engine_ctx *);
static int	engine_dispatch_units(struct engine_ctx *);
static int	engine_dispatch(struct engine_ctx *);
static int	engine_divert_args(struct engine_ctx *, json_t *);
static int	engine_divert_state(struct engine_ctx *);
static int	engine_divert(struct engine_ctx *);
static int	engine_escalate_state(struct engine_ctx *);
static int	engine_escalate(struct engine_ctx *);
static int	engine_inject_args(struct engine_ctx *, json_t *);
static int	engine_inject_find(struct engine_ctx *);
static int	engine_inject(struct engine_ctx *);
static int	engine_mute_args(struct engine_ctx *, json_t *);
static int	engine_mute(struct engine_ctx *);
static int	engine_note(struct engine_ctx *);
static int	engine_reopen(struct engine_ctx *);
static int	engine_reply(struct engine_ctx *);
static int	engine_resolve(struct engine_ctx *);
static int	engine_return(struct engine_ctx *);
static int	engine_transfer_args(struct engine_ctx *, json_t *);
static int	engine_transfer_state(struct engine_ctx *);
static int	engine_transfer(struct engine_ctx *);
static int	engine_unit_status_args(struct engine_ctx *, json_t *);
static int	engine_unit_status_state(struct engine_ctx *);
static int	engine_unit_status(struct engine_ctx *);
static const char *engine_cut(char *, size_t, const char *);
static void	engine_alert_cycle(const struct engine *, struct alert *,
		    int64_t, int);
static const char *engine_num(char [24], long long);

/* In alphabetical order; docs/protocol.md "cmd and result". */
static const struct engine_cmd engine_cmds[] = {
	{ .name = "ack", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .action = ALERT_DO_ACK,
	  .apply = engine_ack },
	{ .name = "annotate", .flags = ENGINE_DRILL|ENGINE_TEXT,
	  .kind = KIND_COUNT, .text = "text", .action = -1,
	  .apply = engine_annotate },
	{ .name = "assign", .flags = ENGINE_WRITE,
	  .kind = KIND_FEEDBACK, .action = FB_DO_ASSIGN,
	  .args = engine_assign_args, .find = engine_assign_find,
	  .state = engine_assign_state, .apply = engine_assign },
	{ .name = "close", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .text = "reason", .action = ALERT_DO_CLOSE,
	  .args = engine_close_args, .apply = engine_close },
	{ .name = "close_case", .flags = ENGINE_WRITE,
	  .kind = KIND_FEEDBACK, .action = FB_DO_CLOSE,
	  .apply = engine_close_case },
	{ .name = "dispatch", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .action = ALERT_DO_DISPATCH,
	  .args = engine_dispatch_args, .state = engine_dispatch_state,
	  .units = engine_dispatch_units, .apply = engine_dispatch },
	{ .name = "divert", .flags = ENGINE_WRITE,
	  .kind = KIND_HOSPITAL, .action = -1,
	  .args = engine_divert_args, .state = engine_divert_state,
	  .apply = engine_divert },
	{ .name = "escalate", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .action = ALERT_DO_ESCALATE,
	  .state = engine_escalate_state, .apply = engine_escalate },
	{ .name = "inject", .flags = ENGINE_WRITE|ENGINE_DRILL,
	  .kind = KIND_COUNT, .action = -1,
	  .args = engine_inject_args, .find = engine_inject_find,
	  .apply = engine_inject },
	{ .name = "mute", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .action = ALERT_DO_MUTE,
	  .args = engine_mute_args, .apply = engine_mute },
	{ .name = "note", .flags = ENGINE_WRITE|ENGINE_TEXT,
	  .kind = KIND_ALERT, .text = "text", .action = ALERT_DO_NOTE,
	  .apply = engine_note },
	{ .name = "reopen", .flags = ENGINE_WRITE|ENGINE_TEXT,
	  .kind = KIND_ALERT, .text = "reason", .action = ALERT_DO_REOPEN,
	  .apply = engine_reopen },
	{ .name = "reply", .flags = ENGINE_WRITE|ENGINE_TEXT,
	  .kind = KIND_FEEDBACK, .text = "text", .action = FB_DO_REPLY,
	  .apply = engine_reply },
	{ .name = "resolve", .flags = ENGINE_WRITE,
	  .kind = KIND_ALERT, .text = "text", .action = ALERT_DO_RESOLVE,
	  .apply = engine_resolve },
	{ .name = "return", .flags = ENGINE_WRITE|ENGINE_TEXT,
	  .kind = KIND_FEEDBACK, .text = "reason", .action = FB_DO_RETURN,
	  .apply = engine_return },
	{ .name = "transfer", .flags = ENGINE_WRITE|ENGINE_TEXT,
	  .kind = KIND_FEEDBACK, .text = "reason", .action = FB_DO_TRANSFER,
	  .args = engine_transfer_args, .find = engine_assign_find,
	  .state = engine_transfer_state, .apply = engine_transfer },
	{ .name = "unit_status", .flags = ENGINE_WRITE|ENGINE_REPORTS,
	  .kind = KIND_UNIT, .action = -1,
	  .args = engine_unit_status_args, .state = engine_unit_status_state,
	  .apply = engine_unit_status },
};

/* ==== Refusals ==== */

/*
 * Every reason a command may be refused for, with its code and its
 * English format (docs/protocol.md §7): "{name}" is the argument of
 * that name, which every refusal with the reason gives. A console keeps
 * the same table in its officer's language.
 */
const struct engine_reason_info engine_reasons[ENGINE_R_COUNT] = {
	[ENGINE_R_NONE] = { NULL, PROTO_E_INTERNAL, "" },
#define R(e, name, code, format) \
	[ENGINE_R_##e] = { name, PROTO_E_##code, format }
	R(UNKNOWN_COMMAND, "unknown_command", UNKNOWN_COMMAND,
	    "unknown command \"{cmd}\""),
	R(ARGS_NOT_OBJECT, "args_not_object", BAD_ARGS,
	    "{cmd}: \"args\" must be an object"),
	R(BAD_ARGUMENTS, "bad_arguments", BAD_ARGS,
	    "{cmd}: bad arguments: {detail}"),
	R(ARG_MISSING, "arg_missing", BAD_ARGS, "{cmd}: \"{arg}\" is missing"),
	R(ARG_NOT_STRING, "arg_not_string", BAD_ARGS,
	    "{cmd}: \"{arg}\" must be a string"),
	R(BAD_ID, "bad_id", BAD_ARGS, "{cmd}: \"{arg}\" is not a valid id"),
	R(BAD_VERSION, "bad_version", BAD_ARGS,
	    "{cmd}: \"version\" must be a positive integer"),
	R(TEXT_MISSING, "text_missing", BAD_ARGS, "{cmd}: give a {arg}"),
	R(TEXT_EMPTY, "text_empty", BAD_ARGS,
	    "{cmd}: the {arg} must not be empty"),
	R(TEXT_TOO_LONG, "text_too_long", BAD_ARGS,
	    "{cmd}: the {arg} is too long ({bytes} bytes, at most {max})"),
	R(UNITS_NOT_ARRAY, "units_not_array", BAD_ARGS,
	    "{cmd}: \"units\" must be an array of unit ids"),
	R(UNITS_COUNT, "units_count", BAD_ARGS,
	    "{cmd}: give 1 to {max} units, not {count}"),
	R(UNIT_BAD_ID, "unit_bad_id", BAD_ARGS,
	    "{cmd}: units[{index}] is not a valid unit id"),
	R(UNIT_TWICE, "unit_twice", BAD_ARGS, "{cmd}: unit {unit} given twice"),
	R(MINUTES_RANGE, "minutes_range", BAD_ARGS,
	    "{cmd}: \"minutes\" must be 1 to {max}"),
	R(BAD_DISPOSITION, "bad_disposition", BAD_ARGS,
	    "{cmd}: the disposition must be resolved, false_alarm, duplicate, "
	    "cancelled or transferred"),
	R(REASON_NEEDED, "reason_needed", BAD_ARGS,
	    "{alert}: give a reason to close it as {disposition}"),
	R(BAD_STATUS, "bad_status", BAD_ARGS,
	    "{cmd}: the status must be en_route, on_scene, returning, "
	    "available or out_of_service"),
	R(BAD_DEPT, "bad_dept", BAD_ARGS,
	    "{cmd}: \"{arg}\" is not a valid department code"),
	R(BAD_AREA, "bad_area", BAD_ARGS,
	    "{cmd}: \"area\" is not a valid area code"),
	R(BAD_CATEGORY, "bad_category", BAD_ARGS,
	    "{cmd}: \"category\" is not a valid code"),
	R(UNKNOWN_VALUE, "unknown_value", BAD_ARGS,
	    "{cmd}: unknown {arg} \"{value}\""),
	R(SEVERITY_RANGE, "severity_range", BAD_ARGS,
	    "{cmd}: \"severity\" must be 1 to 4"),
	R(DEADLINE_RANGE, "deadline_range", BAD_ARGS,
	    "{cmd}: \"deadline_min\" must be 0 to {max}"),
	R(ITEM_NOT_OBJECT, "item_not_object", BAD_ARGS,
	    "{cmd}: \"item\" must be an object"),
	R(BAD_INJECT_KIND, "bad_inject_kind", BAD_ARGS,
	    "{cmd}: \"kind\" must be alert or feedback"),
	R(NO_ALERT, "no_alert", NOT_FOUND, "no alert {alert}"),
	R(NO_UNIT, "no_unit", NOT_FOUND, "no unit {unit}"),
	R(NO_CASE, "no_case", NOT_FOUND, "no feedback case {case}"),
	R(NO_HOSPITAL, "no_hospital", NOT_FOUND, "no hospital {hospital}"),
	R(NO_DEPARTMENT, "no_department", NOT_FOUND, "no department {dept}"),
	R(NO_AREA, "no_area", NOT_FOUND, "no area {area} in this province"),
	R(OBSERVER, "observer", FORBIDDEN,
	    "{cmd}: an observer cannot change anything"),
	R(ROLE, "role_cannot_change", FORBIDDEN,
	    "{cmd}: the role \"{role}\" cannot change anything"),
	R(TRAINERS_ONLY, "trainers_only", FORBIDDEN,
	    "{cmd}: only a trainer or a supervisor may do this"),
	R(TRAINER_LIVE, "trainer_live", FORBIDDEN,
	    "{item} is live, not an exercise: a trainer acts only in a drill"),
	R(NOT_YOUR_AREA, "not_your_area", FORBIDDEN,
	    "{item} is in {area_name} ({area}): you act only in {areas}"),
	R(STALE, "stale", STALE_VERSION,
	    "{item} changed: you saw version {seen}, it is now version "
	    "{version}"),
	R(ALERT_NOT_NEW, "alert_not_new", BAD_STATE,
	    "{alert} is {state}: only a new alert can be acknowledged"),
	R(ALERT_OPEN, "alert_open", BAD_STATE,
	    "{alert} is still open ({state}): only a resolved or closed alert "
	    "can be reopened"),
	R(ALERT_CLOSED, "alert_closed", BAD_STATE, "{alert} is already closed"),
	R(ALERT_RESOLVED, "alert_resolved", BAD_STATE,
	    "{alert} is already resolved: close it"),
	R(ALERT_FINISHED, "alert_finished", BAD_STATE,
	    "{alert} is {state}: reopen it first"),
	R(BAD_STATE, "bad_state", BAD_STATE,
	    "cannot {cmd} {item}: it is {state}"),
	R(ALERT_FULL, "alert_full", BAD_STATE,
	    "{alert} already has {units} units; at most {max}"),
	R(ESCALATION_MAX, "escalation_max", BAD_STATE,
	    "{alert} is already at the highest escalation level ({max})"),
	R(CASE_CLOSED, "case_closed", BAD_STATE, "{case} is closed"),
	R(CASE_NOT_DONE, "case_not_done", BAD_STATE,
	    "{case} is {state}: only an answered or returned case can be "
	    "closed"),
	R(CASE_NEW, "case_new", BAD_STATE,
	    "{case} is new: assign it to a department first"),
	R(CASE_ASSIGNED, "case_assigned", BAD_STATE,
	    "{case} is already assigned to {dept}"),
	R(CASE_HELD, "case_held", BAD_STATE, "{case} is already with {dept}"),
	R(CASE_CAME_THROUGH, "case_came_through", BAD_STATE,
	    "{case} came through {dept}: return it instead"),
	R(TOO_MANY_HOPS, "too_many_hops", BAD_STATE,
	    "{case} was passed on {max} times: assign it from the desk"),
	R(DIVERSION_ON, "diversion_on", BAD_STATE,
	    "{hospital} is already on diversion"),
	R(DIVERSION_OFF, "diversion_off", BAD_STATE,
	    "{hospital} is already off diversion"),
	R(UNIT_SAME, "unit_same", BAD_STATE, "{unit} is already {status}"),
	R(UNIT_AVAILABLE, "unit_available", BAD_STATE,
	    "{unit} is available: dispatch it first"),
	R(UNIT_OUT_OF_SERVICE, "unit_out_of_service", BAD_STATE,
	    "{unit} is out of service: make it available first"),
	R(UNIT_BAD_MOVE, "unit_bad_move", BAD_STATE,
	    "{unit} is {status}: it cannot go {to}"),
	R(UNIT_BUSY, "unit_busy", UNIT_UNAVAILABLE,
	    "unit {unit} is {status} on {alert}"),
	R(UNIT_UNAVAILABLE, "unit_unavailable", UNIT_UNAVAILABLE,
	    "unit {unit} is {status}"),
	R(APPLY_FAILED, "apply_failed", INTERNAL,
	    "{item}: {cmd} failed in the server after {changes} of its "
	    "changes"),
	R(BAD_COMMAND_ID, "bad_command_id", BAD_ARGS,
	    "the command id must be 1 to 63 of [A-Za-z0-9_.-]"),
	R(BAD_COMMAND, "bad_command", BAD_ARGS,
	    "a command needs a \"cmd\" string and an \"args\" object"),
	R(CONFLICT, "conflict", CONFLICT,
	    "command id {id} was already used for another command"),
	R(RATE_LIMITED, "rate_limited", RATE_LIMITED,
	    "too many messages: at most {rate} a second (bursts of {burst}); "
	    "this one was dropped"),
	R(ACT_AS_DENIED, "act_as_denied", FORBIDDEN,
	    "{cmd}: this link may not act for {operator}"),
	R(RELAY_OFFLINE, "relay_offline", RATE_LIMITED,
	    "{cmd}: the province is out of reach; the command waits and goes "
	    "when the link is back"),
	R(TOO_MANY_SESSIONS, "too_many_sessions", TOO_MANY_SESSIONS,
	    "{operator} already has {sessions} sessions open, at most {max}: "
	    "close one first"),
#undef R
};

/*
 * The wire name of a reason ("alert_not_new"), or NULL for none or one
 * out of range.
 */
const char *
engine_reason_name(enum engine_reason r)
{
	if ((unsigned)r >= ENGINE_R_COUNT)
		return (NULL);
	return (engine_reasons[r].name);
}

/*
 * The reason of a wire name, or ENGINE_R_NONE when there is none such.
 */
enum engine_reason
engine_reason_find(const char *name)
{
	int	r;

	for (r = ENGINE_R_NONE + 1; name != NULL && r < ENGINE_R_COUNT; r++) {
		if (strcmp(engine_reasons[r].name, name) == 0)
			return ((enum engine_reason)r);
	}
	return (ENGINE_R_NONE);
}

/*
 * The English message of a reason: its format with every "{name}"
 * replaced by the string args["name"] (an argument that is missing or
 * not a string reads "?"). Returns an allocated string; caller frees.
 */
static void
engine_reason_arg(struct buf *b, const char *name, void *args)
{
	const char	*v = json_string_value(json_object_get(args, name));

	buf_adds(b, v != NULL ? v : "?");
}

char *
engine_reason_message(enum engine_reason r, json_t *args)
{
	struct buf	 b = BUF_INIT;

	if ((unsigned)r >= ENGINE_R_COUNT)
		r = ENGINE_R_NONE;
	buf_add_named(&b, engine_reasons[r].format, engine_reason_arg, args);
	return (buf_detach(&b));
}

/*
 * Refuse with reason r and code err: the arguments are the command's
 * name ("cmd") and the pairs of names and strings in ap, up to a NULL
 * name; the message is the reason's format filled with them.
 */
static int
engine_vfail(struct engine_ctx *ctx, enum proto_err err,
    enum engine_reason r, va_list ap)
{
	struct engine_outcome	*out = ctx->out;
	const char		*key, *value;
	char			 cmd[33];

	json_decref(out->args);
	out->args = json_object();
	if (ctx->name != NULL)
		json_object_set_new(out->args, "cmd", json_string(
		    engine_cut(cmd, sizeof cmd, ctx->name)));
	while ((key = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		json_object_set_new(out->args, key, json_string(value != NULL ?
		    value : ""));
	}
	free(out->msg);
	out->msg = engine_reason_message(r, out->args);
	out->err = err;
	out->reason = r;
	return (-1);
}

/*
 * Refuse with the reason's own code (before the phases: no command, or
 * args that are no object), and arguments as for engine_refuse().
 * Returns -1.
 */
static int __attribute__((sentinel))
engine_fail(struct engine_ctx *ctx, enum engine_reason r, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, r);
	rc = engine_vfail(ctx, engine_reasons[r].code, r, ap);
	va_end(ap);
	return (rc);
}

/*
 * Refuse with reason r and the code of the phase the command is in; the
 * rest are pairs of argument names and string values, NULL-terminated:
 * those the reason's format names. Returns -1.
 */
static int __attribute__((sentinel))
engine_refuse(struct engine_ctx *ctx, enum engine_reason r, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, r);
	rc = engine_vfail(ctx, engine_phase_errs[ctx->phase], r, ap);
	va_end(ap);
	return (rc);
}

/*
 * Copy s into buf of sz bytes, cut on a character boundary when it does
 * not fit (what a refusal quotes of an odd value). Returns buf.
 */
static const char *
engine_cut(char *buf, size_t sz, const char *s)
{
	size_t	len = strlen(s);

	if (len >= sz) {
		len = sz - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return (buf);
}

/* Write a number into buf, for a refusal's arguments; returns buf. */
static const char *
engine_num(char buf[24], long long n)
{
	snprintf(buf, 24, "%lld", n);
	return (buf);
}

/* ==== Arguments ==== */

/*
 * Unpack the arguments with json_unpack_ex(JSON_STRICT) and fmt: every
 * member known, of its type. Returns 0 or -1 after a refusal.
 */
static int
engine_unpack(struct engine_ctx *ctx, json_t *args, const char *fmt, ...)
{
	json_error_t	jerr;
	va_list		ap;
	int		rc;

	va_start(ap, fmt);
	rc = json_vunpack_ex(args, &jerr, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (rc != 0)
		return (engine_refuse(ctx, ENGINE_R_BAD_ARGUMENTS, "detail",
		    jerr.text, NULL));
	return (0);
}

/*
 * Name an item of kind k (its id, the argument key) for the generic
 * phases: found, access checked and, the first, version checked.
 * Returns 0, or -1 after a refusal when id is not an id.
 */
static int
engine_ref(struct engine_ctx *ctx, enum kind_index k, const char *key,
    const char *id, int access)
{
	struct engine_ref	*r;

	if (!model_id_valid(id, MODEL_ID_MAX))
		return (engine_refuse(ctx, ENGINE_R_BAD_ID, "arg", key, NULL));
	if (ctx->nrefs == ENGINE_REFS)
		fatalx("%s: too many items", __func__);
	r = &ctx->refs[ctx->nrefs++];
	r->kind = kind_get(k);
	r->id = id;
	r->access = access;
	return (0);
}

/*
 * Check a free text argument: required (or NULL when optional), 1 to
 * PROTO_MAX_TEXT bytes. Returns 0 or -1 after a refusal.
 */
static int
engine_text(struct engine_ctx *ctx, const char *key, const char *s,
    int required)
{
	size_t	len;
	char	n[24], max[24];

	if (s == NULL) {
		if (!required)
			return (0);
		return (engine_refuse(ctx, ENGINE_R_TEXT_MISSING, "arg", key,
		    NULL));
	}
	len = strlen(s);
	if (len == 0)
		return (engine_refuse(ctx, ENGINE_R_TEXT_EMPTY, "arg", key,
		    NULL));
	if (len > PROTO_MAX_TEXT)
		return (engine_refuse(ctx, ENGINE_R_TEXT_TOO_LONG, "arg", key,
		    "bytes", engine_num(n, (long long)len), "max",
		    engine_num(max, PROTO_MAX_TEXT), NULL));
	return (0);
}

/*
 * The version the officer saw: absent, or an integer from 1 to 2^32-1
 * (-1 or null are no more "none" than 0 is). It is taken out of the
 * arguments, which the commands' own parsers do not know. Returns 0 or
 * -1 after a refusal.
 */
static int
engine_version_arg(struct engine_ctx *ctx, json_t *args)
{
	json_t	*v = json_object_get(args, "version");

	ctx->version = -1;
	if (v == NULL)
		return (0);
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > UINT32_MAX)
		return (engine_refuse(ctx, ENGINE_R_BAD_VERSION, NULL));
	ctx->version = json_integer_value(v);
	json_object_del(args, "version");
	return (0);
}

/*
 * The arguments every command has: the version, the item it names first
 * and its free text; then the command's own (its args hook), or nothing
 * else. What is known is taken out of args, a copy of the command's
 * whose values stay the caller's for the run.
 */
static int
engine_args(struct engine_ctx *ctx, json_t *args)
{
	const struct engine_cmd	*ce = ctx->ce;
	const char		*key;
	json_t			*v;

	if (engine_version_arg(ctx, args) != 0)
		return (-1);
	if (ce->kind != KIND_COUNT) {
		key = kind_get(ce->kind)->arg;
		if ((v = json_object_get(args, key)) == NULL)
			return (engine_refuse(ctx, ENGINE_R_ARG_MISSING, "arg",
			    key, NULL));
		if (!json_is_string(v))
			return (engine_refuse(ctx, ENGINE_R_ARG_NOT_STRING,
			    "arg", key, NULL));
		if (engine_ref(ctx, ce->kind, key, json_string_value(v),
		    (ce->flags & ENGINE_REPORTS) ? ENGINE_REPORT :
		    ENGINE_ACT) != 0)
			return (-1);
		json_object_del(args, key);
	}
	if (ce->text != NULL) {
		v = json_object_get(args, ce->text);
		if (v != NULL && !json_is_string(v))
			return (engine_refuse(ctx, ENGINE_R_ARG_NOT_STRING,
			    "arg", ce->text, NULL));
		ctx->text = json_string_value(v);
		if (engine_text(ctx, ce->text, ctx->text,
		    ce->flags & ENGINE_TEXT) != 0)
			return (-1);
		json_object_del(args, ce->text);
	}
	if (ce->args != NULL)
		return (ce->args(ctx, args));
	return (engine_unpack(ctx, args, "{}"));
}

/* ==== Finding, access, freshness ==== */

/* Why an item of each kind a command names is not found. */
static const enum engine_reason engine_not_found[KIND_COUNT] = {
	[KIND_ALERT] = ENGINE_R_NO_ALERT,
	[KIND_UNIT] = ENGINE_R_NO_UNIT,
	[KIND_HOSPITAL] = ENGINE_R_NO_HOSPITAL,
	[KIND_FEEDBACK] = ENGINE_R_NO_CASE
};

/* Find every item the command names. */
static int
engine_find(struct engine_ctx *ctx)
{
	struct engine_ref	*r;
	size_t			 i;

	for (i = 0; i < ctx->nrefs; i++) {
		r = &ctx->refs[i];
		r->item = store_find(ctx->e->store, r->kind, r->id);
		if (r->item == NULL)
			return (engine_refuse(ctx, engine_not_found[
			    r->kind->index], r->kind->arg, r->id, NULL));
	}
	return (0);
}

/*
 * Check that the operator may act on an item (named by what, e.g.
 * "A-0012") in area: supervisors and trainers everywhere, operators in
 * their areas. Returns 0 or -1 after a refusal.
 */
static int
engine_area(struct engine_ctx *ctx, const char *what, const char *area)
{
	const struct area	*a;
	struct buf		 list = BUF_INIT;
	size_t			 i;
	int			 rc;

	if (operator_may_act_in(ctx->op, area))
		return (0);
	for (i = 0; i < ctx->op->nareas && i < 8; i++) {
		if (ctx->op->areas[i] != NULL)
			buf_printf(&list, "%s%s", list.len > 0 ? ", " : "",
			    ctx->op->areas[i]);
	}
	if (ctx->op->nareas > 8)
		buf_adds(&list, ", ...");
	a = store_area(ctx->e->store, area);
	rc = engine_refuse(ctx, ENGINE_R_NOT_YOUR_AREA, "item", what, "area",
	    area, "area_name", a != NULL && a->name != NULL ? a->name : area,
	    "areas", list.len > 0 ? buf_str(&list) : "none", NULL);
	buf_free(&list);
	return (rc);
}

/*
 * Whether the command names a live item (one that is not an exercise: a
 * unit or a hospital always is, an alert or a case unless flagged), and
 * which (*live).
 */
static int
engine_live_ref(const struct engine_ctx *ctx, const struct engine_ref **live)
{
	const struct engine_ref	*r;
	size_t			 i;
	int			 exercise;

	for (i = 0; i < ctx->nrefs; i++) {
		r = &ctx->refs[i];
		if (r->kind->index == KIND_ALERT)
			exercise = ((const struct alert *)r->item)->exercise;
		else if (r->kind->index == KIND_FEEDBACK)
			exercise =
			    ((const struct feedback *)r->item)->exercise;
		else
			exercise = 0;
		if (!exercise) {
			*live = r;
			return (1);
		}
	}
	return (0);
}

/*
 * The role first (observers and roles we do not know change nothing;
 * only trainers and supervisors inject), then the area of every item
 * named. A unit's own report (ENGINE_REPORT) is an operator's too when
 * the unit is on an alert in one of its areas.
 */
static int
engine_access(struct engine_ctx *ctx)
{
	const struct engine_ref	*r;
	const struct unit	*u;
	const struct alert	*a;
	size_t			 i;
	int			 flags = ctx->ce->flags;

	if ((flags & ENGINE_WRITE) && ctx->op->role == OPERATOR_OBSERVER)
		return (engine_refuse(ctx, ENGINE_R_OBSERVER, NULL));
	if ((flags & ENGINE_WRITE) && !operator_may_change(ctx->op))
		return (engine_refuse(ctx, ENGINE_R_ROLE, "role",
		    operator_role_name(ctx->op->role), NULL));
	if ((flags & ENGINE_DRILL) && !operator_may_inject(ctx->op))
		return (engine_refuse(ctx, ENGINE_R_TRAINERS_ONLY, NULL));
	if ((flags & ENGINE_WRITE) && !(flags & ENGINE_DRILL) &&
	    ctx->op->role == OPERATOR_TRAINER && !ctx->e->exercise &&
	    engine_live_ref(ctx, &r))
		return (engine_refuse(ctx, ENGINE_R_TRAINER_LIVE, "item", r->id,
		    NULL));
	for (i = 0; i < ctx->nrefs; i++) {
		r = &ctx->refs[i];
		if (r->access == ENGINE_REPORT &&
		    ctx->op->role == OPERATOR_OPERATOR) {
			u = r->item;
			a = u->alert[0] != '\0' ? store_alert(ctx->e->store,
			    u->alert) : NULL;
			if (a != NULL && operator_has_area(ctx->op, a->area))
				continue;
		}
		if (engine_area(ctx, r->id, kind_area(r->kind, r->item)) != 0)
			return (-1);
	}
	return (0);
}

/* The first item is as the officer saw it, when a version was given. */
static int
engine_fresh(struct engine_ctx *ctx)
{
	const struct engine_ref	*r = &ctx->refs[0];
	uint32_t		 current;
	char			 seen[24], now[24];

	if (ctx->version == -1 || ctx->nrefs == 0)
		return (0);
	current = kind_version(r->kind, r->item);
	if ((json_int_t)current != ctx->version)
		return (engine_refuse(ctx, ENGINE_R_STALE, "item", r->id,
		    "seen", engine_num(seen, ctx->version), "version",
		    engine_num(now, current), NULL));
	return (0);
}

/* ==== Changes ==== */

/*
 * Append what this command did to an item's history: when, who, the
 * command, and text (NULL: none). A history text is a free text like any
 * other, at most PROTO_MAX_TEXT bytes: a longer one (a close's
 * "disposition: reason" with a reason near the limit) is cut on a
 * character boundary and ends with an ellipsis, so any valid argument
 * makes a valid item.
 */
static void
engine_history(struct engine_ctx *ctx, struct history *h, const char *what,
    const char *text)
{
	static const char	 ellipsis[] = "\xe2\x80\xa6";	/* U+2026 */
	char			*cut;
	size_t			 len;

	if (text == NULL || strlen(text) <= PROTO_MAX_TEXT) {
		history_add(h, ctx->now, ctx->op->name, what, text);
		return;
	}
	len = PROTO_MAX_TEXT - (sizeof ellipsis - 1);
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;
	cut = xmalloc(len + sizeof ellipsis);
	memcpy(cut, text, len);
	memcpy(cut + len, ellipsis, sizeof ellipsis);
	history_add(h, ctx->now, ctx->op->name, what, cut);
	free(cut);
}

/*
 * Hand a changed item to the sink as this command's change: stamped by
 * engine_emit() and counted in the outcome. Returns 0, or -1 after a
 * refusal (internal) when the sink refused it.
 */
static int
engine_change(struct engine_ctx *ctx, const struct kind *k, void *item)
{
	char	n[24];

	if (engine_emit(ctx->e, k, item, ctx->op->name, ctx->name,
	    &ctx->out->seq) != 0)
		return (engine_refuse(ctx, ENGINE_R_APPLY_FAILED, "item",
		    kind_id(k, item), "changes", engine_num(n,
		    (long long)ctx->out->changes), NULL));
	ctx->out->changes++;
	return (0);
}

/*
 * Emit a changed copy of an alert with a history entry (what: the
 * command; text may be NULL). Returns 0 or -1 after a refusal.
 */
static int
engine_alert_change(struct engine_ctx *ctx, struct alert *copy,
    const char *text)
{
	engine_history(ctx, &copy->hist, ctx->name, text);
	return (engine_change(ctx, kind_get(KIND_ALERT), copy));
}

/* Emit a unit in a new status, bound to alert (NULL: unbound). */
static int
engine_unit_change(struct engine_ctx *ctx, const struct unit *u,
    enum unit_status status, const char *alert)
{
	struct unit	copy;
	int		rc;

	unit_copy(&copy, u);
	copy.status = status;
	snprintf(copy.alert, sizeof copy.alert, "%s",
	    alert != NULL ? alert : "");
	rc = engine_change(ctx, kind_get(KIND_UNIT), &copy);
	unit_clear(&copy);
	return (rc);
}

/* Emit a changed copy of a case with a history entry. */
static int
engine_case_change(struct engine_ctx *ctx, struct feedback *copy,
    const char *text)
{
	engine_history(ctx, &copy->hist, ctx->name, text);
	return (engine_change(ctx, kind_get(KIND_FEEDBACK), copy));
}

/*
 * Send the alert's units that are still on the job (dispatched, en route,
 * on scene) back: they become returning.
 */
static int
engine_release_units(struct engine_ctx *ctx, const struct alert *a)
{
	char		 ids[ALERT_MAX_UNITS][MODEL_ID_MAX];
	char		 alert[MODEL_ID_MAX];
	struct unit	*u;
	int		 i, n = a->nunits;

	/* Copy: the alert may move while units are emitted. */
	if (n > 0)
		memcpy(ids, a->units, (size_t)n * sizeof ids[0]);
	snprintf(alert, sizeof alert, "%s", a->id);
	for (i = 0; i < n; i++) {
		u = store_unit(ctx->e->store, ids[i]);
		if (u == NULL || strcmp(u->alert, alert) != 0 ||
		    !unit_is_busy(u))
			continue;
		if (engine_unit_change(ctx, u, UNIT_RETURNING, alert) != 0)
			return (-1);
	}
	return (0);
}

/* ==== The state machines ==== */

/* The alert the command names first (found). */
static struct alert *
engine_the_alert(struct engine_ctx *ctx)
{
	return (ctx->refs[0].item);
}

/* The case the command names first (found). */
static struct feedback *
engine_the_case(struct engine_ctx *ctx)
{
	return (ctx->refs[0].item);
}

/*
 * Whether the state machine allows action on the alert; a refusal worded
 * for the officer otherwise.
 */
static int
engine_alert_state(struct engine_ctx *ctx, enum alert_action action)
{
	const struct alert	*a = engine_the_alert(ctx);
	const char		*state = alert_state_names[a->state];

	if (alert_can(a->state, action))
		return (0);
	switch (action) {
	case ALERT_DO_ACK:
		return (engine_refuse(ctx, ENGINE_R_ALERT_NOT_NEW, "alert",
		    a->id, "state", state, NULL));
	case ALERT_DO_REOPEN:
		return (engine_refuse(ctx, ENGINE_R_ALERT_OPEN, "alert", a->id,
		    "state", state, NULL));
	case ALERT_DO_CLOSE:
	case ALERT_DO_RESOLVE:
		if (a->state == ALERT_CLOSED)
			return (engine_refuse(ctx, ENGINE_R_ALERT_CLOSED,
			    "alert", a->id, NULL));
		if (a->state == ALERT_RESOLVED)
			return (engine_refuse(ctx, ENGINE_R_ALERT_RESOLVED,
			    "alert", a->id, NULL));
		break;
	default:
		break;
	}
	if (a->state == ALERT_CLOSED || a->state == ALERT_RESOLVED)
		return (engine_refuse(ctx, ENGINE_R_ALERT_FINISHED, "alert",
		    a->id, "state", state, NULL));
	return (engine_refuse(ctx, ENGINE_R_BAD_STATE, "item", a->id, "state",
	    state, NULL));
}

/*
 * Whether the case's life cycle allows action; a refusal worded for the
 * officer otherwise.
 */
static int
engine_case_state(struct engine_ctx *ctx, enum fb_action action)
{
	const struct feedback	*f = engine_the_case(ctx);
	const char		*state = fb_state_names[f->state];

	if (feedback_can(f->state, action))
		return (0);
	if (f->state == FB_CLOSED)
		return (engine_refuse(ctx, ENGINE_R_CASE_CLOSED, "case", f->id,
		    NULL));
	if (action == FB_DO_CLOSE)
		return (engine_refuse(ctx, ENGINE_R_CASE_NOT_DONE, "case",
		    f->id, "state", state, NULL));
	if (action == FB_DO_REPLY && f->state == FB_NEW)
		return (engine_refuse(ctx, ENGINE_R_CASE_NEW, "case", f->id,
		    NULL));
	return (engine_refuse(ctx, ENGINE_R_BAD_STATE, "item", f->id, "state",
	    state, NULL));
}

/* The state phase: the item's state machine, then the command's own. */
static int
engine_state(struct engine_ctx *ctx)
{
	const struct engine_cmd	*ce = ctx->ce;

	if (ce->action != -1 && ce->kind == KIND_ALERT &&
	    engine_alert_state(ctx, ce->action) != 0)
		return (-1);
	if (ce->action != -1 && ce->kind == KIND_FEEDBACK &&
	    engine_case_state(ctx, ce->action) != 0)
		return (-1);
	return (ce->state != NULL ? ce->state(ctx) : 0);
}

/* ==== Alerts ==== */

/*
 * Change a copy of the alert the command names with fn (NULL: nothing
 * but the history), add the history entry (text may be NULL), emit it,
 * and (release) send back the units still on the job. Returns 0 or -1.
 */
static int
engine_alert_do(struct engine_ctx *ctx, void (*fn)(struct engine_ctx *,
    struct alert *), const char *text, int release)
{
	struct alert	copy;
	int		rc;

	alert_copy(&copy, engine_the_alert(ctx));
	if (fn != NULL)
		fn(ctx, &copy);
	rc = engine_alert_change(ctx, &copy, text);
	if (rc == 0 && release)
		rc = engine_release_units(ctx, &copy);
	alert_clear(&copy);
	return (rc);
}

/* The operator of the command handles the alert from now. */
static void
engine_alert_handler(struct engine_ctx *ctx, struct alert *a)
{
	free(a->handler);
	a->handler = xstrdup(ctx->op->name);
}

/*
 * ack {alert}: new -> acknowledged, recording who, and when (its
 * acknowledgement clock stops); the acker handles it.
 */
static void
engine_ack_fn(struct engine_ctx *ctx, struct alert *a)
{
	a->state = ALERT_ACKNOWLEDGED;
	free(a->acked_by);
	a->acked_by = xstrdup(ctx->op->name);
	if (a->acked_at == 0)
		a->acked_at = ctx->now;
	engine_alert_handler(ctx, a);
}

static int
engine_ack(struct engine_ctx *ctx)
{
	return (engine_alert_do(ctx, engine_ack_fn, NULL, 0));
}

/*
 * dispatch {alert, units}: each unit, which must be available (and, for
 * an operator, of their areas), goes to dispatched on the alert; the
 * alert gets the units and goes to dispatched (an alert already on scene
 * stays on scene). Dispatching a new alert acknowledges it. The first
 * dispatch of a cycle stops its dispatch clock; the dispatcher handles
 * it. At most ALERT_MAX_UNITS on an alert: more is the alert's state,
 * not the arguments.
 */
static int
engine_dispatch_args(struct engine_ctx *ctx, json_t *args)
{
	json_t	*units, *v;
	size_t	 i, j, n;
	char	 a[24], b[24];

	if (engine_unpack(ctx, args, "{s:o}", "units", &units) != 0)
		return (-1);
	if (!json_is_array(units))
		return (engine_refuse(ctx, ENGINE_R_UNITS_NOT_ARRAY, NULL));
	n = json_array_size(units);
	if (n < 1 || n > ALERT_MAX_UNITS)
		return (engine_refuse(ctx, ENGINE_R_UNITS_COUNT, "max",
		    engine_num(a, ALERT_MAX_UNITS), "count",
		    engine_num(b, (long long)n), NULL));
	json_array_foreach(units, i, v) {
		if (!json_is_string(v) ||
		    !model_id_valid(json_string_value(v), MODEL_ID_MAX))
			return (engine_refuse(ctx, ENGINE_R_UNIT_BAD_ID,
			    "index", engine_num(a, (long long)i), NULL));
		for (j = 1; j < ctx->nrefs; j++) {
			if (strcmp(ctx->refs[j].id, json_string_value(v)) == 0)
				return (engine_refuse(ctx, ENGINE_R_UNIT_TWICE,
				    "unit", ctx->refs[j].id, NULL));
		}
		if (engine_ref(ctx, KIND_UNIT, "units", json_string_value(v),
		    ENGINE_ACT) != 0)
			return (-1);
	}
	return (0);
}

static int
engine_dispatch_state(struct engine_ctx *ctx)
{
	const struct alert	*a = engine_the_alert(ctx);
	size_t			 i, added = 0;
	char			 n[24], max[24];

	for (i = 1; i < ctx->nrefs; i++)
		added += !alert_has_unit(a, ctx->refs[i].id);
	if (a->nunits + added > ALERT_MAX_UNITS)
		return (engine_refuse(ctx, ENGINE_R_ALERT_FULL, "alert", a->id,
		    "units", engine_num(n, a->nunits), "max",
		    engine_num(max, ALERT_MAX_UNITS), NULL));
	return (0);
}

static int
engine_dispatch_units(struct engine_ctx *ctx)
{
	const struct unit	*u;
	size_t			 i;

	for (i = 1; i < ctx->nrefs; i++) {
		u = ctx->refs[i].item;
		if (!unit_can(u->status, UNIT_DISPATCHED) &&
		    u->alert[0] != '\0')
			return (engine_refuse(ctx, ENGINE_R_UNIT_BUSY, "unit",
			    u->id, "status", unit_status_names[u->status],
			    "alert", u->alert, NULL));
		if (!unit_can(u->status, UNIT_DISPATCHED))
			return (engine_refuse(ctx, ENGINE_R_UNIT_UNAVAILABLE,
			    "unit", u->id, "status",
			    unit_status_names[u->status], NULL));
	}
	return (0);
}

static int
engine_dispatch(struct engine_ctx *ctx)
{
	struct alert	 copy;
	struct buf	 text = BUF_INIT;
	size_t		 i;
	int		 rc;

	alert_copy(&copy, engine_the_alert(ctx));
	if (copy.state == ALERT_NEW || copy.state == ALERT_ACKNOWLEDGED)
		copy.state = ALERT_DISPATCHED;
	if (copy.acked_by == NULL)
		copy.acked_by = xstrdup(ctx->op->name);
	if (copy.acked_at == 0)
		copy.acked_at = ctx->now;
	if (copy.dispatched_at == 0)
		copy.dispatched_at = ctx->now;
	engine_alert_handler(ctx, &copy);
	for (i = 1; i < ctx->nrefs; i++) {
		if (!alert_has_unit(&copy, ctx->refs[i].id))
			alert_add_unit(&copy, ctx->refs[i].id);
		buf_printf(&text, "%s%s", i > 1 ? ", " : "", ctx->refs[i].id);
	}
	rc = engine_alert_change(ctx, &copy, buf_str(&text));
	buf_free(&text);
	for (i = 1; rc == 0 && i < ctx->nrefs; i++) {
		rc = engine_unit_change(ctx, store_unit(ctx->e->store,
		    ctx->refs[i].id), UNIT_DISPATCHED, copy.id);
	}
	alert_clear(&copy);
	return (rc);
}

/* note {alert, text}: appends the note to the history, in any state. */
static int
engine_note(struct engine_ctx *ctx)
{
	return (engine_alert_do(ctx, NULL, ctx->text, 0));
}

/*
 * escalate {alert}: one escalation level more, at most
 * ALERT_MAX_ESCALATION, while the alert is open.
 */
static int
engine_escalate_state(struct engine_ctx *ctx)
{
	const struct alert	*a = engine_the_alert(ctx);
	char			 max[24];

	if (a->escalation >= ALERT_MAX_ESCALATION)
		return (engine_refuse(ctx, ENGINE_R_ESCALATION_MAX, "alert",
		    a->id, "max", engine_num(max, ALERT_MAX_ESCALATION),
		    NULL));
	return (0);
}

static void
engine_escalate_fn(struct engine_ctx *ctx, struct alert *a)
{
	(void)ctx;
	a->escalation++;
}

static int
engine_escalate(struct engine_ctx *ctx)
{
	char	text[32];

	snprintf(text, sizeof text, "level %d",
	    engine_the_alert(ctx)->escalation + 1);
	return (engine_alert_do(ctx, engine_escalate_fn, text, 0));
}

/*
 * mute {alert, minutes}: silences the alert until now + minutes (1 to
 * 240); it stays open. Muting again sets a new end.
 */
static int
engine_mute_args(struct engine_ctx *ctx, json_t *args)
{
	json_int_t	minutes;
	char		max[24];

	if (engine_unpack(ctx, args, "{s:I}", "minutes", &minutes) != 0)
		return (-1);
	if (minutes < 1 || minutes > ENGINE_MUTE_MAX)
		return (engine_refuse(ctx, ENGINE_R_MINUTES_RANGE, "max",
		    engine_num(max, ENGINE_MUTE_MAX), NULL));
	ctx->value = (int)minutes;
	return (0);
}

static void
engine_mute_fn(struct engine_ctx *ctx, struct alert *a)
{
	a->muted_until = ctx->now + ctx->value * 60000LL;
}

static int
engine_mute(struct engine_ctx *ctx)
{
	char	text[32];

	snprintf(text, sizeof text, "%d min", ctx->value);
	return (engine_alert_do(ctx, engine_mute_fn, text, 0));
}

/* resolve {alert, text?}: -> resolved; the units on the job return. */
static void
engine_resolve_fn(struct engine_ctx *ctx, struct alert *a)
{
	(void)ctx;
	a->state = ALERT_RESOLVED;
	a->muted_until = 0;
}

static int
engine_resolve(struct engine_ctx *ctx)
{
	return (engine_alert_do(ctx, engine_resolve_fn, ctx->text, 1));
}

/*
 * close {alert, disposition, reason?}: -> closed with the disposition;
 * the reason is required unless the disposition is "resolved". Units
 * still on the job return.
 */
static int
engine_close_args(struct engine_ctx *ctx, json_t *args)
{
	const char	*disp;

	if (engine_unpack(ctx, args, "{s:s}", "disposition", &disp) != 0)
		return (-1);
	ctx->value = MODEL_ENUM_PARSE(disposition_names, disp);
	if (ctx->value <= DISPOSITION_NONE)
		return (engine_refuse(ctx, ENGINE_R_BAD_DISPOSITION, NULL));
	if (ctx->text == NULL && ctx->value != DISPOSITION_RESOLVED)
		return (engine_refuse(ctx, ENGINE_R_REASON_NEEDED, "alert",
		    ctx->refs[0].id, "disposition",
		    disposition_names[ctx->value], NULL));
	return (0);
}

static void
engine_close_fn(struct engine_ctx *ctx, struct alert *a)
{
	a->state = ALERT_CLOSED;
	a->disposition = ctx->value;
	a->muted_until = 0;
}

static int
engine_close(struct engine_ctx *ctx)
{
	const char	*disp = disposition_names[ctx->value];
	char		*text;
	int		 rc;

	if (ctx->text != NULL)
		xasprintf(&text, "%s: %s", disp, ctx->text);
	else
		text = xstrdup(disp);
	rc = engine_alert_do(ctx, engine_close_fn, text, 1);
	free(text);
	return (rc);
}

/*
 * reopen {alert, reason}: resolved or closed -> acknowledged, with no
 * disposition and no units (the history keeps who went). A new cycle:
 * its clocks run from now, by the bands (an inject's deadline_min was
 * the first cycle's), and it is acknowledged at once, by the operator
 * who reopened it and handles it.
 */
static void
engine_reopen_fn(struct engine_ctx *ctx, struct alert *a)
{
	a->state = ALERT_ACKNOWLEDGED;
	a->disposition = DISPOSITION_NONE;
	alert_clear_units(a);
	if (a->acked_by == NULL)
		a->acked_by = xstrdup(ctx->op->name);
	engine_alert_cycle(ctx->e, a, ctx->now, 0);
	a->acked_at = ctx->now;
	engine_alert_handler(ctx, a);
}

static int
engine_reopen(struct engine_ctx *ctx)
{
	return (engine_alert_do(ctx, engine_reopen_fn, ctx->text, 0));
}

/* ==== Units ==== */

/*
 * unit_status {unit, status}: the unit's own report. On scene takes its
 * alert from dispatched to on_scene; available and out_of_service unbind
 * it, and take it off its alert while the alert is open (the alert goes
 * back to acknowledged when that was its last unit). An operator may
 * report for a unit of their areas or on an alert of their areas.
 */
static int
engine_unit_status_args(struct engine_ctx *ctx, json_t *args)
{
	const char	*status;

	if (engine_unpack(ctx, args, "{s:s}", "status", &status) != 0)
		return (-1);
	ctx->value = MODEL_ENUM_PARSE(unit_status_names, status);
	if (ctx->value == -1 || ctx->value == UNIT_DISPATCHED)
		return (engine_refuse(ctx, ENGINE_R_BAD_STATUS, NULL));
	return (0);
}

static int
engine_unit_status_state(struct engine_ctx *ctx)
{
	const struct unit	*u = ctx->refs[0].item;
	const char		*from = unit_status_names[u->status];
	enum unit_status	 to = ctx->value;

	if (u->status == to)
		return (engine_refuse(ctx, ENGINE_R_UNIT_SAME, "unit", u->id,
		    "status", from, NULL));
	if (unit_can(u->status, to))
		return (0);
	if (u->status == UNIT_AVAILABLE)
		return (engine_refuse(ctx, ENGINE_R_UNIT_AVAILABLE, "unit",
		    u->id, NULL));
	if (u->status == UNIT_OUT_OF_SERVICE)
		return (engine_refuse(ctx, ENGINE_R_UNIT_OUT_OF_SERVICE, "unit",
		    u->id, NULL));
	return (engine_refuse(ctx, ENGINE_R_UNIT_BAD_MOVE, "unit", u->id,
	    "status", from, "to", unit_status_names[to], NULL));
}

static int
engine_unit_status(struct engine_ctx *ctx)
{
	const struct unit	*u = ctx->refs[0].item;
	enum unit_status	 to = ctx->value;
	struct alert		*a, copy;
	char			 id[MODEL_ID_MAX], alert[MODEL_ID_MAX];
	char			 text[64];
	int			 rc;

	snprintf(id, sizeof id, "%s", u->id);
	snprintf(alert, sizeof alert, "%s", u->alert);
	if (engine_unit_change(ctx, u, to, (to == UNIT_AVAILABLE ||
	    to == UNIT_OUT_OF_SERVICE) ? NULL : alert) != 0)
		return (-1);
	if (alert[0] == '\0' ||
	    (a = store_alert(ctx->e->store, alert)) == NULL)
		return (0);
	if (to == UNIT_ON_SCENE && alert_can(a->state, ALERT_DO_ON_SCENE)) {
		alert_copy(&copy, a);
		copy.state = ALERT_ON_SCENE;
		if (copy.on_scene_at == 0)
			copy.on_scene_at = ctx->now;
		snprintf(text, sizeof text, "%s on scene", id);
	} else if ((to == UNIT_AVAILABLE || to == UNIT_OUT_OF_SERVICE) &&
	    alert_is_open(a) && alert_has_unit(a, id)) {
		alert_copy(&copy, a);
		alert_remove_unit(&copy, id);
		if (copy.nunits == 0 && alert_can(copy.state, ALERT_DO_RECALL))
			copy.state = ALERT_ACKNOWLEDGED;
		snprintf(text, sizeof text, "%s released (%s)", id,
		    unit_status_names[to]);
	} else
		return (0);
	rc = engine_alert_change(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/* ==== Feedback ==== */

/*
 * Hand-offs. A case is with a body (its holder: a department or a
 * commune's People's Committee, any code of the store's departments) or
 * at the desk (""), since held_since, to be answered by its deadline.
 * The desk assigns it (the deadline, counted from receipt, goes on); the
 * body holding it may transfer it to another body (the receiver's clock
 * starts: a new deadline by the rules from the transfer), which is
 * remembered in via; a return hands it back to the body that transferred
 * it, whose clock goes on as it was (its deadline and since when it
 * held it), or, when nobody transferred it, returns it to the citizen:
 * "not within our competence", the end of the case at the desk. See
 * docs/protocol.md §6, "Hand-offs".
 */

/* The body that has the case: holder, or (a case older than hand-offs) dept. */
static const char *
engine_case_holder(const struct feedback *f)
{
	return (f->holder[0] != '\0' || f->state == FB_NEW ||
	    f->state == FB_RETURNED ? f->holder : f->dept);
}

/*
 * Change a copy of the case the command names: its new state (and
 * department, or reply, when not NULL), with a history entry.
 */
static int
engine_case_do(struct engine_ctx *ctx, enum fb_state state,
    const char *dept, const char *reply, const char *text)
{
	struct feedback	copy;
	int		rc;

	feedback_copy(&copy, engine_the_case(ctx));
	copy.state = state;
	if (dept != NULL)
		snprintf(copy.dept, sizeof copy.dept, "%s", dept);
	if (reply != NULL) {
		free(copy.reply);
		copy.reply = xstrdup(reply);
	}
	rc = engine_case_change(ctx, &copy, text);
	feedback_clear(&copy);
	return (rc);
}

/*
 * Move a copy of the case the command names to body (NULL: the desk) as
 * its holder since since, by the command's operator, who handles it; the
 * history entry says "FROM → TO: reason", "TO" or "FROM: reason" with
 * what is known. Sets copy's state; the caller sets what else moves.
 */
static void
engine_case_move(struct engine_ctx *ctx, struct feedback *copy,
    enum fb_state state, const char *body, int64_t since, const char *reason)
{
	struct buf	 text = BUF_INIT;
	const char	*from = engine_case_holder(copy);

	if (*from != '\0' && body != NULL && strcmp(from, body) != 0)
		/* "FROM → TO", U+2192. */
		buf_printf(&text, "%s \xe2\x86\x92 %s", from, body);
	else if (body != NULL)
		buf_adds(&text, body);
	else
		buf_adds(&text, from);
	if (reason != NULL)
		buf_printf(&text, "%s%s", text.len > 0 ? ": " : "", reason);
	copy->state = state;
	snprintf(copy->holder, sizeof copy->holder, "%s", body != NULL ?
	    body : "");
	if (body != NULL)
		snprintf(copy->dept, sizeof copy->dept, "%s", body);
	copy->held_since = since;
	free(copy->handler);
	copy->handler = xstrdup(ctx->op->name);
	engine_history(ctx, &copy->hist, ctx->name, buf_str(&text));
	buf_free(&text);
}

/* Emit a moved copy of the case (engine_case_move() and the rest set). */
static int
engine_case_moved(struct engine_ctx *ctx, struct feedback *copy)
{
	int	rc;

	rc = engine_change(ctx, kind_get(KIND_FEEDBACK), copy);
	feedback_clear(copy);
	return (rc);
}

/*
 * assign {case, dept}: new, assigned, in progress or returned -> assigned
 * to the body, which holds it from now. The desk routes it: nobody is
 * waiting to get it back (via is emptied), and the deadline, counted
 * from receipt, goes on.
 */
static int
engine_assign_args(struct engine_ctx *ctx, json_t *args)
{
	if (engine_unpack(ctx, args, "{s:s}", "dept", &ctx->code) != 0)
		return (-1);
	if (!model_id_valid(ctx->code, MODEL_CODE_MAX))
		return (engine_refuse(ctx, ENGINE_R_BAD_DEPT, "arg", "dept",
		    NULL));
	return (0);
}

static int
engine_assign_find(struct engine_ctx *ctx)
{
	if (store_department(ctx->e->store, ctx->code) == NULL)
		return (engine_refuse(ctx, ENGINE_R_NO_DEPARTMENT, "dept",
		    ctx->code, NULL));
	return (0);
}

static int
engine_assign_state(struct engine_ctx *ctx)
{
	const struct feedback	*f = engine_the_case(ctx);

	if (f->state != FB_RETURNED && strcmp(f->dept, ctx->code) == 0)
		return (engine_refuse(ctx, ENGINE_R_CASE_ASSIGNED, "case",
		    f->id, "dept", ctx->code, NULL));
	return (0);
}

static int
engine_assign(struct engine_ctx *ctx)
{
	struct feedback	copy;

	feedback_copy(&copy, engine_the_case(ctx));
	engine_case_move(ctx, &copy, FB_ASSIGNED, ctx->code, ctx->now, NULL);
	feedback_clear_via(&copy);
	return (engine_case_moved(ctx, &copy));
}

/*
 * transfer {case, to, reason}: the body holding an assigned or in
 * progress case passes it to another body ("not ours, theirs"), which
 * holds it from now, assigned, with a deadline of its own by the rules
 * from now; the body that passed it is remembered in via, with its
 * clock, for a return. Not to the body that holds it, not to one it
 * came through (return it instead), at most FB_VIA_MAX hops.
 */
static int
engine_transfer_args(struct engine_ctx *ctx, json_t *args)
{
	if (engine_unpack(ctx, args, "{s:s}", "to", &ctx->code) != 0)
		return (-1);
	if (!model_id_valid(ctx->code, MODEL_CODE_MAX))
		return (engine_refuse(ctx, ENGINE_R_BAD_DEPT, "arg", "to",
		    NULL));
	return (0);
}

static int
engine_transfer_state(struct engine_ctx *ctx)
{
	const struct feedback	*f = engine_the_case(ctx);
	char			 max[24];
	int			 i;

	if (strcmp(engine_case_holder(f), ctx->code) == 0)
		return (engine_refuse(ctx, ENGINE_R_CASE_HELD, "case", f->id,
		    "dept", ctx->code, NULL));
	for (i = 0; i < f->nvia; i++) {
		if (strcmp(f->via[i].body, ctx->code) == 0)
			return (engine_refuse(ctx, ENGINE_R_CASE_CAME_THROUGH,
			    "case", f->id, "dept", ctx->code, NULL));
	}
	if (f->nvia >= FB_VIA_MAX)
		return (engine_refuse(ctx, ENGINE_R_TOO_MANY_HOPS, "case",
		    f->id, "max", engine_num(max, FB_VIA_MAX), NULL));
	return (0);
}

static int
engine_transfer(struct engine_ctx *ctx)
{
	struct feedback	 copy;

	feedback_copy(&copy, engine_the_case(ctx));
	/* engine_transfer_state() saw room for it. */
	feedback_push_via(&copy, engine_case_holder(&copy), copy.held_since,
	    copy.deadline);
	engine_case_move(ctx, &copy, FB_ASSIGNED, ctx->code, ctx->now,
	    ctx->text);
	copy.deadline = engine_case_due(ctx->e, &copy, ctx->now);
	return (engine_case_moved(ctx, &copy));
}

/* reply {case, text}: assigned or in progress -> answered. */
static int
engine_reply(struct engine_ctx *ctx)
{
	return (engine_case_do(ctx, FB_ANSWERED, NULL, ctx->text, ctx->text));
}

/*
 * return {case, reason}: "not within our competence". A case that came
 * through another body goes back to the last of them, assigned, its
 * clock as it was (its deadline, and since when it held the case). One
 * that did not (new at the desk, or assigned by the desk) is returned to
 * the citizen: -> returned, the reason its reply, at the desk from now.
 */
static int
engine_return(struct engine_ctx *ctx)
{
	struct feedback	 copy;
	struct fb_hop	 hop;

	feedback_copy(&copy, engine_the_case(ctx));
	if (copy.nvia == 0) {
		free(copy.reply);
		copy.reply = xstrdup(ctx->text);
		engine_case_move(ctx, &copy, FB_RETURNED, NULL, ctx->now,
		    ctx->text);
		return (engine_case_moved(ctx, &copy));
	}
	feedback_pop_via(&copy, &hop);
	engine_case_move(ctx, &copy, FB_ASSIGNED, hop.body, hop.since,
	    ctx->text);
	copy.deadline = hop.deadline;
	return (engine_case_moved(ctx, &copy));
}

/* close_case {case}: answered or returned -> closed. */
static int
engine_close_case(struct engine_ctx *ctx)
{
	return (engine_case_do(ctx, FB_CLOSED, NULL, NULL, NULL));
}

/* ==== Hospitals ==== */

/* divert {hospital, on}: diversion on or off. */
static int
engine_divert_args(struct engine_ctx *ctx, json_t *args)
{
	return (engine_unpack(ctx, args, "{s:b}", "on", &ctx->value));
}

static int
engine_divert_state(struct engine_ctx *ctx)
{
	const struct hospital	*h = ctx->refs[0].item;

	if (!h->diversion == !ctx->value)
		return (engine_refuse(ctx, ctx->value ? ENGINE_R_DIVERSION_ON :
		    ENGINE_R_DIVERSION_OFF, "hospital", h->id, NULL));
	return (0);
}

static int
engine_divert(struct engine_ctx *ctx)
{
	struct hospital	copy;
	int		rc;

	hospital_copy(&copy, ctx->refs[0].item);
	copy.diversion = ctx->value != 0;
	rc = engine_change(ctx, kind_get(KIND_HOSPITAL), &copy);
	hospital_clear(&copy);
	return (rc);
}

/* ==== Inject ==== */

/* An enum argument of inject. */
static int
engine_enum(struct engine_ctx *ctx, const char *key, const char *s,
    const char *const *names, int n, int *out)
{
	char	value[33];
	int	i;

	if ((i = model_enum_parse(names, n, s)) == -1)
		return (engine_refuse(ctx, ENGINE_R_UNKNOWN_VALUE, "arg", key,
		    "value", engine_cut(value, sizeof value, s), NULL));
	*out = i;
	return (0);
}

/* An area code of inject (found in FIND). */
static int
engine_inject_area(struct engine_ctx *ctx, const char *area, char *buf)
{
	if (!model_id_valid(area, MODEL_CODE_MAX))
		return (engine_refuse(ctx, ENGINE_R_BAD_AREA, NULL));
	memcpy(buf, area, strlen(area) + 1);
	return (0);
}

/* The new alert of an inject, but for its id and times. */
static int
engine_inject_alert(struct engine_ctx *ctx, json_t *item)
{
	struct alert	*a = &ctx->item.alert;
	const char	*kind, *area, *place, *source, *title;
	json_int_t	 severity, deadline = 0;
	int		 exercise = ctx->e->exercise, k = 0, src = 0;
	char		 max[24];

	if (engine_unpack(ctx, item, "{s:s, s:I, s:s, s:s, s:s, s:s, s?:I, "
	    "s?:b}", "kind", &kind, "severity", &severity, "area", &area,
	    "place", &place, "source", &source, "title", &title,
	    "deadline_min", &deadline, "exercise", &exercise) != 0)
		return (-1);
	if (engine_enum(ctx, "kind", kind, alert_kind_names,
	    ALERT_KIND_COUNT, &k) != 0 ||
	    engine_enum(ctx, "source", source, alert_source_names,
	    SOURCE_COUNT, &src) != 0)
		return (-1);
	if (severity < 1 || severity > 4)
		return (engine_refuse(ctx, ENGINE_R_SEVERITY_RANGE, NULL));
	if (deadline < 0 || deadline > ENGINE_DEADLINE_MAX)
		return (engine_refuse(ctx, ENGINE_R_DEADLINE_RANGE, "max",
		    engine_num(max, ENGINE_DEADLINE_MAX), NULL));
	if (engine_text(ctx, "title", title, 1) != 0 ||
	    engine_text(ctx, "place", place, 1) != 0 ||
	    engine_inject_area(ctx, area, a->area) != 0)
		return (-1);
	a->kind = k;
	a->severity = (int)severity;
	a->place = xstrdup(place);
	a->source = src;
	a->title = xstrdup(title);
	a->state = ALERT_NEW;
	a->disposition = DISPOSITION_NONE;
	ctx->value = (int)deadline;	/* Minutes, for APPLY. */
	a->exercise = exercise != 0 || ctx->op->role == OPERATOR_TRAINER;
	return (0);
}

/* The new feedback case of an inject, but for its id and times. */
static int
engine_inject_feedback(struct engine_ctx *ctx, json_t *item)
{
	struct feedback	*f = &ctx->item.feedback;
	const char	*channel, *area, *category, *text;
	int		 c = 0, urgent = 0, exercise = ctx->e->exercise;

	if (engine_unpack(ctx, item, "{s:s, s:s, s:s, s:s, s?:b, s?:b}",
	    "channel", &channel, "area", &area, "category", &category, "text",
	    &text, "urgent", &urgent, "exercise", &exercise) != 0)
		return (-1);
	if (engine_enum(ctx, "channel", channel, fb_channel_names,
	    FB_CHANNEL_COUNT, &c) != 0)
		return (-1);
	if (!model_id_valid(category, MODEL_CODE_MAX))
		return (engine_refuse(ctx, ENGINE_R_BAD_CATEGORY, NULL));
	if (engine_text(ctx, "text", text, 1) != 0 ||
	    engine_inject_area(ctx, area, f->area) != 0)
		return (-1);
	f->channel = c;
	snprintf(f->category, sizeof f->category, "%s", category);
	f->text = xstrdup(text);
	f->state = FB_NEW;
	f->urgent = urgent != 0;
	/* A trainer's inject is always an exercise (engine_access()). */
	f->exercise = exercise != 0 || ctx->op->role == OPERATOR_TRAINER;
	return (0);
}

/*
 * inject {kind, item}: a new alert or feedback case with a fresh id, as
 * a drill or a test makes it (trainers and supervisors only), with its
 * clocks (engine_alert_clocks(), engine_case_clocks()). The outcome
 * carries the new id.
 */
static int
engine_inject_args(struct engine_ctx *ctx, json_t *args)
{
	const char	*kind;
	json_t		*item;

	if (engine_unpack(ctx, args, "{s:s, s:o}", "kind", &kind, "item",
	    &item) != 0)
		return (-1);
	if (!json_is_object(item))
		return (engine_refuse(ctx, ENGINE_R_ITEM_NOT_OBJECT, NULL));
	memset(&ctx->item, 0, sizeof ctx->item);
	if (strcmp(kind, "alert") == 0) {
		ctx->inject = kind_get(KIND_ALERT);
		return (engine_inject_alert(ctx, item));
	}
	if (strcmp(kind, "feedback") == 0) {
		ctx->inject = kind_get(KIND_FEEDBACK);
		return (engine_inject_feedback(ctx, item));
	}
	return (engine_refuse(ctx, ENGINE_R_BAD_INJECT_KIND, NULL));
}

static int
engine_inject_find(struct engine_ctx *ctx)
{
	const char	*area = kind_area(ctx->inject, &ctx->item);

	if (store_area(ctx->e->store, area) == NULL)
		return (engine_refuse(ctx, ENGINE_R_NO_AREA, "area", area,
		    NULL));
	return (0);
}

static int
engine_inject(struct engine_ctx *ctx)
{
	const struct kind	*k = ctx->inject;
	struct alert		*a = &ctx->item.alert;
	struct feedback		*f = &ctx->item.feedback;
	char			*id = (char *)kind_id(k, &ctx->item);

	engine_new_id(ctx->e, k, id);
	if (k->index == KIND_ALERT) {
		a->created = ctx->now;
		engine_alert_clocks(ctx->e, a, ctx->value);
		engine_history(ctx, &a->hist, "created",
		    alert_source_names[a->source]);
	} else {
		f->received = ctx->now;
		engine_case_clocks(ctx->e, f);
		engine_history(ctx, &f->hist, "created",
		    fb_channel_names[f->channel]);
	}
	if (engine_change(ctx, k, &ctx->item) != 0)
		return (-1);
	snprintf(ctx->out->item, sizeof ctx->out->item, "%s", id);
	return (0);
}

/*
 * annotate {text}: a trainer's time-stamped note on a drill. It changes
 * no item: the command itself, journaled with its id, operator and time,
 * is the note, and a drill being scored adds it to its report.
 */
static int
engine_annotate(struct engine_ctx *ctx)
{
	(void)ctx;
	return (0);
}

/* ==== Clocks ==== */

/*
 * Set an alert's stage deadlines for a cycle starting at from: each
 * stage of the response band for its kind and severity (none without a
 * calendar or a band), the acknowledgement at from + deadline_min minutes
 * instead when deadline_min > 0; a stage is never due sooner than the one
 * before it. deadline is due_ack.
 */
static void
engine_alert_cycle(const struct engine *e, struct alert *a, int64_t from,
    int deadline_min)
{
	const struct workcal_band	*b = NULL;
	int64_t				 due[WORKCAL_BAND_STAGE_COUNT], last;
	int				 k;

	if (e->workcal != NULL && (unsigned)a->kind < ALERT_KIND_COUNT)
		b = workcal_band(e->workcal, alert_kind_names[a->kind],
		    a->severity);
	last = 0;
	for (k = 0; k < WORKCAL_BAND_STAGE_COUNT; k++) {
		due[k] = workcal_band_due(e->workcal, b, k, from);
		if (k == WORKCAL_ACK && deadline_min > 0)
			due[k] = from + (int64_t)deadline_min * 60000;
		if (due[k] != 0 && due[k] < last)
			due[k] = last;
		if (due[k] != 0)
			last = due[k];
	}
	a->due_ack = due[WORKCAL_ACK];
	a->due_dispatch = due[WORKCAL_DISPATCH];
	a->due_on_scene = due[WORKCAL_ON_SCENE];
	a->deadline = a->due_ack;
	a->acked_at = a->dispatched_at = a->on_scene_at = 0;
}

/*
 * Give a new alert (its kind, severity and created set) its clocks: the
 * response bands from its creation, the first response at created +
 * deadline_min minutes instead when deadline_min > 0 (a drill's own);
 * none of its stages reached yet. What an inject does; a simulator that
 * emits alerts of its own calls it too.
 */
void
engine_alert_clocks(const struct engine *e, struct alert *a,
    int deadline_min)
{
	engine_alert_cycle(e, a, a->created, deadline_min);
}

/*
 * When a body that gets a case at from is to have answered it: the
 * handle stage of the deadline rule for the case's category and urgency,
 * in working time; without a calendar or a rule, engine_feedback_due().
 * Returns ms.
 */
int64_t
engine_case_due(const struct engine *e, const struct feedback *f,
    int64_t from)
{
	const struct workcal_rule	*r;
	int64_t				 due = 0;

	if (e->workcal != NULL) {
		r = workcal_rule(e->workcal, f->category, f->urgent ?
		    "urgent" : "normal");
		due = workcal_due(e->workcal, r, WORKCAL_HANDLE, from);
	}
	return (due != 0 ? due : engine_feedback_due(from,
	    e->store->utc_offset_min));
}

/*
 * Give a new case (its category, urgency and received set) its clocks:
 * answered by engine_case_due() from its receipt, assigned by the rule's
 * accept stage (0: none), at the desk since its receipt.
 */
void
engine_case_clocks(const struct engine *e, struct feedback *f)
{
	const struct workcal_rule	*r = NULL;

	if (e->workcal != NULL)
		r = workcal_rule(e->workcal, f->category, f->urgent ?
		    "urgent" : "normal");
	f->deadline = engine_case_due(e, f, f->received);
	f->due_assign = e->workcal != NULL ? workcal_due(e->workcal, r,
	    WORKCAL_ACCEPT, f->received) : 0;
	f->holder[0] = '\0';
	f->held_since = f->received;
}

/* ==== The feedback deadline ==== */


/*
 * The deadline of a feedback case received at "received" when the
 * province has no working-time calendar (engine_set_workcal()) or no rule
 * for it: two working days, counted in working hours (Monday to Friday,
 * 07:30-11:30 and 13:30-17:00 local time at utc_offset_min; 7.5 hours a
 * day), so a case that arrives on Friday evening is due on Tuesday at
 * 17:00. Returns ms.
 */
int64_t
engine_feedback_due(int64_t received, int utc_offset_min)
{
	static const int	 spans[2][2] = {
		{ 7 * 60 + 30, 11 * 60 + 30 }, { 13 * 60 + 30, 17 * 60 }
	};
	int64_t			 off = (int64_t)utc_offset_min * 60000;
	int64_t			 local = received + off, day, left, start, end;
	int64_t			 t;
	int			 wday, i, guard;

	left = 15 * 3600000LL;		/* 2 days x 7.5 h, in ms. */
	day = local / 86400000;
	if (local < 0)
		return (received);
	for (guard = 0; guard < 60; guard++, day++) {
		wday = (int)((day + 4) % 7);	/* 1970-01-01: Thursday. */
		if (wday == 0 || wday == 6)
			continue;
		for (i = 0; i < 2; i++) {
			start = day * 86400000 + spans[i][0] * 60000LL;
			end = day * 86400000 + spans[i][1] * 60000LL;
			t = local > start ? local : start;
			if (t >= end)
				continue;
			if (end - t >= left)
				return (t + left - off);
			left -= end - t;
		}
	}
	return (received + 2 * 86400000LL);
}

/* ==== Running commands ==== */

static const struct engine_cmd *
engine_cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof engine_cmds / sizeof engine_cmds[0]; i++) {
		if (strcmp(engine_cmds[i].name, name) == 0)
			return (&engine_cmds[i]);
	}
	return (NULL);
}

/*
 * 1 when name is a command of the engine, else 0.
 */
int
engine_cmd_exists(const char *name)
{
	return (name != NULL && engine_cmd_find(name) != NULL);
}

/*
 * The kind of the item the command called name names first (an alert
 * for "ack", a unit for "unit_status"), or NULL for one that names none
 * ("inject") or is no command of the engine.
 */
const struct kind *
engine_cmd_kind(const char *name)
{
	const struct engine_cmd	*ce;

	if (name == NULL || (ce = engine_cmd_find(name)) == NULL ||
	    ce->kind == KIND_COUNT)
		return (NULL);
	return (kind_get(ce->kind));
}

/* The phases of a command in order, up to apply unless dry. */
static int
engine_phases(struct engine_ctx *ctx, json_t *args, int dry)
{
	const struct engine_cmd	*ce = ctx->ce;

	ctx->phase = ENGINE_ARGS;
	if (engine_args(ctx, args) != 0)
		return (-1);
	ctx->phase = ENGINE_FIND;
	if (engine_find(ctx) != 0 || (ce->find != NULL && ce->find(ctx) != 0))
		return (-1);
	ctx->phase = ENGINE_ACCESS;
	if (engine_access(ctx) != 0)
		return (-1);
	ctx->phase = ENGINE_FRESH;
	if (engine_fresh(ctx) != 0)
		return (-1);
	ctx->phase = ENGINE_STATE;
	if (engine_state(ctx) != 0)
		return (-1);
	ctx->phase = ENGINE_UNITS;
	if (ce->units != NULL && ce->units(ctx) != 0)
		return (-1);
	if (dry)
		return (0);
	ctx->phase = ENGINE_APPLY;
	return (ce->apply(ctx));
}

/*
 * Run a command for an operator: every check, phase by phase (see the top
 * of this file), then (unless flags has ENGINE_DRY) the change, through
 * the sink. Simulated colleagues, scenario injects and a console's
 * sandbox come this way as well as officers' commands. Returns 0 with
 * out->seq the seq of the last change made (0: none), out->changes their
 * number and out->item the id of an injected item (not for a dry run);
 * or -1 with out->err and out->msg (allocated; free with
 * engine_outcome_clear()). A refused command changes nothing; an internal
 * failure (the sink refused a change) may leave the changes made before
 * it, which the message counts. A dry run answers as the real run would,
 * and changes nothing.
 */
int
engine_run(struct engine *e, const struct operator *op, const char *name,
    json_t *args, int flags, struct engine_outcome *out)
{
	struct engine_ctx	 ctx;
	json_t			*own;
	int			 rc;

	memset(out, 0, sizeof *out);
	memset(&ctx, 0, sizeof ctx);
	ctx.e = e;
	ctx.op = op;
	ctx.name = name;
	ctx.now = engine_now(e);
	ctx.out = out;

	if ((ctx.ce = engine_cmd_find(name)) == NULL)
		return (engine_fail(&ctx, ENGINE_R_UNKNOWN_COMMAND, NULL));
	if (!json_is_object(args))
		return (engine_fail(&ctx, ENGINE_R_ARGS_NOT_OBJECT, NULL));
	/* Ours: the version is taken out; strings stay borrowed from it. */
	own = json_copy(args);
	rc = engine_phases(&ctx, own, flags & ENGINE_DRY);
	if (ctx.inject != NULL)
		ctx.inject->clear(&ctx.item);
	json_decref(own);
	return (rc);
}

/*
 * Free what an outcome holds (the refusal's message and arguments). The
 * struct stays usable.
 */
void
engine_outcome_clear(struct engine_outcome *out)
{
	free(out->msg);
	out->msg = NULL;
	json_decref(out->args);
	out->args = NULL;
}

/* ==== The engine ==== */

/*
 * Make an engine that reads store (borrowed; it must outlive the engine)
 * and changes it through sink (copied). Caller frees with engine_free().
 */
struct engine *
engine_new(struct store *store, const struct engine_sink *sink)
{
	struct engine	*e;

	if (sink->emit == NULL)
		fatalx("%s: a sink without emit", __func__);
	e = xcalloc(1, sizeof *e);
	e->store = store;
	e->sink = *sink;
	return (e);
}

/*
 * Free an engine (not its store). NULL is a no-op.
 */
void
engine_free(struct engine *e)
{
	free(e);
}

/*
 * Whether injected alerts are exercises unless they say (the feed's
 * flag): set it, and read it.
 */
void
engine_set_exercise(struct engine *e, int exercise)
{
	e->exercise = exercise != 0;
}

int
engine_exercise(const struct engine *e)
{
	return (e->exercise);
}

/*
 * The store the engine reads (borrowed), for code that checks what a
 * command will name before it runs it (a drill's items).
 */
struct store *
engine_store(const struct engine *e)
{
	return (e->store);
}

/*
 * Give the engine the province's working time (borrowed; it must outlive
 * the engine; NULL: none): its response bands set alerts' clocks, its
 * calendar and deadline rules cases'. Without it alerts have no clocks
 * but an inject's deadline_min, and cases engine_feedback_due().
 */
void
engine_set_workcal(struct engine *e, const struct workcal *wc)
{
	e->workcal = wc;
}

/* The engine's working time (borrowed), or NULL. */
const struct workcal *
engine_workcal(const struct engine *e)
{
	return (e->workcal);
}

/*
 * The engine's time in ms: the sink's clock, or clock_now().
 */
int64_t
engine_now(struct engine *e)
{
	if (e->sink.now != NULL)
		return (e->sink.now(e->sink.arg));
	return (clock_now());
}

/*
 * Emit a new or changed item of kind k through the sink: stamps its
 * version (the stored one + 1, or 1 when new) and, for kinds that keep
 * times, when it changed (now). The item stays the caller's, stamped.
 * by and cmd name who and what caused it (NULL: nobody, a simulated
 * reading). This is the one way anything changes the store, commands or
 * not. Returns the sink's answer: 0 with *seq set (when not NULL), or -1.
 */
int
engine_emit(struct engine *e, const struct kind *k, void *item,
    const char *by, const char *cmd, uint64_t *seq)
{
	const void	*old = store_find(e->store, k, kind_id(k, item));
	int64_t		 now = engine_now(e);

	kind_set_version(k, item, old != NULL ? kind_version(k, old) + 1 : 1);
	if (k->touch != NULL)
		k->touch(item, now);
	return (e->sink.emit(e->sink.arg, k, item, by, cmd, now, seq));
}

/* The engine's own ids: a prefix and a number, "A-0001". */
static const char *const engine_id_prefixes[KIND_COUNT] = {
	[KIND_ALERT] = "A-",
	[KIND_FEEDBACK] = "PA-"
};

/* The number in an id "<prefix><n>", or 0. */
static uint32_t
engine_id_number(const char *id, const char *prefix)
{
	size_t		 n = strlen(prefix);
	unsigned long	 v;
	char		*end;

	if (strncmp(id, prefix, n) != 0 || id[n] < '0' || id[n] > '9')
		return (0);
	v = strtoul(id + n, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return (0);
	return ((uint32_t)v);
}

/*
 * Write a fresh id for a new item of kind k (alert or feedback): the
 * sink's, or the engine's own next number that the store does not hold.
 */
void
engine_new_id(struct engine *e, const struct kind *k, char id[MODEL_ID_MAX])
{
	const char	*prefix = engine_id_prefixes[k->index];

	if (e->sink.new_id != NULL) {
		e->sink.new_id(e->sink.arg, k, id);
		return;
	}
	if (prefix == NULL)
		fatalx("%s: no ids for %s", __func__, k->name);
	do {
		snprintf(id, MODEL_ID_MAX, "%s%04u", prefix,
		    ++e->last[k->index]);
	} while (store_find(e->store, k, id) != NULL);
}

/*
 * After the store was rebuilt (from a journal): go on numbering after the
 * highest number the store holds, so new ids do not collide.
 */
void
engine_restored(struct engine *e)
{
	const struct kind	*k;
	uint32_t		 n;
	size_t			 i;

	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		if (engine_id_prefixes[k->index] == NULL)
			continue;
		for (i = 0; i < store_count(e->store, k); i++) {
			n = engine_id_number(kind_id(k, store_item(e->store,
			    k, i)), engine_id_prefixes[k->index]);
			if (n > e->last[k->index])
				e->last[k->index] = n;
		}
	}
}

/*
 * An id of kind k exists, or existed (it is in the archive): never give
 * it again. For a restart, whose store no longer holds what retention
 * took out of it.
 */
void
engine_note_id(struct engine *e, const struct kind *k, const char *id)
{
	uint32_t	n;

	if (engine_id_prefixes[k->index] == NULL)
		return;
	n = engine_id_number(id, engine_id_prefixes[k->index]);
	if (n > e->last[k->index])
		e->last[k->index] = n;
}

/* ==== Retention ==== */

/*
 * When an item's work ended: the time of the last change of a closed
 * alert, or of a closed or returned feedback case; 0 while it is live
 * work (any other state, or a kind that never finishes: units, hospitals,
 * schools). A returned case may still be assigned again, but only within
 * the retention window; after it, it is the citizen's to file anew.
 */
static int64_t
engine_alert_finished(const void *p)
{
	const struct alert	*a = p;

	return (a->state == ALERT_CLOSED ? a->updated : 0);
}

static int64_t
engine_feedback_finished(const void *p)
{
	const struct feedback	*f = p;

	if (f->state != FB_CLOSED && f->state != FB_RETURNED)
		return (0);
	if (f->hist.n > 0)
		return (history_ts(&f->hist, f->hist.n - 1));
	return (f->received);
}

static int64_t (*const engine_finished[KIND_COUNT])(const void *) = {
	[KIND_ALERT] = engine_alert_finished,
	[KIND_FEEDBACK] = engine_feedback_finished
};

int64_t
engine_finished_at(const struct kind *k, const void *item)
{
	if (engine_finished[k->index] == NULL)
		return (0);
	return (engine_finished[k->index](item));
}

/* An item due to leave: when its work ended, where it was, its id. */
struct engine_due {
	int64_t		 at;
	size_t		 pos;
	char		 id[MODEL_ID_MAX];
};

/* Oldest first; among equals, in the store's order. */
static int
engine_due_cmp(const void *va, const void *vb)
{
	const struct engine_due	*a = va, *b = vb;

	if (a->at != b->at)
		return (a->at < b->at ? -1 : 1);
	return (a->pos < b->pos ? -1 : a->pos > b->pos);
}

/*
 * The retention pass: every alert closed, and every feedback case closed
 * or returned, window_ms or more ago (by its last change: a note on a
 * closed alert keeps it another window) leaves the live state through the
 * sink's remove, oldest first, so the journal, the digest and a resume
 * see it as one more event; at most max in one pass. A removal costs the
 * same whatever the store holds (store_remove()), so a backlog leaves in
 * one pass. Returns how many left. The ids are taken first: each removal
 * changes the arrays.
 */
size_t
engine_retire(struct engine *e, int64_t window_ms, size_t max)
{
	const struct kind	*k;
	const void		*item;
	int64_t			 now = engine_now(e), at;
	struct engine_due	*due = NULL;
	size_t			 i, n, ndue, cap = 0, done = 0;

	if (e->sink.remove == NULL || window_ms < 0)
		return (0);
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		if (engine_finished[k->index] == NULL)
			continue;
		n = store_count(e->store, k);
		ndue = 0;
		for (i = 0; i < n; i++) {
			item = store_item(e->store, k, i);
			at = engine_finished[k->index](item);
			if (at == 0 || at > now - window_ms)
				continue;
			if (ndue == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				due = xreallocarray(due, cap, sizeof *due);
			}
			due[ndue].at = at;
			due[ndue].pos = i;
			memcpy(due[ndue++].id, kind_id(k, item), MODEL_ID_MAX);
		}
		if (ndue > 1)
			qsort(due, ndue, sizeof *due, engine_due_cmp);
		for (i = 0; i < ndue && done < max; i++) {
			if ((item = store_find(e->store, k, due[i].id)) !=
			    NULL && e->sink.remove(e->sink.arg, k, item, now,
			    NULL) == 0)
				done++;
		}
	}
	free(due);
	return (done);
}

/*
 * The last number the engine gave an id of kind k (0: none yet).
 */
uint32_t
engine_last_number(const struct engine *e, const struct kind *k)
{
	return (e->last[k->index]);
}

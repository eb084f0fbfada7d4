/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The backend's refusals, said in the officer's language. */

#include "reasons.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "sanitize.h"

/*
 * A refusal comes as a reason (its name) and arguments (strings, named
 * in the format as "{name}"); the backend's English "message" is for
 * clients that do not know the reason. The console keeps its own table,
 * one format per reason of core/engine.c's engine_reasons[] (a unit test
 * checks that none is missing and that both name the same arguments),
 * written in English like every msgid and translated in po/vi.po.
 *
 * The arguments are untrusted: each is sanitised before it is put in.
 * Those that hold a wire value (a state, a status, a disposition, a
 * role) are said in words, in the officer's language too: "dispatched"
 * becomes "đã điều động". A reason the console does not know gets NULL,
 * and the caller shows the backend's message.
 */

struct reasons_entry {
	const char	*name;
	const char	*format;
};

static const struct reasons_entry reasons_table[] = {
	{ "unknown_command", N_("unknown command \"{cmd}\"") },
	{ "args_not_object", N_("{cmd}: \"args\" must be an object") },
	{ "bad_arguments", N_("{cmd}: bad arguments: {detail}") },
	{ "arg_missing", N_("{cmd}: \"{arg}\" is missing") },
	{ "arg_not_string", N_("{cmd}: \"{arg}\" must be a string") },
	{ "bad_id", N_("{cmd}: \"{arg}\" is not a valid id") },
	{ "bad_version",
	  N_("{cmd}: \"version\" must be a positive integer") },
	{ "text_missing", N_("{cmd}: give a {arg}") },
	{ "text_empty", N_("{cmd}: the {arg} must not be empty") },
	{ "text_too_long",
	  N_("{cmd}: the {arg} is too long ({bytes} bytes, at most {max})") },
	{ "units_not_array",
	  N_("{cmd}: \"units\" must be an array of unit ids") },
	{ "units_count", N_("{cmd}: give 1 to {max} units, not {count}") },
	{ "unit_bad_id", N_("{cmd}: units[{index}] is not a valid unit id") },
	{ "unit_twice", N_("{cmd}: unit {unit} given twice") },
	{ "minutes_range", N_("{cmd}: \"minutes\" must be 1 to {max}") },
	{ "bad_disposition",
	  N_("{cmd}: the disposition must be resolved, false_alarm, "
	  "duplicate, cancelled or transferred") },
	{ "reason_needed",
	  N_("{alert}: give a reason to close it as {disposition}") },
	{ "bad_status",
	  N_("{cmd}: the status must be en_route, on_scene, returning, "
	  "available or out_of_service") },
	{ "bad_dept", N_("{cmd}: \"{arg}\" is not a valid department code") },
	{ "bad_area", N_("{cmd}: \"area\" is not a valid area code") },
	{ "bad_category", N_("{cmd}: \"category\" is not a valid code") },
	{ "unknown_value", N_("{cmd}: unknown {arg} \"{value}\"") },
	{ "severity_range", N_("{cmd}: \"severity\" must be 1 to 4") },
	{ "deadline_range",
	  N_("{cmd}: \"deadline_min\" must be 0 to {max}") },
	{ "item_not_object", N_("{cmd}: \"item\" must be an object") },
	{ "bad_inject_kind",
	  N_("{cmd}: \"kind\" must be alert or feedback") },
	{ "no_alert", N_("no alert {alert}") },
	{ "no_unit", N_("no unit {unit}") },
	{ "no_case", N_("no feedback case {case}") },
	{ "no_hospital", N_("no hospital {hospital}") },
	{ "no_department", N_("no department {dept}") },
	{ "no_area", N_("no area {area} in this province") },
	{ "observer", N_("{cmd}: an observer cannot change anything") },
	{ "role_cannot_change",
	  N_("{cmd}: the role \"{role}\" cannot change anything") },
	{ "trainers_only",
	  N_("{cmd}: only a trainer or a supervisor may do this") },
	{ "trainer_live",
	  N_("{item} is live, not an exercise: a trainer acts only in a drill") },
	{ "not_your_area",
	  N_("{item} is in {area_name} ({area}): you act only in {areas}") },
	{ "stale", N_("{item} changed: you saw version {seen}, it is now "
	  "version {version}") },
	{ "alert_not_new",
	  N_("{alert} is {state}: only a new alert can be acknowledged") },
	{ "alert_open", N_("{alert} is still open ({state}): only a resolved "
	  "or closed alert can be reopened") },
	{ "alert_closed", N_("{alert} is already closed") },
	{ "alert_resolved", N_("{alert} is already resolved: close it") },
	{ "alert_finished", N_("{alert} is {state}: reopen it first") },
	{ "bad_state", N_("cannot {cmd} {item}: it is {state}") },
	{ "alert_full", N_("{alert} already has {units} units; at most "
	  "{max}") },
	{ "escalation_max", N_("{alert} is already at the highest escalation "
	  "level ({max})") },
	{ "case_closed", N_("{case} is closed") },
	{ "case_not_done", N_("{case} is {state}: only an answered or "
	  "returned case can be closed") },
	{ "case_new", N_("{case} is new: assign it to a department first") },
	{ "case_assigned", N_("{case} is already assigned to {dept}") },
	{ "case_held", N_("{case} is already with {dept}") },
	{ "case_came_through",
	  N_("{case} came through {dept}: return it instead") },
	{ "too_many_hops", N_("{case} was passed on {max} times: assign it "
	  "from the desk") },
	{ "diversion_on", N_("{hospital} is already on diversion") },
	{ "diversion_off", N_("{hospital} is already off diversion") },
	{ "unit_same", N_("{unit} is already {status}") },
	{ "unit_available", N_("{unit} is available: dispatch it first") },
	{ "unit_out_of_service",
	  N_("{unit} is out of service: make it available first") },
	{ "unit_bad_move", N_("{unit} is {status}: it cannot go {to}") },
	{ "unit_busy", N_("unit {unit} is {status} on {alert}") },
	{ "unit_unavailable", N_("unit {unit} is {status}") },
	{ "apply_failed", N_("{item}: {cmd} failed in the server after "
	  "{changes} of its changes") },
	{ "bad_command_id",
	  N_("the command id must be 1 to 63 of [A-Za-z0-9_.-]") },
	{ "bad_command", N_("a command needs a \"cmd\" string and an "
	  "\"args\" object") },
	{ "conflict",
	  N_("command id {id} was already used for another command") },
	{ "rate_limited", N_("too many messages: at most {rate} a second "
	  "(bursts of {burst}); this one was dropped") },
	{ "act_as_denied",
	  N_("{cmd}: this link may not act for {operator}") },
	{ "relay_offline", N_("{cmd}: the province is out of reach; the "
	  "command waits and goes when the link is back") },
	{ "too_many_sessions", N_("{operator} already has {sessions} "
	  "sessions open, at most {max}: close one first") },
};

/* The arguments that hold a wire value, said in words. */
static const char *const reasons_value_args[] = {
	"state", "status", "to", "disposition", "role"
};

/* Wire values (states, statuses, dispositions, roles) in words. */
static const struct reasons_entry reasons_values[] = {
	{ "new", N_("new") },
	{ "acknowledged", N_("acknowledged") },
	{ "dispatched", N_("dispatched") },
	{ "on_scene", N_("on scene") },
	{ "resolved", N_("resolved") },
	{ "closed", N_("closed") },
	{ "assigned", N_("assigned") },
	{ "in_progress", N_("in progress") },
	{ "answered", N_("answered") },
	{ "returned", N_("returned") },
	{ "available", N_("available") },
	{ "en_route", N_("en route") },
	{ "returning", N_("returning") },
	{ "out_of_service", N_("out of service") },
	{ "false_alarm", N_("false alarm") },
	{ "duplicate", N_("duplicate") },
	{ "cancelled", N_("cancelled") },
	{ "transferred", N_("transferred") },
	{ "supervisor", N_("supervisor") },
	{ "operator", N_("operator") },
	{ "observer", N_("observer") },
	{ "trainer", N_("trainer") },
};

#define REASONS_N(t)	(sizeof (t) / sizeof (t)[0])

static const char	*reasons_value(const char *, const char *);

/*
 * The English format of a reason (the msgid; translate it with _()), or
 * NULL when the console does not know the reason.
 */
const char *
reasons_format(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < REASONS_N(reasons_table); i++) {
		if (strcmp(reasons_table[i].name, name) == 0)
			return (reasons_table[i].format);
	}
	return (NULL);
}

/* The number of reasons the console knows. */
size_t
reasons_count(void)
{
	return (REASONS_N(reasons_table));
}

/* The name of the i-th reason the console knows, or NULL past the end. */
const char *
reasons_name(size_t i)
{
	return (i < REASONS_N(reasons_table) ? reasons_table[i].name : NULL);
}

/* An argument's value in words when key holds a wire value (translated). */
static const char *
reasons_value(const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < REASONS_N(reasons_value_args); i++) {
		if (strcmp(reasons_value_args[i], key) == 0)
			break;
	}
	if (i == REASONS_N(reasons_value_args))
		return (value);
	for (i = 0; i < REASONS_N(reasons_values); i++) {
		if (strcmp(reasons_values[i].name, value) == 0)
			return (_(reasons_values[i].format));
	}
	return (value);
}

/*
 * The line for a refusal with reason name and args (an object of
 * strings, borrowed; untrusted): the reason's format in the officer's
 * language with every "{name}" replaced by args["name"], sanitised and,
 * for a wire value, in words ("?" when missing or not a string). Returns
 * an allocated string the caller frees, or NULL when the console does
 * not know the reason (show the backend's message then).
 */
static void
reasons_arg(struct buf *b, const char *name, void *args)
{
	json_t	*v = json_object_get(args, name);
	char	*clean;

	if (!json_is_string(v)) {
		buf_addc(b, '?');
		return;
	}
	clean = sanitize_text(json_string_value(v), json_string_length(v), 0);
	buf_adds(b, reasons_value(name, clean));
	free(clean);
}

char *
reasons_message(const char *name, json_t *args)
{
	struct buf	 b = BUF_INIT;
	const char	*format;

	if ((format = reasons_format(name)) == NULL)
		return (NULL);
	buf_add_named(&b, _(format), reasons_arg, args);
	return (buf_detach(&b));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Drills: the file, its checks against a province, and its scoring. */

#include "drill.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The model. A drill is the file, read once (drill_load()); a run is one
 * sitting of it, from a start time: the ids its injects were given, and
 * per trainee the time each expectation was met (0: not yet). An
 * expectation's window opens at its step's time (or at "after") and
 * closes `within` later: a trainee's own change that matches it inside
 * the window meets it; when the window closes unmet it is missed.
 *
 * A change matches an expectation when it was made by the trainee
 * (by), with the expectation's command (cmd), on its item: the change
 * to that item itself or, for a dispatch with a unit type, to a unit of
 * that type now on that item. What the command chose must be what the
 * expectation names (the department, the disposition). Trainees share
 * the province: the first to act on an item gets the points, the others
 * are refused by the engine like any officer who comes second.
 */

const char *const drill_state_names[DRILL_STATE_COUNT] = {
	"pending", "met", "missed"
};

/* The readings a hospital or school step may set, as offsets. */
struct drill_field {
	enum kind_index	 kind;
	const char	*name;
	size_t		 off;
	int		 max;
};

static const struct drill_field drill_fields[] = {
	{ KIND_HOSPITAL, "beds_used", offsetof(struct hospital, beds_used),
	  100000 },
	{ KIND_HOSPITAL, "icu_used", offsetof(struct hospital, icu_used),
	  100000 },
	{ KIND_HOSPITAL, "er_waiting", offsetof(struct hospital, er_waiting),
	  100000 },
	{ KIND_HOSPITAL, "ambulances", offsetof(struct hospital, ambulances),
	  1000 },
	{ KIND_SCHOOL, "present", offsetof(struct school, present), 100000 },
};

/* Steps are applied as a trainer would: the engine checks them. */
static const struct operator drill_op = {
	.name = "drill",
	.role = OPERATOR_TRAINER
};

struct drill_note {
	int64_t		 ts;
	char		*by;
	char		*text;
};

struct drill_trainee {
	char		*name;
	int64_t		*met;		/* Per expectation; 0: not met. */
	size_t		*by;		/* The change that met it (a count). */
};

struct drill_run {
	const struct drill	*d;		/* Borrowed. */
	int64_t			 start;
	char			(*ids)[MODEL_ID_MAX];	/* Per step. */
	struct drill_trainee	*tr;
	size_t			 ntr;
	struct drill_note	*notes;
	size_t			 nnotes;
	size_t			 nchanges;	/* Operators' changes fed. */
};

static int __attribute__((format(printf, 3, 4)))
drill_fail(char **cause, const char *file, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s: %s", file, msg);
	free(msg);
	return (-1);
}

/* Whether every member of o is one of known (NULL-terminated). */
static const char *
drill_unknown_member(json_t *o, const char *const *known)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, key, v) {
		for (i = 0; known[i] != NULL; i++) {
			if (strcmp(key, known[i]) == 0)
				break;
		}
		if (known[i] == NULL)
			return (key);
	}
	return (NULL);
}

/* An optional string member of at most max bytes; NULL when absent. */
static int
drill_string(json_t *o, const char *key, size_t max, int required,
    const char **out, const char *file, const char *pfx, char **cause)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && !required)
		return (0);
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > max)
		return (drill_fail(cause, file, "%s%s: must be a string of 1 "
		    "to %zu bytes", pfx, key, max));
	*out = json_string_value(v);
	return (0);
}

/* An integer member from lo to hi; *out left alone when absent. */
static int
drill_int(json_t *o, const char *key, json_int_t lo, json_int_t hi,
    int required, json_int_t *out, const char *file, const char *pfx,
    char **cause)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL && !required)
		return (0);
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return (drill_fail(cause, file, "%s%s: must be an integer "
		    "from %" JSON_INTEGER_FORMAT " to %" JSON_INTEGER_FORMAT,
		    pfx, key, lo, hi));
	*out = json_integer_value(v);
	return (0);
}

/* An id member into buf. */
static int
drill_id(json_t *o, const char *key, char *buf, size_t sz, const char *file,
    const char *pfx, char **cause)
{
	const char	*s = json_string_value(json_object_get(o, key));

	if (s == NULL || !model_id_valid(s, sz))
		return (drill_fail(cause, file, "%s%s: must be an id", pfx,
		    key));
	memcpy(buf, s, strlen(s) + 1);
	return (0);
}

static int
drill_parse_set(struct drill_step *st, json_t *o, enum kind_index k,
    const char *file, const char *pfx, char **cause)
{
	json_t		*set = json_object_get(o, "set"), *v;
	const char	*key;
	size_t		 i;

	if (!json_is_object(set) || json_object_size(set) == 0)
		return (drill_fail(cause, file, "%sset: must be an object of "
		    "readings", pfx));
	json_object_foreach(set, key, v) {
		for (i = 0; i < sizeof drill_fields / sizeof drill_fields[0];
		    i++) {
			if (drill_fields[i].kind == k &&
			    strcmp(drill_fields[i].name, key) == 0)
				break;
		}
		if (i == sizeof drill_fields / sizeof drill_fields[0])
			return (drill_fail(cause, file, "%sset: unknown "
			    "reading \"%.32s\"", pfx, key));
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > drill_fields[i].max)
			return (drill_fail(cause, file, "%sset.%s: must be an "
			    "integer from 0 to %d", pfx, key,
			    drill_fields[i].max));
	}
	st->set = json_incref(set);
	return (0);
}

static int
drill_parse_step(struct drill *d, json_t *o, size_t i, char **cause)
{
	static const char *const known[] = {
		"at", "id", "kind", "item", "unit", "status", "hospital",
		"school", "set", "note", NULL
	};
	struct drill_step	*st = &d->steps[d->nsteps];
	const char		*file = d->path, *kind, *name, *note, *bad;
	json_t			*item;
	json_int_t		 at = 0;
	char			 pfx[48];
	size_t			 j;
	int			 s;

	snprintf(pfx, sizeof pfx, "timeline[%zu].", i);
	if (!json_is_object(o))
		return (drill_fail(cause, file, "timeline[%zu]: must be an "
		    "object", i));
	if ((bad = drill_unknown_member(o, known)) != NULL)
		return (drill_fail(cause, file, "timeline[%zu]: unknown "
		    "member \"%.32s\"", i, bad));
	if (drill_int(o, "at", 0, DRILL_MAX_AT, 1, &at, file, pfx,
	    cause) != 0 ||
	    drill_string(o, "id", DRILL_NAME_MAX, 0, &name, file, pfx,
	    cause) != 0 ||
	    drill_string(o, "note", DRILL_TEXT_MAX, 0, &note, file, pfx,
	    cause) != 0 ||
	    drill_string(o, "kind", 16, 1, &kind, file, pfx, cause) != 0)
		return (-1);
	memset(st, 0, sizeof *st);
	st->at = (int64_t)at * 1000;
	if (d->nsteps > 0 && st->at < d->steps[d->nsteps - 1].at)
		return (drill_fail(cause, file, "%sat: goes back in time "
		    "(steps must be in order)", pfx));
	for (j = 0; j < d->nsteps && name != NULL; j++) {
		if (d->steps[j].name != NULL &&
		    strcmp(d->steps[j].name, name) == 0)
			return (drill_fail(cause, file, "%sid: \"%s\" given "
			    "twice", pfx, name));
	}
	if (strcmp(kind, "alert") == 0 || strcmp(kind, "feedback") == 0) {
		item = json_object_get(o, "item");
		if (!json_is_object(item))
			return (drill_fail(cause, file, "%sitem: must be an "
			    "object", pfx));
		/* Every drill item is an exercise, whatever the file says. */
		item = json_deep_copy(item);
		json_object_set_new(item, "exercise", json_true());
		st->type = DRILL_STEP_INJECT;
		st->args = json_pack("{s:s s:o}", "kind", kind, "item", item);
	} else if (strcmp(kind, "unit") == 0) {
		st->type = DRILL_STEP_UNIT;
		if (drill_id(o, "unit", st->item, sizeof st->item, file, pfx,
		    cause) != 0)
			return (-1);
		s = MODEL_ENUM_PARSE(unit_status_names, json_string_value(
		    json_object_get(o, "status")));
		if (s == -1)
			return (drill_fail(cause, file, "%sstatus: must be a "
			    "unit status (out_of_service, available)", pfx));
		st->status = s;
	} else if (strcmp(kind, "hospital") == 0) {
		st->type = DRILL_STEP_HOSPITAL;
		if (drill_id(o, "hospital", st->item, sizeof st->item, file,
		    pfx, cause) != 0 || drill_parse_set(st, o, KIND_HOSPITAL,
		    file, pfx, cause) != 0)
			return (-1);
	} else if (strcmp(kind, "school") == 0) {
		st->type = DRILL_STEP_SCHOOL;
		if (drill_id(o, "school", st->item, sizeof st->item, file,
		    pfx, cause) != 0 || drill_parse_set(st, o, KIND_SCHOOL,
		    file, pfx, cause) != 0)
			return (-1);
	} else
		return (drill_fail(cause, file, "%skind: must be alert, "
		    "feedback, unit, hospital or school", pfx));
	st->name = name != NULL ? xstrdup(name) : NULL;
	st->note = note != NULL ? xstrdup(note) : NULL;
	d->nsteps++;
	return (0);
}

/* The step named name, or -1. */
static int
drill_find_step(const struct drill *d, const char *name)
{
	size_t	i;

	for (i = 0; i < d->nsteps; i++) {
		if (d->steps[i].name != NULL &&
		    strcmp(d->steps[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

/* The item an expectation names: "on" a step, or a fixed "hospital"... */
static int
drill_parse_target(struct drill *d, struct drill_expect *x, json_t *o,
    const char *pfx, char **cause)
{
	static const char *const fixed[] = { "alert", "case", "hospital",
	    "unit", NULL };
	const char		*on = json_string_value(json_object_get(o, "on"));
	const char		*file = d->path;
	json_int_t		 after = 0;
	const struct drill_step	*st;
	size_t			 i;

	x->step = -1;
	if (on != NULL) {
		if ((x->step = drill_find_step(d, on)) == -1)
			return (drill_fail(cause, file, "%son: no step with "
			    "id \"%.64s\"", pfx, on));
		st = &d->steps[x->step];
		x->open = st->at;
		if (st->type != DRILL_STEP_INJECT)
			memcpy(x->item, st->item, sizeof x->item);
		return (0);
	}
	for (i = 0; fixed[i] != NULL; i++) {
		if (json_object_get(o, fixed[i]) != NULL)
			break;
	}
	if (fixed[i] == NULL)
		return (drill_fail(cause, file, "%s: give \"on\" (a step's id) "
		    "or the item: alert, case, hospital or unit", pfx));
	if (drill_id(o, fixed[i], x->item, sizeof x->item, file, pfx,
	    cause) != 0 || drill_int(o, "after", 0, DRILL_MAX_AT, 0, &after,
	    file, pfx, cause) != 0)
		return (-1);
	x->open = (int64_t)after * 1000;
	return (0);
}

static int
drill_parse_expect(struct drill *d, json_t *o, size_t i, char **cause)
{
	static const char *const known[] = {
		"id", "text", "on", "alert", "case", "hospital", "unit",
		"after", "cmd", "unit_type", "disposition", "dept", "within",
		"points", NULL
	};
	struct drill_expect	*x = &d->expect[d->nexpect];
	const char		*file = d->path, *id, *text, *cmd, *s, *bad;
	json_int_t		 within = 0, points = 0;
	char			 pfx[48];
	size_t			 j;

	snprintf(pfx, sizeof pfx, "expect[%zu].", i);
	if (!json_is_object(o))
		return (drill_fail(cause, file, "expect[%zu]: must be an "
		    "object", i));
	if ((bad = drill_unknown_member(o, known)) != NULL)
		return (drill_fail(cause, file, "expect[%zu]: unknown member "
		    "\"%.32s\"", i, bad));
	memset(x, 0, sizeof *x);
	x->unit_type = x->disposition = -1;
	if (drill_string(o, "id", DRILL_NAME_MAX, 1, &id, file, pfx,
	    cause) != 0 ||
	    drill_string(o, "text", DRILL_TEXT_MAX, 1, &text, file, pfx,
	    cause) != 0 ||
	    drill_string(o, "cmd", HISTORY_WHAT_MAX - 1, 1, &cmd, file, pfx,
	    cause) != 0 ||
	    drill_int(o, "within", 1, DRILL_MAX_AT, 1, &within, file, pfx,
	    cause) != 0 ||
	    drill_int(o, "points", 1, 1000, 1, &points, file, pfx,
	    cause) != 0 ||
	    drill_parse_target(d, x, o, pfx, cause) != 0)
		return (-1);
	for (j = 0; j < d->nexpect; j++) {
		if (strcmp(d->expect[j].id, id) == 0)
			return (drill_fail(cause, file, "%sid: \"%s\" given "
			    "twice", pfx, id));
	}
	if (!engine_cmd_exists(cmd) || strcmp(cmd, "inject") == 0)
		return (drill_fail(cause, file, "%scmd: \"%s\" is not an "
		    "officer's command", pfx, cmd));
	memcpy(x->cmd, cmd, strlen(cmd) + 1);
	if ((s = json_string_value(json_object_get(o, "unit_type"))) != NULL &&
	    (x->unit_type = MODEL_ENUM_PARSE(unit_type_names, s)) == -1)
		return (drill_fail(cause, file, "%sunit_type: unknown type "
		    "\"%.32s\"", pfx, s));
	if ((s = json_string_value(json_object_get(o, "disposition"))) !=
	    NULL && (x->disposition = MODEL_ENUM_PARSE(disposition_names,
	    s)) <= 0)
		return (drill_fail(cause, file, "%sdisposition: unknown "
		    "disposition \"%.32s\"", pfx, s));
	if ((s = json_string_value(json_object_get(o, "dept"))) != NULL &&
	    model_set_code(x->dept, sizeof x->dept, s) != 0)
		return (drill_fail(cause, file, "%sdept: must be a code", pfx));
	x->id = xstrdup(id);
	x->text = xstrdup(text);
	x->within = (int64_t)within * 1000;
	x->points = (int)points;
	d->max += x->points;
	d->nexpect++;
	return (0);
}

/*
 * Make a drill from the JSON of a drill file (docs/drills.md); path
 * names it in messages. Checks the file's shape, not the province (see
 * drill_check()). Returns 0 and sets *out (caller frees with
 * drill_free()), or -1 with *cause set (caller frees).
 */
int
drill_parse(json_t *root, const char *path, struct drill **out,
    char **cause)
{
	static const char *const known[] = {
		"format", "drill", "title", "description", "duration", "pass",
		"timeline", "expect", NULL
	};
	struct drill	*d;
	json_t		*tl, *ex, *v;
	const char	*id, *title, *desc, *bad;
	json_int_t	 duration = 0, pass = 0;
	int64_t		 last = 0;
	size_t		 i;

	*out = NULL;
	*cause = NULL;
	d = xcalloc(1, sizeof *d);
	d->path = xstrdup(path);
	if (!json_is_object(root)) {
		drill_fail(cause, path, "must be an object");
		goto fail;
	}
	if ((bad = drill_unknown_member(root, known)) != NULL) {
		drill_fail(cause, path, "unknown member \"%.32s\"", bad);
		goto fail;
	}
	v = json_object_get(root, "format");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		drill_fail(cause, path, "format: must be 1");
		goto fail;
	}
	if (drill_string(root, "drill", DRILL_NAME_MAX, 1, &id, path, "",
	    cause) != 0 ||
	    drill_string(root, "title", DRILL_TEXT_MAX, 1, &title, path, "",
	    cause) != 0 ||
	    drill_string(root, "description", 4 * DRILL_TEXT_MAX, 0, &desc,
	    path, "", cause) != 0 ||
	    drill_int(root, "duration", 0, DRILL_MAX_AT, 0, &duration, path,
	    "", cause) != 0 ||
	    drill_int(root, "pass", 0, 100000, 1, &pass, path, "",
	    cause) != 0)
		goto fail;
	d->id = xstrdup(id);
	d->title = xstrdup(title);
	d->description = xstrdup(desc != NULL ? desc : "");
	d->pass = (int)pass;

	tl = json_object_get(root, "timeline");
	if (!json_is_array(tl) || json_array_size(tl) == 0 ||
	    json_array_size(tl) > DRILL_MAX_STEPS) {
		drill_fail(cause, path, "timeline: must be an array of 1 to "
		    "%d steps", DRILL_MAX_STEPS);
		goto fail;
	}
	d->steps = xcalloc(json_array_size(tl), sizeof *d->steps);
	json_array_foreach(tl, i, v) {
		if (drill_parse_step(d, v, i, cause) != 0)
			goto fail;
	}
	ex = json_object_get(root, "expect");
	if (!json_is_array(ex) || json_array_size(ex) == 0 ||
	    json_array_size(ex) > DRILL_MAX_EXPECT) {
		drill_fail(cause, path, "expect: must be an array of 1 to %d "
		    "expectations", DRILL_MAX_EXPECT);
		goto fail;
	}
	d->expect = xcalloc(json_array_size(ex), sizeof *d->expect);
	json_array_foreach(ex, i, v) {
		if (drill_parse_expect(d, v, i, cause) != 0)
			goto fail;
		if (d->expect[i].open + d->expect[i].within > last)
			last = d->expect[i].open + d->expect[i].within;
	}
	if (d->pass > d->max) {
		drill_fail(cause, path, "pass: %d is more than the %d points "
		    "of all the expectations", d->pass, d->max);
		goto fail;
	}
	/* The drill ends when the last window closes, unless it says. */
	d->duration = duration > 0 ? (int64_t)duration * 1000 : last;
	if (d->duration < last) {
		drill_fail(cause, path, "duration: %lld s ends before the last "
		    "expectation's window closes (%lld s)",
		    (long long)duration, (long long)(last / 1000));
		goto fail;
	}
	*out = d;
	return (0);

fail:
	drill_free(d);
	return (-1);
}

/*
 * Load the drill file at path (see drill_parse()). Returns 0 and sets
 * *out (caller frees), or -1 with *cause set (caller frees).
 */
int
drill_load(const char *path, struct drill **out, char **cause)
{
	json_error_t	 jerr;
	json_t		*root;
	int		 rc;

	*out = NULL;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (jerr.line > 0)
			xasprintf(cause, "%s:%d:%d: %s", path, jerr.line,
			    jerr.column, jerr.text);
		else
			xasprintf(cause, "%s: %s", path, jerr.text);
		return (-1);
	}
	rc = drill_parse(root, path, out, cause);
	json_decref(root);
	return (rc);
}

/*
 * Check a drill against the province the engine reads: every inject
 * with a dry run of the inject command, every unit, hospital, school and
 * department it names, and every command on an item of the wrong kind.
 * Returns 0, or -1 with *cause set (caller frees): "FILE:
 * timeline[3]: no area 99999 in this province".
 */
int
drill_check(const struct drill *d, struct engine *e, char **cause)
{
	struct engine_outcome	 out;
	const struct drill_step	*st;
	const struct drill_expect *x;
	struct store		*s = engine_store(e);
	const struct kind	*ck;
	size_t			 i;

	*cause = NULL;
	for (i = 0; i < d->nsteps; i++) {
		st = &d->steps[i];
		switch (st->type) {
		case DRILL_STEP_INJECT:
			if (engine_run(e, &drill_op, "inject", st->args,
			    ENGINE_DRY, &out) != 0) {
				drill_fail(cause, d->path, "timeline[%zu]: %s",
				    i, out.msg);
				engine_outcome_clear(&out);
				return (-1);
			}
			break;
		case DRILL_STEP_UNIT:
			if (store_unit(s, st->item) == NULL)
				return (drill_fail(cause, d->path, "timeline"
				    "[%zu]: no unit %s", i, st->item));
			break;
		case DRILL_STEP_HOSPITAL:
			if (store_hospital(s, st->item) == NULL)
				return (drill_fail(cause, d->path, "timeline"
				    "[%zu]: no hospital %s", i, st->item));
			break;
		case DRILL_STEP_SCHOOL:
			if (store_school(s, st->item) == NULL)
				return (drill_fail(cause, d->path, "timeline"
				    "[%zu]: no school %s", i, st->item));
			break;
		default:
			break;
		}
	}
	for (i = 0; i < d->nexpect; i++) {
		x = &d->expect[i];
		ck = engine_cmd_kind(x->cmd);
		if (x->step == -1 && ck != NULL &&
		    store_find(s, ck, x->item) == NULL)
			return (drill_fail(cause, d->path, "expect[%zu]: no %s "
			    "%s", i, ck->label, x->item));
		if (x->step != -1 && ck != NULL && d->steps[x->step].type ==
		    DRILL_STEP_INJECT && strcmp(ck->name, json_string_value(
		    json_object_get(d->steps[x->step].args, "kind"))) != 0)
			return (drill_fail(cause, d->path, "expect[%zu]: %s is "
			    "not a command on a %s", i, x->cmd,
			    json_string_value(json_object_get(
			    d->steps[x->step].args, "kind"))));
		if (x->dept[0] != '\0' && store_department(s, x->dept) == NULL)
			return (drill_fail(cause, d->path, "expect[%zu]: no "
			    "department %s", i, x->dept));
	}
	return (0);
}

/*
 * Free a drill. NULL is a no-op.
 */
void
drill_free(struct drill *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nsteps; i++) {
		free(d->steps[i].name);
		free(d->steps[i].note);
		json_decref(d->steps[i].args);
		json_decref(d->steps[i].set);
	}
	for (i = 0; i < d->nexpect; i++) {
		free(d->expect[i].id);
		free(d->expect[i].text);
	}
	free(d->steps);
	free(d->expect);
	free(d->id);
	free(d->title);
	free(d->description);
	free(d->path);
	free(d);
}

/* ==== A run ==== */

/*
 * Start a run of drill d (borrowed: it must outlive the run) at start
 * (ms, the province's clock). Caller frees with drill_run_free().
 */
struct drill_run *
drill_run_new(const struct drill *d, int64_t start)
{
	struct drill_run	*run;

	run = xcalloc(1, sizeof *run);
	run->d = d;
	run->start = start;
	run->ids = xcalloc(d->nsteps, sizeof *run->ids);
	return (run);
}

/*
 * Free a run. NULL is a no-op.
 */
void
drill_run_free(struct drill_run *run)
{
	size_t	i;

	if (run == NULL)
		return;
	for (i = 0; i < run->ntr; i++) {
		free(run->tr[i].name);
		free(run->tr[i].met);
		free(run->tr[i].by);
	}
	for (i = 0; i < run->nnotes; i++) {
		free(run->notes[i].by);
		free(run->notes[i].text);
	}
	free(run->tr);
	free(run->notes);
	free(run->ids);
	free(run);
}

int64_t
drill_run_start(const struct drill_run *run)
{
	return (run->start);
}

/* 1 when the drill is over at now (its duration has passed). */
int
drill_run_ended(const struct drill_run *run, int64_t now)
{
	return (now >= run->start + run->d->duration);
}

/* Set one reading of a copied hospital or school. */
static void
drill_set(enum kind_index k, void *item, json_t *set)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(set, key, v) {
		for (i = 0; i < sizeof drill_fields / sizeof drill_fields[0];
		    i++) {
			if (drill_fields[i].kind == k &&
			    strcmp(drill_fields[i].name, key) == 0)
				*(int *)((char *)item + drill_fields[i].off) =
				    (int)json_integer_value(v);
		}
	}
}

/*
 * Apply step i of the drill through the engine: an inject (the new id is
 * remembered for the expectations on it), a unit's status as the drill's
 * trainer reports it, or a hospital's or school's readings as a change
 * nobody commanded. Returns 0, or -1 with *cause set (caller frees) when
 * the engine refused it (a unit busy on an alert, say): the drill goes
 * on without it.
 */
int
drill_apply(struct drill_run *run, struct engine *e, size_t i, char **cause)
{
	const struct drill_step	*st = &run->d->steps[i];
	struct engine_outcome	 out;
	union kind_item		 copy;
	const struct kind	*k;
	json_t			*args = NULL;
	void			*item;
	int			 rc = 0;

	*cause = NULL;
	switch (st->type) {
	case DRILL_STEP_INJECT:
		args = json_incref(st->args);
		break;
	case DRILL_STEP_UNIT:
		args = json_pack("{s:s s:s}", "unit", st->item, "status",
		    unit_status_names[st->status]);
		break;
	case DRILL_STEP_HOSPITAL:
	case DRILL_STEP_SCHOOL:
		k = kind_get(st->type == DRILL_STEP_HOSPITAL ? KIND_HOSPITAL :
		    KIND_SCHOOL);
		if ((item = store_find(engine_store(e), k, st->item)) == NULL) {
			xasprintf(cause, "no %s %s", k->label, st->item);
			return (-1);
		}
		k->copy(&copy, item);
		drill_set(k->index, &copy, st->set);
		rc = engine_emit(e, k, &copy, NULL, NULL, NULL);
		k->clear(&copy);
		if (rc != 0)
			xasprintf(cause, "%s %s: not changed", k->label,
			    st->item);
		return (rc);
	default:
		return (0);
	}
	if (engine_run(e, &drill_op, st->type == DRILL_STEP_INJECT ? "inject" :
	    "unit_status", args, 0, &out) != 0) {
		xasprintf(cause, "%s", out.msg);
		rc = -1;
	} else if (st->type == DRILL_STEP_INJECT)
		drill_run_injected(run, i, out.item);
	engine_outcome_clear(&out);
	json_decref(args);
	return (rc);
}

/* Step i was injected as the item id. */
void
drill_run_injected(struct drill_run *run, size_t i, const char *id)
{
	if (i < run->d->nsteps)
		snprintf(run->ids[i], sizeof run->ids[i], "%s", id);
}

/*
 * The id of the item expectation i is about: a fixed item, or its
 * step's once injected. "" when its step has not come yet.
 */
const char *
drill_run_item(const struct drill_run *run, size_t i)
{
	const struct drill_expect	*x = &run->d->expect[i];

	if (x->item[0] != '\0')
		return (x->item);
	return (run->ids[x->step]);
}

/*
 * The trainee called name, added when new (with nothing met): returns
 * its index, or -1 when there are DRILL_MAX_TRAINEES already.
 */
int
drill_run_trainee(struct drill_run *run, const char *name)
{
	struct drill_trainee	*t;
	size_t			 i;

	for (i = 0; i < run->ntr; i++) {
		if (strcmp(run->tr[i].name, name) == 0)
			return ((int)i);
	}
	if (run->ntr == DRILL_MAX_TRAINEES)
		return (-1);
	run->tr = xreallocarray(run->tr, run->ntr + 1, sizeof *run->tr);
	t = &run->tr[run->ntr];
	t->name = xstrdup(name);
	t->met = xcalloc(run->d->nexpect + 1, sizeof *t->met);
	t->by = xcalloc(run->d->nexpect + 1, sizeof *t->by);
	return ((int)run->ntr++);
}

size_t
drill_run_trainees(const struct drill_run *run)
{
	return (run->ntr);
}

const char *
drill_run_trainee_name(const struct drill_run *run, size_t i)
{
	return (i < run->ntr ? run->tr[i].name : NULL);
}

/* Whether the change (kind k, item after it) is the one x expects. */
static int
drill_matches(const struct drill_run *run, size_t i, const struct kind *k,
    const void *item, const char *cmd)
{
	const struct drill_expect	*x = &run->d->expect[i];
	const char			*target = drill_run_item(run, i);
	const struct alert		*a;
	const struct unit		*u;
	const struct feedback		*f;

	if (*target == '\0' || strcmp(cmd, x->cmd) != 0)
		return (0);
	if (x->unit_type != -1) {
		if (k->index != KIND_UNIT)
			return (0);
		u = item;
		return ((int)u->type == x->unit_type &&
		    strcmp(u->alert, target) == 0);
	}
	if (engine_cmd_kind(cmd) != k ||
	    strcmp(kind_id(k, item), target) != 0)
		return (0);
	if (k->index == KIND_ALERT && x->disposition != -1) {
		a = item;
		return ((int)a->disposition == x->disposition);
	}
	/* Diversion is what a drill expects of a hospital, not its end. */
	if (k->index == KIND_HOSPITAL && strcmp(cmd, "divert") == 0)
		return (((const struct hospital *)item)->diversion);
	if (k->index == KIND_FEEDBACK && x->dept[0] != '\0') {
		f = item;
		return (strcmp(f->holder[0] != '\0' ? f->holder : f->dept,
		    x->dept) == 0);
	}
	return (1);
}

/*
 * Feed the run a change the engine made: item (of kind k, as it is
 * after the change, borrowed), by operator by with command cmd at ts.
 * Changes nobody commanded, the simulator's, and the drill's own are
 * not anybody's: only an operator's counts, and adds them as a trainee.
 * Returns the number of expectations the change met.
 */
int
drill_run_change(struct drill_run *run, const struct kind *k,
    const void *item, const char *by, const char *cmd, int64_t ts)
{
	const struct drill_expect	*x;
	struct drill_trainee		*t;
	size_t				 i;
	int				 ti, n = 0;

	if (by == NULL || cmd == NULL || *by == '\0' ||
	    strcmp(by, "sim") == 0 || strcmp(by, drill_op.name) == 0 ||
	    strcmp(cmd, "inject") == 0)
		return (0);
	if ((ti = drill_run_trainee(run, by)) == -1)
		return (0);
	t = &run->tr[ti];
	run->nchanges++;
	for (i = 0; i < run->d->nexpect; i++) {
		x = &run->d->expect[i];
		if (t->met[i] != 0 || ts < run->start + x->open ||
		    ts > run->start + x->open + x->within)
			continue;
		if (drill_matches(run, i, k, item, cmd)) {
			t->met[i] = ts;
			t->by[i] = run->nchanges;
			n++;
		}
	}
	return (n);
}

/* The operators' changes fed so far (see drill_run_truncate()). */
size_t
drill_run_changes(const struct drill_run *run)
{
	return (run->nchanges);
}

/*
 * Forget the changes fed after the first n (a replay seeking back): what
 * they met is not met any more. The injects' ids and the trainees stay.
 */
void
drill_run_truncate(struct drill_run *run, size_t n)
{
	size_t	t, i;

	if (n >= run->nchanges)
		return;
	for (t = 0; t < run->ntr; t++) {
		for (i = 0; i < run->d->nexpect; i++) {
			if (run->tr[t].met[i] != 0 && run->tr[t].by[i] > n) {
				run->tr[t].met[i] = 0;
				run->tr[t].by[i] = 0;
			}
		}
	}
	run->nchanges = n;
}

/*
 * A trainer's note at ts, kept for the report. The strings are copied.
 */
void
drill_run_annotate(struct drill_run *run, const char *by, int64_t ts,
    const char *text)
{
	struct drill_note	*nt;

	run->notes = xreallocarray(run->notes, run->nnotes + 1,
	    sizeof *run->notes);
	nt = &run->notes[run->nnotes++];
	nt->ts = ts;
	nt->by = xstrdup(by != NULL ? by : "");
	nt->text = xstrdup(text);
}

/*
 * Where trainee t stands on expectation i at now: met (and *at, when
 * not NULL, the ms after the window opened), missed once its window
 * closed, else pending (*at: the ms left, negative before it opens).
 */
enum drill_state
drill_run_state(const struct drill_run *run, size_t t, size_t i,
    int64_t now, int64_t *at)
{
	const struct drill_expect	*x = &run->d->expect[i];
	int64_t				 open = run->start + x->open;

	if (t < run->ntr && run->tr[t].met[i] != 0) {
		if (at != NULL)
			*at = run->tr[t].met[i] - open;
		return (DRILL_MET);
	}
	if (at != NULL)
		*at = open + x->within - now;
	if (now > open + x->within)
		return (DRILL_MISSED);
	return (DRILL_PENDING);
}

/* The points trainee t has. */
int
drill_run_score(const struct drill_run *run, size_t t)
{
	size_t	i;
	int	score = 0;

	for (i = 0; t < run->ntr && i < run->d->nexpect; i++) {
		if (run->tr[t].met[i] != 0)
			score += run->d->expect[i].points;
	}
	return (score);
}

/*
 * The report at now (docs/drills.md, "The report"): {drill, title,
 * start, max, pass, trainees: [{operator, score, max, passed,
 * expectations: [{id, text, points, state, met, after_s}]}],
 * annotations}. Caller decrefs.
 */
json_t *
drill_run_json(const struct drill_run *run, int64_t now)
{
	const struct drill	*d = run->d;
	json_t			*trs, *exs, *notes, *o;
	enum drill_state	 s;
	int64_t			 at;
	size_t			 t, i;
	int			 score;

	trs = json_array();
	for (t = 0; t < run->ntr; t++) {
		exs = json_array();
		for (i = 0; i < d->nexpect; i++) {
			s = drill_run_state(run, t, i, now, &at);
			o = json_pack("{s:s s:s s:i s:s s:b}", "id",
			    d->expect[i].id, "text", d->expect[i].text,
			    "points", d->expect[i].points, "state",
			    drill_state_names[s], "met", s == DRILL_MET);
			json_object_set_new(o, "after_s", s == DRILL_MET ?
			    json_integer(at / 1000) : json_null());
			json_array_append_new(exs, o);
		}
		score = drill_run_score(run, t);
		json_array_append_new(trs, json_pack("{s:s s:i s:i s:b s:o}",
		    "operator", run->tr[t].name, "score", score, "max",
		    d->max, "passed", score >= d->pass, "expectations", exs));
	}
	notes = json_array();
	for (i = 0; i < run->nnotes; i++)
		json_array_append_new(notes, json_pack("{s:I s:s s:s}",
		    "at_s", (json_int_t)((run->notes[i].ts - run->start) /
		    1000), "by", run->notes[i].by, "text",
		    run->notes[i].text));
	return (json_pack("{s:s s:s s:I s:I s:b s:i s:i s:o s:o}", "drill",
	    d->id, "title", d->title, "start", (json_int_t)run->start,
	    "elapsed_s", (json_int_t)((now - run->start) / 1000), "ended",
	    drill_run_ended(run, now), "max", d->max, "pass", d->pass,
	    "trainees", trs, "annotations", notes));
}

/*
 * What an instructor following trainee name sees at now
 * (docs/protocol.md, "drill"): {type: "drill", drill, title, elapsed_s,
 * duration_s, ended, operator, score, max, pass, passed, expectations:
 * [{id, text, points, state, item, after_s, left_s}]}: after_s once met,
 * left_s while pending (negative: its window has not opened yet). The
 * trainee is added when new. Caller decrefs.
 */
json_t *
drill_run_follow_json(struct drill_run *run, const char *name, int64_t now)
{
	const struct drill	*d = run->d;
	enum drill_state	 s;
	json_t			*exs, *o;
	int64_t			 at;
	size_t			 i;
	int			 t, score = 0;

	if ((t = drill_run_trainee(run, name)) != -1)
		score = drill_run_score(run, (size_t)t);
	exs = json_array();
	for (i = 0; i < d->nexpect; i++) {
		s = drill_run_state(run, t == -1 ? run->ntr : (size_t)t, i, now,
		    &at);
		o = json_pack("{s:s s:s s:i s:s s:s}", "id", d->expect[i].id,
		    "text", d->expect[i].text, "points", d->expect[i].points,
		    "state", drill_state_names[s], "item",
		    drill_run_item(run, i));
		if (s == DRILL_MET)
			json_object_set_new(o, "after_s",
			    json_integer(at / 1000));
		else if (s == DRILL_PENDING)
			json_object_set_new(o, "left_s",
			    json_integer(at / 1000));
		json_array_append_new(exs, o);
	}
	return (json_pack("{s:s s:s s:s s:I s:I s:b s:s s:i s:i s:i s:b s:o}",
	    "type", "drill", "drill", d->id, "title", d->title,
	    "elapsed_s", (json_int_t)((now - run->start) / 1000),
	    "duration_s", (json_int_t)(d->duration / 1000),
	    "ended", drill_run_ended(run, now), "operator", name,
	    "score", score, "max", d->max, "pass", d->pass,
	    "passed", score >= d->pass, "expectations", exs));
}

/*
 * The report for people, in Vietnamese like the drill's texts: per
 * trainee the score and each expectation met (after how long), missed
 * or pending, then the trainer's notes. Caller frees.
 */
char *
drill_run_text(const struct drill_run *run, int64_t now)
{
	static const char *const marks[DRILL_STATE_COUNT] = {
		"…", "✓", "✗"
	};
	static const char *const words[DRILL_STATE_COUNT] = {
		"đang chờ", "đạt", "bỏ lỡ"
	};
	const struct drill	*d = run->d;
	struct buf		 b = BUF_INIT;
	enum drill_state	 s;
	int64_t			 at;
	size_t			 t, i;
	int			 score;
	char			*out;

	buf_printf(&b, "Diễn tập: %s (%s)\n", d->title, d->id);
	buf_printf(&b, "Thời gian: %lld/%lld giây%s\n",
	    (long long)((now - run->start) / 1000),
	    (long long)(d->duration / 1000),
	    drill_run_ended(run, now) ? ", đã kết thúc" : "");
	buf_printf(&b, "Điểm đạt: %d/%d\n", d->pass, d->max);
	if (run->ntr == 0)
		buf_adds(&b, "\nKhông có học viên nào.\n");
	for (t = 0; t < run->ntr; t++) {
		score = drill_run_score(run, t);
		buf_printf(&b, "\nHọc viên %s: %d/%d điểm — %s\n",
		    run->tr[t].name, score, d->max, score >= d->pass ?
		    "ĐẠT" : "CHƯA ĐẠT");
		for (i = 0; i < d->nexpect; i++) {
			s = drill_run_state(run, t, i, now, &at);
			buf_printf(&b, "  %s %-16s %3d đ  %s", marks[s],
			    d->expect[i].id, d->expect[i].points, words[s]);
			if (s == DRILL_MET)
				buf_printf(&b, " sau %lld giây",
				    (long long)(at / 1000));
			buf_printf(&b, ": %s\n", d->expect[i].text);
		}
	}
	if (run->nnotes > 0)
		buf_adds(&b, "\nGhi chú của giảng viên:\n");
	for (i = 0; i < run->nnotes; i++)
		buf_printf(&b, "  +%llds %s: %s\n", (long long)
		    ((run->notes[i].ts - run->start) / 1000),
		    run->notes[i].by, run->notes[i].text);
	out = xstrdup(buf_str(&b));
	buf_free(&b);
	return (out);
}

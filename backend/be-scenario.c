/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Loading a scenario. A scenario is a JSON file (data/scenarios/README.md)
 * with a timeline of steps, each at an offset in seconds from the start:
 * an inject (the arguments of the "inject" command) and/or a change to the
 * simulated world. Every inject is checked against the loaded province
 * with the inject command itself (a dry run of the engine), so a scenario
 * that names an unknown area fails at start-up with "<file>:
 * timeline[3]: ...", not in the middle of a drill. be-sim.c plays it.
 */

#include "be-scenario.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be-world.h"
#include "engine.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "xmalloc.h"

#define BE_SCENARIO_NAME_MAX	64
#define BE_SCENARIO_TITLE_MAX	512

/* Scenario injects are checked as a trainer would send them. */
static const struct operator be_scenario_op = {
	.name = "scenario",
	.role = OPERATOR_TRAINER
};

static int __attribute__((format(printf, 3, 4)))
be_scenario_fail(char **cause, const char *file, const char *fmt, ...)
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

/*
 * Find the file for spec: a path when it has a '/' or ends in ".json",
 * else a name looked up as DATADIR/scenarios/NAME.json and then
 * DATADIR/../scenarios/NAME.json. Returns an allocated path or NULL with
 * *cause set.
 */
static char *
be_scenario_path(const char *spec, const char *datadir, char **cause)
{
	struct stat	 sb;
	size_t		 len = strlen(spec), i;
	char		*p;

	if (strchr(spec, '/') != NULL ||
	    (len > 5 && strcmp(spec + len - 5, ".json") == 0))
		return (xstrdup(spec));
	for (i = 0; i < len; i++) {
		if (!((spec[i] >= 'a' && spec[i] <= 'z') ||
		    (spec[i] >= '0' && spec[i] <= '9') || spec[i] == '-' ||
		    spec[i] == '_'))
			break;
	}
	if (len == 0 || i != len || len > BE_SCENARIO_NAME_MAX) {
		xasprintf(cause, "bad scenario name \"%.64s\" (a name of "
		    "[a-z0-9_-], or a path to a .json file)", spec);
		return (NULL);
	}
	xasprintf(&p, "%s/scenarios/%s.json", datadir, spec);
	if (stat(p, &sb) == 0)
		return (p);
	free(p);
	xasprintf(&p, "%s/../scenarios/%s.json", datadir, spec);
	if (stat(p, &sb) == 0)
		return (p);
	xasprintf(cause, "no scenario \"%s\" (looked for %s/scenarios/%s.json "
	    "and %s)", spec, datadir, spec, p);
	free(p);
	return (NULL);
}

/* Read an optional integer member into *out (left alone when absent). */
static int
be_scenario_int(json_t *o, const char *key, json_int_t lo, json_int_t hi,
    int *out, const char *file, const char *pfx, char **cause)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		return (0);
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return (be_scenario_fail(cause, file, "%s.%s: must be an "
		    "integer from %" JSON_INTEGER_FORMAT " to %"
		    JSON_INTEGER_FORMAT, pfx, key, lo, hi));
	*out = (int)json_integer_value(v);
	return (0);
}

static int
be_scenario_step(struct engine *e, struct be_scenario *sc, json_t *o,
    size_t i, int exercise, char **cause)
{
	static const char *const	 known[] = {
		"at", "kind", "item", "weather", "hospital_load", "alert_rate",
		"note"
	};
	struct be_scenario_step		*step = &sc->steps[sc->nsteps];
	struct engine_outcome		 out;
	const char			*key, *file = sc->path;
	json_t				*v, *item;
	char				 pfx[48];
	size_t				 k;
	int				 at = 0, w, any = 0;

	snprintf(pfx, sizeof pfx, "timeline[%zu]", i);
	if (!json_is_object(o))
		return (be_scenario_fail(cause, file, "%s: must be an object",
		    pfx));
	json_object_foreach(o, key, v) {
		for (k = 0; k < sizeof known / sizeof known[0]; k++) {
			if (strcmp(key, known[k]) == 0)
				break;
		}
		if (k == sizeof known / sizeof known[0])
			return (be_scenario_fail(cause, file, "%s: unknown "
			    "member \"%.32s\"", pfx, key));
	}
	if (json_object_get(o, "at") == NULL)
		return (be_scenario_fail(cause, file, "%s.at: missing", pfx));
	if (be_scenario_int(o, "at", 0, BE_SCENARIO_MAX_AT, &at, file, pfx,
	    cause) != 0)
		return (-1);
	memset(step, 0, sizeof *step);
	step->at = (int64_t)at * 1000;
	step->weather = -1;
	step->hospital_load = BE_SCENARIO_UNCHANGED;
	step->alert_rate = BE_SCENARIO_UNCHANGED;
	if (sc->nsteps > 0 && step->at < sc->steps[sc->nsteps - 1].at)
		return (be_scenario_fail(cause, file, "%s.at: %d goes back in "
		    "time (steps must be in order)", pfx, at));

	if ((v = json_object_get(o, "weather")) != NULL) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "auto") == 0)
			w = BE_WEATHER_COUNT;
		else if (!json_is_string(v) || (w = MODEL_ENUM_PARSE(
		    be_weather_names, json_string_value(v))) == -1)
			return (be_scenario_fail(cause, file, "%s.weather: "
			    "must be clear, cloudy, rain, heavy_rain, storm "
			    "or auto", pfx));
		step->weather = w;
		any = 1;
	}
	if (be_scenario_int(o, "hospital_load", -50, 50,
	    &step->hospital_load, file, pfx, cause) != 0 ||
	    be_scenario_int(o, "alert_rate", 0, 1000, &step->alert_rate,
	    file, pfx, cause) != 0)
		return (-1);
	any |= step->hospital_load != BE_SCENARIO_UNCHANGED ||
	    step->alert_rate != BE_SCENARIO_UNCHANGED;
	if ((v = json_object_get(o, "note")) != NULL && !json_is_string(v))
		return (be_scenario_fail(cause, file, "%s.note: must be a "
		    "string", pfx));

	v = json_object_get(o, "kind");
	item = json_object_get(o, "item");
	if (v != NULL || item != NULL) {
		if (!json_is_string(v) || !json_is_object(item))
			return (be_scenario_fail(cause, file, "%s: an inject "
			    "needs \"kind\" (alert or feedback) and an "
			    "\"item\" object", pfx));
		item = json_deep_copy(item);
		if (strcmp(json_string_value(v), "alert") == 0 &&
		    json_object_get(item, "exercise") == NULL)
			json_object_set_new(item, "exercise",
			    json_boolean(exercise));
		step->inject = json_pack("{s:O s:o}", "kind", v, "item",
		    item);
		if (engine_run(e, &be_scenario_op, "inject",
		    step->inject, ENGINE_DRY, &out) != 0) {
			be_scenario_fail(cause, file, "%s: %s", pfx, out.msg);
			engine_outcome_clear(&out);
			json_decref(step->inject);
			step->inject = NULL;
			return (-1);
		}
		any = 1;
	}
	if (!any)
		return (be_scenario_fail(cause, file, "%s: does nothing (give "
		    "an inject, weather, hospital_load or alert_rate)", pfx));
	sc->nsteps++;
	return (0);
}

/*
 * Load the scenario spec (a name or a path; see be_scenario_path()) and
 * check every inject with a dry run of the engine e (against its
 * province). Returns 0 and sets *out
 * (caller frees with be_scenario_free(), or hands it to the simulator), or
 * -1 with *cause set (caller frees).
 */
int
be_scenario_load(struct engine *e, const char *spec, const char *datadir,
    struct be_scenario **out, char **cause)
{
	struct be_scenario	*sc;
	json_error_t		 jerr;
	json_t			*root = NULL, *v, *tl, *step;
	const char		*name;
	size_t			 i;
	int			 exercise = 1;
	char			*path;

	*out = NULL;
	*cause = NULL;
	if ((path = be_scenario_path(spec, datadir, cause)) == NULL)
		return (-1);
	sc = xcalloc(1, sizeof *sc);
	sc->path = path;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (jerr.line > 0)
			xasprintf(cause, "%s:%d:%d: %s", path, jerr.line,
			    jerr.column, jerr.text);
		else
			xasprintf(cause, "%s: %s", path, jerr.text);
		goto fail;
	}
	if (!json_is_object(root)) {
		be_scenario_fail(cause, path, "must be an object");
		goto fail;
	}
	v = json_object_get(root, "format");
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) != 1)) {
		be_scenario_fail(cause, path, "format: must be 1");
		goto fail;
	}
	name = json_string_value(json_object_get(root, "name"));
	if (name == NULL || *name == '\0' ||
	    strlen(name) > BE_SCENARIO_NAME_MAX) {
		be_scenario_fail(cause, path, "name: must be a string of 1 to "
		    "%d bytes", BE_SCENARIO_NAME_MAX);
		goto fail;
	}
	sc->name = xstrdup(name);
	v = json_object_get(root, "title");
	if (v != NULL && (!json_is_string(v) ||
	    json_string_length(v) > BE_SCENARIO_TITLE_MAX)) {
		be_scenario_fail(cause, path, "title: must be a string of at "
		    "most %d bytes", BE_SCENARIO_TITLE_MAX);
		goto fail;
	}
	sc->title = xstrdup(v != NULL ? json_string_value(v) : name);
	v = json_object_get(root, "exercise");
	if (v != NULL && !json_is_boolean(v)) {
		be_scenario_fail(cause, path, "exercise: must be true or "
		    "false");
		goto fail;
	}
	if (v != NULL)
		exercise = json_is_true(v);
	tl = json_object_get(root, "timeline");
	if (!json_is_array(tl) || json_array_size(tl) == 0 ||
	    json_array_size(tl) > BE_SCENARIO_MAX_STEPS) {
		be_scenario_fail(cause, path, "timeline: must be an array of 1 "
		    "to %d steps", BE_SCENARIO_MAX_STEPS);
		goto fail;
	}
	sc->steps = xcalloc(json_array_size(tl), sizeof *sc->steps);
	json_array_foreach(tl, i, step) {
		if (be_scenario_step(e, sc, step, i, exercise, cause) != 0)
			goto fail;
	}
	json_decref(root);
	*out = sc;
	return (0);

fail:
	json_decref(root);
	be_scenario_free(sc);
	return (-1);
}

/*
 * Free a scenario. NULL is a no-op.
 */
void
be_scenario_free(struct be_scenario *sc)
{
	size_t	i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nsteps; i++)
		json_decref(sc->steps[i].inject);
	free(sc->steps);
	free(sc->name);
	free(sc->title);
	free(sc->path);
	free(sc);
}

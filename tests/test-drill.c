/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for drills (core/drill.c, backend/be-drill.c) on the shipped
 * Quảng Ninh dataset: every shipped drill loads and checks, every item
 * it makes is an exercise, a trainee who does nothing misses every
 * expectation; a trainee who meets k of n scores exactly their points;
 * two trainees are scored apart; the report's JSON; bad files are
 * refused with the member named; over a shared log (hooks) only the
 * leader plays, and it goes on after the steps the log says were played.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-data.h"
#include "be-drill.h"
#include "be-state.h"
#include "clock.h"
#include "drill.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "store.h"
#include "xmalloc.h"

/* Tuesday 24/11/2026 08:00 at UTC+7. */
#define T_NOW	1795482000000LL
#define T_SEC	1000LL

static const struct operator t_lan = { .name = "lan",
    .role = OPERATOR_OPERATOR };
static const struct operator t_minh = { .name = "minh",
    .role = OPERATOR_OPERATOR };

struct t_prov {
	struct be_state	*st;
	struct be_data	*data;
};

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

/* The shipped province, as a drill runs on it: an exercise. */
static struct t_prov *
t_prov(void)
{
	struct t_prov	*p;
	char		*dir, *cause = NULL;

	p = xcalloc(1, sizeof *p);
	p->st = be_state_new(1);
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (be_data_load(dir, p->st->store, &p->st->rng, &p->data,
	    &cause) != 0)
		fail_msg("load: %s", cause);
	free(dir);
	engine_set_workcal(p->st->engine, p->data->workcal);
	engine_set_exercise(p->st->engine, 1);
	return (p);
}

static void
t_prov_free(struct t_prov *p)
{
	be_state_free(p->st);
	be_data_free(p->data);
	free(p);
}

static struct drill *
t_drill(const char *name)
{
	struct drill	*d;
	char		*path, *cause = NULL;

	xasprintf(&path, "%s/data/drills/%s", t_srcdir(), name);
	if (drill_load(path, &d, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	return (d);
}

/* Run cmd for op at the clock's time; fails the test when refused. */
static void
t_cmd(struct t_prov *p, const struct operator *op, const char *cmd,
    json_t *args)
{
	struct engine_outcome	out;

	if (engine_run(p->st->engine, op, cmd, args, 0, &out) != 0)
		fail_msg("%s: %s", cmd, out.msg);
	engine_outcome_clear(&out);
	json_decref(args);
}

/* An available unit of type (the fleet's day decides which). */
static const char *
t_unit(struct t_prov *p, enum unit_type type)
{
	size_t	i;

	for (i = 0; i < p->st->store->nunits; i++) {
		if (p->st->store->units[i].type == type &&
		    p->st->store->units[i].status == UNIT_AVAILABLE)
			return (p->st->store->units[i].id);
	}
	fail_msg("no %s available", unit_type_names[type]);
	return (NULL);
}

/* The index of expectation id in d. */
static size_t
t_expect(const struct drill *d, const char *id)
{
	size_t	i;

	for (i = 0; i < d->nexpect; i++) {
		if (strcmp(d->expect[i].id, id) == 0)
			return (i);
	}
	fail_msg("no expectation %s", id);
	return (0);
}

/* The item of expectation id once its step came. */
static const char *
t_item(struct be_drill *bd, const char *id)
{
	return (drill_run_item(be_drill_run(bd), t_expect(
	    be_drill_drill(bd), id)));
}

/*
 * Test functions:
 *   drill_load, drill_check, drill_apply, drill_run_change,
 *   drill_run_state (every shipped drill; a trainee who does nothing)
 */
static void
test_shipped(void **state)
{
	struct t_prov		*p;
	struct drill		*d;
	struct be_drill		*bd;
	struct drill_run	*run;
	DIR			*dir;
	struct dirent		*de;
	char			*path, *cause = NULL;
	size_t			 i, n = 0, items;
	int			 t;

	(void)state;
	xasprintf(&path, "%s/data/drills", t_srcdir());
	assert_non_null(dir = opendir(path));
	while ((de = readdir(dir)) != NULL) {
		if (strstr(de->d_name, ".json") == NULL)
			continue;
		clock_set_fixed(T_NOW);
		p = t_prov();
		/* The drill marks its items itself, whatever the feed. */
		engine_set_exercise(p->st->engine, 0);
		d = t_drill(de->d_name);
		if (drill_check(d, p->st->engine, &cause) != 0)
			fail_msg("%s", cause);
		assert_true(d->nexpect > 0);
		assert_true(d->pass > 0 && d->pass <= d->max);
		items = p->st->store->nalerts + p->st->store->nfeedback;
		bd = be_drill_new(p->st, d, NULL);
		be_drill_trainee(bd, "idle");
		be_drill_start(bd, NULL, clock_now());
		run = be_drill_run(bd);
		/* Every step played, then past the end. */
		clock_advance(d->duration + T_SEC);
		be_drill_tick(bd, clock_now());
		/* Every item the drill made is an exercise. */
		assert_true(p->st->store->nalerts + p->st->store->nfeedback >
		    items);
		for (i = 0; i < p->st->store->nalerts; i++)
			assert_true(p->st->store->alerts[i].exercise);
		for (i = 0; i < p->st->store->nfeedback; i++)
			assert_true(p->st->store->feedback[i].exercise);
		/* Each expectation's item came. */
		for (i = 0; i < d->nexpect; i++)
			assert_string_not_equal(drill_run_item(run, i), "");
		/* The one who did nothing missed everything. */
		assert_int_equal(drill_run_trainees(run), 1);
		t = 0;
		for (i = 0; i < d->nexpect; i++)
			assert_int_equal(drill_run_state(run, (size_t)t, i,
			    clock_now(), NULL), DRILL_MISSED);
		assert_int_equal(drill_run_score(run, 0), 0);
		assert_true(drill_run_ended(run, clock_now()));
		be_drill_free(bd);
		t_prov_free(p);
		n++;
	}
	closedir(dir);
	free(path);
	assert_true(n >= 4);
	clock_set_real();
}

/*
 * Test functions:
 *   drill_run_change, drill_run_score, drill_run_json (a trainee who
 *   meets exactly 3 of the 7 expectations of yagi-landfall; one late
 *   and one wrong action do not count)
 */
static void
test_k_of_n(void **state)
{
	struct t_prov		*p;
	struct drill		*d;
	struct be_drill		*bd;
	struct drill_run	*run;
	json_t			*j, *tr, *ex;
	size_t			 i;
	int			 met = 0;

	(void)state;
	clock_set_fixed(T_NOW);
	p = t_prov();
	d = t_drill("yagi-landfall.json");
	bd = be_drill_new(p->st, d, NULL);
	be_drill_start(bd, NULL, clock_now());
	run = be_drill_run(bd);

	/* +10 s: ack Cô Tô (met, after 10 s). */
	clock_advance(10 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_lan, "ack", json_pack("{s:s}", "alert", t_item(bd,
	    "ack-coto")));
	/* +30 s: the boat came at +20; a rescue boat sent at +30 (met). */
	clock_advance(20 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_lan, "dispatch", json_pack("{s:s s:[s]}", "alert",
	    t_item(bd, "rescue-boat"), "units", t_unit(p, UNIT_RESCUE)));
	/* +150 s: Bãi Cháy fills up; diverted at +160 (met). */
	clock_advance(130 * T_SEC);
	be_drill_tick(bd, clock_now());
	clock_advance(10 * T_SEC);
	t_cmd(p, &t_lan, "divert", json_pack("{s:s s:b}", "hospital",
	    "BV-BAICHAY", "on", 1));
	/* The first Hà Khánh alert closed as a duplicate: the wrong one. */
	t_cmd(p, &t_lan, "close", json_pack("{s:s s:s s:s}", "alert",
	    t_item(bd, "ambulance-roofs"), "disposition", "duplicate",
	    "reason", "nhầm"));
	/* +770 s: the power case assigned, too late (due by +720). */
	clock_advance(600 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_lan, "assign", json_pack("{s:s s:s}", "case",
	    t_item(bd, "assign-power"), "dept", "DIENLUC"));

	clock_advance(d->duration);
	be_drill_tick(bd, clock_now());
	assert_int_equal(drill_run_trainees(run), 1);
	assert_string_equal(drill_run_trainee_name(run, 0), "lan");
	assert_int_equal(drill_run_score(run, 0), 10 + 20 + 15);
	j = drill_run_json(run, clock_now());
	assert_string_equal(json_string_value(json_object_get(j, "drill")),
	    "yagi-landfall");
	tr = json_array_get(json_object_get(j, "trainees"), 0);
	assert_string_equal(json_string_value(json_object_get(tr,
	    "operator")), "lan");
	assert_int_equal(json_integer_value(json_object_get(tr, "score")), 45);
	assert_int_equal(json_integer_value(json_object_get(tr, "max")), 90);
	assert_true(json_is_false(json_object_get(tr, "passed")));
	json_array_foreach(json_object_get(tr, "expectations"), i, ex) {
		if (json_is_true(json_object_get(ex, "met")))
			met++;
		else
			assert_true(json_is_null(json_object_get(ex,
			    "after_s")));
	}
	assert_int_equal(met, 3);
	ex = json_array_get(json_object_get(tr, "expectations"),
	    t_expect(d, "ack-coto"));
	assert_int_equal(json_integer_value(json_object_get(ex, "after_s")),
	    10);
	ex = json_array_get(json_object_get(tr, "expectations"),
	    t_expect(d, "rescue-boat"));
	assert_int_equal(json_integer_value(json_object_get(ex, "after_s")),
	    10);
	json_decref(j);
	be_drill_free(bd);
	t_prov_free(p);
	clock_set_real();
}

/*
 * Test functions:
 *   drill_run_change, drill_run_score, drill_run_text (two trainees in
 *   one drill: each scored on their own actions)
 */
static void
test_two_trainees(void **state)
{
	struct t_prov		*p;
	struct drill		*d;
	struct be_drill		*bd;
	struct drill_run	*run;
	json_t			*j, *ex;
	char			*text;
	int64_t			 at;
	size_t			 lan, minh;

	(void)state;
	clock_set_fixed(T_NOW);
	p = t_prov();
	d = t_drill("halong-flood.json");
	bd = be_drill_new(p->st, d, NULL);
	be_drill_trainee(bd, "minh");
	be_drill_start(bd, NULL, clock_now());
	run = be_drill_run(bd);
	clock_advance(35 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_lan, "ack", json_pack("{s:s}", "alert", t_item(bd,
	    "ack-halam")));
	clock_advance(5 * T_SEC);
	t_cmd(p, &t_minh, "ack", json_pack("{s:s}", "alert", t_item(bd,
	    "ack-trapped")));
	t_cmd(p, &t_minh, "dispatch", json_pack("{s:s s:[s]}", "alert",
	    t_item(bd, "rescue-trapped"), "units", t_unit(p, UNIT_RESCUE)));
	drill_run_annotate(run, "thầy Hùng", clock_now(), "Minh điều đúng");
	/* +125 s: minh assigns the mud case to Sở TN&MT (met). */
	clock_advance(85 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_minh, "assign", json_pack("{s:s s:s}", "case",
	    t_item(bd, "assign-mud"), "dept", "STNMT"));
	/* +155 s: lan closes the second Hà Lầm alert as a duplicate (met). */
	clock_advance(30 * T_SEC);
	be_drill_tick(bd, clock_now());
	t_cmd(p, &t_lan, "close", json_pack("{s:s s:s s:s}", "alert",
	    t_item(bd, "duplicate-halam"), "disposition", "duplicate",
	    "reason", "trùng tin A trước"));

	minh = 0;
	lan = 1;
	assert_string_equal(drill_run_trainee_name(run, minh), "minh");
	assert_string_equal(drill_run_trainee_name(run, lan), "lan");
	assert_int_equal(drill_run_score(run, lan), 20);
	assert_int_equal(drill_run_score(run, minh), 40);
	assert_int_equal(drill_run_state(run, lan, t_expect(d, "ack-halam"),
	    clock_now(), &at), DRILL_MET);
	assert_int_equal(at, 35 * T_SEC);
	/* minh missed it: its window closed at +60. */
	assert_int_equal(drill_run_state(run, minh, t_expect(d, "ack-halam"),
	    clock_now(), &at), DRILL_MISSED);
	assert_int_equal(drill_run_state(run, lan, t_expect(d, "ack-trapped"),
	    clock_now(), NULL), DRILL_MISSED);
	assert_int_equal(drill_run_state(run, minh, t_expect(d,
	    "rescue-trapped"), clock_now(), &at), DRILL_MET);
	assert_int_equal(at, 10 * T_SEC);
	assert_int_equal(drill_run_state(run, minh, t_expect(d, "assign-mud"),
	    clock_now(), &at), DRILL_MET);
	assert_int_equal(at, 5 * T_SEC);
	assert_int_equal(drill_run_state(run, lan, t_expect(d,
	    "duplicate-halam"), clock_now(), &at), DRILL_MET);
	assert_int_equal(at, 5 * T_SEC);
	/* Pending, with the time left (and before its window opens). */
	assert_int_equal(drill_run_state(run, lan, t_expect(d,
	    "assign-mud"), clock_now(), &at), DRILL_PENDING);
	assert_int_equal(at, (120 + 600 - 155) * T_SEC);
	/* The simulator's and the drill's own changes are nobody's. */
	assert_int_equal(drill_run_trainees(run), 2);

	/* What an instructor following lan is sent. */
	j = drill_run_follow_json(run, "lan", clock_now());
	assert_string_equal(json_string_value(json_object_get(j, "type")),
	    "drill");
	assert_int_equal(json_integer_value(json_object_get(j, "score")), 20);
	ex = json_array_get(json_object_get(j, "expectations"), t_expect(d,
	    "ack-halam"));
	assert_string_equal(json_string_value(json_object_get(ex, "state")),
	    "met");
	assert_int_equal(json_integer_value(json_object_get(ex, "after_s")),
	    35);
	ex = json_array_get(json_object_get(j, "expectations"), t_expect(d,
	    "assign-mud"));
	assert_string_equal(json_string_value(json_object_get(ex, "state")),
	    "pending");
	assert_int_equal(json_integer_value(json_object_get(ex, "left_s")),
	    565);
	json_decref(j);

	text = drill_run_text(run, clock_now());
	assert_non_null(strstr(text, "Học viên minh: 40/80 điểm"));
	assert_non_null(strstr(text, "Học viên lan: 20/80 điểm"));
	assert_non_null(strstr(text, "thầy Hùng: Minh điều đúng"));
	free(text);
	be_drill_free(bd);
	t_prov_free(p);
	clock_set_real();
}

/*
 * Test functions:
 *   be_drill_report (the --report file: JSON and text, written when
 *   the drill is freed before its end, as on SIGTERM)
 */
static void
test_report_file(void **state)
{
	struct t_prov	*p;
	struct be_drill	*bd;
	json_t		*j;
	char		 dir[] = "/tmp/test-drill.XXXXXX";
	char		*path, *txt;
	FILE		*f;
	char		 line[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	xasprintf(&path, "%s/report.json", dir);
	xasprintf(&txt, "%s/report.json.txt", dir);
	clock_set_fixed(T_NOW);
	p = t_prov();
	bd = be_drill_new(p->st, t_drill("road-mass-casualty.json"), path);
	be_drill_trainee(bd, "lan");
	be_drill_start(bd, NULL, clock_now());
	clock_advance(5 * T_SEC);
	t_cmd(p, &t_lan, "ack", json_pack("{s:s}", "alert", t_item(bd,
	    "ack-coach")));
	be_drill_free(bd);	/* Stopped before the end. */
	assert_non_null(j = json_load_file(path, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(j, "drill")),
	    "road-mass-casualty");
	assert_true(json_is_false(json_object_get(j, "ended")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(j, "trainees"), 0), "score")), 10);
	json_decref(j);
	assert_non_null(f = fopen(txt, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, "Diễn tập: "));
	fclose(f);
	unlink(path);
	unlink(txt);
	rmdir(dir);
	free(path);
	free(txt);
	t_prov_free(p);
	clock_set_real();
}

/*
 * Test functions:
 *   drill_parse, drill_check (bad files: what is wrong, and where)
 */
static void
test_errors(void **state)
{
	static const struct {
		const char	*json;
		const char	*cause;
	} bad[] = {
		{ "[]", "must be an object" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":1,"
		  "\"timeline\":[{\"at\":0,\"kind\":\"unit\",\"unit\":\"U\","
		  "\"status\":\"out_of_service\"}],\"expect\":[],\"x\":1}",
		  "unknown member \"x\"" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":1,"
		  "\"timeline\":[{\"at\":0,\"kind\":\"boat\"}],"
		  "\"expect\":[]}", "timeline[0].kind: must be" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":1,"
		  "\"timeline\":[{\"at\":5,\"kind\":\"unit\",\"unit\":\"U\","
		  "\"status\":\"available\"},{\"at\":2,\"kind\":\"unit\","
		  "\"unit\":\"U\",\"status\":\"available\"}],\"expect\":[]}",
		  "timeline[1].at: goes back in time" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":1,"
		  "\"timeline\":[{\"at\":0,\"kind\":\"unit\",\"unit\":\"U\","
		  "\"status\":\"available\"}],\"expect\":[{\"id\":\"e\","
		  "\"text\":\"t\",\"on\":\"nope\",\"cmd\":\"ack\","
		  "\"within\":60,\"points\":5}]}", "expect[0].on: no step" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":9,"
		  "\"timeline\":[{\"at\":0,\"kind\":\"unit\",\"unit\":\"U\","
		  "\"status\":\"available\"}],\"expect\":[{\"id\":\"e\","
		  "\"text\":\"t\",\"unit\":\"U\",\"cmd\":\"unit_status\","
		  "\"within\":60,\"points\":5}]}", "pass: 9 is more than" },
		{ "{\"format\":1,\"drill\":\"x\",\"title\":\"t\",\"pass\":1,"
		  "\"timeline\":[{\"at\":0,\"kind\":\"unit\",\"unit\":\"U\","
		  "\"status\":\"available\"}],\"expect\":[{\"id\":\"e\","
		  "\"text\":\"t\",\"unit\":\"U\",\"cmd\":\"fly\","
		  "\"within\":60,\"points\":5}]}", "expect[0].cmd: \"fly\"" },
	};
	struct t_prov	*p;
	struct drill	*d;
	json_t		*j;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_non_null(j = json_loads(bad[i].json, 0, NULL));
		assert_int_equal(drill_parse(j, "f.json", &d, &cause), -1);
		assert_null(d);
		if (strstr(cause, bad[i].cause) == NULL ||
		    strncmp(cause, "f.json: ", 8) != 0)
			fail_msg("%zu: \"%s\", not \"%s\"", i, cause,
			    bad[i].cause);
		free(cause);
		json_decref(j);
	}
	/* The province's checks: an area and a unit it does not have. */
	p = t_prov();
	j = json_loads("{\"format\":1,\"drill\":\"x\",\"title\":\"t\","
	    "\"pass\":1,\"timeline\":[{\"at\":0,\"id\":\"a\",\"kind\":"
	    "\"alert\",\"item\":{\"kind\":\"flood\",\"severity\":3,\"area\":"
	    "\"99999\",\"place\":\"p\",\"source\":\"manual\",\"title\":\"t\"}}],"
	    "\"expect\":[{\"id\":\"e\",\"text\":\"t\",\"on\":\"a\",\"cmd\":"
	    "\"ack\",\"within\":60,\"points\":5}]}", 0, NULL);
	assert_int_equal(drill_parse(j, "f.json", &d, &cause), 0);
	assert_int_equal(drill_check(d, p->st->engine, &cause), -1);
	assert_non_null(strstr(cause, "timeline[0]: no area 99999"));
	free(cause);
	drill_free(d);
	json_decref(j);
	j = json_loads("{\"format\":1,\"drill\":\"x\",\"title\":\"t\","
	    "\"pass\":1,\"timeline\":[{\"at\":0,\"kind\":\"unit\",\"unit\":"
	    "\"NOPE-1\",\"status\":\"out_of_service\"}],\"expect\":[{\"id\":"
	    "\"e\",\"text\":\"t\",\"hospital\":\"BV-DKT\",\"cmd\":\"divert\","
	    "\"within\":60,\"points\":5}]}", 0, NULL);
	assert_int_equal(drill_parse(j, "f.json", &d, &cause), 0);
	assert_int_equal(drill_check(d, p->st->engine, &cause), -1);
	assert_non_null(strstr(cause, "timeline[0]: no unit NOPE-1"));
	free(cause);
	drill_free(d);
	json_decref(j);
	t_prov_free(p);
}

/* The hooks of a shared log, faked: what the test sets and sees. */
static struct {
	int	leader;
	int	seen_step;	/* -1: the event applied is nobody's. */
	int64_t	start;
	int	played[16];	/* Steps playing() was told of. */
	size_t	nplayed;
} t_log;

static int
t_log_start(void *arg, const char *drill, int64_t now, int64_t *start,
    char **cause)
{
	(void)arg;
	(void)drill;
	(void)now;
	(void)cause;
	*start = t_log.start;
	return (1);
}

static int
t_log_leader(void *arg)
{
	(void)arg;
	return (t_log.leader);
}

static void
t_log_playing(void *arg, const char *drill, int step, int64_t start)
{
	(void)arg;
	(void)drill;
	if (step < 0)
		return;
	assert_int_equal(start, t_log.start);
	if (t_log.nplayed < 16)
		t_log.played[t_log.nplayed++] = step;
}

static int
t_log_seen(void *arg, const char *drill, int *step, int64_t *start)
{
	(void)arg;
	assert_string_equal(drill, "yagi-landfall");
	if (t_log.seen_step < 0)
		return (0);
	*step = t_log.seen_step;
	*start = t_log.start;
	return (1);
}

/* How many alerts are titled like step's inject. */
static size_t
t_titled(struct t_prov *p, const struct drill *d, size_t step)
{
	const char	*title;
	size_t		 i, n = 0;

	title = json_string_value(json_object_get(json_object_get(
	    d->steps[step].args, "item"), "title"));
	for (i = 0; i < p->st->store->nalerts; i++) {
		if (strcmp(p->st->store->alerts[i].title, title) == 0)
			n++;
	}
	return (n);
}

/*
 * Test functions:
 *   be_drill_set_hooks, be_drill_start, be_drill_tick, be_drill_event
 *   (over a shared log: a follower plays nothing; an event the log says
 *   step 0 made gives the step's item and moves the timeline on; the
 *   next leader plays the steps after it, overdue ones at once)
 */
static void
test_shared_log(void **state)
{
	static const struct operator	 drill_op = { .name = "drill",
					    .role = OPERATOR_TRAINER };
	struct be_drill_hooks		 h = {
		.start = t_log_start,
		.leader = t_log_leader,
		.playing = t_log_playing,
		.seen = t_log_seen
	};
	struct t_prov			*p;
	struct drill			*d;
	struct be_drill			*bd;
	size_t				 alerts;
	char				 first[MODEL_ID_MAX];

	(void)state;
	clock_set_fixed(T_NOW);
	memset(&t_log, 0, sizeof t_log);
	t_log.seen_step = -1;
	t_log.start = T_NOW - 5 * T_SEC;	/* Another started it. */
	p = t_prov();
	d = t_drill("yagi-landfall.json");
	assert_int_equal(d->steps[0].type, DRILL_STEP_INJECT);
	assert_int_equal(d->steps[1].at, 20 * T_SEC);
	bd = be_drill_new(p->st, d, NULL);
	be_drill_set_hooks(bd, &h);
	be_drill_start(bd, NULL, clock_now());
	assert_non_null(be_drill_run(bd));
	assert_int_equal(drill_run_start(be_drill_run(bd)), t_log.start);

	/* A follower: step 0 is due, and not played here. */
	alerts = p->st->store->nalerts;
	be_drill_tick(bd, clock_now());
	assert_int_equal(t_log.nplayed, 0);
	assert_int_equal(p->st->store->nalerts, alerts);

	/* The leader's inject of step 0 arrives through the log. */
	t_log.seen_step = 0;
	t_cmd(p, &drill_op, "inject", json_incref(d->steps[0].args));
	t_log.seen_step = -1;
	snprintf(first, sizeof first, "%s", t_item(bd, "ack-coto"));
	assert_string_equal(first, p->st->store->alerts[
	    p->st->store->nalerts - 1].id);

	/* The leader died; this one leads at +25 s: step 1 (+20), not 0. */
	t_log.leader = 1;
	clock_advance(20 * T_SEC);
	be_drill_tick(bd, clock_now());
	assert_int_equal(t_log.nplayed, 1);
	assert_int_equal(t_log.played[0], 1);
	assert_int_equal(t_titled(p, d, 0), 1);
	assert_int_equal(t_titled(p, d, 1), 1);
	assert_string_equal(t_item(bd, "ack-coto"), first);
	assert_string_not_equal(t_item(bd, "ack-boat"), "");

	be_drill_free(bd);
	t_prov_free(p);
	clock_set_real();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_k_of_n),
		cmocka_unit_test(test_two_trainees),
		cmocka_unit_test(test_report_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_shared_log),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

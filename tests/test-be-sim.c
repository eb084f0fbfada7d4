/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for the simulated province, its scenarios and the seeded
 * generator: determinism, the school-day rule, the weather, stations and
 * scenarios, and that a province left alone stays busy but bounded.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-auth.h"
#include "be-cmd.h"
#include "be-data.h"
#include "be-msg.h"
#include "be-rng.h"
#include "be-scenario.h"
#include "be-sim.h"
#include "be-state.h"
#include "be-world.h"
#include "clock.h"
#include "engine.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

/* Tuesday 24/11/2026 and Sunday 22/11/2026, 08:00 at UTC+7. */
#define T_SCHOOL	1795482000000LL
#define T_SUNDAY	1795309200000LL
#define T_HOUR		3600000LL

struct t_run {
	uint64_t	 last_seq;
	size_t		 events;
	int		 gaps;	/* Seqs that were not last + 1. */
};

static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_run	*r = arg;

	if (m->seq != r->last_seq + 1)
		r->gaps++;
	r->last_seq = m->seq;
	r->events++;
}

/* A province for a test: the state, its dataset, its simulator. */
struct t_state {
	struct be_state	*state;
	struct store	*store;		/* The state's. */
	struct be_data	*data;
	struct be_sim	*sim;
};

/* A province on the fixture (or on dir when not NULL), seeded. */
static struct t_state *
t_state(uint64_t seed, const char *dir)
{
	struct t_state	*st;
	char		*prov, *texts, *cause = NULL;
	int		 rc;

	st = xcalloc(1, sizeof *st);
	st->state = be_state_new(seed);
	st->store = st->state->store;
	if (dir != NULL)
		rc = be_data_load(dir, st->store, &st->state->rng, &st->data,
		    &cause);
	else {
		xasprintf(&prov, "%s/tests/data/be-province.json",
		    test_srcdir());
		xasprintf(&texts, "%s/tests/data/be-texts.json", test_srcdir());
		rc = be_data_load_files(prov, texts, st->store,
		    &st->state->rng, &st->data, &cause);
		free(prov);
		free(texts);
	}
	if (rc != 0)
		fail_msg("load: %s", cause);
	st->sim = be_sim_new(st->state, st->data);
	return (st);
}

static void
t_free(struct t_state *st)
{
	be_sim_free(st->sim);
	be_data_free(st->data);
	be_state_free(st->state);
	free(st);
}

/* The real dataset's directory (caller frees), or NULL when absent. */
static char *
t_real_data(void)
{
	char	*dir;

	xasprintf(&dir, "%s/data/quangninh", test_srcdir());
	if (access(dir, R_OK) != 0) {
		free(dir);
		return (NULL);
	}
	return (dir);
}

/* Load a scenario (name or path) for st; fails the test on error. */
static void
t_scenario(struct t_state *st, const char *spec, const char *datadir)
{
	struct be_scenario	*sc;
	char			*cause = NULL;

	if (be_scenario_load(st->state->engine, spec, datadir, &sc,
	    &cause) != 0)
		fail_msg("scenario %s: %s", spec, cause);
	be_sim_start_scenario(st->sim, sc);
}

/*
 * Run a province from t0 for n ticks a second apart, optionally
 * dispatching the first new alert at tick n/2 and playing a scenario
 * (a file in tests/data); write the digest.
 */
static void
t_run_scenario(uint64_t seed, int64_t t0, int n, int with_cmd,
    const char *scenario, char digest[17], size_t counts[BE_SIM_STEP_COUNT])
{
	struct t_state	*st;
	struct t_run	 r;
	json_t		*msg, *res;
	size_t		 i, u;
	int		 k;
	char		*path;

	clock_set_fixed(t0);
	st = t_state(seed, NULL);
	memset(&r, 0, sizeof r);
	be_state_listen(st->state, t_on_event, NULL, &r);
	be_sim_initial_day(st->sim);
	if (scenario != NULL) {
		xasprintf(&path, "%s/tests/data/%s", test_srcdir(), scenario);
		t_scenario(st, path, ".");
		free(path);
	}
	for (k = 0; k < n; k++) {
		clock_advance(1000);
		i = be_sim_tick(st->sim);
		if (counts != NULL)
			counts[i]++;
		if (with_cmd && k == n / 2) {
			for (i = 0; i < st->store->nalerts; i++) {
				if (st->store->alerts[i].state == ALERT_NEW)
					break;
			}
			assert_true(i < st->store->nalerts);
			for (u = 0; u < st->store->nunits; u++) {
				if (st->store->units[u].status ==
				    UNIT_AVAILABLE)
					break;
			}
			assert_true(u < st->store->nunits);
			msg = json_pack("{s:s s:s s:s s:{s:s s:[s]}}", "type",
			    "cmd", "id", "t-1", "cmd", "dispatch", "args",
			    "alert", st->store->alerts[i].id, "units",
			    st->store->units[u].id);
			res = be_cmd_exec(st->state, &be_auth_demo, msg);
			assert_true(json_is_true(json_object_get(res, "ok")));
			json_decref(res);
			json_decref(msg);
		}
	}
	assert_int_equal(r.gaps, 0);
	assert_int_equal(r.last_seq, st->store->seq);
	assert_true(r.events > 0);
	store_digest(st->store, digest);
	t_free(st);
	clock_set_real();
}

static void
t_run(uint64_t seed, int64_t t0, int n, int with_cmd, char digest[17],
    size_t counts[BE_SIM_STEP_COUNT])
{
	t_run_scenario(seed, t0, n, with_cmd, NULL, digest, counts);
}

/*
 * Test functions:
 *   be_rng_seed, be_rng_next, be_rng_below, be_rng_range, be_rng_weighted
 */
static void
test_rng(void **state)
{
	struct be_rng	a, b;
	unsigned	w[3] = { 0, 5, 0 };
	int		i, v, differ = 0;

	(void)state;
	be_rng_seed(&a, 99);
	be_rng_seed(&b, 99);
	for (i = 0; i < 100; i++)
		assert_true(be_rng_next(&a) == be_rng_next(&b));
	be_rng_seed(&b, 100);
	for (i = 0; i < 100; i++)
		differ += be_rng_next(&a) != be_rng_next(&b);
	assert_true(differ > 90);
	for (i = 0; i < 1000; i++) {
		v = be_rng_range(&a, -3, 3);
		assert_true(v >= -3 && v <= 3);
		assert_true(be_rng_below(&a, 7) < 7);
		assert_int_equal(be_rng_weighted(&a, w, 3), 1);
	}
	assert_int_equal(be_rng_range(&a, 5, 5), 5);
	w[1] = 0;
	assert_int_equal(be_rng_weighted(&a, w, 3), 3);
}

/*
 * Test functions:
 *   be_sim_school_time
 */
static void
test_school_time(void **state)
{
	(void)state;
	assert_true(be_sim_school_time(T_SCHOOL, 420));
	assert_true(be_sim_school_time(T_SCHOOL + 8 * T_HOUR, 420));
	assert_false(be_sim_school_time(T_SCHOOL + 10 * T_HOUR, 420));
	assert_false(be_sim_school_time(T_SCHOOL - 2 * T_HOUR, 420));
	assert_false(be_sim_school_time(T_SUNDAY, 420));
	/* Saturday is a school day. */
	assert_true(be_sim_school_time(T_SUNDAY - 24 * T_HOUR, 420));
	/* 08:00 at UTC+7 is 01:00 UTC: not school time at UTC+0. */
	assert_false(be_sim_school_time(T_SCHOOL, 0));
}

/*
 * Test functions:
 *   be_sim_initial_day
 */
static void
test_initial_day(void **state)
{
	struct t_state	*st;
	size_t		 i, sev[5] = { 0 };

	(void)state;
	clock_set_fixed(T_SCHOOL);
	st = t_state(5, NULL);
	assert_int_equal(st->store->seq, 0);
	be_sim_initial_day(st->sim);
	assert_true(st->store->seq > 0);
	assert_int_equal(store_open_alerts(st->store, 0), 8);
	assert_int_equal(st->store->nfeedback, 6);
	for (i = 0; i < st->store->nalerts; i++) {
		assert_true(st->store->alerts[i].created <= T_SCHOOL);
		assert_int_equal(st->store->alerts[i].state, ALERT_NEW);
		sev[st->store->alerts[i].severity]++;
	}
	assert_true(sev[1] + sev[2] > 0 && sev[3] + sev[4] > 0);
	for (i = 0; i < st->store->nschools; i++)
		assert_true(st->store->schools[i].present > 0);
	for (i = 0; i < st->store->nfeedback; i++) {
		assert_int_equal(st->store->feedback[i].deadline,
		    engine_feedback_due(st->store->feedback[i].received, 420));
		assert_int_equal(st->store->feedback[i].hist.n, 1);
	}
	for (i = 0; i < st->store->nalerts; i++) {
		assert_int_equal(st->store->alerts[i].hist.n, 1);
		assert_string_equal(history_what(&st->store->alerts[i].hist, 0),
		    "created");
		assert_int_equal(history_ts(&st->store->alerts[i].hist, 0),
		    st->store->alerts[i].created);
	}
	t_free(st);

	/* On a Sunday nobody is at school. */
	clock_set_fixed(T_SUNDAY);
	st = t_state(5, NULL);
	be_sim_initial_day(st->sim);
	for (i = 0; i < st->store->nschools; i++)
		assert_int_equal(st->store->schools[i].present, 0);
	t_free(st);
	clock_set_real();
}

/*
 * Test functions:
 *   be_sim_tick (determinism for a seed, with and without commands)
 */
static void
test_same_seed(void **state)
{
	char	d1[17], d2[17], d3[17], d4[17];

	(void)state;
	t_run(7, T_SCHOOL, 400, 0, d1, NULL);
	t_run(7, T_SCHOOL, 400, 0, d2, NULL);
	assert_string_equal(d1, d2);
	t_run(7, T_SCHOOL, 400, 1, d3, NULL);
	t_run(7, T_SCHOOL, 400, 1, d4, NULL);
	assert_string_equal(d3, d4);
	assert_string_not_equal(d1, d3);
}

/*
 * Test functions:
 *   be_sim_tick (another seed, another province)
 */
static void
test_other_seed(void **state)
{
	char	d1[17], d2[17];

	(void)state;
	t_run(7, T_SCHOOL, 200, 0, d1, NULL);
	t_run(8, T_SCHOOL, 200, 0, d2, NULL);
	assert_string_not_equal(d1, d2);
}

/*
 * Test functions:
 *   be_sim_tick (every kind of step happens on the real dataset, and no
 *   tick is wasted on a refused command; no school steps on Sunday)
 */
static void
test_steps(void **state)
{
	struct t_state	*st;
	size_t		 counts[BE_SIM_STEP_COUNT];
	char		*dir, d[17];
	int		 i, k;

	(void)state;
	if ((dir = t_real_data()) == NULL)
		skip();
	memset(counts, 0, sizeof counts);
	clock_set_fixed(T_SCHOOL);
	st = t_state(11, dir);
	free(dir);
	be_sim_initial_day(st->sim);
	for (k = 0; k < 4 * 3600 / 2; k++) {
		clock_advance(2000);
		counts[be_sim_tick(st->sim)]++;
	}
	for (i = BE_SIM_ALERT; i < BE_SIM_STEP_COUNT; i++) {
		if (i != BE_SIM_SCENARIO && counts[i] == 0)
			fail_msg("step %d never happened", i);
	}
	assert_int_equal(counts[BE_SIM_NOTHING], 0);
	t_free(st);

	memset(counts, 0, sizeof counts);
	t_run(11, T_SUNDAY, 300, 0, d, counts);
	assert_int_equal(counts[BE_SIM_SCHOOL], 0);
	clock_set_real();
}

/*
 * Test functions:
 *   be_sim_tick (bounds hold over a long run on the real dataset)
 */
static void
test_bounds_real_data(void **state)
{
	struct t_state	*st;
	char		*dir;
	size_t		 i, j;
	int		 k;
	struct hospital	*h;
	struct school	*s;

	(void)state;
	if ((dir = t_real_data()) == NULL)
		skip();
	clock_set_fixed(T_SCHOOL);
	st = t_state(3, dir);
	free(dir);
	be_sim_initial_day(st->sim);
	for (k = 0; k < 3000; k++) {
		clock_advance(1000);
		assert_int_not_equal(be_sim_tick(st->sim), BE_SIM_NOTHING);
	}
	for (i = 0; i < st->store->nhospitals; i++) {
		h = &st->store->hospitals[i];
		assert_true(h->beds_used >= 0 && h->beds_used <= h->beds);
		assert_true(h->icu_used >= 0 && h->icu_used <= h->icu);
		assert_true(h->ambulances >= 0 &&
		    h->ambulances <= be_data_fleet(st->data, h->id));
	}
	for (i = 0; i < st->store->nschools; i++) {
		s = &st->store->schools[i];
		assert_true(s->present >= 0 && s->present <= s->enrolled);
	}
	assert_true(store_open_alerts(st->store, 0) <= BE_SIM_MAX_OPEN_ALERTS);
	for (i = 0; i < st->store->nalerts; i++) {
		assert_true(strlen(st->store->alerts[i].title) <
		    PROTO_MAX_TEXT);
		/* A camera or station names the alert's own area. */
		for (j = 0; j < st->data->ncameras; j++) {
			if (strcmp(st->data->cameras[j].name,
			    st->store->alerts[i].place) == 0)
				assert_string_equal(st->data->cameras[j].area,
				    st->store->alerts[i].area);
		}
		for (j = 0; j < st->data->nstations; j++) {
			if (strcmp(st->data->stations[j].name,
			    st->store->alerts[i].place) == 0)
				assert_string_equal(
				    st->data->stations[j].area,
				    st->store->alerts[i].area);
		}
	}
	t_free(st);
	clock_set_real();
}

/* Total attendance of the store's schools. */
static long
t_present(const struct store *s)
{
	size_t	i;
	long	n = 0;

	for (i = 0; i < s->nschools; i++)
		n += s->schools[i].present;
	return (n);
}

/* Tick for ms of simulated time, step ms apart. */
static void
t_ticks(struct t_state *st, int64_t ms, int64_t step)
{
	int64_t	t;

	for (t = 0; t < ms; t += step) {
		clock_advance(step);
		be_sim_tick(st->sim);
	}
}

/*
 * Test functions:
 *   be_sim_school_day, be_sim_tick (attendance only on school days,
 *   reset at night and on Sunday, lower in heavy rain, none in a storm)
 */
static void
test_school_days(void **state)
{
	struct t_state	*st;
	struct be_world	*w;
	long		 clear, wet;
	int		 k;

	(void)state;
	assert_true(be_sim_school_day(T_SCHOOL, 420));
	assert_true(be_sim_school_day(T_SUNDAY - 24 * T_HOUR, 420));
	assert_false(be_sim_school_day(T_SUNDAY, 420));
	assert_false(be_sim_school_day(T_SUNDAY + 15 * T_HOUR, 420));
	assert_true(be_sim_school_day(T_SUNDAY + 17 * T_HOUR, 420));

	/* Saturday 15:00: school. */
	clock_set_fixed(T_SUNDAY - 17 * T_HOUR);
	st = t_state(21, NULL);
	w = be_sim_world(st->sim);
	w->weather = BE_WEATHER_CLEAR;
	w->weather_locked = 1;
	be_sim_initial_day(st->sim);
	assert_true(t_present(st->store) > 0);
	/* Saturday evening keeps the day's figures; Sunday clears them. */
	t_ticks(st, 8 * T_HOUR, 10000);
	assert_true(t_present(st->store) > 0);
	t_ticks(st, 2 * T_HOUR, 10000);		/* Sunday 01:00. */
	assert_int_equal(t_present(st->store), 0);
	for (k = 0; k < 30 * 360 - 1; k++) {	/* To Monday 06:59:50. */
		clock_advance(10000);
		be_sim_tick(st->sim);
		assert_int_equal(t_present(st->store), 0);
	}
	t_ticks(st, 2 * T_HOUR, 10000);		/* Monday 09:00. */
	assert_true(t_present(st->store) > 0);
	t_ticks(st, T_HOUR, 5000);
	clear = t_present(st->store);
	w->weather = BE_WEATHER_HEAVY_RAIN;
	t_ticks(st, 2 * T_HOUR, 5000);
	wet = t_present(st->store);
	assert_true(wet < clear);
	w->weather = BE_WEATHER_STORM;
	t_ticks(st, T_HOUR, 5000);
	assert_int_equal(t_present(st->store), 0);
	w->weather = BE_WEATHER_CLEAR;
	t_ticks(st, T_HOUR, 5000);
	assert_true(t_present(st->store) > wet);
	t_free(st);
	clock_set_real();
}

/*
 * Test functions:
 *   be_sim_tick (feedback comes mostly in office hours; hospitals are
 *   fuller in the evening than late in the morning)
 */
static void
test_time_of_day(void **state)
{
	struct t_state		*st;
	const struct hospital	*h;
	size_t			 i, seen = 0, office = 0, other = 0;
	int64_t			 t0 = T_SCHOOL - 8 * T_HOUR, local;
	int			 k, hour, beds11 = 0, beds20 = 0;

	(void)state;
	clock_set_fixed(t0);		/* Tuesday 00:00. */
	st = t_state(17, NULL);
	be_sim_initial_day(st->sim);
	seen = st->store->nfeedback;
	for (k = 0; k < 24 * 360; k++) {
		clock_advance(10000);
		be_sim_tick(st->sim);
		for (i = seen; i < st->store->nfeedback; i++) {
			local = (st->store->feedback[i].received - t0) /
			    T_HOUR;
			if (local >= 7 && local < 17)
				office++;
			else
				other++;
		}
		seen = st->store->nfeedback;
		hour = (int)((clock_now() - t0) / T_HOUR);
		h = store_hospital(st->store, "BV-A");
		if (hour == 11)
			beds11 = h->beds_used;
		if (hour == 20)
			beds20 = h->beds_used;
	}
	/* Ten office hours, fourteen others. */
	if (office < 2 * other)
		fail_msg("%zu cases in office hours, %zu outside", office,
		    other);
	assert_true(office > 0);
	assert_true(beds20 > beds11);
	t_free(st);
	clock_set_real();
}

/*
 * Run a day from local midnight t0 on the real dataset; returns the cases
 * received from 08:00 to 16:00.
 */
static size_t
t_cases_by_day(struct t_state *st, int64_t t0)
{
	size_t	i, n = 0;

	clock_set_fixed(t0);
	t_ticks(st, 24 * T_HOUR, 10000);
	for (i = 0; i < st->store->nfeedback; i++) {
		if (st->store->feedback[i].received >= t0 + 8 * T_HOUR &&
		    st->store->feedback[i].received < t0 + 16 * T_HOUR)
			n++;
	}
	return (n);
}

/*
 * Test functions:
 *   be_sim_tick on the real dataset (the desk assigns cases to
 *   departments and communes' People's Committees, which pass cases on
 *   and hand them back, every hop to a body that exists; the clocks from
 *   the working time: alerts' bands, cases' rules; fewer cases on a
 *   holiday than on a working day)
 */
static void
test_hand_offs_and_clocks(void **state)
{
	struct t_state		*st;
	const struct feedback	*f;
	const struct alert	*a;
	size_t			 i, j, transfers = 0, returns = 0, communes = 0;
	size_t			 holiday, working;
	char			*dir;

	(void)state;
	if ((dir = t_real_data()) == NULL)
		skip();
	clock_set_fixed(T_SCHOOL + 24 * T_HOUR);	/* Wednesday 08:00. */
	st = t_state(13, dir);
	engine_set_workcal(st->state->engine, st->data->workcal);
	be_sim_initial_day(st->sim);
	t_ticks(st, 10 * T_HOUR, 5000);
	for (i = 0; i < st->store->nfeedback; i++) {
		f = &st->store->feedback[i];
		assert_true(f->deadline > f->received);
		for (j = 0; j < f->hist.n; j++) {
			transfers += strcmp(history_what(&f->hist, j),
			    "transfer") == 0;
			returns += strcmp(history_what(&f->hist, j),
			    "return") == 0 && f->state != FB_RETURNED;
		}
		communes += strncmp(f->dept, BE_DATA_BODY_PREFIX,
		    strlen(BE_DATA_BODY_PREFIX)) == 0;
		if (f->holder[0] != '\0')
			assert_non_null(store_department(st->store,
			    f->holder));
		for (j = 0; j < (size_t)f->nvia; j++)
			assert_non_null(store_department(st->store,
			    f->via[j].body));
	}
	if (transfers == 0 || returns == 0 || communes == 0)
		fail_msg("%zu transfers, %zu hand-backs, %zu at a commune",
		    transfers, returns, communes);
	for (i = 0; i < st->store->nalerts; i++) {
		a = &st->store->alerts[i];
		assert_int_equal(a->deadline, a->due_ack);
		assert_true(a->due_ack > a->created);
		assert_true(a->due_ack <= a->created + 30 * 60000LL);
		if (a->acked_at != 0)
			assert_true(a->acked_at >= a->created);
	}
	t_free(st);

	/* Mùng 1 Tết against an ordinary Tuesday, the same seed. */
	clock_set_fixed(1771261200000LL);	/* 2026-02-17 00:00 UTC+7. */
	st = t_state(13, dir);
	engine_set_workcal(st->state->engine, st->data->workcal);
	holiday = t_cases_by_day(st, 1771261200000LL);
	t_free(st);
	clock_set_fixed(1771866000000LL);	/* 2026-02-24 00:00 UTC+7. */
	st = t_state(13, dir);
	engine_set_workcal(st->state->engine, st->data->workcal);
	working = t_cases_by_day(st, 1771866000000LL);
	t_free(st);
	free(dir);
	if (holiday * 3 >= working)
		fail_msg("%zu cases in the day on Tết, %zu on a working day",
		    holiday, working);
	clock_set_real();
}

/*
 * Test functions:
 *   be_sim_tick, be_sim_start_scenario (determinism with a scenario)
 */
static void
test_scenario_same_seed(void **state)
{
	char	d1[17], d2[17], d3[17], d4[17];

	(void)state;
	t_run_scenario(7, T_SCHOOL, 400, 1, "be-scenario.json", d1, NULL);
	t_run_scenario(7, T_SCHOOL, 400, 1, "be-scenario.json", d2, NULL);
	assert_string_equal(d1, d2);
	t_run_scenario(7, T_SCHOOL, 400, 1, NULL, d3, NULL);
	assert_string_not_equal(d1, d3);
	t_run_scenario(8, T_SCHOOL, 400, 1, "be-scenario.json", d4, NULL);
	assert_string_not_equal(d1, d4);
}

/* The index of the alert with this title, or -1. */
static int
t_has_alert_titled(const struct store *s, const char *title)
{
	size_t	i;

	for (i = 0; i < s->nalerts; i++) {
		if (strcmp(s->alerts[i].title, title) == 0)
			return ((int)i);
	}
	return (-1);
}

/*
 * Test functions:
 *   be_sim_tick (a scenario's steps happen at their offsets, through the
 *   inject command; the world follows its modifiers)
 */
static void
test_scenario_timeline(void **state)
{
	static const char	 title[] = "Nước dâng tràn cầu cảng Cô Tô";
	struct t_state		*st;
	struct be_world		*w;
	const struct alert	*a;
	char			*path;
	size_t			 nfb;
	int			 k, i;

	(void)state;
	clock_set_fixed(T_SCHOOL);
	st = t_state(5, NULL);
	be_sim_initial_day(st->sim);
	w = be_sim_world(st->sim);
	xasprintf(&path, "%s/tests/data/be-scenario.json", test_srcdir());
	t_scenario(st, path, ".");
	free(path);
	be_sim_tick(st->sim);		/* The steps at 0 s. */
	assert_int_equal(w->weather, BE_WEATHER_STORM);
	assert_true(w->weather_locked);
	assert_int_equal(w->hospital_load, 20);
	assert_int_equal(w->alert_rate, 200);
	nfb = st->store->nfeedback;
	for (k = 0; k < 29; k++) {
		clock_advance(1000);
		be_sim_tick(st->sim);
	}
	assert_int_equal(t_has_alert_titled(st->store, title), -1);
	clock_advance(1000);		/* 30 s after the start. */
	assert_int_equal(be_sim_tick(st->sim), BE_SIM_SCENARIO);
	assert_true((i = t_has_alert_titled(st->store, title)) >= 0);
	a = &st->store->alerts[i];
	assert_string_equal(a->area, "CT");
	assert_int_equal(a->severity, 4);
	assert_true(a->exercise);
	assert_int_equal(a->created, T_SCHOOL + 30000);
	assert_string_equal(history_by(&a->hist, 0), "scenario");
	for (k = 0; k < 30; k++) {
		clock_advance(1000);
		be_sim_tick(st->sim);
	}
	assert_true(st->store->nfeedback > nfb);
	for (i = 0; i < (int)st->store->nfeedback; i++) {
		if (strcmp(history_by(&st->store->feedback[i].hist, 0),
		    "scenario") == 0)
			break;
	}
	assert_true(i < (int)st->store->nfeedback);
	assert_string_equal(st->store->feedback[i].area, "HL");
	assert_int_equal(st->store->feedback[i].received, T_SCHOOL + 60000);
	for (k = 0; k < 60; k++) {
		clock_advance(1000);
		be_sim_tick(st->sim);
	}
	assert_false(w->weather_locked);
	assert_int_equal(w->hospital_load, 0);
	assert_int_equal(be_sim_scenario_left(st->sim), 0);
	t_free(st);
	clock_set_real();
}

/*
 * Test functions:
 *   be_scenario_load (the shipped scenarios load against the shipped
 *   province by name, and play to the end)
 */
static void
test_scenario_files(void **state)
{
	static const char *const names[] = {
		"typhoon", "flood", "mass-casualty"
	};
	struct t_state		*st;
	struct be_scenario	*sc;
	char			*dir, *cause = NULL;
	size_t			 i, j, injects, by_scenario;
	int64_t			 end;

	(void)state;
	if ((dir = t_real_data()) == NULL)
		skip();
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		clock_set_fixed(T_SCHOOL);
		st = t_state(9, dir);
		be_sim_initial_day(st->sim);
		if (be_scenario_load(st->state->engine, names[i], dir, &sc, &cause) != 0)
			fail_msg("%s: %s", names[i], cause);
		assert_string_equal(sc->name, names[i]);
		injects = 0;
		for (j = 0; j < sc->nsteps; j++)
			injects += sc->steps[j].inject != NULL;
		assert_true(injects >= 10);
		end = sc->steps[sc->nsteps - 1].at;
		be_sim_start_scenario(st->sim, sc);
		for (j = 0; (int64_t)j * 2000 <= end + 2000; j++) {
			clock_advance(2000);
			assert_int_not_equal(be_sim_tick(st->sim), BE_SIM_NOTHING);
		}
		assert_int_equal(be_sim_scenario_left(st->sim), 0);
		by_scenario = 0;
		for (j = 0; j < st->store->nalerts; j++)
			by_scenario += strcmp(history_by(
			    &st->store->alerts[j].hist, 0), "scenario") == 0;
		for (j = 0; j < st->store->nfeedback; j++)
			by_scenario += strcmp(
			    history_by(&st->store->feedback[j].hist, 0),
			    "scenario") == 0;
		assert_int_equal(by_scenario, injects);
		t_free(st);
	}
	free(dir);
	clock_set_real();
}

/*
 * Test functions:
 *   be_scenario_load (every problem named with file and step)
 */
static void
test_scenario_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "{\"name\":", ":1:" },
		{ "[]", "must be an object" },
		{ "{\"format\":2,\"name\":\"x\",\"timeline\":[{\"at\":0,"
		    "\"weather\":\"rain\"}]}", "format" },
		{ "{\"timeline\":[{\"at\":0,\"weather\":\"rain\"}]}", "name" },
		{ "{\"name\":\"x\",\"timeline\":[]}", "timeline" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"colour\":1}]}",
		    "timeline[0]: unknown member \"colour\"" },
		{ "{\"name\":\"x\",\"timeline\":[{\"weather\":\"rain\"}]}",
		    "timeline[0].at: missing" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":9,\"weather\":"
		    "\"rain\"},{\"at\":3,\"weather\":\"clear\"}]}",
		    "timeline[1].at: 3 goes back in time" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"weather\":"
		    "\"snow\"}]}", "timeline[0].weather" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"hospital_load\":"
		    "99}]}", "timeline[0].hospital_load" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":5}]}",
		    "timeline[0]: does nothing" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"kind\":"
		    "\"alert\"}]}", "needs \"kind\"" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"weather\":"
		    "\"rain\"},{\"at\":1,\"kind\":\"alert\",\"item\":{\"kind\":"
		    "\"fire\",\"severity\":3,\"area\":\"ZZ\",\"place\":\"p\","
		    "\"source\":\"manual\",\"title\":\"t\"}}]}",
		    "timeline[1]: no area ZZ" },
		{ "{\"name\":\"x\",\"timeline\":[{\"at\":0,\"kind\":"
		    "\"alert\",\"item\":{\"kind\":\"fire\",\"severity\":9,"
		    "\"area\":\"HL\",\"place\":\"p\",\"source\":\"manual\","
		    "\"title\":\"t\"}}]}", "severity" },
	};
	struct t_state		*st;
	struct be_scenario	*sc;
	char			 path[] = "/tmp/test-be-sim.XXXXXX";
	char			*cause;
	size_t			 i;
	int			 fd;
	FILE			*f;

	(void)state;
	st = t_state(1, NULL);
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp failed");
	close(fd);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if ((f = fopen(path, "w")) == NULL)
			fail_msg("cannot write %s", path);
		fputs(cases[i].text, f);
		fclose(f);
		cause = NULL;
		sc = (struct be_scenario *)1;
		if (be_scenario_load(st->state->engine, path, ".", &sc, &cause) == 0)
			fail_msg("case %zu loaded", i);
		assert_null(sc);
		assert_non_null(cause);
		if (strstr(cause, cases[i].want) == NULL ||
		    strstr(cause, path) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, cause,
			    cases[i].want);
		free(cause);
	}
	unlink(path);
	assert_int_equal(be_scenario_load(st->state->engine, "no-such-drill", ".", &sc,
	    &cause), -1);
	assert_non_null(strstr(cause, "no scenario \"no-such-drill\""));
	free(cause);
	assert_int_equal(be_scenario_load(st->state->engine, "Bad Name", ".", &sc, &cause),
	    -1);
	assert_non_null(strstr(cause, "bad scenario name"));
	free(cause);
	assert_int_equal(st->store->seq, 0);	/* Nothing was injected. */
	t_free(st);
}

/*
 * Test functions:
 *   be_sim_tick (self-balancing: six hours with no officer at all, the
 *   province keeps making alerts, the field and the simulated colleagues
 *   keep handling them, and open alerts stay bounded)
 */
static void
test_self_balancing(void **state)
{
	struct t_state	*st;
	char		*dir;
	size_t		 i, h, open, max_open = 0, made, before, closed;
	size_t		 busy, fb_closed;
	int		 k;

	(void)state;
	if ((dir = t_real_data()) == NULL)
		skip();
	clock_set_fixed(T_SCHOOL);
	st = t_state(13, dir);
	free(dir);
	be_sim_initial_day(st->sim);
	for (h = 0; h < 6; h++) {
		before = st->store->nalerts;
		for (k = 0; k < 3600; k++) {
			clock_advance(1000);
			assert_int_not_equal(be_sim_tick(st->sim), BE_SIM_NOTHING);
		}
		made = st->store->nalerts - before;
		open = store_open_alerts(st->store, 0);
		if (open > max_open)
			max_open = open;
		/* Still living: new alerts every hour. */
		if (made < 10)
			fail_msg("hour %zu: only %zu new alerts", h, made);
	}
	if (max_open > 45)
		fail_msg("%zu open alerts at most: not balanced", max_open);
	closed = busy = fb_closed = 0;
	for (i = 0; i < st->store->nalerts; i++)
		closed += st->store->alerts[i].state == ALERT_CLOSED;
	assert_true(closed + 45 >= st->store->nalerts);
	for (i = 0; i < st->store->nunits; i++)
		busy += st->store->units[i].status != UNIT_AVAILABLE;
	assert_true(busy * 4 < st->store->nunits);
	for (i = 0; i < st->store->nfeedback; i++)
		fb_closed += st->store->feedback[i].state == FB_CLOSED;
	assert_true(fb_closed > 0);
	t_free(st);
	clock_set_real();
}

/* Counts the colleagues' picking up: ack, dispatch, assign by "sim". */
static void
t_count_colleague(void *arg, struct be_msg *m)
{
	size_t	*n = arg;
	json_t	*ev = json_loads((const char *)be_msg_text(m), 0, NULL);
	const char *by = json_string_value(json_object_get(ev, "by"));
	const char *cmd = json_string_value(json_object_get(ev, "cmd"));

	if (by != NULL && cmd != NULL && strcmp(by, "sim") == 0 &&
	    (strcmp(cmd, "ack") == 0 || strcmp(cmd, "dispatch") == 0 ||
	    strcmp(cmd, "assign") == 0))
		(*n)++;
	json_decref(ev);
}

/* The colleagues' pick-ups in the first minutes of a shift. */
static size_t
t_colleagues(enum be_sim_colleagues how, int minutes)
{
	struct t_state	*st;
	char		*dir;
	size_t		 n = 0;
	int		 k;

	dir = t_real_data();
	clock_set_fixed(T_SCHOOL);
	st = t_state(17, dir);
	free(dir);
	be_sim_set_colleagues(st->sim, how);
	be_sim_initial_day(st->sim);
	be_state_listen(st->state, t_count_colleague, NULL, &n);
	for (k = 0; k < minutes * 60; k++) {
		clock_advance(1000);
		be_sim_tick(st->sim);
	}
	t_free(st);
	clock_set_real();
	return (n);
}

/*
 * Test functions:
 *   be_sim_set_colleagues (off: nobody but the officers picks up alerts
 *   or new cases; slow: fewer than usual at the start of a shift)
 */
static void
test_colleagues(void **state)
{
	size_t	normal, slow, off;

	(void)state;
	if (access("data/quangninh", R_OK) != 0 && t_real_data() == NULL)
		skip();
	normal = t_colleagues(BE_SIM_COLLEAGUES_NORMAL, 10);
	slow = t_colleagues(BE_SIM_COLLEAGUES_SLOW, 10);
	off = t_colleagues(BE_SIM_COLLEAGUES_OFF, 60);
	print_message("colleagues' pick-ups: normal %zu, slow %zu (10 min), "
	    "off %zu (60 min)\n", normal, slow, off);
	assert_true(normal > 0);
	assert_true(slow * 2 < normal);
	assert_int_equal(off, 0);
	assert_int_equal(MODEL_ENUM_PARSE(be_sim_colleagues_names, "slow"),
	    BE_SIM_COLLEAGUES_SLOW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_school_time),
		cmocka_unit_test(test_initial_day),
		cmocka_unit_test(test_same_seed),
		cmocka_unit_test(test_other_seed),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_bounds_real_data),
		cmocka_unit_test(test_school_days),
		cmocka_unit_test(test_time_of_day),
		cmocka_unit_test(test_hand_offs_and_clocks),
		cmocka_unit_test(test_scenario_same_seed),
		cmocka_unit_test(test_scenario_timeline),
		cmocka_unit_test(test_scenario_files),
		cmocka_unit_test(test_scenario_errors),
		cmocka_unit_test(test_self_balancing),
		cmocka_unit_test(test_colleagues),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

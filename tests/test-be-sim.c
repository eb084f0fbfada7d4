/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for the simulated province and the seeded generator. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-cmd.h"
#include "be-data.h"
#include "be-msg.h"
#include "be-rng.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/* Tuesday 24/11/2026 and Sunday 22/11/2026, 08:00 at UTC+7. */
#define T_SCHOOL	1795482000000LL
#define T_SUNDAY	1795309200000LL
#define T_HOUR		3600000LL

struct t_run {
	uint64_t	 last_seq;
	size_t		 events;
	int		 gaps;	/* Seqs that were not last + 1. */
};

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_run	*r = arg;

	if (m->seq != r->last_seq + 1)
		r->gaps++;
	r->last_seq = m->seq;
	r->events++;
}

/* A state on the fixture (or on dir when not NULL), seeded. */
static struct be_state *
t_state(uint64_t seed, const char *dir)
{
	struct be_state	*st;
	struct be_data	*d;
	char		*prov, *texts, *cause = NULL;
	int		 rc;

	st = be_state_new(seed);
	if (dir != NULL)
		rc = be_data_load(dir, st->store, &st->rng, &d, &cause);
	else {
		xasprintf(&prov, "%s/tests/data/be-province.json",
		    t_srcdir());
		xasprintf(&texts, "%s/tests/data/be-texts.json", t_srcdir());
		rc = be_data_load_files(prov, texts, st->store, &st->rng, &d,
		    &cause);
		free(prov);
		free(texts);
	}
	if (rc != 0)
		fail_msg("load: %s", cause);
	be_state_set_data(st, d);
	return (st);
}

/*
 * Run a province from t0 for n ticks a second apart, optionally
 * dispatching the first new alert at tick n/2; write the digest.
 */
static void
t_run(uint64_t seed, int64_t t0, int n, int with_cmd, char digest[17],
    size_t counts[BE_SIM_STEP_COUNT])
{
	struct be_state	*st;
	struct t_run	 r;
	json_t		*msg, *res;
	size_t		 i, u;
	int		 k;

	clock_set_fixed(t0);
	st = t_state(seed, NULL);
	memset(&r, 0, sizeof r);
	be_state_set_event_cb(st, t_on_event, &r);
	be_sim_initial_day(st);
	for (k = 0; k < n; k++) {
		clock_advance(1000);
		i = be_sim_tick(st);
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
			res = be_cmd_exec(st, &be_operator_demo, msg);
			assert_true(json_is_true(json_object_get(res, "ok")));
			json_decref(res);
			json_decref(msg);
		}
	}
	assert_int_equal(r.gaps, 0);
	assert_int_equal(r.last_seq, st->store->seq);
	assert_true(r.events > 0);
	store_digest(st->store, digest);
	be_state_free(st);
	clock_set_real();
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
	struct be_state	*st;
	size_t		 i, sev[5] = { 0 };

	(void)state;
	clock_set_fixed(T_SCHOOL);
	st = t_state(5, NULL);
	assert_int_equal(st->store->seq, 0);
	be_sim_initial_day(st);
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
	for (i = 0; i < st->store->nfeedback; i++)
		assert_int_equal(st->store->feedback[i].deadline -
		    st->store->feedback[i].received, 48 * T_HOUR);
	be_state_free(st);

	/* On a Sunday nobody is at school. */
	clock_set_fixed(T_SUNDAY);
	st = t_state(5, NULL);
	be_sim_initial_day(st);
	for (i = 0; i < st->store->nschools; i++)
		assert_int_equal(st->store->schools[i].present, 0);
	be_state_free(st);
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
 *   be_sim_tick (every kind of step happens; units move on; no school
 *   steps on Sunday)
 */
static void
test_steps(void **state)
{
	size_t	counts[BE_SIM_STEP_COUNT];
	char	d[17];
	int	i;

	(void)state;
	memset(counts, 0, sizeof counts);
	t_run(11, T_SCHOOL, 1500, 1, d, counts);
	for (i = BE_SIM_ALERT; i < BE_SIM_STEP_COUNT; i++) {
		if (counts[i] == 0)
			fail_msg("step %d never happened", i);
	}
	assert_int_equal(counts[BE_SIM_NOTHING], 0);

	memset(counts, 0, sizeof counts);
	t_run(11, T_SUNDAY, 300, 0, d, counts);
	assert_int_equal(counts[BE_SIM_SCHOOL], 0);
}

/*
 * Test functions:
 *   be_sim_tick (bounds hold over a long run on the real dataset)
 */
static void
test_bounds_real_data(void **state)
{
	struct be_state	*st;
	char		*dir;
	size_t		 i, j;
	int		 k;
	struct hospital	*h;
	struct school	*s;

	(void)state;
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (access(dir, R_OK) != 0) {
		free(dir);
		skip();
	}
	clock_set_fixed(T_SCHOOL);
	st = t_state(3, dir);
	free(dir);
	be_sim_initial_day(st);
	for (k = 0; k < 3000; k++) {
		clock_advance(1000);
		assert_int_not_equal(be_sim_tick(st), BE_SIM_NOTHING);
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
	assert_true(store_open_alerts(st->store, 0) <= 40);
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
	be_state_free(st);
	clock_set_real();
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
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

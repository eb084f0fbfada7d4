/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/score.c: a trainee against an officer. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "model.h"
#include "score.h"
#include "xmalloc.h"

#define T0	1796000000000LL

static struct alert *
alert(const char *id, enum alert_state state, enum disposition d)
{
	static struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	a.state = state;
	a.disposition = d;
	return (&a);
}

static struct unit *
unit(const char *id, enum unit_type type, const char *area,
    const char *on)
{
	static struct unit	u;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "%s", id);
	u.type = type;
	snprintf(u.area, sizeof u.area, "%s", area);
	u.status = UNIT_DISPATCHED;
	snprintf(u.alert, sizeof u.alert, "%s", on);
	return (&u);
}

static struct feedback *
feedback(const char *id, enum fb_state state, const char *dept)
{
	static struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	f.state = state;
	snprintf(f.dept, sizeof f.dept, "%s", dept);
	return (&f);
}

static struct hospital *
hospital(const char *id, int diversion)
{
	static struct hospital	h;

	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "%s", id);
	h.diversion = diversion;
	return (&h);
}

/* A dispatch of units (NULL-terminated) to alert id at ts, by who. */
static void
dispatch(struct score *sc, enum score_who who, const char *id, int64_t ts,
    struct unit *const *units)
{
	const struct kind	*ka = kind_get(KIND_ALERT);
	const struct kind	*ku = kind_get(KIND_UNIT);

	score_change(sc, who, ka, alert(id, ALERT_DISPATCHED,
	    DISPOSITION_NONE), "dispatch", ts);
	for (; *units != NULL; units++)
		score_change(sc, who, ku, *units, "dispatch", ts);
}

static json_t *
summary(json_t *o)
{
	return (json_object_get(o, "summary"));
}

static json_int_t
count(json_t *o, const char *name)
{
	json_t	*v = json_object_get(summary(o), name);

	assert_true(json_is_integer(v));
	return (json_integer_value(v));
}

/* The item id of kind in the comparison o. */
static json_t *
item(json_t *o, const char *id)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(json_object_get(o, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "id")),
		    id) == 0)
			return (it);
	}
	fail_msg("no item %s", id);
	return (NULL);
}

/*
 * Test functions:
 *   score_new, score_change, score_actions, score_json, score_free
 */
static void
test_score_actions(void **state)
{
	const struct kind	*ka = kind_get(KIND_ALERT);
	struct score		*sc = score_new();
	struct unit		 u1, u2;
	struct unit		*units[3];
	json_t			*o, *a, *act;

	(void)state;
	u1 = *unit("AMB-1", UNIT_AMBULANCE, "HL", "A-1");
	u2 = *unit("FIR-1", UNIT_FIRE, "HL", "A-1");
	units[0] = &u1;
	units[1] = &u2;
	units[2] = NULL;
	/* The officer: ack A-1, dispatch two units, ack A-2. */
	score_change(sc, SCORE_OFFICER, ka, alert("A-1", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0 + 10000);
	dispatch(sc, SCORE_OFFICER, "A-1", T0 + 60000, units);
	score_change(sc, SCORE_OFFICER, ka, alert("A-2", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0 + 70000);
	/* A dispatch is one action, however many units. */
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 3);
	assert_int_equal(score_changes(sc, SCORE_OFFICER), 5);

	/* The trainee: ack A-1 12 s later, nothing else; ack A-3. */
	score_change(sc, SCORE_TRAINEE, ka, alert("A-1", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0 + 22000);
	score_change(sc, SCORE_TRAINEE, ka, alert("A-3", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0 + 30000);

	o = score_json(sc);
	assert_int_equal(count(o, "officer_actions"), 3);
	assert_int_equal(count(o, "trainee_actions"), 2);
	assert_int_equal(count(o, "matched"), 1);
	assert_int_equal(count(o, "missed"), 2);
	assert_int_equal(count(o, "extra"), 1);
	assert_int_equal(count(o, "items"), 3);
	assert_int_equal(count(o, "items_both"), 1);
	assert_int_equal(count(o, "items_missed"), 1);
	assert_int_equal(count(o, "items_extra"), 1);
	assert_float_equal(json_number_value(json_object_get(summary(o),
	    "agreement_percent")), 100.0 / 3, 1e-9);
	assert_float_equal(json_number_value(json_object_get(summary(o),
	    "ack_delta_s_mean")), 12.0, 1e-9);

	/* Action by action. */
	act = json_array_get(json_object_get(o, "actions"), 0);
	assert_string_equal(json_string_value(json_object_get(act, "match")),
	    "matched");
	assert_float_equal(json_number_value(json_object_get(act, "delta_s")),
	    12.0, 1e-9);
	act = json_array_get(json_object_get(o, "actions"), 1);
	assert_string_equal(json_string_value(json_object_get(act, "cmd")),
	    "dispatch");
	assert_string_equal(json_string_value(json_object_get(act, "id")),
	    "A-1");
	assert_string_equal(json_string_value(json_object_get(act, "match")),
	    "missed");
	act = json_array_get(json_object_get(o, "actions"), 3);
	assert_string_equal(json_string_value(json_object_get(act, "match")),
	    "extra");

	/* Item by item: the officer's units, by type and area. */
	a = item(o, "A-1");
	assert_string_equal(json_string_value(json_object_get(a, "verdict")),
	    "both");
	assert_int_equal(json_array_size(json_object_get(json_object_get(a,
	    "officer"), "units")), 2);
	assert_true(json_is_null(json_object_get(a, "same_unit_types")));
	assert_string_equal(json_string_value(json_object_get(item(o, "A-2"),
	    "verdict")), "missed");
	assert_string_equal(json_string_value(json_object_get(item(o, "A-3"),
	    "verdict")), "extra");
	assert_true(json_is_null(json_object_get(item(o, "A-3"), "officer")));
	json_decref(o);
	score_free(sc);
	score_free(NULL);
}

/*
 * Test functions:
 *   score_json (units: types and areas as multisets; disposition,
 *   department, outcome, diversion)
 */
static void
test_score_alike(void **state)
{
	const struct kind	*ka = kind_get(KIND_ALERT);
	const struct kind	*kf = kind_get(KIND_FEEDBACK);
	const struct kind	*kh = kind_get(KIND_HOSPITAL);
	struct score		*sc = score_new();
	struct unit		 o1, o2, t1, t2;
	struct unit		*ou[3], *tu[3];
	json_t			*o, *a;

	(void)state;
	o1 = *unit("AMB-1", UNIT_AMBULANCE, "HL", "A-1");
	o2 = *unit("FIR-1", UNIT_FIRE, "HL", "A-1");
	/* The same types, in another order; one from another area. */
	t1 = *unit("FIR-2", UNIT_FIRE, "CP", "A-1");
	t2 = *unit("AMB-1", UNIT_AMBULANCE, "HL", "A-1");
	ou[0] = &o1, ou[1] = &o2, ou[2] = NULL;
	tu[0] = &t1, tu[1] = &t2, tu[2] = NULL;
	dispatch(sc, SCORE_OFFICER, "A-1", T0 + 1000, ou);
	dispatch(sc, SCORE_TRAINEE, "A-1", T0 + 6000, tu);
	score_change(sc, SCORE_OFFICER, ka, alert("A-1", ALERT_CLOSED,
	    DISPOSITION_FALSE_ALARM), "close", T0 + 9000);
	score_change(sc, SCORE_TRAINEE, ka, alert("A-1", ALERT_CLOSED,
	    DISPOSITION_DUPLICATE), "close", T0 + 9500);
	score_change(sc, SCORE_OFFICER, kf, feedback("PA-1", FB_ASSIGNED,
	    "SYT"), "assign", T0 + 2000);
	score_change(sc, SCORE_TRAINEE, kf, feedback("PA-1", FB_ASSIGNED,
	    "SYT"), "assign", T0 + 2500);
	score_change(sc, SCORE_OFFICER, kf, feedback("PA-1", FB_RETURNED,
	    "SYT"), "return", T0 + 3000);
	score_change(sc, SCORE_TRAINEE, kf, feedback("PA-1", FB_ANSWERED,
	    "SYT"), "reply", T0 + 3500);
	score_change(sc, SCORE_OFFICER, kh, hospital("H-1", 1), "divert",
	    T0 + 4000);
	score_change(sc, SCORE_TRAINEE, kh, hospital("H-1", 1), "divert",
	    T0 + 4100);

	o = score_json(sc);
	a = item(o, "A-1");
	/* A dispatch was the first action: acknowledged by it. */
	assert_float_equal(json_number_value(json_object_get(a,
	    "ack_delta_s")), 5.0, 1e-9);
	assert_float_equal(json_number_value(json_object_get(a,
	    "dispatch_delta_s")), 5.0, 1e-9);
	assert_true(json_is_true(json_object_get(a, "same_unit_types")));
	assert_true(json_is_false(json_object_get(a, "same_areas")));
	assert_true(json_is_false(json_object_get(a, "same_disposition")));
	a = item(o, "PA-1");
	assert_true(json_is_true(json_object_get(a, "same_dept")));
	assert_true(json_is_false(json_object_get(a, "same_outcome")));
	a = item(o, "H-1");
	assert_true(json_is_true(json_object_get(a, "same_diversion")));
	assert_int_equal(count(o, "items_different"), 2);
	/* return against reply: not the same action. */
	assert_int_equal(count(o, "matched"), 4);
	assert_int_equal(count(o, "missed"), 1);
	assert_int_equal(count(o, "extra"), 1);
	json_decref(o);
	score_free(sc);
}

/*
 * Test functions:
 *   score_change (two commands in one millisecond are two actions),
 *   score_truncate
 */
static void
test_score_group(void **state)
{
	const struct kind	*ka = kind_get(KIND_ALERT);
	const struct kind	*ku = kind_get(KIND_UNIT);
	struct score		*sc = score_new();
	struct unit		 u;
	json_t			*o;

	(void)state;
	score_change(sc, SCORE_OFFICER, ka, alert("A-1", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0);
	score_change(sc, SCORE_OFFICER, ka, alert("A-2", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 2);
	/* A dispatch whose unit changed a millisecond after its alert. */
	score_change(sc, SCORE_OFFICER, ka, alert("A-1", ALERT_DISPATCHED,
	    DISPOSITION_NONE), "dispatch", T0);
	score_change(sc, SCORE_OFFICER, ku, unit("AMB-2", UNIT_AMBULANCE,
	    "HL", "A-1"), "dispatch", T0 + 1);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 3);
	score_truncate(sc, SCORE_OFFICER, 2);
	/* A unit on scene: the unit, then its alert; one action. */
	u = *unit("AMB-1", UNIT_AMBULANCE, "HL", "A-1");
	u.status = UNIT_ON_SCENE;
	score_change(sc, SCORE_OFFICER, ku, &u, "unit_status", T0 + 1);
	score_change(sc, SCORE_OFFICER, ka, alert("A-1", ALERT_ON_SCENE,
	    DISPOSITION_NONE), "unit_status", T0 + 1);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 3);
	o = score_json(sc);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "actions"), 2), "id")), "AMB-1");
	json_decref(o);

	/* Back in time: the last action forgotten, numbering goes on. */
	score_truncate(sc, SCORE_OFFICER, 2);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 2);
	score_truncate(sc, SCORE_OFFICER, 10);
	assert_int_equal(score_changes(sc, SCORE_OFFICER), 2);
	score_change(sc, SCORE_OFFICER, ka, alert("A-3", ALERT_ACKNOWLEDGED,
	    DISPOSITION_NONE), "ack", T0 + 5);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 3);
	score_truncate(sc, SCORE_OFFICER, 0);
	assert_int_equal(score_actions(sc, SCORE_OFFICER), 0);
	o = score_json(sc);
	assert_int_equal(count(o, "officer_actions"), 0);
	assert_true(json_is_null(json_object_get(summary(o),
	    "agreement_percent")));
	json_decref(o);
	score_free(sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_actions),
		cmocka_unit_test(test_score_alike),
		cmocka_unit_test(test_score_group),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

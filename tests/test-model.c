/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/model.c: enum names, ids, copies, histories and the state
 * machines of alerts, units and feedback cases.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xmalloc.h"

/*
 * Test functions:
 *   model_enum_parse
 */
static void
test_enum_parse(void **state)
{
	(void)state;
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "new"),
	    ALERT_NEW);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "closed"),
	    ALERT_CLOSED);
	assert_int_equal(MODEL_ENUM_PARSE(unit_status_names,
	    "out_of_service"), UNIT_OUT_OF_SERVICE);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "New"), -1);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, ""), -1);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, NULL), -1);
}

/*
 * Test functions:
 *   model_id_valid, model_set_code
 */
static void
test_id_valid(void **state)
{
	char	buf[4];

	(void)state;
	assert_true(model_id_valid("A-0012", MODEL_ID_MAX));
	assert_true(model_id_valid("AMB-HL-01", MODEL_ID_MAX));
	assert_true(model_id_valid("123456789012345", MODEL_ID_MAX));
	assert_false(model_id_valid("1234567890123456", MODEL_ID_MAX));
	assert_false(model_id_valid("", MODEL_ID_MAX));
	assert_false(model_id_valid(NULL, MODEL_ID_MAX));
	assert_false(model_id_valid("A 1", MODEL_ID_MAX));
	assert_false(model_id_valid("A\x1b[2J", MODEL_ID_MAX));
	assert_false(model_id_valid("Hạ", MODEL_ID_MAX));
	assert_int_equal(model_set_code(buf, sizeof buf, "HL"), 0);
	assert_string_equal(buf, "HL");
	assert_int_equal(model_set_code(buf, sizeof buf, "ABCD"), -1);
	assert_string_equal(buf, "HL");
}

/*
 * Test functions:
 *   alert_can
 */
static void
test_alert_fsm(void **state)
{
	(void)state;
	assert_true(alert_can(ALERT_NEW, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_ACK));
	assert_true(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_ON_SCENE));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_ON_SCENE));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_RESOLVED, ALERT_DO_CLOSE));
	assert_true(alert_can(ALERT_CLOSED, ALERT_DO_REOPEN));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_CLOSE));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_REOPEN));
	/* Out of range never allows anything. */
	assert_false(alert_can(ALERT_STATE_COUNT, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_ACTION_COUNT));
}

/*
 * Test functions:
 *   alert_copy, alert_clear, alert_has_unit, alert_is_open
 */
static void
test_alert_copy(void **state)
{
	struct alert	a, b;

	(void)state;
	memset(&a, 0, sizeof a);
	strcpy(a.id, "A-1");
	a.title = xstrdup("Cháy nhà dân tại Bãi Cháy");
	a.place = xstrdup("Bãi Cháy");
	strcpy(a.units[a.nunits++], "FIR-HL-01");
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.title, b.title);
	assert_string_equal(a.title, b.title);
	assert_null(b.acked_by);
	assert_true(alert_has_unit(&b, "FIR-HL-01"));
	assert_false(alert_has_unit(&b, "FIR-HL-02"));
	assert_true(alert_is_open(&b));
	b.state = ALERT_RESOLVED;
	assert_false(alert_is_open(&b));
	alert_clear(&a);
	assert_null(a.title);
	assert_string_equal(b.place, "Bãi Cháy");
	alert_clear(&b);
}

/*
 * Test functions:
 *   hospital_status
 */
static void
test_hospital_status(void **state)
{
	struct hospital	h;

	(void)state;
	memset(&h, 0, sizeof h);
	h.beds = 100;
	h.icu = 10;
	h.beds_used = 50;
	assert_int_equal(hospital_status(&h), HOSPITAL_NORMAL);
	h.beds_used = 85;
	assert_int_equal(hospital_status(&h), HOSPITAL_BUSY);
	h.beds_used = 50;
	h.icu_used = 10;
	assert_int_equal(hospital_status(&h), HOSPITAL_CRITICAL);
	h.icu_used = 0;
	h.diversion = 1;
	assert_int_equal(hospital_status(&h), HOSPITAL_CRITICAL);
	h.diversion = 0;
	h.beds = 0;		/* No division by zero. */
	h.icu = 0;
	assert_int_equal(hospital_status(&h), HOSPITAL_NORMAL);
}

/*
 * Test functions:
 *   alert_can (note, escalate, mute, recall)
 */
static void
test_alert_fsm_more(void **state)
{
	int	s;

	(void)state;
	/* A note may be added in every state, even closed. */
	for (s = 0; s < ALERT_STATE_COUNT; s++)
		assert_true(alert_can(s, ALERT_DO_NOTE));
	assert_true(alert_can(ALERT_NEW, ALERT_DO_ESCALATE));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_MUTE));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_ESCALATE));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_MUTE));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_RECALL));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_RECALL));
	assert_false(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_RECALL));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_RESOLVED, ALERT_DO_REOPEN));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_RESOLVE));
}

/*
 * Test functions:
 *   unit_can, unit_is_busy
 */
static void
test_unit_cycle(void **state)
{
	struct unit	u;
	int		s;

	(void)state;
	assert_true(unit_can(UNIT_AVAILABLE, UNIT_DISPATCHED));
	assert_true(unit_can(UNIT_DISPATCHED, UNIT_EN_ROUTE));
	assert_true(unit_can(UNIT_EN_ROUTE, UNIT_ON_SCENE));
	assert_true(unit_can(UNIT_DISPATCHED, UNIT_ON_SCENE));
	assert_true(unit_can(UNIT_ON_SCENE, UNIT_RETURNING));
	assert_true(unit_can(UNIT_RETURNING, UNIT_AVAILABLE));
	assert_true(unit_can(UNIT_OUT_OF_SERVICE, UNIT_AVAILABLE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_ON_SCENE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_EN_ROUTE));
	assert_false(unit_can(UNIT_RETURNING, UNIT_ON_SCENE));
	assert_false(unit_can(UNIT_ON_SCENE, UNIT_EN_ROUTE));
	assert_false(unit_can(UNIT_OUT_OF_SERVICE, UNIT_DISPATCHED));
	/* Only an available unit can be dispatched; nothing stays put. */
	for (s = 0; s < UNIT_STATUS_COUNT; s++) {
		assert_int_equal(unit_can(s, UNIT_DISPATCHED),
		    s == UNIT_AVAILABLE);
		assert_false(unit_can(s, s));
		assert_true(s == UNIT_AVAILABLE || unit_can(s,
		    UNIT_AVAILABLE));
	}
	assert_false(unit_can(UNIT_STATUS_COUNT, UNIT_AVAILABLE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_STATUS_COUNT));
	memset(&u, 0, sizeof u);
	u.status = UNIT_EN_ROUTE;
	assert_true(unit_is_busy(&u));
	u.status = UNIT_RETURNING;
	assert_false(unit_is_busy(&u));
}

/*
 * Test functions:
 *   feedback_can, feedback_is_open
 */
static void
test_feedback_fsm(void **state)
{
	struct feedback	f;

	(void)state;
	assert_true(feedback_can(FB_NEW, FB_DO_ASSIGN));
	assert_true(feedback_can(FB_NEW, FB_DO_RETURN));
	assert_false(feedback_can(FB_NEW, FB_DO_REPLY));
	assert_false(feedback_can(FB_NEW, FB_DO_CLOSE));
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_START));
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_REPLY));
	assert_true(feedback_can(FB_IN_PROGRESS, FB_DO_REPLY));
	assert_false(feedback_can(FB_IN_PROGRESS, FB_DO_START));
	assert_true(feedback_can(FB_ANSWERED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_ANSWERED, FB_DO_REPLY));
	assert_true(feedback_can(FB_RETURNED, FB_DO_ASSIGN));
	assert_true(feedback_can(FB_RETURNED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_CLOSED, FB_DO_ASSIGN));
	assert_false(feedback_can(FB_CLOSED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_STATE_COUNT, FB_DO_ASSIGN));
	assert_false(feedback_can(FB_NEW, FB_DO_ACTION_COUNT));
	/* Only the body holding a case passes it on. */
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_TRANSFER));
	assert_true(feedback_can(FB_IN_PROGRESS, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_NEW, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_ANSWERED, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_RETURNED, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_CLOSED, FB_DO_TRANSFER));
	memset(&f, 0, sizeof f);
	f.state = FB_IN_PROGRESS;
	assert_true(feedback_is_open(&f));
	f.state = FB_RETURNED;
	assert_false(feedback_is_open(&f));
}

/*
 * Test functions:
 *   feedback_copy, feedback_clear, alert_copy, alert_clear (the handler
 *   and the hops are copied deeply)
 */
static void
test_handler_copy(void **state)
{
	struct feedback	f, g;
	struct alert	a, b;

	(void)state;
	memset(&f, 0, sizeof f);
	f.text = xstrdup("Đèn đường hỏng");
	f.handler = xstrdup("minh");
	strcpy(f.holder, "SXD");
	strcpy(f.via[0].body, "UBND.07054");
	f.via[0].deadline = 42;
	f.nvia = 1;
	feedback_copy(&g, &f);
	assert_ptr_not_equal(g.handler, f.handler);
	assert_string_equal(g.handler, "minh");
	assert_string_equal(g.holder, "SXD");
	assert_int_equal(g.nvia, 1);
	assert_string_equal(g.via[0].body, "UBND.07054");
	assert_int_equal(g.via[0].deadline, 42);
	feedback_clear(&f);
	assert_null(f.handler);
	assert_int_equal(f.nvia, 0);
	assert_string_equal(g.handler, "minh");
	feedback_clear(&g);

	memset(&a, 0, sizeof a);
	a.handler = xstrdup("lan");
	a.due_ack = 7;
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.handler, b.handler);
	assert_string_equal(b.handler, "lan");
	assert_int_equal(b.due_ack, 7);
	alert_clear(&a);
	assert_null(a.handler);
	alert_clear(&b);
}

/*
 * Test functions:
 *   alert_clock (the stage clock running, with and without the stage
 *   members of issue 13)
 */
static void
test_alert_clock(void **state)
{
	struct alert	a;
	int64_t		due;

	(void)state;
	memset(&a, 0, sizeof a);
	a.state = ALERT_NEW;
	a.deadline = a.due_ack = 1000;
	a.due_dispatch = 2000;
	a.due_on_scene = 3000;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ACK);
	assert_int_equal(due, 1000);
	/* Acknowledged: the first response's clock stops, dispatch runs. */
	a.state = ALERT_ACKNOWLEDGED;
	a.acked_at = 900;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_DISPATCH);
	assert_int_equal(due, 2000);
	a.state = ALERT_DISPATCHED;
	a.dispatched_at = 1500;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	assert_int_equal(due, 3000);
	/* Recalled before any unit reached the scene: still on scene. */
	a.state = ALERT_ACKNOWLEDGED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	a.state = ALERT_ON_SCENE;
	a.on_scene_at = 2500;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_NONE);
	assert_int_equal(due, 0);
	a.state = ALERT_RESOLVED;
	a.on_scene_at = 0;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_NONE);
	/* A version-1 backend: the deadline is the time to acknowledge,
	 * and the state says which stages are reached. */
	memset(&a, 0, sizeof a);
	a.state = ALERT_NEW;
	a.deadline = 1000;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ACK);
	assert_int_equal(due, 1000);
	a.state = ALERT_ACKNOWLEDGED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_DISPATCH);
	assert_int_equal(due, 0);
	a.state = ALERT_DISPATCHED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	assert_int_equal(due, 0);
}

/*
 * Test functions:
 *   history_add, history_copy, history_clear, alert_copy, alert_clear
 */
static void
test_history(void **state)
{
	struct alert	 a, b;
	struct history	 h;
	char		 text[32];
	int		 i;

	(void)state;
	memset(&a, 0, sizeof a);
	history_add(&a.hist, 10, "op1", "created", NULL);
	history_add(&a.hist, 20, NULL, "note", "Đã gọi 114");
	assert_int_equal(a.hist.n, 2);
	assert_string_equal(a.hist.v[0].by, "op1");
	assert_string_equal(a.hist.v[0].text, "");
	assert_string_equal(a.hist.v[1].by, "");
	assert_string_equal(a.hist.v[1].text, "Đã gọi 114");
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.hist.v, b.hist.v);
	assert_ptr_not_equal(a.hist.v[1].text, b.hist.v[1].text);
	assert_string_equal(b.hist.v[1].what, "note");
	alert_clear(&a);
	assert_int_equal(a.hist.n, 0);
	assert_string_equal(b.hist.v[1].text, "Đã gọi 114");
	alert_clear(&b);

	/* Overflow: the oldest entries fold into one marker in front. */
	memset(&h, 0, sizeof h);
	for (i = 0; i < HISTORY_MAX + 5; i++) {
		snprintf(text, sizeof text, "n%d", i);
		history_add(&h, 1000 + i, "op", "note", text);
		assert_true(h.n <= HISTORY_MAX);
	}
	assert_int_equal(h.n, HISTORY_MAX);
	assert_string_equal(h.v[0].what, "trimmed");
	assert_int_equal(h.v[0].count, 6);
	assert_string_equal(h.v[0].text, "6 earlier entries");
	assert_int_equal(h.v[0].ts, 1005);	/* The newest folded. */
	assert_string_equal(h.v[1].text, "n6");
	assert_string_equal(h.v[HISTORY_MAX - 1].text, "n204");
	history_add(&h, 9999, "op", "close", "resolved");
	assert_int_equal(h.n, HISTORY_MAX);
	assert_int_equal(h.v[0].count, 7);
	assert_string_equal(h.v[1].text, "n7");
	assert_string_equal(h.v[HISTORY_MAX - 1].what, "close");
	history_clear(&h);
	history_clear(&h);	/* Twice is fine. */
	assert_null(h.v);
}

/*
 * Test functions:
 *   alert_remove_unit
 */
static void
test_alert_remove_unit(void **state)
{
	struct alert	a;

	(void)state;
	memset(&a, 0, sizeof a);
	strcpy(a.units[a.nunits++], "U1");
	strcpy(a.units[a.nunits++], "U2");
	strcpy(a.units[a.nunits++], "U3");
	assert_true(alert_remove_unit(&a, "U2"));
	assert_int_equal(a.nunits, 2);
	assert_string_equal(a.units[0], "U1");
	assert_string_equal(a.units[1], "U3");
	assert_string_equal(a.units[2], "");
	assert_false(alert_remove_unit(&a, "U2"));
	assert_true(alert_remove_unit(&a, "U3"));
	assert_true(alert_remove_unit(&a, "U1"));
	assert_int_equal(a.nunits, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_parse),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_alert_fsm),
		cmocka_unit_test(test_alert_copy),
		cmocka_unit_test(test_hospital_status),
		cmocka_unit_test(test_alert_fsm_more),
		cmocka_unit_test(test_unit_cycle),
		cmocka_unit_test(test_feedback_fsm),
		cmocka_unit_test(test_handler_copy),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_alert_clock),
		cmocka_unit_test(test_alert_remove_unit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

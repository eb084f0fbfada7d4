/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/model.c: enum names, ids, copies, the alert state machine. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_parse),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_alert_fsm),
		cmocka_unit_test(test_alert_copy),
		cmocka_unit_test(test_hospital_status),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/operator.c: roles parsed once, areas, what roles may do. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "operator.h"

/*
 * Test functions:
 *   operator_role_parse, operator_role_name
 */
static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(operator_role_parse("supervisor"),
	    OPERATOR_SUPERVISOR);
	assert_int_equal(operator_role_parse("operator"), OPERATOR_OPERATOR);
	assert_int_equal(operator_role_parse("observer"), OPERATOR_OBSERVER);
	assert_int_equal(operator_role_parse("trainer"), OPERATOR_TRAINER);
	assert_int_equal(operator_role_parse("unknown"), OPERATOR_UNKNOWN);
	assert_int_equal(operator_role_parse("Supervisor"), OPERATOR_UNKNOWN);
	assert_int_equal(operator_role_parse(""), OPERATOR_UNKNOWN);
	assert_int_equal(operator_role_parse(NULL), OPERATOR_UNKNOWN);
	assert_string_equal(operator_role_name(OPERATOR_TRAINER), "trainer");
	assert_string_equal(operator_role_name(OPERATOR_ROLE_COUNT),
	    "unknown");
	assert_string_equal(operator_role_name((enum operator_role)-1),
	    "unknown");
}

/*
 * Test functions:
 *   operator_has_area, operator_may_change, operator_may_inject,
 *   operator_may_act_in
 */
static void
test_areas_and_rights(void **state)
{
	static const char *const hl_cp[] = { "HL", "CP" };
	struct operator	op = { .name = "x", .areas = hl_cp, .nareas = 2 };
	struct operator	all = { .name = "y" };
	static const struct {
		enum operator_role	role;
		int			change, inject, in_hl, in_ub;
	} want[] = {
		{ OPERATOR_UNKNOWN,	0, 0, 0, 0 },
		{ OPERATOR_OBSERVER,	0, 0, 0, 0 },
		{ OPERATOR_OPERATOR,	1, 0, 1, 0 },
		{ OPERATOR_TRAINER,	1, 1, 1, 1 },
		{ OPERATOR_SUPERVISOR,	1, 1, 1, 1 },
	};
	size_t	i;

	(void)state;
	assert_true(operator_has_area(&op, "HL"));
	assert_true(operator_has_area(&op, "CP"));
	assert_false(operator_has_area(&op, "UB"));
	assert_true(operator_has_area(&op, ""));
	assert_true(operator_has_area(&op, NULL));
	assert_true(operator_has_area(&all, "UB"));
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		op.role = want[i].role;
		assert_int_equal(operator_may_change(&op), want[i].change);
		assert_int_equal(operator_may_inject(&op), want[i].inject);
		assert_int_equal(operator_may_act_in(&op, "HL"),
		    want[i].in_hl);
		assert_int_equal(operator_may_act_in(&op, "UB"),
		    want[i].in_ub);
	}
	/* An operator without areas acts everywhere. */
	all.role = OPERATOR_OPERATOR;
	assert_true(operator_may_act_in(&all, "UB"));
	all.role = OPERATOR_OBSERVER;
	assert_false(operator_may_act_in(&all, "UB"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_areas_and_rights),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

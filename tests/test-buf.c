/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/buf.c: growable strings. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/*
 * Test functions:
 *   buf_add, buf_adds, buf_addc, buf_printf, buf_str, buf_detach
 */
static void
test_buf_append(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	int		 i;

	(void)state;
	assert_string_equal(buf_str(&b), "");
	buf_adds(&b, "A-0001");
	buf_addc(&b, ',');
	buf_printf(&b, " %s-%04d", "A", 2);
	buf_add(&b, "xyz", 1);
	assert_string_equal(buf_str(&b), "A-0001, A-0002x");
	assert_int_equal(b.len, strlen("A-0001, A-0002x"));
	for (i = 0; i < 10000; i++)
		buf_addc(&b, 'z');
	assert_int_equal(b.len, 15 + 10000);
	assert_true(b.cap >= b.len + 1);
	s = buf_detach(&b);
	assert_int_equal(strlen(s), 15 + 10000);
	assert_null(b.s);
	assert_string_equal(buf_str(&b), "");
	free(s);
	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
}

/*
 * Test functions:
 *   buf_truncate, buf_free
 */
static void
test_buf_truncate(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	buf_adds(&b, "Hạ Long");
	buf_truncate(&b, 100);
	assert_string_equal(buf_str(&b), "Hạ Long");
	buf_truncate(&b, 1);
	assert_string_equal(buf_str(&b), "H");
	buf_free(&b);
	buf_free(&b);
	buf_free(NULL);
	assert_string_equal(buf_str(&b), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append),
		cmocka_unit_test(test_buf_truncate),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

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

/* For test_buf_named: "<name>", and "" for the name "gone". */
static void
named_fill(struct buf *b, const char *name, void *arg)
{
	(*(int *)arg)++;
	if (strcmp(name, "gone") != 0)
		buf_printf(b, "<%s>", name);
}

/*
 * Test functions:
 *   buf_add_named (names replaced, text and odd braces kept, names too
 *   long for the buffer copied as they stand)
 */
static void
test_buf_named(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 longname[64];
	int		 calls = 0;

	(void)state;
	buf_add_named(&b, "{alert} is {state}: {gone}{x}", named_fill,
	    &calls);
	assert_string_equal(buf_str(&b), "<alert> is <state>: <x>");
	assert_int_equal(calls, 4);
	buf_truncate(&b, 0);
	buf_add_named(&b, "a } b { c {unclosed", named_fill, &calls);
	assert_string_equal(buf_str(&b), "a } b { c {unclosed");
	assert_int_equal(calls, 4);
	buf_truncate(&b, 0);
	memset(longname, 'n', sizeof longname);
	memcpy(longname, "{", 1);
	memcpy(longname + 33, "} {ok}", 7);
	buf_add_named(&b, longname, named_fill, &calls);
	assert_int_equal(calls, 5);
	assert_true(strncmp(buf_str(&b), "{nnn", 4) == 0);
	assert_non_null(strstr(buf_str(&b), "} <ok>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append),
		cmocka_unit_test(test_buf_truncate),
		cmocka_unit_test(test_buf_named),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

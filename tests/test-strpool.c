/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/strpool.c: one copy per distinct string, counted, gone
 * with its last reference; its index through growth and removals (runs
 * that close up behind a removed string), ids reused.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"

#define T_N	20000

/*
 * Test functions:
 *   strpool_get, strpool_hold, strpool_put, strpool_str, strpool_count,
 *   strpool_bytes
 */
static void
test_get_put(void **state)
{
	size_t		base = strpool_count(), bytes = strpool_bytes();
	uint32_t	a, b, c, d, e;
	char		big[5000];

	(void)state;
	/* "" is id 0: nothing counted, nothing kept. */
	assert_int_equal(strpool_get("", 0), STRPOOL_EMPTY);
	assert_int_equal(strpool_get("xyz", 0), STRPOOL_EMPTY);
	assert_string_equal(strpool_str(STRPOOL_EMPTY), "");
	strpool_put(STRPOOL_EMPTY);
	assert_int_equal(strpool_count(), base);

	/* The same bytes, the same id; len bytes, not the NUL. */
	a = strpool_get("Hạ Long", strlen("Hạ Long"));
	b = strpool_get("Hạ Long, Bãi Cháy", strlen("Hạ Long"));
	assert_int_equal(a, b);
	assert_string_equal(strpool_str(a), "Hạ Long");
	/* A prefix and an extension are other strings. */
	c = strpool_get("Hạ", strlen("Hạ"));
	d = strpool_get("Hạ Long ", strlen("Hạ Long "));
	assert_int_not_equal(c, a);
	assert_int_not_equal(d, a);
	assert_int_equal(strpool_count(), base + 3);
	assert_int_equal(strpool_bytes(), bytes + strlen("Hạ Long") + 1 +
	    strlen("Hạ") + 1 + strlen("Hạ Long ") + 1);

	/* Counted: the string stays until its last reference goes. */
	strpool_hold(a);
	strpool_put(a);
	strpool_put(b);
	assert_string_equal(strpool_str(a), "Hạ Long");
	strpool_put(a);
	assert_int_equal(strpool_count(), base + 2);
	/* Its id is given again. */
	e = strpool_get("mới", strlen("mới"));
	assert_int_equal(e, a);
	assert_string_equal(strpool_str(e), "mới");

	/* A long text, byte for byte. */
	memset(big, 'x', sizeof big);
	memcpy(big + 1000, "\xe1\xbb\x91", 3);
	a = strpool_get(big, sizeof big);
	assert_int_equal(strlen(strpool_str(a)), sizeof big);
	assert_memory_equal(strpool_str(a), big, sizeof big);
	strpool_put(a);
	strpool_put(c);
	strpool_put(d);
	strpool_put(e);
	assert_int_equal(strpool_count(), base);
	assert_int_equal(strpool_bytes(), bytes);
}

/*
 * Test functions:
 *   strpool_get, strpool_put (the index)
 * Many strings, every other one removed in an order that breaks runs,
 * then all found again; the removed ones come back new.
 */
static void
test_index(void **state)
{
	static uint32_t	ids[T_N];
	size_t		base = strpool_count(), i;
	char		s[32];

	(void)state;
	for (i = 0; i < T_N; i++) {
		snprintf(s, sizeof s, "s%zu", i);
		ids[i] = strpool_get(s, strlen(s));
	}
	assert_int_equal(strpool_count(), base + T_N);
	for (i = 0; i < T_N; i += 2)
		strpool_put(ids[(i * 7919) % T_N & ~(size_t)1]);
	for (i = 0; i < T_N; i += 2)
		ids[i] = 0;
	assert_int_equal(strpool_count(), base + T_N / 2);
	for (i = 1; i < T_N; i += 2) {
		snprintf(s, sizeof s, "s%zu", i);
		assert_int_equal(strpool_get(s, strlen(s)), ids[i]);
		strpool_put(ids[i]);
		assert_string_equal(strpool_str(ids[i]), s);
	}
	for (i = 0; i < T_N; i += 2) {
		snprintf(s, sizeof s, "s%zu", i);
		ids[i] = strpool_get(s, strlen(s));
	}
	assert_int_equal(strpool_count(), base + T_N);
	for (i = 0; i < T_N; i++)
		strpool_put(ids[i]);
	assert_int_equal(strpool_count(), base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_put),
		cmocka_unit_test(test_index),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

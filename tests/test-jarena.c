/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/jarena.c: the trees parsed between jarena_begin() and
 * jarena_end() come from a chunk that is used again once they are gone;
 * a value kept past its message keeps its chunk (set aside) and stays
 * intact through any number of messages after it; large values, and
 * anything once JARENA_ASIDE chunks are set aside, go to malloc();
 * nothing outside begin/end comes from a chunk.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jarena.h"
#include "xmalloc.h"

/* An event much like a hospital reading, with its seq in it. */
static json_t *
t_parse(unsigned seq)
{
	char	 text[512];
	json_t	*v;
	int	 n;

	n = snprintf(text, sizeof text, "{\"type\":\"event\",\"seq\":%u,"
	    "\"kind\":\"hospital.reading\",\"item\":{\"id\":\"H%u\",\"name\":"
	    "\"Bệnh viện Bãi Cháy\",\"area\":\"06673\",\"beds\":350,"
	    "\"beds_used\":%u,\"diversion\":false},\"actor\":\"sim\"}", seq,
	    seq % 22, seq % 350);
	jarena_begin();
	v = json_loadb(text, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	jarena_end();
	assert_non_null(v);
	return (v);
}

/*
 * Test functions:
 *   jarena_install, jarena_begin, jarena_end, jarena_stats
 */
static void
test_reuse(void **state)
{
	struct jarena_stats	 st0, st;
	json_t			*a, *b;
	unsigned		 i;

	(void)state;
	jarena_stats(&st0);
	a = t_parse(1);
	jarena_stats(&st);
	assert_true(st.served > st0.served);
	assert_true(st.live > 0);
	assert_int_equal(st.spilled, st0.spilled);
	json_decref(a);
	jarena_stats(&st);
	assert_int_equal(st.live, 0);

	/* Gone whole: the next tree is cut from the same place. */
	b = t_parse(2);
	assert_ptr_equal(a, b);
	json_decref(b);
	for (i = 0; i < 10000; i++)
		json_decref(t_parse(i));
	jarena_stats(&st);
	assert_int_equal(st.live, 0);
	assert_int_equal(st.aside, 0);
	assert_true(st.chunks <= 2);
}

/*
 * Test functions:
 *   jarena_begin, jarena_end, jarena_stats
 */
static void
test_kept(void **state)
{
	struct jarena_stats	 st;
	json_t			*a, *item, *kept[3];
	unsigned		 i, k;

	(void)state;
	/* A part of a message kept past it (the sync keeps its welcome). */
	a = t_parse(7);
	item = json_incref(json_object_get(a, "item"));
	json_decref(a);
	jarena_stats(&st);
	assert_true(st.live > 0);

	/* Thousands of messages after it: enough to fill its chunk. */
	for (i = 0; i < 20000; i++)
		json_decref(t_parse(1000 + i));
	jarena_stats(&st);
	assert_int_equal(st.aside, 1);
	assert_string_equal(json_string_value(json_object_get(item, "name")),
	    "Bệnh viện Bãi Cháy");
	assert_string_equal(json_string_value(json_object_get(item, "id")),
	    "H7");
	assert_int_equal(json_integer_value(json_object_get(item,
	    "beds_used")), 7);
	json_decref(item);
	jarena_stats(&st);
	assert_int_equal(st.aside, 0);
	assert_int_equal(st.live, 0);

	/* Kept values in more chunks than may be set aside: malloc(). */
	for (k = 0; k < 3; k++) {
		kept[k] = t_parse(k);
		for (i = 0; i < 20000; i++)
			json_decref(t_parse(i));
	}
	jarena_stats(&st);
	assert_int_equal(st.aside, 3);
	for (k = 0; k < 3; k++) {
		assert_int_equal(json_integer_value(json_object_get(kept[k],
		    "seq")), k);
		json_decref(kept[k]);
	}
	jarena_stats(&st);
	assert_int_equal(st.aside, 0);
	assert_int_equal(st.live, 0);
}

/*
 * Test functions:
 *   jarena_begin, jarena_end, jarena_stats, jarena_trim
 */
static void
test_large(void **state)
{
	struct jarena_stats	 st0, st;
	json_t			*v, *o;
	size_t			 i, n = 60000, len, cap;
	char			*big, *s;

	(void)state;
	/* Outside begin/end: malloc(), as without the region. */
	jarena_stats(&st0);
	o = json_pack("{s:s s:i}", "x", "y", "z", 1);
	jarena_stats(&st);
	assert_int_equal(st.served, st0.served);
	json_decref(o);

	/* One large string: malloc(). */
	big = xmalloc(200001);
	memset(big, 'a', 200000);
	big[0] = '"';
	big[199999] = '"';
	big[200000] = '\0';
	jarena_begin();
	v = json_loadb(big, 200000, JSON_DECODE_ANY, NULL);
	jarena_end();
	free(big);
	assert_non_null(v);
	jarena_stats(&st);
	assert_true(st.spilled > st0.spilled);
	json_decref(v);

	/* A message far larger than the chunks: set aside, then malloc(). */
	cap = n * 24 + 16;
	s = xmalloc(cap);
	len = (size_t)snprintf(s, cap, "[");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s{\"i\":%zu}",
		    i == 0 ? "" : ",", i);
	len += (size_t)snprintf(s + len, cap - len, "]");
	jarena_stats(&st0);
	jarena_begin();
	v = json_loadb(s, len, JSON_REJECT_DUPLICATES, NULL);
	jarena_end();
	free(s);
	assert_non_null(v);
	jarena_stats(&st);
	assert_int_equal(st.aside, 4);
	assert_true(st.spilled > st0.spilled);
	assert_int_equal(json_array_size(v), n);
	for (i = 0; i < n; i += 997)
		assert_int_equal(json_integer_value(json_object_get(
		    json_array_get(v, i), "i")), (json_int_t)i);
	json_decref(v);
	jarena_stats(&st);
	assert_int_equal(st.aside, 0);
	assert_int_equal(st.live, 0);
	jarena_trim();
	jarena_stats(&st);
	assert_int_equal(st.chunks, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_large),
	};

	jarena_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

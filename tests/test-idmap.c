/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/idmap.c: ids to positions, against a plain array that is
 * searched the slow way, through growth, removals with compaction, and
 * runs that wrap around the end of the table.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

#define T_MAX	4000

/* The array behind the map: ids by position. */
struct t_arr {
	char	ids[T_MAX][16];
	size_t	n;
};

static const char *
t_key(void *arg, size_t pos)
{
	struct t_arr	*a = arg;

	assert_true(pos < a->n);
	return (a->ids[pos]);
}

static uint64_t
t_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (*x);
}

/* Every id of the array is found where it is; a few others are not. */
static void
t_check(struct idmap *m, struct t_arr *a)
{
	char	id[16];
	size_t	i;

	assert_int_equal(m->n, a->n);
	for (i = 0; i < a->n; i++)
		assert_int_equal(idmap_find(m, a->ids[i], t_key, a), i);
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "none-%zu", i);
		assert_int_equal(idmap_find(m, id, t_key, a), IDMAP_NONE);
	}
}

/* Remove position pos from the array, closing up, as the store does. */
static void
t_remove(struct idmap *m, struct t_arr *a, size_t pos)
{
	size_t	i;

	idmap_remove(m, a->ids[pos], pos);
	for (i = pos + 1; i < a->n; i++) {
		memcpy(a->ids[i - 1], a->ids[i], sizeof a->ids[i]);
		idmap_move(m, a->ids[i - 1], i, i - 1);
	}
	a->n--;
}

/*
 * Test functions:
 *   idmap_init, idmap_add, idmap_find, idmap_clear
 */
static void
test_add_find(void **state)
{
	struct idmap	 m;
	struct t_arr	*a = calloc(1, sizeof *a);
	size_t		 i;

	(void)state;
	idmap_init(&m);
	assert_int_equal(idmap_find(&m, "A-1", t_key, a), IDMAP_NONE);
	for (i = 0; i < T_MAX; i++) {
		snprintf(a->ids[i], sizeof a->ids[i], "A-%04zu", i);
		idmap_add(&m, a->ids[i], i);
		a->n++;
		if (i % 500 == 0)
			t_check(&m, a);
	}
	t_check(&m, a);
	/* At most 70 % full, a power of two. */
	assert_true(m.n * 10 <= m.cap * 7);
	assert_int_equal(m.cap & (m.cap - 1), 0);
	idmap_clear(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.slots);
	assert_int_equal(idmap_find(&m, "A-0001", t_key, a), IDMAP_NONE);
	free(a);
}

/*
 * Test functions:
 *   idmap_remove, idmap_move (random removals and additions against the
 *   array; every state checked)
 */
static void
test_remove_move(void **state)
{
	struct idmap	 m;
	struct t_arr	*a = calloc(1, sizeof *a);
	uint64_t	 x = 88172645463325252ULL;
	size_t		 i, next = 0, step;

	(void)state;
	idmap_init(&m);
	for (step = 0; step < 3000; step++) {
		if (a->n < 50 || (a->n < T_MAX && t_rand(&x) % 3 != 0)) {
			snprintf(a->ids[a->n], sizeof a->ids[a->n], "U%zu",
			    next++);
			idmap_add(&m, a->ids[a->n], a->n);
			a->n++;
		} else
			t_remove(&m, a, t_rand(&x) % a->n);
		if (step % 100 == 0)
			t_check(&m, a);
	}
	t_check(&m, a);
	/* Empty it from the front, then from the back. */
	while (a->n > 200)
		t_remove(&m, a, 0);
	t_check(&m, a);
	while (a->n > 0)
		t_remove(&m, a, a->n - 1);
	t_check(&m, a);
	assert_int_equal(m.n, 0);
	/* It is usable again. */
	for (i = 0; i < 10; i++) {
		snprintf(a->ids[i], sizeof a->ids[i], "again-%zu", i);
		idmap_add(&m, a->ids[i], i);
		a->n++;
	}
	t_check(&m, a);
	idmap_clear(&m);
	free(a);
}

/*
 * Test functions:
 *   idmap_find (probes stay few: about one or two a lookup)
 */
static void
test_probes(void **state)
{
	struct idmap	 m;
	struct t_arr	*a = calloc(1, sizeof *a);
	uint64_t	 before;
	size_t		 i;

	(void)state;
	idmap_init(&m);
	for (i = 0; i < T_MAX; i++) {
		snprintf(a->ids[i], sizeof a->ids[i], "PA-%04zu", i);
		idmap_add(&m, a->ids[i], i);
		a->n++;
	}
	before = m.probes;
	for (i = 0; i < T_MAX; i++)
		assert_int_equal(idmap_find(&m, a->ids[i], t_key, a), i);
	assert_true(m.probes - before < 3 * T_MAX);
	idmap_clear(&m);
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_remove_move),
		cmocka_unit_test(test_probes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for be_state_apply() (backend/be-state.c): the one path by which
 * a journal's replay and a gateway following the JetStream stream
 * (docs/ha.md) apply events another backend decided.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "be-data.h"
#include "be-msg.h"
#include "be-sim.h"
#include "be-state.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

#define T_EVENTS	400

/* Both the deciding and the following state start from the dataset. */
static struct be_state *
t_state(struct be_data **data)
{
	struct be_state	*st = be_state_new(7);

	*data = test_fixture_load(st->store, &st->rng);
	return (st);
}

/* The events as the log keeps them: their text, in order. */
struct t_log {
	char	**text;
	size_t	 n;
	size_t	 published;	/* The follower's listener saw. */
	size_t	 full;		/* ... with the whole item too. */
};

static void
t_keep(void *arg, struct be_msg *m)
{
	struct t_log	*l = arg;

	l->text = xreallocarray(l->text, l->n + 1, sizeof *l->text);
	l->text[l->n++] = xstrdup((const char *)be_msg_text(m));
}

static void
t_seen(void *arg, struct be_msg *m)
{
	struct t_log	*l = arg;

	l->published++;
	if (m->full != NULL)
		l->full++;
}

static int
t_apply(struct be_state *st, const char *text, int publish, char **cause)
{
	json_t	*o = json_loads(text, 0, NULL);
	int	 rc;

	assert_non_null(o);
	rc = be_state_apply(st, o, text, strlen(text), publish, cause);
	json_decref(o);
	return (rc);
}

/*
 * Test functions:
 *   be_state_apply
 */
static void
test_be_apply_follow(void **state)
{
	struct be_data	*d1, *d2;
	struct be_state	*a = t_state(&d1), *b = t_state(&d2);
	struct be_sim	*sim = be_sim_new(a, d1);
	struct t_log	 log = { NULL, 0, 0, 0 };
	char		 da[17], db[17];
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	be_state_listen(a, t_keep, NULL, &log);
	be_state_listen(b, t_seen, NULL, &log);
	be_sim_initial_day(sim);
	for (i = 0; i < T_EVENTS; i++)
		be_sim_tick(sim);
	assert_true(log.n > T_EVENTS / 2);

	/* A gap is refused, nothing changed. */
	assert_int_equal(t_apply(b, log.text[1], 1, &cause), -1);
	assert_non_null(strstr(cause, "does not follow"));
	free(cause);
	cause = NULL;
	assert_int_equal(b->store->seq, 0);
	for (i = 0; i < log.n; i++)
		assert_int_equal(t_apply(b, log.text[i], 1, &cause), 0);
	/* Applied once: again is skipped. */
	assert_int_equal(t_apply(b, log.text[3], 1, &cause), 1);
	assert_int_equal(b->store->seq, a->store->seq);
	store_digest(a->store, da);
	store_digest(b->store, db);
	assert_string_equal(da, db);
	/* The follower's clients got every event, whole for old clients. */
	assert_int_equal(log.published, log.n);
	assert_true(log.full > 0);

	for (i = 0; i < log.n; i++)
		free(log.text[i]);
	free(log.text);
	be_sim_free(sim);
	be_state_free(a);
	be_state_free(b);
	be_data_free(d1);
	be_data_free(d2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_be_apply_follow),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

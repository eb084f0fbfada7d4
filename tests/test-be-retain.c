/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for retention: finished items leave the live state through the
 * engine's sink as "remove" events, into the archive, which pages them;
 * a replica applying the events drops them and keeps the same digest; a
 * restart neither brings them back nor gives their ids again.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-archive.h"
#include "be-auth.h"
#include "be-cmd.h"
#include "be-data.h"
#include "be-journal.h"
#include "be-msg.h"
#include "be-query.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

/* Tuesday 24/11/2026, 08:00 at UTC+7. */
#define T_NOW		1795482000000LL
#define T_MIN		60000LL
#define T_WINDOW	(30 * T_MIN)

static char	t_dir[256];

struct t_state {
	struct be_state	*state;
	struct store	*store;		/* The state's. */
	struct be_data	*data;
	json_t		*events;	/* Every event since, in order. */
};

/* The state's listener: keep every event, as a client would get it. */
static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_state	*st = arg;

	json_array_append_new(st->events, json_loads((const char *)
	    be_msg_text(m), 0, NULL));
}

/* A province on the fixture, no simulation; its archive in dir. */
static struct t_state *
t_state(const char *dir)
{
	struct t_state	*st;
	char		*cause = NULL;

	st = xcalloc(1, sizeof *st);
	st->state = be_state_new(7);
	st->store = st->state->store;
	st->events = json_array();
	st->data = test_fixture_load(st->store, &st->state->rng);
	engine_set_workcal(st->state->engine, st->data->workcal);
	st->state->retention_ms = T_WINDOW;
	if (be_state_open_archive(st->state, dir, &cause) != 0)
		fail_msg("archive: %s", cause);
	be_state_listen(st->state, t_on_event, NULL, st);
	return (st);
}

static void
t_free(struct t_state *st)
{
	be_data_free(st->data);
	be_state_free(st->state);
	json_decref(st->events);
	free(st);
}

/* Run a command as the demo supervisor; fails the test on a refusal. */
static json_t *
t_cmd(struct t_state *st, const char *id, const char *cmd, json_t *args)
{
	json_t	*msg, *res;

	msg = proto_cmd_new(id, cmd, args);
	res = be_cmd_exec(st->state, &be_auth_demo, msg);
	json_decref(msg);
	if (!json_is_true(json_object_get(res, "ok")))
		fail_msg("%s: %s", cmd, json_string_value(json_object_get(res,
		    "message")));
	return (res);
}

/* A new alert in area; its id into id. */
static void
t_alert(struct t_state *st, const char *cid, const char *area, char *id)
{
	json_t	*res;

	res = t_cmd(st, cid, "inject", json_pack("{s:s s:{s:s s:i s:s s:s "
	    "s:s s:s}}", "kind", "alert", "item", "kind", "flood",
	    "severity", 2, "area", area, "place", "x", "source", "sensor",
	    "title", "y"));
	snprintf(id, MODEL_ID_MAX, "%s", json_string_value(json_object_get(
	    res, "item")));
	json_decref(res);
}

static void
t_close(struct t_state *st, const char *cid, const char *id)
{
	json_decref(t_cmd(st, cid, "close", json_pack("{s:s s:s s:s}",
	    "alert", id, "disposition", "false_alarm", "reason", "test")));
}

/* A page of the archive, as the backend answers a client. */
static json_t *
t_page(struct t_state *st, const struct operator *scope, json_t *q)
{
	json_t	*res;

	json_object_set_new(q, "type", json_string("archive"));
	json_object_set_new(q, "id", json_string("q"));
	res = be_query_archive(st->state, scope, q);
	json_decref(q);
	return (res);
}

static int
t_setup(void **state)
{
	(void)state;
	snprintf(t_dir, sizeof t_dir, "%s/test-be-retain.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(t_dir) == NULL)
		return (-1);
	clock_set_fixed(T_NOW);
	return (0);
}

static int
t_teardown(void **state)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	(void)state;
	if ((d = opendir(t_dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", t_dir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(t_dir);
	clock_set_real();
	return (0);
}

/*
 * Test functions:
 *   engine_retire, be_state_retire, be_state_retire_due,
 *   store_apply_event (remove), be_archive_add
 * A closed alert leaves after the window, not before; open work stays; a
 * replica that applies the events drops it and has the backend's digest.
 */
static void
test_retire_closed(void **state)
{
	struct t_state	*st = t_state(NULL);
	struct store	*replica = store_new();
	json_t		*snap, *ev, *item;
	char		 a1[MODEL_ID_MAX], a2[MODEL_ID_MAX];
	char		 a3[MODEL_ID_MAX];
	char		 d1[17], d2[17], *cause = NULL;
	size_t		 i, nopen;

	(void)state;
	snap = store_snapshot(st->store);
	assert_int_equal(store_load_snapshot(replica, snap, STORE_SANITIZE,
	    &cause), 0);
	json_decref(snap);

	t_alert(st, "i1", "HL", a1);
	t_alert(st, "i2", "HL", a2);
	t_alert(st, "i3", "CP", a3);
	t_close(st, "c1", a1);
	clock_advance(10 * T_MIN);
	t_close(st, "c2", a2);
	nopen = store_count(st->store, &kind_table[KIND_ALERT]);

	/* Within the window of both: nothing leaves. */
	clock_advance(T_WINDOW - 10 * T_MIN - 1);
	assert_int_equal(be_state_retire(st->state), 0);
	/* a1's window is over, a2's not yet. */
	clock_advance(1);
	assert_int_equal(be_state_retire(st->state), 1);
	assert_null(store_alert(st->store, a1));
	assert_non_null(store_alert(st->store, a2));
	assert_non_null(store_alert(st->store, a3));
	assert_int_equal(store_count(st->store, &kind_table[KIND_ALERT]),
	    nopen - 1);
	/* Once a minute at most. */
	clock_advance(20 * T_MIN);
	assert_int_equal(be_state_retire_due(st->state), 1);
	assert_null(store_alert(st->store, a2));
	assert_int_equal(be_state_retire_due(st->state), 0);
	assert_non_null(store_alert(st->store, a3));	/* Open work. */
	assert_int_equal(be_archive_count(st->state->archive), 2);

	/* The last event is a remove that carries the item as it was. */
	ev = json_array_get(st->events, json_array_size(st->events) - 1);
	assert_true(json_is_true(json_object_get(ev, "remove")));
	item = json_object_get(ev, "item");
	assert_string_equal(json_string_value(json_object_get(item, "id")),
	    a2);
	assert_string_equal(json_string_value(json_object_get(item,
	    "state")), "closed");
	assert_int_equal(json_integer_value(json_object_get(ev, "seq")),
	    (json_int_t)st->store->seq);

	/* A replica applying every event drops both, digest equal. */
	json_array_foreach(st->events, i, ev) {
		if (store_apply_event(replica, ev, STORE_SANITIZE,
		    &cause) != 0)
			fail_msg("event %zu: %s", i, cause);
	}
	assert_null(store_alert(replica, a1));
	assert_null(store_alert(replica, a2));
	assert_non_null(store_alert(replica, a3));
	store_digest(st->store, d1);
	store_digest(replica, d2);
	assert_string_equal(d1, d2);
	/* A remove of something the replica does not hold is no error. */
	ev = json_deep_copy(ev);
	json_object_set_new(ev, "seq", json_integer((json_int_t)
	    replica->seq + 1));
	assert_int_equal(store_apply_event(replica, ev, STORE_SANITIZE,
	    &cause), 0);
	json_decref(ev);
	store_free(replica);
	t_free(st);
}

/*
 * Test functions:
 *   engine_retire (feedback: closed and returned leave, answered stays),
 *   be_state_retire (-1: never)
 */
static void
test_retire_feedback(void **state)
{
	struct t_state	*st = t_state(NULL);
	struct feedback	*f;
	json_t		*res;
	char		 ids[3][MODEL_ID_MAX];
	size_t		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		char	cid[16];

		snprintf(cid, sizeof cid, "f%zu", i);
		res = t_cmd(st, cid, "inject", json_pack("{s:s s:{s:s s:s "
		    "s:s s:s}}", "kind", "feedback", "item", "channel", "app",
		    "area", "HL", "category", "road", "text", "ổ gà"));
		snprintf(ids[i], MODEL_ID_MAX, "%s", json_string_value(
		    json_object_get(res, "item")));
		json_decref(res);
	}
	json_decref(t_cmd(st, "r0", "return", json_pack("{s:s s:s}", "case",
	    ids[0], "reason", "không thuộc thẩm quyền")));
	json_decref(t_cmd(st, "a1", "assign", json_pack("{s:s s:s}", "case",
	    ids[1], "dept", st->store->depts[0].code)));
	json_decref(t_cmd(st, "p1", "reply", json_pack("{s:s s:s}", "case",
	    ids[1], "text", "đã sửa")));
	f = store_feedback(st->store, ids[1]);
	assert_int_equal(f->state, FB_ANSWERED);

	st->state->retention_ms = -1;
	clock_advance(T_WINDOW * 10);
	assert_int_equal(be_state_retire(st->state), 0);
	st->state->retention_ms = T_WINDOW;
	assert_int_equal(be_state_retire(st->state), 1);
	/* Returned leaves; answered and new stay. */
	assert_null(store_feedback(st->store, ids[0]));
	assert_non_null(store_feedback(st->store, ids[1]));
	assert_non_null(store_feedback(st->store, ids[2]));
	json_decref(t_cmd(st, "x1", "close_case", json_pack("{s:s}", "case",
	    ids[1])));
	clock_advance(T_WINDOW);
	assert_int_equal(be_state_retire(st->state), 1);
	assert_null(store_feedback(st->store, ids[1]));
	t_free(st);
}

/*
 * Test functions:
 *   engine_retire (at most max a pass, oldest first; the rest next time)
 */
static void
test_retire_max(void **state)
{
	struct t_state	*st = t_state(NULL);
	char		 ids[3][MODEL_ID_MAX], cid[16];
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(cid, sizeof cid, "i%d", i);
		t_alert(st, cid, "HL", ids[i]);
		snprintf(cid, sizeof cid, "c%d", i);
		t_close(st, cid, ids[i]);
	}
	clock_advance(T_WINDOW);
	assert_int_equal(engine_retire(st->state->engine, T_WINDOW, 2), 2);
	assert_null(store_alert(st->store, ids[0]));
	assert_null(store_alert(st->store, ids[1]));
	assert_non_null(store_alert(st->store, ids[2]));
	assert_int_equal(engine_retire(st->state->engine, T_WINDOW, 2), 1);
	assert_null(store_alert(st->store, ids[2]));
	assert_int_equal(engine_retire(st->state->engine, T_WINDOW, 2), 0);
	t_free(st);
}

/*
 * Test functions:
 *   be_state_retire, engine_retire, store_remove (a backlog)
 * A store holding 50,000 alerts closed long ago among 50,000 open ones
 * (a backend that was down, or a window made shorter): the backlog leaves
 * in one pass, oldest first, and each removal moves at most one item.
 */
#define T_BACKLOG	50000

static void
test_retire_backlog(void **state)
{
	struct t_state	*st = t_state(NULL);
	struct alert	 a;
	uint64_t	 moves, seq;
	size_t		 i, before;
	json_t		*ev;

	(void)state;
	before = store_count(st->store, &kind_table[KIND_ALERT]);
	for (i = 0; i < 2 * T_BACKLOG; i++) {
		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "B-%zu", i);
		a.kind = ALERT_FIRE;
		a.severity = 2;
		snprintf(a.area, sizeof a.area, "HL");
		a.place = xstrdup("x");
		a.title = xstrdup("y");
		/* Every other one closed, the later ones longer ago. */
		a.state = i % 2 == 0 ? ALERT_CLOSED : ALERT_NEW;
		a.created = a.updated = T_NOW - T_WINDOW - (int64_t)i;
		a.version = 1;
		store_put_alert(st->store, &a);
	}
	moves = st->store->moves;
	seq = st->store->seq;
	assert_int_equal(be_state_retire(st->state), T_BACKLOG);
	assert_int_equal(st->store->seq, seq + T_BACKLOG);
	assert_int_equal(store_count(st->store, &kind_table[KIND_ALERT]),
	    before + T_BACKLOG);
	assert_true(st->store->moves - moves <= T_BACKLOG);
	for (i = 0; i < 2 * T_BACKLOG; i += 2 * T_BACKLOG / 100) {
		snprintf(a.id, sizeof a.id, "B-%zu", i);
		assert_null(store_alert(st->store, a.id));
		snprintf(a.id, sizeof a.id, "B-%zu", i + 1);
		assert_non_null(store_alert(st->store, a.id));
	}
	/* Oldest first: the last closed went first. */
	ev = json_array_get(st->events, json_array_size(st->events) -
	    T_BACKLOG);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    ev, "item"), "id")), "B-99998");
	assert_int_equal(be_state_retire(st->state), 0);
	t_free(st);
}

/*
 * Test functions:
 *   be_archive_query (pages, cursor, kind, time range, scope, bad args)
 */
static void
test_archive_pages(void **state)
{
	struct t_state	*st = t_state(NULL);
	static const char *const cp[] = { "CP" };
	struct operator	 op = { "lan", OPERATOR_OPERATOR, cp, 1 };
	json_t		*res, *items;
	char		 id[MODEL_ID_MAX], cid[16], next[32];
	int64_t		 mid = 0;
	int		 i, n;

	(void)state;
	for (i = 0; i < 7; i++) {
		snprintf(cid, sizeof cid, "i%d", i);
		t_alert(st, cid, i % 2 ? "CP" : "HL", id);
		snprintf(cid, sizeof cid, "c%d", i);
		t_close(st, cid, id);
		clock_advance(T_WINDOW);
		assert_int_equal(be_state_retire(st->state), 1);
		if (i == 3)
			mid = clock_now();
	}
	/* Pages of 3: 3, 3, 1, with a cursor between. */
	res = t_page(st, NULL, json_pack("{s:s s:i}", "kind", "alert",
	    "limit", 3));
	assert_true(json_is_true(json_object_get(res, "ok")));
	assert_int_equal(json_array_size(json_object_get(res, "items")), 3);
	snprintf(next, sizeof next, "%s", json_string_value(json_object_get(
	    res, "next")));
	json_decref(res);
	n = 3;
	while (next[0] != '\0') {
		res = t_page(st, NULL, json_pack("{s:s s:i}", "cursor", next,
		    "limit", 3));
		n += (int)json_array_size(json_object_get(res, "items"));
		next[0] = '\0';
		if (json_object_get(res, "next") != NULL)
			snprintf(next, sizeof next, "%s", json_string_value(
			    json_object_get(res, "next")));
		json_decref(res);
	}
	assert_int_equal(n, 7);

	/* From mid on: the items that left at mid and after. */
	res = t_page(st, NULL, json_pack("{s:I}", "from", (json_int_t)mid));
	items = json_object_get(res, "items");
	assert_int_equal(json_array_size(items), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    items, 0), "ts")), (json_int_t)mid);
	assert_null(json_object_get(res, "next"));
	json_decref(res);
	/* Before mid. */
	res = t_page(st, NULL, json_pack("{s:I}", "to", (json_int_t)mid));
	assert_int_equal(json_array_size(json_object_get(res, "items")), 3);
	json_decref(res);
	/* Feedback: none. */
	res = t_page(st, NULL, json_pack("{s:s}", "kind", "feedback"));
	assert_int_equal(json_array_size(json_object_get(res, "items")), 0);
	json_decref(res);

	/* A scoped operator of CP sees its three. */
	res = t_page(st, &op, json_object());
	items = json_object_get(res, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(json_array_get(items, 0), "item"), "area")), "CP");
	json_decref(res);

	/* Bad members are refused, never fatal. */
	res = t_page(st, NULL, json_pack("{s:s}", "kind", "unit"));
	assert_false(json_is_true(json_object_get(res, "ok")));
	json_decref(res);
	res = t_page(st, NULL, json_pack("{s:s}", "cursor", "99999999"));
	assert_false(json_is_true(json_object_get(res, "ok")));
	json_decref(res);
	res = t_page(st, NULL, json_pack("{s:i}", "limit", 0));
	assert_false(json_is_true(json_object_get(res, "ok")));
	json_decref(res);
	t_free(st);
}

/*
 * Test functions:
 *   be_archive_open (reopened, torn line), be_journal_open (replayed
 *   removes), engine_note_id (an archived id is never given again)
 */
static void
test_restart(void **state)
{
	struct t_state		*st = t_state(t_dir);
	struct be_journal	*j;
	json_t			*res;
	char			 a1[MODEL_ID_MAX], a2[MODEL_ID_MAX];
	char			 d1[17], d2[17], path[512], *cause = NULL;
	FILE			*f;

	(void)state;
	if (be_journal_open(st->state, t_dir, 0, &j, &cause) != 0)
		fail_msg("open: %s", cause);
	t_alert(st, "i1", "HL", a1);
	t_close(st, "c1", a1);
	clock_advance(T_WINDOW);
	assert_int_equal(be_state_retire(st->state), 1);
	assert_int_equal(be_journal_flush(j, &cause), 0);
	store_digest(st->store, d1);
	assert_int_equal(be_journal_close(j, &cause), 0);
	t_free(st);

	/* A torn line at the end of the archive is cut off. */
	snprintf(path, sizeof path, "%s/%s", t_dir, BE_ARCHIVE_FILE);
	assert_non_null(f = fopen(path, "a"));
	fputs("12 34 alert A-9", f);
	fclose(f);

	st = t_state(t_dir);
	assert_int_equal(be_archive_count(st->state->archive), 1);
	if (be_journal_open(st->state, t_dir, 0, &j, &cause) != 0)
		fail_msg("reopen: %s", cause);
	be_state_restored(st->state);
	assert_null(store_alert(st->store, a1));
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(be_archive_count(st->state->archive), 1);
	/* The next alert does not take the archived one's id. */
	t_alert(st, "i2", "HL", a2);
	assert_string_not_equal(a1, a2);
	res = t_page(st, NULL, json_object());
	assert_int_equal(json_array_size(json_object_get(res, "items")), 1);
	json_decref(res);
	assert_int_equal(be_journal_close(j, &cause), 0);
	t_free(st);
}

/*
 * Test functions:
 *   be_journal_open (the archive lost the record: the journal brings it
 *   back)
 */
static void
test_archive_refilled(void **state)
{
	struct t_state		*st = t_state(t_dir);
	struct be_journal	*j;
	char			 a1[MODEL_ID_MAX], path[512], *cause = NULL;

	(void)state;
	if (be_journal_open(st->state, t_dir, 0, &j, &cause) != 0)
		fail_msg("open: %s", cause);
	t_alert(st, "i1", "HL", a1);
	t_close(st, "c1", a1);
	clock_advance(T_WINDOW);
	assert_int_equal(be_state_retire(st->state), 1);
	assert_int_equal(be_journal_flush(j, &cause), 0);
	assert_int_equal(be_journal_close(j, &cause), 0);
	t_free(st);

	snprintf(path, sizeof path, "%s/%s", t_dir, BE_ARCHIVE_FILE);
	assert_int_equal(truncate(path, 0), 0);
	st = t_state(t_dir);
	assert_int_equal(be_archive_count(st->state->archive), 0);
	if (be_journal_open(st->state, t_dir, 0, &j, &cause) != 0)
		fail_msg("reopen: %s", cause);
	assert_int_equal(be_archive_count(st->state->archive), 1);
	assert_int_equal(be_journal_close(j, &cause), 0);
	t_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_retire_closed, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_retire_feedback, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_retire_backlog, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_retire_max, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_archive_pages, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_restart, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_archive_refilled,
		    t_setup, t_teardown),
	};

	log_open("/dev/null", "test-be-retain");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for the backend's commands, without any network. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be-cmd.h"
#include "be-data.h"
#include "be-msg.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/* Tuesday 24/11/2026 08:00 at UTC+7. */
#define T_NOW	1795482000000LL

struct t_ctx {
	struct be_state	*st;
	size_t		 events;
	json_t		*last;		/* Last event, parsed. */
};

static const struct be_operator t_op = { "op1", "operator" };
static const struct be_operator t_observer = { "obs", "observer" };

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_ctx	*t = arg;

	t->events++;
	json_decref(t->last);
	t->last = json_loads((const char *)be_msg_text(m), 0, NULL);
}

/* Emit a fresh alert in state "new" with a known id. */
static void
t_alert(struct t_ctx *t, const char *id)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	a.kind = ALERT_FIRE;
	a.severity = 3;
	snprintf(a.area, sizeof a.area, "HL");
	a.place = xstrdup("Phường Bãi Cháy");
	a.source = SOURCE_CITIZEN;
	a.title = xstrdup("Cháy nhà dân");
	assert_int_equal(be_emit_alert(t->st, &a, NULL, NULL, NULL), 0);
	alert_clear(&a);
}

/* Make sure a unit is available (the loader takes some out of service). */
static void
t_unit_available(struct t_ctx *t, const char *id)
{
	struct unit	u;

	assert_non_null(store_unit(t->st->store, id));
	unit_copy(&u, store_unit(t->st->store, id));
	u.status = UNIT_AVAILABLE;
	u.alert[0] = '\0';
	assert_int_equal(be_emit_unit(t->st, &u, NULL, NULL, NULL), 0);
	unit_clear(&u);
}

static int
t_setup(void **state)
{
	struct t_ctx	*t;
	struct be_data	*d;
	char		*prov, *texts, *cause = NULL;

	log_level = LOG_ERROR;
	clock_set_fixed(T_NOW);
	t = xcalloc(1, sizeof *t);
	t->st = be_state_new(42);
	xasprintf(&prov, "%s/tests/data/be-province.json", t_srcdir());
	xasprintf(&texts, "%s/tests/data/be-texts.json", t_srcdir());
	if (be_data_load_files(prov, texts, t->st->store, &t->st->rng, &d,
	    &cause) != 0)
		fail_msg("fixture: %s", cause);
	free(prov);
	free(texts);
	be_state_set_data(t->st, d);
	t_alert(t, "A-0001");
	t_alert(t, "A-0002");
	t_unit_available(t, "AMB-1");
	t_unit_available(t, "FIRE-1");
	t_unit_available(t, "POL-1");
	be_state_set_event_cb(t->st, t_on_event, t);
	*state = t;
	return (0);
}

static int
t_teardown(void **state)
{
	struct t_ctx	*t = *state;

	json_decref(t->last);
	be_state_free(t->st);
	free(t);
	clock_set_real();
	return (0);
}

/* Run a command; returns the result (caller releases). */
static json_t *
t_cmd(struct t_ctx *t, const struct be_operator *op, const char *id,
    const char *name, const char *args)
{
	json_error_t	 jerr;
	json_t		*a, *msg, *res;

	if ((a = json_loads(args, 0, &jerr)) == NULL)
		fail_msg("bad test args %s: %s", args, jerr.text);
	msg = json_pack("{s:s s:s s:s s:o}", "type", "cmd", "id", id, "cmd",
	    name, "args", a);
	res = be_cmd_exec(t->st, op, msg);
	json_decref(msg);
	assert_non_null(res);
	return (res);
}

static void
t_assert_ok(json_t *res)
{
	if (!json_is_true(json_object_get(res, "ok"))) {
		char *s = json_dumps(res, 0);
		fail_msg("expected ok, got %s", s);
	}
}

static void
t_assert_code(json_t *res, const char *code)
{
	const char	*got;

	got = json_string_value(json_object_get(res, "code"));

	assert_true(json_is_false(json_object_get(res, "ok")));
	assert_non_null(got);
	if (strcmp(got, code) != 0)
		fail_msg("expected %s, got %s: %s", code, got,
		    json_string_value(json_object_get(res, "message")));
	assert_non_null(json_string_value(json_object_get(res, "message")));
}

static const char *
t_message(json_t *res)
{
	return (json_string_value(json_object_get(res, "message")));
}

/*
 * Test functions:
 *   be_cmd_exec (ack), be_emit_alert
 */
static void
test_ack_ok(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;
	json_t		*res;
	uint64_t	 seq0 = t->st->store->seq;

	res = t_cmd(t, &t_op, "c-1", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_ok(res);
	assert_int_equal(t->st->store->seq, seq0 + 1);
	assert_int_equal(json_integer_value(json_object_get(res, "seq")),
	    seq0 + 1);
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_string_equal(a->acked_by, "op1");
	assert_int_equal(a->version, 2);
	assert_int_equal(a->updated, T_NOW);
	assert_int_equal(t->events, 1);
	assert_string_equal(json_string_value(json_object_get(t->last, "by")),
	    "op1");
	assert_string_equal(json_string_value(json_object_get(t->last,
	    "cmd")), "ack");
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (ack: bad_state names the current state)
 */
static void
test_ack_twice(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;

	json_decref(t_cmd(t, &t_op, "c-1", "ack", "{\"alert\":\"A-0001\"}"));
	res = t_cmd(t, &t_op, "c-2", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_code(res, "bad_state");
	assert_non_null(strstr(t_message(res), "acknowledged"));
	assert_int_equal(t->events, 1);
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (dispatch), be_emit_unit
 */
static void
test_dispatch_ok(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;
	struct unit	*u;
	json_t		*res;
	uint64_t	 seq0 = t->st->store->seq;

	res = t_cmd(t, &t_op, "c-1", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"AMB-1\",\"FIRE-1\"],"
	    "\"version\":1}");
	t_assert_ok(res);
	assert_int_equal(t->events, 3);
	assert_int_equal(t->st->store->seq, seq0 + 3);
	assert_int_equal(json_integer_value(json_object_get(res, "seq")),
	    seq0 + 3);
	a = store_alert(t->st->store, "A-0002");
	assert_int_equal(a->state, ALERT_DISPATCHED);
	assert_int_equal(a->nunits, 2);
	assert_true(alert_has_unit(a, "AMB-1"));
	assert_true(alert_has_unit(a, "FIRE-1"));
	u = store_unit(t->st->store, "FIRE-1");
	assert_int_equal(u->status, UNIT_DISPATCHED);
	assert_string_equal(u->alert, "A-0002");
	json_decref(res);

	/* More units to a dispatched alert. */
	res = t_cmd(t, &t_op, "c-2", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"POL-1\"]}");
	t_assert_ok(res);
	assert_int_equal(store_alert(t->st->store, "A-0002")->nunits, 3);
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (dispatch: unit_unavailable, unknown unit)
 */
static void
test_dispatch_unavailable(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;
	size_t		 ev;

	json_decref(t_cmd(t, &t_op, "c-1", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\"]}"));
	ev = t->events;
	res = t_cmd(t, &t_op, "c-2", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"FIRE-1\",\"AMB-1\"]}");
	t_assert_code(res, "unit_unavailable");
	assert_non_null(strstr(t_message(res), "AMB-1"));
	assert_non_null(strstr(t_message(res), "dispatched"));
	/* Nothing applied, not even the available unit. */
	assert_int_equal(t->events, ev);
	assert_int_equal(store_unit(t->st->store, "FIRE-1")->status,
	    UNIT_AVAILABLE);
	assert_int_equal(store_alert(t->st->store, "A-0002")->state,
	    ALERT_NEW);
	json_decref(res);

	res = t_cmd(t, &t_op, "c-3", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"NOPE-9\"]}");
	t_assert_code(res, "not_found");
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (unknown alert)
 */
static void
test_not_found(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;

	res = t_cmd(t, &t_op, "c-1", "ack", "{\"alert\":\"A-9999\"}");
	t_assert_code(res, "not_found");
	assert_non_null(strstr(t_message(res), "A-9999"));
	assert_int_equal(t->events, 0);
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (stale version: both versions in the message)
 */
static void
test_stale_version(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;

	json_decref(t_cmd(t, &t_op, "c-1", "ack",
	    "{\"alert\":\"A-0001\",\"version\":1}"));
	assert_int_equal(store_alert(t->st->store, "A-0001")->version, 2);
	res = t_cmd(t, &t_op, "c-2", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\"],\"version\":1}");
	t_assert_code(res, "stale_version");
	assert_non_null(strstr(t_message(res), "version 1"));
	assert_non_null(strstr(t_message(res), "version 2"));
	assert_int_equal(t->events, 1);
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (a repeated id returns the first result, applies nothing)
 */
static void
test_repeat_id(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*r1, *r2, *r3, *r4;
	uint64_t	 seq;

	r1 = t_cmd(t, &t_op, "c-7", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_ok(r1);
	seq = t->st->store->seq;
	r2 = t_cmd(t, &t_op, "c-7", "ack", "{\"alert\":\"A-0001\"}");
	assert_true(json_equal(r1, r2));
	assert_int_equal(t->st->store->seq, seq);
	assert_int_equal(t->events, 1);

	/* A refusal is remembered too. */
	r3 = t_cmd(t, &t_op, "c-8", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_code(r3, "bad_state");
	r4 = t_cmd(t, &t_op, "c-8", "ack", "{\"alert\":\"A-0001\"}");
	assert_true(json_equal(r3, r4));
	json_decref(r1);
	json_decref(r2);
	json_decref(r3);
	json_decref(r4);
}

/*
 * Test functions:
 *   be_cmd_exec (same id, other payload: conflict)
 */
static void
test_conflict(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;

	json_decref(t_cmd(t, &t_op, "c-9", "ack", "{\"alert\":\"A-0001\"}"));
	res = t_cmd(t, &t_op, "c-9", "ack", "{\"alert\":\"A-0002\"}");
	t_assert_code(res, "conflict");
	assert_int_equal(store_alert(t->st->store, "A-0002")->state,
	    ALERT_NEW);
	assert_int_equal(t->events, 1);
	json_decref(res);
}

/*
 * Test functions:
 *   be_cmd_exec (argument validation)
 */
static void
test_bad_args(void **state)
{
	struct t_ctx	*t = *state;
	static const struct {
		const char	*id;
		const char	*cmd;
		const char	*args;
	} cases[] = {
		{ "b-1", "ack", "{}" },
		{ "b-2", "ack", "{\"alert\":7}" },
		{ "b-3", "ack", "{\"alert\":\"A-0001\",\"extra\":1}" },
		{ "b-4", "ack", "{\"alert\":\"A-0001\",\"version\":0}" },
		{ "b-5", "ack", "{\"alert\":\"A-0001\",\"version\":\"3\"}" },
		{ "b-6", "ack", "{\"alert\":\"A 0001\"}" },
		{ "b-7", "dispatch",
		    "{\"alert\":\"A-0001\",\"units\":\"AMB-1\"}" },
		{ "b-8", "dispatch", "{\"alert\":\"A-0001\",\"units\":[]}" },
		{ "b-9", "dispatch", "{\"alert\":\"A-0001\",\"units\":"
		    "[\"U1\",\"U2\",\"U3\",\"U4\",\"U5\",\"U6\",\"U7\",\"U8\","
		    "\"U9\"]}" },
		{ "b-10", "dispatch", "{\"alert\":\"A-0001\",\"units\":[3]}" },
		{ "b-11", "dispatch", "{\"alert\":\"A-0001\",\"units\":"
		    "[\"AMB-1\",\"AMB-1\"]}" },
		{ "b-12", "dispatch", "{\"units\":[\"AMB-1\"]}" },
		{ "bad id!", "ack", "{\"alert\":\"A-0001\"}" },
		{ "", "ack", "{\"alert\":\"A-0001\"}" },
	};
	json_t	*res;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		res = t_cmd(t, &t_op, cases[i].id, cases[i].cmd,
		    cases[i].args);
		if (json_is_true(json_object_get(res, "ok")))
			fail_msg("case %zu (%s) was accepted", i,
			    cases[i].args);
		t_assert_code(res, "bad_args");
		json_decref(res);
	}
	assert_int_equal(t->events, 0);
	assert_int_equal(store_alert(t->st->store, "A-0001")->state,
	    ALERT_NEW);
}

/*
 * Test functions:
 *   be_cmd_exec (unknown command, observer role)
 */
static void
test_unknown_and_forbidden(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*res;

	res = t_cmd(t, &t_op, "u-1", "explode", "{}");
	t_assert_code(res, "unknown_command");
	json_decref(res);
	res = t_cmd(t, &t_observer, "u-2", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_code(res, "forbidden");
	json_decref(res);
	assert_int_equal(t->events, 0);
}

/*
 * Test functions:
 *   be_cmd_get, be_cmd_digest
 */
static void
test_get_digest(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*msg, *res;
	char		 d1[17], d2[17];

	msg = json_pack("{s:s s:s s:s s:s}", "type", "get", "id", "g1",
	    "kind", "unit", "item", "AMB-1");
	res = be_cmd_get(t->st, msg);
	t_assert_ok(res);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(res, "item"), "id")), "AMB-1");
	json_decref(res);
	json_object_set_new(msg, "item", json_string("AMB-99"));
	res = be_cmd_get(t->st, msg);
	t_assert_code(res, "not_found");
	json_decref(res);
	json_decref(msg);

	msg = json_pack("{s:s s:s}", "type", "digest", "id", "d1");
	res = be_cmd_digest(t->st, msg);
	snprintf(d1, sizeof d1, "%s", json_string_value(json_object_get(res,
	    "digest")));
	json_decref(res);
	json_decref(t_cmd(t, &t_op, "c-1", "ack", "{\"alert\":\"A-0001\"}"));
	res = be_cmd_digest(t->st, msg);
	snprintf(d2, sizeof d2, "%s", json_string_value(json_object_get(res,
	    "digest")));
	assert_int_equal(json_integer_value(json_object_get(res, "seq")),
	    t->st->store->seq);
	assert_string_not_equal(d1, d2);
	json_decref(res);
	json_decref(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ack_ok, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_ack_twice, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_ok, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_unavailable,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_not_found, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_stale_version, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_repeat_id, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_conflict, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_bad_args, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_forbidden,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_get_digest, t_setup,
		    t_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

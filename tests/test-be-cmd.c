/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for the backend's commands, without any network: every command of
 * docs/protocol.md, its success and each refusal (stale version, wrong
 * role, wrong area, bad state, unknown id, repeated id, same id with
 * another payload, malformed arguments, missing reason).
 */

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
#include "be-query.h"
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

/* Tuesday 24/11/2026 08:00 at UTC+7. */
#define T_NOW	1795482000000LL
#define T_HOUR	3600000LL

struct t_ctx {
	struct be_state	*st;
	size_t		 events;
	json_t		*last;		/* Last event, parsed. */
};

static const char *const t_hl[] = { "HL" };
static const char *const t_cp_ct[] = { "CP", "CT" };

static const struct operator t_op = { .name = "op1",
    .role = OPERATOR_OPERATOR };
static const struct operator t_op_hl = { .name = "op-hl",
    .role = OPERATOR_OPERATOR, .areas = t_hl, .nareas = 1 };
static const struct operator t_op_cp = { .name = "op-cp",
    .role = OPERATOR_OPERATOR, .areas = t_cp_ct, .nareas = 2 };
static const struct operator t_observer = { .name = "obs",
    .role = OPERATOR_OBSERVER };
static const struct operator t_trainer = { .name = "tr",
    .role = OPERATOR_TRAINER, .areas = t_hl, .nareas = 1 };
static const struct operator t_super = { .name = "boss",
    .role = OPERATOR_SUPERVISOR, .areas = t_hl, .nareas = 1 };
static const struct operator t_stranger = { .name = "who",
    .role = OPERATOR_UNKNOWN };

static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_ctx	*t = arg;

	t->events++;
	json_decref(t->last);
	t->last = json_loads((const char *)be_msg_text(m), 0, NULL);
}

/* Emit a fresh alert in state "new" with a known id and area. */
static void
t_alert(struct t_ctx *t, const char *id, const char *area)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	a.kind = ALERT_FIRE;
	a.severity = 3;
	snprintf(a.area, sizeof a.area, "%s", area);
	a.place = xstrdup("Phường Bãi Cháy");
	a.source = SOURCE_CITIZEN;
	a.title = xstrdup("Cháy nhà dân");
	assert_int_equal(engine_emit(t->st->engine,
	    kind_get(KIND_ALERT), &a, NULL, NULL, NULL), 0);
	alert_clear(&a);
}

/* Emit a fresh feedback case in state "new". */
static void
t_case(struct t_ctx *t, const char *id, const char *area)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	f.channel = FB_HOTLINE;
	snprintf(f.area, sizeof f.area, "%s", area);
	snprintf(f.category, sizeof f.category, "health");
	f.text = xstrdup("Trạm y tế đóng cửa");
	f.received = T_NOW - T_HOUR;
	f.deadline = T_NOW + 10 * T_HOUR;
	assert_int_equal(engine_emit(t->st->engine,
	    kind_get(KIND_FEEDBACK), &f, NULL, NULL, NULL), 0);
	feedback_clear(&f);
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
	assert_int_equal(engine_emit(t->st->engine,
	    kind_get(KIND_UNIT), &u, NULL, NULL, NULL), 0);
	unit_clear(&u);
}

static int
t_setup(void **state)
{
	struct t_ctx	*t;
	struct be_data	*d;
	size_t		 i;

	log_level = LOG_ERROR;
	clock_set_fixed(T_NOW);
	t = xcalloc(1, sizeof *t);
	t->st = be_state_new(42);
	d = test_fixture_load(t->st->store, &t->st->rng);
	be_data_free(d);
	t_alert(t, "A-0001", "HL");
	t_alert(t, "A-0002", "HL");
	t_alert(t, "A-0003", "CP");
	t_case(t, "PA-0001", "HL");
	t_case(t, "PA-0002", "CP");
	for (i = 0; i < t->st->store->nunits; i++)
		t_unit_available(t, t->st->store->units[i].id);
	be_state_listen(t->st, t_on_event, NULL, t);
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
t_cmd(struct t_ctx *t, const struct operator *op, const char *id,
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

/* Run a command that must succeed. */
static void
t_ok(struct t_ctx *t, const struct operator *op, const char *id,
    const char *name, const char *args)
{
	json_t	*res = t_cmd(t, op, id, name, args);

	t_assert_ok(res);
	json_decref(res);
}

/*
 * A refusal has a reason the engine's table knows, of its code, and the
 * message is the reason's, made from the args.
 */
static void
t_assert_reason(json_t *res)
{
	enum engine_reason	 r;
	json_t			*args = json_object_get(res, "args");
	char			*msg;

	r = engine_reason_find(json_string_value(json_object_get(res,
	    "reason")));
	if (r == ENGINE_R_NONE)
		fail_msg("no known reason in %s", t_message(res));
	assert_string_equal(proto_err_names[engine_reasons[r].code],
	    json_string_value(json_object_get(res, "code")));
	assert_true(json_is_object(args));
	msg = engine_reason_message(r, args);
	assert_string_equal(msg, t_message(res));
	free(msg);
}

/*
 * Run a command that must be refused with code and a message containing
 * want (when not NULL), changing nothing.
 */
static void
t_refused(struct t_ctx *t, const struct operator *op, const char *id,
    const char *name, const char *args, const char *code, const char *want)
{
	json_t		*res;
	uint64_t	 seq = t->st->store->seq;
	size_t		 events = t->events;

	res = t_cmd(t, op, id, name, args);
	if (json_is_true(json_object_get(res, "ok")))
		fail_msg("%s %s was accepted", name, args);
	t_assert_code(res, code);
	t_assert_reason(res);
	if (want != NULL && strstr(t_message(res), want) == NULL)
		fail_msg("%s %s: message \"%s\" lacks \"%s\"", name, args,
		    t_message(res), want);
	if (strchr(t_message(res), '\n') != NULL)
		fail_msg("message is not one line: %s", t_message(res));
	assert_int_equal(t->st->store->seq, seq);
	assert_int_equal(t->events, events);
	json_decref(res);
}

/* The last history entry of an alert. */
static const struct history_entry *
t_last_entry(struct t_ctx *t, const char *id)
{
	static struct history_entry	 e;
	struct alert			*a = store_alert(t->st->store, id);

	assert_non_null(a);
	assert_true(a->hist.n > 0);
	return (history_at(&a->hist, a->hist.n - 1, &e));
}

/*
 * Test functions:
 *   be_cmd_exec (ack), engine_emit
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
 *   be_cmd_exec (dispatch), engine_emit
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
	json_t		*res, *msg;

	json_decref(t_cmd(t, &t_op, "c-9", "ack", "{\"alert\":\"A-0001\"}"));
	res = t_cmd(t, &t_op, "c-9", "ack", "{\"alert\":\"A-0002\"}");
	t_assert_code(res, "conflict");
	t_assert_reason(res);
	assert_string_equal(json_string_value(json_object_get(res, "reason")),
	    "conflict");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    res, "args"), "id")), "c-9");
	assert_int_equal(store_alert(t->st->store, "A-0002")->state,
	    ALERT_NEW);
	assert_int_equal(t->events, 1);
	json_decref(res);

	/* The envelope's own refusals have reasons too. */
	msg = json_pack("{s:s s:s s:s s:{}}", "type", "cmd", "id", "a b",
	    "cmd", "ack", "args");
	res = be_cmd_exec(t->st, &t_op, msg);
	t_assert_reason(res);
	assert_string_equal(json_string_value(json_object_get(res, "reason")),
	    "bad_command_id");
	json_decref(res);
	json_object_set_new(msg, "id", json_string("c-10"));
	json_object_set_new(msg, "args", json_string("x"));
	res = be_cmd_exec(t->st, &t_op, msg);
	t_assert_reason(res);
	assert_string_equal(json_string_value(json_object_get(res, "reason")),
	    "bad_command");
	json_decref(res);
	json_decref(msg);
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
		{ "b-4m", "ack", "{\"alert\":\"A-0001\",\"version\":-1}" },
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
 *   be_cmd_exec (unknown command, observer role, the order of checks)
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
	/* The documented order: bad_args, not_found, forbidden, ... */
	t_refused(t, &t_observer, "u-3", "ack", "{\"alert\":\"A-9999\"}",
	    "not_found", "no alert A-9999");
	t_refused(t, &t_observer, "u-4", "note", "{\"alert\":\"A-0001\"}",
	    "bad_args", NULL);
	json_decref(t_cmd(t, &t_op, "u-5", "close", "{\"alert\":\"A-0002\","
	    "\"disposition\":\"resolved\"}"));
	t_refused(t, &t_op, "u-6", "dispatch", "{\"alert\":\"A-0002\","
	    "\"units\":[\"NOPE-1\"]}", "not_found", "no unit NOPE-1");
}

/*
 * Test functions:
 *   be_query_get, be_query_digest
 */
static void
test_get_digest(void **state)
{
	struct t_ctx	*t = *state;
	json_t		*msg, *res;
	char		 d1[17], d2[17];

	msg = json_pack("{s:s s:s s:s s:s}", "type", "get", "id", "g1",
	    "kind", "unit", "item", "AMB-1");
	res = be_query_get(t->st, msg);
	t_assert_ok(res);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(res, "item"), "id")), "AMB-1");
	json_decref(res);
	json_object_set_new(msg, "item", json_string("AMB-99"));
	res = be_query_get(t->st, msg);
	t_assert_code(res, "not_found");
	json_decref(res);
	json_decref(msg);

	msg = json_pack("{s:s s:s}", "type", "digest", "id", "d1");
	res = be_query_digest(t->st, msg);
	snprintf(d1, sizeof d1, "%s", json_string_value(json_object_get(res,
	    "digest")));
	json_decref(res);
	json_decref(t_cmd(t, &t_op, "c-1", "ack", "{\"alert\":\"A-0001\"}"));
	res = be_query_digest(t->st, msg);
	snprintf(d2, sizeof d2, "%s", json_string_value(json_object_get(res,
	    "digest")));
	assert_int_equal(json_integer_value(json_object_get(res, "seq")),
	    t->st->store->seq);
	assert_string_not_equal(d1, d2);
	json_decref(res);
	json_decref(msg);
}

/*
 * Test functions:
 *   be_cmd_exec (history: every change appends who did what)
 */
static void
test_history_entries(void **state)
{
	struct t_ctx			*t = *state;
	const struct history_entry	*e;

	t_ok(t, &t_op, "h-1", "ack", "{\"alert\":\"A-0001\"}");
	e = t_last_entry(t, "A-0001");
	assert_string_equal(e->what, "ack");
	assert_string_equal(e->by, "op1");
	assert_int_equal(e->ts, T_NOW);
	clock_advance(60000);
	t_ok(t, &t_op, "h-2", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\",\"FIRE-1\"]}");
	e = t_last_entry(t, "A-0001");
	assert_string_equal(e->what, "dispatch");
	assert_string_equal(e->text, "AMB-1, FIRE-1");
	assert_int_equal(e->ts, T_NOW + 60000);
	assert_int_equal(store_alert(t->st->store, "A-0001")->hist.n, 2);
}

/*
 * Test functions:
 *   be_cmd_exec (dispatch: more units on scene; dispatch acknowledges)
 */
static void
test_dispatch_more(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;

	t_ok(t, &t_op, "d-1", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"AMB-1\"]}");
	a = store_alert(t->st->store, "A-0002");
	assert_string_equal(a->acked_by, "op1");
	t_ok(t, &t_op, "d-2", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"on_scene\"}");
	assert_int_equal(store_alert(t->st->store, "A-0002")->state,
	    ALERT_ON_SCENE);
	t_ok(t, &t_op, "d-3", "dispatch",
	    "{\"alert\":\"A-0002\",\"units\":[\"FIRE-1\"]}");
	a = store_alert(t->st->store, "A-0002");
	assert_int_equal(a->state, ALERT_ON_SCENE);	/* Not back. */
	assert_int_equal(a->nunits, 2);
	/* A unit on another alert is not available, and says where. */
	t_refused(t, &t_op, "d-4", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"FIRE-1\"]}",
	    "unit_unavailable", "FIRE-1 is dispatched on A-0002");
}

/*
 * Test functions:
 *   be_cmd_exec (unit_status: the cycle, the alert following its units)
 */
static void
test_unit_status(void **state)
{
	struct t_ctx	*t = *state;
	struct unit	*u;
	struct alert	*a;

	t_refused(t, &t_op, "u-0", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"on_scene\"}", "bad_state",
	    "AMB-1 is available: dispatch it first");
	t_refused(t, &t_op, "u-00", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"available\"}", "bad_state",
	    "AMB-1 is already available");
	t_ok(t, &t_op, "u-1", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\",\"FIRE-1\"]}");
	t_ok(t, &t_op, "u-2", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"en_route\",\"version\":3}");
	u = store_unit(t->st->store, "AMB-1");
	assert_int_equal(u->status, UNIT_EN_ROUTE);
	assert_string_equal(u->alert, "A-0001");
	assert_string_equal(json_string_value(json_object_get(t->last,
	    "cmd")), "unit_status");
	/* En route does not change the alert. */
	assert_int_equal(store_alert(t->st->store, "A-0001")->state,
	    ALERT_DISPATCHED);
	t_refused(t, &t_op, "u-3", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"en_route\"}", "bad_state",
	    "already en_route");
	t_ok(t, &t_op, "u-4", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"on_scene\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_ON_SCENE);
	assert_string_equal(t_last_entry(t, "A-0001")->text,
	    "AMB-1 on scene");
	t_refused(t, &t_op, "u-5", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"en_route\"}", "bad_state",
	    "AMB-1 is on_scene: it cannot go en_route");
	t_ok(t, &t_op, "u-6", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"returning\"}");
	assert_string_equal(store_unit(t->st->store, "AMB-1")->alert,
	    "A-0001");
	t_refused(t, &t_op, "u-7", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"on_scene\"}", "bad_state",
	    "returning");
	/* Available: unbound, and off the open alert. */
	t_ok(t, &t_op, "u-8", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"available\"}");
	u = store_unit(t->st->store, "AMB-1");
	assert_int_equal(u->status, UNIT_AVAILABLE);
	assert_string_equal(u->alert, "");
	a = store_alert(t->st->store, "A-0001");
	assert_false(alert_has_unit(a, "AMB-1"));
	assert_int_equal(a->state, ALERT_ON_SCENE);	/* FIRE-1 is on it. */
	/* The last unit breaking down sends the alert back. */
	t_ok(t, &t_op, "u-9", "unit_status",
	    "{\"unit\":\"FIRE-1\",\"status\":\"out_of_service\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->nunits, 0);
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_string_equal(t_last_entry(t, "A-0001")->text,
	    "FIRE-1 released (out_of_service)");
	t_refused(t, &t_op, "u-10", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"FIRE-1\"]}",
	    "unit_unavailable", "out_of_service");
	t_refused(t, &t_op, "u-11", "unit_status",
	    "{\"unit\":\"FIRE-1\",\"status\":\"on_scene\"}", "bad_state",
	    "out of service: make it available first");
	t_ok(t, &t_op, "u-12", "unit_status",
	    "{\"unit\":\"FIRE-1\",\"status\":\"available\"}");
	t_refused(t, &t_op, "u-13", "unit_status",
	    "{\"unit\":\"AMB-9\",\"status\":\"available\"}", "not_found",
	    "no unit AMB-9");
	t_refused(t, &t_op, "u-14", "unit_status",
	    "{\"unit\":\"FIRE-1\",\"status\":\"available\",\"version\":1}",
	    "stale_version", "you saw version 1");
}

/*
 * Test functions:
 *   be_cmd_exec (note, escalate, mute)
 */
static void
test_note_escalate_mute(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;
	int		 i;
	char		 id[16];

	t_ok(t, &t_op, "n-1", "note",
	    "{\"alert\":\"A-0001\",\"text\":\"Gọi lại cho người báo\\n"
	    "lúc 8:05\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_NEW);
	assert_int_equal(a->version, 2);
	assert_string_equal(t_last_entry(t, "A-0001")->text,
	    "Gọi lại cho người báo\nlúc 8:05");
	assert_string_equal(t_last_entry(t, "A-0001")->what, "note");
	for (i = 1; i <= ALERT_MAX_ESCALATION; i++) {
		snprintf(id, sizeof id, "e-%d", i);
		t_ok(t, &t_op, id, "escalate", "{\"alert\":\"A-0001\"}");
	}
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->escalation, ALERT_MAX_ESCALATION);
	assert_string_equal(t_last_entry(t, "A-0001")->text, "level 5");
	t_refused(t, &t_op, "e-6", "escalate", "{\"alert\":\"A-0001\"}",
	    "bad_state", "highest escalation level (5)");

	t_ok(t, &t_op, "m-1", "mute", "{\"alert\":\"A-0001\",\"minutes\":30}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->muted_until, T_NOW + 30 * 60000);
	assert_int_equal(a->state, ALERT_NEW);
	assert_true(alert_is_open(a));
	t_refused(t, &t_op, "m-2", "mute",
	    "{\"alert\":\"A-0001\",\"minutes\":0}", "bad_args", "1 to 240");
	t_refused(t, &t_op, "m-3", "mute",
	    "{\"alert\":\"A-0001\",\"minutes\":241}", "bad_args", NULL);
	t_ok(t, &t_op, "m-4", "close", "{\"alert\":\"A-0001\","
	    "\"disposition\":\"duplicate\",\"reason\":\"A-0002\"}");
	assert_int_equal(store_alert(t->st->store, "A-0001")->muted_until, 0);
	t_refused(t, &t_op, "m-5", "mute",
	    "{\"alert\":\"A-0001\",\"minutes\":5}", "bad_state",
	    "A-0001 is closed: reopen it first");
	t_refused(t, &t_op, "m-6", "escalate", "{\"alert\":\"A-0001\"}",
	    "bad_state", "reopen it first");
	/* A note is fine on a closed alert. */
	t_ok(t, &t_op, "n-2", "note",
	    "{\"alert\":\"A-0001\",\"text\":\"Đã báo cáo lãnh đạo\"}");
	t_refused(t, &t_op, "n-3", "note", "{\"alert\":\"A-0001\","
	    "\"text\":\"\"}", "bad_args", "must not be empty");
}

/*
 * Test functions:
 *   be_cmd_exec (resolve, close, reopen; units released)
 */
static void
test_resolve_close_reopen(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;

	t_ok(t, &t_op, "r-1", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\",\"POL-1\"]}");
	t_ok(t, &t_op, "r-2", "unit_status",
	    "{\"unit\":\"AMB-1\",\"status\":\"on_scene\"}");
	t_ok(t, &t_op, "r-3", "resolve",
	    "{\"alert\":\"A-0001\",\"text\":\"Đã dập tắt\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_RESOLVED);
	assert_int_equal(a->disposition, DISPOSITION_NONE);
	assert_string_equal(t_last_entry(t, "A-0001")->text, "Đã dập tắt");
	/* Both units on the job go back, still bound until available. */
	assert_int_equal(store_unit(t->st->store, "AMB-1")->status,
	    UNIT_RETURNING);
	assert_int_equal(store_unit(t->st->store, "POL-1")->status,
	    UNIT_RETURNING);
	assert_string_equal(store_unit(t->st->store, "POL-1")->alert,
	    "A-0001");
	t_refused(t, &t_op, "r-4", "resolve", "{\"alert\":\"A-0001\"}",
	    "bad_state", "A-0001 is already resolved: close it");
	t_refused(t, &t_op, "r-5", "dispatch",
	    "{\"alert\":\"A-0001\",\"units\":[\"FIRE-1\"]}", "bad_state",
	    "A-0001 is resolved: reopen it first");
	t_refused(t, &t_op, "r-6", "reopen", "{\"alert\":\"A-0002\","
	    "\"reason\":\"x\"}", "bad_state", "A-0002 is still open (new)");
	t_ok(t, &t_op, "r-7", "close",
	    "{\"alert\":\"A-0001\",\"disposition\":\"resolved\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_CLOSED);
	assert_int_equal(a->disposition, DISPOSITION_RESOLVED);
	assert_int_equal(a->nunits, 2);		/* The record stays. */
	t_refused(t, &t_op, "r-8", "close",
	    "{\"alert\":\"A-0001\",\"disposition\":\"resolved\"}",
	    "bad_state", "A-0001 is already closed");
	t_refused(t, &t_op, "r-9", "reopen", "{\"alert\":\"A-0001\"}",
	    "bad_args", "reopen: give a reason");
	t_ok(t, &t_op, "r-10", "reopen", "{\"alert\":\"A-0001\","
	    "\"reason\":\"Cháy lại\"}");
	a = store_alert(t->st->store, "A-0001");
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_int_equal(a->disposition, DISPOSITION_NONE);
	assert_int_equal(a->nunits, 0);
	assert_string_equal(t_last_entry(t, "A-0001")->text, "Cháy lại");

	/* Close straight from new: a reason unless resolved. */
	t_refused(t, &t_op, "c-1", "close", "{\"alert\":\"A-0002\","
	    "\"disposition\":\"false_alarm\"}", "bad_args",
	    "A-0002: give a reason to close it as false_alarm");
	t_refused(t, &t_op, "c-2", "close", "{\"alert\":\"A-0002\","
	    "\"disposition\":\"none\",\"reason\":\"x\"}", "bad_args",
	    "disposition must be");
	t_refused(t, &t_op, "c-3", "close", "{\"alert\":\"A-0002\","
	    "\"disposition\":\"lost\",\"reason\":\"x\"}", "bad_args", NULL);
	t_ok(t, &t_op, "c-4", "close", "{\"alert\":\"A-0002\","
	    "\"disposition\":\"false_alarm\",\"reason\":\"Báo nhầm\"}");
	a = store_alert(t->st->store, "A-0002");
	assert_int_equal(a->disposition, DISPOSITION_FALSE_ALARM);
	assert_string_equal(t_last_entry(t, "A-0002")->text,
	    "false_alarm: Báo nhầm");
	t_refused(t, &t_op, "c-5", "ack", "{\"alert\":\"A-0002\"}",
	    "bad_state", "only a new alert can be acknowledged");
}

/*
 * Test functions:
 *   be_cmd_exec (assign, reply, return, close_case)
 */
static void
test_feedback_cmds(void **state)
{
	struct t_ctx	*t = *state;
	struct feedback	*f;

	t_refused(t, &t_op, "f-1", "reply", "{\"case\":\"PA-0001\","
	    "\"text\":\"Đã xử lý\"}", "bad_state",
	    "PA-0001 is new: assign it to a department first");
	t_refused(t, &t_op, "f-2", "assign", "{\"case\":\"PA-0001\","
	    "\"dept\":\"SXD\"}", "not_found", "no department SXD");
	t_refused(t, &t_op, "f-3", "assign", "{\"case\":\"PA-0009\","
	    "\"dept\":\"SYT\"}", "not_found", "no feedback case PA-0009");
	t_refused(t, &t_op, "f-4", "close_case", "{\"case\":\"PA-0001\"}",
	    "bad_state", "only an answered or returned case can be closed");
	t_ok(t, &t_op, "f-5", "assign", "{\"case\":\"PA-0001\","
	    "\"dept\":\"SYT\",\"version\":1}");
	f = store_feedback(t->st->store, "PA-0001");
	assert_int_equal(f->state, FB_ASSIGNED);
	assert_string_equal(f->dept, "SYT");
	assert_string_equal(history_what(&f->hist, f->hist.n - 1), "assign");
	t_refused(t, &t_op, "f-6", "assign", "{\"case\":\"PA-0001\","
	    "\"dept\":\"SYT\"}", "bad_state", "already assigned to SYT");
	t_refused(t, &t_op, "f-7", "reply", "{\"case\":\"PA-0001\","
	    "\"text\":\"x\",\"version\":1}", "stale_version",
	    "PA-0001 changed: you saw version 1, it is now version 2");
	t_ok(t, &t_op, "f-8", "assign", "{\"case\":\"PA-0001\","
	    "\"dept\":\"SGTVT\"}");
	t_ok(t, &t_op, "f-9", "reply", "{\"case\":\"PA-0001\","
	    "\"text\":\"Sở đã kiểm tra và nhắc nhở trạm y tế.\"}");
	f = store_feedback(t->st->store, "PA-0001");
	assert_int_equal(f->state, FB_ANSWERED);
	assert_string_equal(f->reply, "Sở đã kiểm tra và nhắc nhở trạm y tế.");
	t_refused(t, &t_op, "f-10", "return", "{\"case\":\"PA-0001\","
	    "\"reason\":\"x\"}", "bad_state", "cannot return PA-0001: it is "
	    "answered");
	t_ok(t, &t_op, "f-11", "close_case", "{\"case\":\"PA-0001\"}");
	assert_int_equal(store_feedback(t->st->store, "PA-0001")->state,
	    FB_CLOSED);
	t_refused(t, &t_op, "f-12", "assign", "{\"case\":\"PA-0001\","
	    "\"dept\":\"SYT\"}", "bad_state", "PA-0001 is closed");

	t_refused(t, &t_op, "f-13", "return", "{\"case\":\"PA-0002\"}",
	    "bad_args", "return: give a reason");
	t_ok(t, &t_op, "f-14", "return", "{\"case\":\"PA-0002\","
	    "\"reason\":\"Không thuộc thẩm quyền của tỉnh\"}");
	f = store_feedback(t->st->store, "PA-0002");
	assert_int_equal(f->state, FB_RETURNED);
	assert_string_equal(f->reply, "Không thuộc thẩm quyền của tỉnh");
	/* A returned case may be assigned after all, or closed. */
	t_ok(t, &t_op, "f-15", "close_case", "{\"case\":\"PA-0002\"}");
}

/*
 * Test functions:
 *   be_cmd_exec (divert)
 */
static void
test_divert(void **state)
{
	struct t_ctx	*t = *state;

	t_ok(t, &t_op, "v-1", "divert", "{\"hospital\":\"BV-A\",\"on\":true,"
	    "\"version\":1}");
	assert_true(store_hospital(t->st->store, "BV-A")->diversion);
	assert_string_equal(json_string_value(json_object_get(t->last,
	    "cmd")), "divert");
	t_refused(t, &t_op, "v-2", "divert", "{\"hospital\":\"BV-A\","
	    "\"on\":true}", "bad_state", "BV-A is already on diversion");
	t_refused(t, &t_op, "v-3", "divert", "{\"hospital\":\"BV-A\","
	    "\"on\":false,\"version\":1}", "stale_version", "version 2");
	t_ok(t, &t_op, "v-4", "divert", "{\"hospital\":\"BV-A\","
	    "\"on\":false}");
	assert_false(store_hospital(t->st->store, "BV-A")->diversion);
	t_refused(t, &t_op, "v-5", "divert", "{\"hospital\":\"BV-Z\","
	    "\"on\":false}", "not_found", "no hospital BV-Z");
	t_refused(t, &t_op, "v-6", "divert", "{\"hospital\":\"BV-A\","
	    "\"on\":1}", "bad_args", NULL);
	t_refused(t, &t_op_cp, "v-7", "divert", "{\"hospital\":\"BV-A\","
	    "\"on\":true}", "forbidden", "BV-A is in Hạ Long (HL)");
}

/* A valid inject. */
#define T_INJECT	"{\"kind\":\"alert\",\"item\":{\"kind\":\"flood\"," \
	"\"severity\":2,\"area\":\"HL\",\"place\":\"x\",\"source\":" \
	"\"sensor\",\"title\":\"y\"}}"

/*
 * Test functions:
 *   be_cmd_exec (inject: hostile text kept byte for byte, new ids, roles)
 */
static void
test_inject(void **state)
{
	static const char hostile[] = "Cháy \x1b[31mĐỎ\x1b[0m\r\n"
	    "\xe2\x80\xae" "ngược\x1b]0;pwned\x07";
	struct t_ctx	*t = *state;
	struct alert	*a;
	struct feedback	*f;
	json_t		*args, *msg, *res;
	const char	*id;

	args = json_pack("{s:s s:{s:s s:i s:s s:s s:s s:s s:i}}", "kind",
	    "alert", "item", "kind", "fire", "severity", 4, "area", "CP",
	    "place", "Phường Cẩm Đông", "source", "manual", "title", hostile,
	    "deadline_min", 10);
	msg = json_pack("{s:s s:s s:s s:o}", "type", "cmd", "id", "i-1",
	    "cmd", "inject", "args", args);
	res = be_cmd_exec(t->st, &t_trainer, msg);
	t_assert_ok(res);
	id = json_string_value(json_object_get(res, "item"));
	assert_non_null(id);
	a = store_alert(t->st->store, id);
	assert_non_null(a);
	assert_string_equal(a->title, hostile);
	assert_string_equal(a->area, "CP");
	assert_int_equal(a->state, ALERT_NEW);
	assert_int_equal(a->deadline, T_NOW + 10 * 60000);
	assert_int_equal(a->created, T_NOW);
	/* A trainer's inject is an exercise, even on a live feed. */
	assert_true(a->exercise);
	assert_int_equal(a->hist.n, 1);
	assert_string_equal(history_what(&a->hist, 0), "created");
	assert_string_equal(history_by(&a->hist, 0), "tr");
	/* The same id again: the same alert, not a second one. */
	json_decref(res);
	res = be_cmd_exec(t->st, &t_trainer, msg);
	assert_string_equal(json_string_value(json_object_get(res, "item")),
	    a->id);
	assert_int_equal(t->events, 1);
	json_decref(res);
	json_decref(msg);

	/* A supervisor, a feedback case, an exercise. */
	t_ok(t, &t_super, "i-2", "inject", "{\"kind\":\"feedback\","
	    "\"item\":{\"channel\":\"zalo\",\"area\":\"CT\",\"category\":"
	    "\"water\",\"text\":\"Mất nước\\r\\n\\u202e3 ngày\"}}");
	f = store_feedback(t->st->store, json_string_value(json_object_get(
	    json_object_get(t->last, "item"), "id")));
	assert_non_null(f);
	assert_string_equal(f->text, "Mất nước\r\n\xe2\x80\xae" "3 ngày");
	assert_int_equal(f->channel, FB_ZALO);
	assert_int_equal(f->state, FB_NEW);
	assert_true(f->deadline > T_NOW);
	/* A supervisor's is live unless it says. */
	assert_false(f->exercise);
	assert_null(json_object_get(json_object_get(t->last, "item"),
	    "exercise"));
	t_ok(t, &t_super, "i-3", "inject", "{\"kind\":\"alert\",\"item\":"
	    "{\"kind\":\"flood\",\"severity\":2,\"area\":\"HL\",\"place\":"
	    "\"x\",\"source\":\"sensor\",\"title\":\"y\",\"exercise\":true}}");
	assert_true(json_is_true(json_object_get(json_object_get(t->last,
	    "item"), "exercise")));

	t_refused(t, &t_op, "i-4", "inject", T_INJECT, "forbidden",
	    "only a trainer or a supervisor");
	t_refused(t, &t_observer, "i-5", "inject", T_INJECT, "forbidden",
	    NULL);
	/* Arguments are checked first, whoever sends them. */
	t_refused(t, &t_op, "i-4b", "inject", "{\"kind\":\"alert\","
	    "\"item\":{}}", "bad_args", NULL);
	t_refused(t, &t_trainer, "i-6", "inject", "{\"kind\":\"unit\","
	    "\"item\":{}}", "bad_args", "alert or feedback");
	t_refused(t, &t_trainer, "i-7", "inject", "{\"kind\":\"alert\","
	    "\"item\":{\"kind\":\"flood\",\"severity\":2,\"area\":\"XX\","
	    "\"place\":\"x\",\"source\":\"sensor\",\"title\":\"y\"}}",
	    "not_found", "no area XX");
	t_refused(t, &t_trainer, "i-8", "inject", "{\"kind\":\"alert\","
	    "\"item\":{\"kind\":\"lava\",\"severity\":2,\"area\":\"HL\","
	    "\"place\":\"x\",\"source\":\"sensor\",\"title\":\"y\"}}",
	    "bad_args", "unknown kind");
	t_refused(t, &t_trainer, "i-9", "inject", "{\"kind\":\"alert\","
	    "\"item\":{\"kind\":\"flood\",\"severity\":5,\"area\":\"HL\","
	    "\"place\":\"x\",\"source\":\"sensor\",\"title\":\"y\"}}",
	    "bad_args", "severity");
	t_refused(t, &t_trainer, "i-10", "inject", "{\"kind\":\"alert\","
	    "\"item\":{\"kind\":\"flood\",\"severity\":2,\"area\":\"HL\","
	    "\"place\":\"x\",\"source\":\"sensor\",\"title\":\"\"}}",
	    "bad_args", "title");
	t_refused(t, &t_trainer, "i-11", "inject", "{\"kind\":\"feedback\","
	    "\"item\":{\"channel\":\"fax\",\"area\":\"HL\",\"category\":"
	    "\"water\",\"text\":\"x\"}}", "bad_args", "unknown channel");
	t_refused(t, &t_trainer, "i-12", "inject", "{\"kind\":\"alert\","
	    "\"item\":{\"kind\":\"flood\",\"severity\":2,\"area\":\"HL\","
	    "\"place\":\"x\",\"source\":\"sensor\",\"title\":\"y\","
	    "\"colour\":\"red\"}}", "bad_args", NULL);
}

/*
 * Test functions:
 *   be_cmd_exec (roles and areas)
 */
static void
test_roles_and_areas(void **state)
{
	struct t_ctx	*t = *state;
	static const struct {
		const char	*cmd;
		const char	*args;
	} every[] = {
		{ "ack", "{\"alert\":\"A-0001\"}" },
		{ "dispatch", "{\"alert\":\"A-0001\",\"units\":[\"AMB-1\"]}" },
		{ "unit_status", "{\"unit\":\"AMB-1\",\"status\":"
		    "\"out_of_service\"}" },
		{ "note", "{\"alert\":\"A-0001\",\"text\":\"x\"}" },
		{ "escalate", "{\"alert\":\"A-0001\"}" },
		{ "mute", "{\"alert\":\"A-0001\",\"minutes\":5}" },
		{ "resolve", "{\"alert\":\"A-0001\"}" },
		{ "close", "{\"alert\":\"A-0001\",\"disposition\":"
		    "\"resolved\"}" },
		{ "reopen", "{\"alert\":\"A-0001\",\"reason\":\"x\"}" },
		{ "assign", "{\"case\":\"PA-0001\",\"dept\":\"SYT\"}" },
		{ "reply", "{\"case\":\"PA-0001\",\"text\":\"x\"}" },
		{ "return", "{\"case\":\"PA-0001\",\"reason\":\"x\"}" },
		{ "close_case", "{\"case\":\"PA-0001\"}" },
		{ "divert", "{\"hospital\":\"BV-A\",\"on\":true}" },
		{ "inject", T_INJECT },
	};
	char	id[32];
	size_t	i;

	/* Observers (and unknown roles) change nothing at all. */
	for (i = 0; i < sizeof every / sizeof every[0]; i++) {
		snprintf(id, sizeof id, "o-%zu", i);
		t_refused(t, &t_observer, id, every[i].cmd, every[i].args,
		    "forbidden", "cannot change anything");
		snprintf(id, sizeof id, "s-%zu", i);
		t_refused(t, &t_stranger, id, every[i].cmd, every[i].args,
		    "forbidden", NULL);
	}
	/* An operator acts in their areas only, and is told which. */
	t_refused(t, &t_op_hl, "a-1", "ack", "{\"alert\":\"A-0003\"}",
	    "forbidden", "A-0003 is in Cẩm Phả (CP): you act only in HL");
	t_refused(t, &t_op_hl, "a-2", "assign", "{\"case\":\"PA-0002\","
	    "\"dept\":\"SYT\"}", "forbidden", "PA-0002 is in Cẩm Phả (CP)");
	t_refused(t, &t_op_cp, "a-3", "note", "{\"alert\":\"A-0001\","
	    "\"text\":\"x\"}", "forbidden", "you act only in CP, CT");
	t_ok(t, &t_op_hl, "a-4", "ack", "{\"alert\":\"A-0001\"}");
	t_ok(t, &t_op_cp, "a-5", "ack", "{\"alert\":\"A-0003\"}");
	/* ... and dispatches units of their areas only. */
	t_refused(t, &t_op_hl, "a-6", "dispatch", "{\"alert\":\"A-0001\","
	    "\"units\":[\"AMB-2\"]}", "forbidden", "AMB-2 is in Cẩm Phả");
	t_ok(t, &t_super, "a-7", "dispatch", "{\"alert\":\"A-0001\","
	    "\"units\":[\"AMB-2\"]}");
	/* A unit of CP on an alert in HL: the HL operator may report. */
	t_ok(t, &t_op_hl, "a-8", "unit_status", "{\"unit\":\"AMB-2\","
	    "\"status\":\"on_scene\"}");
	t_ok(t, &t_op_cp, "a-9", "unit_status", "{\"unit\":\"AMB-2\","
	    "\"status\":\"returning\"}");
	t_refused(t, &t_op_hl, "a-10", "unit_status", "{\"unit\":\"AMB-3\","
	    "\"status\":\"out_of_service\"}", "forbidden", "AMB-3 is in");
	/*
	 * Supervisors act everywhere, whatever their list; trainers too,
	 * but on live items only in a drill (an exercise feed).
	 */
	t_ok(t, &t_super, "a-11", "escalate", "{\"alert\":\"A-0003\"}");
	t_refused(t, &t_trainer, "a-12", "escalate", "{\"alert\":"
	    "\"A-0003\"}", "forbidden", "A-0003 is live, not an exercise");
	store_alert(t->st->store, "A-0003")->exercise = 1;
	t_ok(t, &t_trainer, "a-12b", "escalate", "{\"alert\":\"A-0003\"}");
	store_alert(t->st->store, "A-0003")->exercise = 0;
	engine_set_exercise(t->st->engine, 1);
	t_ok(t, &t_trainer, "a-12c", "escalate", "{\"alert\":\"A-0003\"}");
	engine_set_exercise(t->st->engine, 0);
	/* The operator with no list acts everywhere. */
	t_ok(t, &t_op, "a-13", "escalate", "{\"alert\":\"A-0003\"}");
}

/*
 * Test functions:
 *   be_cmd_exec (malformed arguments for every command)
 */
static void
test_bad_args_all(void **state)
{
	struct t_ctx	*t = *state;
	static const struct {
		const char	*cmd;
		const char	*args;
	} cases[] = {
		{ "note", "{\"alert\":\"A-0001\"}" },
		{ "note", "{\"alert\":\"A-0001\",\"text\":3}" },
		{ "escalate", "{\"alert\":\"A-0001\",\"level\":2}" },
		{ "mute", "{\"alert\":\"A-0001\"}" },
		{ "mute", "{\"alert\":\"A-0001\",\"minutes\":\"5\"}" },
		{ "resolve", "{\"alert\":\"A-0001\",\"text\":\"\"}" },
		{ "resolve", "{\"alert\":[\"A-0001\"]}" },
		{ "close", "{\"alert\":\"A-0001\"}" },
		{ "close", "{\"alert\":\"A-0001\",\"disposition\":"
		    "\"resolved\",\"reason\":\"\"}" },
		{ "reopen", "{\"alert\":\"A-0001\",\"reason\":null}" },
		{ "unit_status", "{\"unit\":\"AMB-1\"}" },
		{ "unit_status", "{\"unit\":\"AMB-1\",\"status\":"
		    "\"dispatched\"}" },
		{ "unit_status", "{\"unit\":\"AMB-1\",\"status\":\"gone\"}" },
		{ "unit_status", "{\"unit\":\"AMB 1\",\"status\":"
		    "\"available\"}" },
		{ "assign", "{\"case\":\"PA-0001\"}" },
		{ "assign", "{\"case\":\"PA-0001\",\"dept\":\"S Y T\"}" },
		{ "reply", "{\"case\":\"PA-0001\",\"text\":\"\"}" },
		{ "return", "{\"case\":\"PA-0001\",\"reason\":7}" },
		{ "close_case", "{}" },
		{ "close_case", "{\"case\":\"PA-0001\",\"version\":-2}" },
		{ "divert", "{\"hospital\":\"BV-A\"}" },
		{ "divert", "{\"hospital\":\"BV-A\",\"on\":\"yes\"}" },
		{ "inject", "{\"kind\":\"alert\"}" },
		{ "inject", "{\"kind\":\"alert\",\"item\":[]}" },
	};
	json_t	*res;
	char	 id[32], *big, *args;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(id, sizeof id, "x-%zu", i);
		t_refused(t, &t_super, id, cases[i].cmd, cases[i].args,
		    "bad_args", cases[i].cmd);
	}
	/* A text over the limit. */
	big = xmalloc(PROTO_MAX_TEXT + 2);
	memset(big, 'x', PROTO_MAX_TEXT + 1);
	big[PROTO_MAX_TEXT + 1] = '\0';
	xasprintf(&args, "{\"alert\":\"A-0001\",\"text\":\"%s\"}", big);
	t_refused(t, &t_op, "x-big", "note", args, "bad_args", "too long");
	free(args);
	big[PROTO_MAX_TEXT] = '\0';
	xasprintf(&args, "{\"alert\":\"A-0001\",\"text\":\"%s\"}", big);
	res = t_cmd(t, &t_op, "x-max", "note", args);
	t_assert_ok(res);
	json_decref(res);
	free(args);
	free(big);
}

/*
 * Test functions:
 *   be_cmd_exec (close with a reason of 4,096 bytes: accepted; the
 *   history text is cut to the limit)
 */
static void
test_close_long_reason(void **state)
{
	struct t_ctx	*t = *state;
	char		*reason, *args;

	reason = xmalloc(PROTO_MAX_TEXT + 1);
	memset(reason, 'r', PROTO_MAX_TEXT);
	reason[PROTO_MAX_TEXT] = '\0';
	xasprintf(&args, "{\"alert\":\"A-0001\",\"disposition\":"
	    "\"cancelled\",\"reason\":\"%s\"}", reason);
	t_ok(t, &t_op, "cl-1", "close", args);
	assert_int_equal(store_alert(t->st->store, "A-0001")->state,
	    ALERT_CLOSED);
	assert_int_equal(strlen(t_last_entry(t, "A-0001")->text),
	    PROTO_MAX_TEXT);
	free(args);
	free(reason);
}

/*
 * Test functions:
 *   be_cmd_exec (an internal failure is an answer too: remembered, so a
 *   retry of the same id gets it again and does not run the command
 *   once more)
 */
static void
test_internal_remembered(void **state)
{
	struct t_ctx	*t = *state;
	struct alert	*a;
	json_t		*r1, *r2;
	char		*title;
	size_t		 events;

	/* A state the store cannot take back: a title over the limit. */
	a = store_alert(t->st->store, "A-0001");
	title = a->title;
	a->title = xmalloc(PROTO_MAX_TEXT + 2);
	memset(a->title, 't', PROTO_MAX_TEXT + 1);
	a->title[PROTO_MAX_TEXT + 1] = '\0';
	events = t->events;
	r1 = t_cmd(t, &t_op, "in-1", "ack", "{\"alert\":\"A-0001\"}");
	t_assert_code(r1, "internal");
	assert_int_equal(t->events, events);
	/* Repaired, the same id still gets the first answer. */
	free(a->title);
	a->title = title;
	r2 = t_cmd(t, &t_op, "in-1", "ack", "{\"alert\":\"A-0001\"}");
	assert_true(json_equal(r1, r2));
	assert_int_equal(t->events, events);
	assert_int_equal(store_alert(t->st->store, "A-0001")->state,
	    ALERT_NEW);
	/* A new id is a new command. */
	t_ok(t, &t_op, "in-2", "ack", "{\"alert\":\"A-0001\"}");
	json_decref(r1);
	json_decref(r2);
}

/*
 * Test functions:
 *   be_cmd_exec (stale versions of units, cases and hospitals; a
 *   conflict from another operator reusing an id)
 */
static void
test_stale_and_conflict_more(void **state)
{
	struct t_ctx	*t = *state;

	t_ok(t, &t_op, "k-1", "divert", "{\"hospital\":\"BV-B\","
	    "\"on\":true}");
	t_refused(t, &t_op, "k-2", "divert", "{\"hospital\":\"BV-B\","
	    "\"on\":false,\"version\":1}", "stale_version",
	    "BV-B changed: you saw version 1, it is now version 2");
	t_refused(t, &t_op, "k-3", "close_case", "{\"case\":\"PA-0001\","
	    "\"version\":7}", "stale_version", "version 7");
	/* Another operator with the same id and payload: conflict. */
	t_refused(t, &t_super, "k-1", "divert", "{\"hospital\":\"BV-B\","
	    "\"on\":true}", "conflict", "k-1");
}

/*
 * Test functions:
 *   engine_run (directly, and ENGINE_DRY), engine_outcome_clear
 */
static void
test_run_and_check(void **state)
{
	struct t_ctx		*t = *state;
	struct engine_outcome	 out;
	json_t			*args;
	uint64_t		 seq = t->st->store->seq;

	args = json_pack("{s:s s:{s:s s:i s:s s:s s:s s:s}}", "kind", "alert",
	    "item", "kind", "storm", "severity", 3, "area", "CT", "place",
	    "Cô Tô", "source", "manual", "title", "Bão");
	assert_int_equal(engine_run(t->st->engine, &t_trainer, "inject", args,
	    ENGINE_DRY, &out), 0);
	assert_int_equal(t->st->store->seq, seq);
	assert_string_equal(out.item, "");
	assert_int_equal(engine_run(t->st->engine, &t_trainer, "inject", args,
	    0, &out), 0);
	assert_int_equal(out.seq, seq + 1);
	assert_non_null(store_alert(t->st->store, out.item));
	json_object_set_new(json_object_get(args, "item"), "area",
	    json_string("ZZ"));
	assert_int_equal(engine_run(t->st->engine, &t_trainer, "inject", args,
	    ENGINE_DRY, &out), -1);
	assert_int_equal(out.err, PROTO_E_NOT_FOUND);
	assert_non_null(strstr(out.msg, "ZZ"));
	engine_outcome_clear(&out);
	assert_null(out.msg);
	/* Inject's arguments are not ack's. */
	assert_int_equal(engine_run(t->st->engine, &t_trainer, "ack", args,
	    ENGINE_DRY, &out), -1);
	assert_int_equal(out.err, PROTO_E_BAD_ARGS);
	engine_outcome_clear(&out);
	assert_int_equal(t->st->store->seq, seq + 1);
	json_decref(args);
}

/* A second listener: what it was told, in order ("e<seq>", "c<id>"). */
struct t_log {
	char	 text[256];
};

static void
t_log_event(void *arg, struct be_msg *m)
{
	struct t_log	*l = arg;
	size_t		 n = strlen(l->text);

	snprintf(l->text + n, sizeof l->text - n, "e%llu ",
	    (unsigned long long)m->seq);
}

static void
t_log_command(void *arg, const char *id, const char *by,
    const char *payload, const char *result)
{
	struct t_log	*l = arg;
	size_t		 n = strlen(l->text);

	assert_string_equal(by, "op1");
	assert_non_null(strstr(payload, "\"cmd\":\"dispatch\""));
	assert_non_null(strstr(result, "\"ok\":true"));
	snprintf(l->text + n, sizeof l->text - n, "c%s ", id);
}

/*
 * Test functions:
 *   be_state_listen, be_state_unlisten, be_state_listeners,
 *   be_state_command (a command's events, then its record, to every
 *   listener; a repeat records nothing)
 */
static void
test_listeners(void **state)
{
	struct t_ctx	*t = *state;
	struct t_log	 l;
	uint64_t	 seq = t->st->store->seq;
	char		 want[128];

	memset(&l, 0, sizeof l);
	assert_int_equal(be_state_listeners(t->st), 1);
	be_state_listen(t->st, t_log_event, t_log_command, &l);
	assert_int_equal(be_state_listeners(t->st), 2);
	t_ok(t, &t_op, "l-1", "dispatch", "{\"alert\":\"A-0001\","
	    "\"units\":[\"AMB-1\"]}");
	snprintf(want, sizeof want, "e%llu e%llu cl-1 ",
	    (unsigned long long)seq + 1, (unsigned long long)seq + 2);
	assert_string_equal(l.text, want);
	assert_int_equal(t->events, 2);
	/* A repeat is answered from memory: no event, no record. */
	t_ok(t, &t_op, "l-1", "dispatch", "{\"alert\":\"A-0001\","
	    "\"units\":[\"AMB-1\"]}");
	assert_string_equal(l.text, want);
	be_state_unlisten(t->st, &l);
	assert_int_equal(be_state_listeners(t->st), 1);
	t_ok(t, &t_op, "l-2", "escalate", "{\"alert\":\"A-0001\"}");
	assert_string_equal(l.text, want);
	assert_int_equal(t->events, 3);
}

/*
 * Test functions:
 *   engine_feedback_due
 */
static void
test_feedback_due(void **state)
{
	(void)state;
	/* Tuesday 08:00: 15 working hours later is Thursday 08:00. */
	assert_int_equal(engine_feedback_due(T_NOW, 420), T_NOW + 48 * T_HOUR);
	/* Friday 18:00: Monday and Tuesday, so Tuesday 17:00. */
	assert_int_equal(engine_feedback_due(T_NOW + 3 * 24 * T_HOUR +
	    10 * T_HOUR, 420), T_NOW + 7 * 24 * T_HOUR + 9 * T_HOUR);
	/* Tuesday 12:00 (lunch): from 13:30; 3.5 + 7.5 + 4 h: Thursday
	 * 11:30. */
	assert_int_equal(engine_feedback_due(T_NOW + 4 * T_HOUR, 420),
	    T_NOW + 48 * T_HOUR + 3 * T_HOUR + 30 * 60000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ack_ok,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_ack_twice,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_ok,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_unavailable,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_not_found,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_stale_version,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_repeat_id,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_conflict,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_bad_args,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_forbidden,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_get_digest,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_history_entries,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_more,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_unit_status,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_note_escalate_mute,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_resolve_close_reopen,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_feedback_cmds,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_divert,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_inject,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_roles_and_areas,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_bad_args_all,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_close_long_reason,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_internal_remembered,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_stale_and_conflict_more,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_run_and_check,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_listeners,
		    t_setup, t_teardown),
		cmocka_unit_test(test_feedback_due),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

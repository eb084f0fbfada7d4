/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/conn.c: inbound messages and commands, no network. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The connection is created without an lws context and never started:
 * conn_receive() is fed whole messages as the callback would, and
 * conn_send_cmd() only queues (there is no wsi to ask for WRITEABLE).
 */

struct fixture {
	struct store		*store;
	struct layout_status	 st;
	struct conn		*c;
	char			*message;
	int			 error;
	int			 nstatus, nchanged;
};

static void
fx_message(void *arg, int error, const char *text)
{
	struct fixture	*f = arg;

	free(f->message);
	f->message = xstrdup(text);
	f->error = error;
}

static void
fx_status(void *arg)
{
	((struct fixture *)arg)->nstatus++;
}

static void
fx_changed(void *arg)
{
	((struct fixture *)arg)->nchanged++;
}

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct conn_hooks	 hooks;
	char			*cause = NULL;

	f->store = store_new();
	hooks.arg = f;
	hooks.message = fx_message;
	hooks.status = fx_status;
	hooks.changed = fx_changed;
	f->c = conn_create(NULL, "ws://127.0.0.1:7600", f->store, &f->st,
	    &hooks, &cause);
	assert_non_null(f->c);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	conn_free(f->c);
	store_free(f->store);
	free(f->message);
	free(f);
	return (0);
}

/* Feed a message built with jansson (reference stolen). */
static int
feed(struct fixture *f, json_t *msg)
{
	char	*text = proto_dump(msg);
	int	 rv;

	json_decref(msg);
	rv = conn_receive(f->c, text, strlen(text));
	free(text);
	return (rv);
}

static json_t *
alert_json(const char *id, enum alert_state state, uint32_t version)
{
	struct alert	 a;
	json_t		*o;

	memset(&a, 0, sizeof a);
	strcpy(a.id, id);
	a.kind = ALERT_FIRE;
	a.severity = 4;
	strcpy(a.area, "HL");
	a.place = xstrdup("Bãi Cháy");
	a.title = xstrdup("Cháy \033[31mnhà\033]0;x\007 dân");
	a.state = state;
	a.created = a.updated = 1000;
	a.version = version;
	o = proto_alert_encode(&a);
	alert_clear(&a);
	return (o);
}

/* A snapshot at seq with one alert A-1, as a backend would send it. */
static json_t *
snapshot_json(uint64_t seq, int gap)
{
	struct store	*s = store_new();
	struct alert	 a;
	char		*cause = NULL;
	json_t		*o, *item;

	free(s->province);
	s->province = xstrdup("Quảng Ninh");
	strcpy(s->province_code, "QN");
	s->utc_offset_min = 420;
	store_add_area(s, "HL", "Hạ Long");
	item = alert_json("A-1", ALERT_NEW, 1);
	assert_int_equal(proto_alert_decode(item, &a, 0, &cause), 0);
	json_decref(item);
	store_put_alert(s, &a);
	s->seq = seq;
	o = store_snapshot(s);
	json_object_set_new(o, "type", json_string("snapshot"));
	json_object_set_new(o, "gap", json_boolean(gap));
	store_free(s);
	return (o);
}

/*
 * Test functions:
 *   conn_create
 */
static void
test_conn_create(void **state)
{
	struct layout_status	 st;
	struct store		*s = store_new();
	struct conn		*c;
	char			*cause = NULL;

	(void)state;
	memset(&st, 0, sizeof st);
	c = conn_create(NULL, "wss://ioc.example:8443/v1", s, &st, NULL,
	    &cause);
	assert_non_null(c);
	assert_true(c->tls);
	assert_string_equal(c->host, "ioc.example");
	assert_int_equal(c->port, 8443);
	assert_string_equal(c->path, "/v1");
	assert_int_equal(strncmp(c->prefix, "c-", 2), 0);
	assert_int_equal(strlen(c->prefix), 2 + 2 * CONN_PREFIX_BYTES);
	conn_free(c);

	assert_null(conn_create(NULL, "http://x:1", s, &st, NULL, &cause));
	assert_non_null(strstr(cause, "not a ws://"));
	free(cause);
	assert_null(conn_create(NULL, "nonsense", s, &st, NULL, &cause));
	free(cause);
	conn_free(NULL);
	store_free(s);
}

/*
 * Test functions:
 *   conn_receive (welcome, snapshot, events in order, gap, duplicate)
 */
static void
test_conn_session(void **state)
{
	struct fixture	*f = *state;
	struct alert	*a;

	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i s:b}",
	    "type", "welcome", "proto", 1, "operator", "trực\033[2J ban",
	    "role", "operator", "areas", "seq", 41, "exercise", 1)), 0);
	assert_string_equal(f->st.operator, "trực ban");
	assert_string_equal(f->st.role, "operator");
	assert_true(f->st.exercise);
	assert_true(f->c->welcomed);

	/* An event before any snapshot is ignored. */
	assert_int_equal(feed(f, proto_event_new(42, 5, "alert",
	    alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), 0);
	assert_null(store_alert(f->store, "A-1"));

	assert_int_equal(feed(f, snapshot_json(41, 0)), 0);
	assert_true(f->c->have_state);
	assert_int_equal(f->store->seq, 41);
	assert_non_null(a = store_alert(f->store, "A-1"));
	/* Sanitised on the way in. */
	assert_string_equal(a->title, "Cháy nhà dân");
	assert_int_equal(f->nchanged, 1);

	assert_int_equal(feed(f, proto_event_new(42, 5, "alert",
	    alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), 0);
	assert_int_equal(f->store->seq, 42);
	assert_int_equal(store_alert(f->store, "A-1")->state,
	    ALERT_ACKNOWLEDGED);
	assert_int_equal(f->nchanged, 2);

	/* A repeat is ignored; a gap asks to resume. */
	assert_int_equal(feed(f, proto_event_new(42, 5, "alert",
	    alert_json("A-1", ALERT_NEW, 1))), 0);
	assert_int_equal(store_alert(f->store, "A-1")->state,
	    ALERT_ACKNOWLEDGED);
	assert_int_equal(feed(f, proto_event_new(44, 5, "alert",
	    alert_json("A-1", ALERT_DISPATCHED, 3))), -1);
	assert_int_equal(f->store->seq, 42);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "resuming"));

	/* A snapshot with a gap replaces everything and says so. */
	assert_int_equal(feed(f, snapshot_json(90, 1)), 0);
	assert_int_equal(f->store->seq, 90);
	assert_int_equal(store_alert(f->store, "A-1")->state, ALERT_NEW);
	assert_non_null(strstr(f->message, "events were lost"));
}

/*
 * Test functions:
 *   conn_receive (malformed input is shown, never fatal)
 */
static void
test_conn_bad_input(void **state)
{
	struct fixture	*f = *state;
	json_t		*ev, *item;

	assert_int_equal(conn_receive(f->c, "{nope", 5), 0);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "bad message"));
	assert_int_equal(conn_receive(f->c, "", 0), 0);
	assert_int_equal(conn_receive(f->c, "[1]", 3), 0);
	assert_int_equal(feed(f, json_pack("{s:s}", "type", "snapshot")), 0);
	assert_false(f->c->have_state);
	/* A client-side message type from the server. */
	assert_int_equal(feed(f, json_pack("{s:s s:i}", "type", "hello",
	    "proto", 1)), 0);
	assert_non_null(strstr(f->message, "unexpected hello"));

	/* A bad item in an event in sequence: skipped, seq moves on. */
	assert_int_equal(feed(f, snapshot_json(5, 0)), 0);
	item = alert_json("A-1", ALERT_NEW, 2);
	json_object_set_new(item, "severity", json_integer(9));
	ev = proto_event_new(6, 5, "alert", item);
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(f->store->seq, 6);
	assert_non_null(strstr(f->message, "bad event 6"));

	/* An error from the backend, sanitised. */
	assert_int_equal(feed(f, proto_error_new(PROTO_E_RATE_LIMITED,
	    "slow \033]0;pwned\007down")), 0);
	assert_true(f->error);
	assert_string_equal(f->message, "backend: rate_limited: slow down");
}

/*
 * Test functions:
 *   conn_send_cmd, conn_receive (result), conn_online
 */
static void
test_conn_commands(void **state)
{
	struct fixture		*f = *state;
	struct conn_out		*o;
	struct conn_pending	*p;
	char			*cause = NULL, id1[64], id2[64];
	json_t			*msg;

	/* Offline: refused, nothing queued. */
	assert_false(conn_online(f->c));
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "A-1"), "ack A-1", &cause), -1);
	assert_non_null(strstr(cause, "offline"));
	free(cause);
	assert_true(TAILQ_EMPTY(&f->c->outq));

	f->c->established = 1;
	assert_true(conn_online(f->c));
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s s:i}",
	    "alert", "A-1", "version", 3), "ack A-1", &cause), 0);
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s s:i}",
	    "alert", "A-2", "version", 1), "ack A-2", &cause), 0);

	o = TAILQ_FIRST(&f->c->outq);
	assert_non_null(o);
	msg = json_loadb((char *)o->buf + LWS_PRE, o->len, 0, NULL);
	assert_non_null(msg);
	assert_string_equal(json_string_value(json_object_get(msg, "type")),
	    "cmd");
	assert_string_equal(json_string_value(json_object_get(msg, "cmd")),
	    "ack");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    msg, "args"), "version")), 3);
	snprintf(id1, sizeof id1, "%s",
	    json_string_value(json_object_get(msg, "id")));
	json_decref(msg);
	assert_int_equal(strncmp(id1, f->c->prefix, strlen(f->c->prefix)),
	    0);
	p = TAILQ_LAST(&f->c->pending, conn_pendingq);
	snprintf(id2, sizeof id2, "%s", p->id);
	assert_string_not_equal(id1, id2);

	/* Results find their command; unknown ids are ignored. */
	assert_int_equal(feed(f, proto_result_ok("c-other-1", 7)), 0);
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_false(f->error);
	assert_string_equal(f->message, "✓ ack A-1");
	assert_int_equal(feed(f, proto_result_err(id2, PROTO_E_BAD_STATE,
	    "A-2 is closed\033[0m")), 0);
	assert_true(f->error);
	assert_string_equal(f->message, "✗ ack A-2: A-2 is closed");
	assert_true(TAILQ_EMPTY(&f->c->pending));
	/* A second answer to the same id changes nothing. */
	free(f->message);
	f->message = NULL;
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_null(f->message);

	/* ASCII terminals get words, not glyphs. */
	f->c->ascii = 1;
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "A-3"), "ack A-3", &cause), 0);
	p = TAILQ_LAST(&f->c->pending, conn_pendingq);
	snprintf(id1, sizeof id1, "%s", p->id);
	assert_int_equal(feed(f, proto_result_ok(id1, 8)), 0);
	assert_string_equal(f->message, "ok: ack A-3");
}

/*
 * Test functions:
 *   conn_send_digest, conn_receive (digest result)
 */
static void
test_conn_digest(void **state)
{
	struct fixture		*f = *state;
	struct conn_pending	*p;
	char			*cause = NULL, ours[17];
	json_t			*r;

	assert_int_equal(feed(f, snapshot_json(12, 0)), 0);
	f->c->established = 1;
	assert_int_equal(conn_send_digest(f->c, &cause), 0);
	p = TAILQ_LAST(&f->c->pending, conn_pendingq);
	store_digest(f->store, ours);
	r = proto_result_ok(p->id, 12);
	json_object_set_new(r, "digest", json_string(ours));
	assert_int_equal(feed(f, r), 0);
	assert_false(f->error);
	assert_non_null(strstr(f->message, ours));

	assert_int_equal(conn_send_digest(f->c, &cause), 0);
	p = TAILQ_LAST(&f->c->pending, conn_pendingq);
	r = proto_result_ok(p->id, 12);
	json_object_set_new(r, "digest", json_string("0000000000000000"));
	assert_int_equal(feed(f, r), 0);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "differs"));
}

/*
 * Test functions:
 *   conn_lost
 */
static void
test_conn_lost(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(feed(f, snapshot_json(3, 0)), 0);
	f->c->established = 1;
	f->st.link = LAYOUT_LINK_CONNECTED;
	conn_lost(f->c, "trucban-backend exited with status 1");
	assert_int_equal(f->st.link, LAYOUT_LINK_OFFLINE);
	assert_true(f->st.stale_since > 0);
	assert_true(f->error);
	assert_false(conn_online(f->c));
	assert_int_equal(conn_send_cmd(f->c, "ack", json_object(), "ack",
	    &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_create),
		cmocka_unit_test_setup_teardown(test_conn_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_digest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_lost, setup,
		    teardown),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

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
	memset(&hooks, 0, sizeof hooks);
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

/* The text of the n-th message waiting to be written (0 = first). */
static json_t *
outq_msg(struct conn *c, int n)
{
	struct conn_out	*o;

	TAILQ_FOREACH(o, &c->outq, entry) {
		if (n-- == 0)
			return (json_loadb((char *)o->buf + LWS_PRE, o->len, 0,
			    NULL));
	}
	return (NULL);
}

static int
outq_len(struct conn *c)
{
	struct conn_out	*o;
	int		 n = 0;

	TAILQ_FOREACH(o, &c->outq, entry)
		n++;
	return (n);
}

static struct conn_result	fx_last;
static char			fx_last_summary[64], fx_last_code[64];
static int			fx_nresults;

static void
fx_result(void *arg, const struct conn_result *r)
{
	(void)arg;
	fx_last = *r;
	snprintf(fx_last_summary, sizeof fx_last_summary, "%s", r->summary);
	snprintf(fx_last_code, sizeof fx_last_code, "%s",
	    r->code != NULL ? r->code : "");
	fx_nresults++;
}

/*
 * Test functions:
 *   conn_send_cmd (offline: queued in the outbox), conn_receive (the
 *   queue goes out after the snapshot, in order, ids kept; results),
 *   conn_online
 */
static void
test_conn_commands(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, id1[64], id2[64];
	json_t			*msg;

	/* Offline: accepted into the outbox, nothing on the wire. */
	assert_false(conn_online(f->c));
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s s:i}",
	    "alert", "A-1", "version", 3), "ack A-1", &cause), 1);
	assert_true(TAILQ_EMPTY(&f->c->outq));
	assert_int_equal(f->c->outbox->n, 1);
	e = TAILQ_FIRST(&f->c->outbox->list);
	assert_int_equal(e->state, OUTBOX_QUEUED);
	snprintf(id1, sizeof id1, "%s", e->id);
	assert_int_equal(strncmp(id1, f->c->prefix, strlen(f->c->prefix)),
	    0);

	/* Up, welcomed, but no state yet: still queued. */
	f->c->established = 1;
	assert_true(conn_online(f->c));
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i}",
	    "type", "welcome", "proto", 1, "operator", "demo", "role",
	    "operator", "areas", "seq", 1)), 0);
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s s:i}",
	    "alert", "A-2", "version", 1), "ack A-2", &cause), 1);
	assert_true(TAILQ_EMPTY(&f->c->outq));

	/* The snapshot: both go out, in order, with their ids. */
	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	assert_int_equal(outq_len(f->c), 2);
	msg = outq_msg(f->c, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "type")),
	    "cmd");
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    id1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    msg, "args"), "version")), 3);
	json_decref(msg);
	msg = outq_msg(f->c, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    msg, "args"), "alert")), "A-2");
	snprintf(id2, sizeof id2, "%s",
	    json_string_value(json_object_get(msg, "id")));
	json_decref(msg);
	assert_string_not_equal(id1, id2);
	assert_int_equal(outbox_count(f->c->outbox, OUTBOX_SENT), 2);

	/* Ready: a new command goes at once. */
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "A-3"), "ack A-3", &cause), 0);
	assert_int_equal(outq_len(f->c), 3);

	/* Results find their command and take it out of the outbox;
	 * unknown ids are ignored. */
	assert_int_equal(feed(f, proto_result_ok("c-other-1", 7)), 0);
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_false(f->error);
	assert_string_equal(f->message, "✓ ack A-1");
	assert_null(outbox_find(f->c->outbox, id1));
	assert_int_equal(feed(f, proto_result_err(id2, PROTO_E_BAD_STATE,
	    "A-2 is closed\033[0m")), 0);
	assert_true(f->error);
	assert_string_equal(f->message, "✗ ack A-2: A-2 is closed");
	assert_int_equal(f->c->outbox->n, 1);
	/* A second answer to the same id changes nothing. */
	free(f->message);
	f->message = NULL;
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_null(f->message);

	/* The link drops and comes back with a resume: what was sent and
	 * not answered goes again, same id, after the welcome. */
	e = TAILQ_FIRST(&f->c->outbox->list);
	snprintf(id1, sizeof id1, "%s", e->id);
	outbox_requeue(f->c->outbox);
	f->c->ready = 0;
	f->c->welcomed = 0;
	f->c->resuming = 1;
	while (!TAILQ_EMPTY(&f->c->outq)) {
		struct conn_out	*o = TAILQ_FIRST(&f->c->outq);

		TAILQ_REMOVE(&f->c->outq, o, entry);
		free(o->buf);
		free(o);
	}
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i}",
	    "type", "welcome", "proto", 1, "operator", "demo", "role",
	    "operator", "areas", "seq", 1)), 0);
	assert_int_equal(outq_len(f->c), 1);
	msg = outq_msg(f->c, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    id1);
	json_decref(msg);

	/* With a result hook, results go there, with what was sent. */
	f->c->hooks.result = fx_result;
	fx_nresults = 0;
	assert_int_equal(feed(f, proto_result_err(id1,
	    PROTO_E_STALE_VERSION, "A-3 changed")), 0);
	assert_int_equal(fx_nresults, 1);
	assert_string_equal(fx_last_summary, "ack A-3");
	assert_string_equal(fx_last_code, "stale_version");
	assert_int_equal(f->c->outbox->n, 0);

	/* ASCII terminals get words, not glyphs. */
	f->c->hooks.result = NULL;
	f->c->ascii = 1;
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "A-4"), "ack A-4", &cause), 0);
	e = TAILQ_LAST(&f->c->outbox->list, outbox_list);
	snprintf(id1, sizeof id1, "%s", e->id);
	assert_int_equal(feed(f, proto_result_ok(id1, 8)), 0);
	assert_string_equal(f->message, "ok: ack A-4");
}

/* Feed an event with alert A-1 at version v (state new). */
static void
feed_alert(struct fixture *f, uint32_t v)
{
	assert_int_equal(feed(f, proto_event_new(f->store->seq + 1, 5,
	    "alert", alert_json("A-1", ALERT_NEW, v))), 0);
}

/* The version in the args of the n-th message waiting to be written. */
static json_int_t
outq_version(struct conn *c, int n)
{
	json_t		*msg = outq_msg(c, n);
	json_int_t	 v;

	assert_non_null(msg);
	v = json_integer_value(json_object_get(json_object_get(msg, "args"),
	    "version"));
	json_decref(msg);
	return (v);
}

static void
outq_clear(struct conn *c)
{
	struct conn_out	*o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		free(o->buf);
		free(o);
	}
}

/*
 * Test functions:
 *   conn_send_cmd, conn_receive (commands on one item go one at a time;
 *   after a success the next takes the item's new version, after a
 *   refusal it keeps the version it had)
 */
static void
test_conn_one_at_a_time(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, id1[64], id2[64], id3[64];

	/* Three notes on A-1 typed offline, all at version 1. */
	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(conn_send_cmd(f->c, "note", json_pack(
		    "{s:s s:s s:i}", "alert", "A-1", "text", "x", "version", 1),
		    "note A-1", &cause), 1);
	e = TAILQ_FIRST(&f->c->outbox->list);
	snprintf(id1, sizeof id1, "%s", e->id);
	snprintf(id2, sizeof id2, "%s", TAILQ_NEXT(e, entry)->id);
	snprintf(id3, sizeof id3, "%s",
	    TAILQ_NEXT(TAILQ_NEXT(e, entry), entry)->id);

	/* The link is back: only the first goes. */
	f->c->established = 1;
	f->c->resuming = 1;
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i}",
	    "type", "welcome", "proto", 1, "operator", "demo", "role",
	    "operator", "areas", "seq", 1)), 0);
	assert_int_equal(outq_len(f->c), 1);
	assert_int_equal(outq_version(f->c, 0), 1);
	outq_clear(f->c);

	/* It succeeds (its event first): the second goes, at version 2. */
	feed_alert(f, 2);
	assert_int_equal(feed(f, proto_result_ok(id1, f->store->seq)), 0);
	assert_int_equal(outq_len(f->c), 1);
	assert_int_equal(outq_version(f->c, 0), 2);
	assert_non_null(strstr(outbox_find(f->c->outbox, id2)->text,
	    "\"version\":2"));
	outq_clear(f->c);

	/*
	 * It is refused (somebody else changed A-1): the third keeps
	 * version 2, what the officer saw plus the officer's own change,
	 * and is refused in turn.
	 */
	feed_alert(f, 3);
	assert_int_equal(feed(f, proto_result_err(id2, PROTO_E_STALE_VERSION,
	    "A-1 changed")), 0);
	assert_int_equal(outq_len(f->c), 1);
	assert_int_equal(outq_version(f->c, 0), 2);
	outq_clear(f->c);
	assert_int_equal(feed(f, proto_result_ok(id3, 0)), 0);
	assert_int_equal(f->c->outbox->n, 0);

	/* Online, a command on another item is not held. */
	assert_int_equal(conn_send_cmd(f->c, "note", json_pack("{s:s s:s}",
	    "alert", "A-1", "text", "y"), "note A-1", &cause), 0);
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "A-2"), "ack A-2", &cause), 0);
	assert_int_equal(conn_send_cmd(f->c, "note", json_pack("{s:s s:s}",
	    "alert", "A-1", "text", "z"), "note A-1", &cause), 0);
	assert_int_equal(outq_len(f->c), 2);
	assert_int_equal(outbox_count(f->c->outbox, OUTBOX_QUEUED), 1);
}

/*
 * Test functions:
 *   conn_send_cmd, conn_receive (at most CONN_INFLIGHT_MAX in flight; a
 *   rate_limited command is kept and sent again, same id, after a pause)
 */
static void
test_conn_pacing(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, alert[16], first[64];
	json_t			*msg;
	int			 i;

	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	for (i = 0; i < CONN_INFLIGHT_MAX + 4; i++) {
		snprintf(alert, sizeof alert, "A-%d", i);
		assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
		    "alert", alert), "ack", &cause), 1);
	}
	f->c->established = 1;
	f->c->resuming = 1;
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i}",
	    "type", "welcome", "proto", 1, "operator", "demo", "role",
	    "operator", "areas", "seq", 1)), 0);
	assert_int_equal(outq_len(f->c), CONN_INFLIGHT_MAX);
	outq_clear(f->c);

	/* One answer lets one more go. */
	e = TAILQ_FIRST(&f->c->outbox->list);
	assert_int_equal(feed(f, proto_result_ok(e->id, 0)), 0);
	assert_int_equal(outq_len(f->c), 1);
	outq_clear(f->c);

	/* rate_limited: not reported, kept, and nothing goes for a while. */
	free(f->message);
	f->message = NULL;
	e = TAILQ_FIRST(&f->c->outbox->list);
	snprintf(first, sizeof first, "%s", e->id);
	assert_int_equal(feed(f, proto_result_err(first,
	    PROTO_E_RATE_LIMITED, "too many messages")), 0);
	assert_null(f->message);
	assert_int_equal(e->state, OUTBOX_QUEUED);
	assert_true(f->c->throttled);
	assert_int_equal(f->c->outbox->n, CONN_INFLIGHT_MAX + 3);
	assert_int_equal(conn_send_cmd(f->c, "ack", json_pack("{s:s}",
	    "alert", "B-1"), "ack", &cause), 0);
	assert_int_equal(outq_len(f->c), 0);
	/* The pause over (the timer), it goes again with its id. */
	f->c->throttled = 0;
	e = TAILQ_NEXT(e, entry);
	assert_int_equal(feed(f, proto_result_ok(e->id, 0)), 0);
	assert_true(outq_len(f->c) >= 1);
	msg = outq_msg(f->c, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    first);
	json_decref(msg);
	assert_int_equal(outbox_count(f->c->outbox, OUTBOX_SENT),
	    CONN_INFLIGHT_MAX);
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
	/* Commands still go to the outbox. */
	assert_int_equal(conn_send_cmd(f->c, "ack", json_object(), "ack",
	    &cause), 1);
	assert_int_equal(f->c->outbox->n, 1);
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
		cmocka_unit_test_setup_teardown(test_conn_one_at_a_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_pacing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_digest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conn_lost, setup,
		    teardown),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

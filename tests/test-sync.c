/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/sync.c: the protocol without a transport. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jarena.h"
#include "log.h"
#include "kind.h"
#include "proto.h"
#include "snapparts.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

/*
 * The sync is driven as a host would drive it: sync_up() and sync_down()
 * for the link, whole texts to sync_receive(). The fixture's transport
 * keeps what the sync sends, the timers it arms and the drops it asks
 * for, so a test feeds texts and asserts the store and the texts out.
 */

#define FX_OUT_MAX	64

struct fixture {
	struct store	*store;
	struct sync	*s;
	char		*message;
	int		 error;
	int		 nstatus, nchanged;

	char		*out[FX_OUT_MAX];	/* Texts sent, oldest first. */
	int		 nout;
	int64_t		 timer[SYNC_TIMER_COUNT];	/* Last armed; -1. */
	int		 ndrop;
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

static void
fx_send(void *arg, const char *text, size_t len)
{
	struct fixture	*f = arg;

	assert_int_equal(strlen(text), len);
	assert_true(f->nout < FX_OUT_MAX);
	f->out[f->nout++] = xstrdup(text);
}

static void
fx_timer(void *arg, enum sync_timer t, int64_t ms)
{
	((struct fixture *)arg)->timer[t] = ms;
}

static void
fx_drop(void *arg, const char *why)
{
	(void)why;
	((struct fixture *)arg)->ndrop++;
}

static const struct sync_transport fx_transport = {
	.send = fx_send,
	.timer = fx_timer,
	.drop = fx_drop
};

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct sync_hooks	 hooks;
	int			 i;

	f->store = store_new();
	memset(&hooks, 0, sizeof hooks);
	hooks.arg = f;
	hooks.message = fx_message;
	hooks.status = fx_status;
	hooks.changed = fx_changed;
	f->s = sync_create(f->store, &hooks);
	sync_attach(f->s, &fx_transport, f);
	for (i = 0; i < SYNC_TIMER_COUNT; i++)
		f->timer[i] = -1;
	*state = f;
	return (0);
}

static void
out_clear(struct fixture *f)
{
	while (f->nout > 0)
		free(f->out[--f->nout]);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	sync_free(f->s);
	store_free(f->store);
	out_clear(f);
	free(f->message);
	free(f);
	return (0);
}

/* The n-th text sent, parsed (caller decrefs); NULL when none. */
static json_t *
out_msg(struct fixture *f, int n)
{
	if (n >= f->nout)
		return (NULL);
	return (json_loads(f->out[n], 0, NULL));
}

/* The link comes up; the hello (and any resent request) is forgotten. */
static void
up(struct fixture *f)
{
	sync_up(f->s);
	out_clear(f);
}

/* The link drops and comes back: what a host does after a drop. */
static void
bounce(struct fixture *f)
{
	sync_down(f->s, SYNC_LINK_RECONNECTING, "test");
	sync_up(f->s);
}

/* Feed a message built with jansson (reference stolen). */
static int
feed(struct fixture *f, json_t *msg)
{
	char	*text = proto_dump(msg);
	int	 rv;

	json_decref(msg);
	rv = sync_receive(f->s, text, strlen(text));
	free(text);
	return (rv);
}

/* Feed a message to another sync (reference stolen). */
static int
sync_receive_json(struct sync *s, json_t *msg)
{
	char	*text = proto_dump(msg);
	int	 rv;

	json_decref(msg);
	rv = sync_receive(s, text, strlen(text));
	free(text);
	return (rv);
}

static int
feed_text(struct fixture *f, const char *text)
{
	return (sync_receive(f->s, text, strlen(text)));
}

static json_t *
welcome_json(void)
{
	return (json_pack("{s:s s:i s:s s:s s:[] s:i}", "type", "welcome",
	    "proto", 1, "operator", "demo", "role", "operator", "areas",
	    "seq", 1));
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

static json_t *
hospital_json(const char *id, uint32_t version, int er)
{
	struct hospital	 h;
	json_t		*o;

	memset(&h, 0, sizeof h);
	strcpy(h.id, id);
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	strcpy(h.area, "HL");
	h.beds = 100;
	h.beds_used = 50;
	h.er_waiting = er;
	h.version = version;
	o = proto_hospital_encode(&h);
	hospital_clear(&h);
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

/* A snapshot at seq with n alerts, over SYNC_STREAM_MIN when n is large. */
static json_t *
big_snapshot_json(uint64_t seq, int n, int gap)
{
	json_t	*o = snapshot_json(seq, gap), *alerts;
	char	 id[16];
	int	 i;

	alerts = json_object_get(o, "alerts");
	for (i = 2; i <= n; i++) {
		snprintf(id, sizeof id, "A-%d", i);
		json_array_append_new(alerts, alert_json(id, ALERT_NEW, 1));
	}
	return (o);
}

/*
 * Test functions:
 *   sync_receive (a large snapshot is read item by item: the same store
 *   as parsed whole, gap and bad items as ever; one that needs its
 *   strings mended still loads, the usual way; the remove event of an
 *   item drops it)
 */
static void
test_sync_big_snapshot(void **state)
{
	struct fixture	*f = *state;
	struct store	*want = store_new();
	json_t		*snap, *ev;
	char		*text, *cause = NULL, *p, d1[17], d2[17];
	int		 n = 4000;

	up(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	snap = big_snapshot_json(7, n, 1);
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    5), "state", json_string("exploded"));
	text = proto_dump(snap);
	assert_true(strlen(text) > SYNC_STREAM_MIN);
	assert_int_equal(store_load_snapshot_skip(want, snap, STORE_SANITIZE,
	    NULL, NULL, &cause), -1);
	free(cause);
	json_array_remove(json_object_get(snap, "alerts"), 5);
	assert_int_equal(store_load_snapshot(want, snap, STORE_SANITIZE,
	    &cause), 0);
	assert_int_equal(feed_text(f, text), 0);
	free(text);
	assert_int_equal(f->store->nalerts, (size_t)n - 1);
	assert_int_equal(f->s->st.skipped, 1);
	assert_non_null(strstr(f->message, "could not be read"));
	assert_true(f->s->have_state);
	store_digest(want, d1);
	store_digest(f->store, d2);
	assert_string_equal(d1, d2);

	/* A string jansson refuses: the usual way mends it. */
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    0), "title", json_string("aXNULLXb"));
	text = proto_dump(snap);
	p = strstr(text, "XNULLX");
	memcpy(p, "\\u0000", 6);	/* "a\u0000b" */
	assert_int_equal(feed_text(f, text), 0);
	free(text);
	assert_int_equal(f->store->seq, 7);
	assert_int_equal(f->store->nalerts, (size_t)n - 1);
	assert_string_equal(store_alert(f->store, "A-1")->title, "a\xef\xbf\xbd"
	    "b");

	/* The remove event of an item drops it; one of nothing is no error. */
	ev = proto_remove_new(8, 5, "alert", alert_json("A-3", ALERT_CLOSED,
	    1));
	assert_int_equal(feed(f, ev), 0);
	assert_null(store_alert(f->store, "A-3"));
	assert_int_equal(f->store->seq, 8);
	ev = proto_remove_new(9, 5, "alert", alert_json("A-3", ALERT_CLOSED,
	    1));
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(f->store->seq, 9);
	assert_int_equal(f->s->st.bad, 0);
	json_decref(snap);
	store_free(want);
}

/*
 * Test functions:
 *   sync_create, sync_free
 */
static void
test_sync_create(void **state)
{
	struct store	*st = store_new();
	struct sync	*s;

	(void)state;
	s = sync_create(st, NULL);
	assert_int_equal(strncmp(s->prefix, "c-", 2), 0);
	assert_int_equal(strlen(s->prefix), 2 + 2 * SYNC_PREFIX_BYTES);
	assert_int_equal(s->st.link, SYNC_LINK_CONNECTING);
	assert_false(sync_online(s));
	/* No transport yet: nothing goes anywhere, nothing breaks. */
	sync_up(s);
	assert_true(sync_online(s));
	sync_down(s, SYNC_LINK_RECONNECTING, NULL);
	sync_free(s);
	sync_free(NULL);
	store_free(st);
}

/*
 * Test functions:
 *   sync_up (hello: resume once a snapshot is in, gauge_ms, requests
 *   resent), sync_down
 */
static void
test_sync_hello(void **state)
{
	struct fixture	*f = *state;
	json_t		*msg;
	char		*cause = NULL;

	f->s->gauge_ms = 2000;
	sync_up(f->s);
	assert_int_equal(f->nout, 1);
	msg = out_msg(f, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "type")),
	    "hello");
	assert_null(json_object_get(msg, "resume"));
	assert_int_equal(json_integer_value(json_object_get(msg,
	    "gauge_ms")), 2000);
	json_decref(msg);
	assert_int_equal(f->s->st.link, SYNC_LINK_CONNECTED);
	out_clear(f);

	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, snapshot_json(41, 0)), 0);
	assert_int_equal(sync_send_digest(f->s, &cause), 0);
	out_clear(f);
	bounce(f);
	/* The resume, then the digest request that had no answer. */
	assert_int_equal(f->nout, 2);
	msg = out_msg(f, 0);
	assert_int_equal(json_integer_value(json_object_get(msg, "resume")),
	    41);
	json_decref(msg);
	msg = out_msg(f, 1);
	assert_string_equal(json_string_value(json_object_get(msg, "type")),
	    "digest");
	json_decref(msg);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "link lost: test"));

	/* Down for good: stale from now, and not online. */
	sync_down(f->s, SYNC_LINK_OFFLINE, "gone");
	assert_int_equal(f->s->st.link, SYNC_LINK_OFFLINE);
	assert_true(f->s->st.stale_since > 0);
	assert_false(sync_online(f->s));
}

static int64_t	clock_seen;

static void
fx_clock(void *arg, int64_t now)
{
	(void)arg;
	clock_seen = now;
}

/*
 * Test functions:
 *   sync_receive (the welcome's "now" reaches the clock hook; a bad one
 *   is refused with the welcome)
 */
static void
test_sync_welcome_clock(void **state)
{
	struct fixture	*f = *state;

	f->s->hooks.clock = fx_clock;
	clock_seen = 0;
	up(f);
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i s:I}",
	    "type", "welcome", "proto", 1, "operator", "lan", "role",
	    "operator", "areas", "seq", 1, "now", (json_int_t)1771000000000)),
	    0);
	assert_true(clock_seen == 1771000000000);
	/* Without "now" (an older backend), nothing is said. */
	clock_seen = 0;
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_true(clock_seen == 0);
	f->s->hooks.clock = NULL;
}

/*
 * Test functions:
 *   sync_receive (welcome, snapshot, events in order, gap, duplicate)
 */
static void
test_sync_session(void **state)
{
	struct fixture	*f = *state;
	struct alert	*a;

	up(f);
	assert_int_equal(feed(f, json_pack("{s:s s:i s:s s:s s:[] s:i s:b}",
	    "type", "welcome", "proto", 1, "operator", "trực\033[2J ban",
	    "role", "operator", "areas", "seq", 41, "exercise", 1)), 0);
	assert_string_equal(f->s->st.operator, "trực ban");
	assert_string_equal(f->s->st.role, "operator");
	assert_true(f->s->st.exercise);
	assert_true(f->s->welcomed);

	/* An event before any snapshot is ignored. */
	assert_int_equal(feed(f, proto_event_new(42, 5, "alert",
	    alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), 0);
	assert_null(store_alert(f->store, "A-1"));

	assert_int_equal(feed(f, snapshot_json(41, 0)), 0);
	assert_true(f->s->have_state);
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
	assert_int_equal(f->ndrop, 1);
	/* Until the link is down, nothing more is read. */
	assert_int_equal(feed(f, proto_event_new(43, 5, "alert",
	    alert_json("A-1", ALERT_DISPATCHED, 3))), -1);
	assert_int_equal(f->store->seq, 42);

	/* A snapshot with a gap replaces everything and says so. */
	bounce(f);
	assert_int_equal(feed(f, snapshot_json(90, 1)), 0);
	assert_int_equal(f->store->seq, 90);
	assert_int_equal(store_alert(f->store, "A-1")->state, ALERT_NEW);
	assert_non_null(strstr(f->message, "events were lost"));
}

/*
 * Test functions:
 *   sync_receive (malformed input is shown, never fatal)
 */
static void
test_sync_bad_input(void **state)
{
	struct fixture	*f = *state;
	json_t		*ev, *item;

	up(f);
	assert_int_equal(feed_text(f, "{nope"), 0);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "bad message"));
	assert_int_equal(sync_receive(f->s, "", 0), 0);
	assert_int_equal(feed_text(f, "[1]"), 0);
	assert_int_equal(feed(f, json_pack("{s:s}", "type", "snapshot")), 0);
	assert_false(f->s->have_state);
	assert_int_equal(f->s->st.bad, 4);
	/* A client-side message type from the server. */
	assert_int_equal(feed(f, json_pack("{s:s s:i}", "type", "hello",
	    "proto", 1)), 0);
	assert_non_null(strstr(f->message, "unexpected hello"));

	/* A bad item in an event in sequence: skipped, seq moves on. */
	assert_int_equal(feed(f, snapshot_json(5, 0)), 0);
	assert_int_equal(f->s->st.bad, 0);
	item = alert_json("A-1", ALERT_NEW, 2);
	json_object_set_new(item, "severity", json_integer(9));
	ev = proto_event_new(6, 5, "alert", item);
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(f->store->seq, 6);
	assert_non_null(strstr(f->message, "bad event 6"));
	assert_int_equal(f->s->st.skipped, 1);

	/* An error from the backend, sanitised. */
	assert_int_equal(feed(f, proto_error_new(PROTO_E_RATE_LIMITED,
	    "slow \033]0;pwned\007down")), 0);
	assert_true(f->error);
	assert_string_equal(f->message, "backend: rate_limited: slow down");

	/* The parser quotes what it could not read: never raw. */
	assert_int_equal(feed_text(f, "{\"type\":\"event\",\"seq\":7,"
	    "x\xe2\x80\xae\033]0;t\007}"), 0);
	assert_true(f->error);
	assert_null(strchr(f->message, '\033'));
	assert_null(strstr(f->message, "\xe2\x80\xae"));
	assert_int_equal(feed_text(f, "{\"type\":\"a\xe2\x80\xae"
	    "b\033]0;t\007\"}"), 0);
	assert_non_null(strstr(f->message, "unknown message type"));
	assert_null(strchr(f->message, '\033'));
	assert_null(strchr(f->message, '\007'));
	assert_null(strstr(f->message, "\xe2\x80\xae"));
}

static struct sync_result	fx_last;
static char			fx_last_summary[64], fx_last_code[64];
static int			fx_nresults;

static void
fx_result(void *arg, const struct sync_result *r)
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
 *   sync_send_cmd (offline: queued in the outbox), sync_receive (the
 *   queue goes out after the snapshot, in order, ids kept; results),
 *   sync_online
 */
static void
test_sync_commands(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, id1[64], id2[64];
	json_t			*msg;

	/* Offline: accepted into the outbox, nothing on the wire. */
	assert_false(sync_online(f->s));
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s s:i}",
	    "alert", "A-1", "version", 3), "ack A-1", &cause), 1);
	assert_int_equal(f->nout, 0);
	assert_int_equal(f->s->outbox->n, 1);
	e = TAILQ_FIRST(&f->s->outbox->list);
	assert_int_equal(e->state, OUTBOX_QUEUED);
	snprintf(id1, sizeof id1, "%s", e->id);
	assert_int_equal(strncmp(id1, f->s->prefix, strlen(f->s->prefix)),
	    0);

	/* Up, welcomed, but no state yet: still queued. */
	up(f);
	assert_true(sync_online(f->s));
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s s:i}",
	    "alert", "A-2", "version", 1), "ack A-2", &cause), 1);
	assert_int_equal(f->nout, 0);

	/* The snapshot: both go out, in order, with their ids. */
	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	assert_int_equal(f->nout, 2);
	msg = out_msg(f, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "type")),
	    "cmd");
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    id1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    msg, "args"), "version")), 3);
	json_decref(msg);
	msg = out_msg(f, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    msg, "args"), "alert")), "A-2");
	snprintf(id2, sizeof id2, "%s",
	    json_string_value(json_object_get(msg, "id")));
	json_decref(msg);
	assert_string_not_equal(id1, id2);
	assert_int_equal(outbox_count(f->s->outbox, OUTBOX_SENT), 2);

	/* Ready: a new command goes at once. */
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s}",
	    "alert", "A-3"), "ack A-3", &cause), 0);
	assert_int_equal(f->nout, 3);

	/* Results find their command and take it out of the outbox;
	 * unknown ids are ignored. */
	assert_int_equal(feed(f, proto_result_ok("c-other-1", 7)), 0);
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_false(f->error);
	assert_string_equal(f->message, "✓ ack A-1");
	assert_null(outbox_find(f->s->outbox, id1));
	assert_int_equal(feed(f, proto_result_err(id2, PROTO_E_BAD_STATE,
	    "A-2 is closed\033[0m")), 0);
	assert_true(f->error);
	assert_string_equal(f->message, "✗ ack A-2: A-2 is closed");
	assert_int_equal(f->s->outbox->n, 1);
	/* A second answer to the same id changes nothing. */
	free(f->message);
	f->message = NULL;
	assert_int_equal(feed(f, proto_result_ok(id1, 7)), 0);
	assert_null(f->message);

	/* The link drops and comes back with a resume: what was sent and
	 * not answered goes again, same id, after the welcome. */
	e = TAILQ_FIRST(&f->s->outbox->list);
	snprintf(id1, sizeof id1, "%s", e->id);
	bounce(f);
	out_clear(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->nout, 1);
	msg = out_msg(f, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    id1);
	json_decref(msg);

	/* With a result hook, results go there, with what was sent. */
	f->s->hooks.result = fx_result;
	fx_nresults = 0;
	assert_int_equal(feed(f, proto_result_err(id1,
	    PROTO_E_STALE_VERSION, "A-3 changed")), 0);
	assert_int_equal(fx_nresults, 1);
	assert_string_equal(fx_last_summary, "ack A-3");
	assert_string_equal(fx_last_code, "stale_version");
	assert_int_equal(f->s->outbox->n, 0);

	/* ASCII terminals get words, not glyphs. */
	f->s->hooks.result = NULL;
	f->s->ascii = 1;
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s}",
	    "alert", "A-4"), "ack A-4", &cause), 0);
	e = TAILQ_LAST(&f->s->outbox->list, outbox_list);
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

/* The version in the args of the n-th message sent. */
static json_int_t
out_version(struct fixture *f, int n)
{
	json_t		*msg = out_msg(f, n);
	json_int_t	 v;

	assert_non_null(msg);
	v = json_integer_value(json_object_get(json_object_get(msg, "args"),
	    "version"));
	json_decref(msg);
	return (v);
}

/*
 * Test functions:
 *   sync_send_cmd, sync_receive (commands on one item go one at a time;
 *   after a success the next takes the item's new version, after a
 *   refusal it keeps the version it had)
 */
static void
test_sync_one_at_a_time(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, id1[64], id2[64], id3[64];

	/* Three notes on A-1 typed offline, all at version 1. */
	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sync_send_cmd(f->s, "note", json_pack(
		    "{s:s s:s s:i}", "alert", "A-1", "text", "x", "version", 1),
		    "note A-1", &cause), 1);
	e = TAILQ_FIRST(&f->s->outbox->list);
	snprintf(id1, sizeof id1, "%s", e->id);
	snprintf(id2, sizeof id2, "%s", TAILQ_NEXT(e, entry)->id);
	snprintf(id3, sizeof id3, "%s",
	    TAILQ_NEXT(TAILQ_NEXT(e, entry), entry)->id);

	/* The link is back: only the first goes. */
	up(f);
	assert_true(f->s->resuming);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->nout, 1);
	assert_int_equal(out_version(f, 0), 1);
	out_clear(f);

	/* It succeeds (its event first): the second goes, at version 2. */
	feed_alert(f, 2);
	assert_int_equal(feed(f, proto_result_ok(id1, f->store->seq)), 0);
	assert_int_equal(f->nout, 1);
	assert_int_equal(out_version(f, 0), 2);
	assert_non_null(strstr(outbox_find(f->s->outbox, id2)->text,
	    "\"version\":2"));
	out_clear(f);

	/*
	 * It is refused (somebody else changed A-1): the third keeps
	 * version 2, what the officer saw plus the officer's own change,
	 * and is refused in turn.
	 */
	feed_alert(f, 3);
	assert_int_equal(feed(f, proto_result_err(id2, PROTO_E_STALE_VERSION,
	    "A-1 changed")), 0);
	assert_int_equal(f->nout, 1);
	assert_int_equal(out_version(f, 0), 2);
	out_clear(f);
	assert_int_equal(feed(f, proto_result_ok(id3, 0)), 0);
	assert_int_equal(f->s->outbox->n, 0);

	/* Online, a command on another item is not held. */
	assert_int_equal(sync_send_cmd(f->s, "note", json_pack("{s:s s:s}",
	    "alert", "A-1", "text", "y"), "note A-1", &cause), 0);
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s}",
	    "alert", "A-2"), "ack A-2", &cause), 0);
	assert_int_equal(sync_send_cmd(f->s, "note", json_pack("{s:s s:s}",
	    "alert", "A-1", "text", "z"), "note A-1", &cause), 0);
	assert_int_equal(f->nout, 2);
	assert_int_equal(outbox_count(f->s->outbox, OUTBOX_QUEUED), 1);
}

/*
 * Test functions:
 *   sync_send_cmd, sync_receive, sync_timer (at most SYNC_INFLIGHT_MAX
 *   in flight; a rate_limited command is kept and sent again, same id,
 *   after a pause)
 */
static void
test_sync_pacing(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	*e;
	char			*cause = NULL, alert[16], first[64];
	json_t			*msg;
	int			 i;

	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	for (i = 0; i < SYNC_INFLIGHT_MAX + 4; i++) {
		snprintf(alert, sizeof alert, "A-%d", i);
		assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s}",
		    "alert", alert), "ack", &cause), 1);
	}
	up(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->nout, SYNC_INFLIGHT_MAX);
	out_clear(f);

	/* One answer lets one more go. */
	e = TAILQ_FIRST(&f->s->outbox->list);
	assert_int_equal(feed(f, proto_result_ok(e->id, 0)), 0);
	assert_int_equal(f->nout, 1);
	out_clear(f);

	/* rate_limited: not reported, kept, and nothing goes for a while. */
	free(f->message);
	f->message = NULL;
	e = TAILQ_FIRST(&f->s->outbox->list);
	snprintf(first, sizeof first, "%s", e->id);
	assert_int_equal(feed(f, proto_result_err(first,
	    PROTO_E_RATE_LIMITED, "too many messages")), 0);
	assert_null(f->message);
	assert_int_equal(e->state, OUTBOX_QUEUED);
	assert_true(f->s->throttled);
	assert_int_equal(f->timer[SYNC_TIMER_PUMP], SYNC_THROTTLE_MS);
	assert_int_equal(f->s->outbox->n, SYNC_INFLIGHT_MAX + 3);
	assert_int_equal(sync_send_cmd(f->s, "ack", json_pack("{s:s}",
	    "alert", "B-1"), "ack", &cause), 0);
	assert_int_equal(f->nout, 0);
	/* The pause over (the timer), it goes again with its id. */
	sync_timer(f->s, SYNC_TIMER_PUMP);
	assert_false(f->s->throttled);
	e = TAILQ_NEXT(e, entry);
	assert_int_equal(feed(f, proto_result_ok(e->id, 0)), 0);
	assert_true(f->nout >= 1);
	msg = out_msg(f, 0);
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
	    first);
	json_decref(msg);
	assert_int_equal(outbox_count(f->s->outbox, OUTBOX_SENT),
	    SYNC_INFLIGHT_MAX);
}

/*
 * Test functions:
 *   sync_send_digest, sync_receive (digest result; what a digest says
 *   when items were left out)
 */
static void
test_sync_digest(void **state)
{
	struct fixture		*f = *state;
	struct sync_pending	*p;
	char			*cause = NULL, ours[17];
	json_t			*r, *ev, *item;

	assert_int_equal(sync_send_digest(f->s, &cause), -1);
	assert_string_equal(cause, "offline");
	free(cause);
	cause = NULL;
	assert_int_equal(feed(f, snapshot_json(12, 0)), 0);
	up(f);
	assert_int_equal(sync_send_digest(f->s, &cause), 0);
	p = TAILQ_LAST(&f->s->pending, sync_pendingq);
	store_digest(f->store, ours);
	r = proto_result_ok(p->id, 12);
	json_object_set_new(r, "digest", json_string(ours));
	assert_int_equal(feed(f, r), 0);
	assert_false(f->error);
	assert_non_null(strstr(f->message, ours));

	assert_int_equal(sync_send_digest(f->s, &cause), 0);
	p = TAILQ_LAST(&f->s->pending, sync_pendingq);
	r = proto_result_ok(p->id, 12);
	json_object_set_new(r, "digest", json_string("0000000000000000"));
	assert_int_equal(feed(f, r), 0);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "differs"));

	/* An item left out: the digest says so beside the mismatch. */
	item = alert_json("A-2", ALERT_NEW, 1);
	json_object_set_new(item, "kind", json_string("meteor"));
	ev = proto_event_new(13, 5, "alert", item);
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(sync_send_digest(f->s, &cause), 0);
	p = TAILQ_LAST(&f->s->pending, sync_pendingq);
	r = proto_result_ok(p->id, 13);
	json_object_set_new(r, "digest", json_string("0000000000000000"));
	assert_int_equal(feed(f, r), 0);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "left out 1 item"));
}

/*
 * Test functions:
 *   sync_up, sync_timer, sync_progress (the welcome is due, then the
 *   snapshot, again while parts of it arrive; either late drops the link
 *   with a message; a resume waits for no snapshot)
 */
static void
test_sync_deadlines(void **state)
{
	struct fixture	*f = *state;

	up(f);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], SYNC_WELCOME_MS);
	sync_timer(f->s, SYNC_TIMER_DEADLINE);
	assert_int_equal(f->ndrop, 1);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "no answer to hello"));
	/* A second firing, or anything that comes, changes nothing. */
	sync_timer(f->s, SYNC_TIMER_DEADLINE);
	assert_int_equal(f->ndrop, 1);

	sync_down(f->s, SYNC_LINK_CONNECTING, "dropped");
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], -1);
	up(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], SYNC_SNAPSHOT_MS);
	/* A large snapshot on its way: the deadline starts again. */
	f->timer[SYNC_TIMER_DEADLINE] = 0;
	sync_progress(f->s);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], SYNC_SNAPSHOT_MS);
	f->timer[SYNC_TIMER_DEADLINE] = 0;
	sync_progress(f->s);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], 0);
	sync_timer(f->s, SYNC_TIMER_DEADLINE);
	assert_int_equal(f->ndrop, 2);
	assert_non_null(strstr(f->message, "no snapshot"));

	/* In time: the deadline is off. */
	sync_down(f->s, SYNC_LINK_CONNECTING, "dropped");
	up(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, snapshot_json(3, 0)), 0);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], -1);
	sync_timer(f->s, SYNC_TIMER_DEADLINE);
	assert_int_equal(f->ndrop, 2);

	/* A snapshot before the welcome: nothing more is due after it. */
	sync_down(f->s, SYNC_LINK_RECONNECTING, "test");
	f->s->fresh = 1;
	up(f);
	assert_int_equal(feed(f, snapshot_json(4, 0)), 0);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], SYNC_WELCOME_MS);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], -1);
	assert_true(f->s->ready);

	/* A resume: the welcome is all that is due. */
	sync_down(f->s, SYNC_LINK_RECONNECTING, "test");
	up(f);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], SYNC_WELCOME_MS);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->timer[SYNC_TIMER_DEADLINE], -1);

	/* Stopped: no timers, no hooks. */
	sync_stop(f->s);
	f->nstatus = 0;
	sync_down(f->s, SYNC_LINK_RECONNECTING, "exit");
	assert_int_equal(f->nstatus, 0);
}

/* Replace the first from in text (freed) with to; returns the result. */
static char *
replace(char *text, const char *from, const char *to)
{
	char	*p, *out;

	assert_non_null(p = strstr(text, from));
	xasprintf(&out, "%.*s%s%s", (int)(p - text), text, to,
	    p + strlen(from));
	free(text);
	return (out);
}

/* A snapshot text with good and bad items, built by hand. */
static char *
snapshot_bad_items(uint64_t seq)
{
	json_t	*o, *alerts, *bad, *hospitals;
	char	*big, *text;
	size_t	 n = 100 * 1024;

	o = snapshot_json(seq, 0);
	alerts = json_object_get(o, "alerts");
	/* A 100 KB title. */
	big = xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	bad = alert_json("A-2", ALERT_NEW, 1);
	json_object_set_new(bad, "title", json_string(big));
	json_array_append_new(alerts, bad);
	free(big);
	/* A 16-character id. */
	json_array_append_new(alerts, alert_json("A-0123456789abcd",
	    ALERT_NEW, 1));
	/* An unknown enum. */
	bad = alert_json("A-3", ALERT_NEW, 1);
	json_object_set_new(bad, "state", json_string("on_fire"));
	json_array_append_new(alerts, bad);
	/* Markers for what jansson refuses in text: filled in below. */
	json_array_append_new(alerts, alert_json("A-NULID", ALERT_NEW, 1));
	bad = alert_json("A-4", ALERT_NEW, 1);
	json_object_set_new(bad, "title", json_string("SURROGATE"));
	json_array_append_new(alerts, bad);
	json_array_append_new(alerts, alert_json("A-5", ALERT_NEW, 1));
	hospitals = json_object_get(o, "hospitals");
	json_array_append_new(hospitals, hospital_json("H-1", 1, 3));
	/* An area without a code. */
	json_array_append_new(json_object_get(o, "areas"),
	    json_pack("{s:s}", "name", "Nowhere"));
	text = proto_dump(o);
	json_decref(o);
	/* "\u0000" in an id, a lone surrogate in a title. */
	text = replace(text, "A-NULID", "A-\\u0000");
	return (replace(text, "\"SURROGATE\"", "\"x\\ud800y\""));
}

/*
 * Test functions:
 *   sync_receive (a snapshot with bad items: each is left out, counted
 *   and logged; the rest is shown; an event brings one back whole)
 */
static void
test_sync_skip_items(void **state)
{
	struct fixture	*f = *state;
	char		*text;
	struct alert	*a;

	up(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	text = snapshot_bad_items(20);
	assert_int_equal(feed_text(f, text), 0);
	free(text);
	assert_true(f->s->have_state);
	assert_int_equal(f->store->seq, 20);
	assert_non_null(store_alert(f->store, "A-1"));
	assert_non_null(store_alert(f->store, "A-5"));
	assert_non_null(store_hospital(f->store, "H-1"));
	assert_null(store_alert(f->store, "A-2"));
	assert_null(store_alert(f->store, "A-3"));
	/* The lone surrogate is read as U+FFFD; the item stays. */
	assert_non_null(a = store_alert(f->store, "A-4"));
	assert_string_equal(a->title, "x\xef\xbf\xbdy");
	assert_int_equal(f->store->nalerts, 3);
	assert_int_equal(f->store->nareas, 1);
	/* 100 KB title, long id, unknown state, NUL in id; an area. */
	assert_int_equal(f->s->st.skipped, 5);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "5 items from the backend could "
	    "not be read"));
	assert_true(f->s->ready);

	/* Later events: A-2 whole is applied and no longer skipped. */
	assert_int_equal(feed(f, proto_event_new(21, 5, "alert",
	    alert_json("A-2", ALERT_ACKNOWLEDGED, 2))), 0);
	assert_non_null(a = store_alert(f->store, "A-2"));
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_int_equal(f->s->st.skipped, 4);
	assert_int_equal(f->store->seq, 21);

	/* A fresh snapshot without bad items: whole again. */
	assert_int_equal(feed(f, snapshot_json(30, 0)), 0);
	assert_int_equal(f->s->st.skipped, 0);

	/* A broken envelope fails the snapshot, not the store. */
	assert_int_equal(feed(f, json_pack("{s:s s:i s:{}}", "type",
	    "snapshot", "seq", 31, "province")), -1);
	assert_int_equal(f->store->seq, 30);
	assert_non_null(store_alert(f->store, "A-1"));
	assert_int_equal(f->s->st.bad, 1);
	assert_int_equal(f->ndrop, 1);
}

/*
 * Test functions:
 *   sync_receive (strings jansson refuses whole are mended: NUL, lone
 *   surrogates, raw controls, invalid UTF-8; a broken escape is not)
 */
static void
test_sync_mend(void **state)
{
	struct fixture	*f = *state;
	struct alert	*a;
	json_t		*ev;
	char		*text;

	assert_int_equal(feed(f, snapshot_json(1, 0)), 0);
	ev = proto_event_new(2, 5, "alert", alert_json("A-1", ALERT_NEW, 2));
	json_object_set_new(json_object_get(ev, "item"), "title",
	    json_string("TITLE-HERE"));
	text = proto_dump(ev);
	json_decref(ev);
	/* A NUL, a raw ESC, a lone low surrogate, a stray byte, a pair. */
	text = replace(text, "TITLE-HERE",
	    "a\\u0000\033[1m\\udc00\xff\\ud83d\\ude92");
	assert_int_equal(feed_text(f, text), 0);
	free(text);
	assert_int_equal(f->store->seq, 2);
	assert_non_null(a = store_alert(f->store, "A-1"));
	assert_string_equal(a->title, "a\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xf0\x9f\x9a\x92");
	assert_int_equal(f->s->st.bad, 0);

	/* Nothing to mend in a broken escape: still unreadable. */
	assert_int_equal(feed_text(f, "{\"type\":\"error\",\"code\":\"x\","
	    "\"message\":\"\\u12\"}"), 0);
	assert_int_equal(f->s->st.bad, 1);
	/* A truncated text ending in a backslash. */
	assert_int_equal(feed_text(f, "{\"type\":\"x\\"), 0);
	assert_int_equal(f->s->st.bad, 2);
}

/* An event at seq that jansson cannot read: how, by n. */
static char *
unreadable_event(uint64_t seq, int n)
{
	char	*text, *deep;
	int	 i, depth = 3000;

	switch (n) {
	case 0:		/* No ts. */
		xasprintf(&text, "{\"type\":\"event\",\"seq\":%llu,"
		    "\"kind\":\"alert\",\"item\":{}}", (unsigned long long)seq);
		break;
	case 1:		/* A number of 2^63. */
		xasprintf(&text, "{\"type\":\"event\",\"seq\":%llu,\"ts\":"
		    "9223372036854775808,\"kind\":\"alert\",\"item\":{}}",
		    (unsigned long long)seq);
		break;
	default:	/* Deeper than jansson goes. */
		deep = xmalloc(2 * depth + 1);
		for (i = 0; i < depth; i++) {
			deep[i] = '[';
			deep[2 * depth - 1 - i] = ']';
		}
		deep[2 * depth] = '\0';
		xasprintf(&text, "{\"type\":\"event\",\"seq\":%llu,\"ts\":1,"
		    "\"kind\":\"alert\",\"item\":{\"x\":%s}}",
		    (unsigned long long)seq, deep);
		free(deep);
		break;
	}
	return (text);
}

/* The resume asked in the last hello, or -1 without one. */
static json_int_t
hello_resume(struct fixture *f)
{
	json_t		*msg;
	json_int_t	 v = -1;
	int		 i;

	for (i = f->nout - 1; i >= 0; i--) {
		msg = out_msg(f, i);
		if (strcmp(json_string_value(json_object_get(msg, "type")),
		    "hello") == 0) {
			if (json_object_get(msg, "resume") != NULL)
				v = json_integer_value(json_object_get(msg,
				    "resume"));
			json_decref(msg);
			return (v);
		}
		json_decref(msg);
	}
	fail_msg("no hello sent");
	return (-1);
}

/*
 * Test functions:
 *   sync_receive, sync_up (an event nobody can read: the gap after it
 *   resumes once, then asks for a fresh snapshot, never rewriting seq;
 *   a backend whose snapshot stays behind it is skipped the third time)
 */
static void
test_sync_unreadable(void **state)
{
	struct fixture	*f = *state;
	char		*bad;
	int		 how;

	for (how = 0; how < 3; how++) {
		sync_down(f->s, SYNC_LINK_RECONNECTING, "next");
		f->s->fresh = 0;
		f->s->gaps = 0;
		up(f);
		assert_int_equal(feed(f, welcome_json()), 0);
		assert_int_equal(feed(f, snapshot_json(10, 0)), 0);
		bad = unreadable_event(11, how);

		/* Dropped, counted, seq unmoved; the next is a gap. */
		assert_int_equal(feed_text(f, bad), 0);
		assert_int_equal(f->store->seq, 10);
		assert_int_equal(f->s->st.bad, 1);
		assert_int_equal(feed(f, proto_event_new(12, 5, "alert",
		    alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), -1);
		assert_non_null(strstr(f->message, "resuming"));

		/* The resume brings the same bytes: a fresh snapshot next. */
		bounce(f);
		assert_int_equal(hello_resume(f), 10);
		out_clear(f);
		assert_int_equal(feed(f, welcome_json()), 0);
		assert_int_equal(feed_text(f, bad), 0);
		assert_int_equal(feed(f, proto_event_new(12, 5, "alert",
		    alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), -1);
		assert_non_null(strstr(f->message, "reloading"));
		assert_int_equal(f->store->seq, 10);
		bounce(f);
		assert_int_equal(hello_resume(f), -1);
		out_clear(f);
		assert_int_equal(feed(f, welcome_json()), 0);
		assert_int_equal(feed(f, snapshot_json(12, 0)), 0);
		assert_int_equal(f->store->seq, 12);
		assert_int_equal(f->s->st.bad, 0);
		assert_int_equal(feed(f, proto_event_new(13, 5, "alert",
		    alert_json("A-1", ALERT_DISPATCHED, 3))), 0);
		assert_int_equal(f->store->seq, 13);
		free(bad);
	}

	/* A backend whose fresh snapshot stays behind the bad event. */
	bad = unreadable_event(14, 0);
	assert_int_equal(feed_text(f, bad), 0);
	assert_int_equal(feed(f, proto_event_new(15, 5, "alert",
	    alert_json("A-1", ALERT_DISPATCHED, 4))), -1);
	bounce(f);
	assert_int_equal(feed_text(f, bad), 0);
	assert_int_equal(feed(f, proto_event_new(15, 5, "alert",
	    alert_json("A-1", ALERT_DISPATCHED, 4))), -1);
	bounce(f);
	assert_int_equal(hello_resume(f), -1);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, snapshot_json(13, 0)), 0);
	assert_int_equal(feed_text(f, bad), 0);
	assert_int_equal(feed(f, proto_event_new(15, 5, "alert",
	    alert_json("A-1", ALERT_DISPATCHED, 4))), 0);
	assert_non_null(strstr(f->message, "skipped"));
	assert_int_equal(f->store->seq, 15);
	assert_int_equal(store_alert(f->store, "A-1")->version, 4);
	/* What could not be read is still shown until a snapshot. */
	assert_int_equal(f->s->st.bad, 1);
	free(bad);

	/* Too big for the host: counted the same way. */
	sync_unreadable(f->s, "message over 16777216 bytes from the backend "
	    "dropped");
	assert_int_equal(f->s->st.bad, 2);
}

/*
 * Test functions:
 *   sync_receive (conflated readings: applied when newer, out of the seq
 *   order, without touching seq, even at the largest seq there is)
 */
static void
test_sync_conflated(void **state)
{
	struct fixture	*f = *state;
	json_t		*snap, *ev;

	snap = snapshot_json(9223372036854775807ULL, 0);
	json_array_append_new(json_object_get(snap, "hospitals"),
	    hospital_json("H-1", 5, 1));
	assert_int_equal(feed(f, snap), 0);
	assert_int_equal(f->store->seq, 9223372036854775807ULL);

	ev = proto_event_new(9223372036854775807ULL, 5, "hospital",
	    hospital_json("H-1", 6, 9));
	json_object_set_new(ev, "conflated", json_true());
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(store_hospital(f->store, "H-1")->er_waiting, 9);
	assert_int_equal(store_hospital(f->store, "H-1")->version, 6);
	assert_int_equal(f->store->seq, 9223372036854775807ULL);

	/* Older than ours: left alone. */
	ev = proto_event_new(9223372036854775807ULL, 5, "hospital",
	    hospital_json("H-1", 4, 2));
	json_object_set_new(ev, "conflated", json_true());
	assert_int_equal(feed(f, ev), 0);
	assert_int_equal(store_hospital(f->store, "H-1")->er_waiting, 9);

	/* A new item comes in; a bad one is left out and counted. */
	ev = proto_event_new(3, 5, "hospital", hospital_json("H-2", 1, 4));
	json_object_set_new(ev, "conflated", json_true());
	assert_int_equal(feed(f, ev), 0);
	assert_non_null(store_hospital(f->store, "H-2"));
	ev = proto_event_new(3, 5, "hospital", hospital_json("H-3", 1, 4));
	json_object_set_new(json_object_get(ev, "item"), "beds",
	    json_integer(-1));
	json_object_set_new(ev, "conflated", json_true());
	assert_int_equal(feed(f, ev), 0);
	assert_null(store_hospital(f->store, "H-3"));
	assert_int_equal(f->s->st.skipped, 1);
	assert_int_equal(f->store->seq, 9223372036854775807ULL);
}

/*
 * Test functions:
 *   sync_receive (presence: the others, sanitised, roles that matter)
 */
static void
test_sync_presence(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, json_pack("{s:s s:[{s:s s:s s:i} {s:s s:s "
	    "s:i} {s:s s:s s:i}]}", "type", "presence", "operators",
	    "name", "demo", "role", "operator", "since", 1,
	    "name", "lan\033]0;x\007", "role", "supervisor", "since", 2,
	    "name", "minh", "role", "obs\xe2\x80\xae" "erver", "since", 3)), 0);
	assert_int_equal(f->s->st.npresence, 2);
	assert_string_equal(f->s->st.presence, "lan, minh (observer)");
}

/*
 * Test functions:
 *   sync_receive (presence from a district relay: "upstream" down makes
 *   the replica stale under a live link, up makes it fresh again)
 */
static void
test_sync_relay_upstream(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->s->st.stale_since, 0);
	assert_int_equal(feed(f, json_pack("{s:s s:[] s:s s:I}", "type",
	    "presence", "operators", "upstream", "down", "stale_since",
	    (json_int_t)1795482000000LL)), 0);
	assert_true(f->s->st.upstream_down);
	assert_int_equal(f->s->st.stale_since, 1795482000000LL);
	/* Another presence while down keeps the first time. */
	assert_int_equal(feed(f, json_pack("{s:s s:[] s:s s:I}", "type",
	    "presence", "operators", "upstream", "down", "stale_since",
	    (json_int_t)1795482099000LL)), 0);
	assert_int_equal(f->s->st.stale_since, 1795482000000LL);
	assert_int_equal(feed(f, json_pack("{s:s s:[] s:s}", "type",
	    "presence", "operators", "upstream", "up")), 0);
	assert_false(f->s->st.upstream_down);
	/* A backend that is no relay says nothing: nothing changes. */
	assert_int_equal(feed(f, json_pack("{s:s s:[]}", "type", "presence",
	    "operators")), 0);
	assert_false(f->s->st.upstream_down);
}

/*
 * Test functions:
 *   sync_up (asks for beats), sync_receive (welcome's beat_ms, beat),
 *   sync_progress, sync_timer (SYNC_TIMER_BEAT), sync_set_link and
 *   sync_down (stale since the last data, not since it was noticed)
 */
static void
test_sync_beat(void **state)
{
	struct fixture	*f = *state;
	const int64_t	 t0 = 1795320000000;
	json_t		*msg, *w;

	clock_set_fixed(t0);
	sync_up(f->s);
	msg = out_msg(f, 0);
	assert_true(json_is_true(json_object_get(msg, "beat")));
	json_decref(msg);
	out_clear(f);

	/* A backend without beats: no watchdog, however quiet. */
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, snapshot_json(41, 0)), 0);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], -1);
	clock_advance(60000);
	sync_timer(f->s, SYNC_TIMER_BEAT);
	assert_int_equal(f->ndrop, 0);
	assert_int_equal(f->s->st.link, SYNC_LINK_CONNECTED);
	/* Its link drops a minute later: stale since the snapshot came. */
	sync_down(f->s, SYNC_LINK_RECONNECTING, "closed");
	assert_int_equal(f->s->st.stale_since, t0);

	/* A backend with beats every 2 s: 6 s of silence is a dead link. */
	up(f);
	clock_advance(1000);
	w = welcome_json();
	json_object_set_new(w, "beat_ms", json_integer(2000));
	assert_int_equal(feed(f, w), 0);
	assert_int_equal(f->s->st.stale_since, 0);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], 2000 * SYNC_BEAT_MISSES);
	clock_advance(1500);
	assert_int_equal(feed_text(f, "{\"type\":\"beat\",\"ts\":1,"
	    "\"seq\":41}"), 0);
	assert_int_equal(f->s->store->seq, 41);
	assert_int_equal(f->s->st.bad, 0);
	clock_advance(4000);
	sync_timer(f->s, SYNC_TIMER_BEAT);
	assert_int_equal(f->ndrop, 0);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], 2000);
	/* A part of a large message is life too, and so is one unreadable. */
	clock_advance(500);
	sync_unreadable(f->s, "binary message from the backend dropped");
	assert_int_equal(f->s->rx_mono, 60000 + 1000 + 1500 + 4000 + 500);
	clock_advance(500);
	sync_progress(f->s);
	clock_advance(2000);
	sync_timer(f->s, SYNC_TIMER_BEAT);
	assert_int_equal(f->ndrop, 0);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], 4000);
	clock_advance(4000);
	sync_timer(f->s, SYNC_TIMER_BEAT);
	assert_int_equal(f->ndrop, 1);
	assert_int_equal(f->s->st.link, SYNC_LINK_RECONNECTING);
	assert_false(sync_online(f->s));
	/* Stale since the last byte, 6 s before it was noticed. */
	assert_int_equal(f->s->st.stale_since, t0 + 60000 + 1000 + 1500 +
	    4000 + 1000);
	assert_true(f->error);
	assert_non_null(strstr(f->message, "nothing from the backend for 6 s"));
	/* The host drops the link: the date and the words stay. */
	sync_down(f->s, SYNC_LINK_RECONNECTING, "closed");
	assert_int_equal(f->s->st.stale_since, t0 + 67500);
	assert_non_null(strstr(f->message, "nothing from the backend"));
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], -1);
	/* Back: fresh again, and the watchdog only after the welcome. */
	up(f);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], -1);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(f->s->st.stale_since, 0);
	assert_int_equal(f->timer[SYNC_TIMER_BEAT], -1);
	clock_set_real();
}

/* The events of a batch, in order (references stolen), as a message. */
static json_t *
batch_json(json_t *e1, json_t *e2, json_t *e3)
{
	json_t	*b = json_array();

	json_array_append_new(b, e1);
	json_array_append_new(b, e2);
	if (e3 != NULL)
		json_array_append_new(b, e3);
	return (json_pack("{s:s s:o}", "type", "batch", "events", b));
}

/*
 * Test functions:
 *   sync_receive (a batch is applied exactly as its events one by one: the
 *   same store and digest, the same gap on a missing seq, one unreadable
 *   element costing itself only), sync_up (the hello says "batch")
 */
static void
test_sync_batch(void **state)
{
	struct fixture	*f = *state;
	struct store	*one = store_new();
	struct sync	*s1;
	struct sync_hooks hooks;
	char		 d1[17], d2[17];
	json_t		*hello;

	sync_up(f->s);
	assert_non_null(hello = out_msg(f, 0));
	assert_true(json_is_true(json_object_get(hello, "batch")));
	json_decref(hello);
	out_clear(f);

	/* The same three events, alone into one store, batched into ours. */
	memset(&hooks, 0, sizeof hooks);
	s1 = sync_create(one, &hooks);
	sync_attach(s1, &fx_transport, f);
	sync_up(s1);
	out_clear(f);
	assert_int_equal(sync_receive_json(s1, welcome_json()), 0);
	assert_int_equal(sync_receive_json(s1, snapshot_json(41, 0)), 0);
	assert_int_equal(sync_receive_json(s1, proto_event_new(42, 5,
	    "alert", alert_json("A-1", ALERT_ACKNOWLEDGED, 2))), 0);
	assert_int_equal(sync_receive_json(s1, proto_event_new(43, 6,
	    "hospital", hospital_json("H-1", 1, 3))), 0);
	assert_int_equal(sync_receive_json(s1, proto_event_new(44, 7,
	    "alert", alert_json("A-1", ALERT_DISPATCHED, 3))), 0);

	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(feed(f, snapshot_json(41, 0)), 0);
	f->nchanged = 0;
	assert_int_equal(feed(f, batch_json(proto_event_new(42, 5, "alert",
	    alert_json("A-1", ALERT_ACKNOWLEDGED, 2)), proto_event_new(43, 6,
	    "hospital", hospital_json("H-1", 1, 3)), proto_event_new(44, 7,
	    "alert", alert_json("A-1", ALERT_DISPATCHED, 3)))), 0);
	assert_int_equal(f->store->seq, 44);
	assert_int_equal(f->nchanged, 3);
	store_digest(one, d1);
	store_digest(f->store, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(store_alert(f->store, "A-1")->state,
	    ALERT_DISPATCHED);

	/* A repeat inside a batch is ignored, as alone. */
	assert_int_equal(feed(f, batch_json(proto_event_new(44, 7, "alert",
	    alert_json("A-1", ALERT_NEW, 1)), proto_event_new(45, 8,
	    "hospital", hospital_json("H-1", 2, 4)), NULL)), 0);
	assert_int_equal(f->store->seq, 45);
	assert_int_equal(store_alert(f->store, "A-1")->state,
	    ALERT_DISPATCHED);

	/* An element that is no event costs itself: the next is a gap. */
	assert_int_equal(f->s->st.bad, 0);
	assert_int_equal(feed(f, batch_json(json_pack("{s:s s:i}", "type",
	    "event", "seq", 46), proto_event_new(47, 9, "hospital",
	    hospital_json("H-1", 3, 5)), proto_event_new(48, 9, "hospital",
	    hospital_json("H-1", 4, 6)))), -1);
	assert_int_equal(f->s->st.bad, 1);
	assert_int_equal(f->store->seq, 45);
	assert_int_equal(f->ndrop, 1);
	assert_non_null(strstr(f->message, "resuming"));

	/* A batch that is not one is a message we cannot read. */
	bounce(f);
	assert_int_equal(feed_text(f, "{\"type\":\"batch\",\"events\":{}}"),
	    0);
	assert_int_equal(f->s->st.bad, 2);
	assert_int_equal(f->store->seq, 45);

	sync_free(s1);
	store_free(one);
}

/* The parts of src at max bytes each; asserts there are at least min. */
static size_t
parts_of(const struct store *src, size_t max, size_t min,
    struct snapparts_part **v)
{
	size_t	n, i;
	json_t	*o;

	n = snapparts_split(src, 0, NULL, max, v);
	assert_true(n >= min);
	for (i = 0; i < n; i++) {
		/* Every part is a whole JSON object, a snapshot message. */
		assert_non_null(o = json_loadb((*v)[i].text, (*v)[i].len, 0,
		    NULL));
		assert_string_equal(json_string_value(json_object_get(o,
		    "type")), "snapshot");
		assert_int_equal(json_integer_value(json_object_get(o,
		    "part")), (json_int_t)i + 1);
		json_decref(o);
	}
	return (n);
}

static void
parts_free(struct snapparts_part *v, size_t n)
{
	while (n > 0)
		free(v[--n].text);
	free(v);
}

/*
 * Test functions:
 *   snapparts_split, snapparts_peek, snapparts_add, sync_receive (a
 *   snapshot in parts: the hello asks for them; parts, small or large,
 *   join to the same store and digest as the state they were cut from,
 *   and the state held changes only at the last; a part missing, out of
 *   its order or of another seq is an error that drops the link and
 *   loses nothing, nor does a link that goes mid-way; an item that does
 *   not decode costs itself)
 */
static void
test_sync_parts(void **state)
{
	struct fixture		*f = *state;
	struct store		*src = store_new(), *one;
	struct snapparts_part	*v, *w;
	struct hospital		 h;
	json_t			*snap, *hello, *item;
	char			*cause = NULL, d0[17], d1[17], d2[17];
	size_t			 n, m, i;

	sync_up(f->s);
	hello = out_msg(f, 0);
	assert_true(json_is_true(json_object_get(hello, "snapshot_parts")));
	json_decref(hello);
	out_clear(f);
	assert_int_equal(feed(f, welcome_json()), 0);

	/* A state of several kinds: alerts, then hospitals. */
	snap = big_snapshot_json(7, 3000, 0);
	assert_int_equal(store_load_snapshot(src, snap, 0, &cause), 0);
	json_decref(snap);
	for (i = 0; i < 5; i++) {
		item = hospital_json("H-0", 1, (int)i);
		json_object_set_new(item, "id", json_sprintf("H-%zu", i));
		assert_int_equal(proto_hospital_decode(item, &h, 0, &cause),
		    0);
		json_decref(item);
		store_put_hospital(src, &h);
	}
	store_digest(src, d0);

	/* A small state is one message, without part and parts. */
	one = store_new();
	snap = snapshot_json(3, 0);
	assert_int_equal(store_load_snapshot(one, snap, 0, &cause), 0);
	json_decref(snap);
	assert_int_equal(snapparts_split(one, 0, NULL, SNAPPARTS_BYTES, &v),
	    1);
	assert_null(strstr(v[0].text, "\"part\""));
	parts_free(v, 1);
	store_free(one);

	/* Large parts (read as large messages are) ... */
	n = parts_of(src, SYNC_STREAM_MIN + 16384, 3, &v);
	assert_true(v[1].len >= SYNC_STREAM_MIN);
	for (i = 0; i < n; i++) {
		assert_int_equal(sync_receive(f->s, v[i].text, v[i].len), 0);
		/* Nothing changes before the last. */
		if (i + 1 < n) {
			assert_false(f->s->have_state);
			assert_int_equal(f->store->nalerts, 0);
		}
	}
	assert_true(f->s->have_state);
	assert_int_equal(f->store->seq, 7);
	assert_int_equal(f->store->nalerts, 3000);
	assert_int_equal(f->store->nhospitals, 5);
	store_digest(f->store, d1);
	assert_string_equal(d0, d1);
	assert_int_equal(f->ndrop, 0);
	parts_free(v, n);

	/* ... and small ones, of a changed state at another seq. */
	assert_int_equal(store_remove(src, kind_get(KIND_ALERT), "A-10"), 0);
	src->seq = 9;
	store_digest(src, d2);
	n = parts_of(src, 40000, 10, &v);
	assert_true(v[1].len < SYNC_STREAM_MIN);

	/* A part missing: an error; the state held stays, the link goes. */
	assert_int_equal(sync_receive(f->s, v[0].text, v[0].len), 0);
	assert_int_equal(sync_receive(f->s, v[1].text, v[1].len), 0);
	assert_int_equal(sync_receive(f->s, v[3].text, v[3].len), -1);
	assert_int_equal(f->ndrop, 1);
	assert_int_equal(f->s->st.bad, 1);
	assert_null(f->s->join.st);
	assert_int_equal(f->store->seq, 7);
	store_digest(f->store, d1);
	assert_string_equal(d0, d1);

	/* A part of another snapshot (seq) in the middle: the same. */
	bounce(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	m = parts_of(src, 40000, 10, &w);
	snapparts_reset(&f->s->join);
	assert_int_equal(sync_receive(f->s, v[0].text, v[0].len), 0);
	src->seq = 10;
	parts_free(w, m);
	m = parts_of(src, 40000, 10, &w);
	assert_int_equal(sync_receive(f->s, w[1].text, w[1].len), -1);
	assert_int_equal(f->store->seq, 7);
	parts_free(w, m);

	/* Part 2 first: an error too. */
	bounce(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(sync_receive(f->s, v[1].text, v[1].len), -1);
	assert_int_equal(f->store->seq, 7);

	/* The link goes mid-way: the staging store goes with it. */
	bounce(f);
	assert_int_equal(feed(f, welcome_json()), 0);
	assert_int_equal(sync_receive(f->s, v[0].text, v[0].len), 0);
	assert_int_equal(sync_receive(f->s, v[1].text, v[1].len), 0);
	assert_non_null(f->s->join.st);
	sync_down(f->s, SYNC_LINK_RECONNECTING, "test");
	assert_null(f->s->join.st);
	store_digest(f->store, d1);
	assert_string_equal(d0, d1);

	/* All of them, in order: the new state, whole. */
	sync_up(f->s);
	assert_int_equal(feed(f, welcome_json()), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(sync_receive(f->s, v[i].text, v[i].len), 0);
	assert_int_equal(f->store->seq, 9);
	assert_int_equal(f->store->nalerts, 2999);
	store_digest(f->store, d1);
	assert_string_equal(d2, d1);
	assert_int_equal(f->s->st.bad, 0);
	parts_free(v, n);

	/* An item that does not decode costs itself. */
	n = parts_of(src, 40000, 10, &v);
	item = json_loadb(v[2].text, v[2].len, 0, NULL);
	json_object_set_new(json_array_get(json_object_get(item, "alerts"),
	    0), "state", json_string("exploded"));
	free(v[2].text);
	v[2].text = proto_dump(item);
	v[2].len = strlen(v[2].text);
	json_decref(item);
	for (i = 0; i < n; i++)
		assert_int_equal(sync_receive(f->s, v[i].text, v[i].len), 0);
	assert_int_equal(f->store->nalerts, 2998);
	assert_int_equal(f->s->st.skipped, 1);
	parts_free(v, n);
	store_free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_create),
		cmocka_unit_test_setup_teardown(test_sync_hello, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_welcome_clock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_one_at_a_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_pacing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_digest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_deadlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_skip_items, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_mend, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_unreadable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_conflated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_big_snapshot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_parts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_presence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_relay_upstream, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_beat, setup,
		    teardown),
	};

	log_level = LOG_ERROR;
	jarena_install();	/* As the console (console/main.c). */
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

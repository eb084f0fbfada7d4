/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/store.c: upserts, removals, events, snapshots, digests,
 * and the cost of loading a snapshot.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "proto.h"
#include "store.h"
#include "strpool.h"
#include "xmalloc.h"

static void
make_alert(struct alert *a, const char *id, int severity,
    enum alert_state state)
{
	memset(a, 0, sizeof *a);
	strcpy(a->id, id);
	a->kind = ALERT_FIRE;
	a->severity = severity;
	strcpy(a->area, "HL");
	a->place = xstrdup("Bãi Cháy");
	a->title = xstrdup("Cháy nhà dân");
	a->state = state;
	a->created = a->updated = 1000;
	a->version = 1;
}

static struct store *
make_store(void)
{
	struct store	*s = store_new();
	struct alert	 a;
	struct hospital	 h;

	free(s->province);
	s->province = xstrdup("Quảng Ninh");
	strcpy(s->province_code, "QN");
	store_add_area(s, "HL", "Hạ Long");
	store_add_area(s, "CP", "Cẩm Phả");
	store_add_department(s, "SYT", "Sở Y tế");
	make_alert(&a, "A-1", 4, ALERT_NEW);
	store_put_alert(s, &a);
	make_alert(&a, "A-2", 2, ALERT_RESOLVED);
	store_put_alert(s, &a);
	memset(&h, 0, sizeof h);
	strcpy(h.id, "BV-1");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	strcpy(h.area, "HL");
	h.beds = 100;
	h.version = 1;
	store_put_hospital(s, &h);
	s->seq = 10;
	return (s);
}

/*
 * Test functions:
 *   store_put_alert, store_alert, store_area, store_open_alerts
 */
static void
test_put_and_find(void **state)
{
	struct store	*s = make_store();
	struct alert	 a;

	(void)state;
	assert_int_equal(s->nalerts, 2);
	assert_non_null(store_alert(s, "A-1"));
	assert_null(store_alert(s, "A-3"));
	assert_string_equal(store_area(s, "CP")->name, "Cẩm Phả");
	assert_null(store_area(s, "XX"));
	assert_int_equal(store_open_alerts(s, 0), 1);
	assert_int_equal(store_open_alerts(s, 4), 1);
	assert_int_equal(store_open_alerts(s, 2), 0);
	/* Upsert replaces in place and keeps the order. */
	make_alert(&a, "A-1", 3, ALERT_ACKNOWLEDGED);
	a.version = 2;
	s->changed = 0;
	store_put_alert(s, &a);
	assert_null(a.title);		/* Ownership moved. */
	assert_int_equal(s->nalerts, 2);
	assert_string_equal(s->alerts[0].id, "A-1");
	assert_int_equal(s->alerts[0].version, 2);
	assert_true(s->changed & STORE_CH_ALERTS);
	/* Many inserts grow the array. */
	for (int i = 0; i < 100; i++) {
		char	id[16];

		snprintf(id, sizeof id, "B-%d", i);
		make_alert(&a, id, 1, ALERT_NEW);
		store_put_alert(s, &a);
	}
	assert_int_equal(s->nalerts, 102);
	assert_non_null(store_alert(s, "B-99"));
	store_free(s);
	store_free(NULL);
}

static json_t *
alert_event(uint64_t seq, const char *id, int severity, enum alert_state st)
{
	struct alert	 a;
	json_t		*item;

	make_alert(&a, id, severity, st);
	item = proto_alert_encode(&a);
	alert_clear(&a);
	return (proto_event_new(seq, 5000, "alert", item));
}

/*
 * Test functions:
 *   store_apply_event
 */
static void
test_apply_event(void **state)
{
	struct store	*s = make_store();
	json_t		*ev;
	char		*cause = NULL, before[17], after[17];

	(void)state;
	ev = alert_event(11, "A-1", 4, ALERT_ACKNOWLEDGED);
	assert_int_equal(store_apply_event(s, ev, 0, &cause), 0);
	json_decref(ev);
	assert_int_equal(s->seq, 11);
	assert_int_equal(store_alert(s, "A-1")->state, ALERT_ACKNOWLEDGED);

	/* Old or repeated seq: refused, store unchanged. */
	store_digest(s, before);
	ev = alert_event(11, "A-1", 4, ALERT_CLOSED);
	assert_int_equal(store_apply_event(s, ev, 0, &cause), -1);
	assert_non_null(strstr(cause, "not after"));
	free(cause);
	json_decref(ev);

	/* A bad item: refused, store unchanged, seq unchanged. */
	ev = alert_event(12, "A-1", 4, ALERT_CLOSED);
	json_object_set_new(json_object_get(ev, "item"), "severity",
	    json_integer(9));
	assert_int_equal(store_apply_event(s, ev, 0, &cause), -1);
	free(cause);
	json_decref(ev);

	/* Unknown kind. */
	ev = alert_event(12, "A-1", 4, ALERT_CLOSED);
	json_object_set_new(ev, "kind", json_string("ufo"));
	assert_int_equal(store_apply_event(s, ev, 0, &cause), -1);
	free(cause);
	json_decref(ev);

	store_digest(s, after);
	assert_string_equal(before, after);
	assert_int_equal(s->seq, 11);
	assert_int_equal(store_alert(s, "A-1")->state, ALERT_ACKNOWLEDGED);

	/* A new item appends. */
	ev = alert_event(12, "A-9", 1, ALERT_NEW);
	assert_int_equal(store_apply_event(s, ev, 0, &cause), 0);
	json_decref(ev);
	assert_int_equal(s->nalerts, 3);
	store_free(s);
}

/*
 * Test functions:
 *   store_snapshot, store_load_snapshot, store_digest
 */
static void
test_snapshot_round_trip(void **state)
{
	struct store	*s = make_store(), *r = store_new();
	json_t		*snap;
	char		*cause = NULL, d1[17], d2[17];

	(void)state;
	snap = store_snapshot(s);
	assert_int_equal(store_load_snapshot(r, snap, STORE_SANITIZE,
	    &cause), 0);
	assert_null(cause);
	store_digest(s, d1);
	store_digest(r, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(r->seq, 10);
	assert_string_equal(r->province, "Quảng Ninh");
	assert_int_equal(r->nareas, 2);
	assert_int_equal(r->nhospitals, 1);
	assert_int_equal(r->changed, STORE_CH_ALL);

	/* A change moves the digest. */
	store_alert(r, "A-1")->severity = 3;
	store_digest(r, d2);
	assert_string_not_equal(d1, d2);
	json_decref(snap);
	store_free(s);
	store_free(r);
}

/*
 * Test functions:
 *   store_load_snapshot (malformed snapshots leave the store unchanged)
 */
static void
test_snapshot_malformed(void **state)
{
	struct store	*s = make_store(), *r = make_store();
	json_t		*snap;
	char		*cause = NULL, d1[17], d2[17];
	static const char *const drop[] = {
		"seq", "province", "areas", "alerts", "units", "hospitals",
		"schools", "feedback", "departments"
	};
	size_t		 i;

	(void)state;
	store_digest(r, d1);
	for (i = 0; i < sizeof drop / sizeof drop[0]; i++) {
		snap = store_snapshot(s);
		json_object_del(snap, drop[i]);
		assert_int_equal(store_load_snapshot(r, snap, 0, &cause), -1);
		assert_non_null(cause);
		free(cause);
		json_decref(snap);
	}
	snap = store_snapshot(s);
	json_object_set_new(json_object_get(json_array_get(json_object_get(
	    snap, "alerts"), 1), "state"), "x", json_null());
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    1), "state", json_string("exploded"));
	assert_int_equal(store_load_snapshot(r, snap, 0, &cause), -1);
	assert_non_null(strstr(cause, "alerts[1]"));
	free(cause);
	json_decref(snap);
	store_digest(r, d2);
	assert_string_equal(d1, d2);
	store_free(s);
	store_free(r);
}

/* Load the text of snap (as dumped, pretty or compact) into r. */
static int
fx_load_text(struct store *r, json_t *snap, size_t flags, char **cause)
{
	char	*text = json_dumps(snap, flags);
	int	 rc;

	rc = store_load_snapshot_text(r, text, strlen(text), 0, NULL, NULL,
	    cause);
	free(text);
	return (rc);
}

/*
 * Test functions:
 *   store_load_snapshot_text (the same store as a parsed load, from
 *   compact or indented text; malformed text, a malformed item or a
 *   missing member leave the store unchanged)
 */
static void
test_snapshot_text(void **state)
{
	struct store	*s = make_store(), *r = store_new();
	json_t		*snap;
	char		*cause = NULL, d1[17], d2[17], *text;
	static const char *const bad[] = {
		"", "[]", "{", "{\"seq\":1,}", "{\"seq\" 1}",
		"{\"alerts\":[{\"id\":1},]}", "{\"alerts\":[{} {}]}",
		"{\"alerts\":[{\"a\":\"]}\"}}", "{\"seq\":1} x",
		"{\"alerts\":[[[[]]]}"
	};
	size_t		 i;

	(void)state;
	snap = store_snapshot(s);
	store_digest(s, d1);
	assert_int_equal(fx_load_text(r, snap, JSON_COMPACT, &cause), 0);
	store_digest(r, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(r->seq, 10);
	assert_int_equal(r->nalerts, 2);
	store_free(r);
	r = store_new();
	assert_int_equal(fx_load_text(r, snap, JSON_INDENT(3), &cause), 0);
	store_digest(r, d2);
	assert_string_equal(d1, d2);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(store_load_snapshot_text(r, bad[i],
		    strlen(bad[i]), 0, NULL, NULL, &cause), -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	/* Two whole alerts without the comma between them. */
	text = json_dumps(snap, JSON_COMPACT);
	assert_non_null(strstr(text, "},{\"id\":\"A-2\""));
	strstr(text, "},{\"id\":\"A-2\"")[1] = ' ';
	assert_int_equal(store_load_snapshot_text(r, text, strlen(text), 0,
	    NULL, NULL, &cause), -1);
	free(cause);
	free(text);
	json_object_del(snap, "units");
	assert_int_equal(fx_load_text(r, snap, JSON_COMPACT, &cause), -1);
	assert_non_null(strstr(cause, "units"));
	free(cause);
	json_decref(snap);
	snap = store_snapshot(s);
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    1), "state", json_string("exploded"));
	assert_int_equal(fx_load_text(r, snap, JSON_COMPACT, &cause), -1);
	assert_non_null(strstr(cause, "alerts[1]"));
	free(cause);
	/* A string that holds brackets and escaped quotes is one string. */
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    1), "state", json_string("resolved"));
	json_object_set_new(json_array_get(json_object_get(snap, "alerts"),
	    1), "title", json_string("a \"]}[{\\\" b"));
	text = json_dumps(snap, JSON_COMPACT);
	assert_int_equal(store_load_snapshot_text(r, text, strlen(text), 0,
	    NULL, NULL, &cause), 0);
	assert_string_equal(store_alert(r, "A-2")->title, "a \"]}[{\\\" b");
	free(text);
	store_digest(r, d2);
	assert_string_not_equal(d1, d2);
	json_decref(snap);
	store_free(s);
	store_free(r);
}

static char	fx_skipped[256];
static int	fx_nskipped;

static void
fx_skip(void *arg, const char *kind, json_t *item, const char *why)
{
	const char	*id = json_string_value(json_object_get(item, "id"));
	size_t		 n = strlen(fx_skipped);

	assert_ptr_equal(arg, &fx_nskipped);
	assert_non_null(why);
	snprintf(fx_skipped + n, sizeof fx_skipped - n, "%s:%s ", kind,
	    id != NULL ? id : "?");
	fx_nskipped++;
}

/*
 * Test functions:
 *   store_load_snapshot_skip (bad items, areas and departments are left
 *   out and reported; the rest loads; the envelope still fails it whole)
 */
static void
test_snapshot_skip(void **state)
{
	struct store	*s = make_store(), *r = store_new();
	json_t		*snap, *alerts;
	char		*cause = NULL;

	(void)state;
	snap = store_snapshot(s);
	alerts = json_object_get(snap, "alerts");
	json_object_set_new(json_array_get(alerts, 1), "state",
	    json_string("exploded"));
	json_array_append_new(json_object_get(snap, "areas"),
	    json_pack("{s:s}", "name", "no code"));
	json_array_append_new(json_object_get(snap, "departments"),
	    json_pack("{s:s s:s}", "code", "bad code!", "name", "x"));
	json_array_append_new(json_object_get(snap, "hospitals"),
	    json_pack("{s:s}", "id", "BV-2"));
	assert_int_equal(store_load_snapshot(r, snap, 0, &cause), -1);
	free(cause);
	assert_int_equal(store_load_snapshot_skip(r, snap, 0, fx_skip,
	    &fx_nskipped, &cause), 0);
	assert_int_equal(fx_nskipped, 4);
	assert_string_equal(fx_skipped, "area:? department:? alert:A-2 "
	    "hospital:BV-2 ");
	assert_int_equal(r->seq, 10);
	assert_non_null(store_alert(r, "A-1"));
	assert_null(store_alert(r, "A-2"));
	assert_non_null(store_hospital(r, "BV-1"));
	assert_int_equal(r->nareas, 2);
	assert_int_equal(r->ndepts, 1);
	json_object_del(snap, "province");
	assert_int_equal(store_load_snapshot_skip(r, snap, 0, fx_skip,
	    &fx_nskipped, &cause), -1);
	free(cause);
	assert_non_null(store_alert(r, "A-1"));
	json_decref(snap);
	store_free(s);
	store_free(r);
}

/*
 * Test functions:
 *   store_apply_item (outside the seq order: seq untouched, at any seq)
 */
static void
test_apply_item(void **state)
{
	struct store	*s = make_store();
	struct alert	 a;
	json_t		*item;
	char		*cause = NULL;

	(void)state;
	s->seq = UINT64_MAX;
	make_alert(&a, "A-1", 4, ALERT_ACKNOWLEDGED);
	item = proto_alert_encode(&a);
	alert_clear(&a);
	assert_int_equal(store_apply_item(s, "alert", item, 0, &cause), 0);
	assert_int_equal(store_alert(s, "A-1")->state, ALERT_ACKNOWLEDGED);
	assert_int_equal(s->seq, UINT64_MAX);
	assert_int_equal(store_apply_item(s, "ufo", item, 0, &cause), -1);
	free(cause);
	json_object_set_new(item, "severity", json_integer(9));
	assert_int_equal(store_apply_item(s, "alert", item, 0, &cause), -1);
	free(cause);
	assert_int_equal(store_alert(s, "A-1")->severity, 4);
	json_decref(item);
	store_free(s);
}

/*
 * Test functions:
 *   store_apply_event, store_snapshot, store_load_snapshot, store_digest
 *   (items with a history and a mute)
 */
static void
test_history_in_store(void **state)
{
	struct store	*s = make_store(), *r = store_new();
	struct alert	 a;
	struct feedback	 f;
	json_t		*ev, *snap;
	char		*cause = NULL, d1[17], d2[17];

	(void)state;
	make_alert(&a, "A-1", 4, ALERT_ACKNOWLEDGED);
	a.version = 2;
	a.muted_until = 5000;
	history_add(&a.hist, 1000, "", "created", "citizen");
	history_add(&a.hist, 2000, "op1", "ack", NULL);
	ev = proto_event_new(11, 2000, "alert", proto_alert_encode(&a));
	alert_clear(&a);
	assert_int_equal(store_apply_event(s, ev, 0, &cause), 0);
	json_decref(ev);
	assert_int_equal(store_alert(s, "A-1")->hist.n, 2);
	assert_int_equal(store_alert(s, "A-1")->muted_until, 5000);
	assert_string_equal(history_by(&store_alert(s, "A-1")->hist, 1), "op1");

	memset(&f, 0, sizeof f);
	strcpy(f.id, "PA-1");
	strcpy(f.area, "HL");
	strcpy(f.category, "power");
	f.text = xstrdup("Mất điện");
	f.version = 1;
	history_add(&f.hist, 3000, "", "created", "hotline");
	store_put_feedback(s, &f);

	snap = store_snapshot(s);
	assert_int_equal(store_load_snapshot(r, snap, STORE_SANITIZE,
	    &cause), 0);
	assert_int_equal(store_alert(r, "A-1")->hist.n, 2);
	assert_string_equal(history_text(&store_feedback(r, "PA-1")->hist, 0),
	    "hotline");
	store_digest(s, d1);
	store_digest(r, d2);
	assert_string_equal(d1, d2);
	/* A history entry is part of the state. */
	history_add(&store_alert(r, "A-1")->hist, 4000, "op1", "note", "x");
	store_digest(r, d2);
	assert_string_not_equal(d1, d2);
	json_decref(snap);
	store_free(s);
	store_free(r);
}

/* Every alert is found where it is, and the ids are in want's order. */
static void
check_alerts(struct store *s, const char *const *want, size_t n)
{
	size_t	i;

	assert_int_equal(s->nalerts, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(s->alerts[i].id, want[i]);
		assert_ptr_equal(store_alert(s, want[i]), &s->alerts[i]);
	}
}

/*
 * Test functions:
 *   store_remove
 */
static void
test_remove(void **state)
{
	/* The last item takes the place of the one that left. */
	static const char *const after1[] = { "A-1", "C-4", "C-0", "C-3",
	    "C-2" };
	static const char *const after2[] = { "C-2", "C-3", "C-0" };
	struct store	*s = make_store();
	struct alert	 a;
	char		 id[16], d1[17], d2[17];
	int		 i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "C-%d", i);
		make_alert(&a, id, 1, ALERT_NEW);
		store_put_alert(s, &a);
	}
	s->changed = 0;
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "A-2"), 0);
	assert_int_equal(s->changed, STORE_CH_ALERTS);
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "C-1"), 0);
	check_alerts(s, after1, 5);
	assert_int_equal(s->moves, 2);
	assert_null(store_alert(s, "A-2"));
	assert_null(store_alert(s, "C-1"));
	s->changed = 0;
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "C-1"), -1);
	assert_int_equal(store_remove(s, kind_get(KIND_UNIT), "A-1"), -1);
	assert_int_equal(s->changed, 0);
	/* The first and the last. */
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "A-1"), 0);
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "C-4"), 0);
	check_alerts(s, after2, 3);
	assert_int_equal(s->moves, 4);
	/* The last one moves nothing. */
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "C-0"), 0);
	check_alerts(s, after2, 2);
	assert_int_equal(s->moves, 4);
	/* A removed id comes back at the end, as a new item. */
	make_alert(&a, "A-1", 2, ALERT_NEW);
	store_put_alert(s, &a);
	assert_string_equal(s->alerts[2].id, "A-1");
	assert_int_equal(s->nalerts, 3);
	assert_int_equal(store_alert(s, "A-1")->severity, 2);
	/* Other kinds are untouched. */
	assert_non_null(store_hospital(s, "BV-1"));
	assert_int_equal(store_remove(s, kind_get(KIND_HOSPITAL), "BV-1"),
	    0);
	assert_int_equal(s->nhospitals, 0);
	assert_null(store_hospital(s, "BV-1"));
	/* A snapshot of what is left loads to the same digest. */
	{
		struct store	*r = store_new();
		json_t		*snap = store_snapshot(s);
		char		*cause = NULL;

		assert_int_equal(store_load_snapshot(r, snap, 0, &cause), 0);
		store_digest(s, d1);
		store_digest(r, d2);
		assert_string_equal(d1, d2);
		json_decref(snap);
		store_free(r);
	}
	store_free(s);
}

/*
 * Test functions:
 *   store_remove, store_digest
 *
 * A backend holds a1 a2 a3 b; a console scoped to a's area holds a1 a2
 * a3. Removing a1 moves b into the backend's hole and a3 into the
 * console's, so their orders differ; the digest of what both hold still
 * agrees, because it hashes the items in the order of their ids.
 */
static int
drop_other_area(const void *item, void *arg)
{
	(void)arg;
	return (strcmp(((const struct alert *)item)->id, "D-1") == 0);
}

static void
test_digest_order(void **state)
{
	struct store	*be = make_store(), *con = make_store();
	struct alert	 a;
	char		 d1[17], d2[17];
	static const char *const ids[] = { "C-1", "C-2", "C-3" };
	size_t		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		make_alert(&a, ids[i], 1, ALERT_NEW);
		store_put_alert(be, &a);
		make_alert(&a, ids[i], 1, ALERT_NEW);
		store_put_alert(con, &a);
	}
	make_alert(&a, "D-1", 1, ALERT_NEW);	/* Another area's. */
	store_put_alert(be, &a);
	assert_int_equal(store_remove(be, kind_get(KIND_ALERT), "C-1"), 0);
	assert_int_equal(store_remove(con, kind_get(KIND_ALERT), "C-1"), 0);
	/* The backend's view for that area: its order, D-1 left out. */
	assert_int_equal(store_remove_if(be, kind_get(KIND_ALERT),
	    drop_other_area, NULL), 1);
	assert_int_equal(be->nalerts, con->nalerts);
	assert_string_not_equal(be->alerts[2].id, con->alerts[2].id);
	store_digest(be, d1);
	store_digest(con, d2);
	assert_string_equal(d1, d2);
	store_free(be);
	store_free(con);
}

/*
 * Test functions:
 *   store_put_alert, store_put_feedback, alert_pool, feedback_pool,
 *   alert_clear, store_free
 * What a store holds keeps its strings in the pool: two alerts of the
 * same place and title share the bytes, a copy has its own, a field a
 * caller gave its own string is freed as such, and nothing stays in the
 * pool once the store is gone.
 */
static void
test_pooled(void **state)
{
	struct store	*s;
	struct alert	 a, *a1, *a2;
	struct feedback	 f;
	size_t		 base = strpool_count();

	(void)state;
	s = store_new();
	make_alert(&a, "P-1", 2, ALERT_NEW);
	a.acked_by = xstrdup("Nguyễn Văn An");
	a1 = store_put_alert(s, &a);
	assert_true(a1->pooled);
	make_alert(&a, "P-2", 3, ALERT_NEW);
	a2 = store_put_alert(s, &a);
	a1 = store_alert(s, "P-1");
	assert_ptr_equal(a1->title, a2->title);
	assert_ptr_equal(a1->place, a2->place);
	assert_string_equal(a1->acked_by, "Nguyễn Văn An");
	assert_null(a2->acked_by);
	/* place, title, acked_by. */
	assert_int_equal(strpool_count(), base + 3);

	/* A copy owns its strings; put back, it is pooled again. */
	alert_copy(&a, a1);
	assert_false(a.pooled);
	assert_ptr_not_equal(a.title, a1->title);
	free(a.title);
	a.title = xstrdup("Cháy rừng ở Cẩm Phả");
	a1 = store_put_alert(s, &a);
	assert_string_equal(a1->title, "Cháy rừng ở Cẩm Phả");
	assert_int_equal(strpool_count(), base + 4);

	/* A stored field given a string of its own (tests do) is freed. */
	a2 = store_alert(s, "P-2");
	a2->handler = xstrdup("Trần Thị Bình");
	assert_int_equal(store_remove(s, kind_get(KIND_ALERT), "P-2"), 0);

	memset(&f, 0, sizeof f);
	strcpy(f.id, "PA-1");
	strcpy(f.area, "HL");
	strcpy(f.category, "env");
	f.text = xstrdup("Cháy rừng ở Cẩm Phả");
	f.reply = xstrdup("");
	f.version = 1;
	assert_true(store_put_feedback(s, &f)->pooled);
	assert_ptr_equal(store_feedback(s, "PA-1")->text,
	    store_alert(s, "P-1")->title);
	assert_string_equal(store_feedback(s, "PA-1")->reply, "");
	store_free(s);
	assert_int_equal(strpool_count(), base);
}

/* Drop the closed alerts and those of severity 1. */
static int
drop_closed(const void *item, void *arg)
{
	const struct alert	*a = item;

	(*(int *)arg)++;
	return (a->state == ALERT_CLOSED || a->severity == 1);
}

/*
 * Test functions:
 *   store_remove_if
 */
static void
test_remove_if(void **state)
{
	struct store	*s = store_new();
	struct alert	 a;
	char		 id[16];
	int		 i, calls = 0;
	size_t		 k;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "A-%04d", i);
		make_alert(&a, id, 1 + i % 4, i % 3 == 0 ? ALERT_CLOSED :
		    ALERT_NEW);
		store_put_alert(s, &a);
	}
	/* i % 3 == 0 or i % 4 == 0: 334 + 250 - 84 = 500 go. */
	assert_int_equal(store_remove_if(s, kind_get(KIND_ALERT),
	    drop_closed, &calls), 500);
	assert_int_equal(calls, 1000);
	assert_int_equal(s->nalerts, 500);
	for (k = 0, i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "A-%04d", i);
		if (i % 3 == 0 || i % 4 == 0) {
			assert_null(store_alert(s, id));
			continue;
		}
		/* The rest, in creation order. */
		assert_string_equal(s->alerts[k].id, id);
		assert_ptr_equal(store_alert(s, id), &s->alerts[k]);
		k++;
	}
	assert_int_equal(store_remove_if(s, kind_get(KIND_ALERT),
	    drop_closed, &calls), 0);
	store_free(s);
}

/*
 * Load a snapshot of n alerts into a new store. Returns the probes its
 * alert index made while loading.
 */
static uint64_t
load_probes(size_t n)
{
	struct store	*s = store_new(), *r = store_new();
	struct alert	 a;
	json_t		*snap;
	char		 id[32], *cause = NULL;
	uint64_t	 probes;
	size_t		 i;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "A-%06zu", i);
		make_alert(&a, id, 1 + i % 4, ALERT_NEW);
		store_put_alert(s, &a);
	}
	snap = store_snapshot(s);
	store_free(s);
	assert_int_equal(store_load_snapshot(r, snap, 0, &cause), 0);
	assert_int_equal(r->nalerts, n);
	probes = r->ids[KIND_ALERT].probes;
	json_decref(snap);
	store_free(r);
	return (probes);
}

/*
 * Test functions:
 *   store_load_snapshot, store_put (loading is linear: the index looks at
 *   a bounded number of slots per item, so twice the items cost about
 *   twice the probes; a linear search would cost four times)
 */
static void
test_load_is_linear(void **state)
{
	uint64_t	p10, p20;

	(void)state;
	p10 = load_probes(10000);
	p20 = load_probes(20000);
	print_message("probes: 10k alerts %llu, 20k alerts %llu\n",
	    (unsigned long long)p10, (unsigned long long)p20);
	assert_true(p10 >= 10000);
	assert_true(p10 <= 8 * 10000);
	assert_true(p20 <= 8 * 20000);
	assert_true(p20 * 10 <= p10 * 25);
}

/*
 * Test functions:
 *   store_apply_event with "history_from", proto_event_delta,
 *   history_total (a history that only grows, past the fold at
 *   HISTORY_MAX, sent as deltas, is merged into exactly the whole one;
 *   a delta that does not follow what is held changes nothing)
 */
static void
test_history_delta(void **state)
{
	struct store	*s = make_store();
	struct alert	 full;
	json_t		*ev, *d, *want, *got;
	uint64_t	 from, seq = 10;
	char		 text[32], *cause = NULL;
	int		 i, j;

	(void)state;
	make_alert(&full, "A-1", 4, ALERT_NEW);
	for (i = 0; i < 2 * HISTORY_MAX + 17; i++) {
		from = history_total(&full.hist);
		/* Mostly one entry a change, every 7th change three. */
		for (j = 0; j < (i % 7 == 0 ? 3 : 1); j++) {
			snprintf(text, sizeof text, "note %d.%d", i, j);
			history_add(&full.hist, 1000 + i, j == 1 ? "" : "lan",
			    "note", text);
		}
		full.version++;
		ev = proto_event_new(++seq, 2000 + i, "alert",
		    proto_alert_encode(&full));
		d = proto_event_delta(ev, from,
		    (size_t)(history_total(&full.hist) - from));
		assert_true(json_array_size(json_object_get(json_object_get(d,
		    "item"), "history")) <= 3);
		assert_int_equal(store_apply_event(s, d, 0, &cause), 0);
		json_decref(d);
		want = json_object_get(ev, "item");
		got = proto_alert_encode(store_alert(s, "A-1"));
		assert_true(json_equal(want, got));
		json_decref(got);
		json_decref(ev);
	}
	assert_int_equal(full.hist.n, HISTORY_MAX);
	assert_string_equal(history_what(&full.hist, 0), "trimmed");
	assert_int_equal(history_total(&full.hist),
	    2 * HISTORY_MAX + 17 + 2 * ((2 * HISTORY_MAX + 17 + 6) / 7));

	/* One entry ahead of what is held: refused, nothing changes. */
	from = history_total(&full.hist);
	history_add(&full.hist, 9000, "lan", "note", "late");
	ev = proto_event_new(seq + 1, 9000, "alert", proto_alert_encode(&full));
	d = proto_event_delta(ev, from + 1, 1);
	assert_int_equal(store_apply_event(s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "which has"));
	free(cause);
	cause = NULL;
	json_decref(d);
	assert_int_equal(s->seq, seq);
	assert_int_equal(history_total(&store_alert(s, "A-1")->hist), from);
	/* An item not held, and a kind without a history. */
	json_object_set_new(json_object_get(ev, "item"), "id",
	    json_string("A-99"));
	d = proto_event_delta(ev, 0, 1);
	assert_int_equal(store_apply_event(s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "not held"));
	free(cause);
	cause = NULL;
	json_decref(d);
	json_decref(ev);
	ev = proto_event_new(seq + 1, 1, "hospital",
	    proto_hospital_encode(store_hospital(s, "BV-1")));
	json_object_set_new(ev, "history_from", json_integer(0));
	assert_int_equal(store_apply_event(s, ev, 0, &cause), -1);
	assert_non_null(strstr(cause, "no history"));
	free(cause);
	json_decref(ev);
	alert_clear(&full);
	store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_digest_order),
		cmocka_unit_test(test_remove_if),
		cmocka_unit_test(test_pooled),
		cmocka_unit_test(test_load_is_linear),
		cmocka_unit_test(test_history_in_store),
		cmocka_unit_test(test_history_delta),
		cmocka_unit_test(test_put_and_find),
		cmocka_unit_test(test_apply_event),
		cmocka_unit_test(test_snapshot_round_trip),
		cmocka_unit_test(test_snapshot_malformed),
		cmocka_unit_test(test_snapshot_skip),
		cmocka_unit_test(test_snapshot_text),
		cmocka_unit_test(test_apply_item),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

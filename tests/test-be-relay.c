/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for a district relay's state (be_state_load, be_state_ingest,
 * be_state_conflated): the province's snapshot and events, applied in its
 * numbering, leave the relay's store equal to the province's, and what the
 * relay hands its own clients is what the province would have: history
 * deltas with the whole event beside them, retained for resumes.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be-auth.h"
#include "be-cmd.h"
#include "be-data.h"
#include "be-msg.h"
#include "be-query.h"
#include "be-state.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

/* What a state's listener saw: each event's text, and the whole one. */
struct t_seen {
	json_t	*events;	/* As sent to a client that merges deltas. */
	json_t	*full;		/* ... and to one that does not. */
	int	 conflated;
};

static void
t_on_event(void *arg, struct be_msg *m)
{
	struct t_seen	*s = arg;

	if (m->flags & BE_MSG_CONFLATED)
		s->conflated++;
	json_array_append_new(s->events, json_loads((const char *)
	    be_msg_text(m), 0, NULL));
	json_array_append_new(s->full, json_loads((const char *)
	    be_msg_text(m->full != NULL ? m->full : m), 0, NULL));
}

static struct be_state *
t_province(struct be_data **data)
{
	struct be_state	*st;

	st = be_state_new(7);
	*data = test_fixture_load(st->store, &st->rng);
	engine_set_workcal(st->engine, (*data)->workcal);
	return (st);
}

static json_t *
t_cmd(struct be_state *st, const char *id, const char *cmd, json_t *args)
{
	json_t	*msg, *res;

	msg = proto_cmd_new(id, cmd, args);
	res = be_cmd_exec(st, &be_auth_demo, msg);
	json_decref(msg);
	if (!json_is_true(json_object_get(res, "ok")))
		fail_msg("%s: %s", cmd, json_string_value(json_object_get(res,
		    "message")));
	return (res);
}

/*
 * Test functions:
 *   be_state_load, be_state_ingest (upserts, history deltas, the whole
 *   event beside them, the retained ring, refusals)
 */
static void
test_ingest(void **state)
{
	struct be_state	*prov, *relay;
	struct be_data	*data = NULL;
	struct t_seen	 up = { json_array(), json_array(), 0 };
	struct t_seen	 down = { json_array(), json_array(), 0 };
	json_t		*snap, *res, *ev, *old;
	char		 a[17], b[17], id[MODEL_ID_MAX], *cause = NULL;
	size_t		 i;
	uint64_t	 seq0;

	(void)state;
	clock_set_fixed(1795482000000LL);
	prov = t_province(&data);
	relay = be_state_new(1);
	snap = be_query_snapshot(prov, 0, NULL);
	assert_int_equal(be_state_load(relay, snap, &cause), 0);
	json_decref(snap);
	assert_int_equal(relay->store->seq, prov->store->seq);
	store_digest(prov->store, a);
	store_digest(relay->store, b);
	assert_string_equal(a, b);
	seq0 = relay->store->seq;

	be_state_listen(prov, t_on_event, NULL, &up);
	be_state_listen(relay, t_on_event, NULL, &down);
	res = t_cmd(prov, "c1", "inject", json_pack("{s:s s:{s:s s:i s:s "
	    "s:s s:s s:s}}", "kind", "alert", "item", "kind", "flood",
	    "severity", 2, "area", prov->store->areas[0].code, "place", "x",
	    "source", "sensor", "title", "y"));
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(res,
	    "item")));
	json_decref(res);
	for (i = 0; i < 3; i++) {
		char	cid[8];

		snprintf(cid, sizeof cid, "n%zu", i);
		json_decref(t_cmd(prov, cid, "note", json_pack("{s:s s:s}",
		    "alert", id, "text", "ghi chú \x1b[31m thô")));
	}
	assert_true(json_array_size(up.events) >= 4);

	/* The province's events as they came to a merging client. */
	json_array_foreach(up.events, i, ev) {
		if (be_state_ingest(relay, ev, &cause) != 0)
			fail_msg("event %zu: %s", i, cause);
	}
	assert_int_equal(relay->store->seq, prov->store->seq);
	store_digest(prov->store, a);
	store_digest(relay->store, b);
	assert_string_equal(a, b);

	/* The relay hands on what the province handed out, byte for byte
	 * as JSON: the deltas, and the whole events beside them. */
	assert_int_equal(json_array_size(down.events),
	    json_array_size(up.events));
	json_array_foreach(up.events, i, ev) {
		assert_true(json_equal(ev, json_array_get(down.events, i)));
		assert_true(json_equal(json_array_get(up.full, i),
		    json_array_get(down.full, i)));
	}
	ev = json_array_get(down.events, json_array_size(down.events) - 1);
	assert_non_null(json_object_get(ev, "history_from"));
	assert_int_equal(be_retain_count(relay->retain),
	    relay->store->seq - seq0);

	/* An event at or before the relay's seq changes nothing. */
	old = json_deep_copy(json_array_get(up.events, 1));
	assert_int_equal(be_state_ingest(relay, old, &cause), -1);
	free(cause);
	cause = NULL;
	json_decref(old);
	store_digest(relay->store, b);
	assert_string_equal(a, b);

	/* A fresh snapshot starts the ring again. */
	snap = be_query_snapshot(prov, 1, NULL);
	assert_int_equal(be_state_load(relay, snap, &cause), 0);
	json_decref(snap);
	assert_int_equal(be_retain_count(relay->retain), 0);

	be_state_free(prov);
	be_state_free(relay);
	be_data_free(data);
	json_decref(up.events);
	json_decref(up.full);
	json_decref(down.events);
	json_decref(down.full);
	clock_set_real();
}

/*
 * Test functions:
 *   be_state_conflated (newer applied and handed on out of the order,
 *   older ignored, nothing retained)
 */
static void
test_conflated(void **state)
{
	struct be_state	*prov, *relay;
	struct be_data	*data = NULL;
	struct t_seen	 down = { json_array(), json_array(), 0 };
	const struct kind *k = kind_find("hospital");
	json_t		*snap, *item, *ev;
	char		*cause = NULL;
	uint64_t	 seq;

	(void)state;
	prov = t_province(&data);
	relay = be_state_new(1);
	snap = be_query_snapshot(prov, 0, NULL);
	assert_int_equal(be_state_load(relay, snap, &cause), 0);
	json_decref(snap);
	be_state_listen(relay, t_on_event, NULL, &down);
	assert_true(relay->store->nhospitals > 0);
	seq = relay->store->seq;

	item = k->encode(&relay->store->hospitals[0]);
	json_object_set_new(item, "beds_used", json_integer(1));
	json_object_set_new(item, "version", json_integer(
	    relay->store->hospitals[0].version + 1));
	ev = proto_event_new(seq, 1795482000000LL, "hospital", item);
	json_object_set_new(ev, "conflated", json_true());
	be_state_conflated(relay, ev, NULL, 0);
	assert_int_equal(down.conflated, 1);
	assert_int_equal(relay->store->hospitals[0].beds_used, 1);
	assert_int_equal(relay->store->seq, seq);
	assert_int_equal(be_retain_count(relay->retain), 0);
	/* The same version again: not newer, not handed on. */
	be_state_conflated(relay, ev, NULL, 0);
	assert_int_equal(down.conflated, 1);
	json_decref(ev);

	be_state_free(prov);
	be_state_free(relay);
	be_data_free(data);
	json_decref(down.events);
	json_decref(down.full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ingest),
		cmocka_unit_test(test_conflated),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's state and its one mutation path. Every change, a
 * command's or the simulator's, goes through the domain engine (core/
 * engine.c), which stamps the item's version and hands it to the state's
 * sink, be_state_emit(): it wraps the item in an event with the next seq,
 * applies that event to the store, retains it for resume, hands it to the
 * journal and calls the event callback. Nothing else writes to the store
 * once it is loaded.
 */

#include "be-state.h"

#include <stdlib.h>
#include <string.h>

#include "be-cmd.h"
#include "be-data.h"
#include "be-idem.h"
#include "be-journal.h"
#include "be-msg.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

static int	be_state_emit(void *, const struct kind *, const void *,
		    const char *, const char *, int64_t, uint64_t *);

/*
 * Make an empty state (empty store, no data) with the generator seeded.
 * Caller frees with be_state_free().
 */
struct be_state *
be_state_new(uint64_t seed)
{
	struct be_state		*st;
	struct engine_sink	 sink = { .emit = be_state_emit };

	st = xcalloc(1, sizeof *st);
	st->store = store_new();
	sink.arg = st;
	st->engine = engine_new(st->store, &sink);
	st->seed = seed;
	be_rng_seed(&st->rng, seed);
	st->retain = be_retain_new(BE_RETAIN_EVENTS);
	st->idem = be_idem_new(BE_IDEM_IDS);
	return (st);
}

/*
 * Free the state, its store, data, retained events and remembered ids.
 * NULL is a no-op.
 */
void
be_state_free(struct be_state *st)
{
	if (st == NULL)
		return;
	engine_free(st->engine);
	store_free(st->store);
	be_data_free(st->data);
	be_retain_free(st->retain);
	be_idem_free(st->idem);
	free(st);
}

/*
 * Hand the dataset's templates to the state, which takes ownership.
 */
void
be_state_set_data(struct be_state *st, struct be_data *data)
{
	be_data_free(st->data);
	st->data = data;
}

/*
 * Call cb(arg, msg) with every event from now on (NULL: nobody).
 */
void
be_state_set_event_cb(struct be_state *st, be_event_cb cb, void *arg)
{
	st->on_event = cb;
	st->on_event_arg = arg;
}

/*
 * The engine's sink: wrap the item (of kind k, borrowed, its version
 * stamped) in an event with the next seq and time ts, plus "by" and "cmd"
 * when not NULL; apply it to the store; retain it; hand it to the journal
 * (which makes it durable at its next flush, before anything is sent);
 * and pass it to the event callback. Returns 0 and sets *seq (when not
 * NULL) to the event's seq, or -1 when the store refused the item (a bug:
 * the engine built it), logged, with nothing changed.
 */
static int
be_state_emit(void *arg, const struct kind *k, const void *item,
    const char *by, const char *cmd, int64_t ts, uint64_t *seq)
{
	struct be_state	*st = arg;
	struct be_msg	*m;
	json_t		*ev;
	uint64_t	 next = st->store->seq + 1;
	char		*cause = NULL;

	ev = proto_event_new(next, ts, k->name, k->encode(item));
	if (ev == NULL)
		fatalx("%s: cannot build event", __func__);
	if (by != NULL)
		json_object_set_new(ev, "by", json_string(by));
	if (cmd != NULL)
		json_object_set_new(ev, "cmd", json_string(cmd));
	if (store_apply_event(st->store, ev, 0, &cause) != 0) {
		log_error("event %llu (%s) refused by the store: %s",
		    (unsigned long long)next, k->name, cause);
		free(cause);
		json_decref(ev);
		return (-1);
	}
	m = be_msg_event(ev, NULL, 0);
	json_decref(ev);
	be_retain_add(st->retain, m);
	if (st->journal != NULL)
		be_journal_event(st->journal, m);
	if (st->on_event != NULL)
		st->on_event(st->on_event_arg, m);
	be_msg_unref(m);
	if (seq != NULL)
		*seq = next;
	return (0);
}

/*
 * The welcome message for an operator (new reference).
 */
json_t *
be_state_welcome(const struct be_state *st, const struct operator *op)
{
	json_t	*areas;
	size_t	 i;

	areas = json_array();
	for (i = 0; i < op->nareas; i++)
		json_array_append_new(areas, json_string(op->areas[i]));
	return (json_pack("{s:s s:i s:s s:s s:s s:o s:I s:b}",
	    "type", "welcome", "proto", PROTO_VERSION,
	    "server", "trucban-backend " TRUCBAN_VERSION,
	    "operator", op->name, "role", operator_role_name(op->role),
	    "areas", areas, "seq", (json_int_t)st->store->seq,
	    "exercise", engine_exercise(st->engine)));
}

/*
 * The whole state as a snapshot message at the current seq, with the gap
 * marker (new reference).
 */
json_t *
be_state_snapshot(const struct be_state *st, int gap)
{
	json_t	*o;

	o = store_snapshot(st->store);
	json_object_set_new(o, "type", json_string("snapshot"));
	json_object_set_new(o, "seq", json_integer((json_int_t)st->store->seq));
	json_object_set_new(o, "gap", json_boolean(gap));
	return (o);
}

/* ==== Durability and access ==== */

/*
 * Journal every event and command result from now on (NULL: stop). The
 * journal is borrowed.
 */
void
be_state_set_journal(struct be_state *st, struct be_journal *j)
{
	st->journal = j;
}

/*
 * Execute a command message for an operator, as be_cmd_exec(), and hand a
 * newly remembered command id with its payload and result to the journal
 * (after the command's events), so the id is remembered across a restart.
 * Returns the result message (new reference).
 */
json_t *
be_state_cmd(struct be_state *st, const struct operator *op, json_t *msg)
{
	const char	*id, *payload, *result;
	json_t		*res;
	int		 known;

	id = json_string_value(json_object_get(msg, "id"));
	known = id != NULL && be_idem_find(st->idem, id, &payload, &result);
	res = be_cmd_exec(st, op, msg);
	if (st->journal != NULL && id != NULL && !known &&
	    be_idem_find(st->idem, id, &payload, &result))
		be_journal_command(st->journal, id, op->name, payload, result);
	return (res);
}

/*
 * After the store was rebuilt from a journal: the engine numbers new
 * items after the highest the store holds, so new ids do not collide, and
 * the generator is reseeded from the seed and the seq, so a restarted
 * province goes on deterministically without repeating itself.
 */
void
be_state_restored(struct be_state *st)
{
	engine_restored(st->engine);
	be_rng_seed(&st->rng, st->seed ^
	    (st->store->seq * 0x9e3779b97f4a7c15ULL));
}

/* Keep only the members of array key whose "area" the operator has. */
static void
be_state_filter(json_t *o, const char *key, const struct operator *op)
{
	json_t	*arr = json_object_get(o, key), *v;
	size_t	 i;

	if (!json_is_array(arr))
		return;
	for (i = 0; i < json_array_size(arr); /* nothing */) {
		v = json_array_get(arr, i);
		if (operator_has_area(op, json_string_value(
		    json_object_get(v, "area"))))
			i++;
		else
			json_array_remove(arr, i);
	}
}

/*
 * The snapshot an area-scoped operator sees: only the alerts, units,
 * hospitals, schools and feedback of its areas (the province, its areas
 * and departments stay whole). op NULL or without areas: everything.
 * Returns a new reference.
 */
json_t *
be_state_snapshot_for(const struct be_state *st, int gap,
    const struct operator *op)
{
	json_t	*o;
	int	 i;

	o = be_state_snapshot(st, gap);
	if (op == NULL || op->nareas == 0)
		return (o);
	for (i = 0; i < KIND_COUNT; i++)
		be_state_filter(o, kind_get(i)->plural, op);
	return (o);
}

/*
 * The digest of what an area-scoped operator sees (op NULL: of the whole
 * state), computed exactly as a console does: the scoped snapshot loaded
 * into a store, then store_digest(). Writes 16 hex digits and a NUL.
 */
void
be_state_digest_for(const struct be_state *st, const struct operator *op,
    char out[17])
{
	struct store	*s;
	json_t		*o;
	char		*cause = NULL;

	if (op == NULL || op->nareas == 0) {
		store_digest(st->store, out);
		return;
	}
	o = be_state_snapshot_for(st, 0, op);
	s = store_new();
	if (store_load_snapshot(s, o, 0, &cause) != 0) {
		log_error("%s: %s", __func__, cause);
		free(cause);
	}
	store_digest(s, out);
	store_free(s);
	json_decref(o);
}

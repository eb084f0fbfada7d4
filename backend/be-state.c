/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's state and its one mutation path. Every change, a
 * command's or the simulator's, goes through the domain engine (core/
 * engine.c), which stamps the item's version and hands it to the state's
 * sink, be_state_emit(): it wraps the item in an event with the next seq,
 * applies that event to the store, retains it for resume and calls every
 * listener (the journal appends it, the server broadcasts it). Nothing
 * else writes to the store once it is loaded.
 */

#include "be-state.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "be-archive.h"
#include "be-idem.h"
#include "be-msg.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

static int	be_state_emit(void *, const struct kind *, const void *,
		    const char *, const char *, int64_t, uint64_t *);
static int	be_state_remove(void *, const struct kind *, const void *,
		    int64_t, uint64_t *);
static void	be_state_publish(struct be_state *, struct be_msg *);

/*
 * Make an empty state (an empty store and its engine) with the generator
 * seeded. Caller frees with be_state_free().
 */
struct be_state *
be_state_new(uint64_t seed)
{
	struct be_state		*st;
	struct engine_sink	 sink = { .emit = be_state_emit,
				     .remove = be_state_remove };

	st = xcalloc(1, sizeof *st);
	st->store = store_new();
	sink.arg = st;
	st->engine = engine_new(st->store, &sink);
	st->seed = seed;
	be_rng_seed(&st->rng, seed);
	st->retain = be_retain_new(BE_RETAIN_EVENTS);
	st->idem = be_idem_new(BE_IDEM_IDS);
	st->retention_ms = BE_RETENTION_MS;
	return (st);
}

/*
 * Free the state, its engine, store, retained events and remembered ids.
 * NULL is a no-op.
 */
void
be_state_free(struct be_state *st)
{
	if (st == NULL)
		return;
	engine_free(st->engine);
	store_free(st->store);
	be_retain_free(st->retain);
	be_idem_free(st->idem);
	be_archive_free(st->archive);
	free(st->listeners);
	free(st);
}

/*
 * Call event(arg, msg) with every event and command(arg, ...) with every
 * newly remembered command id from now on, after the listeners already
 * there. Either may be NULL. A listener must not listen or unlisten from
 * its callbacks.
 */
void
be_state_listen(struct be_state *st, be_event_cb event, be_command_cb command,
    void *arg)
{
	struct be_listener	*l;

	st->listeners = xreallocarray(st->listeners, st->nlisteners + 1,
	    sizeof *st->listeners);
	l = &st->listeners[st->nlisteners++];
	l->event = event;
	l->command = command;
	l->arg = arg;
}

/*
 * Stop calling the listeners registered with arg.
 */
void
be_state_unlisten(struct be_state *st, void *arg)
{
	size_t	i = 0;

	while (i < st->nlisteners) {
		if (st->listeners[i].arg != arg) {
			i++;
			continue;
		}
		memmove(&st->listeners[i], &st->listeners[i + 1],
		    (st->nlisteners - i - 1) * sizeof *st->listeners);
		st->nlisteners--;
	}
}

/*
 * The number of listeners.
 */
size_t
be_state_listeners(const struct be_state *st)
{
	return (st->nlisteners);
}

/*
 * The number of history entries (history_total()) the item held before
 * this change, or -1 when its event must carry the whole history: a kind
 * without one, or an item the store does not hold yet.
 */
static int64_t
be_state_history_from(struct be_state *st, const struct kind *k,
    const void *item)
{
	void	*old;

	if (~k->flags & KIND_HISTORY ||
	    (old = store_find(st->store, k, kind_id(k, item))) == NULL)
		return (-1);
	return ((int64_t)history_total(kind_history(k, old)));
}

/*
 * The message of an event (ev, its item whole). The engine only appends
 * to a history (history_add()), so when the item had "from" entries the
 * change appended the last (total now - from) of them, and the event
 * carries only those, after "history_from" (docs/protocol.md): an alert
 * with a long history costs a note's bytes, not the history's. The whole
 * event goes along (be_msg's "full") for clients that do not merge.
 */
static struct be_msg *
be_state_msg(json_t *ev, const struct kind *k, const void *item,
    int64_t from)
{
	struct history	*h;
	struct be_msg	*m;
	json_t		*delta;
	uint64_t	 total;

	if (from < 0)
		return (be_msg_event(ev, NULL, 0));
	h = kind_history(k, (void *)item);
	total = history_total(h);
	if (total < (uint64_t)from || total - (uint64_t)from > h->n)
		return (be_msg_event(ev, NULL, 0));
	delta = proto_event_delta(ev, (uint64_t)from,
	    (size_t)(total - (uint64_t)from));
	m = be_msg_event(delta, NULL, 0);
	json_decref(delta);
	m->full = be_msg_event(ev, NULL, 0);
	return (m);
}

/*
 * The engine's sink: wrap the item (of kind k, borrowed, its version
 * stamped) in an event with the next seq and time ts, plus "by" and "cmd"
 * when not NULL; apply it to the store; retain it; and hand it to every
 * listener (the journal makes it durable at its next flush, before
 * anything is sent). Returns 0 and sets *seq (when not NULL) to the
 * event's seq, or -1 when the store refused the item (a bug: the engine
 * built it), logged, with nothing changed.
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
	int64_t		 from;

	from = be_state_history_from(st, k, item);
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
	m = be_state_msg(ev, k, item, from);
	json_decref(ev);
	be_state_publish(st, m);
	if (seq != NULL)
		*seq = next;
	return (0);
}

/*
 * The message of an event applied to the store already (m, its reference
 * taken): retain it and hand it to every listener.
 */
static void
be_state_publish(struct be_state *st, struct be_msg *m)
{
	size_t	i;

	be_retain_add(st->retain, m);
	for (i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].event != NULL)
			st->listeners[i].event(st->listeners[i].arg, m);
	}
	be_msg_unref(m->full);	/* Clients took what they need. */
	m->full = NULL;
	be_msg_unref(m);
}

/*
 * The engine's sink for retention: the item (of kind k, borrowed) leaves
 * the live state in a "remove" event with the next seq, which carries it
 * as it was last. The archive gets the event before the store lets go of
 * the item; then the event goes the way of every other (the journal makes
 * it durable, the server broadcasts it). Returns 0 and sets *seq (when not
 * NULL), or -1 when there is no archive to keep it in, or the store
 * refused (logged; nothing changed).
 */
static int
be_state_remove(void *arg, const struct kind *k, const void *item,
    int64_t ts, uint64_t *seq)
{
	struct be_state	*st = arg;
	json_t		*ev;
	uint64_t	 next = st->store->seq + 1;
	char		*cause = NULL;

	if (st->archive == NULL)
		return (-1);
	ev = proto_remove_new(next, ts, k->name, k->encode(item));
	if (ev == NULL)
		fatalx("%s: cannot build event", __func__);
	if (be_archive_add(st->archive, ev) != 0) {
		json_decref(ev);
		return (-1);
	}
	if (store_apply_event(st->store, ev, 0, &cause) != 0) {
		log_error("event %llu (%s removed) refused by the store: %s",
		    (unsigned long long)next, k->name, cause);
		free(cause);
		json_decref(ev);
		return (-1);
	}
	be_state_publish(st, be_msg_event(ev, NULL, 0));
	json_decref(ev);
	if (seq != NULL)
		*seq = next;
	return (0);
}

/*
 * An event read from a log carries a history delta ("history_from")
 * when its item had a history: for the clients that do not merge deltas
 * the message gets the whole item too (be_msg's "full"), as the item now
 * is in the store that just applied it.
 */
static void
be_state_apply_full(struct be_state *st, json_t *o, struct be_msg *m)
{
	const struct kind	*k;
	const char		*id, *by, *cmd;
	void			*item;
	json_t			*ev;

	if (json_object_get(o, "history_from") == NULL ||
	    (k = kind_find(json_string_value(json_object_get(o, "kind")))) ==
	    NULL || (id = json_string_value(json_object_get(
	    json_object_get(o, "item"), "id"))) == NULL ||
	    (item = store_find(st->store, k, id)) == NULL)
		return;
	ev = proto_event_new(m->seq, json_integer_value(json_object_get(o,
	    "ts")), k->name, k->encode(item));
	if (ev == NULL)
		return;
	if ((by = json_string_value(json_object_get(o, "by"))) != NULL)
		json_object_set_new(ev, "by", json_string(by));
	if ((cmd = json_string_value(json_object_get(o, "cmd"))) != NULL)
		json_object_set_new(ev, "cmd", json_string(cmd));
	m->full = be_msg_event(ev, NULL, 0);
	json_decref(ev);
}

/*
 * Apply an event that was decided elsewhere, read back from a log (the
 * journal, the JetStream stream): o is the parsed event, text its bytes
 * (both borrowed). The same path for a restart's replay and a gateway
 * following the stream, so both build the state the applier built. One
 * already applied (seq not above the store's) is skipped; a gap is
 * refused. A remove event's id is never given again, and the archive
 * gets the item unless it has it. When publish is set the listeners get
 * it (a following gateway's clients); a replay before they listen leaves
 * it clear. Returns 1 (skipped), 0 (applied), or -1 with *cause set
 * (allocated; caller frees), nothing changed.
 */
int
be_state_apply(struct be_state *st, json_t *o, const char *text, size_t len,
    int publish, char **cause)
{
	const struct kind	*k;
	struct be_msg		*m;
	json_int_t		 seq;
	const char		*id;
	char			*why = NULL;
	size_t			 i;

	seq = json_integer_value(json_object_get(o, "seq"));
	if (seq > 0 && (uint64_t)seq <= st->store->seq)
		return (1);
	if (seq <= 0 || (uint64_t)seq != st->store->seq + 1) {
		xasprintf(cause, "event %" JSON_INTEGER_FORMAT " does not "
		    "follow %" PRIu64, seq, st->store->seq);
		return (-1);
	}
	if (store_apply_event(st->store, o, 0, &why) != 0) {
		xasprintf(cause, "event %" JSON_INTEGER_FORMAT ": %s", seq,
		    why);
		free(why);
		return (-1);
	}
	if (json_is_true(json_object_get(o, "remove"))) {
		k = kind_find(json_string_value(json_object_get(o, "kind")));
		id = json_string_value(json_object_get(json_object_get(o,
		    "item"), "id"));
		if (k != NULL && id != NULL)
			engine_note_id(st->engine, k, id);
		if (st->archive != NULL)
			be_archive_add(st->archive, o);
	}
	m = be_msg_event(o, text, len);
	if (publish)
		be_state_apply_full(st, o, m);
	be_retain_add(st->retain, m);
	for (i = 0; publish && i < st->nlisteners; i++) {
		if (st->listeners[i].event != NULL)
			st->listeners[i].event(st->listeners[i].arg, m);
	}
	be_msg_unref(m);
	return (0);
}

/* be_archive_open()'s callback: an archived id is never given again. */
static void
be_state_archived_id(void *arg, const char *kind, const char *id)
{
	struct be_state		*st = arg;
	const struct kind	*k;

	if ((k = kind_find(kind)) != NULL)
		engine_note_id(st->engine, k, id);
}

/*
 * Open the archive in dir (NULL: a temporary one, without --state).
 * Returns 0, or -1 with *cause set (allocated; caller frees).
 */
int
be_state_open_archive(struct be_state *st, const char *dir, char **cause)
{
	be_archive_free(st->archive);
	st->archive = NULL;
	return (be_archive_open(dir, be_state_archived_id, st, &st->archive,
	    cause));
}

/*
 * The retention pass now, whatever the time of the last: the engine
 * takes out what finished retention_ms ago; the archive is synced before
 * the journal's next flush (which comes later in the loop), so a remove
 * the journal has is never missing from the archive. Returns how many
 * items left.
 */
size_t
be_state_retire(struct be_state *st)
{
	char	*cause = NULL;
	size_t	 n;

	if (st->retention_ms < 0 || st->archive == NULL)
		return (0);
	n = engine_retire(st->engine, st->retention_ms, BE_RETIRE_MAX);
	if (n > 0) {
		if (be_archive_sync(st->archive, &cause) != 0) {
			log_warn("archive: %s", cause);
			free(cause);
		}
		log_info("retention: %zu item%s archived (window %lld min)",
		    n, n == 1 ? "" : "s",
		    (long long)(st->retention_ms / 60000));
	}
	return (n);
}

/*
 * The retention pass when its interval passed since the last (on the
 * state's clock, which a test or bench-sim drives): BE_RETENTION_EVERY_MS,
 * or a quarter of a shorter window (at least a second), so an item leaves
 * at most that late. Cheap when not due, so a timer or a tick may call it
 * as often as it likes.
 */
size_t
be_state_retire_due(struct be_state *st)
{
	int64_t	now = clock_now(), every = BE_RETENTION_EVERY_MS;

	if (st->retention_ms < 0 || (st->next_retire != 0 &&
	    now < st->next_retire))
		return (0);
	if (st->retention_ms / 4 < every)
		every = st->retention_ms / 4 > 1000 ? st->retention_ms / 4 :
		    1000;
	st->next_retire = now + every;
	return (be_state_retire(st));
}

/*
 * Tell the listeners that a command id was newly remembered (after its
 * events): the journal keeps it, so the id is remembered across a
 * restart. The strings are borrowed.
 */
void
be_state_command(struct be_state *st, const char *id, const char *by,
    const char *payload, const char *result)
{
	size_t	i;

	for (i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].command != NULL)
			st->listeners[i].command(st->listeners[i].arg, id, by,
			    payload, result);
	}
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

/* ==== A relay's state: the province's events, in its numbering ==== */

/*
 * Replace the state with the province's snapshot (msg, borrowed): the
 * store holds its items raw, as the province sent them, at its seq; no
 * retained event leads to it, so the ring starts again. Returns 0, or -1
 * with *cause set (caller frees) and nothing changed.
 */
int
be_state_load(struct be_state *st, json_t *msg, char **cause)
{
	json_int_t	 seq;

	seq = json_integer_value(json_object_get(msg, "seq"));
	if (seq < 0) {
		xasprintf(cause, "snapshot seq %" JSON_INTEGER_FORMAT, seq);
		return (-1);
	}
	if (store_load_snapshot(st->store, msg, 0, cause) != 0)
		return (-1);
	st->store->seq = (uint64_t)seq;
	be_retain_free(st->retain);
	st->retain = be_retain_new(BE_RETAIN_EVENTS);
	return (0);
}

/*
 * The same with the province's snapshot read in parts (core/snapparts.c)
 * into n, which the state takes (its items raw, at its seq).
 */
void
be_state_replace(struct be_state *st, struct store *n)
{
	store_replace(st->store, n);
	be_retain_free(st->retain);
	st->retain = be_retain_new(BE_RETAIN_EVENTS);
}

/*
 * Apply one of the province's events (ev, borrowed: its seq, ts, by, cmd
 * as sent; its item whole or as a history delta) to the store, then hand
 * it on exactly as the state's own sink does: retained, to every
 * listener, the whole event beside the delta for clients that do not
 * merge. So a relay serves resumes and its consoles in the province's
 * numbering, and whether it got a delta or not, its consoles get what
 * they asked for. "prev" is the province's word to us: the server says
 * its own to each console. Returns 0, or -1 with *cause (caller frees)
 * and nothing changed.
 */
int
be_state_ingest(struct be_state *st, json_t *ev, char **cause)
{
	const struct kind *k;
	const char	*id;
	json_t		*full, *item;
	void		*old, *now;
	int64_t		 from = -1;

	k = kind_find(json_string_value(json_object_get(ev, "kind")));
	item = json_object_get(ev, "item");
	id = json_string_value(json_object_get(item, "id"));
	if (k == NULL || id == NULL) {
		xasprintf(cause, "event without a known kind or an item id");
		return (-1);
	}
	if ((k->flags & KIND_HISTORY) &&
	    (old = store_find(st->store, k, id)) != NULL)
		from = (int64_t)history_total(kind_history(k, old));
	full = json_deep_copy(ev);
	json_object_del(full, "prev");
	if (store_apply_event(st->store, full, 0, cause) != 0) {
		json_decref(full);
		return (-1);
	}
	if (json_is_true(json_object_get(full, "remove"))) {
		be_state_publish(st, be_msg_event(full, NULL, 0));
		json_decref(full);
		return (0);
	}
	json_object_del(full, "history_from");
	now = store_find(st->store, k, id);
	json_object_set_new(full, "item", k->encode(now));
	be_state_publish(st, be_state_msg(full, k, now, from));
	json_decref(full);
	return (0);
}

/*
 * A held-back reading the province sent out of the seq order
 * ("conflated"): applied when newer than the item held, and handed to the
 * listeners as it came, neither retained nor counted in the seq.
 */
void
be_state_conflated(struct be_state *st, json_t *ev, const char *text,
    size_t len)
{
	const struct kind *k;
	struct be_msg	*m;
	const char	*id;
	json_t		*item;
	void		*old;
	char		*cause = NULL;
	size_t		 i;

	k = kind_find(json_string_value(json_object_get(ev, "kind")));
	item = json_object_get(ev, "item");
	id = json_string_value(json_object_get(item, "id"));
	if (k == NULL || id == NULL)
		return;
	if ((old = store_find(st->store, k, id)) != NULL &&
	    json_integer_value(json_object_get(item, "version")) <=
	    (json_int_t)kind_version(k, old))
		return;
	if (store_apply_item(st->store, k->name, item, 0, &cause) != 0) {
		log_warn("conflated %s %s: %s", k->name, id, cause);
		free(cause);
		return;
	}
	m = be_msg_event(ev, text, len);
	m->seq = 0;
	m->flags |= BE_MSG_CONFLATED;
	for (i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].event != NULL)
			st->listeners[i].event(st->listeners[i].arg, m);
	}
	be_msg_unref(m);
}

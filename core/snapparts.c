/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A snapshot too large for one message, written and read in parts. */

#include "snapparts.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "kind.h"
#include "operator.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * The parts of a snapshot at seq S (docs/protocol.md §4):
 *
 *	{"type":"snapshot","seq":S,"gap":G,"part":1,"parts":N,
 *	 "province":{..},"areas":[..],"departments":[..],
 *	 "alerts":[..],"units":[..],"hospitals":[],"schools":[],"feedback":[]}
 *	{"type":"snapshot","seq":S,"gap":G,"part":2,"parts":N,
 *	 "alerts":[..],"units":[..]}
 *	...
 *
 * Every part is a whole JSON object, and the items are in the order a
 * snapshot in one message has them, cut wherever a part reaches its size:
 * the first part carries the envelope and every kind's array (empty when
 * its items start later), each next part the arrays of the kinds it has
 * items of. A state that fits in one part is one message without "part"
 * and "parts", a snapshot as any client reads it.
 *
 * The writer serialises one item at a time into the parts' text: what it
 * holds is the text (the size of the snapshot), never the parsed tree of
 * the whole state (ten times that). The reader loads the first part as a
 * snapshot into a staging store (store_load_snapshot_text(), item by
 * item) and adds every next part's items to it; a part out of its order,
 * of another seq or that does not read throws the staging store away,
 * and the caller's store was never touched.
 */

/* Parts in one snapshot, at most: 2^20 MiB of state is absurd already. */
#define SNAPPARTS_MAX		(1L << 20)

/* ==== Writing ==== */

struct snapparts_writer {
	struct buf		*bodies;	/* Each part's items' text. */
	size_t			 n, cap;
	struct buf		 cur;
	const struct kind	*open;		/* Array open in cur. */
	size_t			 items;		/* Items in cur. */
	int			 kinds;		/* 1 << index: arrays in cur. */
	int			 first_kinds;	/* ... in the first part. */
	size_t			 max;
};

/* Close the part being written and start the next. */
static void
snapparts_close(struct snapparts_writer *w)
{
	const struct kind	*k;

	if (w->open != NULL)
		buf_addc(&w->cur, ']');
	if (w->n == 0) {
		/* The first part has every kind's array, maybe empty. */
		w->first_kinds = w->kinds;
		for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
			if ((w->kinds & (1 << k->index)) == 0)
				buf_printf(&w->cur, ",\"%s\":[]", k->plural);
		}
	}
	if (w->n == w->cap) {
		w->cap = w->cap == 0 ? 16 : w->cap * 2;
		w->bodies = xreallocarray(w->bodies, w->cap,
		    sizeof *w->bodies);
	}
	w->bodies[w->n++] = w->cur;
	memset(&w->cur, 0, sizeof w->cur);
	w->open = NULL;
	w->items = 0;
	w->kinds = 0;
}

/* One item's text (tl bytes) of kind k into the parts. */
static void
snapparts_item(struct snapparts_writer *w, const struct kind *k,
    const char *t, size_t tl)
{
	if (w->items > 0 && w->cur.len + tl > w->max)
		snapparts_close(w);
	if (w->open != k) {
		if (w->open != NULL)
			buf_addc(&w->cur, ']');
		buf_printf(&w->cur, ",\"%s\":[", k->plural);
		w->open = k;
		w->kinds |= 1 << k->index;
	} else
		buf_addc(&w->cur, ',');
	buf_add(&w->cur, t, tl);
	w->items++;
}

/*
 * The state of st as a snapshot in parts of about max bytes of items
 * each, at st's seq, with the gap marker: the whole state (view NULL or
 * without areas), or what an area-scoped operator sees (the items of its
 * areas; the province, areas and departments whole), as
 * be_query_snapshot() would have it in one message. Items are serialised
 * one at a time. Returns the number of parts (at least 1) and sets *out
 * to them (the caller frees each text, then the array); one part is a
 * snapshot in one message, without "part" and "parts".
 */
size_t
snapparts_split(const struct store *st, int gap,
    const struct operator *view, size_t max, struct snapparts_part **out)
{
	static const char *const head_keys[] = { "province", "areas",
	    "departments" };
	struct snapparts_writer	 w;
	struct snapparts_part	*v;
	const struct kind	*k;
	struct buf		 m;
	json_t			*o, *head;
	char			*t;
	size_t			 i, j;

	memset(&w, 0, sizeof w);
	w.max = max;
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		for (i = 0; i < store_count(st, k); i++) {
			o = k->encode(store_item(st, k, i));
			if (view != NULL && view->nareas > 0 &&
			    !operator_has_area(view, json_string_value(
			    json_object_get(o, "area")))) {
				json_decref(o);
				continue;
			}
			t = proto_dump(o);
			json_decref(o);
			snapparts_item(&w, k, t, strlen(t));
			free(t);
		}
	}
	snapparts_close(&w);

	head = store_snapshot_head(st);
	v = xreallocarray(NULL, w.n, sizeof *v);
	for (i = 0; i < w.n; i++) {
		memset(&m, 0, sizeof m);
		buf_printf(&m, "{\"type\":\"snapshot\",\"seq\":%" PRIu64
		    ",\"gap\":%s", st->seq, gap ? "true" : "false");
		if (w.n > 1)
			buf_printf(&m, ",\"part\":%zu,\"parts\":%zu", i + 1,
			    w.n);
		for (j = 0; i == 0 && j < 3; j++) {
			t = proto_dump(json_object_get(head, head_keys[j]));
			buf_printf(&m, ",\"%s\":%s", head_keys[j], t);
			free(t);
		}
		buf_add(&m, w.bodies[i].s != NULL ? w.bodies[i].s : "",
		    w.bodies[i].len);
		buf_free(&w.bodies[i]);
		buf_addc(&m, '}');
		v[i].len = m.len;
		v[i].text = buf_detach(&m);
	}
	json_decref(head);
	free(w.bodies);
	*out = v;
	return (w.n);
}

/* ==== Reading ==== */

/* A JSON non-negative integer's value (value to end), or -1. */
static int64_t
snapparts_int(const char *p, const char *end)
{
	int64_t	v = 0;

	if (p >= end || end - p > 18)
		return (-1);
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
		v = v * 10 + (*p - '0');
	}
	return (v);
}

/*
 * What a message is, by a walk over its top-level members that parses
 * none of them (jscan.h): not a snapshot (or not an object we can walk:
 * it goes the usual way, which says what is wrong with it), a snapshot in
 * one message, a part of one (h filled: seq, gap, part, parts), or a
 * snapshot whose "part", "parts" or "seq" are not what a part needs.
 */
enum snapparts_kind
snapparts_peek(const char *text, size_t len, struct snapparts_head *h)
{
	struct jscan_member	 m;
	const char		*p, *end = text + len;
	int64_t			 seq = -1, part = -1, parts = -1;
	int			 snapshot = 0, numbered = 0, rc;

	memset(h, 0, sizeof *h);
	if ((p = jscan_open(text, end, '{')) == NULL)
		return (SNAPPARTS_OTHER);
	while ((rc = jscan_next_member(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "type"))
			snapshot = m.value_end - m.value == 10 &&
			    memcmp(m.value, "\"snapshot\"", 10) == 0;
		else if (jscan_key_is(&m, "gap"))
			h->gap = m.value_end - m.value == 4 &&
			    memcmp(m.value, "true", 4) == 0;
		else if (jscan_key_is(&m, "seq"))
			seq = snapparts_int(m.value, m.value_end);
		else if (jscan_key_is(&m, "part")) {
			numbered = 1;
			part = snapparts_int(m.value, m.value_end);
		} else if (jscan_key_is(&m, "parts")) {
			numbered = 1;
			parts = snapparts_int(m.value, m.value_end);
		}
	}
	if (rc != 0 || !snapshot)
		return (SNAPPARTS_OTHER);
	if (!numbered)
		return (SNAPPARTS_WHOLE);
	if (seq < 0 || part < 1 || parts < part || parts > SNAPPARTS_MAX)
		return (SNAPPARTS_BAD);
	h->seq = (uint64_t)seq;
	h->part = (long)part;
	h->parts = (long)parts;
	return (SNAPPARTS_PART);
}

/* Add the items of a next part (its text) to st, one at a time. */
static int
snapparts_items(struct store *st, const char *text, size_t len, int flags,
    store_skip_cb skip, void *arg, char **cause)
{
	struct jscan_member	 m;
	const struct kind	*k;
	const char		*p, *end = text + len;
	int			 rc;

	if ((p = jscan_open(text, end, '{')) == NULL) {
		xasprintf(cause, "a snapshot part is an object");
		return (-1);
	}
	while ((rc = jscan_next_member(&p, end, &m)) == 1) {
		for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
			if (jscan_key_is(&m, k->plural))
				break;
		}
		if (k == kind_table + KIND_COUNT)
			continue;
		if (store_add_items_text(st, k, m.value, m.value_end, flags,
		    skip, arg, cause) != 0)
			return (-1);
	}
	if (rc != 0 || jscan_ws(p, end) != end) {
		xasprintf(cause, "a snapshot part is one JSON object");
		return (-1);
	}
	return (0);
}

/*
 * Add one part (its text, len bytes; h from snapparts_peek()) to the
 * snapshot being read: the first starts a staging store, each next must
 * be the one after the last, of the same seq and count. With skip, an
 * item that does not decode is left out and reported (as
 * store_load_snapshot_skip()). Returns 1 when that was the last part
 * (snapparts_take() has the state), 0 when more are to come, or -1 with
 * *cause set (caller frees) when the part is out of its order or does not
 * read: the staging store is then thrown away, and nothing else changed.
 */
int
snapparts_add(struct snapparts_join *j, const char *text, size_t len,
    const struct snapparts_head *h, int flags, store_skip_cb skip,
    void *arg, char **cause)
{
	struct store	*n;

	if (j->st == NULL && h->part == 1) {
		n = store_new();
		if (store_load_snapshot_text(n, text, len, flags, skip, arg,
		    cause) != 0) {
			store_free(n);
			return (-1);
		}
		j->st = n;
		j->seq = h->seq;
		j->gap = h->gap;
		j->part = 1;
		j->parts = h->parts;
		return (j->parts == 1);
	}
	if (j->st == NULL) {
		xasprintf(cause, "snapshot part %ld of %ld (seq %" PRIu64 ") "
		    "without part 1", h->part, h->parts, h->seq);
		return (-1);
	}
	if (h->part != j->part + 1 || h->parts != j->parts ||
	    h->seq != j->seq) {
		xasprintf(cause, "snapshot part %ld of %ld (seq %" PRIu64 ") "
		    "where part %ld of %ld (seq %" PRIu64 ") was due", h->part,
		    h->parts, h->seq, j->part + 1, j->parts, j->seq);
		snapparts_reset(j);
		return (-1);
	}
	if (snapparts_items(j->st, text, len, flags, skip, arg, cause) != 0) {
		snapparts_reset(j);
		return (-1);
	}
	j->part++;
	return (j->part == j->parts);
}

/*
 * The state read from every part (caller owns it: store_replace() puts
 * it in place); the join is reset. NULL when no snapshot was whole.
 */
struct store *
snapparts_take(struct snapparts_join *j)
{
	struct store	*st = NULL;

	if (j->st != NULL && j->part == j->parts)
		st = j->st;
	else
		store_free(j->st);
	memset(j, 0, sizeof *j);
	return (st);
}

/* Throw away a snapshot being read (the link went, a part was bad). */
void
snapparts_reset(struct snapparts_join *j)
{
	store_free(j->st);
	memset(j, 0, sizeof *j);
}

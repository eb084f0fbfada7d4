/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Shared serialised messages and the ring of retained events. */

#include "be-msg.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "kind.h"
#include "log.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * Make a message holding a copy of len bytes of text, with one reference
 * held by the caller (release with be_msg_unref()).
 */
struct be_msg *
be_msg_new(const char *text, size_t len, uint64_t seq)
{
	struct be_msg	*m;

	m = xmalloc(sizeof *m + LWS_PRE + len + 1);
	m->refs = 1;
	m->seq = seq;
	m->flags = 0;
	m->full = NULL;
	m->kind[0] = m->item[0] = m->area[0] = '\0';
	m->len = len;
	memset(m->buf, 0, LWS_PRE);
	memcpy(m->buf + LWS_PRE, text, len);
	m->buf[LWS_PRE + len] = '\0';
	return (m);
}

/*
 * Serialise a JSON message compactly into a new message (one reference,
 * the caller's). The JSON value is borrowed.
 */
struct be_msg *
be_msg_from_json(const json_t *j, uint64_t seq)
{
	struct be_msg	*m;
	char		*s;

	s = proto_dump(j);
	m = be_msg_new(s, strlen(s), seq);
	free(s);
	return (m);
}

/* Copy a short string member of o into buf, or leave buf empty. */
static void
be_msg_member(const json_t *o, const char *key, char *buf, size_t sz)
{
	const char	*s = json_string_value(json_object_get(o, key));

	if (s != NULL && strlen(s) < sz)
		memcpy(buf, s, strlen(s) + 1);
}

/*
 * Make the message of an event (ev, borrowed): its text is text (len
 * bytes) when not NULL, else ev serialised. Fills seq, kind, item, area
 * and BE_MSG_GAUGE (an event of a KIND_GAUGE kind, a hospital or a
 * school, without "by"). Returns a message with one reference, the
 * caller's.
 */
struct be_msg *
be_msg_event(const json_t *ev, const char *text, size_t len)
{
	const struct kind *k;
	struct be_msg	*m;
	json_t		*item;
	json_int_t	 seq;

	seq = json_integer_value(json_object_get(ev, "seq"));
	if (text != NULL)
		m = be_msg_new(text, len, seq > 0 ? (uint64_t)seq : 0);
	else
		m = be_msg_from_json(ev, seq > 0 ? (uint64_t)seq : 0);
	be_msg_member(ev, "kind", m->kind, sizeof m->kind);
	item = json_object_get(ev, "item");
	be_msg_member(item, "id", m->item, sizeof m->item);
	be_msg_member(item, "area", m->area, sizeof m->area);
	k = kind_find(m->kind);
	if (k != NULL && (k->flags & KIND_GAUGE) &&
	    json_object_get(ev, "by") == NULL)
		m->flags |= BE_MSG_GAUGE;
	return (m);
}

/*
 * Make one batch message of n event messages (borrowed), in their order:
 * {"type":"batch","events":[E1,E2,...]} with each event's text as it is,
 * so nothing is serialised again. Returns a message with one reference,
 * the caller's; its seq is the last event's.
 */
struct be_msg *
be_msg_batch(struct be_msg *const *v, size_t n)
{
	static const char head[] = "{\"type\":\"batch\",\"events\":[";
	struct be_msg	*m;
	unsigned char	*p;
	size_t		 i, len = sizeof head - 1 + 2;

	for (i = 0; i < n; i++)
		len += v[i]->len + (i > 0);
	m = xmalloc(sizeof *m + LWS_PRE + len + 1);
	m->refs = 1;
	m->seq = n > 0 ? v[n - 1]->seq : 0;
	m->flags = 0;
	m->full = NULL;
	m->kind[0] = m->item[0] = m->area[0] = '\0';
	m->len = len;
	memset(m->buf, 0, LWS_PRE);
	p = m->buf + LWS_PRE;
	memcpy(p, head, sizeof head - 1);
	p += sizeof head - 1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, v[i]->buf + LWS_PRE, v[i]->len);
		p += v[i]->len;
	}
	*p++ = ']';
	*p++ = '}';
	*p = '\0';
	return (m);
}

/*
 * Take one more reference; returns m.
 */
struct be_msg *
be_msg_ref(struct be_msg *m)
{
	m->refs++;
	return (m);
}

/*
 * Drop one reference, freeing the message with the last. NULL is a no-op.
 */
void
be_msg_unref(struct be_msg *m)
{
	if (m == NULL)
		return;
	if (m->refs == 0)
		fatalx("%s: message without references", __func__);
	if (--m->refs == 0) {
		be_msg_unref(m->full);
		free(m);
	}
}

/*
 * The text (NUL-terminated, m->len bytes), preceded by LWS_PRE bytes that
 * lws_write() may use. Borrowed from the message.
 */
unsigned char *
be_msg_text(struct be_msg *m)
{
	return (m->buf + LWS_PRE);
}

/* ==== Retention ring ==== */

struct be_retain {
	struct be_msg	**ring;
	size_t		  cap;
	size_t		  head;		/* Index of the oldest. */
	size_t		  n;
};

/*
 * Make a ring that keeps the last cap events (cap >= 1). Caller frees with
 * be_retain_free().
 */
struct be_retain *
be_retain_new(size_t cap)
{
	struct be_retain	*r;

	if (cap == 0)
		cap = 1;
	r = xcalloc(1, sizeof *r);
	r->ring = xcalloc(cap, sizeof *r->ring);
	r->cap = cap;
	return (r);
}

/*
 * Drop every retained event and free the ring. NULL is a no-op.
 */
void
be_retain_free(struct be_retain *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		be_msg_unref(r->ring[(r->head + i) % r->cap]);
	free(r->ring);
	free(r);
}

/*
 * Keep an event message (takes a new reference; the caller keeps its own).
 * Events must be added in increasing seq order; the oldest is dropped when
 * the ring is full.
 */
void
be_retain_add(struct be_retain *r, struct be_msg *m)
{
	if (r->n == r->cap) {
		be_msg_unref(r->ring[r->head]);
		r->ring[r->head] = be_msg_ref(m);
		r->head = (r->head + 1) % r->cap;
		return;
	}
	r->ring[(r->head + r->n) % r->cap] = be_msg_ref(m);
	r->n++;
}

/*
 * The number of events retained.
 */
size_t
be_retain_count(const struct be_retain *r)
{
	return (r->n);
}

/*
 * Whether every event after seq "after" up to "last" (the current seq) is
 * held, so that a client that applied "after" can catch up from the ring.
 * Returns 1 or 0.
 */
int
be_retain_covers(const struct be_retain *r, uint64_t after, uint64_t last)
{
	uint64_t	oldest;

	if (after > last)
		return (0);
	if (after == last)
		return (1);
	if (r->n == 0)
		return (0);
	oldest = r->ring[r->head]->seq;
	return (after + 1 >= oldest &&
	    r->ring[(r->head + r->n - 1) % r->cap]->seq == last);
}

/*
 * Call fn(arg, msg) for each retained event with seq > after, oldest
 * first. The message is borrowed; fn takes its own reference to keep it.
 * Returns the number of calls.
 */
size_t
be_retain_since(const struct be_retain *r, uint64_t after,
    void (*fn)(void *, struct be_msg *), void *arg)
{
	struct be_msg	*m;
	size_t		 i, n = 0;

	for (i = 0; i < r->n; i++) {
		m = r->ring[(r->head + i) % r->cap];
		if (m->seq > after) {
			fn(arg, m);
			n++;
		}
	}
	return (n);
}

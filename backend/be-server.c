/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The websocket server. One lws context owns the loop; the listening
 * socket speaks trucban.v1 (docs/protocol.md) with permessage-deflate,
 * over TLS when given a certificate, and the signal fd is adopted as a raw
 * file so SIGINT/SIGTERM end the loop between two callbacks.
 *
 * Handshake: with a tokens table, the Authorization header must carry a
 * known bearer token, else HTTP 401 and no upgrade; the token's operator
 * (name, role, areas) is the session's. Without one, everybody is "demo".
 *
 * Inbound: a client reassembles fragments up to PROTO_MAX_FRAME (beyond:
 * one too_large error, the rest of that message discarded); every whole
 * message spends a token of the client's bucket (rate a second, burst at
 * most) or is refused with rate_limited; refusals count up and served
 * messages count them down, so a client whose refusals outrun what it is
 * served by BE_SERVER_ABUSE (a flood, not a client a little over the
 * rate) is closed with 1008; then proto_parse().
 *
 * Outbound: a client holds a FIFO of shared serialised messages (struct
 * be_msg); one is written per SERVER_WRITEABLE, and it stays referenced
 * until the next WRITEABLE because permessage-deflate reads the buffer
 * after lws_write() returns (technotes §2, pitfall 1). A client whose
 * queue passes the limits is closed with 1008 and may resume later; the
 * others are not held up by it.
 *
 * Durability: whatever is queued during one turn of the loop (events,
 * results, everything) carries that turn's epoch and is not written before
 * the journal was flushed (fdatasync) at the end of the turn, so no client
 * ever sees an event, or a result, that a crash could take back.
 *
 * Admission (docs/protocol.md §2, "Connections"): a connection has
 * hello_s from the upgrade to its hello, then it is closed with 1008 and
 * the reason. Before hello a connection costs a file descriptor and
 * gives nothing, so those are limited, and never by refusing the newest
 * (an officer's console says hello within one round trip; a flood never
 * does): past per_token connections of one token before hello, the
 * oldest of them is closed; past per_address from one address (a
 * district centre's NAT holds many officers), the oldest of the token
 * that has the most of them there. Sessions past hello are limited per
 * token only: the one hello past per_token is refused with the reason
 * too_many_sessions, and closed. Before its upgrade request a connection
 * is only an address: past per_address of those from one address the
 * oldest is shut down (be_server_accepted()).
 *
 * Beats: a client that asked for them in hello gets a beat after
 * beat_ms in which nothing else was queued for it, so a console can tell
 * a dead link from a quiet province within seconds.
 *
 * Per-client views: an area-scoped operator gets only the items of its
 * areas, and a client that asked for gauge_ms gets a hospital's or a
 * school's simulated readings at most that often (the latest wins; a
 * record is never held back). An event after skipped ones carries "prev",
 * the seq of the one sent before it; a held-back reading is sent later,
 * from the current state, marked "conflated" (docs/protocol.md).
 */

#include "be-server.h"

#include <sys/queue.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <netdb.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "be-auth.h"
#include "be-drill.h"
#include "be-cmd.h"
#include "be-journal.h"
#include "be-msg.h"
#include "be-query.h"
#include "be-state.h"
#include "clock.h"
#include "drill.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "snapparts.h"
#include "store.h"
#include "xmalloc.h"

struct be_qent {
	struct be_msg		*msg;
	uint64_t		 epoch;	/* Loop turn it was queued in. */
	int			 part;	/* A snapshot's part: not counted. */
	STAILQ_ENTRY(be_qent)	 entry;
};

/* A gauge item a conflating client was sent. */
struct be_gauge {
	char		 key[MODEL_ID_MAX + 2];	/* "h:ID", "s:ID"; "": free. */
	const struct kind *kind;
	int64_t		 sent;			/* clock_mono(). */
	int		 pending;		/* A newer reading is held. */
};

/* Per connection; lws allocates it zeroed as the per-session data. */
struct be_client {
	struct be_server	*srv;	/* NULL until established. */
	struct lws		*wsi;
	char			 peer[64];
	char			*name;	/* From hello, sanitised. */
	char			*follow;	/* The trainee followed; NULL. */
	json_t			*awaiting; /* Forwarded: id -> [as, cmd]. */
	const struct operator *op;	/* From the handshake. */
	const struct be_auth_entry *token; /* Its token's; NULL: demo. */
	int			 scoped;	/* Sees only op's areas. */
	int			 ready;	/* Hello done: gets events. */
	int64_t			 since;	/* Hello, wall ms. */
	uint64_t		 serial; /* Order of upgrade. */
	lws_sorted_usec_list_t	 hello_sul;	/* The hello deadline. */
	int			 hello_timer;
	int			 beat;		/* Asked for beats. */
	int64_t			 last_tx;	/* Last queued, mono ms. */
	uint64_t		 last_seq; /* Last in-order event queued. */
	int			 batch;	/* Hello said it reads batches. */
	int			 delta;	/* ... and merges history deltas. */
	int			 parts;	/* ... and snapshots in parts. */
	int			 replaying; /* Queueing a resume's events. */
	int			 replay_over; /* ... more than half a queue. */

	char			*rx;		/* Reassembly. */
	size_t			 rxlen, rxcap;
	int			 rx_discard; /* Dropping an oversize one. */

	double			 tokens;	/* Inbound rate bucket. */
	int64_t			 tokens_ms;
	unsigned		 refused;	/* In a row. */

	int			 gauge_ms;	/* 0: no conflation. */
	struct be_gauge		*gauges;	/* Open addressing. */
	size_t			 ngauges, gauges_cap;
	lws_sorted_usec_list_t	 gauge_sul;
	int			 gauge_timer;

	STAILQ_HEAD(, be_qent)	 queue;
	size_t			 qlen, qbytes;
	struct be_msg		*inflight; /* Written, maybe not sent. */
	int			 waking;	/* On the wake list. */
	TAILQ_ENTRY(be_client)	 wake_entry;

	/* When close_code is set: close at the next WRITEABLE (after the
	 * queue is sent when close_drain is set). */
	int			 close_code;
	char			 close_reason[96];
	int			 close_drain;
	int			 closed;	/* Close requested of lws. */

	LIST_ENTRY(be_client)	 entry;
};

/*
 * A TCP connection accepted and not upgraded yet, by its descriptor: it
 * has no token and no session, only an address. Descriptors go past lws's
 * count of its own (the log, the journal, the signal fd): the table has
 * room for those numbers too.
 */
#define BE_SERVER_ACCEPTS	(BE_SERVER_MAX_FDS + 256)
struct be_accept {
	struct lws	*wsi;		/* NULL until WSI_CREATE. */
	uint64_t	 serial;	/* 0: the slot is free. */
	char		 peer[64];
};

struct be_server {
	struct be_state		*st;
	struct lws_context	*ctx;
	int			 port;
	int			 signal_fd;
	int			 stop;
	int			 closing;	/* Being freed. */
	int			 failed;	/* The journal failed. */
	size_t			 queue_msgs, queue_bytes;
	struct be_journal	*journal;
	int			(*sync)(void *, char **);
	int			(*log_forward)(void *,
				    const struct operator *, json_t *,
				    uint64_t);
	void			(*wake_cb)(void *);
	void			*log_arg;
	const struct be_auth	*auth;
	int			 area_scoped;
	double			 rate, burst;
	int			 hello_s;
	size_t			 per_address, per_token;
	int			 beat_ms;	/* 0: no beats. */
	lws_sorted_usec_list_t	 beat_sul;
	uint64_t		 serial;	/* Connections accepted. */
	struct be_accept	 accepts[BE_SERVER_ACCEPTS];
	struct be_accept	*accepting;	/* Filtered, no wsi yet. */
	size_t			 nclients;
	LIST_HEAD(, be_client)	 clients;

	uint64_t		 epoch;		/* This turn of the loop. */
	uint64_t		 durable;	/* Turns made durable. */
	TAILQ_HEAD(, be_client)	 wake;		/* Queued this turn. */

	lws_sorted_usec_list_t	 presence_sul;
	int			 presence_pending;

	struct be_drill		*drill;		/* Borrowed; NULL: none. */
	struct lws_protocols	*protocols;	/* Ours, then opts' extra. */

	/* A relay: commands go to forward; the province's link state. */
	be_server_forward_cb	 forward;
	void			*forward_arg;
	int64_t			 stale_since;	/* ms; 0: the link is up. */
	lws_sorted_usec_list_t	 follow_sul;	/* Drill status, each second. */
	int			 follow_timer;
};

static int	be_server_ws_cb(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);
static int	be_server_raw_cb(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);
static int	be_server_wake_cb(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);
static void	be_client_event(struct be_client *, struct be_msg *);
static const struct lws_protocols *be_server_protocol_table(
		    struct be_server *, const struct lws_protocols *);

/*
 * A client's message is read in pieces of up to BE_SERVER_RX_BUF bytes and,
 * when compressed, inflated into a buffer of as much (be_server_ws_cb(),
 * ESTABLISHED). lws 4.1.6 keeps the input it could not inflate yet (its
 * output buffer full, 1 KB by default) as a pointer into the buffer it read
 * it into, which the next connection's read may overwrite: a client whose
 * messages compress well (context takeover makes a repeated note's text
 * compress well) then sees its own stream fail ("zlib error inflate -3")
 * when others send at the same time. Every command fits 16 KB inflated (a
 * free text is 4 KB), so it inflates in one go and nothing is left
 * pointing into a shared buffer.
 */
static const struct lws_protocols be_server_protocols[] = {
	{ PROTO_SUBPROTOCOL, be_server_ws_cb, sizeof (struct be_client),
	    BE_SERVER_RX_BUF, 0, NULL, 0 },
	{ "be-signal", be_server_raw_cb, 0, 0, 0, NULL, 0 },
	{ "be-wake", be_server_wake_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * permessage-deflate. A server never sends this offer string (it is what a
 * client would offer); lws 4.1.6 accepts the options without a value that
 * a client offers and keeps them in one table for both directions, and
 * with "client_no_context_takeover" it resets its own compressor after
 * every message: each event compressed alone (console/conn.c). Our
 * clients no longer offer it; one that does still gets correct frames,
 * only larger. The LZ77 window stays 2^15 both ways: lws inflates with
 * the window it deflates with, and a client may compress with 2^15. Per
 * connection that is about 300 KB of zlib state (docs/protocol.md §1).
 */
static const struct lws_extension be_server_exts[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	    "permessage-deflate" },
	{ NULL, NULL, NULL }
};

/* ==== Outbound ==== */

static void
be_client_drop_queue(struct be_client *c)
{
	struct be_qent	*q;

	while ((q = STAILQ_FIRST(&c->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->queue, entry);
		be_msg_unref(q->msg);
		free(q);
	}
	c->qlen = c->qbytes = 0;
}

/* Close at the next WRITEABLE (now, or once the queue is sent). */
static void
be_client_close(struct be_client *c, int code, int drain, const char *reason)
{
	if (c->close_code != 0)
		return;
	c->close_code = code;
	c->close_drain = drain;
	snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
	if (!drain)
		be_client_drop_queue(c);
	/* A client that never drains must not hold the slot for ever. */
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 10);
	lws_callback_on_writable(c->wsi);
}

/*
 * Ask for WRITEABLE once this turn's messages are durable. The first of a
 * turn also makes lws_service() return soon: after a timer callback it
 * would otherwise wait in poll() for the next event first.
 */
static void
be_client_wake(struct be_client *c)
{
	if (c->waking)
		return;
	if (TAILQ_EMPTY(&c->srv->wake))
		lws_cancel_service(c->srv->ctx);
	c->waking = 1;
	TAILQ_INSERT_TAIL(&c->srv->wake, c, wake_entry);
}

/* Drop what was queued after the first keep messages. */
static void
be_client_truncate(struct be_client *c, size_t keep)
{
	STAILQ_HEAD(, be_qent)	 kept = STAILQ_HEAD_INITIALIZER(kept);
	struct be_qent		*q;
	size_t			 i = 0;

	while ((q = STAILQ_FIRST(&c->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->queue, entry);
		if (i++ < keep) {
			STAILQ_INSERT_TAIL(&kept, q, entry);
			continue;
		}
		if (!q->part) {
			c->qlen--;
			c->qbytes -= q->msg->len;
		}
		be_msg_unref(q->msg);
		free(q);
	}
	STAILQ_CONCAT(&c->queue, &kept);
}

/* Put a message at the end of the queue (takes a new reference). */
static void
be_client_enqueue(struct be_client *c, struct be_msg *m, int part)
{
	struct be_qent	*q;

	q = xmalloc(sizeof *q);
	q->msg = be_msg_ref(m);
	q->epoch = c->srv->epoch;
	q->part = part;
	STAILQ_INSERT_TAIL(&c->queue, q, entry);
	if (!part) {
		c->qlen++;
		c->qbytes += m->len;
	}
	c->last_tx = clock_mono();
	be_client_wake(c);
}

/* Queue a message (takes a new reference). */
static void
be_client_send(struct be_client *c, struct be_msg *m)
{
	char		 why[96];

	if (c->close_code != 0 && !c->close_drain)
		return;
	/*
	 * A resume's events may fill half the queue: the rest is for what
	 * comes live while they are sent. Beyond, the resume becomes a
	 * snapshot (be_client_hello()), never a close: else the client
	 * would resume again into the same wall, for ever.
	 */
	if (c->replaying) {
		if (c->replay_over || c->qlen + 1 > c->srv->queue_msgs / 2 ||
		    c->qbytes + m->len > c->srv->queue_bytes / 2) {
			c->replay_over = 1;
			return;
		}
	} else if (c->qlen + 1 > c->srv->queue_msgs ||
	    c->qbytes + m->len > c->srv->queue_bytes) {
		log_warn("client %s: outbound queue full (%zu messages, %zu "
		    "bytes): closing", c->peer, c->qlen, c->qbytes);
		snprintf(why, sizeof why, "too slow: more than %zu messages "
		    "or %zu bytes queued", c->srv->queue_msgs,
		    c->srv->queue_bytes);
		be_client_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, 0, why);
		return;
	}
	be_client_enqueue(c, m, 0);
}

/* Queue a JSON message (borrowed). */
static void
be_client_send_json(struct be_client *c, const json_t *j)
{
	struct be_msg	*m;

	m = be_msg_from_json(j, 0);
	be_client_send(c, m);
	be_msg_unref(m);
}

/* Queue a JSON message and release it. */
static void
be_client_send_new(struct be_client *c, json_t *j)
{
	be_client_send_json(c, j);
	json_decref(j);
}

static void
be_client_error(struct be_client *c, enum proto_err err, const char *msg)
{
	log_debug("client %s: %s: %s", c->peer, proto_err_names[err], msg);
	be_client_send_new(c, proto_error_new(err, msg));
}

/* Take the head of the queue (which is there). */
static struct be_msg *
be_client_pop(struct be_client *c)
{
	struct be_qent	*q = STAILQ_FIRST(&c->queue);
	struct be_msg	*m = q->msg;

	STAILQ_REMOVE_HEAD(&c->queue, entry);
	if (!q->part) {
		c->qlen--;
		c->qbytes -= m->len;
	}
	free(q);
	return (m);
}

/*
 * The state as a snapshot, with the gap marker, as this client sees it
 * (area-scoped or whole). A client that reads snapshots in parts (its
 * hello said "snapshot_parts") gets the state serialised one item at a
 * time into parts of about SNAPPARTS_BYTES (core/snapparts.c): the server
 * never builds the whole state's JSON tree for it, and the parts do not
 * count against the outbound queue's limits. They are the snapshot,
 * bounded by the state, and leave the queue as the client reads them;
 * what comes after them (the live events) counts as usual. Others get it
 * in one message, which counts, as before.
 */
static void
be_client_snapshot(struct be_client *c, int gap)
{
	struct be_state		*st = c->srv->st;
	const struct operator	*view = c->scoped ? c->op : NULL;
	struct snapparts_part	*v;
	struct be_msg		*m;
	size_t			 n, i, bytes = 0;

	if (!c->parts) {
		be_client_send_new(c, be_query_snapshot(st, gap, view));
		return;
	}
	n = snapparts_split(st->store, gap, view, SNAPPARTS_BYTES, &v);
	for (i = 0; i < n; i++) {
		m = be_msg_new(v[i].text, v[i].len, 0);
		bytes += v[i].len;
		free(v[i].text);
		/* One part is a snapshot as any other client gets it. */
		if (n == 1)
			be_client_send(c, m);
		else if (c->close_code == 0 || c->close_drain)
			be_client_enqueue(c, m, 1);
		be_msg_unref(m);
	}
	free(v);
	if (n > 1)
		log_info("client %s: snapshot at seq %" PRIu64 " in %zu "
		    "parts, %zu bytes", c->peer, st->store->seq, n, bytes);
}

/*
 * The next message to write (the queue's head is durable): for a client
 * that reads batches, the events that wait in a row at the head, durable,
 * in one batch message (at most PROTO_BATCH_MAX of them and
 * PROTO_BATCH_BYTES of their text); else the head. One frame (and mostly
 * one TCP segment) for everything a turn of the loop made, and a deflate
 * block that sees them all. Returns a message with one reference, the
 * caller's.
 */
static struct be_msg *
be_client_next(struct be_client *c)
{
	struct be_qent	*q;
	struct be_msg	*v[PROTO_BATCH_MAX], *m;
	size_t		 n = 0, bytes = 0, i;

	q = STAILQ_FIRST(&c->queue);
	if (!c->batch || q->msg->seq == 0)
		return (be_client_pop(c));
	v[n++] = be_client_pop(c);
	bytes = v[0]->len;
	while (n < PROTO_BATCH_MAX && (q = STAILQ_FIRST(&c->queue)) != NULL &&
	    q->msg->seq != 0 && q->epoch <= c->srv->durable &&
	    bytes + q->msg->len <= PROTO_BATCH_BYTES) {
		bytes += q->msg->len;
		v[n++] = be_client_pop(c);
	}
	if (n == 1)
		return (v[0]);
	m = be_msg_batch(v, n);
	for (i = 0; i < n; i++)
		be_msg_unref(v[i]);
	return (m);
}

static int
be_client_writeable(struct be_client *c)
{
	struct be_qent	*q;
	struct be_msg	*m;
	int		 n;

	/* The previous write has been taken by lws and any extension. */
	be_msg_unref(c->inflight);
	c->inflight = NULL;

	if (c->closed)
		return (-1);
	q = STAILQ_FIRST(&c->queue);
	if (c->close_code != 0 && (!c->close_drain || q == NULL)) {
		c->closed = 1;
		log_info("client %s: closing (%d %s)", c->peer, c->close_code,
		    c->close_reason);
		lws_close_reason(c->wsi, c->close_code,
		    (unsigned char *)c->close_reason, strlen(c->close_reason));
		return (-1);
	}
	/* Nothing, or nothing durable yet (asked again after the flush). */
	if (q == NULL || q->epoch > c->srv->durable)
		return (0);
	m = be_client_next(c);

	n = lws_write(c->wsi, be_msg_text(m), m->len, LWS_WRITE_TEXT);
	c->inflight = m;
	if (n < (int)m->len) {
		log_warn("client %s: write failed", c->peer);
		return (-1);
	}
	q = STAILQ_FIRST(&c->queue);
	if ((q != NULL && q->epoch <= c->srv->durable) || c->close_code != 0)
		lws_callback_on_writable(c->wsi);
	return (0);
}

/*
 * The end of a turn of the loop: make the journal durable, then let every
 * client that had something queued write it.
 */
static int
be_server_release(struct be_server *srv)
{
	struct be_client	*c;
	char			*cause = NULL;

	if (srv->journal != NULL && be_journal_pending(srv->journal) &&
	    be_journal_flush(srv->journal, &cause) != 0) {
		log_error("%s: stopping; nothing more is sent", cause);
		free(cause);
		srv->failed = 1;
		return (-1);
	}
	if (srv->sync != NULL && srv->sync(srv->log_arg, &cause) != 0) {
		log_error("%s: stopping; nothing more is sent", cause);
		free(cause);
		srv->failed = 1;
		return (-1);
	}
	srv->durable = srv->epoch++;
	while ((c = TAILQ_FIRST(&srv->wake)) != NULL) {
		TAILQ_REMOVE(&srv->wake, c, wake_entry);
		c->waking = 0;
		if (!STAILQ_EMPTY(&c->queue) || c->close_code != 0)
			lws_callback_on_writable(c->wsi);
	}
	return (0);
}

/* ==== Per-client views ==== */

static size_t
be_gauge_hash(const char *s, size_t cap)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return ((size_t)(h & (cap - 1)));
}

/* The entry of a gauge item, made when missing. */
static struct be_gauge *
be_gauge_get(struct be_client *c, const struct kind *kind, const char *id)
{
	struct be_gauge	*old, *g;
	char		 key[sizeof g->key];
	size_t		 i, k, oldcap;

	snprintf(key, sizeof key, "%c:%s", kind->name[0], id);
	if (c->ngauges + 1 > c->gauges_cap * 7 / 10) {
		old = c->gauges;
		oldcap = c->gauges_cap;
		c->gauges_cap = oldcap == 0 ? 64 : oldcap * 2;
		c->gauges = xcalloc(c->gauges_cap, sizeof *c->gauges);
		for (i = 0; i < oldcap; i++) {
			if (old[i].key[0] == '\0')
				continue;
			k = be_gauge_hash(old[i].key, c->gauges_cap);
			while (c->gauges[k].key[0] != '\0')
				k = (k + 1) & (c->gauges_cap - 1);
			c->gauges[k] = old[i];
		}
		free(old);
	}
	k = be_gauge_hash(key, c->gauges_cap);
	for (;;) {
		g = &c->gauges[k];
		if (g->key[0] == '\0') {
			memcpy(g->key, key, sizeof g->key);
			g->kind = kind;
			c->ngauges++;
			return (g);
		}
		if (strcmp(g->key, key) == 0)
			return (g);
		k = (k + 1) & (c->gauges_cap - 1);
	}
}

/*
 * Send a gauge item as it is now, marked conflated: out of the seq order,
 * so the client applies it without moving its seq.
 */
static void
be_client_refresh(struct be_client *c, const struct be_gauge *g)
{
	struct store	*s = c->srv->st->store;
	const void	*item;
	json_t		*ev;

	if ((item = store_find(s, g->kind, g->key + 2)) == NULL)
		return;
	ev = proto_event_new(s->seq, clock_now(), g->kind->name,
	    g->kind->encode(item));
	json_object_set_new(ev, "conflated", json_true());
	be_client_send_new(c, ev);
}

static void
be_client_gauge_cb(lws_sorted_usec_list_t *sul)
{
	struct be_client	*c;
	struct be_gauge		*g;
	int64_t			 now = clock_mono(), next = INT64_MAX, left;
	size_t			 i;

	c = lws_container_of(sul, struct be_client, gauge_sul);
	c->gauge_timer = 0;
	for (i = 0; i < c->gauges_cap; i++) {
		g = &c->gauges[i];
		if (g->key[0] == '\0' || !g->pending)
			continue;
		left = g->sent + c->gauge_ms - now;
		if (left <= 0) {
			be_client_refresh(c, g);
			g->sent = now;
			g->pending = 0;
		} else if (left < next)
			next = left;
	}
	if (next != INT64_MAX) {
		c->gauge_timer = 1;
		lws_sul_schedule(c->srv->ctx, 0, &c->gauge_sul,
		    be_client_gauge_cb, (lws_usec_t)next * LWS_US_PER_MS);
	}
}

/*
 * Send every gauge item the client may see as it is now (after a resume,
 * or before a digest, so nothing held back is missing).
 */
static void
be_client_refresh_all(struct be_client *c)
{
	struct store		*s = c->srv->st->store;
	const struct kind	*k;
	const void		*item;
	struct be_gauge		*g;
	int64_t			 now = clock_mono();
	size_t			 i;

	if (c->gauge_timer) {
		lws_sul_cancel(&c->gauge_sul);
		c->gauge_timer = 0;
	}
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		if (~k->flags & KIND_GAUGE)
			continue;
		for (i = 0; i < store_count(s, k); i++) {
			item = store_item(s, k, i);
			if (c->scoped && !operator_has_area(c->op,
			    kind_area(k, item)))
				continue;
			g = be_gauge_get(c, k, kind_id(k, item));
			be_client_refresh(c, g);
			g->sent = now;
			g->pending = 0;
		}
	}
}

/* 1 when a gauge reading is held back for this client (conflated). */
static int
be_client_conflate(struct be_client *c, struct be_msg *m)
{
	const struct kind *k;
	struct be_gauge	*g;
	int64_t		 now = clock_mono(), left;

	if (m->item[0] == '\0' || (k = kind_find(m->kind)) == NULL)
		return (0);
	g = be_gauge_get(c, k, m->item);
	left = g->sent + c->gauge_ms - now;
	if (g->sent == 0 || left <= 0) {
		g->sent = now;
		g->pending = 0;
		return (0);
	}
	g->pending = 1;
	if (!c->gauge_timer) {
		c->gauge_timer = 1;
		lws_sul_schedule(c->srv->ctx, 0, &c->gauge_sul,
		    be_client_gauge_cb, (lws_usec_t)left * LWS_US_PER_MS);
	}
	return (1);
}

/*
 * Queue an event for a client, unless its view leaves it out. When events
 * were left out since the last one sent, this one says so with "prev".
 */
static void
be_client_event(struct be_client *c, struct be_msg *m)
{
	struct be_msg	*p;
	char		*text;

	if (c->scoped && !operator_has_area(c->op, m->area))
		return;
	if (m->flags & BE_MSG_CONFLATED) {
		be_client_send(c, m);	/* Out of the order: no last_seq. */
		return;
	}
	if (!c->delta && m->full != NULL)
		m = m->full;
	if (c->gauge_ms > 0 && (m->flags & BE_MSG_GAUGE) &&
	    be_client_conflate(c, m))
		return;
	if (m->seq == c->last_seq + 1 || m->len < 2)
		be_client_send(c, m);
	else {
		xasprintf(&text, "{\"prev\":%" PRIu64 ",%s", c->last_seq,
		    (const char *)be_msg_text(m) + 1);
		p = be_msg_new(text, strlen(text), m->seq);
		free(text);
		be_client_send(c, p);
		be_msg_unref(p);
	}
	c->last_seq = m->seq;
}

/* The state's listener: every event to every client past hello. */
static void
be_server_broadcast(void *arg, struct be_msg *m)
{
	struct be_server	*srv = arg;
	struct be_client	*c;

	LIST_FOREACH(c, &srv->clients, entry) {
		if (c->ready)
			be_client_event(c, m);
	}
}

/* ==== Presence ==== */

static int
be_server_presence_cmp(const void *a, const void *b)
{
	const char	*x, *y;

	x = json_string_value(json_object_get(*(json_t *const *)a, "name"));
	y = json_string_value(json_object_get(*(json_t *const *)b, "name"));
	return (strcmp(x, y));
}

/* Who is connected: one entry per operator name. */
static json_t *
be_server_presence_msg(struct be_server *srv)
{
	struct be_client	*c;
	json_t			**v = NULL, *arr, *o;
	size_t			 n = 0, i;

	LIST_FOREACH(c, &srv->clients, entry) {
		if (!c->ready || c->close_code != 0)
			continue;
		for (i = 0; i < n; i++) {
			if (strcmp(json_string_value(json_object_get(v[i],
			    "name")), c->op->name) == 0)
				break;
		}
		if (i < n) {
			o = v[i];
			if (c->since < json_integer_value(json_object_get(o,
			    "since")))
				json_object_set_new(o, "since",
				    json_integer(c->since));
			json_object_set_new(o, "sessions", json_integer(
			    json_integer_value(json_object_get(o,
			    "sessions")) + 1));
			continue;
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = json_pack("{s:s s:s s:I s:i}", "name", c->op->name,
		    "role", operator_role_name(c->op->role),
		    "since", (json_int_t)c->since,
		    "sessions", 1);
	}
	if (n > 0)
		qsort(v, n, sizeof *v, be_server_presence_cmp);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	o = json_pack("{s:s s:o}", "type", "presence", "operators", arr);
	if (srv->forward != NULL) {
		json_object_set_new(o, "upstream", json_string(
		    srv->stale_since != 0 ? "down" : "up"));
		if (srv->stale_since != 0)
			json_object_set_new(o, "stale_since",
			    json_integer(srv->stale_since));
	}
	return (o);
}

static void
be_server_presence_cb(lws_sorted_usec_list_t *sul)
{
	struct be_server	*srv;
	struct be_client	*c;
	struct be_msg		*m;
	json_t			*msg;

	srv = lws_container_of(sul, struct be_server, presence_sul);
	srv->presence_pending = 0;
	msg = be_server_presence_msg(srv);
	m = be_msg_from_json(msg, 0);
	json_decref(msg);
	LIST_FOREACH(c, &srv->clients, entry) {
		if (c->ready)
			be_client_send(c, m);
	}
	be_msg_unref(m);
}

/* Tell everybody who is connected, soon (changes are coalesced). */
static void
be_server_presence_soon(struct be_server *srv)
{
	if (srv->presence_pending)
		return;
	srv->presence_pending = 1;
	lws_sul_schedule(srv->ctx, 0, &srv->presence_sul,
	    be_server_presence_cb, BE_SERVER_PRESENCE_MS * LWS_US_PER_MS);
}

/* ==== Admission ==== */

/* The numeric address of a sockaddr, as lws_get_peer_simple() says it. */
static void
be_server_addr(const struct sockaddr *sa, socklen_t len, char *buf,
    size_t sz)
{
	if (getnameinfo(sa, len, buf, sz, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, sz, "?");
}

/*
 * 1 when the descriptor of an entry is still a connection from its
 * address. lws may close one it could not take (at its descriptor limit)
 * without a WSI_DESTROY we can match: such an entry is dropped here.
 */
static int
be_server_live(struct be_server *srv, struct be_accept *e)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 peer[64];

	if (getpeername((int)(e - srv->accepts), (struct sockaddr *)&ss,
	    &len) == 0) {
		be_server_addr((struct sockaddr *)&ss, len, peer, sizeof peer);
		if (strcmp(peer, e->peer) == 0)
			return (1);
	}
	e->serial = 0;
	return (0);
}

/*
 * Before the upgrade a connection is only an address (no token yet):
 * past per_address of them from one address, the oldest is shut down
 * (shutdown(2): lws sees the end and frees it as usual; the descriptor
 * stays its own until then, so nothing else can be hit). A connection
 * that never sends its request, and a flood of them, ends there or at
 * lws's own handshake timeout.
 */
static void
be_server_accepted(struct be_server *srv,
    const struct lws_filter_network_conn_args *a)
{
	struct be_accept	*e, *old = NULL;
	char			 peer[64];
	size_t			 i, n = 0;
	int			 fd = (int)a->accept_fd;

	srv->accepting = NULL;
	be_server_addr((const struct sockaddr *)&a->cli_addr, a->clilen, peer,
	    sizeof peer);
	for (i = 0; i < BE_SERVER_ACCEPTS; i++) {
		e = &srv->accepts[i];
		if (e->serial == 0 || (int)i == fd ||
		    strcmp(e->peer, peer) != 0 || !be_server_live(srv, e))
			continue;
		n++;
		if (old == NULL || e->serial < old->serial)
			old = e;
	}
	if (n >= srv->per_address && old != NULL) {
		log_warn("client %s: %zu connections not upgraded (at most %zu): "
		    "closing the oldest", peer, n, srv->per_address);
		shutdown((int)(old - srv->accepts), SHUT_RDWR);
		old->serial = 0;
	}
	if (fd < 0 || fd >= BE_SERVER_ACCEPTS)
		return;
	e = &srv->accepts[fd];
	e->wsi = NULL;
	e->serial = ++srv->serial;
	snprintf(e->peer, sizeof e->peer, "%s", peer);
	srv->accepting = e;
}

/* The connection was upgraded, or is gone: not waiting for it any more. */
static void
be_server_unaccept(struct be_server *srv, struct lws *wsi, int fd)
{
	size_t	i;

	if (fd >= 0 && fd < BE_SERVER_ACCEPTS &&
	    (srv->accepts[fd].wsi == wsi || srv->accepts[fd].wsi == NULL)) {
		srv->accepts[fd].serial = 0;
		return;
	}
	for (i = 0; i < BE_SERVER_ACCEPTS; i++) {
		if (srv->accepts[i].serial != 0 && srv->accepts[i].wsi == wsi)
			srv->accepts[i].serial = 0;
	}
}

/* 1 while a connection is upgraded and has not said hello. */
static int
be_client_pending(const struct be_client *c)
{
	return (!c->ready && c->close_code == 0);
}

/*
 * Close a connection that waits for its hello to make room for a newer
 * one: at once, without a close handshake, so its descriptor is free
 * before the flood's next connection (a peer that never reads would
 * hold it for the close's own timeout).
 */
static void
be_client_evict(struct be_client *c, const char *why)
{
	log_warn("client %s (%s): %s: closing the oldest waiting for "
	    "hello", c->peer, c->op->name, why);
	c->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
	c->closed = 1;
	be_client_drop_queue(c);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* The oldest connection waiting for hello of op (NULL: any) from peer
 * (NULL: any), and how many there are in *n. */
static struct be_client *
be_server_oldest(struct be_server *srv, const struct operator *op,
    const char *peer, size_t *n)
{
	struct be_client	*c, *old = NULL;

	*n = 0;
	LIST_FOREACH(c, &srv->clients, entry) {
		if (!be_client_pending(c) || (op != NULL && c->op != op) ||
		    (peer != NULL && strcmp(c->peer, peer) != 0))
			continue;
		(*n)++;
		if (old == NULL || c->serial < old->serial)
			old = c;
	}
	return (old);
}

/*
 * A connection of op from peer is about to be upgraded: make room for
 * it among those waiting for hello. Never refuses it (see the top).
 */
static void
be_server_admit(struct be_server *srv, const struct operator *op,
    const char *peer)
{
	struct be_client	*c, *victim;
	const struct operator	*most = NULL;
	size_t			 n, k, best = 0;
	char			 why[128];

	/* Tokens: without a file, everybody is the one demo operator. */
	if (srv->auth != NULL && (victim = be_server_oldest(srv, op, NULL,
	    &n)) != NULL && n >= srv->per_token) {
		snprintf(why, sizeof why, "%zu connections of %s before hello "
		    "(at most %zu)", n, op->name, srv->per_token);
		be_client_evict(victim, why);
	}
	if (be_server_oldest(srv, NULL, peer, &n) == NULL ||
	    n < srv->per_address)
		return;
	/* The operator with the most of them there gives one up. */
	LIST_FOREACH(c, &srv->clients, entry) {
		if (!be_client_pending(c) || strcmp(c->peer, peer) != 0 ||
		    c->op == most)
			continue;
		be_server_oldest(srv, c->op, peer, &k);
		if (k > best) {
			best = k;
			most = c->op;
		}
	}
	if ((victim = be_server_oldest(srv, most, peer, &k)) == NULL)
		return;
	snprintf(why, sizeof why, "%zu connections from %s before hello (at "
	    "most %zu), %zu of them %s's", n, peer, srv->per_address, k,
	    most->name);
	be_client_evict(victim, why);
}

/* The hello deadline: a connection that has not said hello is closed. */
static void
be_client_hello_cb(lws_sorted_usec_list_t *sul)
{
	struct be_client	*c;
	char			 why[64];

	c = lws_container_of(sul, struct be_client, hello_sul);
	c->hello_timer = 0;
	if (c->ready || c->close_code != 0)
		return;
	snprintf(why, sizeof why, "no hello within %d s", c->srv->hello_s);
	log_warn("client %s (%s): %s: closing", c->peer, c->op->name, why);
	be_client_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, 0, why);
}

/*
 * May c, saying hello, become a session? Past per_token sessions of its
 * token it is refused with too_many_sessions, and closed once that is
 * sent. Returns 1 when it may.
 */
static int
be_client_session_ok(struct be_client *c)
{
	struct be_server	*srv = c->srv;
	struct be_client	*o;
	size_t			 n = 0;
	json_t			*args, *err;
	char			*m, sessions[24], max[24];

	if (srv->auth == NULL)
		return (1);
	LIST_FOREACH(o, &srv->clients, entry) {
		if (o->ready && o->close_code == 0 && o->op == c->op)
			n++;
	}
	if (n < srv->per_token)
		return (1);
	snprintf(sessions, sizeof sessions, "%zu", n);
	snprintf(max, sizeof max, "%zu", srv->per_token);
	args = json_pack("{s:s s:s s:s}", "operator", c->op->name,
	    "sessions", sessions, "max", max);
	m = engine_reason_message(ENGINE_R_TOO_MANY_SESSIONS, args);
	log_warn("client %s (%s): refused: %s", c->peer, c->name, m);
	err = proto_error_new(PROTO_E_TOO_MANY_SESSIONS, m);
	json_object_set_new(err, "reason", json_string(engine_reason_name(
	    ENGINE_R_TOO_MANY_SESSIONS)));
	json_object_set_new(err, "args", args);
	be_client_send_new(c, err);
	be_client_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, 1,
	    "too many sessions");
	free(m);
	return (0);
}

/*
 * Every beat_ms / 4: a beat to every client that asked for them and
 * was sent nothing for beat_ms, with the seq of the last event it was
 * sent.
 */
static void
be_server_beat_cb(lws_sorted_usec_list_t *sul)
{
	struct be_server	*srv;
	struct be_client	*c;
	int64_t			 now = clock_mono();

	srv = lws_container_of(sul, struct be_server, beat_sul);
	LIST_FOREACH(c, &srv->clients, entry) {
		if (!c->ready || !c->beat || c->close_code != 0 ||
		    now - c->last_tx < srv->beat_ms)
			continue;
		be_client_send_new(c, json_pack("{s:s s:I s:I}", "type",
		    "beat", "ts", (json_int_t)clock_now(), "seq",
		    (json_int_t)c->last_seq));
	}
	lws_sul_schedule(srv->ctx, 0, &srv->beat_sul, be_server_beat_cb,
	    (lws_usec_t)srv->beat_ms * LWS_US_PER_MS / 4);
}

/* ==== Following a trainee ==== */

/*
 * What a follower sees of a trainee (docs/protocol.md, "follow" and
 * "drill"): each command the trainee sends, with its result, as the
 * server answers it, and the drill's expectations for the trainee every
 * BE_SERVER_FOLLOW_MS and after each of its commands.
 */

/* The drill's state for trainee name to the followers of name. */
static void
be_server_drill_status(struct be_server *srv, const char *name)
{
	struct be_client	*c;
	struct be_msg		*m = NULL;
	json_t			*j;

	if (srv->drill == NULL || be_drill_run(srv->drill) == NULL)
		return;
	LIST_FOREACH(c, &srv->clients, entry) {
		if (!c->ready || c->follow == NULL ||
		    strcmp(c->follow, name) != 0)
			continue;
		if (m == NULL) {
			j = drill_run_follow_json(be_drill_run(srv->drill),
			    name, clock_now());
			m = be_msg_from_json(j, 0);
			json_decref(j);
		}
		be_client_send(c, m);
	}
	be_msg_unref(m);
}

static void
be_server_follow_cb(lws_sorted_usec_list_t *sul)
{
	struct be_server	*srv;
	struct be_client	*c, *d;

	srv = lws_container_of(sul, struct be_server, follow_sul);
	srv->follow_timer = 0;
	LIST_FOREACH(c, &srv->clients, entry) {
		if (!c->ready || c->follow == NULL)
			continue;
		/* Once per trainee followed: at its first follower. */
		for (d = LIST_FIRST(&srv->clients); d != c;
		    d = LIST_NEXT(d, entry)) {
			if (d->ready && d->follow != NULL &&
			    strcmp(d->follow, c->follow) == 0)
				break;
		}
		if (d == c)
			be_server_drill_status(srv, c->follow);
		srv->follow_timer = 1;
	}
	if (srv->follow_timer)
		lws_sul_schedule(srv->ctx, 0, &srv->follow_sul,
		    be_server_follow_cb, BE_SERVER_FOLLOW_MS * LWS_US_PER_MS);
}

/*
 * Client c follows the trainee name (NULL: nobody): trainers and
 * supervisors only; anyone else gets an error and follows nobody.
 */
static void
be_client_follow(struct be_client *c, const char *name)
{
	struct be_server	*srv = c->srv;

	if (name == NULL)
		return;
	if (!operator_may_inject(c->op)) {
		be_client_error(c, PROTO_E_FORBIDDEN, "follow: only a trainer "
		    "or a supervisor may follow an operator");
		return;
	}
	if (*name == '\0' || strlen(name) > 64) {
		be_client_error(c, PROTO_E_BAD_MESSAGE, "follow: an operator's "
		    "name, 1 to 64 bytes");
		return;
	}
	free(c->follow);
	c->follow = xstrdup(name);
	log_info("client %s as %s follows %s", c->peer, c->op->name, name);
	be_server_drill_status(srv, name);
	if (!srv->follow_timer && srv->drill != NULL) {
		srv->follow_timer = 1;
		lws_sul_schedule(srv->ctx, 0, &srv->follow_sul,
		    be_server_follow_cb, BE_SERVER_FOLLOW_MS * LWS_US_PER_MS);
	}
}

/*
 * Tell the followers of op (who c acts as: its own operator, or the one a
 * relay named in act_as) what it sent and what it got.
 */
static void
be_client_followed_as(struct be_client *c, const char *name, json_t *cmd,
    json_t *res)
{
	struct be_server	*srv = c->srv;
	struct be_client	*f;
	struct be_msg		*m = NULL;
	json_t			*j, *v;
	const char		*key;
	static const char *const copy[] = { "ok", "code", "reason",
	    "message", "item", NULL };
	size_t			 i;

	LIST_FOREACH(f, &srv->clients, entry) {
		if (!f->ready || f->follow == NULL ||
		    strcmp(f->follow, name) != 0)
			continue;
		if (m == NULL) {
			j = json_pack("{s:s s:s s:I s:O}", "type", "follow",
			    "operator", name, "ts",
			    (json_int_t)clock_now(), "cmd", json_object_get(cmd,
			    "cmd"));
			if ((v = json_object_get(cmd, "args")) != NULL)
				json_object_set(j, "args", v);
			for (i = 0; copy[i] != NULL; i++) {
				key = copy[i];
				if ((v = json_object_get(res, key)) != NULL)
					json_object_set(j, key, v);
			}
			m = be_msg_from_json(j, 0);
			json_decref(j);
		}
		be_client_send(f, m);
	}
	if (m != NULL) {
		be_msg_unref(m);
		be_server_drill_status(srv, name);
	}
}

static void
be_client_followed(struct be_client *c, const struct operator *op,
    json_t *cmd, json_t *res)
{
	be_client_followed_as(c, op->name, cmd, res);
}

/*
 * A command handed on (to the applier of a replicated log, or a relay's
 * province) whose result comes later through be_server_deliver(): kept
 * by its id until then, so that the trainee's followers see it with its
 * result as they would have from here.
 */
static void
be_client_await(struct be_client *c, const struct operator *op, json_t *cmd)
{
	const char	*id;

	if ((id = json_string_value(json_object_get(cmd, "id"))) == NULL)
		return;
	if (c->awaiting == NULL)
		c->awaiting = json_object();
	json_object_set_new(c->awaiting, id, json_pack("[s O]", op->name,
	    cmd));
}

/* ==== Inbound ==== */

static void
be_client_resume_one(void *arg, struct be_msg *m)
{
	be_client_event(arg, m);
}

static void
be_client_hello(struct be_client *c, json_t *msg)
{
	struct be_server	*srv = c->srv;
	struct be_state		*st = srv->st;
	json_t			*v, *w;
	const char		*name, *how;
	json_int_t		 proto, resume, gauge_ms;
	size_t			 n = 0;
	int			 got;

	if (c->ready) {
		be_client_error(c, PROTO_E_BAD_MESSAGE, "hello was already "
		    "received");
		return;
	}
	proto = json_integer_value(json_object_get(msg, "proto"));
	if (proto != PROTO_VERSION) {
		be_client_error(c, PROTO_E_UNSUPPORTED_VERSION, "this server "
		    "speaks protocol 1 only");
		be_client_close(c, LWS_CLOSE_STATUS_PROTOCOL_ERR, 1,
		    "unsupported protocol version");
		return;
	}
	name = json_string_value(json_object_get(msg, "client"));
	free(c->name);
	c->name = xstrndup(name != NULL ? name : "?", 40);
	for (n = 0; c->name[n] != '\0'; n++) {
		if ((unsigned char)c->name[n] < 0x20 ||
		    (unsigned char)c->name[n] >= 0x7f)
			c->name[n] = '?';
	}
	if (!be_client_session_ok(c))
		return;
	if (c->hello_timer) {
		lws_sul_cancel(&c->hello_sul);
		c->hello_timer = 0;
	}
	c->beat = json_is_true(json_object_get(msg, "beat")) &&
	    srv->beat_ms > 0;
	gauge_ms = json_integer_value(json_object_get(msg, "gauge_ms"));
	if (gauge_ms > BE_SERVER_GAUGE_MS_MAX)
		gauge_ms = BE_SERVER_GAUGE_MS_MAX;
	c->gauge_ms = gauge_ms > 0 ? (int)gauge_ms : 0;
	c->batch = json_is_true(json_object_get(msg, "batch"));
	c->delta = json_is_true(json_object_get(msg, "history_delta"));
	c->parts = json_is_true(json_object_get(msg, "snapshot_parts"));

	w = be_query_welcome(st, c->op);
	if (c->gauge_ms > 0)
		json_object_set_new(w, "gauge_ms", json_integer(c->gauge_ms));
	if (c->scoped)
		json_object_set_new(w, "scoped", json_true());
	if (c->beat)
		json_object_set_new(w, "beat_ms", json_integer(srv->beat_ms));
	be_client_send_new(c, w);

	v = json_object_get(msg, "resume");
	resume = json_integer_value(v);
	c->last_seq = st->store->seq;
	got = -1;
	how = "snapshot";
	/*
	 * Retained and journaled events carry history deltas: a client that
	 * does not merge them resumes with a snapshot.
	 */
	if (v != NULL && c->delta && (uint64_t)resume <= st->store->seq) {
		c->last_seq = (uint64_t)resume;
		n = c->qlen;
		c->replaying = 1;
		c->replay_over = 0;
		if (be_retain_covers(st->retain, (uint64_t)resume,
		    st->store->seq)) {
			got = (int)be_retain_since(st->retain,
			    (uint64_t)resume, be_client_resume_one, c);
			how = "from memory";
		} else if (srv->journal != NULL && (got = be_journal_since(
		    srv->journal, (uint64_t)resume, st->store->seq,
		    srv->queue_msgs / 2, be_client_resume_one, c)) >= 0)
			how = "from the journal";
		c->replaying = 0;
		if (c->replay_over) {
			/* Too much to catch up with: a gap snapshot. */
			be_client_truncate(c, n);
			log_info("client %s: %d events to resume after %lld "
			    "pass half its queue", c->peer, got,
			    (long long)resume);
			got = -1;
		}
		if (got < 0)
			c->last_seq = st->store->seq;
		else if (c->gauge_ms > 0)
			be_client_refresh_all(c);
	}
	if (got < 0) {
		be_client_snapshot(c, v != NULL);
		log_info("client %s (%s) as %s (%s): %s at seq %" PRIu64 "%s",
		    c->peer, c->name, c->op->name,
		    operator_role_name(c->op->role),
		    v != NULL ? "resume too old, snapshot with gap" :
		    "hello, snapshot", st->store->seq,
		    c->scoped ? ", scoped" : "");
	} else
		log_info("client %s (%s) as %s (%s): resumed after seq %lld, "
		    "%d events %s", c->peer, c->name, c->op->name,
		    operator_role_name(c->op->role), (long long)resume, got,
		    how);
	c->ready = 1;
	c->since = clock_now();
	be_server_presence_soon(srv);
	be_client_follow(c, json_string_value(json_object_get(msg,
	    "follow")));
}

/* A get: an area-scoped operator reads only items of its areas. */
static json_t *
be_client_get(struct be_client *c, json_t *msg)
{
	json_t		*res, *item;
	const char	*area, *id, *kind;
	char		*m;

	res = be_query_get(c->srv->st, msg);
	if (!c->scoped || (item = json_object_get(res, "item")) == NULL)
		return (res);
	area = json_string_value(json_object_get(item, "area"));
	if (operator_has_area(c->op, area))
		return (res);
	id = json_string_value(json_object_get(msg, "id"));
	kind = json_string_value(json_object_get(msg, "kind"));
	xasprintf(&m, "%s %s is not in your areas", kind,
	    json_string_value(json_object_get(item, "id")));
	json_decref(res);
	res = proto_result_err(id, PROTO_E_FORBIDDEN, m);
	free(m);
	return (res);
}

/*
 * A digest of what this client holds: everything, or its areas; a
 * conflating client is sent every held-back reading first.
 */
static json_t *
be_client_digest(struct be_client *c, json_t *msg)
{
	char		 digest[17];
	const char	*id;

	if (!c->scoped && c->gauge_ms == 0)
		return (be_query_digest(c->srv->st, msg));
	if (c->gauge_ms > 0)
		be_client_refresh_all(c);
	id = json_string_value(json_object_get(msg, "id"));
	be_query_digest_for(c->srv->st, c->scoped ? c->op : NULL, digest);
	return (json_pack("{s:s s:s s:b s:I s:s}", "type", "result",
	    "id", id != NULL ? id : "", "ok", 1,
	    "seq", (json_int_t)c->last_seq, "digest", digest));
}

/* Spend a token of the bucket. Returns 1, or 0 when there is none. */
static int
be_client_rate_ok(struct be_client *c)
{
	int64_t	now = clock_mono();

	c->tokens += (double)(now - c->tokens_ms) * c->srv->rate / 1000.0;
	if (c->tokens > c->srv->burst)
		c->tokens = c->srv->burst;
	c->tokens_ms = now;
	if (c->tokens >= 1.0) {
		c->tokens -= 1.0;
		if (c->refused > 0)
			c->refused--;
		return (1);
	}
	c->refused++;
	return (0);
}

static void
be_client_rate_limited(struct be_client *c, const char *buf, size_t len)
{
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg = NULL, *args;
	char		*cause = NULL, m[128], rate[32], burst[32];

	if (c->refused >= BE_SERVER_ABUSE) {
		log_warn("client %s: flooding (%u refusals more than served): "
		    "closing", c->peer, c->refused);
		be_client_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, 0,
		    "too many messages");
		return;
	}
	snprintf(m, sizeof m, "too many messages: at most %.0f a second "
	    "(bursts of %.0f); this one was dropped", c->srv->rate,
	    c->srv->burst);
	/* A command gets its result, so the sender knows to try again. */
	if (len <= 4096 && (msg = proto_parse(buf, len, &type, &err,
	    &cause)) != NULL && type == PROTO_CMD) {
		snprintf(rate, sizeof rate, "%.0f", c->srv->rate);
		snprintf(burst, sizeof burst, "%.0f", c->srv->burst);
		args = json_pack("{s:s s:s}", "rate", rate, "burst", burst);
		be_client_send_new(c, proto_result_refused(json_string_value(
		    json_object_get(msg, "id")), PROTO_E_RATE_LIMITED,
		    engine_reason_name(ENGINE_R_RATE_LIMITED), args, m));
		json_decref(args);
	} else
		be_client_error(c, PROTO_E_RATE_LIMITED, m);
	json_decref(msg);
	free(cause);
}

/*
 * Whom a command runs as. A district relay's token (act_as= in the tokens
 * file) names the officer in "act_as", and the command runs as that
 * officer: its role and areas, never the relay's, so a relay adds no
 * power (docs/relay.md). Anyone else's "act_as" is refused, as is a name
 * the relay may not act for. Returns NULL with *op set, or the refusal.
 */
static json_t *
be_client_act_as(struct be_client *c, json_t *msg, const struct operator **op)
{
	const struct be_auth_entry *t;
	const char	*name, *id, *cmd;
	json_t		*v, *args, *res;
	char		*m;

	*op = c->op;
	if ((v = json_object_get(msg, "act_as")) == NULL)
		return (NULL);
	name = json_string_value(v);
	if (name != NULL && be_auth_may_act_as(c->token, name) &&
	    (t = be_auth_find_name(c->srv->auth, name)) != NULL) {
		*op = &t->op;
		return (NULL);
	}
	id = json_string_value(json_object_get(msg, "id"));
	cmd = json_string_value(json_object_get(msg, "cmd"));
	args = json_pack("{s:s s:s}", "cmd", cmd != NULL ? cmd : "",
	    "operator", name != NULL ? name : "?");
	m = engine_reason_message(ENGINE_R_ACT_AS_DENIED, args);
	log_warn("client %s as %s: may not act for %s", c->peer, c->op->name,
	    name != NULL ? name : "(not a string)");
	res = proto_result_refused(id != NULL ? id : "",
	    engine_reasons[ENGINE_R_ACT_AS_DENIED].code,
	    engine_reason_name(ENGINE_R_ACT_AS_DENIED), args, m);
	free(m);
	json_decref(args);
	return (res);
}

static void
be_client_message(struct be_client *c, const char *buf, size_t len,
    int binary)
{
	struct be_state	*st = c->srv->st;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg, *res;
	char		*cause = NULL, *m;
	const struct operator *op;

	if (c->close_code != 0)
		return;
	if (!be_client_rate_ok(c)) {
		be_client_rate_limited(c, buf, len);
		return;
	}
	if (binary) {
		be_client_error(c, PROTO_E_BAD_MESSAGE, "binary frames are "
		    "not accepted; send JSON text frames");
		return;
	}
	if ((msg = proto_parse(buf, len, &type, &err, &cause)) == NULL) {
		be_client_error(c, err, cause);
		free(cause);
		return;
	}
	if (!c->ready && type != PROTO_HELLO) {
		be_client_error(c, PROTO_E_NOT_READY, "send hello first");
		json_decref(msg);
		return;
	}
	switch (type) {
	case PROTO_HELLO:
		be_client_hello(c, msg);
		break;
	case PROTO_CMD:
		if (c->srv->forward != NULL) {
			res = c->srv->forward(c->srv->forward_arg, c->serial,
			    c->op, msg);
			if (res == NULL) {
				be_client_await(c, c->op, msg);
				break;
			}
			be_client_followed(c, c->op, msg, res);
			be_client_send_new(c, res);
			break;
		}
		if ((res = be_client_act_as(c, msg, &op)) == NULL) {
			/* A gateway that does not apply hands it on
			 * (be-nats.c). */
			if (c->srv->log_forward != NULL &&
			    c->srv->log_forward(c->srv->log_arg, op, msg,
			    c->serial)) {
				be_client_await(c, op, msg);
				break;
			}
			res = be_cmd_exec(st, op, msg);
		}
		be_client_followed(c, op, msg, res);
		be_client_send_new(c, res);
		break;
	case PROTO_GET:
		be_client_send_new(c, be_client_get(c, msg));
		break;
	case PROTO_DIGEST:
		be_client_send_new(c, be_client_digest(c, msg));
		break;
	case PROTO_ARCHIVE:
		be_client_send_new(c, be_query_archive(st, c->scoped ? c->op :
		    NULL, msg));
		break;
	default:
		xasprintf(&m, "a client does not send \"%s\"",
		    proto_type_names[type]);
		be_client_error(c, PROTO_E_BAD_MESSAGE, m);
		free(m);
		break;
	}
	json_decref(msg);
}

static void
be_client_rx(struct be_client *c, const void *in, size_t len)
{
	int	last, binary;
	char	msg[96];

	last = lws_is_final_fragment(c->wsi) &&
	    lws_remaining_packet_payload(c->wsi) == 0;
	binary = lws_frame_is_binary(c->wsi);
	if (c->rx_discard) {
		if (last)
			c->rx_discard = 0;
		return;
	}
	if (c->rxlen + len > PROTO_MAX_FRAME) {
		snprintf(msg, sizeof msg, "message larger than the limit of "
		    "%d bytes", PROTO_MAX_FRAME);
		be_client_error(c, PROTO_E_TOO_LARGE, msg);
		log_info("client %s: message over %d bytes dropped", c->peer,
		    PROTO_MAX_FRAME);
		c->rxlen = 0;
		c->rx_discard = !last;
		return;
	}
	if (len > 0) {
		if (c->rxlen + len > c->rxcap) {
			c->rxcap = c->rxcap == 0 ? 4096 : c->rxcap;
			while (c->rxcap < c->rxlen + len)
				c->rxcap *= 2;
			c->rx = xreallocarray(c->rx, c->rxcap, 1);
		}
		memcpy(c->rx + c->rxlen, in, len);
		c->rxlen += len;
	}
	if (!last)
		return;
	be_client_message(c, c->rx != NULL ? c->rx : "", c->rxlen, binary);
	c->rxlen = 0;
	/* Do not keep a large buffer for an idle client. */
	if (c->rxcap > 65536) {
		free(c->rx);
		c->rx = NULL;
		c->rxcap = 0;
	}
}

/* ==== Callbacks ==== */

/*
 * The handshake: with tokens, the bearer token decides who this is (a bad
 * or missing one gets HTTP 401); without, everybody is demo. Returns 0 to
 * go on, 1 to refuse.
 */
static int
be_client_filter(struct lws *wsi, struct be_client *c)
{
	struct be_server		*srv;
	const struct be_auth_entry	*e;
	char				 hdr[BE_AUTH_TOKEN_MAX + 32];
	char				 peer[64];
	int				 none;

	srv = lws_context_user(lws_get_context(wsi));
	if (c == NULL)
		return (1);
	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (srv->auth == NULL) {
		c->op = &be_auth_demo;
		c->scoped = 0;
		be_server_admit(srv, c->op, peer);
		return (0);
	}
	if (lws_hdr_copy(wsi, hdr, sizeof hdr,
	    WSI_TOKEN_HTTP_AUTHORIZATION) <= 0)
		hdr[0] = '\0';
	none = hdr[0] == '\0';
	e = be_auth_find(srv->auth, hdr);
	explicit_bzero(hdr, sizeof hdr);
	if (e == NULL) {
		log_warn("client %s: refused (HTTP 401): %s", peer, none ?
		    "no bearer token" : "unknown bearer token");
		lws_return_http_status(wsi, HTTP_STATUS_UNAUTHORIZED, NULL);
		return (1);
	}
	c->op = &e->op;
	c->token = e;
	c->scoped = e->op.nareas > 0 && (e->scoped || srv->area_scoped);
	be_server_admit(srv, c->op, peer);
	return (0);
}

static void
be_client_closed(struct be_client *c)
{
	struct be_server	*srv = c->srv;

	LIST_REMOVE(c, entry);
	srv->nclients--;
	if (c->waking)
		TAILQ_REMOVE(&srv->wake, c, wake_entry);
	if (c->gauge_timer)
		lws_sul_cancel(&c->gauge_sul);
	if (c->hello_timer)
		lws_sul_cancel(&c->hello_sul);
	log_info("client %s%s%s: disconnected (%zu left)", c->peer,
	    c->ready ? " as " : "", c->ready ? c->op->name : "",
	    srv->nclients);
	if (c->ready && !srv->closing)
		be_server_presence_soon(srv);
	be_client_drop_queue(c);
	be_msg_unref(c->inflight);
	free(c->gauges);
	free(c->rx);
	free(c->name);
	free(c->follow);
	json_decref(c->awaiting);
	memset(c, 0, sizeof *c);
}

static int
be_server_ws_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct be_client		*c = user;
	struct be_server		*srv;
	const struct operator	*op;
	const struct be_auth_entry	*token;
	int				 scoped;

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		srv = lws_context_user(lws_get_context(wsi));
		be_server_accepted(srv, user);
		break;
	case LWS_CALLBACK_WSI_CREATE:
		srv = lws_context_user(lws_get_context(wsi));
		if (srv->accepting != NULL) {
			srv->accepting->wsi = wsi;
			srv->accepting = NULL;
		}
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		srv = lws_context_user(lws_get_context(wsi));
		if (srv != NULL)
			be_server_unaccept(srv, wsi, -1);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		srv = lws_context_user(lws_get_context(wsi));
		be_server_unaccept(srv, wsi, (int)lws_get_socket_fd(wsi));
		if (be_client_filter(wsi, c) != 0)
			return (1);
		break;
	case LWS_CALLBACK_ESTABLISHED:
		srv = lws_context_user(lws_get_context(wsi));
		op = c->op != NULL ? c->op : &be_auth_demo;
		token = c->token;
		scoped = c->scoped;
		memset(c, 0, sizeof *c);
		c->srv = srv;
		c->wsi = wsi;
		c->op = op;
		c->token = token;
		c->scoped = scoped;
		c->tokens = srv->burst;
		c->tokens_ms = clock_mono();
		STAILQ_INIT(&c->queue);
		lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
		if (c->peer[0] == '\0')
			snprintf(c->peer, sizeof c->peer, "?");
		c->serial = ++srv->serial;
		c->hello_timer = 1;
		lws_sul_schedule(srv->ctx, 0, &c->hello_sul,
		    be_client_hello_cb, (lws_usec_t)srv->hello_s *
		    LWS_US_PER_SEC);
		LIST_INSERT_HEAD(&srv->clients, c, entry);
		srv->nclients++;
		/* Inflate a command in one go (be_server_protocols[]). */
		(void)lws_set_extension_option(wsi, "permessage-deflate",
		    "rx_buf_size", BE_SERVER_RX_BUF_PWR2);
		log_info("client %s: connected as %s (%zu now)", c->peer,
		    c->op->name, srv->nclients);
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c == NULL || c->srv == NULL)
			return (-1);
		be_client_rx(c, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c == NULL || c->srv == NULL)
			return (0);
		return (be_client_writeable(c));
	case LWS_CALLBACK_CLOSED:
		if (c == NULL || c->srv == NULL)
			break;
		be_client_closed(c);
		break;
	default:
		break;
	}
	return (lws_callback_http_dummy(wsi, reason, user, in, len));
}

static int
be_server_raw_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct be_server		*srv;
	struct signalfd_siginfo		 si;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		srv = lws_context_user(lws_get_context(wsi));
		while (read(srv->signal_fd, &si, sizeof si) ==
		    (ssize_t)sizeof si) {
			log_info("signal %u: stopping", si.ssi_signo);
			srv->stop = 1;
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		srv = lws_context_user(lws_get_context(wsi));
		srv->signal_fd = -1;	/* lws closed it. */
		break;
	default:
		break;
	}
	return (lws_callback_http_dummy(wsi, reason, user, in, len));
}

/*
 * The replicated log's wake fd: another thread wrote to it; the log's
 * wake() drains what that thread queued, here in the loop.
 */
static int
be_server_wake_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct be_server	*srv;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		srv = lws_context_user(lws_get_context(wsi));
		if (srv->wake_cb != NULL)
			srv->wake_cb(srv->log_arg);
		break;
	default:
		break;
	}
	return (lws_callback_http_dummy(wsi, reason, user, in, len));
}

/* ==== Server ==== */

/*
 * Create the context and listen. The signal fd, when given, is owned by
 * the server once it is returned (lws closes it); on failure the caller
 * keeps it. The journal and tokens are borrowed. Returns the server
 * (caller frees with be_server_free()) or NULL with *cause set (caller
 * frees).
 */
struct be_server *
be_server_new(struct be_state *st, const struct be_server_opts *opts,
    char **cause)
{
	struct lws_context_creation_info	 info;
	struct be_server			*srv;
	struct lws_vhost			*vh;
	lws_sock_file_fd_type			 fd;

	if ((opts->cert == NULL) != (opts->key == NULL)) {
		xasprintf(cause, "TLS needs both a certificate and its key");
		return (NULL);
	}
	if (opts->cert != NULL && (access(opts->cert, R_OK) != 0 ||
	    access(opts->key, R_OK) != 0)) {
		xasprintf(cause, "cannot read %s: %s", access(opts->cert,
		    R_OK) != 0 ? opts->cert : opts->key, strerror(errno));
		return (NULL);
	}
	srv = xcalloc(1, sizeof *srv);
	srv->st = st;
	srv->signal_fd = -1;
	srv->queue_msgs = opts->queue_msgs != 0 ? opts->queue_msgs :
	    BE_SERVER_QUEUE_MSGS;
	srv->queue_bytes = opts->queue_bytes != 0 ? opts->queue_bytes :
	    BE_SERVER_QUEUE_BYTES;
	srv->journal = opts->journal;
	srv->auth = opts->auth;
	srv->area_scoped = opts->area_scoped;
	srv->drill = opts->drill;
	srv->forward = opts->forward;
	srv->forward_arg = opts->forward_arg;
	srv->sync = opts->sync;
	srv->wake_cb = opts->wake;
	srv->log_forward = opts->log_forward;
	srv->log_arg = opts->log_arg;
	srv->rate = opts->rate > 0 ? opts->rate : BE_SERVER_RATE;
	srv->burst = opts->burst >= 1 ? opts->burst : BE_SERVER_BURST;
	srv->hello_s = opts->hello_s > 0 ? opts->hello_s : BE_SERVER_HELLO_S;
	srv->per_address = opts->per_address > 0 ? opts->per_address :
	    BE_SERVER_PER_ADDRESS;
	srv->per_token = opts->per_token > 0 ? opts->per_token :
	    BE_SERVER_PER_TOKEN;
	srv->beat_ms = opts->beat_ms == 0 ? BE_SERVER_BEAT_MS :
	    opts->beat_ms < 0 ? 0 : opts->beat_ms;
	srv->epoch = 1;
	LIST_INIT(&srv->clients);
	TAILQ_INIT(&srv->wake);

	memset(&info, 0, sizeof info);
	info.port = opts->port;
	info.iface = opts->iface;
	info.protocols = be_server_protocol_table(srv, opts->extra);
	info.extensions = be_server_exts;
	info.fd_limit_per_thread = BE_SERVER_MAX_FDS;
	info.user = srv;
	info.vhost_name = "default";
	/* The vhost separately: lws leaks when a default vhost fails. */
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	/* A relay's link to a wss:// province needs TLS as a client. */
	if (opts->client_tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = opts->client_ca;
	if (opts->cert != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = opts->cert;
		info.ssl_private_key_filepath = opts->key;
	}
	if ((srv->ctx = lws_create_context(&info)) == NULL) {
		xasprintf(cause, "cannot create the lws context");
		goto fail;
	}
	vh = lws_create_vhost(srv->ctx, &info);
	if (vh == NULL || (srv->port = lws_get_vhost_listen_port(vh)) <= 0) {
		if (opts->cert != NULL)
			xasprintf(cause, "cannot listen on %s port %d with "
			    "TLS (is the port in use? do %s and %s match?)",
			    opts->iface, opts->port, opts->cert, opts->key);
		else
			xasprintf(cause, "cannot listen on %s port %d (is the "
			    "port in use?)", opts->iface, opts->port);
		goto fail;
	}
	if (opts->signal_fd != -1) {
		srv->signal_fd = opts->signal_fd;
		fd.filefd = (lws_filefd_type)(intptr_t)opts->signal_fd;
		if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd,
		    "be-signal", NULL) == NULL) {
			xasprintf(cause, "cannot watch the signal fd");
			goto fail;
		}
	}
	if (opts->wake_fd != -1 && opts->wake != NULL) {
		fd.filefd = (lws_filefd_type)(intptr_t)opts->wake_fd;
		if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd,
		    "be-wake", NULL) == NULL) {
			xasprintf(cause, "cannot watch the log's wake fd");
			goto fail;
		}
	}
	be_state_listen(st, be_server_broadcast, NULL, srv);
	if (srv->beat_ms > 0)
		lws_sul_schedule(srv->ctx, 0, &srv->beat_sul,
		    be_server_beat_cb, (lws_usec_t)srv->beat_ms *
		    LWS_US_PER_MS / 4);
	return (srv);

fail:
	if (srv->ctx != NULL)
		lws_context_destroy(srv->ctx);
	free(srv->protocols);
	free(srv);
	return (NULL);
}

/*
 * Our protocols, then the extra ones a host runs on the same loop (a
 * relay's link to the province), then the terminator. lws keeps pointing
 * at the table: it lives as long as the server.
 */
static const struct lws_protocols *
be_server_protocol_table(struct be_server *srv,
    const struct lws_protocols *extra)
{
	size_t	n = 0, m = 0;

	while (be_server_protocols[n].name != NULL)
		n++;
	while (extra != NULL && extra[m].name != NULL)
		m++;
	srv->protocols = xcalloc(n + m + 1, sizeof *srv->protocols);
	memcpy(srv->protocols, be_server_protocols, n *
	    sizeof *srv->protocols);
	if (m > 0)
		memcpy(srv->protocols + n, extra, m * sizeof *srv->protocols);
	return (srv->protocols);
}

/*
 * A relay: the province's link went down (since, wall ms) or came back
 * (0). Every console is told in presence, so it marks its view stale.
 */
void
be_server_set_stale(struct be_server *srv, int64_t since)
{
	if ((srv->stale_since != 0) == (since != 0))
		return;
	srv->stale_since = since;
	be_server_presence_soon(srv);
}

/*
 * A relay: the state was replaced by a snapshot (the province sent one
 * with a gap), so no retained event leads to it. Every client past hello
 * gets the new state whole, as a snapshot with gap, and goes on from it.
 */
void
be_server_resnapshot(struct be_server *srv)
{
	struct be_client	*c;

	LIST_FOREACH(c, &srv->clients, entry) {
		if (!c->ready || c->close_code != 0)
			continue;
		be_client_snapshot(c, 1);
		c->last_seq = srv->st->store->seq;
	}
}

/*
 * Close every client, destroy the context and free the server. NULL is a
 * no-op.
 */
void
be_server_free(struct be_server *srv)
{
	if (srv == NULL)
		return;
	be_state_unlisten(srv->st, srv);
	srv->closing = 1;
	if (srv->presence_pending)
		lws_sul_cancel(&srv->presence_sul);
	if (srv->follow_timer)
		lws_sul_cancel(&srv->follow_sul);
	if (srv->beat_ms > 0)
		lws_sul_cancel(&srv->beat_sul);
	lws_context_destroy(srv->ctx);
	free(srv->protocols);
	free(srv);
}

/*
 * The port the server listens on (the chosen one when asked for 0).
 */
int
be_server_port(const struct be_server *srv)
{
	return (srv->port);
}

/*
 * The server's lws context (borrowed), for timers on the same loop.
 */
struct lws_context *
be_server_context(struct be_server *srv)
{
	return (srv->ctx);
}

/*
 * Run the loop until be_server_stop() or a signal; after every turn, make
 * the journal durable and release what was queued. Returns 0, or -1 when
 * lws or the journal failed.
 */
int
be_server_run(struct be_server *srv)
{
	while (!srv->stop) {
		if (lws_service(srv->ctx, 0) < 0)
			return (-1);
		if (be_server_release(srv) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Make be_server_run() return after the current callback.
 */
void
be_server_stop(struct be_server *srv)
{
	srv->stop = 1;
}

/*
 * The result res (taken) of a command that client (a serial) sent and
 * the server forwarded (to the applier of a replicated log, or a relay's
 * province): queued for it like any result, or dropped when it has gone
 * (its console sends the command again, and the id is answered from
 * memory). res NULL: no result will come (no applier answered); the link
 * is closed, so the console reconnects, here or elsewhere, and its
 * outbox sends the command again under the same id.
 */
void
be_server_deliver(struct be_server *srv, uint64_t client, json_t *res)
{
	struct be_client	*c;
	json_t			*w;
	const char		*id;

	LIST_FOREACH(c, &srv->clients, entry) {
		if (c->serial == client && c->ready)
			break;
	}
	if (c == NULL) {
		json_decref(res);
		return;
	}
	if (res == NULL) {
		be_client_close(c, LWS_CLOSE_STATUS_GOINGAWAY, 0,
		    "no applier answered; reconnect");
		return;
	}
	id = json_string_value(json_object_get(res, "id"));
	if (id != NULL && (w = json_object_get(c->awaiting, id)) != NULL) {
		be_client_followed_as(c, json_string_value(json_array_get(w,
		    0)), json_array_get(w, 1), res);
		json_object_del(c->awaiting, id);
	}
	be_client_send_new(c, res);
}

/*
 * The number of connected clients.
 */
size_t
be_server_clients(const struct be_server *srv)
{
	return (srv->nclients);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The websocket link to the backend: session, store replica, commands. */

#include "conn.h"

#include <sys/random.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "record.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * One client connection at a time. connect_cb() dials; a failure or a
 * close schedules the next try from the backoff table (with jitter), and
 * ESTABLISHED resets the count, so a link that was up comes back in about
 * 250 ms. A 401 at the handshake is final. lws pings after 20 s of silence
 * and hangs up after 30 s without an answer.
 *
 * On ESTABLISHED the hello goes first (with resume = the last seq applied,
 * once a snapshot was loaded), and any digest request still waiting.
 * Commands live in the outbox (console/outbox.c) from the moment they are
 * accepted until their result arrives, on disk when main.c gives us one:
 * they go out at once while the link is ready, else they stay queued, and
 * when the link is ready again (the welcome of a resume, or the snapshot)
 * every queued command goes out, in order, with its original id (one at
 * a time per item: see outbox.h, and conn_rebase()): the
 * backend applies an id at most once and answers a repeat with the first
 * result. A link that drops puts the commands sent and not answered back
 * in the queue. Events must come in seq order; a gap closes the link, and
 * the next hello resumes from where we are.
 *
 * Writes happen only in CLIENT_WRITEABLE, one queued message each. With
 * permessage-deflate, lws keeps reading the buffer after lws_write()
 * returns, so a buffer is freed at the next WRITEABLE or at close
 * (technotes §2, pitfall 1); a WRITEABLE with nothing queued does nothing
 * (pitfall 2).
 */

static void	conn_connect_cb(lws_sorted_usec_list_t *);

/* Result marks; words where the terminal has no UTF-8. */
#define CONN_OK(c)	((c)->ascii ? "ok:" : "✓")
#define CONN_FAIL(c)	((c)->ascii ? "FAILED:" : "✗")

const struct lws_extension conn_extensions[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_no_context_takeover; "
	  "client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static const uint32_t conn_backoff_ms[] = {
	250, 500, 1000, 2000, 4000, 8000
};

static const lws_retry_bo_t conn_retry = {
	.retry_ms_table = conn_backoff_ms,
	.retry_ms_table_count = LWS_ARRAY_SIZE(conn_backoff_ms),
	.conceal_count = LWS_RETRY_CONCEAL_ALWAYS,
	.secs_since_valid_ping = 20,
	.secs_since_valid_hangup = 30,
	.jitter_percent = 20
};

static void
conn_say(struct conn *c, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conn_say(struct conn *c, int error, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	log_msg(error ? LOG_WARN : LOG_INFO, "%s", text);
	if (c->hooks.message != NULL && !c->exiting)
		c->hooks.message(c->hooks.arg, error, text);
	free(text);
}

static void
conn_status(struct conn *c)
{
	if (c->hooks.status != NULL && !c->exiting)
		c->hooks.status(c->hooks.arg);
}

static void
conn_changed(struct conn *c)
{
	if (c->hooks.changed != NULL && !c->exiting)
		c->hooks.changed(c->hooks.arg);
}

/*
 * Create a connection to url (ws:// or wss://) that keeps s up to date
 * and reports in st (both borrowed). Nothing happens until conn_start().
 * Returns the connection (free with conn_free), or NULL with *cause set
 * (allocated; caller frees) when the URL is not one.
 */
struct conn *
conn_create(struct lws_context *ctx, const char *url, struct store *s,
    struct layout_status *st, const struct conn_hooks *hooks, char **cause)
{
	struct conn	*c;
	char		*copy;
	const char	*prot, *ads, *path;
	int		 port;
	unsigned char	 rnd[CONN_PREFIX_BYTES];
	size_t		 i;
	int64_t		 t;

	copy = xstrdup(url);
	if (lws_parse_uri(copy, &prot, &ads, &port, &path) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0) ||
	    *ads == '\0' || port <= 0 || port > 65535) {
		xasprintf(cause, "not a ws:// or wss:// URL: %s", url);
		free(copy);
		return (NULL);
	}
	c = xcalloc(1, sizeof *c);
	c->ctx = ctx;
	c->store = s;
	c->st = st;
	if (hooks != NULL)
		c->hooks = *hooks;
	c->url = xstrdup(url);
	c->tls = strcmp(prot, "wss") == 0;
	c->host = xstrdup(ads);
	xasprintf(&c->path, "/%s", path);
	c->port = port;
	free(copy);
	TAILQ_INIT(&c->outq);
	TAILQ_INIT(&c->pending);
	c->outbox = outbox_open(NULL, NULL);
	c->own_outbox = 1;

	/* Command ids: a random prefix for this process, then a counter. */
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		t = clock_mono() ^ clock_now();
		for (i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)(t >> (8 * (i % 8)));
	}
	snprintf(c->prefix, sizeof c->prefix, "c-");
	for (i = 0; i < sizeof rnd; i++)
		snprintf(c->prefix + 2 + 2 * i, 3, "%02x", rnd[i]);
	return (c);
}

static void
conn_out_free(struct conn_out *o)
{
	free(o->buf);
	free(o);
}

static void
conn_pending_free(struct conn_pending *p)
{
	free(p->cmd);
	free(p->summary);
	free(p->text);
	free(p);
}

static void
conn_flush(struct conn *c)
{
	struct conn_out	*o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		conn_out_free(o);
	}
	free(c->inflight);
	c->inflight = NULL;
	c->rxlen = 0;
	c->rx_skip = 0;
}

/*
 * Free the connection and everything queued; NULL is fine. The lws
 * context must be destroyed first (or conn_stop called and the wsi gone).
 */
void
conn_free(struct conn *c)
{
	struct conn_pending	*p;

	if (c == NULL)
		return;
	conn_flush(c);
	while ((p = TAILQ_FIRST(&c->pending)) != NULL) {
		TAILQ_REMOVE(&c->pending, p, entry);
		conn_pending_free(p);
	}
	if (c->own_outbox)
		outbox_free(c->outbox);
	free(c->rx);
	free(c->url);
	free(c->host);
	free(c->path);
	if (c->token != NULL)
		explicit_bzero(c->token, strlen(c->token));
	free(c->token);
	free(c);
}

/*
 * Send token (copied; NULL: none) as "Authorization: Bearer" in every
 * handshake from now on.
 */
void
conn_set_token(struct conn *c, const char *token)
{
	if (c->token != NULL)
		explicit_bzero(c->token, strlen(c->token));
	free(c->token);
	c->token = token != NULL ? xstrdup(token) : NULL;
}

/*
 * Start connecting (on the lws loop).
 */
void
conn_start(struct conn *c)
{
	c->st->link = LAYOUT_LINK_CONNECTING;
	conn_status(c);
	log_info("connecting to %s", c->url);
	lws_sul_schedule(c->ctx, 0, &c->sul, conn_connect_cb, 1);
}

/*
 * Stop for good: no more retries, no more hooks (the program is exiting).
 */
void
conn_stop(struct conn *c)
{
	if (c == NULL)
		return;
	c->exiting = 1;
	lws_sul_cancel(&c->sul);
	lws_sul_cancel(&c->sul_pump);
}

/*
 * The backend is gone for good (the demo child died): show offline and
 * stop retrying.
 */
void
conn_lost(struct conn *c, const char *why)
{
	if (c->dead)
		return;
	c->dead = 1;
	lws_sul_cancel(&c->sul);
	if (c->have_state && c->st->stale_since == 0)
		c->st->stale_since = clock_now();
	c->st->link = LAYOUT_LINK_OFFLINE;
	conn_say(c, 1, _("backend gone: %s"), why);
	conn_status(c);
}

/*
 * Keep commands in ob (borrowed; it must outlive the connection) instead
 * of the connection's own outbox in memory. Call before conn_start(); what
 * ob holds goes out when the link is ready.
 */
void
conn_set_outbox(struct conn *c, struct outbox *ob)
{
	struct outbox_entry	*e;

	if (c->own_outbox) {
		/* Nothing was sent yet; anything held moves over. */
		while ((e = TAILQ_FIRST(&c->outbox->list)) != NULL) {
			if (outbox_add(ob, e->id, e->cmd, e->summary, e->text,
			    NULL) == NULL)
				log_warn("command %s lost", e->id);
			outbox_done(c->outbox, e->id);
		}
		outbox_free(c->outbox);
	}
	c->outbox = ob;
	c->own_outbox = 0;
}

/*
 * 1 when the link is up (commands go out at once once it is ready).
 */
int
conn_online(struct conn *c)
{
	return (c->established && !c->exiting && !c->dead);
}

/*
 * Record every message in and out from now on in rec (borrowed; NULL
 * stops recording).
 */
void
conn_set_recorder(struct conn *c, struct recorder *rec)
{
	c->rec = rec;
}

static void
conn_queue(struct conn *c, const char *text)
{
	struct conn_out	*o;

	record_text(c->rec, "out", text);
	o = xcalloc(1, sizeof *o);
	o->len = strlen(text);
	o->buf = xmalloc(LWS_PRE + o->len + 1);
	memcpy(o->buf + LWS_PRE, text, o->len + 1);
	TAILQ_INSERT_TAIL(&c->outq, o, entry);
	if (c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
}

static void
conn_queue_json(struct conn *c, json_t *msg)
{
	char	*text;

	text = proto_dump(msg);
	json_decref(msg);
	conn_queue(c, text);
	free(text);
}

static void
conn_remember(struct conn *c, const char *id, const char *cmd,
    const char *summary, char *text)
{
	struct conn_pending	*p;

	p = xcalloc(1, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	p->cmd = xstrdup(cmd);
	p->summary = xstrdup(summary);
	p->text = text;
	TAILQ_INSERT_TAIL(&c->pending, p, entry);
	conn_queue(c, text);
}

/*
 * Send what may go now, in order: every queued command that no earlier
 * command on its item holds back. Returns how many went.
 */
static int
conn_pump(struct conn *c)
{
	struct outbox_entry	*e;
	int			 n = 0;
	size_t			 inflight;

	if (!c->ready || !conn_online(c) || c->throttled)
		return (0);
	inflight = outbox_count(c->outbox, OUTBOX_SENT);
	TAILQ_FOREACH(e, &c->outbox->list, entry) {
		if (inflight >= CONN_INFLIGHT_MAX)
			break;
		if (e->state != OUTBOX_QUEUED || outbox_held(c->outbox, e))
			continue;
		inflight++;
		conn_queue(c, e->text);
		e->state = OUTBOX_SENT;
		log_debug("sent %s: %s", e->id, e->summary);
		n++;
	}
	return (n);
}

static void
conn_pump_cb(lws_sorted_usec_list_t *sul)
{
	struct conn	*c = lws_container_of(sul, struct conn, sul_pump);

	c->throttled = 0;
	conn_pump(c);
}

/*
 * The backend dropped a command (rate_limited) without applying it or
 * keeping its id: it goes back to the queue, and nothing more goes out
 * for CONN_THROTTLE_MS.
 */
static void
conn_throttle(struct conn *c, struct outbox_entry *e)
{
	log_info("result %s: rate_limited; sent again later", e->id);
	e->state = OUTBOX_QUEUED;
	if (c->throttled)
		return;
	c->throttled = 1;
	if (c->ctx != NULL)
		lws_sul_schedule(c->ctx, 0, &c->sul_pump, conn_pump_cb,
		    (lws_usec_t)CONN_THROTTLE_MS * LWS_US_PER_MS);
}

/* The link is ready: send every queued command that may go. */
static void
conn_send_outbox(struct conn *c)
{
	int	n;

	c->ready = 1;
	if ((n = conn_pump(c)) > 0)
		conn_say(c, 0, ngettext("%d queued command sent",
		    "%d queued commands sent", n), n);
}

/* The version the store holds of key ("alert:A-1"), or 0. */
static uint32_t
conn_version(struct conn *c, const char *key)
{
	const char	*id = strchr(key, ':');
	struct alert	*a;
	struct feedback	*f;
	struct unit	*u;
	struct hospital	*h;

	if (id == NULL)
		return (0);
	id++;
	if (strncmp(key, "alert:", 6) == 0 &&
	    (a = store_alert(c->store, id)) != NULL)
		return (a->version);
	if (strncmp(key, "case:", 5) == 0 &&
	    (f = store_feedback(c->store, id)) != NULL)
		return (f->version);
	if (strncmp(key, "unit:", 5) == 0 &&
	    (u = store_unit(c->store, id)) != NULL)
		return (u->version);
	if (strncmp(key, "hospital:", 9) == 0 &&
	    (h = store_hospital(c->store, id)) != NULL)
		return (h->version);
	return (0);
}

/*
 * done succeeded: the commands held behind it on an item it changed take
 * that item's version now (the store has done's change: events come
 * before their result), on disk before done is forgotten.
 */
static void
conn_rebase(struct conn *c, struct outbox_entry *done)
{
	struct outbox_entry	*e;
	json_t			*msg, *args;
	uint32_t		 v;
	char			*text, *cause = NULL;

	for (e = TAILQ_NEXT(done, entry); e != NULL;
	    e = TAILQ_NEXT(e, entry)) {
		if (e->state != OUTBOX_QUEUED ||
		    !outbox_touches(done, e->key) ||
		    (v = conn_version(c, e->key)) == 0 ||
		    (msg = json_loads(e->text, 0, NULL)) == NULL)
			continue;
		args = json_object_get(msg, "args");
		if (json_integer_value(json_object_get(args, "version")) ==
		    (json_int_t)v || json_object_get(args, "version") == NULL) {
			json_decref(msg);
			continue;
		}
		json_object_set_new(args, "version", json_integer(v));
		text = proto_dump(msg);
		json_decref(msg);
		if (outbox_update(c->outbox, e, text, &cause) != 0) {
			log_warn("%s", cause);
			free(cause);
			cause = NULL;
		} else
			log_info("%s: %s now at version %u", e->id, e->key, v);
		free(text);
	}
}

/*
 * Accept one command (args stolen): give it a new id, keep it in the
 * outbox under summary ("ack A-0003") until its result comes, and send it
 * when the link is ready. Returns 0 sent, 1 queued (offline), or -1 with
 * *cause set (allocated; caller frees) when the outbox cannot keep it.
 */
int
conn_send_cmd(struct conn *c, const char *cmd, json_t *args,
    const char *summary, char **cause)
{
	struct outbox_entry	*e;
	char			 id[64], *text;
	json_t			*msg;

	proto_cmd_id(id, sizeof id, c->prefix, ++c->counter);
	msg = proto_cmd_new(id, cmd, args);
	text = proto_dump(msg);
	json_decref(msg);
	e = outbox_add(c->outbox, id, cmd, summary, text, cause);
	free(text);
	if (e == NULL)
		return (-1);
	if (!c->ready || !conn_online(c)) {
		log_info("queued %s: %s", id, summary);
		conn_status(c);
		return (1);
	}
	conn_pump(c);
	log_info("%s %s: %s", e->state == OUTBOX_SENT ? "sent" :
	    "after the one before", id, summary);
	conn_status(c);
	return (0);
}

/*
 * Ask the backend for its state digest; the result is compared with the
 * store's. Returns 0, or -1 with *cause set when offline.
 */
int
conn_send_digest(struct conn *c, char **cause)
{
	char	 id[64];
	json_t	*msg;

	if (!conn_online(c)) {
		*cause = xstrdup("offline");
		return (-1);
	}
	proto_cmd_id(id, sizeof id, c->prefix, ++c->counter);
	msg = json_pack("{s:s s:s}", "type", "digest", "id", id);
	conn_remember(c, id, "digest", "digest", proto_dump(msg));
	json_decref(msg);
	return (0);
}

/* ==== Inbound ==== */

static void
conn_welcome(struct conn *c, json_t *msg)
{
	const char	*op, *role;

	op = json_string_value(json_object_get(msg, "operator"));
	role = json_string_value(json_object_get(msg, "role"));
	sanitize_into(c->st->operator, sizeof c->st->operator, op,
	    strlen(op), 0);
	sanitize_into(c->st->role, sizeof c->st->role, role, strlen(role),
	    0);
	c->st->exercise = json_is_true(json_object_get(msg, "exercise"));
	c->st->stale_since = 0;
	c->welcomed = 1;
	if (c->resuming && c->have_state)
		conn_send_outbox(c);
	log_info("welcome: operator %s, role %s, backend seq %"
	    JSON_INTEGER_FORMAT ", ours %" PRIu64, c->st->operator,
	    c->st->role, json_integer_value(json_object_get(msg, "seq")),
	    c->store->seq);
	conn_status(c);
}

static void
conn_snapshot(struct conn *c, json_t *msg)
{
	char	*cause = NULL;

	if (store_load_snapshot(c->store, msg, STORE_SANITIZE, &cause) != 0) {
		conn_say(c, 1, _("bad snapshot from the backend: %s"), cause);
		free(cause);
		return;
	}
	c->have_state = 1;
	c->st->stale_since = 0;
	log_info("snapshot at seq %" PRIu64 ": %zu alerts, %zu units",
	    c->store->seq, c->store->nalerts, c->store->nunits);
	if (json_is_true(json_object_get(msg, "gap")))
		conn_say(c, 1, _("events were lost while offline: the state "
		    "was reloaded (seq %llu)"),
		    (unsigned long long)c->store->seq);
	if (c->established && c->welcomed && !c->ready)
		conn_send_outbox(c);
	conn_changed(c);
	conn_status(c);
}

/*
 * A gauge reading the backend held back (we asked for gauge_ms) and sends
 * from its current state, marked "conflated": out of the seq order, so
 * apply the item when it is newer than ours and leave our seq alone.
 */
static void
conn_conflated(struct conn *c, json_t *msg)
{
	json_t		*item = json_object_get(msg, "item");
	const char	*kind, *id;
	struct hospital	*h;
	struct school	*sc;
	uint64_t	 seq = c->store->seq;
	json_int_t	 version;
	uint32_t	 have = 0;
	char		*cause = NULL;

	kind = json_string_value(json_object_get(msg, "kind"));
	id = json_string_value(json_object_get(item, "id"));
	version = json_integer_value(json_object_get(item, "version"));
	if (id == NULL)
		return;
	if (strcmp(kind, "hospital") == 0) {
		if ((h = store_hospital(c->store, id)) != NULL)
			have = h->version;
	} else if (strcmp(kind, "school") == 0) {
		if ((sc = store_school(c->store, id)) != NULL)
			have = sc->version;
	} else
		return;
	if (version <= (json_int_t)have)
		return;
	json_object_set_new(msg, "seq", json_integer((json_int_t)seq + 1));
	if (store_apply_event(c->store, msg, STORE_SANITIZE, &cause) != 0) {
		log_warn("bad conflated %s %s skipped: %s", kind, id, cause);
		free(cause);
	}
	c->store->seq = seq;
	conn_changed(c);
}

static int
conn_event(struct conn *c, json_t *msg)
{
	uint64_t	 seq;
	json_t		*prev;
	char		*cause = NULL;

	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	if (!c->have_state) {
		log_warn("event %" PRIu64 " before any snapshot; ignored",
		    seq);
		return (0);
	}
	if (json_is_true(json_object_get(msg, "conflated"))) {
		conn_conflated(c, msg);
		return (0);
	}
	if (seq <= c->store->seq) {
		log_debug("event %" PRIu64 " again; ignored", seq);
		return (0);
	}
	/* "prev": the backend left events out for us (areas, gauge_ms). */
	prev = json_object_get(msg, "prev");
	if (prev != NULL ? (uint64_t)json_integer_value(prev) !=
	    c->store->seq : seq != c->store->seq + 1) {
		conn_say(c, 1, _("events missed (have %llu, got %llu): "
		    "resuming"), (unsigned long long)c->store->seq,
		    (unsigned long long)seq);
		return (-1);
	}
	if (store_apply_event(c->store, msg, STORE_SANITIZE, &cause) != 0) {
		/* Skip it rather than ask for it again and again. */
		conn_say(c, 1, _("bad event %llu skipped: %s"),
		    (unsigned long long)seq, cause);
		free(cause);
		c->store->seq = seq;
		return (0);
	}
	conn_changed(c);
	return (0);
}

static struct conn_pending *
conn_find_pending(struct conn *c, const char *id)
{
	struct conn_pending	*p;

	TAILQ_FOREACH(p, &c->pending, entry) {
		if (strcmp(p->id, id) == 0)
			return (p);
	}
	return (NULL);
}

/* Report a result: through the result hook, else on the message line. */
static void
conn_report(struct conn *c, const struct conn_result *r)
{
	if (c->exiting)
		return;
	if (c->hooks.result != NULL) {
		c->hooks.result(c->hooks.arg, r);
		return;
	}
	if (r->ok)
		conn_say(c, 0, "%s %s%s%s", CONN_OK(c), r->summary,
		    r->message != NULL ? " " : "", r->message != NULL ?
		    r->message : "");
	else
		conn_say(c, 1, "%s %s: %s", CONN_FAIL(c), r->summary,
		    r->message);
}

static void
conn_digest_result(struct conn *c, json_t *msg, struct conn_result *r)
{
	const char	*theirs;
	char		 ours[17], *text = NULL;
	uint64_t	 seq;

	theirs = json_string_value(json_object_get(msg, "digest"));
	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	store_digest(c->store, ours);
	r->ok = 0;
	r->code = "digest_differs";
	if (theirs == NULL) {
		r->code = "bad_message";
		text = xstrdup("no digest in the result");
	} else if (seq != c->store->seq)
		xasprintf(&text, "backend at seq %" PRIu64 ", console at %"
		    PRIu64, seq, c->store->seq);
	else if (strcmp(theirs, ours) != 0)
		xasprintf(&text, "differs at seq %" PRIu64 ": backend %.16s, "
		    "console %s", seq, theirs, ours);
	else {
		r->ok = 1;
		r->code = NULL;
		xasprintf(&text, "%s (seq %" PRIu64 ")", ours, seq);
	}
	r->message = text;
	conn_report(c, r);
	free(text);
}

static void
conn_result(struct conn *c, json_t *msg)
{
	struct conn_pending	*p;
	struct outbox_entry	*e;
	struct conn_result	 r;
	const char		*id, *text;
	char			*clean = NULL;

	id = json_string_value(json_object_get(msg, "id"));
	memset(&r, 0, sizeof r);
	r.id = id;
	r.ok = json_is_true(json_object_get(msg, "ok"));
	if (!r.ok) {
		r.code = json_string_value(json_object_get(msg, "code"));
		text = json_string_value(json_object_get(msg, "message"));
		if (text == NULL)
			text = "";
		clean = sanitize_text(text, strlen(text), 0);
		r.message = clean;
	}
	if ((e = outbox_find(c->outbox, id)) != NULL && !r.ok &&
	    r.code != NULL && strcmp(r.code, "rate_limited") == 0) {
		conn_throttle(c, e);
		conn_status(c);
	} else if (e != NULL) {
		log_info("result %s: %s", id, r.ok ? "ok" : r.code);
		r.cmd = e->cmd;
		r.summary = e->summary;
		r.sent = e->text;
		conn_report(c, &r);
		if (r.ok)
			conn_rebase(c, e);
		outbox_done(c->outbox, id);
		conn_pump(c);
		conn_status(c);
	} else if ((p = conn_find_pending(c, id)) != NULL) {
		TAILQ_REMOVE(&c->pending, p, entry);
		r.cmd = p->cmd;
		r.summary = p->summary;
		r.sent = p->text;
		if (r.ok && strcmp(p->cmd, "digest") == 0)
			conn_digest_result(c, msg, &r);
		else
			conn_report(c, &r);
		conn_pending_free(p);
	} else
		log_debug("result for %s: not ours or answered", id);
	free(clean);
}

/*
 * Who is connected: keep the others (not ourselves) for the header, as
 * "lan, minh (observer)" (names sanitised; the role when it is not
 * operator or supervisor).
 */
static void
conn_presence(struct conn *c, json_t *msg)
{
	json_t		*arr = json_object_get(msg, "operators"), *o;
	const char	*name, *role;
	char		 clean[64], buf[sizeof c->st->presence];
	size_t		 i, len = 0;
	int		 n = 0;

	buf[0] = '\0';
	json_array_foreach(arr, i, o) {
		name = json_string_value(json_object_get(o, "name"));
		role = json_string_value(json_object_get(o, "role"));
		sanitize_into(clean, sizeof clean, name, strlen(name), 0);
		if (strcmp(clean, c->st->operator) == 0)
			continue;
		n++;
		if (len < sizeof buf)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s%s", n > 1 ? ", " : "", clean);
		if (len < sizeof buf && strcmp(role, "operator") != 0 &&
		    strcmp(role, "supervisor") != 0) {
			sanitize_into(clean, sizeof clean, role,
			    strlen(role), 0);
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    " (%s)", clean);
		}
	}
	snprintf(c->st->presence, sizeof c->st->presence, "%s", buf);
	c->st->npresence = n;
	log_info("presence: %d other%s%s%s", n, n == 1 ? "" : "s",
	    n > 0 ? ": " : "", buf);
	conn_status(c);
}

/* Add "Authorization: Bearer <token>" to the handshake. */
static int
conn_auth_header(struct conn *c, struct lws *wsi, void *in, size_t len)
{
	unsigned char	**p = in, *end = *p + len;
	char		 *v;
	int		  rc;

	xasprintf(&v, "Bearer %s", c->token);
	rc = lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
	    (unsigned char *)v, (int)strlen(v), p, end);
	explicit_bzero(v, strlen(v));
	free(v);
	if (rc != 0)
		log_warn("no room for the token in the handshake");
	return (rc);
}

/*
 * Handle one whole inbound message of len bytes. Bad messages are logged
 * and shown, never fatal. Returns 0, or -1 when the link must be dropped
 * and resumed (a gap in the events).
 */
int
conn_receive(struct conn *c, const char *buf, size_t len)
{
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg;
	char		*cause = NULL, *code, *text;
	int		 rv = 0;

	c->nrx++;
	if ((msg = proto_parse(buf, len, &type, &err, &cause)) == NULL) {
		conn_say(c, 1, _("bad message from the backend: %s"), cause);
		free(cause);
		return (0);
	}
	record_msg(c->rec, "in", msg);
	switch (type) {
	case PROTO_WELCOME:
		conn_welcome(c, msg);
		break;
	case PROTO_SNAPSHOT:
		conn_snapshot(c, msg);
		break;
	case PROTO_EVENT:
		rv = conn_event(c, msg);
		break;
	case PROTO_RESULT:
		conn_result(c, msg);
		break;
	case PROTO_PRESENCE:
		conn_presence(c, msg);
		break;
	case PROTO_ERROR:
		code = sanitize_text(json_string_value(json_object_get(msg,
		    "code")), json_string_length(json_object_get(msg, "code")),
		    0);
		text = sanitize_text(json_string_value(json_object_get(msg,
		    "message")), json_string_length(json_object_get(msg,
		    "message")), 0);
		conn_say(c, 1, _("backend: %s: %s"), code, text);
		free(code);
		free(text);
		break;
	default:
		conn_say(c, 1, _("unexpected %s message from the backend"),
		    proto_type_names[type]);
		break;
	}
	json_decref(msg);
	return (rv);
}

/* ==== The lws side ==== */

static void
conn_connect_cb(lws_sorted_usec_list_t *sul)
{
	struct conn			*c;
	struct lws_client_connect_info	 i;

	c = lws_container_of(sul, struct conn, sul);
	if (c->exiting || c->refused || c->dead)
		return;
	memset(&i, 0, sizeof i);
	i.context = c->ctx;
	i.address = c->host;
	i.port = c->port;
	i.path = c->path;
	i.host = c->host;
	i.origin = c->host;
	i.protocol = PROTO_SUBPROTOCOL;
	i.local_protocol_name = PROTO_SUBPROTOCOL;
	i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
	i.retry_and_idle_policy = &conn_retry;
	i.opaque_user_data = c;
	i.pwsi = &c->wsi;
	log_debug("connect %s (try %u)", c->url, c->retry_count);
	if (lws_client_connect_via_info(&i) == NULL) {
		c->wsi = NULL;
		lws_retry_sul_schedule(c->ctx, 0, &c->sul, &conn_retry,
		    conn_connect_cb, &c->retry_count);
	}
}

/* The link went down (or never came up); why may be NULL. */
static void
conn_down(struct conn *c, struct lws *wsi, const char *why)
{
	int	was_up = c->established;

	c->wsi = NULL;
	c->established = 0;
	c->welcomed = 0;
	c->ready = 0;
	outbox_requeue(c->outbox);
	conn_flush(c);
	if (c->exiting)
		return;
	if (c->have_state && c->st->stale_since == 0)
		c->st->stale_since = clock_now();
	if (c->dead)
		c->st->link = LAYOUT_LINK_OFFLINE;
	else if (!c->refused)
		c->st->link = was_up ? LAYOUT_LINK_RECONNECTING :
		    (c->have_state ? LAYOUT_LINK_RECONNECTING :
		    LAYOUT_LINK_CONNECTING);
	if (was_up)
		conn_say(c, 1, _("link lost%s%s: reconnecting"), why != NULL ?
		    ": " : "", why != NULL ? why : "");
	else
		log_info("connect failed: %s", why != NULL ? why : "?");
	conn_status(c);
	if (!c->refused && !c->dead)
		lws_retry_sul_schedule_retry_wsi(wsi, &c->sul,
		    conn_connect_cb, &c->retry_count);
}

static int
conn_rx(struct conn *c, struct lws *wsi, const char *in, size_t len)
{
	int	rv = 0;

	if (lws_is_first_fragment(wsi)) {
		c->rxlen = 0;
		c->rx_skip = 0;
	}
	if (lws_frame_is_binary(wsi))
		c->rx_skip = 1;
	if (!c->rx_skip && len > 0) {
		if (c->rxlen + len > PROTO_MAX_DOWN_FRAME) {
			conn_say(c, 1, _("message over %d bytes from the "
			    "backend dropped"), PROTO_MAX_DOWN_FRAME);
			c->rx_skip = 1;
		} else {
			if (c->rxlen + len > c->rxcap) {
				while (c->rxcap < c->rxlen + len)
					c->rxcap = c->rxcap == 0 ? 65536 :
					    c->rxcap * 2;
				c->rx = xreallocarray(c->rx, c->rxcap, 1);
			}
			memcpy(c->rx + c->rxlen, in, len);
			c->rxlen += len;
		}
	}
	if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
		if (!c->rx_skip)
			rv = conn_receive(c, c->rx, c->rxlen);
		else
			log_warn("inbound message skipped (binary or too "
			    "large)");
		c->rxlen = 0;
		c->rx_skip = 0;
	}
	return (rv);
}

static int
conn_writeable(struct conn *c, struct lws *wsi)
{
	struct conn_out	*o;
	int		 n;

	free(c->inflight);
	c->inflight = NULL;
	if ((o = TAILQ_FIRST(&c->outq)) == NULL)
		return (0);
	TAILQ_REMOVE(&c->outq, o, entry);
	n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	c->inflight = o->buf;
	free(o);
	if (n < 0) {
		log_warn("write failed");
		return (-1);
	}
	c->ntx++;
	if (!TAILQ_EMPTY(&c->outq))
		lws_callback_on_writable(wsi);
	return (0);
}

static void
conn_established(struct conn *c, struct lws *wsi)
{
	struct conn_pending	*p;
	json_t			*hello;
	int			 n = 0;
	char			 client[64];

	c->wsi = wsi;
	c->retry_count = 0;
	c->established = 1;
	c->st->link = LAYOUT_LINK_CONNECTED;
	c->ready = 0;
	c->throttled = 0;
	lws_sul_cancel(&c->sul_pump);
	c->resuming = c->have_state;
	snprintf(client, sizeof client, "trucban %s", TRUCBAN_VERSION);
	hello = proto_hello_new(client, c->have_state ?
	    (int64_t)c->store->seq : -1);
	if (c->gauge_ms > 0)
		json_object_set_new(hello, "gauge_ms",
		    json_integer(c->gauge_ms));
	conn_queue_json(c, hello);
	TAILQ_FOREACH(p, &c->pending, entry) {
		conn_queue(c, p->text);
		n++;
	}
	log_info("connected to %s%s; resume %s; %d request%s resent; %zu "
	    "command%s waiting", c->url, c->tls ? " (TLS)" : "",
	    c->have_state ? "yes" : "no", n, n == 1 ? "" : "s", c->outbox->n,
	    c->outbox->n == 1 ? "" : "s");
	conn_status(c);
}

/*
 * The lws callback of the backend protocol (PROTO_SUBPROTOCOL).
 */
int
conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn	*c = wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;
	char		 why[256];

	(void)user;
	if (c == NULL)
		return (0);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		snprintf(why, sizeof why, "%.*s", in == NULL ? 0 :
		    (int)strnlen(in, 200), in == NULL ? "" : (const char *)in);
		if (strstr(why, "ws upgrade unauthorized") != NULL) {
			c->refused = 1;
			c->st->link = LAYOUT_LINK_REFUSED;
			if (!c->exiting && c->token == NULL)
				conn_say(c, 1, "%s", _("the backend wants an "
				    "access token (HTTP 401): start with "
				    "--token-file FILE; not retrying"));
			else if (!c->exiting)
				conn_say(c, 1, "%s", _("the backend refused our "
				    "access token (HTTP 401 unauthorized): check "
				    "--token-file; not retrying"));
		}
		conn_down(c, wsi, in != NULL ? why : NULL);
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (c->token != NULL && conn_auth_header(c, wsi, in, len) != 0)
			return (-1);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		conn_established(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return (conn_rx(c, wsi, in, len));
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return (conn_writeable(c, wsi));
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		log_info("backend closed the link (%zu bytes of reason)", len);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		conn_down(c, wsi, "closed");
		break;
	default:
		break;
	}
	return (0);
}

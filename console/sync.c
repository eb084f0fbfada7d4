/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The console's replica of the backend's state, apart from any transport. */

#include "sync.h"

#include <sys/random.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "finished.h"
#include "i18n.h"
#include "jarena.h"
#include "jscan.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "record.h"
#include "reasons.h"
#include "sanitize.h"
#include "snapparts.h"
#include "xmalloc.h"

/*
 * A session, as the host sees it: sync_up() when its link is up, then
 * every whole message to sync_receive(), then sync_down() when the link
 * is gone; again and again. The sync never waits and never blocks: what
 * it sends goes to the host's send(), what must happen later is a timer
 * the host runs, and when the link must go (a gap, a deadline) it asks
 * the host to drop() it and says why.
 *
 * On sync_up() the hello goes first, with resume = the last seq applied
 * once a snapshot was loaded, then any digest request still waiting. The
 * welcome is due within welcome_ms; without a resume the snapshot is then
 * due within snapshot_ms (again from each part of a message that arrives:
 * sync_progress()); either one late drops the link, which the host
 * retries with its backoff. Commands live in the outbox (console/outbox.c)
 * from the moment they are accepted until their result arrives: they go
 * out at once while the link is ready, else they stay queued, and when
 * the link is ready again (the welcome of a resume, or the snapshot) every
 * queued command goes out, in order, with its original id (one at a time
 * per item: see outbox.h and sync_rebase()). A link that drops puts the
 * commands sent and not answered back in the queue.
 *
 * Events must come in seq order; a gap drops the link and the next hello
 * resumes from where we are. A message we cannot read at all (not JSON,
 * no "ts", a number past 2^63, too deep, too big) moves nothing, so when
 * it was an event the next one is a gap, and a resume would bring the
 * same bytes again: after SYNC_GAP_TRIES gaps at the same seq the next
 * hello asks for no resume, and the fresh snapshot moves us past it (a
 * backend whose snapshot does not, we skip at the next gap: sync_gap()).
 * The seq is only ever what the backend said. An item that does not decode
 * (in a snapshot, an event or a conflated reading) is left out and
 * remembered as skipped until an event brings it whole or a snapshot
 * replaces everything; the header counts them.
 */

/* Result marks; words where the terminal has no UTF-8. */
#define SYNC_OK(s)	((s)->ascii ? "ok:" : "✓")
#define SYNC_FAIL(s)	((s)->ascii ? "FAILED:" : "✗")

static void	sync_skip_clear(struct sync *);
static void	sync_report(struct sync *, const struct sync_result *);
static void	sync_snapshot_loaded(struct sync *, int);
static void	sync_parts_abort(struct sync *);

/* ==== Hooks ==== */

static void
sync_nosend(void *arg, const char *text, size_t len)
{
	(void)arg;
	(void)text;
	(void)len;
}

static void
sync_notimer(void *arg, enum sync_timer t, int64_t ms)
{
	(void)arg;
	(void)t;
	(void)ms;
}

static void
sync_nodrop(void *arg, const char *why)
{
	(void)arg;
	(void)why;
}

/*
 * Tell the officer: one line in the log, and on the message line (error
 * in red) unless the sync was stopped.
 */
void
sync_say(struct sync *s, int error, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	log_msg(error ? LOG_WARN : LOG_INFO, "%s", text);
	if (s->hooks.message != NULL && !s->stopped)
		s->hooks.message(s->hooks.arg, error, text);
	free(text);
}

static void
sync_status(struct sync *s)
{
	if (s->hooks.status != NULL && !s->stopped)
		s->hooks.status(s->hooks.arg);
}

static void
sync_changed(struct sync *s)
{
	if (s->hooks.changed != NULL && !s->stopped)
		s->hooks.changed(s->hooks.arg);
}

/* Something came from the backend, a whole message or a part of one. */
static void
sync_alive(struct sync *s)
{
	s->rx_at = clock_now();
	s->rx_mono = clock_mono();
}

static void
sync_arm(struct sync *s, enum sync_timer t, int64_t ms)
{
	if (!s->stopped || ms < 0)
		s->tr.timer(s->tr_arg, t, ms);
}

/* Ask the host to drop the link, once. */
static void
sync_drop(struct sync *s, const char *why)
{
	if (s->dropping || !s->up)
		return;
	s->dropping = 1;
	s->tr.drop(s->tr_arg, why);
}

/* ==== Life ==== */

/*
 * Create a sync that keeps s (borrowed) in step and tells the officer
 * through hooks (copied; NULL: none). It sends nothing until a host
 * attaches (sync_attach) and says its link is up (sync_up). Returns the
 * sync; free it with sync_free().
 */
struct sync *
sync_create(struct store *st, const struct sync_hooks *hooks)
{
	struct sync	*s;
	unsigned char	 rnd[SYNC_PREFIX_BYTES];
	size_t		 i;
	int64_t		 t;

	s = xcalloc(1, sizeof *s);
	s->store = st;
	if (hooks != NULL)
		s->hooks = *hooks;
	s->tr.send = sync_nosend;
	s->tr.timer = sync_notimer;
	s->tr.drop = sync_nodrop;
	s->st.link = SYNC_LINK_CONNECTING;
	s->welcome_ms = SYNC_WELCOME_MS;
	s->snapshot_ms = SYNC_SNAPSHOT_MS;
	s->throttle_ms = SYNC_THROTTLE_MS;
	TAILQ_INIT(&s->pending);
	TAILQ_INIT(&s->skipq);
	TAILQ_INIT(&s->oldskip);
	s->outbox = outbox_open(NULL, NULL);
	s->own_outbox = 1;

	/* Command ids: a random prefix for this process, then a counter. */
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		t = clock_mono() ^ clock_now();
		for (i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)(t >> (8 * (i % 8)));
	}
	snprintf(s->prefix, sizeof s->prefix, "c-");
	for (i = 0; i < sizeof rnd; i++)
		snprintf(s->prefix + 2 + 2 * i, 3, "%02x", rnd[i]);
	return (s);
}

static void
sync_pending_free(struct sync_pending *p)
{
	free(p->cmd);
	free(p->summary);
	free(p->text);
	free(p);
}

/*
 * Free the sync, its requests and its own outbox; NULL is fine. The host
 * must not call it any more.
 */
void
sync_free(struct sync *s)
{
	struct sync_pending	*p;

	if (s == NULL)
		return;
	while ((p = TAILQ_FIRST(&s->pending)) != NULL) {
		TAILQ_REMOVE(&s->pending, p, entry);
		sync_pending_free(p);
	}
	sync_parts_abort(s);
	sync_skip_clear(s);
	json_decref(s->archive_query);
	free(s->archive_next);
	free(s->finished_next);
	if (s->own_outbox)
		outbox_free(s->outbox);
	json_decref(s->welcome);
	free(s);
}

/*
 * Let tr (copied; every member set) with arg carry the sync from now on.
 */
void
sync_attach(struct sync *s, const struct sync_transport *tr, void *arg)
{
	s->tr = *tr;
	s->tr_arg = arg;
}

/*
 * Stop for good (the program is exiting): no more hooks, timers or
 * messages; sync_down() still puts unanswered commands back in the queue.
 */
void
sync_stop(struct sync *s)
{
	if (s == NULL || s->stopped)
		return;
	sync_arm(s, SYNC_TIMER_PUMP, -1);
	sync_arm(s, SYNC_TIMER_DEADLINE, -1);
	sync_arm(s, SYNC_TIMER_BEAT, -1);
	s->stopped = 1;
}

/*
 * Keep commands in ob (borrowed; it must outlive the sync) instead of the
 * sync's own outbox in memory. What ob holds goes out when the link is
 * ready.
 */
void
sync_set_outbox(struct sync *s, struct outbox *ob)
{
	struct outbox_entry	*e;
	char			*cause = NULL;

	if (s->own_outbox) {
		/* Nothing was sent yet; anything held moves over. */
		while ((e = TAILQ_FIRST(&s->outbox->list)) != NULL) {
			if (outbox_add_new(ob, e->summary,
			    json_incref(e->msg), &cause) == NULL) {
				log_warn("command %s lost: %s", e->id, cause);
				free(cause);
				cause = NULL;
			}
			outbox_done(s->outbox, e->id);
		}
		outbox_free(s->outbox);
	}
	s->outbox = ob;
	s->own_outbox = 0;
}

/*
 * Record every message in and out from now on in rec (borrowed; NULL
 * stops recording). The recording starts with the state the store holds,
 * now if it holds one, else when the first snapshot comes.
 */
void
sync_set_recorder(struct sync *s, struct recorder *rec)
{
	s->rec = rec;
	if (rec != NULL && s->have_state)
		record_start(rec, s->store, s->welcome, sync_online(s));
}

/*
 * The host's link state changed without a session starting or ending
 * (connecting, the backend gone for good, a refused token): show it.
 * State that is not "connected" makes the replica stale, since the last
 * time anything came from the backend: what we hold was current then,
 * not when we noticed.
 */
void
sync_set_link(struct sync *s, enum sync_link link)
{
	if (link != SYNC_LINK_CONNECTED && s->have_state &&
	    s->st.stale_since == 0)
		s->st.stale_since = s->rx_at != 0 ? s->rx_at : clock_now();
	s->st.link = link;
	sync_status(s);
}

/*
 * 1 when the link is up and connected (commands go out at once once it
 * is ready), else 0.
 */
int
sync_online(const struct sync *s)
{
	return (s->up && !s->stopped && s->st.link == SYNC_LINK_CONNECTED);
}

/* ==== Out ==== */

static void
sync_send(struct sync *s, const char *text)
{
	record_text(s->rec, "out", text);
	s->ntx++;
	s->tr.send(s->tr_arg, text, strlen(text));
}

static void
sync_send_json(struct sync *s, json_t *msg)
{
	char	*text;

	text = proto_dump(msg);
	json_decref(msg);
	sync_send(s, text);
	free(text);
}

/*
 * Send what may go now, in order: every queued command that no earlier
 * command on its item holds back. Returns how many went.
 */
static int
sync_pump(struct sync *s)
{
	struct outbox_entry	*e;
	int			 n = 0;
	size_t			 inflight;

	if (!s->ready || !sync_online(s) || s->throttled || s->dropping)
		return (0);
	inflight = outbox_count(s->outbox, OUTBOX_SENT);
	TAILQ_FOREACH(e, &s->outbox->list, entry) {
		if (inflight >= SYNC_INFLIGHT_MAX)
			break;
		if (e->state != OUTBOX_QUEUED || outbox_held(s->outbox, e))
			continue;
		inflight++;
		sync_send(s, e->text);
		e->state = OUTBOX_SENT;
		log_debug("sent %s: %s", e->id, e->summary);
		n++;
	}
	return (n);
}

/*
 * The backend dropped a command (rate_limited) without applying it or
 * keeping its id: it goes back to the queue, and nothing more goes out
 * for throttle_ms.
 */
static void
sync_throttle(struct sync *s, struct outbox_entry *e)
{
	log_info("result %s: rate_limited; sent again later", e->id);
	e->state = OUTBOX_QUEUED;
	if (s->throttled)
		return;
	s->throttled = 1;
	sync_arm(s, SYNC_TIMER_PUMP, s->throttle_ms);
}

/* The link is ready: send every queued command that may go. */
static void
sync_send_outbox(struct sync *s)
{
	int	n;

	s->ready = 1;
	if ((n = sync_pump(s)) > 0)
		sync_say(s, 0, ngettext("%d queued command sent",
		    "%d queued commands sent", n), n);
}

/*
 * The version the store holds of an item, by kind ("alert", or "case" as
 * outbox keys call feedback) and id; 0 when it holds none or the kind is
 * unknown, through the core's table of kinds.
 */
static uint32_t
sync_version(struct store *st, const char *kind, const char *id)
{
	const struct kind	*k;
	const void		*item;

	if ((k = kind_find(kind)) == NULL && (k = kind_find_arg(kind)) == NULL)
		return (0);
	if ((item = store_find(st, k, id)) == NULL)
		return (0);
	return (kind_version(k, item));
}

/* The version the store holds of an outbox key ("alert:A-1"), or 0. */
static uint32_t
sync_key_version(struct sync *s, const char *key)
{
	const char	*id = strchr(key, ':');
	char		 kind[OUTBOX_KEY_MAX];

	if (id == NULL || (size_t)(id - key) >= sizeof kind)
		return (0);
	memcpy(kind, key, (size_t)(id - key));
	kind[id - key] = '\0';
	return (sync_version(s->store, kind, id + 1));
}

/*
 * done succeeded: the commands held behind it on an item it changed take
 * that item's version now (the store has done's change: events come
 * before their result), on disk before done is forgotten.
 */
static void
sync_rebase(struct sync *s, struct outbox_entry *done)
{
	struct outbox_entry	*e;
	uint32_t		 v;
	char			*cause = NULL;

	for (e = TAILQ_NEXT(done, entry); e != NULL;
	    e = TAILQ_NEXT(e, entry)) {
		if (e->state != OUTBOX_QUEUED ||
		    !outbox_touches(done, e->key) ||
		    (v = sync_key_version(s, e->key)) == 0 ||
		    outbox_entry_version(e) == -1 ||
		    outbox_entry_version(e) == (int64_t)v)
			continue;
		if (outbox_set_version(s->outbox, e, v, &cause) != 0) {
			log_warn("%s", cause);
			free(cause);
			cause = NULL;
		} else
			log_info("%s: %s now at version %u", e->id, e->key, v);
	}
}

/*
 * Accept one command (args stolen): give it a new id, keep it in the
 * outbox under summary ("ack A-0003") until its result comes, and send it
 * when the link is ready. Returns 0 sent, 1 queued (offline), or -1 with
 * *cause set (allocated; caller frees) when the outbox cannot keep it.
 */
int
sync_send_cmd(struct sync *s, const char *cmd, json_t *args,
    const char *summary, char **cause)
{
	struct outbox_entry	*e;
	char			 id[64];

	proto_cmd_id(id, sizeof id, s->prefix, ++s->counter);
	e = outbox_add_new(s->outbox, summary, proto_cmd_new(id, cmd, args),
	    cause);
	if (e == NULL)
		return (-1);
	if (!s->ready || !sync_online(s)) {
		log_info("queued %s: %s", id, summary);
		sync_status(s);
		return (1);
	}
	sync_pump(s);
	log_info("%s %s: %s", e->state == OUTBOX_SENT ? "sent" :
	    "after the one before", id, summary);
	sync_status(s);
	return (0);
}

/*
 * Send a request (msg, a JSON object without "id", stolen) under a new
 * id, kept pending as cmd ("digest", "archive", "finished") until its
 * answer comes; summary is what the officer sees of it.
 */
static void
sync_request(struct sync *s, const char *cmd, const char *summary,
    json_t *msg)
{
	struct sync_pending	*p;

	p = xcalloc(1, sizeof *p);
	proto_cmd_id(p->id, sizeof p->id, s->prefix, ++s->counter);
	json_object_set_new(msg, "id", json_string(p->id));
	p->cmd = xstrdup(cmd);
	p->summary = xstrdup(summary);
	p->text = proto_dump(msg);
	json_decref(msg);
	TAILQ_INSERT_TAIL(&s->pending, p, entry);
	sync_send(s, p->text);
}

/*
 * Ask the backend for its state digest; the result is compared with the
 * store's. Returns 0, or -1 with *cause set (allocated; caller frees)
 * when offline.
 */
int
sync_send_digest(struct sync *s, char **cause)
{
	if (!sync_online(s)) {
		*cause = xstrdup("offline");
		return (-1);
	}
	sync_request(s, "digest", "digest", json_pack("{s:s}", "type",
	    "digest"));
	return (0);
}

/*
 * Ask the backend for a page of its archive (docs/protocol.md "archive"):
 * the items of kind (NULL: alerts and cases) that left the live state
 * since from (ms), or with next, the page after the last one shown.
 * Returns 0, or -1 with *cause set (allocated; caller frees) when offline
 * or when there is no next page.
 */
int
sync_send_archive(struct sync *s, const char *kind, int64_t from, int next,
    char **cause)
{
	json_t	*msg;

	if (!sync_online(s)) {
		*cause = xstrdup(_("offline"));
		return (-1);
	}
	if (next && (s->archive_query == NULL || s->archive_next == NULL)) {
		*cause = xstrdup(_("no further page"));
		return (-1);
	}
	if (!next) {
		json_decref(s->archive_query);
		s->archive_query = json_pack("{s:s s:I s:i}", "type",
		    "archive", "from", (json_int_t)from, "limit",
		    SYNC_ARCHIVE_PAGE);
		if (kind != NULL)
			json_object_set_new(s->archive_query, "kind",
			    json_string(kind));
	}
	msg = json_copy(s->archive_query);
	if (next)
		json_object_set_new(msg, "cursor",
		    json_string(s->archive_next));
	sync_request(s, "archive", "archive", msg);
	return (0);
}

void
sync_set_finished(struct sync *s, struct finished *f)
{
	s->finished = f;
}

/*
 * Ask the finished view's first page of the archive, or with next its
 * following one: both kinds, from FINISHED_LOOKBACK_MS before the shift
 * started (what was finished just before a shift is still asked about
 * during it). Its own cursor, so ":archive" paging does not move it.
 * The view shows "loading…" until the page comes. Returns 0, or -1 with
 * *cause set (allocated) when offline or there is nothing to ask.
 */
int
sync_send_finished(struct sync *s, int next, char **cause)
{
	struct finished	*f = s->finished;
	json_t		*msg;

	if (f == NULL || !sync_online(s)) {
		*cause = xstrdup(_("offline"));
		return (-1);
	}
	if (next && s->finished_next == NULL) {
		*cause = xstrdup(_("no further page"));
		return (-1);
	}
	msg = json_pack("{s:s s:I s:i}", "type", "archive", "from",
	    (json_int_t)(f->shift_start - FINISHED_LOOKBACK_MS), "limit",
	    SYNC_ARCHIVE_PAGE);
	if (next)
		json_object_set_new(msg, "cursor",
		    json_string(s->finished_next));
	sync_request(s, "finished", "archive", msg);
	f->state = FINISHED_LOADING;
	f->gen++;
	s->store->changed |= STORE_CH_ARCHIVE;
	sync_changed(s);
	return (0);
}

/*
 * A page for the finished view: its items kept (one that does not decode
 * is counted with the skipped, never shown raw), and the next cursor.
 * Refused (an old backend, a bad member): the view says "no more".
 */
static void
sync_finished_result(struct sync *s, json_t *msg, int ok)
{
	struct finished	*f = s->finished;
	json_t		*items = json_object_get(msg, "items"), *e;
	const char	*next = NULL;
	char		*cause = NULL;
	size_t		 i;

	if (f == NULL)
		return;
	if (ok) {
		next = json_string_value(json_object_get(msg, "next"));
		json_array_foreach(items, i, e) {
			if (finished_add(f, json_string_value(
			    json_object_get(e, "kind")), json_object_get(e,
			    "item"), &cause) != 0) {
				log_warn("archive item: %s", cause);
				free(cause);
				cause = NULL;
			}
		}
	}
	free(s->finished_next);
	s->finished_next = next != NULL && model_id_valid(next, 32) ?
	    xstrdup(next) : NULL;
	f->state = s->finished_next != NULL ? FINISHED_MORE : FINISHED_END;
	f->gen++;
	s->store->changed |= STORE_CH_ARCHIVE;
	sync_changed(s);
}

/* What an archived item's state and disposition read as (translated). */
static const char *const sync_alert_states[ALERT_STATE_COUNT] = {
	N_("new"), N_("acknowledged"), N_("dispatched"), N_("on scene"),
	N_("resolved"), N_("closed")
};
static const char *const sync_dispositions[DISPOSITION_COUNT] = {
	N_("none"), N_("resolved"), N_("false alarm"), N_("duplicate"),
	N_("cancelled"), N_("transferred")
};
static const char *const sync_case_states[FB_STATE_COUNT] = {
	N_("new"), N_("assigned"), N_("in progress"), N_("answered"),
	N_("closed"), N_("returned")
};

/* The name an area goes by in a line: its short name, else its code. */
static const char *
sync_area_name(struct sync *s, const char *code)
{
	struct area	*a = store_area(s->store, code);

	if (a == NULL)
		return (code);
	return (a->short_name != NULL ? a->short_name : a->name);
}

/* One archived item as a line of the page; sanitised. */
static void
sync_archive_line(struct sync *s, struct buf *b, const char *kind,
    json_t *item)
{
	const struct kind	*k = kind_find(kind);
	union kind_item		 u;
	const struct alert	*a = &u.alert;
	const struct feedback	*f = &u.feedback;
	char			*cause = NULL;

	if (k == NULL || k->decode(item, &u, 1, &cause) != 0) {
		free(cause);
		buf_printf(b, "%s\n", _("(an item that does not decode)"));
		return;
	}
	if (k->index == KIND_ALERT)
		buf_printf(b, "%-8s %s (%s)  %s  %s\n", a->id,
		    _(sync_alert_states[a->state]),
		    _(sync_dispositions[a->disposition]),
		    sync_area_name(s, a->area), a->title != NULL ? a->title :
		    "");
	else if (k->index == KIND_FEEDBACK)
		buf_printf(b, "%-8s %s  %s  %s\n", f->id,
		    _(sync_case_states[f->state]), sync_area_name(s, f->area),
		    f->text != NULL ? f->text : "");
	k->clear(&u);
}

/*
 * A page of the archive: its items as lines for the pager, and the
 * cursor of the next page kept for "archive next".
 */
static void
sync_archive_result(struct sync *s, json_t *msg, struct sync_result *r)
{
	json_t		*items = json_object_get(msg, "items"), *e;
	const char	*next;
	struct buf	 b = BUF_INIT;
	char		*text;
	size_t		 i, n = json_array_size(items);

	next = json_string_value(json_object_get(msg, "next"));
	free(s->archive_next);
	s->archive_next = next != NULL && model_id_valid(next, 32) ?
	    xstrdup(next) : NULL;
	json_array_foreach(items, i, e)
		sync_archive_line(s, &b, json_string_value(json_object_get(e,
		    "kind")), json_object_get(e, "item"));
	if (n == 0)
		buf_printf(&b, "%s\n", _("Nothing archived in that time."));
	if (s->archive_next != NULL)
		buf_printf(&b, "%s\n", _("More: \":archive next\"."));
	xasprintf(&text, ngettext("%zu item", "%zu items", n), n);
	r->message = text;
	r->page = buf_str(&b);
	sync_report(s, r);
	free(text);
	buf_free(&b);
}

/* ==== The session ==== */

/*
 * The host's link is up: say hello (resuming when we hold a state that a
 * resume can continue), resend the requests still waiting, and wait for
 * the welcome.
 */
void
sync_up(struct sync *s)
{
	struct sync_pending	*p;
	json_t			*hello;
	char			 client[64];
	int			 n = 0;

	record_link(s->rec, 1, NULL);
	s->up = 1;
	s->welcomed = 0;
	s->snapshot_up = 0;
	s->ready = 0;
	s->throttled = 0;
	s->dropping = 0;
	s->quiet_down = 0;
	s->live = 0;
	s->beat_ms = 0;
	sync_arm(s, SYNC_TIMER_PUMP, -1);
	sync_arm(s, SYNC_TIMER_BEAT, -1);
	s->resuming = s->have_state && !s->fresh;
	s->st.link = SYNC_LINK_CONNECTED;
	snprintf(client, sizeof client, "trucban %s", TRUCBAN_VERSION);
	hello = proto_hello_new(client, s->resuming ?
	    (int64_t)s->store->seq : -1);
	if (s->gauge_ms > 0)
		json_object_set_new(hello, "gauge_ms",
		    json_integer(s->gauge_ms));
	if (s->follow.name[0] != '\0')
		json_object_set_new(hello, "follow",
		    json_string(s->follow.name));
	json_object_set_new(hello, "batch", json_true());
	json_object_set_new(hello, "history_delta", json_true());
	json_object_set_new(hello, "beat", json_true());
	json_object_set_new(hello, "snapshot_parts", json_true());
	sync_send_json(s, hello);
	TAILQ_FOREACH(p, &s->pending, entry) {
		sync_send(s, p->text);
		n++;
	}
	s->waiting = SYNC_WAIT_WELCOME;
	sync_arm(s, SYNC_TIMER_DEADLINE, s->welcome_ms);
	if (s->resuming)
		log_info("hello: resume from %" PRIu64 "; %d request%s "
		    "resent; %zu command%s waiting", s->store->seq, n,
		    n == 1 ? "" : "s", s->outbox->n,
		    s->outbox->n == 1 ? "" : "s");
	else
		log_info("hello: no resume%s; %d request%s resent; %zu "
		    "command%s waiting", s->have_state ? " (a fresh "
		    "snapshot)" : "", n, n == 1 ? "" : "s", s->outbox->n,
		    s->outbox->n == 1 ? "" : "s");
	sync_status(s);
}

/*
 * The host's link is down (or never came up): commands sent and not
 * answered go back to the queue, the timers stop, and the header shows
 * next (reconnecting, offline ...). why may be NULL.
 */
void
sync_down(struct sync *s, enum sync_link next, const char *why)
{
	int	was_up = s->up;

	if (was_up)
		record_link(s->rec, 0, why);
	s->up = 0;
	s->welcomed = 0;
	s->ready = 0;
	s->throttled = 0;
	s->dropping = 0;
	s->waiting = SYNC_WAIT_NONE;
	s->beat_ms = 0;
	sync_arm(s, SYNC_TIMER_PUMP, -1);
	sync_arm(s, SYNC_TIMER_DEADLINE, -1);
	sync_arm(s, SYNC_TIMER_BEAT, -1);
	outbox_requeue(s->outbox);
	/* A snapshot in parts cut off: the state held stays the state. */
	sync_parts_abort(s);
	if (s->stopped)
		return;
	/* Words said already on why it went stay on the message line. */
	if (was_up && next == SYNC_LINK_RECONNECTING && !s->quiet_down)
		sync_say(s, 1, _("link lost%s%s: reconnecting"), why != NULL ?
		    ": " : "", why != NULL ? why : "");
	sync_set_link(s, next);
}

/*
 * Part of a message arrived (the host reassembles it): while we wait for
 * the snapshot, its deadline starts again, so a large state over a slow
 * link is not cut off while it flows. At most once a second.
 */
void
sync_progress(struct sync *s)
{
	int64_t	now;

	sync_alive(s);
	if (s->waiting != SYNC_WAIT_SNAPSHOT || s->stopped)
		return;
	now = clock_mono();
	if (now - s->progress_at < 1000)
		return;
	s->progress_at = now;
	sync_arm(s, SYNC_TIMER_DEADLINE, s->snapshot_ms);
}

/*
 * The beat watchdog: a backend that sends beats (its welcome said
 * beat_ms) is never silent for beat_ms, so SYNC_BEAT_MISSES of them
 * without a byte means the link or the backend is dead, whatever TCP
 * says (a SIGSTOPped backend, a tunnel whose far end hangs). The state
 * is stale since the last byte, and the host reconnects.
 */
static void
sync_watchdog(struct sync *s)
{
	int64_t	limit, left;
	char	hms[16];

	if (!s->up || s->dropping || s->beat_ms == 0)
		return;
	limit = s->beat_ms * SYNC_BEAT_MISSES;
	if ((left = s->rx_mono + limit - clock_mono()) > 0) {
		sync_arm(s, SYNC_TIMER_BEAT, left);
		return;
	}
	clock_hms(s->rx_at, s->store->utc_offset_min, hms, sizeof hms);
	sync_say(s, 1, _("nothing from the backend for %d s (the last at %s): "
	    "reconnecting"), (int)((limit + 999) / 1000), hms);
	s->quiet_down = 1;
	sync_set_link(s, SYNC_LINK_RECONNECTING);
	sync_drop(s, "no beat");
}

/*
 * A timer the host ran for us (sync_transport.timer) is due.
 */
void
sync_timer(struct sync *s, enum sync_timer t)
{
	if (s->stopped)
		return;
	switch (t) {
	case SYNC_TIMER_PUMP:
		s->throttled = 0;
		sync_pump(s);
		break;
	case SYNC_TIMER_DEADLINE:
		if (!s->up || s->dropping)
			break;
		if (s->waiting == SYNC_WAIT_WELCOME) {
			sync_say(s, 1, _("no answer to hello from the backend "
			    "within %d s: reconnecting"),
			    (int)((s->welcome_ms + 999) / 1000));
			sync_drop(s, "no welcome");
		} else if (s->waiting == SYNC_WAIT_SNAPSHOT) {
			sync_say(s, 1, _("no snapshot from the backend within "
			    "%d s: reconnecting"),
			    (int)((s->snapshot_ms + 999) / 1000));
			sync_drop(s, "no snapshot");
		}
		s->waiting = SYNC_WAIT_NONE;
		break;
	case SYNC_TIMER_BEAT:
		sync_watchdog(s);
		break;
	default:
		break;
	}
}

/* ==== Skipped items ==== */

/* Build the key of an item as received: "alert:A-1" (NULL: no id). */
static char *
sync_skip_key(const char *kind, json_t *item)
{
	const char	*id = json_string_value(json_object_get(item, "id"));
	char		*key;

	if (id == NULL)
		return (NULL);
	xasprintf(&key, "%s:%.64s", kind, id);
	return (key);
}

static struct sync_skip *
sync_skip_find(struct sync *s, const char *key)
{
	struct sync_skip	*k;

	TAILQ_FOREACH(k, &s->skipq, entry) {
		if (strcmp(k->key, key) == 0)
			return (k);
	}
	return (NULL);
}

static void
sync_skipq_free(struct sync_skipq *q)
{
	struct sync_skip	*k;

	while ((k = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, k, entry);
		free(k->key);
		free(k);
	}
}

static void
sync_skip_clear(struct sync *s)
{
	sync_skipq_free(&s->skipq);
	s->nskip = 0;
	s->nskip_lost = 0;
	s->st.skipped = 0;
}

/*
 * An item of kind did not decode (why): the replica does not have it as
 * the backend does. Remember it (once) and log it, sanitised; what is
 * logged one by one is bounded, the count is not.
 */
static void
sync_skip_add(struct sync *s, const char *where, const char *kind,
    json_t *item, const char *why)
{
	struct sync_skip	*k;
	char			*key, *cw, cid[48];
	const char		*id;

	id = json_string_value(json_object_get(item, "id"));
	if (id == NULL)
		id = "?";
	if (s->nskip_logged < SYNC_SKIP_LOG) {
		sanitize_into(cid, sizeof cid, id, strlen(id), 0);
		cw = sanitize_text(why, strlen(why), 0);
		log_warn("%s: %s %s left out: %s", where, kind, cid, cw);
		free(cw);
	} else if (s->nskip_logged == SYNC_SKIP_LOG)
		log_warn("%s: more items left out; not logged one by one",
		    where);
	s->nskip_logged++;
	if ((key = sync_skip_key(kind, item)) != NULL &&
	    sync_skip_find(s, key) != NULL) {
		free(key);
		return;
	}
	if (key == NULL || s->nskip >= SYNC_SKIP_MAX) {
		free(key);
		s->nskip_lost++;
	} else {
		k = xcalloc(1, sizeof *k);
		k->key = key;
		TAILQ_INSERT_TAIL(&s->skipq, k, entry);
		s->nskip++;
	}
	s->st.skipped = s->nskip + s->nskip_lost;
}

/* An item of kind came whole: it is no longer skipped. */
static void
sync_skip_remove(struct sync *s, const char *kind, json_t *item)
{
	struct sync_skip	*k;
	char			*key;

	if (s->nskip == 0 || (key = sync_skip_key(kind, item)) == NULL)
		return;
	if ((k = sync_skip_find(s, key)) != NULL) {
		TAILQ_REMOVE(&s->skipq, k, entry);
		free(k->key);
		free(k);
		s->nskip--;
		s->st.skipped = s->nskip + s->nskip_lost;
		log_info("%s came whole: no longer left out", key);
		sync_status(s);
	}
	free(key);
}

static void
sync_snapshot_skip(void *arg, const char *kind, json_t *item,
    const char *why)
{
	sync_skip_add(arg, "snapshot", kind, item, why);
}

/* ==== In ==== */

#define SYNC_NOT_HEX	0x10000U

/* The value of "\uXXXX" at p (len bytes), or SYNC_NOT_HEX. */
static unsigned int
sync_hex4(const char *p, size_t len)
{
	unsigned int	v = 0;
	size_t		i;
	char		c;

	if (len < 6 || p[0] != '\\' || p[1] != 'u')
		return (SYNC_NOT_HEX);
	for (i = 2; i < 6; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned int)(c - 'A' + 10);
		else
			return (SYNC_NOT_HEX);
	}
	return (v);
}

/*
 * Mend the strings of a JSON text that jansson refuses whole, so that one
 * bad string costs at most its item, not the message: "\u0000" and a lone
 * surrogate escape become "\ufffd", a raw control character its "\u00XX"
 * escape (the sanitiser removes it later), and invalid UTF-8 U+FFFD. Only
 * inside strings; anything else is copied as it is. With out NULL only
 * counts. Returns the length of the result; *nfixed counts the repairs.
 */
static size_t
sync_mend_pass(const char *in, size_t len, char *out, size_t *nfixed)
{
	static const char	 fffd[] = "\\ufffd";
	size_t			 i = 0, o = 0, n, step;
	unsigned int		 u, u2;
	uint32_t		 cp;
	int			 instr = 0;
	unsigned char		 c;
	char			 esc[8];

#define SYNC_EMIT(p, l) do {						\
	if (out != NULL)						\
		memcpy(out + o, (p), (l));				\
	o += (l);							\
} while (0)

	*nfixed = 0;
	while (i < len) {
		c = (unsigned char)in[i];
		if (!instr || c == '"') {
			if (c == '"')
				instr = !instr;
			SYNC_EMIT(in + i, 1);
			i++;
			continue;
		}
		if (c == '\\') {
			step = i + 1 < len ? 2 : 1;
			if (step == 2 && (u = sync_hex4(in + i, len - i)) !=
			    SYNC_NOT_HEX) {
				step = 6;
				if (u >= 0xd800 && u <= 0xdbff &&
				    (u2 = sync_hex4(in + i + 6, len - i - 6)) >=
				    0xdc00 && u2 <= 0xdfff)
					step = 12;
				else if (u == 0 ||
				    (u >= 0xd800 && u <= 0xdfff)) {
					SYNC_EMIT(fffd, sizeof fffd - 1);
					(*nfixed)++;
					i += 6;
					continue;
				}
			}
			SYNC_EMIT(in + i, step);
			i += step;
			continue;
		}
		if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			SYNC_EMIT(esc, 6);
			(*nfixed)++;
			i++;
			continue;
		}
		if (c < 0x80) {
			SYNC_EMIT(in + i, 1);
			i++;
			continue;
		}
		n = utf8_decode(in + i, len - i, &cp);
		if (cp == UTF8_BAD) {
			SYNC_EMIT("\xef\xbf\xbd", 3);
			(*nfixed)++;
		} else
			SYNC_EMIT(in + i, n);
		i += n;
	}
#undef SYNC_EMIT
	return (o);
}

/*
 * Returns the mended text (caller frees) with *outlen set, or NULL when
 * there was nothing to mend.
 */
static char *
sync_mend(const char *in, size_t len, size_t *outlen, size_t *nfixed)
{
	char	*out;

	*outlen = sync_mend_pass(in, len, NULL, nfixed);
	if (*nfixed == 0)
		return (NULL);
	out = xmalloc(*outlen + 1);
	sync_mend_pass(in, len, out, nfixed);
	out[*outlen] = '\0';
	return (out);
}

/*
 * A message we could not read at all: count it (the header shows it until
 * the next snapshot) and say why, sanitised (jansson quotes the input).
 */
static void
sync_bad(struct sync *s, const char *cause)
{
	char	*clean;

	clean = sanitize_text(cause, strlen(cause), 0);
	s->st.bad++;
	sync_say(s, 1, _("bad message from the backend: %s"), clean);
	free(clean);
	sync_status(s);
}

static void
sync_welcome(struct sync *s, json_t *msg)
{
	const char	*op, *role;
	char		 beats[32];
	int		 synced;

	op = json_string_value(json_object_get(msg, "operator"));
	role = json_string_value(json_object_get(msg, "role"));
	sanitize_into(s->st.operator, sizeof s->st.operator, op,
	    strlen(op), 0);
	sanitize_into(s->st.role, sizeof s->st.role, role, strlen(role), 0);
	s->st.exercise = json_is_true(json_object_get(msg, "exercise"));
	if (s->hooks.clock != NULL && json_is_integer(json_object_get(msg,
	    "now")))
		s->hooks.clock(s->hooks.arg, json_integer_value(
		    json_object_get(msg, "now")));
	s->st.stale_since = 0;
	/* Only a backend that says it sends beats is timed by them. */
	s->beat_ms = json_integer_value(json_object_get(msg, "beat_ms"));
	if (s->beat_ms > 0)
		sync_arm(s, SYNC_TIMER_BEAT, s->beat_ms * SYNC_BEAT_MISSES);
	s->welcomed = 1;
	json_decref(s->welcome);
	s->welcome = json_incref(msg);
	/* In step once a resume is welcomed, or the snapshot came first. */
	synced = (s->resuming && s->have_state) || s->snapshot_up;
	if (s->waiting == SYNC_WAIT_WELCOME) {
		s->waiting = synced ? SYNC_WAIT_NONE : SYNC_WAIT_SNAPSHOT;
		sync_arm(s, SYNC_TIMER_DEADLINE, synced ? -1 : s->snapshot_ms);
	}
	if (synced)
		sync_send_outbox(s);
	if (s->beat_ms > 0)
		snprintf(beats, sizeof beats, "every %" PRId64 " ms",
		    s->beat_ms);
	else
		snprintf(beats, sizeof beats, "none");
	log_info("welcome: operator %s, role %s, backend seq %"
	    JSON_INTEGER_FORMAT ", ours %" PRIu64 "; beats %s", s->st.operator,
	    s->st.role, json_integer_value(json_object_get(msg, "seq")),
	    s->store->seq, beats);
	sync_status(s);
}

/*
 * Load a snapshot into the store: msg parsed, or with text (len bytes)
 * its text, read one item at a time. The items left out are collected
 * afresh; when the load fails the old ones stay, the store is unchanged
 * and -1 comes back with *cause set.
 */
static int
sync_snapshot_load(struct sync *s, json_t *msg, const char *text,
    size_t len, char **cause)
{
	struct sync_skipq	 old;
	size_t			 oldn, oldlost, oldlogged;
	int			 rc;

	TAILQ_INIT(&old);
	TAILQ_CONCAT(&old, &s->skipq, entry);
	oldn = s->nskip;
	oldlost = s->nskip_lost;
	oldlogged = s->nskip_logged;
	s->nskip = s->nskip_lost = s->nskip_logged = 0;
	if (text != NULL)
		rc = store_load_snapshot_text(s->store, text, len,
		    STORE_SANITIZE, sync_snapshot_skip, s, cause);
	else
		rc = store_load_snapshot_skip(s->store, msg, STORE_SANITIZE,
		    sync_snapshot_skip, s, cause);
	if (rc != 0) {
		sync_skipq_free(&s->skipq);
		TAILQ_CONCAT(&s->skipq, &old, entry);
		s->nskip = oldn;
		s->nskip_lost = oldlost;
		s->nskip_logged = oldlogged;
		s->st.skipped = s->nskip + s->nskip_lost;
		return (-1);
	}
	sync_skipq_free(&old);
	return (0);
}

/*
 * A large snapshot read from its text one item at a time, so that the
 * console never holds jansson's tree of all of it (ten times the text).
 * Returns 0 when it loaded; -1 when it did not, and the message then goes
 * the usual way, which mends bad strings and says what was wrong.
 */
static int
sync_snapshot_text(struct sync *s, const char *buf, size_t len, int gap)
{
	char	*cause = NULL;

	if (sync_snapshot_load(s, NULL, buf, len, &cause) != 0) {
		log_debug("snapshot of %zu bytes not read item by item: %s",
		    len, cause);
		free(cause);
		return (-1);
	}
	sync_snapshot_loaded(s, gap);
	return (0);
}

/*
 * A snapshot (or a part of one) that cannot be used: say why (cause,
 * freed here, sanitised for the screen) and drop the link, whose next
 * hello asks for a snapshot again.
 */
static void
sync_bad_snapshot(struct sync *s, char *cause, const char *why)
{
	char	*clean;

	clean = sanitize_text(cause, strlen(cause), 0);
	free(cause);
	s->st.bad++;
	sync_say(s, 1, _("bad snapshot from the backend: %s"), clean);
	free(clean);
	sync_drop(s, why);
	sync_status(s);
}

/*
 * A snapshot in parts begins: set the items left out aside, so that the
 * parts collect theirs afresh and a join that fails gives them back.
 */
static void
sync_parts_begin(struct sync *s)
{
	TAILQ_CONCAT(&s->oldskip, &s->skipq, entry);
	s->oldnskip = s->nskip;
	s->oldnskip_lost = s->nskip_lost;
	s->oldnskip_logged = s->nskip_logged;
	s->nskip = s->nskip_lost = s->nskip_logged = 0;
	s->joining = 1;
	s->join_said = 0;
}

/* A snapshot in parts is given up: the state held and its list stay. */
static void
sync_parts_abort(struct sync *s)
{
	snapparts_reset(&s->join);
	if (!s->joining)
		return;
	sync_skipq_free(&s->skipq);
	TAILQ_CONCAT(&s->skipq, &s->oldskip, entry);
	s->nskip = s->oldnskip;
	s->nskip_lost = s->oldnskip_lost;
	s->nskip_logged = s->oldnskip_logged;
	s->st.skipped = s->nskip + s->nskip_lost;
	s->joining = 0;
}

/* Say how far a snapshot in parts is, at most twice a second. */
static void
sync_parts_say(struct sync *s)
{
	int64_t	 now = clock_mono();
	char	*text;

	if (s->join_said != 0 && now - s->join_said < 500)
		return;
	s->join_said = now;
	if (s->hooks.message == NULL || s->stopped)
		return;
	xasprintf(&text, _("loading the state from the backend: part %ld "
	    "of %ld"), s->join.part, s->join.parts);
	s->hooks.message(s->hooks.arg, 0, text);
	free(text);
}

/*
 * One part of a snapshot in parts (docs/protocol.md §4): into the staging
 * store, and at the last one the staging store becomes the state, in one
 * step. A part out of its order, of another seq, or that does not read
 * gives the whole snapshot up and drops the link: the state held stays as
 * it was, and the next hello resumes from it (or asks a snapshot again).
 * Returns 0, or -1 when the link is to go.
 */
static int
sync_snapshot_part(struct sync *s, const char *buf, size_t len,
    const struct snapparts_head *h)
{
	json_t	*snap;
	char	*cause = NULL, *clean, *mended;
	size_t	 mlen, nfixed;
	int	 rc, gap;

	if (h->part == 1 && s->join.st == NULL)
		sync_parts_begin(s);
	/* One bad string costs its item, as in a snapshot in one. */
	mended = sync_mend(buf, len, &mlen, &nfixed);
	rc = snapparts_add(&s->join, mended != NULL ? mended : buf,
	    mended != NULL ? mlen : len, h, STORE_SANITIZE,
	    sync_snapshot_skip, s, &cause);
	free(mended);
	if (rc < 0) {
		sync_parts_abort(s);
		sync_bad_snapshot(s, cause, "bad snapshot part");
		return (-1);
	}
	if (rc == 0) {
		/* Parts keep coming: the snapshot is on its way. */
		if (s->waiting == SYNC_WAIT_SNAPSHOT && !s->stopped)
			sync_arm(s, SYNC_TIMER_DEADLINE, s->snapshot_ms);
		sync_parts_say(s);
		return (0);
	}
	gap = s->join.gap;
	store_replace(s->store, snapparts_take(&s->join));
	sync_skipq_free(&s->oldskip);
	s->joining = 0;
	log_info("snapshot at seq %" PRIu64 " in %ld parts loaded",
	    s->store->seq, h->parts);
	/* The line said "part k of n": say that it is over. */
	if (s->hooks.message != NULL && !s->stopped) {
		xasprintf(&clean, ngettext("the state from the backend is "
		    "loaded (%ld part)", "the state from the backend is "
		    "loaded (%ld parts)", (unsigned long)h->parts), h->parts);
		s->hooks.message(s->hooks.arg, 0, clean);
		free(clean);
	}
	/* A recording holds the snapshot as one message, as ever. */
	if (s->rec != NULL && record_started(s->rec)) {
		snap = store_snapshot(s->store);
		json_object_set_new(snap, "type", json_string("snapshot"));
		json_object_set_new(snap, "gap", json_boolean(gap));
		record_msg(s->rec, "in", snap);
		json_decref(snap);
	}
	sync_snapshot_loaded(s, gap);
	return (0);
}

static void
sync_snapshot(struct sync *s, json_t *msg)
{
	char	*cause = NULL;

	if (sync_snapshot_load(s, msg, NULL, 0, &cause) != 0) {
		sync_bad_snapshot(s, cause, "bad snapshot");
		return;
	}
	sync_snapshot_loaded(s, json_is_true(json_object_get(msg, "gap")));
}

/* After a snapshot loaded: the session goes on from its seq. */
static void
sync_snapshot_loaded(struct sync *s, int gap)
{
	s->st.skipped = s->nskip + s->nskip_lost;
	s->st.bad = 0;
	s->have_state = 1;
	s->snapshot_up = s->up;
	s->fresh = 0;
	if (s->store->seq != s->gap_at)
		s->gaps = 0;
	s->st.stale_since = 0;
	if (s->waiting == SYNC_WAIT_SNAPSHOT) {
		s->waiting = SYNC_WAIT_NONE;
		sync_arm(s, SYNC_TIMER_DEADLINE, -1);
	}
	log_info("snapshot at seq %" PRIu64 ": %zu alerts, %zu units; %zu "
	    "left out", s->store->seq, s->store->nalerts, s->store->nunits,
	    s->st.skipped);
	/*
	 * The old state, the message or the parts and their staging store
	 * are freed, in pieces glibc keeps in its arenas: give them back, so
	 * that a console that loaded a large state holds the state, not the
	 * load's peak (a snapshot comes at a connection, rarely). The
	 * region's idle chunks too (jarena.h): the next event's tree takes
	 * a fresh one, resident only as far as it is used.
	 */
	jarena_trim();
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	if (gap)
		sync_say(s, 1, _("events were lost while offline: the state "
		    "was reloaded (seq %llu)"),
		    (unsigned long long)s->store->seq);
	if (s->st.skipped > 0)
		sync_say(s, 1, ngettext("%zu item from the backend could not "
		    "be read and is not shown (see the log)", "%zu items from "
		    "the backend could not be read and are not shown (see the "
		    "log)", s->st.skipped), s->st.skipped);
	if (s->rec != NULL && !record_started(s->rec))
		record_start(s->rec, s->store, s->welcome, sync_online(s));
	if (s->up && s->welcomed && !s->ready)
		sync_send_outbox(s);
	sync_changed(s);
	sync_status(s);
}

/*
 * A gauge reading the backend held back (we asked for gauge_ms) and sends
 * from its current state, marked "conflated": out of the seq order, so
 * apply the item when it is newer than ours, and leave our seq alone.
 */
static void
sync_conflated(struct sync *s, json_t *msg)
{
	json_t		*item = json_object_get(msg, "item");
	const char	*kind, *id;
	json_int_t	 version;
	char		*cause = NULL;

	kind = json_string_value(json_object_get(msg, "kind"));
	id = json_string_value(json_object_get(item, "id"));
	version = json_integer_value(json_object_get(item, "version"));
	if (id == NULL || version <= (json_int_t)sync_version(s->store, kind,
	    id))
		return;
	if (store_apply_item(s->store, kind, item, STORE_SANITIZE,
	    &cause) != 0) {
		sync_skip_add(s, "conflated reading", kind, item, cause);
		free(cause);
		sync_status(s);
		return;
	}
	sync_skip_remove(s, kind, item);
	sync_changed(s);
}

/*
 * Events are in order, or we have a gap. At the first gap at a seq we
 * resume from it. When the gap comes again at the same seq, the event
 * after it is one we cannot read, and the next hello asks for a fresh
 * snapshot instead, which moves past it. Should the backend's snapshot
 * leave us at that seq and the gap come a third time, we move on to the
 * event that came, and the header keeps counting what we could not read.
 * Returns -1 when the link is to be dropped, 0 to apply this event.
 */
static int
sync_gap(struct sync *s, uint64_t seq)
{
	uint64_t	have = s->store->seq;

	if (s->gaps > 0 && s->gap_at == have)
		s->gaps++;
	else {
		s->gap_at = have;
		s->gaps = 1;
	}
	if (s->gaps > SYNC_GAP_TRIES) {
		sync_say(s, 1, _("events %llu to %llu could not be read, "
		    "even after a fresh snapshot: skipped"),
		    (unsigned long long)have + 1,
		    (unsigned long long)seq - 1);
		s->gaps = 0;
		return (0);
	}
	if (s->gaps == SYNC_GAP_TRIES) {
		s->fresh = 1;
		sync_say(s, 1, _("the events after %llu could not be read "
		    "twice: reloading the whole state"),
		    (unsigned long long)have);
	} else
		sync_say(s, 1, _("events missed (have %llu, got %llu): "
		    "resuming"), (unsigned long long)have,
		    (unsigned long long)seq);
	sync_drop(s, "gap");
	return (-1);
}

/*
 * The first event applied on a link is logged once, with its seq: the
 * moment the console is live again after a failover (make ha-check and
 * make bench time a gateway's death to this line on another gateway).
 */
static void
sync_live(struct sync *s, uint64_t seq)
{
	if (s->live)
		return;
	s->live = 1;
	log_info("live: event %" PRIu64 ", the first on this link", seq);
}

static int
sync_event(struct sync *s, json_t *msg)
{
	uint64_t	 seq;
	json_t		*prev, *item = json_object_get(msg, "item");
	const char	*kind = json_string_value(json_object_get(msg, "kind"));
	char		*cause = NULL, *clean;

	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	if (!s->have_state) {
		log_warn("event %" PRIu64 " before any snapshot; ignored",
		    seq);
		return (0);
	}
	if (json_is_true(json_object_get(msg, "conflated"))) {
		sync_conflated(s, msg);
		return (0);
	}
	if (seq <= s->store->seq) {
		log_debug("event %" PRIu64 " again; ignored", seq);
		return (0);
	}
	/* "prev": the backend left events out for us (areas, gauge_ms). */
	prev = json_object_get(msg, "prev");
	if ((prev != NULL ? (uint64_t)json_integer_value(prev) !=
	    s->store->seq : seq != s->store->seq + 1) &&
	    sync_gap(s, seq) != 0)
		return (-1);
	if (store_apply_event(s->store, msg, STORE_SANITIZE, &cause) != 0) {
		/*
		 * It came in order and we read it, but its item does not
		 * decode: move past it (this is the event the backend sent
		 * for seq) and remember the item as left out.
		 */
		clean = sanitize_text(cause, strlen(cause), 0);
		sync_say(s, 1, _("bad event %llu skipped: %s"),
		    (unsigned long long)seq, clean);
		sync_skip_add(s, "event", kind, item, clean);
		free(clean);
		free(cause);
		s->store->seq = seq;
		sync_status(s);
		return (0);
	}
	sync_skip_remove(s, kind, item);
	sync_live(s, seq);
	sync_changed(s);
	return (0);
}

static struct sync_pending *
sync_find_pending(struct sync *s, const char *id)
{
	struct sync_pending	*p;

	TAILQ_FOREACH(p, &s->pending, entry) {
		if (strcmp(p->id, id) == 0)
			return (p);
	}
	return (NULL);
}

/* Report a result: through the result hook, else on the message line. */
static void
sync_report(struct sync *s, const struct sync_result *r)
{
	if (s->stopped)
		return;
	if (s->hooks.result != NULL) {
		s->hooks.result(s->hooks.arg, r);
		return;
	}
	if (r->ok)
		sync_say(s, 0, "%s %s%s%s", SYNC_OK(s), r->summary,
		    r->message != NULL ? " " : "", r->message != NULL ?
		    r->message : "");
	else
		sync_say(s, 1, "%s %s: %s", SYNC_FAIL(s), r->summary,
		    r->message);
}

/*
 * Compare the backend's digest with ours. Ours covers what the store
 * holds; when items were left out, the two differ and the result says
 * how many, so a mismatch is explained, never hidden.
 */
static void
sync_digest_result(struct sync *s, json_t *msg, struct sync_result *r)
{
	const char	*theirs;
	char		 ours[17], *text = NULL, note[96];
	uint64_t	 seq;

	theirs = json_string_value(json_object_get(msg, "digest"));
	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	store_digest(s->store, ours);
	note[0] = '\0';
	if (s->st.skipped > 0 || s->st.bad > 0)
		snprintf(note, sizeof note, ngettext("; the console left out "
		    "%zu item", "; the console left out %zu items",
		    s->st.skipped), s->st.skipped);
	if (s->st.bad > 0)
		snprintf(note + strlen(note), sizeof note - strlen(note),
		    ngettext(" and %llu message", " and %llu messages",
		    s->st.bad), (unsigned long long)s->st.bad);
	r->ok = 0;
	r->code = "digest_differs";
	if (theirs == NULL) {
		r->code = "bad_message";
		text = xstrdup(_("no digest in the result"));
	} else if (seq != s->store->seq)
		xasprintf(&text, _("backend at seq %llu, console at %llu%s"),
		    (unsigned long long)seq,
		    (unsigned long long)s->store->seq, note);
	else if (strcmp(theirs, ours) != 0)
		xasprintf(&text, _("differs at seq %llu: backend %.16s, "
		    "console %s%s"), (unsigned long long)seq, theirs, ours,
		    note);
	else {
		r->ok = 1;
		r->code = NULL;
		xasprintf(&text, "%s (seq %" PRIu64 ")%s", ours, seq, note);
	}
	/* In the log too, in words that do not change with the language:
	 * make ha-check reads every console's there. */
	log_info("digest check: %s at seq %" PRIu64 ": backend %.16s, "
	    "console %s at seq %" PRIu64, r->ok ? "equal" : r->code, seq,
	    theirs != NULL ? theirs : "none", ours, s->store->seq);
	r->message = text;
	sync_report(s, r);
	free(text);
}

static void
sync_result(struct sync *s, json_t *msg)
{
	struct sync_pending	*p;
	struct outbox_entry	*e;
	struct sync_result	 r;
	const char		*id, *text, *item;
	char			*clean = NULL, *code = NULL, *said;

	id = json_string_value(json_object_get(msg, "id"));
	memset(&r, 0, sizeof r);
	r.id = id;
	r.ok = json_is_true(json_object_get(msg, "ok"));
	if (!r.ok) {
		text = json_string_value(json_object_get(msg, "code"));
		code = sanitize_text(text, strlen(text), 0);
		r.code = code;
		text = json_string_value(json_object_get(msg, "message"));
		if (text == NULL)
			text = "";
		clean = sanitize_text(text, strlen(text), 0);
		/* A reason the console knows: said in the officer's
		 * language from its arguments (console/reasons.c). */
		if ((said = reasons_message(json_string_value(
		    json_object_get(msg, "reason")), json_object_get(msg,
		    "args"))) != NULL) {
			free(clean);
			clean = said;
		}
		r.message = clean;
	}
	if ((e = outbox_find(s->outbox, id)) != NULL && !r.ok &&
	    strcmp(r.code, "rate_limited") == 0) {
		sync_throttle(s, e);
		sync_status(s);
	} else if (e != NULL) {
		/* The new item's id too (inject): make ha-check finds in
		 * the state every item a console was told was made. */
		item = json_string_value(json_object_get(msg, "item"));
		log_info("result %s: %s%s%s", id, r.ok ? "ok" : r.code,
		    r.ok && item != NULL ? ", item " : "",
		    r.ok && item != NULL ? item : "");
		r.cmd = e->cmd;
		r.summary = e->summary;
		r.sent = outbox_entry_msg(e);
		sync_report(s, &r);
		if (r.ok)
			sync_rebase(s, e);
		outbox_done(s->outbox, id);
		sync_pump(s);
		sync_status(s);
	} else if ((p = sync_find_pending(s, id)) != NULL) {
		TAILQ_REMOVE(&s->pending, p, entry);
		r.cmd = p->cmd;
		r.summary = p->summary;
		r.sent = NULL;
		if (strcmp(p->cmd, "finished") == 0) {
			sync_finished_result(s, msg, r.ok);
			if (!r.ok)
				sync_report(s, &r);
		} else if (r.ok && strcmp(p->cmd, "digest") == 0)
			sync_digest_result(s, msg, &r);
		else if (r.ok && strcmp(p->cmd, "archive") == 0)
			sync_archive_result(s, msg, &r);
		else
			sync_report(s, &r);
		sync_pending_free(p);
	} else
		log_debug("result for %s: not ours or answered", id);
	free(clean);
	free(code);
}

/*
 * A district relay says in presence whether the province is behind it
 * ("upstream", docs/relay.md): while it is "down" the replica is stale
 * though the link is up, since the time the relay says (or now).
 */
static void
sync_upstream(struct sync *s, json_t *msg)
{
	const char	*up;
	json_t		*since;

	up = json_string_value(json_object_get(msg, "upstream"));
	if (up != NULL && strcmp(up, "down") == 0) {
		if (!s->st.upstream_down)
			log_info("the relay lost the province: stale");
		s->st.upstream_down = 1;
		since = json_object_get(msg, "stale_since");
		if (s->st.stale_since == 0)
			s->st.stale_since = json_is_integer(since) &&
			    json_integer_value(since) > 0 ?
			    json_integer_value(since) : clock_now();
	} else if (s->st.upstream_down) {
		log_info("the relay has the province again");
		s->st.upstream_down = 0;
		if (s->st.link == SYNC_LINK_CONNECTED)
			s->st.stale_since = 0;
	}
}

/*
 * Who is connected: keep the others (not ourselves) for the header, as
 * "lan, minh (observer)" (names sanitised; the role when it is not
 * operator or supervisor).
 */
static void
sync_presence(struct sync *s, json_t *msg)
{
	json_t		*arr = json_object_get(msg, "operators"), *o;
	const char	*name, *role;
	char		 clean[64], buf[sizeof s->st.presence];
	size_t		 i, len = 0;
	int		 n = 0;

	buf[0] = '\0';
	json_array_foreach(arr, i, o) {
		name = json_string_value(json_object_get(o, "name"));
		role = json_string_value(json_object_get(o, "role"));
		sanitize_into(clean, sizeof clean, name, strlen(name), 0);
		if (strcmp(clean, s->st.operator) == 0)
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
	snprintf(s->st.presence, sizeof s->st.presence, "%s", buf);
	s->st.npresence = n;
	sync_upstream(s, msg);
	log_info("presence: %d other%s%s%s", n, n == 1 ? "" : "s",
	    n > 0 ? ": " : "", buf);
	sync_status(s);
}

/* A string member of o, sanitised (allocated; "?" when missing). */
static char *
sync_member(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_string(v))
		return (xstrdup("?"));
	return (sanitize_text(json_string_value(v), json_string_length(v),
	    0));
}

/*
 * An error from the backend, in the officer's language when its reason
 * is one we know (console/reasons.c), else as the backend put it. One that
 * refuses the session (the token's sessions are all in use) says so and
 * stays on the message line while the link closes and comes back.
 */
static void
sync_error(struct sync *s, json_t *msg)
{
	char	*code, *text;

	code = sync_member(msg, "code");
	/* Sanitised already, argument by argument. */
	if ((text = reasons_message(json_string_value(json_object_get(msg,
	    "reason")), json_object_get(msg, "args"))) == NULL)
		text = sync_member(msg, "message");
	if (strcmp(code, "too_many_sessions") == 0) {
		sync_say(s, 1, _("the backend refused this session: %s; this "
		    "console gets in at a next try once one of them ends"),
		    text);
		s->quiet_down = 1;
	} else
		sync_say(s, 1, _("backend: %s: %s"), code, text);
	free(text);
	free(code);
}

/* ==== Following a trainee ==== */

/*
 * Follow the trainee name (--follow; NULL or "": nobody): the next hello
 * asks for it, and the backend sends what the trainee does.
 */
void
sync_set_follow(struct sync *s, const char *name)
{
	memset(&s->follow, 0, sizeof s->follow);
	if (name != NULL)
		snprintf(s->follow.name, sizeof s->follow.name, "%s", name);
}

/* A string member of o, sanitised into buf. */
static const char *
sync_clean(json_t *o, const char *key, char *buf, size_t sz)
{
	const char	*v = json_string_value(json_object_get(o, key));

	if (v == NULL)
		v = "";
	sanitize_into(buf, sz, v, strlen(v), 0);
	return (buf);
}

/*
 * The trainee sent a command: a line with its time, result and what it
 * named ("10:32:05 ✓ ack A-0009"; "✗ ack A-0009: bad_state"), oldest
 * lines dropped.
 */
static void
sync_follow(struct sync *s, json_t *msg)
{
	struct follow_view	*f = &s->follow;
	json_t			*args, *v;
	const char		*key;
	char			 hms[16], cmd[32], what[96], code[32], val[40];
	size_t			 len = 0;
	int			 ok = json_is_true(json_object_get(msg, "ok"));

	clock_hms(json_integer_value(json_object_get(msg, "ts")),
	    s->store->utc_offset_min, hms, sizeof hms);
	sync_clean(msg, "cmd", cmd, sizeof cmd);
	what[0] = '\0';
	args = json_object_get(msg, "args");
	json_object_foreach(args, key, v) {
		if (strcmp(key, "version") == 0 || len >= sizeof what)
			continue;
		if (json_is_string(v))
			sanitize_into(val, sizeof val, json_string_value(v),
			    json_string_length(v), 0);
		else if (json_is_array(v) && json_is_string(json_array_get(v,
		    0)))
			sanitize_into(val, sizeof val, json_string_value(
			    json_array_get(v, 0)), json_string_length(
			    json_array_get(v, 0)), 0);
		else
			continue;
		len += (size_t)snprintf(what + len, sizeof what - len, " %s",
		    val);
	}
	if (f->nlines == FOLLOW_LINES) {
		memmove(f->lines[0], f->lines[1], (FOLLOW_LINES - 1) *
		    sizeof f->lines[0]);
		f->nlines--;
	}
	if (ok)
		snprintf(f->lines[f->nlines], sizeof f->lines[0], "%s %s %s%s",
		    hms, s->ascii ? "+" : "✓", cmd, what);
	else
		snprintf(f->lines[f->nlines], sizeof f->lines[0],
		    "%s %s %s%s: %s", hms, s->ascii ? "x" : "✗", cmd, what,
		    sync_clean(msg, "code", code, sizeof code));
	f->nlines++;
	f->gen++;
	log_info("follow: %s", f->lines[f->nlines - 1]);
	sync_status(s);
}

/* The drill's state for the trainee: a title line, one per expectation. */
static void
sync_drill(struct sync *s, json_t *msg)
{
	static const char *const states[] = { "pending", "met", "missed" };
	struct follow_view	*f = &s->follow;
	json_t			*arr = json_object_get(msg, "expectations"), *e;
	char			 title[96], id[40], text[96], st[16], t[32];
	size_t			 i;
	int			 k;
	json_int_t		 n;

	snprintf(f->drill, sizeof f->drill, _("%s: %d/%d points (pass %d) · "
	    "%lld/%lld s"), sync_clean(msg, "title", title, sizeof title),
	    (int)json_integer_value(json_object_get(msg, "score")),
	    (int)json_integer_value(json_object_get(msg, "max")),
	    (int)json_integer_value(json_object_get(msg, "pass")),
	    (long long)json_integer_value(json_object_get(msg, "elapsed_s")),
	    (long long)json_integer_value(json_object_get(msg,
	    "duration_s")));
	f->nexpect = 0;
	json_array_foreach(arr, i, e) {
		if (f->nexpect == FOLLOW_EXPECT)
			break;
		sync_clean(e, "state", st, sizeof st);
		for (k = 0; k < 3; k++) {
			if (strcmp(st, states[k]) == 0)
				break;
		}
		if (k == 1) {
			n = json_integer_value(json_object_get(e, "after_s"));
			snprintf(t, sizeof t, _("met after %llds"),
			    (long long)n);
		} else if (k == 2)
			snprintf(t, sizeof t, "%s", _("missed"));
		else {
			n = json_integer_value(json_object_get(e, "left_s"));
			if (n < 0)
				snprintf(t, sizeof t, "%s", _("not yet"));
			else
				snprintf(t, sizeof t, _("%llds left"),
				    (long long)n);
		}
		snprintf(f->expect[f->nexpect++], sizeof f->expect[0],
		    "%s %-16s %3d  %-14s %s", k == 1 ? (s->ascii ? "+" : "✓") :
		    k == 2 ? (s->ascii ? "x" : "✗") : (s->ascii ? "." : "…"),
		    sync_clean(e, "id", id, sizeof id),
		    (int)json_integer_value(json_object_get(e, "points")), t,
		    sync_clean(e, "text", text, sizeof text));
	}
	f->gen++;
	sync_status(s);
}

/*
 * A batch: its events, in order, exactly as if each had come alone (and
 * recorded alone, so a recording holds the same lines either way). An
 * element we cannot read costs itself, as a lone unreadable event does:
 * the next one is then a gap.
 */
static void
sync_batch(struct sync *s, json_t *msg)
{
	json_t	*ev;
	size_t	 i;
	char	*cause = NULL;

	json_array_foreach(json_object_get(msg, "events"), i, ev) {
		if (s->dropping)
			break;
		if (proto_check_event(ev, &cause) != 0) {
			sync_bad(s, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		record_msg(s->rec, "in", ev);
		sync_event(s, ev);
	}
}

/*
 * The host got a message it cannot hand over (too large, binary): count
 * it as one we could not read, and show text (the host's words).
 */
void
sync_unreadable(struct sync *s, const char *text)
{
	sync_alive(s);			/* Unreadable, but it came. */
	s->st.bad++;
	sync_say(s, 1, "%s", text);
	sync_status(s);
}

/*
 * Handle one whole inbound message of len bytes. Bad messages are counted,
 * logged and shown, never fatal. Returns 0, or -1 when the sync asked the
 * host to drop the link (a gap, a bad snapshot); messages that come after
 * that, until sync_down(), are ignored.
 */
int
sync_receive(struct sync *s, const char *buf, size_t len)
{
	struct snapparts_head	 h;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg;
	char		*cause = NULL, *mended;
	size_t		 mlen, nfixed;
	int		 rv = 0;

	if (s->dropping)
		return (-1);
	sync_alive(s);
	s->nrx++;
	/*
	 * A large snapshot item by item (unless it is to be recorded), and
	 * a part of a snapshot in parts always (sync_snapshot_part()).
	 */
	if (len >= SYNC_STREAM_MIN && len <= PROTO_MAX_DOWN_FRAME) {
		switch (snapparts_peek(buf, len, &h)) {
		case SNAPPARTS_PART:
			return (sync_snapshot_part(s, buf, len, &h));
		case SNAPPARTS_WHOLE:
			if ((s->rec == NULL || !record_started(s->rec)) &&
			    sync_snapshot_text(s, buf, len, h.gap) == 0)
				return (0);
			break;
		default:
			break;
		}
	}
	/* The message's tree in the region (jarena.h): it goes whole below. */
	jarena_begin();
	msg = proto_parse(buf, len, &type, &err, &cause);
	jarena_end();
	if (msg == NULL &&
	    (mended = sync_mend(buf, len, &mlen, &nfixed)) != NULL) {
		free(cause);
		cause = NULL;
		jarena_begin();
		msg = proto_parse(mended, mlen, &type, &err, &cause);
		jarena_end();
		free(mended);
		if (msg != NULL)
			log_warn("message %" PRIu64 " from the backend: %zu "
			    "bad string character%s (NUL, lone surrogate, "
			    "control, invalid UTF-8) read as U+FFFD", s->nrx,
			    nfixed, nfixed == 1 ? "" : "s");
	}
	if (msg == NULL) {
		sync_bad(s, cause);
		free(cause);
		return (0);
	}
	/* A small part of a snapshot in parts, or a bad one. */
	if (type == PROTO_SNAPSHOT && (json_object_get(msg, "part") != NULL ||
	    json_object_get(msg, "parts") != NULL)) {
		json_decref(msg);
		if (snapparts_peek(buf, len, &h) == SNAPPARTS_PART)
			return (sync_snapshot_part(s, buf, len, &h));
		sync_parts_abort(s);
		s->st.bad++;
		sync_say(s, 1, _("bad snapshot from the backend: %s"),
		    "part, parts or seq");
		sync_drop(s, "bad snapshot part");
		sync_status(s);
		return (-1);
	}
	/* A beat changes nothing: a recording does without them; a batch
	 * is recorded as its events, one by one. */
	if (type != PROTO_BEAT && type != PROTO_BATCH)
		record_msg(s->rec, "in", msg);
	switch (type) {
	case PROTO_WELCOME:
		sync_welcome(s, msg);
		break;
	case PROTO_SNAPSHOT:
		sync_snapshot(s, msg);
		break;
	case PROTO_EVENT:
		sync_event(s, msg);
		break;
	case PROTO_BATCH:
		sync_batch(s, msg);
		break;
	case PROTO_RESULT:
		sync_result(s, msg);
		break;
	case PROTO_PRESENCE:
		sync_presence(s, msg);
		break;
	case PROTO_FOLLOW:
		sync_follow(s, msg);
		break;
	case PROTO_DRILL:
		sync_drill(s, msg);
		break;
	case PROTO_ERROR:
		sync_error(s, msg);
		break;
	case PROTO_BEAT:
		break;			/* It came: sync_alive() saw it. */
	default:
		sync_say(s, 1, _("unexpected %s message from the backend"),
		    proto_type_names[type]);
		break;
	}
	json_decref(msg);
	if (s->dropping)
		rv = -1;
	return (rv);
}

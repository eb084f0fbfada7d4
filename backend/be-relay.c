/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A district relay's link to the province (docs/relay.md).
 *
 * The relay is the backend with its state fed from upstream instead of
 * its engine: one websocket client on the server's own lws loop, which
 * says hello like a console (batch, history deltas, resume from the last
 * seq it holds, gauge_ms when asked, snapshots in parts) with the relay's
 * token, loads the province's snapshot into the state (a large one in
 * parts, into a staging store that becomes the state at the last part:
 * core/snapparts.c; a link lost mid-way leaves the state as it was) and
 * hands every event to
 * be_state_ingest(), which retains it and broadcasts it in the province's
 * numbering. Everything a local console sees (snapshots, resumes from the
 * ring, digests, presence) is the server's usual work on that state.
 *
 * Commands: the server hands a local console's command here
 * (be_relay_forward()); it goes up as sent, with "act_as" the officer's
 * name, and its result comes back to that console only (by the client's
 * serial, remembered under the command id). While the province is out of
 * reach a command is refused with relay_offline (code rate_limited): the
 * console keeps it in its own durable outbox and sends it again, and the
 * province's idempotency answers a repeat of one it had applied. A
 * command up when the link drops gets the same answer, for the same
 * reason.
 *
 * The link: a dial has lws's connect and handshake deadlines; failures in
 * a row back off from 250 ms doubling to 32 s; a link up for 10 s starts
 * again from 250 ms. The hello asks for beats (docs/protocol.md): a
 * province that says beat_ms in its welcome is never silent for that
 * long, so BE_RELAY_BEAT_MISSES of them without a byte mean it is dead
 * or the path to it hangs (a SIGSTOPped backend, a tunnel whose far end
 * stopped answering), whatever TCP says, and the link is dropped and
 * dialled again (be_relay_watchdog()). Under that, for a province
 * without beats, lws pings it after BE_RELAY_PING_S of silence and drops
 * the link after BE_RELAY_HANGUP_S. While it is down
 * the consoles are told in presence ("upstream":"down", "stale_since").
 * A gap in the province's seq order, or an event the state cannot take,
 * drops the link; the next hello resumes (or, after an event the state
 * refused, asks a fresh snapshot).
 */

#include "be-relay.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <linux/tcp.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "be-cmd.h"
#include "be-server.h"
#include "be-state.h"
#include "clock.h"
#include "engine.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "proto.h"
#include "snapparts.h"
#include "store.h"
#include "xmalloc.h"

#define BE_RELAY_STEADY_MS	10000	/* Up this long: backoff restarts. */

struct be_relay_out {
	unsigned char		*buf;	/* LWS_PRE headroom, then the text. */
	size_t			 len;
	TAILQ_ENTRY(be_relay_out) entry;
};

/* A command up, not answered: whose it is. */
struct be_relay_pending {
	char			 id[PROTO_CMD_ID_MAX + 1];
	uint64_t		 serial;	/* The local client's. */
	char			 cmd[32];
	TAILQ_ENTRY(be_relay_pending) entry;
};

struct be_relay {
	struct be_state		*st;		/* Borrowed. */
	struct be_server	*srv;		/* Borrowed; NULL: not yet. */
	struct lws_context	*ctx;

	char			*url;
	char			*host, *path;
	int			 port, tls;
	char			*token;		/* NULL: none. */
	int			 gauge_ms;

	struct lws		*wsi;
	int			 dialing;
	int			 established;
	int			 online;	/* State in step with it. */
	int			 fresh;		/* Next hello: no resume. */
	int			 resuming;	/* This hello asked to resume. */
	int			 stopping;
	int64_t			 up_at;		/* clock_mono() of the upgrade. */
	int64_t			 beat_ms;	/* From the welcome; 0: none. */
	int64_t			 rx_mono;	/* Last byte (clock_mono()). */
	const char		*drop_why;	/* We dropped it: why. */
	lws_sorted_usec_list_t	 sul_beat;
	uint16_t		 retry_count;
	uint32_t		 backoff_ms[BE_RELAY_BACKOFF_STEPS];
	lws_retry_bo_t		 retry;
	lws_sorted_usec_list_t	 sul;

	TAILQ_HEAD(, be_relay_out) outq;
	unsigned char		*inflight;
	char			*rx;
	size_t			 rxlen, rxcap;
	int			 rx_skip;
	struct snapparts_join	 join;		/* A snapshot in parts. */

	TAILQ_HEAD(, be_relay_pending) pending;
	size_t			 npending;

	uint64_t		 links;		/* Upgrades so far. */
	uint64_t		 bytes_done;	/* Of links gone. */
};

static int	be_relay_cb(struct lws *, enum lws_callback_reasons, void *,
		    void *, size_t);

static const struct lws_protocols be_relay_protos[] = {
	{ BE_RELAY_PROTOCOL, be_relay_cb, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * The lws protocols the server runs for the relay on its loop.
 */
const struct lws_protocols *
be_relay_protocols(void)
{
	return (be_relay_protos);
}

/*
 * A relay for the province at opts->url. Returns it, or NULL with *cause
 * set (caller frees). It dials once be_relay_start() gave it the server.
 */
struct be_relay *
be_relay_new(struct be_state *st, const struct be_relay_opts *opts,
    char **cause)
{
	struct be_relay	*r;
	const char	*prot, *ads, *p;
	char		*copy;
	size_t		 i;

	copy = xstrdup(opts->url);
	r = xcalloc(1, sizeof *r);
	if (lws_parse_uri(copy, &prot, &ads, &r->port, &p) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0) ||
	    *ads == '\0' || r->port <= 0 || r->port > 65535) {
		xasprintf(cause, "--relay: not a ws:// or wss:// URL: %s",
		    opts->url);
		free(copy);
		free(r);
		return (NULL);
	}
	r->tls = strcmp(prot, "wss") == 0;
	r->host = xstrdup(ads);
	xasprintf(&r->path, "/%s", p);
	free(copy);
	r->st = st;
	r->url = xstrdup(opts->url);
	r->token = opts->token != NULL ? xstrdup(opts->token) : NULL;
	r->gauge_ms = opts->gauge_ms;
	for (i = 0; i < BE_RELAY_BACKOFF_STEPS; i++)
		r->backoff_ms[i] = 250u << i;
	r->retry.retry_ms_table = r->backoff_ms;
	r->retry.retry_ms_table_count = BE_RELAY_BACKOFF_STEPS;
	r->retry.conceal_count = LWS_RETRY_CONCEAL_ALWAYS;
	r->retry.secs_since_valid_ping = BE_RELAY_PING_S;
	r->retry.secs_since_valid_hangup = BE_RELAY_HANGUP_S;
	r->retry.jitter_percent = 20;
	TAILQ_INIT(&r->outq);
	TAILQ_INIT(&r->pending);
	return (r);
}

static void
be_relay_drop_outq(struct be_relay *r)
{
	struct be_relay_out	*o;

	while ((o = TAILQ_FIRST(&r->outq)) != NULL) {
		TAILQ_REMOVE(&r->outq, o, entry);
		free(o->buf);
		free(o);
	}
	free(r->inflight);
	r->inflight = NULL;
}

/*
 * Free the relay (after the server, whose context ran its link). NULL is
 * a no-op.
 */
void
be_relay_free(struct be_relay *r)
{
	struct be_relay_pending	*p;

	if (r == NULL)
		return;
	be_relay_drop_outq(r);
	snapparts_reset(&r->join);
	while ((p = TAILQ_FIRST(&r->pending)) != NULL) {
		TAILQ_REMOVE(&r->pending, p, entry);
		free(p);
	}
	if (r->token != NULL)
		explicit_bzero(r->token, strlen(r->token));
	free(r->token);
	free(r->rx);
	free(r->url);
	free(r->host);
	free(r->path);
	free(r);
}

/* TCP bytes received on the link now up, from the kernel. */
static uint64_t
be_relay_link_bytes(const struct be_relay *r)
{
	struct tcp_info	ti;
	socklen_t	len = sizeof ti;
	int		fd;

	if (r->wsi == NULL || !r->established ||
	    (fd = lws_get_socket_fd(r->wsi)) < 0 ||
	    getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return (0);
	return (ti.tcpi_bytes_received);
}

/*
 * TCP bytes received from the province since start, all links.
 */
uint64_t
be_relay_bytes(const struct be_relay *r)
{
	return (r->bytes_done + be_relay_link_bytes(r));
}

/*
 * 1 when the state is in step with the province (commands may go up).
 */
int
be_relay_online(const struct be_relay *r)
{
	return (r->online);
}

static void
be_relay_send(struct be_relay *r, json_t *j)
{
	struct be_relay_out	*o;
	char			*text;

	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (text == NULL)
		fatalx("%s: cannot serialise", __func__);
	o = xcalloc(1, sizeof *o);
	o->len = strlen(text);
	o->buf = xmalloc(LWS_PRE + o->len + 1);
	memcpy(o->buf + LWS_PRE, text, o->len + 1);
	free(text);
	TAILQ_INSERT_TAIL(&r->outq, o, entry);
	if (r->wsi != NULL && r->established)
		lws_callback_on_writable(r->wsi);
}

/* Answer every command up with relay_offline: it goes again later. */
static void
be_relay_fail_pending(struct be_relay *r)
{
	struct be_relay_pending	*p;

	while ((p = TAILQ_FIRST(&r->pending)) != NULL) {
		TAILQ_REMOVE(&r->pending, p, entry);
		r->npending--;
		if (r->srv != NULL)
			be_server_deliver(r->srv, p->serial, be_cmd_refuse(
			    p->id, ENGINE_R_RELAY_OFFLINE, "cmd", p->cmd));
		free(p);
	}
}

static void	be_relay_dial_cb(lws_sorted_usec_list_t *);

/* The link is gone (or never came): tell the consoles, dial again. */
static void
be_relay_down(struct be_relay *r, const char *why)
{
	uint32_t	ms;

	if (r->drop_why != NULL)
		why = r->drop_why;
	r->drop_why = NULL;
	r->beat_ms = 0;
	if (r->ctx != NULL)
		lws_sul_cancel(&r->sul_beat);

	if (r->established && r->up_at != 0 &&
	    clock_mono() - r->up_at >= BE_RELAY_STEADY_MS)
		r->retry_count = 0;
	r->bytes_done += be_relay_link_bytes(r);
	if (r->established || r->dialing)
		log_info("upstream %s: %s", r->url, why != NULL ? why :
		    "down");
	r->wsi = NULL;
	r->dialing = 0;
	r->established = 0;
	r->online = 0;
	r->rxlen = 0;
	r->rx_skip = 0;
	snapparts_reset(&r->join);
	be_relay_drop_outq(r);
	/* Stopping: the server is going, with its clients. */
	if (r->stopping)
		return;
	be_relay_fail_pending(r);
	be_server_set_stale(r->srv, clock_now());
	ms = r->backoff_ms[r->retry_count < BE_RELAY_BACKOFF_STEPS ?
	    r->retry_count : BE_RELAY_BACKOFF_STEPS - 1];
	ms += (uint32_t)((uint64_t)ms * (uint64_t)(random() % 21) / 100);
	if (r->retry_count < UINT16_MAX)
		r->retry_count++;
	lws_sul_schedule(r->ctx, 0, &r->sul, be_relay_dial_cb,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

static void
be_relay_dial_cb(lws_sorted_usec_list_t *sul)
{
	struct be_relay			*r;
	struct lws_client_connect_info	 i;

	r = lws_container_of(sul, struct be_relay, sul);
	if (r->stopping || r->dialing || r->established)
		return;
	memset(&i, 0, sizeof i);
	i.context = r->ctx;
	i.address = r->host;
	i.port = r->port;
	i.path = r->path;
	i.host = r->host;
	i.origin = r->host;
	i.protocol = PROTO_SUBPROTOCOL;
	i.local_protocol_name = BE_RELAY_PROTOCOL;
	i.ssl_connection = r->tls ? LCCSCF_USE_SSL : 0;
	i.retry_and_idle_policy = &r->retry;
	i.opaque_user_data = r;
	r->dialing = 1;
	log_info("upstream: dialing %s", r->url);
	if ((r->wsi = lws_client_connect_via_info(&i)) == NULL)
		be_relay_down(r, "cannot start a connection");
}

/*
 * Dial the province on the server's loop; local consoles are served
 * (marked stale) until the state is in step.
 */
void
be_relay_start(struct be_relay *r, struct be_server *srv)
{
	r->srv = srv;
	r->ctx = be_server_context(srv);
	be_server_set_stale(srv, clock_now());
	lws_sul_schedule(r->ctx, 0, &r->sul, be_relay_dial_cb, 1);
}

/*
 * Stop dialing (the loop is about to end).
 */
void
be_relay_stop(struct be_relay *r)
{
	r->stopping = 1;
	if (r->ctx != NULL) {
		lws_sul_cancel(&r->sul);
		lws_sul_cancel(&r->sul_beat);
	}
}

/*
 * The beat watchdog: BE_RELAY_BEAT_MISSES beats without a byte from the
 * province and the link is dropped (lws kills it on its next turn; its
 * close brings be_relay_down(), which says why and dials again).
 */
static void
be_relay_watchdog_cb(lws_sorted_usec_list_t *sul)
{
	struct be_relay	*r;
	int64_t		 limit, left;

	r = lws_container_of(sul, struct be_relay, sul_beat);
	if (!r->established || r->wsi == NULL || r->beat_ms == 0 ||
	    r->drop_why != NULL)
		return;
	limit = r->beat_ms * BE_RELAY_BEAT_MISSES;
	if ((left = r->rx_mono + limit - clock_mono()) > 0) {
		lws_sul_schedule(r->ctx, 0, &r->sul_beat, be_relay_watchdog_cb,
		    (lws_usec_t)left * LWS_US_PER_MS);
		return;
	}
	log_warn("upstream %s: nothing for %" PRId64 " ms (%d beats): "
	    "dropping the link", r->url, limit, BE_RELAY_BEAT_MISSES);
	r->drop_why = "no beat";
	lws_set_timeout(r->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void	be_relay_in_step(struct be_relay *, const char *);

/* The welcome: a province that sends beats is timed by them. */
static void
be_relay_welcome(struct be_relay *r, json_t *msg)
{
	r->beat_ms = json_integer_value(json_object_get(msg, "beat_ms"));
	if (r->beat_ms < 0)
		r->beat_ms = 0;
	log_info("upstream: welcome, province at seq %" JSON_INTEGER_FORMAT
	    "; beats %s%" PRId64 "%s", json_integer_value(json_object_get(msg,
	    "seq")), r->beat_ms > 0 ? "every " : "", r->beat_ms,
	    r->beat_ms > 0 ? " ms" : " (none)");
	if (r->beat_ms > 0)
		lws_sul_schedule(r->ctx, 0, &r->sul_beat, be_relay_watchdog_cb,
		    (lws_usec_t)(r->beat_ms * BE_RELAY_BEAT_MISSES) *
		    LWS_US_PER_MS);
	/*
	 * A resume that missed nothing gets no event to say so: the state
	 * is in step now (a quiet province would otherwise leave the
	 * consoles stale until its next event).
	 */
	if (r->resuming && (uint64_t)json_integer_value(json_object_get(msg,
	    "seq")) == r->st->store->seq)
		be_relay_in_step(r, "resumed, nothing missed");
}

static void
be_relay_hello(struct be_relay *r)
{
	json_t	*h;

	h = json_pack("{s:s s:i s:s s:b s:b s:b s:b}", "type", "hello",
	    "proto", PROTO_VERSION, "client", "trucban-relay " TRUCBAN_VERSION,
	    "batch", 1, "history_delta", 1, "beat", 1, "snapshot_parts", 1);
	r->resuming = r->st->store->seq > 0 && !r->fresh;
	if (r->resuming)
		json_object_set_new(h, "resume",
		    json_integer((json_int_t)r->st->store->seq));
	if (r->gauge_ms > 0)
		json_object_set_new(h, "gauge_ms", json_integer(r->gauge_ms));
	r->fresh = 0;
	be_relay_send(r, h);
}

static void
be_relay_in_step(struct be_relay *r, const char *how)
{
	if (!r->online)
		log_info("upstream: in step at seq %" PRIu64 " (%s)",
		    r->st->store->seq, how);
	r->online = 1;
	be_server_set_stale(r->srv, 0);
}

/*
 * One of the province's events (borrowed; text its own bytes, or NULL in
 * a batch). Returns 0, or -1 to drop the link (a gap: resume).
 */
static int
be_relay_event(struct be_relay *r, json_t *ev, const char *text, size_t len)
{
	json_int_t	 seq, prev;
	json_t		*pv;
	uint64_t	 last = r->st->store->seq;
	char		*cause = NULL;

	if (json_is_true(json_object_get(ev, "conflated"))) {
		be_state_conflated(r->st, ev, text, len);
		return (0);
	}
	seq = json_integer_value(json_object_get(ev, "seq"));
	pv = json_object_get(ev, "prev");
	prev = json_integer_value(pv);
	if ((uint64_t)seq <= last)
		return (0);	/* Had it already (a resume's overlap). */
	if ((uint64_t)seq != last + 1 && (pv == NULL ||
	    (uint64_t)prev != last)) {
		log_warn("upstream: gap: event %" JSON_INTEGER_FORMAT
		    " after %" PRIu64 "; resuming", seq, last);
		return (-1);
	}
	if (be_state_ingest(r->st, ev, &cause) != 0) {
		log_warn("upstream: event %" JSON_INTEGER_FORMAT " not "
		    "applied (%s): asking a snapshot", seq, cause);
		free(cause);
		r->fresh = 1;
		return (-1);
	}
	return (0);
}

/* A result: to the console that sent its command, and nobody else. */
static void
be_relay_result(struct be_relay *r, json_t *msg)
{
	struct be_relay_pending	*p;
	const char		*id;

	id = json_string_value(json_object_get(msg, "id"));
	if (id == NULL)
		return;
	TAILQ_FOREACH(p, &r->pending, entry) {
		if (strcmp(p->id, id) == 0)
			break;
	}
	if (p == NULL)
		return;
	TAILQ_REMOVE(&r->pending, p, entry);
	r->npending--;
	be_server_deliver(r->srv, p->serial, json_incref(msg));
	free(p);
}

/*
 * One part of the province's snapshot in parts: the state changes only
 * at the last. Returns 0, or -1 to drop the link (a part out of its
 * order or unreadable: the next hello asks a fresh snapshot).
 */
static int
be_relay_part(struct be_relay *r, const char *buf, size_t len,
    const struct snapparts_head *h)
{
	char	*cause = NULL;
	int	 rc;

	rc = snapparts_add(&r->join, buf, len, h, 0, NULL, NULL, &cause);
	if (rc < 0) {
		log_warn("upstream: snapshot refused: %s", cause);
		free(cause);
		r->fresh = 1;
		return (-1);
	}
	if (rc == 0)
		return (0);
	be_state_replace(r->st, snapparts_take(&r->join));
	log_info("upstream: snapshot at seq %" PRIu64 " in %ld parts",
	    r->st->store->seq, h->parts);
	be_server_resnapshot(r->srv);
	be_relay_in_step(r, "snapshot");
	return (0);
}

/* One whole message from the province. Returns 0, or -1 to drop. */
static int
be_relay_message(struct be_relay *r, const char *buf, size_t len)
{
	struct snapparts_head	 h;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg, *v;
	char		*cause = NULL;
	size_t		 i;
	int		 rc = 0;

	if (snapparts_peek(buf, len, &h) == SNAPPARTS_PART)
		return (be_relay_part(r, buf, len, &h));
	if ((msg = proto_parse(buf, len, &type, &err, &cause)) == NULL) {
		/* Never raw to the log: the cause is the parser's. */
		log_warn("upstream: a message we cannot read: %s", cause);
		free(cause);
		r->fresh = 1;
		return (-1);
	}
	switch (type) {
	case PROTO_WELCOME:
		be_relay_welcome(r, msg);
		break;
	case PROTO_SNAPSHOT:
		if (be_state_load(r->st, msg, &cause) != 0) {
			log_warn("upstream: snapshot refused: %s", cause);
			free(cause);
			rc = -1;
			break;
		}
		be_server_resnapshot(r->srv);
		be_relay_in_step(r, "snapshot");
		break;
	case PROTO_EVENT:
		rc = be_relay_event(r, msg, buf, len);
		if (rc == 0 && r->st->store->seq > 0)
			be_relay_in_step(r, "resumed");
		break;
	case PROTO_BATCH:
		v = json_object_get(msg, "events");
		for (i = 0; rc == 0 && i < json_array_size(v); i++)
			rc = be_relay_event(r, json_array_get(v, i), NULL, 0);
		if (rc == 0)
			be_relay_in_step(r, "resumed");
		break;
	case PROTO_RESULT:
		be_relay_result(r, msg);
		break;
	case PROTO_ERROR:
		/* The log sanitises every line (docs/protocol.md §9). */
		log_warn("upstream: error %.32s",
		    json_string_value(json_object_get(msg, "code")));
		break;
	default:
		break;		/* presence, follow, drill: not ours. */
	}
	json_decref(msg);
	return (rc);
}

/* Reassemble; a whole message goes to be_relay_message(). */
static int
be_relay_rx(struct be_relay *r, struct lws *wsi, const char *in, size_t len)
{
	int	rc;

	if (lws_is_first_fragment(wsi)) {
		r->rxlen = 0;
		r->rx_skip = 0;
	}
	if (lws_frame_is_binary(wsi) ||
	    r->rxlen + len > PROTO_MAX_DOWN_FRAME)
		r->rx_skip = 1;
	if (!r->rx_skip && len > 0) {
		if (r->rxlen + len > r->rxcap) {
			while (r->rxcap < r->rxlen + len)
				r->rxcap = r->rxcap == 0 ? 65536 :
				    r->rxcap * 2;
			r->rx = xreallocarray(r->rx, r->rxcap, 1);
		}
		memcpy(r->rx + r->rxlen, in, len);
		r->rxlen += len;
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return (0);
	if (r->rx_skip) {
		log_warn("upstream: a binary or oversize message dropped");
		r->rx_skip = 0;
		r->rxlen = 0;
		return (-1);
	}
	rc = be_relay_message(r, r->rx, r->rxlen);
	r->rxlen = 0;
	return (rc);
}

static int
be_relay_writeable(struct be_relay *r, struct lws *wsi)
{
	struct be_relay_out	*o;
	int			 n;

	free(r->inflight);
	r->inflight = NULL;
	if ((o = TAILQ_FIRST(&r->outq)) == NULL)
		return (0);
	TAILQ_REMOVE(&r->outq, o, entry);
	n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	/* permessage-deflate reads the buffer after lws_write() returns. */
	r->inflight = o->buf;
	free(o);
	if (n < 0)
		return (-1);
	if (!TAILQ_EMPTY(&r->outq))
		lws_callback_on_writable(wsi);
	return (0);
}

static int
be_relay_auth(struct be_relay *r, struct lws *wsi, void *in, size_t len)
{
	unsigned char	**p = in, *end = *p + len;
	char		 *v;
	int		  rc;

	xasprintf(&v, "Bearer %s", r->token);
	rc = lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
	    (unsigned char *)v, (int)strlen(v), p, end);
	explicit_bzero(v, strlen(v));
	free(v);
	return (rc);
}

static int
be_relay_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct be_relay	*r = wsi != NULL ? lws_get_opaque_user_data(wsi) :
			    NULL;
	char		 why[160];

	(void)user;
	if (r == NULL || (r->wsi != NULL && wsi != r->wsi))
		return (0);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		snprintf(why, sizeof why, "cannot connect: %.*s",
		    in != NULL ? (int)strnlen(in, 120) : 0,
		    in != NULL ? (const char *)in : "");
		if (r->dialing)
			be_relay_down(r, why);
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (r->token != NULL && be_relay_auth(r, wsi, in, len) != 0)
			return (-1);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		r->wsi = wsi;
		r->dialing = 0;
		r->established = 1;
		r->up_at = clock_mono();
		r->rx_mono = r->up_at;
		r->beat_ms = 0;
		r->drop_why = NULL;
		r->links++;
		log_info("upstream: connected to %s (link %" PRIu64 ")",
		    r->url, r->links);
		be_relay_hello(r);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!r->established)
			return (-1);
		r->rx_mono = clock_mono();
		return (be_relay_rx(r, wsi, in, len));
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!r->established)
			return (0);
		return (be_relay_writeable(r, wsi));
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (r->established)
			be_relay_down(r, "closed");
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (r->dialing)
			be_relay_down(r, "closed before the upgrade");
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		if (wsi == r->wsi && (r->dialing || r->established))
			be_relay_down(r, "connection gone");
		break;
	default:
		break;
	}
	return (0);
}

/*
 * The server's hook for a local console's command (msg, borrowed), sent
 * by the client with this serial as op: up to the province with
 * "act_as" op (when the relay has a token), its result later through
 * be_server_deliver(). Returns NULL, or the refusal now: a bad id, or
 * relay_offline while the province is out of reach.
 */
json_t *
be_relay_forward(void *arg, uint64_t serial, const struct operator *op,
    json_t *msg)
{
	struct be_relay		*r = arg;
	struct be_relay_pending	*p;
	const char		*id, *cmd;
	json_t			*up;

	id = json_string_value(json_object_get(msg, "id"));
	cmd = json_string_value(json_object_get(msg, "cmd"));
	if (id == NULL || !model_id_valid(id, BE_CMD_ID_MAX))
		return (be_cmd_refuse(id != NULL ? id : "",
		    ENGINE_R_BAD_COMMAND_ID, NULL, NULL));
	if (cmd == NULL)
		return (be_cmd_refuse(id, ENGINE_R_BAD_COMMAND, NULL, NULL));
	if (!r->online || r->npending >= BE_RELAY_PENDING_MAX)
		return (be_cmd_refuse(id, ENGINE_R_RELAY_OFFLINE, "cmd", cmd));
	up = json_deep_copy(msg);
	json_object_del(up, "act_as");
	if (r->token != NULL)
		json_object_set_new(up, "act_as", json_string(op->name));
	be_relay_send(r, up);
	p = xcalloc(1, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	snprintf(p->cmd, sizeof p->cmd, "%s", cmd);
	p->serial = serial;
	TAILQ_INSERT_TAIL(&r->pending, p, entry);
	r->npending++;
	return (NULL);
}

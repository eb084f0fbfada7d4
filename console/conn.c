/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The websocket link to the backend, carrying the sync. */

#include "conn.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "proto.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * One client connection at a time, and always either an attempt under way
 * or the next one scheduled, until the console exits, the token is
 * refused (HTTP 401) or the demo backend died.
 *
 * conn_dial_cb() dials and arms the attempt's deadline, dial_ms
 * (CONN_DIAL_MS, 15 s) from the dial to the upgrade: DNS, TCP connect,
 * TLS and the HTTP handshake together. Within it libwebsockets gives the
 * TCP connect 20 s (the vhost's connect_timeout_secs) and each step of
 * the handshake 5 s (the context's timeout_secs), and may end an attempt
 * sooner. However an attempt ends, conn_down() logs why and schedules the
 * next from the backoff table: 250 ms doubling to 25 s, plus up to 20%
 * jitter, so never more than 30 s apart. A link that stayed up for
 * stable_ms (10 s) starts the table again at 250 ms; one that drops
 * sooner keeps climbing it, so a backend that accepts and then hangs up
 * at once is not hammered.
 *
 * The root cause of the console that stopped reconnecting for good:
 * libwebsockets 4.1.6 (lib/core-net/close.c) ends a client whose
 * upgrade was sent and never answered (its 5 s timeout, a stalled or
 * SIGSTOPped backend, a tunnel whose far end hangs) without
 * CLIENT_CONNECTION_ERROR: during the handshake the wsi still has the
 * HTTP role, so the "closed before established" report is skipped and
 * the close goes out as LWS_CALLBACK_CLOSED_CLIENT_HTTP, which we did not
 * handle; no retry was scheduled, nothing was logged. We handle it now,
 * and the attempt deadline and WSI_DESTROY make sure that no way for an
 * attempt to end can leave us without a next one.
 *
 * A redirect (3xx) is never followed: lws would send the bearer token to
 * whatever host, port or scheme the Location names. CLIENT_HTTP_REDIRECT
 * refuses it; the attempt fails with the Location shown.
 *
 * Once the link is up, a backend that beats is timed by the sync: three
 * beats without a byte and it asks us to drop the link (sync_watchdog()).
 * Under that, for backends without beats, lws pings after CONN_PING_S of
 * silence and hangs up after CONN_HANGUP_S without an answer. The sync (console/sync.c) speaks
 * the protocol; it sends through conn_tr_send(), runs its deadlines on
 * our timers and asks us to drop the link (a gap, a late welcome).
 *
 * Writes happen only in CLIENT_WRITEABLE, one queued message each. With
 * permessage-deflate, lws keeps reading the buffer after lws_write()
 * returns, so a buffer is freed at the next WRITEABLE or at close
 * (technotes §2, pitfall 1); a WRITEABLE with nothing queued does nothing
 * (pitfall 2).
 *
 * For tests, CONN_TIMESCALE_ENV (an integer N from 1 to 1000) divides
 * every time of the link and of the sync's deadlines by N: backoff, the
 * attempt deadline, the stable time, the idle ping and hangup (at least
 * 1 s), the welcome and snapshot deadlines.
 */

static void	conn_dial_cb(lws_sorted_usec_list_t *);
static void	conn_tr_send(void *, const char *, size_t);
static void	conn_tr_timer(void *, enum sync_timer, int64_t);
static void	conn_tr_drop(void *, const char *);

/*
 * The permessage-deflate offer (RFC 7692). No "client_no_context_takeover":
 * an lws 4.1.6 server that accepts it sets it in the one option table it
 * keeps for both directions and then resets its own compressor after every
 * message it sends (lib/roles/ws/ext/extension-permessage-deflate.c resets
 * on PMD_CLIENT_NO_CONTEXT_TAKEOVER in PAYLOAD_TX whatever the role), so
 * each event would be compressed alone: 1.2x instead of about 5x. Without
 * it both sides keep their LZ77 window across messages. The window is the
 * default 2^15: an lws server inflates with the same window bits it
 * deflates with, so it cannot take less from a client it cannot ask for
 * less (it never answers "client_max_window_bits=N"). What that costs per
 * connection: docs/protocol.md §1.
 */
const struct lws_extension conn_extensions[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static const uint32_t conn_backoff_ms[CONN_BACKOFF_STEPS] = {
	250, 500, 1000, 2000, 4000, 8000, 16000, 25000
};

static const struct sync_transport conn_transport = {
	.send = conn_tr_send,
	.timer = conn_tr_timer,
	.drop = conn_tr_drop
};

/* 1 when host names this machine: localhost, 127.0.0.0/8 or ::1. */
static int
conn_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&a6) ||
		    (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127));
	return (0);
}

/*
 * Split url into its parts (allocated; caller frees *host and *path).
 * Returns 0, or -1 with *cause set when it is not a ws:// or wss:// URL.
 */
static int
conn_parse_url(const char *url, int *tls, char **host, int *port,
    char **path, char **cause)
{
	char		*copy;
	const char	*prot, *ads, *p;

	copy = xstrdup(url);
	if (lws_parse_uri(copy, &prot, &ads, port, &p) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0) ||
	    *ads == '\0' || *port <= 0 || *port > 65535) {
		xasprintf(cause, "not a ws:// or wss:// URL: %s", url);
		free(copy);
		return (-1);
	}
	*tls = strcmp(prot, "wss") == 0;
	*host = xstrdup(ads);
	xasprintf(path, "/%s", p);
	free(copy);
	return (0);
}

/*
 * May a token go to url? Over wss://, or plain ws:// to this machine,
 * always; plain ws:// to another host only with allow_plain (anybody on
 * the way could read it). Returns 0, or -1 with *cause set (allocated;
 * caller frees) saying what to do.
 */
int
conn_check_token(const char *url, int allow_plain, char **cause)
{
	char	*host, *path;
	int	 tls, port, rv = 0;

	if (conn_parse_url(url, &tls, &host, &port, &path, cause) != 0)
		return (-1);
	if (!tls && !allow_plain && !conn_loopback(host)) {
		xasprintf(cause, "%s is plain ws:// to another machine: the "
		    "access token would cross the network readable; use "
		    "wss://, or --allow-plain-token if that network is yours",
		    url);
		rv = -1;
	}
	free(host);
	free(path);
	return (rv);
}

/* A time of the link in ms, divided by the test scale; at least 1. */
static int64_t
conn_scaled(struct conn *c, int64_t ms)
{
	ms /= c->scale;
	return (ms > 0 ? ms : 1);
}

/*
 * Create a link to url (ws:// or wss://) on ctx for s (borrowed; the
 * link attaches itself to it as its transport). Nothing happens until
 * conn_start(). Returns the link (free with conn_free), or NULL with
 * *cause set (allocated; caller frees) when the URL is not one.
 */
struct conn *
conn_create(struct lws_context *ctx, const char *url, struct sync *s,
    char **cause)
{
	struct conn	*c;
	const char	*env;
	char		*end;
	long		 n;
	int		 i;

	c = xcalloc(1, sizeof *c);
	if (conn_parse_url(url, &c->tls, &c->host, &c->port, &c->path,
	    cause) != 0) {
		free(c);
		return (NULL);
	}
	c->ctx = ctx;
	c->sync = s;
	c->url = xstrdup(url);
	c->urls = xcalloc(1, sizeof *c->urls);
	c->urls[c->nurls++] = xstrdup(url);
	TAILQ_INIT(&c->outq);

	c->scale = 1;
	if ((env = getenv(CONN_TIMESCALE_ENV)) != NULL && *env != '\0') {
		n = strtol(env, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 1000)
			c->scale = (int)n;
		else
			log_warn("%s=%s: not 1 to 1000; ignored",
			    CONN_TIMESCALE_ENV, env);
	}
	for (i = 0; i < CONN_BACKOFF_STEPS; i++)
		c->backoff_ms[i] = (uint32_t)conn_scaled(c,
		    conn_backoff_ms[i]);
	c->retry.retry_ms_table = c->backoff_ms;
	c->retry.retry_ms_table_count = CONN_BACKOFF_STEPS;
	c->retry.conceal_count = LWS_RETRY_CONCEAL_ALWAYS;
	c->retry.secs_since_valid_ping = (uint16_t)(conn_scaled(c,
	    CONN_PING_S * 1000) + 999) / 1000;
	c->retry.secs_since_valid_hangup = (uint16_t)(conn_scaled(c,
	    CONN_HANGUP_S * 1000) + 999) / 1000;
	if (c->retry.secs_since_valid_hangup <=
	    c->retry.secs_since_valid_ping)
		c->retry.secs_since_valid_hangup =
		    c->retry.secs_since_valid_ping + 1;
	c->retry.jitter_percent = CONN_JITTER_PERCENT;
	c->dial_ms = conn_scaled(c, CONN_DIAL_MS);
	c->stable_ms = conn_scaled(c, CONN_STABLE_MS);
	if (c->scale != 1) {
		s->welcome_ms = conn_scaled(c, s->welcome_ms);
		s->snapshot_ms = conn_scaled(c, s->snapshot_ms);
		log_info("%s=%d: link times divided by %d",
		    CONN_TIMESCALE_ENV, c->scale, c->scale);
	}
	for (i = 0; i < SYNC_TIMER_COUNT; i++) {
		c->timers[i].c = c;
		c->timers[i].t = (enum sync_timer)i;
	}
	sync_attach(s, &conn_transport, c);
	return (c);
}

static void
conn_flush(struct conn *c)
{
	struct conn_out	*o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		free(o->buf);
		free(o);
	}
	free(c->inflight);
	c->inflight = NULL;
	c->rxlen = 0;
	c->rx_skip = 0;
}

/*
 * Free the link and everything queued; NULL is fine. The lws context
 * must be destroyed first (or conn_stop called and the wsi gone).
 */
void
conn_free(struct conn *c)
{
	size_t	i;

	if (c == NULL)
		return;
	conn_flush(c);
	free(c->rx);
	free(c->url);
	free(c->host);
	free(c->path);
	for (i = 0; i < c->nurls; i++)
		free(c->urls[i]);
	free(c->urls);
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
	sync_set_link(c->sync, SYNC_LINK_CONNECTING);
	log_info("connecting to %s", c->url);
	lws_sul_schedule(c->ctx, 0, &c->sul_retry, conn_dial_cb, 1);
}

static void
conn_cancel(struct conn *c)
{
	int	i;

	if (c->ctx == NULL)
		return;
	lws_sul_cancel(&c->sul_retry);
	lws_sul_cancel(&c->sul_dial);
	for (i = 0; i < SYNC_TIMER_COUNT; i++)
		lws_sul_cancel(&c->timers[i].sul);
}

/*
 * Stop for good (the program is exiting): no more attempts, timers, or
 * hooks from the sync we carry.
 */
void
conn_stop(struct conn *c)
{
	if (c == NULL)
		return;
	c->exiting = 1;
	sync_stop(c->sync);
	conn_cancel(c);
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
	if (c->ctx != NULL) {
		lws_sul_cancel(&c->sul_retry);
		lws_sul_cancel(&c->sul_dial);
	}
	sync_set_link(c->sync, SYNC_LINK_OFFLINE);
	sync_say(c->sync, 1, _("backend gone: %s"), why);
}

/*
 * The delay in ms before the next attempt: the backoff table's step for
 * the attempts that failed in a row, plus jitter. Counts one more.
 */
uint32_t
conn_backoff(struct conn *c)
{
	uint32_t	ms;

	ms = c->backoff_ms[c->retry_count < CONN_BACKOFF_STEPS ?
	    c->retry_count : CONN_BACKOFF_STEPS - 1];
	ms += arc4random_uniform(ms * CONN_JITTER_PERCENT / 100 + 1);
	if (c->retry_count < UINT16_MAX)
		c->retry_count++;
	return (ms);
}

static void	conn_next_url(struct conn *);

/*
 * The attempt or the link ended (why may be NULL): the sync goes down,
 * and unless we are done for good, the next attempt is scheduled.
 */
static void
conn_down(struct conn *c, const char *why)
{
	int		 was_up = c->established;
	enum sync_link	 next;
	uint32_t	 ms;

	if (c->ctx != NULL)
		lws_sul_cancel(&c->sul_dial);
	c->wsi = NULL;
	c->dialing = 0;
	c->established = 0;
	c->dropping = 0;
	conn_flush(c);
	if (was_up && clock_mono() - c->up_since >= c->stable_ms)
		c->retry_count = 0;
	c->up_since = 0;
	if (c->dead)
		next = SYNC_LINK_OFFLINE;
	else if (c->refused)
		next = SYNC_LINK_REFUSED;
	else if (was_up || c->sync->have_state)
		next = SYNC_LINK_RECONNECTING;
	else
		next = SYNC_LINK_CONNECTING;
	sync_down(c->sync, next, why);
	if (c->exiting)
		return;
	if (c->refused || c->dead) {
		log_info("%s: %s; not retrying", c->url, why != NULL ? why :
		    "closed");
		return;
	}
	/* Several backends: the next one, at once after a lost link. */
	if (c->nurls > 1)
		conn_next_url(c);
	ms = was_up && c->nurls > 1 ? c->backoff_ms[0] : conn_backoff(c);
	if (was_up)
		log_info("link to %s lost: %s; next try in %" PRIu32 " ms",
		    c->url, why != NULL ? why : "closed", ms);
	else
		log_warn("connect to %s failed (attempt %" PRIu64 "): %s; "
		    "next try in %" PRIu32 " ms", c->url, c->attempts,
		    why != NULL ? why : "?", ms);
	if (c->ctx != NULL)
		lws_sul_schedule(c->ctx, 0, &c->sul_retry, conn_dial_cb,
		    (lws_usec_t)ms * LWS_US_PER_MS);
}

/*
 * Another backend for the same province (a gateway over the same
 * JetStream stream, docs/ha.md): when the link to one is lost, or an
 * attempt fails, the next attempt goes to the next, in turn. The seq is
 * the stream's on every gateway, so the sync resumes where it was, and
 * the outbox sends what waits again under the same ids (applied once).
 * Returns 0, or -1 with *cause set when url is not a ws:// URL.
 */
int
conn_add_url(struct conn *c, const char *url, char **cause)
{
	char	*host, *path;
	int	 tls, port;

	if (conn_parse_url(url, &tls, &host, &port, &path, cause) != 0)
		return (-1);
	free(host);
	free(path);
	c->urls = xreallocarray(c->urls, c->nurls + 1, sizeof *c->urls);
	c->urls[c->nurls++] = xstrdup(url);
	return (0);
}

/* The next backend of the list, for the next attempt. */
static void
conn_next_url(struct conn *c)
{
	char	*host, *path, *cause = NULL;
	int	 tls, port;
	size_t	 next = (c->cur + 1) % c->nurls;

	if (conn_parse_url(c->urls[next], &tls, &host, &port, &path,
	    &cause) != 0) {
		free(cause);	/* Checked by conn_add_url(). */
		return;
	}
	free(c->host);
	free(c->path);
	free(c->url);
	c->host = host;
	c->path = path;
	c->port = port;
	c->tls = tls;
	c->cur = next;
	c->url = xstrdup(c->urls[next]);
	log_info("next: %s (backend %zu of %zu)", c->url, next + 1,
	    c->nurls);
}

/* Let the wsi go without hearing from it again, and close it. */
static void
conn_abandon(struct conn *c, struct lws *wsi)
{
	(void)c;
	lws_set_opaque_user_data(wsi, NULL);
	lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* The attempt's deadline: whatever step it is stuck in, it is over. */
static void
conn_deadline_cb(lws_sorted_usec_list_t *sul)
{
	struct conn	*c = lws_container_of(sul, struct conn, sul_dial);
	char		 why[64];

	if (!c->dialing || c->established || c->exiting)
		return;
	snprintf(why, sizeof why, "no link within %" PRId64 " ms",
	    c->dial_ms);
	if (c->wsi != NULL)
		conn_abandon(c, c->wsi);
	conn_down(c, why);
}

static void
conn_dial_cb(lws_sorted_usec_list_t *sul)
{
	struct conn			*c;
	struct lws_client_connect_info	 i;
	struct lws			*wsi;

	c = lws_container_of(sul, struct conn, sul_retry);
	if (c->exiting || c->refused || c->dead || c->dialing ||
	    c->established)
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
	i.retry_and_idle_policy = &c->retry;
	i.opaque_user_data = c;
	c->attempts++;
	c->dialing = 1;
	c->redirect[0] = '\0';
	log_info("dialing %s (attempt %" PRIu64 ")", c->url, c->attempts);
	lws_sul_schedule(c->ctx, 0, &c->sul_dial, conn_deadline_cb,
	    (lws_usec_t)c->dial_ms * LWS_US_PER_MS);
	/*
	 * lws reports no CLIENT_CONNECTION_ERROR from inside this call:
	 * NULL is the only word of a failure here.
	 */
	if ((wsi = lws_client_connect_via_info(&i)) == NULL) {
		if (c->dialing)
			conn_down(c, "cannot start a connection");
		return;
	}
	c->wsi = wsi;
}

/* ==== The transport the sync uses ==== */

static void
conn_tr_send(void *arg, const char *text, size_t len)
{
	struct conn	*c = arg;
	struct conn_out	*o;

	o = xcalloc(1, sizeof *o);
	o->len = len;
	o->buf = xmalloc(LWS_PRE + len + 1);
	memcpy(o->buf + LWS_PRE, text, len);
	o->buf[LWS_PRE + len] = '\0';
	TAILQ_INSERT_TAIL(&c->outq, o, entry);
	if (c->wsi != NULL && c->established)
		lws_callback_on_writable(c->wsi);
}

static void
conn_timer_cb(lws_sorted_usec_list_t *sul)
{
	struct conn_timer	*ct = lws_container_of(sul, struct conn_timer,
				    sul);

	sync_timer(ct->c->sync, ct->t);
}

static void
conn_tr_timer(void *arg, enum sync_timer t, int64_t ms)
{
	struct conn	*c = arg;

	if (c->ctx == NULL || t < 0 || t >= SYNC_TIMER_COUNT)
		return;
	if (ms < 0)
		lws_sul_cancel(&c->timers[t].sul);
	else
		lws_sul_schedule(c->ctx, 0, &c->timers[t].sul, conn_timer_cb,
		    (lws_usec_t)ms * LWS_US_PER_MS);
}

/*
 * The sync wants the link gone (a gap, a deadline). Inside a RECEIVE
 * callback conn_rx() returns -1 at once; otherwise lws kills the link on
 * its next turn. Either way CLIENT_CLOSED brings us to conn_down().
 */
static void
conn_tr_drop(void *arg, const char *why)
{
	struct conn	*c = arg;

	if (c->wsi == NULL || c->dropping)
		return;
	log_info("dropping the link to %s: %s", c->url, why);
	c->dropping = 1;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ==== The lws side ==== */

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

static int
conn_rx(struct conn *c, struct lws *wsi, const char *in, size_t len)
{
	char	*text;

	if (c->dropping)
		return (-1);
	if (lws_is_first_fragment(wsi)) {
		c->rxlen = 0;
		c->rx_skip = 0;
	}
	if (lws_frame_is_binary(wsi) && !c->rx_skip) {
		c->rx_skip = 1;
		sync_unreadable(c->sync, _("binary message from the backend "
		    "dropped"));
	}
	if (!c->rx_skip && len > 0) {
		if (c->rxlen + len > PROTO_MAX_DOWN_FRAME) {
			xasprintf(&text, _("message over %d bytes from the "
			    "backend dropped"), PROTO_MAX_DOWN_FRAME);
			sync_unreadable(c->sync, text);
			free(text);
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
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) {
		sync_progress(c->sync);
		return (0);
	}
	if (!c->rx_skip && sync_receive(c->sync, c->rx, c->rxlen) != 0)
		c->dropping = 1;
	c->rxlen = 0;
	c->rx_skip = 0;
	return (c->dropping ? -1 : 0);
}

static int
conn_writeable(struct conn *c, struct lws *wsi)
{
	struct conn_out	*o;
	int		 n;

	free(c->inflight);
	c->inflight = NULL;
	if (c->dropping)
		return (-1);
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
	if (!TAILQ_EMPTY(&c->outq))
		lws_callback_on_writable(wsi);
	return (0);
}

static void
conn_established(struct conn *c, struct lws *wsi)
{
	lws_sul_cancel(&c->sul_dial);
	c->wsi = wsi;
	c->dialing = 0;
	c->established = 1;
	c->dropping = 0;
	c->up_since = clock_mono();
	log_info("connected to %s%s (attempt %" PRIu64 ")", c->url,
	    c->tls ? " (TLS)" : "", c->attempts);
	sync_up(c->sync);
}

/* The attempt failed before the upgrade: say why, when it matters. */
static void
conn_failed(struct conn *c, const char *in)
{
	char	why[256];

	snprintf(why, sizeof why, "%.*s", in == NULL ? 0 :
	    (int)strnlen(in, 200), in == NULL ? "" : in);
	if (strstr(why, "ws upgrade unauthorized") != NULL) {
		c->refused = 1;
		if (c->token == NULL)
			sync_say(c->sync, 1, "%s", _("the backend wants an "
			    "access token (HTTP 401): start with --token-file "
			    "FILE; not retrying"));
		else
			sync_say(c->sync, 1, "%s", _("the backend refused our "
			    "access token (HTTP 401 unauthorized): check "
			    "--token-file; not retrying"));
	} else if (c->redirect[0] != '\0')
		sync_say(c->sync, 1, _("the backend redirects to %s (HTTP "
		    "%d): not followed; give that URL if you trust it"),
		    c->redirect, c->redirect_code);
	conn_down(c, in != NULL ? why : NULL);
}

/* A 3xx to the upgrade: remember where (sanitised), and refuse it. */
static int
conn_redirect(struct conn *c, const char *in, size_t code)
{
	sanitize_into(c->redirect, sizeof c->redirect, in != NULL ? in : "",
	    in != NULL ? strnlen(in, 1024) : 0, 0);
	c->redirect_code = (int)code;
	log_warn("%s answered the upgrade with HTTP %zu to %s: not "
	    "following it", c->url, code, c->redirect);
	return (-1);
}

/*
 * The lws callback of the backend protocol (PROTO_SUBPROTOCOL).
 */
int
conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn	*c = wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;

	(void)user;
	if (c == NULL || (wsi != c->wsi && c->wsi != NULL))
		return (0);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c->dialing && wsi == c->wsi)
			conn_failed(c, in);
		else if (c->dialing && c->wsi == NULL)
			conn_failed(c, in);	/* Before we knew the wsi. */
		break;
	case LWS_CALLBACK_CLIENT_HTTP_REDIRECT:
		return (conn_redirect(c, in, len));
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (c->token != NULL && conn_auth_header(c, wsi, in, len) != 0)
			return (-1);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		conn_established(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!c->established)
			return (-1);
		return (conn_rx(c, wsi, in, len));
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!c->established)
			return (0);
		return (conn_writeable(c, wsi));
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		log_info("backend closed the link (%zu bytes of reason)", len);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (wsi == c->wsi && c->established)
			conn_down(c, "closed");
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		/* lws 4.1.6 ends an unanswered upgrade this way only. */
		if (wsi == c->wsi && !c->established)
			conn_failed(c, "closed before the upgrade (no answer "
			    "to the handshake)");
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		/* Whatever else was said or not: this one is gone. */
		if (wsi == c->wsi && (c->dialing || c->established))
			conn_down(c, "connection gone");
		break;
	default:
		break;
	}
	return (0);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The websocket server. One lws context owns the loop; the listening
 * socket speaks trucban.v1 (docs/protocol.md) with permessage-deflate, and
 * the signal fd is adopted as a raw file so SIGINT/SIGTERM end the loop
 * between two callbacks.
 *
 * A client reassembles inbound fragments up to PROTO_MAX_FRAME (beyond:
 * one too_large error, the rest of that message discarded), and every
 * message goes through proto_parse() first. Outbound, a client holds a
 * FIFO of shared serialised messages (struct be_msg); one is written per
 * SERVER_WRITEABLE, and it stays referenced until the next WRITEABLE
 * because permessage-deflate reads the buffer after lws_write() returns
 * (technotes §2, pitfall 1). A client whose queue passes the limits is
 * closed with 1008 and may resume later. Clients that said hello get
 * every event.
 */

#include "be-server.h"

#include <sys/queue.h>
#include <sys/signalfd.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "be-cmd.h"
#include "be-msg.h"
#include "be-state.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

struct be_qent {
	struct be_msg		*msg;
	STAILQ_ENTRY(be_qent)	 entry;
};

/* Per connection; lws allocates it zeroed as the per-session data. */
struct be_client {
	struct be_server	*srv;	/* NULL until established. */
	struct lws		*wsi;
	char			 peer[64];
	char			*name;	/* From hello, sanitised. */
	const struct be_operator *op;
	int			 ready;	/* Hello done: gets events. */

	char			*rx;		/* Reassembly. */
	size_t			 rxlen, rxcap;
	int			 rx_discard; /* Dropping an oversize one. */

	STAILQ_HEAD(, be_qent)	 queue;
	size_t			 qlen, qbytes;
	struct be_msg		*inflight; /* Written, maybe not sent. */

	/* When close_code is set: close at the next WRITEABLE (after the
	 * queue is sent when close_drain is set). */
	int			 close_code;
	char			 close_reason[96];
	int			 close_drain;
	int			 closed;	/* Close requested of lws. */

	LIST_ENTRY(be_client)	 entry;
};

struct be_server {
	struct be_state		*st;
	struct lws_context	*ctx;
	int			 port;
	int			 signal_fd;
	int			 stop;
	size_t			 queue_msgs, queue_bytes;
	size_t			 nclients;
	LIST_HEAD(, be_client)	 clients;
};

static int	be_server_ws_cb(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);
static int	be_server_raw_cb(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);

static const struct lws_protocols be_server_protocols[] = {
	{ PROTO_SUBPROTOCOL, be_server_ws_cb, sizeof (struct be_client), 0,
	    0, NULL, 0 },
	{ "be-signal", be_server_raw_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static const struct lws_extension be_server_exts[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	    "permessage-deflate; client_no_context_takeover; "
	    "client_max_window_bits" },
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

/* Queue a message (takes a new reference) and ask for WRITEABLE. */
static void
be_client_send(struct be_client *c, struct be_msg *m)
{
	struct be_qent	*q;
	char		 why[96];

	if (c->close_code != 0 && !c->close_drain)
		return;
	if (c->qlen + 1 > c->srv->queue_msgs ||
	    c->qbytes + m->len > c->srv->queue_bytes) {
		log_warn("client %s: outbound queue full (%zu messages, %zu "
		    "bytes): closing", c->peer, c->qlen, c->qbytes);
		snprintf(why, sizeof why, "too slow: more than %zu messages "
		    "or %zu bytes queued", c->srv->queue_msgs,
		    c->srv->queue_bytes);
		be_client_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, 0, why);
		return;
	}
	q = xmalloc(sizeof *q);
	q->msg = be_msg_ref(m);
	STAILQ_INSERT_TAIL(&c->queue, q, entry);
	c->qlen++;
	c->qbytes += m->len;
	lws_callback_on_writable(c->wsi);
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
	if (c->close_code != 0 && (!c->close_drain ||
	    STAILQ_EMPTY(&c->queue))) {
		c->closed = 1;
		log_info("client %s: closing (%d %s)", c->peer, c->close_code,
		    c->close_reason);
		lws_close_reason(c->wsi, c->close_code,
		    (unsigned char *)c->close_reason, strlen(c->close_reason));
		return (-1);
	}
	if ((q = STAILQ_FIRST(&c->queue)) == NULL)
		return (0);
	STAILQ_REMOVE_HEAD(&c->queue, entry);
	m = q->msg;
	free(q);
	c->qlen--;
	c->qbytes -= m->len;

	n = lws_write(c->wsi, be_msg_text(m), m->len, LWS_WRITE_TEXT);
	c->inflight = m;
	if (n < (int)m->len) {
		log_warn("client %s: write failed", c->peer);
		return (-1);
	}
	if (!STAILQ_EMPTY(&c->queue) || c->close_code != 0)
		lws_callback_on_writable(c->wsi);
	return (0);
}

/* Event callback of the state: every event to every client past hello. */
static void
be_server_broadcast(void *arg, struct be_msg *m)
{
	struct be_server	*srv = arg;
	struct be_client	*c;

	LIST_FOREACH(c, &srv->clients, entry) {
		if (c->ready)
			be_client_send(c, m);
	}
}

/* ==== Inbound ==== */

static void
be_client_resume_one(void *arg, struct be_msg *m)
{
	be_client_send(arg, m);
}

static void
be_client_hello(struct be_client *c, json_t *msg)
{
	struct be_state	*st = c->srv->st;
	json_t		*v;
	const char	*name;
	json_int_t	 proto, resume;
	size_t		 n;

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
	c->op = &be_operator_demo;
	be_client_send_new(c, be_state_welcome(st, c->op));

	v = json_object_get(msg, "resume");
	if (v == NULL) {
		be_client_send_new(c, be_state_snapshot(st, 0));
		log_info("client %s (%s): hello, snapshot at seq %llu",
		    c->peer, c->name, (unsigned long long)st->store->seq);
	} else if (resume = json_integer_value(v),
	    be_retain_covers(st->retain, (uint64_t)resume, st->store->seq)) {
		n = be_retain_since(st->retain, (uint64_t)resume,
		    be_client_resume_one, c);
		log_info("client %s (%s): resumed after seq %lld, %zu events",
		    c->peer, c->name, (long long)resume, n);
	} else {
		be_client_send_new(c, be_state_snapshot(st, 1));
		log_info("client %s (%s): resume from seq %lld is not "
		    "retained: snapshot with gap", c->peer, c->name,
		    (long long)resume);
	}
	c->ready = 1;
}

static void
be_client_message(struct be_client *c, const char *buf, size_t len,
    int binary)
{
	struct be_state	*st = c->srv->st;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg;
	char		*cause = NULL, *m;

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
		be_client_send_new(c, be_cmd_exec(st, c->op, msg));
		break;
	case PROTO_GET:
		be_client_send_new(c, be_cmd_get(st, msg));
		break;
	case PROTO_DIGEST:
		be_client_send_new(c, be_cmd_digest(st, msg));
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

static int
be_server_ws_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct be_client	*c = user;
	struct be_server	*srv;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		srv = lws_context_user(lws_get_context(wsi));
		memset(c, 0, sizeof *c);
		c->srv = srv;
		c->wsi = wsi;
		STAILQ_INIT(&c->queue);
		lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
		if (c->peer[0] == '\0')
			snprintf(c->peer, sizeof c->peer, "?");
		LIST_INSERT_HEAD(&srv->clients, c, entry);
		srv->nclients++;
		log_info("client %s: connected (%zu now)", c->peer,
		    srv->nclients);
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
		LIST_REMOVE(c, entry);
		c->srv->nclients--;
		log_info("client %s: disconnected (%zu left)", c->peer,
		    c->srv->nclients);
		be_client_drop_queue(c);
		be_msg_unref(c->inflight);
		free(c->rx);
		free(c->name);
		memset(c, 0, sizeof *c);
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

/* ==== Server ==== */

/*
 * Create the context and listen. The signal fd, when given, is owned by
 * the server once it is returned (lws closes it); on failure the caller
 * keeps it. Returns the server (caller frees with be_server_free()) or
 * NULL with *cause set (caller frees).
 */
struct be_server *
be_server_new(struct be_state *st, const struct be_server_opts *opts,
    char **cause)
{
	struct lws_context_creation_info	 info;
	struct be_server			*srv;
	struct lws_vhost			*vh;
	lws_sock_file_fd_type			 fd;

	srv = xcalloc(1, sizeof *srv);
	srv->st = st;
	srv->signal_fd = -1;
	srv->queue_msgs = opts->queue_msgs != 0 ? opts->queue_msgs :
	    BE_SERVER_QUEUE_MSGS;
	srv->queue_bytes = opts->queue_bytes != 0 ? opts->queue_bytes :
	    BE_SERVER_QUEUE_BYTES;
	LIST_INIT(&srv->clients);

	memset(&info, 0, sizeof info);
	info.port = opts->port;
	info.iface = opts->iface;
	info.protocols = be_server_protocols;
	info.extensions = be_server_exts;
	info.fd_limit_per_thread = BE_SERVER_MAX_FDS;
	info.user = srv;
	info.vhost_name = "default";
	/* The vhost separately: lws leaks when a default vhost fails. */
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if ((srv->ctx = lws_create_context(&info)) == NULL) {
		xasprintf(cause, "cannot create the lws context");
		goto fail;
	}
	vh = lws_create_vhost(srv->ctx, &info);
	if (vh == NULL || (srv->port = lws_get_vhost_listen_port(vh)) <= 0) {
		xasprintf(cause, "cannot listen on %s port %d (is the port "
		    "in use?)", opts->iface, opts->port);
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
	be_state_set_event_cb(st, be_server_broadcast, srv);
	return (srv);

fail:
	if (srv->ctx != NULL)
		lws_context_destroy(srv->ctx);
	free(srv);
	return (NULL);
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
	be_state_set_event_cb(srv->st, NULL, NULL);
	lws_context_destroy(srv->ctx);
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
 * Run the loop until be_server_stop() or a signal. Returns 0, or -1 when
 * lws failed.
 */
int
be_server_run(struct be_server *srv)
{
	while (!srv->stop) {
		if (lws_service(srv->ctx, 0) < 0)
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
 * The number of connected clients.
 */
size_t
be_server_clients(const struct be_server *srv)
{
	return (srv->nclients);
}

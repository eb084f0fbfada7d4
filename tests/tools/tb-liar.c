/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * tb-liar: a backend that speaks protocol v1 well enough for a console to
 * come up, and puts terminal escapes in everything a console prints
 * outside its screen, for the tests of trucban -c and of the log.
 *
 *   tb-liar [PORT]
 *
 * It listens on 127.0.0.1 (PORT, or any free port) and prints
 * "tb-liar: listening on ws://127.0.0.1:PORT" on stdout. To a hello it
 * answers with a welcome, a snapshot holding alert A-0001 (its title full
 * of escapes), then a message of an unknown type and two that are not
 * JSON (their raw ESC bytes are quoted by jansson's error text). Every cmd
 * is refused with a hostile code and message; a digest gets a hostile
 * digest at the snapshot's seq. The escapes are OSC 0 and 2 (the title),
 * OSC 52 (the clipboard), CSI (clear the screen, colours), C1 CSI, RIS,
 * a bidi override, CR and BS. It runs until it is killed.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "proto.h"
#include "xmalloc.h"

#define LIAR_QUEUE	16
#define LIAR_RX_MAX	65536

/* What goes into every field the console may print or log. */
#define LIAR_EVIL	"\033]0;PWNED\007\033]2;PWNED2\033\\\033[2J\033[H" \
			"\033[41;37mRED\033[0m\302\23331m\033]52;c;SGVsbG8=" \
			"\007\342\200\256RLO\033c\r\b"

struct liar_pss {
	unsigned char	*q[LIAR_QUEUE];		/* LWS_PRE + message. */
	size_t		 qlen[LIAR_QUEUE];
	int		 nq;
	unsigned char	*inflight;
	char		*rx;
	size_t		 rxlen;
	int		 rxbad;
};

static const char liar_snapshot[] = "{\"type\":\"snapshot\",\"seq\":5,"
    "\"gap\":false,\"province\":{\"code\":\"QN\",\"name\":\"Qu\\u1ea3ng "
    "Ninh\",\"utc_offset_min\":420},\"areas\":[{\"code\":\"HL\",\"name\":"
    "\"H\\u1ea1 Long\"}],\"departments\":[],\"alerts\":[{\"id\":\"A-0001\","
    "\"kind\":\"flood\",\"severity\":4,\"area\":\"HL\",\"place\":\"x\","
    "\"source\":\"sensor\",\"title\":\"EVIL \\u001b]0;PWNED\\u0007\","
    "\"state\":\"new\",\"disposition\":\"none\",\"acked_by\":null,"
    "\"units\":[],\"escalation\":0,\"created\":1767225600000,"
    "\"updated\":1767225600000,\"deadline\":0,\"exercise\":false,"
    "\"version\":1}],\"units\":[],\"hospitals\":[],\"schools\":[],"
    "\"feedback\":[]}";

static void
liar_queue(struct lws *wsi, struct liar_pss *pss, const char *msg,
    size_t len)
{
	unsigned char	*buf;

	if (pss->nq == LIAR_QUEUE)
		return;
	buf = xmalloc(LWS_PRE + len);
	memcpy(buf + LWS_PRE, msg, len);
	pss->q[pss->nq] = buf;
	pss->qlen[pss->nq++] = len;
	lws_callback_on_writable(wsi);
}

static void
liar_queue_json(struct lws *wsi, struct liar_pss *pss, json_t *msg)
{
	char	*s;

	s = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (s == NULL)
		return;
	liar_queue(wsi, pss, s, strlen(s));
	free(s);
}

static void
liar_message(struct lws *wsi, struct liar_pss *pss)
{
	static const char	 bad[] = "{\"type\":\"event\",\"x\":\""
				     LIAR_EVIL "\"}";
	json_t			*msg, *reply;
	const char		*type, *id;
	json_error_t		 jerr;

	if ((msg = json_loadb(pss->rx, pss->rxlen, 0, &jerr)) == NULL)
		return;
	type = json_string_value(json_object_get(msg, "type"));
	id = json_string_value(json_object_get(msg, "id"));
	if (type == NULL)
		type = "";
	if (id == NULL)
		id = "";
	if (strcmp(type, "hello") == 0) {
		reply = json_pack("{s:s s:i s:s s:s s:s s:[] s:i s:b}",
		    "type", "welcome", "proto", PROTO_VERSION, "server",
		    "tb-liar", "operator", "demo", "role", "supervisor",
		    "areas", "seq", 5, "exercise", 0);
		liar_queue_json(wsi, pss, reply);
		liar_queue(wsi, pss, liar_snapshot, sizeof liar_snapshot - 1);
		reply = json_pack("{s:s}", "type", LIAR_EVIL);
		liar_queue_json(wsi, pss, reply);
		liar_queue(wsi, pss, bad, sizeof bad - 1);
		liar_queue(wsi, pss, LIAR_EVIL, sizeof LIAR_EVIL - 1);
	} else if (strcmp(type, "cmd") == 0) {
		reply = json_pack("{s:s s:s s:b s:s s:s}", "type", "result",
		    "id", id, "ok", 0, "code", "bad_state" LIAR_EVIL,
		    "message", "A-0001 " LIAR_EVIL);
		liar_queue_json(wsi, pss, reply);
	} else if (strcmp(type, "digest") == 0) {
		reply = json_pack("{s:s s:s s:b s:i s:s}", "type", "result",
		    "id", id, "ok", 1, "seq", 5, "digest", LIAR_EVIL);
		liar_queue_json(wsi, pss, reply);
	}
	json_decref(msg);
}

static int
liar_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct liar_pss	*pss = user;
	int		 i;

	switch (reason) {
	case LWS_CALLBACK_RECEIVE:
		if (pss->rx == NULL)
			pss->rx = xmalloc(LIAR_RX_MAX);
		if (len > LIAR_RX_MAX - pss->rxlen)
			pss->rxbad = 1;
		else if (len > 0) {
			memcpy(pss->rx + pss->rxlen, in, len);
			pss->rxlen += len;
		}
		if (lws_is_final_fragment(wsi) &&
		    !lws_remaining_packet_payload(wsi)) {
			if (!pss->rxbad)
				liar_message(wsi, pss);
			pss->rxlen = 0;
			pss->rxbad = 0;
		}
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		free(pss->inflight);
		pss->inflight = NULL;
		if (pss->nq == 0)
			break;
		if (lws_write(wsi, pss->q[0] + LWS_PRE, pss->qlen[0],
		    LWS_WRITE_TEXT) < 0)
			return (-1);
		pss->inflight = pss->q[0];
		pss->nq--;
		memmove(pss->q, pss->q + 1, pss->nq * sizeof pss->q[0]);
		memmove(pss->qlen, pss->qlen + 1,
		    pss->nq * sizeof pss->qlen[0]);
		if (pss->nq > 0)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLOSED:
		for (i = 0; i < pss->nq; i++)
			free(pss->q[i]);
		pss->nq = 0;
		free(pss->inflight);
		pss->inflight = NULL;
		free(pss->rx);
		pss->rx = NULL;
		break;
	default:
		break;
	}
	return (0);
}

static const struct lws_protocols liar_protocols[] = {
	{ PROTO_SUBPROTOCOL, liar_callback, sizeof (struct liar_pss), 4096, 0,
	    NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct lws_context			*ctx;
	struct lws_vhost			*vh;

	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = argc > 1 ? atoi(argv[1]) : 0;
	info.iface = "127.0.0.1";
	info.protocols = liar_protocols;
	info.fd_limit_per_thread = 64;
	info.vhost_name = "default";
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if ((ctx = lws_create_context(&info)) == NULL ||
	    (vh = lws_create_vhost(ctx, &info)) == NULL) {
		fprintf(stderr, "tb-liar: cannot listen\n");
		return (1);
	}
	printf("tb-liar: listening on ws://127.0.0.1:%d\n",
	    lws_get_vhost_listen_port(vh));
	fflush(stdout);
	while (lws_service(ctx, 0) >= 0)
		;
	lws_context_destroy(ctx);
	return (0);
}

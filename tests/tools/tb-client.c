/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * tb-client: a small protocol v1 client for tests and scripts.
 *
 *   tb-client [-t SECONDS] [-n] [-v] URL hello
 *   tb-client -r SEQ URL hello (resume after SEQ; prints what came)
 *   tb-client URL get KIND ID
 *   tb-client URL digest
 *   tb-client URL cmd NAME 'ARGS_JSON' [ID]
 *   tb-client [-c] URL raw TEXT... (TEXT "-": stdin, "@FILE": a file;
 *	-c: then wait for the server to close the link)
 *   tb-client URL first-alert
 *   tb-client URL first-unit
 *   tb-client URL snapshot (prints the snapshot)
 *   tb-client URL presence (prints the first presence message)
 *   tb-client URL burst PREFIX N NAME 'ARGS_JSON' (N commands with ids
 *	PREFIX-1..N, "%n" in ARGS_JSON replaced by the number, 16 in
 *	flight; prints "ID ok SEQ" or "ID CODE" per result as it comes)
 *   tb-client -t T URL watch SECONDS (stays connected; prints the
 *	application and wire bytes and the events a second after the
 *	snapshot)
 *
 * Options: -T TOKEN or --token FILE (the bearer token, or a file whose
 * first line is), --ca FILE (trust this CA for wss://), -g MS (ask for
 * gauge_ms in hello), -F (do not say history_delta in hello: events carry
 * whole histories, as to an older client), -f NAME (follow NAME: a
 * trainer's hello; with watch and -v, prints the follow messages), -W
 * (do not say snapshot_parts in hello: the snapshot comes in one message,
 * as to an older client; by default a large one comes in parts, which
 * are joined into the store and counted: "parts=N" after hello).
 *
 * It says hello (unless -n), loads the snapshot into a store (which
 * validates it), then does one thing and exits: 0 ok, 1 refused or not
 * found, 2 connection failure or deadline (-t, default 10 s), 3 the
 * backend refused the token (HTTP 401).
 */

#include <sys/socket.h>

#include <linux/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "clock.h"
#include "log.h"
#include "proto.h"
#include "snapparts.h"
#include "store.h"
#include "xmalloc.h"

#define TB_RAW_WAIT_US		(3 * LWS_US_PER_SEC)
#define TB_FRAGMENT		16384
#define TB_RX_MAX		(64 * 1024 * 1024)
#define TB_BURST_WINDOW		16

enum tb_mode {
	TB_HELLO,
	TB_GET,
	TB_DIGEST,
	TB_CMD,
	TB_RAW,
	TB_FIRST_ALERT,
	TB_FIRST_UNIT,
	TB_SNAPSHOT,
	TB_PRESENCE,
	TB_BURST,
	TB_WATCH
};

struct tb_out {
	char			*buf;	/* LWS_PRE + text. */
	size_t			 len;
	struct tb_out		*next;
};

static struct {
	enum tb_mode		 mode;
	char			**argv;	/* After the mode word. */
	int			 argc;
	int			 no_hello;
	int			 await_close;	/* raw -c */
	int			 raw_over;	/* Every text answered. */
	long long		 resume;	/* -1: none. */
	size_t			 resume_events;
	int			 resume_snapshot, resume_gap;
	int			 verbose;
	char			*token;
	int			 gauge_ms;
	const char		*follow;	/* -f */
	int			 full_history;	/* -F: no history_delta. */
	int			 whole;		/* -W: no snapshot_parts. */
	struct snapparts_join	 join;
	long			 parts;		/* Of the last snapshot. */

	/* burst */
	int			 burst_n, burst_sent, burst_done;
	int			 burst_refused;

	/* watch */
	lws_sorted_usec_list_t	 watch_timer;
	int			 watching;
	int64_t			 watch_t0;
	uint64_t		 watch_app, watch_events, watch_wire0;

	struct lws_context	*ctx;
	struct lws		*wsi;
	lws_sorted_usec_list_t	 deadline;
	lws_sorted_usec_list_t	 raw_timer;
	int			 done;
	int			 rc;

	struct store		*store;
	int			 have_snapshot;
	char			 req_id[32];	/* Awaited result. */
	int			 raw_next; /* Next raw text to send. */
	int			 raw_waiting;
	int			 raw_timeouts;

	char			*rx;
	size_t			 rxlen, rxcap;
	int			 rx_discard;

	struct tb_out		*out, **out_tail;
	char			*inflight; /* Until the next WRITEABLE. */
	size_t			 frag_off; /* Sent of out's text. */
} tb;

static void
tb_finish(int rc)
{
	if (tb.done)
		return;
	tb.done = 1;
	tb.rc = rc;
	/* From a timer, lws_service() would wait for the next event. */
	if (tb.ctx != NULL)
		lws_cancel_service(tb.ctx);
}

static void
tb_send_text(const char *text, size_t len)
{
	struct tb_out	*o;

	o = xcalloc(1, sizeof *o);
	o->buf = xmalloc(LWS_PRE + len + 1);
	memcpy(o->buf + LWS_PRE, text, len);
	o->buf[LWS_PRE + len] = '\0';
	o->len = len;
	*tb.out_tail = o;
	tb.out_tail = &o->next;
	if (tb.wsi != NULL)
		lws_callback_on_writable(tb.wsi);
}

static void
tb_send_json(json_t *j)
{
	char	*s = proto_dump(j);

	tb_send_text(s, strlen(s));
	free(s);
	json_decref(j);
}

/* ==== Actions ==== */

static char *
tb_read_text(const char *arg, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 cap = 0, n;

	if (strcmp(arg, "-") == 0)
		f = stdin;
	else if (arg[0] == '@') {
		if ((f = fopen(arg + 1, "r")) == NULL) {
			fprintf(stderr, "tb-client: %s: %s\n", arg + 1,
			    strerror(errno));
			exit(2);
		}
	} else {
		*len = strlen(arg);
		return (xstrdup(arg));
	}
	*len = 0;
	for (;;) {
		if (*len + 65536 > cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (f != stdin)
		fclose(f);
	buf[*len] = '\0';
	return (buf);
}

static void tb_raw_timeout(lws_sorted_usec_list_t *);

/* Send the next raw text, or finish. */
static void
tb_raw_next(void)
{
	char	*text;
	size_t	 len;

	if (tb.raw_next >= tb.argc) {
		tb.raw_over = 1;
		if (!tb.await_close || tb.wsi == NULL)
			tb_finish(tb.raw_timeouts > 0 ? 1 : 0);
		return;
	}
	text = tb_read_text(tb.argv[tb.raw_next++], &len);
	tb_send_text(text, len);
	free(text);
	tb.raw_waiting = 1;
	lws_sul_schedule(tb.ctx, 0, &tb.raw_timer, tb_raw_timeout,
	    TB_RAW_WAIT_US);
}

static void
tb_raw_timeout(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	printf("timeout: no reply within 3 s\n");
	fflush(stdout);
	tb.raw_timeouts++;
	tb.raw_waiting = 0;
	tb_raw_next();
}

/* Bytes the kernel received on the link so far (TCP_INFO), or 0. */
static uint64_t
tb_wire_bytes(void)
{
	struct tcp_info	ti;
	socklen_t	len = sizeof ti;
	int		fd;

	if (tb.wsi == NULL || (fd = lws_get_socket_fd(tb.wsi)) < 0)
		return (0);
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return (0);
	return (ti.tcpi_bytes_received);
}

static void
tb_watch_end(lws_sorted_usec_list_t *sul)
{
	double	secs;

	(void)sul;
	secs = (double)(clock_mono() - tb.watch_t0) / 1000.0;
	if (secs <= 0)
		secs = 1;
	printf("watch.app_bytes_per_s %.0f\n", (double)tb.watch_app / secs);
	printf("watch.wire_bytes_per_s %.0f\n",
	    (double)(tb_wire_bytes() - tb.watch_wire0) / secs);
	printf("watch.events_per_s %.1f\n", (double)tb.watch_events / secs);
	fflush(stdout);
	/* Then check that what we hold is what the backend has. */
	tb.watching = 0;
	snprintf(tb.req_id, sizeof tb.req_id, "watch-digest");
	tb_send_json(json_pack("{s:s s:s}", "type", "digest", "id",
	    tb.req_id));
}

/* Send burst commands while fewer than the window are in flight. */
static void
tb_burst_next(void)
{
	json_t		*args;
	json_error_t	 jerr;
	const char	*tpl = tb.argv[3], *p;
	char		 id[64], num[24];
	char		*text;
	size_t		 len, cap;

	while (tb.burst_sent < tb.burst_n &&
	    tb.burst_sent - tb.burst_done < TB_BURST_WINDOW) {
		tb.burst_sent++;
		snprintf(num, sizeof num, "%d", tb.burst_sent);
		cap = strlen(tpl) * 4 + 64;
		text = xmalloc(cap);
		for (len = 0, p = tpl; *p != '\0' && len + 24 < cap; p++) {
			if (p[0] == '%' && p[1] == 'n') {
				len += (size_t)snprintf(text + len, cap - len,
				    "%s", num);
				p++;
			} else
				text[len++] = *p;
		}
		text[len] = '\0';
		args = json_loads(text, 0, &jerr);
		free(text);
		if (args == NULL) {
			fprintf(stderr, "tb-client: bad ARGS_JSON: %s\n",
			    jerr.text);
			tb_finish(2);
			return;
		}
		snprintf(id, sizeof id, "%s-%d", tb.argv[0], tb.burst_sent);
		tb_send_json(json_pack("{s:s s:s s:s s:o}", "type", "cmd",
		    "id", id, "cmd", tb.argv[2], "args", args));
	}
}

/* A result of the burst: print it, send more, or finish. */
static void
tb_burst_result(json_t *msg)
{
	const char	*id = json_string_value(json_object_get(msg, "id"));
	size_t		 plen = strlen(tb.argv[0]);

	if (id == NULL || strncmp(id, tb.argv[0], plen) != 0 ||
	    id[plen] != '-')
		return;
	if (json_is_true(json_object_get(msg, "ok")))
		printf("%s ok %" JSON_INTEGER_FORMAT "\n", id,
		    json_integer_value(json_object_get(msg, "seq")));
	else {
		printf("%s %s\n", id, json_string_value(json_object_get(msg,
		    "code")));
		tb.burst_refused++;
	}
	fflush(stdout);
	tb.burst_done++;
	if (tb.burst_done == tb.burst_n)
		tb_finish(tb.burst_refused > 0 ? 1 : 0);
	else
		tb_burst_next();
}

/*
 * A reading held back and sent from the current state ("conflated"): out
 * of the seq order; apply it when newer, without moving the store's seq.
 */
static void
tb_conflated(json_t *msg)
{
	json_t		*item = json_object_get(msg, "item");
	const char	*kind = json_string_value(json_object_get(msg, "kind"));
	const char	*id = json_string_value(json_object_get(item, "id"));
	struct hospital	*h;
	struct school	*sc;
	uint64_t	 seq = tb.store->seq;
	uint32_t	 have = 0;
	char		*cause = NULL;

	if (id == NULL)
		return;
	if (strcmp(kind, "hospital") == 0 &&
	    (h = store_hospital(tb.store, id)) != NULL)
		have = h->version;
	else if (strcmp(kind, "school") == 0 &&
	    (sc = store_school(tb.store, id)) != NULL)
		have = sc->version;
	if (json_integer_value(json_object_get(item, "version")) <=
	    (json_int_t)have)
		return;
	json_object_set_new(msg, "seq", json_integer((json_int_t)seq + 1));
	if (store_apply_event(tb.store, msg, STORE_SANITIZE, &cause) != 0) {
		fprintf(stderr, "tb-client: bad conflated event: %s\n",
		    cause);
		free(cause);
		tb_finish(2);
	}
	tb.store->seq = seq;
}

/* After hello (and the snapshot): do what was asked. */
static void
tb_act(void)
{
	json_t		*args;
	json_error_t	 jerr;
	size_t		 i;
	char		 digest[17];

	snprintf(tb.req_id, sizeof tb.req_id, "tb%x-%llx",
	    (unsigned)getpid() & 0xffff,
	    (unsigned long long)(clock_now() & 0xffffffff));
	switch (tb.mode) {
	case TB_HELLO:
		store_digest(tb.store, digest);
		printf("snapshot seq=%llu alerts=%zu units=%zu hospitals=%zu "
		    "schools=%zu feedback=%zu areas=%zu parts=%ld digest=%s\n",
		    (unsigned long long)tb.store->seq, tb.store->nalerts,
		    tb.store->nunits, tb.store->nhospitals,
		    tb.store->nschools, tb.store->nfeedback,
		    tb.store->nareas, tb.parts, digest);
		tb_finish(0);
		break;
	case TB_FIRST_ALERT:
		for (i = 0; i < tb.store->nalerts; i++) {
			if (tb.store->alerts[i].state == ALERT_NEW) {
				printf("%s\n", tb.store->alerts[i].id);
				tb_finish(0);
				return;
			}
		}
		fprintf(stderr, "tb-client: no new alert\n");
		tb_finish(1);
		break;
	case TB_FIRST_UNIT:
		for (i = 0; i < tb.store->nunits; i++) {
			if (tb.store->units[i].status == UNIT_AVAILABLE) {
				printf("%s\n", tb.store->units[i].id);
				tb_finish(0);
				return;
			}
		}
		fprintf(stderr, "tb-client: no available unit\n");
		tb_finish(1);
		break;
	case TB_GET:
		tb_send_json(json_pack("{s:s s:s s:s s:s}", "type", "get",
		    "id", tb.req_id, "kind", tb.argv[0], "item", tb.argv[1]));
		break;
	case TB_DIGEST:
		tb_send_json(json_pack("{s:s s:s}", "type", "digest", "id",
		    tb.req_id));
		break;
	case TB_CMD:
		if ((args = json_loads(tb.argv[1], 0, &jerr)) == NULL) {
			fprintf(stderr, "tb-client: bad ARGS_JSON: %s\n",
			    jerr.text);
			tb_finish(2);
			return;
		}
		if (tb.argc > 2)
			snprintf(tb.req_id, sizeof tb.req_id, "%s",
			    tb.argv[2]);
		/* Not proto_cmd_new(): tests send malformed args too. */
		tb_send_json(json_pack("{s:s s:s s:s s:o}", "type", "cmd",
		    "id", tb.req_id, "cmd", tb.argv[0], "args", args));
		break;
	case TB_RAW:
		tb_raw_next();
		break;
	case TB_SNAPSHOT:
		tb_finish(0);
		break;
	case TB_PRESENCE:
		break;
	case TB_BURST:
		tb_burst_next();
		break;
	case TB_WATCH:
		tb.watching = 1;
		tb.watch_t0 = clock_mono();
		tb.watch_wire0 = tb_wire_bytes();
		lws_sul_schedule(tb.ctx, 0, &tb.watch_timer, tb_watch_end,
		    (lws_usec_t)atoi(tb.argv[0]) * LWS_US_PER_SEC);
		break;
	}
}

/* ==== Inbound ==== */

static void
tb_print(json_t *msg)
{
	char	*s = proto_dump(msg);

	printf("%s\n", s);
	fflush(stdout);
	free(s);
}

/* A snapshot is in the store (gap: its marker). */
static void
tb_snapshot_loaded(int gap)
{
	tb.resume_snapshot = 1;
	tb.resume_gap = gap;
	if (!tb.have_snapshot && tb.resume < 0) {
		tb.have_snapshot = 1;
		tb_act();
	}
}

/* One part of a snapshot in parts: joined into the store at the last. */
static void
tb_snapshot_part(const char *buf, size_t len, const struct snapparts_head *h)
{
	char	*cause = NULL;
	int	 rc;

	if (tb.verbose || tb.mode == TB_SNAPSHOT) {
		printf("%.*s\n", (int)len, buf);
		fflush(stdout);
	}
	if (tb.watching)
		tb.watch_app += len;
	rc = snapparts_add(&tb.join, buf, len, h, STORE_SANITIZE, NULL, NULL,
	    &cause);
	if (rc < 0) {
		fprintf(stderr, "tb-client: bad snapshot: %s\n", cause);
		free(cause);
		tb_finish(2);
		return;
	}
	if (rc == 0)
		return;
	tb.parts = h->parts;
	store_replace(tb.store, snapparts_take(&tb.join));
	tb_snapshot_loaded(h->gap);
}

static void
tb_message(const char *buf, size_t len)
{
	struct snapparts_head	 h;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg, *item;
	char		*cause = NULL, digest[17];
	const char	*id;
	int		 ok;

	if (snapparts_peek(buf, len, &h) == SNAPPARTS_PART) {
		tb_snapshot_part(buf, len, &h);
		return;
	}
	if ((msg = proto_parse(buf, len, &type, &err, &cause)) == NULL) {
		fprintf(stderr, "tb-client: bad message from the server: "
		    "%s\n", cause);
		free(cause);
		tb_finish(2);
		return;
	}
	if (tb.verbose)
		tb_print(msg);
	if (tb.watching) {
		tb.watch_app += len;
		if (type == PROTO_EVENT)
			tb.watch_events++;
	}
	if (tb.mode == TB_BURST && type == PROTO_RESULT) {
		tb_burst_result(msg);
		goto out;
	}
	if (tb.mode == TB_PRESENCE && type == PROTO_PRESENCE) {
		if (!tb.verbose)
			tb_print(msg);
		tb_finish(0);
		goto out;
	}
	if (tb.mode == TB_RAW && tb.raw_waiting && (type == PROTO_RESULT ||
	    type == PROTO_ERROR)) {
		if (!tb.verbose)
			tb_print(msg);
		tb.raw_waiting = 0;
		lws_sul_cancel(&tb.raw_timer);
		tb_raw_next();
		goto out;
	}
	switch (type) {
	case PROTO_WELCOME:
		if (tb.mode == TB_HELLO && !tb.verbose)
			tb_print(msg);
		if (tb.resume >= 0) {
			/* Answered after every event resumed before it. */
			snprintf(tb.req_id, sizeof tb.req_id, "resume");
			tb_send_json(json_pack("{s:s s:s}", "type", "digest",
			    "id", tb.req_id));
		}
		break;
	case PROTO_SNAPSHOT:
		if (tb.mode == TB_SNAPSHOT && !tb.verbose)
			tb_print(msg);
		if (store_load_snapshot(tb.store, msg, STORE_SANITIZE,
		    &cause) != 0) {
			fprintf(stderr, "tb-client: bad snapshot: %s\n",
			    cause);
			free(cause);
			tb_finish(2);
			break;
		}
		tb.store->seq = (uint64_t)json_integer_value(
		    json_object_get(msg, "seq"));
		tb.parts = 1;
		tb_snapshot_loaded(json_is_true(json_object_get(msg, "gap")));
		break;
	case PROTO_EVENT:
		if (json_is_true(json_object_get(msg, "conflated"))) {
			if (tb.have_snapshot)
				tb_conflated(msg);
			break;
		}
		tb.resume_events++;
		if (tb.have_snapshot && store_apply_event(tb.store, msg,
		    STORE_SANITIZE, &cause) != 0) {
			fprintf(stderr, "tb-client: bad event: %s\n", cause);
			free(cause);
			tb_finish(2);
		}
		break;
	case PROTO_ERROR:
		if (!tb.verbose)
			tb_print(msg);
		tb_finish(1);
		break;
	case PROTO_RESULT:
		id = json_string_value(json_object_get(msg, "id"));
		if (id == NULL || strcmp(id, tb.req_id) != 0)
			break;
		ok = json_is_true(json_object_get(msg, "ok"));
		if (tb.mode == TB_WATCH) {
			store_digest(tb.store, digest);
			ok = ok && strcmp(digest, json_string_value(
			    json_object_get(msg, "digest")) != NULL ?
			    json_string_value(json_object_get(msg, "digest")) :
			    "") == 0 && (uint64_t)json_integer_value(
			    json_object_get(msg, "seq")) == tb.store->seq;
			printf("watch.digest %s (seq %" PRIu64 ", %s)\n",
			    ok ? "equal" : "differs", tb.store->seq, digest);
		} else if (tb.resume >= 0) {
			printf("resume events=%zu snapshot=%d gap=%s seq=%"
			    JSON_INTEGER_FORMAT "\n", tb.resume_events,
			    tb.resume_snapshot, tb.resume_gap ? "true" :
			    "false", json_integer_value(json_object_get(msg,
			    "seq")));
		} else if (tb.mode == TB_GET && ok) {
			item = json_object_get(msg, "item");
			if (item == NULL) {
				fprintf(stderr, "tb-client: result without "
				    "item\n");
				tb_finish(2);
				break;
			}
			tb_print(item);
		} else if (tb.mode == TB_DIGEST && ok) {
			printf("%" JSON_INTEGER_FORMAT " %s\n",
			    json_integer_value(json_object_get(msg, "seq")),
			    json_string_value(json_object_get(msg,
			    "digest")));
		} else if (!tb.verbose)
			tb_print(msg);
		if (!ok && tb.mode != TB_CMD && tb.verbose)
			fprintf(stderr, "tb-client: refused\n");
		tb_finish(ok ? 0 : 1);
		break;
	default:
		break;
	}
out:
	json_decref(msg);
}

static void
tb_rx(struct lws *wsi, const void *in, size_t len)
{
	int	last = lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0;

	if (tb.rx_discard || tb.rxlen + len > TB_RX_MAX) {
		tb.rx_discard = !last;
		tb.rxlen = 0;
		if (!tb.rx_discard)
			fprintf(stderr, "tb-client: message too large\n");
		return;
	}
	if (len > 0) {
		if (tb.rxlen + len > tb.rxcap) {
			tb.rxcap = tb.rxcap == 0 ? 65536 : tb.rxcap;
			while (tb.rxcap < tb.rxlen + len)
				tb.rxcap *= 2;
			tb.rx = xreallocarray(tb.rx, tb.rxcap, 1);
		}
		memcpy(tb.rx + tb.rxlen, in, len);
		tb.rxlen += len;
	}
	if (last) {
		tb_message(tb.rx != NULL ? tb.rx : "", tb.rxlen);
		tb.rxlen = 0;
	}
}

/*
 * Write the next fragment of the head of the queue. Each fragment is
 * copied into its own buffer with LWS_PRE headroom, kept until the next
 * WRITEABLE (permessage-deflate reads it late).
 */
static int
tb_writeable(struct lws *wsi)
{
	struct tb_out	*o;
	size_t		 n;
	int		 flags, first, last;

	free(tb.inflight);
	tb.inflight = NULL;
	if ((o = tb.out) == NULL)
		return (0);
	n = o->len - tb.frag_off;
	if (n > TB_FRAGMENT)
		n = TB_FRAGMENT;
	first = tb.frag_off == 0;
	last = tb.frag_off + n == o->len;
	flags = lws_write_ws_flags(LWS_WRITE_TEXT, first, last);
	tb.inflight = xmalloc(LWS_PRE + n + 1);
	memcpy(tb.inflight + LWS_PRE, o->buf + LWS_PRE + tb.frag_off, n);
	if (lws_write(wsi, (unsigned char *)tb.inflight + LWS_PRE, n,
	    flags) < (int)n) {
		fprintf(stderr, "tb-client: write failed\n");
		return (-1);
	}
	tb.frag_off += n;
	if (last) {
		tb.out = o->next;
		if (tb.out == NULL)
			tb.out_tail = &tb.out;
		free(o->buf);
		free(o);
		tb.frag_off = 0;
	}
	if (tb.out != NULL)
		lws_callback_on_writable(wsi);
	return (0);
}

static int
tb_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	unsigned char	*p = in;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		tb.wsi = NULL;
		if (in != NULL && strstr(in, "upgrade unauthorized") != NULL) {
			fprintf(stderr, "tb-client: the backend refused %s "
			    "(HTTP 401 unauthorized)\n", tb.token != NULL ?
			    "the token" : "us without a token");
			tb_finish(3);
			break;
		}
		fprintf(stderr, "tb-client: cannot connect: %s\n",
		    in != NULL ? (const char *)in : "?");
		tb_finish(2);
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (tb.token != NULL) {
			unsigned char	**pp = in, *end = *pp + len;
			char		 *v;
			int		  rc;

			xasprintf(&v, "Bearer %s", tb.token);
			rc = lws_add_http_header_by_token(wsi,
			    WSI_TOKEN_HTTP_AUTHORIZATION, (unsigned char *)v,
			    (int)strlen(v), pp, end);
			free(v);
			if (rc != 0)
				return (-1);
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		tb.wsi = wsi;
		if (tb.no_hello) {
			tb.have_snapshot = 1;
			tb_act();
		} else {
			json_t	*h = proto_hello_new("tb-client", tb.resume);

			if (tb.gauge_ms > 0)
				json_object_set_new(h, "gauge_ms",
				    json_integer(tb.gauge_ms));
			if (tb.follow != NULL)
				json_object_set_new(h, "follow",
				    json_string(tb.follow));
			/* It merges history deltas (store_apply_event()). */
			if (!tb.full_history)
				json_object_set_new(h, "history_delta",
				    json_true());
			if (!tb.whole)
				json_object_set_new(h, "snapshot_parts",
				    json_true());
			tb_send_json(h);
		}
		if (tb.out != NULL)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		tb_rx(wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return (tb_writeable(wsi));
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			printf("close %u %.*s\n", (unsigned)(p[0] << 8 | p[1]),
			    (int)(len - 2), (const char *)p + 2);
			fflush(stdout);
		}
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		tb.wsi = NULL;
		if (tb.await_close && tb.raw_over) {
			tb_finish(tb.raw_timeouts > 0 ? 1 : 0);
			break;
		}
		if (!tb.done) {
			fprintf(stderr, "tb-client: connection closed\n");
			tb_finish(2);
		}
		break;
	default:
		break;
	}
	return (lws_callback_http_dummy(wsi, reason, user, in, len));
}

static const struct lws_protocols tb_protocols[] = {
	{ PROTO_SUBPROTOCOL, tb_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* The console's offer (console/conn.c says why no no_context_takeover). */
static const struct lws_extension tb_exts[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	    "permessage-deflate; client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static void
tb_deadline(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	fprintf(stderr, "tb-client: deadline passed\n");
	tb_finish(2);
}

/* The first line of a token file, trimmed (caller frees); exits 2. */
static char *
tb_token_file(const char *path)
{
	FILE	*f;
	char	*line = NULL, *t, *e;
	size_t	 cap = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "tb-client: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (getline(&line, &cap, f) == -1) {
		fprintf(stderr, "tb-client: %s: no token\n", path);
		exit(2);
	}
	fclose(f);
	for (t = line; *t == ' ' || *t == '\t'; t++)
		/* nothing */;
	e = t + strlen(t);
	while (e > t && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		*--e = '\0';
	t = xstrdup(t);
	free(line);
	return (t);
}

static void __attribute__((noreturn))
tb_usage(void)
{
	fprintf(stderr,
	    "usage: tb-client [-T TOKEN | --token FILE] [--ca FILE] "
	    "[-g MS] [-F] [-W] [-f NAME] ...\n"
	    "       tb-client [-t SECONDS] [-n] [-v] [-r SEQ] URL hello\n"
	    "       tb-client URL get KIND ID\n"
	    "       tb-client URL digest\n"
	    "       tb-client URL cmd NAME ARGS_JSON [ID]\n"
	    "       tb-client [-c] [-n] URL raw TEXT|-|@FILE ...\n"
	    "       tb-client URL first-alert\n"
	    "       tb-client URL first-unit\n"
	    "       tb-client URL snapshot | presence\n"
	    "       tb-client URL burst PREFIX N NAME ARGS_JSON\n"
	    "       tb-client -t T URL watch SECONDS\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct lws_client_connect_info		 ci;
	const char				*prot, *addr, *path;
	char					*url, pathbuf[256];
	static const struct option		 longopts[] = {
		{ "token", required_argument, NULL, 'k' },
		{ "ca", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char				*ca = NULL;
	double					 secs = 10;
	int					 ch, port;
	struct tb_out				*o;

	tb.resume = -1;
	while ((ch = getopt_long(argc, argv, "cf:Fg:nr:t:T:vW", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'k':
			free(tb.token);
			tb.token = tb_token_file(optarg);
			break;
		case 'T':
			free(tb.token);
			tb.token = xstrdup(optarg);
			break;
		case 'C':
			ca = optarg;
			break;
		case 'F':
			tb.full_history = 1;
			break;
		case 'W':
			tb.whole = 1;
			break;
		case 'f':
			tb.follow = optarg;
			break;
		case 'g':
			tb.gauge_ms = atoi(optarg);
			if (tb.gauge_ms < 0)
				tb_usage();
			break;
		case 'c':
			tb.await_close = 1;
			break;
		case 'r':
			tb.resume = atoll(optarg);
			if (tb.resume < 0)
				tb_usage();
			break;
		case 'n':
			tb.no_hello = 1;
			break;
		case 't':
			secs = atof(optarg);
			if (secs <= 0)
				tb_usage();
			break;
		case 'v':
			tb.verbose = 1;
			break;
		default:
			tb_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		tb_usage();
	tb.argv = argv + 2;
	tb.argc = argc - 2;
	if (strcmp(argv[1], "hello") == 0 && tb.argc == 0)
		tb.mode = TB_HELLO;
	else if (strcmp(argv[1], "get") == 0 && tb.argc == 2)
		tb.mode = TB_GET;
	else if (strcmp(argv[1], "digest") == 0 && tb.argc == 0)
		tb.mode = TB_DIGEST;
	else if (strcmp(argv[1], "cmd") == 0 && (tb.argc == 2 ||
	    tb.argc == 3))
		tb.mode = TB_CMD;
	else if (strcmp(argv[1], "raw") == 0 && tb.argc >= 1)
		tb.mode = TB_RAW;
	else if (strcmp(argv[1], "first-alert") == 0 && tb.argc == 0)
		tb.mode = TB_FIRST_ALERT;
	else if (strcmp(argv[1], "first-unit") == 0 && tb.argc == 0)
		tb.mode = TB_FIRST_UNIT;
	else if (strcmp(argv[1], "snapshot") == 0 && tb.argc == 0)
		tb.mode = TB_SNAPSHOT;
	else if (strcmp(argv[1], "presence") == 0 && tb.argc == 0)
		tb.mode = TB_PRESENCE;
	else if (strcmp(argv[1], "burst") == 0 && tb.argc == 4 &&
	    (tb.burst_n = atoi(tb.argv[1])) > 0)
		tb.mode = TB_BURST;
	else if (strcmp(argv[1], "watch") == 0 && tb.argc == 1 &&
	    atoi(tb.argv[0]) > 0)
		tb.mode = TB_WATCH;
	else
		tb_usage();
	if (((tb.no_hello || tb.await_close) && tb.mode != TB_RAW) ||
	    (tb.resume >= 0 && tb.mode != TB_HELLO))
		tb_usage();

	url = xstrdup(argv[0]);
	if (lws_parse_uri(url, &prot, &addr, &port, &path) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0)) {
		fprintf(stderr, "tb-client: bad URL %s (want ws://HOST:PORT)\n",
		    argv[0]);
		return (2);
	}
	snprintf(pathbuf, sizeof pathbuf, "/%s", path);

	log_open(NULL, "tb-client");
	lws_set_log_level(LLL_ERR, log_lws_emit);
	tb.out_tail = &tb.out;
	tb.store = store_new();

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = tb_protocols;
	info.extensions = tb_exts;
	info.fd_limit_per_thread = 16;
	if (strcmp(prot, "wss") == 0)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = ca;
	if ((tb.ctx = lws_create_context(&info)) == NULL) {
		fprintf(stderr, "tb-client: cannot create the lws context\n");
		return (2);
	}
	lws_sul_schedule(tb.ctx, 0, &tb.deadline, tb_deadline,
	    (lws_usec_t)(secs * LWS_US_PER_SEC));

	memset(&ci, 0, sizeof ci);
	ci.context = tb.ctx;
	ci.address = addr;
	ci.port = port;
	ci.path = pathbuf;
	ci.host = addr;
	ci.origin = addr;
	ci.protocol = PROTO_SUBPROTOCOL;
	ci.ssl_connection = strcmp(prot, "wss") == 0 ? LCCSCF_USE_SSL : 0;
	if (lws_client_connect_via_info(&ci) == NULL && !tb.done) {
		fprintf(stderr, "tb-client: cannot connect to %s\n", argv[0]);
		tb_finish(2);
	}
	while (!tb.done) {
		if (lws_service(tb.ctx, 0) < 0)
			break;
	}
	lws_sul_cancel(&tb.deadline);
	lws_sul_cancel(&tb.raw_timer);
	lws_sul_cancel(&tb.watch_timer);
	lws_context_destroy(tb.ctx);

	while ((o = tb.out) != NULL) {
		tb.out = o->next;
		free(o->buf);
		free(o);
	}
	free(tb.inflight);
	free(tb.rx);
	free(url);
	free(tb.token);
	store_free(tb.store);
	return (tb.rc);
}

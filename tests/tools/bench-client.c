/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-client: the network figures of `make bench` (docs/bench.md). It
 * opens one or more protocol connections in one lws context, each with
 * the console's own permessage-deflate offer (conn_extensions[], linked
 * from the console) and the console's hello, and measures in windows that
 * start after every connection has its snapshot and a warm-up (its hello
 * says it reads batches, as the console's does):
 *
 *   bench-client [-r FILE] URL watch SECONDS
 *	One connection: the events the backend produced (by seq), the
 *	websocket payload received (bytes of whole messages, inflated) and
 *	the bytes and segments TCP received (TCP_INFO). -r FILE records the
 *	session from its state on, in the console's own recording format
 *	(console/record.c, docs/recording.md), which trucban --replay
 *	plays.
 *   bench-client [-i MS] URL rtt SECONDS
 *	One connection sending one command at a time, at most one every MS
 *	ms (default 100): "divert" on a hospital, on or off as it is not,
 *	cycling through the hospitals. Each sample is the time from the
 *	lws_write() of the command to the whole result message.
 *   bench-client -n N URL fanout SECONDS
 *	N connections: per event and connection, the time the whole message
 *	is in minus the event's "ts" (CLOCK_REALTIME, the backend's clock
 *	on the same host; ts is whole ms, so a sample is up to 1 ms long).
 *   bench-client URL deflate SECONDS
 *	One connection, a backend that makes no events of its own (--rate
 *	0): "divert" on the first hospital, then back, one at a time, and
 *	for each the websocket payload and the TCP bytes from the command
 *	to its result (the event and the result), as "deflate.1 payload P
 *	wire W" and "deflate.2 ...". The two events are nearly the same
 *	text: a compressor that keeps its context across messages sends
 *	the second in a fraction of the first's bytes, one that is reset
 *	per message in about as many (tests/e2e/wire-deflate.sh).
 *
 * Options: -n N connections (fanout; default 1), -w SECS warm-up (default
 * 5), -W N windows of SECONDS each (default 1), -t SECS deadline for the
 * whole run (default: everything plus 60 s).
 *
 * Prints "name value" lines, and for rtt and fanout one
 * "MODE.window K n N p50 MS p99 MS max MS secs S seq EVENTS ..." line per
 * window (seq: how far the first connection's seq moved); p99 is
 * the nearest rank (the ceil(0.99 n)-th smallest). Exits 0; 1 when a
 * connection closed or lost events during a window, or more than one
 * command in ten was refused; 2 on usage, connection failure or deadline.
 */

#include <sys/resource.h>
#include <sys/socket.h>

#include <linux/tcp.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "conn.h"
#include "log.h"
#include "proto.h"
#include "record.h"
#include "snapparts.h"
#include "store.h"
#include "xmalloc.h"

#define BC_RX_MAX	(64 * 1024 * 1024)

enum bc_mode {
	BC_WATCH,
	BC_RTT,
	BC_FANOUT,
	BC_DEFLATE
};

/* A message waiting for WRITEABLE, LWS_PRE headroom first. */
struct bc_out {
	char		*buf;
	size_t		 len;
	struct bc_out	*next;
};

struct bc_conn {
	int		 idx;
	struct lws	*wsi;
	int		 up;		/* Established and not closed. */
	int		 closed;	/* Closed after it was up. */
	int		 have_snapshot;
	uint64_t	 seq;		/* Last event applied or seen. */
	uint64_t	 gaps;		/* Events that skipped a seq. */

	char		*rx;
	size_t		 rxlen, rxcap;
	int		 rx_discard;
	struct snapparts_join join;	/* A snapshot in parts. */

	struct bc_out	*out, **out_tail;
	char		*inflight;	/* Until the next WRITEABLE. */

	/* Counters since the connection came up. */
	uint64_t	 msgs, events, payload;
};

/* Samples of one window (ms). */
struct bc_samples {
	double		*v;
	size_t		 n, cap;
};

static struct {
	enum bc_mode		 mode;
	const char		*url;
	int			 nconns;
	double			 warmup, secs, deadline;
	int			 windows;
	int			 interval_ms;
	const char		*record;

	struct lws_context	*ctx;
	struct bc_conn		*conns;
	int			 done, rc;
	int			 snapshots;	/* Connections that have one. */

	lws_sorted_usec_list_t	 sul_deadline;
	lws_sorted_usec_list_t	 sul_window;
	lws_sorted_usec_list_t	 sul_send;
	int			 window;	/* 0: warm-up; 1..windows. */
	int			 measuring;
	double			 w_start;	/* Monotonic s. */
	double			 w_cpu;		/* Process CPU s. */

	/* watch */
	struct recorder		*rec;
	json_t			*welcome;	/* For the recording. */
	uint64_t		 w_seq, w_events, w_payload;
	uint64_t		 w_wire, w_segs;
	double			 t_secs;
	uint64_t		 t_seq, t_events, t_payload, t_wire, t_segs;

	/* rtt */
	struct store		*store;
	size_t			 next_hospital;
	uint64_t		 cmd_n;
	char			 cmd_id[64];
	double			 cmd_sent;	/* 0: none in flight. */
	int			 cmd_written;
	double			 cmd_last;	/* When the last one went. */
	uint64_t		 refused;

	/* deflate */
	int			 dfl_round;	/* 1, 2; 0: not started. */
	uint64_t		 dfl_payload, dfl_wire;

	/* rtt and fanout */
	struct bc_samples	 samples;
	uint64_t		 w_gaps, w_closed;
	int			 failed;
} bc;

static double
bc_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Wall time in ms, as the backend's clock_now() but not truncated. */
static double
bc_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

static double
bc_cpu(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec /
	    1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec /
	    1e6);
}

static void
bc_finish(int rc)
{
	if (bc.done)
		return;
	bc.done = 1;
	bc.rc = rc;
	if (bc.ctx != NULL)
		lws_cancel_service(bc.ctx);
}

static void
bc_sample(double ms)
{
	if (bc.samples.n == bc.samples.cap) {
		bc.samples.cap = bc.samples.cap == 0 ? 65536 :
		    bc.samples.cap * 2;
		bc.samples.v = xreallocarray(bc.samples.v, bc.samples.cap,
		    sizeof *bc.samples.v);
	}
	bc.samples.v[bc.samples.n++] = ms;
}

static int
bc_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The nearest-rank percentile p (0 < p <= 100) of sorted v[0..n). */
static double
bc_rank(const double *v, size_t n, double p)
{
	size_t	k;

	if (n == 0)
		return (NAN);
	k = (size_t)ceil(p / 100.0 * (double)n);
	if (k < 1)
		k = 1;
	return (v[k - 1]);
}

/* ==== Sending ==== */

static void
bc_send_json(struct bc_conn *c, json_t *j)
{
	struct bc_out	*o;
	char		*text = proto_dump(j);
	size_t		 len = strlen(text);

	json_decref(j);
	o = xcalloc(1, sizeof *o);
	o->buf = xmalloc(LWS_PRE + len + 1);
	memcpy(o->buf + LWS_PRE, text, len + 1);
	o->len = len;
	free(text);
	*c->out_tail = o;
	c->out_tail = &o->next;
	if (c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
}

/*
 * One queued message per WRITEABLE; the buffer is kept until the next one
 * (permessage-deflate reads it late, technotes §2).
 */
static int
bc_writeable(struct bc_conn *c, struct lws *wsi)
{
	struct bc_out	*o;

	free(c->inflight);
	c->inflight = NULL;
	if ((o = c->out) == NULL)
		return (0);
	if ((c->out = o->next) == NULL)
		c->out_tail = &c->out;
	if (bc.mode == BC_RTT && bc.cmd_sent != 0 && !bc.cmd_written &&
	    strstr(o->buf + LWS_PRE, bc.cmd_id) != NULL) {
		bc.cmd_sent = bc_mono();
		bc.cmd_written = 1;
	}
	if (lws_write(wsi, (unsigned char *)o->buf + LWS_PRE, o->len,
	    LWS_WRITE_TEXT) < (int)o->len) {
		fprintf(stderr, "bench-client: write failed\n");
		free(o->buf);
		free(o);
		return (-1);
	}
	c->inflight = o->buf;
	free(o);
	if (c->out != NULL)
		lws_callback_on_writable(wsi);
	return (0);
}

/* ==== rtt ==== */

static void bc_rtt_next(lws_sorted_usec_list_t *);

/* Send the next divert: the next hospital, to the state it is not in. */
static void
bc_rtt_send(void)
{
	struct store	*s = bc.store;
	struct hospital	*h;

	if (s->nhospitals == 0) {
		fprintf(stderr, "bench-client: no hospitals to divert\n");
		bc_finish(2);
		return;
	}
	h = &s->hospitals[bc.next_hospital++ % s->nhospitals];
	snprintf(bc.cmd_id, sizeof bc.cmd_id, "bench-%x-%" PRIu64,
	    (unsigned)getpid() & 0xffff, ++bc.cmd_n);
	bc.cmd_sent = bc_mono();	/* Replaced at the lws_write(). */
	bc.cmd_written = 0;
	bc.cmd_last = bc.cmd_sent;
	bc_send_json(&bc.conns[0], json_pack("{s:s s:s s:s s:{s:s s:b}}",
	    "type", "cmd", "id", bc.cmd_id, "cmd", "divert", "args",
	    "hospital", h->id, "on", !h->diversion));
}

static void
bc_rtt_next(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (bc.measuring && bc.cmd_sent == 0)
		bc_rtt_send();
}

/* A result: the sample, then the next command on time. */
static void
bc_rtt_result(json_t *msg, double now)
{
	const char	*id = json_string_value(json_object_get(msg, "id"));
	double		 wait;

	if (id == NULL || bc.cmd_sent == 0 || strcmp(id, bc.cmd_id) != 0)
		return;
	if (bc.measuring && bc.cmd_written)
		bc_sample((now - bc.cmd_sent) * 1e3);
	if (!json_is_true(json_object_get(msg, "ok"))) {
		bc.refused++;
		fprintf(stderr, "bench-client: %s refused: %s\n", id,
		    json_string_value(json_object_get(msg, "code")));
	}
	bc.cmd_sent = 0;
	if (!bc.measuring)
		return;
	wait = bc.cmd_last + bc.interval_ms / 1e3 - bc_mono();
	if (wait <= 0)
		bc_rtt_send();
	else
		lws_sul_schedule(bc.ctx, 0, &bc.sul_send, bc_rtt_next,
		    (lws_usec_t)(wait * LWS_US_PER_SEC));
}

/* ==== deflate ==== */

static void	bc_tcp(struct bc_conn *, uint64_t *, uint64_t *);

/* Divert the first hospital to the state it is not in, counting from now. */
static void
bc_deflate_send(void)
{
	struct bc_conn	*c = &bc.conns[0];
	struct hospital	*h;
	uint64_t	 segs;

	if (bc.store->nhospitals == 0) {
		fprintf(stderr, "bench-client: no hospitals to divert\n");
		bc_finish(2);
		return;
	}
	h = &bc.store->hospitals[0];
	bc.dfl_round++;
	bc.dfl_payload = c->payload;
	bc_tcp(c, &bc.dfl_wire, &segs);
	snprintf(bc.cmd_id, sizeof bc.cmd_id, "deflate-%x-%d",
	    (unsigned)getpid() & 0xffff, bc.dfl_round);
	bc_send_json(c, json_pack("{s:s s:s s:s s:{s:s s:b}}", "type", "cmd",
	    "id", bc.cmd_id, "cmd", "divert", "args", "hospital", h->id,
	    "on", !h->diversion));
}

/* The result of a round: what it cost, then the next round or the end. */
static void
bc_deflate_result(json_t *msg)
{
	struct bc_conn	*c = &bc.conns[0];
	const char	*id = json_string_value(json_object_get(msg, "id"));
	uint64_t	 wire, segs;

	if (id == NULL || bc.dfl_round == 0 || strcmp(id, bc.cmd_id) != 0)
		return;
	if (!json_is_true(json_object_get(msg, "ok"))) {
		fprintf(stderr, "bench-client: %s refused: %s\n", id,
		    json_string_value(json_object_get(msg, "code")));
		bc_finish(1);
		return;
	}
	bc_tcp(c, &wire, &segs);
	printf("deflate.%d payload %" PRIu64 " wire %" PRIu64 "\n",
	    bc.dfl_round, c->payload - bc.dfl_payload, wire - bc.dfl_wire);
	fflush(stdout);
	if (bc.dfl_round == 2)
		bc_finish(0);
	else
		bc_deflate_send();
}

/* ==== Windows ==== */

/* Bytes and segments TCP received on the connection so far. */
static void
bc_tcp(struct bc_conn *c, uint64_t *bytes, uint64_t *segs)
{
	struct tcp_info	ti;
	socklen_t	len = sizeof ti;
	int		fd;

	*bytes = *segs = 0;
	if (c->wsi == NULL || (fd = lws_get_socket_fd(c->wsi)) < 0)
		return;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return;
	*bytes = ti.tcpi_bytes_received;
	*segs = ti.tcpi_segs_in;
}

static void
bc_window_begin(void)
{
	struct bc_conn	*c = &bc.conns[0];
	int		 i;

	bc.measuring = 1;
	bc.w_start = bc_mono();
	bc.w_cpu = bc_cpu();
	bc.samples.n = 0;
	bc.w_gaps = bc.w_closed = 0;
	for (i = 0; i < bc.nconns; i++) {
		bc.w_gaps += bc.conns[i].gaps;
		bc.w_closed += bc.conns[i].closed;
	}
	switch (bc.mode) {
	case BC_WATCH:
		bc.w_seq = c->seq;
		bc.w_events = c->events;
		bc.w_payload = c->payload;
		bc_tcp(c, &bc.w_wire, &bc.w_segs);
		break;
	case BC_DEFLATE:
		if (bc.dfl_round == 0)
			bc_deflate_send();
		break;
	case BC_RTT:
		if (bc.cmd_sent == 0)
			bc_rtt_send();
		/* FALLTHROUGH */
	case BC_FANOUT:
		bc.w_seq = c->seq;
		break;
	}
}

static void
bc_window_end(void)
{
	struct bc_conn	*c = &bc.conns[0];
	double		 secs = bc_mono() - bc.w_start, cpu;
	uint64_t	 wire, segs, gaps = 0, closed = 0;
	int		 i;

	bc.measuring = 0;
	cpu = (bc_cpu() - bc.w_cpu) / secs * 100.0;
	for (i = 0; i < bc.nconns; i++) {
		gaps += bc.conns[i].gaps;
		closed += bc.conns[i].closed;
	}
	gaps -= bc.w_gaps;
	closed -= bc.w_closed;
	if (gaps > 0 || closed > 0)
		bc.failed = 1;
	switch (bc.mode) {
	case BC_WATCH:
		bc_tcp(c, &wire, &segs);
		printf("watch.window %d secs %.3f seq %" PRIu64 " events %"
		    PRIu64 " payload %" PRIu64 " wire %" PRIu64 " segs %"
		    PRIu64 " gaps %" PRIu64 " closed %" PRIu64 "\n",
		    bc.window, secs, c->seq - bc.w_seq, c->events -
		    bc.w_events, c->payload - bc.w_payload, wire - bc.w_wire,
		    segs - bc.w_segs, gaps, closed);
		bc.t_secs += secs;
		bc.t_seq += c->seq - bc.w_seq;
		bc.t_events += c->events - bc.w_events;
		bc.t_payload += c->payload - bc.w_payload;
		bc.t_wire += wire - bc.w_wire;
		bc.t_segs += segs - bc.w_segs;
		break;
	case BC_RTT:
	case BC_FANOUT:
		qsort(bc.samples.v, bc.samples.n, sizeof *bc.samples.v,
		    bc_cmp);
		printf("%s.window %d n %zu p50 %.3f p99 %.3f max %.3f secs "
		    "%.3f seq %" PRIu64 " gaps %" PRIu64 " closed %" PRIu64
		    " cpu %.1f\n", bc.mode == BC_RTT ? "rtt" : "fanout",
		    bc.window, bc.samples.n, bc_rank(bc.samples.v,
		    bc.samples.n, 50), bc_rank(bc.samples.v, bc.samples.n, 99),
		    bc.samples.n > 0 ? bc.samples.v[bc.samples.n - 1] : NAN,
		    secs, c->seq - bc.w_seq, gaps, closed, cpu);
		if (bc.samples.n == 0)
			bc.failed = 1;
		break;
	case BC_DEFLATE:
		fprintf(stderr, "bench-client: no result in %.0f s\n", secs);
		bc.failed = 1;
		break;
	}
	fflush(stdout);
}

static void
bc_window_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (bc.window > 0)
		bc_window_end();
	if (bc.window == bc.windows) {
		if (bc.mode == BC_WATCH && bc.t_secs > 0) {
			printf("watch.secs %.3f\n", bc.t_secs);
			printf("watch.events_per_s %.2f\n",
			    (double)bc.t_seq / bc.t_secs);
			printf("watch.received_events_per_s %.2f\n",
			    (double)bc.t_events / bc.t_secs);
			printf("watch.payload_bytes_per_s %.1f\n",
			    (double)bc.t_payload / bc.t_secs);
			printf("watch.wire_bytes_per_s %.1f\n",
			    (double)bc.t_wire / bc.t_secs);
			printf("watch.wire_segs_per_s %.2f\n",
			    (double)bc.t_segs / bc.t_secs);
		}
		if (bc.mode == BC_RTT) {
			/*
			 * A refusal is still an answer (the simulator may
			 * divert a hospital between our look and our
			 * command); many mean the commands were wrong.
			 */
			printf("rtt.refused %" PRIu64 " of %" PRIu64 "\n",
			    bc.refused, bc.cmd_n);
			if (bc.refused * 10 > bc.cmd_n)
				bc.failed = 1;
		}
		bc_finish(bc.failed ? 1 : 0);
		return;
	}
	bc.window++;
	bc_window_begin();
	lws_sul_schedule(bc.ctx, 0, &bc.sul_window, bc_window_cb,
	    (lws_usec_t)(bc.secs * LWS_US_PER_SEC));
}

/* ==== Inbound ==== */

static void
bc_event(struct bc_conn *c, json_t *msg, enum proto_type type, double now)
{
	json_t		*v;
	uint64_t	 seq;
	char		*cause = NULL;

	c->events++;
	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	if (c->seq != 0 && seq != c->seq + 1)
		c->gaps++;
	c->seq = seq;
	if (bc.mode == BC_FANOUT && bc.measuring &&
	    json_is_integer(v = json_object_get(msg, "ts")))
		bc_sample(now - (double)json_integer_value(v));
	if ((bc.mode == BC_RTT || bc.mode == BC_DEFLATE) &&
	    store_apply_event(bc.store, msg, 0,
	    &cause) != 0) {
		fprintf(stderr, "bench-client: bad %s: %s\n",
		    proto_type_names[type], cause);
		free(cause);
		bc_finish(2);
	}
}

/* The events of a batch, each as if it came alone (console/sync.c). */
static void
bc_batch(struct bc_conn *c, json_t *msg, double wall)
{
	json_t	*ev;
	size_t	 i;
	char	*cause = NULL;

	json_array_foreach(json_object_get(msg, "events"), i, ev) {
		if (proto_check_event(ev, &cause) != 0) {
			fprintf(stderr, "bench-client: bad batch: %s\n", cause);
			free(cause);
			bc_finish(2);
			return;
		}
		if (c->idx == 0)
			record_msg(bc.rec, "in", ev);
		if (!json_is_true(json_object_get(ev, "conflated")))
			bc_event(c, ev, PROTO_EVENT, wall);
	}
}

static void
bc_snapshot(struct bc_conn *c, json_t *msg)
{
	struct store	*st;
	char		*cause = NULL;

	/* The recording starts with the state (format 2). */
	if (c->idx == 0 && bc.rec != NULL && !record_started(bc.rec)) {
		st = store_new();
		if (store_load_snapshot(st, msg, STORE_SANITIZE, &cause) == 0)
			record_start(bc.rec, st, bc.welcome, 1);
		else {
			fprintf(stderr, "bench-client: snapshot not recorded: "
			    "%s\n", cause);
			free(cause);
			cause = NULL;
		}
		store_free(st);
	}

	c->seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	if ((bc.mode == BC_RTT || bc.mode == BC_DEFLATE) &&
	    store_load_snapshot(bc.store, msg, 0, &cause) != 0) {
		fprintf(stderr, "bench-client: bad snapshot: %s\n", cause);
		free(cause);
		bc_finish(2);
		return;
	}
	if (bc.mode == BC_RTT || bc.mode == BC_DEFLATE)
		bc.store->seq = c->seq;
	if (c->have_snapshot)
		return;
	c->have_snapshot = 1;
	if (++bc.snapshots == bc.nconns) {
		/* Everybody is in: the warm-up, then the windows. */
		lws_sul_schedule(bc.ctx, 0, &bc.sul_window, bc_window_cb,
		    (lws_usec_t)(bc.warmup * LWS_US_PER_SEC));
	}
}

/*
 * A part of a snapshot in parts (docs/protocol.md §4): joined as the
 * console joins them; the whole state then goes on as a snapshot in one.
 */
static void
bc_snapshot_part(struct bc_conn *c, const char *buf, size_t len,
    const struct snapparts_head *h)
{
	struct store	*st;
	json_t		*msg;
	char		*cause = NULL;
	int		 rc;

	rc = snapparts_add(&c->join, buf, len, h, 0, NULL, NULL, &cause);
	if (rc < 0) {
		fprintf(stderr, "bench-client: bad snapshot part: %s\n", cause);
		free(cause);
		bc_finish(2);
		return;
	}
	if (rc == 0)
		return;
	st = snapparts_take(&c->join);
	msg = store_snapshot(st);
	store_free(st);
	json_object_set_new(msg, "type", json_string("snapshot"));
	json_object_set_new(msg, "gap", json_boolean(h->gap));
	if (c->idx == 0)
		record_msg(bc.rec, "in", msg);
	bc_snapshot(c, msg);
	json_decref(msg);
}

static void
bc_message(struct bc_conn *c, const char *buf, size_t len)
{
	struct snapparts_head	 h;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg;
	char		*cause = NULL;
	double		 wall = bc_wall_ms(), now = bc_mono();

	c->msgs++;
	c->payload += len;
	if (snapparts_peek(buf, len, &h) == SNAPPARTS_PART) {
		bc_snapshot_part(c, buf, len, &h);
		return;
	}
	if ((msg = proto_parse(buf, len, &type, &err, &cause)) == NULL) {
		fprintf(stderr, "bench-client: bad message: %s\n", cause);
		free(cause);
		bc_finish(2);
		return;
	}
	if (c->idx == 0 && type != PROTO_BATCH)
		record_msg(bc.rec, "in", msg);
	if (c->idx == 0 && type == PROTO_WELCOME && bc.rec != NULL) {
		json_decref(bc.welcome);
		bc.welcome = json_incref(msg);
	}
	switch (type) {
	case PROTO_SNAPSHOT:
		bc_snapshot(c, msg);
		break;
	case PROTO_EVENT:
		if (json_is_true(json_object_get(msg, "conflated")))
			break;	/* Asked for by nobody here. */
		bc_event(c, msg, type, wall);
		break;
	case PROTO_BATCH:
		bc_batch(c, msg, wall);
		break;
	case PROTO_RESULT:
		if (bc.mode == BC_RTT)
			bc_rtt_result(msg, now);
		else if (bc.mode == BC_DEFLATE)
			bc_deflate_result(msg);
		break;
	case PROTO_ERROR:
		fprintf(stderr, "bench-client: error from the backend: %s\n",
		    json_string_value(json_object_get(msg, "message")));
		bc_finish(2);
		break;
	default:
		break;
	}
	json_decref(msg);
}

static void
bc_rx(struct bc_conn *c, struct lws *wsi, const void *in, size_t len)
{
	int	last = lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0;

	if (c->rx_discard || c->rxlen + len > BC_RX_MAX) {
		c->rx_discard = !last;
		c->rxlen = 0;
		if (!c->rx_discard) {
			fprintf(stderr, "bench-client: message too large\n");
			bc_finish(2);
		}
		return;
	}
	if (len > 0) {
		if (c->rxlen + len > c->rxcap) {
			c->rxcap = c->rxcap == 0 ? 65536 : c->rxcap;
			while (c->rxcap < c->rxlen + len)
				c->rxcap *= 2;
			c->rx = xreallocarray(c->rx, c->rxcap, 1);
		}
		memcpy(c->rx + c->rxlen, in, len);
		c->rxlen += len;
	}
	if (last) {
		bc_message(c, c->rx != NULL ? c->rx : "", c->rxlen);
		c->rxlen = 0;
	}
}

static int
bc_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct bc_conn	*c = wsi != NULL ? lws_get_opaque_user_data(wsi) :
			    NULL;
	char		 client[64];
	json_t		*hello;

	if (c == NULL)
		return (lws_callback_http_dummy(wsi, reason, user, in, len));
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "bench-client: connection %d: cannot connect: "
		    "%s\n", c->idx, in != NULL ? (const char *)in : "?");
		c->wsi = NULL;
		bc_finish(2);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->wsi = wsi;
		c->up = 1;
		snprintf(client, sizeof client, "bench-client %d", c->idx);
		/* The console's hello: batches, deltas, snapshot parts. */
		hello = proto_hello_new(client, -1);
		json_object_set_new(hello, "batch", json_true());
		json_object_set_new(hello, "history_delta", json_true());
		json_object_set_new(hello, "snapshot_parts", json_true());
		bc_send_json(c, hello);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		bc_rx(c, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return (bc_writeable(c, wsi));
	case LWS_CALLBACK_CLIENT_CLOSED:
		c->wsi = NULL;
		if (c->up && !bc.done) {
			c->closed = 1;
			fprintf(stderr, "bench-client: connection %d closed by "
			    "the backend\n", c->idx);
			/* Nothing more can be measured on a lone link. */
			if (bc.nconns == 1)
				bc_finish(1);
		}
		c->up = 0;
		break;
	default:
		break;
	}
	return (0);
}

static const struct lws_protocols bc_protocols[] = {
	{ PROTO_SUBPROTOCOL, bc_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
bc_deadline(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	fprintf(stderr, "bench-client: deadline passed (%d of %d connections "
	    "have a snapshot)\n", bc.snapshots, bc.nconns);
	bc_finish(2);
}

static void __attribute__((noreturn))
bc_usage(void)
{
	fprintf(stderr,
	    "usage: bench-client [-w SECS] [-W N] [-t SECS] [-r FILE] URL "
	    "watch SECONDS\n"
	    "       bench-client [-w SECS] [-W N] [-t SECS] [-i MS] URL rtt "
	    "SECONDS\n"
	    "       bench-client [-w SECS] [-W N] [-t SECS] -n N URL fanout "
	    "SECONDS\n"
	    "       bench-client [-w SECS] [-t SECS] URL deflate SECONDS\n");
	exit(2);
}

static double
bc_number(const char *s, double lo, double hi)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= lo && v <= hi))
		bc_usage();
	return (v);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct lws_client_connect_info		 ci;
	const char				*prot, *addr, *path;
	char					*url, pathbuf[256];
	struct bc_conn				*c;
	struct bc_out				*o;
	char					*cause = NULL;
	int					 ch, port, i;

	bc.nconns = 1;
	bc.warmup = 5;
	bc.windows = 1;
	bc.interval_ms = 100;
	while ((ch = getopt(argc, argv, "i:n:r:t:w:W:")) != -1) {
		switch (ch) {
		case 'i':
			bc.interval_ms = (int)bc_number(optarg, 1, 60000);
			break;
		case 'n':
			bc.nconns = (int)bc_number(optarg, 1, 5000);
			break;
		case 'r':
			bc.record = optarg;
			break;
		case 't':
			bc.deadline = bc_number(optarg, 1, 1e6);
			break;
		case 'w':
			bc.warmup = bc_number(optarg, 0, 3600);
			break;
		case 'W':
			bc.windows = (int)bc_number(optarg, 1, 1000);
			break;
		default:
			bc_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3)
		bc_usage();
	bc.url = argv[0];
	if (strcmp(argv[1], "watch") == 0)
		bc.mode = BC_WATCH;
	else if (strcmp(argv[1], "rtt") == 0)
		bc.mode = BC_RTT;
	else if (strcmp(argv[1], "fanout") == 0)
		bc.mode = BC_FANOUT;
	else if (strcmp(argv[1], "deflate") == 0)
		bc.mode = BC_DEFLATE;
	else
		bc_usage();
	bc.secs = bc_number(argv[2], 0.1, 86400);
	if ((bc.mode != BC_FANOUT && bc.nconns != 1) ||
	    (bc.record != NULL && bc.mode != BC_WATCH))
		bc_usage();
	if (bc.deadline == 0)
		bc.deadline = bc.warmup + bc.secs * bc.windows + 60;

	url = xstrdup(bc.url);
	if (lws_parse_uri(url, &prot, &addr, &port, &path) != 0 ||
	    strcmp(prot, "ws") != 0) {
		fprintf(stderr, "bench-client: bad URL %s (want "
		    "ws://HOST:PORT)\n", bc.url);
		return (2);
	}
	snprintf(pathbuf, sizeof pathbuf, "/%s", path);

	log_open(NULL, "bench-client");
	lws_set_log_level(LLL_ERR, log_lws_emit);
	if (bc.record != NULL &&
	    (bc.rec = record_open(bc.record, bc.url, &cause)) == NULL) {
		fprintf(stderr, "bench-client: %s\n", cause);
		return (2);
	}
	if (bc.mode == BC_RTT || bc.mode == BC_DEFLATE)
		bc.store = store_new();
	bc.conns = xcalloc((size_t)bc.nconns, sizeof *bc.conns);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = bc_protocols;
	info.extensions = conn_extensions;	/* The console's offer. */
	info.fd_limit_per_thread = (unsigned)bc.nconns + 16;
	if ((bc.ctx = lws_create_context(&info)) == NULL) {
		fprintf(stderr, "bench-client: cannot create the lws "
		    "context\n");
		return (2);
	}
	lws_sul_schedule(bc.ctx, 0, &bc.sul_deadline, bc_deadline,
	    (lws_usec_t)(bc.deadline * LWS_US_PER_SEC));
	for (i = 0; i < bc.nconns && !bc.done; i++) {
		c = &bc.conns[i];
		c->idx = i;
		c->out_tail = &c->out;
		memset(&ci, 0, sizeof ci);
		ci.context = bc.ctx;
		ci.address = addr;
		ci.port = port;
		ci.path = pathbuf;
		ci.host = addr;
		ci.origin = addr;
		ci.protocol = PROTO_SUBPROTOCOL;
		ci.opaque_user_data = c;
		if (lws_client_connect_via_info(&ci) == NULL) {
			fprintf(stderr, "bench-client: cannot connect to %s\n",
			    bc.url);
			bc_finish(2);
		}
	}
	while (!bc.done) {
		if (lws_service(bc.ctx, 0) < 0)
			break;
	}
	lws_sul_cancel(&bc.sul_deadline);
	lws_sul_cancel(&bc.sul_window);
	lws_sul_cancel(&bc.sul_send);
	lws_context_destroy(bc.ctx);

	for (i = 0; i < bc.nconns; i++) {
		c = &bc.conns[i];
		while ((o = c->out) != NULL) {
			c->out = o->next;
			free(o->buf);
			free(o);
		}
		free(c->inflight);
		free(c->rx);
		snapparts_reset(&c->join);
	}
	free(bc.conns);
	free(bc.samples.v);
	record_close(bc.rec);
	json_decref(bc.welcome);
	store_free(bc.store);
	free(url);
	log_close();
	return (bc.rc);
}

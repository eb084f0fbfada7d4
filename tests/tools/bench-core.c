/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Core benchmarks for `make bench`: codec and store throughput and the size
 * of a province snapshot. Prints one "name value unit" line per figure.
 *
 *   bench-core [-n ROUNDS]	(events and sanitiser calls; default 200,000)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "proto.h"
#include "sanitize.h"
#include "store.h"
#include "xmalloc.h"

static double
bench_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
bench_alert(struct alert *a, int i)
{
	memset(a, 0, sizeof *a);
	snprintf(a->id, sizeof a->id, "A-%04d", i);
	a->kind = i % ALERT_KIND_COUNT;
	a->severity = 1 + i % 4;
	strcpy(a->area, "HL");
	a->place = xstrdup("Phường Bãi Cháy");
	a->title = xstrdup("Cháy nhà dân tại Phường Bãi Cháy, Hạ Long");
	a->source = SOURCE_CITIZEN;
	a->created = a->updated = 1795320000000LL + i;
	a->version = 1;
}

int
main(int argc, char **argv)
{
	struct store	*s = store_new(), *r = store_new();
	struct alert	 a;
	json_t		*item, *ev, *m, *snap;
	char		*text, *cause = NULL;
	enum proto_type	 type;
	enum proto_err	 err;
	double		 t0, dt;
	size_t		 bytes = 0, i, n = 200000;
	char		*end;
	int		 ch;
	static const char hostile[] = "Khói \x1b[31mbụi\x1b]0;x\x07 than "
	    "\xe2\x80\xae ở Cẩm Phả làm người dân ho nhiều, đề nghị kiểm tra.";

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n' || (n = strtoul(optarg, &end, 10)) == 0 ||
		    *end != '\0') {
			fprintf(stderr, "usage: bench-core [-n ROUNDS]\n");
			return (2);
		}
	}

	/* Event encode -> text -> parse -> apply with sanitising. */
	t0 = bench_secs();
	for (i = 0; i < n; i++) {
		bench_alert(&a, (int)(i % 5000));
		item = proto_alert_encode(&a);
		alert_clear(&a);
		ev = proto_event_new(i + 1, 0, "alert", item);
		text = proto_dump(ev);
		json_decref(ev);
		bytes += strlen(text);
		m = proto_parse(text, strlen(text), &type, &err, &cause);
		free(text);
		if (m == NULL || store_apply_event(s, m, STORE_SANITIZE,
		    &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			return (1);
		}
		json_decref(m);
	}
	dt = bench_secs() - t0;
	printf("codec.event_round_trip %.0f events/s\n", n / dt);
	printf("codec.event_size %.0f bytes/event\n", (double)bytes / n);

	/* Snapshot of 5000 alerts. */
	t0 = bench_secs();
	snap = store_snapshot(s);
	text = proto_dump(snap);
	if (store_load_snapshot(r, snap, STORE_SANITIZE, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		return (1);
	}
	dt = bench_secs() - t0;
	printf("store.snapshot_5000_alerts %zu bytes\n", strlen(text));
	printf("store.snapshot_5000_alerts_round_trip %.1f ms\n", dt * 1000);
	free(text);
	json_decref(snap);

	/* Loading a snapshot of 100,000 alerts: linear, by the id index. */
	store_free(r);
	r = store_new();
	for (i = 0; i < 100000; i++) {
		bench_alert(&a, (int)i);
		snprintf(a.id, sizeof a.id, "A-%06zu", i);
		store_put_alert(r, &a);
	}
	snap = store_snapshot(r);
	t0 = bench_secs();
	if (store_load_snapshot(r, snap, 0, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		return (1);
	}
	dt = bench_secs() - t0;
	printf("store.load_100000_alerts %.1f ms\n", dt * 1000);
	json_decref(snap);

	/* Sanitiser on hostile citizen text. */
	t0 = bench_secs();
	for (i = 0; i < n; i++) {
		text = sanitize_text(hostile, sizeof hostile - 1,
		    SANITIZE_KEEP_NL);
		free(text);
	}
	dt = bench_secs() - t0;
	printf("sanitize.hostile_text %.1f MB/s\n",
	    n * (sizeof hostile - 1) / dt / 1e6);

	store_free(s);
	store_free(r);
	return (0);
}

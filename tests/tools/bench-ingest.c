/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-ingest: how fast the console applies a recorded stream, against
 * jansson parsing the same lines alone (docs/bench.md).
 *
 *   bench-ingest [-r ROUNDS] [-s SECONDS] RECORDING
 *
 * RECORDING is a session recording (docs/recording.md, format 2): its
 * state and its "in" messages up to the first event (presence) set a
 * connection up, and its events are the stream. Each
 * message is serialised compactly again (proto_dump(), as the backend
 * serialises) before anything is timed. A round times, for at least
 * SECONDS (default 1) each:
 *
 *   ingest	the events through sync_receive() (console/sync.c: parse,
 *		validate, sanitise, apply to the store, the record and
 *		"changed" hooks), on a sync made with sync_create() without
 *		a link or a screen, set up with the messages before the
 *		stream (untimed), as often as it takes;
 *   parse	json_loadb() and json_decref() of the same texts.
 *
 * ROUNDS rounds (default 3) alternate the two. Prints "name value" lines:
 * events per second of each (the median round) and their ratio. Exits 0,
 * or 1 when the recording has no stream or the console refuses it.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"
#include "proto.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#define BI_ROUNDS_MAX	25

struct bi_text {
	char	*s;
	size_t	 len;
};

static struct bi_text	*bi_setup, *bi_events;
static size_t		 bi_nsetup, bi_nevents;
static uint64_t		 bi_last;	/* Seq of the last event. */

static double
bi_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
bi_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
bi_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bi_cmp);
	return (n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

static void
bi_add(struct bi_text **v, size_t *n, json_t *msg)
{
	char	*s = proto_dump(msg);

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].s = s;
	(*v)[*n].len = strlen(s);
	(*n)++;
}

/* Split the recording into set-up messages and the event stream. */
static void
bi_load(const char *path)
{
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, lineno = 0;
	ssize_t		 n;
	json_t		*rec, *msg;
	json_error_t	 jerr;
	const char	*dir, *type;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bench-ingest: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if ((rec = json_loadb(line, (size_t)n, 0, &jerr)) == NULL) {
			fprintf(stderr, "bench-ingest: %s:%zu: %s\n", path,
			    lineno, jerr.text);
			exit(1);
		}
		dir = json_string_value(json_object_get(rec, "dir"));
		msg = json_object_get(rec, "msg");
		type = json_string_value(json_object_get(msg, "type"));
		if (dir != NULL && strcmp(dir, "state") == 0 && type != NULL)
			bi_add(&bi_setup, &bi_nsetup, msg);
		else if (dir != NULL && strcmp(dir, "in") == 0 &&
		    type != NULL) {
			if (strcmp(type, "event") == 0) {
				bi_add(&bi_events, &bi_nevents, msg);
				bi_last = (uint64_t)json_integer_value(
				    json_object_get(msg, "seq"));
			}
			else if (bi_nevents == 0)
				bi_add(&bi_setup, &bi_nsetup, msg);
		}
		json_decref(rec);
	}
	free(line);
	fclose(f);
}

/* One pass of the stream through a new sync; returns seconds. */
static double
bi_ingest_pass(void)
{
	struct store		*s = store_new();
	struct sync		*c;
	size_t			 i;
	double			 t0, dt;

	c = sync_create(s, NULL);
	sync_up(c);
	for (i = 0; i < bi_nsetup; i++)
		sync_receive(c, bi_setup[i].s, bi_setup[i].len);
	if (s->seq == 0) {
		fprintf(stderr, "bench-ingest: no snapshot before the "
		    "events\n");
		exit(1);
	}
	t0 = bi_secs();
	for (i = 0; i < bi_nevents; i++) {
		if (sync_receive(c, bi_events[i].s, bi_events[i].len) != 0) {
			fprintf(stderr, "bench-ingest: event %zu refused\n",
			    i);
			exit(1);
		}
	}
	dt = bi_secs() - t0;
	if (s->seq != bi_last) {
		fprintf(stderr, "bench-ingest: the stream was not applied\n");
		exit(1);
	}
	sync_free(c);
	store_free(s);
	return (dt);
}

static double
bi_parse_pass(void)
{
	json_t		*j;
	json_error_t	 jerr;
	size_t		 i;
	double		 t0 = bi_secs();

	for (i = 0; i < bi_nevents; i++) {
		if ((j = json_loadb(bi_events[i].s, bi_events[i].len, 0,
		    &jerr)) == NULL) {
			fprintf(stderr, "bench-ingest: %s\n", jerr.text);
			exit(1);
		}
		json_decref(j);
	}
	return (bi_secs() - t0);
}

/* Events per second over passes lasting at least secs in all. */
static double
bi_round(double (*pass)(void), double secs)
{
	double	spent = 0;
	size_t	events = 0;

	do {
		spent += pass();
		events += bi_nevents;
	} while (spent < secs);
	return ((double)events / spent);
}

int
main(int argc, char **argv)
{
	double	 ingest[BI_ROUNDS_MAX], parse[BI_ROUNDS_MAX], secs = 1, v;
	char	*end;
	size_t	 i;
	int	 ch, rounds = 3, r;

	while ((ch = getopt(argc, argv, "r:s:")) != -1) {
		switch (ch) {
		case 'r':
		case 's':
			errno = 0;
			v = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    !(v > 0 && v <= (ch == 'r' ? BI_ROUNDS_MAX : 600)))
				goto usage;
			if (ch == 'r')
				rounds = (int)v;
			else
				secs = v;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	log_open("/dev/null", "bench-ingest");
	bi_load(argv[optind]);
	if (bi_nevents == 0) {
		fprintf(stderr, "bench-ingest: %s has no events\n",
		    argv[optind]);
		return (1);
	}
	printf("ingest.events %zu\n", bi_nevents);
	for (r = 0; r < rounds; r++) {
		ingest[r] = bi_round(bi_ingest_pass, secs);
		parse[r] = bi_round(bi_parse_pass, secs);
		printf("ingest.round %d ingest_events_per_s %.0f "
		    "parse_only_events_per_s %.0f\n", r + 1, ingest[r],
		    parse[r]);
		fflush(stdout);
	}
	v = bi_median(ingest, rounds);
	printf("ingest.ingest_events_per_s %.0f\n", v);
	printf("ingest.parse_only_events_per_s %.0f\n",
	    bi_median(parse, rounds));
	printf("ingest.ratio %.3f\n", v / bi_median(parse, rounds));
	for (i = 0; i < bi_nsetup; i++)
		free(bi_setup[i].s);
	for (i = 0; i < bi_nevents; i++)
		free(bi_events[i].s);
	free(bi_setup);
	free(bi_events);
	log_close();
	return (0);

usage:
	fprintf(stderr, "usage: bench-ingest [-r ROUNDS] [-s SECONDS] "
	    "RECORDING\n");
	return (2);
}

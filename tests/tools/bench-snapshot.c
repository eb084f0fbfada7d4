/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-snapshot: how long a console takes to load a snapshot, against
 * parsing the same text alone (docs/bench.md).
 *
 *   bench-snapshot [-r RUNS] [-b SECONDS] SNAPFILE
 *
 * SNAPFILE holds one snapshot message (bench-state writes one). Each run
 * times, in this process, from the text in memory:
 *
 *   parse	json_loadb() and json_decref(): jansson alone;
 *   load	store_load_snapshot_text() with STORE_SANITIZE into an
 *		empty store: how the console reads a snapshot over
 *		SYNC_STREAM_MIN, one item at a time (the store is freed
 *		untimed);
 *   load_tree	the whole parse, then store_load_snapshot(): the way
 *		small snapshots go (an extra).
 *
 * The console refuses messages over PROTO_MAX_DOWN_FRAME; the load here
 * reads the text as it would any below, so that a state above that limit
 * is still measured, and says so ("snapshot.over_frame_limit 1").
 *
 * At the end it loads the snapshot once more, frees the text and gives
 * back free memory (malloc_trim()), and reports the process's RSS then
 * ("snapshot.held_rss_kb": a process holding the store and nothing else
 * of the load) and what the store costs an item
 * ("snapshot.store_bytes_per_item": that RSS less the RSS before the
 * load, less the text, over the items). The peak of that last load alone
 * ("snapshot.text_load_peak_rss_kb", the text included: the console's
 * path) is read with the kernel's peak reset before it (clear_refs 5);
 * "snapshot.peak_rss_kb" is the whole run's, jansson's whole trees of the
 * parse and load_tree runs included.
 *
 * RUNS runs (default 3) alternate the two; no new run starts once the
 * runs so far took more than SECONDS (default 120), so a slow load is
 * measured once rather than not at all. Prints "name value" lines: the
 * median of each, every run, and the peak RSS. Exits 0, or 1 when the
 * snapshot does not load.
 */

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BN_RUNS_MAX	100

static double
bn_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

static int
bn_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The median of v[0..n), n > 0; sorts v. */
static double
bn_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bn_cmp);
	return (n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

/* A "Vm...:" line of /proc/self/status in kB, or -1. */
static long
bn_status_kb(const char *key)
{
	FILE	*f;
	char	 line[256];
	size_t	 n = strlen(key);
	long	 v = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return (v);
}

/* Reset the process's peak RSS to its RSS now; -1 when it cannot. */
static int
bn_reset_peak(void)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen("/proc/self/clear_refs", "w")) == NULL)
		return (-1);
	rc = fputs("5", f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return (rc);
}

/* The whole file, NUL-terminated (caller frees); exits on error. */
static char *
bn_read(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bench-snapshot: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	*len = 0;
	for (;;) {
		if (*len + 1048576 > cap) {
			cap = cap == 0 ? 16 * 1048576 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	fclose(f);
	while (*len > 0 && buf[*len - 1] == '\n')
		(*len)--;
	buf[*len] = '\0';
	return (buf);
}

int
main(int argc, char **argv)
{
	double		 parse[BN_RUNS_MAX], load[BN_RUNS_MAX], t0, v;
	double		 tree[BN_RUNS_MAX];
	long		 before, held, peak;
	size_t		 items;
	double		 budget = 120, spent = 0;	/* s, ms */
	char		*text, *end, *cause = NULL;
	size_t		 len;
	json_t		*j;
	json_error_t	 jerr;
	struct store	*s;
	int		 ch, runs = 3, n;

	while ((ch = getopt(argc, argv, "b:r:")) != -1) {
		switch (ch) {
		case 'b':
		case 'r':
			errno = 0;
			v = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    !(v >= 1 && v <= (ch == 'r' ? BN_RUNS_MAX : 1e6)))
				goto usage;
			if (ch == 'r')
				runs = (int)v;
			else
				budget = v;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	log_open("/dev/null", "bench-snapshot");
	text = bn_read(argv[optind], &len);
	printf("snapshot.bytes %zu\n", len);
	printf("snapshot.over_frame_limit %d\n", len > PROTO_MAX_DOWN_FRAME);

	for (n = 0; n < runs && spent <= budget * 1e3; n++) {
		t0 = bn_ms();
		if ((j = json_loadb(text, len, 0, &jerr)) == NULL) {
			fprintf(stderr, "bench-snapshot: %s: %s\n",
			    argv[optind], jerr.text);
			return (1);
		}
		json_decref(j);
		parse[n] = bn_ms() - t0;

		s = store_new();
		t0 = bn_ms();
		if (store_load_snapshot_text(s, text, len, STORE_SANITIZE,
		    NULL, NULL, &cause) != 0) {
			fprintf(stderr, "bench-snapshot: %s: %s\n",
			    argv[optind], cause);
			return (1);
		}
		load[n] = bn_ms() - t0;
		store_free(s);

		s = store_new();
		t0 = bn_ms();
		if ((j = json_loadb(text, len, 0, &jerr)) == NULL ||
		    store_load_snapshot(s, j, STORE_SANITIZE, &cause) != 0) {
			fprintf(stderr, "bench-snapshot: %s: %s\n",
			    argv[optind], cause != NULL ? cause : jerr.text);
			return (1);
		}
		json_decref(j);
		tree[n] = bn_ms() - t0;
		printf("snapshot.run %d parse_ms %.1f load_ms %.1f "
		    "load_tree_ms %.1f alerts %zu feedback %zu\n", n + 1,
		    parse[n], load[n], tree[n], s->nalerts, s->nfeedback);
		fflush(stdout);
		store_free(s);
		spent += parse[n] + load[n] + tree[n];
	}
	printf("snapshot.runs %d\n", n);
	printf("snapshot.parse_ms %.1f\n", bn_median(parse, n));
	printf("snapshot.load_ms %.1f\n", bn_median(load, n));
	printf("snapshot.load_tree_ms %.1f\n", bn_median(tree, n));
	printf("snapshot.peak_rss_kb %ld\n", bn_status_kb("VmHWM"));

	/* What holding the state costs, the load's garbage given back. */
	malloc_trim(0);
	before = bn_status_kb("VmRSS");
	peak = bn_reset_peak();
	s = store_new();
	if (store_load_snapshot_text(s, text, len, STORE_SANITIZE, NULL,
	    NULL, &cause) != 0) {
		fprintf(stderr, "bench-snapshot: %s: %s\n", argv[optind],
		    cause);
		return (1);
	}
	if (peak == 0)
		peak = bn_status_kb("VmHWM");
	free(text);
	malloc_trim(0);
	held = bn_status_kb("VmRSS");
	items = s->nalerts + s->nunits + s->nhospitals + s->nschools +
	    s->nfeedback;
	printf("snapshot.held_rss_kb %ld\n", held);
	printf("snapshot.text_load_peak_rss_kb %ld\n", peak);
	printf("snapshot.store_bytes_per_item %.0f\n", items == 0 ? 0.0 :
	    ((double)(held - before) * 1024.0 + (double)len) /
	    (double)items);
	store_free(s);
	log_close();
	return (0);

usage:
	fprintf(stderr, "usage: bench-snapshot [-r RUNS] [-b SECONDS] "
	    "SNAPFILE\n");
	return (2);
}

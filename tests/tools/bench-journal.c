/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-journal: how fast the journal appends, and how long a restart
 * takes with a journal of N events (default 1,000,000).
 *
 *   bench-journal [-n EVENTS] [-s SNAPSHOT_EVERY] [-d DATADIR] DIR
 *   bench-journal -o [-d DATADIR] STATEDIR (time opening a state directory,
 *	as a restart would, and nothing else)
 *
 * It simulates the province (seed 1, a school day, a tick every 100 ms of
 * simulated time) into DIR/snap with a snapshot every SNAPSHOT_EVERY
 * events (default as the backend's), making the journal durable every 100
 * events as a busy loop would, then opens it again in a fresh state and
 * times that; then the same without snapshots (DIR/full: the whole
 * journal is replayed). DIR must not exist or be empty; it is left for a
 * look, and removed by scripts/bench.sh. Prints "name value unit" lines.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "be-data.h"
#include "be-journal.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* Tuesday 24/11/2026, 08:00 at UTC+7. */
#define BJ_T0		1795482000000LL
#define BJ_FLUSH_EVERY	100

static const char	*bj_data;

/* Real elapsed time: the simulation drives clock.h's clock. */
static int64_t
bj_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* A state on the dataset, seeded 1; *dp is the dataset (caller frees). */
static struct be_state *
bj_state(struct be_data **dp)
{
	struct be_state	*st;
	char		*cause = NULL;

	st = be_state_new(1);
	if (be_data_load(bj_data, st->store, &st->rng, dp, &cause) != 0) {
		fprintf(stderr, "bench-journal: %s\n", cause);
		exit(1);
	}
	return (st);
}

static void
bj_check(int rc, char *cause)
{
	if (rc != 0) {
		fprintf(stderr, "bench-journal: %s\n", cause);
		exit(1);
	}
}

/*
 * Fill dir with n events; then time a restart. Prints under name; returns
 * the restart time in ms.
 */
static int64_t
bj_run(const char *dir, uint64_t n, uint64_t every, const char *name,
    int appends)
{
	struct be_state		*st;
	struct be_data		*d;
	struct be_sim		*sim;
	struct be_journal	*j;
	const struct be_journal_stats *js;
	char			 d1[17], d2[17], *cause = NULL;
	int64_t			 t0, t_flush = 0, t, ms;
	uint64_t		 last = 0, bytes, syncs;
	double			 secs;

	clock_set_fixed(BJ_T0);
	st = bj_state(&d);
	sim = be_sim_new(st, d);
	bj_check(be_journal_open(st, dir, every, &j, &cause), cause);
	be_sim_initial_day(sim);
	t0 = bj_ms();
	while (st->store->seq < n) {
		clock_advance(100);
		be_sim_tick(sim);
		if (st->store->seq - last >= BJ_FLUSH_EVERY) {
			t = bj_ms();
			bj_check(be_journal_flush(j, &cause), cause);
			t_flush += bj_ms() - t;
			last = st->store->seq;
		}
	}
	bj_check(be_journal_flush(j, &cause), cause);
	secs = (double)(bj_ms() - t0) / 1000.0;
	js = be_journal_stats(j);
	bytes = js->bytes;
	syncs = js->syncs;
	store_digest(st->store, d1);
	n = st->store->seq;
	bj_check(be_journal_close(j, &cause), cause);
	be_sim_free(sim);
	be_state_free(st);
	be_data_free(d);
	if (appends) {
		printf("journal.append_events_per_s %.0f events/s (simulated "
		    "and journalled, fdatasync every %d)\n", (double)n / secs,
		    BJ_FLUSH_EVERY);
		printf("journal.append_mb_per_s %.1f MB/s (%.0f bytes an "
		    "event)\n", (double)bytes / 1e6 / secs,
		    (double)bytes / (double)n);
		printf("journal.flush_ms_per_sync %.3f ms (write + fdatasync, "
		    "%llu syncs)\n", syncs > 0 ? (double)t_flush /
		    (double)syncs : 0.0, (unsigned long long)syncs);
	}

	st = bj_state(&d);
	t0 = bj_ms();
	bj_check(be_journal_open(st, dir, every, &j, &cause), cause);
	ms = bj_ms() - t0;
	js = be_journal_stats(j);
	store_digest(st->store, d2);
	printf("%s %lld ms (snapshot at %llu, %llu events replayed, "
	    "digest %s)\n", name, (long long)ms,
	    (unsigned long long)js->snapshot_seq,
	    (unsigned long long)js->events,
	    strcmp(d1, d2) == 0 ? "equal" : "DIFFERS");
	bj_check(be_journal_close(j, &cause), cause);
	be_state_free(st);
	be_data_free(d);
	clock_set_real();
	return (strcmp(d1, d2) == 0 ? ms : -1);
}

/* Time opening an existing state directory. */
static int
bj_open_only(const char *dir)
{
	struct be_state		*st;
	struct be_data		*d;
	struct be_journal	*j;
	const struct be_journal_stats *js;
	char			*cause = NULL;
	int64_t			 t0;

	st = bj_state(&d);
	t0 = bj_ms();
	bj_check(be_journal_open(st, dir, 0, &j, &cause), cause);
	js = be_journal_stats(j);
	printf("journal.open %lld ms (seq %llu: snapshot at %llu, %llu events "
	    "replayed)\n", (long long)(bj_ms() - t0),
	    (unsigned long long)st->store->seq,
	    (unsigned long long)js->snapshot_seq,
	    (unsigned long long)js->events);
	bj_check(be_journal_close(j, &cause), cause);
	be_state_free(st);
	be_data_free(d);
	return (0);
}

int
main(int argc, char **argv)
{
	char		*snap, *full, *end, *name, *count;
	uint64_t	 n = 1000000, every = BE_JOURNAL_SNAPSHOT_EVERY;
	int		 ch, rc = 0, open_only = 0;
	struct stat	 sb;

	bj_data = stat("data/quangninh/province.json", &sb) == 0 ?
	    "data/quangninh" : "tests/data";
	while ((ch = getopt(argc, argv, "d:n:os:")) != -1) {
		switch (ch) {
		case 'o':
			open_only = 1;
			break;
		case 'd':
			bj_data = optarg;
			break;
		case 'n':
			n = strtoull(optarg, &end, 10);
			if (*end != '\0' || n == 0)
				goto usage;
			break;
		case 's':
			every = strtoull(optarg, &end, 10);
			if (*end != '\0')
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	log_open("/dev/null", "bench-journal");
	if (open_only) {
		rc = bj_open_only(argv[optind]);
		log_close();
		return (rc);
	}
	if (mkdir(argv[optind], 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "bench-journal: %s: %s\n", argv[optind],
		    strerror(errno));
		return (1);
	}
	xasprintf(&snap, "%s/snap", argv[optind]);
	xasprintf(&full, "%s/full", argv[optind]);
	if (n == 1000000)
		count = xstrdup("1m");
	else
		xasprintf(&count, "%llu", (unsigned long long)n);
	xasprintf(&name, "journal.restart_%s_events", count);
	if (bj_run(snap, n, every, name, 1) < 0)
		rc = 1;
	free(name);
	xasprintf(&name, "journal.restart_%s_events_no_snapshots", count);
	if (bj_run(full, n, 0, name, 0) < 0)
		rc = 1;
	free(name);
	free(count);
	free(snap);
	free(full);
	log_close();
	return (rc);

usage:
	fprintf(stderr, "usage: bench-journal [-n EVENTS] [-s SNAPSHOT_EVERY] "
	    "[-d DATADIR] DIR\n"
	    "       bench-journal -o [-d DATADIR] STATEDIR\n");
	return (2);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-sim: how big the live snapshot grows when the simulated province
 * runs for days at the standard load (docs/bench.md).
 *
 *   bench-sim [-r RATE] [-D DAYS] [-b SECONDS] [-d DATADIR]
 *
 * The backend's state on the dataset, seed 1, from Tuesday 24/11/2026
 * 08:00 (UTC+7) with the start of day the backend plays; then
 * be_sim_tick() at the cadence the backend's timer has at RATE events a
 * second (default 20: a tick every 50 ms), on the driven clock
 * (core/clock.c), for DAYS days (default 30). Only the simulator's public
 * entry points are used, as tests/test-be-sim.c does; no network, no
 * journal.
 *
 * At the end of each simulated day (and at the end of a last part day)
 * it prints "sim.day N hours H bytes B ..." with the size of the
 * snapshot message a console would get then (be_query_snapshot(),
 * compact). It stops early once SECONDS (default: no limit) of real time
 * have passed ("sim.stopped budget"), or at the end of a day when the
 * days left, each at least as long as that one, would overrun SECONDS
 * ("sim.stopped projected"). Then "sim.simulated_hours",
 * "sim.days_done" (whole days), and "sim.complete 1" with
 * "sim.snapshot_bytes" (at the end) when it reached DAYS, or
 * "sim.complete 0" with "sim.snapshot_bytes_at_stop". Exits 0, or 1 on
 * error.
 *
 * With -c N, N command ids are remembered (as many as the backend keeps
 * at most is BE_IDEM_IDS) before the snapshot, each with a payload and a
 * result of the usual size: they travel in the snapshot record.
 *
 * With -n NATS_URL (a JetStream server: a scratch one, its stream
 * TRUCBAN_SNAP is created and written to) it then takes the state's
 * snapshot as a gateway's lease holder does and reads it back as a
 * starting gateway does (be-nsnap.c): "nsnap.bytes", "nsnap.chunks",
 * "nsnap.build_ms" (the record, in the loop), "nsnap.write_ms"
 * (serialised and written, by the writer's thread) and "nsnap.load_ms"
 * (manifests listed, chunks read and checked, the record loaded into a
 * state with the dataset: a gateway's start before the events after it).
 */

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "be-data.h"
#include "be-idem.h"
#include "be-journal.h"
#include "be-nsnap.h"
#include "be-query.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/* Tuesday 24/11/2026, 08:00 at UTC+7, as tests/tools/bench-journal.c. */
#define BM_T0		1795482000000LL
#define BM_DAY_MS	86400000LL

static double
bm_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Bytes of the snapshot message a console would get now. */
static size_t
bm_snapshot_bytes(struct be_state *st)
{
	json_t	*o = be_query_snapshot(st, 0, NULL);
	char	*text = proto_dump(o);
	size_t	 n = strlen(text);

	free(text);
	json_decref(o);
	return (n);
}

/* How the live alerts stand: open work, resolved, closed (retained). */
static void
bm_states(const struct store *s)
{
	size_t	i, n[ALERT_STATE_COUNT] = { 0 };

	for (i = 0; i < s->nalerts; i++) {
		if ((unsigned)s->alerts[i].state < ALERT_STATE_COUNT)
			n[s->alerts[i].state]++;
	}
	printf("sim.alerts_open %zu\n", store_open_alerts(s, 0));
	printf("sim.alerts_resolved %zu\n", n[ALERT_RESOLVED]);
	printf("sim.alerts_closed %zu\n", n[ALERT_CLOSED]);
}

#ifdef HAVE_NATS
/* The snapshot of st to TRUCBAN_SNAP at url, and back into a new state. */
static int
bm_nsnap(struct be_state *st, const char *data, const char *url)
{
	natsConnection			*nc = NULL;
	jsCtx				*js = NULL;
	jsStreamConfig			 cfg;
	jsStreamInfo			*si = NULL;
	struct be_nsnap_manifest	 m, *v = NULL;
	struct be_state			*st2;
	struct be_data			*d2;
	const char			*subjs[1] = { BE_NSNAP_SUBJ };
	json_t				*rec;
	char				*text, *back = NULL, *cause = NULL;
	size_t				 n = 0;
	double				 t0, t1, t2;
	int				 rc = -1;

	if (natsConnection_ConnectTo(&nc, url) != NATS_OK ||
	    natsConnection_JetStream(&js, nc, NULL) != NATS_OK) {
		fprintf(stderr, "bench-sim: cannot reach %s\n", url);
		goto out;
	}
	jsStreamConfig_Init(&cfg);
	cfg.Name = BE_NSNAP_STREAM;
	cfg.Subjects = subjs;
	cfg.SubjectsLen = 1;
	cfg.Storage = js_FileStorage;
	if (js_AddStream(&si, js, &cfg, NULL, NULL) != NATS_OK) {
		fprintf(stderr, "bench-sim: cannot create %s\n",
		    BE_NSNAP_STREAM);
		goto out;
	}
	jsStreamInfo_Destroy(si);
	t0 = bm_secs();
	rec = be_journal_snapshot_record(st);
	t1 = bm_secs();
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (be_nsnap_publish(js, text, strlen(text), st->store->seq,
	    "0000000000000000", BE_NSNAP_CHUNK, &m, &cause) != 0) {
		fprintf(stderr, "bench-sim: %s\n", cause);
		free(text);
		goto out;
	}
	t2 = bm_secs();
	printf("nsnap.bytes %zu\n", strlen(text));
	printf("nsnap.chunks %zu\n", m.nchunks);
	printf("nsnap.build_ms %.0f\n", (t1 - t0) * 1000);
	printf("nsnap.write_ms %.0f\n", (t2 - t1) * 1000);
	free(text);
	be_nsnap_manifest_free(&m);

	st2 = be_state_new(1);
	if (be_data_load(data, st2->store, &st2->rng, &d2, &cause) != 0) {
		fprintf(stderr, "bench-sim: %s\n", cause);
		be_state_free(st2);
		goto out;
	}
	t0 = bm_secs();
	if (be_nsnap_list(js, &v, &n, &cause) != 0 || n == 0 ||
	    be_nsnap_fetch(js, &v[n - 1], &back, &cause) != 0 ||
	    be_journal_load_record(st2, back, v[n - 1].size, v[n - 1].seq,
	    "bench", &cause) != 0)
		fprintf(stderr, "bench-sim: reading back: %s\n",
		    cause != NULL ? cause : "no manifest");
	else {
		printf("nsnap.load_ms %.0f\n", (bm_secs() - t0) * 1000);
		rc = 0;
	}
	free(back);
	be_nsnap_list_free(v, n);
	be_state_free(st2);
	be_data_free(d2);
out:
	free(cause);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	return (rc);
}
#endif

static double
bm_number(const char *s, double lo, double hi)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= lo &&
	    v <= hi)) {
		fprintf(stderr, "usage: bench-sim [-r RATE] [-D DAYS] "
		    "[-b SECONDS] [-d DATADIR] [-c IDS] [-n NATS_URL]\n");
		exit(2);
	}
	return (v);
}

int
main(int argc, char **argv)
{
	struct be_state	*st;
	struct be_data	*d;
	struct be_sim	*sim;
	struct stat	 sb;
	const char	*data = NULL, *nats = NULL;
	size_t		 ids = 0, i;
	char		 id[64], payload[160], result[160];
	char		*cause = NULL;
	double		 rate = 20, days = 30, budget = 0, t0, secs;
	double		 day_secs = 0;
	int64_t		 end_ms, next_day, now_us = 0, period_us, ms = 0;
	int64_t		 day_ms = 0;
	uint64_t	 ticks = 0, seq_day = 0;
	size_t		 bytes = 0;
	int		 ch, day = 0, stopped = 0;

	while ((ch = getopt(argc, argv, "b:c:d:D:n:r:")) != -1) {
		switch (ch) {
		case 'c':
			ids = (size_t)bm_number(optarg, 0, BE_IDEM_IDS);
			break;
		case 'n':
			nats = optarg;
			break;
		case 'b':
			budget = bm_number(optarg, 0, 1e7);
			break;
		case 'd':
			data = optarg;
			break;
		case 'D':
			days = bm_number(optarg, 0.001, 3650);
			break;
		case 'r':
			rate = bm_number(optarg, 0.01, BE_SIM_RATE_MAX);
			break;
		default:
			bm_number("", 0, 0);
		}
	}
	if (optind != argc)
		bm_number("", 0, 0);
	if (data == NULL)
		data = stat("data/quangninh/province.json", &sb) == 0 ?
		    "data/quangninh" : "tests/data";
	log_open("/dev/null", "bench-sim");

	/* The backend's timer: a tick every 1e6 / rate microseconds. */
	period_us = (int64_t)(1e6 / rate);
	if (period_us < 1)
		period_us = 1;
	clock_set_fixed(BM_T0);
	st = be_state_new(1);
	if (be_data_load(data, st->store, &st->rng, &d, &cause) != 0) {
		fprintf(stderr, "bench-sim: %s\n", cause);
		return (1);
	}
	/* Retention as the backend has it: its default window, an archive. */
	if (be_state_open_archive(st, NULL, &cause) != 0) {
		fprintf(stderr, "bench-sim: %s\n", cause);
		return (1);
	}
	sim = be_sim_new(st, d);
	be_sim_initial_day(sim);

	end_ms = (int64_t)(days * (double)BM_DAY_MS);
	next_day = BM_DAY_MS < end_ms ? BM_DAY_MS : end_ms;
	t0 = bm_secs();
	while (ms < end_ms) {
		now_us += period_us;
		clock_advance(now_us / 1000 - ms);
		ms = now_us / 1000;
		be_sim_tick(sim);
		ticks++;
		if (ms >= next_day) {
			bytes = bm_snapshot_bytes(st);
			secs = bm_secs() - t0;
			day++;
			printf("sim.day %d hours %.1f bytes %zu seq %" PRIu64
			    " events %" PRIu64 " alerts %zu feedback %zu secs "
			    "%.1f\n", day, (double)ms / 3600000.0, bytes,
			    st->store->seq, st->store->seq - seq_day,
			    st->store->nalerts, st->store->nfeedback, secs);
			fflush(stdout);
			seq_day = st->store->seq;
			/*
			 * A day never costs less than the one before (the
			 * state does not shrink): stop now when the days left
			 * at this day's cost already overrun the budget.
			 */
			if (budget > 0 && ms < end_ms && secs + (secs -
			    day_secs) * (double)(end_ms - ms) /
			    (double)(ms - day_ms) > budget) {
				stopped = 1;
				printf("sim.stopped projected\n");
				break;
			}
			day_secs = secs;
			day_ms = ms;
			next_day += BM_DAY_MS;
			if (next_day > end_ms)
				next_day = end_ms;
		}
		if (budget > 0 && ticks % 4096 == 0 && bm_secs() - t0 >
		    budget) {
			stopped = 1;
			printf("sim.stopped budget\n");
			break;
		}
	}
	secs = bm_secs() - t0;
	printf("sim.rate %g\n", rate);
	printf("sim.ticks %" PRIu64 "\n", ticks);
	printf("sim.simulated_hours %.2f\n", (double)ms / 3600000.0);
	printf("sim.secs %.1f\n", secs);
	printf("sim.us_per_tick %.2f\n", ticks > 0 ? secs * 1e6 /
	    (double)ticks : 0.0);
	printf("sim.days_done %d\n", (int)(ms / BM_DAY_MS));
	if (!stopped)
		printf("sim.snapshot_bytes %zu\n", bytes);
	else
		printf("sim.snapshot_bytes_at_stop %zu\n",
		    bm_snapshot_bytes(st));
	printf("sim.alerts %zu\n", st->store->nalerts);
	bm_states(st->store);
	printf("sim.feedback %zu\n", st->store->nfeedback);
	printf("sim.complete %d\n", !stopped);
	fflush(stdout);
	for (i = 0; i < ids; i++) {
		snprintf(id, sizeof id, "op%02zu-%08zx", i % 50, i);
		snprintf(payload, sizeof payload, "{\"type\":\"command\","
		    "\"id\":\"%s\",\"cmd\":\"ack\",\"target\":\"A-%06zu\","
		    "\"version\":3}", id, i % 1000);
		snprintf(result, sizeof result, "{\"type\":\"result\","
		    "\"id\":\"%s\",\"ok\":true,\"seq\":%zu}", id, i);
		be_idem_put(st->idem, id, payload, result);
	}
	if (ids > 0)
		printf("sim.command_ids %zu\n", ids);
	if (nats != NULL) {
#ifdef HAVE_NATS
		clock_set_real();
		if (bm_nsnap(st, data, nats) != 0)
			return (1);
#else
		fprintf(stderr, "bench-sim: -n: built without libnats\n");
		return (1);
#endif
	}
	be_sim_free(sim);
	be_state_free(st);
	be_data_free(d);
	clock_set_real();
	log_close();
	return (0);
}

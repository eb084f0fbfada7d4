/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * bench-state: a large province state, the same on every run, for the
 * "100k" figures of `make bench` (docs/bench.md).
 *
 *   bench-state [-D] [-a ALERTS] [-f CASES] [-d DATADIR] SNAPFILE STATEDIR
 *
 * Loads the dataset as the backend does, then adds ALERTS alerts (default
 * 100,000) and CASES feedback cases (default 20,000) in the mix of states
 * a province that has run for a while holds (mostly closed, each with the
 * history the simulator would have written), all created in the two hours
 * before now, so that no retention window takes them out while the bench
 * runs. Every choice comes from a fixed-seed generator: only the times
 * move with the clock.
 *
 * Writes SNAPFILE: the snapshot message a console receives for that state
 * (one line of compact JSON, as be_query_snapshot() makes it), and makes
 * STATEDIR (which must not exist) a backend state directory holding it,
 * through the backend's own code: the state is loaded into the backend's
 * store and be_journal_open() on the new directory writes its first
 * snapshot, so `trucban-backend --state STATEDIR` restarts with it in
 * whatever format the journal has. Prints "name value" lines; with -D
 * also the state's digest (store_digest(), what the backend's "digest"
 * answers; with today's store that costs another load).
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
#include "be-journal.h"
#include "be-query.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BS_MIN		60000LL
#define BS_SPREAD	(120 * BS_MIN)	/* Created within the last 2 h. */

/* What an alert says, by kind; %s is the place. */
static const char *const bs_titles[ALERT_KIND_COUNT] = {
	"Ngập sâu 0,5 m trên đường tại %s, xe máy chết máy hàng loạt",
	"Cây đổ chắn ngang đường tại %s sau gió mạnh",
	"Cháy nhà dân tại %s, khói lớn, cần hỗ trợ",
	"Va chạm giữa xe tải và xe máy tại %s, ùn tắc kéo dài",
	"Thông số quan trắc vượt ngưỡng tại %s",
	"Ngộ độc thực phẩm tập thể tại %s",
	"Đánh nhau, gây rối trật tự công cộng tại %s",
	"Vỡ đường ống cấp nước tại %s",
	"Mất kết nối mạng tại trung tâm hành chính công %s"
};

/* Citizens' feedback; %s is the place. */
static const struct {
	const char	*category;
	const char	*dept;
	const char	*text;
} bs_cases[] = {
	{ "environment", "STNMT", "Có mùi hôi thối nồng nặc bốc lên từ kênh "
	    "thoát nước ở %s, người dân phải đóng cửa cả ngày." },
	{ "traffic", "SGTVT", "Đèn tín hiệu tại ngã tư gần %s bị hỏng từ "
	    "sáng, xe cộ đi lại lộn xộn, rất nguy hiểm." },
	{ "health", "SYT", "Bệnh nhân phải chờ khám từ 6 giờ sáng đến gần "
	    "trưa tại trạm y tế %s, đề nghị bố trí thêm bàn khám." },
	{ "land", "STNMT", "Đất rừng ở %s bị san gạt trái phép, đề nghị "
	    "kiểm tra và xử lý." },
	{ "construction", "SXD", "Công trình ở %s thi công ban đêm, máy khoan, "
	    "máy đầm ồn đến 2 giờ sáng." },
	{ "security", "CA", "Khu tập thể ở %s tuần này mất liền ba xe máy, "
	    "đề nghị công an tăng cường tuần tra." }
};

static const char *const bs_officers[] = { "sim", "lan", "minh", "hoa" };

static uint64_t	bs_state = 0x7472756362616e31ULL;	/* "trucban1" */

/* splitmix64: a fixed sequence, whatever the platform. */
static uint64_t
bs_next(void)
{
	uint64_t	z = (bs_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static uint32_t
bs_below(uint32_t n)
{
	return ((uint32_t)(bs_next() % n));
}

/* An index into weights[0..n) drawn by weight. */
static size_t
bs_weighted(const unsigned *w, size_t n)
{
	unsigned	total = 0, r;
	size_t		i;

	for (i = 0; i < n; i++)
		total += w[i];
	r = bs_below(total);
	for (i = 0; i < n; i++) {
		if (r < w[i])
			return (i);
		r -= w[i];
	}
	return (n - 1);
}

static int64_t
bs_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* An officer's name (borrowed). */
static const char *
bs_officer(void)
{
	return (bs_officers[bs_below(sizeof bs_officers /
	    sizeof bs_officers[0])]);
}

/* A unit of the store, by index drawn (borrowed id). */
static const char *
bs_unit(const struct store *s)
{
	return (s->nunits > 0 ? s->units[bs_below((uint32_t)s->nunits)].id :
	    "AMB-HL-01");
}

static json_t *
bs_alert(const struct store *s, uint32_t n, int64_t now)
{
	/* new, acknowledged, dispatched, on_scene, resolved, closed. */
	static const unsigned	 states[ALERT_STATE_COUNT] = {
		6, 1, 2, 2, 9, 80
	};
	struct alert		 a;
	const struct area	*ar = &s->areas[bs_below((uint32_t)s->nareas)];
	enum alert_state	 st;
	const char		*who, *unit;
	char			 place[128], text[160];
	json_t			*j;
	int64_t			 t;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "A-%04" PRIu32, n);
	a.kind = (enum alert_kind)bs_below(ALERT_KIND_COUNT);
	a.severity = 1 + (int)bs_below(4);
	snprintf(a.area, sizeof a.area, "%s", ar->code);
	snprintf(place, sizeof place, "Phường %s %" PRIu32, ar->name,
	    1 + bs_below(12));
	a.place = xstrdup(place);
	a.source = (enum alert_source)bs_below(SOURCE_COUNT);
	xasprintf(&a.title, bs_titles[a.kind], place);
	st = (enum alert_state)bs_weighted(states, ALERT_STATE_COUNT);
	a.state = st;
	a.disposition = st == ALERT_CLOSED ? (bs_below(10) < 8 ?
	    DISPOSITION_RESOLVED : DISPOSITION_FALSE_ALARM) : DISPOSITION_NONE;
	a.created = t = now - BS_SPREAD +
	    (int64_t)bs_below((uint32_t)(BS_SPREAD - 60 * BS_MIN));
	a.deadline = a.created + 30 * BS_MIN;
	history_add(&a.hist, t, "", "created", alert_source_names[a.source]);
	who = bs_officer();
	unit = bs_unit(s);
	if (st >= ALERT_ACKNOWLEDGED) {
		t += (1 + bs_below(5)) * BS_MIN;
		a.acked_by = xstrdup(who);
		history_add(&a.hist, t, who, "ack", "");
	}
	if (st >= ALERT_DISPATCHED &&
	    a.disposition != DISPOSITION_FALSE_ALARM) {
		t += bs_below(2) * BS_MIN;
		alert_add_unit(&a, unit);
		history_add(&a.hist, t, who, "dispatch", unit);
	}
	if (st >= ALERT_ON_SCENE && a.nunits > 0) {
		t += (3 + bs_below(10)) * BS_MIN;
		snprintf(text, sizeof text, "%s on scene", unit);
		history_add(&a.hist, t, who, "unit_status", text);
	}
	if (st >= ALERT_RESOLVED) {
		t += (5 + bs_below(20)) * BS_MIN;
		history_add(&a.hist, t, who, "resolve", a.disposition ==
		    DISPOSITION_FALSE_ALARM ? "Kiểm tra không phát hiện sự cố" :
		    "Lực lượng tại hiện trường đã xử lý xong");
	}
	if (st == ALERT_CLOSED) {
		t += (1 + bs_below(10)) * BS_MIN;
		history_add(&a.hist, t, who, "close",
		    disposition_names[a.disposition]);
	}
	a.updated = t;
	a.version = (uint32_t)a.hist.n;
	j = proto_alert_encode(&a);
	alert_clear(&a);
	return (j);
}

static json_t *
bs_case(const struct store *s, uint32_t n, int64_t now)
{
	/* new, assigned, in_progress, answered, closed, returned. */
	static const unsigned	 states[FB_STATE_COUNT] = {
		7, 10, 20, 20, 40, 3
	};
	struct feedback		 f;
	const struct area	*ar = &s->areas[bs_below((uint32_t)s->nareas)];
	size_t			 k = bs_below(sizeof bs_cases /
				    sizeof bs_cases[0]);
	enum fb_state		 st;
	const char		*who = bs_officer();
	char			 place[128];
	json_t			*j;
	int64_t			 t;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "PA-%04" PRIu32, n);
	f.channel = (enum fb_channel)bs_below(FB_CHANNEL_COUNT);
	snprintf(f.area, sizeof f.area, "%s", ar->code);
	snprintf(f.category, sizeof f.category, "%s", bs_cases[k].category);
	snprintf(place, sizeof place, "Phường %s %" PRIu32, ar->name,
	    1 + bs_below(12));
	xasprintf(&f.text, bs_cases[k].text, place);
	st = (enum fb_state)bs_weighted(states, FB_STATE_COUNT);
	f.state = st;
	f.received = t = now - BS_SPREAD +
	    (int64_t)bs_below((uint32_t)(BS_SPREAD - 30 * BS_MIN));
	f.deadline = f.received + 3 * 24 * 60 * BS_MIN;
	history_add(&f.hist, t, "", "created", fb_channel_names[f.channel]);
	if (st == FB_RETURNED) {
		t += (5 + bs_below(20)) * BS_MIN;
		f.reply = xstrdup("Nội dung phản ánh không thuộc thẩm quyền "
		    "giải quyết của tỉnh; đề nghị ông/bà liên hệ cơ quan có "
		    "thẩm quyền.");
		history_add(&f.hist, t, who, "return", f.reply);
	} else if (st >= FB_ASSIGNED) {
		t += (2 + bs_below(10)) * BS_MIN;
		snprintf(f.dept, sizeof f.dept, "%s", bs_cases[k].dept);
		history_add(&f.hist, t, who, "assign", f.dept);
		if (st >= FB_IN_PROGRESS) {
			t += (2 + bs_below(10)) * BS_MIN;
			history_add(&f.hist, t, "sim", "start", "");
		}
		if (st >= FB_ANSWERED) {
			t += (5 + bs_below(20)) * BS_MIN;
			f.reply = xstrdup("Đơn vị đã kiểm tra, xử lý và thông "
			    "báo kết quả cho người phản ánh.");
			history_add(&f.hist, t, "sim", "reply", f.reply);
		}
		if (st == FB_CLOSED) {
			t += (1 + bs_below(5)) * BS_MIN;
			history_add(&f.hist, t, who, "close_case", "");
		}
	}
	f.version = (uint32_t)f.hist.n;
	j = proto_feedback_encode(&f);
	feedback_clear(&f);
	return (j);
}

static void __attribute__((noreturn))
bs_usage(void)
{
	fprintf(stderr, "usage: bench-state [-D] [-a ALERTS] [-f CASES] "
	    "[-d DATADIR] SNAPFILE STATEDIR\n");
	exit(2);
}

static void
bs_check(int rc, char *cause)
{
	if (rc != 0) {
		fprintf(stderr, "bench-state: %s\n", cause);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct be_state		*st;
	struct be_data		*d;
	struct be_journal	*j;
	struct stat		 sb;
	const char		*data = NULL, *snapfile, *statedir;
	json_t			*snap, *alerts, *cases;
	char			*text, *end, *cause = NULL, hex[17];
	unsigned long		 nalerts = 100000, ncases = 20000, v;
	uint32_t		 i;
	int64_t			 now, t0;
	FILE			*f;
	int			 ch, digest = 0;

	while ((ch = getopt(argc, argv, "a:d:Df:")) != -1) {
		switch (ch) {
		case 'a':
		case 'f':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    v > 10000000)
				bs_usage();
			if (ch == 'a')
				nalerts = v;
			else
				ncases = v;
			break;
		case 'd':
			data = optarg;
			break;
		case 'D':
			digest = 1;
			break;
		default:
			bs_usage();
		}
	}
	if (argc - optind != 2)
		bs_usage();
	snapfile = argv[optind];
	statedir = argv[optind + 1];
	if (data == NULL)
		data = stat("data/quangninh/province.json", &sb) == 0 ?
		    "data/quangninh" : "tests/data";
	if (stat(statedir, &sb) == 0) {
		fprintf(stderr, "bench-state: %s exists\n", statedir);
		return (1);
	}
	log_open("/dev/null", "bench-state");

	st = be_state_new(1);
	bs_check(be_data_load(data, st->store, &st->rng, &d, &cause), cause);
	if (st->store->nareas == 0) {
		fprintf(stderr, "bench-state: %s has no areas\n", data);
		return (1);
	}

	/* The snapshot message, built directly: linear in the items. */
	t0 = bs_ms();
	now = clock_now();
	st->store->seq = nalerts + ncases;
	snap = be_query_snapshot(st, 0, NULL);
	alerts = json_object_get(snap, "alerts");
	cases = json_object_get(snap, "feedback");
	for (i = 1; i <= nalerts; i++)
		json_array_append_new(alerts, bs_alert(st->store, i, now));
	for (i = 1; i <= ncases; i++)
		json_array_append_new(cases, bs_case(st->store, i, now));
	text = proto_dump(snap);
	if ((f = fopen(snapfile, "w")) == NULL ||
	    fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
		fprintf(stderr, "bench-state: %s: %s\n", snapfile,
		    strerror(errno));
		return (1);
	}
	printf("state.alerts %lu\n", nalerts);
	printf("state.feedback %lu\n", ncases);
	printf("state.snapshot_bytes %zu\n", strlen(text));
	printf("state.build_ms %" PRId64 "\n", bs_ms() - t0);
	fflush(stdout);
	free(text);

	/* Into the backend's store, then its journal writes it down. */
	t0 = bs_ms();
	bs_check(store_load_snapshot(st->store, snap, 0, &cause), cause);
	json_decref(snap);
	printf("state.backend_load_ms %" PRId64 "\n", bs_ms() - t0);
	fflush(stdout);
	t0 = bs_ms();
	bs_check(be_journal_open(st, statedir, BE_JOURNAL_SNAPSHOT_EVERY, &j,
	    &cause), cause);
	bs_check(be_journal_close(j, &cause), cause);
	printf("state.journal_ms %" PRId64 "\n", bs_ms() - t0);
	printf("state.seq %" PRIu64 "\n", st->store->seq);
	if (digest) {
		store_digest(st->store, hex);
		printf("state.digest %s\n", hex);
	}
	be_state_free(st);
	be_data_free(d);
	log_close();
	return (0);
}

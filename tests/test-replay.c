/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/replay.c and console/sandbox.c: recordings replayed. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "drill.h"
#include "engine.h"
#include "jarena.h"
#include "log.h"
#include "operator.h"
#include "outbox.h"
#include "proto.h"
#include "record.h"
#include "replay.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#include "lib/test-shift.h"

/*
 * A shift is recorded through tests/lib/test-shift.c (a backend's engine,
 * a console's recorder), then replayed into a sync and a store as the
 * console does, and what the replay holds is compared with what the
 * backend held: the digest, items, the score.
 */

#define S(ms)	(TEST_SHIFT_T0 + (ms))

struct player {
	struct store	*store;
	struct sync	*sync;
	struct replay	*rp;
	char		*said;		/* The replay's last message. */
	int		 nsaid;
	char		*result;	/* The last result: "ok ack A-1". */
};

static char *
tmp_path(const char *what)
{
	char	*p;

	xasprintf(&p, "/tmp/test-replay-%d-%s.rec", (int)getpid(), what);
	unlink(p);
	return (p);
}

static void
pl_message(void *arg, int error, const char *text)
{
	struct player	*pl = arg;

	(void)error;
	free(pl->said);
	pl->said = xstrdup(text);
	pl->nsaid++;
}

static void
pl_result(void *arg, const struct sync_result *r)
{
	struct player	*pl = arg;

	free(pl->result);
	xasprintf(&pl->result, "%s %s%s%s", r->ok ? "ok" : r->code,
	    r->summary, r->ok ? "" : ": ", r->ok ? "" : r->message);
}

/* Open path to replay in mode, keeping a checkpoint every `every`. */
static struct player *
pl_open(const char *path, enum replay_mode mode, uint64_t every)
{
	struct player		*pl = xcalloc(1, sizeof *pl);
	struct sync_hooks	 sh;
	struct replay_hooks	 rh;
	char			*cause = NULL;

	pl->store = store_new();
	memset(&sh, 0, sizeof sh);
	sh.arg = pl;
	sh.result = pl_result;
	pl->sync = sync_create(pl->store, &sh);
	memset(&rh, 0, sizeof rh);
	rh.arg = pl;
	rh.message = pl_message;
	pl->rp = replay_open(path, pl->store, pl->sync, mode, &rh, &cause);
	if (pl->rp == NULL)
		fail_msg("%s", cause);
	assert_int_equal(replay_start(pl->rp, every), 0);
	return (pl);
}

static void
pl_close(struct player *pl)
{
	replay_free(pl->rp);
	sync_free(pl->sync);
	store_free(pl->store);
	free(pl->said);
	free(pl->result);
	free(pl);
}

static void
pl_digest(struct player *pl, char out[17])
{
	store_digest(pl->store, out);
}

/* The trainee types a command (args stolen); the sandbox answers. */
static void
pl_cmd(struct player *pl, const char *cmd, json_t *args,
    const char *summary)
{
	char	*cause = NULL;

	assert_int_equal(sync_send_cmd(pl->sync, cmd, args, summary, &cause),
	    0);
	replay_pump(pl->rp);
}

static const char *
pl_alert_state(struct player *pl, const char *id)
{
	struct alert	*a = store_alert(pl->store, id);

	assert_non_null(a);
	return (alert_state_names[a->state]);
}

/*
 * The shift most tests replay: the officer (lan) acknowledges A-1 and
 * dispatches to it, a colleague (sim) acknowledges A-2 and dispatches to
 * it, the province raises A-3 and sends readings; the link drops once
 * and resumes, and once more and comes back with a snapshot.
 */
static void
record_shift(const char *path, char digest[17])
{
	struct test_shift	*sh = test_shift_new(path);

	test_shift_tick(sh, 1000);				/* 1 s */
	assert_int_equal(test_shift_cmd(sh, &sh->officer, "ack",
	    json_pack("{s:s s:i}", "alert", "A-1", "version", 1)), 0);
	test_shift_tick(sh, 2000);				/* 3 s */
	assert_int_equal(test_shift_cmd(sh, &sh->colleague, "ack",
	    json_pack("{s:s}", "alert", "A-2")), 0);
	test_shift_tick(sh, 1000);				/* 4 s */
	test_shift_alert(sh, "A-3", 2, "CP");
	test_shift_reading(sh, "H-1", 5);
	test_shift_tick(sh, 1000);				/* 5 s */
	assert_int_equal(test_shift_cmd(sh, &sh->officer, "dispatch",
	    json_pack("{s:s s:[s]}", "alert", "A-1", "units", "AMB-1")), 0);
	test_shift_tick(sh, 1000);				/* 6 s */
	assert_int_equal(test_shift_cmd(sh, &sh->colleague, "dispatch",
	    json_pack("{s:s s:[s]}", "alert", "A-2", "units", "RES-1")), 0);
	/* A refused command of the officer's changes nothing. */
	assert_int_equal(test_shift_cmd(sh, &sh->officer, "ack",
	    json_pack("{s:s}", "alert", "A-1")), -1);
	test_shift_tick(sh, 1000);				/* 7 s */
	test_shift_link(sh, 0);
	test_shift_reading(sh, "H-1", 7);
	assert_int_equal(test_shift_cmd(sh, &sh->colleague, "unit_status",
	    json_pack("{s:s s:s}", "unit", "RES-1", "status", "en_route")),
	    0);
	test_shift_tick(sh, 1000);				/* 8 s */
	test_shift_link(sh, 1);
	test_shift_tick(sh, 1000);				/* 9 s */
	test_shift_reading(sh, "H-1", 9);
	test_shift_tick(sh, 1000);				/* 10 s */
	test_shift_link(sh, 0);
	test_shift_alert(sh, "A-4", 1, "HL");
	test_shift_tick(sh, 1000);				/* 11 s */
	test_shift_link(sh, 2);
	test_shift_tick(sh, 1000);				/* 12 s */
	test_shift_reading(sh, "H-1", 11);
	test_shift_digest(sh, digest);
	test_shift_free(sh);
}

/*
 * Test functions:
 *   replay_open, replay_start, replay_play_all, replay_events,
 *   replay_damage (a whole shift through the sync, as recorded)
 */
static void
test_replay_watch(void **state)
{
	struct player	*pl;
	char		*path = tmp_path("watch"), backend[17], ours[17];
	char		*msg = NULL;

	(void)state;
	record_shift(path, backend);
	pl = pl_open(path, REPLAY_WATCH, 0);
	/* The start: the state the recording started with. */
	assert_int_equal(pl->store->seq, 10);
	assert_string_equal(pl_alert_state(pl, "A-1"), "new");
	replay_play_all(pl->rp);
	assert_true(replay_ended(pl->rp));
	assert_null(replay_damage(pl->rp));
	pl_digest(pl, ours);
	assert_string_equal(ours, backend);
	assert_string_equal(pl_alert_state(pl, "A-1"), "dispatched");
	assert_int_equal(store_alert(pl->store, "A-4")->version, 1);
	assert_int_equal(replay_time(pl->rp), S(12000));

	/* Watching, the console's commands are refused, not applied. */
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", "A-3"), "ack A-3");
	assert_non_null(pl->result);
	assert_non_null(strstr(pl->result, "forbidden ack A-3: watching"));
	assert_string_equal(pl_alert_state(pl, "A-3"), "new");
	/* The score is the trainee's: nobody to score. */
	assert_int_equal(replay_command(pl->rp, "score", NULL, &msg), -1);
	free(msg);
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

/*
 * Test functions:
 *   replay_play_to, replay_seek, replay_command (seek), replay_step,
 *   replay_checkpoints (the state at a time is the same by straight play
 *   and by seeking, back and forth)
 */
static void
test_replay_seek(void **state)
{
	struct test_shift	*sh;
	struct player		*pl, *ref;
	char			*path = tmp_path("seek"), *msg = NULL;
	char			 d1[17], d2[17], backend[17];
	static const int64_t	 at[] = { 0, 1500, 40000, 123456, 250000,
				    399000, 600000 };
	size_t			 i;
	int			 k;

	(void)state;
	/* 600 s of readings and alerts, with the officer at work. */
	sh = test_shift_new(path);
	for (k = 0; k < 1200; k++) {
		test_shift_tick(sh, 500);
		test_shift_reading(sh, "H-1", k % 17);
		if (k % 100 == 50) {
			char	id[16];

			snprintf(id, sizeof id, "A-%d", 100 + k);
			test_shift_alert(sh, id, 1 + k % 4, k % 2 ? "HL" :
			    "CP");
			test_shift_cmd(sh, &sh->officer, "ack",
			    json_pack("{s:s}", "alert", id));
		}
		if (k == 700) {
			test_shift_link(sh, 0);
			test_shift_reading(sh, "H-1", 99);
		}
		if (k == 710)
			test_shift_link(sh, 1);
	}
	test_shift_digest(sh, backend);
	test_shift_free(sh);

	pl = pl_open(path, REPLAY_WATCH, 100);
	replay_play_all(pl->rp);
	pl_digest(pl, d1);
	assert_string_equal(d1, backend);
	assert_true(replay_checkpoints(pl->rp) > 10);
	/* At every time, seeking (back, then forth) = playing straight. */
	for (i = 0; i < sizeof at / sizeof at[0]; i++) {
		ref = pl_open(path, REPLAY_WATCH, 0);
		replay_play_to(ref->rp, S(at[i]));
		pl_digest(ref, d1);
		replay_seek(pl->rp, S(at[i]));
		pl_digest(pl, d2);
		assert_string_equal(d1, d2);
		assert_int_equal(pl->store->seq, ref->store->seq);
		assert_int_equal(replay_time(pl->rp), replay_time(ref->rp));
		pl_close(ref);
	}
	replay_seek(pl->rp, S(100000));
	replay_seek(pl->rp, S(599000));
	ref = pl_open(path, REPLAY_WATCH, 0);
	replay_play_to(ref->rp, S(599000));
	pl_digest(ref, d1);
	pl_digest(pl, d2);
	assert_string_equal(d1, d2);
	pl_close(ref);

	/* Seeking by the recording's clock, and by the share of it. */
	assert_int_equal(replay_command(pl->rp, "seek", "50%", &msg), 0);
	free(msg);
	assert_int_equal(replay_time(pl->rp), S(300000));
	assert_int_equal(replay_command(pl->rp, "seek", "-30s", &msg), 0);
	free(msg);
	assert_int_equal(replay_time(pl->rp), S(270000));
	/* TEST_SHIFT_T0 is 07:53:20 in Quảng Ninh. */
	assert_int_equal(replay_command(pl->rp, "seek", "07:55", &msg), 0);
	free(msg);
	assert_int_equal(replay_time(pl->rp), S(100000));
	assert_int_equal(replay_command(pl->rp, "seek", "soon", &msg), -1);
	assert_non_null(strstr(msg, "not a time of the recording"));
	free(msg);
	/* Steps: one message at a time. */
	i = (size_t)pl->store->seq;
	assert_int_equal(replay_step(pl->rp), 1);
	assert_int_equal(replay_step(pl->rp), 1);
	assert_true(pl->store->seq > i);
	/* The next new alert, and back to it. */
	assert_int_equal(replay_command(pl->rp, "next", "alert", &msg), 0);
	free(msg);
	assert_non_null(store_alert(pl->store, "A-350"));
	assert_null(store_alert(pl->store, "A-450"));
	assert_int_equal(replay_time(pl->rp), S(125500));
	replay_seek(pl->rp, S(200000));
	assert_int_equal(replay_command(pl->rp, "prev", "alert", &msg), 0);
	free(msg);
	assert_int_equal(replay_time(pl->rp), S(175500));
	assert_non_null(store_alert(pl->store, "A-450"));
	assert_null(store_alert(pl->store, "A-550"));
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

/*
 * Test functions:
 *   replay_pump, sandbox_handle, replay_score_json (the trainee in the
 *   officer's place: held back, conflicts, the score)
 */
static void
test_replay_train(void **state)
{
	struct player	*pl;
	struct hospital	*h;
	json_t		*o, *sum;
	char		*path = tmp_path("train"), backend[17], *msg = NULL;

	(void)state;
	record_shift(path, backend);
	pl = pl_open(path, REPLAY_TRAIN, 50);

	/* At 2 s the trainee acknowledges A-1 (the officer did at 1 s)... */
	replay_play_to(pl->rp, S(2000));
	assert_string_equal(pl_alert_state(pl, "A-1"), "new");
	pl_cmd(pl, "ack", json_pack("{s:s s:i}", "alert", "A-1", "version",
	    1), "ack A-1");
	assert_string_equal(pl->result, "ok ack A-1");
	assert_string_equal(pl_alert_state(pl, "A-1"), "acknowledged");
	assert_string_equal(store_alert(pl->store, "A-1")->acked_by, "lan");
	/* ...and A-2, before the colleague (at 3 s) does. */
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", "A-2"), "ack A-2");
	assert_string_equal(pl->result, "ok ack A-2");
	/* A command the engine refuses is refused as a backend would. */
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", "A-1"), "ack A-1");
	assert_non_null(strstr(pl->result, "bad_state ack A-1"));
	/* Diverting H-1: its readings keep the diversion. */
	pl_cmd(pl, "divert", json_pack("{s:s s:b}", "hospital", "H-1", "on",
	    1), "divert H-1");
	assert_string_equal(pl->result, "ok divert H-1");

	replay_play_all(pl->rp);
	assert_null(replay_damage(pl->rp));
	/* The officer's dispatch is held back: A-1 stays acknowledged. */
	assert_string_equal(pl_alert_state(pl, "A-1"), "acknowledged");
	assert_int_equal(store_unit(pl->store, "AMB-1")->status,
	    UNIT_AVAILABLE);
	/*
	 * The colleague's ack and dispatch of A-2, the trainee's now, are
	 * not applied, nor the moves of the unit the dispatch took.
	 */
	assert_string_equal(pl_alert_state(pl, "A-2"), "acknowledged");
	assert_string_equal(store_alert(pl->store, "A-2")->acked_by, "lan");
	assert_int_equal(store_unit(pl->store, "RES-1")->status,
	    UNIT_AVAILABLE);
	assert_non_null(pl->said);
	/* The world goes on. */
	assert_non_null(store_alert(pl->store, "A-3"));
	assert_non_null(store_alert(pl->store, "A-4"));
	h = store_hospital(pl->store, "H-1");
	assert_int_equal(h->er_waiting, 11);
	assert_int_equal(h->diversion, 1);

	o = replay_score_json(pl->rp);
	sum = json_object_get(o, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "officer_actions")), 2);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "trainee_actions")), 3);
	assert_int_equal(json_integer_value(json_object_get(sum, "matched")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(sum, "missed")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(sum, "extra")),
	    2);
	assert_float_equal(json_number_value(json_object_get(sum,
	    "ack_delta_s_mean")), 1.0, 1e-9);
	/* The officer's three changes held; the colleague's four dropped. */
	assert_int_equal(json_integer_value(json_object_get(o, "held_back")),
	    3);
	assert_int_equal(json_integer_value(json_object_get(o, "conflicts")),
	    4);
	assert_true(json_is_true(json_object_get(o, "complete")));
	json_decref(o);
	assert_int_equal(replay_command(pl->rp, "score", NULL, &msg), 1);
	assert_non_null(strstr(msg, "matched 1, missed 1, extra 2"));
	free(msg);
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

/*
 * Test functions:
 *   replay_seek (back: the trainee's later changes are undone, the
 *   earlier ones played again)
 */
static void
test_replay_train_seek(void **state)
{
	struct player	*pl, *ref;
	char		*path = tmp_path("trainseek"), backend[17];
	char		 d1[17], d2[17];
	json_t		*o;

	(void)state;
	record_shift(path, backend);
	pl = pl_open(path, REPLAY_TRAIN, 5);
	replay_play_to(pl->rp, S(2000));
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", "A-1"), "ack A-1");
	replay_play_to(pl->rp, S(8500));
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", "A-3"), "ack A-3");
	replay_play_all(pl->rp);

	/* The same trainee, straight: the same end. */
	ref = pl_open(path, REPLAY_TRAIN, 0);
	replay_play_to(ref->rp, S(2000));
	pl_cmd(ref, "ack", json_pack("{s:s}", "alert", "A-1"), "ack A-1");
	replay_play_to(ref->rp, S(8500));
	pl_cmd(ref, "ack", json_pack("{s:s}", "alert", "A-3"), "ack A-3");
	replay_play_all(ref->rp);
	pl_digest(pl, d1);
	pl_digest(ref, d2);
	assert_string_equal(d1, d2);
	pl_close(ref);

	/* Back to 5 s: the ack of A-3 is undone, that of A-1 kept. */
	replay_seek(pl->rp, S(5000));
	assert_string_equal(pl_alert_state(pl, "A-1"), "acknowledged");
	assert_null(store_alert(pl->store, "A-4"));
	ref = pl_open(path, REPLAY_TRAIN, 0);
	replay_play_to(ref->rp, S(2000));
	pl_cmd(ref, "ack", json_pack("{s:s}", "alert", "A-1"), "ack A-1");
	replay_play_to(ref->rp, S(5000));
	pl_digest(pl, d1);
	pl_digest(ref, d2);
	assert_string_equal(d1, d2);
	/* And on to the end: as if A-3 was never acknowledged. */
	replay_play_all(pl->rp);
	replay_play_all(ref->rp);
	pl_digest(pl, d1);
	pl_digest(ref, d2);
	assert_string_equal(d1, d2);
	assert_string_equal(pl_alert_state(pl, "A-3"), "new");
	pl_close(ref);

	/*
	 * With only the start to come back to, the trainee's ack of A-1 is
	 * played again from what the sandbox made then.
	 */
	ref = pl_open(path, REPLAY_TRAIN, 100000);
	replay_play_to(ref->rp, S(2000));
	pl_cmd(ref, "ack", json_pack("{s:s}", "alert", "A-1"), "ack A-1");
	replay_play_all(ref->rp);
	assert_int_equal(replay_checkpoints(ref->rp), 1);
	replay_seek(ref->rp, S(5000));
	assert_string_equal(pl_alert_state(ref, "A-1"), "acknowledged");
	assert_string_equal(store_alert(ref->store, "A-1")->acked_by, "lan");
	replay_play_all(ref->rp);
	pl_digest(ref, d2);
	assert_string_equal(d1, d2);
	o = replay_score_json(pl->rp);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "summary"), "trainee_actions")), 1);
	json_decref(o);
	pl_close(ref);
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

/* Copy src to dst, with the bytes [from, from + n) replaced by with. */
static void
copy_damaged(const char *src, const char *dst, long from, long n,
    const char *with)
{
	FILE	*in = fopen(src, "r"), *out = fopen(dst, "w");
	char	*buf;
	long	 len;

	assert_non_null(in);
	assert_non_null(out);
	fseek(in, 0, SEEK_END);
	len = ftell(in);
	rewind(in);
	buf = xmalloc((size_t)len);
	assert_int_equal(fread(buf, 1, (size_t)len, in), (size_t)len);
	if (from < 0)
		from += len;
	fwrite(buf, 1, (size_t)from, out);
	fputs(with, out);
	if (n >= 0 && from + n < len)
		fwrite(buf + from + n, 1, (size_t)(len - from - n), out);
	fclose(in);
	fclose(out);
	free(buf);
}

/* The byte offset of the first line of path holding s; -1 if none. */
static long
line_with(const char *path, const char *s, int nth)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL;
	size_t	 cap = 0;
	long	 off = 0, found = -1;
	ssize_t	 n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (strstr(line, s) != NULL && nth-- == 0) {
			found = off;
			break;
		}
		off += n;
	}
	free(line);
	fclose(f);
	return (found);
}

/*
 * Test functions:
 *   replay_play_all, replay_damage (a recording cut short, or damaged in
 *   its middle, replays up to the damage and says where)
 */
static void
test_replay_damaged(void **state)
{
	struct player	*pl;
	char		*path = tmp_path("good"), *bad = tmp_path("bad");
	char		 backend[17];
	long		 off;

	(void)state;
	record_shift(path, backend);

	/* Cut in the middle of its last line. */
	copy_damaged(path, bad, -20, -1, "");
	pl = pl_open(bad, REPLAY_WATCH, 0);
	replay_play_all(pl->rp);
	assert_non_null(replay_damage(pl->rp));
	assert_non_null(strstr(replay_damage(pl->rp), "cut short"));
	assert_non_null(strstr(pl->said, "the recording is damaged: line "));
	assert_non_null(strstr(pl->said, "replayed up to there (07:53:32)"));
	assert_int_equal(store_hospital(pl->store, "H-1")->er_waiting, 11);
	pl_close(pl);

	/* Garbage in the middle: up to it, not past it. */
	off = line_with(path, "\"A-3\"", 0);
	assert_true(off > 0);
	copy_damaged(path, bad, off, 5, "\x01garbage");
	pl = pl_open(bad, REPLAY_WATCH, 0);
	replay_play_all(pl->rp);
	assert_non_null(strstr(replay_damage(pl->rp), "is not JSON"));
	assert_null(store_alert(pl->store, "A-3"));
	assert_string_equal(pl_alert_state(pl, "A-1"), "acknowledged");
	assert_int_equal(replay_time(pl->rp), S(3000));
	pl_close(pl);

	/* A message of its own that no longer reads: {"type""event"... */
	copy_damaged(path, bad, off + 43, 1, "\"");
	pl = pl_open(bad, REPLAY_WATCH, 0);
	replay_play_all(pl->rp);
	assert_non_null(replay_damage(pl->rp));
	assert_non_null(strstr(replay_damage(pl->rp), "cannot read"));
	assert_null(store_alert(pl->store, "A-3"));
	pl_close(pl);

	/* A line lost: the events after it are a gap, and the recording
	 * does not show the link going down. */
	off = line_with(path, "\"A-3\"", 0);
	copy_damaged(path, bad, off, line_with(path, "\"H-1\"", 1) - off, "");
	pl = pl_open(bad, REPLAY_WATCH, 0);
	replay_play_all(pl->rp);
	assert_non_null(replay_damage(pl->rp));
	assert_non_null(strstr(replay_damage(pl->rp), "events went missing"));
	pl_close(pl);

	unlink(path);
	unlink(bad);
	free(path);
	free(bad);
	clock_set_real();
}

/*
 * Test functions:
 *   replay_command (play, pause, speed, mark, status), replay_get_status
 */
static void
test_replay_commands(void **state)
{
	struct player		*pl;
	struct replay_status	 st;
	char			*path = tmp_path("cmds"), backend[17];
	char			*msg = NULL;

	(void)state;
	record_shift(path, backend);
	pl = pl_open(path, REPLAY_TRAIN, 10);
	replay_get_status(pl->rp, &st);
	assert_int_equal(st.mode, REPLAY_TRAIN);
	assert_int_equal(st.t0, S(0));
	assert_int_equal(st.t1, S(12000));
	assert_int_equal(st.permille, 0);
	assert_false(st.playing);
	assert_int_equal(replay_command(pl->rp, "play", NULL, &msg), 0);
	free(msg);
	replay_get_status(pl->rp, &st);
	assert_true(st.playing);
	assert_float_equal(st.speed, 1.0, 0);
	assert_int_equal(replay_command(pl->rp, "faster", NULL, &msg), 0);
	free(msg);
	assert_int_equal(replay_command(pl->rp, "speed", "64", &msg), 0);
	free(msg);
	replay_get_status(pl->rp, &st);
	assert_float_equal(st.speed, 64.0, 0);
	assert_int_equal(replay_command(pl->rp, "speed", "max", &msg), 0);
	free(msg);
	replay_get_status(pl->rp, &st);
	assert_float_equal(st.speed, 0.0, 0);
	assert_int_equal(replay_command(pl->rp, "speed", "3", &msg), -1);
	free(msg);
	assert_int_equal(replay_command(pl->rp, "speed", "0.25x", &msg), 0);
	free(msg);
	assert_int_equal(replay_command(pl->rp, "pause", NULL, &msg), 0);
	free(msg);
	/* Marks: put in, and found again. */
	replay_seek(pl->rp, S(6000));
	assert_int_equal(replay_command(pl->rp, "mark", "here", &msg), 0);
	free(msg);
	replay_seek(pl->rp, S(1000));
	assert_int_equal(replay_command(pl->rp, "prev", "mark", &msg), -1);
	free(msg);
	assert_int_equal(replay_command(pl->rp, "next", "mark", &msg), 0);
	free(msg);
	assert_int_equal(replay_time(pl->rp), S(6000));
	replay_get_status(pl->rp, &st);
	assert_int_equal(st.permille, 500);
	assert_int_equal(replay_command(pl->rp, "status", NULL, &msg), 0);
	assert_non_null(strstr(msg, "07:53:26 (50%)"));
	free(msg);
	assert_int_equal(replay_command(pl->rp, "fly", NULL, &msg), -1);
	free(msg);
	replay_play_all(pl->rp);
	assert_int_equal(replay_command(pl->rp, "play", NULL, &msg), -1);
	assert_non_null(strstr(msg, "at the end"));
	free(msg);
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

/*
 * Test functions:
 *   replay_set_drill, replay_score_json (a recording of a drill replayed
 *   with the drill: the trainee's ack in the sandbox meets one of two
 *   expectations; seeking back before it forgets it)
 */
static void
test_replay_drill(void **state)
{
	static const char	 djson[] = "{\"format\":1,\"drill\":\"t\","
	    "\"title\":\"Thử\",\"pass\":10,\"timeline\":["
	    "{\"at\":0,\"id\":\"one\",\"kind\":\"alert\",\"item\":"
	    "{\"kind\":\"flood\",\"severity\":3,\"area\":\"HL\","
	    "\"place\":\"p\",\"source\":\"manual\",\"title\":\"Một\"}},"
	    "{\"at\":1,\"id\":\"two\",\"kind\":\"alert\",\"item\":"
	    "{\"kind\":\"fire\",\"severity\":3,\"area\":\"CP\","
	    "\"place\":\"p\",\"source\":\"manual\",\"title\":\"Hai\"}}],"
	    "\"expect\":[{\"id\":\"ack-one\",\"text\":\"x\",\"on\":\"one\","
	    "\"cmd\":\"ack\",\"within\":60,\"points\":10},"
	    "{\"id\":\"ack-two\",\"text\":\"y\",\"on\":\"two\",\"cmd\":"
	    "\"ack\",\"within\":60,\"points\":20}]}";
	static const struct operator drill_op = { .name = "drill",
	    .role = OPERATOR_TRAINER };
	struct test_shift	*sh;
	struct player		*pl;
	struct drill		*d;
	json_t			*j, *o, *tr;
	char			*path = tmp_path("drill"), *cause = NULL;
	char			 id1[MODEL_ID_MAX];
	struct engine_outcome	 out;
	json_t			*args;

	(void)state;
	/* The drill's two injects, 1 s apart, recorded. */
	sh = test_shift_new(path);
	test_shift_tick(sh, 1000);
	args = json_pack("{s:s s:{s:s s:i s:s s:s s:s s:s s:b}}", "kind",
	    "alert", "item", "kind", "flood", "severity", 3, "area", "HL",
	    "place", "p", "source", "manual", "title", "Một", "exercise", 1);
	assert_int_equal(engine_run(sh->engine, &drill_op, "inject", args, 0,
	    &out), 0);
	snprintf(id1, sizeof id1, "%s", out.item);
	engine_outcome_clear(&out);
	json_decref(args);
	test_shift_tick(sh, 1000);
	assert_int_equal(test_shift_cmd(sh, &drill_op, "inject", json_pack(
	    "{s:s s:{s:s s:i s:s s:s s:s s:s}}", "kind", "alert", "item",
	    "kind", "fire", "severity", 3, "area", "CP", "place", "p",
	    "source", "manual", "title", "Hai")), 0);
	test_shift_tick(sh, 5000);
	test_shift_reading(sh, "H-1", 5);
	test_shift_tick(sh, 1000);
	test_shift_free(sh);

	j = json_loads(djson, 0, NULL);
	assert_non_null(j);
	if (drill_parse(j, "t.json", &d, &cause) != 0)
		fail_msg("%s", cause);
	json_decref(j);
	pl = pl_open(path, REPLAY_TRAIN, 50);
	replay_set_drill(pl->rp, d);
	/* The trainee acks the first inject 3 s after it. */
	replay_play_to(pl->rp, S(4000));
	pl_cmd(pl, "ack", json_pack("{s:s}", "alert", id1), "ack");
	assert_string_equal(pl->result, "ok ack");
	replay_play_all(pl->rp);
	o = replay_score_json(pl->rp);
	tr = json_array_get(json_object_get(json_object_get(o, "drill"),
	    "trainees"), 0);
	assert_non_null(tr);
	assert_int_equal(json_integer_value(json_object_get(tr, "score")), 10);
	assert_true(json_is_true(json_object_get(tr, "passed")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(tr, "expectations"), 0), "after_s")), 3);
	assert_true(json_is_false(json_object_get(json_array_get(
	    json_object_get(tr, "expectations"), 1), "met")));
	json_decref(o);
	/* Back before the ack: not met any more. */
	replay_seek(pl->rp, S(1500));
	o = replay_score_json(pl->rp);
	tr = json_array_get(json_object_get(json_object_get(o, "drill"),
	    "trainees"), 0);
	assert_int_equal(json_integer_value(json_object_get(tr, "score")), 0);
	json_decref(o);
	pl_close(pl);
	unlink(path);
	free(path);
	clock_set_real();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_drill),
		cmocka_unit_test(test_replay_watch),
		cmocka_unit_test(test_replay_seek),
		cmocka_unit_test(test_replay_train),
		cmocka_unit_test(test_replay_train_seek),
		cmocka_unit_test(test_replay_damaged),
		cmocka_unit_test(test_replay_commands),
	};

	log_level = LOG_ERROR;
	jarena_install();	/* As the console (console/main.c). */
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

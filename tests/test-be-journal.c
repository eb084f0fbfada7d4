/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for the journal: append, replay, torn tails, snapshots, resume. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-auth.h"
#include "be-cmd.h"
#include "be-data.h"
#include "be-idem.h"
#include "be-journal.h"
#include "be-msg.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

/* Tuesday 24/11/2026, 08:00 at UTC+7. */
#define T_SCHOOL	1795482000000LL

static char	t_dir[256];

/* A province for a test: the state, its dataset, its simulator. */
struct t_state {
	struct be_state	*state;
	struct store	*store;		/* The state's. */
	struct engine	*engine;	/* The state's. */
	struct be_data	*data;
	struct be_sim	*sim;
};

/* A province on the test fixture, seeded 7. */
static struct t_state *
t_state(void)
{
	struct t_state	*st;

	st = xcalloc(1, sizeof *st);
	st->state = be_state_new(7);
	st->store = st->state->store;
	st->engine = st->state->engine;
	st->data = test_fixture_load(st->store, &st->state->rng);
	st->sim = be_sim_new(st->state, st->data);
	return (st);
}

static void
t_free(struct t_state *st)
{
	be_sim_free(st->sim);
	be_data_free(st->data);
	be_state_free(st->state);
	free(st);
}

/* Open the journal of t_dir on st; fails the test when it cannot. */
static struct be_journal *
t_open(struct t_state *st, uint64_t every)
{
	struct be_journal	*j;
	char			*cause = NULL;

	if (be_journal_open(st->state, t_dir, every, &j, &cause) != 0)
		fail_msg("open: %s", cause);
	return (j);
}

static void
t_flush(struct be_journal *j)
{
	char	*cause = NULL;

	if (be_journal_flush(j, &cause) != 0)
		fail_msg("flush: %s", cause);
}

/* n simulation ticks, a second apart, flushing every 10. */
static void
t_ticks(struct t_state *st, struct be_journal *j, int n)
{
	int	k;

	for (k = 0; k < n; k++) {
		clock_advance(1000);
		be_sim_tick(st->sim);
		if (k % 10 == 9)
			t_flush(j);
	}
	t_flush(j);
}

/* Send a command; returns the result serialised (caller frees). */
static char *
t_cmd(struct t_state *st, const char *id, const char *cmd, json_t *args)
{
	json_t	*msg, *res;
	char	*s;

	msg = proto_cmd_new(id, cmd, args);
	res = be_cmd_exec(st->state, &be_auth_demo, msg);
	s = proto_dump(res);
	json_decref(res);
	json_decref(msg);
	return (s);
}

/* The first alert in state new, or NULL. */
static const char *
t_new_alert(struct t_state *st)
{
	size_t	i;

	for (i = 0; i < st->store->nalerts; i++) {
		if (st->store->alerts[i].state == ALERT_NEW)
			return (st->store->alerts[i].id);
	}
	return (NULL);
}

static void
t_path(char *buf, size_t sz, const char *name)
{
	snprintf(buf, sz, "%s/%s", t_dir, name);
}

/* The newest file of the directory whose name starts with prefix. */
static int
t_newest(const char *prefix, char *buf, size_t sz)
{
	DIR		*d;
	struct dirent	*de;
	char		 best[256] = "";

	if ((d = opendir(t_dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strstr(de->d_name, ".tmp") == NULL &&
		    strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof best, "%s", de->d_name);
	}
	closedir(d);
	if (best[0] == '\0')
		return (-1);
	t_path(buf, sz, best);
	return (0);
}

/* The contents of path (caller frees), its length in *len. */
static char *
t_slurp(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	int		 fd;

	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(fstat(fd, &sb), 0);
	buf = xmalloc((size_t)sb.st_size + 1);
	assert_int_equal(read(fd, buf, (size_t)sb.st_size), sb.st_size);
	buf[sb.st_size] = '\0';
	close(fd);
	*len = (size_t)sb.st_size;
	return (buf);
}

/* Make path hold exactly len bytes of buf, as a crash may leave it. */
static void
t_spit(const char *path, const char *buf, size_t len)
{
	int	fd;

	assert_true((fd = open(path, O_WRONLY | O_TRUNC)) != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* How many entries of alert id's history have text starting with text. */
static int
t_notes(struct t_state *st, const char *id, const char *text)
{
	struct alert	*a = store_alert(st->store, id);
	size_t		 i;
	int		 n = 0;

	assert_non_null(a);
	for (i = 0; i < a->hist.n; i++) {
		if (strncmp(history_text(&a->hist, i), text, strlen(text)) == 0)
			n++;
	}
	return (n);
}

static size_t
t_count(const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	if ((d = opendir(t_dir)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return (n);
}

static int
t_setup(void **state)
{
	(void)state;
	snprintf(t_dir, sizeof t_dir, "%s/test-be-journal.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(t_dir) == NULL)
		return (-1);
	clock_set_fixed(T_SCHOOL);
	return (0);
}

static int
t_teardown(void **state)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	(void)state;
	if ((d = opendir(t_dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			t_path(p, sizeof p, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(t_dir);
	clock_set_real();
	return (0);
}

/*
 * Test functions:
 *   be_journal_crc32
 */
static void
test_crc(void **state)
{
	(void)state;
	assert_int_equal(be_journal_crc32("123456789", 9), 0xcbf43926U);
	assert_int_equal(be_journal_crc32("", 0), 0);
	/* The eight-byte steps and the tail agree with a byte at a time. */
	assert_int_equal(be_journal_crc32("The quick brown fox jumps over "
	    "the lazy dog", 43), 0x414fa339U);
}

/*
 * Test functions:
 *   be_journal_open, be_journal_event, be_journal_command,
 *   be_journal_flush, be_journal_close, be_journal_stats, be_cmd_exec,
 *   be_state_restored
 */
static void
test_replay_equals(void **state)
{
	struct t_state		*st, *st2;
	struct be_journal	*j, *j2;
	char			 d1[17], d2[17], *r1, *r2, *r3, alert[16];
	uint64_t		 seq;
	uint32_t		 last_alert;

	(void)state;
	st = t_state();
	j = t_open(st, 0);
	assert_int_equal(be_journal_stats(j)->restored, 0);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 300);
	snprintf(alert, sizeof alert, "%s", t_new_alert(st));
	r1 = t_cmd(st, "t-ack-1", "ack", json_pack("{s:s}", "alert", alert));
	assert_non_null(strstr(r1, "\"ok\":true"));
	/* A refusal is remembered too. */
	r2 = t_cmd(st, "t-ack-2", "ack", json_pack("{s:s}", "alert", alert));
	assert_non_null(strstr(r2, "bad_state"));
	t_ticks(st, j, 50);
	store_digest(st->store, d1);
	seq = st->store->seq;
	last_alert = engine_last_number(st->engine, kind_get(KIND_ALERT));
	assert_int_equal(be_journal_close(j, NULL), 0);
	assert_int_equal(be_state_listeners(st->state), 0);
	t_free(st);

	st2 = t_state();
	j2 = t_open(st2, 0);
	assert_int_equal(be_journal_stats(j2)->restored, 1);
	assert_int_equal(be_journal_stats(j2)->snapshot_seq, 0);
	assert_int_equal(be_journal_stats(j2)->events, seq);
	assert_int_equal(be_journal_stats(j2)->commands, 2);
	assert_int_equal(st2->store->seq, seq);
	store_digest(st2->store, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(engine_last_number(st2->engine,
	    kind_get(KIND_ALERT)), last_alert);

	/* Repeats answer with the first results and change nothing. */
	r3 = t_cmd(st2, "t-ack-1", "ack", json_pack("{s:s}", "alert", alert));
	assert_string_equal(r1, r3);
	free(r3);
	r3 = t_cmd(st2, "t-ack-2", "ack", json_pack("{s:s}", "alert", alert));
	assert_string_equal(r2, r3);
	free(r3);
	assert_int_equal(st2->store->seq, seq);
	r3 = t_cmd(st2, "t-ack-1", "ack", json_pack("{s:s}", "alert",
	    "A-9999"));
	assert_non_null(strstr(r3, "conflict"));
	free(r3);

	/* It goes on from there: new events follow on. */
	t_ticks(st2, j2, 20);
	assert_true(st2->store->seq > seq);
	assert_int_equal(be_journal_close(j2, NULL), 0);
	t_free(st2);
	free(r1);
	free(r2);
}

/*
 * Test functions:
 *   be_journal_open (a torn last record is cut off; a damaged record in
 *   the middle stops the start)
 */
static void
test_torn_tail(void **state)
{
	struct t_state		*st;
	struct be_journal	*j;
	char			 d1[17], d2[17], seg[512], *cause = NULL;
	struct stat		 sb;
	uint64_t		 seq;
	int			 fd;
	char			 byte;

	(void)state;
	st = t_state();
	j = t_open(st, 0);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 100);
	store_digest(st->store, d1);
	seq = st->store->seq;
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);

	/* A crash in the middle of a write: half a record at the end. */
	assert_int_equal(t_newest("journal-", seg, sizeof seg), 0);
	fd = open(seg, O_WRONLY | O_APPEND);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "1234abcd {\"type\":\"event\",\"se", 29),
	    29);
	close(fd);
	st = t_state();
	j = t_open(st, 0);
	assert_int_equal(be_journal_stats(j)->truncated, 29);
	assert_int_equal(st->store->seq, seq);
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	assert_int_equal(stat(seg, &sb), 0);

	/* A whole last record with a wrong checksum is cut off too. */
	fd = open(seg, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "00000000 {}\n", 12), 12);
	close(fd);
	st = t_state();
	j = t_open(st, 0);
	assert_int_equal(be_journal_stats(j)->truncated, 12);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);

	/* A damaged record with good ones after it: refuse to start. */
	fd = open(seg, O_RDWR);
	assert_int_equal(pread(fd, &byte, 1, 200), 1);
	byte ^= 0x01;
	assert_int_equal(pwrite(fd, &byte, 1, 200), 1);
	close(fd);
	st = t_state();
	assert_int_equal(be_journal_open(st->state, t_dir, 0, &j, &cause), -1);
	assert_non_null(strstr(cause, "damaged record"));
	free(cause);
	t_free(st);
}

/*
 * Test functions:
 *   be_journal_snapshot, be_journal_flush (snapshots every N events,
 *   pruning), be_journal_open (the newest snapshot, then an older one
 *   when the newest is damaged)
 */
static void
test_snapshots(void **state)
{
	struct t_state		*st;
	struct be_journal	*j;
	char			 d1[17], d2[17], snap[512], alert[16], *r1, *r2;
	uint64_t		 seq;
	int			 fd;

	(void)state;
	st = t_state();
	j = t_open(st, 100);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 200);
	snprintf(alert, sizeof alert, "%s", t_new_alert(st));
	r1 = t_cmd(st, "s-ack-1", "ack", json_pack("{s:s}", "alert", alert));
	t_ticks(st, j, 400);
	store_digest(st->store, d1);
	seq = st->store->seq;
	assert_true(seq > 500);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	/* Only the newest two snapshots and the segments they need. */
	assert_int_equal(t_count("snap-"), BE_JOURNAL_KEEP);
	assert_true(t_count("journal-") <= BE_JOURNAL_KEEP + 1);

	st = t_state();
	j = t_open(st, 100);
	assert_true(be_journal_stats(j)->snapshot_seq > 0);
	assert_true(be_journal_stats(j)->events < 120);
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	/* The command id was in a snapshot: still remembered. */
	r2 = t_cmd(st, "s-ack-1", "ack", json_pack("{s:s}", "alert", alert));
	assert_string_equal(r1, r2);
	free(r2);
	assert_int_equal(st->store->seq, seq);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);

	/* Damage the newest snapshot: the older one and more replay. */
	assert_int_equal(t_newest("snap-", snap, sizeof snap), 0);
	fd = open(snap, O_WRONLY);
	assert_int_equal(pwrite(fd, "zz", 2, 100), 2);
	close(fd);
	st = t_state();
	j = t_open(st, 100);
	assert_true(be_journal_stats(j)->events >= 100);
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	r2 = t_cmd(st, "s-ack-1", "ack", json_pack("{s:s}", "alert", alert));
	assert_string_equal(r1, r2);
	free(r2);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	free(r1);
}

static void
t_collect(void *arg, struct be_msg *m)
{
	uint64_t	*seqs = arg;

	seqs[++seqs[0]] = m->seq;
}

/*
 * Test functions:
 *   be_journal_since, be_journal_open (the lock)
 */
static void
test_since(void **state)
{
	struct t_state		*st, *st2;
	struct be_journal	*j, *j2;
	uint64_t		 seqs[64], last, k;
	char			*cause = NULL;

	(void)state;
	st = t_state();
	j = t_open(st, 50);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 120);
	last = st->store->seq;

	/* Across segments, exactly the events asked for. */
	memset(seqs, 0, sizeof seqs);
	assert_int_equal(be_journal_since(j, last - 40, last, 60, t_collect,
	    seqs), 40);
	assert_int_equal(seqs[0], 40);
	for (k = 1; k <= 40; k++)
		assert_int_equal(seqs[k], last - 40 + k);
	/* Too many, or older than the journal keeps: none. */
	assert_int_equal(be_journal_since(j, last - 40, last, 10, t_collect,
	    seqs), -1);
	assert_int_equal(be_journal_since(j, 0, last, 100000, t_collect,
	    seqs), -1);
	assert_int_equal(be_journal_since(j, last, last, 10, t_collect,
	    seqs), 0);

	/* Another backend on the same directory is refused. */
	st2 = t_state();
	assert_int_equal(be_journal_open(st2->state, t_dir, 0, &j2, &cause),
	    -1);
	assert_non_null(strstr(cause, "in use"));
	free(cause);
	t_free(st2);

	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	be_journal_close(NULL, NULL);
}

/* A note with a long text (so a few hundred fill the 1 MiB written
 * mid-turn: an event carries its own note, not the history before it). */
static char *
t_note(struct t_state *st, const char *alert, int n)
{
	char	id[32], text[4000];

	snprintf(id, sizeof id, "u-%d", n);
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text, id, strlen(id));
	text[strlen(id)] = ' ';
	return (t_cmd(st, id, "note", json_pack("{s:s s:s}", "alert", alert,
	    "text", text)));
}

/*
 * Test functions:
 *   be_journal_open (a command's event written in the middle of a turn,
 *   without its record or the turn's commit, is cut off: the state is as
 *   before the command, its id is not remembered and a retry applies it
 *   once), be_journal_flush (the commit), be_journal_pending
 */
static void
test_uncommitted(void **state)
{
	struct t_state		*st;
	struct be_journal	*j;
	char			 d1[17], d2[17], seg[512], alert[16];
	char			*r, *image, *nl;
	size_t			 nbefore, nimage, bytes;
	uint64_t		 seq;
	int			 n, crash;

	(void)state;
	st = t_state();
	j = t_open(st, 0);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 50);
	assert_false(be_journal_pending(j));
	snprintf(alert, sizeof alert, "%s", t_new_alert(st));
	store_digest(st->store, d1);
	seq = st->store->seq;
	assert_int_equal(t_newest("journal-", seg, sizeof seg), 0);
	free(t_slurp(seg, &nbefore));

	/* One turn of notes, until the journal writes in the middle of it. */
	bytes = be_journal_stats(j)->bytes;
	for (n = 1; be_journal_stats(j)->bytes == bytes; n++) {
		r = t_note(st, alert, n);
		assert_non_null(strstr(r, "\"ok\":true"));
		free(r);
		assert_true(be_journal_pending(j));
		/* An event holds its note, not the history: ~250 of them. */
		assert_true(n < 1000);
	}
	assert_true(be_journal_stats(j)->bytes - bytes >= 1024 * 1024);
	image = t_slurp(seg, &nimage);		/* What a kill -9 leaves. */
	assert_true(nimage > nbefore);
	assert_null(strstr(image + nbefore, "\"type\":\"commit\""));
	t_flush(j);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);

	/*
	 * Crash 1: the first note's event is on disk, its command record is
	 * not (issue 9). Crash 2: the whole mid-turn write, events and
	 * records of several notes, and no commit.
	 */
	for (crash = 1; crash <= 2; crash++) {
		if (crash == 1) {
			nl = memchr(image + nbefore, '\n', nimage - nbefore);
			assert_non_null(nl);
			assert_non_null(strstr(image + nbefore,
			    "\"type\":\"event\""));
			t_spit(seg, image, (size_t)(nl + 1 - image));
		} else
			t_spit(seg, image, nimage);
		st = t_state();
		j = t_open(st, 0);
		assert_int_equal(be_journal_stats(j)->uncommitted,
		    (crash == 1 ? (size_t)(nl + 1 - image) : nimage) - nbefore);
		assert_int_equal(be_journal_stats(j)->truncated, 0);
		assert_int_equal(st->store->seq, seq);
		store_digest(st->store, d2);
		assert_string_equal(d1, d2);
		assert_int_equal(t_notes(st, alert, "u-1 "), 0);

		/* The console sends the same id again: applied once. */
		r = t_note(st, alert, 1);
		assert_non_null(strstr(r, "\"ok\":true"));
		free(r);
		assert_int_equal(t_notes(st, alert, "u-1 "), 1);
		t_flush(j);
		assert_int_equal(be_journal_close(j, NULL), 0);
		t_free(st);

		/* And after a clean restart, it is remembered. */
		st = t_state();
		j = t_open(st, 0);
		assert_int_equal(be_journal_stats(j)->uncommitted, 0);
		assert_int_equal(st->store->seq, seq + 1);
		r = t_note(st, alert, 1);
		assert_int_equal(st->store->seq, seq + 1);
		free(r);
		assert_int_equal(t_notes(st, alert, "u-1 "), 1);
		assert_int_equal(be_journal_close(j, NULL), 0);
		t_free(st);
	}
	free(image);
}

/*
 * Rewrite the state directory as format 1 wrote it: no segment headers,
 * no commits, snapshots of format 1.
 */
static void
t_format1(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512], *buf, *out, *line, *nl, *f;
	size_t		 len, n, jlen;

	assert_non_null(d = opendir(t_dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "journal-", 8) != 0 &&
		    strncmp(de->d_name, "snap-", 5) != 0)
			continue;
		t_path(p, sizeof p, de->d_name);
		buf = t_slurp(p, &len);
		out = xmalloc(len + 1);
		n = 0;
		for (line = buf; line < buf + len; line = nl + 1) {
			nl = memchr(line, '\n', len - (size_t)(line - buf));
			assert_non_null(nl);
			if (strncmp(line + 9, "{\"type\":\"commit\"", 16) == 0 ||
			    strncmp(line + 9, "{\"type\":\"segment\"", 17) == 0)
				continue;
			if ((f = strstr(line, "\"format\":2,")) != NULL &&
			    f < nl) {
				f[9] = '1';
				jlen = (size_t)(nl - line) - 9;
				snprintf(line, 9, "%08x", be_journal_crc32(line + 9,
				    jlen));
				line[8] = ' ';
			}
			memcpy(out + n, line, (size_t)(nl + 1 - line));
			n += (size_t)(nl + 1 - line);
		}
		t_spit(p, out, n);
		free(out);
		free(buf);
	}
	closedir(d);
}

/*
 * Test functions:
 *   be_journal_open (a state directory of format 1: replayed whole, a
 *   torn tail cut off; then a commit closes it before anything of
 *   format 2 is appended, and a crash after that cuts only the new
 *   uncommitted records)
 */
static void
test_format1(void **state)
{
	struct t_state		*st;
	struct be_journal	*j;
	char			 d1[17], d2[17], seg[512], *buf, *r, alert[16];
	size_t			 len, n1;
	uint64_t		 seq, seqs[64];
	int			 fd;

	(void)state;
	st = t_state();
	j = t_open(st, 0);
	be_sim_initial_day(st->sim);
	t_ticks(st, j, 60);
	snprintf(alert, sizeof alert, "%s", t_new_alert(st));
	r = t_cmd(st, "f1-ack", "ack", json_pack("{s:s}", "alert", alert));
	free(r);
	t_flush(j);
	store_digest(st->store, d1);
	seq = st->store->seq;
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	t_format1();
	assert_int_equal(t_newest("journal-", seg, sizeof seg), 0);
	buf = t_slurp(seg, &n1);
	assert_null(strstr(buf, "\"type\":\"commit\""));
	free(buf);
	/* A torn tail, as format 1 could leave it. */
	fd = open(seg, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "0badc0de {\"type\":\"ev", 21), 21);
	close(fd);

	st = t_state();
	j = t_open(st, 0);
	assert_int_equal(be_journal_stats(j)->restored, 1);
	assert_int_equal(be_journal_stats(j)->truncated, 21);
	assert_int_equal(be_journal_stats(j)->commands, 1);
	assert_int_equal(st->store->seq, seq);
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	/* Before anything new: a commit closes what format 1 wrote. */
	buf = t_slurp(seg, &len);
	assert_true(len > n1);
	assert_non_null(strstr(buf + n1, "\"type\":\"commit\""));
	free(buf);
	/*
	 * New records, written in the middle of a turn (a console resumes
	 * from the journal) and never committed: a crash.
	 */
	t_ticks(st, j, 5);
	seq = st->store->seq;
	store_digest(st->store, d1);
	free(t_slurp(seg, &n1));
	while (st->store->seq == seq) {
		clock_advance(1000);
		be_sim_tick(st->sim);
	}
	memset(seqs, 0, sizeof seqs);
	assert_int_equal(be_journal_since(j, seq - 1, st->store->seq, 60,
	    t_collect, seqs), (int)(st->store->seq - seq + 1));
	buf = t_slurp(seg, &len);
	assert_true(len > n1);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
	t_spit(seg, buf, len);
	free(buf);

	st = t_state();
	j = t_open(st, 0);
	assert_int_equal(be_journal_stats(j)->uncommitted, len - n1);
	assert_int_equal(st->store->seq, seq);
	store_digest(st->store, d2);
	assert_string_equal(d1, d2);
	/* The ack of format 1 is still remembered. */
	r = t_cmd(st, "f1-ack", "ack", json_pack("{s:s}", "alert", alert));
	assert_non_null(strstr(r, "\"ok\":true"));
	assert_int_equal(st->store->seq, seq);
	free(r);
	assert_int_equal(be_journal_close(j, NULL), 0);
	t_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc),
		cmocka_unit_test_setup_teardown(test_replay_equals, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_snapshots, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_since, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_uncommitted, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_format1, t_setup,
		    t_teardown),
	};

	log_open("/dev/null", "test-be-journal");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

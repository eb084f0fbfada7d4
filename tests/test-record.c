/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/record.c: recordings written, rotated and read. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "proto.h"
#include "record.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#include "lib/test-shift.h"

static char *
tmp_path(const char *what)
{
	char	*p;

	xasprintf(&p, "/tmp/test-record-%d-%s", (int)getpid(), what);
	unlink(p);
	return (p);
}

/* Read the file's lines as JSON objects into v; returns how many. */
static size_t
read_lines(const char *path, json_t **v, size_t max)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL;
	size_t	 cap = 0, n = 0;

	assert_non_null(f);
	while (getline(&line, &cap, f) > 0 && n < max) {
		assert_int_equal(line[strlen(line) - 1], '\n');
		v[n] = json_loads(line, 0, NULL);
		assert_non_null(v[n]);
		n++;
	}
	free(line);
	fclose(f);
	return (n);
}

static const char *
str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* A store holding a province and one alert, at seq. */
static struct store *
small_store(uint64_t seq)
{
	struct store	*s = store_new();
	struct alert	 a;

	free(s->province);
	s->province = xstrdup("Quảng Ninh");
	strcpy(s->province_code, "QN");
	s->utc_offset_min = 420;
	store_add_area(s, "HL", "Hạ Long");
	memset(&a, 0, sizeof a);
	strcpy(a.id, "A-1");
	strcpy(a.area, "HL");
	a.place = xstrdup("Bãi Cháy");
	a.title = xstrdup("Cháy");
	a.severity = 3;
	a.version = 1;
	store_put_alert(s, &a);
	s->seq = seq;
	return (s);
}

static json_t *
welcome(void)
{
	return (json_pack("{s:s s:i s:s s:s s:[s] s:i s:b}", "type",
	    "welcome", "proto", 1, "operator", "lan", "role", "operator",
	    "areas", "HL", "seq", 7, "exercise", 1));
}

/*
 * Test functions:
 *   record_open, record_start, record_msg, record_text, record_link,
 *   record_mark, record_close, record_count, record_started
 */
static void
test_record_lines(void **state)
{
	struct recorder	*r;
	struct store	*s = small_store(7);
	struct stat	 sb;
	json_t		*v[16], *msg, *w = welcome();
	char		*path = tmp_path("lines"), *cause = NULL;
	size_t		 n, i;

	(void)state;
	clock_set_fixed(1795320000000LL);
	r = record_open(path, "ws://127.0.0.1:7600", &cause);
	assert_non_null(r);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_false(record_started(r));

	/* Nothing before the state: a replay could not start there. */
	msg = json_pack("{s:s s:i}", "type", "event", "seq", 5);
	record_msg(r, "in", msg);
	record_link(r, 1, NULL);
	assert_int_equal(record_count(r), 0);

	assert_int_equal(record_start(r, s, w, 1), 0);
	assert_true(record_started(r));
	assert_int_equal(record_start(r, s, w, 1), 0);	/* Once only. */
	clock_advance(500);
	record_msg(r, "in", msg);
	json_decref(msg);
	clock_advance(1000);
	record_text(r, "out", "{\"type\":\"cmd\",\"id\":\"c-1\","
	    "\"cmd\":\"ack\",\"args\":{\"alert\":\"A-1\"}}");
	record_text(r, "out", "not json");	/* Skipped, not fatal. */
	record_link(r, 0, "gap");
	record_link(r, 1, NULL);
	record_mark(r, "cháy lớn");
	assert_int_equal(record_count(r), 2);
	record_close(r);
	record_close(NULL);

	n = read_lines(path, v, 16);
	assert_int_equal(n, 8);
	/* The header: who, where, what. */
	assert_string_equal(str(v[0], "dir"), "mark");
	assert_string_equal(str(v[0], "what"), "start");
	assert_int_equal(json_integer_value(json_object_get(v[0], "format")),
	    RECORD_FORMAT);
	assert_string_equal(str(v[0], "url"), "ws://127.0.0.1:7600");
	assert_string_equal(str(v[0], "client"), "trucban " TRUCBAN_VERSION);
	assert_string_equal(str(v[0], "operator"), "lan");
	assert_string_equal(str(v[0], "role"), "operator");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    v[0], "areas"), 0)), "HL");
	assert_true(json_is_true(json_object_get(v[0], "exercise")));
	assert_true(json_is_true(json_object_get(v[0], "online")));
	assert_string_equal(str(json_object_get(v[0], "province"), "name"),
	    "Quảng Ninh");
	assert_string_equal(str(json_object_get(v[0], "welcome"), "type"),
	    "welcome");
	assert_int_equal(json_integer_value(json_object_get(v[0], "t")),
	    1795320000000LL);
	/* The state: a snapshot a sync loads. */
	assert_string_equal(str(v[1], "dir"), "state");
	msg = json_object_get(v[1], "msg");
	assert_string_equal(str(msg, "type"), "snapshot");
	assert_int_equal(json_integer_value(json_object_get(msg, "seq")), 7);
	assert_int_equal(json_array_size(json_object_get(msg, "alerts")), 1);
	/* Messages in and out, with their times. */
	assert_string_equal(str(v[2], "dir"), "in");
	assert_int_equal(json_integer_value(json_object_get(v[2], "t")),
	    1795320000500LL);
	assert_string_equal(str(v[3], "dir"), "out");
	assert_string_equal(str(json_object_get(v[3], "msg"), "cmd"), "ack");
	/* The link, a mark, the stop. */
	assert_string_equal(str(v[4], "what"), "down");
	assert_string_equal(str(v[4], "why"), "gap");
	assert_string_equal(str(v[5], "what"), "up");
	assert_string_equal(str(v[6], "what"), "mark");
	assert_string_equal(str(v[6], "text"), "cháy lớn");
	assert_string_equal(str(v[7], "what"), "stop");
	assert_int_equal(json_integer_value(json_object_get(v[7],
	    "messages")), 2);
	for (i = 0; i < n; i++)
		json_decref(v[i]);

	/* An existing recording is never overwritten, nor a link followed. */
	assert_null(record_open(path, "ws://x", &cause));
	assert_non_null(strstr(cause, "exists"));
	free(cause);
	unlink(path);
	assert_int_equal(symlink("/tmp/nowhere-record", path), 0);
	assert_null(record_open(path, "ws://x", &cause));
	free(cause);
	assert_int_equal(access("/tmp/nowhere-record", F_OK), -1);
	unlink(path);
	json_decref(w);
	store_free(s);
	free(path);
	clock_set_real();
}

static char	*stopped_why;

static void
stopped(void *arg, const char *path, const char *why)
{
	(void)arg;
	(void)path;
	free(stopped_why);
	stopped_why = xstrdup(why);
}

/*
 * Test functions:
 *   record_set_hook, record_writing (a full disk stops the recording, not
 *   the program)
 */
static void
test_record_full(void **state)
{
	struct recorder	*r;
	struct store	*s = small_store(1);
	struct rlimit	 old, lim;
	json_t		*msg;
	char		*path = tmp_path("full"), *cause = NULL;
	int		 i;

	(void)state;
	r = record_open(path, "ws://x", &cause);
	assert_non_null(r);
	record_set_hook(r, stopped, NULL);
	/* A disk that fills up: writes past 4 KB fail (EFBIG). */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	record_start(r, s, NULL, 0);
	msg = json_pack("{s:s s:s}", "type", "presence", "pad",
	    "................................................................");
	for (i = 0; i < 200 && record_writing(r); i++)
		record_msg(r, "in", msg);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_false(record_writing(r));
	assert_non_null(stopped_why);
	assert_non_null(strstr(stopped_why, "cannot write"));
	/* Going on is harmless. */
	record_msg(r, "in", msg);
	record_mark(r, "x");
	record_close(r);
	json_decref(msg);
	free(stopped_why);
	stopped_why = NULL;
	store_free(s);
	unlink(path);
	free(path);
}

/* Make dir/name of size bytes, modified at mtime (seconds). */
static void
make_file(const char *dir, const char *name, size_t size, time_t mtime)
{
	char		*p, *buf = xcalloc(size > 0 ? size : 1, 1);
	FILE		*f;
	struct timespec	 ts[2];

	xasprintf(&p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, size, f), size);
	fclose(f);
	ts[0].tv_sec = ts[1].tv_sec = mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
	free(buf);
}

static int
exists(const char *dir, const char *name)
{
	char	*p;
	int	 rv;

	xasprintf(&p, "%s/%s", dir, name);
	rv = access(p, F_OK) == 0;
	free(p);
	return (rv);
}

/*
 * Test functions:
 *   record_rotate, record_session_path, record_set_cap
 */
static void
test_record_rotate(void **state)
{
	char		 dir[] = "/tmp/test-record-sessions-XXXXXX";
	char		*p, *keep, *cause = NULL, *big;
	struct recorder	*r;
	struct store	*s = small_store(1);
	json_t		*msg;
	int		 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_file(dir, "a.rec", 4000, 1000);
	make_file(dir, "b.rec", 4000, 2000);
	make_file(dir, "c.rec", 4000, 3000);
	make_file(dir, "notes.txt", 90000, 500);	/* Not a recording. */
	xasprintf(&keep, "%s/a.rec", dir);
	/* 12,000 bytes to 8,000: the oldest goes, but never keep. */
	assert_int_equal(record_rotate(dir, 8000, keep, &cause), 1);
	assert_true(exists(dir, "a.rec"));
	assert_false(exists(dir, "b.rec"));
	assert_true(exists(dir, "c.rec"));
	assert_true(exists(dir, "notes.txt"));
	assert_int_equal(record_rotate(dir, 100000, NULL, &cause), 0);
	assert_int_equal(record_rotate("/nonexistent-dir", 1, NULL, &cause),
	    -1);
	free(cause);

	/* Sessions are named by the time (UTC) and the process. */
	p = record_session_path(dir, 1796000000000LL);
	assert_non_null(strstr(p, "/2026-11-30T00-53-20Z-"));
	assert_int_equal(strcmp(p + strlen(p) - 4, ".rec"), 0);

	/*
	 * The others go first, the oldest first, as the session grows; a
	 * session over the cap on its own stops.
	 */
	make_file(dir, "a.rec", 300000, 1000);
	make_file(dir, "c.rec", 300000, 3000);
	r = record_open(p, "ws://x", &cause);
	assert_non_null(r);
	record_set_hook(r, stopped, NULL);
	record_set_cap(r, dir, 3 * RECORD_ROTATE_EVERY / 2);
	record_start(r, s, NULL, 1);
	big = xcalloc(1, 8193);
	memset(big, 'x', 8192);
	msg = json_pack("{s:s s:s}", "type", "presence", "pad", big);
	for (i = 0; i < 1000 && record_writing(r); i++)
		record_msg(r, "in", msg);
	assert_false(record_writing(r));
	assert_non_null(strstr(stopped_why, "size cap"));
	assert_false(exists(dir, "a.rec"));
	assert_true(exists(dir, "c.rec"));
	assert_true(record_bytes(r) > 2 * RECORD_ROTATE_EVERY);
	assert_true(record_bytes(r) < 3 * RECORD_ROTATE_EVERY);
	record_close(r);
	json_decref(msg);
	free(big);
	free(stopped_why);
	stopped_why = NULL;

	unlink(p);
	free(p);
	xasprintf(&p, "%s/notes.txt", dir);
	unlink(p);
	free(p);
	xasprintf(&p, "%s/c.rec", dir);
	unlink(p);
	free(p);
	unlink(keep);
	free(keep);
	assert_int_equal(rmdir(dir), 0);
	store_free(s);
}

/* Write text as a file at path. */
static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * Test functions:
 *   record_reader_open, record_reader_new, record_read,
 *   record_reader_seek, record_reader_header
 */
static void
test_record_read(void **state)
{
	struct test_shift	*sh;
	struct record_reader	*rd;
	struct record_line	 line;
	json_t			*a, *b;
	char			*path = tmp_path("read"), *cause = NULL;
	char			*copy;
	const char		*other = "{\"dir\":\"mark\",\"t\":1,"
	    "\"what\":\"start\",\"format\":2}\n{\"msg\":{\"seq\":3,\"type\":"
	    "\"event\"},\"dir\":\"in\",\"t\":5}\n{\"t\":5,\"dir\":\"in\","
	    "\"msg\":{\"seq\":3,\"type\":\"event\"}}\n";
	size_t			 nin = 0, nout = 0, nmark = 0, off = 0, lno = 0;
	int			 st;

	(void)state;
	sh = test_shift_new(path);
	test_shift_tick(sh, 1000);
	test_shift_cmd(sh, &sh->officer, "ack", json_pack("{s:s}", "alert",
	    "A-1"));
	test_shift_tick(sh, 1000);
	test_shift_alert(sh, "A-3", 2, "CP");
	test_shift_free(sh);

	rd = record_reader_open(path, &cause);
	assert_non_null(rd);
	assert_string_equal(str((json_t *)record_reader_header(rd),
	    "operator"), "lan");
	assert_int_equal(record_read(rd, &line, &cause), RECORD_LINE);
	assert_int_equal(line.dir, RECORD_STATE);
	assert_int_equal(line.lineno, 2);
	while ((st = record_read(rd, &line, &cause)) == RECORD_LINE) {
		if (line.dir == RECORD_IN) {
			/* The message, as it was received. */
			a = json_loadb(line.text, line.len, 0, NULL);
			assert_non_null(a);
			if (nin == 1) {
				off = line.off;
				lno = line.lineno;
			}
			json_decref(a);
			nin++;
		} else if (line.dir == RECORD_OUT)
			nout++;
		else
			nmark++;
	}
	assert_int_equal(st, RECORD_END);
	assert_int_equal(nin, 3);	/* The ack, its result, the alert. */
	assert_int_equal(nout, 1);
	assert_int_equal(nmark, 1);	/* The stop. */
	/* Back to a line read before. */
	record_reader_seek(rd, off, lno - 1);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_LINE);
	assert_int_equal(line.lineno, lno);
	assert_non_null(memmem(line.text, line.len, "\"result\"", 8));
	record_reader_free(rd);

	/* A line a tool wrote otherwise reads the same. */
	rd = record_reader_new(other, strlen(other), &cause);
	assert_non_null(rd);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_LINE);
	assert_int_equal(line.t, 5);
	a = json_loadb(line.text, line.len, 0, NULL);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_LINE);
	b = json_loadb(line.text, line.len, 0, NULL);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	record_reader_free(rd);

	/* Cut short in its last line: everything before it reads. */
	copy = tmp_path("torn");
	write_file(copy, "{\"t\":1,\"dir\":\"mark\",\"what\":\"start\","
	    "\"format\":2}\n{\"t\":2,\"dir\":\"in\",\"msg\":{\"type\":\"x\"}}\n"
	    "{\"t\":3,\"dir\":\"in\",\"msg\":{\"ty");
	rd = record_reader_open(copy, &cause);
	assert_non_null(rd);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_LINE);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_DAMAGED);
	assert_string_equal(cause, "line 3 (byte 85) is cut short: no end of "
	    "line");
	free(cause);
	cause = NULL;
	/* It stays there. */
	assert_int_equal(record_read(rd, &line, &cause), RECORD_DAMAGED);
	free(cause);
	cause = NULL;
	record_reader_free(rd);

	/* Garbage in the middle, a line without its time. */
	write_file(copy, "{\"t\":1,\"dir\":\"mark\",\"what\":\"start\","
	    "\"format\":2}\n\x01\xff garbage\n");
	rd = record_reader_open(copy, &cause);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_DAMAGED);
	assert_non_null(strstr(cause, "line 2 (byte 47) is not JSON"));
	free(cause);
	cause = NULL;
	record_reader_free(rd);
	write_file(copy, "{\"t\":1,\"dir\":\"mark\",\"what\":\"start\","
	    "\"format\":2}\n{\"dir\":\"in\",\"msg\":{\"type\":\"x\"}}\n");
	rd = record_reader_open(copy, &cause);
	assert_int_equal(record_read(rd, &line, &cause), RECORD_DAMAGED);
	assert_non_null(strstr(cause, "line 2 (byte 47) is not a line of a "
	    "recording"));
	free(cause);
	cause = NULL;
	record_reader_free(rd);

	/* Format 1 (no state) is refused, and said why; so is the rest. */
	write_file(copy, "{\"t\":1,\"dir\":\"mark\",\"what\":\"start\","
	    "\"url\":\"ws://x\",\"client\":\"trucban 0.1.0\",\"proto\":1}\n");
	assert_null(record_reader_open(copy, &cause));
	assert_non_null(strstr(cause, "format 1"));
	assert_non_null(strstr(cause, "record the session again"));
	free(cause);
	write_file(copy, "{\"t\":1,\"dir\":\"mark\",\"what\":\"start\","
	    "\"format\":3}\n");
	assert_null(record_reader_open(copy, &cause));
	assert_non_null(strstr(cause, "newer"));
	free(cause);
	write_file(copy, "");
	assert_null(record_reader_open(copy, &cause));
	assert_non_null(strstr(cause, "empty"));
	free(cause);
	write_file(copy, "hello\n");
	assert_null(record_reader_open(copy, &cause));
	assert_non_null(strstr(cause, "not a trucban recording"));
	free(cause);
	assert_null(record_reader_open("/nonexistent.rec", &cause));
	free(cause);

	unlink(copy);
	free(copy);
	unlink(path);
	free(path);
	clock_set_real();
}

static void
nosend(void *arg, const char *text, size_t len)
{
	(void)arg;
	(void)text;
	(void)len;
}

static void
notimer(void *arg, enum sync_timer t, int64_t ms)
{
	(void)arg;
	(void)t;
	(void)ms;
}

static void
nodrop(void *arg, const char *why)
{
	(void)arg;
	(void)why;
}

static void
feed(struct sync *s, json_t *msg)
{
	char	*text = proto_dump(msg);

	json_decref(msg);
	assert_int_equal(sync_receive(s, text, strlen(text)), 0);
	free(text);
}

/*
 * Test functions:
 *   sync_set_recorder, sync_receive, sync_up, sync_down (the sync starts
 *   a recording with the state it holds, and marks the link)
 */
static void
test_record_sync(void **state)
{
	static const struct sync_transport tr = { nosend, notimer, nodrop };
	struct store	*st = store_new(), *s7 = small_store(7);
	struct sync	*s;
	struct recorder	*r;
	json_t		*v[16], *snap, *item;
	char		*path = tmp_path("sync"), *cause = NULL;
	size_t		 n, i;

	(void)state;
	s = sync_create(st, NULL);
	sync_attach(s, &tr, NULL);
	/* --record: from the start, before any state. */
	r = record_open(path, "ws://x", &cause);
	sync_set_recorder(s, r);
	sync_up(s);
	feed(s, welcome());
	assert_false(record_started(r));
	snap = store_snapshot(s7);
	json_object_set_new(snap, "type", json_string("snapshot"));
	feed(s, json_incref(snap));
	assert_true(record_started(r));
	item = json_deep_copy(json_array_get(json_object_get(snap, "alerts"),
	    0));
	json_object_set_new(item, "version", json_integer(2));
	feed(s, json_pack("{s:s s:i s:I s:s s:o}", "type", "event", "seq", 8,
	    "ts", (json_int_t)1000, "kind", "alert", "item", item));
	json_decref(snap);
	sync_down(s, SYNC_LINK_RECONNECTING, "test");
	sync_up(s);
	sync_set_recorder(s, NULL);
	record_close(r);
	n = read_lines(path, v, 16);
	assert_int_equal(n, 7);
	assert_string_equal(str(v[0], "what"), "start");
	assert_string_equal(str(v[0], "operator"), "lan");
	assert_true(json_is_true(json_object_get(v[0], "online")));
	assert_string_equal(str(v[1], "dir"), "state");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    v[1], "msg"), "seq")), 7);
	assert_string_equal(str(v[2], "dir"), "in");
	assert_string_equal(str(v[3], "what"), "down");
	assert_string_equal(str(v[4], "what"), "up");
	assert_string_equal(str(json_object_get(v[5], "msg"), "type"),
	    "hello");
	assert_string_equal(str(v[6], "what"), "stop");
	for (i = 0; i < n; i++)
		json_decref(v[i]);
	unlink(path);

	/* A recording no state came for leaves no file. */
	r = record_open(path, "ws://x", &cause);
	assert_int_equal(access(path, F_OK), 0);
	record_close(r);
	assert_int_equal(access(path, F_OK), -1);

	/* :record later: at once, with the state as it is. */
	r = record_open(path, "ws://x", &cause);
	sync_set_recorder(s, r);
	assert_true(record_started(r));
	sync_set_recorder(s, NULL);
	record_close(r);
	unlink(path);

	sync_free(s);
	store_free(st);
	store_free(s7);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_lines),
		cmocka_unit_test(test_record_full),
		cmocka_unit_test(test_record_rotate),
		cmocka_unit_test(test_record_read),
		cmocka_unit_test(test_record_sync),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/outbox.c: the commands kept on disk. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlog.h"
#include "log.h"
#include "outbox.h"
#include "xmalloc.h"

struct fixture {
	char	 dir[64];
	char	*path;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/test-outbox.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	xasprintf(&f->path, "%s/outbox", f->dir);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	unlink(f->path);
	xasprintf(&p, "%s.lock", f->path);
	unlink(p);
	free(p);
	xasprintf(&p, "%s.tmp", f->path);
	unlink(p);
	free(p);
	xasprintf(&p, "%s.bad", f->path);
	unlink(p);
	free(p);
	xasprintf(&p, "%s/target", f->dir);
	unlink(p);
	free(p);
	xasprintf(&p, "%s/trucban/history", f->dir);
	unlink(p);
	free(p);
	xasprintf(&p, "%s/trucban", f->dir);
	rmdir(p);
	free(p);
	rmdir(f->dir);
	free(f->path);
	free(f);
	return (0);
}

/* The message text of command number n, as the connection makes it. */
static char *
msg(int n)
{
	return (xprintf("{\"type\":\"cmd\",\"id\":\"c-ab-%d\",\"cmd\":\"note\","
	    "\"args\":{\"alert\":\"A-%d\",\"text\":\"Hạ Long %d\","
	    "\"version\":1}}", n, n, n));
}

static struct outbox_entry *
add(struct outbox *ob, int n)
{
	struct outbox_entry	*e;
	char			 id[32], summary[32], *text, *cause = NULL;

	snprintf(id, sizeof id, "c-ab-%d", n);
	snprintf(summary, sizeof summary, "note A-%d", n);
	text = msg(n);
	e = outbox_add(ob, id, "note", summary, text, &cause);
	if (e == NULL)
		fail_msg("outbox_add: %s", cause);
	free(text);
	return (e);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	assert_non_null(fp = fopen(path, "r"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return (buf);
}

static size_t
count_lines(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

/* The ids in the outbox, in order, without "c-ab-" or "c-": "1 2 3". */
static char *
ids(struct outbox *ob)
{
	struct outbox_entry	*e;
	char			*out = xstrdup(""), *tmp;

	TAILQ_FOREACH(e, &ob->list, entry) {
		xasprintf(&tmp, "%s%s%s", out, *out != '\0' ? " " : "",
		    e->id + (strncmp(e->id, "c-ab-", 5) == 0 ? 5 : 2));
		free(out);
		out = tmp;
	}
	return (out);
}

static void
assert_ids(struct outbox *ob, const char *want)
{
	char	*got = ids(ob);

	assert_string_equal(got, want);
	free(got);
}

/*
 * Test functions:
 *   outbox_open (memory), outbox_add, outbox_find, outbox_count,
 *   outbox_requeue, outbox_done, outbox_text
 */
static void
test_outbox_memory(void **state)
{
	struct outbox		*ob;
	struct outbox_entry	*e;
	char			*t, *cause = NULL;

	(void)state;
	ob = outbox_open(NULL, NULL);
	assert_non_null(ob);
	t = outbox_text(ob, 420, 0);
	assert_non_null(strstr(t, "Nothing waiting"));
	assert_null(strstr(t, "set aside"));
	free(t);
	e = add(ob, 1);
	assert_int_equal(e->state, OUTBOX_QUEUED);
	add(ob, 2);
	add(ob, 3);
	assert_ptr_equal(outbox_find(ob, "c-ab-2"), TAILQ_NEXT(e, entry));
	assert_null(outbox_find(ob, "c-ab-9"));
	/* An id is accepted once. */
	assert_null(outbox_add(ob, "c-ab-2", "note", "x", "{}", &cause));
	free(cause);
	assert_int_equal(ob->n, 3);

	e->state = OUTBOX_SENT;
	assert_int_equal(outbox_count(ob, OUTBOX_SENT), 1);
	assert_int_equal(outbox_count(ob, OUTBOX_QUEUED), 2);
	t = outbox_text(ob, 420, 1);
	assert_non_null(strstr(t, "note A-1 (sent, no result yet)"));
	assert_non_null(strstr(t, "note A-3 (queued)"));
	assert_true(strstr(t, "note A-1") < strstr(t, "note A-2"));
	free(t);
	outbox_requeue(ob);
	assert_int_equal(outbox_count(ob, OUTBOX_SENT), 0);

	assert_int_equal(outbox_done(ob, "c-ab-2"), 0);
	assert_int_equal(outbox_done(ob, "c-ab-2"), -1);
	assert_ids(ob, "1 3");
	assert_null(ob->log);			/* Nothing on disk. */
	assert_int_equal(outbox_quarantined(ob), 0);
	outbox_free(ob);
	outbox_free(NULL);
}

/*
 * Test functions:
 *   outbox_open (a file), outbox_add (fsynced record), outbox_done,
 *   outbox_free (reload keeps order and texts)
 */
static void
test_outbox_persist(void **state)
{
	struct fixture		*f = *state;
	struct outbox		*ob;
	struct outbox_entry	*e;
	struct stat		 sb;
	char			*cause = NULL, *buf, *m;
	size_t			 len;

	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_int_equal(ob->n, 0);
	/* A new file: its directory is synced, so the name survives. */
	assert_int_equal(ob->log->nsync, 1);
	add(ob, 1);
	add(ob, 2);
	add(ob, 3);
	/* Each record is synced before outbox_add returns. */
	assert_int_equal(ob->log->nsync, 4);
	buf = slurp(f->path, &len);
	assert_int_equal(count_lines(buf), 3);
	assert_non_null(strstr(buf, "\"summary\":\"note A-2\""));
	free(buf);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	outbox_free(ob);

	/* A new console finds them, in order, queued, texts intact. */
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_ids(ob, "1 2 3");
	e = outbox_find(ob, "c-ab-2");
	assert_int_equal(e->state, OUTBOX_QUEUED);
	assert_string_equal(e->cmd, "note");
	assert_string_equal(e->summary, "note A-2");
	m = msg(2);
	assert_string_equal(e->text, m);
	free(m);
	assert_true(e->queued > 0);

	/* A result removes its command, on disk too. */
	assert_int_equal(outbox_done(ob, "c-ab-2"), 0);
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "1 3");
	/* Loaded with a dead record: rewritten with the live ones only. */
	buf = slurp(f->path, &len);
	assert_int_equal(count_lines(buf), 2);
	free(buf);
	add(ob, 4);
	assert_int_equal(outbox_done(ob, "c-ab-1"), 0);
	assert_int_equal(outbox_done(ob, "c-ab-3"), 0);
	assert_int_equal(outbox_done(ob, "c-ab-4"), 0);
	/* The last one done: the file is empty. */
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	add(ob, 5);
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "5");
	outbox_free(ob);
}

/*
 * Test functions:
 *   outbox_open (after a crash: a torn last record, a bad record)
 */
static void
test_outbox_torn(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob;
	char		*cause = NULL, *buf, *cut;
	size_t		 len;
	int		 fd;

	ob = outbox_open(f->path, &cause);
	add(ob, 1);
	add(ob, 2);
	add(ob, 3);
	outbox_free(ob);
	/* kill -9 in the middle of writing record 3. */
	buf = slurp(f->path, &len);
	assert_int_equal(truncate(f->path, (off_t)(len - 20)), 0);
	free(buf);
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_int_equal(ob->dropped, 1);
	assert_ids(ob, "1 2");
	/* The torn tail is gone, so new records start on a clean line. */
	buf = slurp(f->path, &len);
	assert_int_equal(count_lines(buf), 2);
	assert_int_equal(buf[len - 1], '\n');
	free(buf);
	add(ob, 4);
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "1 2 4");
	assert_int_equal(ob->dropped, 0);
	outbox_free(ob);

	/*
	 * A record without its newline is dropped even when its JSON is
	 * whole: the write was not known to have finished.
	 */
	buf = slurp(f->path, &len);
	assert_int_equal(truncate(f->path, (off_t)(len - 1)), 0);
	free(buf);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "1 2");
	outbox_free(ob);

	/* Garbage in the middle is dropped; the rest survives. */
	buf = slurp(f->path, &len);
	cut = strchr(buf, '\n');
	fd = open(f->path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, (size_t)(cut + 1 - buf)),
	    cut + 1 - buf);
	assert_int_equal(write(fd, "{\"id\":7}\nnot json\n\n", 19), 19);
	assert_int_equal(write(fd, cut + 1, strlen(cut + 1)),
	    (ssize_t)strlen(cut + 1));
	assert_int_equal(write(fd, "{\"done\":\"c-zz-1\"}\n", 18), 18);
	close(fd);
	free(buf);
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_int_equal(ob->dropped, 2);
	assert_ids(ob, "1 2");
	outbox_free(ob);
}

static int
sync_fails(int fd)
{
	(void)fd;
	errno = EIO;
	return (-1);
}

/*
 * Test functions:
 *   outbox_add (the fsync path: a command whose record cannot be synced
 *   is refused, and the file is cut back)
 */
static void
test_outbox_sync_fail(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob;
	struct stat	 sb, sb2;
	char		*cause = NULL, *text;

	ob = outbox_open(f->path, &cause);
	add(ob, 1);
	assert_int_equal(stat(f->path, &sb), 0);
	ob->log->sync = sync_fails;
	text = msg(2);
	assert_null(outbox_add(ob, "c-ab-2", "note", "note A-2", text,
	    &cause));
	free(text);
	assert_non_null(strstr(cause, "cannot write the outbox"));
	free(cause);
	cause = NULL;
	assert_int_equal(ob->n, 1);
	assert_int_equal(stat(f->path, &sb2), 0);
	assert_int_equal(sb.st_size, sb2.st_size);
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "1");
	outbox_free(ob);
}

/*
 * Test functions:
 *   outbox_open (one console at a time)
 */
static void
test_outbox_lock(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob, *ob2;
	char		*cause = NULL;

	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	ob2 = outbox_open(f->path, &cause);
	assert_null(ob2);
	assert_non_null(strstr(cause, "in use by another trucban"));
	free(cause);
	outbox_free(ob);
	ob2 = outbox_open(f->path, &cause);
	assert_non_null(ob2);
	outbox_free(ob2);
	ob = outbox_open("/nonexistent/dir/outbox", &cause);
	assert_null(ob);
	free(cause);
}

/*
 * Test functions:
 *   outbox_done, outbox_compact (dead records do not pile up)
 */
static void
test_outbox_compact(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob;
	char		*cause = NULL, *buf, id[32];
	size_t		 len;
	int		 i;

	ob = outbox_open(f->path, &cause);
	add(ob, 0);		/* Stays: the file is never empty. */
	for (i = 1; i <= 300; i++) {
		add(ob, i);
		if (i % 3 != 0) {
			snprintf(id, sizeof id, "c-ab-%d", i);
			assert_int_equal(outbox_done(ob, id), 0);
		}
		assert_true(ob->records <= ob->n + OUTBOX_COMPACT_AT + 1);
	}
	assert_int_equal(ob->n, 101);
	buf = slurp(f->path, &len);
	assert_int_equal(count_lines(buf), ob->records);
	free(buf);
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_int_equal(ob->n, 101);
	assert_string_equal(TAILQ_FIRST(&ob->list)->id, "c-ab-0");
	assert_string_equal(TAILQ_NEXT(TAILQ_FIRST(&ob->list), entry)->id,
	    "c-ab-3");
	assert_string_equal(TAILQ_LAST(&ob->list, outbox_list)->id,
	    "c-ab-300");
	outbox_free(ob);
}

/*
 * Test functions:
 *   outbox_touches, outbox_held, outbox_update (and its reload)
 */
static void
test_outbox_items(void **state)
{
	struct fixture		*f = *state;
	struct outbox		*ob;
	struct outbox_entry	*d, *n1, *st, *other;
	char			*cause = NULL;

	ob = outbox_open(f->path, &cause);
	d = outbox_add(ob, "c-d", "dispatch", "dispatch A-1 U-1 U-2",
	    "{\"type\":\"cmd\",\"id\":\"c-d\",\"cmd\":\"dispatch\",\"args\":"
	    "{\"alert\":\"A-1\",\"units\":[\"U-1\",\"U-2\"],\"version\":3}}",
	    &cause);
	n1 = outbox_add(ob, "c-n", "note", "note A-1",
	    "{\"type\":\"cmd\",\"id\":\"c-n\",\"cmd\":\"note\",\"args\":"
	    "{\"alert\":\"A-1\",\"text\":\"x\",\"version\":3}}", &cause);
	st = outbox_add(ob, "c-s", "unit_status", "status U-2 en_route",
	    "{\"type\":\"cmd\",\"id\":\"c-s\",\"cmd\":\"unit_status\","
	    "\"args\":{\"unit\":\"U-2\",\"status\":\"en_route\","
	    "\"version\":1}}", &cause);
	other = outbox_add(ob, "c-o", "ack", "ack A-2",
	    "{\"type\":\"cmd\",\"id\":\"c-o\",\"cmd\":\"ack\",\"args\":"
	    "{\"alert\":\"A-2\",\"version\":1}}", &cause);
	assert_non_null(d);
	assert_non_null(other);
	assert_string_equal(d->key, "alert:A-1");
	assert_int_equal(d->ntouch, 3);
	assert_true(outbox_touches(d, "unit:U-2"));
	assert_false(outbox_touches(d, "unit:U-3"));
	assert_false(outbox_touches(d, ""));
	assert_string_equal(st->key, "unit:U-2");
	/* Held behind the dispatch: the note on its alert, the status of
	 * one of its units; not the ack of another alert. */
	assert_false(outbox_held(ob, d));
	assert_true(outbox_held(ob, n1));
	assert_true(outbox_held(ob, st));
	assert_false(outbox_held(ob, other));

	/* A held command takes a new version, on disk. */
	assert_int_equal(outbox_update(ob, n1, "{\"type\":\"cmd\",\"id\":"
	    "\"c-n\",\"cmd\":\"note\",\"args\":{\"alert\":\"A-1\",\"text\":"
	    "\"x\",\"version\":4}}", &cause), 0);
	assert_non_null(strstr(n1->text, "\"version\":4"));
	assert_int_equal(outbox_update(ob, n1, "nope", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(outbox_done(ob, "c-d"), 0);
	assert_false(outbox_held(ob, n1));
	outbox_free(ob);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "n s o");
	n1 = outbox_find(ob, "c-n");
	assert_non_null(strstr(n1->text, "\"version\":4"));
	assert_string_equal(n1->key, "alert:A-1");
	outbox_free(ob);
}

/*
 * Test functions:
 *   outbox_state_path
 */
static void
test_outbox_state_path(void **state)
{
	struct fixture	*f = *state;
	struct stat	 sb;
	char		*p, *want;

	setenv("XDG_STATE_HOME", f->dir, 1);
	p = outbox_state_path("history");
	xasprintf(&want, "%s/trucban/history", f->dir);
	assert_string_equal(p, want);
	free(want);
	free(p);
	xasprintf(&want, "%s/trucban", f->dir);
	assert_int_equal(stat(want, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	free(want);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", f->dir, 1);
	p = outbox_state_path("outbox");
	assert_non_null(strstr(p, "/.local/state/trucban/outbox"));
	free(p);
	xasprintf(&p, "%s/.local/state/trucban", f->dir);
	rmdir(p);
	free(p);
	xasprintf(&p, "%s/.local/state", f->dir);
	rmdir(p);
	free(p);
	xasprintf(&p, "%s/.local", f->dir);
	rmdir(p);
	free(p);
}

/* The records of the quarantine file, as one string, "|"-separated. */
static char *
bad_records(struct fixture *f, size_t *n)
{
	struct dlog_reader	 r;
	char			*p, *buf, *out = xstrdup(""), *tmp;
	size_t			 len;

	xasprintf(&p, "%s.bad", f->path);
	buf = slurp(p, &len);
	free(p);
	*n = 0;
	dlog_reader_init(&r, buf, len, 0);
	while (dlog_read(&r) == DLOG_OK) {
		xasprintf(&tmp, "%s%.*s|", out, (int)r.len, r.text);
		free(out);
		out = tmp;
		(*n)++;
	}
	free(buf);
	return (out);
}

/*
 * Test functions:
 *   outbox_open (records that cannot be read back are set aside in
 *   path.bad, never dropped), outbox_quarantined, outbox_quarantine_path
 */
static void
test_outbox_quarantine(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob;
	struct stat	 sb, sb2;
	char		*cause = NULL, *buf, *p, *bad, *want;
	size_t		 len, n;
	int		 fd;

	ob = outbox_open(f->path, &cause);
	add(ob, 1);
	add(ob, 2);
	add(ob, 3);
	outbox_free(ob);
	/* Record 2 damaged on disk, a line that is not text, a torn end. */
	buf = slurp(f->path, &len);
	p = strstr(buf, "Hạ Long 2");
	assert_non_null(p);
	p[0] = 'h';
	fd = open(f->path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(write(fd, "\xff\xfe junk\n", 8), 8);
	assert_int_equal(write(fd, "1234abcd {\"id\":\"c-ab-9\"", 23), 23);
	close(fd);
	free(buf);

	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_ids(ob, "1 3");
	assert_int_equal(ob->dropped, 3);
	assert_int_equal(outbox_quarantined(ob), 3);
	xasprintf(&want, "%s.bad", f->path);
	assert_string_equal(outbox_quarantine_path(ob), want);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(want);
	/* Nothing lost: each line as it was, with why. */
	bad = bad_records(f, &n);
	assert_int_equal(n, 3);
	assert_non_null(strstr(bad, "\"why\":\"checksum mismatch\""));
	assert_non_null(strstr(bad, "hạ Long 2"));
	assert_non_null(strstr(bad, "\"hex\":\"fffe206a756e6b\""));
	assert_non_null(strstr(bad, "\"why\":\"no newline at the end\""));
	assert_non_null(strstr(bad, "1234abcd {\\\"id\\\":\\\"c-ab-9\\\""));
	assert_non_null(strstr(bad, "\"ts\":"));
	free(bad);
	/* Told where the officer looks at the outbox. */
	p = outbox_text(ob, 420, 1);
	assert_non_null(strstr(p, "! 3 records that could not be read are "
	    "set aside in "));
	assert_non_null(strstr(p, ".bad.\n"));
	free(p);
	/* The outbox itself was rewritten without them. */
	buf = slurp(f->path, &len);
	assert_int_equal(count_lines(buf), 2);
	free(buf);
	outbox_free(ob);

	/* Still counted when opened again; the file is only appended to. */
	xasprintf(&want, "%s.bad", f->path);
	assert_int_equal(stat(want, &sb), 0);
	ob = outbox_open(f->path, &cause);
	assert_int_equal(ob->dropped, 0);
	assert_int_equal(outbox_quarantined(ob), 3);
	outbox_free(ob);
	fd = open(f->path, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "not a record\n", 13), 13);
	close(fd);
	ob = outbox_open(f->path, &cause);
	assert_int_equal(outbox_quarantined(ob), 4);
	assert_ids(ob, "1 3");
	outbox_free(ob);
	assert_int_equal(stat(want, &sb2), 0);
	assert_true(sb2.st_size > sb.st_size);
	free(want);
}

/*
 * Test functions:
 *   outbox_open, outbox_compact (links planted at path, path.tmp,
 *   path.lock and path.bad are refused and their target untouched;
 *   nothing queued is lost)
 */
static void
test_outbox_links(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*ob;
	char		*cause = NULL, *target, *link, *buf;
	size_t		 len;
	int		 fd;

	xasprintf(&target, "%s/target", f->dir);
	fd = open(target, O_WRONLY | O_CREAT, 0644);
	assert_int_equal(write(fd, "precious\n", 9), 9);
	close(fd);

	/* At the outbox itself. */
	assert_int_equal(symlink(target, f->path), 0);
	assert_null(outbox_open(f->path, &cause));
	assert_non_null(strstr(cause, "a symbolic link, not followed"));
	free(cause);
	cause = NULL;
	unlink(f->path);

	/* At path.tmp: the rewrite is refused, the outbox goes on. */
	ob = outbox_open(f->path, &cause);
	add(ob, 1);
	add(ob, 2);
	assert_int_equal(outbox_done(ob, "c-ab-1"), 0);
	outbox_free(ob);
	xasprintf(&link, "%s.tmp", f->path);
	assert_int_equal(symlink(target, link), 0);
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_ids(ob, "2");
	assert_int_equal(ob->records, 3);	/* Not rewritten. */
	assert_int_equal(outbox_compact(ob, &cause), -1);
	assert_non_null(strstr(cause, "a symbolic link"));
	free(cause);
	cause = NULL;
	add(ob, 3);
	outbox_free(ob);
	unlink(link);
	free(link);

	/* At path.bad: a bad record stays in the outbox file meanwhile. */
	fd = open(f->path, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "garbage\n", 8), 8);
	close(fd);
	xasprintf(&link, "%s.bad", f->path);
	assert_int_equal(symlink(target, link), 0);
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_ids(ob, "2 3");
	assert_int_equal(outbox_quarantined(ob), 0);
	outbox_free(ob);
	buf = slurp(f->path, &len);
	assert_non_null(strstr(buf, "garbage\n"));
	free(buf);
	unlink(link);
	ob = outbox_open(f->path, &cause);
	assert_int_equal(outbox_quarantined(ob), 1);
	assert_ids(ob, "2 3");
	outbox_free(ob);
	free(link);

	/* At path.lock. */
	xasprintf(&link, "%s.lock", f->path);
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
	assert_null(outbox_open(f->path, &cause));
	free(cause);
	unlink(link);
	free(link);

	buf = slurp(target, &len);
	assert_string_equal(buf, "precious\n");
	free(buf);
	free(target);
}

/*
 * Test functions:
 *   outbox_add_new, outbox_entry_msg, outbox_entry_args,
 *   outbox_entry_text, outbox_entry_version, outbox_set_version,
 *   outbox_add (a message that does not match), outbox_open (an outbox
 *   of the first format, without checksums)
 */
static void
test_outbox_parsed(void **state)
{
	struct fixture		*f = *state;
	struct outbox		*ob;
	struct outbox_entry	*e;
	json_t			*m;
	char			*cause = NULL, *text, *buf;
	size_t			 len, records;
	int			 fd;

	ob = outbox_open(f->path, &cause);
	m = json_pack("{s:s s:s s:s s:{s:s s:i}}", "type", "cmd", "id",
	    "c-p-1", "cmd", "ack", "args", "alert", "A-7", "version", 3);
	e = outbox_add_new(ob, "ack A-7", m, &cause);
	assert_non_null(e);
	assert_ptr_equal(outbox_entry_msg(e), m);
	assert_string_equal(e->cmd, "ack");
	assert_string_equal(e->key, "alert:A-7");
	text = json_dumps(m, JSON_COMPACT);
	assert_string_equal(outbox_entry_text(e), text);
	free(text);
	assert_string_equal(json_string_value(json_object_get(
	    outbox_entry_args(e), "alert")), "A-7");
	assert_int_equal(outbox_entry_version(e), 3);

	/* A new version: on disk, in the text and the message. */
	records = ob->records;
	assert_int_equal(outbox_set_version(ob, e, 4, &cause), 0);
	assert_int_equal(ob->records, records + 1);
	assert_int_equal(outbox_entry_version(e), 4);
	assert_non_null(strstr(outbox_entry_text(e), "\"version\":4"));
	assert_int_equal(outbox_set_version(ob, e, 4, &cause), 0);
	assert_int_equal(ob->records, records + 1);	/* Nothing to do. */

	/* Not a command message, or not the id and verb given. */
	assert_null(outbox_add_new(ob, "x", json_pack("{s:s}", "type", "cmd"),
	    &cause));
	free(cause);
	cause = NULL;
	assert_null(outbox_add(ob, "c-p-2", "ack", "x", "{\"type\":\"cmd\","
	    "\"id\":\"c-p-3\",\"cmd\":\"ack\",\"args\":{}}", &cause));
	free(cause);
	cause = NULL;
	assert_null(outbox_add(ob, "c-p-2", "note", "x", "{\"type\":\"cmd\","
	    "\"id\":\"c-p-2\",\"cmd\":\"ack\",\"args\":{}}", &cause));
	free(cause);
	cause = NULL;
	m = json_pack("{s:s s:s s:s s:{}}", "type", "cmd", "id", "c-p-4",
	    "cmd", "escalate", "args");
	e = outbox_add_new(ob, "escalate", m, &cause);
	assert_int_equal(outbox_entry_version(e), -1);
	outbox_free(ob);

	ob = outbox_open(f->path, &cause);
	e = outbox_find(ob, "c-p-1");
	assert_int_equal(outbox_entry_version(e), 4);
	assert_string_equal(json_string_value(json_object_get(
	    outbox_entry_msg(e), "id")), "c-p-1");
	outbox_free(ob);

	/* The first format: lines of bare JSON, read as they are. */
	fd = open(f->path, O_WRONLY | O_TRUNC);
	text = msg(5);
	xasprintf(&buf, "{\"id\":\"c-ab-5\",\"cmd\":\"note\",\"summary\":"
	    "\"note A-5\",\"ts\":1795000000000,\"msg\":%s}\n{\"done\":"
	    "\"c-zz\"}\n", text);
	assert_int_equal(write(fd, buf, strlen(buf)), (ssize_t)strlen(buf));
	close(fd);
	free(buf);
	ob = outbox_open(f->path, &cause);
	assert_non_null(ob);
	assert_ids(ob, "5");
	assert_int_equal(outbox_quarantined(ob), 0);
	e = outbox_find(ob, "c-ab-5");
	assert_string_equal(outbox_entry_text(e), text);
	free(text);
	add(ob, 6);
	outbox_free(ob);
	buf = slurp(f->path, &len);
	assert_non_null(strstr(buf, "\"id\":\"c-ab-6\""));
	free(buf);
	ob = outbox_open(f->path, &cause);
	assert_ids(ob, "5 6");
	outbox_free(ob);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbox_memory),
		cmocka_unit_test_setup_teardown(test_outbox_persist, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_torn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_sync_fail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_compact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_items, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_state_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_quarantine,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_parsed, setup,
		    teardown),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

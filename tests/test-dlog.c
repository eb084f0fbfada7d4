/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/dlog.c: records, torn tails, rewrites, locks, links. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dlog.h"
#include "log.h"
#include "xmalloc.h"

static char	t_dir[256];
static int	t_dirfd = -1;

static int
t_setup(void **state)
{
	(void)state;
	snprintf(t_dir, sizeof t_dir, "%s/test-dlog.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(t_dir) == NULL)
		return (-1);
	t_dirfd = open(t_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return (t_dirfd == -1 ? -1 : 0);
}

static int
t_teardown(void **state)
{
	DIR		*d;
	struct dirent	*de;

	(void)state;
	if ((d = opendir(t_dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0)
				unlinkat(t_dirfd, de->d_name, 0);
		}
		closedir(d);
	}
	close(t_dirfd);
	t_dirfd = -1;
	rmdir(t_dir);
	return (0);
}

/* The contents of name in the test directory (caller frees). */
static char *
t_slurp(const char *name, size_t *len)
{
	struct dlog_map	 m;
	char		*cause = NULL, *s;

	if (dlog_map(t_dirfd, name, 0, &m, &cause) != 0)
		fail_msg("%s", cause);
	s = xmalloc(m.size + 1);
	if (m.size > 0)
		memcpy(s, m.p, m.size);
	s[m.size] = '\0';
	*len = m.size;
	dlog_unmap(&m);
	return (s);
}

static void
t_write(const char *name, const char *text)
{
	int	fd;

	fd = openat(t_dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fd);
}

static mode_t
t_mode(const char *name)
{
	struct stat	sb;

	assert_int_equal(fstatat(t_dirfd, name, &sb, AT_SYMLINK_NOFOLLOW), 0);
	return (sb.st_mode & 07777);
}

/*
 * Test functions:
 *   dlog_crc32, dlog_frame
 */
static void
test_crc_frame(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	assert_int_equal(dlog_crc32("123456789", 9), 0xcbf43926U);
	assert_int_equal(dlog_crc32("", 0), 0);
	assert_int_equal(dlog_crc32("The quick brown fox jumps over the "
	    "lazy dog", 43), 0x414fa339U);
	dlog_frame(&b, "{}", 2);
	assert_int_equal(b.len, DLOG_HEAD + 3);
	assert_string_equal(buf_str(&b), "a3a6bf43 {}\n");
	buf_free(&b);
}

/*
 * Test functions:
 *   dlog_reader_init, dlog_read, dlog_reader_more (a good log, a bad
 *   checksum in the middle, a torn tail, bare records)
 */
static void
test_read(void **state)
{
	struct buf		 b = BUF_INIT;
	struct dlog_reader	 r;
	size_t			 second, third;
	char			*p;

	(void)state;
	dlog_frame(&b, "{\"n\":1}", 7);
	second = b.len;
	dlog_frame(&b, "{\"n\":2}", 7);
	third = b.len;
	dlog_frame(&b, "{\"n\":3}", 7);

	dlog_reader_init(&r, b.s, b.len, 0);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(r.len, 7);
	assert_memory_equal(r.text, "{\"n\":1}", 7);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.end, second);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(dlog_read(&r), DLOG_END);
	assert_int_equal(dlog_read(&r), DLOG_END);

	/* One byte changed in the middle record: bad, and reading goes on. */
	p = b.s + second + DLOG_HEAD + 2;
	*p ^= 0x01;
	dlog_reader_init(&r, b.s, b.len, 0);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_string_equal(r.why, "checksum mismatch");
	assert_int_equal(r.start, second);
	assert_int_equal(r.end, third);
	assert_true(dlog_reader_more(&r));
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_memory_equal(r.text, "{\"n\":3}", 7);
	assert_false(dlog_reader_more(&r));
	*p ^= 0x01;

	/* Cut in the last record: torn, and nothing good after it. */
	dlog_reader_init(&r, b.s, b.len - 3, 0);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(dlog_read(&r), DLOG_OK);
	assert_int_equal(dlog_read(&r), DLOG_TORN);
	assert_int_equal(r.start, third);
	assert_int_equal(r.end, b.len - 3);
	assert_false(dlog_reader_more(&r));
	/* Whole but for its newline: torn too. */
	dlog_reader_init(&r, b.s + third, b.len - third - 1, 0);
	assert_int_equal(dlog_read(&r), DLOG_TORN);

	/* Lines that are not records. */
	buf_truncate(&b, 0);
	buf_adds(&b, "\nxyz\n0000000g {}\n00000000{}\n{\"bare\":1}\n");
	dlog_reader_init(&r, b.s, b.len, 0);
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_string_equal(r.why, "an empty line");
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_string_equal(r.why, "not a record");
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_int_equal(dlog_read(&r), DLOG_BAD);
	assert_int_equal(dlog_read(&r), DLOG_END);
	/* A bare JSON line is a record only when asked for. */
	dlog_reader_init(&r, b.s, b.len, DLOG_READ_BARE);
	while (dlog_read(&r) == DLOG_BAD)
		/* nothing */;
	assert_true(r.bare);
	assert_int_equal(r.len, 10);
	dlog_reader_init(&r, NULL, 0, 0);
	assert_int_equal(dlog_read(&r), DLOG_END);
	buf_free(&b);
}

static int
t_sync_fails(int fd)
{
	(void)fd;
	errno = EIO;
	return (-1);
}

/*
 * Test functions:
 *   dlog_open, dlog_add, dlog_write, dlog_sync, dlog_append (a failed
 *   sync cuts the file back), dlog_truncate, dlog_free
 */
static void
test_append(void **state)
{
	struct dlog		*d;
	struct dlog_reader	 r;
	char			*cause = NULL, *s;
	size_t			 len;
	int			 n;

	(void)state;
	umask(0);
	d = dlog_open(t_dirfd, "log", &cause);
	umask(022);
	assert_non_null(d);
	/* Private whatever the umask, and its name synced. */
	assert_int_equal(t_mode("log"), 0600);
	assert_int_equal(d->nsync, 1);
	dlog_add(d, "{\"a\":1}", 7);
	dlog_add(d, "{\"a\":2}", 7);
	s = t_slurp("log", &len);
	assert_int_equal(len, 0);		/* Only buffered. */
	free(s);
	assert_int_equal(dlog_sync(d), 0);
	assert_int_equal(d->nsync, 2);
	assert_int_equal(dlog_sync(d), 0);	/* Nothing new: no sync. */
	assert_int_equal(d->nsync, 2);
	assert_int_equal(dlog_append(d, "{\"a\":3}", 7, &cause), 0);
	assert_int_equal(d->nsync, 3);
	assert_int_equal(d->written, 3 * (DLOG_HEAD + 8));

	/* A record that cannot be synced leaves nothing behind. */
	d->sync = t_sync_fails;
	assert_int_equal(dlog_append(d, "{\"a\":4}", 7, &cause), -1);
	assert_int_equal(errno, EIO);
	assert_non_null(strstr(cause, "log: "));
	free(cause);
	cause = NULL;
	d->sync = fdatasync;
	s = t_slurp("log", &len);
	assert_int_equal(len, 3 * (DLOG_HEAD + 8));
	dlog_reader_init(&r, s, len, 0);
	for (n = 0; dlog_read(&r) == DLOG_OK; n++)
		/* nothing */;
	assert_int_equal(n, 3);
	free(s);

	/* Reopened: appends go after what is there. */
	dlog_free(d);
	d = dlog_open(t_dirfd, "log", &cause);
	assert_int_equal(d->nsync, 0);
	assert_int_equal(dlog_append(d, "{\"a\":5}", 7, &cause), 0);
	s = t_slurp("log", &len);
	assert_int_equal(len, 4 * (DLOG_HEAD + 8));
	assert_non_null(strstr(s, "{\"a\":5}\n"));
	free(s);
	assert_int_equal(dlog_truncate(d, DLOG_HEAD + 8), 0);
	s = t_slurp("log", &len);
	assert_int_equal(len, DLOG_HEAD + 8);
	free(s);
	dlog_free(d);
	dlog_free(NULL);
}

/*
 * Test functions:
 *   dlog_rewrite, dlog_replace (compaction: the new file whole, appends
 *   go on in it, no .tmp left)
 */
static void
test_rewrite(void **state)
{
	struct dlog	*d;
	struct buf	 b = BUF_INIT;
	struct stat	 sb;
	char		*cause = NULL, *s;
	size_t		 len;
	int		 i;

	(void)state;
	d = dlog_open(t_dirfd, "log", &cause);
	for (i = 0; i < 10; i++)
		dlog_add(d, "{\"dead\":true}", 13);
	assert_int_equal(dlog_sync(d), 0);
	dlog_frame(&b, "{\"live\":1}", 10);
	assert_int_equal(dlog_rewrite(d, b.s, b.len, &cause), 0);
	assert_int_equal(dlog_append(d, "{\"live\":2}", 10, &cause), 0);
	s = t_slurp("log", &len);
	assert_int_equal(len, 2 * (DLOG_HEAD + 11));
	assert_non_null(strstr(s, "{\"live\":1}\n"));
	assert_non_null(strstr(s, "{\"live\":2}\n"));
	assert_null(strstr(s, "dead"));
	free(s);
	assert_int_equal(fstatat(t_dirfd, "log.tmp", &sb, 0), -1);
	assert_int_equal(t_mode("log"), 0600);
	dlog_free(d);

	/* A whole file, replaced; a stale .tmp of a crash does not hurt. */
	t_write("snap.tmp", "half a snapsh");
	assert_int_equal(dlog_replace(t_dirfd, "snap", b.s, b.len, fsync,
	    &cause), 0);
	s = t_slurp("snap", &len);
	assert_string_equal(s, b.s);
	free(s);
	assert_int_equal(t_mode("snap"), 0600);
	assert_int_equal(fstatat(t_dirfd, "snap.tmp", &sb, 0), -1);
	buf_free(&b);
}

/*
 * Test functions:
 *   dlog_lock (held by another process: refused, then free once that
 *   process is gone)
 */
static void
test_lock(void **state)
{
	char	*cause = NULL, c;
	int	 up[2], down[2], fd;
	pid_t	 pid;
	int	 status;

	(void)state;
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	if ((pid = fork()) == 0) {
		close(up[0]);
		close(down[1]);
		fd = dlog_lock(t_dirfd, "lock", NULL);
		c = fd != -1 ? 'y' : 'n';
		if (write(up[1], &c, 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(2);
		_exit(fd != -1 ? 0 : 1);
	}
	assert_true(pid > 0);
	close(up[1]);
	close(down[0]);
	assert_int_equal(read(up[0], &c, 1), 1);
	assert_int_equal(c, 'y');

	assert_int_equal(dlog_lock(t_dirfd, "lock", &cause), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_non_null(strstr(cause, "held by another process"));
	free(cause);
	cause = NULL;

	assert_int_equal(write(down[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fd = dlog_lock(t_dirfd, "lock", &cause);
	assert_true(fd != -1);
	assert_int_equal(t_mode("lock"), 0600);
	close(fd);
	close(up[0]);
	close(down[1]);
}

/*
 * Test functions:
 *   dlog_open, dlog_rewrite, dlog_lock, dlog_map, dlog_fopen_private,
 *   dlog_check_private, dlog_open_private (a symbolic link planted at
 *   the name or at name.tmp is refused and its target untouched; so are
 *   hard links, FIFOs and directories)
 */
static void
test_links(void **state)
{
	struct dlog	*d;
	struct stat	 sb;
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		*cause = NULL, *s, target[512], path[512];
	size_t		 len;

	(void)state;
	t_write("target", "precious\n");
	snprintf(target, sizeof target, "%s/target", t_dir);

	/* At the name. */
	assert_int_equal(symlinkat(target, t_dirfd, "log"), 0);
	assert_null(dlog_open(t_dirfd, "log", &cause));
	assert_int_equal(errno, ELOOP);
	assert_non_null(strstr(cause, "a symbolic link, not followed"));
	free(cause);
	cause = NULL;
	assert_int_equal(dlog_lock(t_dirfd, "log", &cause), -1);
	free(cause);
	cause = NULL;
	snprintf(path, sizeof path, "%s/log", t_dir);
	assert_null(dlog_fopen_private(path, "a", &cause));
	assert_int_equal(errno, ELOOP);
	free(cause);
	cause = NULL;
	unlinkat(t_dirfd, "log", 0);

	/* At name.tmp: a rewrite is refused, the log and target stay. */
	d = dlog_open(t_dirfd, "log", &cause);
	assert_non_null(d);
	assert_int_equal(dlog_append(d, "{\"keep\":1}", 10, &cause), 0);
	assert_int_equal(symlinkat(target, t_dirfd, "log.tmp"), 0);
	dlog_frame(&b, "{\"new\":1}", 9);
	assert_int_equal(dlog_rewrite(d, b.s, b.len, &cause), -1);
	assert_non_null(strstr(cause, "log.tmp: a symbolic link"));
	free(cause);
	cause = NULL;
	assert_int_equal(dlog_replace(t_dirfd, "log", b.s, b.len, fsync,
	    &cause), -1);
	free(cause);
	cause = NULL;
	s = t_slurp("log", &len);
	assert_non_null(strstr(s, "{\"keep\":1}"));
	free(s);
	assert_int_equal(dlog_append(d, "{\"keep\":2}", 10, &cause), 0);
	unlinkat(t_dirfd, "log.tmp", 0);

	/* A hard link at name.tmp: refused as well. */
	assert_int_equal(linkat(t_dirfd, "target", t_dirfd, "log.tmp", 0), 0);
	assert_int_equal(dlog_rewrite(d, b.s, b.len, &cause), -1);
	assert_non_null(strstr(cause, "hard link"));
	free(cause);
	cause = NULL;
	unlinkat(t_dirfd, "log.tmp", 0);
	dlog_free(d);

	/* Reading through a link is refused too. */
	assert_int_equal(symlinkat(target, t_dirfd, "snap"), 0);
	assert_int_equal(dlog_map(t_dirfd, "snap", 0, &(struct dlog_map){ 0 },
	    &cause), -1);
	free(cause);
	cause = NULL;
	/* A link at the name of a whole-file replace is replaced, not
	 * followed. */
	assert_int_equal(dlog_replace(t_dirfd, "snap", b.s, b.len, fsync,
	    &cause), 0);
	assert_int_equal(fstatat(t_dirfd, "snap", &sb, AT_SYMLINK_NOFOLLOW),
	    0);
	assert_true(S_ISREG(sb.st_mode));

	/* The target was never written. */
	s = t_slurp("target", &len);
	assert_string_equal(s, "precious\n");
	free(s);

	/* A FIFO does not block the opener; neither it nor a directory is
	 * a file. */
	assert_int_equal(mkfifoat(t_dirfd, "fifo", 0600), 0);
	assert_int_equal(dlog_open_private(t_dirfd, "fifo", O_RDONLY,
	    &cause), -1);
	assert_int_equal(errno, EINVAL);
	free(cause);
	cause = NULL;
	assert_int_equal(dlog_open_private(AT_FDCWD, t_dir, O_RDONLY, NULL),
	    -1);

	/* Checked before a library opens it by name: made, or refused. */
	snprintf(path, sizeof path, "%s/history", t_dir);
	assert_int_equal(dlog_check_private(path, &cause), 0);
	assert_int_equal(t_mode("history"), 0600);
	assert_int_equal(dlog_check_private(path, &cause), 0);
	unlinkat(t_dirfd, "history", 0);
	assert_int_equal(symlinkat(target, t_dirfd, "history"), 0);
	assert_int_equal(dlog_check_private(path, &cause), -1);
	assert_int_equal(errno, ELOOP);
	free(cause);
	cause = NULL;

	/* dlog_fopen_private: 0600, and "wx" only makes new files. */
	snprintf(target, sizeof target, "%s/rec", t_dir);
	f = dlog_fopen_private(target, "wx", &cause);
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	assert_int_equal(t_mode("rec"), 0600);
	assert_null(dlog_fopen_private(target, "wx", &cause));
	assert_int_equal(errno, EEXIST);
	free(cause);
	cause = NULL;
	f = dlog_fopen_private(target, "a", &cause);
	assert_non_null(f);
	fclose(f);
	buf_free(&b);
}

/*
 * Test functions:
 *   dlog_open_dir, dlog_map (an empty file)
 */
static void
test_dir(void **state)
{
	struct dlog_map	 m;
	char		*cause = NULL, *base = NULL, path[512];
	int		 fd;

	(void)state;
	snprintf(path, sizeof path, "%s/outbox", t_dir);
	fd = dlog_open_dir(path, &base, &cause);
	assert_true(fd != -1);
	assert_string_equal(base, "outbox");
	free(base);
	close(fd);
	fd = dlog_open_dir("outbox", &base, &cause);
	assert_true(fd != -1);
	assert_string_equal(base, "outbox");
	free(base);
	close(fd);
	assert_int_equal(dlog_open_dir("/tmp/", &base, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(dlog_open_dir("/nonexistent/x", &base, &cause), -1);
	free(cause);
	cause = NULL;

	t_write("empty", "");
	assert_int_equal(dlog_map(t_dirfd, "empty", 0, &m, &cause), 0);
	assert_null(m.p);
	assert_int_equal(m.size, 0);
	dlog_unmap(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_frame),
		cmocka_unit_test(test_read),
		cmocka_unit_test_setup_teardown(test_append, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_rewrite, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_lock, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_links, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_dir, t_setup,
		    t_teardown),
	};

	log_open("/dev/null", "test-dlog");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

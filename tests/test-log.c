/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/log.c: every line sanitised, in the file and on stderr. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sanitize.h"
#include "xmalloc.h"

/* Title, clipboard, clear, colours, C1 CSI, RIS, bidi, CR, BS, LF. */
#define HOSTILE	"\033]0;PWNED\007\033]52;c;SGVsbG8=\007\033[2J\033[41mRED" \
		"\033[0m \302\23331m\033c\342\200\256RLO\342\201\246LRI\r\bX\nY"

/* The whole of the file at path (NUL-terminated); *len gets its size. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

/*
 * Assert that text (len bytes) is valid UTF-8 made of lines ended by
 * '\n', with no other C0 control, no DEL, no C1, no bidi control and
 * nothing of an escape sequence's payload. Returns the number of lines.
 */
static int
assert_clean(const char *text, size_t len)
{
	size_t		i = 0;
	uint32_t	cp;
	int		lines = 0;

	assert_true(utf8_valid(text, len));
	while (i < len) {
		i += utf8_decode(text + i, len - i, &cp);
		if (cp == '\n') {
			lines++;
			continue;
		}
		assert_false(cp < 0x20 || cp == 0x7f);
		assert_false(cp >= 0x80 && cp <= 0x9f);
		assert_false(cp >= 0x202a && cp <= 0x202e);
		assert_false(cp >= 0x2066 && cp <= 0x2069);
		assert_false(cp == 0x200e || cp == 0x200f || cp == 0x061c);
	}
	assert_true(len == 0 || text[len - 1] == '\n');
	assert_null(strstr(text, "PWNED"));
	assert_null(strstr(text, "SGVsbG8"));
	return (lines);
}

/*
 * Test functions:
 *   log_open, log_msg, log_lws_emit, log_close (what came from the
 *   network, in short, long and very long lines: one clean line each)
 */
static void
test_log_file_clean(void **state)
{
	char	 path[] = "/tmp/test-log.XXXXXX", *text, *big;
	size_t	 len, i;
	int	 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(log_open(path, "test-log"), 0);
	log_level = LOG_DEBUG;

	/* Result lines, digests, unknown types, jansson's error text. */
	log_info("result %s: %s", "c-1", "bad_state" HOSTILE);
	log_warn("bad message from the backend: not JSON: invalid token "
	    "near '%s' (at byte 0)", HOSTILE);
	log_msg(LOG_ERROR, "unknown message type \"%.32s\"", HOSTILE);
	log_lws_emit(1, HOSTILE "\n");
	/* Longer than the stack buffer, then longer than a line. */
	big = xmalloc(20001);
	for (i = 0; i < 20000; i++)
		big[i] = HOSTILE[i % (sizeof HOSTILE - 1)];
	big[20000] = '\0';
	log_debug("%.3000s", big);
	log_debug("%s", big);
	free(big);
	log_close();

	text = slurp(path, &len);
	assert_int_equal(assert_clean(text, len), 6);
	/* The visible text is kept, the newline is a space, no "\r". */
	assert_non_null(strstr(text, "test-log info: result c-1: "
	    "bad_stateRED RLOLRIX Y\n"));
	assert_non_null(strstr(text, "test-log warn: lws: RED "));
	/* A very long message is cut at 8 KiB. */
	assert_true(len < 3 * 8192 + 1024);
	free(text);
	unlink(path);
	log_level = LOG_INFO;
}

/*
 * Test functions:
 *   fatalx (its message on stderr and in the log file, sanitised)
 */
static void
test_log_fatal_clean(void **state)
{
	char	 path[] = "/tmp/test-log.XXXXXX", errpath[] =
		    "/tmp/test-log-err.XXXXXX", *text;
	size_t	 len;
	pid_t	 pid;
	int	 fd, status;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	fd = mkstemp(errpath);
	assert_true(fd >= 0);
	if ((pid = fork()) == 0) {
		dup2(fd, STDERR_FILENO);
		if (log_open(path, "test-log") != 0)
			_exit(2);
		fatalx("cannot go on: %s", HOSTILE);
	}
	close(fd);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);

	text = slurp(errpath, &len);
	assert_int_equal(assert_clean(text, len), 1);
	assert_non_null(strstr(text, "test-log: cannot go on: RED "));
	free(text);
	text = slurp(path, &len);
	assert_int_equal(assert_clean(text, len), 1);
	assert_non_null(strstr(text, "error: fatal: cannot go on: RED "));
	free(text);
	unlink(path);
	unlink(errpath);
}

/*
 * Test functions:
 *   log_open (a new file is 0600; a planted link is refused and its
 *   target untouched; /dev/null is a device and is taken as it is)
 */
static void
test_log_open_private(void **state)
{
	char		 dir[] = "/tmp/test-log.XXXXXX", *path, *link, *target;
	struct stat	 sb;
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	xasprintf(&path, "%s/console.log", dir);
	xasprintf(&link, "%s/link.log", dir);
	xasprintf(&target, "%s/target", dir);

	assert_int_equal(log_open(path, "test-log"), 0);
	log_warn("a line");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	assert_non_null(f = fopen(target, "w"));
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(log_open(link, "test-log"), -1);
	assert_int_equal(stat(target, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)strlen("precious\n"));

	assert_int_equal(log_open("/dev/null", "test-log"), 0);
	log_warn("into the void");
	log_close();

	unlink(path);
	unlink(link);
	unlink(target);
	rmdir(dir);
	free(path);
	free(link);
	free(target);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_file_clean),
		cmocka_unit_test(test_log_fatal_clean),
		cmocka_unit_test(test_log_open_private),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

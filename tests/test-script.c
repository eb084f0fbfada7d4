/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for console/script.c: splitting, runs against a real backend, and
 * against tb-liar, which answers with terminal escapes.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "log.h"
#include "sanitize.h"
#include "script.h"
#include "xmalloc.h"

/*
 * The runs need trucban-backend: the one built next to this test
 * (BUILD/tests/test-script -> BUILD/trucban-backend), started on a free
 * loopback port with the shipped dataset, seed 7 and no simulation, so
 * alerts A-0001 to A-0008 are there and new. Tests run from the top of
 * the tree.
 */

static char	*out;		/* The result lines of a run. */
static pid_t	 backend = -1;
static char	 url[64];

static void
collect(const char *line)
{
	char	*tmp;

	xasprintf(&tmp, "%s%s\n", out != NULL ? out : "", line);
	free(out);
	out = tmp;
}

static int
run(const char *commands, const char *file, int timeout)
{
	struct script_opts	 o;
	char			*cause = NULL;
	int			 rv;

	free(out);
	out = xstrdup("");
	memset(&o, 0, sizeof o);
	o.url = url;
	o.file = file;
	o.commands = commands;
	o.timeout = timeout;
	o.print = collect;
	rv = script_run(&o, &cause);
	if (cause != NULL) {
		collect(cause);
		free(cause);
	}
	return (rv);
}

/*
 * Start BUILD/name (the tool next to this test's directory) with the
 * arguments in argv (argv[0] is the name) and read its URL from the first
 * line it prints, "NAME: listening on URL" (10 s at most).
 */
static void
start_server(const char *name, char *const argv[])
{
	char		 exe[PATH_MAX], path[PATH_MAX + 32], line[256];
	char		 fmt[64];
	char		*slash;
	struct pollfd	 pfd;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fds[2];

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	snprintf(path, sizeof path, "%s/%s", exe, name);
	if (access(path, X_OK) != 0)
		fail_msg("%s: %s (build it first)", path, strerror(errno));
	assert_int_equal(pipe(fds), 0);
	if ((backend = fork()) == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execv(path, argv);
		_exit(127);
	}
	assert_true(backend > 0);
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	line[0] = '\0';
	while (got < sizeof line - 1 && strchr(line, '\n') == NULL) {
		if (poll(&pfd, 1, 10000) != 1)
			break;
		if ((n = read(fds[0], line + got, sizeof line - 1 - got)) <= 0)
			break;
		got += (size_t)n;
		line[got] = '\0';
	}
	close(fds[0]);
	line[got] = '\0';
	snprintf(fmt, sizeof fmt, "%s: listening on %%63s", argv[0]);
	if (sscanf(line, fmt, url) != 1)
		fail_msg("%s did not start: \"%s\"", name, line);
}

/* Start the backend. */
static int
setup_backend(void **state)
{
	char *const	 argv[] = { "trucban-backend", "--listen",
			    "127.0.0.1:0", "--data", "data/quangninh", "--seed",
			    "7", "--rate", "0", NULL };

	(void)state;
	start_server("trucban-backend", argv);
	return (0);
}

/* Start tb-liar, the backend that answers with escapes. */
static int
setup_liar(void **state)
{
	char *const	 argv[] = { "tb-liar", NULL };

	(void)state;
	start_server("tools/tb-liar", argv);
	return (0);
}

static int
teardown_backend(void **state)
{
	int	status;

	(void)state;
	if (backend > 0) {
		kill(backend, SIGTERM);
		waitpid(backend, &status, 0);
	}
	backend = -1;
	free(out);
	out = NULL;
	return (0);
}

/*
 * Test functions:
 *   script_split, script_split_free
 */
static void
test_script_split(void **state)
{
	char	**v;
	int	  n;

	(void)state;
	v = script_split("ack A-1; ack A-2\n\n# a comment\n  note A-1 "
	    "\"a; b\" 'c;d' ;;\r\nquit", &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "ack A-1");
	assert_string_equal(v[1], "ack A-2");
	assert_string_equal(v[2], "note A-1 \"a; b\" 'c;d'");
	assert_string_equal(v[3], "quit");
	script_split_free(v, n);

	/* \" inside "..." does not end it; a line ends an open quote. */
	v = script_split("note A-1 \"x \\\" ; y\"; b\nc \"open; d\ne", &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "note A-1 \"x \\\" ; y\"");
	assert_string_equal(v[1], "b");
	assert_string_equal(v[2], "c \"open; d");
	assert_string_equal(v[3], "e");
	script_split_free(v, n);

	v = script_split("  \n# only\n ; ", &n);
	assert_int_equal(n, 0);
	assert_null(v);
	script_split_free(v, n);
}

/*
 * Test functions:
 *   script_run (no link within the deadline; an unreadable file)
 */
static void
test_script_nolink(void **state)
{
	(void)state;
	/* Port 1 on loopback: nobody listens. */
	snprintf(url, sizeof url, "ws://127.0.0.1:1");
	assert_int_equal(run("ack A-1", NULL, 1), SCRIPT_NOLINK);
	assert_string_equal(out, "error offline: no link to "
	    "ws://127.0.0.1:1 within 1 s\n");
	assert_int_equal(run(NULL, "/nonexistent/script", 1), SCRIPT_NOLINK);
	assert_non_null(strstr(out, "/nonexistent/script"));
	snprintf(url, sizeof url, "http://x");
	assert_int_equal(run("ack A-1", NULL, 1), SCRIPT_NOLINK);
	assert_non_null(strstr(out, "not a ws://"));
}

/*
 * Test functions:
 *   script_run (results, one line each; local errors; the exit status;
 *   lines run in order, each after the results of the one before)
 */
static void
test_script_run(void **state)
{
	char	 path[] = "/tmp/test-script.XXXXXX";
	FILE	*fp;
	int	 fd;

	(void)state;
	assert_int_equal(run("ack A-0001", NULL, 10), SCRIPT_OK);
	assert_string_equal(out, "ok ack A-0001\n");

	assert_int_equal(run("ack A-0001; xn a-0002 A-0003; ack NOPE; "
	    "note A-0002 \"Hạ Long; ngập\"; digest", NULL, 10),
	    SCRIPT_FAILED);
	if (strncmp(out, "error bad_state ack A-0001: ", 28) != 0)
		fail_msg("got: %s", out);
	assert_non_null(strstr(out, "\nok ack A-0002\nok ack A-0003\n"
	    "error local: ack: no such alert: NOPE\nok note A-0002\n"
	    "ok digest "));
	assert_non_null(strstr(out, " (seq "));

	/* quit ends the run; what follows is not run. */
	assert_int_equal(run("ack A-0004; quit; ack A-0005", NULL, 10),
	    SCRIPT_OK);
	assert_string_equal(out, "ok ack A-0004\n");

	/* A file, then -c; help prints the table's line. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "# a drill\nack A-0005\n\nstatus A-0005 os\nhelp ack\n");
	fclose(fp);
	assert_int_equal(run("ack A-0006", path, 10), SCRIPT_FAILED);
	unlink(path);
	assert_non_null(strstr(out, "ok ack A-0005\nerror local: status: "
	    "alert A-0005 has no units\nack ALERT [ALERT...]: Acknowledge "
	    "alerts: new -> acknowledged. Alias: xn.\nok ack A-0006\n"));

	/* A usage error is local. */
	assert_int_equal(run("dispatch A-0007", NULL, 10), SCRIPT_FAILED);
	assert_string_equal(out, "error local: usage: dispatch ALERT UNIT "
	    "[UNIT...] (see: help dispatch)\n");
}

/*
 * Assert that text is valid UTF-8 with no control character but '\n',
 * no C1 control, no bidi control and none of an escape's payload.
 */
static void
assert_clean(const char *text)
{
	size_t		len = strlen(text), i = 0;
	uint32_t	cp;

	assert_true(utf8_valid(text, len));
	while (i < len) {
		i += utf8_decode(text + i, len - i, &cp);
		assert_false((cp < 0x20 && cp != '\n') || cp == 0x7f);
		assert_false(cp >= 0x80 && cp <= 0x9f);
		assert_false(cp >= 0x202a && cp <= 0x202e);
		assert_false(cp >= 0x2066 && cp <= 0x2069);
	}
	assert_null(strstr(text, "PWNED"));
	assert_null(strstr(text, "SGVsbG8"));
}

/*
 * Test functions:
 *   script_run, log_msg (a backend whose result codes, messages and
 *   digest, unknown message types and broken JSON carry terminal
 *   escapes: nothing of them reaches the printed lines or the log)
 */
static void
test_script_hostile(void **state)
{
	char	 path[] = "/tmp/test-script-log.XXXXXX", *log;
	FILE	*f;
	long	 n;
	int	 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(log_open(path, "test-script"), 0);
	log_level = LOG_DEBUG;
	assert_int_equal(run("ack A-0001; digest", NULL, 10), SCRIPT_FAILED);
	log_close();
	log_level = LOG_WARN;

	assert_clean(out);
	assert_non_null(strstr(out, "error bad_stateREDRLO ack A-0001: "
	    "A-0001 REDRLO\n"));
	assert_non_null(strstr(out, "error digest_differs digest: differs "
	    "at seq 5: backend "));

	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	log = xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(log, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	assert_clean(log);
	/* The four kinds of line that quoted the backend raw. */
	assert_non_null(strstr(log, "result "));
	assert_non_null(strstr(log, "not JSON"));
	assert_non_null(strstr(log, "unknown message type"));
	assert_non_null(strstr(log, "script: error digest_differs"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_split),
		cmocka_unit_test(test_script_nolink),
		cmocka_unit_test_setup_teardown(test_script_run,
		    setup_backend, teardown_backend),
		cmocka_unit_test_setup_teardown(test_script_hostile,
		    setup_liar, teardown_backend),
	};
	int	rv;

	log_level = LOG_WARN;
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	signal(SIGPIPE, SIG_IGN);
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	free(out);
	return (rv);
}

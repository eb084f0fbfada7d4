/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Logging: one file (or stderr), levels, and fatal exits. */

#include "log.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dlog.h"
#include "sanitize.h"

/*
 * Every line is sanitised before it is written (log_vmsg()): messages
 * carry text from the network (a backend's codes and messages, jansson's
 * error text quoting the input, names, lws lines), and a log is read in a
 * terminal. One pass of sanitize_into() leaves no C0 control (a '\n' in
 * a message becomes a space, so a line is one record), no C1, no escape
 * sequence and no bidi control; the text is cut at LOG_LINE_MAX bytes.
 * Formatting and sanitising use the stack unless a line is long.
 */

#define LOG_LINE_MAX	8192	/* Bytes of one message, sanitised. */
#define LOG_RAW		1024	/* Formatted on the stack up to this. */

int			 log_level = LOG_INFO;
static FILE		*log_file;	/* NULL: stderr. */
static const char	*log_prog = "trucban";
static void		(*log_fatal_hook)(void);

static const char *const log_names[] = { "error", "warn", "info", "debug" };

/*
 * Send the log to path ("-" or NULL: stderr). Returns 0, or -1 with errno
 * set when the file cannot be opened.
 */
int
log_open(const char *path, const char *progname)
{
	struct stat	 sb;
	FILE		*f;

	if (progname != NULL)
		log_prog = progname;
	if (path == NULL || strcmp(path, "-") == 0)
		return (0);
	/*
	 * A file is private (0600) and never opened through a planted link;
	 * a device or a pipe (/dev/null, /dev/stderr, a FIFO) is written as
	 * it is. errno is kept for the caller.
	 */
	if (lstat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) ||
	    S_ISFIFO(sb.st_mode)))
		f = fopen(path, "a");
	else
		f = dlog_fopen_private(path, "a", NULL);
	if (f == NULL)
		return (-1);
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	log_file = f;
	return (0);
}

/*
 * Close the log file; later lines go to stderr.
 */
void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/*
 * Register a function fatal() calls before it prints (the console restores
 * the terminal there).
 */
void
log_set_fatal_hook(void (*fn)(void))
{
	log_fatal_hook = fn;
}

/*
 * Format fmt and ap and sanitise the result into clean (cleansz bytes).
 * Returns clean.
 */
static char *
log_clean(char *clean, size_t cleansz, const char *fmt, va_list ap)
{
	char	 raw[LOG_RAW], *big = NULL;
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(raw, sizeof raw, fmt, ap);
	if (n < 0)
		n = 0;
	else if ((size_t)n >= sizeof raw) {
		if (vasprintf(&big, fmt, ap2) == -1) {
			big = NULL;
			n = sizeof raw - 1;	/* Keep what fitted. */
		}
	}
	va_end(ap2);
	sanitize_into(clean, cleansz, big != NULL ? big : raw, (size_t)n, 0);
	free(big);
	return (clean);
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	FILE	*f = log_file != NULL ? log_file : stderr;
	int64_t	 now = clock_now();
	time_t	 t = (time_t)(now / 1000);
	struct tm tm;
	char	 ts[32], clean[LOG_LINE_MAX];

	if ((int)level > log_level)
		return;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	log_clean(clean, sizeof clean, fmt, ap);
	fprintf(f, "%s.%03dZ %s %s: %s\n", ts, (int)(now % 1000), log_prog,
	    log_names[level], clean);
}

/*
 * Log one line at level.
 */
void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

/*
 * An emit function for lws_set_log_level(): lws lines go to our log at
 * debug (or warn for lws errors and warnings), never to the terminal.
 */
void
log_lws_emit(int level, const char *line)
{
	size_t	len = strlen(line);

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	/* LLL_ERR = 1, LLL_WARN = 2 in libwebsockets. */
	log_msg(level <= 2 ? LOG_WARN : LOG_DEBUG, "lws: %.*s", (int)len,
	    line);
}

static void __attribute__((noreturn))
log_vfatal(int with_errno, const char *fmt, va_list ap)
{
	int	 saved = errno;
	char	 msg[LOG_RAW];

	if (log_fatal_hook != NULL) {
		void (*hook)(void) = log_fatal_hook;

		log_fatal_hook = NULL;
		hook();
	}
	log_clean(msg, sizeof msg, fmt, ap);	/* It may go to stderr. */
	if (with_errno)
		log_msg(LOG_ERROR, "fatal: %s: %s", msg, strerror(saved));
	else
		log_msg(LOG_ERROR, "fatal: %s", msg);
	if (log_file != NULL) {
		if (with_errno)
			fprintf(stderr, "%s: %s: %s\n", log_prog, msg,
			    strerror(saved));
		else
			fprintf(stderr, "%s: %s\n", log_prog, msg);
	}
	exit(1);
}

/*
 * Log a message with strerror(errno), restore the terminal and exit 1.
 */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vfatal(1, fmt, ap);
}

/*
 * Log a message, restore the terminal and exit 1.
 */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vfatal(0, fmt, ap);
}

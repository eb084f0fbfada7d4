/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Logging: one file (or stderr), levels, and fatal exits. */

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

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
	FILE	*f;

	if (progname != NULL)
		log_prog = progname;
	if (path == NULL || strcmp(path, "-") == 0)
		return (0);
	if ((f = fopen(path, "a")) == NULL)
		return (-1);
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	log_file = f;
	return (0);
}

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

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	FILE	*f = log_file != NULL ? log_file : stderr;
	int64_t	 now = clock_now();
	time_t	 t = (time_t)(now / 1000);
	struct tm tm;
	char	 ts[32];

	if ((int)level > log_level)
		return;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03dZ %s %s: ", ts, (int)(now % 1000), log_prog,
	    log_names[level]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
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
	char	 msg[1024];

	if (log_fatal_hook != NULL) {
		void (*hook)(void) = log_fatal_hook;

		log_fatal_hook = NULL;
		hook();
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
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

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Logging to a file or stderr, and fatal exits that restore the terminal. */

#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

extern int	log_level;

int	 log_open(const char *path, const char *progname);
void	 log_close(void);
void	 log_set_fatal_hook(void (*)(void));
void	 log_msg(enum log_level, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
void	 log_lws_emit(int level, const char *line);

#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

void	 fatal(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
void	 fatalx(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif

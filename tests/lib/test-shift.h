/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A recorded shift for the tests: a small province held by a backend's
 * engine (core/engine.c), whose every event is recorded as a console
 * records it (console/record.c), with the officer's commands going out
 * and their results coming back. The clock is frozen and moved by the
 * test, so the recording's times are the test's.
 */

#ifndef TEST_SHIFT_H
#define TEST_SHIFT_H

#include <stdint.h>

#include <jansson.h>

#include "operator.h"

struct engine;
struct recorder;
struct store;

#define TEST_SHIFT_T0	1796000000000LL	/* The shift starts. */

struct test_shift {
	struct store	*store;		/* The backend's truth. */
	struct engine	*engine;
	struct recorder	*rec;		/* The officer's console's. */
	struct operator	 officer;	/* "lan", a supervisor. */
	struct operator	 colleague;	/* "sim", a supervisor. */
	uint64_t	 ncmds;
	int		 up;
};

struct test_shift	*test_shift_new(const char *path);
void			 test_shift_free(struct test_shift *);
void			 test_shift_tick(struct test_shift *, int64_t ms);
int			 test_shift_cmd(struct test_shift *,
			     const struct operator *, const char *cmd,
			     json_t *args);
void			 test_shift_alert(struct test_shift *, const char *id,
			     int severity, const char *area);
void			 test_shift_reading(struct test_shift *,
			     const char *hospital, int er_waiting);
void			 test_shift_link(struct test_shift *, int up);
void			 test_shift_digest(struct test_shift *, char out[17]);

#endif

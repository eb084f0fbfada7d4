/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Finished work kept reachable: the items the archive gave back (alerts
 * and feedback cases that left the live state), as far as the officer
 * has paged through it, and where the shift started. The finished view
 * (widgets/widget-finished.c) shows them after the finished items the
 * store still holds; the console asks the pages (console/sync.c).
 */

#ifndef FINISHED_H
#define FINISHED_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

/* The view's archive pages start this long before the shift. */
#define FINISHED_LOOKBACK_MS	(12 * 3600 * 1000LL)

enum finished_state {
	FINISHED_NONE,		/* Nothing asked yet. */
	FINISHED_LOADING,	/* A page is on its way. */
	FINISHED_MORE,		/* There is a next page. */
	FINISHED_END		/* The archive was read to its end. */
};

struct finished {
	struct alert		*alerts;	/* In the order they came. */
	size_t			 nalerts, alerts_cap;
	struct feedback		*cases;
	size_t			 ncases, cases_cap;
	enum finished_state	 state;
	int64_t			 shift_start;	/* ms; the history from. */
	unsigned		 gen;		/* +1 on every change. */
};

void	finished_init(struct finished *, int64_t shift_start);
void	finished_clear(struct finished *);
int	finished_add(struct finished *, const char *kind, json_t *item,
	    char **cause);
struct alert	*finished_alert(struct finished *, const char *id);
struct feedback	*finished_case(struct finished *, const char *id);
int	finished_alert_done(const struct alert *);
int	finished_case_done(const struct feedback *);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Working time as data: a province's office hours, its country's calendar
 * of public holidays and of days moved by government decision, the
 * deadline rules of feedback cases by category and urgency, and the
 * response bands of alerts by kind and severity. Adds working hours or
 * days to an instant, measures the working time between two, finds the
 * rule for a case (the band for an alert) and the instant a stage of it
 * is due. Times are ms since the epoch (UTC), as clock_now() gives them;
 * days and hours are the province's local ones (a fixed UTC offset, no
 * daylight saving).
 */

#ifndef WORKCAL_H
#define WORKCAL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct workcal;

/* What a deadline rule limits. */
enum workcal_stage {
	WORKCAL_ACCEPT,		/* Taken in hand: assigned. */
	WORKCAL_HANDLE,		/* Answered. */
	WORKCAL_STAGE_COUNT
};

/* How a limit counts. */
enum workcal_unit {
	WORKCAL_NONE,		/* No limit. */
	WORKCAL_HOURS,		/* Working hours: "8h". */
	WORKCAL_DAYS,		/* Working days, to the close: "5d". */
	WORKCAL_MINUTES		/* Round the clock: "60min". */
};

struct workcal_limit {
	enum workcal_unit	 unit;
	int			 amount;
};

/* A rule: category and urgency are codes, or "*" for any. */
struct workcal_rule {
	char			 category[MODEL_CODE_MAX];
	char			 urgency[MODEL_CODE_MAX];
	struct workcal_limit	 limit[WORKCAL_STAGE_COUNT];
};

/* What a response band limits: an alert's stages, from its creation. */
enum workcal_band_stage {
	WORKCAL_ACK,		/* Acknowledged. */
	WORKCAL_DISPATCH,	/* Units dispatched. */
	WORKCAL_ON_SCENE,	/* A unit on scene. */
	WORKCAL_BAND_STAGE_COUNT
};

/* A response band: an alert kind or "*", a severity 1-4 or 0 for any. */
struct workcal_band {
	char			 kind[MODEL_CODE_MAX];
	int			 severity;
	struct workcal_limit	 limit[WORKCAL_BAND_STAGE_COUNT];
};

int		 workcal_load(const char *datadir, int utc_offset_min,
		     struct workcal **, char **cause);
int		 workcal_load_files(const char *worktime,
		     const char *calendar, int utc_offset_min,
		     struct workcal **, char **cause);
void		 workcal_free(struct workcal *);

int		 workcal_is_working(const struct workcal *, int64_t t);
int		 workcal_is_workday(const struct workcal *, int year,
		     int month, int day);
int		 workcal_is_workday_at(const struct workcal *, int64_t t);
const char	*workcal_day_name(const struct workcal *, int64_t t);
int		 workcal_covers(const struct workcal *, int64_t t);

int64_t		 workcal_add(const struct workcal *, int64_t t,
		     int64_t work_ms);
int64_t		 workcal_add_days(const struct workcal *, int64_t t,
		     int days);
int64_t		 workcal_between(const struct workcal *, int64_t from,
		     int64_t to);

const struct workcal_rule *workcal_rule(const struct workcal *,
		     const char *category, const char *urgency);
int64_t		 workcal_due(const struct workcal *,
		     const struct workcal_rule *, enum workcal_stage,
		     int64_t from);
const struct workcal_band *workcal_band(const struct workcal *,
		     const char *kind, int severity);
int64_t		 workcal_band_due(const struct workcal *,
		     const struct workcal_band *, enum workcal_band_stage,
		     int64_t from);

int		 workcal_parse_time(const char *, int utc_offset_min,
		     int64_t *);
size_t		 workcal_format(int64_t t, int utc_offset_min, char *,
		     size_t);

#endif /* WORKCAL_H */

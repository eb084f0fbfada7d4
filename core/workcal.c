/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Working time: office hours, the holiday calendar, deadline rules. */

#include "workcal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "xmalloc.h"

/*
 * Two files describe working time, both UTF-8 JSON, format 1 (see
 * data/calendar/README.md):
 *
 *   the province's worktime.json: which calendar it keeps ("calendar":
 *   "vn" is calendar/vn.json beside the dataset or one directory up), its
 *   office hours (periods of the year, each with its working weekdays and
 *   up to four spans of the day), and its deadline rules;
 *
 *   the country's calendar: every day that is not as its weekday says,
 *   each with its name and its source: a public holiday or a day off
 *   moved by government decision ("off": true), or a Saturday worked in
 *   exchange ("off": false), over the years the file covers.
 *
 * A day is a working day when the calendar says so, else when its weekday
 * is one of its period's; a working day's hours are its period's spans
 * (a Saturday worked in exchange keeps the hours of an ordinary day).
 * Outside the calendar's years only the weekdays count: nobody knows the
 * holidays yet, and workcal_covers() says so.
 *
 * Days are numbered from 1970-01-01 in local time (the province's fixed
 * UTC offset): day = floor((t + offset) / 86400000). The loops below go
 * a day at a time and stop after WORKCAL_HORIZON days, which no valid
 * data reaches (every period has a working day a week).
 *
 * Deadlines: "8h" is 8 working hours from the instant of receipt (time
 * outside office hours does not count, so a case received on Friday at
 * 16:00 with 8h is due on Monday at 15:00 when the day has 8 hours);
 * "5d" is the close of the 5th working day after the day of receipt
 * (received on any day, even a holiday, counts from the next working
 * day); "60min" is an hour of clock time, nights and holidays included,
 * for what cannot wait.
 *
 * Response bands (worktime.json "bands"): how soon an alert of a kind and
 * a severity must be acknowledged, have units dispatched and a unit on
 * scene, each counted from its creation. Alerts are handled day and
 * night, so the shipped bands are minutes round the clock; a band may
 * still say working hours or days ("8h") for what waits for the office.
 */

#define WORKCAL_MAX_SPANS	4
#define WORKCAL_HORIZON		3660	/* Days a search may look ahead. */
#define WORKCAL_DAY_MS		INT64_C(86400000)
#define WORKCAL_NAME_MAX	512	/* Bytes, a name or a source. */

struct workcal_period {
	int			 from, to;	/* month * 100 + day. */
	int			 wdays;		/* 1 << weekday, Sunday 0. */
	int			 spans[WORKCAL_MAX_SPANS][2]; /* Minutes. */
	int			 nspans;
};

struct workcal_day {
	int64_t			 day;
	int			 off;
	int			 provisional;
	char			*name;
};

struct workcal {
	int			 utc_offset_min;
	struct workcal_period	*periods;
	size_t			 nperiods;
	struct workcal_day	*days;		/* Sorted by day. */
	size_t			 ndays;
	int64_t			 first, last;	/* The calendar's years. */
	struct workcal_rule	*rules;
	size_t			 nrules;
	struct workcal_band	*bands;
	size_t			 nbands;
};

struct workcal_load {
	const char		*file;
	char			**cause;
};

static const char *const workcal_wday_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

static int	workcal_fail(struct workcal_load *, const char *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int64_t	workcal_days(int, int, int);
static void	workcal_civil(int64_t, int *, int *, int *);
static int	workcal_parse_date(const char *, int64_t *);
static int	workcal_parse_hhmm(const char *, int *);
static int	workcal_parse_limit(const char *, struct workcal_limit *);
static int64_t	workcal_floor_div(int64_t, int64_t);
static const struct workcal_day *workcal_find(const struct workcal *,
		    int64_t);
static const struct workcal_period *workcal_period(const struct workcal *,
		    int64_t);
static int	workcal_working_day(const struct workcal *, int64_t,
		    const struct workcal_period **);
static int	workcal_cmp_day(const void *, const void *);
static json_t	*workcal_read(struct workcal_load *);
static int	workcal_load_hours(struct workcal_load *, json_t *,
		    struct workcal *);
static int	workcal_load_rules(struct workcal_load *, json_t *,
		    struct workcal *);
static int	workcal_load_bands(struct workcal_load *, json_t *,
		    struct workcal *);
static int64_t	workcal_limit_due(const struct workcal *,
		    const struct workcal_limit *, int64_t);
static int	workcal_load_calendar(struct workcal_load *, json_t *,
		    struct workcal *);

/* ==== Dates ==== */

static int64_t
workcal_floor_div(int64_t a, int64_t b)
{
	return (a / b - (a % b != 0 && (a < 0) != (b < 0)));
}

/*
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the
 * usual count of days by 400-year eras of 146097 days, years starting in
 * March so that the leap day ends them).
 */
static int64_t
workcal_days(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = workcal_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The date of a day number (the inverse of workcal_days()). */
static void
workcal_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = workcal_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD" into a day number. Returns 0, or -1 when it is not one. */
static int
workcal_parse_date(const char *s, int64_t *day)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			 y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || y < 1900 || y > 9999 || m < 1 ||
	    m > 12 || d < 1 || d > mdays[m - 1])
		return (-1);
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return (-1);
	*day = workcal_days(y, m, d);
	return (0);
}

/* "HH:MM" (00:00 to 24:00) into minutes. Returns 0 or -1. */
static int
workcal_parse_hhmm(const char *s, int *min)
{
	int	h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 ||
	    s[2] != ':' || h < 0 || m < 0 || m > 59 || h > 24 ||
	    (h == 24 && m != 0))
		return (-1);
	*min = h * 60 + m;
	return (0);
}

/* "8h", "5d", "60min" into a limit. Returns 0 or -1. */
static int
workcal_parse_limit(const char *s, struct workcal_limit *l)
{
	char	*end;
	long	 v;

	if (*s < '1' || *s > '9')
		return (-1);
	v = strtol(s, &end, 10);
	if (strcmp(end, "h") == 0 && v <= 10000)
		l->unit = WORKCAL_HOURS;
	else if (strcmp(end, "d") == 0 && v <= 1000)
		l->unit = WORKCAL_DAYS;
	else if (strcmp(end, "min") == 0 && v <= 100000)
		l->unit = WORKCAL_MINUTES;
	else
		return (-1);
	l->amount = (int)v;
	return (0);
}

/* ==== Days ==== */

static int
workcal_cmp_day(const void *a, const void *b)
{
	const struct workcal_day	*x = a, *y = b;

	return (x->day < y->day ? -1 : x->day > y->day);
}

/* The calendar's entry for a day, or NULL. */
static const struct workcal_day *
workcal_find(const struct workcal *wc, int64_t day)
{
	struct workcal_day	key;

	key.day = day;
	return (bsearch(&key, wc->days, wc->ndays, sizeof *wc->days,
	    workcal_cmp_day));
}

/* The office-hours period a day falls in (the loader checked there is). */
static const struct workcal_period *
workcal_period(const struct workcal *wc, int64_t day)
{
	const struct workcal_period	*p;
	size_t				 i;
	int				 y, m, d, md;

	workcal_civil(day, &y, &m, &d);
	md = m * 100 + d;
	for (i = 0; i < wc->nperiods; i++) {
		p = &wc->periods[i];
		if (p->from <= p->to ? md >= p->from && md <= p->to :
		    md >= p->from || md <= p->to)
			return (p);
	}
	return (&wc->periods[0]);
}

/*
 * 1 if day is a working day (the calendar first, then the weekday), and
 * its period's hours in *pp; else 0.
 */
static int
workcal_working_day(const struct workcal *wc, int64_t day,
    const struct workcal_period **pp)
{
	const struct workcal_day	*cd;
	int				 wday;

	*pp = workcal_period(wc, day);
	if ((cd = workcal_find(wc, day)) != NULL)
		return (!cd->off);
	wday = (int)(((day + 4) % 7 + 7) % 7);	/* 1970-01-01: Thursday. */
	return (((*pp)->wdays >> wday) & 1);
}

/* ==== Loading ==== */

static int
workcal_fail(struct workcal_load *l, const char *where, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	if (*l->cause == NULL)
		xasprintf(l->cause, "%s: %s: %s", l->file, where, msg);
	free(msg);
	return (-1);
}

static json_t *
workcal_read(struct workcal_load *l)
{
	json_error_t	 jerr;
	json_t		*root, *v;

	root = json_load_file(l->file, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (jerr.line > 0)
			xasprintf(l->cause, "%s:%d:%d: %s", l->file,
			    jerr.line, jerr.column, jerr.text);
		else
			xasprintf(l->cause, "%s", jerr.text);
		return (NULL);
	}
	v = json_object_get(root, "format");
	if (!json_is_object(root) || (v != NULL && (!json_is_integer(v) ||
	    json_integer_value(v) != 1))) {
		workcal_fail(l, "format", "must be an object of format 1");
		json_decref(root);
		return (NULL);
	}
	return (root);
}

/* A string member: NULL when missing or not a non-empty short string. */
static const char *
workcal_str(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > WORKCAL_NAME_MAX ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return (NULL);
	return (json_string_value(v));
}

static int
workcal_load_hours(struct workcal_load *l, json_t *root, struct workcal *wc)
{
	struct workcal_period	*p;
	json_t			*arr, *o, *v, *sp;
	const char		*s;
	char			 where[64];
	size_t			 i, j, k;
	int			 m, d, md, a, b;

	arr = json_object_get(root, "hours");
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 12)
		return (workcal_fail(l, "hours", "must be an array of 1 to 12 "
		    "periods"));
	wc->periods = xcalloc(json_array_size(arr), sizeof *wc->periods);
	json_array_foreach(arr, i, o) {
		p = &wc->periods[wc->nperiods++];
		snprintf(where, sizeof where, "hours[%zu]", i);
		for (k = 0; k < 2; k++) {
			s = workcal_str(o, k == 0 ? "from" : "to");
			if (s == NULL || sscanf(s, "%2d-%2d", &m, &d) != 2 ||
			    strlen(s) != 5 || s[2] != '-' || m < 1 ||
			    m > 12 || d < 1 || d > 31)
				return (workcal_fail(l, where, "\"from\" and "
				    "\"to\" must be dates of the year, "
				    "\"MM-DD\""));
			*(k == 0 ? &p->from : &p->to) = m * 100 + d;
		}
		v = json_object_get(o, "days");
		if (!json_is_array(v) || json_array_size(v) == 0)
			return (workcal_fail(l, where, "\"days\" must be a "
			    "list of weekdays: \"mon\" ... \"sun\""));
		json_array_foreach(v, j, sp) {
			for (k = 0; k < 7; k++) {
				if (json_is_string(sp) && strcmp(
				    json_string_value(sp),
				    workcal_wday_names[k]) == 0)
					break;
			}
			if (k == 7)
				return (workcal_fail(l, where, "\"days\"[%zu] "
				    "is not \"mon\" ... \"sun\"", j));
			p->wdays |= 1 << k;
		}
		v = json_object_get(o, "spans");
		if (!json_is_array(v) || json_array_size(v) == 0 ||
		    json_array_size(v) > WORKCAL_MAX_SPANS)
			return (workcal_fail(l, where, "\"spans\" must have 1 "
			    "to %d spans of the day", WORKCAL_MAX_SPANS));
		json_array_foreach(v, j, sp) {
			if (!json_is_array(sp) || json_array_size(sp) != 2 ||
			    !json_is_string(json_array_get(sp, 0)) ||
			    !json_is_string(json_array_get(sp, 1)) ||
			    workcal_parse_hhmm(json_string_value(
			    json_array_get(sp, 0)), &a) != 0 ||
			    workcal_parse_hhmm(json_string_value(
			    json_array_get(sp, 1)), &b) != 0 || a >= b ||
			    (j > 0 && a < p->spans[j - 1][1]))
				return (workcal_fail(l, where, "\"spans\"[%zu] "
				    "must be [\"HH:MM\", \"HH:MM\"], later "
				    "than the one before", j));
			p->spans[j][0] = a;
			p->spans[j][1] = b;
			p->nspans++;
		}
	}
	/* Every day of the year (a leap one) has its hours. */
	for (m = 1; m <= 12; m++) {
		for (d = 1; d <= 31 - (m == 2 ? 2 : (m == 4 || m == 6 ||
		    m == 9 || m == 11)); d++) {
			md = m * 100 + d;
			for (i = 0; i < wc->nperiods; i++) {
				p = &wc->periods[i];
				if (p->from <= p->to ? md >= p->from &&
				    md <= p->to : md >= p->from ||
				    md <= p->to)
					break;
			}
			if (i == wc->nperiods)
				return (workcal_fail(l, "hours", "no period "
				    "has %02d-%02d", m, d));
		}
	}
	return (0);
}

static int
workcal_load_rules(struct workcal_load *l, json_t *root, struct workcal *wc)
{
	static const char *const stages[WORKCAL_STAGE_COUNT] = {
		"accept", "handle"
	};
	struct workcal_rule	*r;
	json_t			*arr, *o;
	const char		*s;
	char			 where[64];
	size_t			 i, j, k;

	arr = json_object_get(root, "rules");
	if (arr == NULL)
		return (0);
	if (!json_is_array(arr))
		return (workcal_fail(l, "rules", "must be an array"));
	wc->rules = xcalloc(json_array_size(arr) + 1, sizeof *wc->rules);
	json_array_foreach(arr, i, o) {
		r = &wc->rules[wc->nrules];
		snprintf(where, sizeof where, "rules[%zu]", i);
		for (k = 0; k < 2; k++) {
			s = workcal_str(o, k == 0 ? "category" : "urgency");
			if (s == NULL || (strcmp(s, "*") != 0 &&
			    !model_id_valid(s, MODEL_CODE_MAX)))
				return (workcal_fail(l, where, "\"%s\" must be "
				    "a code or \"*\"", k == 0 ? "category" :
				    "urgency"));
			snprintf(k == 0 ? r->category : r->urgency,
			    MODEL_CODE_MAX, "%s", s);
		}
		for (k = 0; k < WORKCAL_STAGE_COUNT; k++) {
			if (json_object_get(o, stages[k]) == NULL)
				continue;
			if ((s = workcal_str(o, stages[k])) == NULL ||
			    workcal_parse_limit(s, &r->limit[k]) != 0)
				return (workcal_fail(l, where, "\"%s\" must be "
				    "working hours (\"8h\"), working days "
				    "(\"5d\") or minutes (\"60min\")",
				    stages[k]));
		}
		for (j = 0; j < wc->nrules; j++) {
			if (strcmp(wc->rules[j].category, r->category) == 0 &&
			    strcmp(wc->rules[j].urgency, r->urgency) == 0)
				return (workcal_fail(l, where, "a second rule "
				    "for %s/%s", r->category, r->urgency));
		}
		wc->nrules++;
	}
	return (0);
}

/*
 * The optional "bands": [{kind?, severity, ack?, dispatch?, on_scene?}],
 * kind an alert kind's name or "*" (the default), severity 1 to 4 or
 * "*"; one band per kind and severity. Limits are checked like the
 * rules'; the stages of a band in one unit must not shrink.
 */
static int
workcal_load_bands(struct workcal_load *l, json_t *root, struct workcal *wc)
{
	static const char *const stages[WORKCAL_BAND_STAGE_COUNT] = {
		"ack", "dispatch", "on_scene"
	};
	struct workcal_band		*b;
	const struct workcal_limit	*prev;
	json_t				*arr, *o, *v;
	const char			*s;
	char				 where[64];
	size_t				 i, j, k;

	arr = json_object_get(root, "bands");
	if (arr == NULL)
		return (0);
	if (!json_is_array(arr))
		return (workcal_fail(l, "bands", "must be an array"));
	wc->bands = xcalloc(json_array_size(arr) + 1, sizeof *wc->bands);
	json_array_foreach(arr, i, o) {
		b = &wc->bands[wc->nbands];
		snprintf(where, sizeof where, "bands[%zu]", i);
		if (!json_is_object(o))
			return (workcal_fail(l, where, "must be an object"));
		s = "*";
		if (json_object_get(o, "kind") != NULL &&
		    ((s = workcal_str(o, "kind")) == NULL ||
		    (strcmp(s, "*") != 0 &&
		    MODEL_ENUM_PARSE(alert_kind_names, s) == -1)))
			return (workcal_fail(l, where, "\"kind\" must be an "
			    "alert kind or \"*\""));
		snprintf(b->kind, sizeof b->kind, "%s", s);
		v = json_object_get(o, "severity");
		if (json_is_integer(v) && json_integer_value(v) >= 1 &&
		    json_integer_value(v) <= 4)
			b->severity = (int)json_integer_value(v);
		else if (!json_is_string(v) ||
		    strcmp(json_string_value(v), "*") != 0)
			return (workcal_fail(l, where, "\"severity\" must be "
			    "1 to 4 or \"*\""));
		prev = NULL;
		for (k = 0; k < WORKCAL_BAND_STAGE_COUNT; k++) {
			if (json_object_get(o, stages[k]) == NULL)
				continue;
			if ((s = workcal_str(o, stages[k])) == NULL ||
			    workcal_parse_limit(s, &b->limit[k]) != 0)
				return (workcal_fail(l, where, "\"%s\" must be "
				    "minutes (\"5min\"), working hours "
				    "(\"8h\") or working days (\"1d\")",
				    stages[k]));
			if (prev != NULL && prev->unit == b->limit[k].unit &&
			    prev->amount > b->limit[k].amount)
				return (workcal_fail(l, where, "\"%s\" is "
				    "sooner than the stage before it",
				    stages[k]));
			prev = &b->limit[k];
		}
		for (j = 0; j < wc->nbands; j++) {
			if (strcmp(wc->bands[j].kind, b->kind) == 0 &&
			    wc->bands[j].severity == b->severity)
				return (workcal_fail(l, where, "a second band "
				    "for %s/%d", b->kind, b->severity));
		}
		wc->nbands++;
	}
	return (0);
}

static int
workcal_load_calendar(struct workcal_load *l, json_t *root,
    struct workcal *wc)
{
	struct workcal_day	*cd;
	json_t			*arr, *o, *v;
	const char		*s;
	char			 where[64];
	size_t			 i;

	if ((s = workcal_str(root, "from")) == NULL ||
	    workcal_parse_date(s, &wc->first) != 0 ||
	    (s = workcal_str(root, "to")) == NULL ||
	    workcal_parse_date(s, &wc->last) != 0 || wc->first > wc->last)
		return (workcal_fail(l, "from", "\"from\" and \"to\" must be "
		    "dates, \"YYYY-MM-DD\", in order"));
	arr = json_object_get(root, "days");
	if (!json_is_array(arr))
		return (workcal_fail(l, "days", "must be an array"));
	wc->days = xcalloc(json_array_size(arr) + 1, sizeof *wc->days);
	json_array_foreach(arr, i, o) {
		cd = &wc->days[wc->ndays];
		snprintf(where, sizeof where, "days[%zu]", i);
		if ((s = workcal_str(o, "date")) == NULL ||
		    workcal_parse_date(s, &cd->day) != 0 ||
		    cd->day < wc->first || cd->day > wc->last)
			return (workcal_fail(l, where, "\"date\" must be a "
			    "date from \"from\" to \"to\""));
		if (!json_is_boolean(v = json_object_get(o, "off")))
			return (workcal_fail(l, where, "\"off\" must be true "
			    "(a day off) or false (a day worked)"));
		cd->off = json_is_true(v);
		if ((v = json_object_get(o, "provisional")) != NULL &&
		    !json_is_boolean(v))
			return (workcal_fail(l, where, "\"provisional\" must "
			    "be true or false"));
		cd->provisional = json_is_true(v);
		if ((s = workcal_str(o, "name")) == NULL)
			return (workcal_fail(l, where, "\"name\" is missing"));
		if (workcal_str(o, "source") == NULL)
			return (workcal_fail(l, where, "\"source\" is "
			    "missing: say which law or decision"));
		cd->name = xstrdup(s);
		wc->ndays++;
	}
	qsort(wc->days, wc->ndays, sizeof *wc->days, workcal_cmp_day);
	for (i = 1; i < wc->ndays; i++) {
		if (wc->days[i].day == wc->days[i - 1].day)
			return (workcal_fail(l, "days", "two entries for one "
			    "day"));
	}
	return (0);
}

/*
 * Load the dataset directory's worktime.json and the calendar it names
 * (calendar/NAME.json in the directory, else in its parent: data/calendar
 * for data/quangninh). See workcal_load_files().
 */
int
workcal_load(const char *datadir, int utc_offset_min, struct workcal **out,
    char **cause)
{
	json_t		*root;
	const char	*name;
	char		*worktime, *cal;
	FILE		*f;
	int		 rc = -1;

	*out = NULL;
	*cause = NULL;
	xasprintf(&worktime, "%s/worktime.json", datadir);
	if ((root = json_load_file(worktime, 0, NULL)) == NULL) {
		/* workcal_load_files() says why. */
		rc = workcal_load_files(worktime, "", utc_offset_min, out,
		    cause);
		free(worktime);
		return (rc);
	}
	name = json_string_value(json_object_get(root, "calendar"));
	if (name == NULL || *name == '\0' || strlen(name) > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    strlen(name)) {
		xasprintf(cause, "%s: calendar: must be a name of "
		    "[a-z0-9_-]", worktime);
		goto out;
	}
	xasprintf(&cal, "%s/calendar/%s.json", datadir, name);
	if ((f = fopen(cal, "r")) == NULL) {
		free(cal);
		xasprintf(&cal, "%s/../calendar/%s.json", datadir, name);
	} else
		fclose(f);
	rc = workcal_load_files(worktime, cal, utc_offset_min, out, cause);
	free(cal);
out:
	json_decref(root);
	free(worktime);
	return (rc);
}

/*
 * Load a province's working time from its worktime file and its
 * country's calendar file, checking every member, at the province's
 * fixed offset from UTC in minutes. Returns 0 and sets *out (free with
 * workcal_free()), or -1 with *cause set to an allocated
 * "<file>: <member>: <problem>" message that the caller frees.
 */
int
workcal_load_files(const char *worktime, const char *calendar,
    int utc_offset_min, struct workcal **out, char **cause)
{
	struct workcal_load	 l;
	struct workcal		*wc;
	json_t			*root;
	int			 rc = -1;

	*out = NULL;
	*cause = NULL;
	wc = xcalloc(1, sizeof *wc);
	wc->utc_offset_min = utc_offset_min;
	l.cause = cause;

	l.file = worktime;
	if ((root = workcal_read(&l)) == NULL)
		goto out;
	rc = workcal_load_hours(&l, root, wc) == 0 &&
	    workcal_load_rules(&l, root, wc) == 0 &&
	    workcal_load_bands(&l, root, wc) == 0 ? 0 : -1;
	json_decref(root);
	if (rc != 0)
		goto out;

	rc = -1;
	l.file = calendar;
	if ((root = workcal_read(&l)) == NULL)
		goto out;
	rc = workcal_load_calendar(&l, root, wc);
	json_decref(root);
out:
	if (rc != 0) {
		workcal_free(wc);
		return (-1);
	}
	*out = wc;
	return (0);
}

/* Free a working-time description. NULL is a no-op. */
void
workcal_free(struct workcal *wc)
{
	size_t	i;

	if (wc == NULL)
		return;
	for (i = 0; i < wc->ndays; i++)
		free(wc->days[i].name);
	free(wc->days);
	free(wc->periods);
	free(wc->rules);
	free(wc->bands);
	free(wc);
}

/* ==== Questions ==== */

/* 1 if the instant t is in office hours on a working day, else 0. */
int
workcal_is_working(const struct workcal *wc, int64_t t)
{
	const struct workcal_period	*p;
	int64_t				 local, day, min;
	int				 i;

	local = t + (int64_t)wc->utc_offset_min * 60000;
	day = workcal_floor_div(local, WORKCAL_DAY_MS);
	if (!workcal_working_day(wc, day, &p))
		return (0);
	min = (local - day * WORKCAL_DAY_MS) / 60000;
	for (i = 0; i < p->nspans; i++) {
		if (min >= p->spans[i][0] && min < p->spans[i][1])
			return (1);
	}
	return (0);
}

/* 1 if the local date year-month-day is a working day, else 0. */
int
workcal_is_workday(const struct workcal *wc, int year, int month, int day)
{
	const struct workcal_period	*p;

	return (workcal_working_day(wc, workcal_days(year, month, day), &p));
}

/* 1 if the local day of the instant t is a working day, else 0. */
int
workcal_is_workday_at(const struct workcal *wc, int64_t t)
{
	const struct workcal_period	*p;

	return (workcal_working_day(wc, workcal_floor_div(t +
	    (int64_t)wc->utc_offset_min * 60000, WORKCAL_DAY_MS), &p));
}

/*
 * The calendar's name for the local day of t ("Tết Nguyên đán (mùng 1
 * Tết Bính Ngọ)", "Làm bù cho thứ Hai 31/8/2026"), or NULL for an
 * ordinary day. Borrowed from wc.
 */
const char *
workcal_day_name(const struct workcal *wc, int64_t t)
{
	const struct workcal_day	*cd;
	int64_t				 day;

	day = workcal_floor_div(t + (int64_t)wc->utc_offset_min * 60000,
	    WORKCAL_DAY_MS);
	return ((cd = workcal_find(wc, day)) != NULL ? cd->name : NULL);
}

/*
 * 1 if the calendar covers the local day of t (its holidays are known),
 * else 0: beyond it only the weekdays and hours count.
 */
int
workcal_covers(const struct workcal *wc, int64_t t)
{
	int64_t	day;

	day = workcal_floor_div(t + (int64_t)wc->utc_offset_min * 60000,
	    WORKCAL_DAY_MS);
	return (day >= wc->first && day <= wc->last);
}

/*
 * The instant work_ms of working time after t: time outside office hours
 * does not count. A t outside office hours starts at the next working
 * span; work_ms <= 0 gives t. Returns ms.
 */
int64_t
workcal_add(const struct workcal *wc, int64_t t, int64_t work_ms)
{
	const struct workcal_period	*p;
	int64_t				 off, local, day, start, end, from;
	int64_t				 guard;
	int				 i;

	if (work_ms <= 0)
		return (t);
	off = (int64_t)wc->utc_offset_min * 60000;
	local = t + off;
	day = workcal_floor_div(local, WORKCAL_DAY_MS);
	for (guard = 0; guard < WORKCAL_HORIZON; guard++, day++) {
		if (!workcal_working_day(wc, day, &p))
			continue;
		for (i = 0; i < p->nspans; i++) {
			start = day * WORKCAL_DAY_MS + p->spans[i][0] * 60000;
			end = day * WORKCAL_DAY_MS + p->spans[i][1] * 60000;
			from = local > start ? local : start;
			if (from >= end)
				continue;
			if (end - from >= work_ms)
				return (from + work_ms - off);
			work_ms -= end - from;
		}
	}
	return (t + work_ms);
}

/*
 * The close of the days-th working day after the local day of t (the end
 * of that day's last span): "5 working days" from a case received at any
 * hour. days <= 0 gives t. Returns ms.
 */
int64_t
workcal_add_days(const struct workcal *wc, int64_t t, int days)
{
	const struct workcal_period	*p;
	int64_t				 off, day, guard;

	if (days <= 0)
		return (t);
	off = (int64_t)wc->utc_offset_min * 60000;
	day = workcal_floor_div(t + off, WORKCAL_DAY_MS);
	for (guard = 0; guard < WORKCAL_HORIZON; guard++) {
		day++;
		if (workcal_working_day(wc, day, &p) && --days == 0)
			return (day * WORKCAL_DAY_MS +
			    p->spans[p->nspans - 1][1] * 60000 - off);
	}
	return (t + days * WORKCAL_DAY_MS);
}

/* The working time between from and to (0 when to is not later). */
int64_t
workcal_between(const struct workcal *wc, int64_t from, int64_t to)
{
	const struct workcal_period	*p;
	int64_t				 off, a, b, day, last, start, end, sum = 0;
	int				 i;

	if (to <= from)
		return (0);
	off = (int64_t)wc->utc_offset_min * 60000;
	a = from + off;
	b = to + off;
	last = workcal_floor_div(b, WORKCAL_DAY_MS);
	if (last - workcal_floor_div(a, WORKCAL_DAY_MS) > WORKCAL_HORIZON)
		last = workcal_floor_div(a, WORKCAL_DAY_MS) + WORKCAL_HORIZON;
	for (day = workcal_floor_div(a, WORKCAL_DAY_MS); day <= last; day++) {
		if (!workcal_working_day(wc, day, &p))
			continue;
		for (i = 0; i < p->nspans; i++) {
			start = day * WORKCAL_DAY_MS + p->spans[i][0] * 60000;
			end = day * WORKCAL_DAY_MS + p->spans[i][1] * 60000;
			if (start < a)
				start = a;
			if (end > b)
				end = b;
			if (end > start)
				sum += end - start;
		}
	}
	return (sum);
}

/*
 * The deadline rule for a case of category and urgency: the rule for
 * both, else for the category and any urgency, else for any category
 * and the urgency, else for any of either; NULL when none fits.
 * Borrowed from wc.
 */
const struct workcal_rule *
workcal_rule(const struct workcal *wc, const char *category,
    const char *urgency)
{
	const char	*c[4], *u[4];
	size_t		 i, k;

	c[0] = category;	u[0] = urgency;
	c[1] = category;	u[1] = "*";
	c[2] = "*";		u[2] = urgency;
	c[3] = "*";		u[3] = "*";
	for (k = 0; k < 4; k++) {
		for (i = 0; i < wc->nrules; i++) {
			if (strcmp(wc->rules[i].category, c[k]) == 0 &&
			    strcmp(wc->rules[i].urgency, u[k]) == 0)
				return (&wc->rules[i]);
		}
	}
	return (NULL);
}

/*
 * When a stage of the rule falls due for a case received (or assigned)
 * at from: working hours added, the close of the n-th working day, or
 * minutes of clock time. Returns ms, or 0 when the rule (or NULL) has no
 * limit for that stage.
 */
int64_t
workcal_due(const struct workcal *wc, const struct workcal_rule *r,
    enum workcal_stage stage, int64_t from)
{
	if (r == NULL || (unsigned)stage >= WORKCAL_STAGE_COUNT)
		return (0);
	return (workcal_limit_due(wc, &r->limit[stage], from));
}

/*
 * The response band for an alert of kind and severity: the band for both,
 * else for the kind and any severity, else for any kind and the
 * severity, else for any of either; NULL when none fits. Borrowed from
 * wc.
 */
const struct workcal_band *
workcal_band(const struct workcal *wc, const char *kind, int severity)
{
	const char	*k[4];
	int		 sv[4];
	size_t		 i, n;

	k[0] = kind;	sv[0] = severity;
	k[1] = kind;	sv[1] = 0;
	k[2] = "*";	sv[2] = severity;
	k[3] = "*";	sv[3] = 0;
	for (n = 0; n < 4; n++) {
		for (i = 0; i < wc->nbands; i++) {
			if (strcmp(wc->bands[i].kind, k[n]) == 0 &&
			    wc->bands[i].severity == sv[n])
				return (&wc->bands[i]);
		}
	}
	return (NULL);
}

/*
 * When a stage of the band falls due for an alert created at from.
 * Returns ms, or 0 when the band (or NULL) has no limit for that stage.
 */
int64_t
workcal_band_due(const struct workcal *wc, const struct workcal_band *b,
    enum workcal_band_stage stage, int64_t from)
{
	if (b == NULL || (unsigned)stage >= WORKCAL_BAND_STAGE_COUNT)
		return (0);
	return (workcal_limit_due(wc, &b->limit[stage], from));
}

/* A limit from the instant from: ms, or 0 for none. */
static int64_t
workcal_limit_due(const struct workcal *wc, const struct workcal_limit *l,
    int64_t from)
{
	switch (l->unit) {
	case WORKCAL_HOURS:
		return (workcal_add(wc, from, (int64_t)l->amount * 3600000));
	case WORKCAL_DAYS:
		return (workcal_add_days(wc, from, l->amount));
	case WORKCAL_MINUTES:
		return (from + (int64_t)l->amount * 60000);
	case WORKCAL_NONE:
		break;
	}
	return (0);
}

/* ==== Local time ==== */

/*
 * Parse an ISO 8601 instant: "YYYY-MM-DD", optionally with "THH:MM" or
 * "THH:MM:SS" (a space for the T will do) and a zone ("Z", "+07:00",
 * "+0700"). Without a zone the time is local at utc_offset_min; a date
 * alone is local midnight. Returns 0 and sets *ms, or -1.
 */
int
workcal_parse_time(const char *s, int utc_offset_min, int64_t *ms)
{
	int64_t	day;
	int	h = 0, m = 0, sec = 0, zh, zm, n, off = utc_offset_min;
	char	date[11];

	if (strlen(s) < 10)
		return (-1);
	memcpy(date, s, 10);
	date[10] = '\0';
	if (workcal_parse_date(date, &day) != 0)
		return (-1);
	s += 10;
	if (*s == 'T' || *s == ' ') {
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 ||
		    h < 0 || h > 23 || m < 0 || m > 59)
			return (-1);
		s += 1 + n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1 || n != 2 ||
			    sec < 0 || sec > 59)
				return (-1);
			s += 3;
		}
		if (*s == 'Z') {
			off = 0;
			s++;
		} else if (*s == '+' || *s == '-') {
			/* "+07:00" or "+0700". */
			n = strlen(s) == 6 && s[3] == ':' ? 5 : 4;
			if (strlen(s + 1) != (size_t)n || sscanf(s + 1,
			    n == 5 ? "%2d:%2d" : "%2d%2d", &zh, &zm) != 2 ||
			    zh < 0 || zh > 14 || zm < 0 || zm > 59)
				return (-1);
			off = (*s == '-' ? -1 : 1) * (zh * 60 + zm);
			s += 1 + n;
		}
	}
	if (*s != '\0')
		return (-1);
	*ms = day * WORKCAL_DAY_MS + ((int64_t)h * 3600 + m * 60 + sec) *
	    1000 - (int64_t)off * 60000;
	return (0);
}

/*
 * Write t as local "YYYY-MM-DD HH:MM" at utc_offset_min into buf (as
 * snprintf: at most sz - 1 bytes and a NUL). Returns what snprintf does.
 */
size_t
workcal_format(int64_t t, int utc_offset_min, char *buf, size_t sz)
{
	int64_t	local, day, min;
	int	y, m, d, n;

	local = t + (int64_t)utc_offset_min * 60000;
	day = workcal_floor_div(local, WORKCAL_DAY_MS);
	min = (local - day * WORKCAL_DAY_MS) / 60000;
	workcal_civil(day, &y, &m, &d);
	n = snprintf(buf, sz, "%04d-%02d-%02d %02d:%02d", y, m, d,
	    (int)(min / 60), (int)(min % 60));
	return (n < 0 ? 0 : (size_t)n);
}

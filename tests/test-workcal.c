/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for working time: the shipped office hours and Vietnam's holiday
 * calendar for 2025-2027 (cases received before Tết, before National Day,
 * before a weekend; the Saturdays worked in exchange), deadline rules,
 * local time, and broken files.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workcal.h"
#include "xmalloc.h"

#define HOUR	INT64_C(3600000)
#define VN	420		/* UTC+7, minutes. */

static struct workcal	*wc;

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

/* A local time in Vietnam, "YYYY-MM-DD HH:MM", as ms. */
static int64_t
at(const char *s)
{
	int64_t	ms;

	if (workcal_parse_time(s, VN, &ms) != 0)
		fail_msg("bad time %s", s);
	return (ms);
}

/* Assert that t is the local time want. */
static void
is_at(int64_t t, const char *want)
{
	char	buf[32];

	workcal_format(t, VN, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static int
setup(void **state)
{
	char	*dir, *cause = NULL;

	(void)state;
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (workcal_load(dir, VN, &wc, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		free(dir);
		return (-1);
	}
	free(dir);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	workcal_free(wc);
	workcal_free(NULL);
	return (0);
}

/*
 * Test functions:
 *   workcal_is_workday, workcal_is_working, workcal_day_name,
 *   workcal_covers (the shipped calendar, day by day)
 */
static void
test_calendar(void **state)
{
	static const struct {
		int	y, m, d, work;
	} days[] = {
		/* 2025: Tết 27-31/1, 30/4-2/5 with Saturday 26/4 worked. */
		{ 2025, 1, 1, 0 }, { 2025, 1, 2, 1 }, { 2025, 1, 24, 1 },
		{ 2025, 1, 27, 0 }, { 2025, 1, 29, 0 }, { 2025, 1, 31, 0 },
		{ 2025, 2, 3, 1 }, { 2025, 4, 7, 0 }, { 2025, 4, 26, 1 },
		{ 2025, 4, 30, 0 }, { 2025, 5, 1, 0 }, { 2025, 5, 2, 0 },
		{ 2025, 9, 1, 0 }, { 2025, 9, 2, 0 }, { 2025, 9, 3, 1 },
		{ 2025, 11, 24, 1 },
		/* 2026: 2/1 swapped for Saturday 10/1; Tết 16-20/2. */
		{ 2026, 1, 1, 0 }, { 2026, 1, 2, 0 }, { 2026, 1, 10, 1 },
		{ 2026, 2, 13, 1 }, { 2026, 2, 16, 0 }, { 2026, 2, 20, 0 },
		{ 2026, 2, 23, 1 }, { 2026, 4, 27, 0 }, { 2026, 4, 28, 1 },
		{ 2026, 4, 30, 0 }, { 2026, 5, 1, 0 }, { 2026, 8, 22, 1 },
		{ 2026, 8, 31, 0 }, { 2026, 9, 1, 0 }, { 2026, 9, 2, 0 },
		{ 2026, 9, 3, 1 }, { 2026, 11, 24, 0 },
		/* 2027: Tết (provisional) 4-10/2; 1/5 a Saturday: 3/5 off. */
		{ 2027, 1, 1, 0 }, { 2027, 2, 3, 1 }, { 2027, 2, 4, 0 },
		{ 2027, 2, 10, 0 }, { 2027, 2, 11, 1 }, { 2027, 4, 16, 0 },
		{ 2027, 4, 30, 0 }, { 2027, 5, 3, 0 }, { 2027, 5, 4, 1 },
		{ 2027, 9, 2, 0 }, { 2027, 9, 3, 0 }, { 2027, 11, 24, 0 },
		/* Week-ends. */
		{ 2026, 3, 7, 0 }, { 2026, 3, 8, 0 }, { 2026, 3, 9, 1 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		if (workcal_is_workday(wc, days[i].y, days[i].m, days[i].d) !=
		    days[i].work)
			fail_msg("%04d-%02d-%02d should be a %s", days[i].y,
			    days[i].m, days[i].d, days[i].work ?
			    "working day" : "day off");
	}
	/* Office hours: 07:30-12:00, 13:30-17:00. */
	assert_false(workcal_is_working(wc, at("2026-03-09 07:29")));
	assert_true(workcal_is_working(wc, at("2026-03-09 07:30")));
	assert_true(workcal_is_working(wc, at("2026-03-09 11:59")));
	assert_false(workcal_is_working(wc, at("2026-03-09 12:00")));
	assert_false(workcal_is_working(wc, at("2026-03-09 13:00")));
	assert_true(workcal_is_working(wc, at("2026-03-09 16:59")));
	assert_false(workcal_is_working(wc, at("2026-03-09 17:00")));
	assert_true(workcal_is_working(wc, at("2026-08-22 09:00")));
	assert_false(workcal_is_working(wc, at("2026-02-17 09:00")));
	/* Names and coverage. */
	assert_non_null(strstr(workcal_day_name(wc, at("2026-02-17 09:00")),
	    "Bính Ngọ"));
	assert_non_null(strstr(workcal_day_name(wc, at("2026-08-22 09:00")),
	    "31/8/2026"));
	assert_null(workcal_day_name(wc, at("2026-03-09 09:00")));
	assert_true(workcal_covers(wc, at("2025-01-01 00:00")));
	assert_true(workcal_covers(wc, at("2027-12-31 23:59")));
	assert_false(workcal_covers(wc, at("2028-01-01 00:00")));
	assert_false(workcal_covers(wc, at("2024-12-31 23:59")));
}

/*
 * Test functions:
 *   workcal_add, workcal_add_days, workcal_due (a case received on the
 *   last working afternoon before Tết 2026 is due after the holiday)
 */
static void
test_before_tet(void **state)
{
	const struct workcal_rule	*r;
	int64_t				 t = at("2026-02-13 16:00");

	(void)state;
	/* One working hour left on Friday; then nine days of Tết. */
	is_at(workcal_add(wc, t, HOUR), "2026-02-13 17:00");
	is_at(workcal_add(wc, t, HOUR + 60000), "2026-02-23 07:31");
	r = workcal_rule(wc, "education", "normal");
	assert_non_null(r);
	is_at(workcal_due(wc, r, WORKCAL_ACCEPT, t), "2026-02-23 16:00");
	is_at(workcal_due(wc, r, WORKCAL_HANDLE, t), "2026-02-27 17:00");
	assert_int_equal(workcal_between(wc, t, at("2026-02-23 09:00")),
	    HOUR + 3 * HOUR / 2);
	/* Tết 2025 the same way: the week of 27/1 is off. */
	is_at(workcal_add(wc, at("2025-01-24 16:00"), 8 * HOUR),
	    "2025-02-03 16:00");
	/* Tết 2027 (provisional): off from Thursday 4/2 to Wednesday 10/2. */
	is_at(workcal_add(wc, at("2027-02-03 16:00"), 8 * HOUR),
	    "2027-02-11 16:00");
	is_at(workcal_add_days(wc, at("2027-02-03 16:00"), 1),
	    "2027-02-11 17:00");
}

/*
 * Test functions:
 *   workcal_add, workcal_add_days, workcal_due (before 2 September: the
 *   Monday swapped, and a Saturday worked in exchange a week before)
 */
static void
test_before_national_day(void **state)
{
	const struct workcal_rule	*r;

	(void)state;
	/* 2026: 29/8-2/9 off; the next working day is Thursday 3/9. */
	is_at(workcal_add(wc, at("2026-08-28 15:00"), 8 * HOUR),
	    "2026-09-03 15:00");
	is_at(workcal_add_days(wc, at("2026-08-28 15:00"), 1),
	    "2026-09-03 17:00");
	r = workcal_rule(wc, "power", "normal");
	is_at(workcal_due(wc, r, WORKCAL_HANDLE, at("2026-08-28 15:00")),
	    "2026-09-03 17:00");
	/* Saturday 22/8/2026 is worked, with an ordinary day's hours. */
	is_at(workcal_add(wc, at("2026-08-21 16:00"), 2 * HOUR),
	    "2026-08-22 08:30");
	assert_int_equal(workcal_between(wc, at("2026-08-21 17:00"),
	    at("2026-08-24 07:30")), 8 * HOUR);
	/* 2025: 30/8-2/9 off. */
	is_at(workcal_add(wc, at("2025-08-29 16:00"), 8 * HOUR),
	    "2025-09-03 16:00");
	/* 2027 (adjacent day provisional): 2-3/9 off. */
	is_at(workcal_add(wc, at("2027-09-01 16:00"), 2 * HOUR),
	    "2027-09-06 08:30");
}

/*
 * Test functions:
 *   workcal_add, workcal_add_days, workcal_between (week-ends, the other
 *   holidays of 2025 and 2027, outside office hours, outside the
 *   calendar)
 */
static void
test_weekends_and_holidays(void **state)
{
	(void)state;
	/* Friday evening to Monday. */
	is_at(workcal_add(wc, at("2026-03-06 16:00"), 2 * HOUR),
	    "2026-03-09 08:30");
	is_at(workcal_add_days(wc, at("2026-03-06 16:00"), 1),
	    "2026-03-09 17:00");
	/* Received on Saturday: the first working day counts as one. */
	is_at(workcal_add_days(wc, at("2026-03-07 10:00"), 1),
	    "2026-03-09 17:00");
	/* At lunch: the afternoon span starts at 13:30. */
	is_at(workcal_add(wc, at("2026-03-09 12:10"), HOUR),
	    "2026-03-09 14:30");
	is_at(workcal_add(wc, at("2026-03-09 11:00"), HOUR),
	    "2026-03-09 12:00");
	is_at(workcal_add(wc, at("2026-03-09 11:30"), HOUR),
	    "2026-03-09 14:00");
	is_at(workcal_add(wc, at("2026-03-09 11:00"), 0),
	    "2026-03-09 11:00");
	/* 2025: Saturday 26/4 worked, Friday 2/5 off. */
	is_at(workcal_add(wc, at("2025-04-25 16:00"), 2 * HOUR),
	    "2025-04-26 08:30");
	is_at(workcal_add(wc, at("2025-04-29 16:00"), 2 * HOUR),
	    "2025-05-05 08:30");
	/* 2026: 2/1 swapped for Saturday 10/1; 27/4 in lieu of Giỗ Tổ. */
	is_at(workcal_add(wc, at("2025-12-31 16:00"), 2 * HOUR),
	    "2026-01-05 08:30");
	is_at(workcal_add(wc, at("2026-01-09 16:00"), 2 * HOUR),
	    "2026-01-10 08:30");
	is_at(workcal_add(wc, at("2026-04-24 16:00"), 2 * HOUR),
	    "2026-04-28 08:30");
	/* 2027: Giỗ Tổ on Friday 16/4; 1/5 a Saturday, made up on 3/5. */
	is_at(workcal_add(wc, at("2027-04-15 16:00"), 8 * HOUR),
	    "2027-04-19 16:00");
	is_at(workcal_add(wc, at("2027-04-29 16:00"), 8 * HOUR),
	    "2027-05-04 16:00");
	is_at(workcal_add(wc, at("2027-11-23 16:00"), 2 * HOUR),
	    "2027-11-25 08:30");
	/* Beyond the calendar, only the week counts. */
	is_at(workcal_add(wc, at("2028-01-07 16:00"), 2 * HOUR),
	    "2028-01-10 08:30");
	/* Between: nothing backwards, a whole week is 40 hours. */
	assert_int_equal(workcal_between(wc, at("2026-03-09 09:00"),
	    at("2026-03-09 08:00")), 0);
	assert_int_equal(workcal_between(wc, at("2026-03-09 00:00"),
	    at("2026-03-16 00:00")), 40 * HOUR);
	assert_int_equal(workcal_between(wc, at("2026-02-14 00:00"),
	    at("2026-02-23 00:00")), 0);
}

/*
 * Test functions:
 *   workcal_rule, workcal_due (precedence: both, the category, the
 *   urgency, any; minutes round the clock; no limit)
 */
static void
test_rules(void **state)
{
	const struct workcal_rule	*r;
	int64_t				 t = at("2026-03-06 16:30");

	(void)state;
	r = workcal_rule(wc, "power", "urgent");
	assert_string_equal(r->category, "power");
	assert_string_equal(r->urgency, "urgent");
	/* Round the clock: an hour later, Friday evening or not. */
	is_at(workcal_due(wc, r, WORKCAL_ACCEPT, t), "2026-03-06 17:30");
	r = workcal_rule(wc, "power", "normal");
	assert_string_equal(r->urgency, "*");
	is_at(workcal_due(wc, r, WORKCAL_ACCEPT, t), "2026-03-09 11:00");
	r = workcal_rule(wc, "education", "urgent");
	assert_string_equal(r->category, "*");
	assert_string_equal(r->urgency, "urgent");
	is_at(workcal_due(wc, r, WORKCAL_ACCEPT, t), "2026-03-09 11:00");
	is_at(workcal_due(wc, r, WORKCAL_HANDLE, t), "2026-03-10 17:00");
	r = workcal_rule(wc, "education", "normal");
	is_at(workcal_due(wc, r, WORKCAL_ACCEPT, t), "2026-03-09 16:30");
	is_at(workcal_due(wc, r, WORKCAL_HANDLE, t), "2026-03-13 17:00");
	/* The shipped rules have no "*" for both: an odd urgency has none. */
	assert_null(workcal_rule(wc, "education", "whenever"));
	assert_int_equal(workcal_due(wc, NULL, WORKCAL_HANDLE, t), 0);
}

/*
 * Test functions:
 *   workcal_band, workcal_band_due (the shipped response bands: by
 *   severity, round the clock, nights and holidays included; ict alerts
 *   have no units to send)
 */
static void
test_bands(void **state)
{
	static const struct {
		int		 severity;
		const char	*ack, *dispatch, *on_scene;
	} want[] = {
		{ 4, "2026-02-17 00:02", "2026-02-17 00:05",
		    "2026-02-17 00:20" },
		{ 3, "2026-02-17 00:05", "2026-02-17 00:10",
		    "2026-02-17 00:30" },
		{ 2, "2026-02-17 00:15", "2026-02-17 00:30",
		    "2026-02-17 01:00" },
		{ 1, "2026-02-17 00:30", "2026-02-17 02:00",
		    "2026-02-17 04:00" },
	};
	const struct workcal_band	*b;
	int64_t				 t = at("2026-02-17 00:00");
	size_t				 i;

	(void)state;
	/* Midnight on mùng 1 Tết: alerts do not wait for the office. */
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		b = workcal_band(wc, "fire", want[i].severity);
		assert_non_null(b);
		assert_string_equal(b->kind, "*");
		assert_int_equal(b->severity, want[i].severity);
		is_at(workcal_band_due(wc, b, WORKCAL_ACK, t), want[i].ack);
		is_at(workcal_band_due(wc, b, WORKCAL_DISPATCH, t),
		    want[i].dispatch);
		is_at(workcal_band_due(wc, b, WORKCAL_ON_SCENE, t),
		    want[i].on_scene);
	}
	b = workcal_band(wc, "ict", 4);
	assert_string_equal(b->kind, "ict");
	is_at(workcal_band_due(wc, b, WORKCAL_ACK, t), "2026-02-17 00:02");
	assert_int_equal(workcal_band_due(wc, b, WORKCAL_DISPATCH, t), 0);
	assert_int_equal(workcal_band_due(wc, b, WORKCAL_ON_SCENE, t), 0);
	/* No band for a severity the province does not know. */
	assert_null(workcal_band(wc, "fire", 0));
	assert_null(workcal_band(wc, "fire", 5));
	assert_int_equal(workcal_band_due(wc, NULL, WORKCAL_ACK, t), 0);
	assert_int_equal(workcal_band_due(wc, b, WORKCAL_BAND_STAGE_COUNT,
	    t), 0);
	/* The day, by an instant. */
	assert_false(workcal_is_workday_at(wc, t));
	assert_true(workcal_is_workday_at(wc, at("2026-02-23 23:59")));
	assert_false(workcal_is_workday_at(wc, at("2026-02-21 10:00")));
}

/*
 * Test functions:
 *   workcal_load_files (seasonal hours, wrapping the new year; a Saturday
 *   worked in a season without Saturdays; a rule without a stage; bands
 *   by kind, by severity, in working time), workcal_band,
 *   workcal_band_due
 */
static void
test_fixture(void **state)
{
	struct workcal			*f;
	const struct workcal_rule	*r;
	const struct workcal_band	*b;
	char				*wt, *cal, *cause = NULL;

	(void)state;
	xasprintf(&wt, "%s/tests/data/wt-ok.json", t_srcdir());
	xasprintf(&cal, "%s/tests/data/cal-test.json", t_srcdir());
	if (workcal_load_files(wt, cal, VN, &f, &cause) != 0)
		fail_msg("%s", cause);
	free(wt);
	free(cal);
	/* Winter (16/10-15/4): Saturdays too, mornings only. */
	assert_true(workcal_is_workday(f, 2030, 1, 5));
	assert_true(workcal_is_working(f, at("2030-01-05 11:00")));
	assert_false(workcal_is_working(f, at("2030-01-05 14:00")));
	assert_true(workcal_is_workday(f, 2030, 10, 19));
	/* Summer: no Saturdays, but 27/4 is worked, with summer hours. */
	assert_true(workcal_is_workday(f, 2030, 4, 27));
	assert_true(workcal_is_working(f, at("2030-04-27 07:15")));
	assert_false(workcal_is_workday(f, 2030, 5, 1));
	is_at(workcal_add(f, at("2030-04-26 16:00"), 2 * HOUR),
	    "2030-04-27 08:00");
	r = workcal_rule(f, "water", "normal");
	assert_string_equal(r->category, "water");
	assert_int_equal(workcal_due(f, r, WORKCAL_HANDLE, 0), 0);
	r = workcal_rule(f, "water", "urgent");
	assert_string_equal(r->urgency, "*");
	r = workcal_rule(f, "roads", "urgent");
	assert_string_equal(r->urgency, "urgent");
	r = workcal_rule(f, "roads", "normal");
	assert_string_equal(r->category, "*");
	assert_string_equal(r->urgency, "*");
	/* Bands: the kind's for any severity first, then any kind's. */
	b = workcal_band(f, "fire", 3);
	assert_string_equal(b->kind, "fire");
	assert_int_equal(b->severity, 0);
	assert_int_equal(workcal_band_due(f, b, WORKCAL_DISPATCH, 0), 120000);
	assert_int_equal(workcal_band_due(f, b, WORKCAL_ON_SCENE, 0), 0);
	b = workcal_band(f, "flood", 4);
	assert_string_equal(b->kind, "*");
	assert_int_equal(workcal_band_due(f, b, WORKCAL_ACK, 0), 600000);
	assert_int_equal(workcal_band_due(f, b, WORKCAL_DISPATCH, 0), 0);
	/* A band may wait for the office: Friday 16:00 in summer. */
	b = workcal_band(f, "ict", 1);
	assert_int_equal(b->severity, 1);
	is_at(workcal_band_due(f, b, WORKCAL_ACK, at("2030-05-10 16:00")),
	    "2030-05-13 10:00");
	is_at(workcal_band_due(f, b, WORKCAL_DISPATCH,
	    at("2030-05-10 16:00")), "2030-05-13 17:00");
	b = workcal_band(f, "ict", 2);
	assert_string_equal(b->kind, "*");
	workcal_free(f);
}

/*
 * Test functions:
 *   workcal_load_files, workcal_load (every broken file is refused, and
 *   the message names the file and the member)
 */
static void
test_broken(void **state)
{
	static const struct {
		const char	*wt, *cal, *want;
	} cases[] = {
		{ "wt-broken-span.json", "cal-test.json", "spans" },
		{ "wt-broken-cover.json", "cal-test.json", "12-01" },
		{ "wt-broken-rule.json", "cal-test.json", "handle" },
		{ "wt-broken-dup.json", "cal-test.json", "second rule" },
		{ "wt-broken-band.json", "cal-test.json",
		    "bands[0]: \"dispatch\" is sooner" },
		{ "wt-broken-band-kind.json", "cal-test.json",
		    "bands[0]: \"kind\"" },
		{ "wt-broken-band-dup.json", "cal-test.json",
		    "bands[1]: a second band for */4" },
		{ "wt-ok.json", "cal-broken-source.json", "source" },
		{ "wt-ok.json", "cal-broken-date.json", "days[0]" },
		{ "wt-ok.json", "no-such-file.json", "no-such-file" },
		{ "be-texts.json", "cal-test.json", "hours" },
	};
	struct workcal	*f = NULL;
	char		*wt, *cal, *cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xasprintf(&wt, "%s/tests/data/%s", t_srcdir(), cases[i].wt);
		xasprintf(&cal, "%s/tests/data/%s", t_srcdir(), cases[i].cal);
		cause = NULL;
		assert_int_equal(workcal_load_files(wt, cal, VN, &f, &cause),
		    -1);
		assert_null(f);
		assert_non_null(cause);
		if (strstr(cause, cases[i].want) == NULL)
			fail_msg("%s: \"%s\" does not say %s", cases[i].wt,
			    cause, cases[i].want);
		free(cause);
		free(wt);
		free(cal);
	}
	cause = NULL;
	assert_int_equal(workcal_load("/nonexistent", VN, &f, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/worktime.json"));
	free(cause);
}

/*
 * Test functions:
 *   workcal_parse_time, workcal_format
 */
static void
test_local_time(void **state)
{
	int64_t	t;
	char	buf[8];

	(void)state;
	/* 2026-02-13 09:00 UTC+7 is 02:00 UTC. */
	assert_int_equal(workcal_parse_time("2026-02-13T09:00", VN, &t), 0);
	assert_int_equal(t, INT64_C(1770948000000));
	assert_int_equal(workcal_parse_time("2026-02-13 09:00:00", VN, &t),
	    0);
	assert_int_equal(t, INT64_C(1770948000000));
	assert_int_equal(workcal_parse_time("2026-02-13T02:00Z", VN, &t), 0);
	assert_int_equal(t, INT64_C(1770948000000));
	assert_int_equal(workcal_parse_time("2026-02-13T09:00+07:00", 0, &t),
	    0);
	assert_int_equal(t, INT64_C(1770948000000));
	assert_int_equal(workcal_parse_time("2026-02-12T21:00-0500", VN, &t),
	    0);
	assert_int_equal(t, INT64_C(1770948000000));
	assert_int_equal(workcal_parse_time("2026-02-13", VN, &t), 0);
	is_at(t, "2026-02-13 00:00");
	assert_int_equal(workcal_parse_time("1969-12-31T23:00Z", 0, &t), 0);
	assert_int_equal(t, -HOUR);
	is_at(-HOUR, "1970-01-01 06:00");
	assert_int_equal(workcal_parse_time("2026-02-30", VN, &t), -1);
	assert_int_equal(workcal_parse_time("2026-02-13T24:00", VN, &t), -1);
	assert_int_equal(workcal_parse_time("2026-02-13T09:00+7", VN, &t),
	    -1);
	assert_int_equal(workcal_parse_time("2026-02-13T09:00x", VN, &t),
	    -1);
	assert_int_equal(workcal_parse_time("13/02/2026", VN, &t), -1);
	assert_int_equal(workcal_parse_time("", VN, &t), -1);
	assert_int_equal(workcal_format(0, 0, buf, sizeof buf), 16);
	assert_string_equal(buf, "1970-01");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_before_tet),
		cmocka_unit_test(test_before_national_day),
		cmocka_unit_test(test_weekends_and_holidays),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_local_time),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}

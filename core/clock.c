/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The one clock. Real by default; tests freeze and advance it, replays
 * shift it by an offset. Nothing else in the tree reads the system time.
 */

#include "clock.h"

#include <stdio.h>
#include <time.h>

enum clock_mode {
	CLOCK_MODE_REAL,
	CLOCK_MODE_FIXED,
	CLOCK_MODE_OFFSET,
	CLOCK_MODE_PINNED
};

static enum clock_mode	clock_mode = CLOCK_MODE_REAL;
static int64_t		clock_fixed;	/* Wall ms when fixed. */
static int64_t		clock_fixed_mono;
static int64_t		clock_offset;

static int64_t
clock_read(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * Wall time in ms since the epoch: real, frozen, or real plus an offset.
 */
int64_t
clock_now(void)
{
	switch (clock_mode) {
	case CLOCK_MODE_FIXED:
	case CLOCK_MODE_PINNED:
		return (clock_fixed);
	case CLOCK_MODE_OFFSET:
		return (clock_read(CLOCK_REALTIME) + clock_offset);
	default:
		return (clock_read(CLOCK_REALTIME));
	}
}

/*
 * Monotonic ms for measuring intervals; advances with a frozen clock too.
 */
int64_t
clock_mono(void)
{
	if (clock_mode == CLOCK_MODE_FIXED)
		return (clock_fixed_mono);
	return (clock_read(CLOCK_MONOTONIC));
}

/*
 * Monotonic microseconds, always real: for measuring how long work takes
 * (a replay's events per second), never for what time it is.
 */
int64_t
clock_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

void
clock_set_real(void)
{
	clock_mode = CLOCK_MODE_REAL;
}

/*
 * Freeze the clock at ms; clock_advance() moves it.
 */
void
clock_set_fixed(int64_t ms)
{
	clock_mode = CLOCK_MODE_FIXED;
	clock_fixed = ms;
	clock_fixed_mono = 0;
}

void
clock_advance(int64_t ms)
{
	clock_fixed += ms;
	clock_fixed_mono += ms;
}

/*
 * Show wall time ms until pinned again: a replay moves it with the
 * recording's clock (paused, slower, faster). The monotonic clock stays
 * real, so timers and frames keep their pace.
 */
void
clock_pin(int64_t ms)
{
	clock_mode = CLOCK_MODE_PINNED;
	clock_fixed = ms;
}

/*
 * Run real time shifted by ms (negative: in the past), for replays.
 */
void
clock_set_offset(int64_t ms)
{
	clock_mode = CLOCK_MODE_OFFSET;
	clock_offset = ms;
}

int
clock_is_driven(void)
{
	return (clock_mode != CLOCK_MODE_REAL);
}

/*
 * Format ms as HH:MM:SS at a fixed UTC offset in minutes into buf.
 */
void
clock_hms(int64_t ms, int utc_offset_min, char *buf, size_t sz)
{
	int64_t	s = ms / 1000 + (int64_t)utc_offset_min * 60;
	int64_t	d = ((s % 86400) + 86400) % 86400;

	snprintf(buf, sz, "%02d:%02d:%02d", (int)(d / 3600),
	    (int)(d / 60 % 60), (int)(d % 60));
}

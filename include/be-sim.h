/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The simulated province: a seeded, deterministic stream of alerts,
 * hospital and school gauges, feedback cases and unit movements, driven by
 * an lws timer. be_sim_tick() is one step and needs no network, so tests
 * drive it with a fixed clock.
 */

#ifndef BE_SIM_H
#define BE_SIM_H

#include <stdint.h>

struct be_state;
struct be_sim;
struct lws_context;

#define BE_SIM_RATE_MAX		1000.0	/* Events per second. */

/* What one tick did. */
enum be_sim_step {
	BE_SIM_NOTHING,
	BE_SIM_ALERT,
	BE_SIM_HOSPITAL,
	BE_SIM_SCHOOL,
	BE_SIM_FEEDBACK,
	BE_SIM_PROGRESS,
	BE_SIM_STEP_COUNT
};

void		 be_sim_initial_day(struct be_state *);
enum be_sim_step be_sim_tick(struct be_state *);
int		 be_sim_school_time(int64_t now, int utc_offset_min);

struct be_sim	*be_sim_new(struct be_state *, struct lws_context *,
		     double rate);
void		 be_sim_free(struct be_sim *);

#endif

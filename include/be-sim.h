/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The simulated province: a seeded, deterministic stream of alerts,
 * hospital and school gauges, feedback cases, unit movements and the work
 * of simulated colleagues, plus a scenario's timeline, driven by an lws
 * timer. The simulator owns its hidden world (be-world.h) and the running
 * scenario; it reads the dataset and changes the state only through the
 * state's engine. be_sim_tick() is one step and needs no network, so
 * tests drive it with a fixed clock.
 */

#ifndef BE_SIM_H
#define BE_SIM_H

#include <stddef.h>
#include <stdint.h>

struct be_data;
struct be_scenario;
struct be_sim;
struct be_state;
struct be_world;
struct lws_context;

#define BE_SIM_RATE_MAX		1000.0	/* Events per second. */
#define BE_SIM_MAX_OPEN_ALERTS	60	/* No new alerts beyond. */
#define BE_SIM_MAX_OPEN_FEEDBACK 40	/* No new cases beyond. */
#define BE_SIM_RETIRE_US	1000000		/* Retention timer. */

/* What one tick did. */
enum be_sim_step {
	BE_SIM_NOTHING,
	BE_SIM_ALERT,		/* A new alert (citizens, sensors...). */
	BE_SIM_HOSPITAL,	/* A hospital's gauges. */
	BE_SIM_SCHOOL,		/* A school's attendance. */
	BE_SIM_FEEDBACK,	/* A new feedback case. */
	BE_SIM_PROGRESS,	/* A unit moves on. */
	BE_SIM_CAMERA,		/* A camera sees a traffic incident. */
	BE_SIM_STATION,		/* A station crosses its threshold. */
	BE_SIM_FIELD,		/* Units finish on scene: resolved. */
	BE_SIM_COLLEAGUE,	/* Another officer handles an old alert. */
	BE_SIM_DEPT,		/* A department works on a case. */
	BE_SIM_FLEET,		/* A unit goes to or leaves the workshop. */
	BE_SIM_SCENARIO,	/* The scenario's timeline injected. */
	BE_SIM_STEP_COUNT
};

/* How the simulated colleagues work (--colleagues). */
enum be_sim_colleagues {
	BE_SIM_COLLEAGUES_NORMAL,
	BE_SIM_COLLEAGUES_SLOW,
	BE_SIM_COLLEAGUES_OFF,
	BE_SIM_COLLEAGUES_COUNT
};

#define BE_SIM_COLLEAGUE_SLOW	(90 * 60000LL)	/* ms later. */

extern const char *const be_sim_colleagues_names[BE_SIM_COLLEAGUES_COUNT];

struct be_sim	*be_sim_new(struct be_state *, const struct be_data *);
void		 be_sim_free(struct be_sim *);
void		 be_sim_start(struct be_sim *, struct lws_context *,
		     double rate);
void		 be_sim_initial_day(struct be_sim *);
enum be_sim_step be_sim_tick(struct be_sim *);
void		 be_sim_start_scenario(struct be_sim *,
		     struct be_scenario *);
size_t		 be_sim_scenario_left(const struct be_sim *);
void		 be_sim_set_colleagues(struct be_sim *,
		     enum be_sim_colleagues);
void		 be_sim_set_passive(struct be_sim *, int);
void		 be_sim_set_guard(struct be_sim *, int (*)(void *),
		     void *);
struct be_world	*be_sim_world(struct be_sim *);
int		 be_sim_school_day(int64_t now, int utc_offset_min);
int		 be_sim_school_time(int64_t now, int utc_offset_min);

#endif

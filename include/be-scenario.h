/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Scenarios (--scenario NAME|FILE): a timeline of injects and changes to
 * the simulated world (weather, hospital load, alert rate) played on top
 * of the normal day. The file format is in data/scenarios/README.md.
 */

#ifndef BE_SCENARIO_H
#define BE_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct engine;

#define BE_SCENARIO_MAX_STEPS	10000
#define BE_SCENARIO_MAX_AT	(7 * 86400)	/* Seconds. */
#define BE_SCENARIO_UNCHANGED	(-1000)

/*
 * One step of the timeline. A step injects an item, changes the world, or
 * both; a member left BE_SCENARIO_UNCHANGED (weather: -1) is not changed.
 */
struct be_scenario_step {
	int64_t		 at;		/* ms after the start. */
	json_t		*inject;	/* inject args {kind, item}, or NULL. */
	int		 weather;	/* enum be_weather; -1: unchanged;
					   BE_WEATHER_COUNT: back to auto. */
	int		 hospital_load;	/* Occupancy points added. */
	int		 alert_rate;	/* Percent of the usual. */
};

struct be_scenario {
	char			*name;
	char			*title;
	char			*path;
	struct be_scenario_step	*steps;
	size_t			 nsteps;
};

int	be_scenario_load(struct engine *, const char *spec,
	    const char *datadir, struct be_scenario **, char **cause);
void	be_scenario_free(struct be_scenario *);

#endif

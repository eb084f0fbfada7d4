/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The simulated province's hidden world: the weather, how loaded the
 * hospitals are and how often alerts come (both moved by a scenario), the
 * monitoring stations' readings and the alerts they raised, and which
 * diversions the simulator itself declared. It changes as the simulator
 * runs (be-sim.c), over the immutable dataset (be-data.h), whose stations
 * and fleets its arrays follow index by index.
 */

#ifndef BE_WORLD_H
#define BE_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct be_data;

enum be_weather {
	BE_WEATHER_CLEAR,
	BE_WEATHER_CLOUDY,
	BE_WEATHER_RAIN,
	BE_WEATHER_HEAVY_RAIN,
	BE_WEATHER_STORM,
	BE_WEATHER_COUNT
};

extern const char *const be_weather_names[BE_WEATHER_COUNT];

struct be_world {
	enum be_weather		 weather;
	int64_t			 weather_until;	/* Next change, ms; 0: now. */
	int			 weather_locked; /* Set by a scenario. */
	int			 hospital_load;	/* Occupancy points added. */
	int			 alert_rate;	/* Percent of the usual. */
	size_t			 station_next;	/* Round robin. */

	/* Per station of the dataset. */
	int			*readings;	/* Now, % of threshold. */
	char			(*raised)[MODEL_ID_MAX]; /* Its alert, or "". */

	/* Per fleet (hospital) of the dataset. */
	int			*diverted;	/* The simulator diverted it. */
};

void	be_world_init(struct be_world *, const struct be_data *);
void	be_world_clear(struct be_world *);

#endif

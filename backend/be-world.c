/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The simulated province's hidden world. */

#include "be-world.h"

#include <stdlib.h>
#include <string.h>

#include "be-data.h"
#include "xmalloc.h"

const char *const be_weather_names[BE_WEATHER_COUNT] = {
	"clear", "cloudy", "rain", "heavy_rain", "storm"
};

/*
 * Make the world of a dataset as it is at the start: clear weather due
 * to change at once, the usual load and alert rate, every station at its
 * usual reading with no alert. Free with be_world_clear().
 */
void
be_world_init(struct be_world *w, const struct be_data *d)
{
	size_t	i;

	memset(w, 0, sizeof *w);
	w->alert_rate = 100;
	w->readings = xcalloc(d->nstations + 1, sizeof *w->readings);
	w->raised = xcalloc(d->nstations + 1, sizeof *w->raised);
	for (i = 0; i < d->nstations; i++)
		w->readings[i] = d->stations[i].base;
	w->diverted = xcalloc(d->nfleets + 1, sizeof *w->diverted);
}

/*
 * Free what the world holds; it is left zeroed.
 */
void
be_world_clear(struct be_world *w)
{
	free(w->readings);
	free(w->raised);
	free(w->diverted);
	memset(w, 0, sizeof *w);
}

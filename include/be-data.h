/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The province dataset (province.json), its working time (worktime.json
 * and the calendar it names, core/workcal.c) and the simulator's texts
 * (texts.json), as described in data/quangninh/README.md. Loading fills the
 * store with areas, departments (and a People's Committee for every
 * area), hospitals, schools and units, and keeps what the engine and the
 * simulator need besides: the working time, places, roads, cameras,
 * stations, the hospitals' ambulance fleets and usual occupancy, and the
 * alert and feedback templates. Once loaded the dataset does not change;
 * what the simulator changes (its world, a running scenario) is its own
 * (be-world.h, be-sim.h).
 */

#ifndef BE_DATA_H
#define BE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct be_rng;
struct store;
struct workcal;

/*
 * Every area has a body of its own that cases go to, its People's
 * Committee (Ủy ban nhân dân): "UBND." and the area's code, named "UBND"
 * and the area's name, unless the dataset lists a department with that
 * code itself.
 */
#define BE_DATA_BODY_PREFIX	"UBND."
#define BE_DATA_BODY_NAME	"UBND "

/*
 * What the simulated colleagues write when they close things
 * (texts.json "outcomes"; English defaults).
 */
enum be_outcome {
	BE_OUT_FIELD,		/* Resolved: handled in the field. */
	BE_OUT_CHECKED,		/* Resolved: no field action needed. */
	BE_OUT_FALSE_ALARM,
	BE_OUT_DUPLICATE,
	BE_OUT_TRANSFERRED,
	BE_OUT_CANCELLED,
	BE_OUT_SENSOR_CLEAR,	/* A station is back under its threshold. */
	BE_OUT_REPLY,		/* A department's answer to a citizen. */
	BE_OUT_RETURN,		/* Not within our competence. */
	BE_OUT_TRANSFER,	/* A commune passes a case to a department. */
	BE_OUT_HANDBACK,	/* A department hands it back to the commune. */
	BE_OUT_COUNT
};

extern const char *const be_outcome_names[BE_OUT_COUNT];

/* Placeholders a template uses ({area} and {place} need nothing). */
#define BE_NEED_ROAD		0x1
#define BE_NEED_CAMERA		0x2
#define BE_NEED_STATION		0x4
#define BE_NEED_HOSPITAL	0x8

struct be_alert_tpl {
	enum alert_kind		 kind;
	enum alert_source	 source;
	int			 sev_lo, sev_hi;
	char			*title;
	int			 deadline_min;	/* 0: no deadline. */
	int			 needs;		/* BE_NEED_*. */
};

struct be_fb_tpl {
	char			 category[MODEL_CODE_MAX];
	char			 dept[MODEL_CODE_MAX];
	unsigned		 channels;	/* 1 << enum fb_channel. */
	unsigned		 weight;	/* How often; default 10. */
	char			**texts;
	size_t			 ntexts;
};

/*
 * A named thing in an area: a camera or a monitoring station. A station
 * has a kind (air, water_surface...) and a usual reading in percent of its
 * threshold, around which the simulator moves it.
 */
struct be_site {
	char			 id[MODEL_ID_MAX];
	char			 area[MODEL_CODE_MAX];
	char			*name;
	char			 kind[MODEL_CODE_MAX];	/* Stations; or "". */
	int			 base;		/* Usual reading, %. */
};

struct be_area_info {
	char			 code[MODEL_CODE_MAX];
	unsigned		 weight;	/* Population, or 1. */
	char			**places;
	size_t			 nplaces;
};

struct be_fleet {
	char			 hospital[MODEL_ID_MAX];
	int			 ambulances;	/* Fleet size. */
	int			 beds_pct;	/* Usual occupancy, %. */
	int			 icu_pct;
};

struct be_data {
	struct be_area_info	*areas;
	size_t			 nareas;
	char			**roads;
	size_t			 nroads;
	struct be_site		*cameras;
	size_t			 ncameras;
	struct be_site		*stations;
	size_t			 nstations;
	struct be_fleet		*fleets;
	size_t			 nfleets;
	struct be_alert_tpl	*alerts;
	size_t			 nalerts;
	struct be_fb_tpl	*feedback;
	size_t			 nfeedback;

	char			*outcomes[BE_OUT_COUNT]; /* NULL: default. */

	struct workcal		*workcal;	/* be_data_load(); or NULL. */
};

int		 be_data_load(const char *dir, struct store *,
		     struct be_rng *, struct be_data **, char **cause);
int		 be_data_load_files(const char *province, const char *texts,
		     struct store *, struct be_rng *, struct be_data **,
		     char **cause);
void		 be_data_free(struct be_data *);
int		 be_data_fleet(const struct be_data *, const char *hospital);
const struct be_fleet *be_data_fleet_info(const struct be_data *,
		     const char *hospital);
const struct be_fb_tpl *be_data_category(const struct be_data *,
		     const char *category);
const char	*be_data_outcome(const struct be_data *, enum be_outcome);
const struct be_area_info *be_data_area(const struct be_data *,
		     const char *code);
int		 be_data_area_body(const char *area,
		     char body[MODEL_CODE_MAX]);

#endif

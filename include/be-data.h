/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The province dataset (province.json) and the simulator's texts
 * (texts.json), as described in data/quangninh/README.md. Loading fills the
 * store with areas, departments, hospitals, schools and units, and keeps
 * what the simulator needs besides: places, roads, cameras, stations, the
 * hospitals' ambulance fleets, and the alert and feedback templates.
 */

#ifndef BE_DATA_H
#define BE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct be_rng;
struct store;

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
	char			**texts;
	size_t			 ntexts;
};

/* A named thing in an area: a camera or a monitoring station. */
struct be_site {
	char			 id[MODEL_ID_MAX];
	char			 area[MODEL_CODE_MAX];
	char			*name;
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
};

int		 be_data_load(const char *dir, struct store *,
		     struct be_rng *, struct be_data **, char **cause);
int		 be_data_load_files(const char *province, const char *texts,
		     struct store *, struct be_rng *, struct be_data **,
		     char **cause);
void		 be_data_free(struct be_data *);
int		 be_data_fleet(const struct be_data *, const char *hospital);
const struct be_area_info *be_data_area(const struct be_data *,
		     const char *code);

#endif

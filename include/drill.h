/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Drills (docs/drills.md): a timeline of injects (a new alert or
 * feedback case, a unit out of service, a hospital's or a school's
 * readings) and expectations tied to them ("this alert acknowledged
 * within 60 s", "a rescue unit dispatched to it within 3 min"), each
 * worth points, and a pass mark. A drill file is loaded once and never
 * changes; a run of it keeps, for each trainee, which expectations the
 * trainee's own actions met and when. The run is fed the changes the
 * engine made, one by one (who, which command, the item after it), so
 * the backend, a replay's sandbox or a test can score a drill alike. It
 * knows no network and no screen.
 *
 *	struct drill		*d;
 *	struct drill_run	*run;
 *
 *	if (drill_load("data/drills/yagi.json", &d, &cause) != 0 ||
 *	    drill_check(d, engine, &cause) != 0)
 *		fail(cause);
 *	run = drill_run_new(d, now);
 *	drill_apply(run, engine, step, &cause);	(at each step's time)
 *	drill_run_change(run, kind, item, by, cmd, ts);	(every change)
 *	report = drill_run_json(run, now);
 */

#ifndef DRILL_H
#define DRILL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

struct engine;
struct kind;

#define DRILL_MAX_STEPS		500
#define DRILL_MAX_EXPECT	200
#define DRILL_MAX_TRAINEES	64
#define DRILL_MAX_AT		(7 * 86400)	/* Seconds. */
#define DRILL_NAME_MAX		64
#define DRILL_TEXT_MAX		1024

/* What a step of the timeline does. */
enum drill_step_type {
	DRILL_STEP_INJECT,	/* A new alert or feedback case. */
	DRILL_STEP_UNIT,	/* A unit's status (out_of_service...). */
	DRILL_STEP_HOSPITAL,	/* A hospital's readings, diversion. */
	DRILL_STEP_SCHOOL,	/* A school's attendance. */
	DRILL_STEP_TYPE_COUNT
};

struct drill_step {
	int64_t			 at;		/* ms after the start. */
	char			*name;		/* Expectations name it; or NULL. */
	enum drill_step_type	 type;
	json_t			*args;		/* inject's {kind, item}. */
	char			 item[MODEL_ID_MAX]; /* Unit, hospital, school. */
	int			 status;	/* A unit's new status. */
	json_t			*set;		/* Readings to set. */
	char			*note;		/* For the trainer; or NULL. */
};

/*
 * An expectation: the command cmd, by the trainee, on the item of step
 * (or the fixed item), within `within` ms of the window's opening (the
 * step's time, or `after`), with what the command must have chosen.
 */
struct drill_expect {
	char		*id;
	char		*text;		/* Vietnamese, for people. */
	int		 step;		/* Its item's step; -1: item. */
	char		 item[MODEL_ID_MAX];	/* When step is -1. */
	char		 cmd[HISTORY_WHAT_MAX];
	int		 unit_type;	/* dispatch: -1 any. */
	int		 disposition;	/* close: -1 any. */
	char		 dept[MODEL_CODE_MAX];	/* assign, transfer: "" any. */
	int64_t		 open;		/* ms after the start. */
	int64_t		 within;	/* ms. */
	int		 points;
};

struct drill {
	char			*id;
	char			*title;
	char			*description;
	char			*path;
	int64_t			 duration;	/* ms. */
	int			 pass;		/* Points to pass. */
	int			 max;		/* All the points. */
	struct drill_step	*steps;
	size_t			 nsteps;
	struct drill_expect	*expect;
	size_t			 nexpect;
};

enum drill_state {
	DRILL_PENDING,		/* Its window is open or yet to come. */
	DRILL_MET,
	DRILL_MISSED,
	DRILL_STATE_COUNT
};

extern const char *const drill_state_names[DRILL_STATE_COUNT];

struct drill_run;

int		 drill_load(const char *path, struct drill **, char **cause);
int		 drill_parse(json_t *, const char *path, struct drill **,
		     char **cause);
int		 drill_check(const struct drill *, struct engine *,
		     char **cause);
void		 drill_free(struct drill *);

struct drill_run *drill_run_new(const struct drill *, int64_t start);
void		 drill_run_free(struct drill_run *);
int64_t		 drill_run_start(const struct drill_run *);
int		 drill_run_ended(const struct drill_run *, int64_t now);
int		 drill_apply(struct drill_run *, struct engine *, size_t step,
		     char **cause);
void		 drill_run_injected(struct drill_run *, size_t step,
		     const char *id);
const char	*drill_run_item(const struct drill_run *, size_t expect);
int		 drill_run_trainee(struct drill_run *, const char *name);
size_t		 drill_run_trainees(const struct drill_run *);
const char	*drill_run_trainee_name(const struct drill_run *, size_t);
int		 drill_run_change(struct drill_run *, const struct kind *,
		     const void *item, const char *by, const char *cmd,
		     int64_t ts);
size_t		 drill_run_changes(const struct drill_run *);
void		 drill_run_truncate(struct drill_run *, size_t);
void		 drill_run_annotate(struct drill_run *, const char *by,
		     int64_t ts, const char *text);
enum drill_state drill_run_state(const struct drill_run *, size_t trainee,
		     size_t expect, int64_t now, int64_t *at);
int		 drill_run_score(const struct drill_run *, size_t trainee);
json_t		*drill_run_json(const struct drill_run *, int64_t now);
json_t		*drill_run_follow_json(struct drill_run *, const char *,
		     int64_t now);
char		*drill_run_text(const struct drill_run *, int64_t now);

#endif

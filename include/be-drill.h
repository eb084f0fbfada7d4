/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A drill run by the backend (--drill FILE, docs/drills.md): its steps
 * played on the loop's clock through the state's engine, every change
 * fed to the scoring (core/drill.c), and the report (--report FILE: the
 * JSON, and FILE.txt for people) written when the drill ends or the
 * backend stops before.
 */

#ifndef BE_DRILL_H
#define BE_DRILL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct be_drill;
struct be_state;
struct drill;
struct drill_run;
struct lws_context;

#define BE_DRILL_TICK_MS	200	/* Steps and the end checked. */
#define BE_DRILL_JOIN_MS	1000	/* Asking a shared log's start. */

/*
 * A drill over a log several processes share (be-nats.c, wired by
 * backend/main.c); every function gets arg.
 */
struct be_drill_hooks {
	/* The drill's start: 1 with *start set, 0 not yet, -1 *cause. */
	int	(*start)(void *, const char *drill, int64_t now,
		    int64_t *start, char **cause);
	/* 1 while this process plays the timeline (holds the lease). */
	int	(*leader)(void *);
	/* The events made from now on are step's (-1: nobody's). */
	void	(*playing)(void *, const char *drill, int step,
		    int64_t start);
	/* 1 when the event being applied from the log was step's. */
	int	(*seen)(void *, const char *drill, int *step, int64_t *start);
	void	*arg;
};

struct be_drill	*be_drill_new(struct be_state *, struct drill *,
		     const char *report);
void		 be_drill_free(struct be_drill *);
void		 be_drill_trainee(struct be_drill *, const char *);
void		 be_drill_set_hooks(struct be_drill *,
		     const struct be_drill_hooks *);
void		 be_drill_start(struct be_drill *, struct lws_context *,
		     int64_t now);
void		 be_drill_tick(struct be_drill *, int64_t now);
int		 be_drill_report(struct be_drill *, int64_t now, char **cause);
struct drill_run *be_drill_run(struct be_drill *);
const struct drill *be_drill_drill(const struct be_drill *);

#endif

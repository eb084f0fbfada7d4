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

struct be_drill	*be_drill_new(struct be_state *, struct drill *,
		     const char *report);
void		 be_drill_free(struct be_drill *);
void		 be_drill_trainee(struct be_drill *, const char *);
void		 be_drill_start(struct be_drill *, struct lws_context *,
		     int64_t now);
void		 be_drill_tick(struct be_drill *, int64_t now);
int		 be_drill_report(struct be_drill *, int64_t now, char **cause);
struct drill_run *be_drill_run(struct be_drill *);
const struct drill *be_drill_drill(const struct be_drill *);

#endif

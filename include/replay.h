/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A replay: a recording (console/record.c) played into the console's own
 * sync (console/sync.c) as if a backend sent it, with no backend and no
 * network. The replay is the sync's host: it says when the recorded link
 * came up and went down, hands over every message received, and answers
 * what the console sends from a local sandbox (console/sandbox.c), so the
 * panels, the prompt and every command work as in a live session. The
 * rules (what is held back, conflicts, the score) are in docs/replay.md.
 *
 *	rp = replay_open(path, store, sync, REPLAY_TRAIN, &hooks, &cause);
 *	replay_start(rp, 1);
 *	replay_attach(rp, lws_context);		(plays on the loop)
 *	...
 *	replay_free(rp);
 */

#ifndef REPLAY_H
#define REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lws_context;
struct replay;
struct store;
struct sync;

#define REPLAY_CP_ITEMS		2000	/* Items between checkpoints, at
					   first; twice as many each time
					   REPLAY_CP_MAX are kept. */
#define REPLAY_CP_MAX		64
#define REPLAY_TICK_MS		40	/* Playing: a step this often. */
#define REPLAY_BUDGET_MS	20	/* Work in one step, at most. */
#define REPLAY_SAID_MAX		20	/* Conflicts said one by one. */

enum replay_mode {
	REPLAY_WATCH,			/* Everything as it was recorded. */
	REPLAY_TRAIN			/* The trainee in the officer's
					   place. */
};

/* How the replay talks to the console; main.c fills it, tests too. */
struct replay_hooks {
	void	*arg;
	/* One line for the message line; error in red. */
	void	(*message)(void *arg, int error, const char *text);
	/* The position, speed or state changed (the header). */
	void	(*progress)(void *arg);
	/* Several lines to show (the score at the end). */
	void	(*show)(void *arg, const char *title, const char *text);
};

/* Where the replay is, for the header. */
struct replay_status {
	enum replay_mode mode;
	int		 playing;	/* 0: paused. */
	int		 seeking;
	int		 ended;		/* Nothing more to play. */
	int		 damaged;
	double		 speed;		/* 0: as fast as possible. */
	int64_t		 t;		/* The recording's time now. */
	int64_t		 t0, t1;	/* Its first and last. */
	int		 permille;	/* Played, of the whole. */
};

struct replay	*replay_open(const char *path, struct store *,
		     struct sync *, enum replay_mode,
		     const struct replay_hooks *, char **cause);
void		 replay_free(struct replay *);
int		 replay_start(struct replay *, uint64_t every);
void		 replay_attach(struct replay *, struct lws_context *);
void		 replay_detach(struct replay *);
void		 replay_get_status(const struct replay *,
		     struct replay_status *);
int		 replay_command(struct replay *, const char *verb,
		     const char *value, char **msg);
int		 replay_parse_time(const struct replay *, const char *,
		     int64_t *t, char **cause);
void		 replay_play_to(struct replay *, int64_t t);
void		 replay_play_all(struct replay *);
void		 replay_seek(struct replay *, int64_t t);
int		 replay_step(struct replay *);
void		 replay_pump(struct replay *);
int64_t		 replay_time(const struct replay *);
int		 replay_ended(const struct replay *);
const char	*replay_damage(const struct replay *);
uint64_t	 replay_events(const struct replay *);
const json_t	*replay_header(const struct replay *);
size_t		 replay_checkpoints(const struct replay *);
json_t		*replay_score_json(struct replay *);
char		*replay_score_text(struct replay *);
int		 replay_write_score(struct replay *, const char *path,
		     char **cause);
void		 replay_set_score_path(struct replay *, const char *);
struct drill;
void		 replay_set_drill(struct replay *, struct drill *);

/* A replay without a screen (trucban --replay FILE --headless). */
struct replay_run_opts {
	const char	*path;
	int		 watch;		/* No trainee even with a script. */
	const char	*script;	/* A file of command lines, or NULL. */
	const char	*commands;	/* -c; or NULL. */
	const char	*score_json;	/* Write the score here; or NULL. */
	const char	*drill;		/* Score a drill too; or NULL. */
	/* Where lines go (main.c prints them). */
	void		(*print)(const char *line);
};

#define REPLAY_RUN_OK		0	/* The whole recording. */
#define REPLAY_RUN_FAILED	1	/* A script command failed. */
#define REPLAY_RUN_CANNOT	2	/* Not a recording; bad options. */
#define REPLAY_RUN_DAMAGED	3	/* Played up to its damage. */

int		 replay_run(const struct replay_run_opts *, char **cause);

#endif

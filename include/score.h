/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A trainee scored against an officer (docs/replay.md, "The score"): the
 * changes each of them made, as the engine made them, in the order they
 * came, and the comparison of the two, item by item and action by
 * action. It knows items and commands, not where the changes came from:
 * a replay gives it the recorded officer's events it held back and the
 * trainee's changes in its sandbox; a drill or a test could give it
 * others.
 *
 *	struct score	*sc = score_new();
 *
 *	score_change(sc, SCORE_OFFICER, kind, item, "ack", ts);
 *	score_change(sc, SCORE_TRAINEE, kind, item, "ack", ts2);
 *	json = score_json(sc);		(the comparison; caller decrefs)
 */

#ifndef SCORE_H
#define SCORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct kind;
struct score;

enum score_who {
	SCORE_OFFICER,
	SCORE_TRAINEE,
	SCORE_WHO_COUNT
};

struct score	*score_new(void);
void		 score_free(struct score *);
void		 score_change(struct score *, enum score_who,
		     const struct kind *, const void *item, const char *cmd,
		     int64_t ts);
size_t		 score_changes(const struct score *, enum score_who);
size_t		 score_actions(const struct score *, enum score_who);
void		 score_truncate(struct score *, enum score_who, size_t);
json_t		*score_json(const struct score *);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Areas for people: labels for narrow columns, the display groups (the
 * former districts), filters that name an area or a whole group, the
 * order the filter steps through, and finding an area from what an
 * officer types. Nothing here knows a province: it all comes from the
 * store's areas.
 */

#ifndef AREAS_H
#define AREAS_H

#include <stddef.h>

#include "model.h"

struct store;

const char		*areas_label(struct store *, const char *code);
const char		*areas_short(const struct area *);
int			 areas_match(const struct area *, const char *folded,
			     int flags);

size_t			 areas_ngroups(const struct store *);
const struct area	*areas_group(const struct store *, size_t);
size_t			 areas_group_size(const struct store *,
			     const char *group);

int			 areas_is_group(const struct store *, const char *);
int			 areas_in(struct store *, const char *code,
			     const char *filter);
const char		*areas_filter_name(struct store *,
			     const char *filter);
const char		*areas_filter_label(struct store *,
			     const char *filter);
char			*areas_word(struct store *, const struct area *);
int			 areas_step(struct store *, const char *cur, int dir,
			     char *out, size_t outsz);
int			 areas_find(struct store *, const char *text,
			     char *out, size_t outsz);

#endif /* AREAS_H */

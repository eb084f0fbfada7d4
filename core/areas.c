/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Areas for people: labels, display groups, filters, stepping, finding. */

#include "areas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Since July 2025 a Vietnamese province has two levels: the province and
 * its communes (phường, xã, đặc khu). Quảng Ninh has 54, too many to step
 * through or to show in one panel at 80x24, so the dataset may give each
 * area a display group: the former district people still name ("Hạ
 * Long", "Cẩm Phả"). A group is only a way to show and choose areas. It
 * has a code ("HL") that is never an area's code, so a filter may hold
 * either: an area's code shows that area, a group's code every area of
 * the group.
 *
 * The order of the areas is the store's (the dataset's); a group's place
 * is that of its first area, and its areas follow it in store order.
 * Areas without a group stand on their own at their place.
 *
 * A narrow column shows an area's abbreviation, which the dataset derives
 * ("BCha" for Bãi Cháy, at most 4 ASCII letters or digits, unique), or
 * its code when there is none (the 13-district dataset's "HL").
 */

static int	areas_seen_group(const struct store *, size_t);
static int	areas_match_list(const char *, const char *, int);

/*
 * The label of the area with this code for a narrow column: its
 * abbreviation, or the code itself (also for an unknown code). Borrowed
 * from the store or from code.
 */
const char *
areas_label(struct store *s, const char *code)
{
	const struct area	*a;

	if ((a = store_area(s, code)) != NULL && a->abbr[0] != '\0')
		return (a->abbr);
	return (code);
}

/*
 * An area's name for a medium column: the short name ("Bãi Cháy"), else
 * the name, else the code. Borrowed from the area.
 */
const char *
areas_short(const struct area *a)
{
	if (a->short_name != NULL)
		return (a->short_name);
	return (a->name != NULL ? a->name : a->code);
}

/* Match each ", "-separated item of list on its own. */
static int
areas_match_list(const char *list, const char *folded, int flags)
{
	char	*copy, *item, *next, *f;
	int	 found = 0;

	copy = xstrdup(list);
	for (item = copy; item != NULL && !found; item = next) {
		if ((next = strstr(item, ", ")) != NULL) {
			*next = '\0';
			next += 2;
		}
		f = fold_text(item);
		found = fold_match_folded(f, folded, flags);
		free(f);
	}
	free(copy);
	return (found);
}

/*
 * 1 if the query (folded by fold_text()) matches the area by
 * fold_match_folded()'s rules and flags: its code, name, short name or
 * one of the units it was formed from ("ha khanh" finds Phường Cao Xanh,
 * formed from phường Hà Khánh and Cao Xanh), else 0. Allocates while it
 * folds; keeps nothing.
 */
int
areas_match(const struct area *a, const char *folded, int flags)
{
	char	*f;
	int	 found;

	if (*folded == '\0')
		return (1);
	f = fold_text(a->code);
	found = fold_match_folded(f, folded, flags);
	free(f);
	if (!found && a->name != NULL)
		found = areas_match_list(a->name, folded, flags);
	if (!found && a->short_name != NULL)
		found = areas_match_list(a->short_name, folded, flags);
	if (!found && a->former != NULL)
		found = areas_match_list(a->former, folded, flags);
	return (found);
}

/* ==== Groups ==== */

/* 1 if an area before i has the same group as area i. */
static int
areas_seen_group(const struct store *s, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++) {
		if (strcmp(s->areas[j].group, s->areas[i].group) == 0)
			return (1);
	}
	return (0);
}

/* The number of display groups; 0 when the areas have none. */
size_t
areas_ngroups(const struct store *s)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nareas; i++) {
		if (s->areas[i].group[0] != '\0' && !areas_seen_group(s, i))
			n++;
	}
	return (n);
}

/*
 * The first area of the k-th display group, in store order (its group
 * and group_name name the group), or NULL when there are not that many.
 * Borrowed.
 */
const struct area *
areas_group(const struct store *s, size_t k)
{
	size_t	i;

	for (i = 0; i < s->nareas; i++) {
		if (s->areas[i].group[0] == '\0' || areas_seen_group(s, i))
			continue;
		if (k-- == 0)
			return (&s->areas[i]);
	}
	return (NULL);
}

/* How many areas are in the group with this code. */
size_t
areas_group_size(const struct store *s, const char *group)
{
	size_t	i, n = 0;

	if (*group == '\0')
		return (0);
	for (i = 0; i < s->nareas; i++)
		n += strcmp(s->areas[i].group, group) == 0;
	return (n);
}

/* ==== Filters ==== */

/* 1 if s is the code of a display group and of no area, else 0. */
int
areas_is_group(const struct store *s, const char *code)
{
	size_t	i;

	if (*code == '\0')
		return (0);
	for (i = 0; i < s->nareas; i++) {
		if (strcmp(s->areas[i].code, code) == 0)
			return (0);
	}
	return (areas_group_size(s, code) > 0);
}

/*
 * 1 if the area with this code passes filter: "" (every area), the area's
 * own code, or the code of its group; else 0.
 */
int
areas_in(struct store *s, const char *code, const char *filter)
{
	const struct area	*a;

	if (*filter == '\0' || strcmp(code, filter) == 0)
		return (1);
	return ((a = store_area(s, code)) != NULL &&
	    strcmp(a->group, filter) == 0);
}

/*
 * What a filter shows, in words: the area's name, the group's name, or
 * the filter itself when the store knows neither. Borrowed.
 */
const char *
areas_filter_name(struct store *s, const char *filter)
{
	const struct area	*a;
	size_t			 i;

	if ((a = store_area(s, filter)) != NULL)
		return (a->name != NULL ? a->name : a->code);
	for (i = 0; i < s->nareas; i++) {
		a = &s->areas[i];
		if (strcmp(a->group, filter) == 0)
			return (a->group_name != NULL ? a->group_name :
			    a->group);
	}
	return (filter);
}

/*
 * What a filter shows where room is short (a panel's title): an area's
 * label (areas_label()), a group's name, or the filter itself. Borrowed.
 */
const char *
areas_filter_label(struct store *s, const char *filter)
{
	if (areas_is_group(s, filter))
		return (areas_filter_name(s, filter));
	return (areas_label(s, filter));
}

/*
 * One word to type for an area at the command line, which areas_find()
 * finds again: its short name with '_' for spaces ("Bãi_Cháy"), or its
 * code when another area has the same short name or the name has no
 * letters. Returns an allocated string; the caller frees it.
 */
char *
areas_word(struct store *s, const struct area *a)
{
	const char	*name = areas_short(a);
	char		*w, *f, *g, *p;
	size_t		 i;
	int		 clash = 0;

	f = fold_text(name);
	for (i = 0; i < s->nareas && !clash; i++) {
		if (&s->areas[i] == a)
			continue;
		g = fold_text(areas_short(&s->areas[i]));
		clash = strcmp(f, g) == 0;
		free(g);
	}
	if (clash || *f == '\0' || strchr(name, '\'') != NULL ||
	    strchr(name, '"') != NULL) {
		free(f);
		return (xstrdup(a->code));
	}
	free(f);
	w = xstrdup(name);
	for (p = w; *p != '\0'; p++) {
		if (*p == ' ')
			*p = '_';
	}
	return (w);
}

/*
 * The filter after cur (dir 1) or before it (dir -1) in the order the
 * area keys step through: every area, then each group followed by its
 * areas, in store order (a group of one area is left out: its area stands
 * for it), then every area again. Writes the new filter into out ("" for
 * every area) and returns 0; -1 when there are no areas. A cur the store
 * does not know counts as "every area".
 */
int
areas_step(struct store *s, const char *cur, int dir, char *out,
    size_t outsz)
{
	const char	**seq;
	size_t		  n = 0, i, j;
	long		  at = 0, next;

	if (s->nareas == 0)
		return (-1);
	seq = xcalloc(1 + 2 * s->nareas, sizeof *seq);
	seq[n++] = "";
	for (i = 0; i < s->nareas; i++) {
		if (s->areas[i].group[0] == '\0') {
			seq[n++] = s->areas[i].code;
			continue;
		}
		if (areas_seen_group(s, i))
			continue;
		if (areas_group_size(s, s->areas[i].group) > 1)
			seq[n++] = s->areas[i].group;
		for (j = i; j < s->nareas; j++) {
			if (strcmp(s->areas[j].group, s->areas[i].group) == 0)
				seq[n++] = s->areas[j].code;
		}
	}
	for (i = 0; i < n; i++) {
		if (strcmp(seq[i], cur) == 0)
			at = (long)i;
	}
	next = (at + (dir < 0 ? -1 : 1) + (long)n) % (long)n;
	snprintf(out, outsz, "%s", seq[next]);
	free(seq);
	return (0);
}

/*
 * Find what an officer typed: an area's code or a group's (any case);
 * else a name, accents ignored, equal to an area's name or short name,
 * then to a group's name ("cam pha" is Phường Cẩm Phả, not the former
 * city); else the one area whose name starts so at a word ("bai ch", "p
 * hong gai"), then the one group, then the one area formed from a unit
 * of that name ("ha khanh": Phường Cao Xanh). Writes the area's or
 * group's code into out. Returns 0, -1 when nothing matches, -2 when
 * several do at the first rank that has any.
 */
int
areas_find(struct store *s, const char *text, char *out, size_t outsz)
{
	const struct area	*a;
	char			*want, *f;
	size_t			 i;
	long			 found = -1;
	int			 rank, group = 0;

	for (i = 0; i < s->nareas; i++) {
		if (strcasecmp(s->areas[i].code, text) == 0) {
			snprintf(out, outsz, "%s", s->areas[i].code);
			return (0);
		}
	}
	for (i = 0; i < s->nareas; i++) {
		if (s->areas[i].group[0] != '\0' &&
		    strcasecmp(s->areas[i].group, text) == 0) {
			snprintf(out, outsz, "%s", s->areas[i].group);
			return (0);
		}
	}
	want = fold_text(text);
	if (*want == '\0') {
		free(want);
		return (-1);
	}
	for (rank = 0; rank < 5 && found == -1; rank++) {
		group = (rank == 1 || rank == 3);
		for (i = 0; i < s->nareas && found != -2; i++) {
			a = &s->areas[i];
			if (group && (a->group[0] == '\0' ||
			    areas_seen_group(s, i) || a->group_name == NULL))
				continue;
			switch (rank) {
			case 0:
				f = fold_text(a->name);
				if (strcmp(f, want) != 0 && a->short_name !=
				    NULL) {
					free(f);
					f = fold_text(a->short_name);
				}
				if (strcmp(f, want) == 0)
					found = found == -1 ? (long)i : -2;
				free(f);
				break;
			case 1:
				f = fold_text(a->group_name);
				if (strcmp(f, want) == 0)
					found = found == -1 ? (long)i : -2;
				free(f);
				break;
			case 2:
				if ((a->name != NULL && areas_match_list(
				    a->name, want, FOLD_START)) ||
				    (a->short_name != NULL && areas_match_list(
				    a->short_name, want, FOLD_START)))
					found = found == -1 ? (long)i : -2;
				break;
			case 3:
				if (areas_match_list(a->group_name, want,
				    FOLD_START))
					found = found == -1 ? (long)i : -2;
				break;
			case 4:
				if (a->former != NULL && areas_match_list(
				    a->former, want, FOLD_START))
					found = found == -1 ? (long)i : -2;
				break;
			}
		}
	}
	free(want);
	if (found < 0)
		return ((int)found);
	a = &s->areas[found];
	snprintf(out, outsz, "%s", group ? a->group : a->code);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Finished work: the archive's items the officer has paged through. */

#include "finished.h"

#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "xmalloc.h"

/*
 * The archive answers in the order items left the live state, a page at
 * a time; the console keeps every item of every page it was given, by
 * id (an item archived twice, after a reopen, keeps its last copy), so
 * the view can sort them and show their detail and history without
 * asking again. Pages are read only while the officer scrolls, so this
 * holds what one shift looked at: a few hundred items at most.
 */

void
finished_init(struct finished *f, int64_t shift_start)
{
	memset(f, 0, sizeof *f);
	f->shift_start = shift_start;
}

/* Free what it holds and start again (the shift start is kept). */
void
finished_clear(struct finished *f)
{
	int64_t	shift_start = f->shift_start;
	size_t	i;

	for (i = 0; i < f->nalerts; i++)
		alert_clear(&f->alerts[i]);
	for (i = 0; i < f->ncases; i++)
		feedback_clear(&f->cases[i]);
	free(f->alerts);
	free(f->cases);
	finished_init(f, shift_start);
}

struct alert *
finished_alert(struct finished *f, const char *id)
{
	size_t	i;

	for (i = 0; i < f->nalerts; i++) {
		if (strcmp(f->alerts[i].id, id) == 0)
			return (&f->alerts[i]);
	}
	return (NULL);
}

struct feedback *
finished_case(struct finished *f, const char *id)
{
	size_t	i;

	for (i = 0; i < f->ncases; i++) {
		if (strcmp(f->cases[i].id, id) == 0)
			return (&f->cases[i]);
	}
	return (NULL);
}

/*
 * Add an archived item (as it came: sanitised here). Returns 0, or -1
 * with *cause set (caller frees) when it is no alert or case or does not
 * decode; nothing is kept then.
 */
int
finished_add(struct finished *f, const char *kind, json_t *item,
    char **cause)
{
	const struct kind	*k = kind != NULL ? kind_find(kind) : NULL;
	union kind_item		 u;
	struct alert		*a;
	struct feedback		*c;

	if (k == NULL || (k->index != KIND_ALERT &&
	    k->index != KIND_FEEDBACK)) {
		*cause = xstrdup("not an alert or a feedback case");
		return (-1);
	}
	memset(&u, 0, sizeof u);
	if (k->decode(item, &u, 1, cause) != 0)
		return (-1);
	if (k->index == KIND_ALERT) {
		if ((a = finished_alert(f, u.alert.id)) != NULL)
			alert_clear(a);
		else {
			if (f->nalerts == f->alerts_cap) {
				f->alerts_cap = f->alerts_cap ?
				    f->alerts_cap * 2 : 16;
				f->alerts = xreallocarray(f->alerts,
				    f->alerts_cap, sizeof *f->alerts);
			}
			a = &f->alerts[f->nalerts++];
		}
		*a = u.alert;
	} else {
		if ((c = finished_case(f, u.feedback.id)) != NULL)
			feedback_clear(c);
		else {
			if (f->ncases == f->cases_cap) {
				f->cases_cap = f->cases_cap ?
				    f->cases_cap * 2 : 16;
				f->cases = xreallocarray(f->cases,
				    f->cases_cap, sizeof *f->cases);
			}
			c = &f->cases[f->ncases++];
		}
		*c = u.feedback;
	}
	f->gen++;
	return (0);
}

/* Whether an alert is finished work: resolved or closed. */
int
finished_alert_done(const struct alert *a)
{
	return (!alert_is_open(a));
}

/* Whether a case is: answered (to close), returned or closed. */
int
finished_case_done(const struct feedback *c)
{
	return (c->state == FB_ANSWERED || c->state == FB_CLOSED ||
	    c->state == FB_RETURNED);
}

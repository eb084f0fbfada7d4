/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A trainee scored against an officer, item by item. */

#include "score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "kind.h"
#include "model.h"
#include "xmalloc.h"

/*
 * Each side's changes are kept in order, with what the comparison needs
 * of each item (its state after the change, a unit's type, area and
 * alert, a case's department, a hospital's diversion). Changes are
 * grouped into actions as the engine makes them: one command's changes
 * come in a row, have its name, and change the item the command names
 * first (an alert, a case, a hospital, a unit; the engine's table says
 * which) once; a dispatch is the alert and its units. Their times may
 * differ by a millisecond or two, so times do not decide.
 *
 * The comparison (docs/replay.md):
 *
 * - Actions: an officer's action is matched by the trainee's first
 *   unmatched action of the same command on the same item, in order;
 *   matched actions have the difference of their times (positive: the
 *   trainee was slower). The officer's actions left are missed, the
 *   trainee's left are extra.
 * - Items: every item either of them acted on, with what each did:
 *   acknowledged (the first action that took an alert out of "new") and
 *   when, the units dispatched (their types and areas, compared as
 *   multisets), the disposition it was closed with, the department a case
 *   was assigned to and how it ended (reply, return, close_case), a
 *   hospital's diversion, a unit's status. An item only the officer
 *   handled is missed, one only the trainee handled is extra.
 */

struct score_change {
	enum kind_index	 kind;
	char		 id[MODEL_ID_MAX];
	char		 cmd[HISTORY_WHAT_MAX];
	int64_t		 ts;
	size_t		 group;		/* Its action, from 0. */
	int		 subject;	/* The item the command names. */
	int		 state;		/* Alert, case or unit state after. */
	int		 disposition;
	int		 unit_type;
	char		 area[MODEL_CODE_MAX];
	char		 ref[MODEL_ID_MAX];	/* A unit's alert. */
	char		 dept[MODEL_CODE_MAX];
	int		 diversion;
};

struct score_log {
	struct score_change	*v;
	size_t			 n, cap;
	size_t			 ngroups;
};

struct score {
	struct score_log	 log[SCORE_WHO_COUNT];
};

/* One action: a group of changes. */
struct score_action {
	const struct score_change *first;	/* Of the group. */
	const struct score_change *subj;	/* Its item's change. */
	size_t			 n;
	int			 matched;
	const struct score_action *other;	/* The matching one. */
};

/* What one side did to one item. */
struct score_facts {
	int		 acted;
	int64_t		 first_at;
	int64_t		 ack_at;	/* 0: not acknowledged. */
	int64_t		 dispatch_at;
	int64_t		 resolve_at;
	int64_t		 close_at;
	int		 disposition;	/* -1: not closed. */
	json_t		*units;		/* [{id, type, area}] */
	json_t		*cmds;		/* The commands, in order. */
	int64_t		 assign_at;
	char		 dept[MODEL_CODE_MAX];
	const char	*outcome;	/* reply, return, close_case. */
	int64_t		 outcome_at;
	int		 diversion;	/* -1: not set. */
	int64_t		 divert_at;
	int		 status;	/* A unit's; -1: not set. */
	int64_t		 status_at;
};

/*
 * The kind of the item command cmd names first (the engine's table), or
 * for one that names none (inject) the kind of its first change.
 */
static int
score_subject_kind(const char *cmd, enum kind_index first)
{
	const struct kind	*k = engine_cmd_kind(cmd);

	return (k != NULL ? (int)k->index : (int)first);
}

/*
 * An empty score. Caller frees with score_free().
 */
struct score *
score_new(void)
{
	return (xcalloc(1, sizeof (struct score)));
}

/*
 * Free a score. NULL is a no-op.
 */
void
score_free(struct score *sc)
{
	int	i;

	if (sc == NULL)
		return;
	for (i = 0; i < SCORE_WHO_COUNT; i++)
		free(sc->log[i].v);
	free(sc);
}

/*
 * Log one change who made: item (of kind k, borrowed) as it is after the
 * command cmd (NULL or "": a change nobody commanded, its own action) at
 * ts. Consecutive changes of one command at one time are one action.
 */
void
score_change(struct score *sc, enum score_who who, const struct kind *k,
    const void *item, const char *cmd, int64_t ts)
{
	struct score_log	*lg = &sc->log[who];
	struct score_change	*c, *last, *p, *first = NULL;
	const struct alert	*a;
	const struct unit	*u;
	const struct feedback	*f;
	const struct hospital	*h;
	int			 same = 0, want;
	size_t			 i;

	if (cmd == NULL)
		cmd = "";
	if (lg->n == lg->cap) {
		lg->cap = lg->cap == 0 ? 64 : lg->cap * 2;
		lg->v = xreallocarray(lg->v, lg->cap, sizeof *lg->v);
	}
	c = &lg->v[lg->n];
	memset(c, 0, sizeof *c);
	c->kind = k->index;
	snprintf(c->id, sizeof c->id, "%s", kind_id(k, item));
	snprintf(c->cmd, sizeof c->cmd, "%s", cmd);
	c->ts = ts;
	c->state = c->disposition = c->unit_type = c->diversion = -1;
	switch (k->index) {
	case KIND_ALERT:
		a = item;
		c->state = a->state;
		c->disposition = a->disposition;
		break;
	case KIND_UNIT:
		u = item;
		c->state = u->status;
		c->unit_type = u->type;
		snprintf(c->area, sizeof c->area, "%s", u->area);
		snprintf(c->ref, sizeof c->ref, "%s", u->alert);
		break;
	case KIND_FEEDBACK:
		f = item;
		c->state = f->state;
		snprintf(c->dept, sizeof c->dept, "%s", f->dept);
		break;
	case KIND_HOSPITAL:
		h = item;
		c->diversion = h->diversion;
		break;
	default:
		break;
	}

	/*
	 * The same action as the change before: the same command, and not
	 * a second change of an item, nor another change of the kind its
	 * first change is (each command starts with the same kind: two acks
	 * in a row are two actions; a dispatch is its alert and the units
	 * after it, whatever their times).
	 */
	if (lg->n > 0 && *cmd != '\0') {
		last = &lg->v[lg->n - 1];
		same = strcmp(last->cmd, cmd) == 0;
		for (i = lg->n; same && i > 0; i--) {
			p = &lg->v[i - 1];
			if (p->group != last->group)
				break;
			first = p;
			if (p->kind == c->kind && strcmp(p->id, c->id) == 0)
				same = 0;
		}
		if (same && first->kind == c->kind)
			same = 0;
	}
	if (same)
		c->group = lg->v[lg->n - 1].group;
	else {
		c->group = lg->ngroups++;
		first = c;
	}
	/* The command's item: the first change of the kind it names. */
	want = *cmd == '\0' ? (int)c->kind : score_subject_kind(cmd,
	    first->kind);
	c->subject = (int)c->kind == want;
	for (i = lg->n; c->subject && i > 0 &&
	    lg->v[i - 1].group == c->group; i--) {
		if (lg->v[i - 1].subject)
			c->subject = 0;
	}
	lg->n++;
}

/* Changes logged for who. */
size_t
score_changes(const struct score *sc, enum score_who who)
{
	return (sc->log[who].n);
}

/* Actions logged for who. */
size_t
score_actions(const struct score *sc, enum score_who who)
{
	return (sc->log[who].ngroups);
}

/*
 * Forget who's changes after the first n (a replay went back in time).
 */
void
score_truncate(struct score *sc, enum score_who who, size_t n)
{
	struct score_log	*lg = &sc->log[who];

	if (n >= lg->n)
		return;
	lg->n = n;
	lg->ngroups = n > 0 ? lg->v[n - 1].group + 1 : 0;
}

/* ==== The comparison ==== */

/* who's actions, in order. Caller frees. */
static struct score_action *
score_build_actions(const struct score_log *lg, size_t *n)
{
	struct score_action	*v;
	const struct score_change *c;
	size_t			 i;

	*n = lg->ngroups;
	v = xcalloc(*n > 0 ? *n : 1, sizeof *v);
	for (i = 0; i < lg->n; i++) {
		c = &lg->v[i];
		if (v[c->group].first == NULL)
			v[c->group].first = c;
		if (c->subject && v[c->group].subj == NULL)
			v[c->group].subj = c;
		v[c->group].n++;
	}
	for (i = 0; i < *n; i++) {
		if (v[i].subj == NULL)
			v[i].subj = v[i].first;
	}
	return (v);
}

static int
score_same_action(const struct score_action *a, const struct score_action *b)
{
	return (strcmp(a->first->cmd, b->first->cmd) == 0 &&
	    a->subj->kind == b->subj->kind &&
	    strcmp(a->subj->id, b->subj->id) == 0);
}

static json_t *
score_secs(int64_t ms)
{
	return (json_real((double)ms / 1000.0));
}

static json_t *
score_at(int64_t ms)
{
	return (ms != 0 ? json_integer(ms) : json_null());
}

static void
score_facts_init(struct score_facts *f)
{
	memset(f, 0, sizeof *f);
	f->disposition = -1;
	f->diversion = -1;
	f->status = -1;
	f->units = json_array();
	f->cmds = json_array();
}

static void
score_facts_clear(struct score_facts *f)
{
	json_decref(f->units);
	json_decref(f->cmds);
}

/* Add what action a (one side's) did to its item into f. */
static void
score_facts_add(struct score_facts *f, const struct score_action *a)
{
	const struct score_change	*s = a->subj, *c;
	const char			*cmd = a->first->cmd;
	size_t				 i;

	if (!f->acted || s->ts < f->first_at)
		f->first_at = s->ts;
	f->acted = 1;
	json_array_append_new(f->cmds, json_string(cmd));
	switch (s->kind) {
	case KIND_ALERT:
		if (f->ack_at == 0 && s->state != ALERT_NEW)
			f->ack_at = s->ts;
		if (strcmp(cmd, "dispatch") == 0) {
			if (f->dispatch_at == 0)
				f->dispatch_at = s->ts;
			for (i = 0; i < a->n; i++) {
				c = a->first + i;
				if (c->kind != KIND_UNIT ||
				    strcmp(c->ref, s->id) != 0)
					continue;
				json_array_append_new(f->units, json_pack(
				    "{s:s s:s s:s}", "id", c->id, "type",
				    unit_type_names[c->unit_type], "area",
				    c->area));
			}
		} else if (strcmp(cmd, "resolve") == 0 && f->resolve_at == 0)
			f->resolve_at = s->ts;
		else if (strcmp(cmd, "close") == 0) {
			f->close_at = s->ts;
			f->disposition = s->disposition;
		}
		break;
	case KIND_FEEDBACK:
		if (strcmp(cmd, "assign") == 0) {
			if (f->assign_at == 0)
				f->assign_at = s->ts;
			snprintf(f->dept, sizeof f->dept, "%s", s->dept);
		} else if (strcmp(cmd, "reply") == 0 ||
		    strcmp(cmd, "return") == 0 ||
		    strcmp(cmd, "close_case") == 0) {
			f->outcome = strcmp(cmd, "reply") == 0 ? "reply" :
			    strcmp(cmd, "return") == 0 ? "return" :
			    "close_case";
			f->outcome_at = s->ts;
		}
		break;
	case KIND_HOSPITAL:
		if (strcmp(cmd, "divert") == 0) {
			f->diversion = s->diversion;
			f->divert_at = s->ts;
		}
		break;
	case KIND_UNIT:
		f->status = s->state;
		f->status_at = s->ts;
		break;
	default:
		break;
	}
}

static int
score_str_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* Do two arrays of units hold the same member values, as multisets? */
static int
score_same_multiset(json_t *a, json_t *b, const char *member)
{
	const char	**x, **y;
	size_t		 n = json_array_size(a), i;
	int		 same = 1;

	if (n != json_array_size(b))
		return (0);
	if (n == 0)
		return (1);
	x = xcalloc(n, sizeof *x);
	y = xcalloc(n, sizeof *y);
	for (i = 0; i < n; i++) {
		x[i] = json_string_value(json_object_get(json_array_get(a, i),
		    member));
		y[i] = json_string_value(json_object_get(json_array_get(b, i),
		    member));
	}
	qsort(x, n, sizeof *x, score_str_cmp);
	qsort(y, n, sizeof *y, score_str_cmp);
	for (i = 0; i < n && same; i++)
		same = strcmp(x[i], y[i]) == 0;
	free(x);
	free(y);
	return (same);
}

static json_t *
score_facts_json(const struct score_facts *f, enum kind_index kind)
{
	json_t	*o;

	if (!f->acted)
		return (json_null());
	o = json_pack("{s:I s:O}", "first_at", (json_int_t)f->first_at,
	    "commands", f->cmds);
	switch (kind) {
	case KIND_ALERT:
		json_object_set_new(o, "ack_at", score_at(f->ack_at));
		json_object_set_new(o, "dispatch_at",
		    score_at(f->dispatch_at));
		json_object_set(o, "units", f->units);
		json_object_set_new(o, "resolve_at", score_at(f->resolve_at));
		json_object_set_new(o, "close_at", score_at(f->close_at));
		json_object_set_new(o, "disposition", f->disposition >= 0 ?
		    json_string(disposition_names[f->disposition]) :
		    json_null());
		break;
	case KIND_FEEDBACK:
		json_object_set_new(o, "assign_at", score_at(f->assign_at));
		json_object_set_new(o, "dept", f->dept[0] != '\0' ?
		    json_string(f->dept) : json_null());
		json_object_set_new(o, "outcome", f->outcome != NULL ?
		    json_string(f->outcome) : json_null());
		json_object_set_new(o, "outcome_at", score_at(f->outcome_at));
		break;
	case KIND_HOSPITAL:
		json_object_set_new(o, "diversion", f->diversion >= 0 ?
		    json_boolean(f->diversion) : json_null());
		json_object_set_new(o, "divert_at", score_at(f->divert_at));
		break;
	case KIND_UNIT:
		json_object_set_new(o, "status", f->status >= 0 ?
		    json_string(unit_status_names[f->status]) : json_null());
		json_object_set_new(o, "status_at", score_at(f->status_at));
		break;
	default:
		break;
	}
	return (o);
}

/* Set name to whether both did it alike, or null when not both did. */
static void
score_same(json_t *item, const char *name, int both, int same, int *diff)
{
	json_object_set_new(item, name, both ? json_boolean(same) :
	    json_null());
	if (both && !same)
		(*diff)++;
}

/* Set name to b - a in seconds when both happened, else null. */
static void
score_delta(json_t *item, const char *name, int64_t a, int64_t b,
    double *sum, int *n)
{
	if (a == 0 || b == 0) {
		json_object_set_new(item, name, json_null());
		return;
	}
	json_object_set_new(item, name, score_secs(b - a));
	*sum += (double)(b - a) / 1000.0;
	(*n)++;
}

/* The item of an action, once: its index in keys (kind:id). */
static size_t
score_item_index(json_t *keys, const struct score_change *s)
{
	char	key[MODEL_ID_MAX + 16];
	json_t	*v;
	size_t	 n;

	snprintf(key, sizeof key, "%d:%s", (int)s->kind, s->id);
	if ((v = json_object_get(keys, key)) != NULL)
		return ((size_t)json_integer_value(v));
	n = json_object_size(keys);
	json_object_set_new(keys, key, json_integer((json_int_t)n));
	return (n);
}

/*
 * The comparison (see the top of the file) as a JSON object: "summary"
 * (counts of actions and items, matched, missed, extra, the agreement in
 * percent, mean differences in time), "actions" (each with both times
 * and "match": matched, missed or extra) and "items" (each with what
 * each side did, "verdict": both, missed or extra, and whether they did
 * it alike). Times are ms since the epoch, differences seconds (positive:
 * the trainee later). Returns a new reference.
 */
json_t *
score_json(const struct score *sc)
{
	struct score_action	*off, *tr, *a;
	struct score_facts	*facts[SCORE_WHO_COUNT], *fo, *ft;
	const struct score_change *s;
	json_t			*out, *actions, *items, *keys, *item, *summary;
	size_t			 noff, ntr, i, j, nitems;
	size_t			 matched = 0, missed = 0, extra = 0;
	size_t			 iboth = 0, imissed = 0, iextra = 0, idiff = 0;
	double			 ack_sum = 0, disp_sum = 0;
	int			 ack_n = 0, disp_n = 0, diff, w;
	enum kind_index		*kinds;
	const char		**ids;

	off = score_build_actions(&sc->log[SCORE_OFFICER], &noff);
	tr = score_build_actions(&sc->log[SCORE_TRAINEE], &ntr);

	/* Actions: each officer's action with the trainee's first alike. */
	actions = json_array();
	for (i = 0; i < noff; i++) {
		for (j = 0; j < ntr; j++) {
			if (!tr[j].matched && score_same_action(&off[i],
			    &tr[j])) {
				tr[j].matched = off[i].matched = 1;
				off[i].other = &tr[j];
				tr[j].other = &off[i];
				break;
			}
		}
		a = &off[i];
		if (a->matched)
			matched++;
		else
			missed++;
		json_array_append_new(actions, json_pack("{s:s s:s s:s s:I "
		    "s:o s:o s:s}", "cmd", a->first->cmd, "kind",
		    kind_table[a->subj->kind].name, "id", a->subj->id,
		    "officer_at", (json_int_t)a->subj->ts, "trainee_at",
		    a->matched ? json_integer(a->other->subj->ts) :
		    json_null(), "delta_s", a->matched ?
		    score_secs(a->other->subj->ts - a->subj->ts) :
		    json_null(), "match", a->matched ? "matched" : "missed"));
	}
	for (j = 0; j < ntr; j++) {
		a = &tr[j];
		if (a->matched)
			continue;
		extra++;
		json_array_append_new(actions, json_pack("{s:s s:s s:s s:n "
		    "s:I s:n s:s}", "cmd", a->first->cmd, "kind",
		    kind_table[a->subj->kind].name, "id", a->subj->id,
		    "officer_at", "trainee_at", (json_int_t)a->subj->ts,
		    "delta_s", "match", "extra"));
	}

	/* Items: the officer's in order of action, then the trainee's. */
	keys = json_object();
	for (i = 0; i < noff; i++)
		score_item_index(keys, off[i].subj);
	for (j = 0; j < ntr; j++)
		score_item_index(keys, tr[j].subj);
	nitems = json_object_size(keys);
	kinds = xcalloc(nitems > 0 ? nitems : 1, sizeof *kinds);
	ids = xcalloc(nitems > 0 ? nitems : 1, sizeof *ids);
	for (w = 0; w < SCORE_WHO_COUNT; w++) {
		facts[w] = xcalloc(nitems > 0 ? nitems : 1, sizeof **facts);
		for (i = 0; i < nitems; i++)
			score_facts_init(&facts[w][i]);
	}
	for (i = 0; i < noff + ntr; i++) {
		w = i < noff ? SCORE_OFFICER : SCORE_TRAINEE;
		a = i < noff ? &off[i] : &tr[i - noff];
		s = a->subj;
		j = score_item_index(keys, s);
		kinds[j] = s->kind;
		ids[j] = s->id;
		score_facts_add(&facts[w][j], a);
	}
	items = json_array();
	for (i = 0; i < nitems; i++) {
		fo = &facts[SCORE_OFFICER][i];
		ft = &facts[SCORE_TRAINEE][i];
		diff = 0;
		item = json_pack("{s:s s:s s:s s:o s:o}", "kind",
		    kind_table[kinds[i]].name, "id", ids[i], "verdict",
		    fo->acted && ft->acted ? "both" : fo->acted ? "missed" :
		    "extra", "officer", score_facts_json(fo, kinds[i]),
		    "trainee", score_facts_json(ft, kinds[i]));
		if (fo->acted && ft->acted)
			iboth++;
		else if (fo->acted)
			imissed++;
		else
			iextra++;
		switch (kinds[i]) {
		case KIND_ALERT:
			score_delta(item, "ack_delta_s", fo->ack_at, ft->ack_at,
			    &ack_sum, &ack_n);
			score_delta(item, "dispatch_delta_s", fo->dispatch_at,
			    ft->dispatch_at, &disp_sum, &disp_n);
			score_same(item, "same_unit_types", fo->dispatch_at &&
			    ft->dispatch_at, score_same_multiset(fo->units,
			    ft->units, "type"), &diff);
			score_same(item, "same_areas", fo->dispatch_at &&
			    ft->dispatch_at, score_same_multiset(fo->units,
			    ft->units, "area"), &diff);
			score_same(item, "same_disposition",
			    fo->disposition >= 0 && ft->disposition >= 0,
			    fo->disposition == ft->disposition, &diff);
			break;
		case KIND_FEEDBACK:
			score_same(item, "same_dept", fo->assign_at &&
			    ft->assign_at, strcmp(fo->dept, ft->dept) == 0,
			    &diff);
			score_same(item, "same_outcome", fo->outcome != NULL &&
			    ft->outcome != NULL, fo->outcome != NULL &&
			    ft->outcome != NULL && strcmp(fo->outcome,
			    ft->outcome) == 0, &diff);
			break;
		case KIND_HOSPITAL:
			score_same(item, "same_diversion", fo->diversion >= 0 &&
			    ft->diversion >= 0, fo->diversion == ft->diversion,
			    &diff);
			break;
		case KIND_UNIT:
			score_same(item, "same_status", fo->status >= 0 &&
			    ft->status >= 0, fo->status == ft->status, &diff);
			break;
		default:
			break;
		}
		if (diff > 0)
			idiff++;
		json_array_append_new(items, item);
	}

	summary = json_pack("{s:I s:I s:I s:I s:I s:I s:I s:I s:I s:I}",
	    "officer_actions", (json_int_t)noff, "trainee_actions",
	    (json_int_t)ntr, "matched", (json_int_t)matched, "missed",
	    (json_int_t)missed, "extra", (json_int_t)extra, "items",
	    (json_int_t)nitems, "items_both", (json_int_t)iboth,
	    "items_missed", (json_int_t)imissed, "items_extra",
	    (json_int_t)iextra, "items_different", (json_int_t)idiff);
	json_object_set_new(summary, "agreement_percent", noff > 0 ?
	    json_real((double)matched * 100.0 / (double)noff) :
	    json_null());
	json_object_set_new(summary, "ack_delta_s_mean", ack_n > 0 ?
	    json_real(ack_sum / ack_n) : json_null());
	json_object_set_new(summary, "dispatch_delta_s_mean", disp_n > 0 ?
	    json_real(disp_sum / disp_n) : json_null());
	out = json_pack("{s:o s:o s:o}", "summary", summary, "actions",
	    actions, "items", items);

	for (w = 0; w < SCORE_WHO_COUNT; w++) {
		for (i = 0; i < nitems; i++)
			score_facts_clear(&facts[w][i]);
		free(facts[w]);
	}
	free(kinds);
	free(ids);
	json_decref(keys);
	free(off);
	free(tr);
	return (out);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Completion from the command table and the live state. */

#include "complete.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "areas.h"
#include "clock.h"
#include "cmd.h"
#include "fold.h"
#include "model.h"
#include "panel.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Word 0 completes from cmd_table. Word N is bound to an argument spec of
 * the command as cmd_bind() would bind it; after the first word of a MANY
 * arg the next spec is offered too (first, unless it is optional), so
 * "status AMB-1 " offers the status words and then more units, and
 * "assign PA-1 " the departments and then more cases. The spec's kind
 * picks the completer from complete_table.
 *
 * A candidate matches when its id or code starts with the typed text (any
 * case), or when its name, folded (no accents, lower case, no spaces),
 * has a word from which it starts with the folded text: "halong" finds
 * the units and the area of Hạ Long. Candidates are ranked by keys the
 * completer gives, then by name; the words already typed are not offered
 * again.
 */

struct complete_cand {
	char		*s;
	int		 group;		/* Which spec: 0 first. */
	int64_t		 k1, k2;
};

struct complete_list {
	struct complete_cand	*v;
	size_t			 n, cap;
	int			 group;
};

static void	complete_command(struct complete_ctx *,
		    struct complete_list *);
static void	complete_alert(struct complete_ctx *, struct complete_list *);
static void	complete_case(struct complete_ctx *, struct complete_list *);
static void	complete_item(struct complete_ctx *, struct complete_list *);
static void	complete_unit(struct complete_ctx *, struct complete_list *);
static void	complete_hospital(struct complete_ctx *,
		    struct complete_list *);
static void	complete_dept(struct complete_ctx *, struct complete_list *);
static void	complete_area(struct complete_ctx *, struct complete_list *);
static void	complete_status(struct complete_ctx *,
		    struct complete_list *);
static void	complete_disposition(struct complete_ctx *,
		    struct complete_list *);
static void	complete_words(struct complete_ctx *, struct complete_list *);
static void	complete_panel(struct complete_ctx *, struct complete_list *);

const struct complete_entry complete_table[] = {
	{ "alert", complete_alert },
	{ "area", complete_area },
	{ "case", complete_case },
	{ "command", complete_command },
	{ "dept", complete_dept },
	{ "disposition", complete_disposition },
	{ "filter", complete_area },
	{ "hospital", complete_hospital },
	{ "item", complete_item },
	{ "lang", complete_words },
	{ "minutes", complete_words },
	{ "onoff", complete_words },
	{ "panel", complete_panel },
	{ "status", complete_status },
	{ "unit", complete_unit },
	{ NULL, NULL }
};

static void
complete_add(struct complete_list *l, const char *s, int64_t k1, int64_t k2)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].s = xstrdup(s);
	l->v[l->n].group = l->group;
	l->v[l->n].k1 = k1;
	l->v[l->n].k2 = k2;
	l->n++;
}

static int
complete_cmp(const void *a0, const void *b0)
{
	const struct complete_cand	*a = a0, *b = b0;

	if (a->group != b->group)
		return (a->group < b->group ? -1 : 1);
	if (a->k1 != b->k1)
		return (a->k1 < b->k1 ? -1 : 1);
	if (a->k2 != b->k2)
		return (a->k2 < b->k2 ? -1 : 1);
	return (strcmp(a->s, b->s));
}

/* Fold s and drop the spaces, noting where each word starts. */
static char *
complete_fold(const char *s, size_t **starts, size_t *nstarts)
{
	char	*f = fold_text(s), *p, *q;
	int	 word = 1;

	if (starts != NULL) {
		*starts = xcalloc(strlen(f) + 1, sizeof **starts);
		*nstarts = 0;
	}
	for (p = q = f; *p != '\0'; p++) {
		if (*p == ' ') {
			word = 1;
			continue;
		}
		if (word && starts != NULL)
			(*starts)[(*nstarts)++] = (size_t)(q - f);
		word = 0;
		*q++ = *p;
	}
	*q = '\0';
	return (f);
}

/*
 * 1 if name, folded and without spaces, starts with the folded text at
 * one of its words: "Cứu hộ Hạ Long" matches "halong", "cuu" and "long".
 */
int
complete_name_match(const char *name, const char *text)
{
	char	*f, *t;
	size_t	*starts, n, i, tl;
	int	 rv = 0;

	if (name == NULL)
		return (0);
	t = complete_fold(text, NULL, NULL);
	if ((tl = strlen(t)) == 0) {
		free(t);
		return (1);
	}
	f = complete_fold(name, &starts, &n);
	for (i = 0; i < n && !rv; i++)
		rv = strncmp(f + starts[i], t, tl) == 0;
	free(starts);
	free(f);
	free(t);
	return (rv);
}

static int
complete_typed(struct complete_ctx *cc, const char *s)
{
	int	i;

	for (i = 1; i < cc->nwords; i++) {
		if (strcasecmp(cc->words[i], s) == 0)
			return (1);
	}
	return (0);
}

/* The id starts with text, or (text of 2 or more) a name matches. */
static int
complete_match(struct complete_ctx *cc, const char *id, const char *name1,
    const char *name2)
{
	size_t	len = strlen(cc->text);

	if (strncasecmp(id, cc->text, len) == 0)
		return (1);
	if (len < 2)
		return (0);
	return (complete_name_match(name1, cc->text) ||
	    complete_name_match(name2, cc->text));
}

/* The action after the '.', or "". */
static const char *
complete_action(struct complete_ctx *cc)
{
	const char	*dot = strchr(cc->kind, '.');

	return (dot != NULL ? dot + 1 : "");
}

static void
complete_command(struct complete_ctx *cc, struct complete_list *l)
{
	const struct cmd_entry	*const *cep;
	size_t			 len = strlen(cc->text);

	for (cep = cmd_table; *cep != NULL; cep++) {
		if (strncmp((*cep)->name, cc->text, len) == 0)
			complete_add(l, (*cep)->name, 0, 0);
	}
}

static int
complete_alert_ok(const struct alert *a, const char *act)
{
	if (strcmp(act, "ack") == 0)
		return (alert_can(a->state, ALERT_DO_ACK));
	if (strcmp(act, "dispatch") == 0)
		return (alert_can(a->state, ALERT_DO_DISPATCH));
	if (strcmp(act, "resolve") == 0)
		return (alert_can(a->state, ALERT_DO_RESOLVE));
	if (strcmp(act, "close") == 0)
		return (alert_can(a->state, ALERT_DO_CLOSE));
	if (strcmp(act, "reopen") == 0)
		return (alert_can(a->state, ALERT_DO_REOPEN));
	if (strcmp(act, "escalate") == 0)
		return (alert_can(a->state, ALERT_DO_ESCALATE) &&
		    a->escalation < ALERT_MAX_ESCALATION);
	if (strcmp(act, "note") == 0)
		return (alert_can(a->state, ALERT_DO_NOTE));
	if (strcmp(act, "mute") == 0)
		return (alert_can(a->state, ALERT_DO_MUTE));
	if (strcmp(act, "open") == 0)
		return (alert_is_open(a));
	return (1);
}

/* Overdue first (the most overdue first), then newest first. */
static void
complete_alert_add(struct complete_ctx *cc, struct complete_list *l,
    const struct alert *a)
{
	int	overdue;

	overdue = alert_is_open(a) && a->deadline != 0 &&
	    a->deadline < cc->now;
	complete_add(l, a->id, overdue ? 0 : 1, overdue ? a->deadline :
	    -a->created);
}

static void
complete_alert(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	const char	*act = complete_action(cc);
	size_t		 i;

	for (i = 0; i < s->nalerts; i++) {
		struct alert	*a = &s->alerts[i];

		if (complete_alert_ok(a, act) && !complete_typed(cc, a->id) &&
		    complete_match(cc, a->id, a->place, a->title))
			complete_alert_add(cc, l, a);
	}
}

static int
complete_case_ok(const struct feedback *f, const char *act)
{
	if (strcmp(act, "assign") == 0)
		return (feedback_can(f->state, FB_DO_ASSIGN));
	if (strcmp(act, "reply") == 0)
		return (feedback_can(f->state, FB_DO_REPLY));
	if (strcmp(act, "return") == 0)
		return (feedback_can(f->state, FB_DO_RETURN));
	if (strcmp(act, "close") == 0)
		return (feedback_can(f->state, FB_DO_CLOSE));
	if (strcmp(act, "open") == 0)
		return (feedback_is_open(f));
	return (1);
}

static void
complete_case(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	const char	*act = complete_action(cc);
	size_t		 i;
	int		 overdue;

	for (i = 0; i < s->nfeedback; i++) {
		struct feedback	*f = &s->feedback[i];
		struct area	*ar = store_area(s, f->area);

		if (!complete_case_ok(f, act) || complete_typed(cc, f->id) ||
		    !complete_match(cc, f->id, ar != NULL ? ar->name : NULL,
		    f->category))
			continue;
		overdue = feedback_is_open(f) && f->deadline != 0 &&
		    f->deadline < cc->now;
		complete_add(l, f->id, overdue ? 0 : 1, overdue ?
		    f->deadline : -f->received);
	}
}

static void
complete_item(struct complete_ctx *cc, struct complete_list *l)
{
	complete_alert(cc, l);
	complete_case(cc, l);
}

/* The area of the first alert among the words typed, or NULL. */
static const char *
complete_context_area(struct complete_ctx *cc)
{
	struct alert	*a;
	int		 i;

	for (i = 1; i < cc->nwords; i++) {
		if ((a = store_alert(cc->store, cc->words[i])) != NULL)
			return (a->area);
	}
	return (NULL);
}

/* Available first, then the alert's own area, then by id. */
static void
complete_unit(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	const char	*area = complete_context_area(cc);
	int		 avail_only;
	size_t		 i;

	avail_only = strcmp(complete_action(cc), "available") == 0;
	for (i = 0; i < s->nunits; i++) {
		struct unit	*u = &s->units[i];
		struct area	*ar = store_area(s, u->area);

		if (avail_only && u->status != UNIT_AVAILABLE)
			continue;
		if (complete_typed(cc, u->id) || !complete_match(cc, u->id,
		    u->name, ar != NULL ? ar->name : NULL))
			continue;
		complete_add(l, u->id, u->status == UNIT_AVAILABLE ? 0 : 1,
		    area != NULL && strcmp(u->area, area) == 0 ? 0 : 1);
	}
}

static void
complete_hospital(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	size_t		 i;

	for (i = 0; i < s->nhospitals; i++) {
		struct hospital	*h = &s->hospitals[i];

		if (complete_match(cc, h->id, h->name, NULL))
			complete_add(l, h->id, 0, 0);
	}
}

static void
complete_dept(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	size_t		 i;

	for (i = 0; i < s->ndepts; i++) {
		if (complete_match(cc, s->depts[i].code, s->depts[i].name,
		    NULL))
			complete_add(l, s->depts[i].code, 0, 0);
	}
}

/* Areas by code or by name (areas_match()), offered as areas_word(). */
static void
complete_area(struct complete_ctx *cc, struct complete_list *l)
{
	struct store	*s = cc->store;
	char		*f = fold_text(cc->text), *w;
	size_t		 i;

	for (i = 0; i < s->nareas; i++) {
		if (strncasecmp(s->areas[i].code, cc->text,
		    strlen(cc->text)) != 0 && (strlen(cc->text) < 2 ||
		    !areas_match(&s->areas[i], f, FOLD_START)))
			continue;
		w = areas_word(s, &s->areas[i]);
		complete_add(l, w, 0, 0);
		free(w);
	}
	free(f);
}

static void
complete_names(struct complete_ctx *cc, struct complete_list *l,
    const char *const *names, int n)
{
	size_t	len = strlen(cc->text);
	int	i;

	for (i = 0; i < n; i++) {
		if (names[i] != NULL && strncasecmp(names[i], cc->text,
		    len) == 0)
			complete_add(l, names[i], i, 0);
	}
}

static void
complete_status(struct complete_ctx *cc, struct complete_list *l)
{
	static const char *const names[] = { "on_scene", "en_route",
	    "returning", "available", "out_of_service" };

	complete_names(cc, l, names, sizeof names / sizeof names[0]);
}

static void
complete_disposition(struct complete_ctx *cc, struct complete_list *l)
{
	complete_names(cc, l, disposition_names + 1, DISPOSITION_COUNT - 1);
}

static void
complete_words(struct complete_ctx *cc, struct complete_list *l)
{
	static const char *const lang[] = { "vi", "en" };
	static const char *const onoff[] = { "on", "off" };
	static const char *const minutes[] = { "15", "30", "60", "120",
	    "240" };

	if (strcmp(cc->kind, "lang") == 0)
		complete_names(cc, l, lang, 2);
	else if (strcmp(cc->kind, "onoff") == 0)
		complete_names(cc, l, onoff, 2);
	else if (strcmp(cc->kind, "minutes") == 0)
		complete_names(cc, l, minutes, 5);
}

static void
complete_panel(struct complete_ctx *cc, struct complete_list *l)
{
	const struct panel_class	*const *pcp;
	size_t				 len = strlen(cc->text);
	int				 i = 0;

	for (pcp = panel_classes; *pcp != NULL; pcp++, i++) {
		if (strncasecmp((*pcp)->name, cc->text, len) == 0)
			complete_add(l, (*pcp)->name, i, 0);
	}
}

static void
complete_kind(struct complete_ctx *cc, struct complete_list *l)
{
	const struct complete_entry	*ce;
	size_t				 len;

	len = strcspn(cc->kind, ".");
	for (ce = complete_table; ce->kind != NULL; ce++) {
		if (strlen(ce->kind) != len ||
		    strncmp(ce->kind, cc->kind, len) != 0)
			continue;
		if (cc->store != NULL || strcmp(ce->kind, "command") == 0 ||
		    ce->fn == complete_words || ce->fn == complete_status ||
		    ce->fn == complete_disposition || ce->fn == complete_panel)
			ce->fn(cc, l);
		return;
	}
}

/*
 * The specs word k (0 = the first argument) may be bound to, best first;
 * returns how many (0-2).
 */
static int
complete_specs(const struct cmd_entry *ce, int k, const struct cmd_arg **out)
{
	const struct cmd_arg	*a, *next;
	int			 i, pos = 0, max;

	for (i = 0; i < CMD_MAX_SPEC && ce->args[i].name != NULL; i++) {
		a = &ce->args[i];
		if (a->flags & CMD_ARG_REST)
			return (k >= pos && strcmp(a->kind, "text") != 0 ?
			    (out[0] = a, 1) : 0);
		if (!(a->flags & CMD_ARG_MANY)) {
			if (k == pos) {
				out[0] = a;
				return (1);
			}
			pos++;
			continue;
		}
		if (k == pos) {
			out[0] = a;
			return (1);
		}
		if (k < pos)
			return (0);
		next = i + 1 < CMD_MAX_SPEC && ce->args[i + 1].name != NULL ?
		    &ce->args[i + 1] : NULL;
		max = a->max > 0 ? a->max : 32;
		if (next == NULL) {
			if (k - pos >= max)
				return (0);
			out[0] = a;
			return (1);
		}
		if (k - pos >= max) {
			out[0] = next;
			return (1);
		}
		if (next->flags & CMD_ARG_OPT) {
			out[0] = a;
			out[1] = next;
		} else {
			out[0] = next;
			out[1] = a;
		}
		return (2);
	}
	return (0);
}

/*
 * Completions for text, the word that starts at byte start of line (see
 * the comment at the top). Returns a NULL-terminated array, best first
 * (NULL when nothing matches), and sets *n; free it with complete_free().
 */
char **
complete_line(struct store *s, const char *line, size_t start,
    const char *text, size_t *n)
{
	const struct cmd_entry	*ce;
	const struct cmd_arg	*specs[2];
	struct complete_list	 l;
	struct complete_ctx	 cc;
	struct cmd_args		 args;
	char			*head, **out = NULL;
	size_t			 i, j;
	int			 k, nspec;

	*n = 0;
	memset(&l, 0, sizeof l);
	head = xstrndup(line, start);
	if (cmd_tokenize(head, &args, NULL) != 0) {
		free(head);
		return (NULL);
	}
	free(head);
	memset(&cc, 0, sizeof cc);
	cc.store = s;
	cc.text = text;
	cc.words = args.argv;
	cc.nwords = args.argc;
	cc.now = clock_now();
	if (args.argc == 0) {
		cc.kind = "command";
		complete_kind(&cc, &l);
	} else if ((ce = cmd_find(args.argv[0], NULL)) != NULL) {
		k = args.argc - 1;
		nspec = complete_specs(ce, k, specs);
		for (i = 0; i < (size_t)nspec; i++) {
			l.group = (int)i;
			cc.kind = specs[i]->kind;
			complete_kind(&cc, &l);
		}
	}
	cmd_args_free(&args);
	if (l.n > 0) {
		qsort(l.v, l.n, sizeof *l.v, complete_cmp);
		out = xcalloc(l.n + 1, sizeof *out);
		for (i = 0; i < l.n; i++) {
			for (j = 0; j < *n; j++) {
				if (strcmp(out[j], l.v[i].s) == 0)
					break;
			}
			if (j < *n)
				free(l.v[i].s);
			else
				out[(*n)++] = l.v[i].s;
		}
	}
	free(l.v);
	return (out);
}

/*
 * Free what complete_line() returned; NULL is fine.
 */
void
complete_free(char **v)
{
	xfreev(v);
}

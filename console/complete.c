/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Completion from the command table and the live state. */

#include "complete.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "areas.h"
#include "buf.h"
#include "clock.h"
#include "cmd.h"
#include "fold.h"
#include "i18n.h"
#include "model.h"
#include "panel.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * Word 0 completes from cmd_table. Word N is bound to an argument spec of
 * the command as cmd_bind() would bind it; after the first word of a MANY
 * arg the next spec is offered too (first, unless it is optional), so
 * "status AMB-1 " offers the status words and then more units, and
 * "assign PA-1 " the departments and then more cases. The spec's kind
 * picks the completer from complete_table. Flags come first: the word
 * after "-T" completes the flag's kind. A command line as an argument
 * ("bind x ack ", "confirm close ") completes as a line of its own.
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
static void	complete_filter(struct complete_ctx *, struct complete_list *);
static void	complete_sort(struct complete_ctx *, struct complete_list *);
static void	complete_theme(struct complete_ctx *, struct complete_list *);
static void	complete_keytable(struct complete_ctx *,
		    struct complete_list *);

/*
 * Why candidates were left out of the last completion ("FIR-QY-01: out
 * of service"): a unit that matches what was typed but cannot be
 * dispatched is not offered, and the officer is told why.
 */
static struct buf	complete_why_text = BUF_INIT;
static int		complete_why_n;
#define COMPLETE_WHY_MAX	3	/* Named; the others counted. */

/* The same words as the unit board's status column. */
static const char *const complete_unit_status[UNIT_STATUS_COUNT] = {
	N_("available"), N_("dispatched"), N_("en route"), N_("on scene"),
	N_("returning"), N_("out of service")
};

const struct complete_entry complete_table[] = {
	{ "alert", complete_alert, 1 },
	{ "area", complete_area, 1 },
	{ "case", complete_case, 1 },
	{ "command", complete_command, 0 },
	{ "dept", complete_dept, 1 },
	{ "disposition", complete_disposition, 0 },
	{ "filter", complete_filter, 0 },
	{ "hospital", complete_hospital, 1 },
	{ "inject", complete_words, 0 },
	{ "item", complete_item, 1 },
	{ "keytable", complete_keytable, 0 },
	{ "lang", complete_words, 0 },
	{ "layout", complete_words, 0 },
	{ "minutes", complete_words, 0 },
	{ "move", complete_words, 0 },
	{ "onoff", complete_words, 0 },
	{ "panel", complete_panel, 0 },
	{ "replay", complete_words, 0 },
	{ "sort", complete_sort, 0 },
	{ "status", complete_status, 0 },
	{ "theme", complete_theme, 0 },
	{ "unit", complete_unit, 1 },
	{ NULL, NULL, 0 }
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

/* An action's name in a kind ("alert.ack") and the state machine's. */
struct complete_action_name {
	const char	*name;
	int		 action;
};

static const struct complete_action_name complete_alert_actions[] = {
	{ "ack", ALERT_DO_ACK }, { "dispatch", ALERT_DO_DISPATCH },
	{ "resolve", ALERT_DO_RESOLVE }, { "close", ALERT_DO_CLOSE },
	{ "reopen", ALERT_DO_REOPEN }, { "escalate", ALERT_DO_ESCALATE },
	{ "note", ALERT_DO_NOTE }, { "mute", ALERT_DO_MUTE },
	{ NULL, -1 }
};

static const struct complete_action_name complete_case_actions[] = {
	{ "assign", FB_DO_ASSIGN }, { "reply", FB_DO_REPLY },
	{ "return", FB_DO_RETURN }, { "close", FB_DO_CLOSE },
	{ NULL, -1 }
};

/* The action called act, or -1 (any state will do). */
static int
complete_action_of(const struct complete_action_name *names, const char *act)
{
	for (; names->name != NULL; names++) {
		if (strcmp(names->name, act) == 0)
			return (names->action);
	}
	return (-1);
}

static int
complete_alert_ok(const struct alert *a, const char *act)
{
	int	action = complete_action_of(complete_alert_actions, act);

	if (strcmp(act, "open") == 0)
		return (alert_is_open(a));
	if (action == ALERT_DO_ESCALATE &&
	    a->escalation >= ALERT_MAX_ESCALATION)
		return (0);
	return (action == -1 || alert_can(a->state, action));
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
	int	action = complete_action_of(complete_case_actions, act);

	if (strcmp(act, "open") == 0)
		return (feedback_is_open(f));
	return (action == -1 || feedback_can(f->state, action));
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

/* Note why unit u is not offered: what it is doing, and for which alert. */
static void
complete_why_unit(const struct unit *u)
{
	const char	*st;

	if (complete_why_n++ >= COMPLETE_WHY_MAX)
		return;
	st = (unsigned)u->status < UNIT_STATUS_COUNT ?
	    _(complete_unit_status[u->status]) : "?";
	buf_printf(&complete_why_text, "%s%s: %s%s%s%s",
	    complete_why_text.len > 0 ? "; " : "", u->id, st,
	    u->alert[0] != '\0' ? " (" : "", u->alert,
	    u->alert[0] != '\0' ? ")" : "");
}

/*
 * Why the last complete_line() left candidates out ("FIR-QY-01: out of
 * service; POL-HL-02: on scene (A-0003)"), or "" when it left none out.
 * Static storage, until the next completion.
 */
const char *
complete_why(void)
{
	static char	more[64];

	if (complete_why_n > COMPLETE_WHY_MAX) {
		snprintf(more, sizeof more, _(" (and %d more)"),
		    complete_why_n - COMPLETE_WHY_MAX);
		buf_adds(&complete_why_text, more);
		complete_why_n = COMPLETE_WHY_MAX;
	}
	return (buf_str(&complete_why_text));
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

		if (complete_typed(cc, u->id) || !complete_match(cc, u->id,
		    u->name, ar != NULL ? ar->name : NULL))
			continue;
		if (avail_only && u->status != UNIT_AVAILABLE) {
			if (*cc->text != '\0')
				complete_why_unit(u);
			continue;
		}
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

/* The words of a NULL-terminated list, in its order. */
static void
complete_list_words(struct complete_ctx *cc, struct complete_list *l,
    const char *const *words)
{
	int	n;

	for (n = 0; words[n] != NULL; n++)
		/* nothing */;
	complete_names(cc, l, words, n);
}

static void
complete_words(struct complete_ctx *cc, struct complete_list *l)
{
	static const char *const onoff[] = { "on", "off", NULL };
	static const char *const minutes[] = { "15", "30", "60", "120",
	    "240", NULL };
	const char *const	*words;

	if ((words = cmd_words(cc->kind)) != NULL)
		complete_list_words(cc, l, words);
	else if (strcmp(cc->kind, "onoff") == 0)
		complete_list_words(cc, l, onoff);
	else if (strcmp(cc->kind, "minutes") == 0)
		complete_list_words(cc, l, minutes);
}

/* Panels by name, in the layout's order; for focus, next and prev too. */
static void
complete_panel(struct complete_ctx *cc, struct complete_list *l)
{
	static const char *const steps[] = { "next", "prev", NULL };
	const struct panel_class	*const *pcp;
	size_t				 len = strlen(cc->text);
	int				 i = 0;

	for (pcp = panel_classes; *pcp != NULL; pcp++, i++) {
		if (strncasecmp((*pcp)->name, cc->text, len) == 0)
			complete_add(l, (*pcp)->name, i, 0);
	}
	if (strcmp(complete_action(cc), "focus") == 0) {
		l->group++;
		complete_list_words(cc, l, steps);
		l->group--;
	}
}

/* "filter": what to filter by; then an area, or a severity. */
static void
complete_filter(struct complete_ctx *cc, struct complete_list *l)
{
	static const char *const what[] = { "area", "severity", "clear",
	    NULL };
	static const char *const sev[] = { "1", "2", "3", "4", "+1", "-1",
	    NULL };
	static const char *const step[] = { "next", "prev", NULL };
	const char	*first = cc->nwords > 1 ? cc->words[1] : NULL;

	if (strcmp(complete_action(cc), "value") != 0) {
		/* "filter bai": an area alone is a filter too. */
		complete_list_words(cc, l, what);
		if (cc->store != NULL) {
			l->group++;
			complete_area(cc, l);
			l->group--;
		}
		return;
	}
	if (first != NULL && (strcmp(first, "severity") == 0 ||
	    strcmp(first, "sev") == 0))
		complete_list_words(cc, l, sev);
	else if (first != NULL && strcmp(first, "area") == 0) {
		complete_list_words(cc, l, step);
		if (cc->store != NULL) {
			l->group++;
			complete_area(cc, l);
			l->group--;
		}
	}
}

/* The sort keys of the panel named before, or of every panel. */
static void
complete_sort(struct complete_ctx *cc, struct complete_list *l)
{
	const struct panel_class	*const *pcp;
	const char			*named = NULL;
	int				 i;

	if (cc->nwords > 1)
		named = cmd_panel_parse(cc->words[1]);
	for (pcp = panel_classes; *pcp != NULL; pcp++) {
		if ((*pcp)->sorts == NULL || (named != NULL &&
		    strcmp((*pcp)->name, named) != 0))
			continue;
		for (i = 0; (*pcp)->sorts[i] != NULL; i++) {
			if (strncasecmp((*pcp)->sorts[i], cc->text,
			    strlen(cc->text)) == 0)
				complete_add(l, (*pcp)->sorts[i], i, 0);
		}
	}
}

static void
complete_theme(struct complete_ctx *cc, struct complete_list *l)
{
	char	**names = theme_list();
	size_t	  i;

	for (i = 0; names[i] != NULL; i++) {
		if (strncasecmp(names[i], cc->text, strlen(cc->text)) == 0)
			complete_add(l, names[i], 0, 0);
	}
	theme_list_free(names);
}

/* The key tables: root, then the panels. */
static void
complete_keytable(struct complete_ctx *cc, struct complete_list *l)
{
	const struct panel_class	*const *pcp;
	size_t				 len = strlen(cc->text);
	int				 i = 1;

	if (strncmp("root", cc->text, len) == 0)
		complete_add(l, "root", 0, 0);
	for (pcp = panel_classes; *pcp != NULL; pcp++, i++) {
		if (strncmp((*pcp)->name, cc->text, len) == 0)
			complete_add(l, (*pcp)->name, i, 0);
	}
	if (strncmp("replay", cc->text, len) == 0)
		complete_add(l, "replay", i, 0);
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
		if (cc->store != NULL || !ce->store)
			ce->fn(cc, l);
		return;
	}
}

/*
 * The specs word k (0 = the first argument) may be bound to, best first;
 * returns how many (0-2). For a REST arg, *at is the word it starts at.
 */
static int
complete_specs(const struct cmd_entry *ce, int k, const struct cmd_arg **out,
    int *at)
{
	const struct cmd_arg	*a, *next;
	int			 i, pos = 0, max;

	for (i = 0; i < CMD_MAX_SPEC && ce->args[i].name != NULL; i++) {
		a = &ce->args[i];
		next = i + 1 < CMD_MAX_SPEC && ce->args[i + 1].name != NULL ?
		    &ce->args[i + 1] : NULL;
		if (a->flags & CMD_ARG_REST) {
			if (k < pos || strcmp(a->kind, "text") == 0)
				return (0);
			out[0] = a;
			*at = pos;
			return (1);
		}
		if (!(a->flags & CMD_ARG_MANY)) {
			if (k == pos) {
				out[0] = a;
				/* "sort ": a panel, or the field at once. */
				if ((a->flags & CMD_ARG_LOOKS) &&
				    next != NULL) {
					out[1] = next;
					return (2);
				}
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
 * The word after the flags of ce in args (1 when it has none), or -1
 * with *kind set when the last word typed is a flag whose value comes
 * next.
 */
static int
complete_flags(const struct cmd_entry *ce, struct cmd_args *args,
    const char **kind)
{
	const char	*w;
	int		 i = 1, j;

	while (ce->flags[0].flag != 0 && i < args->argc) {
		w = args->argv[i];
		if (w[0] != '-' || w[1] == '\0' || w[2] != '\0')
			break;
		if (w[1] == '-')
			return (i + 1);
		for (j = 0; j < CMD_MAX_FLAGS && ce->flags[j].flag != 0; j++) {
			if (ce->flags[j].flag == w[1])
				break;
		}
		if (j == CMD_MAX_FLAGS || ce->flags[j].flag == 0)
			break;
		if (i + 1 == args->argc) {
			*kind = ce->flags[j].kind;
			return (-1);
		}
		i += 2;
	}
	return (i);
}

/* The words of args from first on as a command line, and a blank. */
static char *
complete_subline(struct cmd_args *args, int first)
{
	struct buf	 line = BUF_INIT;
	char		*q;
	int		 i;

	for (i = first; i < args->argc; i++) {
		q = cmd_quote(args->argv[i]);
		buf_printf(&line, "%s ", q);
		free(q);
	}
	return (buf_detach(&line));
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
	char			*head, *sub, **out = NULL;
	size_t			 i, j;
	int			 k, w, at = 0, nspec;

	*n = 0;
	memset(&l, 0, sizeof l);
	buf_truncate(&complete_why_text, 0);
	complete_why_n = 0;
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
		if ((w = complete_flags(ce, &args, &cc.kind)) == -1)
			complete_kind(&cc, &l);
		else {
			k = args.argc - w;
			nspec = complete_specs(ce, k, specs, &at);
			if (nspec == 1 && (specs[0]->flags & CMD_ARG_REST) &&
			    strcmp(specs[0]->kind, "command") == 0) {
				/* A command line: complete it as one. */
				sub = complete_subline(&args, w + at);
				cmd_args_free(&args);
				out = complete_line(s, sub, strlen(sub), text,
				    n);
				free(sub);
				return (out);
			}
			for (i = 0; i < (size_t)nspec; i++) {
				l.group = (int)i;
				cc.kind = specs[i]->kind;
				complete_kind(&cc, &l);
			}
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
 * Names are several words, and the command line splits words at spaces:
 * "assign PA-0004 so g" asks for a department whose name has words
 * starting "so" and then "g" (Sở Giáo dục và Đào tạo, Sở Giao thông Vận
 * tải). The text to complete is then the last 2 to COMPLETE_WORDS_MAX
 * words before end, completed as one argument from where the first of
 * them starts: the most words that give a candidate win. Returns the
 * candidates as complete_line() does (NULL when none: complete the last
 * word alone) and sets *start to where the words begin.
 */
#define COMPLETE_WORDS_MAX	4

char **
complete_words_back(struct store *s, const char *line, size_t end,
    size_t *start, size_t *n)
{
	size_t	 starts[COMPLETE_WORDS_MAX], p, nw = 0;
	char	*text, **out;
	int	 j;

	*n = 0;
	/* The last word must have begun: "so g", not "so g ". */
	if (end == 0 || line[end - 1] == ' ')
		return (NULL);
	p = end;
	while (nw < COMPLETE_WORDS_MAX) {
		while (p > 0 && line[p - 1] != ' ')
			p--;
		/* Never the command's own word. */
		if (p == 0 || strspn(line, " ") == p)
			break;
		starts[nw++] = p;
		while (p > 0 && line[p - 1] == ' ')
			p--;
		if (p == 0)
			break;
	}
	for (j = (int)nw - 1; j >= 1; j--) {
		text = xstrndup(line + starts[j], end - starts[j]);
		out = complete_line(s, line, starts[j], text, n);
		free(text);
		if (out != NULL) {
			*start = starts[j];
			return (out);
		}
	}
	*n = 0;
	return (NULL);
}

/*
 * What a candidate names, for the list of matches: a department's, a
 * unit's or a hospital's name (sanitised in the store), or NULL.
 */
const char *
complete_describe(struct store *s, const char *cand)
{
	const struct department	*d;
	const struct unit	*u;
	const struct hospital	*h;

	if ((d = store_department(s, cand)) != NULL)
		return (d->name);
	if ((u = store_unit(s, cand)) != NULL)
		return (u->name);
	if ((h = store_hospital(s, cand)) != NULL)
		return (h->name);
	return (NULL);
}

/*
 * Free what complete_line() returned; NULL is fine.
 */
void
complete_free(char **v)
{
	xfreev(v);
}

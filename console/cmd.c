/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The command table, command-line parsing, checks, results and help. */

#include "cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fold.h"
#include "i18n.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "panel.h"
#include "proto.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * A command line is split into words at blanks; "..." groups words (with
 * \" and \\ inside), '...' groups them literally. The first word names the
 * command: the exact name, then an alias, then a unique prefix of a name.
 *
 * The other words are bound to the entry's argument specs (cmd_bind),
 * after the entry's flags ("-T alerts"), which come first: plain args
 * take one word each from the left, but an optional one is left out when
 * the words left are only enough for the required args after it, or, if
 * marked LOOKS, when the word does not look like its kind ("sort
 * severity" is "sort [PANEL] [FIELD]" without the panel); an arg marked
 * MANY takes every word the args after it leave over, and those are bound
 * from the end of the line, so "status AMB-HL-03 AMB-HL-04 os" reads the
 * status word last; a trailing optional arg takes the last word only if
 * the word looks like its kind ("mute A-1 A-2 45m"); a REST arg takes the
 * rest of the line as one text.
 *
 * cmd_run() then checks every word by its kind and rewrites it in place to
 * its canonical form (an id as the store spells it, "os" as "on_scene",
 * "so y te" as "SYT"), checks CMD_NEEDCONN, asks for confirmation when the
 * entry or the batch is dangerous, and only then calls exec: handlers
 * never check again. Backend commands send one protocol command per item,
 * each carrying the version of the item the console holds, which is the
 * version the officer saw.
 */

const struct cmd_entry *const cmd_table[] = {
	&cmd_alert_ack_entry,
	&cmd_drill_annotate_entry,
	&cmd_view_archive_entry,
	&cmd_case_assign_entry,
	&cmd_view_back_entry,
	&cmd_key_bind_entry,
	&cmd_alert_close_entry,
	&cmd_view_confirm_entry,
	&cmd_view_detail_entry,
	&cmd_view_digest_entry,
	&cmd_alert_dispatch_entry,
	&cmd_res_divert_entry,
	&cmd_alert_escalate_entry,
	&cmd_view_filter_entry,
	&cmd_view_focus_entry,
	&cmd_view_help_entry,
	&cmd_drill_inject_entry,
	&cmd_key_keys_entry,
	&cmd_view_lang_entry,
	&cmd_view_layout_entry,
	&cmd_replay_mark_entry,
	&cmd_view_messages_entry,
	&cmd_alert_mute_entry,
	&cmd_alert_note_entry,
	&cmd_view_outbox_entry,
	&cmd_view_prompt_entry,
	&cmd_view_quit_entry,
	&cmd_view_record_entry,
	&cmd_view_redraw_entry,
	&cmd_alert_reopen_entry,
	&cmd_replay_replay_entry,
	&cmd_case_reply_entry,
	&cmd_alert_resolve_entry,
	&cmd_view_retry_entry,
	&cmd_case_return_entry,
	&cmd_replay_score_entry,
	&cmd_view_search_entry,
	&cmd_view_select_entry,
	&cmd_view_sort_entry,
	&cmd_res_status_entry,
	&cmd_view_theme_entry,
	&cmd_key_unbind_entry,
	&cmd_view_zoom_entry,
	NULL
};

/* Words for unit statuses and dispositions: canonical name first. */
static const char *const cmd_status_words[][6] = {
	{ "available", "av", "avail", "sansang", "ss", NULL },
	{ "en_route", "enr", "er", "dangden", "dd", NULL },
	{ "on_scene", "os", "ons", "hientruong", "ht", NULL },
	{ "returning", "ret", "rtn", "quayve", "qv", NULL },
	{ "out_of_service", "oos", "ngung", "nhd", NULL, NULL },
};
static const enum unit_status cmd_status_values[] = {
	UNIT_AVAILABLE, UNIT_EN_ROUTE, UNIT_ON_SCENE, UNIT_RETURNING,
	UNIT_OUT_OF_SERVICE
};

static const char *const cmd_disposition_words[][6] = {
	{ "resolved", "res", "daxuly", "xl", NULL, NULL },
	{ "false_alarm", "fa", "false", "baonham", "bn", NULL },
	{ "duplicate", "dup", "trung", NULL, NULL, NULL },
	{ "cancelled", "canceled", "cancel", "huy", NULL, NULL },
	{ "transferred", "transfer", "chuyen", NULL, NULL, NULL },
};
static const enum disposition cmd_disposition_values[] = {
	DISPOSITION_RESOLVED, DISPOSITION_FALSE_ALARM, DISPOSITION_DUPLICATE,
	DISPOSITION_CANCELLED, DISPOSITION_TRANSFERRED
};

#define CMD_NWORDS(t)	((int)(sizeof (t) / sizeof (t)[0]))

/* The kinds whose words are a fixed list (see cmd_words()). */
static const char *const cmd_lang_words[] = { "vi", "en", NULL };
static const char *const cmd_layout_words[] = { "auto", "single", "grid",
	"wide", NULL };
static const char *const cmd_move_words[] = { "up", "down", "page-up",
	"page-down", "top", "bottom", NULL };
static const char *const cmd_inject_words[] = { "alert", "feedback",
	"unit", NULL };
static const char *const cmd_replay_words[] = { "play", "pause", "toggle",
	"step", "speed", "faster", "slower", "seek", "next", "prev", "status",
	NULL };
static const struct {
	const char		*kind;
	const char *const	*words;
} cmd_word_kinds[] = {
	{ "inject", cmd_inject_words },
	{ "lang", cmd_lang_words },
	{ "layout", cmd_layout_words },
	{ "move", cmd_move_words },
	{ "replay", cmd_replay_words },
};

/* ==== Finding ==== */

/*
 * 1 if word is one of the entry's aliases, else 0.
 */
int
cmd_alias_is(const struct cmd_entry *ce, const char *word)
{
	const char	*p, *end;
	size_t		 len = strlen(word);

	if (ce->alias == NULL || len == 0)
		return (0);
	for (p = ce->alias; *p != '\0'; p = end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if ((size_t)(end - p) == len && strncmp(p, word, len) == 0)
			return (1);
	}
	return (0);
}

/*
 * Find a command by exact name, then alias, then unique prefix of a name.
 * Returns the entry (static; not to be freed), or NULL and sets *cause (if
 * not NULL) to an allocated message the caller frees: "unknown command"
 * or "ambiguous: dispatch, digest".
 */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	*const *cep, *found = NULL;
	size_t			 len = strlen(name);
	struct buf		 list = BUF_INIT;
	int			 n = 0;

	if (len == 0) {
		if (cause != NULL)
			*cause = xstrdup(_("empty command"));
		return (NULL);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if (strcmp((*cep)->name, name) == 0)
			return (*cep);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if (cmd_alias_is(*cep, name))
			return (*cep);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if (strncmp((*cep)->name, name, len) != 0)
			continue;
		found = *cep;
		buf_printf(&list, "%s%s", n++ > 0 ? ", " : "", (*cep)->name);
	}
	if (n == 1) {
		buf_free(&list);
		return (found);
	}
	if (cause != NULL) {
		if (n == 0)
			xasprintf(cause, _("unknown command: %s (try help)"),
			    name);
		else
			xasprintf(cause, _("ambiguous: %s"), buf_str(&list));
	}
	buf_free(&list);
	return (NULL);
}

/* ==== Words ==== */

static void
cmd_args_push(struct cmd_args *args, char *word)
{
	args->argv = xreallocarray(args->argv, args->argc + 2,
	    sizeof *args->argv);
	args->argv[args->argc++] = word;
	args->argv[args->argc] = NULL;
}

/*
 * Split line into words (see the comment at the top). Returns 0 and fills
 * args (free with cmd_args_free), or -1 with *cause set (allocated; caller
 * frees; cause may be NULL) and args empty. An empty line gives argc 0.
 */
int
cmd_tokenize(const char *line, struct cmd_args *args, char **cause)
{
	const char	*p = line;
	char		*word;
	size_t		 len, cap;
	char		 quote;

	memset(args, 0, sizeof *args);
	cap = strlen(line) + 1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		if (args->argc == CMD_MAX_WORDS) {
			if (cause != NULL)
				xasprintf(cause, _("too many words (at most "
				    "%d)"), CMD_MAX_WORDS);
			goto fail;
		}
		word = xmalloc(cap);
		len = 0;
		quote = 0;
		for (; *p != '\0'; p++) {
			if (quote == 0 && (*p == ' ' || *p == '\t' ||
			    *p == '\n' || *p == '\r'))
				break;
			if (quote == 0 && (*p == '"' || *p == '\'')) {
				quote = *p;
				continue;
			}
			if (quote != 0 && *p == quote) {
				quote = 0;
				continue;
			}
			if (quote == '"' && *p == '\\' &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			word[len++] = *p;
		}
		word[len] = '\0';
		if (quote != 0) {
			free(word);
			if (cause != NULL)
				xasprintf(cause, _("missing closing %c"),
				    quote);
			goto fail;
		}
		cmd_args_push(args, word);
	}
	if (args->argv == NULL)
		args->argv = xcalloc(1, sizeof *args->argv);
	return (0);

fail:
	cmd_args_free(args);
	return (-1);
}

/*
 * Free the words of args; args may be empty or already freed.
 */
void
cmd_args_free(struct cmd_args *args)
{
	int	i;

	if (args->argv != NULL) {
		for (i = 0; i < args->argc; i++)
			free(args->argv[i]);
		free(args->argv);
	}
	for (i = 0; i < CMD_MAX_SPEC; i++)
		free(args->rest[i]);
	memset(args, 0, sizeof *args);
}

/*
 * Quote word so that cmd_tokenize() gives it back as one word. Returns an
 * allocated string; caller frees.
 */
char *
cmd_quote(const char *word)
{
	const char	*p;
	char		*out, *q;

	if (*word != '\0' && strpbrk(word, " \t\r\n\"'\\") == NULL)
		return (xstrdup(word));
	out = q = xmalloc(2 * strlen(word) + 3);
	*q++ = '"';
	for (p = word; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			*q++ = '\\';
		*q++ = *p;
	}
	*q++ = '"';
	*q = '\0';
	return (out);
}

/* Compare a typed word with a table word: case, '_' and '-' ignored. */
static int
cmd_word_eq(const char *typed, const char *word, int prefix)
{
	for (;;) {
		while (*typed == '_' || *typed == '-')
			typed++;
		while (*word == '_' || *word == '-')
			word++;
		if (*typed == '\0')
			return (prefix || *word == '\0');
		if (tolower((unsigned char)*typed) !=
		    tolower((unsigned char)*word))
			return (0);
		typed++;
		word++;
	}
}

/* Index of word in a words table (any of a row's words, then a unique
 * prefix of a canonical name), or -1. */
static int
cmd_words_parse(const char *const (*rows)[6], int nrows, const char *word)
{
	int	i, j, found = -1;

	if (*word == '\0')
		return (-1);
	for (i = 0; i < nrows; i++) {
		for (j = 0; j < 6 && rows[i][j] != NULL; j++) {
			if (cmd_word_eq(word, rows[i][j], 0))
				return (i);
		}
	}
	for (i = 0; i < nrows; i++) {
		if (!cmd_word_eq(word, rows[i][0], 1))
			continue;
		if (found != -1)
			return (-1);
		found = i;
	}
	return (found);
}

/*
 * Parse a unit status word: the name ("on_scene", "onscene"), an
 * abbreviation ("os", "enr", "av", "ret", "oos"), a Vietnamese word
 * without diacritics ("hientruong"), or a unique prefix ("on"). Returns
 * the enum unit_status, or -1.
 */
int
cmd_status_parse(const char *word)
{
	int	i;

	if ((i = cmd_words_parse(cmd_status_words,
	    CMD_NWORDS(cmd_status_words), word)) == -1)
		return (-1);
	return ((int)cmd_status_values[i]);
}

/*
 * Parse a close disposition as cmd_status_parse() does ("fa", "dup").
 * Returns the enum disposition (never DISPOSITION_NONE), or -1.
 */
int
cmd_disposition_parse(const char *word)
{
	int	i;

	if ((i = cmd_words_parse(cmd_disposition_words,
	    CMD_NWORDS(cmd_disposition_words), word)) == -1)
		return (-1);
	return ((int)cmd_disposition_values[i]);
}

/*
 * Parse minutes: "30", "45m", "2h", "1h30". Returns 1-240, or -1.
 */
int
cmd_minutes_parse(const char *word)
{
	const char	*p = word;
	long		 total = 0, n;
	int		 any = 0;

	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return (-1);
		n = 0;
		while (isdigit((unsigned char)*p) && n < 100000)
			n = n * 10 + (*p++ - '0');
		if (*p == 'h' || *p == 'H') {
			n *= 60;
			p++;
		} else if (*p == 'm' || *p == 'M' || *p == '\'')
			p++;
		else if (*p != '\0')
			return (-1);
		total += n;
		any = 1;
		if (total > 240)
			return (-1);
	}
	if (!any || total < 1)
		return (-1);
	return ((int)total);
}

/*
 * Parse on/off: on, yes, y, 1, bat; off, no, n, 0, tat. Returns 1, 0,
 * or -1.
 */
int
cmd_onoff_parse(const char *word)
{
	static const char *const on[] = { "on", "yes", "y", "1", "bat" };
	static const char *const off[] = { "off", "no", "n", "0", "tat" };
	size_t	i;

	for (i = 0; i < sizeof on / sizeof on[0]; i++) {
		if (strcasecmp(word, on[i]) == 0)
			return (1);
		if (strcasecmp(word, off[i]) == 0)
			return (0);
	}
	return (-1);
}

/*
 * The words of a kind that is a fixed list (lang, layout, move),
 * canonical forms in the order they are offered; NULL-terminated and
 * static. Returns NULL for any other kind.
 */
const char *const *
cmd_words(const char *kind)
{
	size_t	i, len = strcspn(kind, ".");

	for (i = 0; i < sizeof cmd_word_kinds / sizeof cmd_word_kinds[0];
	    i++) {
		if (strlen(cmd_word_kinds[i].kind) == len &&
		    strncmp(cmd_word_kinds[i].kind, kind, len) == 0)
			return (cmd_word_kinds[i].words);
	}
	return (NULL);
}

/* The word of words that word is, or starts uniquely; NULL if none. */
static const char *
cmd_words_pick(const char *const *words, const char *word)
{
	const char	*found = NULL;
	size_t		 i;

	for (i = 0; words[i] != NULL; i++) {
		if (cmd_word_eq(word, words[i], 0))
			return (words[i]);
	}
	for (i = 0; words[i] != NULL && *word != '\0'; i++) {
		if (!cmd_word_eq(word, words[i], 1))
			continue;
		if (found != NULL)
			return (NULL);
		found = words[i];
	}
	return (found);
}

/*
 * The panel a word names: its class name or a unique start of it
 * ("hosp"), its title as the screen shows it, in any case ("Phản ánh"),
 * or its place in the layout, 1 to 4. Returns the class name (static),
 * or NULL.
 */
const char *
cmd_panel_parse(const char *word)
{
	const struct panel_class	*const *pcp, *found = NULL;
	size_t				 len = strlen(word), n;

	if (len == 0)
		return (NULL);
	for (n = 0; panel_classes[n] != NULL; n++)
		/* nothing */;
	if (len == 1 && word[0] >= '1' && (size_t)(word[0] - '0') <= n)
		return (panel_classes[word[0] - '1']->name);
	for (pcp = panel_classes; *pcp != NULL; pcp++) {
		if (strcmp((*pcp)->name, word) == 0 ||
		    strcasecmp(_((*pcp)->title), word) == 0 ||
		    strcasecmp((*pcp)->title, word) == 0)
			return ((*pcp)->name);
	}
	for (pcp = panel_classes; *pcp != NULL; pcp++) {
		if (strncasecmp((*pcp)->name, word, len) != 0)
			continue;
		if (found != NULL)
			return (NULL);
		found = *pcp;
	}
	return (found != NULL ? found->name : NULL);
}

/* ==== Binding ==== */

static int
cmd_nspec(const struct cmd_entry *ce)
{
	int	n = 0;

	while (n < CMD_MAX_SPEC && ce->args[n].name != NULL)
		n++;
	return (n);
}

static int
cmd_spec_max(const struct cmd_arg *a)
{
	return (a->max > 0 ? a->max : PROTO_MAX_ARGS);
}

/* The part of a kind before the '.': "alert" of "alert.ack". */
static int
cmd_kind_is(const struct cmd_arg *a, const char *base)
{
	size_t	len = strlen(base);

	return (strncmp(a->kind, base, len) == 0 &&
	    (a->kind[len] == '\0' || a->kind[len] == '.'));
}

/* 1 if word could be of a's kind, without the store (for binding). */
static int
cmd_kind_looks(const struct cmd_arg *a, const char *word)
{
	if (cmd_kind_is(a, "minutes"))
		return (cmd_minutes_parse(word) != -1);
	if (cmd_kind_is(a, "status"))
		return (cmd_status_parse(word) != -1);
	if (cmd_kind_is(a, "disposition"))
		return (cmd_disposition_parse(word) != -1);
	if (cmd_kind_is(a, "onoff"))
		return (cmd_onoff_parse(word) != -1);
	if (cmd_kind_is(a, "panel"))
		return (cmd_panel_parse(word) != NULL);
	return (1);
}

/*
 * The usage line of an entry, from its flags and argument specs: "ALERT
 * [ALERT...]", "ALERT TEXT...", "[-T TABLE] KEY COMMAND...". Returns an
 * allocated string (maybe ""); caller frees.
 */
char *
cmd_usage(const struct cmd_entry *ce)
{
	const struct cmd_arg	*a;
	struct buf		 out = BUF_INIT;
	int			 i, n = cmd_nspec(ce);

	for (i = 0; i < CMD_MAX_FLAGS && ce->flags[i].flag != 0; i++)
		buf_printf(&out, "%s[-%c %s]", i > 0 ? " " : "",
		    ce->flags[i].flag, ce->flags[i].name);
	for (i = 0; i < n; i++) {
		a = &ce->args[i];
		if (out.len > 0)
			buf_addc(&out, ' ');
		if (a->flags & CMD_ARG_REST)
			buf_printf(&out, (a->flags & CMD_ARG_OPT) ?
			    "[%s...]" : "%s...", a->name);
		else if ((a->flags & CMD_ARG_MANY) &&
		    (a->flags & CMD_ARG_OPT))
			buf_printf(&out, "[%s...]", a->name);
		else if (a->flags & CMD_ARG_MANY)
			buf_printf(&out, "%s [%s...]", a->name, a->name);
		else
			buf_printf(&out, (a->flags & CMD_ARG_OPT) ?
			    "[%s]" : "%s", a->name);
	}
	return (buf_detach(&out));
}

/*
 * The n words as one string: joined by spaces; for a command line, one
 * word is the line as it is ("bind x \"assign %s SYT\"") and several
 * are quoted so that the line splits into them again.
 */
static char *
cmd_join(char **words, int n, int line)
{
	struct buf	 out = BUF_INIT;
	char		*q;
	int		 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&out, ' ');
		if (line && n > 1) {
			q = cmd_quote(words[i]);
			buf_adds(&out, q);
			free(q);
		} else
			buf_adds(&out, words[i]);
	}
	return (buf_detach(&out));
}

static char *
cmd_usage_error(const struct cmd_entry *ce)
{
	char	*usage = cmd_usage(ce), *out;

	xasprintf(&out, _("usage: %s%s%s (see: help %s)"), ce->name,
	    *usage != '\0' ? " " : "", usage, ce->name);
	free(usage);
	return (out);
}

/*
 * Bind the words of args (argv[1..]) to the argument specs of ce, as the
 * comment at the top says. Returns 0, or -1 with *cause set to the usage
 * (allocated; caller frees).
 */
int
cmd_bind(const struct cmd_entry *ce, struct cmd_args *args, char **cause)
{
	const struct cmd_arg	*a;
	const char		*w;
	int			 n = cmd_nspec(ce), lo = 1, hi = args->argc;
	int			 i, j, many = -1, need;

	for (i = 0; i < CMD_MAX_SPEC; i++) {
		args->first[i] = 0;
		args->count[i] = 0;
		free(args->rest[i]);
		args->rest[i] = NULL;
	}
	args->nflags = 0;
	/* Flags first: "-T VALUE"; "--" ends them. */
	while (ce->flags[0].flag != 0 && lo < hi) {
		w = args->argv[lo];
		if (w[0] != '-' || w[1] == '\0' || w[2] != '\0')
			break;
		if (w[1] == '-') {
			lo++;
			break;
		}
		for (j = 0; j < CMD_MAX_FLAGS && ce->flags[j].flag != 0; j++) {
			if (ce->flags[j].flag == w[1])
				break;
		}
		if (j == CMD_MAX_FLAGS || ce->flags[j].flag == 0 ||
		    lo + 1 >= hi)
			goto usage;
		for (j = 0; j < args->nflags; j++) {
			if (args->flag[j] == w[1])
				break;
		}
		if (j == args->nflags) {
			if (args->nflags == CMD_MAX_FLAGS)
				goto usage;
			args->nflags++;
		}
		args->flag[j] = w[1];
		args->flagv[j] = lo + 1;
		lo += 2;
	}
	for (i = 0; i < n; i++) {
		if (ce->args[i].flags & (CMD_ARG_MANY | CMD_ARG_REST)) {
			many = i;
			break;
		}
	}
	/*
	 * Left to right up to the MANY or REST arg; an optional arg only
	 * when there are words enough for the required ones after it.
	 */
	for (i = 0; i < (many == -1 ? n : many); i++) {
		a = &ce->args[i];
		if (a->flags & CMD_ARG_OPT) {
			need = 0;
			for (j = i + 1; j < n; j++) {
				if (!(ce->args[j].flags & CMD_ARG_OPT))
					need++;
			}
			if (hi - lo <= need || ((a->flags & CMD_ARG_LOOKS) &&
			    !cmd_kind_looks(a, args->argv[lo])))
				continue;
		} else if (lo >= hi)
			goto usage;
		args->first[i] = lo++;
		args->count[i] = 1;
	}
	if (many == -1) {
		if (lo < hi)
			goto usage;
		return (0);
	}
	/* From the end back to the MANY or REST arg. */
	for (i = n - 1; i > many; i--) {
		a = &ce->args[i];
		need = (ce->args[many].flags & CMD_ARG_OPT) ? 0 : 1;
		if (hi - lo <= need) {
			if (a->flags & CMD_ARG_OPT)
				continue;
			goto usage;
		}
		if ((a->flags & CMD_ARG_OPT) &&
		    !cmd_kind_looks(a, args->argv[hi - 1]))
			continue;
		args->first[i] = --hi;
		args->count[i] = 1;
	}
	a = &ce->args[many];
	if (hi - lo == 0 && !(a->flags & CMD_ARG_OPT))
		goto usage;
	if ((a->flags & CMD_ARG_MANY) && hi - lo > cmd_spec_max(a))
		goto usage;
	if (hi > lo) {
		args->first[many] = lo;
		args->count[many] = hi - lo;
		if (a->flags & CMD_ARG_REST)
			args->rest[many] = cmd_join(args->argv + lo, hi - lo,
			    cmd_kind_is(a, "command"));
	}
	return (0);

usage:
	if (cause != NULL)
		*cause = cmd_usage_error(ce);
	return (-1);
}

/*
 * How many words are bound to spec (0 when left out).
 */
int
cmd_arg_count(struct cmd_args *args, int spec)
{
	return (args->count[spec]);
}

/*
 * Word i of spec, or NULL. Borrowed from args.
 */
const char *
cmd_arg_value(struct cmd_args *args, int spec, int i)
{
	if (i < 0 || i >= args->count[spec])
		return (NULL);
	return (args->argv[args->first[spec] + i]);
}

/*
 * The value of flag ('T'), or NULL when it was not given. Borrowed from
 * args.
 */
const char *
cmd_arg_flag(struct cmd_args *args, char flag)
{
	int	i;

	for (i = 0; i < args->nflags; i++) {
		if (args->flag[i] == flag)
			return (args->argv[args->flagv[i]]);
	}
	return (NULL);
}

/*
 * The text of spec: a REST arg's words joined by spaces (a command line
 * for kind command), else its first word; NULL when left out. Borrowed
 * from args.
 */
const char *
cmd_arg_text(struct cmd_args *args, int spec)
{
	if (args->rest[spec] != NULL)
		return (args->rest[spec]);
	return (cmd_arg_value(args, spec, 0));
}

/* ==== Checking ==== */

/*
 * Find an item by id as typed, ignoring case (officers type "a-12" for
 * "A-12"); ids differ by more than case.
 */
#define CMD_FIND(field, n)						\
	do {								\
		size_t	i_;						\
		for (i_ = 0; i_ < s->n; i_++) {				\
			if (strcasecmp(s->field[i_].id, id) == 0)	\
				return (&s->field[i_]);			\
		}							\
		return (NULL);						\
	} while (0)

static struct alert *
cmd_find_alert(struct store *s, const char *id)
{
	CMD_FIND(alerts, nalerts);
}

static struct feedback *
cmd_find_case(struct store *s, const char *id)
{
	CMD_FIND(feedback, nfeedback);
}

static struct unit *
cmd_find_unit(struct store *s, const char *id)
{
	CMD_FIND(units, nunits);
}

static struct hospital *
cmd_find_hospital(struct store *s, const char *id)
{
	CMD_FIND(hospitals, nhospitals);
}

/* Fold and drop the spaces: "Sở Y tế" gives "soyte". Caller frees. */
static char *
cmd_fold_tight(const char *s)
{
	char	*f = fold_text(s), *p, *q;

	for (p = q = f; *p != '\0'; p++) {
		if (*p != ' ')
			*q++ = *p;
	}
	*q = '\0';
	return (f);
}

/*
 * A code from codes[i] (stride bytes apart, name pointer at name_off):
 * the code itself (any case), else a unique code whose name folds to the
 * word or starts with it. Returns the index, -1 none, -2 ambiguous.
 */
static int
cmd_code_lookup(const char *word, const char *codes, size_t n,
    size_t stride, size_t name_off)
{
	const char	*code, *name;
	char		*w, *f;
	size_t		 i, wl;
	int		 found = -1, exact = -1;

	for (i = 0; i < n; i++) {
		code = codes + i * stride;
		if (strcasecmp(code, word) == 0)
			return ((int)i);
	}
	w = cmd_fold_tight(word);
	wl = strlen(w);
	if (wl == 0) {
		free(w);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		memcpy(&name, codes + i * stride + name_off, sizeof name);
		if (name == NULL)
			continue;
		f = cmd_fold_tight(name);
		if (strcmp(f, w) == 0)
			exact = (int)i;
		else if (strncmp(f, w, wl) == 0)
			found = found == -1 ? (int)i : -2;
		free(f);
	}
	free(w);
	return (exact != -1 ? exact : found);
}

static void
cmd_replace(struct cmd_args *args, int k, const char *value)
{
	if (strcmp(args->argv[k], value) == 0)
		return;
	free(args->argv[k]);
	args->argv[k] = xstrdup(value);
}

static int
cmd_check_text(const char *text, char **cause)
{
	size_t	len = strlen(text);

	if (len == 0) {
		*cause = xstrdup(_("the text is empty"));
		return (-1);
	}
	if (len > PROTO_MAX_TEXT) {
		xasprintf(cause, _("the text is too long (%zu bytes, at most "
		    "%d)"), len, PROTO_MAX_TEXT);
		return (-1);
	}
	if (!utf8_valid(text, len)) {
		*cause = xstrdup(_("the text is not valid UTF-8"));
		return (-1);
	}
	return (0);
}

/* Check argv[k] against a's kind; canonicalise it. */
static int
cmd_check_word(struct cmd_ctx *ctx, const struct cmd_arg *a,
    struct cmd_args *args, int k, char **cause)
{
	struct store	*s = ctx->store;
	const char	*w = args->argv[k];
	struct alert	*al;
	struct feedback	*fb;
	struct unit	*u;
	struct hospital	*h;
	const char	*const *words, *name;
	struct buf	 list = BUF_INIT;
	char		 buf[16];
	int		 v;

	if (cmd_kind_is(a, "alert") || cmd_kind_is(a, "case") ||
	    cmd_kind_is(a, "item") || cmd_kind_is(a, "unit") ||
	    cmd_kind_is(a, "hospital")) {
		if (!model_id_valid(w, MODEL_ID_MAX)) {
			xasprintf(cause, _("not an id: %s"), w);
			return (-1);
		}
	}
	if (cmd_kind_is(a, "alert")) {
		if ((al = cmd_find_alert(s, w)) == NULL) {
			xasprintf(cause, _("no such alert: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, al->id);
	} else if (cmd_kind_is(a, "case")) {
		if ((fb = cmd_find_case(s, w)) == NULL) {
			xasprintf(cause, _("no such feedback case: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, fb->id);
	} else if (cmd_kind_is(a, "item")) {
		if ((al = cmd_find_alert(s, w)) != NULL)
			cmd_replace(args, k, al->id);
		else if ((fb = cmd_find_case(s, w)) != NULL)
			cmd_replace(args, k, fb->id);
		else {
			xasprintf(cause, _("no such alert or case: %s"), w);
			return (-1);
		}
	} else if (cmd_kind_is(a, "unit")) {
		if ((u = cmd_find_unit(s, w)) != NULL)
			cmd_replace(args, k, u->id);
		else if (strcmp(a->kind, "unit.any") == 0 &&
		    (al = cmd_find_alert(s, w)) != NULL)
			cmd_replace(args, k, al->id);
		else {
			xasprintf(cause, _("no such unit: %s"), w);
			return (-1);
		}
	} else if (cmd_kind_is(a, "hospital")) {
		if ((h = cmd_find_hospital(s, w)) == NULL) {
			xasprintf(cause, _("no such hospital: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, h->id);
	} else if (cmd_kind_is(a, "status")) {
		if ((v = cmd_status_parse(w)) == -1) {
			xasprintf(cause, _("not a unit status: %s (en_route, "
			    "on_scene, returning, available, "
			    "out_of_service; or enr, os, ret, av, oos)"), w);
			return (-1);
		}
		cmd_replace(args, k, unit_status_names[v]);
	} else if (cmd_kind_is(a, "disposition")) {
		if ((v = cmd_disposition_parse(w)) == -1) {
			xasprintf(cause, _("not a disposition: %s (resolved, "
			    "false_alarm, duplicate, cancelled, "
			    "transferred)"), w);
			return (-1);
		}
		cmd_replace(args, k, disposition_names[v]);
	} else if (cmd_kind_is(a, "minutes")) {
		if ((v = cmd_minutes_parse(w)) == -1) {
			xasprintf(cause, _("not minutes from 1 to 240: %s"),
			    w);
			return (-1);
		}
		snprintf(buf, sizeof buf, "%d", v);
		cmd_replace(args, k, buf);
	} else if (cmd_kind_is(a, "onoff")) {
		if ((v = cmd_onoff_parse(w)) == -1) {
			xasprintf(cause, _("say on or off: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, v ? "on" : "off");
	} else if (cmd_kind_is(a, "dept")) {
		v = cmd_code_lookup(w, (const char *)s->depts, s->ndepts,
		    sizeof *s->depts, offsetof(struct department, name));
		if (v < 0) {
			xasprintf(cause, v == -2 ? _("which department? %s "
			    "fits several") : _("no such department: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, s->depts[v].code);
	} else if (cmd_kind_is(a, "area")) {
		v = cmd_code_lookup(w, (const char *)s->areas, s->nareas,
		    sizeof *s->areas, offsetof(struct area, name));
		if (v < 0) {
			xasprintf(cause, v == -2 ? _("which area? %s fits "
			    "several") : _("no such area: %s"), w);
			return (-1);
		}
		cmd_replace(args, k, s->areas[v].code);
	} else if (cmd_kind_is(a, "panel")) {
		if (strcmp(a->kind, "panel.focus") == 0 &&
		    (name = cmd_words_pick((const char *const []){ "next",
		    "prev", NULL }, w)) != NULL) {
			cmd_replace(args, k, name);
			return (0);
		}
		if ((name = cmd_panel_parse(w)) == NULL) {
			xasprintf(cause, _("no panel \"%s\""), w);
			return (-1);
		}
		cmd_replace(args, k, name);
	} else if ((words = cmd_words(a->kind)) != NULL) {
		if ((name = cmd_words_pick(words, w)) == NULL) {
			for (v = 0; words[v] != NULL; v++)
				buf_printf(&list, "%s%s", v > 0 ? ", " : "",
				    words[v]);
			xasprintf(cause, _("not %s: %s"), buf_str(&list), w);
			buf_free(&list);
			return (-1);
		}
		cmd_replace(args, k, name);
	} else if (cmd_kind_is(a, "text")) {
		if (cmd_check_text(w, cause) != 0)
			return (-1);
	}
	return (0);
}

static int
cmd_is_id_kind(const struct cmd_arg *a)
{
	return (cmd_kind_is(a, "alert") || cmd_kind_is(a, "case") ||
	    cmd_kind_is(a, "item") || cmd_kind_is(a, "unit") ||
	    cmd_kind_is(a, "hospital"));
}

static int	cmd_check_arg(struct cmd_ctx *, const struct cmd_arg *,
		    struct cmd_args *, int, char **);

/* Check every bound word of args; the first problem goes to *cause. */
static int
cmd_check(struct cmd_ctx *ctx, const struct cmd_entry *ce,
    struct cmd_args *args, char **cause)
{
	const struct cmd_arg	*a;
	int			 i, pass, n = cmd_nspec(ce);

	/* Words first, ids second: "status os U-3" is about the status. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			a = &ce->args[i];
			if (args->count[i] > 0 &&
			    cmd_is_id_kind(a) == (pass == 1) &&
			    cmd_check_arg(ctx, a, args, i, cause) != 0)
				return (-1);
		}
	}
	return (0);
}

/* Check the words bound to spec i. */
static int
cmd_check_arg(struct cmd_ctx *ctx, const struct cmd_arg *a,
    struct cmd_args *args, int i, char **cause)
{
	int	j, k;

	if (a->flags & CMD_ARG_REST) {
		if (cmd_kind_is(a, "text"))
			return (cmd_check_text(args->rest[i], cause));
		return (0);
	}
	for (j = 0; j < args->count[i]; j++) {
		if (cmd_check_word(ctx, a, args, args->first[i] + j,
		    cause) != 0)
			return (-1);
	}
	if (!cmd_is_id_kind(a))
		return (0);
	for (j = 1; j < args->count[i]; j++) {
		for (k = 0; k < j; k++) {
			if (strcmp(args->argv[args->first[i] + j],
			    args->argv[args->first[i] + k]) != 0)
				continue;
			xasprintf(cause, _("%s given twice"),
			    args->argv[args->first[i] + j]);
			return (-1);
		}
	}
	return (0);
}

/*
 * Why the command must be confirmed, or NULL: an allocated question;
 * caller frees.
 */
static char *
cmd_question(struct cmd_ctx *ctx, const struct cmd_entry *ce,
    struct cmd_args *args)
{
	const struct cmd_arg	*a;
	struct alert		*al;
	char			*q = NULL, *said;
	int			 i, j, n = cmd_nspec(ce);

	if (ce->cflags & CMD_CONFIRM) {
		said = cmd_said(ce->name);
		xasprintf(&q, _("%s %s: sure? (y/n)"), said,
		    args->argc > 1 ? args->argv[1] : "");
		free(said);
		return (q);
	}
	if (ce->cflags & CMD_READONLY)
		return (NULL);
	for (i = 0; i < n; i++) {
		a = &ce->args[i];
		if ((a->flags & CMD_ARG_MANY) && cmd_is_id_kind(a) &&
		    args->count[i] > CMD_CONFIRM_BATCH) {
			said = cmd_said(ce->name);
			xasprintf(&q, _("%s %d items at once: sure? (y/n)"),
			    said, args->count[i]);
			free(said);
			return (q);
		}
	}
	if (!(ce->cflags & CMD_CONFIRM_CRIT))
		return (NULL);
	for (i = 0; i < n; i++) {
		a = &ce->args[i];
		if (!cmd_kind_is(a, "alert") && !cmd_kind_is(a, "item"))
			continue;
		for (j = 0; j < args->count[i]; j++) {
			al = store_alert(ctx->store,
			    args->argv[args->first[i] + j]);
			if (al == NULL || al->severity < 4)
				continue;
			said = cmd_said(ce->name);
			xasprintf(&q, _("%s critical alert %s: sure? (y/n)"),
			    said, al->id);
			free(said);
			return (q);
		}
	}
	return (NULL);
}

/* ==== Running ==== */

static void
cmd_vsay(struct cmd_ctx *ctx, int error, const char *fmt, va_list ap)
{
	char	*text;

	if (vasprintf(&text, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	if (error)
		log_info("command error: %s", text);
	ctx->ops->message(ctx->arg, error, text);
	free(text);
}

/*
 * Report a command error on the message line (and in the log).
 */
void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cmd_vsay(ctx, 1, fmt, ap);
	va_end(ap);
}

/*
 * Show text of several lines (help, keys) in the overlay, titled title,
 * or on the message line where there is no overlay.
 */
void
cmd_show(struct cmd_ctx *ctx, const char *title, const char *text)
{
	if (ctx->ops->pager != NULL)
		ctx->ops->pager(ctx->arg, title, text);
	else
		cmd_print(ctx, "%s", text);
}

/*
 * Report what a command did on the message line.
 */
void
cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cmd_vsay(ctx, 0, fmt, ap);
	va_end(ap);
}

/*
 * Set up a command context over store with ops (both borrowed).
 */
void
cmd_ctx_init(struct cmd_ctx *ctx, struct store *s, const struct cmd_ops *ops,
    void *arg)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->store = s;
	ctx->ops = ops;
	ctx->arg = arg;
}

static void
cmd_retry_clear(struct cmd_ctx *ctx)
{
	int	i;

	for (i = 0; i < ctx->nretry; i++) {
		free(ctx->retry[i].cmd);
		free(ctx->retry[i].summary);
		json_decref(ctx->retry[i].args);
	}
	ctx->nretry = 0;
}

/*
 * Free what the context holds (the commands kept for retry).
 */
void
cmd_ctx_clear(struct cmd_ctx *ctx)
{
	cmd_retry_clear(ctx);
}

/* How cmd_run1() asks: as the command says, never (after a "y"), always. */
enum cmd_ask {
	CMD_ASK_IF,
	CMD_ASK_NEVER,
	CMD_ASK_ALWAYS
};

static enum cmd_retval
cmd_run1(struct cmd_ctx *ctx, const char *line, enum cmd_ask ask)
{
	const struct cmd_entry	*ce;
	struct cmd_args		 args;
	enum cmd_retval		 rv = CMD_ERROR;
	char			*cause = NULL, *q, *said;

	if (cmd_tokenize(line, &args, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (args.argc == 0) {
		cmd_args_free(&args);
		return (CMD_OK);
	}
	if ((ce = cmd_find(args.argv[0], &cause)) == NULL ||
	    cmd_bind(ce, &args, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		goto out;
	}
	if ((ce->cflags & CMD_NEEDCONN) && (ctx->ops->online == NULL ||
	    !ctx->ops->online(ctx->arg))) {
		cmd_error(ctx, _("%s: needs the link to the backend, which is "
		    "down"), ce->name);
		goto out;
	}
	if ((ce->cflags & CMD_NEEDSCREEN) && ctx->layout == NULL) {
		cmd_error(ctx, _("%s: only on the screen"), ce->name);
		goto out;
	}
	if (cmd_check(ctx, ce, &args, &cause) != 0) {
		said = cmd_said(ce->name);
		cmd_error(ctx, "%s: %s", said, cause);
		free(said);
		free(cause);
		goto out;
	}
	if (ask != CMD_ASK_NEVER && !(ctx->flags & CMD_CTX_SCRIPT) &&
	    ctx->ops->confirm != NULL) {
		q = cmd_question(ctx, ce, &args);
		if (q == NULL && ask == CMD_ASK_ALWAYS) {
			said = cmd_said(line);
			xasprintf(&q, _("%s: sure? (y/n)"), said);
			free(said);
		}
		if (q != NULL) {
			ctx->ops->confirm(ctx->arg, q, line);
			free(q);
			rv = CMD_ASKED;
			goto out;
		}
	}
	log_debug("command: %s", line);
	ctx->confirmed = (ask == CMD_ASK_NEVER);
	rv = ce->exec(ctx, &args);
	ctx->confirmed = 0;
out:
	cmd_args_free(&args);
	return (rv);
}

/*
 * Parse, check and run one command line. Errors (unknown or ambiguous
 * command, wrong arguments, no link) are reported through ctx and
 * returned as CMD_ERROR; a dangerous command asks through ops->confirm
 * and returns CMD_ASKED; otherwise returns what the command returns.
 */
enum cmd_retval
cmd_run(struct cmd_ctx *ctx, const char *line)
{
	return (cmd_run1(ctx, line, CMD_ASK_IF));
}

/*
 * Run line as cmd_run() does, without asking: the officer said "y".
 */
enum cmd_retval
cmd_run_confirmed(struct cmd_ctx *ctx, const char *line)
{
	return (cmd_run1(ctx, line, CMD_ASK_NEVER));
}

/*
 * Check line as cmd_run() does, then ask before running it, whatever the
 * command ("line: sure? (y/n)" unless the command has its own question).
 * Where nobody can be asked (a script), it runs at once. Returns as
 * cmd_run() does.
 */
enum cmd_retval
cmd_run_asking(struct cmd_ctx *ctx, const char *line)
{
	return (cmd_run1(ctx, line, CMD_ASK_ALWAYS));
}

/* ==== Sending and results ==== */

/*
 * Send one backend command (args stolen) through ctx. Returns 0 sent,
 * 1 queued in the outbox, or -1 with *cause set (allocated; caller frees).
 */
int
cmd_send(struct cmd_ctx *ctx, const char *cmd, json_t *args,
    const char *summary, char **cause)
{
	if (ctx->ops->send == NULL) {
		json_decref(args);
		*cause = xstrdup(_("no backend"));
		return (-1);
	}
	return (ctx->ops->send(ctx->arg, cmd, args, summary, cause));
}

/*
 * Send one backend command (args stolen) and say so: "note A-1: sent" or
 * "... queued (offline)", or the failure. Returns CMD_WAIT or CMD_ERROR.
 */
enum cmd_retval
cmd_send_one(struct cmd_ctx *ctx, const char *cmd, json_t *args,
    const char *summary)
{
	char	*cause = NULL;
	int	 rv;

	rv = cmd_send(ctx, cmd, args, summary, &cause);
	if (rv < 0) {
		cmd_error(ctx, "%s: %s", summary, cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (!(ctx->flags & CMD_CTX_SCRIPT))
		cmd_print(ctx, rv == 1 ? _("%s: queued (offline)") :
		    _("%s: sent"), summary);
	return (CMD_WAIT);
}

/*
 * Send the protocol command cmd once per id (n of them), with the
 * arguments build(ctx, id, data) returns (a new reference), each named
 * "label id[ suffix]", and say what happened: "ack A-1: sent", "ack: 3
 * queued (offline)" or the first failure. Returns CMD_WAIT when anything
 * went, else CMD_ERROR.
 */
enum cmd_retval
cmd_send_each(struct cmd_ctx *ctx, const char *cmd, const char *label,
    const char *suffix, int n, const char *const *ids,
    json_t *(*build)(struct cmd_ctx *, const char *, void *), void *data)
{
	char	*first = NULL, *cause, *summary;
	int	 i, sent = 0, queued = 0, failed = 0, rv;
	json_t	*cargs;

	for (i = 0; i < n; i++) {
		cause = NULL;
		summary = xprintf("%s %s%s%s", label, ids[i],
		    suffix != NULL ? " " : "", suffix != NULL ? suffix : "");
		cargs = build(ctx, ids[i], data);
		rv = cmd_send(ctx, cmd, cargs, summary, &cause);
		if (rv == 0)
			sent++;
		else if (rv == 1)
			queued++;
		else {
			failed++;
			if (first == NULL)
				first = cause;
			else
				free(cause);
		}
		if (n == 1 && rv >= 0 && !(ctx->flags & CMD_CTX_SCRIPT))
			cmd_print(ctx, rv == 1 ? _("%s: queued (offline)") :
			    _("%s: sent"), summary);
		free(summary);
	}
	if (failed != 0) {
		if (sent + queued > 0)
			cmd_error(ctx, _("%s: %s (%d other%s sent)"), label,
			    first, sent + queued, sent + queued == 1 ? "" :
			    "s");
		else
			cmd_error(ctx, "%s: %s", label, first);
		free(first);
		return (sent + queued > 0 ? CMD_WAIT : CMD_ERROR);
	}
	if (n == 1 || (ctx->flags & CMD_CTX_SCRIPT))
		return (CMD_WAIT);
	if (queued)
		cmd_print(ctx, _("%s: %d queued (offline)"), label, queued);
	else
		cmd_print(ctx, _("%s: %d sent"), label, sent);
	return (CMD_WAIT);
}

/*
 * The version the console holds of the item a command's args name first
 * (kind_first_arg()), or 0 when it names none or the console has none.
 */
static uint32_t
cmd_version_of(struct store *s, json_t *args)
{
	const struct kind	*k;
	const char		*id;
	const void		*item;

	if ((k = kind_first_arg(args, &id)) == NULL ||
	    (item = store_find(s, k, id)) == NULL)
		return (0);
	return (kind_version(k, item));
}

/*
 * The commands that report a result or ask first, by the verb an officer
 * reads in the message line and the questions: "ack A-0004" is said
 * "xác nhận A-0004" in Vietnamese. What is typed stays the command.
 */
static const char *const cmd_verbs[] = {
	NC_("verb", "ack"), NC_("verb", "assign"), NC_("verb", "close"),
	NC_("verb", "digest"), NC_("verb", "dispatch"),
	NC_("verb", "divert"), NC_("verb", "escalate"), NC_("verb", "mute"),
	NC_("verb", "note"), NC_("verb", "quit"), NC_("verb", "reopen"),
	NC_("verb", "reply"), NC_("verb", "resolve"), NC_("verb", "return"),
	NC_("verb", "status")
};

/*
 * A line ("close A-0004 false_alarm ...") with its first word, when it
 * is a command of cmd_verbs[], said in the officer's language. Returns
 * an allocated string; caller frees.
 */
char *
cmd_said(const char *line)
{
	const char	*rest;
	char		*out;
	size_t		 i, len;

	if (line == NULL)
		return (xstrdup(""));
	rest = line + strcspn(line, " ");
	len = (size_t)(rest - line);
	for (i = 0; i < sizeof cmd_verbs / sizeof cmd_verbs[0]; i++) {
		if (strlen(cmd_verbs[i]) == len &&
		    strncmp(cmd_verbs[i], line, len) == 0) {
			xasprintf(&out, "%s%s", C_("verb", cmd_verbs[i]),
			    rest);
			return (out);
		}
	}
	return (xstrdup(line));
}

/*
 * The line that reports a result: "✓ ack A-1", or "✗ ack A-1: " and the
 * backend's reason in plain words (code is the protocol's error code,
 * message its sanitised text). Returns an allocated string; caller frees.
 */
char *
cmd_result_text(struct cmd_ctx *ctx, const char *summary, int ok,
    const char *code, const char *message)
{
	const char	*mark, *why;
	char		*out, *said;

	said = cmd_said(summary);
	if (ok) {
		xasprintf(&out, "%s %s%s%s", ctx->ascii ? "ok:" : "✓", said,
		    message != NULL ? " " : "", message != NULL ? message : "");
		free(said);
		return (out);
	}
	mark = ctx->ascii ? "FAILED:" : "✗";
	if (code == NULL)
		code = "";
	if (message == NULL || *message == '\0')
		message = code;
	if (strcmp(code, "stale_version") == 0)
		why = _("changed since you saw it");
	else if (strcmp(code, "bad_state") == 0)
		why = _("not possible now");
	else if (strcmp(code, "unit_unavailable") == 0)
		why = _("unit not available");
	else if (strcmp(code, "forbidden") == 0)
		why = _("not allowed for your role or area");
	else if (strcmp(code, "not_found") == 0)
		why = _("not found");
	else if (strcmp(code, "bad_args") == 0)
		why = _("not accepted");
	else if (strcmp(code, "unknown_command") == 0)
		why = _("the backend does not know this command");
	else if (strcmp(code, "conflict") == 0)
		why = _("command id reused with other content");
	else if (strcmp(code, "rate_limited") == 0)
		why = _("too many commands, slow down");
	else if (strcmp(code, "internal") == 0)
		why = _("the backend failed, nothing was changed");
	else
		why = NULL;
	if (why != NULL)
		xasprintf(&out, "%s %s: %s: %s", mark, said, why, message);
	else
		xasprintf(&out, "%s %s: %s", mark, said, message);
	free(said);
	return (out);
}

/*
 * Report the result of a command: sent is the whole message that went
 * out, parsed (for a retry; NULL for none), ok or code and message
 * (sanitised). A stale_version refusal is kept for "retry" and says so.
 */
void
cmd_result(struct cmd_ctx *ctx, const char *summary, const json_t *sent,
    int ok, const char *code, const char *message)
{
	struct cmd_retry	*r;
	json_t			*args;
	const char		*cmd;
	char			*text, *tmp;
	uint32_t		 now = 0;

	text = cmd_result_text(ctx, summary, ok, code, message);
	if (!ok && code != NULL && strcmp(code, "stale_version") == 0 &&
	    json_is_object(sent) &&
	    (cmd = json_string_value(json_object_get(sent, "cmd"))) != NULL &&
	    json_is_object(args = json_object_get(sent, "args"))) {
		if (ctx->nretry == CMD_RETRY_MAX) {
			free(ctx->retry[0].cmd);
			free(ctx->retry[0].summary);
			json_decref(ctx->retry[0].args);
			memmove(&ctx->retry[0], &ctx->retry[1],
			    (CMD_RETRY_MAX - 1) * sizeof ctx->retry[0]);
			ctx->nretry--;
		}
		r = &ctx->retry[ctx->nretry++];
		r->cmd = xstrdup(cmd);
		r->args = json_deep_copy(args);
		r->summary = xstrdup(summary);
		now = cmd_version_of(ctx->store, args);
		if (now != 0)
			xasprintf(&tmp, _("%s; R or :retry sends it again "
			    "with version %u"), text, now);
		else
			xasprintf(&tmp, _("%s; R or :retry sends it again"),
			    text);
		free(text);
		text = tmp;
	}
	if (ok)
		cmd_print(ctx, "%s", text);
	else
		cmd_error(ctx, "%s", text);
	free(text);
}

/*
 * Send again every command refused as stale, each with the version the
 * console holds now and a new id. Returns CMD_WAIT, or CMD_ERROR when
 * there was nothing to retry or nothing could be sent.
 */
enum cmd_retval
cmd_retry_all(struct cmd_ctx *ctx)
{
	struct cmd_retry	*r;
	char			*cause = NULL, *first = NULL;
	uint32_t		 v;
	int			 i, n, sent = 0, failed = 0;

	if (ctx->nretry == 0) {
		cmd_error(ctx, _("retry: nothing to retry"));
		return (CMD_ERROR);
	}
	n = ctx->nretry;
	for (i = 0; i < n; i++) {
		r = &ctx->retry[i];
		if ((v = cmd_version_of(ctx->store, r->args)) != 0)
			json_object_set_new(r->args, "version",
			    json_integer(v));
		if (cmd_send(ctx, r->cmd, json_incref(r->args), r->summary,
		    &cause) >= 0)
			sent++;
		else {
			failed++;
			if (first == NULL)
				first = cause;
			else
				free(cause);
			cause = NULL;
		}
	}
	cmd_retry_clear(ctx);
	if (failed) {
		cmd_error(ctx, _("retry: %s"), first);
		free(first);
		return (sent > 0 ? CMD_WAIT : CMD_ERROR);
	}
	if (!(ctx->flags & CMD_CTX_SCRIPT))
		cmd_print(ctx, _("retry: %d sent again"), sent);
	return (CMD_WAIT);
}

/* ==== Help ==== */

/*
 * The command list for "help" and the overlay, generated from cmd_table.
 * Returns an allocated string; caller frees.
 */
char *
cmd_help_text(void)
{
	const struct cmd_entry	*const *cep, *ce;
	struct buf		 text = BUF_INIT;
	char			*head, *usage;

	for (cep = cmd_table; *cep != NULL; cep++) {
		ce = *cep;
		usage = cmd_usage(ce);
		xasprintf(&head, "%s%s%s", ce->name,
		    ce->alias != NULL ? ", " : "",
		    ce->alias != NULL ? ce->alias : "");
		buf_printf(&text, "%-18s %s\n%19s%s\n", head, usage, "",
		    _(ce->help));
		free(usage);
		free(head);
	}
	return (buf_detach(&text));
}

/*
 * One command's help on one line: "dispatch ALERT UNIT [UNIT...]: help
 * Alias: dd." Returns an allocated string; caller frees.
 */
char *
cmd_help_one(const struct cmd_entry *ce)
{
	char	*usage = cmd_usage(ce), *out;

	xasprintf(&out, _("%s%s%s: %s Alias: %s."), ce->name,
	    *usage != '\0' ? " " : "", usage, _(ce->help),
	    ce->alias != NULL ? ce->alias : "-");
	free(usage);
	return (out);
}

/*
 * Append s to out escaped for roff: backslashes and hyphens escaped, a
 * '.' that starts s guarded, non-ASCII as \[uXXXX], and with nbsp the
 * spaces unbreakable.
 */
void
cmd_roff(struct buf *out, const char *s, int nbsp)
{
	size_t		 len = strlen(s), off = 0;
	uint32_t	 cp;

	while (off < len) {
		off += utf8_decode(s + off, len - off, &cp);
		if (cp == UTF8_BAD)
			continue;
		if (cp == '\\')
			buf_adds(out, "\\e");
		else if (cp == '-')
			buf_adds(out, "\\-");
		else if (cp == '.' && off == 1)
			buf_adds(out, "\\&.");
		else if (cp == ' ' && nbsp)
			buf_adds(out, "\\ ");
		else if (cp < 128)
			buf_addc(out, (char)cp);
		else
			buf_printf(out, "\\[u%04X]", (unsigned)cp);
	}
}

/*
 * The COMMANDS list of docs/trucban.1, in roff, generated from cmd_table
 * (the test checks the man page holds exactly this). Returns an
 * allocated string; caller frees.
 */
char *
cmd_man_text(void)
{
	const struct cmd_entry	*const *cep, *ce;
	struct buf		 out = BUF_INIT;
	char			*usage;

	for (cep = cmd_table; *cep != NULL; cep++) {
		ce = *cep;
		usage = cmd_usage(ce);
		buf_adds(&out, ".TP\n.BR ");
		cmd_roff(&out, ce->name, 0);
		if (ce->alias != NULL) {
			buf_adds(&out, " \", \" ");
			cmd_roff(&out, ce->alias, 1);
		}
		if (*usage != '\0') {
			buf_adds(&out, " \" \\fI");
			cmd_roff(&out, usage, 0);
			buf_adds(&out, "\\fP\"");
		}
		buf_addc(&out, '\n');
		cmd_roff(&out, ce->help, 0);
		buf_addc(&out, '\n');
		free(usage);
	}
	return (buf_detach(&out));
}

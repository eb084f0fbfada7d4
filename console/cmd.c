/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The command table, command-line parsing, checks and completion. */

#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "log.h"
#include "model.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * A command line is split into words at blanks; "..." groups words (with
 * \" and \\ inside), '...' groups them literally. The first word names the
 * command: the exact name, then the alias, then a unique prefix of a name.
 * cmd_run() checks the arity and CMD_NEEDCONN before it calls exec, so the
 * handlers never check them again. Backend commands (ack, dispatch) send
 * one protocol command per item, carrying the version of the item the
 * console holds: the version the officer saw.
 */

static enum cmd_retval	cmd_ack_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_digest_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_dispatch_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_help_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_keys_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_prompt_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_quit_exec(struct cmd_ctx *, struct cmd_args *);
static enum cmd_retval	cmd_redraw_exec(struct cmd_ctx *, struct cmd_args *);

static const struct cmd_entry cmd_ack_entry = {
	.name = "ack",
	.alias = "xn",
	.lower = 1,
	.upper = PROTO_MAX_ARGS,
	.usage = "ID [ID...]",
	.help = "Acknowledge alerts (xác nhận): new -> acknowledged.",
	.complete = "alert.ack",
	.cflags = CMD_NEEDCONN,
	.exec = cmd_ack_exec
};

static const struct cmd_entry cmd_digest_entry = {
	.name = "digest",
	.alias = "kiemtra",
	.lower = 0,
	.upper = 0,
	.usage = "",
	.help = "Compare the console's state with the backend's (digest).",
	.complete = "",
	.cflags = CMD_NEEDCONN,
	.exec = cmd_digest_exec
};

static const struct cmd_entry cmd_dispatch_entry = {
	.name = "dispatch",
	.alias = "dieu",
	.lower = 2,
	.upper = 1 + ALERT_MAX_UNITS,
	.usage = "ID UNIT [UNIT...]",
	.help = "Dispatch available units to an alert (điều động).",
	.complete = "alert.dispatch unit",
	.cflags = CMD_NEEDCONN,
	.exec = cmd_dispatch_exec
};

static const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = "trogiup",
	.lower = 0,
	.upper = 1,
	.usage = "[COMMAND]",
	.help = "List the commands, or show how to use one (trợ giúp).",
	.complete = "command",
	.exec = cmd_help_exec
};

static const struct cmd_entry cmd_keys_entry = {
	.name = "keys",
	.alias = "phim",
	.lower = 0,
	.upper = 0,
	.usage = "",
	.help = "List the key bindings (phím).",
	.complete = "",
	.exec = cmd_keys_exec
};

static const struct cmd_entry cmd_prompt_entry = {
	.name = "prompt",
	.alias = "lenh",
	.lower = 0,
	.upper = 1,
	.usage = "[TEXT]",
	.help = "Open the command line, with TEXT already typed (lệnh).",
	.complete = "",
	.exec = cmd_prompt_exec
};

static const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "thoat",
	.lower = 0,
	.upper = 0,
	.usage = "",
	.help = "Leave the console (thoát).",
	.complete = "",
	.exec = cmd_quit_exec
};

static const struct cmd_entry cmd_redraw_entry = {
	.name = "redraw",
	.alias = "velai",
	.lower = 0,
	.upper = 0,
	.usage = "",
	.help = "Repaint the whole screen (vẽ lại).",
	.complete = "",
	.exec = cmd_redraw_exec
};

const struct cmd_entry *const cmd_table[] = {
	&cmd_ack_entry,
	&cmd_digest_entry,
	&cmd_dispatch_entry,
	&cmd_help_entry,
	&cmd_keys_entry,
	&cmd_prompt_entry,
	&cmd_quit_entry,
	&cmd_redraw_entry,
	NULL
};

/* ==== Finding and parsing ==== */

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
	char			*list = NULL, *tmp;
	int			 n = 0;

	if (len == 0) {
		if (cause != NULL)
			*cause = xstrdup("empty command");
		return (NULL);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if (strcmp((*cep)->name, name) == 0)
			return (*cep);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if ((*cep)->alias != NULL && strcmp((*cep)->alias, name) == 0)
			return (*cep);
	}
	for (cep = cmd_table; *cep != NULL; cep++) {
		if (strncmp((*cep)->name, name, len) != 0)
			continue;
		found = *cep;
		n++;
		if (list == NULL)
			list = xstrdup((*cep)->name);
		else {
			xasprintf(&tmp, "%s, %s", list, (*cep)->name);
			free(list);
			list = tmp;
		}
	}
	if (n == 1) {
		free(list);
		return (found);
	}
	if (cause != NULL) {
		if (n == 0)
			xasprintf(cause, "unknown command: %s (try help)",
			    name);
		else
			xasprintf(cause, "ambiguous: %s", list);
	}
	free(list);
	return (NULL);
}

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

	args->argc = 0;
	args->argv = NULL;
	cap = strlen(line) + 1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		if (args->argc == CMD_MAX_WORDS) {
			if (cause != NULL)
				xasprintf(cause, "too many words (at most "
				    "%d)", CMD_MAX_WORDS);
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
				xasprintf(cause, "missing closing %c", quote);
			goto fail;
		}
		cmd_args_push(args, word);
	}
	if (args->argv == NULL) {
		args->argv = xcalloc(1, sizeof *args->argv);
	}
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
	args->argv = NULL;
	args->argc = 0;
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
 * Parse and run one command line. Errors (unknown or ambiguous command,
 * wrong number of arguments, no link) are reported through ctx and
 * returned as CMD_ERROR; otherwise returns what the command returns.
 */
enum cmd_retval
cmd_run(struct cmd_ctx *ctx, const char *line)
{
	const struct cmd_entry	*ce;
	struct cmd_args		 args;
	enum cmd_retval		 rv = CMD_ERROR;
	char			*cause = NULL;
	int			 npos;

	if (cmd_tokenize(line, &args, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (args.argc == 0) {
		cmd_args_free(&args);
		return (CMD_OK);
	}
	if ((ce = cmd_find(args.argv[0], &cause)) == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		goto out;
	}
	npos = args.argc - 1;
	if (npos < ce->lower || (ce->upper >= 0 && npos > ce->upper)) {
		cmd_error(ctx, "usage: %s%s%s (see: help %s)", ce->name,
		    *ce->usage != '\0' ? " " : "", ce->usage, ce->name);
		goto out;
	}
	if ((ce->cflags & CMD_NEEDCONN) && (ctx->ops->online == NULL ||
	    !ctx->ops->online(ctx->arg))) {
		cmd_error(ctx, "offline: %s not sent (commands are not "
		    "queued while the link is down)", ce->name);
		goto out;
	}
	log_debug("command: %s", line);
	rv = ce->exec(ctx, &args);
out:
	cmd_args_free(&args);
	return (rv);
}

/* ==== Commands ==== */

static int
cmd_send(struct cmd_ctx *ctx, const char *cmd, json_t *args,
    const char *summary, char **cause)
{
	if (ctx->ops->send == NULL) {
		json_decref(args);
		*cause = xstrdup("no backend");
		return (-1);
	}
	return (ctx->ops->send(ctx->arg, cmd, args, summary, cause));
}

static enum cmd_retval
cmd_ack_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct alert	*a;
	const char	*id;
	char		*first = NULL, *cause, *summary;
	int		 i, sent = 0, failed = 0;
	json_t		*cargs;

	for (i = 1; i < args->argc; i++) {
		id = args->argv[i];
		cause = NULL;
		if (!model_id_valid(id, MODEL_ID_MAX))
			xasprintf(&cause, "not an alert id: %s", id);
		else if ((a = store_alert(ctx->store, id)) == NULL)
			xasprintf(&cause, "no such alert: %s", id);
		else {
			cargs = json_pack("{s:s s:I}", "alert", id,
			    "version", (json_int_t)a->version);
			summary = xprintf("ack %s", id);
			if (cmd_send(ctx, "ack", cargs, summary, &cause) == 0)
				sent++;
			free(summary);
		}
		if (cause != NULL) {
			failed++;
			if (first == NULL)
				first = cause;
			else
				free(cause);
		}
	}
	if (failed == 0) {
		if (sent == 1)
			cmd_print(ctx, "ack %s: sent", args->argv[1]);
		else
			cmd_print(ctx, "ack: %d sent", sent);
		return (CMD_WAIT);
	}
	if (sent > 0)
		cmd_error(ctx, "ack: %s (%d other%s sent)", first, sent,
		    sent == 1 ? "" : "s");
	else if (failed > 1)
		cmd_error(ctx, "ack: %s (and %d more)", first, failed - 1);
	else
		cmd_error(ctx, "ack: %s", first);
	free(first);
	return (sent > 0 ? CMD_WAIT : CMD_ERROR);
}

static enum cmd_retval
cmd_dispatch_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct alert	*a;
	const char	*id = args->argv[1], *uid;
	char		*summary, *tmp, *cause = NULL;
	json_t		*units, *cargs;
	int		 i, j;

	if (!model_id_valid(id, MODEL_ID_MAX)) {
		cmd_error(ctx, "dispatch: not an alert id: %s", id);
		return (CMD_ERROR);
	}
	if ((a = store_alert(ctx->store, id)) == NULL) {
		cmd_error(ctx, "dispatch: no such alert: %s", id);
		return (CMD_ERROR);
	}
	for (i = 2; i < args->argc; i++) {
		uid = args->argv[i];
		if (!model_id_valid(uid, MODEL_ID_MAX)) {
			cmd_error(ctx, "dispatch: not a unit id: %s", uid);
			return (CMD_ERROR);
		}
		if (store_unit(ctx->store, uid) == NULL) {
			cmd_error(ctx, "dispatch: no such unit: %s", uid);
			return (CMD_ERROR);
		}
		for (j = 2; j < i; j++) {
			if (strcmp(args->argv[j], uid) == 0) {
				cmd_error(ctx, "dispatch: %s given twice",
				    uid);
				return (CMD_ERROR);
			}
		}
	}
	units = json_array();
	summary = xprintf("dispatch %s", id);
	for (i = 2; i < args->argc; i++) {
		json_array_append_new(units, json_string(args->argv[i]));
		xasprintf(&tmp, "%s %s", summary, args->argv[i]);
		free(summary);
		summary = tmp;
	}
	cargs = json_pack("{s:s s:o s:I}", "alert", id, "units", units,
	    "version", (json_int_t)a->version);
	if (cmd_send(ctx, "dispatch", cargs, summary, &cause) != 0) {
		cmd_error(ctx, "%s: %s", summary, cause);
		free(cause);
		free(summary);
		return (CMD_ERROR);
	}
	cmd_print(ctx, "%s: sent", summary);
	free(summary);
	return (CMD_WAIT);
}

static enum cmd_retval
cmd_digest_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*cause = NULL;

	(void)args;
	if (ctx->ops->digest == NULL) {
		cmd_error(ctx, "digest: no backend");
		return (CMD_ERROR);
	}
	if (ctx->ops->digest(ctx->arg, &cause) != 0) {
		cmd_error(ctx, "digest: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	cmd_print(ctx, "digest: asked");
	return (CMD_WAIT);
}

/*
 * The command list for "help" and the overlay, generated from cmd_table.
 * Returns an allocated string; caller frees.
 */
char *
cmd_help_text(void)
{
	const struct cmd_entry	*const *cep, *ce;
	char			*text = xstrdup(""), *tmp, *head;

	for (cep = cmd_table; *cep != NULL; cep++) {
		ce = *cep;
		xasprintf(&head, "%s%s%s", ce->name,
		    ce->alias != NULL ? ", " : "",
		    ce->alias != NULL ? ce->alias : "");
		xasprintf(&tmp, "%s%-18s %s\n%19s%s\n", text, head,
		    ce->usage, "", ce->help);
		free(head);
		free(text);
		text = tmp;
	}
	return (text);
}

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const struct cmd_entry	*ce;
	char			*cause, *text;

	if (args->argc == 1) {
		text = cmd_help_text();
		if (ctx->ops->pager != NULL)
			ctx->ops->pager(ctx->arg, "Commands / Lệnh", text);
		else
			cmd_print(ctx, "%s", text);
		free(text);
		return (CMD_OK);
	}
	if ((ce = cmd_find(args->argv[1], &cause)) == NULL) {
		cmd_error(ctx, "help: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	cmd_print(ctx, "%s%s%s: %s%s%s", ce->name, *ce->usage != '\0' ?
	    " " : "", ce->usage, ce->help, ce->alias != NULL ? " Alias: " :
	    "", ce->alias != NULL ? ce->alias : "");
	return (CMD_OK);
}

static enum cmd_retval
cmd_keys_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*text;

	(void)args;
	text = input_help_text();
	if (ctx->ops->pager != NULL)
		ctx->ops->pager(ctx->arg, "Keys / Phím", text);
	else
		cmd_print(ctx, "%s", text);
	free(text);
	return (CMD_OK);
}

static enum cmd_retval
cmd_prompt_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	if (ctx->ops->prompt == NULL) {
		cmd_error(ctx, "prompt: no command line here");
		return (CMD_ERROR);
	}
	ctx->ops->prompt(ctx->arg, args->argc > 1 ? args->argv[1] : "");
	return (CMD_OK);
}

static enum cmd_retval
cmd_quit_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	if (ctx->ops->quit != NULL)
		ctx->ops->quit(ctx->arg);
	return (CMD_OK);
}

static enum cmd_retval
cmd_redraw_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	if (ctx->ops->redraw != NULL)
		ctx->ops->redraw(ctx->arg);
	return (CMD_OK);
}

/* ==== Completion ==== */

struct cmd_matches {
	char		**v;
	size_t		 n;
};

static void
cmd_match_add(struct cmd_matches *m, const char *s)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->v[i], s) == 0)
			return;
	}
	m->v = xreallocarray(m->v, m->n + 2, sizeof *m->v);
	m->v[m->n++] = xstrdup(s);
	m->v[m->n] = NULL;
}

static int
cmd_word_used(char **words, int nwords, const char *s)
{
	int	i;

	for (i = 1; i < nwords; i++) {
		if (strcmp(words[i], s) == 0)
			return (1);
	}
	return (0);
}

static void
cmd_complete_with(struct cmd_matches *m, struct store *s, const char *what,
    const char *text, char **words, int nwords)
{
	const struct cmd_entry	*const *cep;
	size_t			 len = strlen(text), i;
	enum alert_action	 act;

	if (strcmp(what, "command") == 0) {
		for (cep = cmd_table; *cep != NULL; cep++) {
			if (strncmp((*cep)->name, text, len) == 0)
				cmd_match_add(m, (*cep)->name);
		}
		return;
	}
	if (s == NULL)
		return;
	if (strncmp(what, "alert.", 6) == 0) {
		act = strcmp(what + 6, "ack") == 0 ? ALERT_DO_ACK :
		    ALERT_DO_DISPATCH;
		/* Newest first. */
		for (i = s->nalerts; i > 0; i--) {
			struct alert	*a = &s->alerts[i - 1];

			if (alert_can(a->state, act) &&
			    strncasecmp(a->id, text, len) == 0 &&
			    !cmd_word_used(words, nwords, a->id))
				cmd_match_add(m, a->id);
		}
		return;
	}
	if (strcmp(what, "unit") == 0) {
		for (i = 0; i < s->nunits; i++) {
			struct unit	*u = &s->units[i];

			if (u->status == UNIT_AVAILABLE &&
			    strncasecmp(u->id, text, len) == 0 &&
			    !cmd_word_used(words, nwords, u->id))
				cmd_match_add(m, u->id);
		}
	}
}

/*
 * Completions for text, the word that starts at byte start of line: a
 * command name for the first word, else what the command's completer for
 * that position offers (alerts in a state the command accepts, newest
 * first; available units). Returns a NULL-terminated array (NULL when
 * nothing matches) and sets *n; free it with cmd_complete_free().
 */
char **
cmd_complete(struct store *s, const char *line, size_t start,
    const char *text, size_t *n)
{
	const struct cmd_entry	*ce;
	struct cmd_matches	 m = { NULL, 0 };
	struct cmd_args		 args;
	char			*head, *spec = NULL, *tok, *save, *last = NULL;
	int			 word, i;

	*n = 0;
	head = xstrndup(line, start);
	if (cmd_tokenize(head, &args, NULL) != 0) {
		free(head);
		return (NULL);
	}
	free(head);
	word = args.argc;
	if (word == 0) {
		cmd_complete_with(&m, s, "command", text, NULL, 0);
		goto out;
	}
	if ((ce = cmd_find(args.argv[0], NULL)) == NULL)
		goto out;
	if (ce->upper >= 0 && word > ce->upper)
		goto out;
	spec = xstrdup(ce->complete != NULL ? ce->complete : "");
	for (i = 1, tok = strtok_r(spec, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save), i++) {
		last = tok;
		if (i == word)
			break;
	}
	if (last != NULL)
		cmd_complete_with(&m, s, last, text, args.argv, args.argc);
out:
	free(spec);
	cmd_args_free(&args);
	*n = m.n;
	return (m.v);
}

/*
 * Free what cmd_complete() returned; NULL is fine.
 */
void
cmd_complete_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Scripted use: command lines against a backend, without a screen. */

#include "script.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "cmd.h"
#include "conn.h"
#include "log.h"
#include "outbox.h"
#include "proto.h"
#include "sanitize.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

/*
 * The same command table, the same connection and store as the screen,
 * on the same kind of lws loop. Once the link is ready (the snapshot is
 * in), the lines run one at a time: a line's commands go out, and the
 * next line runs when every one of them has its result, so a line may
 * rely on what the lines before it did. Each result is one line:
 *
 *	ok ack A-0012
 *	error stale_version ack A-0012: A-0012 changed: you saw version 3...
 *	error local: ack: no such alert: A-9
 *
 * Commands are not queued: the link must come up within the deadline,
 * and each line's results must come within it too; a link that drops
 * ends the run (SCRIPT_NOLINK). Dangerous commands do not ask: the script
 * says what it wants. The outbox is kept in memory only. Every line
 * printed is sanitised (script_print()): a backend's code, message or
 * digest cannot set the terminal's title, clear it or write its
 * clipboard.
 */

struct script {
	const struct script_opts *opts;
	struct lws_context	*ctx;
	struct conn		*conn;
	struct sync		*sync;
	struct store		*store;
	struct cmd_ctx		 cctx;
	char			**lines;
	int			 nlines;
	int			 next;		/* Next line to run. */
	int			 started;	/* The link was ready. */
	int			 outstanding;	/* Results awaited. */
	int			 done;
	int			 status;
	lws_sorted_usec_list_t	 sul_next;
	lws_sorted_usec_list_t	 sul_deadline;
};

static void	script_next_cb(lws_sorted_usec_list_t *);
static void	script_print(struct script *, const char *);

static void
script_say(struct script *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Every line the run prints goes through here: results carry the
 * backend's code, message and digest, so the line is sanitised first (no
 * control characters, escape sequences or bidi controls reach stdout).
 */
static void
script_print(struct script *sc, const char *line)
{
	char	*clean;

	clean = sanitize_text(line, strlen(line), 0);
	sc->opts->print(clean);
	free(clean);
}

static void
script_say(struct script *sc, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	log_info("script: %s", line);
	script_print(sc, line);
	free(line);
}

static void
script_fail(struct script *sc, int status)
{
	if (status > sc->status)
		sc->status = status;
}

static void
script_stop(struct script *sc)
{
	sc->done = 1;
	lws_sul_cancel(&sc->sul_next);
	lws_sul_cancel(&sc->sul_deadline);
	lws_cancel_service(sc->ctx);
}

/* Every command waiting gets an error line; then the run ends. */
static void
script_abandon(struct script *sc, const char *code, const char *why)
{
	struct outbox_entry	*e;

	TAILQ_FOREACH(e, &sc->sync->outbox->list, entry)
		script_say(sc, "error %s %s: %s", code, e->summary, why);
	script_fail(sc, SCRIPT_NOLINK);
	script_stop(sc);
}

static void
script_deadline_cb(lws_sorted_usec_list_t *sul)
{
	struct script	*sc = lws_container_of(sul, struct script,
			    sul_deadline);
	char		*why;

	if (!sc->started) {
		script_say(sc, "error offline: no link to %s within %d s",
		    sc->opts->url, sc->opts->timeout);
		script_fail(sc, SCRIPT_NOLINK);
		script_stop(sc);
		return;
	}
	xasprintf(&why, "no result within %d s", sc->opts->timeout);
	script_abandon(sc, "timeout", why);
	free(why);
}

static void
script_arm(struct script *sc)
{
	lws_sul_schedule(sc->ctx, 0, &sc->sul_deadline, script_deadline_cb,
	    (lws_usec_t)sc->opts->timeout * LWS_US_PER_SEC);
}

static void
script_schedule_next(struct script *sc)
{
	lws_sul_schedule(sc->ctx, 0, &sc->sul_next, script_next_cb, 1);
}

static void
script_next_cb(lws_sorted_usec_list_t *sul)
{
	struct script	*sc = lws_container_of(sul, struct script, sul_next);

	if (sc->done || sc->outstanding > 0)
		return;
	if (sc->next >= sc->nlines) {
		script_stop(sc);
		return;
	}
	script_arm(sc);
	cmd_run(&sc->cctx, sc->lines[sc->next++]);
	if (sc->done)
		return;
	if (sc->outstanding == 0)
		script_schedule_next(sc);
}

/* ==== Hooks for the commands ==== */

static int
script_online(void *arg)
{
	struct script	*sc = arg;

	return (sync_online(sc->sync));
}

static int
script_send(void *arg, const char *cmd, json_t *args, const char *summary,
    char **cause)
{
	struct script	*sc = arg;
	int		 rv;

	rv = sync_send_cmd(sc->sync, cmd, args, summary, cause);
	if (rv >= 0)
		sc->outstanding++;
	return (rv);
}

static int
script_digest(void *arg, char **cause)
{
	struct script	*sc = arg;

	if (sync_send_digest(sc->sync, cause) != 0)
		return (-1);
	sc->outstanding++;
	return (0);
}

static void
script_message(void *arg, int error, const char *text)
{
	struct script	*sc = arg;

	if (error) {
		script_say(sc, "error local: %s", text);
		script_fail(sc, SCRIPT_FAILED);
	} else
		script_say(sc, "%s", text);
}

static void
script_pager(void *arg, const char *title, const char *text)
{
	struct script	*sc = arg;
	const char	*p, *nl;
	char		*line;

	(void)title;
	for (p = text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		script_print(sc, line);
		free(line);
	}
}

static void
script_quit(void *arg)
{
	struct script	*sc = arg;

	sc->next = sc->nlines;
}

static const struct cmd_ops script_cmd_ops = {
	.online = script_online,
	.send = script_send,
	.digest = script_digest,
	.message = script_message,
	.pager = script_pager,
	.quit = script_quit
};

/* ==== Hooks for the connection ==== */

static void
script_conn_message(void *arg, int error, const char *text)
{
	(void)arg;
	log_msg(error ? LOG_WARN : LOG_INFO, "link: %s", text);
}

static void
script_conn_status(void *arg)
{
	struct script	*sc = arg;

	if (sc->done)
		return;
	if (!sc->started && sc->conn->refused) {
		script_say(sc, "error unauthorized: %s refused the token "
		    "(401)", sc->opts->url);
		script_fail(sc, SCRIPT_NOLINK);
		script_stop(sc);
		return;
	}
	if (!sc->started && sc->sync->ready) {
		sc->started = 1;
		log_info("script: link ready at seq %llu",
		    (unsigned long long)sc->store->seq);
		script_schedule_next(sc);
		return;
	}
	if (sc->started && !sc->conn->established) {
		if (sc->conn->refused)
			script_abandon(sc, "offline", "the backend refused "
			    "us (401)");
		else
			script_abandon(sc, "offline", "the link was lost");
		if (!sc->done) {
			script_fail(sc, SCRIPT_NOLINK);
			script_stop(sc);
		}
	}
}

static void
script_conn_result(void *arg, const struct sync_result *r)
{
	struct script	*sc = arg;

	if (r->ok)
		script_say(sc, "ok %s%s%s", r->summary, r->message != NULL ?
		    " " : "", r->message != NULL ? r->message : "");
	else {
		script_say(sc, "error %s %s: %s", r->code != NULL ? r->code :
		    "unknown", r->summary, r->message != NULL ? r->message :
		    "");
		script_fail(sc, SCRIPT_FAILED);
	}
	if (sc->outstanding > 0 && --sc->outstanding == 0 && !sc->done)
		script_schedule_next(sc);
}

/* ==== Lines ==== */

static void
script_push(char ***v, int *n, const char *start, size_t len)
{
	char	*s;

	while (len > 0 && (*start == ' ' || *start == '\t' || *start == '\r'))
		start++, len--;
	while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t' ||
	    start[len - 1] == '\r'))
		len--;
	if (len == 0 || *start == '#')
		return;
	s = xstrndup(start, len);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/*
 * Split text into command lines: at newlines, and at ';' outside quotes
 * (as cmd_tokenize() reads them). Blank lines and lines starting with '#'
 * are skipped. Returns an array of *n allocated lines (NULL when none);
 * free it with script_split_free().
 */
char **
script_split(const char *text, int *n)
{
	const char	*p, *start = text;
	char		**v = NULL, quote = 0;

	*n = 0;
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n') {
			quote = 0;	/* A line ends a quote. */
			script_push(&v, n, start, (size_t)(p - start));
			start = p + 1;
			continue;
		}
		if (quote != 0) {
			if (quote == '"' && *p == '\\' && (p[1] == '"' ||
			    p[1] == '\\'))
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == ';') {
			script_push(&v, n, start, (size_t)(p - start));
			start = p + 1;
		}
	}
	script_push(&v, n, start, (size_t)(p - start));
	return (v);
}

/*
 * Free what script_split() returned.
 */
void
script_split_free(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *
script_read(const char *path, char **cause)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, got;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	buf[len] = '\0';
	if (ferror(f)) {
		xasprintf(cause, "%s: read error", path);
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return (buf);
}

/* ==== The run ==== */

static const struct lws_protocols script_protocols[] = {
	{ PROTO_SUBPROTOCOL, conn_callback, 0, 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * Run the commands of opts (the file's, then -c's) against opts->url.
 * Returns SCRIPT_OK, SCRIPT_FAILED or SCRIPT_NOLINK (see script.h); with
 * SCRIPT_NOLINK *cause may be set (allocated; caller frees) when the run
 * could not start at all (unreadable file, bad URL).
 */
int
script_run(const struct script_opts *opts, char **cause)
{
	struct lws_context_creation_info	 info;
	struct script				 sc;
	struct sync_hooks			 hooks;
	char					*text, *all;
	int					 status;

	memset(&sc, 0, sizeof sc);
	sc.opts = opts;
	all = xstrdup("");
	if (opts->file != NULL) {
		if ((text = script_read(opts->file, cause)) == NULL) {
			free(all);
			return (SCRIPT_NOLINK);
		}
		free(all);
		all = text;
	}
	if (opts->commands != NULL) {
		xasprintf(&text, "%s\n%s", all, opts->commands);
		free(all);
		all = text;
	}
	sc.lines = script_split(all, &sc.nlines);
	free(all);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = script_protocols;
	info.extensions = conn_extensions;
	info.fd_limit_per_thread = 16;
	info.gid = -1;
	info.uid = -1;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = opts->ca;
	if ((sc.ctx = lws_create_context(&info)) == NULL) {
		*cause = xstrdup("cannot create the lws context");
		script_split_free(sc.lines, sc.nlines);
		return (SCRIPT_NOLINK);
	}
	sc.store = store_new();
	memset(&hooks, 0, sizeof hooks);
	hooks.arg = &sc;
	hooks.message = script_conn_message;
	hooks.status = script_conn_status;
	hooks.result = script_conn_result;
	sc.sync = sync_create(sc.store, &hooks);
	sc.sync->ascii = 1;
	if ((sc.conn = conn_create(sc.ctx, opts->url, sc.sync,
	    cause)) == NULL) {
		status = SCRIPT_NOLINK;
		goto out;
	}
	conn_set_token(sc.conn, opts->token);
	cmd_ctx_init(&sc.cctx, sc.store, &script_cmd_ops, &sc);
	sc.cctx.flags = CMD_CTX_SCRIPT;
	sc.cctx.ascii = 1;
	sc.cctx.outbox = sc.sync->outbox;

	conn_start(sc.conn);
	script_arm(&sc);
	while (!sc.done) {
		if (lws_service(sc.ctx, 0) < 0)
			break;
	}
	status = sc.status;
out:
	conn_stop(sc.conn);
	lws_sul_cancel(&sc.sul_next);
	lws_sul_cancel(&sc.sul_deadline);
	lws_context_destroy(sc.ctx);
	cmd_ctx_clear(&sc.cctx);
	conn_free(sc.conn);
	sync_free(sc.sync);
	store_free(sc.store);
	script_split_free(sc.lines, sc.nlines);
	return (status);
}

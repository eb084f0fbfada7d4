/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A drill played and scored by the backend. */

#include "be-drill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "be-msg.h"
#include "be-state.h"
#include "clock.h"
#include "drill.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The drill listens to the state like the journal does: every event
 * (already applied to the store) is looked up in the store and handed
 * to the run with who made it and by which command, so the score is
 * what the engine did, not what a console says it did. A timer on the
 * loop plays the steps that are due and notices the end; the report is
 * written once, at the end or at be_drill_free() (SIGTERM, SIGINT)
 * before it.
 *
 * Over a shared log (several gateways on JetStream, docs/ha.md) the
 * hooks say where the drill started (the first lease holder decides and
 * writes it down), whether this process plays the timeline (only the
 * lease's holder does), and which step made the event being applied
 * from the log: every gateway then knows the injected items and how far
 * the timeline got, so the next holder goes on from the next step, and
 * any gateway scores the trainees from the events alone.
 */

struct be_drill {
	struct be_state		*st;		/* Borrowed. */
	struct drill		*d;		/* Owned. */
	struct drill_run	*run;		/* Owned; NULL: not started. */
	char			*report;	/* Path or NULL. */
	char			**trainees;	/* Before the start. */
	size_t			 ntrainees;
	size_t			 next;		/* Next step to play. */
	int			 reported;
	int			 shared;	/* The hooks are set. */
	struct be_drill_hooks	 hooks;
	int64_t			 next_try;	/* Asking for the start. */

	struct lws_context	*ctx;		/* NULL: no timer. */
	lws_sorted_usec_list_t	 sul;
};

static void	be_drill_event(void *, struct be_msg *);
static void	be_drill_command(void *, const char *, const char *,
		    const char *, const char *);
static void	be_drill_begin(struct be_drill *, int64_t, const char *);
static void	be_drill_join(struct be_drill *, int64_t);

/*
 * A drill for the state st (borrowed; it outlives the drill) from the
 * drill d (taken over), reporting to the file report (NULL: none).
 * Nothing is played before be_drill_start() (over a shared log, events
 * read back may start the run: be_drill_set_hooks()). Caller frees with
 * be_drill_free().
 */
struct be_drill *
be_drill_new(struct be_state *st, struct drill *d, const char *report)
{
	struct be_drill	*bd;

	bd = xcalloc(1, sizeof *bd);
	bd->st = st;
	bd->d = d;
	bd->report = report != NULL ? xstrdup(report) : NULL;
	be_state_listen(st, be_drill_event, be_drill_command, bd);
	return (bd);
}

/*
 * Write the report if the drill started and it was not written, stop
 * the timer and listening, and free the drill. NULL is a no-op.
 */
void
be_drill_free(struct be_drill *bd)
{
	char	*cause;
	size_t	 i;

	if (bd == NULL)
		return;
	if (bd->run != NULL && !bd->reported &&
	    be_drill_report(bd, clock_now(), &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	if (bd->ctx != NULL)
		lws_sul_cancel(&bd->sul);
	be_state_unlisten(bd->st, bd);
	drill_run_free(bd->run);
	drill_free(bd->d);
	for (i = 0; i < bd->ntrainees; i++)
		free(bd->trainees[i]);
	free(bd->trainees);
	free(bd->report);
	free(bd);
}

/*
 * A trainee to report on even if it does nothing (--trainees).
 */
void
be_drill_trainee(struct be_drill *bd, const char *name)
{
	if (bd->run != NULL) {
		drill_run_trainee(bd->run, name);
		return;
	}
	bd->trainees = xreallocarray(bd->trainees, bd->ntrainees + 1,
	    sizeof *bd->trainees);
	bd->trainees[bd->ntrainees++] = xstrdup(name);
}

/* Feed the run an event: the item as the store now holds it. */
static void
be_drill_event(void *arg, struct be_msg *m)
{
	struct be_drill		*bd = arg;
	const struct kind	*k;
	const void		*item;
	json_t			*ev;
	json_error_t		 jerr;
	int64_t			 start;
	int			 step;

	if (bd->shared && bd->hooks.seen(bd->hooks.arg, bd->d->id, &step,
	    &start) && (size_t)step < bd->d->nsteps) {
		/* A step played by another gateway (or before us). */
		if (bd->run == NULL)
			be_drill_begin(bd, start, "joined");
		if (bd->next < (size_t)step + 1)
			bd->next = (size_t)step + 1;
		if (bd->d->steps[step].type == DRILL_STEP_INJECT &&
		    m->item[0] != '\0')
			drill_run_injected(bd->run, (size_t)step, m->item);
	}
	if (bd->run == NULL || m->seq == 0 || m->item[0] == '\0' ||
	    (k = kind_find(m->kind)) == NULL)
		return;
	if ((item = store_find(bd->st->store, k, m->item)) == NULL)
		return;
	ev = json_loadb((const char *)be_msg_text(m), m->len, 0, &jerr);
	if (ev == NULL)
		return;
	drill_run_change(bd->run, k, item, json_string_value(
	    json_object_get(ev, "by")), json_string_value(json_object_get(ev,
	    "cmd")), json_integer_value(json_object_get(ev, "ts")));
	json_decref(ev);
}

/*
 * A command done: a trainer's annotate is a note for the report. The
 * payload is {by, cmd, args}, the result the one its sender got.
 */
static void
be_drill_command(void *arg, const char *id, const char *by,
    const char *payload, const char *result)
{
	struct be_drill	*bd = arg;
	json_t		*p, *r;
	const char	*text;

	(void)id;
	if (bd->run == NULL || strstr(payload, "\"annotate\"") == NULL)
		return;
	p = json_loads(payload, 0, NULL);
	r = json_loads(result, 0, NULL);
	text = json_string_value(json_object_get(json_object_get(p, "args"),
	    "text"));
	if (json_is_true(json_object_get(r, "ok")) && text != NULL &&
	    strcmp(json_string_value(json_object_get(p, "cmd")),
	    "annotate") == 0)
		drill_run_annotate(bd->run, by, clock_now(), text);
	json_decref(p);
	json_decref(r);
}

/*
 * Play the steps due at now and, once, write the report when the drill
 * has ended.
 */
void
be_drill_tick(struct be_drill *bd, int64_t now)
{
	const struct drill	*d = bd->d;
	int64_t			 start;
	char			*cause;
	int			 play;

	if (bd->run == NULL && bd->shared && now >= bd->next_try) {
		bd->next_try = now + BE_DRILL_JOIN_MS;
		be_drill_join(bd, now);
	}
	if (bd->run == NULL)
		return;
	start = drill_run_start(bd->run);
	play = !bd->shared || bd->hooks.leader(bd->hooks.arg);
	while (play && bd->next < d->nsteps &&
	    now - start >= d->steps[bd->next].at) {
		if (bd->shared)
			bd->hooks.playing(bd->hooks.arg, d->id, (int)bd->next,
			    start);
		if (drill_apply(bd->run, bd->st->engine, bd->next,
		    &cause) != 0) {
			log_warn("drill %s: timeline[%zu]: %s", d->id,
			    bd->next, cause);
			free(cause);
		} else
			log_info("drill %s: timeline[%zu] at +%llds%s%s",
			    d->id, bd->next, (long long)(d->steps[bd->next].at /
			    1000), bd->d->steps[bd->next].name != NULL ? ": " :
			    "", bd->d->steps[bd->next].name != NULL ?
			    bd->d->steps[bd->next].name : "");
		if (bd->shared)
			bd->hooks.playing(bd->hooks.arg, d->id, -1, 0);
		bd->next++;
	}
	if (!bd->reported && drill_run_ended(bd->run, now)) {
		log_info("drill %s: ended", d->id);
		if (be_drill_report(bd, now, &cause) != 0) {
			log_error("%s", cause);
			free(cause);
		}
	}
}

static void
be_drill_cb(lws_sorted_usec_list_t *sul)
{
	struct be_drill	*bd = lws_container_of(sul, struct be_drill, sul);

	be_drill_tick(bd, clock_now());
	if (bd->run == NULL || !bd->reported || bd->next < bd->d->nsteps)
		lws_sul_schedule(bd->ctx, 0, &bd->sul, be_drill_cb,
		    BE_DRILL_TICK_MS * LWS_US_PER_MS);
}

/*
 * Start the drill at now: the steps due at once are played, the others
 * on the context's loop (NULL: only when be_drill_tick() is called).
 */
void
be_drill_start(struct be_drill *bd, struct lws_context *ctx, int64_t now)
{
	if (bd->ctx != NULL)
		return;		/* Started already. */
	if (bd->shared && bd->run == NULL) {
		/* Not heard of in the log read back. */
		bd->next_try = now + BE_DRILL_JOIN_MS;
		be_drill_join(bd, now);
	} else if (bd->run == NULL)
		be_drill_begin(bd, now, "started");
	be_drill_tick(bd, now);
	if ((bd->ctx = ctx) != NULL)
		lws_sul_schedule(ctx, 0, &bd->sul, be_drill_cb,
		    BE_DRILL_TICK_MS * LWS_US_PER_MS);
}

/* The run, started at start (how: "started", "joined"). */
static void
be_drill_begin(struct be_drill *bd, int64_t start, const char *how)
{
	size_t	i;

	bd->run = drill_run_new(bd->d, start);
	for (i = 0; i < bd->ntrainees; i++)
		drill_run_trainee(bd->run, bd->trainees[i]);
	log_info("drill %s (%s) %s, %lld s in: %zu steps, %zu expectations, "
	    "%d points, %d to pass, %lld s", bd->d->id, bd->d->title, how,
	    (long long)((clock_now() - start) / 1000), bd->d->nsteps,
	    bd->d->nexpect, bd->d->max, bd->d->pass,
	    (long long)(bd->d->duration / 1000));
}

/*
 * Over a shared log: the drill's start as the log holds it (the lease's
 * holder writes now when there is none yet). Not known yet: the timer
 * asks again every BE_DRILL_JOIN_MS, and the first event a step made
 * tells it too.
 */
static void
be_drill_join(struct be_drill *bd, int64_t now)
{
	int64_t	 start;
	char	*cause = NULL;
	int	 rc;

	rc = bd->hooks.start(bd->hooks.arg, bd->d->id, now, &start, &cause);
	if (rc < 0) {
		log_warn("drill %s: %s", bd->d->id, cause);
		free(cause);
	} else if (rc == 1 && bd->run == NULL)
		be_drill_begin(bd, start, start == now ? "started" :
		    "joined, started");
}

/*
 * Run over a shared log (docs/ha.md) through the hooks (copied): the
 * start comes from hooks->start, only while hooks->leader says so are
 * the steps played, and events hooks->seen says a step made advance the
 * timeline. Before be_drill_start().
 */
void
be_drill_set_hooks(struct be_drill *bd, const struct be_drill_hooks *hooks)
{
	bd->hooks = *hooks;
	bd->shared = 1;
}

/* Write text to path through a temporary file, so a reader never sees
 * half of it. Returns 0, or -1 with *cause set. */
static int
be_drill_write(const char *path, const char *text, char **cause)
{
	FILE	*f;
	char	*tmp;
	int	 rc = 0;

	xasprintf(&tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	if (fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return (rc);
}

/*
 * Write the report as it stands at now: the JSON to the --report file,
 * the text beside it (FILE.txt). Without a file, the text goes to the
 * log. Returns 0, or -1 with *cause set (caller frees).
 */
int
be_drill_report(struct be_drill *bd, int64_t now, char **cause)
{
	json_t	*j;
	char	*json, *text, *path;
	int	 rc = 0;

	*cause = NULL;
	if (bd->run == NULL)
		return (0);
	bd->reported = 1;
	j = drill_run_json(bd->run, now);
	json = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	text = drill_run_text(bd->run, now);
	if (bd->report == NULL)
		log_info("drill report:\n%s", text);
	else {
		json = xreallocarray(json, strlen(json) + 2, 1);
		strcat(json, "\n");
		xasprintf(&path, "%s.txt", bd->report);
		if (be_drill_write(bd->report, json, cause) != 0 ||
		    be_drill_write(path, text, cause) != 0)
			rc = -1;
		else
			log_info("drill report: %s, %s", bd->report, path);
		free(path);
	}
	free(json);
	free(text);
	return (rc);
}

/* The run (borrowed; NULL before the start). */
struct drill_run *
be_drill_run(struct be_drill *bd)
{
	return (bd->run);
}

const struct drill *
be_drill_drill(const struct be_drill *bd)
{
	return (bd->d);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The domain model: wire names, copies, histories and state machines. */

#include "model.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strpool.h"
#include "xmalloc.h"

const char *const alert_kind_names[ALERT_KIND_COUNT] = {
	"flood", "storm", "fire", "traffic", "environment", "health",
	"security", "infrastructure", "ict"
};
const char *const alert_source_names[SOURCE_COUNT] = {
	"sensor", "camera", "citizen", "hospital", "manual"
};
const char *const alert_state_names[ALERT_STATE_COUNT] = {
	"new", "acknowledged", "dispatched", "on_scene", "resolved", "closed"
};
const char *const disposition_names[DISPOSITION_COUNT] = {
	"none", "resolved", "false_alarm", "duplicate", "cancelled",
	"transferred"
};
const char *const unit_type_names[UNIT_TYPE_COUNT] = {
	"ambulance", "fire", "police", "traffic_police", "rescue",
	"environment", "utility"
};
const char *const unit_status_names[UNIT_STATUS_COUNT] = {
	"available", "dispatched", "en_route", "on_scene", "returning",
	"out_of_service"
};
const char *const hospital_status_names[HOSPITAL_STATUS_COUNT] = {
	"normal", "busy", "critical"
};
const char *const school_level_names[SCHOOL_LEVEL_COUNT] = {
	"mn", "th", "thcs", "thpt"
};
const char *const fb_channel_names[FB_CHANNEL_COUNT] = {
	"app", "hotline", "web", "zalo", "press", "social"
};
const char *const fb_state_names[FB_STATE_COUNT] = {
	"new", "assigned", "in_progress", "answered", "closed", "returned"
};

/*
 * The alert state machine: which action each state allows. Reopen goes
 * back to acknowledged, recall (the last unit released before the work
 * was done) too; see docs/protocol.md §6.
 */
static const unsigned char alert_fsm[ALERT_STATE_COUNT][ALERT_DO_ACTION_COUNT] = {
	/*		     ack dsp scn res cls rop not esc mut rcl */
	[ALERT_NEW]	     = { 1, 1, 0, 1, 1, 0, 1, 1, 1, 0 },
	[ALERT_ACKNOWLEDGED] = { 0, 1, 0, 1, 1, 0, 1, 1, 1, 0 },
	[ALERT_DISPATCHED]   = { 0, 1, 1, 1, 1, 0, 1, 1, 1, 1 },
	[ALERT_ON_SCENE]     = { 0, 1, 0, 1, 1, 0, 1, 1, 1, 1 },
	[ALERT_RESOLVED]     = { 0, 0, 0, 0, 1, 1, 1, 0, 0, 0 },
	[ALERT_CLOSED]	     = { 0, 0, 0, 0, 0, 1, 1, 0, 0, 0 },
};

/*
 * The unit status cycle: which status may follow which. Dispatched is
 * reached only by dispatching an available unit; the rest by the unit's
 * own reports; see docs/protocol.md §6.
 */
static const unsigned char unit_fsm[UNIT_STATUS_COUNT][UNIT_STATUS_COUNT] = {
	/*			  avl dsp enr scn ret oos */
	[UNIT_AVAILABLE]      = { 0, 1, 0, 0, 0, 1 },
	[UNIT_DISPATCHED]     = { 1, 0, 1, 1, 1, 1 },
	[UNIT_EN_ROUTE]	      = { 1, 0, 0, 1, 1, 1 },
	[UNIT_ON_SCENE]	      = { 1, 0, 0, 0, 1, 1 },
	[UNIT_RETURNING]      = { 1, 0, 0, 0, 0, 1 },
	[UNIT_OUT_OF_SERVICE] = { 1, 0, 0, 0, 0, 0 },
};

/*
 * The feedback case life cycle; see docs/protocol.md §6. Transfer is the
 * holding body's; return hands a transferred case back, else ends it.
 */
static const unsigned char fb_fsm[FB_STATE_COUNT][FB_DO_ACTION_COUNT] = {
	/*		     asg sta rep ret cls trf */
	[FB_NEW]	 = { 1, 0, 0, 1, 0, 0 },
	[FB_ASSIGNED]	 = { 1, 1, 1, 1, 0, 1 },
	[FB_IN_PROGRESS] = { 1, 0, 1, 1, 0, 1 },
	[FB_ANSWERED]	 = { 0, 0, 0, 0, 1, 0 },
	[FB_CLOSED]	 = { 0, 0, 0, 0, 0, 0 },
	[FB_RETURNED]	 = { 1, 0, 0, 0, 1, 0 },
};

/*
 * Returns the index of s in names[0..n), or -1 when absent or NULL.
 */
int
model_enum_parse(const char *const *names, int n, const char *s)
{
	int	i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return (i);
	}
	return (-1);
}

/*
 * Returns 1 if s is a non-empty id of [A-Za-z0-9_.-] that fits a buffer of
 * max bytes, else 0.
 */
int
model_id_valid(const char *s, size_t max)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 >= max)
			return (0);
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return (0);
	}
	return (1);
}

/*
 * Copy src into dst[dstsz]. Returns 0, or -1 (dst untouched) when it does
 * not fit.
 */
int
model_set_code(char *dst, size_t dstsz, const char *src)
{
	size_t	len = strlen(src);

	if (len >= dstsz)
		return (-1);
	memcpy(dst, src, len + 1);
	return (0);
}

static char *
model_dup(const char *s)
{
	return (s == NULL ? NULL : xstrdup(s));
}

/* ==== Histories ==== */

/*
 * An entry as held: the strings are ids in the pool (strpool.h), each id
 * one reference of this record's.
 */
struct history_rec {
	int64_t		 ts;
	uint32_t	 by;
	uint32_t	 what;
	uint32_t	 text;
	uint32_t	 count;
};

/* Give back the references of v[0..n). */
static void
history_release(struct history_rec *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		strpool_put(v[i].by);
		strpool_put(v[i].what);
		strpool_put(v[i].text);
	}
}

static int
history_rec_trimmed(const struct history_rec *r)
{
	return (strcmp(strpool_str(r->what), "trimmed") == 0);
}

/*
 * Free a history's block; it is left empty and usable.
 */
void
history_clear(struct history *h)
{
	history_release(h->v, h->n);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

/*
 * Make v[0..n) (a block of its own, its references taken) h's history,
 * h being empty. Past HISTORY_MAX the oldest records fold into one
 * "trimmed" marker at the front, as history_add() would fold them one at
 * a time: its time is the latest folded, its count theirs (a folded
 * marker's count, 1 for any other).
 */
static void
history_take(struct history *h, struct history_rec *v, size_t n)
{
	struct history_rec	 mark;
	char			 text[32];
	size_t			 i, k;

	if (n > HISTORY_MAX) {
		k = n - HISTORY_MAX;
		memset(&mark, 0, sizeof mark);
		mark.ts = v[0].ts;
		for (i = 0; i <= k; i++) {
			if (v[i].ts > mark.ts)
				mark.ts = v[i].ts;
			mark.count += history_rec_trimmed(&v[i]) ?
			    v[i].count : 1;
		}
		snprintf(text, sizeof text, "%u earlier entries", mark.count);
		mark.by = STRPOOL_EMPTY;
		mark.what = strpool_get("trimmed", strlen("trimmed"));
		mark.text = strpool_get(text, strlen(text));
		history_release(v, k + 1);
		memmove(v + 1, v + k + 1, (n - k - 1) * sizeof *v);
		v[0] = mark;
		n = HISTORY_MAX;
		v = xreallocarray(v, n, sizeof *v);
	}
	if (n == 0) {
		free(v);
		v = NULL;
	}
	h->v = v;
	h->n = n;
}

/*
 * Replace h with the n entries of v (strings copied into the pool; they
 * may point into h itself), folded past HISTORY_MAX as history_add() one
 * by one would. A what longer than HISTORY_WHAT_MAX - 1 is cut.
 */
void
history_set(struct history *h, const struct history_entry *v, size_t n)
{
	struct history_rec	*r = NULL;
	size_t			 i;

	if (n > 0)
		r = xreallocarray(NULL, n, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].ts = v[i].ts;
		r[i].by = v[i].by == NULL ? STRPOOL_EMPTY :
		    strpool_get(v[i].by, strlen(v[i].by));
		r[i].what = strpool_get(v[i].what, strnlen(v[i].what,
		    HISTORY_WHAT_MAX - 1));
		r[i].text = v[i].text == NULL ? STRPOOL_EMPTY :
		    strpool_get(v[i].text, strlen(v[i].text));
		r[i].count = v[i].count;
	}
	/* Only now: v may point into the old block's strings. */
	history_clear(h);
	history_take(h, r, n);
}

/*
 * Deep copy src into dst, which must not hold entries.
 */
void
history_copy(struct history *dst, const struct history *src)
{
	struct history_rec	*v = NULL;
	size_t			 i;

	if (src->n > 0) {
		v = xreallocarray(NULL, src->n, sizeof *v);
		memcpy(v, src->v, src->n * sizeof *v);
	}
	for (i = 0; i < src->n; i++) {
		strpool_hold(v[i].by);
		strpool_hold(v[i].what);
		strpool_hold(v[i].text);
	}
	dst->v = v;
	dst->n = src->n;
}

/* Append the entries of add to h, each with its count. */
void
history_append(struct history *h, const struct history *add)
{
	struct history_rec	*v;
	size_t			 i, n = h->n;

	if (add->n == 0)
		return;
	v = xreallocarray(h->v, n + add->n, sizeof *v);
	memcpy(v + n, add->v, add->n * sizeof *v);
	for (i = n; i < n + add->n; i++) {
		strpool_hold(v[i].by);
		strpool_hold(v[i].what);
		strpool_hold(v[i].text);
	}
	history_take(h, v, n + add->n);
}

/*
 * The number of entries ever appended: those held, plus those the
 * "trimmed" marker folded in place of itself. Folding keeps it, each
 * history_add() adds one: so it numbers the entries of an append-only
 * history (docs/protocol.md, "history_from").
 */
uint64_t
history_total(const struct history *h)
{
	if (h->n > 0 && history_rec_trimmed(&h->v[0]))
		return ((uint64_t)h->v[0].count + h->n - 1);
	return (h->n);
}

/*
 * Append an entry (strings copied; by and text may be NULL for ""). When
 * the history is full, the oldest entries are folded into the "trimmed"
 * marker so that at most HISTORY_MAX remain. what longer than
 * HISTORY_WHAT_MAX - 1 is cut.
 */
void
history_add(struct history *h, int64_t ts, const char *by, const char *what,
    const char *text)
{
	struct history_rec	*v;

	v = xreallocarray(h->v, h->n + 1, sizeof *v);
	v[h->n].ts = ts;
	v[h->n].by = by == NULL ? STRPOOL_EMPTY : strpool_get(by, strlen(by));
	v[h->n].what = strpool_get(what, strnlen(what, HISTORY_WHAT_MAX - 1));
	v[h->n].text = text == NULL ? STRPOOL_EMPTY : strpool_get(text,
	    strlen(text));
	v[h->n].count = 0;
	history_take(h, v, h->n + 1);
}

/* Record i of h; fatal past the end (a bug). */
static const struct history_rec *
history_rec(const struct history *h, size_t i)
{
	if (i >= h->n)
		fatalx("history: entry %zu of %zu", i, h->n);
	return (&h->v[i]);
}

/*
 * Entry i of h into *e, its strings the pool's (valid until h changes).
 * Returns e.
 */
const struct history_entry *
history_at(const struct history *h, size_t i, struct history_entry *e)
{
	const struct history_rec	*r = history_rec(h, i);

	e->ts = r->ts;
	e->by = strpool_str(r->by);
	e->what = strpool_str(r->what);
	e->text = strpool_str(r->text);
	e->count = r->count;
	return (e);
}

int64_t
history_ts(const struct history *h, size_t i)
{
	return (history_rec(h, i)->ts);
}

const char *
history_by(const struct history *h, size_t i)
{
	return (strpool_str(history_rec(h, i)->by));
}

const char *
history_what(const struct history *h, size_t i)
{
	return (strpool_str(history_rec(h, i)->what));
}

const char *
history_text(const struct history *h, size_t i)
{
	return (strpool_str(history_rec(h, i)->text));
}

uint32_t
history_count(const struct history *h, size_t i)
{
	return (history_rec(h, i)->count);
}

/* ==== Pooled strings ==== */

/*
 * An item a store holds keeps its strings in the process's pool: a
 * province's alerts come from a few hundred places and templates, and
 * are acknowledged by a few dozen officers, so most of their text is
 * already there once (docs/architecture.md, what each side holds per
 * item). A string seen once costs its bytes and about 30 more.
 */

/* The field *p, owned, becomes the pool's copy. */
static void
model_pool_str(char **p)
{
	const char	*q = strpool_intern(*p);

	free(*p);
	*p = (char *)q;
}

/*
 * Free an owned field, or give back a pooled one's reference (one given a
 * string of its own since, by a test, is freed).
 */
static void
model_free_str(char *s, int pooled)
{
	if (!pooled || strpool_release(s) != 0)
		free(s);
}

/* ==== Alerts ==== */

void
alert_clear(struct alert *a)
{
	model_free_str(a->place, a->pooled);
	model_free_str(a->title, a->pooled);
	model_free_str(a->acked_by, a->pooled);
	model_free_str(a->handler, a->pooled);
	free(a->units);
	history_clear(&a->hist);
	memset(a, 0, sizeof *a);
}

/*
 * Deep copy src into dst, which must not hold owned strings.
 */
void
alert_copy(struct alert *dst, const struct alert *src)
{
	*dst = *src;
	dst->pooled = 0;
	dst->place = model_dup(src->place);
	dst->title = model_dup(src->title);
	dst->acked_by = model_dup(src->acked_by);
	dst->handler = model_dup(src->handler);
	dst->units = NULL;
	if (src->nunits > 0) {
		dst->units = xreallocarray(NULL, (size_t)src->nunits,
		    sizeof *dst->units);
		memcpy(dst->units, src->units, (size_t)src->nunits *
		    sizeof *dst->units);
	}
	history_copy(&dst->hist, &src->hist);
}

/*
 * Make the alert's strings the pool's shared copies (a store does, on
 * taking it). They are read-only from then until alert_clear().
 */
void
alert_pool(struct alert *a)
{
	if (a->pooled)
		return;
	model_pool_str(&a->place);
	model_pool_str(&a->title);
	model_pool_str(&a->acked_by);
	model_pool_str(&a->handler);
	a->pooled = 1;
}

int
alert_add_unit(struct alert *a, const char *unit)
{
	size_t	len = strlen(unit);

	if (a->nunits >= ALERT_MAX_UNITS || len >= MODEL_ID_MAX)
		return (-1);
	a->units = xreallocarray(a->units, (size_t)a->nunits + 1,
	    sizeof *a->units);
	memset(a->units[a->nunits], 0, sizeof a->units[0]);
	memcpy(a->units[a->nunits++], unit, len);
	return (0);
}

void
alert_clear_units(struct alert *a)
{
	free(a->units);
	a->units = NULL;
	a->nunits = 0;
}

/*
 * Returns 1 if the unit id is assigned to the alert.
 */
int
alert_has_unit(const struct alert *a, const char *unit)
{
	int	i;

	for (i = 0; i < a->nunits; i++) {
		if (strcmp(a->units[i], unit) == 0)
			return (1);
	}
	return (0);
}

/*
 * Remove a unit id from the alert's units. Returns 1 if it was there.
 */
int
alert_remove_unit(struct alert *a, const char *unit)
{
	int	i;

	for (i = 0; i < a->nunits; i++) {
		if (strcmp(a->units[i], unit) == 0) {
			memmove(a->units[i], a->units[i + 1],
			    (size_t)(a->nunits - i - 1) * sizeof a->units[0]);
			a->nunits--;
			memset(a->units[a->nunits], 0, sizeof a->units[0]);
			if (a->nunits == 0)
				alert_clear_units(a);
			return (1);
		}
	}
	return (0);
}

/*
 * Returns 1 if the state machine allows action in state.
 */
int
alert_can(enum alert_state state, enum alert_action action)
{
	if ((int)state < 0 || state >= ALERT_STATE_COUNT ||
	    (int)action < 0 || action >= ALERT_DO_ACTION_COUNT)
		return (0);
	return (alert_fsm[state][action]);
}

/*
 * Returns 1 while the alert still needs attention (not resolved or closed).
 */
int
alert_is_open(const struct alert *a)
{
	return (a->state != ALERT_RESOLVED && a->state != ALERT_CLOSED);
}

/*
 * The stage clock running for an alert (docs/protocol.md §5): the first
 * stage of its cycle not yet reached, to acknowledge, to dispatch, to be
 * on scene; none once a unit is on scene or the alert is resolved or
 * closed. A stage counts as reached when its instant is set or the state
 * is past it, so a backend that sends no stage clocks (version 1) still
 * gives the right stage, with its "deadline" as the time to acknowledge.
 * Sets *due to when the stage is due (0: no limit; also 0 for none).
 */
enum alert_clock
alert_clock(const struct alert *a, int64_t *due)
{
	*due = 0;
	if (!alert_is_open(a))
		return (ALERT_CLOCK_NONE);
	if (a->acked_at == 0 && a->state == ALERT_NEW) {
		*due = a->due_ack != 0 ? a->due_ack : a->deadline;
		return (ALERT_CLOCK_ACK);
	}
	if (a->dispatched_at == 0 && a->state == ALERT_ACKNOWLEDGED) {
		*due = a->due_dispatch;
		return (ALERT_CLOCK_DISPATCH);
	}
	if (a->on_scene_at == 0 && a->state != ALERT_ON_SCENE) {
		*due = a->due_on_scene;
		return (ALERT_CLOCK_ON_SCENE);
	}
	return (ALERT_CLOCK_NONE);
}

void
unit_clear(struct unit *u)
{
	free(u->name);
	memset(u, 0, sizeof *u);
}

void
unit_copy(struct unit *dst, const struct unit *src)
{
	*dst = *src;
	dst->name = model_dup(src->name);
}

/*
 * Returns 1 if a unit may go from status "from" to status "to".
 */
int
unit_can(enum unit_status from, enum unit_status to)
{
	if ((int)from < 0 || from >= UNIT_STATUS_COUNT || (int)to < 0 ||
	    to >= UNIT_STATUS_COUNT)
		return (0);
	return (unit_fsm[from][to]);
}

/*
 * Returns 1 while the unit is on a job (dispatched, en route, on scene).
 */
int
unit_is_busy(const struct unit *u)
{
	return (u->status == UNIT_DISPATCHED || u->status == UNIT_EN_ROUTE ||
	    u->status == UNIT_ON_SCENE);
}

void
hospital_clear(struct hospital *h)
{
	free(h->name);
	memset(h, 0, sizeof *h);
}

void
hospital_copy(struct hospital *dst, const struct hospital *src)
{
	*dst = *src;
	dst->name = model_dup(src->name);
}

/*
 * Derive the status: critical on diversion or at 95 % of beds or ICU, busy
 * at 85 %, else normal.
 */
enum hospital_status
hospital_status(const struct hospital *h)
{
	long	beds = h->beds > 0 ? (long)h->beds_used * 100 / h->beds : 0;
	long	icu = h->icu > 0 ? (long)h->icu_used * 100 / h->icu : 0;
	long	worst = beds > icu ? beds : icu;

	if (h->diversion || worst >= 95)
		return (HOSPITAL_CRITICAL);
	if (worst >= 85)
		return (HOSPITAL_BUSY);
	return (HOSPITAL_NORMAL);
}

void
school_clear(struct school *s)
{
	free(s->name);
	memset(s, 0, sizeof *s);
}

void
school_copy(struct school *dst, const struct school *src)
{
	*dst = *src;
	dst->name = model_dup(src->name);
}

void
feedback_clear(struct feedback *f)
{
	model_free_str(f->text, f->pooled);
	model_free_str(f->reply, f->pooled);
	model_free_str(f->handler, f->pooled);
	free(f->via);
	history_clear(&f->hist);
	memset(f, 0, sizeof *f);
}

void
feedback_copy(struct feedback *dst, const struct feedback *src)
{
	*dst = *src;
	dst->pooled = 0;
	dst->text = model_dup(src->text);
	dst->reply = model_dup(src->reply);
	dst->handler = model_dup(src->handler);
	dst->via = NULL;
	if (src->nvia > 0) {
		dst->via = xreallocarray(NULL, (size_t)src->nvia,
		    sizeof *dst->via);
		memcpy(dst->via, src->via, (size_t)src->nvia *
		    sizeof *dst->via);
	}
	history_copy(&dst->hist, &src->hist);
}

/*
 * Make the case's strings the pool's shared copies, as alert_pool().
 */
void
feedback_pool(struct feedback *f)
{
	if (f->pooled)
		return;
	model_pool_str(&f->text);
	model_pool_str(&f->reply);
	model_pool_str(&f->handler);
	f->pooled = 1;
}

int
feedback_push_via(struct feedback *f, const char *body, int64_t since,
    int64_t deadline)
{
	struct fb_hop	*hop;

	if (f->nvia >= FB_VIA_MAX)
		return (-1);
	f->via = xreallocarray(f->via, (size_t)f->nvia + 1, sizeof *f->via);
	hop = &f->via[f->nvia++];
	memset(hop, 0, sizeof *hop);
	snprintf(hop->body, sizeof hop->body, "%s", body);
	hop->since = since;
	hop->deadline = deadline;
	return (0);
}

int
feedback_pop_via(struct feedback *f, struct fb_hop *hop)
{
	if (f->nvia == 0)
		return (-1);
	*hop = f->via[--f->nvia];
	if (f->nvia == 0)
		feedback_clear_via(f);
	return (0);
}

void
feedback_clear_via(struct feedback *f)
{
	free(f->via);
	f->via = NULL;
	f->nvia = 0;
}

/*
 * Returns 1 if the case's life cycle allows action in state.
 */
int
feedback_can(enum fb_state state, enum fb_action action)
{
	if ((int)state < 0 || state >= FB_STATE_COUNT || (int)action < 0 ||
	    action >= FB_DO_ACTION_COUNT)
		return (0);
	return (fb_fsm[state][action]);
}

/*
 * Returns 1 while the case still needs an answer.
 */
int
feedback_is_open(const struct feedback *f)
{
	return (f->state != FB_CLOSED && f->state != FB_RETURNED &&
	    f->state != FB_ANSWERED);
}

void
area_clear(struct area *a)
{
	free(a->name);
	free(a->short_name);
	free(a->group_name);
	free(a->former);
	memset(a, 0, sizeof *a);
}

/* Copy an area deeply into dst, which is overwritten (not freed). */
void
area_copy(struct area *dst, const struct area *src)
{
	*dst = *src;
	dst->name = model_dup(src->name);
	dst->short_name = model_dup(src->short_name);
	dst->group_name = model_dup(src->group_name);
	dst->former = model_dup(src->former);
}

/* 1 if s is a valid area abbreviation: 1 to 4 ASCII letters or digits. */
int
area_abbr_valid(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= MODEL_ABBR_MAX - 1 || !((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9')))
			return (0);
	}
	return (i > 0);
}

void
department_clear(struct department *d)
{
	free(d->name);
	memset(d, 0, sizeof *d);
}

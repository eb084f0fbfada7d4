/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The simulated province. Every tick draws one step by weight from the
 * state's seeded generator: a new alert from a template, a hospital gauge
 * drifting, a school's attendance (school hours only), a new feedback case,
 * or a dispatched unit moving on (dispatched -> en_route -> on_scene, the
 * alert following it on scene). Every change is an event made through
 * be_emit_*(), the same path as officers' commands. Only the generator
 * and the state decide what happens, so the same seed and the same
 * commands give the same events; only the timestamps follow the clock.
 */

#include "be-sim.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "be-data.h"
#include "be-rng.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BE_SIM_MAX_OPEN_ALERTS	40	/* No new alerts beyond. */
#define BE_SIM_MAX_OPEN_FEEDBACK	40
#define BE_SIM_FEEDBACK_DUE_MS		(48 * 3600 * 1000LL)
#define BE_SIM_INITIAL_ALERTS		8
#define BE_SIM_INITIAL_FEEDBACK		6

struct be_sim {
	struct be_state		*st;
	struct lws_context	*ctx;
	lws_sorted_usec_list_t	 sul;
	lws_usec_t		 period;
};

/* Values for the placeholders of one template. */
struct be_fill {
	const char	*area;
	const char	*place;
	const char	*road;
	const char	*camera;
	const char	*station;
	const char	*hospital;
};

/*
 * Whether local time (at utc_offset_min) is school time: Monday to
 * Saturday, 07:00 to 17:00. Returns 1 or 0.
 */
int
be_sim_school_time(int64_t now, int utc_offset_min)
{
	int64_t	local = now / 1000 + (int64_t)utc_offset_min * 60;
	int64_t	days, secs;
	int	wday, hour;

	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* 1970-01-01 was a Thursday. */
	wday = (int)(((days + 4) % 7 + 7) % 7);
	hour = (int)(secs / 3600);
	return (wday != 0 && hour >= 7 && hour < 17);
}

/* Append len bytes of s to a buffer of at most PROTO_MAX_TEXT - 1 bytes,
 * cutting on a UTF-8 character boundary. */
static void
be_sim_append(char *buf, size_t *used, const char *s, size_t len)
{
	size_t	room = PROTO_MAX_TEXT - 1 - *used;

	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';
}

/*
 * Expand the placeholders of a template (validated at load time). Returns
 * an allocated string of at most PROTO_MAX_TEXT - 1 bytes; caller frees.
 */
static char *
be_sim_expand(const char *tpl, const struct be_fill *f)
{
	char		*buf;
	const char	*p, *open, *close, *v;
	size_t		 used = 0, len;

	buf = xmalloc(PROTO_MAX_TEXT);
	buf[0] = '\0';
	for (p = tpl; (open = strchr(p, '{')) != NULL; p = close + 1) {
		be_sim_append(buf, &used, p, (size_t)(open - p));
		if ((close = strchr(open, '}')) == NULL)
			break;
		len = (size_t)(close - open - 1);
		v = NULL;
		if (len == 4 && strncmp(open + 1, "area", 4) == 0)
			v = f->area;
		else if (len == 5 && strncmp(open + 1, "place", 5) == 0)
			v = f->place;
		else if (len == 4 && strncmp(open + 1, "road", 4) == 0)
			v = f->road;
		else if (len == 6 && strncmp(open + 1, "camera", 6) == 0)
			v = f->camera;
		else if (len == 7 && strncmp(open + 1, "station", 7) == 0)
			v = f->station;
		else if (len == 8 && strncmp(open + 1, "hospital", 8) == 0)
			v = f->hospital;
		if (v == NULL)
			v = "?";
		be_sim_append(buf, &used, v, strlen(v));
	}
	if (open == NULL)
		be_sim_append(buf, &used, p, strlen(p));
	return (buf);
}

/* An area by population weight. */
static const char *
be_sim_pick_area(struct be_state *st)
{
	const struct be_data	*d = st->data;
	unsigned		*w;
	size_t			 i, k;

	w = xcalloc(d->nareas, sizeof *w);
	for (i = 0; i < d->nareas; i++)
		w[i] = d->areas[i].weight;
	k = be_rng_weighted(&st->rng, w, d->nareas);
	free(w);
	return (d->areas[k < d->nareas ? k : 0].code);
}

/*
 * Pick one of n sites, preferring those in area (when area is set and has
 * any). Returns the index.
 */
static size_t
be_sim_pick_site(struct be_state *st, const struct be_site *sites, size_t n,
    const char *area)
{
	size_t	i, k, in = 0;

	if (area[0] != '\0') {
		for (i = 0; i < n; i++)
			in += strcmp(sites[i].area, area) == 0;
	}
	if (in == 0)
		return (be_rng_below(&st->rng, (uint32_t)n));
	k = be_rng_below(&st->rng, (uint32_t)in);
	for (i = 0; i < n; i++) {
		if (strcmp(sites[i].area, area) == 0 && k-- == 0)
			break;
	}
	return (i);
}

/* The same for hospitals, from the store. */
static const struct hospital *
be_sim_pick_hospital(struct be_state *st, const char *area)
{
	const struct store	*s = st->store;
	size_t			 i, k, in = 0;

	if (area[0] != '\0') {
		for (i = 0; i < s->nhospitals; i++)
			in += strcmp(s->hospitals[i].area, area) == 0;
	}
	if (in == 0)
		return (&s->hospitals[be_rng_below(&st->rng,
		    (uint32_t)s->nhospitals)]);
	k = be_rng_below(&st->rng, (uint32_t)in);
	for (i = 0; i < s->nhospitals; i++) {
		if (strcmp(s->hospitals[i].area, area) == 0 && k-- == 0)
			break;
	}
	return (&s->hospitals[i]);
}

/*
 * Fill the placeholders for a template and choose its area: the area of
 * the first camera, station or hospital it names (the others are taken
 * from the same area when it has any), else an area by population.
 */
static void
be_sim_fill(struct be_state *st, int needs, struct be_fill *f,
    char area[MODEL_CODE_MAX])
{
	const struct be_data		*d = st->data;
	const struct be_area_info	*ai;
	const struct be_site		*site;
	const struct hospital		*h;
	const struct area		*a;

	memset(f, 0, sizeof *f);
	area[0] = '\0';
	if (needs & BE_NEED_CAMERA) {
		site = &d->cameras[be_sim_pick_site(st, d->cameras,
		    d->ncameras, area)];
		f->camera = site->name;
		snprintf(area, MODEL_CODE_MAX, "%s", site->area);
	}
	if (needs & BE_NEED_STATION) {
		site = &d->stations[be_sim_pick_site(st, d->stations,
		    d->nstations, area)];
		f->station = site->name;
		if (area[0] == '\0')
			snprintf(area, MODEL_CODE_MAX, "%s", site->area);
	}
	if ((needs & BE_NEED_HOSPITAL) && st->store->nhospitals > 0) {
		h = be_sim_pick_hospital(st, area);
		f->hospital = h->name;
		if (area[0] == '\0')
			snprintf(area, MODEL_CODE_MAX, "%s", h->area);
	}
	if (needs & BE_NEED_ROAD)
		f->road = d->roads[be_rng_below(&st->rng,
		    (uint32_t)d->nroads)];
	if (area[0] == '\0')
		snprintf(area, MODEL_CODE_MAX, "%s", be_sim_pick_area(st));

	a = store_area(st->store, area);
	f->area = a != NULL ? a->name : area;
	ai = be_data_area(d, area);
	if (ai != NULL && ai->nplaces > 0)
		f->place = ai->places[be_rng_below(&st->rng,
		    (uint32_t)ai->nplaces)];
	else
		f->place = f->area;
}

/* ==== Steps ==== */

/*
 * Make and emit a new alert created at "created" (now, or earlier for the
 * initial day). Returns 0 or -1.
 */
static int
be_sim_alert(struct be_state *st, int64_t created)
{
	const struct be_alert_tpl	*t;
	struct be_fill			 f;
	struct alert			 a;
	const char			*place;
	int				 rc;

	if (st->data == NULL || st->data->nalerts == 0)
		return (-1);
	t = &st->data->alerts[be_rng_below(&st->rng,
	    (uint32_t)st->data->nalerts)];
	memset(&a, 0, sizeof a);
	be_sim_fill(st, t->needs, &f, a.area);
	snprintf(a.id, sizeof a.id, "A-%04u", ++st->last_alert);
	a.kind = t->kind;
	a.source = t->source;
	a.severity = be_rng_range(&st->rng, t->sev_lo, t->sev_hi);
	a.title = be_sim_expand(t->title, &f);
	/* The place is the most precise thing the template names. */
	if (f.camera != NULL)
		place = f.camera;
	else if (f.station != NULL)
		place = f.station;
	else if (f.hospital != NULL)
		place = f.hospital;
	else if (f.road != NULL)
		place = f.road;
	else
		place = f.place;
	a.place = xstrdup(place);
	a.state = ALERT_NEW;
	a.disposition = DISPOSITION_NONE;
	a.created = created;
	a.deadline = t->deadline_min > 0 ?
	    created + (int64_t)t->deadline_min * 60000 : 0;
	a.exercise = st->exercise;
	rc = be_emit_alert(st, &a, NULL, NULL, NULL);
	alert_clear(&a);
	return (rc);
}

/* Make and emit a new feedback case received at "received". */
static int
be_sim_feedback(struct be_state *st, int64_t received)
{
	const struct be_fb_tpl	*t;
	struct be_fill		 f;
	struct feedback		 fb;
	unsigned		 w[FB_CHANNEL_COUNT];
	size_t			 c;
	int			 rc;

	if (st->data == NULL || st->data->nfeedback == 0)
		return (-1);
	t = &st->data->feedback[be_rng_below(&st->rng,
	    (uint32_t)st->data->nfeedback)];
	memset(&fb, 0, sizeof fb);
	for (c = 0; c < FB_CHANNEL_COUNT; c++)
		w[c] = (t->channels >> c) & 1;
	c = be_rng_weighted(&st->rng, w, FB_CHANNEL_COUNT);
	fb.channel = c < FB_CHANNEL_COUNT ? (enum fb_channel)c : FB_APP;
	be_sim_fill(st, 0, &f, fb.area);
	snprintf(fb.id, sizeof fb.id, "PA-%04u", ++st->last_feedback);
	snprintf(fb.category, sizeof fb.category, "%s", t->category);
	fb.text = be_sim_expand(t->texts[be_rng_below(&st->rng,
	    (uint32_t)t->ntexts)], &f);
	fb.state = FB_NEW;
	fb.received = received;
	fb.deadline = received + BE_SIM_FEEDBACK_DUE_MS;
	rc = be_emit_feedback(st, &fb, NULL, NULL, NULL);
	feedback_clear(&fb);
	return (rc);
}

static int
be_sim_clamp(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* One hospital's gauges drift a little. */
static int
be_sim_hospital(struct be_state *st)
{
	struct hospital	 h;
	const struct hospital *old;
	int		 fleet, step, rc;

	if (st->store->nhospitals == 0)
		return (-1);
	old = &st->store->hospitals[be_rng_below(&st->rng,
	    (uint32_t)st->store->nhospitals)];
	hospital_copy(&h, old);
	step = h.beds / 150 + 1;
	h.beds_used = be_sim_clamp(h.beds_used + be_rng_range(&st->rng,
	    -2 * step, 2 * step), 0, h.beds);
	h.icu_used = be_sim_clamp(h.icu_used + be_rng_range(&st->rng, -1, 1),
	    0, h.icu);
	h.er_waiting = be_sim_clamp(h.er_waiting + be_rng_range(&st->rng, -2,
	    2), 0, 60);
	fleet = st->data != NULL ? be_data_fleet(st->data, h.id) : 0;
	h.ambulances = be_sim_clamp(h.ambulances + be_rng_range(&st->rng, -1,
	    1), 0, fleet);
	if (!h.diversion && h.beds_used * 100 >= h.beds * 98)
		h.diversion = be_rng_percent(&st->rng, 30);
	else if (h.diversion && h.beds_used * 100 < h.beds * 90)
		h.diversion = 0;
	if (h.beds_used == old->beds_used && h.icu_used == old->icu_used &&
	    h.er_waiting == old->er_waiting &&
	    h.ambulances == old->ambulances && h.diversion == old->diversion) {
		hospital_clear(&h);
		return (0);
	}
	rc = be_emit_hospital(st, &h, NULL, NULL, NULL);
	hospital_clear(&h);
	return (rc);
}

/* Set or move one school's attendance. */
static int
be_sim_school_set(struct be_state *st, size_t i)
{
	struct school	 s;
	int		 rc;

	school_copy(&s, &st->store->schools[i]);
	if (s.present == 0)
		s.present = s.enrolled * be_rng_range(&st->rng, 88, 99) / 100;
	else
		s.present = be_sim_clamp(s.present + be_rng_range(&st->rng,
		    -3, 3), 0, s.enrolled);
	rc = be_emit_school(st, &s, NULL, NULL, NULL);
	school_clear(&s);
	return (rc);
}

static int
be_sim_school(struct be_state *st)
{
	if (st->store->nschools == 0)
		return (-1);
	return (be_sim_school_set(st, be_rng_below(&st->rng,
	    (uint32_t)st->store->nschools)));
}

/* Number of units a progression step could move. */
static size_t
be_sim_movable(const struct store *s)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nunits; i++) {
		if (s->units[i].status == UNIT_DISPATCHED ||
		    s->units[i].status == UNIT_EN_ROUTE ||
		    s->units[i].status == UNIT_RETURNING)
			n++;
	}
	return (n);
}

/*
 * One moving unit goes on: dispatched -> en_route -> on_scene (its alert
 * goes on scene with the first unit), returning -> available.
 */
static int
be_sim_progress(struct be_state *st)
{
	struct store	*s = st->store;
	struct unit	 u;
	struct alert	*a, ac;
	size_t		 i, k, n = be_sim_movable(s);
	int		 rc;

	if (n == 0)
		return (-1);
	k = be_rng_below(&st->rng, (uint32_t)n);
	for (i = 0; i < s->nunits; i++) {
		if (s->units[i].status == UNIT_DISPATCHED ||
		    s->units[i].status == UNIT_EN_ROUTE ||
		    s->units[i].status == UNIT_RETURNING) {
			if (k-- == 0)
				break;
		}
	}
	unit_copy(&u, &s->units[i]);
	switch (u.status) {
	case UNIT_DISPATCHED:
		u.status = UNIT_EN_ROUTE;
		break;
	case UNIT_EN_ROUTE:
		u.status = UNIT_ON_SCENE;
		break;
	default:
		u.status = UNIT_AVAILABLE;
		u.alert[0] = '\0';
		break;
	}
	rc = be_emit_unit(st, &u, NULL, NULL, NULL);
	if (rc == 0 && u.status == UNIT_ON_SCENE &&
	    (a = store_alert(s, u.alert)) != NULL &&
	    a->state == ALERT_DISPATCHED &&
	    alert_can(a->state, ALERT_DO_ON_SCENE)) {
		alert_copy(&ac, a);
		ac.state = ALERT_ON_SCENE;
		rc = be_emit_alert(st, &ac, NULL, NULL, NULL);
		alert_clear(&ac);
	}
	unit_clear(&u);
	return (rc);
}

static size_t
be_sim_open_feedback(const struct store *s)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nfeedback; i++)
		n += feedback_is_open(&s->feedback[i]);
	return (n);
}

/*
 * One step of the simulation, chosen by weight from what is possible now.
 * Returns what it did.
 */
enum be_sim_step
be_sim_tick(struct be_state *st)
{
	struct store	*s = st->store;
	unsigned	 w[BE_SIM_STEP_COUNT];
	size_t		 k;
	int		 rc = -1;

	memset(w, 0, sizeof w);
	if (st->data != NULL && st->data->nalerts > 0 &&
	    store_open_alerts(s, 0) < BE_SIM_MAX_OPEN_ALERTS)
		w[BE_SIM_ALERT] = 10;
	if (s->nhospitals > 0)
		w[BE_SIM_HOSPITAL] = 35;
	if (s->nschools > 0 && be_sim_school_time(clock_now(),
	    s->utc_offset_min))
		w[BE_SIM_SCHOOL] = 25;
	if (st->data != NULL && st->data->nfeedback > 0 &&
	    be_sim_open_feedback(s) < BE_SIM_MAX_OPEN_FEEDBACK)
		w[BE_SIM_FEEDBACK] = 8;
	if (be_sim_movable(s) > 0)
		w[BE_SIM_PROGRESS] = 22;

	k = be_rng_weighted(&st->rng, w, BE_SIM_STEP_COUNT);
	switch (k) {
	case BE_SIM_ALERT:
		rc = be_sim_alert(st, clock_now());
		break;
	case BE_SIM_HOSPITAL:
		rc = be_sim_hospital(st);
		break;
	case BE_SIM_SCHOOL:
		rc = be_sim_school(st);
		break;
	case BE_SIM_FEEDBACK:
		rc = be_sim_feedback(st, clock_now());
		break;
	case BE_SIM_PROGRESS:
		rc = be_sim_progress(st);
		break;
	default:
		return (BE_SIM_NOTHING);
	}
	return (rc == 0 ? (enum be_sim_step)k : BE_SIM_NOTHING);
}

/*
 * The province as the duty officer finds it at the start of the shift:
 * about eight open alerts and six feedback cases from the last hours, and
 * every school's attendance when it is school time. All are events.
 */
void
be_sim_initial_day(struct be_state *st)
{
	int64_t	now = clock_now();
	size_t	i;

	if (st->data == NULL)
		return;
	for (i = 0; i < BE_SIM_INITIAL_ALERTS; i++)
		be_sim_alert(st, now - be_rng_range(&st->rng, 2, 150) *
		    60000LL);
	for (i = 0; i < BE_SIM_INITIAL_FEEDBACK; i++)
		be_sim_feedback(st, now - be_rng_range(&st->rng, 10, 1200) *
		    60000LL);
	if (be_sim_school_time(now, st->store->utc_offset_min)) {
		for (i = 0; i < st->store->nschools; i++)
			be_sim_school_set(st, i);
	}
}

/* ==== Timer ==== */

static void
be_sim_cb(lws_sorted_usec_list_t *sul)
{
	struct be_sim	*sim = lws_container_of(sul, struct be_sim, sul);

	be_sim_tick(sim->st);
	lws_sul_schedule(sim->ctx, 0, &sim->sul, be_sim_cb, sim->period);
}

/*
 * Start ticking at rate events per second on the context's loop (rate 0:
 * never). Returns the timer; the caller frees it with be_sim_free() before
 * destroying the context.
 */
struct be_sim *
be_sim_new(struct be_state *st, struct lws_context *ctx, double rate)
{
	struct be_sim	*sim;

	sim = xcalloc(1, sizeof *sim);
	sim->st = st;
	sim->ctx = ctx;
	if (rate > 0) {
		if (rate > BE_SIM_RATE_MAX)
			rate = BE_SIM_RATE_MAX;
		sim->period = (lws_usec_t)(LWS_US_PER_SEC / rate);
		if (sim->period < 1)
			sim->period = 1;
		lws_sul_schedule(ctx, 0, &sim->sul, be_sim_cb, sim->period);
	}
	return (sim);
}

/*
 * Stop the timer and free it. NULL is a no-op.
 */
void
be_sim_free(struct be_sim *sim)
{
	if (sim == NULL)
		return;
	if (sim->period > 0)
		lws_sul_cancel(&sim->sul);
	free(sim);
}

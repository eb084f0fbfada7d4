/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The simulated province. Every tick first plays what is due on a
 * scenario's timeline, lets the weather change, and moves two monitoring
 * stations' readings (a station that crosses its threshold raises an
 * environment alert, and clears it when it falls back). Otherwise the tick
 * draws one step by weight from what is possible now:
 *
 *   - a new alert (fewer at night, more and wetter in bad weather, fewer
 *     as open alerts pile up), or a traffic camera's incident (more in
 *     the rush hours);
 *   - a hospital's gauges drifting toward what the time of day and the
 *     scenario's load make usual; a school's attendance, on school days
 *     only (Monday to Saturday), lower in bad weather, none in a storm;
 *   - a feedback case, mostly in office hours (the province's working
 *     time, holidays included);
 *   - the field: units move on (dispatched -> en_route -> on_scene), stay
 *     on scene a while, the alert resolves as handled in the field, and
 *     the units return and become available again;
 *   - simulated colleagues ("sim") pick up alerts nobody handled by their
 *     deadline, send units to acknowledged ones by their dispatch
 *     deadline, close resolved ones; the desk assigns cases to a
 *     department or the commune's People's Committee, which may pass a
 *     case to the department, which may hand it back, and the one that
 *     keeps it answers, so a province left alone stays busy but bounded.
 *
 * Every change goes through the state's engine: a command through
 * engine_run() (colleagues, the field, scenario injects), the same path
 * as officers' commands, or an item through engine_emit() (new items,
 * gauges). Only the generator, the state and
 * the clock decide what happens, so the same seed, clock and commands give
 * the same events.
 */

#include "be-sim.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "be-data.h"
#include "be-rng.h"
#include "be-scenario.h"
#include "be-state.h"
#include "be-world.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#define BE_SIM_MIN		60000LL		/* One minute, ms. */
#define BE_SIM_INITIAL_ALERTS	8
#define BE_SIM_INITIAL_FEEDBACK	6
#define BE_SIM_STATIONS_PER_TICK 2
#define BE_SIM_STATION_ON	100	/* Reading, % of threshold. */
#define BE_SIM_STATION_OFF	85
#define BE_SIM_BUSY_CAP		4	/* Candidates that raise a weight. */

/* How long things take in the field and at the desk, minutes. */
#define BE_SIM_T_EN_ROUTE	1	/* Dispatched until under way. */
#define BE_SIM_T_ARRIVE		3	/* Under way until on scene. */
#define BE_SIM_T_ON_SCENE	12	/* On scene until resolved. */
#define BE_SIM_T_RETURN		5	/* Returning until available. */
#define BE_SIM_T_PICK_UP	10	/* A new alert nobody took, at */
#define BE_SIM_T_PICK_UP_MAX	45	/* the deadline, within these. */
#define BE_SIM_T_STALLED	15	/* Acknowledged, nothing sent, */
#define BE_SIM_T_STALLED_MIN	2	/* or its dispatch due: not sooner. */
#define BE_SIM_T_GIVE_UP	60	/* ... then transferred. */
#define BE_SIM_T_CLOSE		10	/* Resolved until closed. */
#define BE_SIM_T_ASSIGN		20	/* A case until assigned. */
#define BE_SIM_T_START		45	/* Assigned until in progress. */
#define BE_SIM_T_ANSWER		180	/* In progress until answered. */
#define BE_SIM_T_CLOSE_CASE	120	/* Answered until closed. */

struct be_sim {
	struct be_state		*st;		/* Borrowed. */
	struct store		*store;		/* The state's. */
	struct engine		*engine;	/* The state's. */
	struct be_rng		*rng;		/* The state's. */
	const struct be_data	*data;		/* Borrowed. */
	struct be_world		 world;
	int			 passive;	/* Another gateway simulates. */
	int			(*guard)(void *); /* Asked before a turn. */
	void			*guard_arg;

	struct be_scenario	*scenario;	/* Owned; NULL: none. */
	int64_t			 scenario_start; /* ms */
	size_t			 scenario_next;	/* Next timeline step. */

	enum be_sim_colleagues	 colleagues;
	int64_t			 colleague_delay; /* ms later than usual. */

	struct lws_context	*ctx;		/* NULL: no timer. */
	lws_sorted_usec_list_t	 sul;
	lws_sorted_usec_list_t	 retire_sul;	/* Retention. */
	lws_usec_t		 period;
};

const char *const be_sim_colleagues_names[BE_SIM_COLLEAGUES_COUNT] = {
	"normal", "slow", "off"
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

/* What a colleague would do to an alert now. */
enum be_sim_plan {
	BE_PLAN_NONE,
	BE_PLAN_TAKE,		/* ack, and dispatch if it can. */
	BE_PLAN_SEND,		/* dispatch. */
	BE_PLAN_CHECKED,	/* resolve: nothing for units to do. */
	BE_PLAN_DISMISS,	/* close: false alarm, duplicate... */
	BE_PLAN_TRANSFER,	/* close: transferred. */
	BE_PLAN_CLOSE		/* close a resolved alert. */
};

static const struct operator be_sim_op = {
	.name = "sim",
	.role = OPERATOR_SUPERVISOR
};

static const struct operator be_sim_scenario_op = {
	.name = "scenario",
	.role = OPERATOR_TRAINER
};

/* How likely each kind of alert is in each weather (per kind). */
static const unsigned char be_sim_kind_weather[BE_WEATHER_COUNT]
    [ALERT_KIND_COUNT] = {
	/*			   flo sto fir tra env hea sec inf ict */
	[BE_WEATHER_CLEAR]	= {  1,  1,  8, 10,  4, 10,  8,  5,  4 },
	[BE_WEATHER_CLOUDY]	= {  2,  2,  6, 10,  4, 10,  8,  5,  4 },
	[BE_WEATHER_RAIN]	= {  8,  4,  3, 14,  3, 10,  6,  8,  4 },
	[BE_WEATHER_HEAVY_RAIN]	= { 20,  8,  1, 16,  3, 10,  4, 12,  4 },
	[BE_WEATHER_STORM]	= { 30, 30,  1, 10,  2, 12,  3, 20,  5 },
};

/* The next weather, by the current one. */
static const unsigned char be_sim_weather_next[BE_WEATHER_COUNT]
    [BE_WEATHER_COUNT] = {
	/*			   clr cld rai hvy stm */
	[BE_WEATHER_CLEAR]	= { 40, 45, 13,  2,  0 },
	[BE_WEATHER_CLOUDY]	= { 35, 30, 28,  7,  0 },
	[BE_WEATHER_RAIN]	= { 10, 35, 35, 20,  0 },
	[BE_WEATHER_HEAVY_RAIN]	= {  5, 25, 50, 20,  0 },
	[BE_WEATHER_STORM]	= {  0, 20, 40, 40,  0 },
};

/* Which units an alert of each kind needs: first, and second if severe. */
static const int be_sim_kind_units[ALERT_KIND_COUNT][2] = {
	[ALERT_FLOOD]		= { UNIT_RESCUE, UNIT_POLICE },
	[ALERT_STORM]		= { UNIT_RESCUE, UNIT_UTILITY },
	[ALERT_FIRE]		= { UNIT_FIRE, UNIT_AMBULANCE },
	[ALERT_TRAFFIC]		= { UNIT_TRAFFIC_POLICE, UNIT_AMBULANCE },
	[ALERT_ENVIRONMENT]	= { UNIT_ENVIRONMENT, -1 },
	[ALERT_HEALTH]		= { UNIT_AMBULANCE, -1 },
	[ALERT_SECURITY]	= { UNIT_POLICE, -1 },
	[ALERT_INFRASTRUCTURE]	= { UNIT_UTILITY, -1 },
	[ALERT_ICT]		= { -1, -1 },
};

/* Usual bed occupancy, points around the hospital's own, by hour. */
static const signed char be_sim_beds_hour[24] = {
	1, 1, 0, 0, 0, 0, 0, 0, 0, -1, -2, -3,
	-3, -2, -1, 0, 1, 2, 3, 3, 3, 2, 2, 1
};

/* Emergency room queue, percent of the hospital's usual, by hour. */
static const unsigned char be_sim_er_hour[24] = {
	50, 40, 30, 30, 30, 40, 60, 90, 120, 140, 140, 130,
	110, 100, 100, 100, 110, 120, 140, 150, 140, 120, 90, 70
};

/* Channels citizens use, in enum fb_channel order. */
static const unsigned be_sim_channel_weight[FB_CHANNEL_COUNT] = {
	30, 25, 12, 20, 3, 10
};

/* ==== Time ==== */

/* Local weekday (0 Sunday) and hour at utc_offset_min. */
static void
be_sim_local(int64_t now, int utc_offset_min, int *wday, int *hour)
{
	int64_t	local = now / 1000 + (int64_t)utc_offset_min * 60;
	int64_t	days, secs;

	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* 1970-01-01 was a Thursday. */
	*wday = (int)(((days + 4) % 7 + 7) % 7);
	*hour = (int)(secs / 3600);
}

/*
 * Whether local time (at utc_offset_min) falls on a school day: Monday to
 * Saturday. Returns 1 or 0.
 */
int
be_sim_school_day(int64_t now, int utc_offset_min)
{
	int	wday, hour;

	be_sim_local(now, utc_offset_min, &wday, &hour);
	return (wday != 0);
}

/*
 * Whether local time (at utc_offset_min) is school time: a school day,
 * 07:00 to 17:00. Returns 1 or 0.
 */
int
be_sim_school_time(int64_t now, int utc_offset_min)
{
	int	wday, hour;

	be_sim_local(now, utc_offset_min, &wday, &hour);
	return (wday != 0 && hour >= 7 && hour < 17);
}

/*
 * How busy offices are, in percent: in office hours 100 (the province's
 * working time when it has one: its hours, its holidays and the
 * Saturdays worked in exchange; else Monday to Friday 07:00-17:00), the
 * rest of a working day's 07:00-17:00 (lunch) and an ordinary Saturday
 * morning 50, evenings 25, nights, Sundays and holidays 8.
 */
static int
be_sim_office(const struct be_sim *sim, int64_t now)
{
	const struct workcal	*wc = sim->data != NULL ? sim->data->workcal :
				    NULL;
	int			 wday, hour, day;

	be_sim_local(now, sim->store->utc_offset_min, &wday, &hour);
	day = hour >= 7 && hour < 17;
	if (wc == NULL && wday >= 1 && wday <= 5 && day)
		return (100);
	if (wc != NULL && workcal_is_working(wc, now))
		return (100);
	if (wc != NULL && day && workcal_is_workday_at(wc, now))
		return (50);
	if (wday == 6 && hour >= 7 && hour < 12 && (wc == NULL ||
	    workcal_day_name(wc, now) == NULL))
		return (50);
	if (hour >= 17 && hour < 22)
		return (25);
	return (8);
}

/* ==== Texts ==== */

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

/* ==== Picking ==== */

/* An area by population weight. */
static const char *
be_sim_pick_area(struct be_sim *sim)
{
	const struct be_data	*d = sim->data;
	unsigned		*w;
	size_t			 i, k;

	w = xcalloc(d->nareas, sizeof *w);
	for (i = 0; i < d->nareas; i++)
		w[i] = d->areas[i].weight;
	k = be_rng_weighted(sim->rng, w, d->nareas);
	free(w);
	return (d->areas[k < d->nareas ? k : 0].code);
}

/*
 * Pick one of n sites, preferring those in area (when area is set and has
 * any). Returns the index.
 */
static size_t
be_sim_pick_site(struct be_sim *sim, const struct be_site *sites, size_t n,
    const char *area)
{
	size_t	i, k, in = 0;

	if (area[0] != '\0') {
		for (i = 0; i < n; i++)
			in += strcmp(sites[i].area, area) == 0;
	}
	if (in == 0)
		return (be_rng_below(sim->rng, (uint32_t)n));
	k = be_rng_below(sim->rng, (uint32_t)in);
	for (i = 0; i < n; i++) {
		if (strcmp(sites[i].area, area) == 0 && k-- == 0)
			break;
	}
	return (i);
}

/* The same for hospitals, from the store. */
static const struct hospital *
be_sim_pick_hospital(struct be_sim *sim, const char *area)
{
	const struct store	*s = sim->store;
	size_t			 i, k, in = 0;

	if (area[0] != '\0') {
		for (i = 0; i < s->nhospitals; i++)
			in += strcmp(s->hospitals[i].area, area) == 0;
	}
	if (in == 0)
		return (&s->hospitals[be_rng_below(sim->rng,
		    (uint32_t)s->nhospitals)]);
	k = be_rng_below(sim->rng, (uint32_t)in);
	for (i = 0; i < s->nhospitals; i++) {
		if (strcmp(s->hospitals[i].area, area) == 0 && k-- == 0)
			break;
	}
	return (&s->hospitals[i]);
}

/*
 * Fill the placeholders for a template and choose its area: the area of
 * the camera or station given (site, or one drawn when NULL), else of the
 * first hospital it names, else an area by population; the other values
 * are taken from the same area when it has any.
 */
static void
be_sim_fill(struct be_sim *sim, int needs, const struct be_site *site,
    struct be_fill *f, char area[MODEL_CODE_MAX])
{
	const struct be_data		*d = sim->data;
	const struct be_area_info	*ai;
	const struct be_site		*s;
	const struct hospital		*h;
	const struct area		*a;

	memset(f, 0, sizeof *f);
	area[0] = '\0';
	if (site != NULL)
		snprintf(area, MODEL_CODE_MAX, "%s", site->area);
	if (needs & BE_NEED_CAMERA) {
		s = site != NULL ? site : &d->cameras[be_sim_pick_site(sim,
		    d->cameras, d->ncameras, area)];
		f->camera = s->name;
		snprintf(area, MODEL_CODE_MAX, "%s", s->area);
	}
	if (needs & BE_NEED_STATION) {
		s = site != NULL ? site : &d->stations[be_sim_pick_site(sim,
		    d->stations, d->nstations, area)];
		f->station = s->name;
		if (area[0] == '\0')
			snprintf(area, MODEL_CODE_MAX, "%s", s->area);
	}
	if ((needs & BE_NEED_HOSPITAL) && sim->store->nhospitals > 0) {
		h = be_sim_pick_hospital(sim, area);
		f->hospital = h->name;
		if (area[0] == '\0')
			snprintf(area, MODEL_CODE_MAX, "%s", h->area);
	}
	if (needs & BE_NEED_ROAD)
		f->road = d->roads[be_rng_below(sim->rng,
		    (uint32_t)d->nroads)];
	if (area[0] == '\0')
		snprintf(area, MODEL_CODE_MAX, "%s", be_sim_pick_area(sim));

	a = store_area(sim->store, area);
	f->area = a != NULL ? a->name : area;
	ai = be_data_area(d, area);
	if (ai != NULL && ai->nplaces > 0)
		f->place = ai->places[be_rng_below(sim->rng,
		    (uint32_t)ai->nplaces)];
	else
		f->place = f->area;
}

/*
 * Pick an alert template: with camera, one naming a camera (traffic ones
 * three times as likely); with station, an environment one naming a
 * station; else one of the rest, by kind as the weather makes likely.
 * Returns NULL when there is none.
 */
static const struct be_alert_tpl *
be_sim_pick_tpl(struct be_sim *sim, int camera, int station)
{
	const struct be_data	*d = sim->data;
	const struct be_alert_tpl *t;
	unsigned		*w, per_kind[ALERT_KIND_COUNT];
	size_t			 i, k;
	int			 site;

	memset(per_kind, 0, sizeof per_kind);
	for (i = 0; i < d->nalerts; i++) {
		if ((d->alerts[i].needs & (BE_NEED_CAMERA |
		    BE_NEED_STATION)) == 0)
			per_kind[d->alerts[i].kind]++;
	}
	w = xcalloc(d->nalerts, sizeof *w);
	for (i = 0; i < d->nalerts; i++) {
		t = &d->alerts[i];
		site = t->needs & (BE_NEED_CAMERA | BE_NEED_STATION);
		if (camera)
			w[i] = (t->needs & BE_NEED_CAMERA) ?
			    (t->kind == ALERT_TRAFFIC ? 3 : 1) : 0;
		else if (station)
			w[i] = (t->needs & BE_NEED_STATION) &&
			    t->kind == ALERT_ENVIRONMENT;
		else if (site == 0)
			w[i] = be_sim_kind_weather[sim->world.weather]
			    [t->kind] * 60U / per_kind[t->kind];
	}
	k = be_rng_weighted(sim->rng, w, d->nalerts);
	free(w);
	return (k < d->nalerts ? &d->alerts[k] : NULL);
}

/*
 * Pick an available unit of a type, preferring the area; none of exclude.
 * Returns the unit (borrowed) or NULL.
 */
static const struct unit *
be_sim_pick_unit(struct be_sim *sim, int type, const char *area,
    const char *exclude)
{
	const struct store	*s = sim->store;
	const struct unit	*u;
	size_t			 i, k, pass, n;

	if (type < 0)
		return (NULL);
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (i = 0; i < s->nunits; i++) {
			u = &s->units[i];
			if ((int)u->type == type &&
			    u->status == UNIT_AVAILABLE &&
			    strcmp(u->id, exclude) != 0 &&
			    (pass == 1 || strcmp(u->area, area) == 0))
				n++;
		}
		if (n == 0)
			continue;
		k = be_rng_below(sim->rng, (uint32_t)n);
		for (i = 0; i < s->nunits; i++) {
			u = &s->units[i];
			if ((int)u->type == type &&
			    u->status == UNIT_AVAILABLE &&
			    strcmp(u->id, exclude) != 0 &&
			    (pass == 1 || strcmp(u->area, area) == 0) &&
			    k-- == 0)
				return (u);
		}
	}
	return (NULL);
}

/* Whether any unit of a type is available. */
static int
be_sim_has_unit(const struct store *s, int type)
{
	size_t	i;

	if (type < 0)
		return (0);
	for (i = 0; i < s->nunits; i++) {
		if ((int)s->units[i].type == type &&
		    s->units[i].status == UNIT_AVAILABLE)
			return (1);
	}
	return (0);
}

/* ==== Commands of the simulated people ==== */

/*
 * Run a command as op with args (stolen). Returns 0, or -1 when it was
 * refused (logged: the simulator asked for something the state machine
 * does not allow, which is a bug worth seeing).
 */
static int
be_sim_cmd(struct be_sim *sim, const struct operator *op,
    const char *name, json_t *args, struct engine_outcome *keep)
{
	struct engine_outcome	out;
	int			rc;

	if (args == NULL)
		fatalx("%s: cannot build %s", __func__, name);
	rc = engine_run(sim->engine, op, name, args, 0, &out);
	if (rc != 0)
		log_warn("simulated %s by %s refused: %s: %s", name,
		    op->name, proto_err_names[out.err], out.msg);
	json_decref(args);
	if (keep != NULL)
		*keep = out;
	else
		engine_outcome_clear(&out);
	return (rc);
}

/* ==== New items ==== */

/*
 * Make and emit a new alert from template t at "created" (now, or earlier
 * for the initial day), at site (a camera or station) or anywhere. Writes
 * its id to id (when not NULL). Returns 0 or -1.
 */
static int
be_sim_new_alert(struct be_sim *sim, const struct be_alert_tpl *t,
    const struct be_site *site, int64_t created, char *id)
{
	struct be_fill	 f;
	struct alert	 a;
	const char	*place;
	int		 rc;

	memset(&a, 0, sizeof a);
	be_sim_fill(sim, t->needs, site, &f, a.area);
	engine_new_id(sim->engine, kind_get(KIND_ALERT), a.id);
	a.kind = t->kind;
	a.source = t->source;
	a.severity = be_rng_range(sim->rng, t->sev_lo, t->sev_hi);
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
	/* The province's bands; the template's own only without them. */
	engine_alert_clocks(sim->engine, &a, engine_workcal(sim->engine) ==
	    NULL ? t->deadline_min : 0);
	a.exercise = engine_exercise(sim->engine);
	history_add(&a.hist, created, "", "created",
	    alert_source_names[a.source]);
	rc = engine_emit(sim->engine, kind_get(KIND_ALERT), &a, NULL, NULL,
	    NULL);
	if (rc == 0 && id != NULL)
		snprintf(id, MODEL_ID_MAX, "%s", a.id);
	alert_clear(&a);
	return (rc);
}

static int
be_sim_alert(struct be_sim *sim, int64_t created)
{
	const struct be_alert_tpl	*t;

	if ((t = be_sim_pick_tpl(sim, 0, 0)) == NULL)
		return (-1);
	return (be_sim_new_alert(sim, t, NULL, created, NULL));
}

/* A traffic camera sees something. */
static int
be_sim_camera(struct be_sim *sim)
{
	const struct be_data		*d = sim->data;
	const struct be_alert_tpl	*t;

	if (d->ncameras == 0 || (t = be_sim_pick_tpl(sim, 1, 0)) == NULL)
		return (-1);
	return (be_sim_new_alert(sim, t, &d->cameras[be_rng_below(sim->rng,
	    (uint32_t)d->ncameras)], clock_now(), NULL));
}

/* Make and emit a new feedback case received at "received". */
static int
be_sim_feedback(struct be_sim *sim, int64_t received)
{
	const struct be_data	*d = sim->data;
	const struct be_fb_tpl	*t;
	struct be_fill		 f;
	struct feedback		 fb;
	unsigned		 w[FB_CHANNEL_COUNT], *tw;
	size_t			 c, i;
	int			 rc;

	if (d == NULL || d->nfeedback == 0)
		return (-1);
	tw = xcalloc(d->nfeedback, sizeof *tw);
	for (i = 0; i < d->nfeedback; i++)
		tw[i] = d->feedback[i].weight;
	i = be_rng_weighted(sim->rng, tw, d->nfeedback);
	free(tw);
	t = &d->feedback[i < d->nfeedback ? i : 0];
	memset(&fb, 0, sizeof fb);
	for (c = 0; c < FB_CHANNEL_COUNT; c++)
		w[c] = ((t->channels >> c) & 1) * be_sim_channel_weight[c];
	c = be_rng_weighted(sim->rng, w, FB_CHANNEL_COUNT);
	fb.channel = c < FB_CHANNEL_COUNT ? (enum fb_channel)c : FB_APP;
	be_sim_fill(sim, 0, NULL, &f, fb.area);
	engine_new_id(sim->engine, kind_get(KIND_FEEDBACK), fb.id);
	snprintf(fb.category, sizeof fb.category, "%s", t->category);
	fb.text = be_sim_expand(t->texts[be_rng_below(sim->rng,
	    (uint32_t)t->ntexts)], &f);
	fb.state = FB_NEW;
	fb.received = received;
	engine_case_clocks(sim->engine, &fb);
	history_add(&fb.hist, received, "", "created",
	    fb_channel_names[fb.channel]);
	rc = engine_emit(sim->engine, kind_get(KIND_FEEDBACK), &fb, NULL, NULL,
	    NULL);
	feedback_clear(&fb);
	return (rc);
}

/* ==== Gauges ==== */

static int
be_sim_clamp(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* Move cur toward target by a quarter of the way, plus noise. */
static int
be_sim_toward(struct be_sim *sim, int cur, int target, int noise)
{
	int	step = (target - cur) / 4;

	if (step == 0 && target != cur)
		step = target > cur ? 1 : -1;
	return (cur + step + be_rng_range(sim->rng, -noise, noise));
}

/*
 * One hospital's gauges drift toward what is usual at this hour, plus the
 * scenario's load. The hospital declares diversion when nearly full and
 * lifts it when it has room again (never lifting an officer's diversion).
 */
static int
be_sim_hospital(struct be_sim *sim)
{
	const struct hospital	*old;
	const struct be_world	*w = &sim->world;
	const struct be_fleet	*fl;
	struct hospital		 h;
	int			 wday, hour, load, target, fleet, rc;
	int			 dummy = 0, *mine;

	if (sim->store->nhospitals == 0)
		return (-1);
	old = &sim->store->hospitals[be_rng_below(sim->rng,
	    (uint32_t)sim->store->nhospitals)];
	fl = be_data_fleet_info(sim->data, old->id);
	/* Whether the simulator diverted it (it never lifts an officer's). */
	mine = fl != NULL ? &sim->world.diverted[fl - sim->data->fleets] :
	    &dummy;
	be_sim_local(clock_now(), sim->store->utc_offset_min, &wday, &hour);
	load = w->hospital_load + (w->weather == BE_WEATHER_STORM ? 2 : 0);
	hospital_copy(&h, old);

	target = h.beds * be_sim_clamp((fl != NULL ? fl->beds_pct : 75) +
	    be_sim_beds_hour[hour] + load, 0, 100) / 100;
	h.beds_used = be_sim_clamp(be_sim_toward(sim, h.beds_used, target,
	    h.beds / 200 + 1), 0, h.beds);
	target = h.icu * be_sim_clamp((fl != NULL ? fl->icu_pct : 70) +
	    load, 0, 100) / 100;
	h.icu_used = be_sim_clamp(be_sim_toward(sim, h.icu_used, target, 1),
	    0, h.icu);
	target = (1 + h.beds / 100) * be_sim_er_hour[hour] / 100 +
	    (load > 0 ? load * (1 + h.beds / 200) / 5 : 0);
	h.er_waiting = be_sim_clamp(be_sim_toward(sim, h.er_waiting, target,
	    1), 0, 200);
	fleet = fl != NULL ? fl->ambulances : 0;
	h.ambulances = be_sim_clamp(h.ambulances + be_rng_range(sim->rng, -1,
	    1), 0, fleet);
	if (!h.diversion && h.beds_used * 100 >= h.beds * 98 &&
	    be_rng_percent(sim->rng, 30)) {
		h.diversion = 1;
		*mine = fl != NULL;
	} else if (h.diversion && *mine && h.beds_used * 100 < h.beds * 90) {
		h.diversion = 0;
		*mine = 0;
	}
	if (h.beds_used == old->beds_used && h.icu_used == old->icu_used &&
	    h.er_waiting == old->er_waiting &&
	    h.ambulances == old->ambulances && h.diversion == old->diversion) {
		hospital_clear(&h);
		return (0);
	}
	rc = engine_emit(sim->engine, kind_get(KIND_HOSPITAL), &h, NULL, NULL,
	    NULL);
	hospital_clear(&h);
	return (rc);
}

/*
 * Today's attendance target for a school, in percent of enrolment: about
 * 96 % (kindergartens 90 %), lower in rain, nobody in a storm.
 */
static int
be_sim_attendance(struct be_sim *sim, const struct school *s)
{
	int	pct = s->level == SCHOOL_MN ? 90 : 96;

	switch (sim->world.weather) {
	case BE_WEATHER_RAIN:
		pct -= 3;
		break;
	case BE_WEATHER_HEAVY_RAIN:
		pct -= 9;
		break;
	case BE_WEATHER_STORM:
		return (0);
	default:
		break;
	}
	return (pct);
}

/* Set or move one school's attendance (school time only). */
static int
be_sim_school_set(struct be_sim *sim, size_t i)
{
	struct school	 s;
	int		 target, rc;

	school_copy(&s, &sim->store->schools[i]);
	target = s.enrolled * be_sim_attendance(sim, &s) / 100;
	if (target == 0)
		s.present = 0;
	else if (s.present == 0)
		s.present = be_sim_clamp(target + be_rng_range(sim->rng,
		    -s.enrolled / 40, s.enrolled / 40), 0, s.enrolled);
	else
		s.present = be_sim_clamp(be_sim_toward(sim, s.present, target,
		    s.enrolled / 100 + 1), 0, s.enrolled);
	if (s.present == sim->store->schools[i].present) {
		school_clear(&s);
		return (0);
	}
	rc = engine_emit(sim->engine, kind_get(KIND_SCHOOL), &s, NULL, NULL,
	    NULL);
	school_clear(&s);
	return (rc);
}

/* The first school still showing attendance when there is no school. */
static size_t
be_sim_school_stale(const struct store *s)
{
	size_t	i;

	for (i = 0; i < s->nschools; i++) {
		if (s->schools[i].present != 0)
			return (i);
	}
	return (s->nschools);
}

/*
 * One school: attendance in school time; outside it, before 07:00 or on
 * a Sunday, yesterday's attendance goes back to 0.
 */
static int
be_sim_school(struct be_sim *sim)
{
	struct store	*s = sim->store;
	struct school	 sc;
	size_t		 i;
	int		 wday, hour, rc;

	if (s->nschools == 0)
		return (-1);
	if (be_sim_school_time(clock_now(), s->utc_offset_min))
		return (be_sim_school_set(sim, be_rng_below(sim->rng,
		    (uint32_t)s->nschools)));
	be_sim_local(clock_now(), s->utc_offset_min, &wday, &hour);
	if ((wday != 0 && hour >= 7) ||
	    (i = be_sim_school_stale(s)) == s->nschools)
		return (-1);
	school_copy(&sc, &s->schools[i]);
	sc.present = 0;
	rc = engine_emit(sim->engine, kind_get(KIND_SCHOOL), &sc, NULL, NULL,
	    NULL);
	school_clear(&sc);
	return (rc);
}

/* Whether the school step has anything to do now. */
static int
be_sim_school_due(const struct store *s)
{
	int	wday, hour;

	if (s->nschools == 0)
		return (0);
	if (be_sim_school_time(clock_now(), s->utc_offset_min))
		return (2);
	be_sim_local(clock_now(), s->utc_offset_min, &wday, &hour);
	if ((wday == 0 || hour < 7) && be_sim_school_stale(s) < s->nschools)
		return (1);
	return (0);
}

/* ==== The weather and the stations ==== */

static void
be_sim_weather(struct be_sim *sim, int64_t now)
{
	static const unsigned	 first[BE_WEATHER_COUNT] = { 40, 35, 20, 5, 0 };
	struct be_world		*w = &sim->world;
	unsigned		 next[BE_WEATHER_COUNT];
	size_t			 k, i;

	if (w->weather_locked || now < w->weather_until)
		return;
	if (w->weather_until == 0)
		k = be_rng_weighted(sim->rng, first, BE_WEATHER_COUNT);
	else {
		for (i = 0; i < BE_WEATHER_COUNT; i++)
			next[i] = be_sim_weather_next[w->weather][i];
		k = be_rng_weighted(sim->rng, next, BE_WEATHER_COUNT);
	}
	if (k < BE_WEATHER_COUNT)
		w->weather = (enum be_weather)k;
	w->weather_until = now + be_rng_range(sim->rng, 60, 240) * BE_SIM_MIN;
}

/* What the weather adds to a station's usual reading. */
static int
be_sim_station_weather(const struct be_site *site, enum be_weather w)
{
	static const signed char water[BE_WEATHER_COUNT] = { 0, 0, 10, 20, 35 };
	static const signed char air[BE_WEATHER_COUNT] = { 5, 0, -10, -15,
	    -15 };

	if (strcmp(site->kind, "water_surface") == 0 ||
	    strcmp(site->kind, "wastewater") == 0)
		return (water[w]);
	if (strcmp(site->kind, "water_ground") == 0)
		return (water[w] / 3);
	if (strcmp(site->kind, "air") == 0)
		return (air[w]);
	return (0);
}

/*
 * Move the next stations' readings. A station crossing its threshold
 * raises an environment alert (while the province has room for more); one
 * falling back below BE_SIM_STATION_OFF clears its alert (resolved by
 * "sim" when still open). Returns 1 when that made an event, else 0.
 */
static int
be_sim_stations(struct be_sim *sim, size_t open)
{
	const struct be_data		*d = sim->data;
	struct be_world			*w = &sim->world;
	const struct be_site		*site;
	const struct be_alert_tpl	*t;
	const struct alert		*a;
	size_t				 i, k;
	int				 base, made = 0, *reading;
	char				*raised;

	for (i = 0; i < BE_SIM_STATIONS_PER_TICK && d->nstations > 0; i++) {
		k = w->station_next++ % d->nstations;
		site = &d->stations[k];
		reading = &w->readings[k];
		raised = w->raised[k];
		base = site->base + be_sim_station_weather(site, w->weather);
		*reading += (base - *reading) / 10 +
		    be_rng_range(sim->rng, -4, 4);
		/* Now and then a discharge, a fire, a dust storm. */
		if (be_rng_below(sim->rng, 1000) == 0)
			*reading += 50;
		*reading = be_sim_clamp(*reading, 0, 200);
		if (made)
			continue;
		if (raised[0] != '\0' &&
		    ((a = store_alert(sim->store, raised)) == NULL ||
		    !alert_is_open(a))) {
			raised[0] = '\0';
			continue;
		}
		if (raised[0] != '\0' && *reading < BE_SIM_STATION_OFF) {
			be_sim_cmd(sim, &be_sim_op, "resolve", json_pack(
			    "{s:s s:s}", "alert", raised, "text",
			    be_data_outcome(d, BE_OUT_SENSOR_CLEAR)), NULL);
			raised[0] = '\0';
			made = 1;
		} else if (raised[0] == '\0' &&
		    *reading >= BE_SIM_STATION_ON &&
		    open < BE_SIM_MAX_OPEN_ALERTS &&
		    (t = be_sim_pick_tpl(sim, 0, 1)) != NULL) {
			made = be_sim_new_alert(sim, t, site, clock_now(),
			    raised) == 0;
		}
	}
	return (made);
}

/* ==== The field and the colleagues ==== */

/* Whether a unit has been long enough in its status to move on. */
static int
be_sim_unit_due(struct be_sim *sim, const struct unit *u, int64_t now)
{
	const struct alert	*a;
	int64_t			 since = 0, need;

	switch (u->status) {
	case UNIT_DISPATCHED:
		need = BE_SIM_T_EN_ROUTE;
		break;
	case UNIT_EN_ROUTE:
		need = BE_SIM_T_ARRIVE;
		break;
	case UNIT_RETURNING:
		need = BE_SIM_T_RETURN;
		break;
	default:
		return (0);
	}
	if (u->alert[0] != '\0' &&
	    (a = store_alert(sim->store, u->alert)) != NULL)
		since = a->updated;
	return (now - since >= need * BE_SIM_MIN);
}

/* A unit moves on: dispatched -> en_route -> on_scene, returning ->
 * available. */
static int
be_sim_progress(struct be_sim *sim, size_t k)
{
	struct store	*s = sim->store;
	const char	*to;
	size_t		 i;
	int64_t		 now = clock_now();

	for (i = 0; i < s->nunits; i++) {
		if (be_sim_unit_due(sim, &s->units[i], now) && k-- == 0)
			break;
	}
	if (i == s->nunits)
		return (-1);
	switch (s->units[i].status) {
	case UNIT_DISPATCHED:
		to = "en_route";
		break;
	case UNIT_EN_ROUTE:
		to = "on_scene";
		break;
	default:
		to = "available";
		break;
	}
	return (be_sim_cmd(sim, &be_sim_op, "unit_status", json_pack(
	    "{s:s s:s}", "unit", s->units[i].id, "status", to), NULL));
}

/* Whether units have been on scene long enough to finish. */
static int
be_sim_field_due(const struct alert *a, int64_t now)
{
	return (a->state == ALERT_ON_SCENE &&
	    now - a->updated >= BE_SIM_T_ON_SCENE * BE_SIM_MIN &&
	    a->muted_until <= now);
}

/* Units finish on scene: the alert resolves, handled in the field. */
static int
be_sim_field(struct be_sim *sim, size_t k)
{
	struct store	*s = sim->store;
	size_t		 i;
	int64_t		 now = clock_now();

	for (i = 0; i < s->nalerts; i++) {
		if (be_sim_field_due(&s->alerts[i], now) && k-- == 0)
			break;
	}
	if (i == s->nalerts)
		return (-1);
	return (be_sim_cmd(sim, &be_sim_op, "resolve", json_pack("{s:s s:s}",
	    "alert", s->alerts[i].id, "text", be_data_outcome(sim->data,
	    BE_OUT_FIELD)), NULL));
}

/*
 * What a colleague would do to an alert now: pick up a new one nobody
 * took by its deadline (and at least BE_SIM_T_PICK_UP), send units to or
 * dismiss an acknowledged one left alone (BE_SIM_T_STALLED, or until its
 * dispatch is due, but not sooner than BE_SIM_T_STALLED_MIN), close a
 * resolved one. A muted alert is left alone: somebody is on it.
 */
static enum be_sim_plan
be_sim_plan(const struct store *s, const struct alert *a, int64_t now)
{
	int64_t	due;
	int	first = be_sim_kind_units[a->kind][0];

	if (a->muted_until > now)
		return (BE_PLAN_NONE);
	switch (a->state) {
	case ALERT_NEW:
		due = a->created + BE_SIM_T_PICK_UP * BE_SIM_MIN;
		if (a->deadline > due)
			due = a->deadline;
		if (due > a->created + BE_SIM_T_PICK_UP_MAX * BE_SIM_MIN)
			due = a->created + BE_SIM_T_PICK_UP_MAX * BE_SIM_MIN;
		return (now >= due ? BE_PLAN_TAKE : BE_PLAN_NONE);
	case ALERT_ACKNOWLEDGED:
		/* Left alone a while, or by its dispatch deadline. */
		due = a->updated + BE_SIM_T_STALLED * BE_SIM_MIN;
		if (a->due_dispatch > 0 && a->dispatched_at == 0 &&
		    a->due_dispatch < due)
			due = a->due_dispatch;
		if (due < a->updated + BE_SIM_T_STALLED_MIN * BE_SIM_MIN)
			due = a->updated + BE_SIM_T_STALLED_MIN * BE_SIM_MIN;
		if (now < due)
			return (BE_PLAN_NONE);
		if (first < 0)
			return (BE_PLAN_CHECKED);
		if (be_sim_has_unit(s, first))
			return (BE_PLAN_SEND);
		if (a->severity <= 2)
			return (BE_PLAN_DISMISS);
		if (now - a->updated >= BE_SIM_T_GIVE_UP * BE_SIM_MIN)
			return (BE_PLAN_TRANSFER);
		return (BE_PLAN_NONE);
	case ALERT_RESOLVED:
		return (now - a->updated >= BE_SIM_T_CLOSE * BE_SIM_MIN ?
		    BE_PLAN_CLOSE : BE_PLAN_NONE);
	default:
		return (BE_PLAN_NONE);
	}
}

/* Send the units an alert of its kind needs. Returns 0, or -1 if none. */
static int
be_sim_send(struct be_sim *sim, const struct alert *a)
{
	const struct unit	*u1, *u2 = NULL;
	char			 id[MODEL_ID_MAX], area[MODEL_CODE_MAX];
	json_t			*units;
	int			 kind = a->kind;

	snprintf(id, sizeof id, "%s", a->id);
	snprintf(area, sizeof area, "%s", a->area);
	u1 = be_sim_pick_unit(sim, be_sim_kind_units[kind][0], area, "");
	if (u1 == NULL)
		return (-1);
	units = json_pack("[s]", u1->id);
	if (a->severity >= 3)
		u2 = be_sim_pick_unit(sim, be_sim_kind_units[kind][1], area,
		    u1->id);
	if (u2 != NULL)
		json_array_append_new(units, json_string(u2->id));
	return (be_sim_cmd(sim, &be_sim_op, "dispatch", json_pack(
	    "{s:s s:o}", "alert", id, "units", units), NULL));
}

/* A colleague handles the k-th alert that needs it. */
static int
be_sim_colleague(struct be_sim *sim, size_t k)
{
	static const unsigned	 dw[4] = { 30, 25, 25, 20 };
	static const struct {
		const char	*disp;
		enum be_outcome	 text;
	} dismiss[4] = {
		{ "false_alarm", BE_OUT_FALSE_ALARM },
		{ "duplicate", BE_OUT_DUPLICATE },
		{ "transferred", BE_OUT_TRANSFERRED },
		{ "cancelled", BE_OUT_CANCELLED },
	};
	struct store		*s = sim->store;
	struct alert		*a;
	enum be_sim_plan	 plan = BE_PLAN_NONE;
	char			 id[MODEL_ID_MAX];
	size_t			 i, j;
	int64_t			 now = clock_now() - sim->colleague_delay;

	for (i = 0; i < s->nalerts; i++) {
		if ((plan = be_sim_plan(s, &s->alerts[i], now)) !=
		    BE_PLAN_NONE && k-- == 0)
			break;
	}
	if (i == s->nalerts)
		return (-1);
	a = &s->alerts[i];
	snprintf(id, sizeof id, "%s", a->id);
	switch (plan) {
	case BE_PLAN_TAKE:
		if (be_sim_cmd(sim, &be_sim_op, "ack", json_pack("{s:s}",
		    "alert", id), NULL) != 0)
			return (-1);
		be_sim_send(sim, store_alert(s, id));
		return (0);
	case BE_PLAN_SEND:
		return (be_sim_send(sim, a));
	case BE_PLAN_CHECKED:
		return (be_sim_cmd(sim, &be_sim_op, "resolve", json_pack(
		    "{s:s s:s}", "alert", id, "text", be_data_outcome(sim->data,
		    BE_OUT_CHECKED)), NULL));
	case BE_PLAN_DISMISS:
	case BE_PLAN_TRANSFER:
		j = plan == BE_PLAN_TRANSFER ? 2 :
		    be_rng_weighted(sim->rng, dw, 4);
		return (be_sim_cmd(sim, &be_sim_op, "close", json_pack(
		    "{s:s s:s s:s}", "alert", id, "disposition",
		    dismiss[j].disp, "reason", be_data_outcome(sim->data,
		    dismiss[j].text)), NULL));
	case BE_PLAN_CLOSE:
		return (be_sim_cmd(sim, &be_sim_op, "close", json_pack(
		    "{s:s s:s}", "alert", id, "disposition", "resolved"),
		    NULL));
	default:
		return (-1);
	}
}

/* When a case last changed. */
static int64_t
be_sim_case_since(const struct feedback *f)
{
	if (f->hist.n > 0)
		return (history_ts(&f->hist, f->hist.n - 1));
	return (f->received);
}

/* Whether a department (or the desk) would act on a case now. */
static int
be_sim_case_due(const struct feedback *f, int64_t now)
{
	int64_t	age = now - be_sim_case_since(f);

	switch (f->state) {
	case FB_NEW:
		return (age >= BE_SIM_T_ASSIGN * BE_SIM_MIN);
	case FB_ASSIGNED:
		return (age >= BE_SIM_T_START * BE_SIM_MIN);
	case FB_IN_PROGRESS:
		return (age >= BE_SIM_T_ANSWER * BE_SIM_MIN);
	case FB_ANSWERED:
	case FB_RETURNED:
		return (age >= BE_SIM_T_CLOSE_CASE * BE_SIM_MIN);
	default:
		return (0);
	}
}

/* How many times a case's history says what. */
static size_t
be_sim_hops(const struct feedback *f, const char *what)
{
	size_t	i, n = 0;

	for (i = 0; i < f->hist.n; i++)
		n += strcmp(history_what(&f->hist, i), what) == 0;
	return (n);
}

/*
 * A body hands a case on (transfer to body, or return when body is
 * NULL), as its own operator, with the outcome's text as the reason.
 */
static int
be_sim_hand_off(struct be_sim *sim, const struct operator *by,
    const char *id, const char *body, enum be_outcome why)
{
	const char	*reason = be_data_outcome(sim->data, why);

	if (body == NULL)
		return (be_sim_cmd(sim, by, "return", json_pack("{s:s s:s}",
		    "case", id, "reason", reason), NULL));
	return (be_sim_cmd(sim, by, "transfer", json_pack("{s:s s:s s:s}",
	    "case", id, "to", body, "reason", reason), NULL));
}

/*
 * The k-th case that is due moves on: a new one is assigned to its
 * category's department, or one in four to the People's Committee of its
 * commune (or, one in twenty, returned as not ours). A commune passes
 * half of its cases to the department once; a department hands a third
 * of those back once; the body that keeps a case starts and then
 * answers, and the desk closes it.
 */
static int
be_sim_dept(struct be_sim *sim, size_t k)
{
	struct store		*s = sim->store;
	const struct be_fb_tpl	*t;
	struct operator		 dept;
	struct feedback		*f, copy;
	char			 id[MODEL_ID_MAX], code[MODEL_CODE_MAX];
	char			 body[MODEL_CODE_MAX], cat[MODEL_CODE_MAX];
	size_t			 i;
	int64_t			 now = clock_now();
	int			 rc, commune;

	for (i = 0; i < s->nfeedback; i++) {
		if (be_sim_case_due(&s->feedback[i], now) && k-- == 0)
			break;
	}
	if (i == s->nfeedback)
		return (-1);
	f = &s->feedback[i];
	snprintf(id, sizeof id, "%s", f->id);
	t = be_data_category(sim->data, f->category);
	snprintf(cat, sizeof cat, "%s", t != NULL ? t->dept : s->ndepts > 0 ?
	    s->depts[0].code : "");
	snprintf(code, sizeof code, "%s", f->holder[0] != '\0' ? f->holder :
	    f->dept[0] != '\0' ? f->dept : cat);
	/* The commune's People's Committee, when the province has one. */
	commune = be_data_area_body(f->area, body) == 0 &&
	    store_department(s, body) != NULL;
	memset(&dept, 0, sizeof dept);
	dept.name = code;
	dept.role = OPERATOR_SUPERVISOR;
	switch (f->state) {
	case FB_NEW:
		/* The desk is the trainees' own when colleagues are off. */
		if (sim->colleagues == BE_SIM_COLLEAGUES_OFF)
			return (-1);
		if (be_rng_percent(sim->rng, 5))
			return (be_sim_cmd(sim, &be_sim_op, "return", json_pack(
			    "{s:s s:s}", "case", id, "reason",
			    be_data_outcome(sim->data, BE_OUT_RETURN)), NULL));
		if (commune && be_rng_percent(sim->rng, 25))
			snprintf(code, sizeof code, "%s", body);
		if (code[0] == '\0')
			return (-1);
		return (be_sim_cmd(sim, &be_sim_op, "assign", json_pack(
		    "{s:s s:s}", "case", id, "dept", code), NULL));
	case FB_ASSIGNED:
		/* The commune: beyond it, the department's (once). */
		if (commune && strcmp(code, body) == 0 && cat[0] != '\0' &&
		    strcmp(cat, body) != 0 && be_sim_hops(f, "transfer") == 0 &&
		    be_rng_percent(sim->rng, 50))
			return (be_sim_hand_off(sim, &dept, id, cat,
			    BE_OUT_TRANSFER));
		/* The department: not ours, back to the commune (once). */
		if (f->nvia > 0 && be_sim_hops(f, "return") == 0 &&
		    be_rng_percent(sim->rng, 33))
			return (be_sim_hand_off(sim, &dept, id, NULL,
			    BE_OUT_HANDBACK));
		/* No command starts work: the department's own system. */
		if (!feedback_can(f->state, FB_DO_START))
			return (-1);
		feedback_copy(&copy, f);
		copy.state = FB_IN_PROGRESS;
		history_add(&copy.hist, now, code, "start", NULL);
		rc = engine_emit(sim->engine, kind_get(KIND_FEEDBACK), &copy,
		    code, "start", NULL);
		feedback_clear(&copy);
		return (rc);
	case FB_IN_PROGRESS:
		return (be_sim_cmd(sim, &dept, "reply", json_pack("{s:s s:s}",
		    "case", id, "text", be_data_outcome(sim->data,
		    BE_OUT_REPLY)), NULL));
	default:
		return (be_sim_cmd(sim, &be_sim_op, "close_case", json_pack(
		    "{s:s}", "case", id), NULL));
	}
}

/*
 * Keep about one unit in twenty in the workshop: one goes in, or one
 * comes back.
 */
static int
be_sim_fleet(struct be_sim *sim)
{
	struct store	*s = sim->store;
	size_t		 i, k, n = 0, oos = 0;
	int		 out;

	for (i = 0; i < s->nunits; i++) {
		n += s->units[i].status == UNIT_AVAILABLE;
		oos += s->units[i].status == UNIT_OUT_OF_SERVICE;
	}
	out = oos * 20 < s->nunits;
	if ((out ? n : oos) == 0)
		return (-1);
	k = be_rng_below(sim->rng, (uint32_t)(out ? n : oos));
	for (i = 0; i < s->nunits; i++) {
		if (s->units[i].status == (out ? UNIT_AVAILABLE :
		    UNIT_OUT_OF_SERVICE) && k-- == 0)
			break;
	}
	return (be_sim_cmd(sim, &be_sim_op, "unit_status", json_pack(
	    "{s:s s:s}", "unit", s->units[i].id, "status", out ?
	    "out_of_service" : "available"), NULL));
}

/* ==== The scenario ==== */

/*
 * Hand a scenario to the simulator (which takes ownership; NULL stops the
 * current one). Its timeline starts now.
 */
void
be_sim_start_scenario(struct be_sim *sim, struct be_scenario *sc)
{
	be_scenario_free(sim->scenario);
	sim->scenario = sc;
	sim->scenario_start = clock_now();
	sim->scenario_next = 0;
	if (sc != NULL)
		log_info("scenario %s (%s): %zu steps", sc->name, sc->title,
		    sc->nsteps);
}

/*
 * The number of the scenario's steps still to play (0: none, or no
 * scenario).
 */
size_t
be_sim_scenario_left(const struct be_sim *sim)
{
	if (sim->scenario == NULL)
		return (0);
	return (sim->scenario->nsteps - sim->scenario_next);
}

/*
 * Play the timeline steps that are due. Returns 1 when something was
 * injected, else 0.
 */
static int
be_sim_scenario(struct be_sim *sim, int64_t now)
{
	struct be_world			*w = &sim->world;
	const struct be_scenario	*sc = sim->scenario;
	const struct be_scenario_step	*step;
	int				 injected = 0;

	while (sc != NULL && sim->scenario_next < sc->nsteps &&
	    now - sim->scenario_start >= sc->steps[sim->scenario_next].at) {
		step = &sc->steps[sim->scenario_next++];
		if (step->weather == BE_WEATHER_COUNT)
			w->weather_locked = 0;
		else if (step->weather >= 0) {
			w->weather = (enum be_weather)step->weather;
			w->weather_locked = 1;
		}
		if (step->hospital_load != BE_SCENARIO_UNCHANGED)
			w->hospital_load = step->hospital_load;
		if (step->alert_rate != BE_SCENARIO_UNCHANGED)
			w->alert_rate = step->alert_rate;
		if (step->inject != NULL && be_sim_cmd(sim,
		    &be_sim_scenario_op, "inject", json_incref(step->inject),
		    NULL) == 0)
			injected = 1;
	}
	return (injected);
}

/* ==== The tick ==== */

static size_t
be_sim_count_units(struct be_sim *sim, int64_t now)
{
	size_t	i, n = 0;

	for (i = 0; i < sim->store->nunits; i++)
		n += be_sim_unit_due(sim, &sim->store->units[i], now);
	return (n);
}

static size_t
be_sim_count_plans(const struct store *s, int64_t now)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nalerts; i++)
		n += be_sim_plan(s, &s->alerts[i], now) != BE_PLAN_NONE;
	return (n);
}

static size_t
be_sim_count_field(const struct store *s, int64_t now)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nalerts; i++)
		n += be_sim_field_due(&s->alerts[i], now);
	return (n);
}

static size_t
be_sim_count_cases(const struct store *s, int64_t now, size_t *open)
{
	size_t	i, n = 0;

	*open = 0;
	for (i = 0; i < s->nfeedback; i++) {
		n += be_sim_case_due(&s->feedback[i], now);
		*open += feedback_is_open(&s->feedback[i]);
	}
	return (n);
}

/* A weight for n candidates: each one more likely, up to a cap. */
static unsigned
be_sim_busy(unsigned per, size_t n)
{
	return (per * (unsigned)(n < BE_SIM_BUSY_CAP ? n : BE_SIM_BUSY_CAP));
}

/*
 * One step of the simulation: the scenario's due steps, the weather, the
 * stations, then one step chosen by weight from what is possible now.
 * Returns what it did.
 */
enum be_sim_step
be_sim_tick(struct be_sim *sim)
{
	static const unsigned	 alert_hour[24] = {
		40, 40, 40, 40, 40, 50, 70, 100, 100, 100, 100, 100,
		100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 70, 70
	};
	static const unsigned	 rush_hour[24] = {
		20, 20, 20, 20, 20, 40, 100, 200, 200, 120, 100, 100,
		100, 100, 100, 100, 200, 200, 200, 80, 80, 60, 40, 30
	};
	static const unsigned	 wet[BE_WEATHER_COUNT] = {
		100, 100, 130, 180, 250
	};
	struct store		*s = sim->store;
	const struct be_data	*d = sim->data;
	unsigned		 w[BE_SIM_STEP_COUNT];
	size_t			 k, open, nunits, nfield, nplans, ncases, nfb;
	int64_t			 now = clock_now();
	int			 wday, hour, rc = -1, office;
	uint64_t		 room, base;

	/* Finished work leaves the live state on the province's clock. */
	be_state_retire_due(sim->st);
	if (d == NULL)
		return (BE_SIM_NOTHING);
	if (be_sim_scenario(sim, now))
		return (BE_SIM_SCENARIO);
	be_sim_weather(sim, now);
	open = store_open_alerts(s, 0);
	if (be_sim_stations(sim, open))
		return (BE_SIM_STATION);

	be_sim_local(now, s->utc_offset_min, &wday, &hour);
	office = be_sim_office(sim, now);
	nunits = be_sim_count_units(sim, now);
	nfield = be_sim_count_field(s, now);
	nplans = sim->colleagues == BE_SIM_COLLEAGUES_OFF ? 0 :
	    be_sim_count_plans(s, now - sim->colleague_delay);
	ncases = be_sim_count_cases(s, now, &nfb);

	/*
	 * Weights in hundredths. New alerts: 0.6 at noon in clear weather,
	 * scaled by the hour, the weather, the scenario's rate and the
	 * room left under BE_SIM_MAX_OPEN_ALERTS.
	 */
	memset(w, 0, sizeof w);
	room = open < BE_SIM_MAX_OPEN_ALERTS ? BE_SIM_MAX_OPEN_ALERTS - open :
	    0;
	base = (uint64_t)wet[sim->world.weather] *
	    (uint64_t)sim->world.alert_rate * room / BE_SIM_MAX_OPEN_ALERTS;
	if (d->nalerts > 0)
		w[BE_SIM_ALERT] = (unsigned)(60 * alert_hour[hour] * base /
		    (100 * 100 * 100));
	if (d->ncameras > 0)
		w[BE_SIM_CAMERA] = (unsigned)(25 * rush_hour[hour] * base /
		    (100 * 100 * 100));
	if (s->nhospitals > 0)
		w[BE_SIM_HOSPITAL] = 3500;
	w[BE_SIM_SCHOOL] = be_sim_school_due(s) == 2 ? 2500 :
	    be_sim_school_due(s) == 1 ? 1000 : 0;
	if (d->nfeedback > 0 && nfb < BE_SIM_MAX_OPEN_FEEDBACK)
		w[BE_SIM_FEEDBACK] = (unsigned)(office *
		    (BE_SIM_MAX_OPEN_FEEDBACK - nfb) /
		    BE_SIM_MAX_OPEN_FEEDBACK);
	w[BE_SIM_PROGRESS] = be_sim_busy(500, nunits);
	w[BE_SIM_FIELD] = be_sim_busy(400, nfield);
	w[BE_SIM_COLLEAGUE] = be_sim_busy(sim->colleagues ==
	    BE_SIM_COLLEAGUES_SLOW ? 60 : 300, nplans);
	w[BE_SIM_DEPT] = be_sim_busy((unsigned)(2 * (office > 20 ? office :
	    20)), ncases);
	if (s->nunits > 0)
		w[BE_SIM_FLEET] = 20;

	k = be_rng_weighted(sim->rng, w, BE_SIM_STEP_COUNT);
	switch (k) {
	case BE_SIM_ALERT:
		rc = be_sim_alert(sim, now);
		break;
	case BE_SIM_CAMERA:
		rc = be_sim_camera(sim);
		break;
	case BE_SIM_HOSPITAL:
		rc = be_sim_hospital(sim);
		break;
	case BE_SIM_SCHOOL:
		rc = be_sim_school(sim);
		break;
	case BE_SIM_FEEDBACK:
		rc = be_sim_feedback(sim, now);
		break;
	case BE_SIM_PROGRESS:
		rc = be_sim_progress(sim, be_rng_below(sim->rng,
		    (uint32_t)nunits));
		break;
	case BE_SIM_FIELD:
		rc = be_sim_field(sim, be_rng_below(sim->rng,
		    (uint32_t)nfield));
		break;
	case BE_SIM_COLLEAGUE:
		rc = be_sim_colleague(sim, be_rng_below(sim->rng,
		    (uint32_t)nplans));
		break;
	case BE_SIM_DEPT:
		rc = be_sim_dept(sim, be_rng_below(sim->rng,
		    (uint32_t)ncases));
		break;
	case BE_SIM_FLEET:
		rc = be_sim_fleet(sim);
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
be_sim_initial_day(struct be_sim *sim)
{
	int64_t	now = clock_now();
	size_t	i;

	if (sim->data == NULL)
		return;
	be_sim_weather(sim, now);
	for (i = 0; i < BE_SIM_INITIAL_ALERTS; i++)
		be_sim_alert(sim, now - be_rng_range(sim->rng, 2, 150) *
		    BE_SIM_MIN);
	for (i = 0; i < BE_SIM_INITIAL_FEEDBACK; i++)
		be_sim_feedback(sim, now - be_rng_range(sim->rng, 10, 1200) *
		    BE_SIM_MIN);
	if (be_sim_school_time(now, sim->store->utc_offset_min)) {
		for (i = 0; i < sim->store->nschools; i++)
			be_sim_school_set(sim, i);
	}
}

/* ==== The simulator ==== */

static void
be_sim_cb(lws_sorted_usec_list_t *sul)
{
	struct be_sim	*sim = lws_container_of(sul, struct be_sim, sul);

	if (!sim->passive && (sim->guard == NULL ||
	    sim->guard(sim->guard_arg)))
		be_sim_tick(sim);
	lws_sul_schedule(sim->ctx, 0, &sim->sul, be_sim_cb, sim->period);
}

/*
 * The retention pass runs on a timer of its own, so that a backend that
 * simulates nothing (--rate 0) archives what its officers finish too.
 */
static void
be_sim_retire_cb(lws_sorted_usec_list_t *sul)
{
	struct be_sim	*sim = lws_container_of(sul, struct be_sim,
			    retire_sul);

	if (!sim->passive && (sim->guard == NULL ||
	    sim->guard(sim->guard_arg)))
		be_state_retire_due(sim->st);
	lws_sul_schedule(sim->ctx, 0, &sim->retire_sul, be_sim_retire_cb,
	    BE_SIM_RETIRE_US);
}

/*
 * Make the simulator of a province: it changes st (borrowed) through its
 * engine, from the dataset data (borrowed; both outlive it), in a world
 * of its own that starts as be_world_init() makes it. Nothing happens
 * until be_sim_initial_day(), be_sim_tick() or be_sim_start(). Caller
 * frees with be_sim_free().
 */
struct be_sim *
be_sim_new(struct be_state *st, const struct be_data *data)
{
	struct be_sim	*sim;

	sim = xcalloc(1, sizeof *sim);
	sim->st = st;
	sim->store = st->store;
	sim->engine = st->engine;
	sim->rng = &st->rng;
	sim->data = data;
	be_world_init(&sim->world, data);
	return (sim);
}

/*
 * Tick at rate events per second on the context's loop (rate 0: never),
 * and run the retention pass when due (whatever the rate), until
 * be_sim_free(), which must come before the context is destroyed.
 */
void
be_sim_start(struct be_sim *sim, struct lws_context *ctx, double rate)
{
	if (sim->ctx != NULL)
		return;
	sim->ctx = ctx;
	lws_sul_schedule(ctx, 0, &sim->retire_sul, be_sim_retire_cb,
	    BE_SIM_RETIRE_US);
	if (rate <= 0)
		return;
	if (rate > BE_SIM_RATE_MAX)
		rate = BE_SIM_RATE_MAX;
	sim->period = (lws_usec_t)(LWS_US_PER_SEC / rate);
	if (sim->period < 1)
		sim->period = 1;
	lws_sul_schedule(ctx, 0, &sim->sul, be_sim_cb, sim->period);
}

/*
 * How the simulated colleagues ("sim") handle alerts and new cases: as
 * usual; slowly (BE_SIM_COLLEAGUE_SLOW later than usual and a fifth as
 * often, so that an officer who starts a shift, or a demo, finds alerts
 * to take); or not
 * at all (drills: every action is the trainees'). The field, the
 * departments and the fleet go on either way.
 */
void
be_sim_set_colleagues(struct be_sim *sim, enum be_sim_colleagues c)
{
	sim->colleagues = c;
	sim->colleague_delay = c == BE_SIM_COLLEAGUES_SLOW ?
	    BE_SIM_COLLEAGUE_SLOW : 0;
}

/*
 * A passive simulator ticks nothing and retires nothing: on a gateway
 * over JetStream (docs/ha.md) only the lease holder changes the province;
 * the others follow the stream. The timers keep running, so taking the
 * lease over is setting this back to 0.
 */
void
be_sim_set_passive(struct be_sim *sim, int passive)
{
	sim->passive = passive;
}

/*
 * guard(arg), when set, is asked before each turn and retention pass of
 * an active simulator; 0 skips it. Over JetStream it checks that the
 * lease is still fresh (be_nats_may_write()), which may make the
 * simulator passive there and then.
 */
void
be_sim_set_guard(struct be_sim *sim, int (*guard)(void *), void *arg)
{
	sim->guard = guard;
	sim->guard_arg = arg;
}

/*
 * The simulator's world (borrowed), which a test may set.
 */
struct be_world *
be_sim_world(struct be_sim *sim)
{
	return (&sim->world);
}

/*
 * Stop the timer, free the scenario and the world, and the simulator.
 * NULL is a no-op.
 */
void
be_sim_free(struct be_sim *sim)
{
	if (sim == NULL)
		return;
	if (sim->ctx != NULL) {
		lws_sul_cancel(&sim->sul);
		lws_sul_cancel(&sim->retire_sul);
	}
	be_scenario_free(sim->scenario);
	be_world_clear(&sim->world);
	free(sim);
}

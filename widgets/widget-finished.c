/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Finished work: answered, returned and closed items, and the shift. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "areas.h"
#include "clock.h"
#include "draw.h"
#include "finished.h"
#include "i18n.h"
#include "kind.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * The live panels show open work only, so what an officer finished, or
 * a department answered, would be out of reach: this view keeps it in
 * reach. Its rows, newest first, are the finished items the store still
 * holds (resolved and closed alerts; answered, returned and closed
 * cases), then those the archive gave back (finished.h), paged in by the
 * runtime when the selection reaches the last row; the footer says
 * "loading…" or "no more". An answered case is closed from here, a
 * closed alert reopened, with the keys of the "finished" table.
 *
 * Its second mode is the shift's history: every history entry of every
 * item, live or archived, made since the shift started, newest first,
 * by time, who, what and item. The area filter and the search apply to
 * both. A row is an entry of an array the refresh builds (data->e), by
 * index, never by pointer: the store's arrays move when they grow.
 */

static const char	*widget_finished_id(struct panel *, struct store *,
			     size_t);
static int		 widget_finished_cmp(const void *, const void *,
			     void *);
static void		 widget_finished_refresh(struct panel *,
			     struct store *);
static int		 widget_finished_init(struct panel *);
static void		 widget_finished_free(struct panel *);
static void		 widget_finished_columns(struct panel *, struct store *,
			     const struct panel_view *);
static void		 widget_finished_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_finished_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_finished_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_finished_footer(struct panel *, struct store *,
			     const struct panel_view *, char *, size_t);
static const char	*widget_finished_subtitle(struct panel *,
			     struct store *);

static const char *const widget_finished_sorts[] = { "time", NULL };

const struct panel_class widget_finished_class = {
	.name = "finished",
	.title = N_("Finished"),
	.store_mask = STORE_CH_ALERTS | STORE_CH_FEEDBACK | STORE_CH_ARCHIVE,
	.item_kind = "alert",
	.sorts = widget_finished_sorts,
	.init = widget_finished_init,
	.free = widget_finished_free,
	.refresh = widget_finished_refresh,
	.columns = widget_finished_columns,
	.head = widget_finished_head,
	.row = widget_finished_row,
	.row_id = widget_finished_id,
	.detail = widget_finished_detail,
	.footer = widget_finished_footer,
	.subtitle = widget_finished_subtitle
};

/* The archive's pages, from the runtime; NULL: live items only. */
static struct finished *widget_finished_src;

/* States in words, as the detail and the archive page say them. */
static const char *const widget_finished_alert_states[ALERT_STATE_COUNT] = {
	N_("new"), N_("acknowledged"), N_("dispatched"), N_("on scene"),
	N_("resolved"), N_("closed")
};
static const char *const widget_finished_case_states[FB_STATE_COUNT] = {
	N_("new"), N_("assigned"), N_("in progress"), N_("answered"),
	N_("closed"), N_("returned")
};
static const char *const widget_finished_disp[DISPOSITION_COUNT] = {
	N_("none"), N_("resolved"), N_("false alarm"), N_("duplicate"),
	N_("cancelled"), N_("transferred")
};

enum {
	COL_TIME,
	COL_ID,
	COL_STATE,	/* History: what was done. */
	COL_AREA,
	COL_WHO,	/* The handler; history: who did it. */
	COL_TEXT,
	COL_COUNT
};

/* One row: an item (live or archived), and in the history an entry. */
struct widget_finished_entry {
	int		 kind;		/* KIND_ALERT or KIND_FEEDBACK. */
	int		 archived;
	size_t		 item;		/* Index in its array. */
	size_t		 hist;		/* History: index of the entry. */
	int64_t		 ts;
};

struct widget_finished_data {
	struct draw_col			 c[COL_COUNT];
	int				 history;	/* The shift's. */
	struct widget_finished_entry	*e;
	size_t				 ne, ecap;
	struct store			*store;	/* Of the last refresh. */
};

void
widget_finished_set(struct finished *f)
{
	widget_finished_src = f;
}

/* The view in its item mode (0) or as the shift's history (1). */
void
widget_finished_mode(struct panel *p, struct store *store, int history)
{
	struct widget_finished_data	*fd = p->data;

	if (p->cls != &widget_finished_class || fd == NULL)
		return;
	if (fd->history != history) {
		fd->history = history;
		p->sel = p->top = 0;
		p->sel_id[0] = '\0';
	}
	panel_refresh(p, store);
	panel_dirty(p);
}

int
widget_finished_history(const struct panel *p)
{
	const struct widget_finished_data	*fd = p->data;

	return (p->cls == &widget_finished_class && fd != NULL &&
	    fd->history);
}

static int
widget_finished_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_finished_data));
	return (0);
}

static void
widget_finished_free(struct panel *p)
{
	struct widget_finished_data	*fd = p->data;

	if (fd != NULL)
		free(fd->e);
	free(p->data);
	p->data = NULL;
}

/* The alert or case of an entry, from the store or the archive's pages. */
static const struct alert *
widget_finished_alert(struct store *store,
    const struct widget_finished_entry *e)
{
	struct finished	*f = widget_finished_src;

	if (e->kind != KIND_ALERT)
		return (NULL);
	if (e->archived)
		return (f != NULL && e->item < f->nalerts ?
		    &f->alerts[e->item] : NULL);
	return (e->item < store->nalerts ? &store->alerts[e->item] : NULL);
}

static const struct feedback *
widget_finished_case(struct store *store,
    const struct widget_finished_entry *e)
{
	struct finished	*f = widget_finished_src;

	if (e->kind != KIND_FEEDBACK)
		return (NULL);
	if (e->archived)
		return (f != NULL && e->item < f->ncases ?
		    &f->cases[e->item] : NULL);
	return (e->item < store->nfeedback ? &store->feedback[e->item] :
	    NULL);
}

static const struct widget_finished_entry *
widget_finished_entry(struct panel *p, size_t i)
{
	struct widget_finished_data	*fd = p->data;

	return (i < fd->ne ? &fd->e[i] : NULL);
}

static const char *
widget_finished_id(struct panel *p, struct store *store, size_t i)
{
	const struct widget_finished_entry	*e;
	const struct alert			*a;
	const struct feedback			*c;

	if ((e = widget_finished_entry(p, i)) == NULL)
		return (NULL);
	if ((a = widget_finished_alert(store, e)) != NULL)
		return (a->id);
	if ((c = widget_finished_case(store, e)) != NULL)
		return (c->id);
	return (NULL);
}

/* When an item was finished: its last change. */
static int64_t
widget_finished_alert_ts(const struct alert *a)
{
	return (a->updated);
}

static int64_t
widget_finished_case_ts(const struct feedback *c)
{
	return (c->hist.n > 0 ? history_ts(&c->hist, c->hist.n - 1) :
	    c->received);
}

static void
widget_finished_push(struct widget_finished_data *fd, int kind,
    int archived, size_t item, size_t hist, int64_t ts)
{
	if (fd->ne == fd->ecap) {
		fd->ecap = fd->ecap ? fd->ecap * 2 : 64;
		fd->e = xreallocarray(fd->e, fd->ecap, sizeof *fd->e);
	}
	fd->e[fd->ne++] = (struct widget_finished_entry){ .kind = kind,
	    .archived = archived, .item = item, .hist = hist, .ts = ts };
}

/* History mode: the entries of h made since the shift started. */
static void
widget_finished_push_hist(struct widget_finished_data *fd, int kind,
    int archived, size_t item, const struct history *h, int64_t since)
{
	size_t	k;

	for (k = 0; k < h->n; k++) {
		if (history_ts(h, k) >= since && strcmp(history_what(h, k),
		    "trimmed") != 0)
			widget_finished_push(fd, kind, archived, item, k,
			    history_ts(h, k));
	}
}

/* Gather the entries: what the store holds first, then the archive's. */
static void
widget_finished_gather(struct widget_finished_data *fd,
    struct store *store)
{
	struct finished		*f = widget_finished_src;
	int64_t			 since = f != NULL ? f->shift_start : 0;
	size_t			 i;

	fd->ne = 0;
	for (i = 0; i < store->nalerts; i++) {
		if (fd->history)
			widget_finished_push_hist(fd, KIND_ALERT, 0, i,
			    &store->alerts[i].hist, since);
		else if (finished_alert_done(&store->alerts[i]))
			widget_finished_push(fd, KIND_ALERT, 0, i, 0,
			    widget_finished_alert_ts(&store->alerts[i]));
	}
	for (i = 0; i < store->nfeedback; i++) {
		if (fd->history)
			widget_finished_push_hist(fd, KIND_FEEDBACK, 0, i,
			    &store->feedback[i].hist, since);
		else if (finished_case_done(&store->feedback[i]))
			widget_finished_push(fd, KIND_FEEDBACK, 0, i, 0,
			    widget_finished_case_ts(&store->feedback[i]));
	}
	if (f == NULL)
		return;
	/* An archived item the store holds again is shown live only. */
	for (i = 0; i < f->nalerts; i++) {
		if (store_alert(store, f->alerts[i].id) != NULL)
			continue;
		if (fd->history)
			widget_finished_push_hist(fd, KIND_ALERT, 1, i,
			    &f->alerts[i].hist, since);
		else
			widget_finished_push(fd, KIND_ALERT, 1, i, 0,
			    widget_finished_alert_ts(&f->alerts[i]));
	}
	for (i = 0; i < f->ncases; i++) {
		if (store_feedback(store, f->cases[i].id) != NULL)
			continue;
		if (fd->history)
			widget_finished_push_hist(fd, KIND_FEEDBACK, 1, i,
			    &f->cases[i].hist, since);
		else
			widget_finished_push(fd, KIND_FEEDBACK, 1, i, 0,
			    widget_finished_case_ts(&f->cases[i]));
	}
}

/* Newest first; then live before archived, then by id and entry. */
static int
widget_finished_cmp(const void *va, const void *vb, void *arg)
{
	struct panel				*p = arg;
	const struct widget_finished_entry	*a, *b;
	const char				*ia, *ib;
	int					 c;

	/*
	 * panel_sort() may compare the rows of the last refresh, to keep
	 * their order: one past the entries now sorts last.
	 */
	a = widget_finished_entry(p, *(const size_t *)va);
	b = widget_finished_entry(p, *(const size_t *)vb);
	if (a == NULL || b == NULL)
		return ((a == NULL) - (b == NULL));
	if (a->ts != b->ts)
		return (a->ts > b->ts ? -1 : 1);
	if (a->archived != b->archived)
		return (a->archived ? 1 : -1);
	ia = widget_finished_id(p, p->store, *(const size_t *)va);
	ib = widget_finished_id(p, p->store, *(const size_t *)vb);
	if ((c = strcmp(ia != NULL ? ia : "", ib != NULL ? ib : "")) != 0)
		return (c);
	if (a->hist != b->hist)
		return (a->hist > b->hist ? -1 : 1);
	return (0);
}

/* The texts a row is searched by: its id, title or text, handler... */
static int
widget_finished_want(struct panel *p, struct store *store,
    const struct widget_finished_entry *e)
{
	const struct alert		*a = widget_finished_alert(store, e);
	const struct feedback		*c = widget_finished_case(store, e);
	const struct history		*h;
	const char			*texts[6], *area;
	size_t				 n = 0;

	if (a != NULL) {
		texts[n++] = a->id;
		texts[n++] = a->title;
		texts[n++] = a->handler != NULL ? a->handler : a->acked_by;
		area = a->area;
		h = &a->hist;
	} else if (c != NULL) {
		texts[n++] = c->id;
		texts[n++] = c->text;
		texts[n++] = c->handler;
		area = c->area;
		h = &c->hist;
	} else
		return (0);
	if (((struct widget_finished_data *)p->data)->history &&
	    e->hist < h->n) {
		texts[n++] = history_by(h, e->hist);
		texts[n++] = history_what(h, e->hist);
		texts[n++] = history_text(h, e->hist);
	}
	return (panel_want(p, store, area, -1, texts, n));
}

static void
widget_finished_refresh(struct panel *p, struct store *store)
{
	struct widget_finished_data	*fd = p->data;
	size_t				 i;

	widget_finished_gather(fd, store);
	fd->store = store;
	p->store = store;
	panel_rows_clear(p);
	for (i = 0; i < fd->ne; i++) {
		if (widget_finished_want(p, store, &fd->e[i]))
			panel_rows_add(p, i);
	}
	panel_sort(p, widget_finished_cmp, p);
	panel_reselect(p, widget_finished_id, store);
}

/*
 * An instant as the province's local time: "14:03:12" on the day of
 * now, "27/11 14:03" before.
 */
static void
widget_finished_when(int64_t t, int64_t now, int off, char *buf, size_t sz)
{
	int64_t		 day = 86400000, shift = (int64_t)off * 60000;
	time_t		 secs;
	struct tm	 tm;

	if ((t + shift) / day == (now + shift) / day) {
		clock_hms(t, off, buf, sz);
		return;
	}
	secs = (time_t)((t + shift) / 1000);
	if (gmtime_r(&secs, &tm) == NULL) {
		snprintf(buf, sz, "?");
		return;
	}
	snprintf(buf, sz, "%02d/%02d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
	    tm.tm_hour, tm.tm_min);
}

/* What an item's state says: "closed (false alarm)", "answered". */
static void
widget_finished_state(const struct alert *a, const struct feedback *c,
    char *buf, size_t sz)
{
	if (a != NULL && (unsigned)a->state < ALERT_STATE_COUNT) {
		if (a->disposition != DISPOSITION_NONE &&
		    (unsigned)a->disposition < DISPOSITION_COUNT)
			snprintf(buf, sz, "%s (%s)",
			    _(widget_finished_alert_states[a->state]),
			    _(widget_finished_disp[a->disposition]));
		else
			snprintf(buf, sz, "%s",
			    _(widget_finished_alert_states[a->state]));
	} else if (c != NULL && (unsigned)c->state < FB_STATE_COUNT)
		snprintf(buf, sz, "%s", _(widget_finished_case_states[c->state]));
	else
		buf[0] = '\0';
}

static void
widget_finished_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_finished_data	*fd = p->data;
	struct draw_col			*c = fd->c;
	const struct widget_finished_entry *e;
	const struct alert		*a;
	const struct feedback		*k;
	const char			*who;
	char				 buf[128];
	size_t				 i;
	int				 iw = p->w - 2, n, wid, warea, wstate;
	int				 wwho, wtime;

	wtime = draw_width("00/00 00:00", v->ascii);
	wid = draw_width(_("ID"), v->ascii);
	warea = draw_width(_("Area"), v->ascii);
	wstate = draw_width(fd->history ? _("Action") : _("State"),
	    v->ascii);
	wwho = draw_width(fd->history ? _("By") : _("Handler"), v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if ((e = widget_finished_entry(p, p->rows[i])) == NULL)
			continue;
		a = widget_finished_alert(store, e);
		k = widget_finished_case(store, e);
		if (a == NULL && k == NULL)
			continue;
		if ((n = (int)strlen(a != NULL ? a->id : k->id)) > wid)
			wid = n;
		if ((n = draw_width(areas_label(store, a != NULL ? a->area :
		    k->area), v->ascii)) > warea)
			warea = n;
		if (fd->history) {
			const struct history *h = a != NULL ? &a->hist :
			    &k->hist;

			if (e->hist >= h->n)
				continue;
			who = history_by(h, e->hist);
			snprintf(buf, sizeof buf, "%s",
			    panel_history_what(history_what(h, e->hist)));
		} else {
			who = a != NULL ? (a->handler != NULL ? a->handler :
			    a->acked_by) : k->handler;
			widget_finished_state(a, k, buf, sizeof buf);
		}
		if ((n = draw_width(buf, v->ascii)) > wstate)
			wstate = n;
		if (who != NULL && (n = draw_width(who, v->ascii)) > wwho)
			wwho = n;
	}
	if (wwho > 20)
		wwho = 20;
	memset(c, 0, sizeof fd->c);
	c[COL_TIME] = (struct draw_col){ .want = wtime, .prio = 0 };
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_STATE] = (struct draw_col){ .want = wstate, .prio = 0 };
	c[COL_WHO] = (struct draw_col){ .want = wwho, .prio = 1 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 2 };
	c[COL_TEXT] = (struct draw_col){ .want = 8, .prio = 3, .fill = 1 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_finished_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_finished_data	*fd = p->data;
	const struct draw_col		*c = fd->c;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	draw_line_text(l, c[COL_TIME].x, c[COL_TIME].w, _("Time"), head, 0);
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, _("ID"), head, 0);
	draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, fd->history ?
	    _("Action") : _("State"), head, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w, _("Area"), head, 0);
	draw_line_text(l, c[COL_WHO].x, c[COL_WHO].w, fd->history ?
	    _("By") : _("Handler"), head, 0);
	draw_line_text(l, c[COL_TEXT].x, c[COL_TEXT].w, fd->history ?
	    _("Detail") : _("Title"), head, 0);
}

static void
widget_finished_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_finished_data	*fd = p->data;
	const struct draw_col		*c = fd->c;
	const struct widget_finished_entry *e;
	const struct alert		*a;
	const struct feedback		*k;
	const struct history_entry	*h = NULL;
	struct history_entry		 hbuf;
	const char			*who, *text;
	char				 buf[4200], when[32];
	attr_t				 normal = theme_attr(THEME_NORMAL);
	attr_t				 state_attr;

	if ((e = widget_finished_entry(p, p->rows[i])) == NULL)
		return;
	a = widget_finished_alert(store, e);
	k = widget_finished_case(store, e);
	if (a == NULL && k == NULL)
		return;
	if (fd->history) {
		const struct history *hh = a != NULL ? &a->hist : &k->hist;

		if (e->hist >= hh->n)
			return;
		h = history_at(hh, e->hist, &hbuf);
	}
	widget_finished_when(e->ts, v->now, v->utc_offset_min, when,
	    sizeof when);
	draw_line_text(l, c[COL_TIME].x, c[COL_TIME].w, when,
	    theme_attr(THEME_MUTED), 0);
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, a != NULL ? a->id :
	    k->id, normal, 0);
	if (h != NULL) {
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w,
		    panel_history_what(h->what), normal, 0);
		who = h->by != NULL && h->by[0] != '\0' ? h->by : "-";
		panel_history_text(h->what, h->text, buf, sizeof buf);
		text = buf;
	} else {
		widget_finished_state(a, k, buf, sizeof buf);
		/* An answered case waits for the officer to close it. */
		state_attr = k != NULL && k->state == FB_ANSWERED ?
		    theme_attr(THEME_OK) : e->archived ?
		    theme_attr(THEME_MUTED) : normal;
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, buf,
		    state_attr, DRAW_ELLIPSIS);
		who = a != NULL ? (a->handler != NULL ? a->handler :
		    a->acked_by) : k->handler;
		text = a != NULL ? a->title : k->text;
	}
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w,
	    areas_label(store, a != NULL ? a->area : k->area), normal, 0);
	if (who != NULL)
		draw_line_text(l, c[COL_WHO].x, c[COL_WHO].w, who, normal,
		    DRAW_ELLIPSIS);
	if (text != NULL)
		draw_line_text(l, c[COL_TEXT].x, c[COL_TEXT].w, text, normal,
		    DRAW_ELLIPSIS);
}

/*
 * "12 · loading…", "12 · no more", "12 · more below" on the bottom
 * border; the history says since when.
 */
static void
widget_finished_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	struct widget_finished_data	*fd = p->data;
	struct finished			*f = widget_finished_src;
	const char			*more;
	char				 since[32];

	(void)store;
	if (f == NULL || f->state == FINISHED_NONE)
		more = "";
	else if (f->state == FINISHED_LOADING)
		more = _("loading…");
	else if (f->state == FINISHED_MORE)
		more = _("more below");
	else
		more = _("no more");
	if (fd->history && f != NULL) {
		widget_finished_when(f->shift_start, v->now,
		    v->utc_offset_min, since, sizeof since);
		snprintf(buf, sz, _("since %s · %zu · %s"), since, p->nrows,
		    more);
	} else
		snprintf(buf, sz, "%zu%s%s", p->nrows, *more != '\0' ?
		    " · " : "", more);
}

static const char *
widget_finished_subtitle(struct panel *p, struct store *store)
{
	struct widget_finished_data	*fd = p->data;

	(void)store;
	return (fd->history ? _("the shift's history") : NULL);
}

static void
widget_finished_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	struct finished		*f = widget_finished_src;
	const struct alert	*a;
	const struct feedback	*k;
	struct department	*dep;
	char			 buf[512];
	attr_t			 normal = theme_attr(THEME_NORMAL);
	int			 archived = 0;

	if (p->sel_id[0] == '\0')
		return;
	a = store_alert(store, p->sel_id);
	k = a == NULL ? store_feedback(store, p->sel_id) : NULL;
	if (a == NULL && k == NULL && f != NULL) {
		archived = 1;
		if ((a = finished_alert(f, p->sel_id)) == NULL)
			k = finished_case(f, p->sel_id);
	}
	if (a == NULL && k == NULL)
		return;
	snprintf(buf, sizeof buf, "%s  %s", a != NULL ? a->id : k->id,
	    a != NULL ? (a->title != NULL ? a->title : "") : (k->text != NULL ?
	    k->text : ""));
	panel_detail_text(d, buf, theme_attr(THEME_TITLE), 0);
	panel_detail_blank(d);
	widget_finished_state(a, k, buf, sizeof buf);
	panel_detail_field(d, _("State"), buf, normal);
	if (archived)
		panel_detail_field(d, _("Where"), _("archived (no longer "
		    "live)"), theme_attr(THEME_MUTED));
	panel_detail_field(d, C_("detail", "Area"), areas_label(store,
	    a != NULL ? a->area : k->area), normal);
	if (a != NULL && a->acked_by != NULL)
		panel_detail_field(d, _("Acknowledged by"), a->acked_by,
		    normal);
	if (a != NULL ? a->handler != NULL : k->handler != NULL)
		panel_detail_field(d, _("Handler"), a != NULL ? a->handler :
		    k->handler, normal);
	if (k != NULL && k->dept[0] != '\0') {
		dep = store_department(store, k->dept);
		panel_detail_field(d, _("Department"), dep != NULL &&
		    dep->name != NULL ? dep->name : k->dept, normal);
	}
	if (k != NULL && k->reply != NULL)
		panel_detail_field(d, _("Reply"), k->reply, normal);
	panel_detail_blank(d);
	panel_detail_heading(d, _("History"));
	panel_detail_history(d, a != NULL ? &a->hist : &k->hist);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Schools panel: today's attendance aggregated by area. */

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "panel.h"
#include "theme.h"

/*
 * Rows are areas, not schools: every area of the store that has at least
 * one school, in the store's area order (the dataset's order). A row
 * shows the area's name, how many schools, present/enrolled, the
 * attendance as a percentage and a bar. A school with nobody present has
 * not reported today (or has no school day) and is left out of the
 * figures; an area where no school reported shows a dash.
 */

static const char	*widget_schools_id(struct store *, size_t);
static void		 widget_schools_refresh(struct panel *,
			     struct store *);
static void		 widget_schools_draw(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);
static void		 widget_schools_sum(struct store *, const char *,
			     long *, long *, int *);

const struct panel_class widget_schools_class = {
	.name = "schools",
	.title_vi = "Trường học",
	.title_en = "Schools",
	.store_mask = STORE_CH_SCHOOLS | STORE_CH_META,
	.item_kind = "school",
	.refresh = widget_schools_refresh,
	.draw = widget_schools_draw,
	.row_id = widget_schools_id,
	.tick = 0
};

enum {
	COL_NAME,
	COL_COUNT_SCHOOLS,
	COL_FIGS,
	COL_PCT,
	COL_BAR,
	COL_COUNT
};

static const char *
widget_schools_id(struct store *store, size_t i)
{
	if (i >= store->nareas)
		return (NULL);
	return (store->areas[i].code);
}

/* Sum the reporting schools of area code. */
static void
widget_schools_sum(struct store *store, const char *code, long *present,
    long *enrolled, int *nschools)
{
	const struct school	*s;
	size_t			 i;

	*present = *enrolled = 0;
	*nschools = 0;
	for (i = 0; i < store->nschools; i++) {
		s = &store->schools[i];
		if (strcmp(s->area, code) != 0)
			continue;
		(*nschools)++;
		if (s->present > 0 && s->enrolled > 0) {
			*present += s->present;
			*enrolled += s->enrolled;
		}
	}
}

static void
widget_schools_refresh(struct panel *p, struct store *store)
{
	size_t	i, j;

	panel_rows_clear(p);
	for (i = 0; i < store->nareas; i++) {
		for (j = 0; j < store->nschools; j++) {
			if (strcmp(store->schools[j].area,
			    store->areas[i].code) == 0) {
				panel_rows_add(p, i);
				break;
			}
		}
	}
	panel_reselect(p, widget_schools_id, store);
}

static void
widget_schools_draw(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct draw_col		 c[COL_COUNT];
	const struct area	*a;
	enum theme_slot		 slot;
	char			 buf[160];
	size_t			 i, end;
	long			 present, enrolled, pm;
	int			 y, x0 = 1, iw = p->w - 2, n, nschools;
	int			 wfigs;
	attr_t			 normal = theme_attr(THEME_NORMAL);
	attr_t			 muted = theme_attr(THEME_MUTED);

	if (iw < 1)
		return;
	wfigs = draw_width(DRAW_TR(v->lang_en, "Có mặt", "Present"),
	    v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nareas)
			continue;
		widget_schools_sum(store, store->areas[p->rows[i]].code,
		    &present, &enrolled, &nschools);
		n = snprintf(buf, sizeof buf, "%ld/%ld", present, enrolled);
		if (n > wfigs)
			wfigs = n;
	}
	memset(c, 0, sizeof c);
	c[COL_NAME] = (struct draw_col){ .want = 8, .prio = 0, .fill = 1 };
	c[COL_COUNT_SCHOOLS] = (struct draw_col){ .want = 3, .prio = 3 };
	c[COL_FIGS] = (struct draw_col){ .want = wfigs, .prio = 1 };
	c[COL_PCT] = (struct draw_col){ .want = 6, .prio = 0 };
	c[COL_BAR] = (struct draw_col){ .want = 10, .prio = 2 };
	draw_cols_fit(c, COL_COUNT, iw, 1);

	draw_text(win, 1, x0 + c[COL_NAME].x, c[COL_NAME].w,
	    DRAW_TR(v->lang_en, "Khu vực", "Area"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_COUNT_SCHOOLS].x, c[COL_COUNT_SCHOOLS].w,
	    DRAW_TR(v->lang_en, "Số", "N"), muted, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_FIGS].x, c[COL_FIGS].w,
	    DRAW_TR(v->lang_en, "Có mặt", "Present"), muted,
	    DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_PCT].x, c[COL_PCT].w, "%", muted,
	    DRAW_RIGHT, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nareas)
			continue;
		a = &store->areas[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;
		widget_schools_sum(store, a->code, &present, &enrolled,
		    &nschools);
		draw_text(win, y, x0 + c[COL_NAME].x, c[COL_NAME].w,
		    a->name != NULL ? a->name : a->code, normal,
		    DRAW_ELLIPSIS, v->ascii);
		snprintf(buf, sizeof buf, "%d", nschools);
		draw_text(win, y, x0 + c[COL_COUNT_SCHOOLS].x,
		    c[COL_COUNT_SCHOOLS].w, buf, normal, DRAW_RIGHT,
		    v->ascii);
		if (enrolled == 0) {
			draw_text(win, y, x0 + c[COL_FIGS].x, c[COL_FIGS].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			draw_text(win, y, x0 + c[COL_PCT].x, c[COL_PCT].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			continue;
		}
		pm = present * 1000 / enrolled;
		slot = pm >= 900 ? THEME_OK : pm >= 750 ? THEME_WARN :
		    THEME_CRIT;
		snprintf(buf, sizeof buf, "%ld/%ld", present, enrolled);
		draw_text(win, y, x0 + c[COL_FIGS].x, c[COL_FIGS].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		snprintf(buf, sizeof buf, "%ld%s%ld%%", pm / 10,
		    v->lang_en ? "." : ",", pm % 10);
		draw_text(win, y, x0 + c[COL_PCT].x, c[COL_PCT].w, buf,
		    theme_attr(slot), DRAW_RIGHT, v->ascii);
		draw_bar(win, y, x0 + c[COL_BAR].x, c[COL_BAR].w, present,
		    enrolled, theme_attr(slot), v->ascii);
	}
}

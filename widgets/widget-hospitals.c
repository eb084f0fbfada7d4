/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Hospitals panel: beds, ICU, ER waiting, ambulances, status. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "panel.h"
#include "theme.h"

/*
 * Rows are every hospital: smart hospitals first, then by bed occupancy
 * (fullest first), then by id. Columns: name (a star marks a smart
 * hospital), beds as a bar and used/total, ICU used/total, ER waiting,
 * ambulances available, and the status as a glyph and a word (diversion,
 * critical, busy, normal: never colour alone). The bar and the less
 * important figures go first when the panel is narrow. A name too long
 * for its column is shortened with the usual Vietnamese abbreviations
 * ("Trung tâm Y tế thành phố Hạ Long" gives "TTYT TP Hạ Long") before it
 * is cut, so that rows which begin alike can still be told apart.
 */

static const char	*widget_hospitals_id(struct store *, size_t);
static int		 widget_hospitals_cmp(const void *, const void *,
			     void *);
static void		 widget_hospitals_refresh(struct panel *,
			     struct store *);
static void		 widget_hospitals_draw(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);
static void		 widget_hospitals_abbrev(const char *, char *,
			     size_t);

const struct panel_class widget_hospitals_class = {
	.name = "hospitals",
	.title_vi = "Bệnh viện",
	.title_en = "Hospitals",
	.store_mask = STORE_CH_HOSPITALS,
	.item_kind = "hospital",
	.refresh = widget_hospitals_refresh,
	.draw = widget_hospitals_draw,
	.row_id = widget_hospitals_id,
	.tick = 0
};

/* Longest first where one is the start of another. */
static const struct {
	const char	*from;
	const char	*to;
} widget_hospitals_abbrevs[] = {
	{ "Bệnh viện Đa khoa ", "BVĐK " },
	{ "Bệnh viện ", "BV " },
	{ "Trung tâm Y tế ", "TTYT " },
	{ "thành phố ", "TP " },
	{ "thị xã ", "TX " },
	{ "huyện ", "H. " },
	{ "khu vực ", "KV " },
	{ "Quân dân y ", "QDY " }
};

enum {
	COL_NAME,
	COL_BAR,
	COL_BEDS,
	COL_ICU,
	COL_ER,
	COL_AMB,
	COL_STATUS,
	COL_COUNT
};

static const char *
widget_hospitals_id(struct store *store, size_t i)
{
	if (i >= store->nhospitals)
		return (NULL);
	return (store->hospitals[i].id);
}

static int
widget_hospitals_cmp(const void *va, const void *vb, void *arg)
{
	struct store		*store = arg;
	const struct hospital	*a = &store->hospitals[*(const size_t *)va];
	const struct hospital	*b = &store->hospitals[*(const size_t *)vb];
	long long		 oa, ob;

	if ((a->smart != 0) != (b->smart != 0))
		return (a->smart ? -1 : 1);
	/* Occupancy a->beds_used / a->beds against b's, without floats. */
	oa = (long long)a->beds_used * (b->beds > 0 ? b->beds : 1);
	ob = (long long)b->beds_used * (a->beds > 0 ? a->beds : 1);
	if (a->beds <= 0)
		oa = 0;
	if (b->beds <= 0)
		ob = 0;
	if (oa != ob)
		return (oa > ob ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_hospitals_refresh(struct panel *p, struct store *store)
{
	size_t	i;

	panel_rows_clear(p);
	for (i = 0; i < store->nhospitals; i++)
		panel_rows_add(p, i);
	if (p->nrows > 1)
		qsort_r(p->rows, p->nrows, sizeof *p->rows,
		    widget_hospitals_cmp, store);
	panel_reselect(p, widget_hospitals_id, store);
}

/* Write the abbreviated form of name into out (sz bytes, sz > 0). */
static void
widget_hospitals_abbrev(const char *name, char *out, size_t sz)
{
	size_t	i, o = 0, n, len;

	while (*name != '\0' && o + 1 < sz) {
		for (i = 0; i < sizeof widget_hospitals_abbrevs /
		    sizeof widget_hospitals_abbrevs[0]; i++) {
			n = strlen(widget_hospitals_abbrevs[i].from);
			if (strncmp(name, widget_hospitals_abbrevs[i].from,
			    n) == 0)
				break;
		}
		if (i < sizeof widget_hospitals_abbrevs /
		    sizeof widget_hospitals_abbrevs[0]) {
			len = strlen(widget_hospitals_abbrevs[i].to);
			if (o + len + 1 > sz)
				break;
			memcpy(out + o, widget_hospitals_abbrevs[i].to, len);
			o += len;
			name += n;
		} else
			out[o++] = *name++;
	}
	out[o] = '\0';
}

static void
widget_hospitals_draw(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct draw_col		 c[COL_COUNT];
	const struct hospital	*h;
	enum hospital_status	 hs;
	enum theme_slot		 slot;
	const char		*st;
	char			 buf[160], abbr[160];
	size_t			 i, end;
	int			 y, x0 = 1, iw = p->w - 2, n;
	int			 wbeds = 4, wicu = 3;
	attr_t			 normal = theme_attr(THEME_NORMAL);
	attr_t			 muted = theme_attr(THEME_MUTED);

	if (iw < 1)
		return;
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nhospitals)
			continue;
		h = &store->hospitals[p->rows[i]];
		n = snprintf(buf, sizeof buf, "%d/%d", h->beds_used, h->beds);
		if (n > wbeds)
			wbeds = n;
		n = snprintf(buf, sizeof buf, "%d/%d", h->icu_used, h->icu);
		if (n > wicu)
			wicu = n;
	}
	memset(c, 0, sizeof c);
	c[COL_NAME] = (struct draw_col){ .want = 10, .prio = 0, .fill = 1 };
	c[COL_BAR] = (struct draw_col){ .want = 8, .prio = 4 };
	c[COL_BEDS] = (struct draw_col){ .want = wbeds, .prio = 0 };
	c[COL_ICU] = (struct draw_col){ .want = wicu, .prio = 3 };
	c[COL_ER] = (struct draw_col){ .want = 3, .prio = 5 };
	c[COL_AMB] = (struct draw_col){ .want = 3, .prio = 6 };
	c[COL_STATUS] = (struct draw_col){ .want = 8, .prio = 1 };
	draw_cols_fit(c, COL_COUNT, iw, 1);

	draw_text(win, 1, x0 + c[COL_NAME].x, c[COL_NAME].w,
	    DRAW_TR(v->lang_en, "Tên", "Name"), muted, 0, v->ascii);
	if (c[COL_BAR].w > 0)
		draw_text(win, 1, x0 + c[COL_BAR].x,
		    c[COL_BAR].w + 1 + c[COL_BEDS].w,
		    DRAW_TR(v->lang_en, "Giường", "Beds"), muted, 0, v->ascii);
	else
		draw_text(win, 1, x0 + c[COL_BEDS].x, c[COL_BEDS].w,
		    DRAW_TR(v->lang_en, "Giường", "Beds"), muted, 0,
		    v->ascii);
	draw_text(win, 1, x0 + c[COL_ICU].x, c[COL_ICU].w, "ICU", muted, 0,
	    v->ascii);
	draw_text(win, 1, x0 + c[COL_ER].x, c[COL_ER].w,
	    DRAW_TR(v->lang_en, "CC", "ER"), muted, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_AMB].x, c[COL_AMB].w,
	    DRAW_TR(v->lang_en, "Xe", "Amb"), muted, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_STATUS].x, c[COL_STATUS].w,
	    DRAW_TR(v->lang_en, "T.thái", "Status"), muted, 0, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nhospitals)
			continue;
		h = &store->hospitals[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;
		hs = hospital_status(h);
		if (h->diversion) {
			st = v->ascii ? "> " : "⇄ ";
			slot = THEME_CRIT;
		} else if (hs == HOSPITAL_CRITICAL) {
			st = v->ascii ? "* " : "◆ ";
			slot = THEME_CRIT;
		} else if (hs == HOSPITAL_BUSY) {
			st = v->ascii ? "^ " : "▲ ";
			slot = THEME_WARN;
		} else {
			st = v->ascii ? ". " : "· ";
			slot = THEME_OK;
		}

		snprintf(buf, sizeof buf, "%s%s",
		    h->smart ? (v->ascii ? "* " : "★ ") : "  ",
		    h->name != NULL ? h->name : h->id);
		if (draw_width(buf, v->ascii) > c[COL_NAME].w) {
			widget_hospitals_abbrev(buf, abbr, sizeof abbr);
			memcpy(buf, abbr, sizeof buf);
		}
		draw_text(win, y, x0 + c[COL_NAME].x, c[COL_NAME].w, buf,
		    normal, DRAW_ELLIPSIS, v->ascii);
		draw_bar(win, y, x0 + c[COL_BAR].x, c[COL_BAR].w,
		    h->beds_used, h->beds, theme_attr(slot), v->ascii);
		snprintf(buf, sizeof buf, "%d/%d", h->beds_used, h->beds);
		draw_text(win, y, x0 + c[COL_BEDS].x, c[COL_BEDS].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		snprintf(buf, sizeof buf, "%d/%d", h->icu_used, h->icu);
		draw_text(win, y, x0 + c[COL_ICU].x, c[COL_ICU].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		snprintf(buf, sizeof buf, "%d", h->er_waiting);
		draw_text(win, y, x0 + c[COL_ER].x, c[COL_ER].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		snprintf(buf, sizeof buf, "%d", h->ambulances);
		draw_text(win, y, x0 + c[COL_AMB].x, c[COL_AMB].w, buf,
		    h->ambulances == 0 ? theme_attr(THEME_WARN) : normal,
		    DRAW_RIGHT, v->ascii);
		if (h->diversion)
			snprintf(buf, sizeof buf, "%s%s", st,
			    DRAW_TR(v->lang_en, "chuyển", "divert"));
		else
			snprintf(buf, sizeof buf, "%s%s", st,
			    hs == HOSPITAL_CRITICAL ?
			    DRAW_TR(v->lang_en, "nguy", "crit") :
			    hs == HOSPITAL_BUSY ?
			    DRAW_TR(v->lang_en, "bận", "busy") :
			    DRAW_TR(v->lang_en, "ổn", "ok"));
		draw_text(win, y, x0 + c[COL_STATUS].x, c[COL_STATUS].w, buf,
		    theme_attr(slot), 0, v->ascii);
	}
}

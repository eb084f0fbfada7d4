/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Alerts panel: open alerts, most severe and oldest first. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "panel.h"
#include "theme.h"

/*
 * Rows are the alerts that are not closed, sorted by severity (highest
 * first), then by age (oldest first: it has waited longest), then by id.
 * Columns are fitted to the width: severity (glyph and number), id, area,
 * title (takes the rest), state, and the age with a deadline mark ("!"
 * near, "!!" past: never colour alone); kind, units and who acknowledged
 * appear when the panel is wide enough.
 */

static const char	*widget_alerts_id(struct store *, size_t);
static int		 widget_alerts_cmp(const void *, const void *, void *);
static void		 widget_alerts_refresh(struct panel *, struct store *);
static void		 widget_alerts_draw(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);

const struct panel_class widget_alerts_class = {
	.name = "alerts",
	.title_vi = "Cảnh báo",
	.title_en = "Alerts",
	.store_mask = STORE_CH_ALERTS,
	.item_kind = "alert",
	.refresh = widget_alerts_refresh,
	.draw = widget_alerts_draw,
	.row_id = widget_alerts_id,
	.tick = 1
};

static const char *const widget_alerts_kind_vi[ALERT_KIND_COUNT] = {
	"lũ lụt", "bão", "cháy", "g.thông", "m.trường", "y tế", "an ninh",
	"h.tầng", "CNTT"
};
static const char *const widget_alerts_kind_en[ALERT_KIND_COUNT] = {
	"flood", "storm", "fire", "traffic", "environ", "health", "security",
	"infra", "ict"
};
static const char *const widget_alerts_state_vi[ALERT_STATE_COUNT] = {
	"mới", "nhận", "điều", "h.trg", "xong", "đóng"
};
static const char *const widget_alerts_state_en[ALERT_STATE_COUNT] = {
	"new", "ack", "disp", "scene", "done", "closed"
};

enum {
	COL_SEV,
	COL_ID,
	COL_KIND,
	COL_AREA,
	COL_TITLE,
	COL_STATE,
	COL_ACK,
	COL_UNITS,
	COL_AGE,
	COL_COUNT
};

static const char *
widget_alerts_id(struct store *store, size_t i)
{
	if (i >= store->nalerts)
		return (NULL);
	return (store->alerts[i].id);
}

static int
widget_alerts_cmp(const void *va, const void *vb, void *arg)
{
	struct store		*store = arg;
	const struct alert	*a = &store->alerts[*(const size_t *)va];
	const struct alert	*b = &store->alerts[*(const size_t *)vb];

	if (a->severity != b->severity)
		return (a->severity > b->severity ? -1 : 1);
	if (a->created != b->created)
		return (a->created < b->created ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_alerts_refresh(struct panel *p, struct store *store)
{
	size_t	i;

	panel_rows_clear(p);
	for (i = 0; i < store->nalerts; i++) {
		if (store->alerts[i].state != ALERT_CLOSED)
			panel_rows_add(p, i);
	}
	if (p->nrows > 1)
		qsort_r(p->rows, p->nrows, sizeof *p->rows,
		    widget_alerts_cmp, store);
	panel_reselect(p, widget_alerts_id, store);
}

static void
widget_alerts_draw(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct draw_col		 c[COL_COUNT];
	const struct alert	*a;
	enum draw_deadline	 dl;
	char			 buf[160], age[16];
	size_t			 i, end;
	int			 y, x0 = 1, iw = p->w - 2, n, k, wid, warea;
	attr_t			 normal = theme_attr(THEME_NORMAL);
	attr_t			 muted = theme_attr(THEME_MUTED);

	if (iw < 1)
		return;
	wid = draw_width(DRAW_TR(v->lang_en, "Mã", "ID"), v->ascii);
	warea = draw_width(DRAW_TR(v->lang_en, "KV", "Area"), v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nalerts)
			continue;
		a = &store->alerts[p->rows[i]];
		if ((n = (int)strlen(a->id)) > wid)
			wid = n;
		if ((n = (int)strlen(a->area)) > warea)
			warea = n;
	}
	memset(c, 0, sizeof c);
	c[COL_SEV] = (struct draw_col){ .want = 2, .prio = 0 };
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_KIND] = (struct draw_col){ .want = 8, .prio = 5 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 3 };
	c[COL_TITLE] = (struct draw_col){ .want = 8, .prio = 0, .fill = 1 };
	c[COL_STATE] = (struct draw_col){ .want = 6, .prio = 2 };
	c[COL_ACK] = (struct draw_col){ .want = 10, .prio = 7 };
	c[COL_UNITS] = (struct draw_col){ .want = 14, .prio = 6 };
	c[COL_AGE] = (struct draw_col){ .want = 6, .prio = 0 };
	draw_cols_fit(c, COL_COUNT, iw, 1);

	/* Column header. */
	draw_text(win, 1, x0 + c[COL_SEV].x, c[COL_SEV].w, "S", muted, 0,
	    v->ascii);
	draw_text(win, 1, x0 + c[COL_ID].x, c[COL_ID].w,
	    DRAW_TR(v->lang_en, "Mã", "ID"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_KIND].x, c[COL_KIND].w,
	    DRAW_TR(v->lang_en, "Loại", "Kind"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_AREA].x, c[COL_AREA].w,
	    DRAW_TR(v->lang_en, "KV", "Area"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_TITLE].x, c[COL_TITLE].w,
	    DRAW_TR(v->lang_en, "Tiêu đề", "Title"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_STATE].x, c[COL_STATE].w,
	    DRAW_TR(v->lang_en, "T.thái", "State"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_ACK].x, c[COL_ACK].w,
	    DRAW_TR(v->lang_en, "Người nhận", "Acked by"), muted, 0,
	    v->ascii);
	draw_text(win, 1, x0 + c[COL_UNITS].x, c[COL_UNITS].w,
	    DRAW_TR(v->lang_en, "Đơn vị", "Units"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_AGE].x, c[COL_AGE].w,
	    DRAW_TR(v->lang_en, "Tuổi", "Age"), muted, DRAW_RIGHT, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nalerts)
			continue;
		a = &store->alerts[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;

		snprintf(buf, sizeof buf, "%s%d",
		    draw_sev_glyph(a->severity, v->ascii), a->severity);
		draw_text(win, y, x0 + c[COL_SEV].x, c[COL_SEV].w, buf,
		    theme_attr(draw_sev_slot(a->severity)), 0, v->ascii);
		draw_text(win, y, x0 + c[COL_ID].x, c[COL_ID].w, a->id,
		    normal, 0, v->ascii);
		if ((unsigned)a->kind < ALERT_KIND_COUNT)
			draw_text(win, y, x0 + c[COL_KIND].x, c[COL_KIND].w,
			    v->lang_en ? widget_alerts_kind_en[a->kind] :
			    widget_alerts_kind_vi[a->kind], normal, 0,
			    v->ascii);
		draw_text(win, y, x0 + c[COL_AREA].x, c[COL_AREA].w,
		    a->area, normal, 0, v->ascii);
		snprintf(buf, sizeof buf, "%s%s", a->exercise ?
		    DRAW_TR(v->lang_en, "[TẬP] ", "[EX] ") : "",
		    a->title != NULL ? a->title : "");
		draw_text(win, y, x0 + c[COL_TITLE].x, c[COL_TITLE].w, buf,
		    a->severity >= 4 ? normal | A_BOLD : normal,
		    DRAW_ELLIPSIS, v->ascii);
		if ((unsigned)a->state < ALERT_STATE_COUNT)
			draw_text(win, y, x0 + c[COL_STATE].x,
			    c[COL_STATE].w, v->lang_en ?
			    widget_alerts_state_en[a->state] :
			    widget_alerts_state_vi[a->state],
			    a->state == ALERT_NEW ? normal | A_BOLD : normal,
			    0, v->ascii);
		draw_text(win, y, x0 + c[COL_ACK].x, c[COL_ACK].w,
		    a->acked_by != NULL ? a->acked_by : "", normal,
		    DRAW_ELLIPSIS, v->ascii);
		buf[0] = '\0';
		for (k = 0, n = 0; k < a->nunits && k < ALERT_MAX_UNITS;
		    k++) {
			n += snprintf(buf + n, sizeof buf - n, "%s%s",
			    k > 0 ? "," : "", a->units[k]);
			if ((size_t)n >= sizeof buf)
				break;
		}
		draw_text(win, y, x0 + c[COL_UNITS].x, c[COL_UNITS].w, buf,
		    normal, DRAW_ELLIPSIS, v->ascii);
		dl = draw_alert_deadline(a, v->now);
		draw_age(v->now - a->created, age, sizeof age);
		snprintf(buf, sizeof buf, "%s%s", age,
		    draw_deadline_glyph(dl));
		draw_text(win, y, x0 + c[COL_AGE].x, c[COL_AGE].w, buf,
		    theme_attr(draw_deadline_slot(dl)), DRAW_RIGHT, v->ascii);
	}
}

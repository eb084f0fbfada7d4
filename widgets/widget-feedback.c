/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Feedback panel: open citizen cases, nearest deadline first. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "panel.h"
#include "theme.h"

/*
 * Rows are the open cases (feedback_is_open: not answered, closed or
 * returned), sorted by deadline (the earliest first, cases without one
 * last), then by when they came in, then by id. Columns: id, channel,
 * area, state, the first words of the citizen's text (untrusted:
 * sanitised by the decoder, and drawn only through draw_text), and the
 * time left to the deadline with a mark ("!" near, "-12m!!" past).
 */

static const char	*widget_feedback_id(struct store *, size_t);
static int		 widget_feedback_cmp(const void *, const void *,
			     void *);
static void		 widget_feedback_refresh(struct panel *,
			     struct store *);
static void		 widget_feedback_draw(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);

const struct panel_class widget_feedback_class = {
	.name = "feedback",
	.title_vi = "Phản ánh",
	.title_en = "Feedback",
	.store_mask = STORE_CH_FEEDBACK,
	.item_kind = "feedback",
	.refresh = widget_feedback_refresh,
	.draw = widget_feedback_draw,
	.row_id = widget_feedback_id,
	.tick = 1
};

static const char *const widget_feedback_channel_vi[FB_CHANNEL_COUNT] = {
	"app", "1022", "web", "zalo", "báo", "MXH"
};
static const char *const widget_feedback_channel_en[FB_CHANNEL_COUNT] = {
	"app", "1022", "web", "zalo", "press", "social"
};
static const char *const widget_feedback_state_vi[FB_STATE_COUNT] = {
	"mới", "giao", "xử lý", "đã TL", "đóng", "trả"
};
static const char *const widget_feedback_state_en[FB_STATE_COUNT] = {
	"new", "asgn", "work", "answ", "closed", "ret"
};

enum {
	COL_ID,
	COL_CHANNEL,
	COL_AREA,
	COL_STATE,
	COL_TEXT,
	COL_LEFT,
	COL_COUNT
};

static const char *
widget_feedback_id(struct store *store, size_t i)
{
	if (i >= store->nfeedback)
		return (NULL);
	return (store->feedback[i].id);
}

static int
widget_feedback_cmp(const void *va, const void *vb, void *arg)
{
	struct store		*store = arg;
	const struct feedback	*a = &store->feedback[*(const size_t *)va];
	const struct feedback	*b = &store->feedback[*(const size_t *)vb];

	if (a->deadline != b->deadline) {
		if (a->deadline == 0 || b->deadline == 0)
			return (a->deadline == 0 ? 1 : -1);
		return (a->deadline < b->deadline ? -1 : 1);
	}
	if (a->received != b->received)
		return (a->received < b->received ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_feedback_refresh(struct panel *p, struct store *store)
{
	size_t	i;

	panel_rows_clear(p);
	for (i = 0; i < store->nfeedback; i++) {
		if (feedback_is_open(&store->feedback[i]))
			panel_rows_add(p, i);
	}
	if (p->nrows > 1)
		qsort_r(p->rows, p->nrows, sizeof *p->rows,
		    widget_feedback_cmp, store);
	panel_reselect(p, widget_feedback_id, store);
}

static void
widget_feedback_draw(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct draw_col		 c[COL_COUNT];
	const struct feedback	*f;
	enum draw_deadline	 dl;
	char			 buf[64], age[16];
	size_t			 i, end;
	int			 y, x0 = 1, iw = p->w - 2, n, wid, warea;
	attr_t			 normal = theme_attr(THEME_NORMAL);
	attr_t			 muted = theme_attr(THEME_MUTED);

	if (iw < 1)
		return;
	wid = draw_width(DRAW_TR(v->lang_en, "Mã", "ID"), v->ascii);
	warea = draw_width(DRAW_TR(v->lang_en, "KV", "Area"), v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nfeedback)
			continue;
		f = &store->feedback[p->rows[i]];
		if ((n = (int)strlen(f->id)) > wid)
			wid = n;
		if ((n = (int)strlen(f->area)) > warea)
			warea = n;
	}
	memset(c, 0, sizeof c);
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_CHANNEL] = (struct draw_col){ .want = 6, .prio = 4 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 2 };
	c[COL_STATE] = (struct draw_col){ .want = 6, .prio = 3 };
	c[COL_TEXT] = (struct draw_col){ .want = 8, .prio = 0, .fill = 1 };
	c[COL_LEFT] = (struct draw_col){ .want = 7, .prio = 0 };
	draw_cols_fit(c, COL_COUNT, iw, 1);

	draw_text(win, 1, x0 + c[COL_ID].x, c[COL_ID].w,
	    DRAW_TR(v->lang_en, "Mã", "ID"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_CHANNEL].x, c[COL_CHANNEL].w,
	    DRAW_TR(v->lang_en, "Kênh", "Chan"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_AREA].x, c[COL_AREA].w,
	    DRAW_TR(v->lang_en, "KV", "Area"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_STATE].x, c[COL_STATE].w,
	    DRAW_TR(v->lang_en, "T.thái", "State"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_TEXT].x, c[COL_TEXT].w,
	    DRAW_TR(v->lang_en, "Nội dung", "Text"), muted, 0, v->ascii);
	draw_text(win, 1, x0 + c[COL_LEFT].x, c[COL_LEFT].w,
	    DRAW_TR(v->lang_en, "Còn", "Left"), muted, DRAW_RIGHT, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nfeedback)
			continue;
		f = &store->feedback[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;
		draw_text(win, y, x0 + c[COL_ID].x, c[COL_ID].w, f->id,
		    normal, 0, v->ascii);
		if ((unsigned)f->channel < FB_CHANNEL_COUNT)
			draw_text(win, y, x0 + c[COL_CHANNEL].x,
			    c[COL_CHANNEL].w, v->lang_en ?
			    widget_feedback_channel_en[f->channel] :
			    widget_feedback_channel_vi[f->channel], normal, 0,
			    v->ascii);
		draw_text(win, y, x0 + c[COL_AREA].x, c[COL_AREA].w, f->area,
		    normal, 0, v->ascii);
		if ((unsigned)f->state < FB_STATE_COUNT)
			draw_text(win, y, x0 + c[COL_STATE].x,
			    c[COL_STATE].w, v->lang_en ?
			    widget_feedback_state_en[f->state] :
			    widget_feedback_state_vi[f->state],
			    f->state == FB_NEW ? normal | A_BOLD : normal, 0,
			    v->ascii);
		draw_text(win, y, x0 + c[COL_TEXT].x, c[COL_TEXT].w,
		    f->text != NULL ? f->text : "", normal, DRAW_ELLIPSIS,
		    v->ascii);
		dl = draw_feedback_deadline(f, v->now);
		if (dl == DRAW_DL_NONE)
			buf[0] = '\0';
		else if (dl == DRAW_DL_OVERDUE) {
			draw_age(v->now - f->deadline, age, sizeof age);
			snprintf(buf, sizeof buf, "-%s%s", age,
			    draw_deadline_glyph(dl));
		} else {
			draw_age(f->deadline - v->now, age, sizeof age);
			snprintf(buf, sizeof buf, "%s%s", age,
			    draw_deadline_glyph(dl));
		}
		draw_text(win, y, x0 + c[COL_LEFT].x, c[COL_LEFT].w, buf,
		    theme_attr(draw_deadline_slot(dl)), DRAW_RIGHT, v->ascii);
	}
}

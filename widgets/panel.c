/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Panels: the class registry and the dispatcher every hook goes through. */

#include "panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "draw.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * A panel shows rows: indexes into one of the store's arrays, in display
 * order, rebuilt by the class's refresh hook whenever the store changes.
 * The selection is kept as the selected item's id (sel_id) and found
 * again after every rebuild, so re-sorting, new items and resizing never
 * move it to another item; when the item itself has gone, the row now at
 * its position is selected. The first visible row (top) follows the
 * selection, and cursor_y is where the selection sits in the window.
 *
 * panel_draw() draws the frame (border, title with the row count and the
 * stale mark), the "(none)" line of an empty panel and the highlight of
 * the selected row; the class draws the column header and the rows.
 */

const struct panel_class *const panel_classes[] = {
	&widget_alerts_class,
	&widget_hospitals_class,
	&widget_schools_class,
	&widget_feedback_class,
	NULL
};

static void	panel_scroll(struct panel *);
static void	panel_sync_id(struct panel *);
static void	panel_frame(struct panel *, const struct panel_view *);

/*
 * Create a panel of class cls with the given id. Returns the new panel,
 * owned by the caller (free with panel_free), or NULL when the class's
 * init hook fails.
 */
struct panel *
panel_create(const struct panel_class *cls, unsigned int id)
{
	struct panel	*p;

	p = xcalloc(1, sizeof *p);
	p->cls = cls;
	p->id = id;
	p->flags = PANEL_DIRTY;
	p->cursor_y = PANEL_ROW0;
	if (cls->init != NULL && cls->init(p) != 0) {
		free(p);
		return (NULL);
	}
	return (p);
}

/* Free a panel, its window and its class data. NULL is a no-op. */
void
panel_free(struct panel *p)
{
	if (p == NULL)
		return;
	if (p->cls->free != NULL)
		p->cls->free(p);
	if (p->win != NULL)
		delwin(p->win);
	free(p->rows);
	free(p);
}

/* Mark a panel to be drawn again at the next frame. */
void
panel_dirty(struct panel *p)
{
	if (p != NULL)
		p->flags |= PANEL_DIRTY;
}

/* Rebuild the rows from the store (sort, filter) and mark dirty. */
void
panel_refresh(struct panel *p, struct store *store)
{
	p->store = store;
	/* Parenthesised: curses defines a refresh() macro. */
	if (p->cls->refresh != NULL)
		(*p->cls->refresh)(p, store);
	else
		panel_scroll(p);
	p->flags |= PANEL_DIRTY;
}

/* Draw the border and the title (count, stale mark); focus is bold. */
static void
panel_frame(struct panel *p, const struct panel_view *view)
{
	WINDOW		*win = p->win;
	const char	*title;
	char		 buf[256], hms[16];
	attr_t		 battr;
	int		 focus = (p->flags & PANEL_FOCUS) != 0, n;

	battr = theme_attr(focus ? THEME_BORDER_FOCUS : THEME_BORDER);
	if (focus)
		battr |= A_BOLD;
	draw_box(win, battr, view->ascii);

	title = DRAW_TR(view->lang_en, p->cls->title_vi, p->cls->title_en);
	n = snprintf(buf, sizeof buf, " %s (%zu) ", title, p->nrows);
	if (view->stale && view->stale_since != 0 && n > 0 &&
	    (size_t)n < sizeof buf) {
		clock_hms(view->stale_since, view->utc_offset_min, hms,
		    sizeof hms);
		snprintf(buf + n - 1, sizeof buf - n + 1, " %s %s ",
		    DRAW_TR(view->lang_en, "· cũ từ", "· stale since"), hms);
	}
	if (p->w > 4)
		draw_text(win, 0, 2, p->w - 4, buf, focus ? battr :
		    theme_attr(THEME_TITLE), DRAW_ELLIPSIS, view->ascii);
}

/*
 * Draw a dirty panel into its window (werase, frame, class draw) and copy
 * it out with wnoutrefresh; clean panels and panels without a window are
 * left alone. Nothing is allocated.
 */
void
panel_draw(struct panel *p, struct store *store, const struct panel_view *view)
{
	WINDOW	*win = p->win;
	attr_t	 sel;

	if (win == NULL || (~p->flags & PANEL_DIRTY))
		return;
	werase(win);
	panel_frame(p, view);
	if (p->nrows == 0) {
		if (p->h > 2 && p->w > 2)
			draw_text(win, (p->h - 1) / 2, 1, p->w - 2,
			    DRAW_TR(view->lang_en, "(không có)", "(none)"),
			    theme_attr(THEME_MUTED), DRAW_CENTRE, view->ascii);
	} else {
		if (p->cls->draw != NULL)
			p->cls->draw(p, win, store, view);
		if ((p->flags & PANEL_FOCUS) && p->cursor_y < p->h - 1 &&
		    p->w > 2) {
			sel = theme_attr(THEME_SELECTED);
			mvwchgat(win, p->cursor_y, 1, p->w - 2, sel & ~A_COLOR,
			    PAIR_NUMBER(sel), NULL);
		}
	}
	wnoutrefresh(win);
	p->flags &= ~PANEL_DIRTY;
}

/* Offer a key to the panel's class. Returns whether it was handled. */
enum panel_key
panel_key(struct panel *p, int key)
{
	if (p->cls->key == NULL)
		return (PANEL_KEY_IGNORED);
	return (p->cls->key(p, key));
}

/* Return the rows that fit in the panel's window, at least 1. */
int
panel_visible(const struct panel *p)
{
	int	v = p->h - PANEL_CHROME;

	return (v < 1 ? 1 : v);
}

/* Keep the selection in range and in view; set cursor_y. */
static void
panel_scroll(struct panel *p)
{
	size_t	vis = (size_t)panel_visible(p);

	if (p->nrows == 0) {
		p->sel = p->top = 0;
		p->cursor_y = PANEL_ROW0;
		return;
	}
	if (p->sel >= p->nrows)
		p->sel = p->nrows - 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + vis)
		p->top = p->sel - vis + 1;
	if (p->top + vis > p->nrows)
		p->top = p->nrows > vis ? p->nrows - vis : 0;
	p->cursor_y = PANEL_ROW0 + (int)(p->sel - p->top);
}

/* Copy the id of the selected row into sel_id. */
static void
panel_sync_id(struct panel *p)
{
	const char	*id;

	if (p->nrows == 0 || p->cls->row_id == NULL || p->store == NULL)
		return;
	if ((id = p->cls->row_id(p->store, p->rows[p->sel])) != NULL)
		snprintf(p->sel_id, sizeof p->sel_id, "%s", id);
}

/*
 * Move the selection by delta rows, clamped to the first and last row;
 * sel_id follows. Marks the panel dirty when the selection moved.
 */
void
panel_move(struct panel *p, long delta)
{
	size_t	old = p->sel, target;

	if (p->nrows == 0)
		return;
	if (delta < 0)
		target = (size_t)-(delta + 1) >= p->sel ? 0 :
		    p->sel - (size_t)-(delta + 1) - 1;
	else
		target = (size_t)delta >= p->nrows - 1 - p->sel ?
		    p->nrows - 1 : p->sel + (size_t)delta;
	p->sel = target;
	panel_sync_id(p);
	panel_scroll(p);
	if (p->sel != old)
		p->flags |= PANEL_DIRTY;
}

/* Return the id of the selected row (owned by the panel), or NULL. */
const char *
panel_selected(struct panel *p)
{
	if (p == NULL || p->nrows == 0 || p->sel_id[0] == '\0')
		return (NULL);
	return (p->sel_id);
}

/*
 * After the rows were rebuilt, select the row whose item has id sel_id;
 * when it has gone, keep the position (clamped) and take the id of the
 * row now there. An empty panel keeps sel_id, so the item is selected
 * again if it comes back.
 */
void
panel_reselect(struct panel *p, const char *(*id_of)(struct store *,
    size_t), struct store *store)
{
	const char	*id;
	size_t		 i;

	if (p->nrows == 0) {
		panel_scroll(p);
		return;
	}
	if (p->sel_id[0] != '\0') {
		for (i = 0; i < p->nrows; i++) {
			id = id_of(store, p->rows[i]);
			if (id != NULL && strcmp(id, p->sel_id) == 0) {
				p->sel = i;
				break;
			}
		}
	}
	if (p->sel >= p->nrows)
		p->sel = p->nrows - 1;
	if ((id = id_of(store, p->rows[p->sel])) != NULL)
		snprintf(p->sel_id, sizeof p->sel_id, "%s", id);
	panel_scroll(p);
}

/* Empty the rows (refresh hooks). */
void
panel_rows_clear(struct panel *p)
{
	p->nrows = 0;
}

/* Append the store index i to the rows (refresh hooks). */
void
panel_rows_add(struct panel *p, size_t i)
{
	if (p->nrows == p->rows_cap) {
		p->rows_cap = p->rows_cap == 0 ? 32 : p->rows_cap * 2;
		p->rows = xreallocarray(p->rows, p->rows_cap,
		    sizeof *p->rows);
	}
	p->rows[p->nrows++] = i;
}

/*
 * Give the panel a window (taking ownership; the old one is deleted) or
 * none (NULL), update its size, keep the selection in view and mark it
 * dirty.
 */
void
panel_set_window(struct panel *p, WINDOW *win)
{
	if (p->win != NULL && p->win != win)
		delwin(p->win);
	p->win = win;
	if (win != NULL)
		getmaxyx(win, p->h, p->w);
	else
		p->h = p->w = 0;
	panel_scroll(p);
	p->flags |= PANEL_DIRTY;
}

/* Return the class called name, or NULL. */
const struct panel_class *
panel_find_class(const char *name)
{
	int	i;

	for (i = 0; panel_classes[i] != NULL; i++) {
		if (strcmp(panel_classes[i]->name, name) == 0)
			return (panel_classes[i]);
	}
	return (NULL);
}

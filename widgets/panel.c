/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Panels: the class registry and the dispatcher every hook goes through. */

#include "panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "buf.h"
#include "clock.h"
#include "draw.h"
#include "fold.h"
#include "i18n.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * A panel shows rows: indexes into one of the store's arrays, in display
 * order, rebuilt by the class's refresh hook whenever the store, the
 * filter, the search or the sort changes. The selection is kept as the
 * selected item's id (sel_id) and found again after every rebuild, so
 * re-sorting, new items, filtering and resizing never move it to another
 * item; when the item itself has gone, the row now at its position is
 * selected. The first visible row (top) follows the selection, and
 * cursor_y is where the selection sits in the window.
 *
 * Which rows a class keeps is decided by panel_want(): the layout's
 * filter (one area or one display group of areas, a minimum severity)
 * and the panel's own search, which matches the folded search text
 * against the folded texts of the row and its area (accents ignored,
 * words by their start: "bai chay" and "p hong gai" find Phường Bãi Cháy
 * and Phường Hồng Gai).
 *
 * panel_draw() draws the frame (border, title with the row count, the
 * search, the filter and the stale mark, and the class's footer on the
 * bottom border), the "(none)" line of an empty panel and the highlight
 * of the selected row; the class lays out the column header and the
 * rows, each as a line of runs (draw.h). A line goes into the window
 * only when its key differs from the key of what is there (keys[], one
 * per line; line 0 for the frame): a reading that changes one figure
 * puts one line, a clock tick only the lines whose age text moved, and
 * a line that is the same puts nothing. A change of order or scroll
 * shows as the lines whose item changed. With PANEL_DETAIL set it draws
 * the selected item's detail instead, through the class's detail hook,
 * all of it, and forgets the keys.
 *
 * Refresh hooks sort with panel_sort(), which leaves rows that are still
 * in order as they are: a reading that moves no row costs no sort.
 */

const struct panel_class *const panel_classes[] = {
	&widget_alerts_class,
	&widget_hospitals_class,
	&widget_schools_class,
	&widget_feedback_class,
	&widget_units_class,
	&widget_overview_class,
	NULL
};

static void	panel_scroll(struct panel *);
static void	panel_sync_id(struct panel *);
static int	panel_frame(struct panel *, struct store *,
		    const struct panel_view *);
static void	panel_draw_detail(struct panel *, struct store *,
		    const struct panel_view *);

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
	free(p->search);
	free(p->search_fold);
	free(p->rows);
	free(p->prev);
	free(p->keys);
	free(p);
}

/* Mark a panel to be drawn again at the next frame. */
void
panel_dirty(struct panel *p)
{
	if (p != NULL)
		p->flags |= PANEL_DIRTY;
}

/*
 * Rebuild the rows from the store (sort, filter) and mark dirty; a detail
 * whose item is no longer selected is closed.
 */
void
panel_refresh(struct panel *p, struct store *store)
{
	char	was[MODEL_ID_MAX];

	memcpy(was, p->sel_id, sizeof was);
	p->store = store;
	/* Parenthesised: curses defines a refresh() macro. */
	if (p->cls->refresh != NULL)
		(*p->cls->refresh)(p, store);
	else
		panel_scroll(p);
	/* A detail shows one item: when it has gone, so does the detail. */
	if ((p->flags & PANEL_DETAIL) && (panel_selected(p) == NULL ||
	    strcmp(was, p->sel_id) != 0))
		panel_detail_close(p);
	p->flags |= PANEL_DIRTY;
}

/*
 * Draw the border (dimmed while the data is stale), the title and the
 * footer, unless they are as drawn (keys[0]). The title carries the row
 * count, the search, the filter and the stale mark; in the detail view
 * the item's id instead. Returns 1 when it drew, else 0.
 */
static int
panel_frame(struct panel *p, struct store *store,
    const struct panel_view *view)
{
	WINDOW		*win = p->win;
	const char	*sub;
	char		 buf[320], hms[16], foot[160];
	size_t		 n = 0;
	attr_t		 battr, tattr, fattr = theme_attr(THEME_TITLE);
	uint64_t	 key;
	int		 focus = (p->flags & PANEL_FOCUS) != 0, w, v[3];

	if (view->stale)
		battr = theme_attr(THEME_STALE);
	else
		battr = theme_attr(focus ? THEME_BORDER_FOCUS : THEME_BORDER);
	if (focus)
		battr |= A_BOLD;
	tattr = focus ? battr : theme_attr(view->stale ? THEME_WARN :
	    THEME_TITLE);

#define PANEL_ADD(...) do {						\
	if (n < sizeof buf)						\
		n += snprintf(buf + n, sizeof buf - n, __VA_ARGS__);	\
} while (0)
	if ((p->flags & PANEL_DETAIL) && p->sel_id[0] != '\0')
		PANEL_ADD(" %s %s", _(p->cls->title), p->sel_id);
	else
		PANEL_ADD(" %s (%zu)", _(p->cls->title), p->nrows);
	if (p->cls->subtitle != NULL && (sub = p->cls->subtitle(p,
	    store)) != NULL)
		PANEL_ADD(" %s %s", view->ascii ? ">" : "›", sub);
	if (p->search != NULL)
		PANEL_ADD(" /%s", p->search);
	if (p->filter != NULL && p->filter->area[0] != '\0')
		PANEL_ADD(" [%s]", areas_filter_label(store,
		    p->filter->area));
	if (p->filter != NULL && p->filter->severity > 1 &&
	    strcmp(p->cls->name, "alerts") == 0)
		PANEL_ADD(" [%s%d]", view->ascii ? ">=" : "≥",
		    p->filter->severity);
	if (p->sort > 0 && p->cls->sorts != NULL)
		PANEL_ADD(" %s%s", view->ascii ? "^" : "↕",
		    panel_sort_name(p));
	if (view->stale && view->stale_since != 0) {
		clock_hms(view->stale_since, view->utc_offset_min, hms,
		    sizeof hms);
		PANEL_ADD(" · %s %s", C_("panel", "stale"), hms);
	}
	PANEL_ADD(" ");
#undef PANEL_ADD

	foot[0] = '\0';
	if (p->cls->footer != NULL && p->h >= 3 && p->w >= 12 &&
	    (~p->flags & PANEL_DETAIL))
		p->cls->footer(p, store, view, foot, sizeof foot);

	v[0] = p->h;
	v[1] = p->w;
	v[2] = view->ascii;
	key = draw_hash(DRAW_HASH_INIT, v, sizeof v);
	key = draw_hash(key, &battr, sizeof battr);
	key = draw_hash(key, &tattr, sizeof tattr);
	key = draw_hash(key, &fattr, sizeof fattr);
	key = draw_hash(key, buf, strlen(buf) + 1);
	key = draw_hash(key, foot, strlen(foot) + 1);
	if (key == 0)
		key = 1;
	if (p->nkeys > 0 && p->keys[0] == key)
		return (0);
	if (p->nkeys > 0)
		p->keys[0] = key;

	draw_box(win, battr, view->ascii);
	if (p->w > 4)
		draw_text(win, 0, 2, p->w - 4, buf, tattr, DRAW_ELLIPSIS,
		    view->ascii);
	if (foot[0] == '\0')
		return (1);
	snprintf(buf, sizeof buf, " %s ", foot);
	w = draw_width(buf, view->ascii);
	if (w > p->w - 4)
		w = p->w - 4;
	draw_text(win, p->h - 1, p->w - 2 - w, w, buf, fattr, DRAW_ELLIPSIS,
	    view->ascii);
	return (1);
}

/* The detail of the selected item, in the rows' place. */
static void
panel_draw_detail(struct panel *p, struct store *store,
    const struct panel_view *view)
{
	struct panel_detail	d;

	memset(&d, 0, sizeof d);
	d.win = p->win;
	d.y0 = 1;
	d.x0 = 2;
	d.h = p->h - 2;
	d.w = p->w - 4;
	d.top = p->detail_top;
	d.view = view;
	if (d.h < 1 || d.w < 1 || p->cls->detail == NULL)
		return;
	p->cls->detail(p, &d, store);
}

/*
 * Draw a dirty panel into its window and copy it out with wnoutrefresh:
 * the frame, then each line of the inside (the column header, the rows,
 * blanks) whose key is not the key of what the window holds there. Clean
 * panels and panels without a window are left alone. Nothing is
 * allocated.
 */
void
panel_draw(struct panel *p, struct store *store, const struct panel_view *view)
{
	struct draw_line	 line;
	WINDOW			*win = p->win;
	const char		*none;
	attr_t			 base, sel;
	uint64_t		 key;
	size_t			 i;
	int			 y, selected, focus;

	if (win == NULL || (~p->flags & PANEL_DIRTY))
		return;
	p->drawn = 0;
	/* The theme's normal background, for light or high-contrast. */
	base = theme_attr(THEME_NORMAL) & (A_COLOR | A_REVERSE);
	wbkgdset(win, base);
	if (p->flags & PANEL_DETAIL) {
		/* All of it; what the rows put there is then unknown. */
		werase(win);
		panel_forget(p);
		panel_frame(p, store, view);
		panel_draw_detail(p, store, view);
		panel_forget(p);
		p->drawn = p->h;
		goto out;
	}
	if (p->nkeys != p->h) {
		/* No keys to compare with: everything, from a blank window. */
		werase(win);
		panel_forget(p);
	}
	p->drawn += panel_frame(p, store, view);
	if (p->nrows > 0 && p->cls->columns != NULL)
		p->cls->columns(p, store, view);
	focus = (p->flags & PANEL_FOCUS) != 0;
	sel = theme_attr(THEME_SELECTED);
	none = NULL;
	if (p->nrows == 0) {
		if (p->search != NULL || (p->filter != NULL &&
		    (p->filter->area[0] != '\0' || p->filter->severity > 1)))
			none = _("(no match)");
		else
			none = _("(none)");
	}
	for (y = 1; y < p->h - 1; y++) {
		draw_line_init(&line, p->w - 2, view->ascii);
		selected = 0;
		if (none != NULL) {
			if (y == (p->h - 1) / 2)
				draw_line_text(&line, 0, p->w - 2, none,
				    theme_attr(THEME_MUTED), DRAW_CENTRE);
		} else if (y < PANEL_ROW0) {
			if (p->cls->head != NULL)
				p->cls->head(p, view, &line);
		} else if ((i = p->top + (size_t)(y - PANEL_ROW0)) < p->nrows) {
			if (p->cls->row != NULL)
				p->cls->row(p, store, view, i, &line);
			selected = focus && y == p->cursor_y && p->w > 2;
		}
		key = draw_line_key(&line);
		key = draw_hash(key, &base, sizeof base);
		if (selected)
			key = draw_hash(key, &sel, sizeof sel);
		if (key == 0)
			key = 1;
		if (p->keys != NULL && p->keys[y] == key)
			continue;
		draw_line_put(win, y, 1, &line, base);
		if (selected)
			mvwchgat(win, y, 1, p->w - 2, sel & ~A_COLOR,
			    PAIR_NUMBER(sel), NULL);
		if (p->keys != NULL)
			p->keys[y] = key;
		p->drawn++;
	}
out:
	wnoutrefresh(win);
	p->flags &= ~PANEL_DIRTY;
}

/*
 * Forget what the window holds, so the next draw puts every line (after
 * something else drew into it, or to repair it).
 */
void
panel_forget(struct panel *p)
{
	if (p->keys != NULL)
		memset(p->keys, 0, (size_t)p->nkeys * sizeof *p->keys);
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
	if ((id = p->cls->row_id(p, p->store, p->rows[p->sel])) != NULL)
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
 * Select the row of the item with this id. Returns 0, or -1 (selection
 * unchanged) when no row shows it.
 */
int
panel_select(struct panel *p, const char *id)
{
	const char	*rid;
	size_t		 i;

	if (p->cls->row_id == NULL || p->store == NULL)
		return (-1);
	for (i = 0; i < p->nrows; i++) {
		rid = p->cls->row_id(p, p->store, p->rows[i]);
		if (rid != NULL && strcmp(rid, id) == 0) {
			p->sel = i;
			snprintf(p->sel_id, sizeof p->sel_id, "%s", rid);
			panel_scroll(p);
			p->flags |= PANEL_DIRTY;
			return (0);
		}
	}
	return (-1);
}

/*
 * After the rows were rebuilt, select the row whose item has id sel_id;
 * when it has gone, keep the position (clamped) and take the id of the
 * row now there. An empty panel keeps sel_id, so the item is selected
 * again if it comes back.
 */
void
panel_reselect(struct panel *p, const char *(*id_of)(struct panel *,
    struct store *, size_t), struct store *store)
{
	const char	*id;
	size_t		 i;

	if (p->nrows == 0) {
		panel_scroll(p);
		return;
	}
	if (p->sel_id[0] != '\0') {
		for (i = 0; i < p->nrows; i++) {
			id = id_of(p, store, p->rows[i]);
			if (id != NULL && strcmp(id, p->sel_id) == 0) {
				p->sel = i;
				break;
			}
		}
	}
	if (p->sel >= p->nrows)
		p->sel = p->nrows - 1;
	if ((id = id_of(p, store, p->rows[p->sel])) != NULL)
		snprintf(p->sel_id, sizeof p->sel_id, "%s", id);
	panel_scroll(p);
}

/*
 * Empty the rows (refresh hooks), keeping the order they had for
 * panel_sort().
 */
void
panel_rows_clear(struct panel *p)
{
	size_t	*t, cap;

	t = p->prev;
	p->prev = p->rows;
	p->rows = t;
	cap = p->prev_cap;
	p->prev_cap = p->rows_cap;
	p->rows_cap = cap;
	p->nprev = p->nrows;
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
 * Sort the rows, added in store order, with cmp (qsort_r's, with arg),
 * unless the order they had before the refresh holds the same rows and
 * is in order still, as it is after a change that moved nothing: then
 * that order is kept and no sort is made (refresh hooks).
 */
void
panel_sort(struct panel *p, int (*cmp)(const void *, const void *, void *),
    void *arg)
{
	size_t	i, lo, hi, mid;

	if (p->nrows < 2)
		return;
	if (p->nprev != p->nrows)
		goto sort;
	for (i = 1; i < p->nrows; i++) {
		if (p->rows[i - 1] >= p->rows[i] ||
		    cmp(&p->prev[i - 1], &p->prev[i], arg) > 0)
			goto sort;
	}
	/* The same rows: each of the old ones is among the new. */
	for (i = 0; i < p->nprev; i++) {
		lo = 0;
		hi = p->nrows;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (p->rows[mid] < p->prev[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == p->nrows || p->rows[lo] != p->prev[i])
			goto sort;
	}
	memcpy(p->rows, p->prev, p->nrows * sizeof *p->rows);
	p->sorts_kept++;
	return;
sort:
	qsort_r(p->rows, p->nrows, sizeof *p->rows, cmp, arg);
	p->sorts++;
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
	/* A new window holds nothing drawn: every line goes in. */
	free(p->keys);
	p->keys = NULL;
	p->nkeys = 0;
	if (p->h > 0) {
		p->keys = xcalloc((size_t)p->h, sizeof *p->keys);
		p->nkeys = p->h;
	}
	panel_scroll(p);
	if (p->flags & PANEL_DETAIL)
		panel_detail_scroll(p, 0);
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

/* ==== Search, filter, sort ==== */

/*
 * Search the panel for text (accents and case ignored); NULL or a text
 * that folds to nothing clears the search. Rebuilds the rows.
 */
void
panel_set_search(struct panel *p, const char *text)
{
	char	*f;

	free(p->search);
	free(p->search_fold);
	p->search = p->search_fold = NULL;
	if (text != NULL) {
		f = fold_text(text);
		if (*f != '\0') {
			p->search = xstrdup(text);
			p->search_fold = f;
		} else
			free(f);
	}
	if (p->store != NULL)
		panel_refresh(p, p->store);
	p->flags |= PANEL_DIRTY;
}

/*
 * For refresh hooks: 1 when a row with this area code, severity (-1 when
 * the item has none) and texts passes the layout's filter (an area, or a
 * display group: areas_in()) and the panel's search, else 0. The search
 * matches by fold_match_folded()'s rules against the texts, then the
 * area's code, names and former units (areas_match()). Allocates while
 * it folds; call it from refresh, never from draw.
 */
int
panel_want(struct panel *p, struct store *store, const char *area,
    int severity, const char *const *texts, size_t ntexts)
{
	const struct area	*a;
	char			*h;
	size_t			 i;
	int			 found = 0;

	if (p->filter != NULL) {
		if (area != NULL && !areas_in(store, area, p->filter->area))
			return (0);
		if (severity >= 0 && p->filter->severity > 0 &&
		    severity < p->filter->severity)
			return (0);
	}
	if (p->search_fold == NULL)
		return (1);
	for (i = 0; i < ntexts && !found; i++) {
		if (texts[i] == NULL)
			continue;
		h = fold_text(texts[i]);
		found = fold_match_folded(h, p->search_fold, 0);
		free(h);
	}
	if (!found && area != NULL) {
		if ((a = store_area(store, area)) != NULL)
			found = areas_match(a, p->search_fold, 0);
		else {
			h = fold_text(area);
			found = fold_match_folded(h, p->search_fold, 0);
			free(h);
		}
	}
	return (found);
}

/*
 * Sort the panel by the key called name (a unique prefix will do; "" or
 * "default" is the class's first key). Returns 0, or -1 with *cause set
 * (allocated; caller frees) when the class has no such key.
 */
int
panel_set_sort(struct panel *p, const char *name, char **cause)
{
	const char *const	*s = p->cls->sorts;
	int			 i, found = -1, prefix = -1;
	size_t			 len = strlen(name);

	if (s == NULL) {
		xasprintf(cause, _("%s cannot be sorted"), _(p->cls->title));
		return (-1);
	}
	if (len == 0 || strcmp(name, "default") == 0)
		found = 0;
	for (i = 0; found == -1 && s[i] != NULL; i++) {
		if (strcmp(s[i], name) == 0)
			found = i;
	}
	for (i = 0; found == -1 && s[i] != NULL; i++) {
		if (strncmp(s[i], name, len) != 0)
			continue;
		prefix = prefix == -1 ? i : -2;
	}
	if (found == -1)
		found = prefix;
	if (found < 0) {
		xasprintf(cause, _("%s sorts by:"), _(p->cls->title));
		for (i = 0; s[i] != NULL; i++) {
			char	*t;

			xasprintf(&t, "%s %s", *cause, s[i]);
			free(*cause);
			*cause = t;
		}
		return (-1);
	}
	p->sort = found;
	if (p->store != NULL)
		panel_refresh(p, p->store);
	return (0);
}

/* Return the name of the panel's sort key ("" when it has none). */
const char *
panel_sort_name(const struct panel *p)
{
	if (p->cls->sorts == NULL || p->cls->sorts[0] == NULL)
		return ("");
	return (p->cls->sorts[p->sort]);
}

/* ==== The detail view ==== */

/*
 * Show the detail of the selected item. Returns 0, or -1 when the class
 * has no detail or nothing is selected.
 */
int
panel_detail_open(struct panel *p)
{
	if (p->cls->detail == NULL || panel_selected(p) == NULL)
		return (-1);
	p->flags |= PANEL_DETAIL | PANEL_DIRTY;
	p->detail_top = 0;
	return (0);
}

/* Back from the detail to the rows. */
void
panel_detail_close(struct panel *p)
{
	p->flags &= ~PANEL_DETAIL;
	p->flags |= PANEL_DIRTY;
	p->detail_top = 0;
}

/*
 * Lines of the selected item's detail at the panel's width (counted, not
 * drawn).
 */
int
panel_detail_lines(struct panel *p)
{
	struct panel_detail	d;
	struct panel_view	v;

	if (p->cls->detail == NULL || p->store == NULL)
		return (0);
	memset(&d, 0, sizeof d);
	memset(&v, 0, sizeof v);
	v.now = clock_now();
	d.w = p->w - 4;
	d.h = p->h - 2;
	d.view = &v;
	if (d.w < 1)
		return (0);
	p->cls->detail(p, &d, p->store);
	return (d.line);
}

/* Scroll the detail by delta lines, clamped; 0 only clamps. */
void
panel_detail_scroll(struct panel *p, long delta)
{
	long	max, top = p->detail_top;

	max = (long)panel_detail_lines(p) - (p->h - 2);
	if (max < 0)
		max = 0;
	if (delta < 0 && -delta > top)
		top = 0;
	else if (delta > 0 && delta > max - top)
		top = max;
	else
		top += delta;
	if (top > max)
		top = max;
	if (top != p->detail_top)
		p->flags |= PANEL_DIRTY;
	p->detail_top = (int)top;
}

/* ==== Sparklines ==== */

/*
 * Find the ring of item id in the array *v of *n rings, adding a new one
 * (the array grows; the panel owns it) when there is none. Returns it.
 */
struct panel_spark *
panel_spark_get(struct panel_spark **v, size_t *n, const char *id)
{
	struct panel_spark	*s;
	size_t			 i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i].id, id) == 0)
			return (&(*v)[i]);
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	s = &(*v)[(*n)++];
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s", id);
	return (s);
}

/* Add one sample (0..1000, clamped) to a ring, forgetting the oldest. */
void
panel_spark_add(struct panel_spark *s, short value)
{
	if (value < 0)
		value = 0;
	if (value > 1000)
		value = 1000;
	s->v[s->head] = value;
	s->head = (s->head + 1) % PANEL_SPARK;
	if (s->n < PANEL_SPARK)
		s->n++;
}

/*
 * Draw the last cells samples (oldest left) as a sparkline into buf (sz
 * bytes): eighth blocks, or ASCII "_.-:=+*#". Returns the bytes written;
 * nothing when there are no samples.
 */
size_t
panel_spark_render(const struct panel_spark *s, int cells, int ascii,
    char *buf, size_t sz)
{
	static const char *const blocks[] = {
		"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"
	};
	static const char	 asc[] = "_.-:=+*#";
	const char		*g;
	size_t			 o = 0, len;
	int			 i, k, first, level;

	if (sz > 0)
		buf[0] = '\0';
	if (s == NULL || s->n == 0 || cells <= 0 || sz == 0)
		return (0);
	k = s->n < cells ? s->n : cells;
	first = (s->head - k + PANEL_SPARK) % PANEL_SPARK;
	for (i = 0; i < k; i++) {
		level = s->v[(first + i) % PANEL_SPARK] * 8 / 1001;
		if (ascii) {
			if (o + 2 > sz)
				break;
			buf[o++] = asc[level];
		} else {
			g = blocks[level];
			len = strlen(g);
			if (o + len + 1 > sz)
				break;
			memcpy(buf + o, g, len);
			o += len;
		}
	}
	buf[o] = '\0';
	return (o);
}

/*
 * The direction of the last samples: 1 up, -1 down, 0 flat (a change of
 * less than 1% against the sample four back, or too few samples).
 */
int
panel_spark_trend(const struct panel_spark *s)
{
	int	last, prev, back;

	if (s == NULL || s->n < 2)
		return (0);
	back = s->n > 4 ? 4 : s->n - 1;
	last = s->v[(s->head - 1 + PANEL_SPARK) % PANEL_SPARK];
	prev = s->v[(s->head - 1 - back + 2 * PANEL_SPARK) % PANEL_SPARK];
	if (last - prev >= 10)
		return (1);
	if (prev - last >= 10)
		return (-1);
	return (0);
}

/* ==== Legend ==== */

/* One legend line, "  ◆4   critical", into the buffer arg. */
static void
panel_legend_add(void *arg, const char *glyph, const char *meaning)
{
	struct buf	*b = arg;
	int		 pad;

	pad = 6 - draw_width(glyph, 0);
	buf_printf(b, "  %s%*s%s\n", glyph, pad > 1 ? pad : 1, "", meaning);
}

/*
 * The legend of the help: what the glyphs on screen mean, first those
 * every panel shares (severity, deadline marks), then each panel
 * class's own from its legend hook, under the panel's title. Returns an
 * allocated string; caller frees.
 */
char *
panel_legend_text(int ascii)
{
	const struct panel_class *const	*cp;
	struct buf			 b = BUF_INIT;
	char				 g[16];
	int				 sev;

	buf_printf(&b, "%s\n", _("What the glyphs mean"));
	buf_printf(&b, "%s\n", _("Severity"));
	for (sev = 4; sev >= 1; sev--) {
		snprintf(g, sizeof g, "%s%d", draw_sev_glyph(sev, ascii), sev);
		panel_legend_add(&b, g, _(draw_sev_names[sev]));
	}
	buf_printf(&b, "%s\n", _("Deadlines"));
	snprintf(g, sizeof g, "5m%s", draw_deadline_glyph(DRAW_DL_NEAR));
	panel_legend_add(&b, g, _("due within 5 minutes"));
	snprintf(g, sizeof g, "5m%s", draw_deadline_glyph(DRAW_DL_OVERDUE));
	panel_legend_add(&b, g, _("overdue: nobody has done what the clock "
	    "running asks"));
	for (cp = panel_classes; *cp != NULL; cp++) {
		if ((*cp)->legend == NULL)
			continue;
		buf_printf(&b, "%s\n", _((*cp)->title));
		(*cp)->legend(ascii, panel_legend_add, &b);
	}
	return (buf_detach(&b));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Panels: the live views of the store (alerts, hospitals, schools,
 * feedback). A panel class is a const table of hooks; NULL means "not
 * supported". Dispatch goes only through widgets/panel.c. draw() only
 * draws: no input, no allocation, no I/O. Panels keep their selection by
 * item id, so re-sorting or resizing never loses it.
 */

#ifndef PANEL_H
#define PANEL_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "model.h"
#include "store.h"

enum panel_key {
	PANEL_KEY_IGNORED = 0,		/* Fall through to the key tables. */
	PANEL_KEY_HANDLED
};

/* What a draw needs besides the store. Filled by the layout. */
struct panel_view {
	int64_t		 now;		/* clock_now() at this frame. */
	int		 utc_offset_min;
	int		 ascii;		/* No UTF-8: ASCII, folded text. */
	int		 lang_en;	/* 0 Vietnamese, 1 English. */
	int		 stale;		/* Link down: data may be old. */
	int64_t		 stale_since;	/* ms; shown in titles when stale. */
};

/*
 * Every panel has a border, a column header line under the top border,
 * and its rows from PANEL_ROW0 down to the line above the bottom border.
 */
#define PANEL_ROW0	2
#define PANEL_CHROME	3	/* Lines that are not rows. */

struct panel;

struct panel_class {
	const char	 *name;		/* "alerts", "hospitals", ... */
	const char	 *title_vi;
	const char	 *title_en;
	int		  store_mask;	/* STORE_CH_* that make it dirty. */
	const char	 *item_kind;	/* Protocol kind of its rows. */

	int		(*init)(struct panel *);
	void		(*free)(struct panel *);
	/* Rebuild the row order from the store (sort, filter). */
	void		(*refresh)(struct panel *, struct store *);
	void		(*draw)(struct panel *, WINDOW *, struct store *,
			    const struct panel_view *);
	enum panel_key	(*key)(struct panel *, int key);
	/* Id of the store item at index i, or NULL if out of range. */
	const char	*(*row_id)(struct store *, size_t i);
	int		  tick;		/* Draw depends on the clock. */
};

struct panel {
	const struct panel_class *cls;
	unsigned int		 id;
	WINDOW			*win;	/* Owned; created by the layout. */
	int			 h, w;	/* Window size. */

	int			 flags;
#define PANEL_DIRTY	0x1
#define PANEL_FOCUS	0x2

	/* Rows: indexes into the store's array, in display order. */
	size_t			*rows;	/* Owned. */
	size_t			 nrows, rows_cap;
	size_t			 sel;	/* Index into rows. */
	size_t			 top;	/* First visible row. */
	char			 sel_id[MODEL_ID_MAX];	/* Kept across sorts. */
	int			 cursor_y;	/* Row of the selection. */
	struct store		*store;	/* Borrowed; set by panel_refresh. */

	void			*data;	/* Owned by the class. */
};

extern const struct panel_class *const panel_classes[];	/* NULL-ended. */
extern const struct panel_class widget_alerts_class;
extern const struct panel_class widget_hospitals_class;
extern const struct panel_class widget_schools_class;
extern const struct panel_class widget_feedback_class;

struct panel	*panel_create(const struct panel_class *, unsigned int id);
void		 panel_free(struct panel *);
void		 panel_dirty(struct panel *);
void		 panel_refresh(struct panel *, struct store *);
void		 panel_draw(struct panel *, struct store *,
		     const struct panel_view *);
enum panel_key	 panel_key(struct panel *, int key);
/* Move the selection by delta rows (clamped); keeps sel_id in step. */
void		 panel_move(struct panel *, long delta);
/* Id of the selected row, or NULL when empty. */
const char	*panel_selected(struct panel *);
/* Re-find sel_id after rows changed; used by refresh hooks. */
void		 panel_reselect(struct panel *, const char *(*id_of)(
		     struct store *, size_t), struct store *);
/* For refresh hooks: empty the rows, append one store index. */
void		 panel_rows_clear(struct panel *);
void		 panel_rows_add(struct panel *, size_t);
/* Rows that fit in the window (at least 1). */
int		 panel_visible(const struct panel *);
/* Set the window and its size; keeps the selection in view. */
void		 panel_set_window(struct panel *, WINDOW *);
/* Find a class by name ("alerts"), or NULL. */
const struct panel_class *panel_find_class(const char *);

#endif

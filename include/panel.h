/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Panels: the live views of the store (alerts, hospitals, schools,
 * feedback). A panel class is a const table of hooks; NULL means "not
 * supported". Dispatch goes only through widgets/panel.c. columns(),
 * head(), row() and detail() only lay out and draw: no input, no
 * allocation, no I/O. A class lays a row out as a line of runs
 * (draw.h); the panel puts into its window only the lines whose content
 * changed. Panels keep their selection by item id, so re-sorting,
 * filtering or resizing never loses it.
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
	int		 lang_en;	/* Decimal point; 0 is a comma. */
	int		 stale;		/* Link down: data may be old. */
	int		 exercise;	/* The whole feed is an exercise. */
	int64_t		 stale_since;	/* ms; shown in titles when stale. */
	/* The working calendar (borrowed), to count a case's time left in
	 * working hours; NULL: on the clock. */
	const struct workcal *workcal;
};

/* What every panel shows; owned by the layout, shared by its panels. */
struct panel_filter {
	char		 area[MODEL_CODE_MAX];	/* "" for every area. */
	int		 severity;	/* Alerts of at least this; 0 all. */
};

/*
 * Every panel has a border, a column header line under the top border,
 * and its rows from PANEL_ROW0 down to the line above the bottom border.
 */
#define PANEL_ROW0	2
#define PANEL_CHROME	3	/* Lines that are not rows. */

#define PANEL_SPARK	16	/* Samples kept for a sparkline. */

struct panel;
struct draw_line;
struct workcal;

/*
 * Drawing the detail of one item: a class's detail hook calls the
 * panel_detail_*() helpers, which lay lines out top to bottom, wrap text
 * to the width and draw only the lines from top on. With win NULL they
 * only count, which is how the panel learns how far it may scroll.
 */
struct panel_detail {
	WINDOW			*win;	/* NULL: count lines only. */
	int			 y0, x0;	/* Where line 0 goes. */
	int			 h, w;		/* The area. */
	int			 top;		/* First line shown. */
	int			 line;		/* Next line (out). */
	int			 label_w;	/* Column of the values. */
	const struct panel_view	*view;
};

struct panel_class {
	const char	 *name;		/* "alerts", "hospitals", ... */
	const char	 *title;	/* English, N_(); translated shown. */
	int		  store_mask;	/* STORE_CH_* that make it dirty. */
	const char	 *item_kind;	/* Protocol kind of its rows. */
	const char *const *sorts;	/* Sort keys, NULL-ended; [0] is
					   the default. */

	int		(*init)(struct panel *);
	void		(*free)(struct panel *);
	/* Rebuild the row order from the store (sort, filter, search). */
	void		(*refresh)(struct panel *, struct store *);
	/* Lay the columns out for the rows and the width (class data). */
	void		(*columns)(struct panel *, struct store *,
			    const struct panel_view *);
	/* The column header (line 1), and row i of rows, as lines. */
	void		(*head)(struct panel *, const struct panel_view *,
			    struct draw_line *);
	void		(*row)(struct panel *, struct store *,
			    const struct panel_view *, size_t i,
			    struct draw_line *);
	enum panel_key	(*key)(struct panel *, int key);
	/* Id of the item at store index i of the rows, or NULL. */
	const char	*(*row_id)(struct panel *, struct store *, size_t i);
	/* The detail of the selected item (see struct panel_detail). */
	void		(*detail)(struct panel *, struct panel_detail *,
			    struct store *);
	/* Where the panel is, for its title ("Hạ Long"), or NULL. */
	const char	*(*subtitle)(struct panel *, struct store *);
	/* Text for the bottom border ("" for none), at most sz bytes. */
	void		(*footer)(struct panel *, struct store *,
			    const struct panel_view *, char *, size_t);
	/*
	 * Gauge panels (hospitals, schools) have this: a key of what in
	 * their items is a record (a diversion, an item come or gone),
	 * which the layout shows at once while it holds the readings back
	 * (layout.h). NULL: every change is shown at once.
	 */
	uint64_t	(*records)(struct panel *, struct store *);
	/*
	 * The glyphs its rows draw and what each means, from the tables
	 * it draws them from: one legend(arg, glyph, meaning) call each,
	 * the meaning translated (the help's legend, panel_legend_text()).
	 */
	void		(*legend)(int ascii, void (*add)(void *, const char *,
			    const char *), void *arg);
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
#define PANEL_DETAIL	0x4	/* Showing the selected item's detail. */

	/* Rows: indexes into one of the store's arrays, in display order. */
	size_t			*rows;	/* Owned. */
	size_t			 nrows, rows_cap;
	size_t			*prev;	/* Owned: rows before a refresh. */
	size_t			 nprev, prev_cap;
	unsigned		 sorts;	/* Sorts made (a count for tests), */
	unsigned		 sorts_kept;	/* and orders kept. */
	size_t			 sel;	/* Index into rows. */
	size_t			 top;	/* First visible row. */
	char			 sel_id[MODEL_ID_MAX];	/* Kept across sorts. */
	int			 cursor_y;	/* Row of the selection. */
	struct store		*store;	/* Borrowed; set by panel_refresh. */

	const struct panel_filter *filter;	/* Borrowed; may be NULL. */
	char			*search;	/* Owned; as typed, or NULL. */
	char			*search_fold;	/* Owned; folded. */
	int			 sort;		/* Index into cls->sorts. */
	int			 detail_top;	/* Detail scroll. */

	void			*data;	/* Owned by the class. */

	/*
	 * What is in the window: a key per line (draw_line_key(); line 0
	 * stands for the border, title and footer), 0 for "not known", so
	 * a draw puts only the lines whose key changed. drawn is how many
	 * lines the last panel_draw() put (a count for tests).
	 */
	uint64_t		*keys;	/* Owned; h of them. */
	int			 nkeys;
	int			 drawn;
};

extern const struct panel_class *const panel_classes[];	/* NULL-ended. */
extern const struct panel_class widget_alerts_class;
extern const struct panel_class widget_hospitals_class;
extern const struct panel_class widget_schools_class;
extern const struct panel_class widget_feedback_class;
extern const struct panel_class widget_units_class;
extern const struct panel_class widget_overview_class;

struct panel	*panel_create(const struct panel_class *, unsigned int id);
void		 panel_free(struct panel *);
void		 panel_dirty(struct panel *);
void		 panel_refresh(struct panel *, struct store *);
void		 panel_draw(struct panel *, struct store *,
		     const struct panel_view *);
void		 panel_forget(struct panel *);
void		 panel_sort(struct panel *, int (*)(const void *, const void *,
		     void *), void *);
enum panel_key	 panel_key(struct panel *, int key);
void		 panel_move(struct panel *, long delta);
const char	*panel_selected(struct panel *);
int		 panel_select(struct panel *, const char *id);
void		 panel_reselect(struct panel *, const char *(*)(
		     struct panel *, struct store *, size_t),
		     struct store *);
void		 panel_rows_clear(struct panel *);
void		 panel_rows_add(struct panel *, size_t);
int		 panel_visible(const struct panel *);
void		 panel_set_window(struct panel *, WINDOW *);
const struct panel_class *panel_find_class(const char *);

/* Search, filter and sort. */
void		 panel_set_search(struct panel *, const char *);
int		 panel_want(struct panel *, struct store *, const char *area,
		     int severity, const char *const *texts, size_t ntexts);
int		 panel_set_sort(struct panel *, const char *, char **cause);
const char	*panel_sort_name(const struct panel *);

/* The detail view. */
int		 panel_detail_open(struct panel *);
void		 panel_detail_close(struct panel *);
void		 panel_detail_scroll(struct panel *, long delta);
int		 panel_detail_lines(struct panel *);
void		 panel_detail_field(struct panel_detail *, const char *label,
		     const char *value, attr_t);
void		 panel_detail_text(struct panel_detail *, const char *text,
		     attr_t, int indent);
void		 panel_detail_blank(struct panel_detail *);
void		 panel_detail_heading(struct panel_detail *, const char *);
void		 panel_detail_history(struct panel_detail *,
		     const struct history *);

/* Sparklines: a ring of samples (0..1000) per item. */
struct panel_spark {
	char		 id[MODEL_ID_MAX];
	uint32_t	 version;	/* Of the item at the last sample. */
	short		 v[PANEL_SPARK];
	int		 n;		/* Samples held. */
	int		 head;		/* Next slot. */
};
struct panel_spark *panel_spark_get(struct panel_spark **, size_t *,
		     const char *id);
void		 panel_spark_add(struct panel_spark *, short);
size_t		 panel_spark_render(const struct panel_spark *, int cells,
		     int ascii, char *, size_t);
int		 panel_spark_trend(const struct panel_spark *);

char	*panel_legend_text(int ascii);

#endif

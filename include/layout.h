/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The screen layout: a header line, the panels tiled (2x2 at 80x24, alerts
 * beside the other three from 160x36, one panel with a tab bar when small,
 * a "too small" message below 40x10), a status line and the bottom line
 * (messages or the command prompt, drawn by console/prompt.c). The layout
 * owns its panels and their windows and the filter they share. It has no
 * keys of its own: the key tables (console/key.c) run view commands
 * (console/cmd-view.c), which call the functions below.
 */

#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdint.h>

#include <curses.h>

#include "msglog.h"
#include "panel.h"
#include "store.h"

enum layout_link {
	LAYOUT_LINK_CONNECTING,
	LAYOUT_LINK_CONNECTED,
	LAYOUT_LINK_RECONNECTING,
	LAYOUT_LINK_OFFLINE,
	LAYOUT_LINK_REFUSED		/* Token refused: no more retries. */
};

/*
 * How the body is laid out; chosen by the terminal size, unless the
 * officer asked for a mode (":layout grid") that the size allows.
 */
enum layout_mode {
	LAYOUT_TOO_SMALL,		/* Below 40x10: a message only. */
	LAYOUT_SINGLE,			/* One panel and a tab bar. */
	LAYOUT_GRID,			/* 2x2 from 80x20. */
	LAYOUT_WIDE,			/* Alerts left, three stacked right. */
	LAYOUT_AUTO			/* As the size says (for want). */
};

#define LAYOUT_MIN_COLS		40
#define LAYOUT_MIN_LINES	10
#define LAYOUT_GRID_COLS	80
#define LAYOUT_GRID_LINES	20
#define LAYOUT_WIDE_COLS	160
#define LAYOUT_WIDE_LINES	36

/*
 * Gauges (hospital and school readings) are shown at most every
 * LAYOUT_GAUGE_MS by default: often enough that a figure an officer
 * reads is never more than a few seconds old, seldom enough that the
 * readings of a busy province (about 18 a second of the 20 events a
 * second of the standard load) cost a few hundred bytes every few
 * seconds on a 4 KB/s link, not on every event. Records are never held.
 */
#define LAYOUT_GAUGE_MS		5000
#define LAYOUT_GAUGE_MAX_MS	600000

/*
 * The layout holds LAYOUT_PANELS panels: the first LAYOUT_TILED are
 * tiled on the screen (alerts, hospitals, schools, feedback); the others
 * are views (units, overview, finished) that take the whole body while focused,
 * as a zoomed panel does, and are hidden otherwise.
 */
#define LAYOUT_TILED		4
#define LAYOUT_PANELS		7

/* A panel's place on the screen; h == 0 when it is not shown. */
struct layout_rect {
	int		 y, x, h, w;
};

/* Set by the console runtime; read by the header and status line. */
struct layout_status {
	enum layout_link link;
	int64_t		 stale_since;	/* ms; 0 when fresh. */
	int		 upstream_down;	/* A relay lost the province. */
	char		 operator[64];
	char		 role[32];
	/* Who else is connected, from the backend's presence message:
	 * "lan, minh (observer)"; "" when nobody. */
	char		 presence[160];
	int		 npresence;	/* How many others. */
	int		 exercise;
	/* Items and messages from the backend that could not be read: the
	 * picture is not whole. 0 normally. */
	size_t		 skipped;
	/* A replay (0: live): the REPLAY banner, which never gives way,
	 * and where it is: its state ("▶ 4×", "‖"), and how much of the
	 * recording is played, in thousandths. */
	int		 replay;
	char		 replay_state[32];
	int		 replay_permille;
	char		 message[256];	/* Last message for the status line. */
	int		 message_error;
};

/* The status line's figures, totalled only when what they count changed. */
struct layout_totals {
	size_t		 open[5];	/* Open alerts by severity, 1 to 4. */
	size_t		 overdue;	/* Alerts and cases late at a stage
					   someone has acted on. */
	size_t		 untouched;	/* Late, and nobody has acted: new
					   alerts past their time to
					   acknowledge, new cases. */
	int64_t		 overdue_next;	/* When one next falls due (ms). */
	long		 beds_free;
	long		 present, enrolled;	/* Of the schools reporting. */
};

struct follow_view;

struct layout {
	struct store		*store;		/* Borrowed. */
	struct panel		*panels[LAYOUT_PANELS];	/* Owned. */
	int			 npanels;
	int			 focus;		/* Index into panels. */
	int			 zoom;		/* Focused panel fills body. */
	int			 lines, cols;
	int			 single;	/* One panel and tabs. */
	int			 too_small;
	WINDOW			*header;	/* Owned. */
	WINDOW			*status;	/* Owned. */
	struct layout_status	 st;
	struct panel_view	 view;
	int			 dirty_chrome;	/* Header/status to redraw. */

	enum layout_mode	 mode;
	struct layout_rect	 rect[LAYOUT_PANELS]; /* Where each is. */
	/* The tiled panel focused before a view was. */
	int			 view_from;
	WINDOW			*tabs;		/* Owned; single mode only. */
	WINDOW			*small;		/* Owned; too-small message. */
	int64_t			 drawn_sec;	/* Second of the last header. */
	struct layout_status	 drawn_st;	/* st as last drawn. */
	struct panel_view	 drawn_view;	/* view as last drawn. */

	enum layout_mode	 want;		/* LAYOUT_AUTO or forced. */
	struct panel_filter	 filter;	/* Shared by the panels. */
	int			 detail_zoom;	/* zoom before the detail. */

	/*
	 * Gauge panels (a class with a records hook) show the store's
	 * changes at most every gauge_ms (0: at every frame); a change in
	 * between is held (bits of held[i]) until gauge_at[i] + gauge_ms,
	 * unless it is a record (records[i] changed) or the whole picture
	 * (STORE_CH_META). gauge_at[] is clock_mono().
	 */
	int64_t			 gauge_ms;
	int64_t			 gauge_at[LAYOUT_PANELS];
	uint64_t		 records[LAYOUT_PANELS];
	int			 held[LAYOUT_PANELS];

	struct layout_totals	 tot;		/* As last totalled. */
	int			 dirty_status;	/* Status line to redraw. */
	int			 dirty_tabs;	/* Tab bar to redraw. */

	/*
	 * Every message the status line showed (layout_message()), for
	 * ":messages"; what the one on the status line is (LAYOUT_MSG_*);
	 * and the hint it ends with when it is cut ("L": the key of the
	 * log), set by the runtime.
	 */
	struct msglog		*log;		/* Owned. */
	int			 msg_flags;
	char			 msg_more[32];

	/*
	 * Following a trainee (trucban --follow): what they do and the
	 * drill's expectations take the Schools tile (borrowed; NULL or
	 * name "": not following). drawn_follow is its gen as drawn.
	 */
	const struct follow_view *follow;
	unsigned		 drawn_follow;
	int			 follow_drawn;
};

/* What a message is, for layout_message_flags(). */
#define LAYOUT_MSG_NOLOG	0x1	/* Passing: not in the log. */
#define LAYOUT_MSG_LINK		0x2	/* True only while the link is
					   down: gone when it is back. */

/* How layout_move() moves the selection (or scrolls a detail). */
enum layout_move {
	LAYOUT_MOVE_UP,
	LAYOUT_MOVE_DOWN,
	LAYOUT_MOVE_PAGE_UP,
	LAYOUT_MOVE_PAGE_DOWN,
	LAYOUT_MOVE_TOP,
	LAYOUT_MOVE_BOTTOM
};

struct layout	*layout_create(struct store *);
void		 layout_free(struct layout *);
/* Recreate windows for a new terminal size; marks everything dirty. */
void		 layout_resize(struct layout *, int lines, int cols);
/* Refresh the panels whose store_mask matches the store's changed bits
 * (gauge panels at most every gauge_ms) and clear those bits. */
void		 layout_store_changed(struct layout *);
/* When held gauges are due (clock_mono() ms), or -1 when none is held. */
int64_t		 layout_gauge_due(struct layout *);
/* Draw what is dirty with wnoutrefresh (no doupdate). */
void		 layout_draw(struct layout *, int64_t now);
void		 layout_focus(struct layout *, int index);
void		 layout_focus_step(struct layout *, int dir);
struct panel	*layout_focused(struct layout *);
/* Put the terminal cursor on the selected row of the focused panel. */
void		 layout_place_cursor(struct layout *);
void		 layout_message(struct layout *, int error, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 layout_message_flags(struct layout *, int flags, int error,
		     const char *, ...) __attribute__((format(printf, 4, 5)));
void		 layout_message_expire(struct layout *, int flags);
void		 layout_message_more(struct layout *, const char *);
/* ASCII mode and the decimal point (lang_en); redraws everything. The
 * strings themselves come from gettext (i18n_set_lang()). */
void		 layout_set_view(struct layout *, int ascii, int lang_en);
/* Index of the panel whose class is called name ("alerts"), or -1. */
int		 layout_find(struct layout *, const char *name);
/* The pure geometry: the mode for a size and each panel's rectangle. */
enum layout_mode layout_geometry(int lines, int cols, int focus, int zoom,
		     struct layout_rect rect[4]);
enum layout_mode layout_geometry_want(int lines, int cols, int focus,
		     int zoom, enum layout_mode want,
		     struct layout_rect rect[4]);

/* Views: filter, search, sort, zoom, the detail, the forced mode. */
int		 layout_filter_area(struct layout *, const char *,
		     char **cause);
void		 layout_filter_area_step(struct layout *, int dir);
int		 layout_filter_severity(struct layout *, int);
void		 layout_filter_severity_step(struct layout *, int dir);
void		 layout_filter_clear(struct layout *);
void		 layout_search(struct layout *, const char *);
void		 layout_move(struct layout *, enum layout_move);
int		 layout_back(struct layout *);
int		 layout_zoom(struct layout *, int);
int		 layout_detail(struct layout *, int);
int		 layout_set_mode(struct layout *, const char *, char **cause);
void		 layout_dirty_all(struct layout *);

#endif

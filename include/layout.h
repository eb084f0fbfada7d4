/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The screen layout: a header line, the panels tiled (2x2 at 80x24, one
 * panel with a tab bar when small, a "too small" message below 40x10), a
 * status line and the bottom line (messages or the command prompt, drawn by
 * console/prompt.c). The layout owns its panels and their windows.
 */

#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdint.h>

#include <curses.h>

#include "panel.h"
#include "store.h"

enum layout_link {
	LAYOUT_LINK_CONNECTING,
	LAYOUT_LINK_CONNECTED,
	LAYOUT_LINK_RECONNECTING,
	LAYOUT_LINK_OFFLINE,
	LAYOUT_LINK_REFUSED		/* Token refused: no more retries. */
};

/* Set by the console runtime; read by the header and status line. */
struct layout_status {
	enum layout_link link;
	int64_t		 stale_since;	/* ms; 0 when fresh. */
	char		 operator[64];
	char		 role[32];
	int		 exercise;
	char		 message[256];	/* Last message for the status line. */
	int		 message_error;
};

struct layout {
	struct store		*store;		/* Borrowed. */
	struct panel		*panels[4];	/* Owned. */
	int			 npanels;
	int			 focus;		/* Index into panels. */
	int			 zoom;		/* Focused panel fills the body. */
	int			 lines, cols;
	int			 single;	/* Too narrow: one panel + tabs. */
	int			 too_small;
	WINDOW			*header;	/* Owned. */
	WINDOW			*status;	/* Owned. */
	struct layout_status	 st;
	struct panel_view	 view;
	int			 dirty_chrome;	/* Header/status to redraw. */
};

struct layout	*layout_create(struct store *);
void		 layout_free(struct layout *);
/* Recreate windows for a new terminal size; marks everything dirty. */
void		 layout_resize(struct layout *, int lines, int cols);
/* Mark panels whose store_mask matches the store's changed bits dirty
 * and clear those bits. */
void		 layout_store_changed(struct layout *);
/* Draw what is dirty with wnoutrefresh (no doupdate). */
void		 layout_draw(struct layout *, int64_t now);
/* Keys the layout handles itself (focus, zoom, selection movement).
 * Returns 1 if handled. */
int		 layout_key(struct layout *, int key);
void		 layout_focus(struct layout *, int index);
struct panel	*layout_focused(struct layout *);
/* Put the terminal cursor on the selected row of the focused panel. */
void		 layout_place_cursor(struct layout *);
void		 layout_message(struct layout *, int error, const char *, ...)
		     __attribute__((format(printf, 3, 4)));

#endif

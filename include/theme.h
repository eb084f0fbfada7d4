/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Colour slots. Widgets never pick colours: they ask for a semantic slot
 * and get curses attributes (colour pair included). Every slot has a name
 * ("alert.sev4"), a colour style and a monochrome style; the built-in
 * table is the default dark theme, and theme files (plain text in
 * themes/, see theme_load()) override slots by name. A slot may add to
 * another one, its parent ("header.brand" is "header", bold): it has the
 * parent's colours where its own are default, and the parent's
 * attributes as well as its own, in every theme.
 *
 * A style is a comma-separated list of fg=COLOUR, bg=COLOUR, bold,
 * reverse, underline, dim, or "default". COLOUR is default, black, red,
 * green, yellow, blue, magenta, cyan, white, brightred (and the other
 * bright names, 8-15), or colourN / colorN (0-255).
 */

#ifndef THEME_H
#define THEME_H

#include <stddef.h>

#include <curses.h>

enum theme_slot {
	THEME_NORMAL,
	THEME_BORDER,
	THEME_BORDER_FOCUS,
	THEME_TITLE,
	THEME_HEADER,
	THEME_STATUS,
	THEME_SEV1,
	THEME_SEV2,
	THEME_SEV3,
	THEME_SEV4,
	THEME_OVERDUE,
	THEME_MUTED,
	THEME_OK,
	THEME_WARN,
	THEME_CRIT,
	THEME_SELECTED,
	THEME_ERROR,
	THEME_EXERCISE,
	THEME_STALE,
	THEME_HEADING,
	/* Slots that add to a parent, after it. */
	THEME_HEADER_BRAND,
	THEME_HEADER_LINK,
	THEME_HEADER_LINK_WARN,
	THEME_HEADER_LINK_CRIT,
	THEME_HEADER_EXERCISE,
	THEME_TAB_FOCUS,
	THEME_STATUS_SEV4,
	THEME_STATUS_OVERDUE,
	THEME_STATUS_ERROR,
	THEME_TOO_SMALL,
	THEME_PROMPT_QUESTION,
	THEME_ALERT_ROW_CRITICAL,
	THEME_ALERT_ROW_NEW,
	THEME_ALERT_DETAIL_SEV1,
	THEME_ALERT_DETAIL_SEV2,
	THEME_ALERT_DETAIL_SEV3,
	THEME_ALERT_DETAIL_SEV4,
	THEME_ALERT_DETAIL_STATE,
	THEME_COUNT
};

#define THEME_COLOUR_DEFAULT	(-1)
#define THEME_NAME_MAX		64

/* One parsed style. */
struct theme_style {
	short		 fg;		/* THEME_COLOUR_DEFAULT or 0-255. */
	short		 bg;
	attr_t		 attrs;		/* A_BOLD, A_REVERSE, ... no colour. */
};

/*
 * The built-in slots, in enum order: name, slot, colour and mono style,
 * and the slot it adds to.
 */
struct theme_entry {
	const char	*name;
	enum theme_slot	 slot;
	const char	*style;		/* With colour. */
	const char	*mono;		/* Attributes only. */
	int		 parent;	/* A slot before it, or -1. */
};

extern const struct theme_entry theme_slots[THEME_COUNT];

void		 theme_init(int use_colour);
attr_t		 theme_attr(enum theme_slot);
int		 theme_colour(void);
int		 theme_find(const char *name);
int		 theme_style_parse(const char *, struct theme_style *,
		     char **cause);
int		 theme_set(const char *name, const char *style, int mono,
		     char **cause);

/* Theme files. */
int		 theme_load(const char *name, char **cause);
int		 theme_load_file(const char *path, char **cause);
int		 theme_parse(const char *text, const char *file, char **cause);
void		 theme_reset(void);
const char	*theme_name(void);
const char	*theme_warning(void);
char		*theme_path(const char *name);
char		**theme_list(void);
void		 theme_list_free(char **);

#endif /* THEME_H */

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Colour slots: the built-in dark theme, a style parser, pair allocation. */

#include "theme.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/*
 * Every slot has a parsed colour style and a parsed monochrome style. When
 * colour is on, a slot's attributes are its colour style's attributes plus
 * the colour pair for its (fg, bg), allocated once per distinct pair and
 * cached; otherwise they are its monochrome style's attributes. Colour is
 * off when the caller says so, when the terminal has none, or when
 * NO_COLOR is set to a non-empty value (https://no-color.org).
 *
 * A colour the terminal cannot show (colour200 on an 8-colour terminal)
 * falls back to its low 8 equivalent for 8-15 and to the default colour
 * otherwise; when the terminal has no default colours, default means
 * white on black.
 */

const struct theme_entry theme_slots[THEME_COUNT] = {
	{ "normal", THEME_NORMAL, "default", "default" },
	{ "panel.border", THEME_BORDER, "fg=blue", "default" },
	{ "panel.border.focus", THEME_BORDER_FOCUS, "fg=cyan,bold", "bold" },
	{ "panel.title", THEME_TITLE, "fg=white,bold", "bold" },
	{ "header", THEME_HEADER, "fg=black,bg=cyan", "reverse" },
	{ "status", THEME_STATUS, "fg=black,bg=white", "reverse" },
	{ "alert.sev1", THEME_SEV1, "fg=cyan", "default" },
	{ "alert.sev2", THEME_SEV2, "fg=green", "default" },
	{ "alert.sev3", THEME_SEV3, "fg=yellow,bold", "bold" },
	{ "alert.sev4", THEME_SEV4, "fg=red,bold", "bold,reverse" },
	{ "overdue", THEME_OVERDUE, "fg=red,bold", "bold,underline" },
	{ "muted", THEME_MUTED, "dim", "dim" },
	{ "ok", THEME_OK, "fg=green", "default" },
	{ "warn", THEME_WARN, "fg=yellow,bold", "bold" },
	{ "crit", THEME_CRIT, "fg=red,bold", "bold,underline" },
	{ "selected", THEME_SELECTED, "reverse", "reverse" },
	{ "error", THEME_ERROR, "fg=red,bold", "bold" },
	{ "exercise", THEME_EXERCISE, "fg=yellow,bold,reverse",
	    "bold,reverse" }
};

static const char *const theme_colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

#define THEME_MAX_PAIRS	64

static struct theme_style	theme_colour_style[THEME_COUNT];
static struct theme_style	theme_mono_style[THEME_COUNT];
static attr_t			theme_attrs[THEME_COUNT];
static int			theme_ready;
static int			theme_colour_on;
static int			theme_default_ok;
static struct {
	short	fg, bg;
} theme_pairs[THEME_MAX_PAIRS];
static int			theme_npairs;

static int	theme_parse_colour(const char *, size_t, short *);
static short	theme_fit_colour(short, short);
static short	theme_pair(short, short);
static void	theme_compute(enum theme_slot);

/*
 * Parse a colour name of len bytes into *c. Returns 0, or -1 when it is
 * not a colour.
 */
static int
theme_parse_colour(const char *s, size_t len, short *c)
{
	size_t	 i, pfx;
	long	 n;
	char	 num[8], *end;

	if (len == 7 && strncmp(s, "default", len) == 0) {
		*c = THEME_COLOUR_DEFAULT;
		return (0);
	}
	for (i = 0; i < sizeof theme_colour_names /
	    sizeof theme_colour_names[0]; i++) {
		if (strlen(theme_colour_names[i]) == len &&
		    strncmp(s, theme_colour_names[i], len) == 0) {
			*c = (short)i;
			return (0);
		}
	}
	if (len > 6 && strncmp(s, "colour", 6) == 0)
		pfx = 6;
	else if (len > 5 && strncmp(s, "color", 5) == 0)
		pfx = 5;
	else
		return (-1);
	if (len - pfx >= sizeof num)
		return (-1);
	memcpy(num, s + pfx, len - pfx);
	num[len - pfx] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return (-1);
	n = strtol(num, &end, 10);
	if (*end != '\0' || n < 0 || n > 255)
		return (-1);
	*c = (short)n;
	return (0);
}

/*
 * Parse a style string into *out. Returns 0, or -1 with *cause set to an
 * allocated message (caller frees) when cause is not NULL; *out is then
 * unchanged.
 */
int
theme_style_parse(const char *s, struct theme_style *out, char **cause)
{
	struct theme_style	 st;
	const char		*tok = s, *end;
	size_t			 len = 0;

	st.fg = st.bg = THEME_COLOUR_DEFAULT;
	st.attrs = A_NORMAL;
	while (*s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		tok = s;
		while (*s != '\0' && *s != ',')
			s++;
		end = s;
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = end - tok;
		if (len == 7 && strncmp(tok, "default", len) == 0)
			continue;
		if (len == 4 && strncmp(tok, "bold", len) == 0)
			st.attrs |= A_BOLD;
		else if (len == 7 && strncmp(tok, "reverse", len) == 0)
			st.attrs |= A_REVERSE;
		else if (len == 9 && strncmp(tok, "underline", len) == 0)
			st.attrs |= A_UNDERLINE;
		else if (len == 3 && strncmp(tok, "dim", len) == 0)
			st.attrs |= A_DIM;
		else if (len > 3 && strncmp(tok, "fg=", 3) == 0) {
			if (theme_parse_colour(tok + 3, len - 3, &st.fg) != 0)
				goto bad;
		} else if (len > 3 && strncmp(tok, "bg=", 3) == 0) {
			if (theme_parse_colour(tok + 3, len - 3, &st.bg) != 0)
				goto bad;
		} else
			goto bad;
	}
	*out = st;
	return (0);

bad:
	if (cause != NULL)
		xasprintf(cause, "bad style \"%.*s\"", (int)len, tok);
	return (-1);
}

/*
 * Fit a colour to what the terminal can show: 8-15 become 0-7 on an
 * 8-colour terminal, anything else out of range becomes dflt.
 */
static short
theme_fit_colour(short c, short dflt)
{
	if (c == THEME_COLOUR_DEFAULT)
		return (theme_default_ok ? -1 : dflt);
	if (c < COLORS)
		return (c);
	if (c < 16 && c - 8 < COLORS)
		return (c - 8);
	return (theme_default_ok ? -1 : dflt);
}

/* The colour pair number for (fg, bg), allocated on first use; 0 if none. */
static short
theme_pair(short fg, short bg)
{
	int	i;

	fg = theme_fit_colour(fg, COLOR_WHITE);
	bg = theme_fit_colour(bg, COLOR_BLACK);
	if (fg == -1 && bg == -1)
		return (0);
	for (i = 0; i < theme_npairs; i++) {
		if (theme_pairs[i].fg == fg && theme_pairs[i].bg == bg)
			return ((short)(i + 1));
	}
	if (theme_npairs == THEME_MAX_PAIRS || theme_npairs + 1 >= COLOR_PAIRS)
		return (0);
	if (init_pair((short)(theme_npairs + 1), fg, bg) == ERR)
		return (0);
	theme_pairs[theme_npairs].fg = fg;
	theme_pairs[theme_npairs].bg = bg;
	return ((short)++theme_npairs);
}

static void
theme_compute(enum theme_slot slot)
{
	struct theme_style	*st;

	if (theme_colour_on) {
		st = &theme_colour_style[slot];
		theme_attrs[slot] = st->attrs | COLOR_PAIR(theme_pair(st->fg,
		    st->bg));
	} else
		theme_attrs[slot] = theme_mono_style[slot].attrs;
}

/*
 * Reset every slot to the built-in theme and compute its attributes. With
 * use_colour, and when the terminal has colours and NO_COLOR is not set,
 * colour is started (call after initscr) and pairs are allocated;
 * otherwise only attributes are used and curses is not touched, so this
 * is safe before initscr. Nothing is returned; nothing is allocated.
 */
void
theme_init(int use_colour)
{
	const char	*nc;
	int		 i;

	for (i = 0; i < THEME_COUNT; i++) {
		if (theme_style_parse(theme_slots[i].style,
		    &theme_colour_style[i], NULL) != 0 ||
		    theme_style_parse(theme_slots[i].mono,
		    &theme_mono_style[i], NULL) != 0)
			fatalx("%s: bad built-in style %s", __func__,
			    theme_slots[i].name);
	}
	nc = getenv("NO_COLOR");
	theme_colour_on = use_colour && stdscr != NULL && has_colors() &&
	    (nc == NULL || *nc == '\0');
	theme_npairs = 0;
	theme_default_ok = 0;
	if (theme_colour_on) {
		if (start_color() == ERR)
			theme_colour_on = 0;
		else
			theme_default_ok = (use_default_colors() == OK);
	}
	for (i = 0; i < THEME_COUNT; i++)
		theme_compute(i);
	theme_ready = 1;
}

/*
 * Return the curses attributes of a slot, colour pair included. Before
 * theme_init() the monochrome defaults are used.
 */
attr_t
theme_attr(enum theme_slot slot)
{
	if (!theme_ready)
		theme_init(0);
	if ((int)slot < 0 || slot >= THEME_COUNT)
		return (A_NORMAL);
	return (theme_attrs[slot]);
}

/* Return 1 when colour is in use, 0 when only attributes are. */
int
theme_colour(void)
{
	return (theme_colour_on);
}

/* Return the slot named name ("alert.sev4"), or -1 when there is none. */
int
theme_find(const char *name)
{
	int	i;

	for (i = 0; i < THEME_COUNT; i++) {
		if (strcmp(theme_slots[i].name, name) == 0)
			return (theme_slots[i].slot);
	}
	return (-1);
}

/*
 * Override the colour style (or, with mono, the monochrome style) of the
 * slot called name. Returns 0, or -1 with *cause set to an allocated
 * message (caller frees) for an unknown name or a bad style; the slot is
 * then unchanged. Callers mark the panels dirty themselves.
 */
int
theme_set(const char *name, const char *style, int mono, char **cause)
{
	struct theme_style	 st;
	int			 slot;

	if (!theme_ready)
		theme_init(0);
	if ((slot = theme_find(name)) < 0) {
		xasprintf(cause, "unknown style name \"%s\"", name);
		return (-1);
	}
	if (theme_style_parse(style, &st, cause) != 0)
		return (-1);
	if (mono)
		theme_mono_style[slot] = st;
	else
		theme_colour_style[slot] = st;
	theme_compute(slot);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Colour slots: the built-in dark theme, a style parser, pair allocation. */

#include "theme.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 * A slot with a parent takes the parent's colours where its own are
 * default and adds its attributes to the parent's; parents come before
 * their children in the table, so computing in order works, and a change
 * to a slot computes again the slots that add to it.
 *
 * A colour the terminal cannot show (colour200 on an 8-colour terminal)
 * falls back to its low 8 equivalent for 8-15 and to the default colour
 * otherwise; when the terminal has no default colours, default means
 * white on black.
 */

const struct theme_entry theme_slots[THEME_COUNT] = {
	{ "normal", THEME_NORMAL, "default", "default", -1 },
	{ "panel.border", THEME_BORDER, "fg=blue", "default", -1 },
	{ "panel.border.focus", THEME_BORDER_FOCUS, "fg=cyan,bold", "bold",
	  -1 },
	{ "panel.title", THEME_TITLE, "fg=white,bold", "bold", -1 },
	{ "header", THEME_HEADER, "fg=black,bg=cyan", "reverse", -1 },
	{ "status", THEME_STATUS, "fg=black,bg=white", "reverse", -1 },
	{ "alert.sev1", THEME_SEV1, "fg=cyan", "default", -1 },
	{ "alert.sev2", THEME_SEV2, "fg=green", "default", -1 },
	{ "alert.sev3", THEME_SEV3, "fg=yellow,bold", "bold", -1 },
	{ "alert.sev4", THEME_SEV4, "fg=red,bold", "bold,reverse", -1 },
	{ "overdue", THEME_OVERDUE, "fg=red,bold", "bold,underline", -1 },
	{ "muted", THEME_MUTED, "dim", "dim", -1 },
	{ "ok", THEME_OK, "fg=green", "default", -1 },
	{ "warn", THEME_WARN, "fg=yellow,bold", "bold", -1 },
	{ "crit", THEME_CRIT, "fg=red,bold", "bold,underline", -1 },
	{ "selected", THEME_SELECTED, "reverse", "reverse", -1 },
	{ "error", THEME_ERROR, "fg=red,bold", "bold", -1 },
	{ "exercise", THEME_EXERCISE, "fg=yellow,bold,reverse",
	    "bold,reverse", -1 },
	{ "panel.stale", THEME_STALE, "fg=yellow,dim", "dim", -1 },
	{ "heading", THEME_HEADING, "fg=cyan", "underline", -1 },

	{ "header.brand", THEME_HEADER_BRAND, "bold", "bold", THEME_HEADER },
	{ "header.link", THEME_HEADER_LINK, "bold", "bold", THEME_HEADER },
	{ "header.link.warn", THEME_HEADER_LINK_WARN, "reverse,bold",
	  "reverse,bold", THEME_WARN },
	{ "header.link.crit", THEME_HEADER_LINK_CRIT, "reverse,bold",
	  "reverse,bold", THEME_CRIT },
	{ "header.exercise", THEME_HEADER_EXERCISE, "reverse,bold",
	  "reverse,bold", THEME_EXERCISE },
	{ "tab.focus", THEME_TAB_FOCUS, "bold", "bold", THEME_SELECTED },
	{ "status.sev4", THEME_STATUS_SEV4, "default", "bold", THEME_STATUS },
	{ "status.overdue", THEME_STATUS_OVERDUE, "bold", "bold",
	  THEME_STATUS },
	{ "status.error", THEME_STATUS_ERROR, "bold", "bold,reverse",
	  THEME_ERROR },
	{ "toosmall", THEME_TOO_SMALL, "bold", "bold", THEME_WARN },
	{ "prompt.question", THEME_PROMPT_QUESTION, "bold", "bold",
	  THEME_WARN },
	{ "alert.row.critical", THEME_ALERT_ROW_CRITICAL, "bold", "bold",
	  THEME_NORMAL },
	{ "alert.row.new", THEME_ALERT_ROW_NEW, "bold", "bold",
	  THEME_NORMAL },
	{ "alert.detail.sev1", THEME_ALERT_DETAIL_SEV1, "bold", "bold",
	  THEME_SEV1 },
	{ "alert.detail.sev2", THEME_ALERT_DETAIL_SEV2, "bold", "bold",
	  THEME_SEV2 },
	{ "alert.detail.sev3", THEME_ALERT_DETAIL_SEV3, "bold", "bold",
	  THEME_SEV3 },
	{ "alert.detail.sev4", THEME_ALERT_DETAIL_SEV4, "bold", "bold",
	  THEME_SEV4 },
	{ "alert.detail.state", THEME_ALERT_DETAIL_STATE, "bold", "bold",
	  THEME_NORMAL }
};

static const char *const theme_colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"brightblack", "brightred", "brightgreen", "brightyellow",
	"brightblue", "brightmagenta", "brightcyan", "brightwhite"
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
static char			theme_current[THEME_NAME_MAX];
static char			theme_warn[256];	/* The first warning. */

static int	theme_parse_colour(const char *, size_t, short *);
static short	theme_fit_colour(short, short);
static short	theme_pair(short, short);
static void	theme_compute(enum theme_slot);
static void	theme_warnx(int *, const char *, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static char	*theme_trim(char *);
static char	*theme_dir(int);
static char	*theme_tree_dir(void);
static char	*theme_prefix_path(const char *);
static int	theme_cmp(const void *, const void *);

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

/* The style of slot with what it inherits from its parents. */
static struct theme_style
theme_effective(int slot, int mono)
{
	struct theme_style	st, p;

	st = mono ? theme_mono_style[slot] : theme_colour_style[slot];
	if (theme_slots[slot].parent < 0)
		return (st);
	p = theme_effective(theme_slots[slot].parent, mono);
	if (st.fg == THEME_COLOUR_DEFAULT)
		st.fg = p.fg;
	if (st.bg == THEME_COLOUR_DEFAULT)
		st.bg = p.bg;
	st.attrs |= p.attrs;
	return (st);
}

static void
theme_compute(enum theme_slot slot)
{
	struct theme_style	st;

	if (theme_colour_on) {
		st = theme_effective(slot, 0);
		theme_attrs[slot] = st.attrs | COLOR_PAIR(theme_pair(st.fg,
		    st.bg));
	} else
		theme_attrs[slot] = theme_effective(slot, 1).attrs;
}

/* 1 if slot is or adds to (through its parents) base. */
static int
theme_descends(int slot, int base)
{
	for (; slot >= 0; slot = theme_slots[slot].parent) {
		if (slot == base)
			return (1);
	}
	return (0);
}

/*
 * Reset every slot's styles to the built-in (default) theme and compute
 * the attributes again. Nothing is allocated.
 */
void
theme_reset(void)
{
	int	i;

	for (i = 0; i < THEME_COUNT; i++) {
		if ((int)theme_slots[i].slot != i ||
		    theme_slots[i].parent >= i ||
		    theme_style_parse(theme_slots[i].style,
		    &theme_colour_style[i], NULL) != 0 ||
		    theme_style_parse(theme_slots[i].mono,
		    &theme_mono_style[i], NULL) != 0)
			fatalx("%s: bad built-in slot %s", __func__,
			    theme_slots[i].name);
	}
	snprintf(theme_current, sizeof theme_current, "default");
	theme_npairs = 0;
	for (i = 0; i < THEME_COUNT; i++)
		theme_compute(i);
	theme_ready = 1;
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

	nc = getenv("NO_COLOR");
	theme_colour_on = use_colour && stdscr != NULL && has_colors() &&
	    (nc == NULL || *nc == '\0');
	theme_default_ok = 0;
	if (theme_colour_on) {
		if (start_color() == ERR)
			theme_colour_on = 0;
		else
			theme_default_ok = (use_default_colors() == OK);
	}
	theme_reset();
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
 * slot called name, and compute again the slots that add to it. Returns
 * 0, or -1 with *cause set to an allocated message (caller frees) for an
 * unknown name or a bad style; the slot is then unchanged. Callers mark
 * the panels dirty themselves.
 */
int
theme_set(const char *name, const char *style, int mono, char **cause)
{
	struct theme_style	 st;
	int			 slot, i;

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
	for (i = slot; i < THEME_COUNT; i++) {
		if (theme_descends(i, slot))
			theme_compute(i);
	}
	return (0);
}

/* ==== Theme files ==== */

/*
 * A theme file is plain text, one setting per line (weechat, htop):
 *
 *	# themes/light.theme
 *	name = light
 *	description = Dark text for light backgrounds
 *
 *	[styles]
 *	panel.border = fg=colour244
 *	alert.sev4   = fg=red,bold
 *
 *	[mono]
 *	alert.sev4   = bold,reverse
 *
 * Blank lines and lines starting with '#' are skipped. Before the first
 * section only name and description are known; [styles] sets the colour
 * style of a slot, [mono] its style when colour is off (NO_COLOR, or a
 * terminal without colour). A file overrides only the slots it names;
 * the others keep the built-in style. An unknown section, key or slot, a
 * bad style or a line without '=' is logged as a warning with the file
 * and line ("light.theme:12: unknown style \"log.eror\"") and skipped:
 * a theme never stops the program.
 *
 * Themes are found by name in ./themes, $XDG_CONFIG_HOME/trucban/themes
 * (~/.config/trucban/themes), the themes of the build tree the program
 * runs from (build/trucban and build/san/trucban sit below the tree's
 * themes/, so a console started from any directory finds them), and
 * $TRUCBAN_DATADIR/themes (the install directory by default), in that
 * order; a name with a '/' is a path. A name that is no theme but the
 * start of exactly one ("li") is that one.
 */

#define THEME_DIRS	4

#define THEME_SUFFIX	".theme"
#define THEME_MAX_FILE	(256 * 1024)

/* Count a warning, log it and keep the first one for theme_warning(). */
static void
theme_warnx(int *n, const char *file, int line, const char *fmt, ...)
{
	char	msg[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_warn("%s:%d: %s", file, line, msg);
	if (*n == 0)
		snprintf(theme_warn, sizeof theme_warn, "%s:%d: %s", file,
		    line, msg);
	(*n)++;
}

/* Strip blanks at both ends, in place. Returns the start. */
static char *
theme_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

/*
 * Apply the text of a theme file (file names it in warnings) over the
 * built-in theme. Returns the number of warnings (0 when every line was
 * good; the first is kept for theme_warning()). Never fails: cause is
 * only set, to an allocated summary the caller frees, when there were
 * warnings and cause is not NULL.
 */
int
theme_parse(const char *text, const char *file, char **cause)
{
	enum { TOP, STYLES, MONO, OTHER }	 section = TOP;
	char					*copy, *line, *next, *eq;
	char					*key, *value, *why;
	char					 name[THEME_NAME_MAX] = "";
	int					 lineno = 0, warnings = 0;
	int					 slot;

	theme_warn[0] = '\0';
	theme_reset();
	copy = xstrdup(text != NULL ? text : "");
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		line = theme_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '[') {
			if (strcmp(line, "[styles]") == 0)
				section = STYLES;
			else if (strcmp(line, "[mono]") == 0)
				section = MONO;
			else {
				theme_warnx(&warnings, file, lineno,
				    "unknown section %.40s", line);
				section = OTHER;
			}
			continue;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			theme_warnx(&warnings, file, lineno,
			    "not \"name = value\": %.40s", line);
			continue;
		}
		*eq = '\0';
		key = theme_trim(line);
		value = theme_trim(eq + 1);
		if (section == OTHER)
			continue;
		if (section == TOP) {
			if (strcmp(key, "name") == 0)
				snprintf(name, sizeof name, "%s", value);
			else if (strcmp(key, "description") != 0)
				theme_warnx(&warnings, file, lineno,
				    "unknown key \"%.40s\"", key);
			continue;
		}
		if ((slot = theme_find(key)) < 0) {
			theme_warnx(&warnings, file, lineno,
			    "unknown style \"%.40s\"", key);
			continue;
		}
		if (*value == '\0') {
			theme_warnx(&warnings, file, lineno,
			    "no style for \"%.40s\"", key);
			continue;
		}
		why = NULL;
		if (theme_set(key, value, section == MONO, &why) != 0) {
			theme_warnx(&warnings, file, lineno, "%s", why);
			free(why);
		}
	}
	free(copy);
	if (name[0] != '\0')
		snprintf(theme_current, sizeof theme_current, "%s", name);
	if (warnings > 0 && cause != NULL)
		xasprintf(cause, "%s%s", theme_warn, warnings > 1 ?
		    " (and more; see the log)" : "");
	return (warnings);
}

/*
 * Load the theme file at path over the built-in theme. Returns the number
 * of warnings (as theme_parse(); *cause then holds the first, allocated),
 * or -1 with *cause set (allocated; caller frees) when the file cannot be
 * read, in which case the theme in use is unchanged.
 */
int
theme_load_file(const char *path, char **cause)
{
	FILE		*f;
	struct stat	 sb;
	char		*text, *base;
	size_t		 n;
	int		 rv;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > THEME_MAX_FILE) {
		xasprintf(cause, "%s: not a theme file", path);
		fclose(f);
		return (-1);
	}
	text = xmalloc((size_t)sb.st_size + 1);
	n = fread(text, 1, (size_t)sb.st_size, f);
	text[n] = '\0';
	fclose(f);
	/* A NUL in the file ends the text: the rest is not a theme. */
	rv = theme_parse(text, path, cause);
	free(text);
	if (strcmp(theme_current, "default") == 0) {
		base = strrchr(path, '/');
		base = base != NULL ? base + 1 : (char *)path;
		snprintf(theme_current, sizeof theme_current, "%.*s",
		    (int)(strlen(base) > strlen(THEME_SUFFIX) &&
		    strcmp(base + strlen(base) - strlen(THEME_SUFFIX),
		    THEME_SUFFIX) == 0 ? strlen(base) - strlen(THEME_SUFFIX) :
		    strlen(base)), base);
	}
	log_info("theme %s from %s (%d warning%s)", theme_current, path, rv,
	    rv == 1 ? "" : "s");
	return (rv);
}

/*
 * The themes of the build tree this program runs from: the themes/ next
 * to the binary's directory or one of the two above it (build/trucban,
 * build/san/trucban, build/san/tests/test-theme) that holds
 * default.theme. Returns it allocated (caller frees), or NULL
 * when the binary is not in a build tree.
 */
static char *
theme_tree_dir(void)
{
	char	 exe[4096], *slash, *d, *f, *real;
	ssize_t	 n;
	int	 up;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return (NULL);
	exe[n] = '\0';
	for (up = 0; up < 3; up++) {
		if ((slash = strrchr(exe, '/')) == NULL || slash == exe)
			return (NULL);
		*slash = '\0';
		xasprintf(&d, "%s/../themes", exe);
		xasprintf(&f, "%s/default%s", d, THEME_SUFFIX);
		if (access(f, R_OK) == 0) {
			free(f);
			/* "/src/trucban/themes", not ".../build/../themes". */
			if ((real = realpath(d, NULL)) != NULL) {
				free(d);
				d = xstrdup(real);
				free(real);
			}
			return (d);
		}
		free(f);
		free(d);
	}
	return (NULL);
}

/*
 * The i-th directory themes are looked for in (0 .. THEME_DIRS - 1),
 * allocated (caller frees), or NULL when there is no such directory (no
 * HOME, not run from a build tree).
 */
static char *
theme_dir(int i)
{
	const char	*v;
	char		*d;

	switch (i) {
	case 0:
		return (xstrdup("themes"));
	case 1:
		if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
			xasprintf(&d, "%s/trucban/themes", v);
		else if ((v = getenv("HOME")) != NULL && *v != '\0')
			xasprintf(&d, "%s/.config/trucban/themes", v);
		else
			d = NULL;
		return (d);
	case 2:
		return (theme_tree_dir());
	case 3:
		if ((v = getenv("TRUCBAN_DATADIR")) == NULL || *v == '\0')
			v = TRUCBAN_DATADIR;
		xasprintf(&d, "%s/themes", v);
		return (d);
	}
	return (NULL);
}

/*
 * The path of the theme called name (or name itself when it has a '/'),
 * allocated (caller frees), or NULL when no directory has it.
 */
char *
theme_path(const char *name)
{
	char	*dir, *path;
	int	 i;

	if (strchr(name, '/') != NULL)
		return (access(name, R_OK) == 0 ? xstrdup(name) : NULL);
	if (*name == '\0' || *name == '.')
		return (NULL);
	for (i = 0; i < THEME_DIRS; i++) {
		if ((dir = theme_dir(i)) == NULL)
			continue;
		xasprintf(&path, "%s/%s%s", dir, name, THEME_SUFFIX);
		free(dir);
		if (access(path, R_OK) == 0)
			return (path);
		free(path);
	}
	return (NULL);
}

/*
 * The path of the one theme whose name starts with prefix, allocated
 * (caller frees), or NULL when none or several do.
 */
static char *
theme_prefix_path(const char *prefix)
{
	char	**names, *found = NULL, *path = NULL;
	size_t	  i, n = 0;

	if (*prefix == '\0' || strchr(prefix, '/') != NULL)
		return (NULL);
	names = theme_list();
	for (i = 0; names[i] != NULL; i++) {
		if (strncmp(names[i], prefix, strlen(prefix)) == 0) {
			found = names[i];
			n++;
		}
	}
	if (n == 1 && strcmp(found, "default") != 0)
		path = theme_path(found);
	theme_list_free(names);
	return (path);
}

/*
 * Load the theme called name (see theme_path(); "default" without a file
 * is the built-in theme). Returns the number of warnings, or -1 with
 * *cause set (allocated; caller frees) when there is no such theme; the
 * theme in use is then unchanged. Callers redraw everything after.
 */
int
theme_load(const char *name, char **cause)
{
	char	*path;
	int	 rv;

	if ((path = theme_path(name)) == NULL &&
	    (path = theme_prefix_path(name)) == NULL) {
		if (strcmp(name, "default") == 0) {
			theme_warn[0] = '\0';
			theme_reset();
			return (0);
		}
		xasprintf(cause, "no theme called \"%s\"", name);
		return (-1);
	}
	rv = theme_load_file(path, cause);
	free(path);
	return (rv);
}

/* Return the name of the theme in use (static storage). */
const char *
theme_name(void)
{
	if (!theme_ready)
		theme_init(0);
	return (theme_current);
}

/* Return the first warning of the last load, or "" (static storage). */
const char *
theme_warning(void)
{
	return (theme_warn);
}

static int
theme_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The names of the themes that can be found, sorted, without repeats,
 * "default" always among them. Returns a NULL-terminated array; free it
 * with theme_list_free().
 */
char **
theme_list(void)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, *dir;
	size_t		 n = 0, i, len, sl = strlen(THEME_SUFFIX);
	int		 k;

	v = xreallocarray(v, n + 2, sizeof *v);
	v[n++] = xstrdup("default");
	for (k = 0; k < THEME_DIRS; k++) {
		if ((dir = theme_dir(k)) == NULL)
			continue;
		if ((d = opendir(dir)) == NULL) {
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (len <= sl || de->d_name[0] == '.' ||
			    strcmp(de->d_name + len - sl, THEME_SUFFIX) != 0)
				continue;
			for (i = 0; i < n; i++) {
				if (strncmp(v[i], de->d_name, len - sl) == 0 &&
				    v[i][len - sl] == '\0')
					break;
			}
			if (i < n)
				continue;
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = xstrndup(de->d_name, len - sl);
		}
		closedir(d);
		free(dir);
	}
	qsort(v, n, sizeof *v, theme_cmp);
	v[n] = NULL;
	return (v);
}

/* Free what theme_list() returned. NULL is a no-op. */
void
theme_list_free(char **v)
{
	xfreev(v);
}

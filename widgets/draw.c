/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Drawing primitives: fitted text, bars, glyphs, ages, deadlines. */

#include "draw.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "fold.h"
#include "i18n.h"
#include "sanitize.h"
#include "workcal.h"

/*
 * Text reaches the terminal only through draw_fit(), which copies a
 * string into a caller's buffer one character at a time and measures it
 * as ncurses will draw it (draw_glyph()): controls (C0, DEL, C1) are
 * dropped, '\t' and '\n' become spaces, zero-width characters other than
 * combining marks are dropped (bidi controls and variation selectors
 * among them, should any get past the decoder's sanitiser), a combining
 * mark with no base is dropped, invalid UTF-8 becomes U+FFFD, and the
 * copy stops before the first character that would go past cols columns
 * or past the buffer. In ASCII mode the text is first transliterated
 * with fold_ascii_into() ("Hạ Long" gives "Ha Long", a wide character
 * "??"), and then it is plain ASCII.
 *
 * Widths are the C library's wcwidth() under the current locale, because
 * that is what ncursesw asks: its cursor advances by wcwidth() columns
 * for every printable character (tests/test-draw.c checks every code
 * point against an off-screen window). A character the C library cannot
 * print (wcwidth() -1: unassigned, a noncharacter, an emoji newer than
 * its tables) takes one column in ncurses, which draws a blank there;
 * we draw U+FFFD in that column, so the officer sees that something was
 * there and no terminal can draw it wider. The width tables in
 * core/sanitize.c are a locale-independent estimate and are not used
 * here.
 *
 * Panels draw their rows as lines (struct draw_line): draw_line_text()
 * and draw_line_bar() lay runs out with the same fitting as draw_text()
 * and draw_bar(), draw_line_key() says whether a line is the one drawn
 * before, and draw_line_put() puts it into a window in column order,
 * each run in one attribute and the blanks between runs in the style of
 * a run beside them where that looks the same, so that a terminal moves
 * along a row with few changes of attributes.
 *
 * The buffers live on the stack of the draw call; nothing is allocated.
 */

#define DRAW_BUF	2048

static int	draw_is_mark(uint32_t);
static void	draw_spaces(WINDOW *, int);
static size_t	draw_place(char *, size_t, const char *, int, int, int, int *,
		    int *);
static int	draw_bar_parts(int, long, long, int, char *, size_t, char *,
		    size_t);

/* Is cp a combining mark, which joins the character before it? */
static int
draw_is_mark(uint32_t cp)
{
	return ((cp >= 0x0300 && cp <= 0x036f) ||
	    (cp >= 0x1ab0 && cp <= 0x1aff) ||
	    (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xfe20 && cp <= 0xfe2f));
}

/*
 * How one code point (from utf8_decode(), or a wide character from the
 * C library) is drawn: returns the columns it takes and sets *cp to what
 * to draw (a space for '\t' and '\n', U+FFFD for UTF8_BAD and for what
 * wcwidth() says is not printable), or returns -1 when it is not drawn
 * at all (controls, zero-width characters other than combining marks,
 * and a mark when after_base is 0). A combining mark after a base
 * returns 0: ncurses adds it to the base's cell.
 */
int
draw_glyph(uint32_t *cp, int after_base)
{
	int	w;

	if (*cp == '\t' || *cp == '\n') {
		*cp = ' ';
		return (1);
	}
	if (*cp == UTF8_BAD || *cp > 0x10ffff) {
		*cp = 0xfffd;
		return (1);
	}
	if (*cp < 0x20 || (*cp >= 0x7f && *cp <= 0x9f))
		return (-1);
	if ((w = wcwidth((wchar_t)*cp)) < 0) {
		*cp = 0xfffd;
		return (1);
	}
	if (w == 0 && (!after_base || !draw_is_mark(*cp)))
		return (-1);
	return (w);
}

/*
 * Return the columns cp takes when draw_text() draws it after a base
 * character (0 when it is dropped or joins the base's cell); in ASCII
 * mode, the columns of its transliteration.
 */
int
draw_cpwidth(uint32_t cp, int ascii)
{
	char	enc[5], folded[8];
	int	w;

	if (ascii) {
		enc[utf8_encode(cp, enc)] = '\0';
		return ((int)fold_ascii_into(folded, sizeof folded, enc));
	}
	w = draw_glyph(&cp, 1);
	return (w < 0 ? 0 : w);
}

/*
 * Copy the safe, displayable part of s that fits in cols columns into dst
 * (dstsz bytes, NUL-terminated; dst may be NULL to only measure). Stores
 * the columns used in *width when width is not NULL. Returns the bytes
 * written, excluding the NUL; nothing is allocated.
 */
size_t
draw_fit(char *dst, size_t dstsz, const char *s, int cols, int ascii,
    int *width)
{
	size_t		 len, i = 0, o = 0, n;
	uint32_t	 cp;
	int		 w, used = 0, k;
	char		 enc[4], folded[DRAW_BUF];

	if (dst != NULL && dstsz > 0)
		dst[0] = '\0';
	if (width != NULL)
		*width = 0;
	if (s == NULL || cols <= 0 || (dst != NULL && dstsz < 2))
		return (0);
	if (ascii) {
		fold_ascii_into(folded, sizeof folded, s);
		s = folded;
	}
	len = strlen(s);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if ((w = draw_glyph(&cp, o > 0)) < 0)
			continue;
		if (used + w > cols)
			break;
		k = utf8_encode(cp, enc);
		if (dst != NULL) {
			if (o + k + 1 > dstsz)
				break;
			memcpy(dst + o, enc, k);
		}
		o += k;
		used += w;
	}
	if (dst != NULL)
		dst[o] = '\0';
	if (width != NULL)
		*width = used;
	return (o);
}

/* Return the columns s takes when drawn (all of it). */
int
draw_width(const char *s, int ascii)
{
	int	w;

	draw_fit(NULL, 0, s, 1 << 20, ascii, &w);
	return (w);
}

static void
draw_spaces(WINDOW *win, int n)
{
	while (n-- > 0)
		waddch(win, ' ');
}

/*
 * Fit s into cols columns as draw_text() does (the cut mark with
 * DRAW_ELLIPSIS) into buf (sz bytes, at least 8), and say where it goes:
 * *lead blank columns before it (DRAW_RIGHT, DRAW_CENTRE), *width
 * columns of text. Returns the bytes in buf.
 */
static size_t
draw_place(char *buf, size_t sz, const char *s, int cols, int flags,
    int ascii, int *lead, int *width)
{
	size_t	 n;
	int	 w;

	n = draw_fit(buf, sz, s, cols, ascii, &w);
	if ((flags & DRAW_ELLIPSIS) && cols > 1 && draw_width(s, ascii) > w) {
		n = draw_fit(buf, sz - 4, s, cols - 1, ascii, &w);
		if (ascii)
			buf[n++] = '~';
		else {
			memcpy(buf + n, "\xe2\x80\xa6", 3);	/* … */
			n += 3;
		}
		buf[n] = '\0';
		w++;
	}
	*lead = 0;
	if (flags & DRAW_RIGHT)
		*lead = cols - w;
	else if (flags & DRAW_CENTRE)
		*lead = (cols - w) / 2;
	*width = w;
	return (n);
}

/*
 * Draw s at (y, x) in at most cols columns with attributes attr (see the
 * DRAW_* flags for padding, alignment and the cut mark). Returns the
 * columns drawn, padding included.
 */
int
draw_text(WINDOW *win, int y, int x, int cols, const char *s, attr_t attr,
    int flags, int ascii)
{
	char	 buf[DRAW_BUF];
	size_t	 n;
	int	 w, lead, total;

	if (win == NULL || cols <= 0)
		return (0);
	n = draw_place(buf, sizeof buf, s, cols, flags, ascii, &lead, &w);
	wattrset(win, attr);
	if (wmove(win, y, x) == ERR) {
		wattrset(win, A_NORMAL);
		return (0);
	}
	draw_spaces(win, lead);
	waddnstr(win, buf, (int)n);
	total = lead + w;
	if (flags & DRAW_PAD) {
		draw_spaces(win, cols - total);
		total = cols;
	}
	wattrset(win, A_NORMAL);
	return (total);
}

/*
 * The two parts of a bar of cells columns showing num/den (clamped to
 * 0..1), in quarter cells: the filled part (full cells and one partial
 * cell) into fill, the empty cells into empty (each sz bytes). A
 * non-zero fraction always shows at least a quarter. Returns the columns
 * of the filled part.
 */
static int
draw_bar_parts(int cells, long num, long den, int ascii, char *fill,
    size_t fsz, char *empty, size_t esz)
{
	static const char *const part_utf8[] = { "", "░", "▒", "▓" };
	static const char *const part_ascii[] = { "", "-", "=", "=" };
	const char	*g;
	long		 quarters;
	size_t		 o = 0, e = 0, len;
	int		 i, full, rem, filled;

	if (den <= 0 || num <= 0)
		quarters = 0;
	else if (num >= den)
		quarters = (long)cells * 4;
	else {
		quarters = (num * cells * 4 + den / 2) / den;
		if (quarters == 0)
			quarters = 1;
	}
	full = quarters / 4;
	rem = quarters % 4;
	filled = full + (rem != 0);
	for (i = 0; i < filled; i++) {
		g = i < full ? (ascii ? "#" : "█") :
		    (ascii ? part_ascii[rem] : part_utf8[rem]);
		len = strlen(g);
		if (o + len + 1 > fsz)
			break;
		memcpy(fill + o, g, len);
		o += len;
	}
	fill[o] = '\0';
	g = ascii ? "." : "·";
	len = strlen(g);
	for (; i < cells && e + len + 1 <= esz; i++) {
		memcpy(empty + e, g, len);
		e += len;
	}
	empty[e] = '\0';
	return (filled);
}

/*
 * Draw a bar of cells columns showing num/den (clamped to 0..1), in
 * quarter cells: full cells, one partial cell, then empty ones. A
 * non-zero fraction always shows at least a quarter.
 */
void
draw_bar(WINDOW *win, int y, int x, int cells, long num, long den,
    attr_t attr, int ascii)
{
	char	 fill[DRAW_BUF / 2], empty[DRAW_BUF / 2];

	if (win == NULL || cells <= 0)
		return;
	draw_bar_parts(cells, num, den, ascii, fill, sizeof fill, empty,
	    sizeof empty);
	if (wmove(win, y, x) == ERR)
		return;
	wattrset(win, attr);
	waddstr(win, fill);
	wattrset(win, theme_attr(THEME_MUTED));
	waddstr(win, empty);
	wattrset(win, A_NORMAL);
}

/* Draw the window's border with attributes attr: box drawing or +-|. */
void
draw_box(WINDOW *win, attr_t attr, int ascii)
{
	cchar_t	 v, h, tl, tr, bl, br;
	attr_t	 a = attr & ~A_COLOR;
	short	 pair = PAIR_NUMBER(attr);

	if (win == NULL)
		return;
	if (ascii) {
		wborder(win, '|' | attr, '|' | attr, '-' | attr, '-' | attr,
		    '+' | attr, '+' | attr, '+' | attr, '+' | attr);
		return;
	}
	setcchar(&v, L"\u2502", a, pair, NULL);
	setcchar(&h, L"\u2500", a, pair, NULL);
	setcchar(&tl, L"\u250c", a, pair, NULL);
	setcchar(&tr, L"\u2510", a, pair, NULL);
	setcchar(&bl, L"\u2514", a, pair, NULL);
	setcchar(&br, L"\u2518", a, pair, NULL);
	wborder_set(win, &v, &v, &h, &h, &tl, &tr, &bl, &br);
}

/* ==== Lines laid out as runs ==== */

/* Start an empty line of cols columns. */
void
draw_line_init(struct draw_line *l, int cols, int ascii)
{
	l->cols = cols > 0 ? cols : 0;
	l->ascii = ascii;
	l->nruns = 0;
	l->used = 0;
}

/*
 * Lay s out at column x of the line in at most cols columns with
 * attributes attr, as draw_text() would draw it (the same flags): one
 * run, its blanks (alignment, DRAW_PAD) in attr too. Returns the columns
 * it covers; 0 when it falls outside the line or the line is full.
 */
int
draw_line_text(struct draw_line *l, int x, int cols, const char *s,
    attr_t attr, int flags)
{
	struct draw_run	*r;
	size_t		 room, n;
	int		 w, lead;

	if (cols <= 0 || x < 0 || x >= l->cols || l->nruns == DRAW_LINE_RUNS)
		return (0);
	if (cols > l->cols - x)
		cols = l->cols - x;
	room = sizeof l->text - l->used;
	if (room < 8)
		return (0);
	n = draw_place(l->text + l->used, room, s, cols, flags, l->ascii,
	    &lead, &w);
	r = &l->runs[l->nruns++];
	r->x = x;
	r->lead = lead;
	r->tw = w;
	r->w = (flags & DRAW_PAD) ? cols : lead + w;
	r->attr = attr;
	r->off = (unsigned short)l->used;
	r->len = (unsigned short)n;
	l->used += n;
	return (r->w);
}

/*
 * Lay a bar out at column x of the line, as draw_bar() draws it: the
 * filled part in attr, the empty part muted.
 */
void
draw_line_bar(struct draw_line *l, int x, int cells, long num, long den,
    attr_t attr)
{
	char	 fill[DRAW_BUF / 4], empty[DRAW_BUF / 4];
	int	 filled;

	if (cells <= 0)
		return;
	filled = draw_bar_parts(cells, num, den, l->ascii, fill, sizeof fill,
	    empty, sizeof empty);
	if (filled > 0)
		draw_line_text(l, x, filled, fill, attr, 0);
	if (filled < cells)
		draw_line_text(l, x + filled, cells - filled, empty,
		    theme_attr(THEME_MUTED), 0);
}

/*
 * Hash len bytes of p into h (64-bit FNV-1a; start from DRAW_HASH_INIT).
 * Returns the new hash.
 */
uint64_t
draw_hash(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*c = p;

	while (len-- > 0) {
		h ^= *c++;
		h *= UINT64_C(0x100000001b3);
	}
	return (h);
}

/*
 * A key of what the line shows: lines with equal keys draw the same
 * cells. Never 0, which callers may keep for "not drawn".
 */
uint64_t
draw_line_key(const struct draw_line *l)
{
	const struct draw_run	*r;
	uint64_t		 h = DRAW_HASH_INIT, a;
	int			 i, v[5];

	h = draw_hash(h, &l->cols, sizeof l->cols);
	for (i = 0; i < l->nruns; i++) {
		r = &l->runs[i];
		v[0] = r->x;
		v[1] = r->w;
		v[2] = r->lead;
		v[3] = r->tw;
		v[4] = r->len;
		a = r->attr;
		h = draw_hash(h, v, sizeof v);
		h = draw_hash(h, &a, sizeof a);
		h = draw_hash(h, l->text + r->off, r->len);
	}
	return (h != 0 ? h : 1);
}

/*
 * Whether a blank looks the same in attributes a as in b: the same
 * reverse, standout, underline and blink, and the same colour where the
 * blank shows one (the background, or the foreground when reversed).
 */
int
draw_blank_same(attr_t a, attr_t b)
{
	const attr_t	 seen = A_REVERSE | A_STANDOUT | A_UNDERLINE |
			     A_BLINK;
	short		 fa, ba, fb, bb;

	if ((a & seen) != (b & seen))
		return (0);
	if (PAIR_NUMBER(a) == PAIR_NUMBER(b))
		return (1);
	if (pair_content((short)PAIR_NUMBER(a), &fa, &ba) == ERR ||
	    pair_content((short)PAIR_NUMBER(b), &fb, &bb) == ERR)
		return (0);
	if (a & (A_REVERSE | A_STANDOUT))
		return (fa == fb);
	return (ba == bb);
}

/*
 * Put the line into win at (y, x), all of its columns: blanks in base
 * where no run is, each run in its attributes. A blank between two runs
 * takes the style of a run beside it when it looks the same so (the left
 * one first), so that a terminal goes from one run to the next with one
 * change of attributes or none, never a reset and back. Runs that
 * overlap one before them are left out.
 */
void
draw_line_put(WINDOW *win, int y, int x, const struct draw_line *l,
    attr_t base)
{
	const struct draw_run	*order[DRAW_LINE_RUNS], *r, *prev = NULL;
	attr_t			 gap;
	int			 n = 0, i, j, col = 0;

	if (win == NULL || l->cols <= 0 || wmove(win, y, x) == ERR)
		return;
	for (i = 0; i < l->nruns; i++) {
		r = &l->runs[i];
		if (r->w <= 0)
			continue;
		for (j = n; j > 0 && order[j - 1]->x > r->x; j--)
			order[j] = order[j - 1];
		order[j] = r;
		n++;
	}
	for (i = 0; i < n; i++) {
		r = order[i];
		if (r->x < col)
			continue;
		gap = base;
		if (prev != NULL && prev->attr == r->attr)
			gap = r->attr;
		else if (prev != NULL && draw_blank_same(prev->attr, base))
			gap = prev->attr;
		else if (prev != NULL && draw_blank_same(r->attr, base))
			gap = r->attr;
		wattrset(win, gap);
		draw_spaces(win, r->x - col);
		wattrset(win, r->attr);
		draw_spaces(win, r->lead);
		waddnstr(win, l->text + r->off, (int)r->len);
		draw_spaces(win, r->w - r->lead - r->tw);
		col = r->x + r->w;
		prev = r;
	}
	wattrset(win, base);
	draw_spaces(win, l->cols - col);
	wattrset(win, A_NORMAL);
}

/*
 * Lay n columns out in width columns with gap spaces between them. While
 * they do not fit, the next step is taken, in order of priority (the
 * highest first; the rightmost on a tie): a column with a narrower form
 * switches to it at its altprio (at its prio when altprio is 0, before
 * it would be hidden), and a column is hidden at its prio (never at 0).
 * The fill column then takes what is left, so its want is the room it is
 * guaranteed before anything else shows. Results go into each column's
 * x, w and narrow.
 */
void
draw_cols_fit(struct draw_col *c, int n, int width, int gap)
{
	int	 i, total, shown, best, bestp, p, fill = -1, x;

	for (i = 0; i < n; i++) {
		c[i].w = c[i].want;
		c[i].narrow = 0;
		if (c[i].fill && fill == -1)
			fill = i;
	}
	for (;;) {
		total = shown = 0;
		for (i = 0; i < n; i++) {
			if (c[i].w > 0) {
				total += c[i].w;
				shown++;
			}
		}
		if (shown > 1)
			total += gap * (shown - 1);
		if (total <= width)
			break;
		best = -1;
		bestp = 0;
		for (i = 0; i < n; i++) {
			if (c[i].w <= 0)
				continue;
			if (!c[i].narrow && c[i].alt > 0 && c[i].alt < c[i].w)
				p = c[i].altprio > 0 ? c[i].altprio :
				    c[i].prio;
			else if (c[i].prio > 0)
				p = c[i].prio;
			else
				continue;
			if (best == -1 || p >= bestp) {
				best = i;
				bestp = p;
			}
		}
		if (best == -1)
			break;
		if (!c[best].narrow && c[best].alt > 0 &&
		    c[best].alt < c[best].w) {
			c[best].w = c[best].alt;
			c[best].narrow = 1;
		} else
			c[best].w = 0;
	}
	if (fill != -1 && c[fill].w > 0) {
		c[fill].w += width - total;
		if (c[fill].w < 1)
			c[fill].w = 1;
	}
	x = 0;
	for (i = 0; i < n; i++) {
		c[i].x = x;
		if (c[i].w == 0)
			continue;
		if (x + c[i].w > width)
			c[i].w = width > x ? width - x : 0;
		x += c[i].w + gap;
	}
}

/* The severities' names, 1 (low) to 4 (critical); translate them. */
const char *const draw_sev_names[5] = {
	"", N_("low"), N_("medium"), N_("high"), N_("critical")
};

/* Return the glyph of a severity (1 low .. 4 critical); static string. */
const char *
draw_sev_glyph(int severity, int ascii)
{
	static const char *const utf8[] = { "?", "·", "○", "▲", "◆" };
	static const char *const asc[] = { "?", ".", "o", "^", "*" };

	if (severity < 1 || severity > 4)
		severity = 0;
	return (ascii ? asc[severity] : utf8[severity]);
}

/* Return the theme slot of a severity. */
enum theme_slot
draw_sev_slot(int severity)
{
	switch (severity) {
	case 1:
		return (THEME_SEV1);
	case 2:
		return (THEME_SEV2);
	case 3:
		return (THEME_SEV3);
	case 4:
		return (THEME_SEV4);
	}
	return (THEME_NORMAL);
}

/*
 * Format a duration in ms as "45s", "12m", "3h" or "2d" (negative counts
 * as 0) into buf. Returns the length (as snprintf).
 */
size_t
draw_age(int64_t ms, char *buf, size_t sz)
{
	long long	 s;
	int		 n;

	s = ms > 0 ? ms / 1000 : 0;
	if (s < 60)
		n = snprintf(buf, sz, "%llds", s);
	else if (s < 3600)
		n = snprintf(buf, sz, "%lldm", s / 60);
	else if (s < 86400)
		n = snprintf(buf, sz, "%lldh", s / 3600);
	else
		n = snprintf(buf, sz, "%lldd", s / 86400);
	return (n < 0 ? 0 : (size_t)n);
}

/*
 * Format the time left until deadline as draw_age() does ("12m"), or the
 * time past it with a minus ("-3m"); nothing for no deadline (0). Returns
 * the length.
 */
size_t
draw_left(int64_t now, int64_t deadline, char *buf, size_t sz)
{
	size_t	n;

	if (sz == 0)
		return (0);
	buf[0] = '\0';
	if (deadline == 0)
		return (0);
	if (now > deadline) {
		if (sz < 2)
			return (0);
		buf[0] = '-';
		n = draw_age(now - deadline, buf + 1, sz - 1);
		return (n + 1);
	}
	return (draw_age(deadline - now, buf, sz));
}

/*
 * Format num/den as a percentage with one decimal ("95.0%", or "95,0%"
 * with comma), or "-" when den is not positive. Returns the length.
 */
size_t
draw_permille(long num, long den, int comma, char *buf, size_t sz)
{
	long	pm;
	int	n;

	if (den <= 0)
		n = snprintf(buf, sz, "-");
	else {
		pm = num * 1000 / den;
		n = snprintf(buf, sz, "%ld%s%ld%%", pm / 10, comma ? "," : ".",
		    pm % 10);
	}
	return (n < 0 ? 0 : (size_t)n);
}

/* The days of the week, Sunday first, for a deadline's date. */
static const char *const draw_weekdays[7] = {
	NC_("weekday", "Sunday"), NC_("weekday", "Monday"),
	NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
	NC_("weekday", "Thursday"), NC_("weekday", "Friday"),
	NC_("weekday", "Saturday")
};

/*
 * Format an instant as the province's local "14:00 Friday 04/12" (the
 * weekday translated) into buf. Returns the length (as snprintf).
 */
size_t
draw_date(int64_t t, int utc_offset_min, char *buf, size_t sz)
{
	struct tm	tm;
	time_t		secs;
	int		n;

	secs = (time_t)(t / 1000 + (int64_t)utc_offset_min * 60);
	if (gmtime_r(&secs, &tm) == NULL)
		tm = (struct tm){ .tm_mday = 1 };
	n = snprintf(buf, sz, "%02d:%02d %s %02d/%02d", tm.tm_hour, tm.tm_min,
	    C_("weekday", draw_weekdays[tm.tm_wday % 7]), tm.tm_mday,
	    tm.tm_mon + 1);
	return (n < 0 ? 0 : (size_t)n);
}

/*
 * The working time left until deadline by the calendar wc (office hours,
 * week-ends, holidays: core/workcal.c), into buf: "45m", "9h" (working
 * hours, up to 99), else "15d" (days of 8 working hours). Past the
 * deadline, or without a calendar, as draw_left() on the clock. Returns
 * the working ms left (0 when past or without a calendar).
 */
int64_t
draw_work_left(const struct workcal *wc, int64_t now, int64_t deadline,
    char *buf, size_t sz)
{
	int64_t	w;

	if (wc == NULL || deadline == 0 || deadline <= now) {
		draw_left(now, deadline, buf, sz);
		return (0);
	}
	w = workcal_between(wc, now, deadline);
	if (w < 3600000)
		snprintf(buf, sz, "%lldm", (long long)(w / 60000));
	else if (w < 100 * 3600000LL)
		snprintf(buf, sz, "%lldh", (long long)(w / 3600000));
	else
		snprintf(buf, sz, "%lldd", (long long)(w / (8 * 3600000LL)));
	return (w);
}

/* Return the state of a deadline (0 = none) at now. */
enum draw_deadline
draw_deadline(int64_t now, int64_t deadline)
{
	if (deadline == 0)
		return (DRAW_DL_NONE);
	if (now >= deadline)
		return (DRAW_DL_OVERDUE);
	if (deadline - now <= DRAW_NEAR_MS)
		return (DRAW_DL_NEAR);
	return (DRAW_DL_OK);
}

/*
 * Return the deadline state of an alert: that of the stage clock running
 * (alert_clock: to acknowledge, to dispatch, to be on scene), so an alert
 * acknowledged in time is not overdue for its first response; none once a
 * unit is on scene or it is resolved or closed.
 */
enum draw_deadline
draw_alert_deadline(const struct alert *a, int64_t now)
{
	int64_t	due;

	if (alert_clock(a, &due) == ALERT_CLOCK_NONE)
		return (DRAW_DL_NONE);
	return (draw_deadline(now, due));
}

/*
 * Return the glyph of an alert's stage clock: the glyph of the state it
 * waits for (✓ to acknowledge, → to dispatch, ⌂ to be on scene, as the
 * Alerts panel draws those states; A, D, S in ASCII), "" for none.
 */
const char *
draw_clock_glyph(enum alert_clock c, int ascii)
{
	static const char *const glyphs[ALERT_CLOCK_COUNT] = {
		"", "✓", "→", "⌂"
	};
	static const char *const ascii_glyphs[ALERT_CLOCK_COUNT] = {
		"", "A", "D", "S"
	};

	if ((unsigned)c >= ALERT_CLOCK_COUNT)
		return ("");
	return (ascii ? ascii_glyphs[c] : glyphs[c]);
}

/*
 * Return the deadline state of a feedback case: its deadline counts while
 * it is open (feedback_is_open: not answered, closed or returned).
 */
enum draw_deadline
draw_feedback_deadline(const struct feedback *f, int64_t now)
{
	if (!feedback_is_open(f))
		return (DRAW_DL_NONE);
	return (draw_deadline(now, f->deadline));
}

/*
 * Return the glyph for a deadline state: "" (none or fine), "!" (near),
 * "!!" (past). Plain ASCII in both modes: U+203C is drawn two columns
 * wide by terminals that use its emoji form, which would break columns.
 */
const char *
draw_deadline_glyph(enum draw_deadline dl)
{
	switch (dl) {
	case DRAW_DL_NEAR:
		return ("!");
	case DRAW_DL_OVERDUE:
		return ("!!");
	default:
		return ("");
	}
}

/* Return the theme slot for a deadline state. */
enum theme_slot
draw_deadline_slot(enum draw_deadline dl)
{
	switch (dl) {
	case DRAW_DL_NEAR:
		return (THEME_WARN);
	case DRAW_DL_OVERDUE:
		return (THEME_OVERDUE);
	default:
		return (THEME_NORMAL);
	}
}

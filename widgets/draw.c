/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Drawing primitives: fitted text, bars, glyphs, ages, deadlines. */

#include "draw.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "fold.h"
#include "sanitize.h"

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
 * The buffers live on the stack of the draw call; nothing is allocated.
 */

#define DRAW_BUF	2048

static int	draw_is_mark(uint32_t);
static void	draw_spaces(WINDOW *, int);

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
	int	 w, lead = 0, total;

	if (win == NULL || cols <= 0)
		return (0);
	n = draw_fit(buf, sizeof buf, s, cols, ascii, &w);
	if ((flags & DRAW_ELLIPSIS) && cols > 1 && draw_width(s, ascii) > w) {
		n = draw_fit(buf, sizeof buf - 4, s, cols - 1, ascii, &w);
		if (ascii)
			buf[n++] = '~';
		else {
			memcpy(buf + n, "\xe2\x80\xa6", 3);	/* … */
			n += 3;
		}
		buf[n] = '\0';
		w++;
	}
	if (flags & DRAW_RIGHT)
		lead = cols - w;
	else if (flags & DRAW_CENTRE)
		lead = (cols - w) / 2;
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
 * Draw a bar of cells columns showing num/den (clamped to 0..1), in
 * quarter cells: full cells, one partial cell, then empty ones. A
 * non-zero fraction always shows at least a quarter.
 */
void
draw_bar(WINDOW *win, int y, int x, int cells, long num, long den,
    attr_t attr, int ascii)
{
	static const char *const part_utf8[] = { "", "░", "▒", "▓" };
	static const char *const part_ascii[] = { "", "-", "=", "=" };
	long	 quarters;
	int	 i, full, rem;

	if (win == NULL || cells <= 0)
		return;
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
	if (wmove(win, y, x) == ERR)
		return;
	wattrset(win, attr);
	for (i = 0; i < full; i++)
		waddstr(win, ascii ? "#" : "█");
	if (rem != 0) {
		waddstr(win, ascii ? part_ascii[rem] : part_utf8[rem]);
		i++;
	}
	wattrset(win, theme_attr(THEME_MUTED));
	for (; i < cells; i++)
		waddstr(win, ascii ? "." : "·");
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
 * Return the deadline state of an alert: its deadline counts while it is
 * open (alert_is_open: not resolved or closed).
 */
enum draw_deadline
draw_alert_deadline(const struct alert *a, int64_t now)
{
	if (!alert_is_open(a))
		return (DRAW_DL_NONE);
	return (draw_deadline(now, a->deadline));
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

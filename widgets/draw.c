/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Drawing primitives: fitted text, bars, glyphs, ages, deadlines. */

#include "draw.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"

/*
 * Text reaches the terminal only through draw_fit(), which copies a
 * string into a caller's buffer one character at a time: controls (C0,
 * DEL, C1) are dropped, '\t' and '\n' become spaces, zero-width
 * characters other than combining marks are dropped (bidi controls among
 * them, should any get past the decoder's sanitiser), a combining mark
 * with no base is dropped, invalid UTF-8 becomes U+FFFD, and the copy
 * stops before the first character that would go past cols columns or
 * past the buffer. In ASCII mode every character becomes its ASCII form
 * with as many columns as it had ("Hạ Long" gives "Ha Long", a wide
 * character "??"), so widths come out the same either way.
 *
 * The buffers live on the stack of the draw call; nothing is allocated.
 */

#define DRAW_BUF	2048

static int	draw_is_mark(uint32_t);
static char	draw_ascii_cp(uint32_t);
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
 * ASCII form of one character for terminals without UTF-8: Vietnamese
 * and Latin-1 letters lose their marks, common punctuation gets its
 * ASCII look-alike. Returns 0 when there is none.
 *
 * This covers Vietnamese and Latin-1 only. core/fold.c has the full
 * Latin table, but fold_ascii() allocates and draw must not; once fold.h
 * offers a form that writes into a caller's buffer, this should go.
 */
static char
draw_ascii_cp(uint32_t cp)
{
	static const char latin1[] =
	    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"	/* U+00C0 */
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";	/* U+00E0 */
	static const struct {
		uint32_t	first, last;
		char		upper;
	} viet[] = {
		{ 0x1ea0, 0x1eb7, 'A' }, { 0x1eb8, 0x1ec7, 'E' },
		{ 0x1ec8, 0x1ecb, 'I' }, { 0x1ecc, 0x1ee3, 'O' },
		{ 0x1ee4, 0x1ef1, 'U' }, { 0x1ef2, 0x1ef9, 'Y' }
	};
	size_t	i;

	if (cp < 0x80)
		return ((char)cp);
	if (cp >= 0xc0 && cp <= 0xff)
		return (latin1[cp - 0xc0]);
	switch (cp) {
	case 0x00a0:
		return (' ');
	case 0x00b7:
	case 0x2026:
		return ('.');
	case 0x0102:
		return ('A');
	case 0x0103:
		return ('a');
	case 0x0110:
		return ('D');
	case 0x0111:
		return ('d');
	case 0x0128:
	case 0x0168:
		return (cp == 0x0128 ? 'I' : 'U');
	case 0x0129:
	case 0x0169:
		return (cp == 0x0129 ? 'i' : 'u');
	case 0x01a0:
		return ('O');
	case 0x01a1:
		return ('o');
	case 0x01af:
		return ('U');
	case 0x01b0:
		return ('u');
	case 0x2018:
	case 0x2019:
		return ('\'');
	case 0x201c:
	case 0x201d:
		return ('"');
	case 0x2022:
		return ('*');
	}
	if (cp >= 0x2010 && cp <= 0x2015)
		return ('-');
	for (i = 0; i < sizeof viet / sizeof viet[0]; i++) {
		if (cp >= viet[i].first && cp <= viet[i].last) {
			/* Upper case at even code points in this block. */
			return (cp % 2 == 0 ? viet[i].upper :
			    viet[i].upper - 'A' + 'a');
		}
	}
	return (0);
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
	char		 c, enc[4];

	if (dst != NULL && dstsz > 0)
		dst[0] = '\0';
	if (width != NULL)
		*width = 0;
	if (s == NULL || cols <= 0 || (dst != NULL && dstsz < 2))
		return (0);
	len = strlen(s);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		if (cp == UTF8_BAD)
			cp = 0xfffd;
		w = utf8_cpwidth(cp);
		if (w == 0) {
			/* Only combining marks, and only after a base. */
			if (!draw_is_mark(cp) || o == 0 || ascii)
				continue;
			if (dst != NULL) {
				k = utf8_encode(cp, enc);
				if (o + k + 1 > dstsz)
					break;
				memcpy(dst + o, enc, k);
				o += k;
			} else
				o += utf8_encode(cp, enc);
			continue;
		}
		if (used + w > cols)
			break;
		if (ascii) {
			if ((c = draw_ascii_cp(cp)) == 0 || w != 1)
				c = '?';
			if (dst != NULL && o + w + 1 > dstsz)
				break;
			for (k = 0; k < w; k++) {
				if (dst != NULL)
					dst[o] = c;
				o++;
			}
		} else {
			k = utf8_encode(cp, enc);
			if (dst != NULL) {
				if (o + k + 1 > dstsz)
					break;
				memcpy(dst + o, enc, k);
			}
			o += k;
		}
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
 * Lay n columns out in width columns with gap spaces between them:
 * columns are hidden from the highest prio down (the rightmost first on
 * a tie) until the rest fit, then the fill column takes what is left.
 * Results go into each column's x and w.
 */
void
draw_cols_fit(struct draw_col *c, int n, int width, int gap)
{
	int	 i, total, shown, worst, fill = -1, x;

	for (i = 0; i < n; i++) {
		c[i].w = c[i].want;
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
		worst = -1;
		for (i = 0; i < n; i++) {
			if (c[i].w > 0 && c[i].prio > 0 &&
			    (worst == -1 || c[i].prio >= c[worst].prio))
				worst = i;
		}
		if (worst == -1)
			break;
		c[worst].w = 0;
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

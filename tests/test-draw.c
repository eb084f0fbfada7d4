/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for widgets/draw.c's widths: every width the console computes is
 * compared with the cursor advance ncursesw really makes in an off-screen
 * window, in C.UTF-8 as the console runs (main.c calls setlocale).
 */

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "draw.h"
#include "sanitize.h"
#include "workcal.h"
#include "xmalloc.h"
#include "lib/test-term.h"

#define COLS_W	40

static struct test_term	 term;
static WINDOW		*win;

static int
setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return (-1);
	if (test_term_open(&term, 6, COLS_W) != 0)
		return (-1);
	if ((win = newwin(3, COLS_W, 0, 0)) == NULL)
		return (-1);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	delwin(win);
	test_term_close(&term);
	return (0);
}

/*
 * The columns ncurses' cursor moves when it adds cp (as a wide character,
 * not through our code) after a base character at column 0.
 */
static int
nc_advance(uint32_t cp)
{
	wchar_t	ws[2];

	ws[0] = (wchar_t)cp;
	ws[1] = L'\0';
	werase(win);
	mvwaddch(win, 0, 0, 'x');
	waddnwstr(win, ws, 1);
	return (getcurx(win) - 1);
}

/* The columns ncurses' cursor moves when draw_text() draws s at 0. */
static int
draw_advance(const char *s, int ascii)
{
	werase(win);
	draw_text(win, 0, 0, COLS_W - 2, s, A_NORMAL, 0, ascii);
	return (getcurx(win));
}

/* "x" + cp + "y" as UTF-8 into buf (at least 7 bytes). */
static const char *
between(uint32_t cp, char *buf)
{
	size_t	n;

	buf[0] = 'x';
	n = 1 + utf8_encode(cp, buf + 1);
	buf[n++] = 'y';
	buf[n] = '\0';
	return (buf);
}

/* The code point in the cell at (0, x) of win, its base only. */
static uint32_t
cell(int x)
{
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 attrs;
	short		 pair;

	memset(wc, 0, sizeof wc);
	if (mvwin_wch(win, 0, x, &cc) == ERR ||
	    getcchar(&cc, wc, &attrs, &pair, NULL) == ERR)
		return (UTF8_BAD);
	return ((uint32_t)wc[0]);
}

/*
 * Test functions:
 *   draw_cpwidth, draw_width, draw_text (named code points: the emoji
 *   the old table got wrong, 〿 and 🌡 the other way round, CJK, Hangul,
 *   combining marks, variation selectors, joiners, bidi controls, and
 *   code points the C library cannot print)
 */
static void
test_draw_width_named(void **state)
{
	static const struct {
		uint32_t	 cp;
		int		 width;
	} named[] = {
		{ 0x231a, 2 },		/* ⌚ watch */
		{ 0x26a1, 2 },		/* ⚡ high voltage */
		{ 0x2705, 2 },		/* ✅ check mark button */
		{ 0x274c, 2 },		/* ❌ cross mark */
		{ 0x2b50, 2 },		/* ⭐ star */
		{ 0x1f004, 2 },		/* 🀄 mahjong red dragon */
		{ 0x303f, 1 },		/* 〿 half fill space: narrow */
		{ 0x1f321, 1 },		/* 🌡 thermometer: text style */
		{ 0x1f600, 2 },		/* 😀 */
		{ 0x1f30a, 2 },		/* 🌊 */
		{ 0x2764, 1 },		/* ❤ text style; with VS16 terminals differ */
		{ 0x4e2d, 2 },		/* 中 */
		{ 0x3042, 2 },		/* あ */
		{ 0xac00, 2 },		/* 가 */
		{ 0xff21, 2 },		/* Ａ fullwidth */
		{ 0xff61, 1 },		/* ｡ halfwidth */
		{ 0x20000, 2 },		/* CJK extension B */
		{ 0x1ea1, 1 },		/* ạ */
		{ 0x0111, 1 },		/* đ */
		{ 0x0301, 0 },		/* Combining acute: joins the base. */
		{ 0x0323, 0 },		/* Combining dot below. */
		{ 0x1dc0, 0 },
		{ 0x20d0, 0 },
		{ 0xfe0f, 0 },		/* VS16: not drawn. */
		{ 0xfe0e, 0 },		/* VS15: not drawn. */
		{ 0xe0100, 0 },		/* VS17: not drawn. */
		{ 0x200d, 0 },		/* ZWJ: not drawn. */
		{ 0x200b, 0 },		/* ZWSP: not drawn. */
		{ 0x202e, 0 },		/* RLO: not drawn. */
		{ 0x2066, 0 },		/* LRI: not drawn. */
		{ 0xfffd, 1 },
		{ 0x0378, 1 },		/* Unassigned: U+FFFD. */
		{ 0x1fae8, 1 },		/* Newer than glibc 2.36: U+FFFD. */
		{ 0xfffe, 1 },		/* Noncharacter: U+FFFD. */
		{ 0xe000, 1 },		/* Private use. */
	};
	char	buf[8];
	size_t	i;
	int	w;

	(void)state;
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		w = draw_cpwidth(named[i].cp, 0);
		if (w != named[i].width || nc_advance(named[i].cp) != w)
			fail_msg("U+%04X: ours %d, ncurses %d, want %d",
			    (unsigned)named[i].cp, w,
			    nc_advance(named[i].cp), named[i].width);
		between(named[i].cp, buf);
		assert_int_equal(draw_width(buf, 0), 2 + w);
		assert_int_equal(draw_advance(buf, 0), 2 + w);
	}
}

/*
 * Test functions:
 *   draw_cpwidth, draw_width, draw_text (every code point but the
 *   controls and surrogates: our width is the cursor advance ncurses
 *   makes for the character itself, and draw_text() moves the cursor by
 *   draw_width() columns)
 */
static void
test_draw_width_every_code_point(void **state)
{
	char		buf[8];
	uint32_t	cp;
	int		w, adv, bad = 0, unprintable = 0;

	(void)state;
	for (cp = 0x20; cp <= 0x10ffff; cp++) {
		if (cp == 0x7f)
			cp = 0xa0;		/* DEL and C1. */
		if (cp == 0xd800)
			cp = 0xe000;		/* Surrogates. */
		w = draw_cpwidth(cp, 0);
		adv = nc_advance(cp);
		if (w != adv && bad++ < 10)
			print_error("U+%04X: ours %d, ncurses %d\n",
			    (unsigned)cp, w, adv);
		if (wcwidth((wchar_t)cp) < 0)
			unprintable++;
		/* Drawing is slower: every 7th code point, and the wide. */
		if (cp % 7 == 0 || w == 2) {
			between(cp, buf);
			adv = draw_advance(buf, 0);
			if (adv != draw_width(buf, 0) && bad++ < 10)
				print_error("x U+%04X y: drawn %d, measured "
				    "%d\n", (unsigned)cp, adv,
				    draw_width(buf, 0));
		}
	}
	assert_int_equal(bad, 0);
	/* The sweep did meet what the C library cannot print. */
	assert_true(unprintable > 0);
}

/*
 * Test functions:
 *   draw_fit, draw_text (what is drawn for what the C library cannot
 *   print, for marks with and without a base, for selectors and joiners)
 */
static void
test_draw_fit_glyphs(void **state)
{
	char	buf[64];
	int	w;

	(void)state;
	/* Unassigned: one column, U+FFFD in the cell (ncurses: a blank). */
	draw_fit(buf, sizeof buf, "x\xcd\xb8y", 10, 0, &w);
	assert_string_equal(buf, "x\xef\xbf\xbdy");
	assert_int_equal(w, 3);
	draw_text(win, 0, 0, 10, "x\xcd\xb8y", A_NORMAL, 0, 0);
	assert_int_equal(cell(1), 0xfffd);
	assert_int_equal(cell(2), 'y');

	/* A mark joins its base; without one it is dropped. */
	draw_fit(buf, sizeof buf, "\xcc\x81" "a\xcc\x81", 10, 0, &w);
	assert_string_equal(buf, "a\xcc\x81");
	assert_int_equal(w, 1);

	/* Selectors and joiners are not drawn: ⌚ alone, two columns. */
	draw_fit(buf, sizeof buf, "\xe2\x8c\x9a\xef\xb8\x8f|", 10, 0, &w);
	assert_string_equal(buf, "\xe2\x8c\x9a|");
	assert_int_equal(w, 3);
	draw_fit(buf, sizeof buf, "\xf0\x9f\x91\xa8\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa9", 10, 0, &w);
	assert_string_equal(buf, "\xf0\x9f\x91\xa8\xf0\x9f\x91\xa9");
	assert_int_equal(w, 4);

	/* A wide character that does not fit is left out whole. */
	draw_fit(buf, sizeof buf, "ab\xe2\x9c\x85", 3, 0, &w);
	assert_string_equal(buf, "ab");
	assert_int_equal(w, 2);
	assert_int_equal(draw_text(win, 0, 0, 3, "ab\xe2\x9c\x85",
	    A_NORMAL, DRAW_PAD, 0), 3);
	assert_int_equal(getcurx(win), 3);

	/* Six emoji in twelve columns, with the cut mark in eleven. */
	draw_fit(buf, sizeof buf, "\xe2\x8c\x9a\xe2\x9a\xa1\xe2\x9c\x85"
	    "\xe2\x9d\x8c\xe2\xad\x90\xf0\x9f\x80\x84", 12, 0, &w);
	assert_int_equal(w, 12);
	assert_int_equal(draw_text(win, 0, 0, 11, "\xe2\x8c\x9a\xe2\x9a\xa1"
	    "\xe2\x9c\x85\xe2\x9d\x8c\xe2\xad\x90\xf0\x9f\x80\x84", A_NORMAL,
	    DRAW_ELLIPSIS, 0), 11);
	assert_int_equal(getcurx(win), 11);
}

/*
 * Test functions:
 *   draw_cpwidth (ASCII mode: the columns of the transliteration, so a
 *   caller summing them gets draw_width())
 */
static void
test_draw_cpwidth_ascii(void **state)
{
	static const char *const	 texts[] = {
		"Nguye\xcc\x82\xcc\x83n V\xc4\x83n An",
		"\xe4\xb8\xad\xe6\x96\x87 \xe2\x8c\x9a\xe2\x9a\xa1 \xe3\x80\xbf",
		"\xf0\x9f\x8c\xa1 x\xe2\x80\xaey\xef\xbb\xbfz\tw",
		"\xcd\xb8\xef\xbf\xbe\xee\x80\x80",
	};
	size_t				 i, j, len;
	uint32_t			 cp;
	int				 ascii, sum;

	(void)state;
	assert_int_equal(draw_cpwidth(0x4e2d, 1), 2);	/* "??" */
	assert_int_equal(draw_cpwidth(0x1ea1, 1), 1);	/* "a" */
	assert_int_equal(draw_cpwidth(0x0301, 1), 0);
	assert_int_equal(draw_cpwidth('\t', 1), 1);
	for (ascii = 0; ascii <= 1; ascii++) {
		for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			len = strlen(texts[i]);
			sum = 0;
			for (j = 0; j < len;) {
				j += utf8_decode(texts[i] + j, len - j, &cp);
				sum += draw_cpwidth(cp, ascii);
			}
			assert_int_equal(sum, draw_width(texts[i], ascii));
			assert_int_equal(draw_advance(texts[i], ascii), sum);
		}
	}
}

/*
 * Test functions:
 *   draw_date, draw_work_left (a case's deadline: its date, and the
 *   working time left by the calendar, Tết and week-ends left out)
 */
static void
test_draw_work_left(void **state)
{
	struct workcal	*wc = NULL;
	char		*dir, *cause = NULL, buf[64];
	int64_t		 now, due, w;

	(void)state;
	xasprintf(&dir, "%s/data/quangninh", getenv("TRUCBAN_SRCDIR") != NULL ?
	    getenv("TRUCBAN_SRCDIR") : ".");
	if (workcal_load(dir, 420, &wc, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	/* Friday 13/2/2026 16:00 (UTC+7), the last afternoon before Tết. */
	assert_int_equal(workcal_parse_time("2026-02-13T16:00", 420, &now), 0);
	assert_int_equal(workcal_parse_time("2026-02-27T17:00", 420, &due), 0);
	draw_date(due, 420, buf, sizeof buf);
	assert_string_equal(buf, "17:00 Friday 27/02");
	/* 1 hour that Friday, 5 working days after Tết: 41 hours. */
	w = draw_work_left(wc, now, due, buf, sizeof buf);
	assert_int_equal(w, 41 * 3600000LL);
	assert_string_equal(buf, "41h");
	/* Half an hour before the close: minutes. */
	w = draw_work_left(wc, due - 1800000, due, buf, sizeof buf);
	assert_string_equal(buf, "30m");
	/* Past it, or without a calendar: on the clock. */
	w = draw_work_left(wc, due + 600000, due, buf, sizeof buf);
	assert_int_equal(w, 0);
	assert_string_equal(buf, "-10m");
	draw_work_left(NULL, now, due, buf, sizeof buf);
	assert_string_equal(buf, "14d");
	workcal_free(wc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_work_left),
		cmocka_unit_test(test_draw_width_named),
		cmocka_unit_test(test_draw_width_every_code_point),
		cmocka_unit_test(test_draw_fit_glyphs),
		cmocka_unit_test(test_draw_cpwidth_ascii),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}

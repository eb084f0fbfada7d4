/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Unit tests for the layout: geometry, focus and zoom keys, windows. */

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "input.h"
#include "layout.h"
#include "model.h"
#include "panel.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"
#include "lib/test-term.h"

#define T0	INT64_C(1767225600000)
#define MIN	INT64_C(60000)

static struct cmd_ctx	 cctx;		/* The keys' commands. */
static int		 prompts;	/* Times the prompt was opened. */

static void
no_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	(void)text;
}

static void
count_prompt(void *arg, const char *text)
{
	(void)arg;
	(void)text;
	prompts++;
}

static const struct cmd_ops layout_ops = {
	.message = no_message,
	.prompt = count_prompt
};

/* Keys go to l through the key tables, as the console's do. */
static void
keys_on(struct layout *l, struct store *s)
{
	cmd_ctx_init(&cctx, s, &layout_ops, NULL);
	cctx.layout = l;
	input_init(l, &cctx);
}

/* A key as the terminal gives it; 1 if something took it. */
static int
key(int k)
{
	return (input_key(k >= KEY_MIN, (wint_t)k, 0));
}

/*
 * Check that the shown rectangles tile the body exactly: every cell of
 * lines top..lines-3 is covered once, nothing else is.
 */
static void
check_tiling(int lines, int cols, int top, const struct layout_rect r[4])
{
	unsigned char	*grid;
	int		 i, y, x;

	grid = xcalloc((size_t)lines * cols, 1);
	for (i = 0; i < 4; i++) {
		if (r[i].h == 0)
			continue;
		assert_true(r[i].w > 0);
		for (y = r[i].y; y < r[i].y + r[i].h; y++) {
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				assert_true(y >= 0 && y < lines);
				assert_true(x >= 0 && x < cols);
				grid[y * cols + x]++;
			}
		}
	}
	for (y = 0; y < lines; y++) {
		for (x = 0; x < cols; x++) {
			if (y >= top && y <= lines - 3)
				assert_int_equal(grid[y * cols + x], 1);
			else
				assert_int_equal(grid[y * cols + x], 0);
		}
	}
	free(grid);
}

static int
nshown(const struct layout_rect r[4])
{
	int	i, n = 0;

	for (i = 0; i < 4; i++)
		n += r[i].h > 0;
	return (n);
}

/*
 * Test functions:
 *   layout_geometry
 */
static void
test_geometry_grid(void **state)
{
	struct layout_rect	r[4];

	(void)state;
	assert_int_equal(layout_geometry(24, 80, 0, 0, r), LAYOUT_GRID);
	assert_int_equal(nshown(r), 4);
	assert_memory_equal(&r[0], (&(struct layout_rect){ 1, 0, 11, 40 }),
	    sizeof r[0]);
	assert_memory_equal(&r[1], (&(struct layout_rect){ 1, 40, 11, 40 }),
	    sizeof r[1]);
	assert_memory_equal(&r[2], (&(struct layout_rect){ 12, 0, 10, 40 }),
	    sizeof r[2]);
	assert_memory_equal(&r[3], (&(struct layout_rect){ 12, 40, 10, 40 }),
	    sizeof r[3]);
	check_tiling(24, 80, 1, r);

	/* Odd sizes still tile; wide but short stays a grid. */
	assert_int_equal(layout_geometry(25, 81, 2, 0, r), LAYOUT_GRID);
	check_tiling(25, 81, 1, r);
	assert_int_equal(layout_geometry(24, 160, 0, 0, r), LAYOUT_GRID);
	check_tiling(24, 160, 1, r);
	assert_int_equal(layout_geometry(20, 80, 0, 0, r), LAYOUT_GRID);
	check_tiling(20, 80, 1, r);
}

/*
 * Test functions:
 *   layout_geometry
 */
static void
test_geometry_wide(void **state)
{
	struct layout_rect	r[4];

	(void)state;
	assert_int_equal(layout_geometry(50, 200, 0, 0, r), LAYOUT_WIDE);
	assert_int_equal(nshown(r), 4);
	/* Alerts: the left half, full height; the others stacked right. */
	assert_memory_equal(&r[0], (&(struct layout_rect){ 1, 0, 47, 100 }),
	    sizeof r[0]);
	assert_int_equal(r[1].x, 100);
	assert_int_equal(r[2].x, 100);
	assert_int_equal(r[3].x, 100);
	assert_true(r[1].y < r[2].y && r[2].y < r[3].y);
	assert_int_equal(r[1].h + r[2].h + r[3].h, 47);
	check_tiling(50, 200, 1, r);
	assert_int_equal(layout_geometry(36, 160, 0, 0, r), LAYOUT_WIDE);
	check_tiling(36, 160, 1, r);
	assert_int_equal(layout_geometry(60, 201, 0, 0, r), LAYOUT_WIDE);
	check_tiling(60, 201, 1, r);
}

/*
 * Test functions:
 *   layout_geometry
 */
static void
test_geometry_single_and_small(void **state)
{
	struct layout_rect	r[4];

	(void)state;
	assert_int_equal(layout_geometry(20, 60, 2, 0, r), LAYOUT_SINGLE);
	assert_int_equal(nshown(r), 1);
	assert_memory_equal(&r[2], (&(struct layout_rect){ 2, 0, 16, 60 }),
	    sizeof r[2]);
	check_tiling(20, 60, 2, r);
	assert_int_equal(layout_geometry(10, 40, 0, 0, r), LAYOUT_SINGLE);
	check_tiling(10, 40, 2, r);
	assert_int_equal(layout_geometry(24, 79, 0, 0, r), LAYOUT_SINGLE);
	assert_int_equal(layout_geometry(19, 80, 0, 0, r), LAYOUT_SINGLE);

	assert_int_equal(layout_geometry(8, 30, 0, 0, r), LAYOUT_TOO_SMALL);
	assert_int_equal(nshown(r), 0);
	assert_int_equal(layout_geometry(10, 39, 0, 0, r), LAYOUT_TOO_SMALL);
	assert_int_equal(layout_geometry(9, 40, 0, 0, r), LAYOUT_TOO_SMALL);
	assert_int_equal(layout_geometry(0, 0, 0, 0, r), LAYOUT_TOO_SMALL);
	assert_int_equal(layout_geometry(-1, -5, 9, 1, r), LAYOUT_TOO_SMALL);
}

/*
 * Test functions:
 *   layout_geometry (zoom)
 */
static void
test_geometry_zoom(void **state)
{
	struct layout_rect	r[4];

	(void)state;
	assert_int_equal(layout_geometry(24, 80, 3, 1, r), LAYOUT_GRID);
	assert_int_equal(nshown(r), 1);
	assert_memory_equal(&r[3], (&(struct layout_rect){ 1, 0, 21, 80 }),
	    sizeof r[3]);
	assert_int_equal(layout_geometry(50, 200, 1, 1, r), LAYOUT_WIDE);
	assert_int_equal(nshown(r), 1);
	assert_int_equal(r[1].w, 200);
	check_tiling(50, 200, 1, r);
}

static struct store *
make_store(void)
{
	struct store	*s = store_new();
	struct alert	 a;
	int		 i;

	for (i = 0; i < 5; i++) {
		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "A%d", i);
		snprintf(a.area, sizeof a.area, "HL");
		a.severity = 2;
		a.title = xstrdup("t");
		a.place = xstrdup("");
		a.created = T0 + i * MIN;
		a.version = 1;
		store_put_alert(s, &a);
	}
	return (s);
}

/*
 * Test functions:
 *   layout_geometry_want (a mode asked for, used only when it fits)
 */
static void
test_geometry_want(void **state)
{
	struct layout_rect	r[4];

	(void)state;
	assert_int_equal(layout_geometry_want(50, 200, 0, 0, LAYOUT_GRID, r),
	    LAYOUT_GRID);
	check_tiling(50, 200, 1, r);
	assert_int_equal(nshown(r), 4);
	assert_int_equal(layout_geometry_want(50, 200, 2, 0, LAYOUT_SINGLE,
	    r), LAYOUT_SINGLE);
	assert_int_equal(nshown(r), 1);
	assert_true(r[2].h > 0);
	/* Too small for what was asked: the biggest that fits. */
	assert_int_equal(layout_geometry_want(24, 80, 0, 0, LAYOUT_WIDE, r),
	    LAYOUT_GRID);
	assert_int_equal(layout_geometry_want(15, 60, 0, 0, LAYOUT_GRID, r),
	    LAYOUT_SINGLE);
	assert_int_equal(layout_geometry_want(8, 30, 0, 0, LAYOUT_SINGLE, r),
	    LAYOUT_TOO_SMALL);
	assert_int_equal(layout_geometry_want(24, 80, 0, 0, LAYOUT_AUTO, r),
	    layout_geometry(24, 80, 0, 0, r));
}

/*
 * Test functions:
 *   layout_create, input_key, layout_focus, layout_focused, layout_find,
 *   layout_free (without a terminal)
 */
static void
test_keys_focus_zoom(void **state)
{
	struct store	*s = make_store();
	struct layout	*l;
	struct panel	*p;

	(void)state;
	l = layout_create(s);
	keys_on(l, s);
	assert_int_equal(l->npanels, LAYOUT_PANELS);
	assert_int_equal(l->focus, 0);
	assert_ptr_equal(layout_focused(l), l->panels[0]);
	assert_true(l->panels[0]->flags & PANEL_FOCUS);
	assert_int_equal(layout_find(l, "schools"), 2);
	assert_int_equal(layout_find(l, "nope"), -1);

	assert_int_equal(key('\t'), 1);
	assert_int_equal(l->focus, 1);
	assert_false(l->panels[0]->flags & PANEL_FOCUS);
	assert_true(l->panels[1]->flags & PANEL_FOCUS);
	assert_int_equal(key(KEY_BTAB), 1);
	assert_int_equal(l->focus, 0);
	assert_int_equal(key(KEY_BTAB), 1);
	assert_int_equal(l->focus, 3);
	assert_int_equal(key('\t'), 1);
	assert_int_equal(l->focus, 0);
	assert_int_equal(key('3'), 1);
	assert_int_equal(l->focus, 2);
	assert_int_equal(key('1'), 1);
	assert_int_equal(l->focus, 0);
	layout_focus(l, 7);
	assert_int_equal(l->focus, 0);

	assert_int_equal(key('z'), 1);
	assert_int_equal(l->zoom, 1);
	assert_int_equal(key('z'), 1);
	assert_int_equal(l->zoom, 0);

	/* Selection keys go to the focused panel. */
	p = layout_focused(l);
	assert_string_equal(panel_selected(p), "A0");
	assert_int_equal(key('j'), 1);
	assert_string_equal(panel_selected(p), "A1");
	assert_int_equal(key(KEY_DOWN), 1);
	assert_int_equal(key('G'), 1);
	assert_int_equal(p->sel, 4);
	assert_int_equal(key('k'), 1);
	assert_int_equal(p->sel, 3);
	assert_int_equal(key('g'), 1);
	assert_int_equal(p->sel, 0);
	assert_int_equal(key(KEY_END), 1);
	assert_int_equal(key(KEY_PPAGE), 1);
	assert_int_equal(key(KEY_HOME), 1);
	assert_int_equal(p->sel, 0);
	assert_int_equal(key(KEY_NPAGE), 1);
	assert_int_equal(key(KEY_UP), 1);

	/* Keys nothing is bound to do nothing; ':' opens the prompt. */
	assert_int_equal(key('x'), 0);
	assert_int_equal(key('9'), 0);
	assert_int_equal(prompts, 0);
	assert_int_equal(key(':'), 1);
	assert_int_equal(prompts, 1);

	layout_message(l, 1, "bad %s", "thing");
	assert_string_equal(l->st.message, "bad thing");
	assert_int_equal(l->st.message_error, 1);
	input_free();
	layout_free(l);
	layout_free(NULL);
	store_free(s);
}

static struct test_term	tterm;

static int
term_setup(void **state)
{
	(void)state;
	if (test_term_open(&tterm, 24, 80) != 0)
		return (-1);
	theme_init(1);
	return (0);
}

static int
term_teardown(void **state)
{
	(void)state;
	test_term_close(&tterm);
	return (0);
}

static void
check_window(WINDOW *w, const struct layout_rect *r)
{
	int	y, x, h, ww;

	assert_non_null(w);
	getbegyx(w, y, x);
	getmaxyx(w, h, ww);
	assert_int_equal(y, r->y);
	assert_int_equal(x, r->x);
	assert_int_equal(h, r->h);
	assert_int_equal(ww, r->w);
}

/*
 * Test functions:
 *   layout_resize, layout_focus, input_key (windows follow the geometry)
 */
static void
test_windows_follow(void **state)
{
	struct store		*s = make_store();
	struct layout		*l;
	struct layout_rect	 r[4];
	WINDOW			*w;
	int			 i;

	(void)state;
	l = layout_create(s);
	keys_on(l, s);
	assert_int_equal(l->lines, 24);
	assert_int_equal(l->cols, 80);
	assert_int_equal(l->mode, LAYOUT_GRID);
	layout_geometry(24, 80, 0, 0, r);
	for (i = 0; i < 4; i++) {
		check_window(l->panels[i]->win, &r[i]);
		assert_int_equal(l->panels[i]->h, r[i].h);
		assert_int_equal(l->panels[i]->w, r[i].w);
	}
	assert_non_null(l->header);
	assert_non_null(l->status);
	assert_null(l->tabs);
	assert_null(l->small);

	/* Focus in a grid keeps the windows where they are. */
	w = l->panels[1]->win;
	key('2');
	assert_ptr_equal(l->panels[1]->win, w);

	/* Zoom: the focused panel alone, over the whole body. */
	key('z');
	layout_geometry(24, 80, 1, 1, r);
	check_window(l->panels[1]->win, &r[1]);
	assert_null(l->panels[0]->win);
	assert_null(l->panels[2]->win);
	key('\t');
	assert_null(l->panels[1]->win);
	check_window(l->panels[2]->win, &r[1]);
	key('z');

	/* Single: tabs appear, the focused panel moves down a line. */
	resizeterm(20, 60);
	layout_resize(l, 20, 60);
	assert_int_equal(l->mode, LAYOUT_SINGLE);
	assert_true(l->single);
	assert_non_null(l->tabs);
	layout_geometry(20, 60, l->focus, 0, r);
	check_window(l->panels[l->focus]->win, &r[l->focus]);
	key('1');
	check_window(l->panels[0]->win, &r[2]);
	assert_null(l->panels[2]->win);

	/* Too small: no panel windows at all, only the message. */
	resizeterm(8, 30);
	layout_resize(l, 8, 30);
	assert_true(l->too_small);
	for (i = 0; i < 4; i++)
		assert_null(l->panels[i]->win);
	assert_null(l->header);
	assert_non_null(l->small);
	key('\t');
	key('j');
	layout_draw(l, T0);
	layout_place_cursor(l);

	/* Back to wide. */
	resizeterm(50, 200);
	layout_resize(l, 50, 200);
	assert_int_equal(l->mode, LAYOUT_WIDE);
	assert_false(l->too_small);
	layout_geometry(50, 200, l->focus, 0, r);
	for (i = 0; i < 4; i++)
		check_window(l->panels[i]->win, &r[i]);

	/* A size larger than the screen must not crash either. */
	layout_resize(l, 100, 400);
	layout_draw(l, T0);
	layout_place_cursor(l);
	resizeterm(24, 80);
	layout_resize(l, 24, 80);
	input_free();
	layout_free(l);
	store_free(s);
}

int
main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_geometry_grid),
		cmocka_unit_test(test_geometry_wide),
		cmocka_unit_test(test_geometry_single_and_small),
		cmocka_unit_test(test_geometry_zoom),
		cmocka_unit_test(test_geometry_want),
		cmocka_unit_test(test_keys_focus_zoom),
	};
	const struct CMUnitTest term[] = {
		cmocka_unit_test(test_windows_follow),
	};
	int	 fails;

	setlocale(LC_ALL, "C.UTF-8");
	fails = cmocka_run_group_tests_name("layout", plain, NULL, NULL);
	fails += cmocka_run_group_tests_name("layout-term", term, term_setup,
	    term_teardown);
	return (fails);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Unit tests for the panel dispatcher and the row order of each class. */

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

#include "draw.h"
#include "model.h"
#include "panel.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"
#include "lib/test-term.h"

#define T0	INT64_C(1767225600000)	/* 2026-01-01 00:00:00 UTC. */
#define MIN	INT64_C(60000)

static void
put_alert(struct store *s, const char *id, int sev, int64_t created,
    enum alert_state state)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.area, sizeof a.area, "HL");
	a.severity = sev;
	a.kind = ALERT_FLOOD;
	a.source = SOURCE_SENSOR;
	a.state = state;
	a.title = xstrdup(id);
	a.place = xstrdup("");
	a.created = a.updated = created;
	a.version = 1;
	store_put_alert(s, &a);
}

static void
put_hospital(struct store *s, const char *id, int smart, int beds,
    int used)
{
	struct hospital	h;

	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "%s", id);
	snprintf(h.area, sizeof h.area, "HL");
	h.name = xstrdup(id);
	h.smart = smart;
	h.beds = beds;
	h.beds_used = used;
	h.version = 1;
	store_put_hospital(s, &h);
}

static void
put_school(struct store *s, const char *id, const char *area, int enrolled,
    int present)
{
	struct school	sc;

	memset(&sc, 0, sizeof sc);
	snprintf(sc.id, sizeof sc.id, "%s", id);
	snprintf(sc.area, sizeof sc.area, "%s", area);
	sc.name = xstrdup(id);
	sc.enrolled = enrolled;
	sc.present = present;
	sc.version = 1;
	store_put_school(s, &sc);
}

static void
put_feedback(struct store *s, const char *id, int64_t deadline,
    enum fb_state state)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	snprintf(f.area, sizeof f.area, "HL");
	f.text = xstrdup("text");
	f.state = state;
	f.received = T0;
	f.deadline = deadline;
	f.version = 1;
	store_put_feedback(s, &f);
}

/* The id of display row i of an alerts panel. */
static const char *
row_alert(struct panel *p, struct store *s, size_t i)
{
	assert_true(i < p->nrows);
	return (s->alerts[p->rows[i]].id);
}

/*
 * Test functions:
 *   panel_create, panel_refresh, panel_reselect, panel_selected,
 *   panel_free, widget_alerts_class (refresh)
 */
static void
test_alerts_order_and_filter(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;

	(void)state;
	put_alert(s, "A1", 2, T0 - 10 * MIN, ALERT_NEW);
	put_alert(s, "A2", 4, T0 - 1 * MIN, ALERT_NEW);
	put_alert(s, "A3", 4, T0 - 5 * MIN, ALERT_ACKNOWLEDGED);
	put_alert(s, "A4", 3, T0 - 2 * MIN, ALERT_CLOSED);
	put_alert(s, "A5", 1, T0, ALERT_RESOLVED);
	p = panel_create(&widget_alerts_class, 1);
	assert_non_null(p);
	assert_null(panel_selected(p));
	panel_refresh(p, s);
	/* Severity first, then the oldest; closed ones are gone. */
	assert_int_equal(p->nrows, 4);
	assert_string_equal(row_alert(p, s, 0), "A3");
	assert_string_equal(row_alert(p, s, 1), "A2");
	assert_string_equal(row_alert(p, s, 2), "A1");
	assert_string_equal(row_alert(p, s, 3), "A5");
	assert_string_equal(panel_selected(p), "A3");
	assert_true(p->flags & PANEL_DIRTY);
	panel_free(p);
	panel_free(NULL);
	store_free(s);
}

/*
 * Test functions:
 *   panel_move, panel_refresh, panel_reselect, panel_selected
 */
static void
test_selection_kept_across_resort(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;
	struct alert	*a;

	(void)state;
	put_alert(s, "A1", 3, T0 - 3 * MIN, ALERT_NEW);
	put_alert(s, "A2", 2, T0 - 2 * MIN, ALERT_NEW);
	put_alert(s, "A3", 1, T0 - 1 * MIN, ALERT_NEW);
	p = panel_create(&widget_alerts_class, 1);
	p->h = 20;
	panel_refresh(p, s);
	panel_move(p, 2);
	assert_string_equal(panel_selected(p), "A3");
	assert_int_equal(p->sel, 2);

	/* A3 becomes critical: it moves to the top, and stays selected. */
	a = store_alert(s, "A3");
	a->severity = 4;
	panel_refresh(p, s);
	assert_string_equal(row_alert(p, s, 0), "A3");
	assert_int_equal(p->sel, 0);
	assert_string_equal(panel_selected(p), "A3");

	/* New items ahead of it do not move the selection either. */
	put_alert(s, "A0", 4, T0 - 9 * MIN, ALERT_NEW);
	panel_refresh(p, s);
	assert_string_equal(row_alert(p, s, 0), "A0");
	assert_string_equal(panel_selected(p), "A3");
	assert_int_equal(p->sel, 1);
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   panel_move
 */
static void
test_move_clamps(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;

	(void)state;
	put_alert(s, "A1", 3, T0 - 3 * MIN, ALERT_NEW);
	put_alert(s, "A2", 2, T0 - 2 * MIN, ALERT_NEW);
	put_alert(s, "A3", 1, T0 - 1 * MIN, ALERT_NEW);
	p = panel_create(&widget_alerts_class, 1);
	p->h = 20;
	panel_refresh(p, s);
	panel_move(p, -1);
	assert_int_equal(p->sel, 0);
	panel_move(p, 100);
	assert_int_equal(p->sel, 2);
	assert_string_equal(panel_selected(p), "A3");
	panel_move(p, 1);
	assert_int_equal(p->sel, 2);
	panel_move(p, LONG_MIN);
	assert_int_equal(p->sel, 0);
	assert_string_equal(panel_selected(p), "A1");
	panel_move(p, LONG_MAX);
	assert_int_equal(p->sel, 2);
	panel_move(p, -1);
	assert_string_equal(panel_selected(p), "A2");
	p->flags &= ~PANEL_DIRTY;
	panel_move(p, 0);
	assert_false(p->flags & PANEL_DIRTY);
	panel_move(p, 1);
	assert_true(p->flags & PANEL_DIRTY);
	panel_free(p);

	/* An empty panel: moving does nothing, nothing is selected. */
	p = panel_create(&widget_alerts_class, 2);
	panel_refresh(p, s);
	store_clear(s);
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 0);
	panel_move(p, 1);
	panel_move(p, LONG_MIN);
	assert_int_equal(p->sel, 0);
	assert_null(panel_selected(p));
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   panel_reselect, panel_selected
 */
static void
test_reselect_when_gone(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;

	(void)state;
	put_alert(s, "A1", 3, T0 - 3 * MIN, ALERT_NEW);
	put_alert(s, "A2", 2, T0 - 2 * MIN, ALERT_NEW);
	put_alert(s, "A3", 1, T0 - 1 * MIN, ALERT_NEW);
	p = panel_create(&widget_alerts_class, 1);
	p->h = 20;
	panel_refresh(p, s);
	panel_move(p, 1);
	assert_string_equal(panel_selected(p), "A2");

	/* A2 is closed: the row now in its place is selected. */
	store_alert(s, "A2")->state = ALERT_CLOSED;
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 2);
	assert_int_equal(p->sel, 1);
	assert_string_equal(panel_selected(p), "A3");

	/* The last row goes: the selection clamps to the new last row. */
	store_alert(s, "A3")->state = ALERT_CLOSED;
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 1);
	assert_string_equal(panel_selected(p), "A1");

	/* Everything goes, then the same item comes back: selected again. */
	store_alert(s, "A1")->state = ALERT_CLOSED;
	panel_refresh(p, s);
	assert_null(panel_selected(p));
	put_alert(s, "A9", 4, T0, ALERT_NEW);
	store_alert(s, "A1")->state = ALERT_NEW;
	panel_refresh(p, s);
	assert_string_equal(panel_selected(p), "A1");
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   panel_move, panel_visible, panel_set_window (scrolling)
 */
static void
test_scroll_follows(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;
	char		 id[16];
	int		 i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "A%02d", i);
		put_alert(s, id, 2, T0 - (20 - i) * MIN, ALERT_NEW);
	}
	p = panel_create(&widget_alerts_class, 1);
	p->h = 10;
	panel_refresh(p, s);
	assert_int_equal(panel_visible(p), 10 - PANEL_CHROME);
	assert_int_equal(p->cursor_y, PANEL_ROW0);
	panel_move(p, 10);
	assert_string_equal(panel_selected(p), "A10");
	assert_int_equal(p->top, 10 - panel_visible(p) + 1);
	assert_int_equal(p->cursor_y, PANEL_ROW0 + panel_visible(p) - 1);
	panel_move(p, -9);
	assert_int_equal(p->top, 1);
	assert_int_equal(p->cursor_y, PANEL_ROW0);
	panel_move(p, LONG_MAX);
	assert_int_equal(p->top, 20 - panel_visible(p));

	/* A taller window: the view pulls back so no space is wasted. */
	p->h = 30;
	panel_refresh(p, s);
	assert_int_equal(p->top, 0);
	assert_int_equal(p->cursor_y, PANEL_ROW0 + 19);
	assert_string_equal(panel_selected(p), "A19");
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   widget_hospitals_class, widget_schools_class, widget_feedback_class
 *   (refresh), panel_find_class, panel_classes
 */
static void
test_other_classes_order(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;

	(void)state;
	put_hospital(s, "H1", 0, 100, 99);
	put_hospital(s, "H2", 1, 100, 50);
	put_hospital(s, "H3", 1, 200, 180);
	put_hospital(s, "H4", 0, 0, 0);
	p = panel_create(panel_find_class("hospitals"), 2);
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 4);
	assert_string_equal(s->hospitals[p->rows[0]].id, "H3");
	assert_string_equal(s->hospitals[p->rows[1]].id, "H2");
	assert_string_equal(s->hospitals[p->rows[2]].id, "H1");
	assert_string_equal(s->hospitals[p->rows[3]].id, "H4");
	panel_free(p);

	/* Schools: one row per area that has schools, in area order. */
	store_add_area(s, "HL", "Hạ Long");
	store_add_area(s, "CT", "Cô Tô");
	store_add_area(s, "CP", "Cẩm Phả");
	put_school(s, "S1", "CP", 100, 90);
	put_school(s, "S2", "HL", 100, 95);
	put_school(s, "S3", "HL", 50, 0);
	p = panel_create(panel_find_class("schools"), 3);
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 2);
	assert_string_equal(s->areas[p->rows[0]].code, "HL");
	assert_string_equal(s->areas[p->rows[1]].code, "CP");
	assert_string_equal(panel_selected(p), "HL");
	panel_free(p);

	/* Feedback: open only, nearest deadline first, none last. */
	put_feedback(s, "F1", 0, FB_NEW);
	put_feedback(s, "F2", T0 + 60 * MIN, FB_ASSIGNED);
	put_feedback(s, "F3", T0 - 5 * MIN, FB_NEW);
	put_feedback(s, "F4", T0, FB_CLOSED);
	put_feedback(s, "F5", T0, FB_RETURNED);
	p = panel_create(panel_find_class("feedback"), 4);
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 3);
	assert_string_equal(s->feedback[p->rows[0]].id, "F3");
	assert_string_equal(s->feedback[p->rows[1]].id, "F2");
	assert_string_equal(s->feedback[p->rows[2]].id, "F1");
	panel_free(p);

	assert_null(panel_find_class("nope"));
	assert_ptr_equal(panel_classes[0], &widget_alerts_class);
	assert_ptr_equal(panel_classes[4], &widget_units_class);
	assert_ptr_equal(panel_classes[5], &widget_overview_class);
	assert_ptr_equal(panel_classes[6], &widget_finished_class);
	assert_null(panel_classes[7]);
	store_free(s);
}

/*
 * Test functions:
 *   draw_age, draw_deadline, draw_alert_deadline, draw_deadline_glyph,
 *   draw_cols_fit, draw_fit, draw_width
 */
static void
test_draw_helpers(void **state)
{
	struct draw_col	 c[4];
	struct alert	 a;
	char		 buf[64];
	int		 w;

	(void)state;
	draw_age(45 * 1000, buf, sizeof buf);
	assert_string_equal(buf, "45s");
	draw_age(12 * MIN + 59000, buf, sizeof buf);
	assert_string_equal(buf, "12m");
	draw_age(3 * 60 * MIN, buf, sizeof buf);
	assert_string_equal(buf, "3h");
	draw_age(2 * 24 * 60 * MIN, buf, sizeof buf);
	assert_string_equal(buf, "2d");
	draw_age(-5, buf, sizeof buf);
	assert_string_equal(buf, "0s");

	assert_int_equal(draw_deadline(T0, 0), DRAW_DL_NONE);
	assert_int_equal(draw_deadline(T0, T0 + 6 * MIN), DRAW_DL_OK);
	assert_int_equal(draw_deadline(T0, T0 + 5 * MIN), DRAW_DL_NEAR);
	assert_int_equal(draw_deadline(T0, T0), DRAW_DL_OVERDUE);
	assert_string_equal(draw_deadline_glyph(DRAW_DL_NEAR), "!");
	assert_string_equal(draw_deadline_glyph(DRAW_DL_OVERDUE), "!!");
	memset(&a, 0, sizeof a);
	a.deadline = T0 - 1;
	a.state = ALERT_NEW;
	assert_int_equal(draw_alert_deadline(&a, T0), DRAW_DL_OVERDUE);
	/* Dispatched: the first response's deadline no longer counts,
	 * the clock to be on scene does. */
	a.state = ALERT_DISPATCHED;
	assert_int_equal(draw_alert_deadline(&a, T0), DRAW_DL_NONE);
	a.due_on_scene = T0 - 1;
	assert_int_equal(draw_alert_deadline(&a, T0), DRAW_DL_OVERDUE);
	a.state = ALERT_RESOLVED;
	assert_int_equal(draw_alert_deadline(&a, T0), DRAW_DL_NONE);

	/* Fitting: width-aware, never splits, drops controls, folds. */
	draw_fit(buf, sizeof buf, "Hạ Long", 4, 0, &w);
	assert_string_equal(buf, "Hạ L");
	assert_int_equal(w, 4);
	draw_fit(buf, sizeof buf, "a\x1b[31mb\rc\td", 20, 0, &w);
	assert_string_equal(buf, "a[31mbc d");
	draw_fit(buf, sizeof buf, "Đông Triều", 20, 1, &w);
	assert_string_equal(buf, "Dong Trieu");
	draw_fit(buf, sizeof buf, "Nguye\xcc\x82\xcc\x83n", 20, 0, &w);
	assert_int_equal(w, 6);
	draw_fit(buf, sizeof buf, "\xe4\xb8\xad\xe4\xb8\xad", 3, 0, &w);
	assert_int_equal(w, 2);
	assert_int_equal(draw_width("\xe4\xb8\xad", 1), 2);
	draw_fit(buf, sizeof buf, "x\xe2\x80\xaey", 20, 0, &w);
	assert_string_equal(buf, "xy");

	/* Columns: the least important go first, the fill takes the rest. */
	memset(c, 0, sizeof c);
	c[0] = (struct draw_col){ .want = 5, .prio = 0 };
	c[1] = (struct draw_col){ .want = 10, .prio = 0, .fill = 1 };
	c[2] = (struct draw_col){ .want = 6, .prio = 2 };
	c[3] = (struct draw_col){ .want = 6, .prio = 1 };
	draw_cols_fit(c, 4, 40, 1);
	assert_int_equal(c[1].w, 40 - 5 - 6 - 6 - 3);
	assert_int_equal(c[3].x + c[3].w, 40);
	draw_cols_fit(c, 4, 24, 1);
	assert_int_equal(c[2].w, 0);
	assert_int_equal(c[3].w, 6);
	assert_int_equal(c[1].w, 24 - 5 - 6 - 2);
	draw_cols_fit(c, 4, 10, 1);
	assert_int_equal(c[2].w + c[3].w, 0);
	assert_true(c[1].x + c[1].w <= 10);
}

/*
 * Test functions:
 *   draw_cols_fit (narrow forms and their priority), draw_left,
 *   draw_permille
 */
static void
test_cols_narrow(void **state)
{
	struct draw_col	 c[4];
	char		 buf[32];

	(void)state;
	memset(c, 0, sizeof c);
	c[0] = (struct draw_col){ .want = 10, .prio = 0, .fill = 1 };
	c[1] = (struct draw_col){ .want = 6, .alt = 1, .altprio = 4,
	    .prio = 1 };
	c[2] = (struct draw_col){ .want = 5, .prio = 5 };
	c[3] = (struct draw_col){ .want = 5, .prio = 3 };
	/* Everything fits: full forms. */
	draw_cols_fit(c, 4, 40, 1);
	assert_int_equal(c[1].w, 6);
	assert_false(c[1].narrow);
	/* 10 + 6 + 5 + 5 and 3 gaps is 29. Tight: c[2] (prio 5) goes. */
	draw_cols_fit(c, 4, 28, 1);
	assert_int_equal(c[2].w, 0);
	assert_int_equal(c[1].w, 6);
	assert_int_equal(c[3].w, 5);
	/* Then c[1] narrows (altprio 4) before c[3] (prio 3) goes. */
	draw_cols_fit(c, 4, 22, 1);
	assert_int_equal(c[2].w, 0);
	assert_int_equal(c[1].w, 1);
	assert_true(c[1].narrow);
	assert_int_equal(c[3].w, 5);
	assert_int_equal(c[0].w, 22 - 1 - 5 - 2);
	/* Tighter: c[3] goes, then c[1] itself. */
	draw_cols_fit(c, 4, 17, 1);
	assert_int_equal(c[3].w, 0);
	assert_int_equal(c[1].w, 1);
	draw_cols_fit(c, 4, 11, 1);
	assert_int_equal(c[1].w, 0);
	assert_int_equal(c[0].w, 11);

	draw_left(T0, T0 + 90 * 1000, buf, sizeof buf);
	assert_string_equal(buf, "1m");
	draw_left(T0, T0 - 3 * MIN, buf, sizeof buf);
	assert_string_equal(buf, "-3m");
	draw_left(T0, 0, buf, sizeof buf);
	assert_string_equal(buf, "");
	draw_permille(1900, 2000, 0, buf, sizeof buf);
	assert_string_equal(buf, "95.0%");
	draw_permille(2, 3, 1, buf, sizeof buf);
	assert_string_equal(buf, "66,6%");
	draw_permille(1, 0, 0, buf, sizeof buf);
	assert_string_equal(buf, "-");
}

/*
 * Test functions:
 *   panel_spark_get, panel_spark_add, panel_spark_render,
 *   panel_spark_trend
 */
static void
test_spark(void **state)
{
	struct panel_spark	*v = NULL, *sp;
	size_t			 n = 0;
	char			 buf[128];
	int			 i;

	(void)state;
	sp = panel_spark_get(&v, &n, "H1");
	assert_int_equal(n, 1);
	assert_ptr_equal(panel_spark_get(&v, &n, "H1"), sp);
	panel_spark_get(&v, &n, "H2");
	assert_int_equal(n, 2);
	sp = panel_spark_get(&v, &n, "H1");
	assert_int_equal(panel_spark_render(sp, 8, 0, buf, sizeof buf), 0);
	assert_int_equal(panel_spark_trend(sp), 0);
	panel_spark_add(sp, 0);
	panel_spark_add(sp, 500);
	panel_spark_add(sp, 1000);
	panel_spark_add(sp, 2000);	/* Clamped. */
	panel_spark_render(sp, 8, 0, buf, sizeof buf);
	assert_string_equal(buf, "▁▄██");
	panel_spark_render(sp, 2, 0, buf, sizeof buf);
	assert_string_equal(buf, "██");
	panel_spark_render(sp, 8, 1, buf, sizeof buf);
	assert_string_equal(buf, "_:##");
	assert_int_equal(panel_spark_trend(sp), 1);
	for (i = 0; i < 40; i++)
		panel_spark_add(sp, (short)(1000 - i * 20));
	assert_int_equal(sp->n, PANEL_SPARK);
	assert_int_equal(panel_spark_trend(sp), -1);
	panel_spark_render(sp, 100, 1, buf, sizeof buf);
	assert_int_equal(strlen(buf), PANEL_SPARK);
	/* A small buffer: cut on a glyph boundary. */
	panel_spark_render(sp, 8, 0, buf, 8);
	assert_int_equal(strlen(buf), 6);
	free(v);
}

/*
 * Test functions:
 *   panel_want, panel_set_search, panel_set_sort, panel_sort_name
 */
static void
test_want_search_sort(void **state)
{
	struct store		*s = store_new();
	struct panel		*p;
	struct panel_filter	 f;
	char			*cause = NULL;

	(void)state;
	store_add_area(s, "HL", "Hạ Long");
	put_alert(s, "A1", 2, T0 - 10 * MIN, ALERT_NEW);
	put_alert(s, "A2", 4, T0 - 1 * MIN, ALERT_NEW);
	{
		/* A stored item's strings are the pool's: change a copy. */
		struct alert	a;

		alert_copy(&a, store_alert(s, "A2"));
		free(a.title);
		a.title = xstrdup("Cháy rừng ở Cẩm Phả");
		store_put_alert(s, &a);
	}
	p = panel_create(&widget_alerts_class, 1);
	memset(&f, 0, sizeof f);
	p->filter = &f;
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 2);

	panel_set_search(p, "CAM PHA");
	assert_string_equal(p->search, "CAM PHA");
	assert_int_equal(p->nrows, 1);
	assert_string_equal(panel_selected(p), "A2");
	panel_set_search(p, "ha long");		/* The area's name. */
	assert_int_equal(p->nrows, 2);
	panel_set_search(p, "  ");		/* Folds to nothing. */
	assert_null(p->search);
	assert_int_equal(p->nrows, 2);

	f.severity = 3;
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 1);
	f.severity = 0;
	snprintf(f.area, sizeof f.area, "CP");
	panel_refresh(p, s);
	assert_int_equal(p->nrows, 0);
	f.area[0] = '\0';
	panel_refresh(p, s);

	assert_string_equal(panel_sort_name(p), "severity");
	assert_int_equal(panel_set_sort(p, "ag", &cause), 0);
	assert_string_equal(panel_sort_name(p), "age");
	assert_string_equal(s->alerts[p->rows[0]].id, "A1");
	assert_int_equal(panel_set_sort(p, "a", &cause), -1);	/* age, area */
	assert_non_null(strstr(cause, "deadline"));
	free(cause);
	cause = NULL;
	assert_int_equal(panel_set_sort(p, "", &cause), 0);
	assert_string_equal(s->alerts[p->rows[0]].id, "A2");
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   panel_detail_open, panel_detail_lines, panel_detail_scroll,
 *   panel_detail_close, panel_detail_text (wrapping, counted)
 */
static void
test_detail_lines(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;
	struct alert	*a;
	int		 n1, n2;

	(void)state;
	put_alert(s, "A1", 2, T0, ALERT_NEW);
	p = panel_create(&widget_alerts_class, 1);
	p->h = 10;
	p->w = 40;
	panel_refresh(p, s);
	assert_int_equal(panel_detail_open(p), 0);
	assert_true(p->flags & PANEL_DETAIL);
	n1 = panel_detail_lines(p);
	assert_true(n1 > 5);
	/* A note of 300 characters wraps onto several lines. */
	a = store_alert(s, "A1");
	history_add(&a->hist, T0, "demo", "note",
	    "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll "
	    "mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv wwww xxxx "
	    "yyyy zzzz aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj "
	    "kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv "
	    "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
	n2 = panel_detail_lines(p);
	assert_true(n2 >= n1 + 1 + 12);
	/* Scrolling is clamped to what there is. */
	panel_detail_scroll(p, 1000);
	assert_int_equal(p->detail_top, n2 - (p->h - 2));
	panel_detail_scroll(p, -2000);
	assert_int_equal(p->detail_top, 0);
	panel_detail_close(p);
	assert_false(p->flags & PANEL_DETAIL);
	/* Nothing selected: no detail. */
	store_clear(s);
	panel_refresh(p, s);
	assert_int_equal(panel_detail_open(p), -1);
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   draw_line_init, draw_line_text, draw_line_bar, draw_line_key,
 *   draw_hash (a line as runs: where each goes, keys that tell lines
 *   apart and never 0)
 */
static void
test_draw_line(void **state)
{
	struct draw_line	 a, b;
	uint64_t		 k;

	(void)state;
	draw_line_init(&a, 20, 0);
	assert_int_equal(draw_line_text(&a, 0, 5, "A-1", A_NORMAL, 0), 3);
	assert_int_equal(draw_line_text(&a, 6, 6, "12", A_BOLD, DRAW_RIGHT),
	    6);
	assert_int_equal(a.nruns, 2);
	assert_int_equal(a.runs[1].x, 6);
	assert_int_equal(a.runs[1].lead, 4);
	assert_int_equal(a.runs[1].tw, 2);
	/* Cut at the line's end, with the mark; nothing past it. */
	assert_int_equal(draw_line_text(&a, 14, 10, "Hạ Long ở xa", A_NORMAL,
	    DRAW_ELLIPSIS), 6);
	assert_int_equal(a.runs[2].tw, 6);
	assert_int_equal(draw_line_text(&a, 20, 4, "x", A_NORMAL, 0), 0);
	assert_int_equal(draw_line_text(&a, 3, 0, "x", A_NORMAL, 0), 0);
	assert_int_equal(a.nruns, 3);
	k = draw_line_key(&a);
	assert_true(k != 0);

	/* The same runs, the same key; a digit or an attribute, another. */
	draw_line_init(&b, 20, 0);
	draw_line_text(&b, 0, 5, "A-1", A_NORMAL, 0);
	draw_line_text(&b, 6, 6, "12", A_BOLD, DRAW_RIGHT);
	draw_line_text(&b, 14, 10, "Hạ Long ở xa", A_NORMAL, DRAW_ELLIPSIS);
	assert_true(draw_line_key(&b) == k);
	draw_line_init(&b, 20, 0);
	draw_line_text(&b, 0, 5, "A-1", A_NORMAL, 0);
	draw_line_text(&b, 6, 6, "13", A_BOLD, DRAW_RIGHT);
	draw_line_text(&b, 14, 10, "Hạ Long ở xa", A_NORMAL, DRAW_ELLIPSIS);
	assert_true(draw_line_key(&b) != k);
	draw_line_init(&b, 20, 0);
	draw_line_text(&b, 0, 5, "A-1", A_NORMAL, 0);
	draw_line_text(&b, 6, 6, "12", A_NORMAL, DRAW_RIGHT);
	draw_line_text(&b, 14, 10, "Hạ Long ở xa", A_NORMAL, DRAW_ELLIPSIS);
	assert_true(draw_line_key(&b) != k);
	/* Where a run is counts, not only what it says. */
	draw_line_init(&b, 20, 0);
	draw_line_text(&b, 1, 5, "A-1", A_NORMAL, 0);
	draw_line_text(&b, 6, 6, "12", A_BOLD, DRAW_RIGHT);
	draw_line_text(&b, 14, 10, "Hạ Long ở xa", A_NORMAL, DRAW_ELLIPSIS);
	assert_true(draw_line_key(&b) != k);
	/* An empty line has a key too, and its width is in it. */
	draw_line_init(&a, 20, 0);
	draw_line_init(&b, 21, 0);
	assert_true(draw_line_key(&a) != 0);
	assert_true(draw_line_key(&a) != draw_line_key(&b));

	/* A bar: the filled part and the empty part, two runs. */
	draw_line_init(&a, 20, 0);
	draw_line_bar(&a, 2, 8, 1, 2, A_BOLD);
	assert_int_equal(a.nruns, 2);
	assert_int_equal(a.runs[0].x, 2);
	assert_int_equal(a.runs[0].w, 4);
	assert_int_equal(a.runs[1].x, 6);
	assert_int_equal(a.runs[1].w, 4);
	draw_line_init(&a, 20, 1);
	draw_line_bar(&a, 0, 4, 0, 10, A_BOLD);
	assert_int_equal(a.nruns, 1);
	assert_int_equal(a.runs[0].len, 4);
	assert_memory_equal(a.text + a.runs[0].off, "....", 4);

	assert_true(draw_hash(DRAW_HASH_INIT, "a", 1) !=
	    draw_hash(DRAW_HASH_INIT, "b", 1));
}

/* Line y of the current screen's stdscr as text, with each cell's attrs. */
static void
line_read(WINDOW *w, int y, int n, char *text, attr_t *attrs)
{
	cchar_t	 cc;
	wchar_t	 wc[CCHARW_MAX + 1];
	attr_t	 a;
	short	 pair;
	int	 x;

	for (x = 0; x < n; x++) {
		mvwin_wch(w, y, x, &cc);
		memset(wc, 0, sizeof wc);
		getcchar(&cc, wc, &a, &pair, NULL);
		text[x] = wc[0] < 0x80 ? (char)wc[0] : '?';
		attrs[x] = a | COLOR_PAIR(pair);
	}
	text[n] = '\0';
}

/*
 * Test functions:
 *   draw_line_put, draw_blank_same (every column put; blanks between
 *   runs of one style in that style, so a terminal needs no change of
 *   attributes there; a blank that would show a colour or reverse is
 *   never borrowed)
 */
static void
test_draw_line_put(void **state)
{
	struct test_term	 t;
	struct draw_line	 l;
	WINDOW			*w;
	char			 text[64];
	attr_t			 at[64], rev = A_REVERSE;
	int			 x;

	(void)state;
	assert_int_equal(test_term_open(&t, 5, 40), 0);
	theme_init(0);
	w = newwin(1, 30, 0, 0);
	mvwaddstr(w, 0, 0, "##############################");
	draw_line_init(&l, 30, 1);
	draw_line_text(&l, 2, 3, "ab", A_BOLD, 0);
	draw_line_text(&l, 8, 3, "cd", A_BOLD, 0);
	draw_line_text(&l, 12, 4, "7", A_NORMAL, DRAW_RIGHT);
	draw_line_text(&l, 20, 3, "ef", rev, 0);
	draw_line_text(&l, 25, 2, "gh", A_UNDERLINE, 0);
	draw_line_put(w, 0, 0, &l, A_NORMAL);
	line_read(w, 0, 30, text, at);
	assert_string_equal(text, "  ab    cd     7    ef   gh   ");
	/* Before the first run and after the last: the base. */
	assert_int_equal(at[0] & A_BOLD, 0);
	assert_int_equal(at[29] & (A_BOLD | A_UNDERLINE), 0);
	/* Between two bold runs: bold, no change of style. */
	for (x = 4; x < 8; x++)
		assert_true(at[x] & A_BOLD);
	/* Bold to normal: the blanks go with the left one, invisibly. */
	assert_true(at[11] & A_BOLD);
	/* Normal to reverse: a reversed blank would show, so normal. */
	for (x = 16; x < 20; x++)
		assert_int_equal(at[x] & A_REVERSE, 0);
	/* Reverse to underline: neither may lend its blanks; the base. */
	for (x = 23; x < 25; x++)
		assert_int_equal(at[x] & (A_REVERSE | A_UNDERLINE), 0);
	assert_true(draw_blank_same(A_BOLD, A_NORMAL));
	assert_true(draw_blank_same(A_DIM, A_BOLD));
	assert_false(draw_blank_same(A_REVERSE, A_NORMAL));
	assert_false(draw_blank_same(A_UNDERLINE, A_NORMAL));
	delwin(w);
	test_term_close(&t);
}

/*
 * Test functions:
 *   panel_sort, panel_rows_clear, widget_hospitals_class (refresh: a
 *   reading that moves no row is not sorted again; one that does is)
 */
static void
test_sort_only_when_moved(void **state)
{
	struct store	*s = store_new();
	struct panel	*p;
	unsigned	 sorts;

	(void)state;
	put_hospital(s, "H1", 0, 100, 50);
	put_hospital(s, "H2", 0, 100, 70);
	put_hospital(s, "H3", 0, 100, 90);
	p = panel_create(&widget_hospitals_class, 2);
	panel_refresh(p, s);
	assert_string_equal(s->hospitals[p->rows[0]].id, "H3");
	assert_string_equal(s->hospitals[p->rows[2]].id, "H1");
	sorts = p->sorts;

	/* A reading that leaves the order: kept, no sort. */
	store_hospital(s, "H2")->beds_used = 75;
	panel_refresh(p, s);
	assert_int_equal(p->sorts, sorts);
	assert_string_equal(s->hospitals[p->rows[1]].id, "H2");
	/* A few beds within the same percent do not swap two rows. */
	store_hospital(s, "H1")->beds_used = 75;
	store_hospital(s, "H1")->beds = 100;
	panel_refresh(p, s);
	assert_string_equal(s->hospitals[p->rows[1]].id, "H1");
	store_hospital(s, "H2")->beds = 1000;
	store_hospital(s, "H2")->beds_used = 759;
	panel_refresh(p, s);
	assert_string_equal(s->hospitals[p->rows[1]].id, "H1");
	assert_string_equal(s->hospitals[p->rows[2]].id, "H2");
	/* One that moves a row: sorted. */
	sorts = p->sorts;
	store_hospital(s, "H2")->beds_used = 990;
	panel_refresh(p, s);
	assert_int_equal(p->sorts, sorts + 1);
	assert_string_equal(s->hospitals[p->rows[0]].id, "H2");
	/* A hospital more: sorted, whatever the old order. */
	put_hospital(s, "H4", 0, 100, 10);
	panel_refresh(p, s);
	assert_int_equal(p->sorts, sorts + 2);
	assert_int_equal(p->nrows, 4);
	assert_string_equal(s->hospitals[p->rows[3]].id, "H4");
	panel_free(p);
	store_free(s);
}

/*
 * Test functions:
 *   widget_hospitals_class, widget_schools_class (records: a diversion,
 *   an item come or gone change the key, a reading does not)
 */
static void
test_gauge_records(void **state)
{
	struct store		*s = store_new();
	struct panel		*p, *sp;
	struct hospital		*h;
	uint64_t		 k;

	(void)state;
	store_add_area(s, "HL", "Hạ Long");
	put_hospital(s, "H1", 0, 100, 50);
	put_school(s, "S1", "HL", 100, 90);
	p = panel_create(&widget_hospitals_class, 2);
	sp = panel_create(&widget_schools_class, 3);
	assert_non_null(widget_hospitals_class.records);
	assert_non_null(widget_schools_class.records);
	assert_null(widget_alerts_class.records);
	assert_null(widget_feedback_class.records);
	panel_refresh(p, s);
	k = widget_hospitals_class.records(p, s);

	/* Readings: the ER, the ICU, the beds. */
	h = store_hospital(s, "H1");
	h->er_waiting = 12;
	h->icu_used++;
	h->beds_used = 60;
	h->version++;
	panel_refresh(p, s);
	assert_true(widget_hospitals_class.records(p, s) == k);

	/* Records: a diversion, a new hospital. */
	h->diversion = 1;
	assert_true(widget_hospitals_class.records(p, s) != k);
	k = widget_hospitals_class.records(p, s);
	put_hospital(s, "H2", 0, 10, 1);
	assert_true(widget_hospitals_class.records(p, s) != k);

	k = widget_schools_class.records(sp, s);
	store_school(s, "S1")->present = 80;
	assert_true(widget_schools_class.records(sp, s) == k);
	put_school(s, "S2", "HL", 100, 90);
	assert_true(widget_schools_class.records(sp, s) != k);
	panel_free(p);
	panel_free(sp);
	store_free(s);
}

/*
 * Test functions:
 *   widget_feedback_class (a trainer's case on a live feed is marked as
 *   an exercise, as alerts are; not on a feed that is all exercise)
 */
static void
test_feedback_exercise(void **state)
{
	struct store		*s = store_new();
	struct panel		*p;
	struct panel_view	 v;
	struct draw_line	 l;
	size_t			 i;
	int			 live;

	(void)state;
	put_feedback(s, "F1", 0, FB_NEW);
	put_feedback(s, "F2", 0, FB_NEW);
	store_feedback(s, "F2")->exercise = 1;
	p = panel_create(panel_find_class("feedback"), 4);
	p->w = 80;
	panel_refresh(p, s);
	memset(&v, 0, sizeof v);
	v.now = T0;
	for (live = 1; live >= 0; live--) {
		v.exercise = !live;
		p->cls->columns(p, s, &v);
		for (i = 0; i < p->nrows; i++) {
			draw_line_init(&l, 78, 0);
			p->cls->row(p, s, &v, i, &l);
			l.text[l.used] = '\0';
			if (live && strcmp(s->feedback[p->rows[i]].id, "F2") == 0)
				assert_non_null(strstr(l.text, "[EX] "));
			else
				assert_null(strstr(l.text, "[EX] "));
		}
	}
	panel_free(p);
	store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feedback_exercise),
		cmocka_unit_test(test_alerts_order_and_filter),
		cmocka_unit_test(test_selection_kept_across_resort),
		cmocka_unit_test(test_move_clamps),
		cmocka_unit_test(test_reselect_when_gone),
		cmocka_unit_test(test_scroll_follows),
		cmocka_unit_test(test_other_classes_order),
		cmocka_unit_test(test_draw_helpers),
		cmocka_unit_test(test_cols_narrow),
		cmocka_unit_test(test_spark),
		cmocka_unit_test(test_want_search_sort),
		cmocka_unit_test(test_detail_lines),
		cmocka_unit_test(test_draw_line),
		cmocka_unit_test(test_draw_line_put),
		cmocka_unit_test(test_sort_only_when_moved),
		cmocka_unit_test(test_gauge_records),
	};

	/* Widths are the C library's, as for the console (draw.c). */
	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for areas as people see them (core/areas.c): labels, display
 * groups, filters, the order of the area keys, finding what an officer
 * types. Then the shipped province of 54 communes drawn at 80x24: the
 * Schools panel's regions that open to their communes and to their
 * schools, the area keys stepping through regions and communes, the
 * narrow Area columns, search and completion by names typed without
 * accents.
 */

#include <limits.h>
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

#include "areas.h"
#include "be-data.h"
#include "be-rng.h"
#include "clock.h"
#include "cmd.h"
#include "complete.h"
#include "fold.h"
#include "i18n.h"
#include "input.h"
#include "layout.h"
#include "log.h"
#include "panel.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"
#include "lib/test-term.h"

#define T0	INT64_C(1773036000000)	/* 2026-03-09 13:00 UTC+7. */
#define LINE	2048

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

/* ==== A small province ==== */

static void
t_area(struct store *s, const char *code, const char *name,
    const char *short_name, const char *abbr, const char *group,
    const char *group_name, const char *former)
{
	struct area	a;

	memset(&a, 0, sizeof a);
	snprintf(a.code, sizeof a.code, "%s", code);
	a.name = xstrdup(name);
	a.short_name = short_name != NULL ? xstrdup(short_name) : NULL;
	snprintf(a.abbr, sizeof a.abbr, "%s", abbr != NULL ? abbr : "");
	snprintf(a.group, sizeof a.group, "%s", group != NULL ? group : "");
	a.group_name = group_name != NULL ? xstrdup(group_name) : NULL;
	a.former = former != NULL ? xstrdup(former) : NULL;
	store_put_area(s, &a);
	area_clear(&a);
}

/* Three groups (one of a single area), and an area of no group. */
static struct store *
t_small(void)
{
	struct store	*s = store_new();

	t_area(s, "10001", "Phường Bãi Cháy", "Bãi Cháy", "BCha", "HL",
	    "Hạ Long", "phường Hùng Thắng, phường Bãi Cháy");
	t_area(s, "10002", "Phường Hạ Long", "Hạ Long", "HLon", "HL",
	    "Hạ Long", "phường Hồng Hà, phường Hồng Hải");
	t_area(s, "10003", "Phường Cao Xanh", "Cao Xanh", "CX", "HL",
	    "Hạ Long", "phường Hà Khánh, phường Cao Xanh");
	t_area(s, "20001", "Phường Cẩm Phả", "Cẩm Phả", "CP", "CP",
	    "Cẩm Phả", NULL);
	t_area(s, "20002", "Phường Cửa Ông", "Cửa Ông", "CO", "CP",
	    "Cẩm Phả", NULL);
	t_area(s, "30001", "Đặc khu Cô Tô", "Cô Tô", "CT", "CTG",
	    "Cô Tô", NULL);
	t_area(s, "X1", "Khu Một", NULL, NULL, NULL, NULL, NULL);
	return (s);
}

/*
 * Test functions:
 *   areas_label, areas_short, areas_filter_label, areas_filter_name,
 *   areas_word, areas_ngroups, areas_group, areas_group_size,
 *   areas_is_group, areas_in
 */
static void
test_labels_groups(void **state)
{
	struct store	*s = t_small();
	char		*w;

	(void)state;
	assert_string_equal(areas_label(s, "10001"), "BCha");
	assert_string_equal(areas_label(s, "X1"), "X1");
	assert_string_equal(areas_label(s, "ZZ"), "ZZ");
	assert_string_equal(areas_short(store_area(s, "10001")), "Bãi Cháy");
	assert_string_equal(areas_short(store_area(s, "X1")), "Khu Một");
	assert_string_equal(areas_filter_label(s, "HL"), "Hạ Long");
	assert_string_equal(areas_filter_label(s, "10002"), "HLon");
	assert_string_equal(areas_filter_name(s, "10002"), "Phường Hạ Long");
	assert_string_equal(areas_filter_name(s, "CP"), "Cẩm Phả");
	w = areas_word(s, store_area(s, "10001"));
	assert_string_equal(w, "Bãi_Cháy");
	free(w);

	assert_int_equal(areas_ngroups(s), 3);
	assert_string_equal(areas_group(s, 0)->group, "HL");
	assert_string_equal(areas_group(s, 1)->group, "CP");
	assert_string_equal(areas_group(s, 2)->group, "CTG");
	assert_null(areas_group(s, 3));
	assert_int_equal(areas_group_size(s, "HL"), 3);
	assert_int_equal(areas_group_size(s, "CTG"), 1);
	assert_int_equal(areas_group_size(s, ""), 0);
	assert_true(areas_is_group(s, "CP"));
	assert_false(areas_is_group(s, "20001"));
	assert_false(areas_is_group(s, ""));
	assert_false(areas_is_group(s, "ZZ"));

	assert_true(areas_in(s, "10003", ""));
	assert_true(areas_in(s, "10003", "10003"));
	assert_true(areas_in(s, "10003", "HL"));
	assert_false(areas_in(s, "10003", "CP"));
	assert_false(areas_in(s, "10003", "10001"));
	assert_false(areas_in(s, "X1", "HL"));

	/* Two areas of one short name: the word is the code. */
	t_area(s, "40001", "Xã Bãi Cháy", "Bãi Cháy", NULL, NULL, NULL, NULL);
	w = areas_word(s, store_area(s, "10001"));
	assert_string_equal(w, "10001");
	free(w);
	store_free(s);
}

/*
 * Test functions:
 *   areas_step (every area, each group and its areas, a group of one
 *   area left out, an area of no group; both ways round)
 */
static void
test_step(void **state)
{
	static const char *const order[] = { "", "HL", "10001", "10002",
	    "10003", "CP", "20001", "20002", "30001", "X1" };
	struct store	*s = t_small(), *empty = store_new();
	char		 cur[MODEL_CODE_MAX] = "";
	size_t		 n = sizeof order / sizeof order[0], i;

	(void)state;
	for (i = 1; i <= n; i++) {
		assert_int_equal(areas_step(s, cur, 1, cur, sizeof cur), 0);
		assert_string_equal(cur, order[i % n]);
	}
	for (i = n; i > 0; i--) {
		assert_int_equal(areas_step(s, cur, -1, cur, sizeof cur), 0);
		assert_string_equal(cur, order[i - 1]);
	}
	/* Something the store does not know counts as "every area". */
	assert_int_equal(areas_step(s, "ZZ", 1, cur, sizeof cur), 0);
	assert_string_equal(cur, "HL");
	assert_int_equal(areas_step(empty, "", 1, cur, sizeof cur), -1);
	store_free(empty);
	store_free(s);
}

/*
 * Test functions:
 *   areas_find (codes, exact names before groups, word starts, former
 *   units, ambiguity), areas_match
 */
static void
test_find(void **state)
{
	struct store	*s = t_small();
	char		 out[MODEL_CODE_MAX];
	char		*f;

	(void)state;
#define FIND(text, want) do {						\
	assert_int_equal(areas_find(s, (text), out, sizeof out), 0);	\
	assert_string_equal(out, (want));				\
} while (0)
	FIND("10001", "10001");
	FIND("x1", "X1");
	FIND("hl", "HL");
	FIND("bai chay", "10001");
	FIND("Bãi_Cháy", "10001");
	FIND("phuong bai chay", "10001");
	FIND("p bai", "10001");
	FIND("baich", "10001");
	/* The area before the group of the same name. */
	FIND("cam pha", "20001");
	FIND("ha long", "10002");
	FIND("cua", "20002");
	/* A start of one name only. */
	FIND("co", "30001");
	FIND("ha khanh", "10003");
	FIND("hung thang", "10001");
#undef FIND
	assert_int_equal(areas_find(s, "phuong", out, sizeof out), -2);
	assert_int_equal(areas_find(s, "atlantis", out, sizeof out), -1);
	assert_int_equal(areas_find(s, "", out, sizeof out), -1);

	f = fold_text("ha khanh");
	assert_true(areas_match(store_area(s, "10003"), f, FOLD_START));
	assert_false(areas_match(store_area(s, "10001"), f, 0));
	free(f);
	f = fold_text("anh");
	assert_true(areas_match(store_area(s, "10003"), f, 0));
	assert_false(areas_match(store_area(s, "10003"), f, FOLD_START));
	free(f);
	f = fold_text("1000");
	assert_true(areas_match(store_area(s, "10003"), f, FOLD_START));
	free(f);
	store_free(s);
}

/* ==== The shipped province at 80x24 ==== */

static struct test_term	 term;
static struct store	*qn;
static struct be_data	*qn_data;
static struct layout	*lay;

/* Line y, columns x0 .. x0+n-1, as UTF-8. */
static void
t_text(int y, int x0, int n, char *out, size_t sz)
{
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 attrs;
	short		 pair;
	mbstate_t	 ps;
	char		 mb[MB_LEN_MAX];
	size_t		 o = 0, k;
	int		 x, i;

	for (x = x0; x < x0 + n && x < COLS; x++) {
		if (mvwin_wch(curscr, y, x, &cc) == ERR)
			break;
		memset(wc, 0, sizeof wc);
		if (getcchar(&cc, wc, &attrs, &pair, NULL) == ERR)
			continue;
		for (i = 0; wc[i] != L'\0'; i++) {
			memset(&ps, 0, sizeof ps);
			k = wcrtomb(mb, wc[i], &ps);
			if (k == (size_t)-1 || o + k + 1 > sz)
				continue;
			memcpy(out + o, mb, k);
			o += k;
		}
	}
	out[o] = '\0';
}

/* The first line of panel name that holds s, or -1. */
static int
t_in(const char *name, const char *s)
{
	const struct layout_rect	*r;
	char				 buf[LINE];
	int				 y;

	r = &lay->rect[layout_find(lay, name)];
	for (y = r->y; y < r->y + r->h; y++) {
		t_text(y, r->x, r->w, buf, sizeof buf);
		if (strstr(buf, s) != NULL)
			return (y - r->y);
	}
	return (-1);
}

static int
t_on_screen(const char *s)
{
	char	buf[LINE];
	int	y;

	for (y = 0; y < LINES; y++) {
		t_text(y, 0, COLS, buf, sizeof buf);
		if (strstr(buf, s) != NULL)
			return (1);
	}
	return (0);
}

static void
t_frame(void)
{
	layout_store_changed(lay);
	layout_draw(lay, clock_now());
	layout_place_cursor(lay);
	doupdate();
	if (getenv("RENDER_DUMP") != NULL) {
		char	buf[LINE];
		int	y;

		for (y = 0; y < LINES; y++) {
			t_text(y, 0, COLS, buf, sizeof buf);
			fprintf(stderr, "%2d|%s|\n", y, buf);
		}
	}
}

static struct cmd_ctx	cctx;		/* The keys' commands. */

static void
no_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	(void)text;
}

static const struct cmd_ops areas_ops = {
	.message = no_message
};

/* A key as the terminal gives it, through the key tables; 1 if taken. */
static int
key(int k)
{
	return (input_key(k >= KEY_MIN, (wint_t)k, 0));
}

static int
setup_province(void **state)
{
	struct be_rng	 rng;
	struct alert	 a;
	char		*dir, *cause = NULL;
	size_t		 i;

	(void)state;
	log_level = LOG_ERROR;
	unsetenv("NO_COLOR");
	if (test_term_open(&term, 24, 80) != 0)
		return (-1);
	theme_init(1);
	if (i18n_init("en") != 0)
		return (-1);
	clock_set_fixed(T0);
	qn = store_new();
	be_rng_seed(&rng, 1);
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (be_data_load(dir, qn, &rng, &qn_data, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		free(dir);
		return (-1);
	}
	free(dir);
	/* Every school reports nine in ten. */
	for (i = 0; i < qn->nschools; i++)
		qn->schools[i].present = qn->schools[i].enrolled * 9 / 10;
	/* An alert in Bãi Cháy, for the Area column. */
	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "A-0001");
	snprintf(a.area, sizeof a.area, "06673");
	a.kind = ALERT_FIRE;
	a.severity = 3;
	a.title = xstrdup("Cháy nhà dân tại Hùng Thắng");
	a.created = a.updated = T0 - 60000;
	a.version = 1;
	store_put_alert(qn, &a);
	lay = layout_create(qn);
	lay->st.link = LAYOUT_LINK_CONNECTED;
	layout_set_view(lay, 0, 1);
	layout_resize(lay, 24, 80);
	cmd_ctx_init(&cctx, qn, &areas_ops, NULL);
	cctx.layout = lay;
	input_init(lay, &cctx);
	return (0);
}

static int
teardown_province(void **state)
{
	(void)state;
	input_free();
	layout_free(lay);
	be_data_free(qn_data);
	store_free(qn);
	test_term_close(&term);
	return (0);
}

/*
 * Test functions:
 *   widget_schools_class (the regions, Enter into a region and into a
 *   commune, Esc back up, totals per region), at 80x24
 */
static void
test_schools_regions(void **state)
{
	struct panel	*p;

	(void)state;
	layout_focus(lay, layout_find(lay, "schools"));
	p = layout_focused(lay);
	t_frame();
	/* 13 former districts, Hạ Long first, opening to their communes. */
	assert_int_equal(t_in("schools", "Schools (13)"), 0);
	assert_int_equal(t_in("schools", "Region"), 1);
	assert_int_equal(t_in("schools", "Hạ Long ›"), PANEL_ROW0);
	assert_int_equal(t_in("schools", "Cẩm Phả ›"), PANEL_ROW0 + 1);
	assert_true(t_in("schools", "90.0%") >= PANEL_ROW0);
	assert_true(t_in("schools", "today") > 0);
	assert_string_equal(panel_selected(p), "HL");

	/* Enter: the 11 communes of Hạ Long, with their own totals. */
	assert_int_equal(key('\r'), 1);
	t_frame();
	assert_int_equal(t_in("schools", "Schools (11) › Hạ Long"), 0);
	assert_int_equal(t_in("schools", "Area"), 1);
	assert_int_equal(t_in("schools", "Bãi Cháy"), PANEL_ROW0);
	assert_int_equal(t_in("schools", "Cẩm Phả"), -1);
	assert_true(t_in("schools", "Hạ Long 90.0% · Esc back") > 0);
	assert_string_equal(panel_selected(p), "06673");

	/* Enter: the schools of Bãi Cháy. */
	assert_int_equal(key('\r'), 1);
	t_frame();
	assert_int_equal(t_in("schools", "Schools (4) › Hạ Long › Bãi Cháy"),
	    0);
	assert_true(t_in("schools", "THPT Bãi Cháy") > 0);
	assert_true(t_in("schools", "Phường Bãi Cháy 90.0% · Esc back") > 0);

	/* Esc, Esc: back up, the rows came from still selected. */
	assert_int_equal(key(27), 1);
	t_frame();
	assert_int_equal(t_in("schools", "Schools (11)"), 0);
	assert_string_equal(panel_selected(p), "06673");
	assert_int_equal(key(27), 1);
	t_frame();
	assert_int_equal(t_in("schools", "Schools (13)"), 0);
	assert_string_equal(panel_selected(p), "HL");

	/* A region of one commune opens straight to its schools. */
	assert_int_equal(panel_select(p, "CT"), 0);
	assert_int_equal(key('\r'), 1);
	t_frame();
	assert_true(t_in("schools", "THCS Cô Tô") > 0);
	assert_int_equal(key(27), 1);
	t_frame();
	assert_int_equal(t_in("schools", "Schools (13)"), 0);
	assert_string_equal(panel_selected(p), "CT");

	/* ASCII: the mark is ">". */
	layout_set_view(lay, 1, 1);
	layout_resize(lay, 24, 80);
	t_frame();
	assert_true(t_in("schools", "Ba Che >") > 0);
	layout_set_view(lay, 0, 1);
	layout_resize(lay, 24, 80);
	layout_focus(lay, 0);
	t_frame();
}

/*
 * Test functions:
 *   layout_key (']' and '['), layout_filter_area, panel_want,
 *   widget_alerts_class (the Area column), at 80x24
 */
static void
test_area_keys(void **state)
{
	char	*cause = NULL;
	int	 i;

	(void)state;
	t_frame();
	assert_true(t_in("alerts", "BCha") > 0);
	/* "]": the region of Hạ Long, then its first commune. */
	key(']');
	t_frame();
	assert_string_equal(lay->filter.area, "HL");
	assert_int_equal(t_in("alerts", "Alerts (1) [Hạ Long]"), 0);
	assert_int_equal(t_in("schools", "Schools (11) [Hạ Long]"), 0);
	assert_true(t_on_screen("Area: Hạ Long, 11 communes"));
	key(']');
	t_frame();
	assert_string_equal(lay->filter.area, "06673");
	assert_int_equal(t_in("alerts", "Alerts (1) [BCha]"), 0);
	assert_int_equal(t_in("schools", "Schools (1) [BCha]"), 0);
	assert_true(t_on_screen("Area: Phường Bãi Cháy (Hạ Long)"));
	/* The rest of Hạ Long, then the region of Cẩm Phả. */
	for (i = 0; i < 10; i++)
		key(']');
	key(']');
	t_frame();
	assert_string_equal(lay->filter.area, "CP");
	assert_int_equal(t_in("alerts", "Alerts (0) [Cẩm Phả]"), 0);
	/* "[" from every area: the last commune. */
	assert_int_equal(layout_filter_area(lay, "all", &cause), 0);
	key('[');
	assert_string_equal(lay->filter.area, "07192");
	/* Typed names. */
	assert_int_equal(layout_filter_area(lay, "p hong gai", &cause), 0);
	assert_string_equal(lay->filter.area, "06685");
	assert_int_equal(layout_filter_area(lay, "cam pha", &cause), 0);
	assert_string_equal(lay->filter.area, "06793");
	assert_int_equal(layout_filter_area(lay, "Đông Triều", &cause), 0);
	assert_string_equal(lay->filter.area, "07093");
	assert_int_equal(layout_filter_area(lay, "hai", &cause), -1);
	assert_non_null(strstr(cause, "more than one"));
	free(cause);
	layout_filter_clear(lay);
	t_frame();
}

/*
 * Test functions:
 *   layout_search, panel_want (names typed without accents find their
 *   communes in the Schools panel), complete_line (the filter's areas)
 */
static void
test_search_complete(void **state)
{
	char	**m;
	size_t	  n, i;
	int	  seen = 0;

	(void)state;
	layout_focus(lay, layout_find(lay, "schools"));
	layout_search(lay, "bai chay");
	t_frame();
	assert_int_equal(t_in("schools", "Schools (1) /bai chay"), 0);
	assert_int_equal(t_in("schools", "Bãi Cháy"), PANEL_ROW0);
	layout_search(lay, "p hong gai");
	t_frame();
	assert_int_equal(t_in("schools", "Schools (1)"), 0);
	assert_int_equal(t_in("schools", "Hồng Gai"), PANEL_ROW0);
	/* Phường Hà Khánh is gone: Cao Xanh was formed from it. */
	layout_search(lay, "ha khanh");
	t_frame();
	assert_int_equal(t_in("schools", "Schools (1)"), 0);
	assert_int_equal(t_in("schools", "Cao Xanh"), PANEL_ROW0);
	assert_int_equal(key('\r'), 1);
	t_frame();
	assert_true(t_in("schools", "THCS Hà Khánh") > 0);
	assert_int_equal(key(27), 1);
	layout_search(lay, NULL);
	layout_focus(lay, 0);
	t_frame();

	/* ":filter bai<Tab>" offers the commune by a name to type. */
	m = complete_line(qn, "filter bai", 7, "bai", &n);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "Bãi_Cháy");
	complete_free(m);
	m = complete_line(qn, "filter p_hong_g", 7, "p_hong_g", &n);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "Hồng_Gai");
	complete_free(m);
	m = complete_line(qn, "filter ha", 7, "ha", &n);
	for (i = 0; i < n; i++)
		seen += strcmp(m[i], "Hà_Lầm") == 0 || strcmp(m[i],
		    "Hạ_Long") == 0;
	assert_int_equal(seen, 2);
	complete_free(m);
	m = complete_line(qn, "filter 0667", 7, "0667", &n);
	assert_true(n >= 2);
	complete_free(m);
}

int
main(void)
{
	const struct CMUnitTest units[] = {
		cmocka_unit_test(test_labels_groups),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_find),
	};
	const struct CMUnitTest screen[] = {
		cmocka_unit_test(test_schools_regions),
		cmocka_unit_test(test_area_keys),
		cmocka_unit_test(test_search_complete),
	};
	int	rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(units, NULL, NULL);
	rc += cmocka_run_group_tests(screen, setup_province,
	    teardown_province);
	return (rc);
}

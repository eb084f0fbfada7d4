/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Render test: the whole layout drawn into an off-screen ncurses screen
 * (output to /dev/null, size from LINES/COLUMNS), read back cell by cell
 * from curscr after doupdate(), at 80x24, 60x20, 30x8 and 200x50.
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

#include "clock.h"
#include "layout.h"
#include "model.h"
#include "panel.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"

#define T0	INT64_C(1767225600000)	/* 2026-01-01 00:00:00 UTC. */
#define MIN	INT64_C(60000)
#define LINE_MAX_BYTES	2048

static FILE		*devnull_w, *devnull_r;
static SCREEN		*scr;
static struct store	*store;
static struct layout	*lay;
static int		 cur_y, cur_x;	/* Terminal cursor after a frame. */

/* ==== Fixture ==== */

static void
put_alert(const char *id, int sev, const char *area, const char *title,
    int64_t created, int64_t deadline)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.area, sizeof a.area, "%s", area);
	a.kind = ALERT_FLOOD;
	a.severity = sev;
	a.title = xstrdup(title);
	a.place = xstrdup("");
	a.created = a.updated = created;
	a.deadline = deadline;
	a.version = 1;
	store_put_alert(store, &a);
}

static void
put_hospital(const char *id, const char *name, int smart, int beds,
    int used)
{
	struct hospital	h;

	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "%s", id);
	snprintf(h.area, sizeof h.area, "HL");
	h.name = xstrdup(name);
	h.smart = smart;
	h.beds = beds;
	h.beds_used = used;
	h.icu = 20;
	h.icu_used = 5;
	h.er_waiting = 3;
	h.ambulances = 2;
	h.version = 1;
	store_put_hospital(store, &h);
}

static void
put_school(const char *id, const char *area, int enrolled, int present)
{
	struct school	s;

	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "%s", id);
	snprintf(s.area, sizeof s.area, "%s", area);
	s.name = xstrdup(id);
	s.enrolled = enrolled;
	s.present = present;
	s.version = 1;
	store_put_school(store, &s);
}

static void
put_feedback(const char *id, const char *text, int64_t deadline)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	snprintf(f.area, sizeof f.area, "CP");
	f.channel = FB_HOTLINE;
	f.text = xstrdup(text);
	f.received = T0 - 30 * MIN;
	f.deadline = deadline;
	f.version = 1;
	store_put_feedback(store, &f);
}

static void
fill_store(void)
{
	store = store_new();
	free(store->province);
	store->province = xstrdup("Quảng Ninh");
	store->utc_offset_min = 420;
	store_add_area(store, "HL", "Hạ Long");
	store_add_area(store, "CP", "Cẩm Phả");
	store_add_area(store, "CT", "Cô Tô");

	put_alert("A-0001", 1, "CP", "Cây đổ chắn đường", T0 - 30 * MIN, 0);
	put_alert("A-0002", 4, "HL", "Ngập sâu tại Hạ Long", T0 - 12 * MIN,
	    T0 - 2 * MIN);
	/* Hostile: raw ESC, CSI, OSC, CR and BS; must stay inert. */
	put_alert("A-0003", 3, "HL", "EVIL\x1b[31mRED\r\x1b]0;pwned\x07\bX",
	    T0 - 5 * MIN, T0 + 3 * MIN);

	put_hospital("H01", "Bệnh viện Đa khoa tỉnh", 1, 1000, 900);
	put_hospital("H02", "Bệnh viện Bãi Cháy", 1, 700, 600);
	put_hospital("H03", "TTYT Cô Tô", 0, 50, 20);

	put_school("S1", "HL", 1000, 950);
	put_school("S2", "HL", 1000, 950);
	put_school("S3", "CP", 500, 400);

	put_feedback("F-0001", "Đèn đường hỏng ở phường Cẩm Thủy",
	    T0 + 3 * 60 * MIN);
	put_feedback("F-0002", "Rác thải\nchưa thu gom", T0 - 10 * MIN);
}

static int
setup(void **state)
{
	(void)state;
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	devnull_w = fopen("/dev/null", "w");
	devnull_r = fopen("/dev/null", "r");
	if (devnull_w == NULL || devnull_r == NULL)
		return (-1);
	if ((scr = newterm("xterm-256color", devnull_w, devnull_r)) == NULL)
		return (-1);
	set_term(scr);
	theme_init(1);
	clock_set_fixed(T0);
	fill_store();
	lay = layout_create(store);
	lay->st.link = LAYOUT_LINK_CONNECTED;
	snprintf(lay->st.operator, sizeof lay->st.operator, "demo");
	snprintf(lay->st.role, sizeof lay->st.role, "supervisor");
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	layout_free(lay);
	store_free(store);
	endwin();
	delscreen(scr);
	fclose(devnull_w);
	fclose(devnull_r);
	return (0);
}

/* ==== Reading the screen back ==== */

/* One frame, as the runtime does it. */
static void
frame(void)
{
	layout_store_changed(lay);
	layout_draw(lay, clock_now());
	layout_place_cursor(lay);
	doupdate();
	/* Before reading cells back: mvwin_wch() moves curscr's cursor. */
	getyx(curscr, cur_y, cur_x);
}

/*
 * Line y of the screen, columns x0 .. x0+n-1, as UTF-8 in out. Fails the
 * test on a control character in any cell.
 */
static void
screen_text(int y, int x0, int n, char *out, size_t sz)
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
			assert_false(wc[i] < 0x20 || (wc[i] >= 0x7f &&
			    wc[i] < 0xa0));
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

/* The first line in y0..y1 whose columns x0..x0+n-1 contain s, or -1. */
static int
find_line(int y0, int y1, int x0, int n, const char *s)
{
	char	buf[LINE_MAX_BYTES];
	int	y;

	for (y = y0; y <= y1 && y < LINES; y++) {
		screen_text(y, x0, n, buf, sizeof buf);
		if (strstr(buf, s) != NULL)
			return (y);
	}
	return (-1);
}

/* Anywhere on the screen. */
static int
on_screen(const char *s)
{
	return (find_line(0, LINES - 1, 0, COLS, s) >= 0);
}

static int
in_rect(const struct layout_rect *r, const char *s)
{
	return (find_line(r->y, r->y + r->h - 1, r->x, r->w, s));
}

static void
resize_to(int lines, int cols)
{
	resizeterm(lines, cols);
	layout_resize(lay, lines, cols);
	frame();
}

/* ==== Tests ==== */

/*
 * Test functions:
 *   layout_create, layout_resize, layout_store_changed, layout_draw,
 *   panel_draw, widget_alerts_class, widget_hospitals_class,
 *   widget_schools_class, widget_feedback_class, draw_text, draw_box
 */
static void
test_grid_80x24(void **state)
{
	struct layout_rect	*r;
	char			 buf[LINE_MAX_BYTES];
	int			 y2, y3, y1;

	(void)state;
	resize_to(24, 80);
	assert_int_equal(lay->mode, LAYOUT_GRID);

	/* Header: province, clock (UTC+7), link state, operator. */
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "TRUCBAN"));
	assert_non_null(strstr(buf, "Quảng Ninh"));
	assert_non_null(strstr(buf, "07:00:00"));
	assert_non_null(strstr(buf, "Đã kết nối"));
	assert_non_null(strstr(buf, "demo (supervisor)"));

	/* The four titles with their counts, each in its own quarter. */
	assert_int_equal(in_rect(&lay->rect[0], "Cảnh báo (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[1], "Bệnh viện (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[2], "Trường học (2)"), 12);
	assert_int_equal(in_rect(&lay->rect[3], "Phản ánh (2)"), 12);

	/* Alerts: critical first with its title, the low one last. */
	r = &lay->rect[0];
	y2 = in_rect(r, "A-0002");
	y3 = in_rect(r, "A-0003");
	y1 = in_rect(r, "A-0001");
	assert_int_equal(y2, r->y + PANEL_ROW0);
	assert_true(y2 < y3 && y3 < y1);
	assert_int_equal(in_rect(r, "Ngập sâu"), y2);
	assert_int_equal(in_rect(r, "◆4"), y2);
	/* Overdue shows a mark, not only a colour; near shows "!". */
	assert_int_equal(in_rect(r, "12m!!"), y2);
	assert_int_equal(in_rect(r, "5m!"), y3);
	assert_int_equal(in_rect(r, "EVIL"), y3);
	/* The hostile title did not break the right border. */
	screen_text(y3, r->x + r->w - 1, 1, buf, sizeof buf);
	assert_string_equal(buf, "│");
	screen_text(y3, r->x + r->w, 1, buf, sizeof buf);
	assert_string_equal(buf, "│");

	/*
	 * Hospitals: smart, fullest first, with the bed figures; names that
	 * do not fit are abbreviated before they are cut.
	 */
	r = &lay->rect[1];
	assert_int_equal(in_rect(r, "★ BVĐK tỉnh"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "★ BV Bãi Cháy"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "TTYT Cô Tô"), r->y + PANEL_ROW0 + 2);
	assert_int_equal(in_rect(r, "900/1000"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "600/700"), r->y + PANEL_ROW0 + 1);

	/* Schools: areas in order with their attendance. */
	r = &lay->rect[2];
	assert_int_equal(in_rect(r, "Hạ Long"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "95,0%"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "1900/2000"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "80,0%"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "Cô Tô"), -1);

	/* Feedback: overdue case first. */
	r = &lay->rect[3];
	assert_int_equal(in_rect(r, "F-0002"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "F-0001"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "-10m!!"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "3h"), r->y + PANEL_ROW0 + 1);

	/* Status line: severities, overdue count, beds, attendance. */
	screen_text(LINES - 2, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "S4:1 S3:1 S2:0 S1:1"));
	assert_non_null(strstr(buf, "quá hạn 2"));
	assert_non_null(strstr(buf, "giường trống 230"));

	/* The cursor sits on the selected row of the focused panel. */
	assert_int_equal(cur_y, lay->rect[0].y + PANEL_ROW0);
	assert_int_equal(cur_x, 1);
}

/*
 * Test functions:
 *   layout_set_view, layout_draw, layout_message, draw_fit (ASCII)
 */
static void
test_english_ascii_offline(void **state)
{
	char	buf[LINE_MAX_BYTES];
	int	y, x;

	(void)state;
	resize_to(24, 80);
	layout_set_view(lay, 0, 1);
	lay->st.link = LAYOUT_LINK_OFFLINE;
	lay->st.stale_since = T0 - 90 * 1000;
	layout_message(lay, 1, "ack A-0002: refused");
	frame();
	assert_true(on_screen("Alerts (3)"));
	assert_true(on_screen("Hospitals (3)"));
	assert_true(on_screen("Schools (2)"));
	assert_true(on_screen("Feedback (2)"));
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "offline"));
	assert_non_null(strstr(buf, "stale since 06:58:30"));
	assert_true(on_screen("ack A-0002: refused"));
	assert_true(on_screen("95.0%"));

	/* ASCII: no byte above 0x7f anywhere, Vietnamese folded. */
	layout_set_view(lay, 1, 0);
	frame();
	assert_true(on_screen("Canh bao (3)"));
	assert_true(on_screen("Quang Ninh"));
	assert_true(on_screen("Ha Long"));
	assert_true(on_screen("Mat ket noi"));
	for (y = 0; y < LINES - 1; y++) {
		screen_text(y, 0, COLS, buf, sizeof buf);
		for (x = 0; buf[x] != '\0'; x++)
			assert_true((unsigned char)buf[x] < 0x80);
	}
	layout_set_view(lay, 0, 0);
	lay->st.link = LAYOUT_LINK_CONNECTED;
	lay->st.stale_since = 0;
	layout_message(lay, 0, "%s", "");
	frame();
}

/*
 * Test functions:
 *   layout_resize, layout_draw (single mode with a tab bar; too small)
 */
static void
test_single_and_small(void **state)
{
	char	buf[LINE_MAX_BYTES];

	(void)state;
	resize_to(20, 60);
	assert_int_equal(lay->mode, LAYOUT_SINGLE);
	screen_text(1, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "1 Cảnh báo"));
	assert_non_null(strstr(buf, "2 Bệnh viện"));
	assert_non_null(strstr(buf, "3 Trường học"));
	assert_non_null(strstr(buf, "4 Phản ánh"));
	/* One panel in the body: its title, and no other's. */
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "Cảnh báo (3)"), 2);
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "Bệnh viện ("),
	    -1);
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "A-0002"),
	    2 + PANEL_ROW0);

	/* Switch panels: the body now shows Hospitals. */
	layout_key(lay, '2');
	frame();
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "Bệnh viện (3)"),
	    2);
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "A-0002"), -1);
	layout_key(lay, '1');

	resize_to(8, 30);
	assert_int_equal(lay->mode, LAYOUT_TOO_SMALL);
	assert_true(on_screen("Cửa sổ quá nhỏ"));
	assert_true(on_screen("too small"));
	assert_true(on_screen("40×10"));
	assert_false(on_screen("Cảnh báo"));
	assert_false(on_screen("A-0002"));
}

/*
 * Test functions:
 *   layout_resize, layout_key, panel_selected, layout_place_cursor
 */
static void
test_resize_keeps_selection(void **state)
{
	char			 buf[LINE_MAX_BYTES];
	struct layout_rect	*r;
	struct alert		*a;

	(void)state;
	resize_to(24, 80);
	layout_key(lay, '1');
	layout_key(lay, 'g');
	layout_key(lay, 'j');
	frame();
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");

	resize_to(8, 30);
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");
	resize_to(50, 200);
	assert_int_equal(lay->mode, LAYOUT_WIDE);
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");

	/* The wide alerts panel shows more columns. */
	r = &lay->rect[0];
	assert_int_equal(r->w, 100);
	assert_int_equal(in_rect(r, "Loại"), r->y + 1);
	assert_int_equal(in_rect(r, "Đơn vị"), r->y + 1);
	assert_int_equal(in_rect(r, "lũ lụt"), r->y + PANEL_ROW0);
	assert_true(in_rect(&lay->rect[1], "★ Bệnh viện Đa khoa tỉnh") > 0);

	/* The cursor is on A-0003's row. */
	screen_text(cur_y, r->x, r->w, buf, sizeof buf);
	assert_non_null(strstr(buf, "A-0003"));

	/* A re-sort moves the row; the selection and cursor follow. */
	a = store_alert(store, "A-0003");
	a->severity = 4;
	a->created = T0 - 60 * MIN;
	store->changed |= STORE_CH_ALERTS;
	frame();
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");
	assert_int_equal(cur_y, r->y + PANEL_ROW0);
	screen_text(cur_y, r->x, r->w, buf, sizeof buf);
	assert_non_null(strstr(buf, "A-0003"));

	resize_to(24, 80);
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");
}

/*
 * Test functions:
 *   layout_draw (only dirty panels are drawn; the clock ticks the header)
 */
static void
test_lazy_redraw(void **state)
{
	char	buf[LINE_MAX_BYTES];
	int	i;

	(void)state;
	resize_to(24, 80);
	for (i = 0; i < lay->npanels; i++)
		assert_false(lay->panels[i]->flags & PANEL_DIRTY);

	/* A hospital changes: only Hospitals is redrawn. */
	store_hospital(store, "H03")->beds_used = 49;
	store->changed |= STORE_CH_HOSPITALS;
	layout_store_changed(lay);
	assert_true(lay->panels[1]->flags & PANEL_DIRTY);
	assert_false(lay->panels[0]->flags & PANEL_DIRTY);
	assert_false(lay->panels[2]->flags & PANEL_DIRTY);
	assert_int_equal(store->changed & STORE_CH_HOSPITALS, 0);
	frame();
	assert_true(on_screen("49/50"));

	/*
	 * A second later: the header's clock and the panels that show ages
	 * (Alerts, Feedback) are drawn again, the others are not. A mark
	 * scribbled into each window shows which were erased.
	 */
	for (i = 0; i < lay->npanels; i++)
		mvwaddstr(lay->panels[i]->win, 1, 1, "ZZZ");
	clock_advance(1000);
	layout_draw(lay, clock_now());
	for (i = 0; i < lay->npanels; i++) {
		mvwinnstr(lay->panels[i]->win, 1, 1, buf, 3);
		if (lay->panels[i]->cls->tick)
			assert_string_not_equal(buf, "ZZZ");
		else
			assert_string_equal(buf, "ZZZ");
	}
	assert_true(widget_alerts_class.tick && !widget_schools_class.tick);
	doupdate();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "07:00:01"));
	clock_set_fixed(T0);
	frame();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_80x24),
		cmocka_unit_test(test_english_ascii_offline),
		cmocka_unit_test(test_single_and_small),
		cmocka_unit_test(test_resize_keeps_selection),
		cmocka_unit_test(test_lazy_redraw),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, setup, teardown));
}

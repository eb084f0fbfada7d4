/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Render tests: the whole layout drawn into an off-screen ncurses screen
 * (output to a file, size from LINES/COLUMNS), read back cell by cell
 * from curscr after doupdate(). Every panel at 80x24 and 200x50, in
 * English and Vietnamese (through the real catalogue built from
 * po/vi.po), and in ASCII mode; the detail view, search, filters, the
 * schools drill-down, stale data, hostile and NFD text, resizing, and
 * what a frame costs in bytes.
 */

#include <sys/stat.h>

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>
#include <jansson.h>
#include <readline/readline.h>

#include "clock.h"
#include "cmd.h"
#include "finished.h"
#include "i18n.h"
#include "input.h"
#include "kind.h"
#include "layout.h"
#include "model.h"
#include "panel.h"
#include "prompt.h"
#include "store.h"
#include "theme.h"
#include "xmalloc.h"
#include "lib/test-term.h"

#define T0	INT64_C(1767225600000)	/* 2026-01-01 00:00:00 UTC. */
#define MIN	INT64_C(60000)
#define LINE_MAX_BYTES	2048

static struct test_term	 term;
static struct store	*store;
static struct layout	*lay;
static struct cmd_ctx	 cctx;		/* Commands and keys, on lay. */
static char		 said[512];	/* The last message. */
static int		 cur_y, cur_x;	/* Terminal cursor after a frame. */

/* Messages go to the status line, as the console's do. */
static void
say(void *arg, int error, const char *text)
{
	(void)arg;
	snprintf(said, sizeof said, "%s", text);
	layout_message(lay, error, "%s", text);
}

static const struct cmd_ops render_ops = {
	.message = say
};

/* A key as the terminal gives it; 1 if something took it. */
static int
key(int k)
{
	return (input_key(k >= KEY_MIN, (wint_t)k, 0));
}

/* A command line, as typed at the prompt. */
static enum cmd_retval
run(const char *line)
{
	return (cmd_run(&cctx, line));
}

/* ==== Fixture ==== */

static struct alert *
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
	a.place = xstrdup("Phường Bãi Cháy");
	a.created = a.updated = created;
	a.deadline = deadline;
	a.version = 1;
	return (store_put_alert(store, &a));
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
put_school(const char *id, const char *name, const char *area, int enrolled,
    int present)
{
	struct school	s;

	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "%s", id);
	snprintf(s.area, sizeof s.area, "%s", area);
	s.name = xstrdup(name);
	s.level = SCHOOL_TH;
	s.enrolled = enrolled;
	s.present = present;
	s.smart_classrooms = 12;
	s.version = 1;
	store_put_school(store, &s);
}

static struct feedback *
put_feedback(const char *id, const char *text, int64_t deadline)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	snprintf(f.area, sizeof f.area, "CP");
	snprintf(f.category, sizeof f.category, "power");
	f.channel = FB_HOTLINE;
	f.text = xstrdup(text);
	f.received = T0 - 30 * MIN;
	f.deadline = deadline;
	f.version = 1;
	return (store_put_feedback(store, &f));
}

static void
fill_store(void)
{
	struct alert	*a;
	struct feedback	*f;
	struct unit	 u;

	store = store_new();
	free(store->province);
	store->province = xstrdup("Quảng Ninh");
	store->utc_offset_min = 420;
	store_add_area(store, "HL", "Hạ Long");
	store_add_area(store, "CP", "Cẩm Phả");
	store_add_area(store, "CT", "Cô Tô");
	store_add_department(store, "SCT", "Sở Công Thương");

	put_alert("A-0001", 1, "CP", "Cây đổ chắn đường", T0 - 30 * MIN, 0);
	a = put_alert("A-0002", 4, "HL", "Ngập sâu tại Hạ Long",
	    T0 - 12 * MIN, T0 - 2 * MIN);
	a->state = ALERT_DISPATCHED;
	/* Acknowledged and dispatched in time; late to be on scene. */
	a->acked_at = T0 - 10 * MIN;
	a->dispatched_at = T0 - 9 * MIN;
	a->due_ack = a->deadline = T0 - 7 * MIN;
	a->due_dispatch = T0 - 5 * MIN;
	a->due_on_scene = T0 - 2 * MIN;
	a->acked_by = xstrdup("Nguyễn Văn An");
	alert_add_unit(a, "RES-HL-01");
	a->escalation = 1;
	history_add(&a->hist, T0 - 12 * MIN, "", "created", "sensor");
	history_add(&a->hist, T0 - 10 * MIN, "Nguyễn Văn An", "ack", "");
	history_add(&a->hist, T0 - 9 * MIN, "Nguyễn Văn An", "dispatch",
	    "RES-HL-01");
	history_add(&a->hist, T0 - 5 * MIN, "Nguyễn Văn An", "note",
	    "Nước dâng 40 cm ở đường Hạ Long; đã báo công an phường để "
	    "phân luồng, xe cứu hộ đang tới.");
	/* Hostile: raw ESC, CSI, OSC, CR and BS; must stay inert. */
	a = put_alert("A-0003", 3, "HL", "EVIL\x1b[31mRED\r\x1b]0;pwned\x07\bX",
	    T0 - 5 * MIN, T0 + 3 * MIN);
	a->muted_until = T0 + 20 * MIN;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "RES-HL-01");
	snprintf(u.area, sizeof u.area, "HL");
	u.type = UNIT_RESCUE;
	u.name = xstrdup("Cứu hộ Hạ Long 1");
	u.status = UNIT_EN_ROUTE;
	u.version = 1;
	store_put_unit(store, &u);

	put_hospital("H01", "Bệnh viện Đa khoa tỉnh", 1, 1000, 900);
	put_hospital("H02", "Bệnh viện Bãi Cháy", 1, 700, 600);
	put_hospital("H03", "TTYT Cô Tô", 0, 50, 20);

	put_school("S1", "Tiểu học Bãi Cháy", "HL", 1000, 950);
	put_school("S2", "Tiểu học Hồng Gai", "HL", 1000, 950);
	put_school("S3", "Tiểu học Cẩm Phả", "CP", 500, 400);

	put_feedback("F-0001", "Đèn đường hỏng ở phường Cẩm Thủy",
	    T0 + 3 * 60 * MIN);
	f = put_feedback("F-0002", "Rác thải\nchưa thu gom", T0 - 10 * MIN);
	f->state = FB_ASSIGNED;
	snprintf(f->dept, sizeof f->dept, "SCT");
	history_add(&f->hist, T0 - 30 * MIN, "", "created", "hotline");
	history_add(&f->hist, T0 - 20 * MIN, "demo", "assign", "SCT");
}

static int
setup(void **state)
{
	(void)state;
	unsetenv("NO_COLOR");
	if (test_term_open(&term, 24, 80) != 0)
		return (-1);
	theme_init(1);
	if (i18n_init("en") != 0)
		return (-1);
	clock_set_fixed(T0);
	fill_store();
	lay = layout_create(store);
	/* Every reading at once; test_gauge_rate tests the rate. */
	lay->gauge_ms = 0;
	cmd_ctx_init(&cctx, store, &render_ops, NULL);
	cctx.layout = lay;
	input_init(lay, &cctx);
	lay->st.link = LAYOUT_LINK_CONNECTED;
	snprintf(lay->st.operator, sizeof lay->st.operator, "demo");
	snprintf(lay->st.role, sizeof lay->st.role, "supervisor");
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	input_free();
	cmd_ctx_clear(&cctx);
	layout_free(lay);
	store_free(store);
	test_term_close(&term);
	return (0);
}

/* ==== Reading the screen back ==== */

static void	screen_text(int, int, int, char *, size_t);

/* With RENDER_DUMP set, print every frame (to see a failure). */
static void
dump(void)
{
	char	buf[LINE_MAX_BYTES];
	int	y;

	for (y = 0; y < LINES; y++) {
		screen_text(y, 0, COLS, buf, sizeof buf);
		fprintf(stderr, "%2d|%s|\n", y, buf);
	}
}

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
	if (getenv("RENDER_DUMP") != NULL)
		dump();
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

/* The panel rectangle of class name. */
static const struct layout_rect *
rect_of(const char *name)
{
	return (&lay->rect[layout_find(lay, name)]);
}

static void
resize_to(int lines, int cols)
{
	resizeterm(lines, cols);
	layout_resize(lay, lines, cols);
	frame();
}

/* Set the language and ASCII mode as the console does. */
static void
view(const char *lang, int ascii)
{
	assert_int_equal(i18n_set_lang(lang), 0);
	layout_set_view(lay, ascii, i18n_is_en());
	layout_resize(lay, LINES, COLS);
}

/* Fail when any cell of the screen holds a non-ASCII character. */
static void
assert_all_ascii(void)
{
	char	buf[LINE_MAX_BYTES];
	int	y, x;

	for (y = 0; y < LINES - 1; y++) {
		screen_text(y, 0, COLS, buf, sizeof buf);
		for (x = 0; buf[x] != '\0'; x++)
			assert_true((unsigned char)buf[x] < 0x80);
	}
}

/* The right border of every panel is in its column on every line. */
static void
assert_borders(int ascii)
{
	char	buf[LINE_MAX_BYTES];
	int	i, y;

	for (i = 0; i < lay->npanels; i++) {
		const struct layout_rect *r = &lay->rect[i];

		if (r->h == 0)
			continue;
		for (y = r->y + 1; y < r->y + r->h - 1; y++) {
			screen_text(y, r->x + r->w - 1, 1, buf, sizeof buf);
			assert_string_equal(buf, ascii ? "|" : "│");
			screen_text(y, r->x, 1, buf, sizeof buf);
			assert_string_equal(buf, ascii ? "|" : "│");
		}
	}
}

/* ==== Tests ==== */

/*
 * Test functions:
 *   layout_create, layout_resize, layout_draw, panel_draw,
 *   widget_alerts_class, widget_hospitals_class, widget_schools_class,
 *   widget_feedback_class (draw, footer), i18n_init, i18n_set_lang
 */
static void
test_80x24_english(void **state)
{
	const struct layout_rect	*r;
	char				 buf[LINE_MAX_BYTES];
	int				 y2, y3, y1;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	assert_int_equal(lay->mode, LAYOUT_GRID);

	/* Header: province, clock (UTC+7), link state, operator. */
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "TRUCBAN"));
	assert_non_null(strstr(buf, "Quảng Ninh"));
	assert_non_null(strstr(buf, "07:00:00"));
	assert_non_null(strstr(buf, "connected"));
	assert_non_null(strstr(buf, "demo (supervisor)"));

	/* The four titles with their counts, each in its own quarter. */
	assert_int_equal(in_rect(&lay->rect[0], "Alerts (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[1], "Hospitals (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[2], "Schools (2)"), 12);
	assert_int_equal(in_rect(&lay->rect[3], "Feedback (2)"), 12);

	/* Alerts: critical first with its title, the low one last. */
	r = rect_of("alerts");
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
	/* Escalated and muted: marks of their own. */
	assert_int_equal(in_rect(r, "↑"), y2);
	assert_int_equal(in_rect(r, "⊘"), y3);
	assert_int_equal(in_rect(r, "EVIL"), y3);
	/* At 80 columns the state is one glyph, so the title has room. */
	assert_int_equal(in_rect(r, "→"), y2);
	assert_true(in_rect(r, "Ngập sâu tại") == y2);
	/* The bottom border counts what needs doing. */
	assert_int_equal(in_rect(r, "new 2"), r->y + r->h - 1);
	assert_int_equal(in_rect(r, "!! overdue 1"), r->y + r->h - 1);

	/* Hospitals: smart, fullest first, names abbreviated. */
	r = rect_of("hospitals");
	assert_int_equal(in_rect(r, "★ BVĐK tỉnh"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "★ BV Bãi Cháy"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "TTYT Cô Tô"), r->y + PANEL_ROW0 + 2);
	assert_int_equal(in_rect(r, "900/1000"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "beds free 230"), r->y + r->h - 1);

	/* Schools: areas in order with their attendance, today's total. */
	r = rect_of("schools");
	assert_int_equal(in_rect(r, "Hạ Long"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "95.0%"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "80.0%"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "Cô Tô"), -1);
	assert_int_equal(in_rect(r, "today 2300/2500 92.0%"),
	    r->y + r->h - 1);

	/* Feedback: the overdue case first, with its time past. */
	r = rect_of("feedback");
	assert_int_equal(in_rect(r, "F-0002"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "F-0001"), r->y + PANEL_ROW0 + 1);
	assert_int_equal(in_rect(r, "-10m!!"), r->y + PANEL_ROW0);
	assert_int_equal(in_rect(r, "3h"), r->y + PANEL_ROW0 + 1);
	/* A newline in the citizen's text is a space on the row. */
	assert_int_equal(in_rect(r, "Rác thải chưa"), r->y + PANEL_ROW0);

	/* Status line: severities, overdue count, beds, attendance. */
	screen_text(LINES - 2, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "S4:1 S3:1 S2:0 S1:1"));
	assert_non_null(strstr(buf, "overdue 2"));
	assert_non_null(strstr(buf, "beds free 230"));
	assert_non_null(strstr(buf, "attendance 92.0%"));

	/* The cursor sits on the selected row of the focused panel. */
	assert_int_equal(cur_y, lay->rect[0].y + PANEL_ROW0);
	assert_int_equal(cur_x, 1);
	assert_borders(0);
}

/*
 * Test functions:
 *   widget_alerts_class (the stage clock running in the Due column, the
 *   footer's untouched apart from overdue), layout_draw (status line)
 */
static void
test_stage_clocks(void **state)
{
	const struct layout_rect	*r;
	struct alert			*a2, *a3;
	char				 buf[LINE_MAX_BYTES];
	int64_t				 on_scene, dl3;
	int				 y;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	a2 = store_alert(store, "A-0002");
	a3 = store_alert(store, "A-0003");
	on_scene = a2->due_on_scene;
	dl3 = a3->deadline;

	/* Acknowledged and dispatched in time, on scene due in 10m: the
	 * first response's time past is no longer overdue. */
	a2->due_on_scene = T0 + 10 * MIN;
	a2->version++;
	store->changed |= STORE_CH_ALERTS;
	frame();
	r = rect_of("alerts");
	y = in_rect(r, "A-0002");
	assert_true(y > 0);
	assert_int_equal(in_rect(r, "12m!!"), -1);
	assert_int_equal(in_rect(r, "overdue"), -1);
	screen_text(LINES - 2, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "overdue 1"));
	/* Wide, the Due column names the clock by its stage's glyph. */
	resize_to(50, 200);
	r = rect_of("alerts");
	assert_int_equal(in_rect(r, "⌂ 10m"), in_rect(r, "A-0002"));
	resize_to(24, 80);
	r = rect_of("alerts");

	/* A new alert past its time to acknowledge: untouched, apart. */
	a3->deadline = a3->due_ack = T0 - MIN;
	a3->version++;
	store->changed |= STORE_CH_ALERTS;
	frame();
	assert_int_equal(in_rect(r, "!! untouched 1"), r->y + r->h - 1);
	assert_int_equal(in_rect(r, "overdue"), -1);
	screen_text(LINES - 2, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "!! untouched 1 · overdue 1"));
	resize_to(50, 200);
	r = rect_of("alerts");
	assert_int_equal(in_rect(r, "✓ -1m"), in_rect(r, "A-0003"));
	resize_to(24, 80);

	a2->due_on_scene = on_scene;
	a3->deadline = dl3;
	a3->due_ack = 0;
	a2->version++;
	a3->version++;
	store->changed |= STORE_CH_ALERTS;
	frame();
}

/*
 * Test functions:
 *   i18n_set_lang, layout_set_view, layout_draw (Vietnamese at 80x24)
 */
static void
test_80x24_vietnamese(void **state)
{
	char	buf[LINE_MAX_BYTES];

	(void)state;
	view("vi", 0);
	resize_to(24, 80);
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "Đã kết nối"));
	assert_non_null(strstr(buf, "demo (giám sát)"));
	assert_int_equal(in_rect(&lay->rect[0], "Cảnh báo (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[1], "Bệnh viện (3)"), 1);
	assert_int_equal(in_rect(&lay->rect[2], "Trường học (2)"), 12);
	assert_int_equal(in_rect(&lay->rect[3], "Phản ánh (2)"), 12);
	assert_true(in_rect(&lay->rect[0], "Tiêu đề") > 0);
	assert_true(in_rect(&lay->rect[0], "mới 2") > 0);
	assert_true(in_rect(&lay->rect[1], "giường trống 230") > 0);
	assert_true(in_rect(&lay->rect[2], "95,0%") > 0);
	assert_true(in_rect(&lay->rect[2], "hôm nay 2300/2500 92,0%") > 0);
	screen_text(LINES - 2, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "quá hạn 2"));
	assert_non_null(strstr(buf, "giường trống 230"));
	assert_non_null(strstr(buf, "đi học 92,0%"));
	assert_false(on_screen("Alerts"));
	assert_borders(0);
	view("en", 0);
}

/*
 * Test functions:
 *   layout_draw in the wide layout (200x50): every column, in both
 *   languages; panel_spark_render (the hospitals' trend)
 */
static void
test_200x50(void **state)
{
	const struct layout_rect	*r;
	struct hospital			*h;
	int				 i, y;

	(void)state;
	view("en", 0);
	/* Who else is on duty shows where there is room for it. */
	lay->st.npresence = 2;
	snprintf(lay->st.presence, sizeof lay->st.presence,
	    "lan, minh (observer)");
	resize_to(50, 200);
	assert_int_equal(lay->mode, LAYOUT_WIDE);
	{
		char	hdr[1024];

		screen_text(0, 0, COLS, hdr, sizeof hdr);
		assert_non_null(strstr(hdr, "+2: lan, minh (observer)"));
		assert_non_null(strstr(hdr, "demo (supervisor)"));
	}
	lay->st.npresence = 0;
	lay->st.presence[0] = '\0';
	r = rect_of("alerts");
	assert_int_equal(r->w, 100);
	assert_int_equal(r->h, 47);
	y = in_rect(r, "A-0002");
	assert_true(in_rect(r, "Kind") == r->y + 1);
	assert_true(in_rect(r, "Handler") == r->y + 1);
	assert_int_equal(in_rect(r, "flood"), y);
	assert_int_equal(in_rect(r, "RES-HL-01"), y);
	assert_int_equal(in_rect(r, "Nguyễn Văn An"), y);
	/* The state as a word, the time past the deadline. */
	assert_int_equal(in_rect(r, "disp"), y);
	assert_int_equal(in_rect(r, "-2m"), y);
	assert_int_equal(in_rect(r, "Ngập sâu tại Hạ Long"), y);

	/* Hospitals: full names, bars, a trend from the samples taken. */
	r = rect_of("hospitals");
	assert_true(in_rect(r, "★ Bệnh viện Đa khoa tỉnh") > 0);
	assert_true(in_rect(r, "Trend") == r->y + 1);
	for (i = 0; i < 5; i++) {
		h = store_hospital(store, "H03");
		h->beds_used = 10 + 10 * i;
		h->version++;
		store->changed |= STORE_CH_HOSPITALS;
		frame();
	}
	y = in_rect(r, "TTYT Cô Tô");
	assert_true(y > 0);
	assert_int_equal(in_rect(r, "▂▄▅▇█"), y);
	assert_int_equal(in_rect(r, "50/50"), y);
	/* A reading that leaves the occupancy: no sample, no scroll. */
	h = store_hospital(store, "H03");
	h->er_waiting++;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
	assert_int_equal(in_rect(r, "▄▂▄▅▇█ "), y);

	/* Feedback: category, department, state as a word. */
	r = rect_of("feedback");
	y = in_rect(r, "F-0002");
	assert_int_equal(in_rect(r, "power"), y);
	assert_int_equal(in_rect(r, "SCT"), y);
	assert_int_equal(in_rect(r, "asgn"), y);
	assert_int_equal(in_rect(r, "1022"), y);
	assert_borders(0);

	view("vi", 0);
	frame();
	r = rect_of("alerts");
	y = in_rect(r, "A-0002");
	assert_int_equal(in_rect(r, "lũ lụt"), y);
	assert_int_equal(in_rect(r, "điều"), y);
	assert_true(in_rect(r, "Người xử lý") == r->y + 1);
	assert_true(in_rect(rect_of("feedback"), "giao") > 0);
	assert_true(in_rect(rect_of("hospitals"), "Xu hướng") > 0);
	assert_borders(0);

	/* Put H03 back. */
	h = store_hospital(store, "H03");
	h->beds_used = 20;
	store->changed |= STORE_CH_HOSPITALS;
	view("en", 0);
	resize_to(24, 80);
}

/*
 * Test functions:
 *   draw_fit (ASCII), draw_box (ASCII), layout_draw at 80x24 and 200x50
 *   in both languages with ASCII on
 */
static void
test_ascii(void **state)
{
	static const int	sizes[2][2] = { { 24, 80 }, { 50, 200 } };
	int			i;

	(void)state;
	for (i = 0; i < 2; i++) {
		view("vi", 1);
		resize_to(sizes[i][0], sizes[i][1]);
		assert_true(on_screen("Canh bao (3)"));
		assert_true(on_screen("Quang Ninh"));
		assert_true(on_screen("Ha Long"));
		assert_true(on_screen("Da ket noi"));
		assert_true(on_screen("*4"));		/* Not "◆". */
		assert_true(on_screen("+- Canh bao"));
		assert_all_ascii();
		assert_borders(1);

		view("en", 1);
		frame();
		assert_true(on_screen("Alerts (3)"));
		assert_true(on_screen("Cam Pha"));
		assert_all_ascii();
		assert_borders(1);
	}
	view("en", 0);
	resize_to(24, 80);
}

/*
 * Test functions:
 *   layout_draw, panel_draw (offline: stale marks; what was skipped),
 *   layout_message
 */
static void
test_offline_stale(void **state)
{
	char	buf[LINE_MAX_BYTES];

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	lay->st.link = LAYOUT_LINK_OFFLINE;
	lay->st.stale_since = T0 - 90 * 1000;
	layout_message(lay, 1, "link lost: reconnecting");
	frame();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "offline"));
	assert_non_null(strstr(buf, "stale since 06:58:30"));
	/* Each panel says so in its title. */
	assert_true(in_rect(rect_of("hospitals"), "stale 06:58:30") ==
	    rect_of("hospitals")->y);
	assert_true(in_rect(rect_of("alerts"), "Area") > 0);
	assert_true(on_screen("link lost: reconnecting"));

	view("vi", 0);
	frame();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "Mất kết nối"));
	assert_non_null(strstr(buf, "dữ liệu cũ từ 06:58:30"));

	lay->st.link = LAYOUT_LINK_CONNECTED;
	lay->st.stale_since = 0;
	layout_message(lay, 0, "%s", "");
	view("en", 0);
	frame();
	assert_false(on_screen("stale since"));
	assert_false(on_screen("skipped"));

	/* What the console could not read stays in the header. */
	lay->st.skipped = 3;
	frame();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "connected · 3 skipped"));
	view("vi", 0);
	frame();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "bỏ qua 3"));
	lay->st.skipped = 0;
	view("en", 0);
	frame();
	assert_false(on_screen("skipped"));
}

/*
 * Test functions:
 *   input_key (Enter, Esc, j/k in a detail), layout_detail,
 *   panel_detail_open, panel_detail_scroll, panel_detail_history,
 *   widget_alerts_class (detail), widget_feedback_class (detail)
 */
static void
test_detail(void **state)
{
	struct panel	*p;
	int		 y, top;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	layout_focus(lay, 0);
	p = layout_focused(lay);
	assert_int_equal(key('g'), 1);
	assert_string_equal(panel_selected(p), "A-0002");
	assert_int_equal(key('\r'), 1);
	frame();
	/* The detail fills the body, with the full title and history. */
	assert_true(p->flags & PANEL_DETAIL);
	assert_int_equal(lay->zoom, 1);
	assert_true(on_screen("Alerts A-0002"));
	assert_true(on_screen("Ngập sâu tại Hạ Long"));
	assert_true(on_screen("Phường Bãi Cháy"));
	assert_true(on_screen("RES-HL-01 (en route)"));
	assert_true(on_screen("Escalation"));
	assert_true(on_screen("History"));
	assert_true(on_screen("06:50:00  Nguyễn Văn An  acknowledged"));
	assert_int_equal(cur_y, lay->rect[0].y + 1);
	assert_false(on_screen("Nước dâng 40 cm"));	/* Further down. */

	/* Scrolling moves the text up by a line; G to the end, g back. */
	y = find_line(0, LINES - 1, 0, COLS, "History");
	top = p->detail_top;
	key('j');
	frame();
	assert_int_equal(p->detail_top, top + 1);
	assert_int_equal(find_line(0, LINES - 1, 0, COLS, "History"), y - 1);
	key('G');
	frame();
	/* A long note is wrapped, not cut. */
	assert_true(on_screen("Nước dâng 40 cm"));
	assert_true(on_screen("đang tới."));
	assert_int_equal(find_line(0, LINES - 1, 0, COLS, "đang tới."),
	    lay->rect[0].y + lay->rect[0].h - 2);
	key('j');
	frame();
	assert_true(on_screen("đang tới."));		/* No further. */
	key('g');
	frame();
	assert_int_equal(p->detail_top, 0);

	/* Keys that act on the item still do: the selection is the item. */
	assert_string_equal(panel_selected(p), "A-0002");

	/* In Vietnamese. */
	view("vi", 0);
	frame();
	assert_true(on_screen("Lịch sử"));
	assert_true(on_screen("Khu vực"));
	assert_true(on_screen("đã xác nhận"));
	view("en", 0);

	/* Esc goes back to the rows and the grid. */
	assert_int_equal(key(27), 1);
	frame();
	assert_false(p->flags & PANEL_DETAIL);
	assert_int_equal(lay->zoom, 0);
	assert_true(on_screen("Hospitals (3)"));

	/* The feedback case: its full text, department, history. */
	layout_focus(lay, 3);
	key('g');
	assert_int_equal(key('\r'), 1);
	frame();
	assert_true(on_screen("Feedback F-0002"));
	assert_true(on_screen("SCT (Sở Công Thương)"));
	assert_true(on_screen("Rác thải"));
	assert_true(on_screen("chưa thu gom"));
	assert_true(on_screen("assigned"));
	/* Another panel's key leaves the detail. */
	assert_int_equal(key('1'), 1);
	frame();
	assert_false(lay->panels[3]->flags & PANEL_DETAIL);
	assert_int_equal(lay->focus, 0);
	assert_int_equal(lay->zoom, 0);

	/* The item goes away (closed elsewhere): back to the grid. */
	key('g');
	assert_int_equal(key('\r'), 1);
	frame();
	assert_int_equal(lay->zoom, 1);
	store_alert(store, "A-0002")->state = ALERT_CLOSED;
	store->changed |= STORE_CH_ALERTS;
	frame();
	assert_false(p->flags & PANEL_DETAIL);
	assert_int_equal(lay->zoom, 0);
	assert_true(on_screen("Hospitals (3)"));
	store_alert(store, "A-0002")->state = ALERT_DISPATCHED;
	store->changed |= STORE_CH_ALERTS;
	frame();
}

/*
 * Test functions:
 *   layout_search, layout_filter_area, layout_filter_severity,
 *   layout_filter_clear, the view commands (search, filter, sort,
 *   focus, zoom, layout), input_key, panel_want, panel_set_search
 */
static void
test_search_filter(void **state)
{
	const struct layout_rect	*r;
	char				*cause = NULL;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	layout_focus(lay, 0);
	r = rect_of("alerts");

	/* Without accents, in any case: the area's name matches. */
	layout_search(lay, "ha long");
	frame();
	assert_true(in_rect(r, "Alerts (2) /ha long") == r->y);
	assert_true(in_rect(r, "A-0002") > 0);
	assert_true(in_rect(r, "A-0003") > 0);
	assert_int_equal(in_rect(r, "A-0001"), -1);
	/* Other panels are not searched. */
	assert_true(in_rect(rect_of("hospitals"), "(3)") > 0);
	layout_search(lay, "CAM PHA");
	frame();
	assert_true(in_rect(r, "A-0001") > 0);
	assert_int_equal(in_rect(r, "A-0002"), -1);
	layout_search(lay, "ngap sau");
	frame();
	assert_true(in_rect(r, "A-0002") > 0);
	layout_search(lay, "zzz");
	frame();
	assert_true(in_rect(r, "(no match)") > 0);
	/* Esc clears the search. */
	assert_int_equal(key(27), 1);
	frame();
	assert_true(in_rect(r, "Alerts (3)") == r->y);

	/* The search command. */
	assert_int_equal(run("search cẩm phả"), CMD_OK);
	frame();
	assert_true(in_rect(r, "A-0001") > 0);
	assert_int_equal(run("search"), CMD_OK);

	/* Filter by area: every panel that has areas. */
	assert_int_equal(layout_filter_area(lay, "ha long", &cause), 0);
	frame();
	assert_true(in_rect(r, "[HL]") == r->y);
	assert_int_equal(in_rect(r, "A-0001"), -1);
	assert_true(in_rect(rect_of("feedback"), "(no match)") > 0);
	assert_true(in_rect(rect_of("schools"), "Hạ Long") > 0);
	assert_int_equal(in_rect(rect_of("schools"), "Cẩm Phả"), -1);
	assert_int_equal(layout_filter_area(lay, "Atlantis", &cause), -1);
	assert_non_null(strstr(cause, "Atlantis"));
	free(cause);
	cause = NULL;
	/* "c" could be Cẩm Phả or Cô Tô. */
	assert_int_equal(layout_filter_area(lay, "c", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(layout_filter_area(lay, "CP", &cause), 0);
	assert_int_equal(layout_filter_area(lay, "all", &cause), 0);

	/* Severity: "+" shows only more severe alerts. */
	key('+');
	key('+');
	frame();
	assert_int_equal(lay->filter.severity, 3);
	assert_true(in_rect(r, "[≥3]") == r->y);
	assert_int_equal(in_rect(r, "A-0001"), -1);
	assert_true(in_rect(r, "A-0003") > 0);
	assert_int_equal(run("filter 4"), CMD_OK);
	frame();
	assert_int_equal(in_rect(r, "A-0003"), -1);
	assert_int_equal(run("filter 9"), CMD_ERROR);
	/* "]" steps through the areas; "0" clears everything. */
	key(']');
	assert_string_equal(lay->filter.area, "HL");
	key(']');
	assert_string_equal(lay->filter.area, "CP");
	key('0');
	frame();
	assert_int_equal(lay->filter.severity, 0);
	assert_string_equal(lay->filter.area, "");
	assert_true(in_rect(r, "Alerts (3)") == r->y);

	/* Sort, focus, zoom and layout through the command table. */
	assert_int_equal(run("sort age"), CMD_OK);
	frame();
	assert_true(in_rect(r, "A-0001") == r->y + PANEL_ROW0);
	assert_int_equal(run("sort bogus"), CMD_ERROR);
	assert_non_null(strstr(said, "severity"));
	assert_int_equal(run("sort severity"), CMD_OK);
	assert_int_equal(run("focus feedback"), CMD_OK);
	assert_int_equal(lay->focus, 3);
	assert_int_equal(run("focus 1"), CMD_OK);
	assert_int_equal(run("zoom"), CMD_OK);
	assert_int_equal(lay->zoom, 1);
	assert_int_equal(run("zoom off"), CMD_OK);
	assert_int_equal(lay->zoom, 0);
	assert_int_equal(run("layout single"), CMD_OK);
	frame();
	assert_int_equal(lay->mode, LAYOUT_SINGLE);
	assert_int_equal(run("layout auto"), CMD_OK);
	assert_int_equal(lay->mode, LAYOUT_GRID);
	assert_int_equal(run("nope"), CMD_ERROR);
	frame();
}

/*
 * Test functions:
 *   widget_schools_class (key: Enter and Esc, the drill-down), panel_select
 */
static void
test_schools_drill(void **state)
{
	const struct layout_rect	*r;
	struct panel			*p;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	layout_focus(lay, 2);
	p = layout_focused(lay);
	r = rect_of("schools");
	key('g');
	assert_string_equal(panel_selected(p), "HL");
	assert_int_equal(key('\r'), 1);
	frame();
	/* The schools of Hạ Long, with their figures. */
	assert_true(in_rect(r, "Tiểu học Bãi Cháy") > 0);
	assert_true(in_rect(r, "Tiểu học Hồng Gai") > 0);
	assert_int_equal(in_rect(r, "Tiểu học Cẩm Phả"), -1);
	assert_true(in_rect(r, "950/1000") > 0);
	assert_true(in_rect(r, "Esc back") == r->y + r->h - 1);
	assert_string_equal(panel_selected(p), "S1");
	/* Enter on a school: its detail; Esc: back to the schools. */
	key('j');
	assert_int_equal(key('\r'), 1);
	frame();
	assert_true(on_screen("Smart classrooms"));
	assert_true(on_screen("Tiểu học Hồng Gai"));
	key(27);
	frame();
	assert_true(in_rect(r, "Tiểu học Bãi Cháy") > 0);
	/* Esc again: the areas, Hạ Long still selected. */
	assert_int_equal(key(27), 1);
	frame();
	assert_true(in_rect(r, "Schools (2)") == r->y);
	assert_string_equal(panel_selected(p), "HL");
	layout_focus(lay, 0);
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
	view("vi", 0);
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
	key('2');
	frame();
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "Bệnh viện (3)"),
	    2);
	assert_int_equal(find_line(2, LINES - 3, 0, COLS, "A-0002"), -1);
	key('1');

	resize_to(8, 30);
	assert_int_equal(lay->mode, LAYOUT_TOO_SMALL);
	assert_true(on_screen("Cửa sổ quá nhỏ"));
	assert_true(on_screen("too small"));
	assert_true(on_screen("40×10"));
	assert_false(on_screen("Cảnh báo"));
	assert_false(on_screen("A-0002"));
	view("en", 0);
	resize_to(24, 80);
}

/*
 * Test functions:
 *   layout_resize, input_key, panel_selected, layout_place_cursor
 *   (a storm of sizes down to 20x6; the selection is kept)
 */
static void
test_resize_keeps_selection(void **state)
{
	static const int	sizes[][2] = {
		{ 24, 80 }, { 6, 20 }, { 50, 200 }, { 10, 40 }, { 9, 39 },
		{ 60, 81 }, { 20, 79 }, { 36, 160 }, { 35, 159 }, { 1, 1 },
		{ 24, 80 }
	};
	char			 buf[LINE_MAX_BYTES];
	const struct layout_rect *r;
	struct alert		*a;
	size_t			 i;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	key('1');
	key('g');
	key('j');
	frame();
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		resize_to(sizes[i][0], sizes[i][1]);
		assert_string_equal(panel_selected(layout_focused(lay)),
		    "A-0003");
	}
	resize_to(50, 200);
	assert_int_equal(lay->mode, LAYOUT_WIDE);
	r = &lay->rect[0];
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
	a->severity = 3;
	a->created = T0 - 5 * MIN;
	store->changed |= STORE_CH_ALERTS;
	resize_to(24, 80);
	assert_string_equal(panel_selected(layout_focused(lay)), "A-0003");
}

/*
 * Test functions:
 *   store_apply_event, sanitize_text (NFC), draw_text: NFD text from the
 *   wire is shown composed, hostile text inert
 */
static void
test_inbound_nfd_and_hostile(void **state)
{
	json_t		*ev;
	json_error_t	 jerr;
	char		*cause = NULL, buf[LINE_MAX_BYTES];
	const struct layout_rect *r;
	struct alert	*a;
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 attrs;
	short		 pair;
	int		 y, x;

	(void)state;
	view("en", 0);
	resize_to(50, 200);
	ev = json_loads("{\"type\":\"event\",\"seq\":1,\"ts\":1,"
	    "\"kind\":\"alert\",\"item\":{\"id\":\"A-0009\",\"kind\":\"flood\","
	    "\"severity\":4,\"area\":\"HL\",\"place\":\"x\",\"source\":"
	    "\"sensor\",\"title\":\"Nguye\\u0302\\u0303n Ha\\u0323 Long "
	    "\\u001b]0;pwned\\u0007\\u001b[2Jok\\u202e\",\"state\":\"new\","
	    "\"disposition\":\"none\",\"acked_by\":null,\"units\":[],"
	    "\"escalation\":0,\"created\":1767225600000,\"updated\":"
	    "1767225600000,\"deadline\":0,\"exercise\":false,\"version\":1}}",
	    0, &jerr);
	assert_non_null(ev);
	assert_int_equal(store_apply_event(store, ev, STORE_SANITIZE,
	    &cause), 0);
	json_decref(ev);
	a = store_alert(store, "A-0009");
	assert_non_null(a);
	/* Composed: "ễ" and "ạ" are one code point each. */
	assert_string_equal(a->title, "Nguyễn Hạ Long ok");
	frame();
	r = rect_of("alerts");
	y = in_rect(r, "Nguyễn Hạ Long ok");
	assert_true(y > 0);
	/* Find the cell of "ễ": one character, no mark beside it. */
	for (x = r->x; x < r->x + r->w; x++) {
		mvwin_wch(curscr, y, x, &cc);
		memset(wc, 0, sizeof wc);
		getcchar(&cc, wc, &attrs, &pair, NULL);
		if (wc[0] == 0x1ec5) {
			assert_int_equal(wc[1], 0);
			break;
		}
	}
	assert_true(x < r->x + r->w);
	/* The OSC and CSI were removed whole, not shown. */
	screen_text(y, r->x, r->w, buf, sizeof buf);
	assert_null(strstr(buf, "pwned"));
	assert_null(strstr(buf, "[2J"));
	assert_borders(0);
	store_alert(store, "A-0009")->state = ALERT_CLOSED;
	store->changed |= STORE_CH_ALERTS;
	store->seq = 0;
	resize_to(24, 80);
}

/* The first column in x0..x0+n-1 of line y whose cell holds wc, or -1. */
static int
find_cell(int y, int x0, int n, wchar_t want)
{
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 attrs;
	short		 pair;
	int		 x;

	for (x = x0; x < x0 + n && x < COLS; x++) {
		memset(wc, 0, sizeof wc);
		if (mvwin_wch(curscr, y, x, &cc) != ERR &&
		    getcchar(&cc, wc, &attrs, &pair, NULL) != ERR &&
		    wc[0] == want)
			return (x);
	}
	return (-1);
}

/*
 * Assert that in panel name the rows of items e (emoji) and w (the same
 * text with "WW" for each emoji) look the same from the column after the
 * emoji to the border: the text is cut at the same column, and the
 * columns after it are where they belong.
 */
static void
assert_same_tail(const char *name, const char *e, const char *w)
{
	const struct layout_rect *r = rect_of(name);
	char		 te[LINE_MAX_BYTES], tw[LINE_MAX_BYTES];
	int		 ye, yw, x;

	ye = in_rect(r, e);
	yw = in_rect(r, w);
	assert_true(ye > 0 && yw > 0);
	x = find_cell(ye, r->x, r->w, 0x231a);		/* ⌚ */
	assert_true(x > r->x);
	assert_int_equal(find_cell(yw, r->x, r->w, L'W'), x);
	x += 12;		/* Six emoji, two columns each. */
	screen_text(ye, x, r->x + r->w - x, te, sizeof te);
	screen_text(yw, x, r->x + r->w - x, tw, sizeof tw);
	assert_string_equal(te, tw);
}

/*
 * Test functions:
 *   layout_draw, draw_text (citizens' emoji at 80x24: the widths are the
 *   ones ncurses draws with, so no text runs into the next column, a
 *   border or the next panel)
 */
static void
test_emoji_columns(void **state)
{
	/* ⌚⚡✅❌⭐🀄 are two columns each, 〿 and 🌡 one. */
	static const char	 emoji[] = "\xe2\x8c\x9a\xe2\x9a\xa1"
	    "\xe2\x9c\x85\xe2\x9d\x8c\xe2\xad\x90\xf0\x9f\x80\x84";
	static const char	 rest[] = " m\xe1\xba\xa5t \xc4\x91i\xe1\xbb\x87n "
	    "\xe3\x80\xbf\xf0\x9f\x8c\xa1 1 2 3 4 5 6 7 8 9";
	char			*te, *tw;
	struct alert		*a[2];
	struct feedback		*f[2];

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	te = xprintf("%s%s", emoji, rest);
	tw = xprintf("WWWWWWWWWWWW%s", rest);
	a[0] = put_alert("A-0010", 4, "HL", te, T0 - MIN, 0);
	a[1] = put_alert("A-0011", 4, "HL", tw, T0 - MIN, 0);
	f[0] = put_feedback("F-0010", te, 0);
	f[1] = put_feedback("F-0011", tw, 0);
	free(te);
	free(tw);
	frame();
	assert_same_tail("alerts", "A-0010", "A-0011");
	assert_same_tail("feedback", "F-0010", "F-0011");
	assert_borders(0);

	a[0]->state = a[1]->state = ALERT_CLOSED;
	f[0]->state = f[1]->state = FB_CLOSED;
	store->changed |= STORE_CH_ALERTS | STORE_CH_FEEDBACK;
	frame();
}

/* Bytes ncurses has written to the screen's output so far. */

static long
out_bytes(void)
{
	struct stat	sb;

	fflush(term.out);
	if (fstat(fileno(term.out), &sb) != 0)
		return (-1);
	return ((long)sb.st_size);
}

static void
prompt_test_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	(void)text;
}

/*
 * Test functions:
 *   prompt_open, prompt_draw, prompt_place_cursor (a command line with
 *   bidi controls, a zero-width space and a C1 control, as pasted or
 *   recalled from the history: none of them is drawn or reaches the
 *   terminal, the line keeps them, the cursor is where ncurses drew)
 */
static void
test_prompt_line_controls(void **state)
{
	static const struct cmd_ops	 ops = {
		.message = prompt_test_message
	};
	struct cmd_ctx			 ctx;
	char				 buf[LINE_MAX_BYTES], *home, *raw;
	long				 b0, b1;
	size_t				 i;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	home = getenv("HOME") != NULL ? xstrdup(getenv("HOME")) : NULL;
	unsetenv("HOME");		/* No history file. */
	setenv("XDG_STATE_HOME", "relative", 1);
	cmd_ctx_init(&ctx, store, &ops, NULL);
	prompt_init(lay, &ctx, store);
	prompt_resize(LINES, COLS);
	b0 = out_bytes();
	prompt_open("note A-0002 \xe2\x80\xae" "abc\xe2\x80\xac d"
	    "\xe2\x81\xa6" "e\xe2\x80\x8b" "f\xc2\x9b" "g \xe4\xb8\xad");
	prompt_draw();
	prompt_place_cursor();
	doupdate();
	getyx(curscr, cur_y, cur_x);
	b1 = out_bytes();
	screen_text(LINES - 1, 0, 22, buf, sizeof buf);
	assert_string_equal(buf, ":note A-0002 abc defg ");
	assert_int_equal(find_cell(LINES - 1, 0, COLS, 0x4e2d), 22);
	/* The cursor after the wide character: 22 + 2 columns. */
	assert_int_equal(cur_y, LINES - 1);
	assert_int_equal(cur_x, 24);
	/* The line itself is unchanged (the history keeps what was typed). */
	assert_non_null(strstr(rl_line_buffer, "\xe2\x80\xae" "abc"));
	/* Not one bidi control or C1 byte pair went to the terminal. */
	raw = xcalloc(1, (size_t)(b1 - b0) + 1);
	assert_int_equal(fseek(term.out, b0, SEEK_SET), 0);
	assert_int_equal(fread(raw, 1, (size_t)(b1 - b0), term.out),
	    (size_t)(b1 - b0));
	for (i = 0; i + 2 < (size_t)(b1 - b0); i++) {
		assert_false(memcmp(raw + i, "\xe2\x80\xae", 3) == 0);
		assert_false(memcmp(raw + i, "\xe2\x80\xac", 3) == 0);
		assert_false(memcmp(raw + i, "\xe2\x81\xa6", 3) == 0);
		assert_false(memcmp(raw + i, "\xc2\x9b", 2) == 0);
	}
	free(raw);
	prompt_cancel();
	prompt_free();
	cmd_ctx_clear(&ctx);
	if (home != NULL)
		setenv("HOME", home, 1);
	free(home);
	unsetenv("XDG_STATE_HOME");
	touchwin(curscr);
	frame();
}

/* With RENDER_BYTES set, show what ncurses wrote from offset b0 on. */
static void
out_show(const char *what, long b0)
{
	char	buf[4096];
	ssize_t	n;
	long	i;

	if (getenv("RENDER_BYTES") == NULL)
		return;
	n = pread(fileno(term.out), buf, sizeof buf, b0);
	fprintf(stderr, "%s: %ld bytes: ", what, out_bytes() - b0);
	for (i = 0; i < n; i++) {
		if (buf[i] == 0x1b)
			fputs("\\e", stderr);
		else
			fputc(buf[i], stderr);
	}
	fputc('\n', stderr);
}

/*
 * Test functions:
 *   layout_draw, layout_store_changed, panel_draw (only dirty panels are
 *   drawn, and of them only the lines that changed: a second of the
 *   clock puts the header's clock and the ages that moved, no full
 *   repaints)
 */
static void
test_lazy_redraw(void **state)
{
	char	buf[LINE_MAX_BYTES];
	long	b0, b1;
	int	i;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	frame();
	for (i = 0; i < LAYOUT_TILED; i++)
		assert_false(lay->panels[i]->flags & PANEL_DIRTY);

	/* A hospital changes: only Hospitals is redrawn, cheaply. */
	b0 = out_bytes();
	store_hospital(store, "H03")->beds_used = 49;
	store_hospital(store, "H03")->version++;
	store->changed |= STORE_CH_HOSPITALS;
	layout_store_changed(lay);
	assert_true(lay->panels[1]->flags & PANEL_DIRTY);
	assert_false(lay->panels[0]->flags & PANEL_DIRTY);
	assert_false(lay->panels[2]->flags & PANEL_DIRTY);
	assert_int_equal(store->changed & STORE_CH_HOSPITALS, 0);
	frame();
	b1 = out_bytes();
	assert_true(on_screen("49/50"));
	assert_true(b1 - b0 > 0 && b1 - b0 < 200);

	/*
	 * A second later: the header's clock changes, and the panels that
	 * show ages (Alerts, Feedback) are laid out again; the ages in
	 * minutes do not move in a second, so of their lines only the
	 * case due in 3h is put again (2h59m left: "2h"). The others are
	 * not even laid out. A mark scribbled into each window stays:
	 * nothing was erased.
	 */
	for (i = 0; i < LAYOUT_TILED; i++)
		mvwaddstr(lay->panels[i]->win, 1, 1, "ZZZ");
	clock_advance(1000);
	layout_draw(lay, clock_now());
	for (i = 0; i < LAYOUT_TILED; i++) {
		mvwinnstr(lay->panels[i]->win, 1, 1, buf, 3);
		assert_string_equal(buf, "ZZZ");
	}
	assert_true(widget_alerts_class.tick && !widget_schools_class.tick);
	assert_int_equal(lay->panels[0]->drawn, 0);
	assert_int_equal(lay->panels[3]->drawn, 1);
	doupdate();
	screen_text(0, 0, COLS, buf, sizeof buf);
	assert_non_null(strstr(buf, "07:00:01"));
	assert_true(in_rect(rect_of("feedback"), "2h") > 0);
	/* Forgotten lines are put again: the marks go. */
	for (i = 0; i < lay->npanels; i++) {
		panel_forget(lay->panels[i]);
		panel_dirty(lay->panels[i]);
	}
	frame();
	assert_false(on_screen("ZZZ"));
	/* A minute on: the ages in minutes move, their lines alone. */
	clock_advance(59 * 1000);
	b0 = out_bytes();
	frame();
	b1 = out_bytes();
	assert_int_equal(lay->panels[0]->drawn, 3);	/* Three alerts. */
	assert_true(in_rect(rect_of("alerts"), "13m!!") > 0);
	assert_true(b1 - b0 < 200);
	store_hospital(store, "H03")->beds_used = 20;
	store->changed |= STORE_CH_HOSPITALS;
	clock_set_fixed(T0);
	resize_to(24, 80);
}

/*
 * Test functions:
 *   layout_draw, panel_draw, draw_line_key, panel_sort (a screen with
 *   nothing new writes no byte; neither does a change nobody can see,
 *   which is not sorted again either)
 */
static void
test_unchanged_zero_bytes(void **state)
{
	struct hospital	*h;
	struct alert	*a;
	struct panel	*hp;
	unsigned	 sorts;
	long		 b0;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	frame();
	hp = lay->panels[layout_find(lay, "hospitals")];

	/* Nothing changed: not one byte, and no panel laid out again. */
	b0 = out_bytes();
	frame();
	assert_int_equal(out_bytes() - b0, 0);

	/* A note on an alert: its row shows no notes. */
	a = store_alert(store, "A-0001");
	history_add(&a->hist, T0, "demo", "note", "đã kiểm tra");
	a->version++;
	store->changed |= STORE_CH_ALERTS;
	b0 = out_bytes();
	frame();
	assert_int_equal(lay->panels[0]->drawn, 0);
	assert_int_equal(out_bytes() - b0, 0);

	/*
	 * A reading of a figure that has no column at 80x24 (ambulances):
	 * the panel is refreshed, but no row moved (the order is kept, not
	 * sorted again) and no line changed.
	 */
	assert_int_equal(in_rect(rect_of("hospitals"), "Amb"), -1);
	h = store_hospital(store, "H03");
	h->ambulances++;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	sorts = hp->sorts;
	b0 = out_bytes();
	frame();
	assert_int_equal(hp->sorts, sorts);
	assert_true(hp->sorts_kept > 0);
	assert_int_equal(hp->drawn, 0);
	assert_int_equal(out_bytes() - b0, 0);
	h->ambulances--;
}

/*
 * Test functions:
 *   layout_store_changed, layout_draw, panel_draw (one reading that
 *   changes one figure costs at most GAUGE_BYTES bytes)
 *
 * A hospital's beds go from 20/50 to 21/50. Four places change: a cell
 * of its bar, a digit of its beds, the free beds in the panel's footer
 * and in the status line; each costs a cursor move, a change of
 * attributes and the characters, about 15 to 25 bytes, and the cursor
 * goes back to the selected row (103 bytes with xterm-256color). A
 * repaint of the panel would be some 1,500.
 */
#define GAUGE_BYTES	120
static void
test_gauge_change_bytes(void **state)
{
	struct hospital	*h;
	struct panel	*hp;
	long		 b0, b1;

	(void)state;
	view("en", 0);
	layout_message(lay, 0, "%s", "");
	hp = lay->panels[layout_find(lay, "hospitals")];
	h = store_hospital(store, "H03");
	h->beds_used = 20;
	store->changed |= STORE_CH_HOSPITALS;
	resize_to(24, 80);
	assert_true(on_screen("beds free 230"));
	h->beds_used = 21;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	b0 = out_bytes();
	frame();
	b1 = out_bytes();
	assert_true(in_rect(rect_of("hospitals"), "21/50") > 0);
	assert_true(in_rect(rect_of("hospitals"), "beds free 229") > 0);
	assert_true(find_line(LINES - 2, LINES - 2, 0, COLS,
	    "beds free 229") > 0);
	/* The border with its footer, and the one row. */
	assert_int_equal(hp->drawn, 2);
	out_show("one reading", b0);
	assert_true(b1 - b0 > 0);
	assert_true(b1 - b0 <= GAUGE_BYTES);
	h->beds_used = 20;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
}

/*
 * Test functions:
 *   layout_store_changed, layout_gauge_due (readings at most every
 *   gauge_ms; records at once, a diversion among them; a deadline that
 *   passes counts without any event)
 */
static void
test_gauge_rate(void **state)
{
	struct hospital	*h;
	struct alert	*a;
	int64_t		 shown;
	int		 y;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	lay->gauge_ms = LAYOUT_GAUGE_MS;
	h = store_hospital(store, "H03");
	a = store_alert(store, "A-0001");

	/* None shown for longer than the rate: at once. */
	clock_advance(LAYOUT_GAUGE_MS);
	shown = clock_mono();
	h->beds_used = 25;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
	assert_true(in_rect(rect_of("hospitals"), "25/50") > 0);
	assert_true(on_screen("beds free 225"));
	assert_int_equal(layout_gauge_due(lay), -1);

	/* A second later: held, figures and totals alike. */
	clock_advance(1000);
	h->beds_used = 26;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
	assert_true(in_rect(rect_of("hospitals"), "25/50") > 0);
	assert_true(on_screen("beds free 225"));
	assert_false(lay->panels[1]->flags & PANEL_DIRTY);
	assert_int_equal(layout_gauge_due(lay), shown + LAYOUT_GAUGE_MS);

	/* A record meanwhile: at the next frame. */
	a->state = ALERT_ACKNOWLEDGED;
	a->version++;
	store->changed |= STORE_CH_ALERTS;
	frame();
	y = in_rect(rect_of("alerts"), "A-0001");
	assert_int_equal(in_rect(rect_of("alerts"), "✓"), y);
	assert_true(in_rect(rect_of("hospitals"), "25/50") > 0);

	/* Due: the latest reading shows. */
	clock_advance(LAYOUT_GAUGE_MS - 1000);
	frame();
	assert_true(in_rect(rect_of("hospitals"), "26/50") > 0);
	assert_true(on_screen("beds free 224"));
	assert_int_equal(layout_gauge_due(lay), -1);

	/* A diversion is an officer's record: at once, readings with it. */
	clock_advance(1000);
	h->beds_used = 27;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
	assert_true(in_rect(rect_of("hospitals"), "26/50") > 0);
	h->diversion = 1;
	h->version++;
	store->changed |= STORE_CH_HOSPITALS;
	frame();
	y = in_rect(rect_of("hospitals"), "27/50");
	assert_true(y > 0);
	assert_int_equal(in_rect(rect_of("hospitals"), "⇄"), y);
	assert_int_equal(layout_gauge_due(lay), -1);

	/* An alert falls due with no event: the status line counts it. */
	assert_true(on_screen("overdue 2"));
	clock_advance(3 * MIN);
	frame();
	/* A-0003 is new: nobody has acted, counted apart. */
	assert_true(on_screen("!! untouched 1 · overdue 2"));

	h->diversion = 0;
	h->beds_used = 20;
	a->state = ALERT_NEW;
	store->changed |= STORE_CH_ALERTS | STORE_CH_HOSPITALS;
	lay->gauge_ms = 0;
	clock_set_fixed(T0);
	resize_to(24, 80);
}

/*
 * Test functions:
 *   layout_focus, layout_back, layout_focus_step (the views), the units
 *   and overview classes' columns, head, row and footer, panel_draw
 *   (quiet: a frame with nothing new puts no line), the handler column
 */
static void
test_views(void **state)
{
	const struct layout_rect	*r;
	struct panel			*p;
	struct alert			*a;
	long				 b0;
	int				 iu, io;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	iu = layout_find(lay, "units");
	io = layout_find(lay, "overview");
	assert_true(iu >= LAYOUT_TILED && io >= LAYOUT_TILED);
	/* Hidden: no window, the four panels tiled. */
	assert_null(lay->panels[iu]->win);
	layout_focus(lay, 3);
	layout_focus(lay, iu);
	frame();
	r = rect_of("units");
	assert_int_equal(r->w, 80);
	assert_int_equal(r->h, 24 - 3);
	assert_null(lay->panels[0]->win);
	assert_true(in_rect(r, "Units (1)") == r->y);
	assert_true(in_rect(r, "RES-HL-01") > r->y + 1);
	assert_int_equal(in_rect(r, "en route"), in_rect(r, "RES-HL-01"));
	assert_int_equal(in_rect(r, "rescue"), in_rect(r, "RES-HL-01"));
	assert_true(on_screen("available 0 · busy 1 · out of service 0"));
	/* Quiet: nothing changed, nothing put, even laid out again. */
	p = lay->panels[iu];
	b0 = out_bytes();
	panel_dirty(p);
	frame();
	assert_int_equal(p->drawn, 0);
	assert_true(out_bytes() - b0 < 16);
	/* A unit goes out of service: its line alone, in words. */
	store_unit(store, "RES-HL-01")->status = UNIT_OUT_OF_SERVICE;
	store_unit(store, "RES-HL-01")->version++;
	store->changed |= STORE_CH_UNITS;
	frame();
	assert_true(p->drawn <= 2);	/* The row, and the footer's line. */
	assert_int_equal(in_rect(r, "out of service"),
	    in_rect(r, "RES-HL-01"));
	/* Tab from a view goes on from the panel it was opened from. */
	layout_focus_step(lay, 1);
	assert_int_equal(lay->focus, 0);
	/* Esc leaves a view for that panel. */
	layout_focus(lay, 2);
	layout_focus(lay, io);
	frame();
	r = rect_of("overview");
	assert_true(in_rect(r, "Overview (") == r->y);
	/* Per area: HL has A-0002 (4) and A-0003 (3), escalated once. */
	assert_true(in_rect(r, "Untouched") == r->y + 1);
	assert_true(on_screen("↑1"));
	/* Per operator: who handles what. */
	a = store_alert(store, "A-0002");
	a->handler = xstrdup("Trần Thị Bình");
	a->version++;
	store->changed |= STORE_CH_ALERTS;
	frame();
	assert_true(in_rect(r, "Operator") > r->y + 1);
	assert_true(in_rect(r, "alerts 1 · cases 0") > 0);
	assert_int_equal(in_rect(r, "Trần Thị Bình"),
	    in_rect(r, "alerts 1 · cases 0"));
	p = lay->panels[io];
	panel_dirty(p);
	frame();
	assert_int_equal(p->drawn, 0);
	assert_int_equal(layout_back(lay), 1);
	assert_int_equal(lay->focus, 2);
	assert_int_equal(layout_back(lay), 0);
	frame();
	assert_null(lay->panels[io]->win);
	/* The handler column, zoomed: the handler, not only who acked. */
	layout_focus(lay, 0);
	resize_to(30, 160);
	layout_zoom(lay, 1);
	frame();
	r = rect_of("alerts");
	assert_true(in_rect(r, "Handler") == r->y + 1);
	assert_int_equal(in_rect(r, "Trần Thị Bình"), in_rect(r, "A-0002"));
	layout_zoom(lay, 0);
	resize_to(24, 80);
	store_unit(store, "RES-HL-01")->status = UNIT_EN_ROUTE;
	store->changed |= STORE_CH_UNITS;
	free(a->handler);
	a->handler = NULL;
	frame();
}

/* An item as the archive gives it back: its JSON, kept by finished. */
static void
archive_alert(struct finished *f, const char *id, int64_t updated,
    const char *title)
{
	const struct kind	*k = kind_find("alert");
	struct alert		 a;
	char			*cause = NULL;
	json_t			*j;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.area, sizeof a.area, "CT");
	a.kind = ALERT_FIRE;
	a.severity = 2;
	a.title = xstrdup(title);
	a.place = xstrdup("Cô Tô");
	a.state = ALERT_CLOSED;
	a.disposition = DISPOSITION_DUPLICATE;
	a.created = updated - 20 * MIN;
	a.updated = updated;
	a.version = 4;
	history_add(&a.hist, updated - 20 * MIN, "", "created", "citizen");
	history_add(&a.hist, updated, "Lê Văn Cường", "close",
	    "duplicate: trùng A-0001");
	j = k->encode(&a);
	assert_int_equal(finished_add(f, "alert", j, &cause), 0);
	json_decref(j);
	alert_clear(&a);
}

/*
 * Test functions:
 *   the finished class (widgets/widget-finished.c): its rows (finished
 *   items the store holds, newest first, then the archive's), head, row,
 *   footer ("loading…", "no more"), detail of an archived item, the
 *   shift's history (entries since the shift started only), the search
 *   and the area filter on both; widget_finished_mode, the "finished"
 *   command and key 7; at 80x24; layout_dirty_all leaves it alone while
 *   it is hidden
 */
static void
test_finished(void **state)
{
	const struct layout_rect	*r;
	static struct finished		 fin;	/* Outlives a failure. */
	struct alert			*a;
	struct feedback			*f;
	struct panel			*p;
	char				*cause = NULL;
	json_t				*bad;
	int				 i, y1, y2, y3;

	(void)state;
	view("en", 0);
	resize_to(24, 80);
	finished_init(&fin, T0 - 11 * MIN);
	widget_finished_set(&fin);
	/* Live: a resolved alert, an answered case; open ones stay out. */
	a = put_alert("A-0005", 2, "CP", "Cháy rừng nhỏ", T0 - 50 * MIN, 0);
	a->state = ALERT_RESOLVED;
	a->updated = T0 - 4 * MIN;
	a->handler = xstrdup("Phạm Thu");
	history_add(&a->hist, T0 - 4 * MIN, "Phạm Thu", "resolve", "");
	f = put_feedback("F-0003", "Ổ gà đường Trần Phú", T0 + 60 * MIN);
	f->state = FB_ANSWERED;
	snprintf(f->dept, sizeof f->dept, "SCT");
	history_add(&f->hist, T0 - 2 * MIN, "SCT", "reply", "Đã vá");
	store->changed |= STORE_CH_ALERTS | STORE_CH_FEEDBACK;
	/* Archived: one today, one the day before. */
	archive_alert(&fin, "A-0007", T0 - 120 * MIN, "Cháy nhà kho");
	archive_alert(&fin, "A-0006", T0 - 26 * 60 * MIN, "Khói ở chợ");
	/* What does not decode is refused, never kept. */
	bad = json_pack("{s:s}", "id", "\x1b[31m");
	assert_int_equal(finished_add(&fin, "alert", bad, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(finished_add(&fin, "unit", bad, &cause), -1);
	free(cause);
	json_decref(bad);
	assert_int_equal(fin.nalerts, 2);
	fin.state = FINISHED_END;

	/* Hidden, the view gathers nothing, even when all is rebuilt. */
	i = layout_find(lay, "finished");
	p = lay->panels[i];
	frame();
	layout_dirty_all(lay);
	assert_null(p->win);
	assert_int_equal(p->nrows, 0);

	assert_int_equal(run("finished"), CMD_OK);
	i = layout_find(lay, "finished");
	assert_true(i >= LAYOUT_TILED);
	assert_int_equal(lay->focus, i);
	p = lay->panels[i];
	frame();
	r = rect_of("finished");
	assert_int_equal(r->w, 80);
	assert_true(in_rect(r, "Finished (4)") == r->y);
	assert_true(in_rect(r, "Handler") == r->y + 1);
	/* Newest first: F-0003, A-0005, then the archive's A-0007, A-0006. */
	y1 = in_rect(r, "F-0003");
	y2 = in_rect(r, "A-0005");
	y3 = in_rect(r, "A-0007");
	assert_true(y1 > r->y + 1 && y1 < y2 && y2 < y3);
	assert_true(in_rect(r, "A-0006") > y3);
	assert_int_equal(in_rect(r, "answered"), y1);
	assert_int_equal(in_rect(r, "06:58:00"), y1);
	assert_int_equal(in_rect(r, "Phạm Thu"), y2);
	assert_int_equal(in_rect(r, "closed (duplicate)"), y3);
	assert_int_equal(in_rect(r, "31/12 05:00"), in_rect(r, "A-0006"));
	assert_null(strstr(said, "A-0001"));
	assert_true(in_rect(r, "A-0001") < 0);	/* Still open. */
	assert_true(on_screen("4 · no more"));
	fin.state = FINISHED_LOADING;
	store->changed |= STORE_CH_ARCHIVE;
	frame();
	assert_true(on_screen("4 · loading…"));
	/* The archived item's detail comes from the archive's copy. */
	assert_int_equal(run("search cho"), CMD_OK);
	frame();
	assert_true(in_rect(r, "Finished (1)") == r->y);
	assert_true(in_rect(r, "A-0006") > r->y + 1);
	assert_int_equal(layout_detail(lay, 1), 0);
	frame();
	assert_true(on_screen("archived (no longer live)"));
	assert_true(on_screen("Lê Văn Cường"));
	layout_back(lay);
	layout_back(lay);
	frame();
	/* The area filter: Cô Tô has the archive's two only. */
	assert_int_equal(run("filter area CT"), CMD_OK);
	frame();
	assert_true(in_rect(r, "Finished (2)") == r->y);
	assert_int_equal(run("filter clear"), CMD_OK);

	/* The shift's history: since T0 - 11 min, every item's entries. */
	assert_int_equal(run("finished history"), CMD_OK);
	assert_true(widget_finished_history(p));
	frame();
	assert_true(in_rect(r, "the shift's history") == r->y);
	assert_true(in_rect(r, "Action") == r->y + 1);
	/* A-0002: acked at -10, dispatched at -9, a note at -5; not its
	 * creation at -12, before the shift. */
	y1 = in_rect(r, "acknowledged");
	assert_true(y1 > r->y + 1);
	assert_int_equal(in_rect(r, "06:50:00"), y1);
	assert_true(in_rect(r, "Nguyễn Văn An") > r->y + 1);
	assert_true(in_rect(r, "units dispatched") < y1);
	assert_true(in_rect(r, "06:48:00") < 0);
	/* The archived A-0007 was closed two hours ago: before the shift. */
	assert_true(in_rect(r, "A-0007") < 0);
	assert_true(in_rect(r, "answered") > r->y + 1);
	assert_true(on_screen("since 06:49:00 · 5 · loading…"));
	assert_int_equal(run("search nguyen van an"), CMD_OK);
	frame();
	assert_true(on_screen("since 06:49:00 · 3 · loading…"));
	assert_true(in_rect(r, "answered") < 0);
	assert_int_equal(run("search"), CMD_OK);
	assert_int_equal(run("finished items"), CMD_OK);
	frame();
	assert_false(widget_finished_history(p));
	assert_true(in_rect(r, "Finished (4)") == r->y);
	/* Key 7 from the panels opens it too; Esc goes back. */
	assert_int_equal(layout_back(lay), 1);
	frame();
	assert_null(p->win);
	key('7');
	frame();
	assert_int_equal(lay->focus, i);
	layout_back(lay);

	widget_finished_set(NULL);
	finished_clear(&fin);
	store_remove(store, kind_find("alert"), "A-0005");
	store_remove(store, kind_find("feedback"), "F-0003");
	store->changed |= STORE_CH_ALERTS | STORE_CH_FEEDBACK;
	/* The status line as the next test expects it: no message. */
	lay->st.message[0] = '\0';
	lay->dirty_chrome = 1;
	frame();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_80x24_english),
		/* On the store as filled: it counts rows. */
		cmocka_unit_test(test_finished),
		cmocka_unit_test(test_80x24_vietnamese),
		cmocka_unit_test(test_200x50),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_offline_stale),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_search_filter),
		cmocka_unit_test(test_schools_drill),
		cmocka_unit_test(test_single_and_small),
		cmocka_unit_test(test_resize_keeps_selection),
		cmocka_unit_test(test_inbound_nfd_and_hostile),
		cmocka_unit_test(test_emoji_columns),
		cmocka_unit_test(test_prompt_line_controls),
		cmocka_unit_test(test_lazy_redraw),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_unchanged_zero_bytes),
		cmocka_unit_test(test_gauge_change_bytes),
		cmocka_unit_test(test_gauge_rate),
		cmocka_unit_test(test_stage_clocks),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, setup, teardown));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/complete.c: completion and its ranking. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "complete.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static void
put_alert(struct store *s, const char *id, enum alert_state state,
    const char *area, const char *place, int64_t created, int64_t deadline)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	strcpy(a.id, id);
	a.kind = ALERT_FIRE;
	a.severity = 2;
	strcpy(a.area, area);
	a.place = xstrdup(place);
	a.title = xstrdup("Cháy");
	a.state = state;
	a.created = created;
	a.deadline = deadline;
	a.version = 1;
	store_put_alert(s, &a);
}

static void
put_unit(struct store *s, const char *id, const char *area,
    const char *name, enum unit_status status)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	strcpy(u.id, id);
	strcpy(u.area, area);
	u.name = xstrdup(name);
	u.status = status;
	u.version = 1;
	store_put_unit(s, &u);
}

static void
put_case(struct store *s, const char *id, enum fb_state state,
    int64_t received, int64_t deadline)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	strcpy(f.id, id);
	strcpy(f.area, "HL");
	strcpy(f.category, "giaothong");
	f.text = xstrdup("Đèn hỏng");
	f.state = state;
	f.received = received;
	f.deadline = deadline;
	f.version = 1;
	store_put_feedback(s, &f);
}

static int
setup(void **state)
{
	struct store	*s = store_new();
	struct hospital	 h;

	clock_set_fixed(10000);
	store_add_area(s, "HL", "Hạ Long");
	store_add_area(s, "CP", "Cẩm Phả");
	store_add_department(s, "SYT", "Sở Y tế");
	store_add_department(s, "STNMT", "Sở Tài nguyên và Môi trường");
	put_alert(s, "A-1", ALERT_NEW, "HL", "Bãi Cháy", 1000, 0);
	put_alert(s, "A-2", ALERT_NEW, "HL", "Hòn Gai", 3000, 20000);
	put_alert(s, "A-3", ALERT_NEW, "HL", "Cột 8", 2000, 5000);
	put_alert(s, "A-4", ALERT_RESOLVED, "HL", "Cột 5", 4000, 0);
	put_alert(s, "A-5", ALERT_DISPATCHED, "CP", "Cửa Ông", 2500, 0);
	put_alert(s, "A-6", ALERT_ACKNOWLEDGED, "HL", "Giếng Đáy", 100,
	    4000);
	put_unit(s, "U-HL-1", "HL", "Cứu thương Hạ Long", UNIT_AVAILABLE);
	put_unit(s, "U-HL-2", "HL", "Cứu hộ Hạ Long", UNIT_ON_SCENE);
	put_unit(s, "U-CP-1", "CP", "Cứu hỏa Cẩm Phả", UNIT_AVAILABLE);
	put_unit(s, "U-CP-2", "CP", "Công an Cẩm Phả", UNIT_AVAILABLE);
	put_case(s, "PA-1", FB_NEW, 100, 0);
	put_case(s, "PA-2", FB_ASSIGNED, 200, 0);
	put_case(s, "PA-3", FB_ANSWERED, 300, 0);
	put_case(s, "PA-4", FB_NEW, 50, 500);
	memset(&h, 0, sizeof h);
	strcpy(h.id, "BV-1");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	h.version = 1;
	store_put_hospital(s, &h);
	*state = s;
	return (0);
}

static int
teardown(void **state)
{
	store_free(*state);
	clock_set_real();
	return (0);
}

/*
 * Complete line at its end (the last word is the text) and compare the
 * candidates, joined by spaces, with want ("" for none).
 */
static void
check(struct store *s, const char *line, const char *want)
{
	const char	*sp = strrchr(line, ' ');
	size_t		 start = sp != NULL ? (size_t)(sp + 1 - line) : 0;
	char		**m, *got = xstrdup(""), *tmp;
	size_t		 n, i;

	m = complete_line(s, line, start, line + start, &n);
	for (i = 0; i < n; i++) {
		xasprintf(&tmp, "%s%s%s", got, i > 0 ? " " : "", m[i]);
		free(got);
		got = tmp;
	}
	if (n == 0)
		assert_null(m);
	else
		assert_null(m[n]);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", line, got, want);
	free(got);
	complete_free(m);
}

/*
 * Test functions:
 *   complete_line (command names; lines with nothing to complete)
 */
static void
test_complete_commands(void **state)
{
	struct store	*s = *state;
	char		**m;
	size_t		 n, count = 0;

	check(s, "d", "detail digest dispatch divert");
	check(s, "re", "record redraw reopen replay reply resolve retry "
	    "return");
	check(s, "zz", "");
	m = complete_line(s, "", 0, "", &n);
	while (cmd_table[count] != NULL)
		count++;
	assert_int_equal(n, count);
	complete_free(m);
	check(s, "help q", "quit");
	check(s, "quit ", "");
	check(s, "nope ", "");
	check(s, "note A-1 ", "");		/* Free text. */
	check(s, "ack \"A-1 ", "");		/* Unbalanced quote. */
	/* Without a store: only what needs none. */
	m = complete_line(NULL, "ack ", 4, "", &n);
	assert_null(m);
	assert_int_equal(n, 0);
	m = complete_line(NULL, "he", 0, "he", &n);
	assert_int_equal(n, 1);
	complete_free(m);
	complete_free(NULL);
}

/*
 * Test functions:
 *   complete_line (alerts: the states a command accepts; overdue first,
 *   then newest; words typed are not offered again)
 */
static void
test_complete_alerts(void **state)
{
	struct store	*s = *state;

	/* are overdue (A-6 the longer); then newest first. */
	check(s, "ack ", "A-3 A-2 A-1");
	check(s, "ack A-3 ", "A-2 A-1");
	check(s, "ack a-", "A-3 A-2 A-1");
	check(s, "dispatch ", "A-6 A-3 A-2 A-5 A-1");
	check(s, "resolve ", "A-6 A-3 A-2 A-5 A-1");
	check(s, "reopen ", "A-4");
	check(s, "note ", "A-6 A-3 A-4 A-2 A-5 A-1");
	/* By place, without accents. */
	check(s, "ack baichay", "A-1");
	check(s, "dispatch cuaong", "A-5");
	check(s, "ack xyz", "");
	/* close takes alerts and cases. */
	check(s, "close ", "A-6 A-3 A-4 A-2 A-5 A-1 PA-3");
	check(s, "close A-1 ", "resolved false_alarm duplicate cancelled "
	    "transferred");
	check(s, "close A-1 f", "false_alarm");
	/* mute: more alerts, then the minutes (optional, so second). */
	check(s, "mute A-1 ", "A-6 A-3 A-2 A-5 15 30 60 120 240");
}

/*
 * Test functions:
 *   complete_why,
 *   complete_line (units: available first, the alert's area first;
 *   names without accents), complete_name_match
 */
static void
test_complete_units(void **state)
{
	struct store	*s = *state;

	/* dispatch offers available units only, the alert's area first. */
	check(s, "dispatch A-5 ", "U-CP-1 U-CP-2 U-HL-1");
	check(s, "dispatch A-1 ", "U-HL-1 U-CP-1 U-CP-2");
	check(s, "dispatch A-1 U-HL-1 ", "U-CP-1 U-CP-2");
	check(s, "dispatch A-1 campha", "U-CP-1 U-CP-2");
	check(s, "dispatch A-1 cuuhoa", "U-CP-1");
	check(s, "dispatch A-1 u-hl", "U-HL-1");
	check(s, "dispatch A-1 halong", "U-HL-1");
	/* A unit left out says why; nothing is said for an empty word. */
	check(s, "dispatch A-1 U-HL-2", "");
	assert_string_equal(complete_why(), "U-HL-2: on scene");
	check(s, "dispatch A-1 cuuho", "U-CP-1");
	assert_string_equal(complete_why(), "U-HL-2: on scene");
	check(s, "dispatch A-1 ", "U-HL-1 U-CP-1 U-CP-2");
	assert_string_equal(complete_why(), "");
	check(s, "status U-HL", "U-HL-1 U-HL-2");
	assert_string_equal(complete_why(), "");
	/* status: every unit, available first; then the status word. */
	check(s, "status ", "U-CP-1 U-CP-2 U-HL-1 U-HL-2");
	check(s, "status U-HL-2 ", "on_scene en_route returning available "
	    "out_of_service U-CP-1 U-CP-2 U-HL-1");
	check(s, "status U-HL-2 o", "on_scene out_of_service");
	check(s, "status U-HL-2 av", "available");

	assert_true(complete_name_match("Hạ Long", "halong"));
	assert_true(complete_name_match("Hạ Long", "long"));
	assert_true(complete_name_match("Hạ Long", "HA"));
	assert_true(complete_name_match("Ha\xcc\xa3 Long", "halo"));
	assert_false(complete_name_match("Hạ Long", "alon"));
	assert_true(complete_name_match("Cẩm Phả", "cam pha"));
	assert_false(complete_name_match(NULL, "x"));
	assert_true(complete_name_match("x", ""));
}

/*
 * Test functions:
 *   complete_line (feedback cases, departments, areas, hospitals,
 *   on/off, panels)
 */
static void
test_complete_other(void **state)
{
	struct store	*s = *state;

	/* Cases assign accepts: overdue first, then newest. */
	check(s, "assign ", "PA-4 PA-2 PA-1");
	check(s, "reply ", "PA-2");
	/* After a case: departments first, then more cases. */
	check(s, "assign PA-1 ", "STNMT SYT PA-4 PA-2");
	check(s, "assign PA-1 yte", "SYT");
	check(s, "assign PA-1 moitruong", "STNMT");
	check(s, "assign PA-1 sy", "SYT");
	check(s, "divert ", "BV-1");
	check(s, "divert baichay", "BV-1");
	check(s, "divert BV-1 ", "on off");
	check(s, "focus ", "alerts hospitals schools feedback units overview "
	    "next prev");
	check(s, "lang ", "vi en");
	check(s, "help dis", "dispatch");
}

/*
 * Test functions:
 *   complete_line (the view commands' words; flags; a command line as
 *   an argument)
 */
static void
test_complete_view(void **state)
{
	struct store	*s = *state;

	check(s, "zoom ", "on off");
	check(s, "detail o", "on off");
	check(s, "select ", "up down page-up page-down top bottom");
	check(s, "select page", "page-up page-down");
	check(s, "layout ", "auto single grid wide");
	check(s, "focus n", "next");
	/* sort [PANEL] [FIELD]: panels first, then every panel's fields. */
	check(s, "sort h", "hospitals");
	check(s, "sort alerts ", "severity age deadline area state id");
	check(s, "sort feedback ch", "channel");
	check(s, "sort oc", "occupancy");
	/* An area alone is a filter too: "filter bai". */
	check(s, "filter ", "area severity clear Cẩm_Phả Hạ_Long");
	check(s, "filter severity ", "1 2 3 4 +1 -1");
	check(s, "filter area n", "next");
	check(s, "filter area ", "next prev Cẩm_Phả Hạ_Long");
	check(s, "theme mo", "mono");
	/* Flags: the value after -T; then the key; then a command line. */
	check(s, "bind -T ", "root alerts hospitals schools feedback units "
	    "overview replay");
	check(s, "unbind -T fe", "feedback");
	check(s, "bind -T alerts x ", "ack annotate archive assign back bind "
	    "close confirm detail digest dispatch divert escalate filter focus "
	    "help inject keys "
	    "lang layout mark messages mute note outbox prompt quit record "
	    "redraw "
	    "reopen replay reply resolve retry return score search select "
	    "sort status theme unbind zoom");
	check(s, "replay ne", "next");
	check(s, "inject f", "feedback");
	check(s, "bind x ac", "ack");
	check(s, "bind -T alerts x zoom ", "on off");
	check(s, "confirm res", "resolve");
	check(s, "confirm close A-1 ", "resolved false_alarm duplicate "
	    "cancelled transferred");
	check(s, "hoi hoi zoom o", "on off");
}

/*
 * The candidates complete_words_back() gives for the whole of line and
 * where the words it completes start (want "" for none, start ignored).
 */
static void
check_back(struct store *s, const char *line, const char *want,
    size_t want_start)
{
	char	**m, *got = xstrdup(""), *tmp;
	size_t	  n, i, start = (size_t)-1;

	m = complete_words_back(s, line, strlen(line), &start, &n);
	for (i = 0; i < n; i++) {
		xasprintf(&tmp, "%s%s%s", got, i > 0 ? " " : "", m[i]);
		free(got);
		got = tmp;
	}
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", line, got, want);
	if (n > 0)
		assert_int_equal(start, want_start);
	else
		assert_null(m);
	free(got);
	complete_free(m);
}

/*
 * Test functions:
 *   complete_words_back, complete_describe (names of several words,
 *   accents ignored: "so g" is Sở Giáo dục ... and Sở Giao thông ...)
 */
static void
test_complete_words_back(void **state)
{
	struct store	*s = *state;

	store_add_department(s, "SGDDT", "Sở Giáo dục và Đào tạo");
	store_add_department(s, "SGTVT", "Sở Giao thông Vận tải");
	/* One word only: "g" names nothing, "so" every Sở. */
	check(s, "assign PA-1 so g", "");
	check_back(s, "assign PA-1 so g", "SGDDT SGTVT", 12);
	check_back(s, "assign PA-1 so giao t", "SGTVT", 12);
	/* Accents are ignored, typed or not. */
	check_back(s, "assign PA-1 So Giáo", "SGDDT SGTVT", 12);
	check_back(s, "assign PA-1 sở giao d", "SGDDT", 12);
	check_back(s, "assign PA-1 so tai ng", "STNMT", 12);
	/* Units and hospitals too; never the command's own word. */
	check_back(s, "dispatch A-1 cuu th", "U-HL-1", 13);
	/* U-HL-2 (Cứu hộ) is on scene: not offered to dispatch. */
	check_back(s, "dispatch A-1 cuu ho", "U-CP-1", 13);
	check_back(s, "divert benh vien b", "BV-1", 7);
	check_back(s, "assign PA-1 so x", "", 0);
	check_back(s, "assign PA-1 so g ", "", 0);
	check_back(s, "assign", "", 0);
	check_back(s, "assign PA-1", "", 0);
	assert_string_equal(complete_describe(s, "SGTVT"),
	    "Sở Giao thông Vận tải");
	assert_string_equal(complete_describe(s, "U-HL-2"), "Cứu hộ Hạ Long");
	assert_null(complete_describe(s, "PA-1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complete_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_complete_alerts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_complete_units, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_complete_view, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_complete_words_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_other, setup,
		    teardown),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

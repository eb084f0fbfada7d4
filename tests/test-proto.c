/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/proto.c: round trips and every malformed case we know. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "proto.h"
#include "xmalloc.h"

static void
fill_alert(struct alert *a)
{
	memset(a, 0, sizeof *a);
	strcpy(a->id, "A-0012");
	a->kind = ALERT_FLOOD;
	a->severity = 4;
	strcpy(a->area, "HL");
	a->place = xstrdup("Phường Hồng Gai");
	a->source = SOURCE_SENSOR;
	a->title = xstrdup("Ngập sâu 0,5 m tại Hạ Long");
	a->state = ALERT_DISPATCHED;
	a->acked_by = xstrdup("demo");
	alert_add_unit(a, "RES-HL-01");
	alert_add_unit(a, "AMB-HL-02");
	a->escalation = 1;
	a->created = 1795320000000LL;
	a->updated = 1795320060000LL;
	a->deadline = 1795320900000LL;
	a->exercise = 1;
	a->version = 7;
}

/* Decode text as an alert; returns the decoder's result. */
static int
decode_alert_text(const char *text, int sanitize, struct alert *a,
    char **cause)
{
	json_error_t	 jerr;
	json_t		*o = json_loads(text, 0, &jerr);
	int		 r;

	assert_non_null(o);
	r = proto_alert_decode(o, a, sanitize, cause);
	json_decref(o);
	return (r);
}

/*
 * Test functions:
 *   proto_alert_encode, proto_alert_decode
 */
static void
test_alert_round_trip(void **state)
{
	struct alert	 a, b;
	json_t		*o;
	char		*cause = NULL, *t1, *t2;

	(void)state;
	fill_alert(&a);
	o = proto_alert_encode(&a);
	assert_non_null(o);
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	assert_null(cause);
	assert_string_equal(b.id, "A-0012");
	assert_int_equal(b.kind, ALERT_FLOOD);
	assert_int_equal(b.severity, 4);
	assert_string_equal(b.title, a.title);
	assert_string_equal(b.acked_by, "demo");
	assert_int_equal(b.nunits, 2);
	assert_string_equal(b.units[1], "AMB-HL-02");
	assert_int_equal(b.deadline, a.deadline);
	assert_true(b.exercise);
	assert_int_equal(b.version, 7);
	/* Encoding the decoded copy gives the same JSON. */
	t1 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	o = proto_alert_encode(&b);
	t2 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	json_decref(o);
	alert_clear(&a);
	alert_clear(&b);
}

/*
 * Test functions:
 *   proto_unit_*, proto_hospital_*, proto_school_*, proto_feedback_*
 */
static void
test_other_round_trips(void **state)
{
	struct unit	 u, u2;
	struct hospital	 h, h2;
	struct school	 s, s2;
	struct feedback	 f, f2;
	json_t		*o;
	char		*cause = NULL;

	(void)state;
	memset(&u, 0, sizeof u);
	strcpy(u.id, "AMB-HL-01");
	u.type = UNIT_AMBULANCE;
	strcpy(u.area, "HL");
	u.name = xstrdup("Xe cứu thương 01");
	u.status = UNIT_EN_ROUTE;
	strcpy(u.alert, "A-1");
	u.version = 3;
	o = proto_unit_encode(&u);
	assert_int_equal(proto_unit_decode(o, &u2, 0, &cause), 0);
	json_decref(o);
	assert_int_equal(u2.status, UNIT_EN_ROUTE);
	assert_string_equal(u2.alert, "A-1");
	assert_string_equal(u2.name, u.name);

	memset(&h, 0, sizeof h);
	strcpy(h.id, "BV-BAICHAY");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	strcpy(h.area, "HL");
	h.smart = 1;
	h.beds = 700;
	h.beds_used = 650;
	h.icu = 30;
	h.icu_used = 12;
	h.er_waiting = 9;
	h.ambulances = 3;
	h.diversion = 1;
	h.version = 1;
	o = proto_hospital_encode(&h);
	assert_int_equal(proto_hospital_decode(o, &h2, 0, &cause), 0);
	json_decref(o);
	assert_int_equal(h2.beds_used, 650);
	assert_true(h2.diversion);
	assert_true(h2.smart);

	memset(&s, 0, sizeof s);
	strcpy(s.id, "TH-HL-001");
	s.name = xstrdup("Trường THPT Hòn Gai");
	strcpy(s.area, "HL");
	s.level = SCHOOL_THPT;
	s.enrolled = 1300;
	s.present = 1250;
	s.smart_classrooms = 12;
	s.version = 2;
	o = proto_school_encode(&s);
	assert_int_equal(proto_school_decode(o, &s2, 0, &cause), 0);
	json_decref(o);
	assert_int_equal(s2.level, SCHOOL_THPT);
	assert_int_equal(s2.present, 1250);

	memset(&f, 0, sizeof f);
	strcpy(f.id, "PA-0001");
	f.channel = FB_HOTLINE;
	strcpy(f.area, "CP");
	strcpy(f.category, "environment");
	f.text = xstrdup("Bụi than ở Cẩm Phả\nrất nhiều");
	f.state = FB_NEW;
	f.received = 1;
	f.deadline = 2;
	f.version = 1;
	o = proto_feedback_encode(&f);
	assert_int_equal(proto_feedback_decode(o, &f2, 1, &cause), 0);
	json_decref(o);
	assert_string_equal(f2.text, f.text);	/* Newline kept. */
	assert_null(f2.reply);
	assert_string_equal(f2.dept, "");

	unit_clear(&u);
	unit_clear(&u2);
	hospital_clear(&h);
	hospital_clear(&h2);
	school_clear(&s);
	school_clear(&s2);
	feedback_clear(&f);
	feedback_clear(&f2);
}

/*
 * The decoders of the hot messages find their members in one pass
 * (proto_members()): in any order, with members they do not know, and
 * a missing or wrong member still refused by its name.
 *
 * Test functions:
 *   proto_hospital_decode, proto_school_decode, proto_parse
 */
static void
test_members_any_order(void **state)
{
	static const char *const bad_h[] = {
		"{\"id\":\"BV-1\",\"name\":\"B\",\"area\":\"06673\","
		"\"beds\":10,\"icu\":1,\"icu_used\":0,\"er_waiting\":0,"
		"\"ambulances\":0,\"version\":1}", "beds_used",
		"{\"version\":1,\"id\":\"BV-1\",\"name\":\"B\","
		"\"area\":\"06673\",\"beds\":\"10\",\"beds_used\":1,\"icu\":1,"
		"\"icu_used\":0,\"er_waiting\":0,\"ambulances\":0}", "beds",
		"{\"id\":\"BV-1\",\"name\":\"B\",\"area\":\"06673\","
		"\"beds\":10,\"beds_used\":1,\"icu\":1,\"icu_used\":0,"
		"\"er_waiting\":0,\"ambulances\":0,\"diversion\":1,"
		"\"version\":1}", "diversion",
		"{\"name\":\"B\",\"area\":\"06673\",\"beds\":10,"
		"\"beds_used\":1,\"icu\":1,\"icu_used\":0,\"er_waiting\":0,"
		"\"ambulances\":0,\"version\":1}", "id",
	};
	static const char *const bad_ev[] = {
		"{\"type\":\"event\",\"item\":{},\"kind\":\"hospital\","
		"\"seq\":5}", "ts",
		"{\"kind\":\"hospital\",\"ts\":1,\"type\":\"event\","
		"\"seq\":5}", "item",
		"{\"ts\":1,\"seq\":5,\"type\":\"event\",\"item\":{},"
		"\"kind\":\"hospital\",\"remove\":\"yes\"}", "remove",
		"{\"ts\":1,\"seq\":5,\"type\":\"event\",\"item\":{},"
		"\"kind\":\"ship\"}", "kind",
	};
	struct hospital	 h;
	struct school	 sc;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*o;
	char		*cause = NULL;
	const char	*text;
	size_t		 i;

	(void)state;
	/* Reversed, and a member of a later version among them. */
	o = json_loads("{\"version\":4,\"diversion\":true,\"ambulances\":2,"
	    "\"er_waiting\":3,\"icu_used\":7,\"icu\":8,\"beds_used\":85,"
	    "\"beds\":120,\"smart\":true,\"later\":[1,2],\"area\":\"06685\","
	    "\"name\":\"Bệnh viện Vinmec\",\"id\":\"BV-VINMEC\"}", 0, NULL);
	assert_non_null(o);
	assert_int_equal(proto_hospital_decode(o, &h, 1, &cause), 0);
	json_decref(o);
	assert_string_equal(h.id, "BV-VINMEC");
	assert_string_equal(h.area, "06685");
	assert_string_equal(h.name, "Bệnh viện Vinmec");
	assert_true(h.smart && h.diversion);
	assert_int_equal(h.beds, 120);
	assert_int_equal(h.beds_used, 85);
	assert_int_equal(h.icu, 8);
	assert_int_equal(h.icu_used, 7);
	assert_int_equal(h.er_waiting, 3);
	assert_int_equal(h.ambulances, 2);
	assert_int_equal(h.version, 4);
	hospital_clear(&h);

	o = json_loads("{\"present\":40,\"smart_classrooms\":2,\"level\":"
	    "\"thcs\",\"version\":9,\"enrolled\":50,\"id\":\"TH-1\",\"area\":"
	    "\"06673\",\"name\":\"Trường THCS\"}", 0, NULL);
	assert_non_null(o);
	assert_int_equal(proto_school_decode(o, &sc, 1, &cause), 0);
	json_decref(o);
	assert_int_equal(sc.level, SCHOOL_THCS);
	assert_int_equal(sc.enrolled, 50);
	assert_int_equal(sc.present, 40);
	assert_int_equal(sc.smart_classrooms, 2);
	assert_int_equal(sc.version, 9);
	school_clear(&sc);

	for (i = 0; i < sizeof bad_h / sizeof bad_h[0]; i += 2) {
		o = json_loads(bad_h[i], 0, NULL);
		assert_non_null(o);
		assert_int_equal(proto_hospital_decode(o, &h, 1, &cause), -1);
		json_decref(o);
		assert_non_null(cause);
		assert_non_null(strstr(cause, bad_h[i + 1]));
		free(cause);
		cause = NULL;
	}

	/* An event's envelope in another order. */
	text = "{\"item\":{},\"ts\":1,\"seq\":5,\"kind\":\"hospital\","
	    "\"type\":\"event\",\"prev\":3}";
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_EVENT);
	json_decref(o);
	for (i = 0; i < sizeof bad_ev / sizeof bad_ev[0]; i += 2) {
		o = proto_parse(bad_ev[i], strlen(bad_ev[i]), &type, &err,
		    &cause);
		assert_null(o);
		assert_non_null(cause);
		assert_non_null(strstr(cause, bad_ev[i + 1]));
		free(cause);
		cause = NULL;
	}
}

/* The members that came with issue 13, as a version-1 item lacks them. */
static const char *const t_new_alert[] = {
	"acked_at", "dispatched_at", "on_scene_at", "due_ack", "due_dispatch",
	"due_on_scene", "handler", NULL
};
static const char *const t_new_feedback[] = {
	"urgent", "due_assign", "holder", "held_since", "handler", "via", NULL
};

/*
 * Decode item o of kind alert or feedback with each of bad[] (JSON
 * object text) merged in: every one must be refused, with a cause.
 */
static void
t_refuse_each(json_t *o, int alert, const char *const *bad, size_t n)
{
	struct alert	 a;
	struct feedback	 f;
	json_t		*copy, *m;
	char		*cause;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		if ((m = json_loads(bad[i], 0, NULL)) == NULL)
			fail_msg("not JSON: %s", bad[i]);
		copy = json_deep_copy(o);
		json_object_update(copy, m);
		cause = NULL;
		rc = alert ? proto_alert_decode(copy, &a, 0, &cause) :
		    proto_feedback_decode(copy, &f, 0, &cause);
		if (rc == 0)
			fail_msg("accepted %s", bad[i]);
		assert_non_null(cause);
		free(cause);
		json_decref(copy);
		json_decref(m);
	}
}

/* Two items encode the same, keys sorted. */
static void
t_same_json(json_t *o, json_t *again)
{
	char	*t1, *t2;

	t1 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	t2 = json_dumps(again, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
}

/*
 * Test functions:
 *   proto_alert_encode, proto_alert_decode (the stage clocks and the
 *   handler: round trip; absent in a version-1 alert; malformed)
 */
static void
test_alert_clocks(void **state)
{
	static const char *const bad[] = {
		"{\"acked_at\":-1}", "{\"due_ack\":\"soon\"}",
		"{\"on_scene_at\":1.5}", "{\"handler\":7}",
	};
	struct alert	 a, b;
	json_t		*o, *again;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	fill_alert(&a);
	a.acked_at = a.created + 60000;
	a.dispatched_at = a.created + 120000;
	a.due_ack = a.deadline;
	a.due_dispatch = a.created + 300000;
	a.due_on_scene = a.created + 1200000;
	a.handler = xstrdup("lan");
	o = proto_alert_encode(&a);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "on_scene_at")), 0);
	assert_int_equal(proto_alert_decode(o, &b, 1, &cause), 0);
	assert_int_equal(b.acked_at, a.acked_at);
	assert_int_equal(b.dispatched_at, a.dispatched_at);
	assert_int_equal(b.on_scene_at, 0);
	assert_int_equal(b.due_ack, a.due_ack);
	assert_int_equal(b.due_dispatch, a.due_dispatch);
	assert_int_equal(b.due_on_scene, a.due_on_scene);
	assert_string_equal(b.handler, "lan");
	again = proto_alert_encode(&b);
	t_same_json(o, again);
	json_decref(again);
	alert_clear(&b);

	/* Nobody handling it: "" on the wire, NULL in the struct. */
	free(a.handler);
	a.handler = NULL;
	json_decref(o);
	o = proto_alert_encode(&a);
	assert_string_equal(json_string_value(json_object_get(o, "handler")),
	    "");
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	assert_null(b.handler);
	alert_clear(&b);

	/* Malformed, each costs the alert. */
	t_refuse_each(o, 1, bad, sizeof bad / sizeof bad[0]);

	/* A version-1 alert has none of them: all 0. */
	for (i = 0; t_new_alert[i] != NULL; i++)
		json_object_del(o, t_new_alert[i]);
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	assert_int_equal(b.acked_at + b.dispatched_at + b.on_scene_at +
	    b.due_ack + b.due_dispatch + b.due_on_scene, 0);
	assert_null(b.handler);
	alert_clear(&b);
	json_decref(o);
	alert_clear(&a);
}

/*
 * Test functions:
 *   proto_feedback_encode, proto_feedback_decode (urgent, the holder,
 *   since when, the handler, the time to assign, the bodies it came
 *   through: round trip, absent, malformed)
 */
static void
test_feedback_hops(void **state)
{
	static const char *const bad[] = {
		"{\"via\":{}}", "{\"via\":[1]}",
		"{\"via\":[{\"body\":\"A B\",\"since\":1,"
		    "\"deadline\":2}]}",
		"{\"via\":[{\"body\":\"SXD\",\"since\":-1,"
		    "\"deadline\":2}]}",
		"{\"via\":[{\"body\":\"SXD\",\"since\":1}]}",
		"{\"holder\":\"UBND 07054\"}", "{\"urgent\":1}",
		"{\"held_since\":-5}", "{\"due_assign\":\"x\"}",
		"{\"handler\":[]}",
	};
	struct feedback	 f, g;
	json_t		*o, *again, *via;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	memset(&f, 0, sizeof f);
	strcpy(f.id, "PA-0007");
	f.channel = FB_HOTLINE;
	strcpy(f.area, "07054");
	strcpy(f.category, "construction");
	f.text = xstrdup("Xây dựng trái phép");
	f.state = FB_ASSIGNED;
	strcpy(f.dept, "SXD");
	f.received = 1000;
	f.deadline = 9000;
	f.version = 4;
	f.urgent = 1;
	f.due_assign = 3000;
	strcpy(f.holder, "SXD");
	f.held_since = 5000;
	f.handler = xstrdup("minh");
	assert_int_equal(feedback_push_via(&f, "UBND.07054", 2000, 8000), 0);
	o = proto_feedback_encode(&f);
	assert_int_equal(proto_feedback_decode(o, &g, 1, &cause), 0);
	assert_true(g.urgent);
	assert_int_equal(g.due_assign, 3000);
	assert_string_equal(g.holder, "SXD");
	assert_int_equal(g.held_since, 5000);
	assert_string_equal(g.handler, "minh");
	assert_int_equal(g.nvia, 1);
	assert_string_equal(g.via[0].body, "UBND.07054");
	assert_int_equal(g.via[0].since, 2000);
	assert_int_equal(g.via[0].deadline, 8000);
	again = proto_feedback_encode(&g);
	t_same_json(o, again);
	json_decref(again);
	feedback_clear(&g);
	json_decref(o);

	/* No hop: no "via" on the wire; at the desk, nobody on it. */
	feedback_clear_via(&f);
	f.holder[0] = '\0';
	free(f.handler);
	f.handler = NULL;
	f.urgent = 0;
	o = proto_feedback_encode(&f);
	assert_null(json_object_get(o, "via"));
	assert_string_equal(json_string_value(json_object_get(o, "holder")),
	    "");
	assert_int_equal(proto_feedback_decode(o, &g, 0, &cause), 0);
	assert_int_equal(g.nvia, 0);
	assert_null(g.handler);
	feedback_clear(&g);

	/* Malformed, each costs the case. */
	t_refuse_each(o, 0, bad, sizeof bad / sizeof bad[0]);

	/* A version-1 case has none of them. */
	for (i = 0; t_new_feedback[i] != NULL; i++)
		json_object_del(o, t_new_feedback[i]);
	assert_int_equal(proto_feedback_decode(o, &g, 0, &cause), 0);
	assert_int_equal(g.due_assign + g.held_since, 0);
	assert_string_equal(g.holder, "");
	feedback_clear(&g);

	/* At most FB_VIA_MAX bodies. */
	via = json_array();
	for (i = 0; i <= FB_VIA_MAX; i++)
		json_array_append_new(via, json_pack("{s:s s:i s:i}", "body",
		    "SXD", "since", 1, "deadline", 2));
	json_object_set_new(o, "via", via);
	cause = NULL;
	assert_int_equal(proto_feedback_decode(o, &g, 0, &cause), -1);
	assert_non_null(strstr(cause, "more than 8"));
	free(cause);
	json_array_remove(via, 0);
	assert_int_equal(proto_feedback_decode(o, &g, 0, &cause), 0);
	assert_int_equal(g.nvia, FB_VIA_MAX);
	feedback_clear(&g);
	json_decref(o);
	feedback_clear(&f);
}

/*
 * Test functions:
 *   proto_alert_decode (malformed items)
 */
static void
test_alert_malformed(void **state)
{
	static const struct {
		const char	*from, *to;
	} cases[] = {
		{ "\"severity\":4", "\"severity\":5" },
		{ "\"severity\":4", "\"severity\":0" },
		{ "\"severity\":4", "\"severity\":\"4\"" },
		{ "\"state\":\"dispatched\"", "\"state\":\"gone\"" },
		{ "\"state\":\"dispatched\"", "\"state\":7" },
		{ "\"id\":\"A-0012\"", "\"id\":\"A 12\"" },
		{ "\"id\":\"A-0012\"", "\"id\":\"A-00000000000000012\"" },
		{ "\"id\":\"A-0012\"", "\"id\":\"\"" },
		{ "\"id\":\"A-0012\",", "" },
		{ "\"units\":[\"RES-HL-01\",\"AMB-HL-02\"]", "\"units\":\"x\"" },
		{ "\"units\":[\"RES-HL-01\",\"AMB-HL-02\"]",
		    "\"units\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\","
		    "\"h\",\"i\"]" },
		{ "\"units\":[\"RES-HL-01\",\"AMB-HL-02\"]", "\"units\":[1]" },
		{ "\"version\":7", "\"version\":-1" },
		{ "\"version\":7", "\"version\":4294967296" },
		{ "\"version\":7", "\"version\":1.5" },
		{ "\"exercise\":true", "\"exercise\":1" },
		{ "\"title\":", "\"titel\":" },
		{ "\"title\":\"Ng", "\"title\":null,\"x\":\"" },
		{ "\"escalation\":1", "\"escalation\":-3" },
		{ "\"created\":1795320000000", "\"created\":-5" },
	};
	struct alert	 a;
	json_t		*o;
	char		*good, *bad, *p, *cause;
	size_t		 i;

	(void)state;
	fill_alert(&a);
	o = proto_alert_encode(&a);
	alert_clear(&a);
	good = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = strstr(good, cases[i].from);
		assert_non_null(p);
		xasprintf(&bad, "%.*s%s%s", (int)(p - good), good, cases[i].to,
		    p + strlen(cases[i].from));
		cause = NULL;
		if (decode_alert_text(bad, 0, &a, &cause) != -1)
			fail_msg("case %zu accepted: %s", i, bad);
		assert_non_null(cause);
		assert_null(a.title);	/* Cleared on failure. */
		free(cause);
		free(bad);
	}
	/* The unchanged text still decodes. */
	assert_int_equal(decode_alert_text(good, 0, &a, &cause), 0);
	alert_clear(&a);
	free(good);
}

/*
 * Test functions:
 *   proto_alert_decode (sanitising, length limit)
 */
static void
test_alert_sanitize_and_limits(void **state)
{
	struct alert	 a;
	json_t		*o;
	char		*cause = NULL, *big;

	(void)state;
	fill_alert(&a);
	free(a.title);
	a.title = xstrdup("A\x1b[31mB\x1b]0;pwned\x07" "C\r\xe2\x80\xae" "D");
	o = proto_alert_encode(&a);
	alert_clear(&a);
	assert_int_equal(proto_alert_decode(o, &a, 1, &cause), 0);
	assert_string_equal(a.title, "ABCD");
	alert_clear(&a);
	/* Without sanitising the backend keeps the truth byte for byte. */
	assert_int_equal(proto_alert_decode(o, &a, 0, &cause), 0);
	assert_non_null(strchr(a.title, '\x1b'));
	alert_clear(&a);

	big = xmalloc(PROTO_MAX_TEXT + 2);
	memset(big, 'x', PROTO_MAX_TEXT + 1);
	big[PROTO_MAX_TEXT + 1] = '\0';
	json_object_set_new(o, "title", json_string(big));
	assert_int_equal(proto_alert_decode(o, &a, 1, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
	free(big);
	json_decref(o);
}

static void
expect_bad(const char *text, size_t len, enum proto_err want)
{
	enum proto_type	 type;
	enum proto_err	 err;
	char		*cause = NULL;
	json_t		*o;

	o = proto_parse(text, len, &type, &err, &cause);
	if (o != NULL)
		fail_msg("accepted: %.*s", (int)(len > 200 ? 200 : len), text);
	assert_int_equal(err, want);
	assert_non_null(cause);
	assert_true(strlen(cause) > 0);
	free(cause);
}

#define BAD(s)	expect_bad((s), sizeof (s) - 1, PROTO_E_BAD_MESSAGE)

/*
 * Test functions:
 *   proto_parse (envelopes)
 */
static void
test_parse_malformed(void **state)
{
	char	*big;

	(void)state;
	BAD("");
	BAD("{");
	BAD("not json");
	BAD("[1,2]");
	BAD("\"hello\"");
	BAD("{}");
	BAD("{\"type\":1}");
	BAD("{\"type\":\"hello\"}");
	BAD("{\"type\":\"hello\",\"proto\":\"1\"}");
	BAD("{\"type\":\"hello\",\"proto\":0}");
	BAD("{\"type\":\"hello\",\"proto\":1,\"resume\":-1}");
	BAD("{\"type\":\"hello\",\"proto\":1,\"client\":5}");
	BAD("{\"type\":\"hullo\",\"proto\":1}");
	BAD("{\"type\":\"hello\",\"type\":\"cmd\",\"proto\":1}");
	BAD("{\"type\":\"event\",\"seq\":0,\"ts\":1,\"kind\":\"alert\","
	    "\"item\":{}}");
	BAD("{\"type\":\"event\",\"seq\":1,\"ts\":1,\"kind\":\"ufo\","
	    "\"item\":{}}");
	BAD("{\"type\":\"event\",\"seq\":1,\"ts\":1,\"kind\":\"alert\","
	    "\"item\":[]}");
	BAD("{\"type\":\"event\",\"seq\":1,\"kind\":\"alert\",\"item\":{}}");
	BAD("{\"type\":\"cmd\",\"id\":\"c 1\",\"cmd\":\"ack\",\"args\":{}}");
	BAD("{\"type\":\"cmd\",\"id\":\"c-1\",\"cmd\":\"ack\"}");
	BAD("{\"type\":\"cmd\",\"id\":\"c-1\",\"cmd\":\"ack\",\"args\":[]}");
	BAD("{\"type\":\"cmd\",\"id\":\"c-1\",\"cmd\":7,\"args\":{}}");
	BAD("{\"type\":\"cmd\",\"id\":\"c-1234567890123456789012345678901234"
	    "567890123456789012345678901234567890\",\"cmd\":\"ack\","
	    "\"args\":{}}");
	BAD("{\"type\":\"result\",\"id\":\"c-1\"}");
	BAD("{\"type\":\"result\",\"id\":\"c-1\",\"ok\":false}");
	BAD("{\"type\":\"welcome\",\"proto\":1,\"seq\":3}");
	BAD("{\"type\":\"welcome\",\"proto\":1,\"seq\":3,\"operator\":\"a\","
	    "\"role\":\"operator\",\"now\":-1}");
	BAD("{\"type\":\"snapshot\"}");
	BAD("{\"type\":\"get\",\"id\":\"q\",\"kind\":\"alert\"}");
	BAD("{\"type\":\"digest\"}");
	BAD("{\"type\":\"error\",\"code\":\"x\"}");
	BAD("{\"type\":\"beat\",\"seq\":3}");
	BAD("{\"type\":\"beat\",\"ts\":1,\"seq\":-1}");
	BAD("{\"type\":\"beat\",\"ts\":1.5,\"seq\":1}");
	BAD("{\"type\":\"hello\",\"proto\":1,\"beat\":1}");
	BAD("{\"type\":\"welcome\",\"proto\":1,\"seq\":3,\"operator\":\"a\","
	    "\"role\":\"b\",\"beat_ms\":0}");
	/* Invalid UTF-8 and NUL inside strings. */
	BAD("{\"type\":\"hello\",\"proto\":1,\"client\":\"\xc3\x28\"}");
	BAD("{\"type\":\"hello\",\"proto\":1,\"client\":\"\xed\xa0\x80\"}");
	BAD("{\"type\":\"hello\",\"proto\":1,\"client\":\"a\\u0000b\"}");
	expect_bad("{\"type\":\"hello\"\0,\"proto\":1}", 28,
	    PROTO_E_BAD_MESSAGE);

	big = xmalloc(PROTO_MAX_DOWN_FRAME + 2);
	memset(big, ' ', PROTO_MAX_DOWN_FRAME + 1);
	big[0] = '{';
	big[PROTO_MAX_DOWN_FRAME] = '}';
	expect_bad(big, PROTO_MAX_DOWN_FRAME + 1, PROTO_E_TOO_LARGE);
	free(big);
}

/*
 * Test functions:
 *   proto_parse (duplicate keys)
 * A key twice in any object is refused, however deep, and also when the
 * first value was itself an object or the two keys are written apart
 * (escapes); colons and quotes inside strings are not members.
 */
static void
test_parse_duplicates(void **state)
{
	static const char *const bad[] = {
		"{\"type\":\"beat\",\"type\":\"beat\",\"ts\":1,\"seq\":0}",
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,"
		    "\"x\":{\"a\":1,\"a\":2}}",
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,\"x\":[{},{\"a\":"
		    "[{\"b\":1,\"b\":1}]}]}",
		/* The first value an object: its members go too. */
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,\"x\":{\"a\":{\"c\":1},"
		    "\"a\":2,\"d\":3}}",
		/* The same key, one written with an escape. */
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,"
		    "\"t\\u0079pe\":\"beat\"}",
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,"
		    "\"x\":{\"k:\":1,\"k:\":1}}",
	};
	static const char *const good[] = {
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,\"x\":\"a:b\\\":\\\\\"}",
		"{\"type\":\"beat\",\"ts\":1,\"seq\":0,\"x\":{\"a\":{\"a\":1},"
		    "\"b\":[{\"a\":1},{\"a\":2}],\"c:\":\"{\\\"a\\\":1}\"}}",
	};
	json_t		*o;
	char		*cause = NULL;
	enum proto_type	 type;
	enum proto_err	 err;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = proto_parse(bad[i], strlen(bad[i]), &type, &err, &cause);
		if (o != NULL)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(err, PROTO_E_BAD_MESSAGE);
		assert_non_null(strstr(cause, "duplicate"));
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		o = proto_parse(good[i], strlen(good[i]), &type, &err, &cause);
		if (o == NULL)
			fail_msg("refused: %s: %s", good[i], cause);
		assert_int_equal(type, PROTO_BEAT);
		json_decref(o);
	}
}

/*
 * Test functions:
 *   proto_parse (accepted messages), proto_hello_new, proto_cmd_new,
 *   proto_result_ok, proto_result_err, proto_error_new, proto_dump
 */
static void
test_parse_good(void **state)
{
	json_t		*m, *o;
	char		*text, *cause = NULL, id[32];
	enum proto_type	 type;
	enum proto_err	 err;

	(void)state;
	m = proto_hello_new("trucban test", 42);
	text = proto_dump(m);
	json_decref(m);
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_HELLO);
	assert_int_equal(json_integer_value(json_object_get(o, "resume")),
	    42);
	json_decref(o);
	free(text);

	proto_cmd_id(id, sizeof id, "c7f3a", 12);
	assert_string_equal(id, "c7f3a-12");
	m = proto_cmd_new(id, "ack", json_pack("{s:s}", "alert", "A-1"));
	text = proto_dump(m);
	json_decref(m);
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_CMD);
	json_decref(o);
	free(text);

	m = proto_result_err(id, PROTO_E_STALE_VERSION, "you saw 3, now 4");
	text = proto_dump(m);
	json_decref(m);
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_RESULT);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    "stale_version");
	json_decref(o);
	free(text);

	text = xstrdup("{\"type\":\"beat\",\"ts\":1795320002000,\"seq\":0}");
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_BEAT);
	json_decref(o);
	free(text);

	m = proto_result_ok(id, 99);
	text = proto_dump(m);
	json_decref(m);
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "seq")), 99);
	json_decref(o);
	free(text);

	m = proto_error_new(PROTO_E_NOT_READY, "hello first");
	text = proto_dump(m);
	json_decref(m);
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	assert_int_equal(type, PROTO_ERROR);
	json_decref(o);
	free(text);

	/* Unknown members are ignored (forward compatibility). */
	text = xstrdup("{\"type\":\"hello\",\"proto\":2,\"future\":[1]}");
	o = proto_parse(text, strlen(text), &type, &err, &cause);
	assert_non_null(o);
	json_decref(o);
	free(text);
}

/*
 * Test functions:
 *   proto_parse (random mutations never crash and never half-succeed)
 */
static void
test_parse_mutations(void **state)
{
	static const char	*seeds[] = {
		"{\"type\":\"hello\",\"proto\":1,\"resume\":5}",
		"{\"type\":\"cmd\",\"id\":\"c-1\",\"cmd\":\"ack\","
		    "\"args\":{\"alert\":\"A-1\",\"version\":2}}",
		"{\"type\":\"event\",\"seq\":9,\"ts\":1,\"kind\":\"unit\","
		    "\"item\":{\"id\":\"U\"}}",
	};
	char		 buf[256], *cause;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*o;
	unsigned int	 rnd = 12345;
	size_t		 i, len, k;
	int		 n;

	(void)state;
	for (n = 0; n < 20000; n++) {
		const char *s = seeds[n % 3];

		len = strlen(s);
		memcpy(buf, s, len);
		for (k = 0; k < 3; k++) {
			rnd = rnd * 1103515245 + 12345;
			i = (rnd >> 8) % len;
			rnd = rnd * 1103515245 + 12345;
			buf[i] = (char)(rnd >> 16);
		}
		cause = NULL;
		o = proto_parse(buf, len, &type, &err, &cause);
		if (o != NULL) {
			assert_null(cause);
			assert_true(type < PROTO_TYPE_COUNT);
			json_decref(o);
		} else {
			assert_non_null(cause);
			free(cause);
		}
	}
}

/*
 * Test functions:
 *   proto_alert_encode, proto_alert_decode, proto_feedback_encode,
 *   proto_feedback_decode (history, muted_until; both optional)
 */
static void
test_history_round_trip(void **state)
{
	struct alert	 a, b;
	struct feedback	 f, g;
	json_t		*o, *h;
	char		*cause = NULL, *t1, *t2;
	int		 i;

	(void)state;
	fill_alert(&a);
	a.muted_until = 1795320300000LL;
	history_add(&a.hist, 1795320000000LL, "", "created", "sensor");
	history_add(&a.hist, 1795320060000LL, "demo", "note",
	    "Đã liên hệ\ntrưởng khu");
	o = proto_alert_encode(&a);
	h = json_object_get(o, "history");
	assert_int_equal(json_array_size(h), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(h, 1), "what")), "note");
	assert_null(json_object_get(json_array_get(h, 1), "count"));
	assert_int_equal(proto_alert_decode(o, &b, 1, &cause), 0);
	assert_int_equal(b.muted_until, a.muted_until);
	assert_int_equal(b.hist.n, 2);
	assert_int_equal(history_ts(&b.hist, 1), 1795320060000LL);
	assert_string_equal(history_by(&b.hist, 1), "demo");
	assert_string_equal(history_text(&b.hist, 1),
	    "Đã liên hệ\ntrưởng khu");
	t1 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	o = proto_alert_encode(&b);
	t2 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	alert_clear(&b);

	/* The trimmed marker keeps its count through a round trip. */
	for (i = 0; i < HISTORY_MAX + 3; i++)
		history_add(&a.hist, 1795320100000LL + i, "demo", "note", "x");
	json_decref(o);
	o = proto_alert_encode(&a);
	h = json_object_get(o, "history");
	assert_int_equal(json_array_size(h), HISTORY_MAX);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(h,
	    0), "count")), 6);
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	assert_string_equal(history_what(&b.hist, 0), "trimmed");
	assert_int_equal(history_count(&b.hist, 0), 6);
	/* A full history decoded into one block encodes as it came. */
	t1 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	o = proto_alert_encode(&b);
	t2 = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	alert_clear(&b);

	/* Without the members (a backend before issue 3): empty, 0. */
	json_object_del(o, "history");
	json_object_del(o, "muted_until");
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	assert_int_equal(b.hist.n, 0);
	assert_null(b.hist.v);
	assert_int_equal(b.muted_until, 0);
	alert_clear(&b);
	json_object_set_new(o, "history", json_null());
	assert_int_equal(proto_alert_decode(o, &b, 0, &cause), 0);
	alert_clear(&b);
	json_decref(o);
	alert_clear(&a);

	memset(&f, 0, sizeof f);
	strcpy(f.id, "PA-0001");
	strcpy(f.area, "CP");
	strcpy(f.category, "water");
	f.text = xstrdup("Mất nước");
	f.state = FB_ASSIGNED;
	strcpy(f.dept, "NUOC");
	f.version = 2;
	history_add(&f.hist, 5, "", "created", "zalo");
	history_add(&f.hist, 6, "demo", "assign", "NUOC");
	o = proto_feedback_encode(&f);
	assert_int_equal(proto_feedback_decode(o, &g, 1, &cause), 0);
	assert_int_equal(g.hist.n, 2);
	assert_string_equal(history_what(&g.hist, 1), "assign");
	feedback_clear(&g);
	json_object_del(o, "history");
	assert_int_equal(proto_feedback_decode(o, &g, 1, &cause), 0);
	assert_int_equal(g.hist.n, 0);
	feedback_clear(&g);
	json_decref(o);
	feedback_clear(&f);
}

/*
 * Test functions:
 *   proto_alert_decode (malformed histories; hostile history text)
 */
static void
test_history_malformed(void **state)
{
	static const char *const cases[] = {
		"\"x\"",
		"{}",
		"[1]",
		"[{\"what\":\"note\"}]",
		"[{\"ts\":-1,\"what\":\"note\"}]",
		"[{\"ts\":1}]",
		"[{\"ts\":1,\"what\":\"no te\"}]",
		"[{\"ts\":1,\"what\":\"a_very_long_what\"}]",
		"[{\"ts\":1,\"what\":\"note\",\"text\":5}]",
		"[{\"ts\":1,\"what\":\"note\",\"by\":[]}]",
		"[{\"ts\":1,\"what\":\"trimmed\",\"count\":-2}]",
		"[{\"ts\":1,\"what\":\"note\"},{\"ts\":\"2\","
		    "\"what\":\"note\",\"text\":\"x\"}]",
	};
	struct alert	 a;
	json_t		*o, *h, *e;
	char		*cause, *big;
	size_t		 i;

	(void)state;
	fill_alert(&a);
	o = proto_alert_encode(&a);
	alert_clear(&a);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		h = json_loads(cases[i], JSON_DECODE_ANY, NULL);
		assert_non_null(h);
		json_object_set_new(o, "history", h);
		cause = NULL;
		if (proto_alert_decode(o, &a, 0, &cause) != -1)
			fail_msg("case %zu accepted: %s", i, cases[i]);
		assert_non_null(cause);
		assert_null(a.hist.v);
		free(cause);
	}
	json_object_set_new(o, "muted_until", json_integer(-1));
	json_object_del(o, "history");
	assert_int_equal(proto_alert_decode(o, &a, 0, &cause), -1);
	free(cause);
	json_object_set_new(o, "muted_until", json_integer(0));

	/* More than HISTORY_MAX entries. */
	h = json_array();
	for (i = 0; i < HISTORY_MAX + 1; i++)
		json_array_append_new(h, json_pack("{s:i s:s}", "ts", 1,
		    "what", "note"));
	json_object_set_new(o, "history", h);
	assert_int_equal(proto_alert_decode(o, &a, 0, &cause), -1);
	assert_non_null(strstr(cause, "history"));
	free(cause);
	json_array_remove(h, 0);
	assert_int_equal(proto_alert_decode(o, &a, 0, &cause), 0);
	alert_clear(&a);

	/* A text over the limit. */
	big = xmalloc(PROTO_MAX_TEXT + 2);
	memset(big, 'x', PROTO_MAX_TEXT + 1);
	big[PROTO_MAX_TEXT + 1] = '\0';
	e = json_pack("{s:i s:s s:s}", "ts", 1, "what", "note", "text", big);
	json_object_set_new(o, "history", json_pack("[o]", e));
	assert_int_equal(proto_alert_decode(o, &a, 1, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
	free(big);

	/* Hostile text: sanitised for the console, kept by the backend. */
	e = json_pack("{s:i s:s s:s s:s}", "ts", 1, "what", "note", "by",
	    "x\x1b[2Jy", "text",
	    "a\x1b]52;c;cHduZWQ=\x07" "b\r\xe2\x80\xae" "c\nd");
	json_object_set_new(o, "history", json_pack("[o]", e));
	assert_int_equal(proto_alert_decode(o, &a, 1, &cause), 0);
	assert_string_equal(history_text(&a.hist, 0), "abc\nd");
	assert_string_equal(history_by(&a.hist, 0), "xy");
	alert_clear(&a);
	assert_int_equal(proto_alert_decode(o, &a, 0, &cause), 0);
	assert_non_null(strchr(history_text(&a.hist, 0), '\x1b'));
	assert_non_null(strchr(history_text(&a.hist, 0), '\r'));
	alert_clear(&a);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_round_trip),
		cmocka_unit_test(test_history_malformed),
		cmocka_unit_test(test_alert_round_trip),
		cmocka_unit_test(test_other_round_trips),
		cmocka_unit_test(test_members_any_order),
		cmocka_unit_test(test_alert_clocks),
		cmocka_unit_test(test_feedback_hops),
		cmocka_unit_test(test_alert_malformed),
		cmocka_unit_test(test_alert_sanitize_and_limits),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_duplicates),
		cmocka_unit_test(test_parse_mutations),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

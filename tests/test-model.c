/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/model.c: enum names, ids, copies, histories and the state
 * machines of alerts, units and feedback cases.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "strpool.h"
#include "xmalloc.h"

/*
 * Test functions:
 *   model_enum_parse
 */
static void
test_enum_parse(void **state)
{
	(void)state;
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "new"),
	    ALERT_NEW);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "closed"),
	    ALERT_CLOSED);
	assert_int_equal(MODEL_ENUM_PARSE(unit_status_names,
	    "out_of_service"), UNIT_OUT_OF_SERVICE);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, "New"), -1);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, ""), -1);
	assert_int_equal(MODEL_ENUM_PARSE(alert_state_names, NULL), -1);
}

/*
 * Test functions:
 *   model_id_valid, model_set_code
 */
static void
test_id_valid(void **state)
{
	char	buf[4];

	(void)state;
	assert_true(model_id_valid("A-0012", MODEL_ID_MAX));
	assert_true(model_id_valid("AMB-HL-01", MODEL_ID_MAX));
	assert_true(model_id_valid("123456789012345", MODEL_ID_MAX));
	assert_false(model_id_valid("1234567890123456", MODEL_ID_MAX));
	assert_false(model_id_valid("", MODEL_ID_MAX));
	assert_false(model_id_valid(NULL, MODEL_ID_MAX));
	assert_false(model_id_valid("A 1", MODEL_ID_MAX));
	assert_false(model_id_valid("A\x1b[2J", MODEL_ID_MAX));
	assert_false(model_id_valid("Hạ", MODEL_ID_MAX));
	assert_int_equal(model_set_code(buf, sizeof buf, "HL"), 0);
	assert_string_equal(buf, "HL");
	assert_int_equal(model_set_code(buf, sizeof buf, "ABCD"), -1);
	assert_string_equal(buf, "HL");
}

/*
 * Test functions:
 *   alert_can
 */
static void
test_alert_fsm(void **state)
{
	(void)state;
	assert_true(alert_can(ALERT_NEW, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_ACK));
	assert_true(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_ON_SCENE));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_ON_SCENE));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_RESOLVED, ALERT_DO_CLOSE));
	assert_true(alert_can(ALERT_CLOSED, ALERT_DO_REOPEN));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_CLOSE));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_REOPEN));
	/* Out of range never allows anything. */
	assert_false(alert_can(ALERT_STATE_COUNT, ALERT_DO_ACK));
	assert_false(alert_can(ALERT_NEW, ALERT_DO_ACTION_COUNT));
}

/*
 * Test functions:
 *   alert_copy, alert_clear, alert_has_unit, alert_is_open
 */
static void
test_alert_copy(void **state)
{
	struct alert	a, b;

	(void)state;
	memset(&a, 0, sizeof a);
	strcpy(a.id, "A-1");
	a.title = xstrdup("Cháy nhà dân tại Bãi Cháy");
	a.place = xstrdup("Bãi Cháy");
	alert_add_unit(&a, "FIR-HL-01");
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.title, b.title);
	assert_string_equal(a.title, b.title);
	assert_null(b.acked_by);
	assert_true(alert_has_unit(&b, "FIR-HL-01"));
	assert_false(alert_has_unit(&b, "FIR-HL-02"));
	assert_true(alert_is_open(&b));
	b.state = ALERT_RESOLVED;
	assert_false(alert_is_open(&b));
	alert_clear(&a);
	assert_null(a.title);
	assert_string_equal(b.place, "Bãi Cháy");
	alert_clear(&b);
}

/*
 * Test functions:
 *   hospital_status
 */
static void
test_hospital_status(void **state)
{
	struct hospital	h;

	(void)state;
	memset(&h, 0, sizeof h);
	h.beds = 100;
	h.icu = 10;
	h.beds_used = 50;
	assert_int_equal(hospital_status(&h), HOSPITAL_NORMAL);
	h.beds_used = 85;
	assert_int_equal(hospital_status(&h), HOSPITAL_BUSY);
	h.beds_used = 50;
	h.icu_used = 10;
	assert_int_equal(hospital_status(&h), HOSPITAL_CRITICAL);
	h.icu_used = 0;
	h.diversion = 1;
	assert_int_equal(hospital_status(&h), HOSPITAL_CRITICAL);
	h.diversion = 0;
	h.beds = 0;		/* No division by zero. */
	h.icu = 0;
	assert_int_equal(hospital_status(&h), HOSPITAL_NORMAL);
}

/*
 * Test functions:
 *   alert_can (note, escalate, mute, recall)
 */
static void
test_alert_fsm_more(void **state)
{
	int	s;

	(void)state;
	/* A note may be added in every state, even closed. */
	for (s = 0; s < ALERT_STATE_COUNT; s++)
		assert_true(alert_can(s, ALERT_DO_NOTE));
	assert_true(alert_can(ALERT_NEW, ALERT_DO_ESCALATE));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_MUTE));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_ESCALATE));
	assert_false(alert_can(ALERT_CLOSED, ALERT_DO_MUTE));
	assert_true(alert_can(ALERT_DISPATCHED, ALERT_DO_RECALL));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_RECALL));
	assert_false(alert_can(ALERT_ACKNOWLEDGED, ALERT_DO_RECALL));
	assert_true(alert_can(ALERT_ON_SCENE, ALERT_DO_DISPATCH));
	assert_true(alert_can(ALERT_RESOLVED, ALERT_DO_REOPEN));
	assert_false(alert_can(ALERT_RESOLVED, ALERT_DO_RESOLVE));
}

/*
 * Test functions:
 *   unit_can, unit_is_busy
 */
static void
test_unit_cycle(void **state)
{
	struct unit	u;
	int		s;

	(void)state;
	assert_true(unit_can(UNIT_AVAILABLE, UNIT_DISPATCHED));
	assert_true(unit_can(UNIT_DISPATCHED, UNIT_EN_ROUTE));
	assert_true(unit_can(UNIT_EN_ROUTE, UNIT_ON_SCENE));
	assert_true(unit_can(UNIT_DISPATCHED, UNIT_ON_SCENE));
	assert_true(unit_can(UNIT_ON_SCENE, UNIT_RETURNING));
	assert_true(unit_can(UNIT_RETURNING, UNIT_AVAILABLE));
	assert_true(unit_can(UNIT_OUT_OF_SERVICE, UNIT_AVAILABLE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_ON_SCENE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_EN_ROUTE));
	assert_false(unit_can(UNIT_RETURNING, UNIT_ON_SCENE));
	assert_false(unit_can(UNIT_ON_SCENE, UNIT_EN_ROUTE));
	assert_false(unit_can(UNIT_OUT_OF_SERVICE, UNIT_DISPATCHED));
	/* Only an available unit can be dispatched; nothing stays put. */
	for (s = 0; s < UNIT_STATUS_COUNT; s++) {
		assert_int_equal(unit_can(s, UNIT_DISPATCHED),
		    s == UNIT_AVAILABLE);
		assert_false(unit_can(s, s));
		assert_true(s == UNIT_AVAILABLE || unit_can(s,
		    UNIT_AVAILABLE));
	}
	assert_false(unit_can(UNIT_STATUS_COUNT, UNIT_AVAILABLE));
	assert_false(unit_can(UNIT_AVAILABLE, UNIT_STATUS_COUNT));
	memset(&u, 0, sizeof u);
	u.status = UNIT_EN_ROUTE;
	assert_true(unit_is_busy(&u));
	u.status = UNIT_RETURNING;
	assert_false(unit_is_busy(&u));
}

/*
 * Test functions:
 *   feedback_can, feedback_is_open
 */
static void
test_feedback_fsm(void **state)
{
	struct feedback	f;

	(void)state;
	assert_true(feedback_can(FB_NEW, FB_DO_ASSIGN));
	assert_true(feedback_can(FB_NEW, FB_DO_RETURN));
	assert_false(feedback_can(FB_NEW, FB_DO_REPLY));
	assert_false(feedback_can(FB_NEW, FB_DO_CLOSE));
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_START));
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_REPLY));
	assert_true(feedback_can(FB_IN_PROGRESS, FB_DO_REPLY));
	assert_false(feedback_can(FB_IN_PROGRESS, FB_DO_START));
	assert_true(feedback_can(FB_ANSWERED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_ANSWERED, FB_DO_REPLY));
	assert_true(feedback_can(FB_RETURNED, FB_DO_ASSIGN));
	assert_true(feedback_can(FB_RETURNED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_CLOSED, FB_DO_ASSIGN));
	assert_false(feedback_can(FB_CLOSED, FB_DO_CLOSE));
	assert_false(feedback_can(FB_STATE_COUNT, FB_DO_ASSIGN));
	assert_false(feedback_can(FB_NEW, FB_DO_ACTION_COUNT));
	/* Only the body holding a case passes it on. */
	assert_true(feedback_can(FB_ASSIGNED, FB_DO_TRANSFER));
	assert_true(feedback_can(FB_IN_PROGRESS, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_NEW, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_ANSWERED, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_RETURNED, FB_DO_TRANSFER));
	assert_false(feedback_can(FB_CLOSED, FB_DO_TRANSFER));
	memset(&f, 0, sizeof f);
	f.state = FB_IN_PROGRESS;
	assert_true(feedback_is_open(&f));
	f.state = FB_RETURNED;
	assert_false(feedback_is_open(&f));
}

/*
 * Test functions:
 *   feedback_copy, feedback_clear, alert_copy, alert_clear (the handler
 *   and the hops are copied deeply)
 */
static void
test_handler_copy(void **state)
{
	struct feedback	f, g;
	struct alert	a, b;

	(void)state;
	memset(&f, 0, sizeof f);
	f.text = xstrdup("Đèn đường hỏng");
	f.handler = xstrdup("minh");
	strcpy(f.holder, "SXD");
	assert_int_equal(feedback_push_via(&f, "UBND.07054", 0, 42), 0);
	feedback_copy(&g, &f);
	assert_ptr_not_equal(g.handler, f.handler);
	assert_string_equal(g.handler, "minh");
	assert_string_equal(g.holder, "SXD");
	assert_int_equal(g.nvia, 1);
	assert_string_equal(g.via[0].body, "UBND.07054");
	assert_int_equal(g.via[0].deadline, 42);
	feedback_clear(&f);
	assert_null(f.handler);
	assert_int_equal(f.nvia, 0);
	assert_string_equal(g.handler, "minh");
	feedback_clear(&g);

	memset(&a, 0, sizeof a);
	a.handler = xstrdup("lan");
	a.due_ack = 7;
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.handler, b.handler);
	assert_string_equal(b.handler, "lan");
	assert_int_equal(b.due_ack, 7);
	alert_clear(&a);
	assert_null(a.handler);
	alert_clear(&b);
}

/*
 * Test functions:
 *   alert_clock (the stage clock running, with and without the stage
 *   members of issue 13)
 */
static void
test_alert_clock(void **state)
{
	struct alert	a;
	int64_t		due;

	(void)state;
	memset(&a, 0, sizeof a);
	a.state = ALERT_NEW;
	a.deadline = a.due_ack = 1000;
	a.due_dispatch = 2000;
	a.due_on_scene = 3000;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ACK);
	assert_int_equal(due, 1000);
	/* Acknowledged: the first response's clock stops, dispatch runs. */
	a.state = ALERT_ACKNOWLEDGED;
	a.acked_at = 900;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_DISPATCH);
	assert_int_equal(due, 2000);
	a.state = ALERT_DISPATCHED;
	a.dispatched_at = 1500;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	assert_int_equal(due, 3000);
	/* Recalled before any unit reached the scene: still on scene. */
	a.state = ALERT_ACKNOWLEDGED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	a.state = ALERT_ON_SCENE;
	a.on_scene_at = 2500;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_NONE);
	assert_int_equal(due, 0);
	a.state = ALERT_RESOLVED;
	a.on_scene_at = 0;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_NONE);
	/* A version-1 backend: the deadline is the time to acknowledge,
	 * and the state says which stages are reached. */
	memset(&a, 0, sizeof a);
	a.state = ALERT_NEW;
	a.deadline = 1000;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ACK);
	assert_int_equal(due, 1000);
	a.state = ALERT_ACKNOWLEDGED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_DISPATCH);
	assert_int_equal(due, 0);
	a.state = ALERT_DISPATCHED;
	assert_int_equal(alert_clock(&a, &due), ALERT_CLOCK_ON_SCENE);
	assert_int_equal(due, 0);
}

/*
 * Test functions:
 *   history_add, history_copy, history_clear, alert_copy, alert_clear
 */
static void
test_history(void **state)
{
	struct alert	 a, b;
	struct history	 h;
	char		 text[32];
	int		 i;

	(void)state;
	memset(&a, 0, sizeof a);
	history_add(&a.hist, 10, "op1", "created", NULL);
	history_add(&a.hist, 20, NULL, "note", "Đã gọi 114");
	assert_int_equal(a.hist.n, 2);
	assert_string_equal(history_by(&a.hist, 0), "op1");
	assert_string_equal(history_text(&a.hist, 0), "");
	assert_string_equal(history_by(&a.hist, 1), "");
	assert_string_equal(history_text(&a.hist, 1), "Đã gọi 114");
	alert_copy(&b, &a);
	assert_ptr_not_equal(a.hist.v, b.hist.v);
	/* A copy holds the pool's same string. */
	assert_ptr_equal(history_text(&a.hist, 1), history_text(&b.hist, 1));
	assert_string_equal(history_what(&b.hist, 1), "note");
	alert_clear(&a);
	assert_int_equal(a.hist.n, 0);
	assert_string_equal(history_text(&b.hist, 1), "Đã gọi 114");
	alert_clear(&b);

	/* Overflow: the oldest entries fold into one marker in front. */
	memset(&h, 0, sizeof h);
	for (i = 0; i < HISTORY_MAX + 5; i++) {
		snprintf(text, sizeof text, "n%d", i);
		history_add(&h, 1000 + i, "op", "note", text);
		assert_true(h.n <= HISTORY_MAX);
	}
	assert_int_equal(h.n, HISTORY_MAX);
	assert_string_equal(history_what(&h, 0), "trimmed");
	assert_int_equal(history_count(&h, 0), 6);
	assert_string_equal(history_text(&h, 0), "6 earlier entries");
	/* The newest folded. */
	assert_int_equal(history_ts(&h, 0), 1005);
	assert_string_equal(history_text(&h, 1), "n6");
	assert_string_equal(history_text(&h, HISTORY_MAX - 1), "n204");
	history_add(&h, 9999, "op", "close", "resolved");
	assert_int_equal(h.n, HISTORY_MAX);
	assert_int_equal(history_count(&h, 0), 7);
	assert_string_equal(history_text(&h, 1), "n7");
	assert_string_equal(history_what(&h, HISTORY_MAX - 1), "close");
	history_clear(&h);
	history_clear(&h);	/* Twice is fine. */
	assert_null(h.v);
}

/* Field by field: a and b hold the same entries. */
static void
assert_history_equal(const struct history *a, const struct history *b)
{
	struct history_entry	ea, eb;
	size_t			i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		history_at(a, i, &ea);
		history_at(b, i, &eb);
		assert_int_equal(ea.ts, eb.ts);
		assert_string_equal(ea.by, eb.by);
		assert_string_equal(ea.what, eb.what);
		assert_string_equal(ea.text, eb.text);
		assert_int_equal(ea.count, eb.count);
	}
}

/* The entries of h as readers see them, into v (at least h->n). */
static void
history_views(const struct history *h, struct history_entry *v)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		history_at(h, i, &v[i]);
}

/*
 * Test functions:
 *   history_set, history_append, history_add, history_copy, history_clear,
 *   history_at, strpool_get, strpool_put
 *
 * The records and the pool: each distinct string kept once for the whole
 * process and gone with its last holder, "" costing nothing, a what cut
 * to its limit, UTF-8 and long texts kept byte for byte, folding past
 * HISTORY_MAX the same whether entries come one by one or at once, and a
 * history rebuilt from its own entries.
 */
static void
test_history_packed(void **state)
{
	struct history		 h, one, all, add, c;
	struct history_entry	 v[HISTORY_MAX + 250], w[8];
	char			 texts[HISTORY_MAX + 250][16], big[4097];
	size_t			 i, n = sizeof v / sizeof v[0], base;

	(void)state;
	base = strpool_count();
	memset(&h, 0, sizeof h);
	history_add(&h, 1, "op1", "created", "sensor");
	history_add(&h, 2, "op1", "ack", NULL);
	history_add(&h, 3, "op1", "note", "xin chào");
	history_add(&h, 4, "sim", "a-what-too-long-to-keep", "x");
	assert_int_equal(h.n, 4);
	/* The author is kept once, and "" costs nothing. */
	assert_ptr_equal(history_by(&h, 0), history_by(&h, 1));
	assert_ptr_equal(history_by(&h, 1), history_by(&h, 2));
	assert_string_equal(history_text(&h, 1), "");
	assert_ptr_equal(history_text(&h, 1), strpool_str(STRPOOL_EMPTY));
	assert_string_equal(history_what(&h, 3), "a-what-too-long");
	assert_int_equal(strlen(history_what(&h, 3)), HISTORY_WHAT_MAX - 1);
	/* op1 created sensor ack note "xin chào" sim (cut what) x: 9. */
	assert_int_equal(strpool_count(), base + 9);
	/* Two whats the same once cut: one copy. */
	memset(w, 0, 2 * sizeof w[0]);
	w[0].by = w[1].by = w[0].text = w[1].text = "";
	w[0].what = "a-what-too-long-to-keep";
	w[1].what = "a-what-too-long-as-well";
	memset(&c, 0, sizeof c);
	history_set(&c, w, 2);
	assert_ptr_equal(history_what(&c, 1), history_what(&c, 0));
	assert_ptr_equal(history_what(&c, 1), history_what(&h, 3));
	history_clear(&c);

	/* The same bytes in any history, but not a prefix or extension. */
	history_add(&c, 9, "si", "ac", "sensorx");
	history_add(&c, 10, "sim", "created", "sensor");
	assert_ptr_equal(history_what(&c, 1), history_what(&h, 0));
	assert_ptr_equal(history_text(&c, 1), history_text(&h, 0));
	assert_ptr_equal(history_by(&c, 1), history_by(&h, 3));
	assert_string_equal(history_by(&c, 0), "si");
	assert_string_equal(history_what(&c, 0), "ac");
	assert_string_equal(history_text(&c, 0), "sensorx");
	history_clear(&c);
	assert_int_equal(strpool_count(), base + 9);

	/* Rebuilt from its own entries (the pool's strings). */
	history_views(&h, w);
	history_set(&h, w, h.n);
	assert_int_equal(h.n, 4);
	assert_string_equal(history_text(&h, 2), "xin chào");
	assert_string_equal(history_by(&h, 3), "sim");
	assert_int_equal(strpool_count(), base + 9);

	/* A copy is its own block with the same entries. */
	history_copy(&c, &h);
	assert_ptr_not_equal(c.v, h.v);
	assert_history_equal(&c, &h);
	history_clear(&h);
	assert_string_equal(history_text(&c, 2), "xin chào");
	history_views(&c, w);
	history_set(&h, w, c.n);
	history_clear(&c);

	/* Long texts and UTF-8, byte for byte. */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big + 100, "Hạ Long \xe1\xbb\x91", 12);
	history_add(&h, 5, "op2", "note", big);
	assert_int_equal(strlen(history_text(&h, 4)), 4096);
	assert_memory_equal(history_text(&h, 4), big, sizeof big);
	assert_string_equal(history_text(&h, 3), "x");
	history_clear(&h);
	history_clear(&h);
	assert_null(h.v);
	assert_int_equal(h.n, 0);
	/* Every string went with its last holder. */
	assert_int_equal(strpool_count(), base);

	/*
	 * Folding: 450 entries one by one, and the same at once, and as a
	 * held history plus appended ones, come out equal.
	 */
	memset(&one, 0, sizeof one);
	memset(&all, 0, sizeof all);
	for (i = 0; i < n; i++) {
		snprintf(texts[i], sizeof texts[i], "n%zu", i);
		memset(&v[i], 0, sizeof v[i]);
		v[i].ts = (int64_t)(1000 + (i * 7) % 13);
		/* "op" after "op1": a prefix is not the same author. */
		v[i].by = i % 3 == 0 ? "" : i % 3 == 1 ? "op1" : "op";
		v[i].what = i % 2 ? "note" : "ack";
		v[i].text = texts[i];
		history_add(&one, v[i].ts, v[i].by, v[i].what, v[i].text);
	}
	history_set(&all, v, n);
	assert_int_equal(one.n, HISTORY_MAX);
	assert_string_equal(history_what(&one, 0), "trimmed");
	assert_int_equal(history_count(&one, 0), n - HISTORY_MAX + 1);
	assert_int_equal(history_total(&one), n);
	for (i = 1; i < HISTORY_MAX; i++) {
		assert_string_equal(history_by(&one, i),
		    v[n - HISTORY_MAX + i].by);
		assert_string_equal(history_what(&one, i),
		    v[n - HISTORY_MAX + i].what);
		assert_string_equal(history_text(&one, i),
		    v[n - HISTORY_MAX + i].text);
	}
	assert_history_equal(&all, &one);

	history_set(&all, v, 150);
	memset(&add, 0, sizeof add);
	history_set(&add, v + 150, n - 150);
	assert_int_equal(add.n, HISTORY_MAX);	/* Folded on its own. */
	history_clear(&add);
	for (i = 150; i < n; i++) {
		history_set(&add, v + i, 1);
		history_append(&all, &add);
		history_clear(&add);
	}
	assert_history_equal(&all, &one);

	/* A marker appended keeps its count (history deltas). */
	history_set(&all, v, 3);
	memset(&v[0], 0, sizeof v[0]);
	v[0].by = "";
	v[0].what = "trimmed";
	v[0].text = "4 earlier entries";
	v[0].count = 4;
	history_set(&add, v, 1);
	history_append(&all, &add);
	history_clear(&add);
	assert_int_equal(all.n, 4);
	assert_int_equal(history_count(&all, 3), 4);
	history_clear(&all);
	history_clear(&one);

	/* Nothing in, nothing held. */
	history_set(&all, v, 0);
	assert_null(all.v);
	assert_int_equal(all.n, 0);
	assert_int_equal(strpool_count(), base);
}

/*
 * Test functions:
 *   feedback_push_via, feedback_pop_via, feedback_clear_via,
 *   feedback_copy, feedback_clear
 *
 * The hops live in an array of their own: none costs nothing, at most
 * FB_VIA_MAX, the last taken first, a copy its own array.
 */
static void
test_feedback_via(void **state)
{
	struct feedback	 f, g;
	struct fb_hop	 hop;
	char		 body[MODEL_CODE_MAX];
	int		 i;

	(void)state;
	memset(&f, 0, sizeof f);
	assert_null(f.via);
	assert_int_equal(feedback_pop_via(&f, &hop), -1);
	for (i = 0; i < FB_VIA_MAX; i++) {
		snprintf(body, sizeof body, "B%d", i);
		assert_int_equal(feedback_push_via(&f, body, i, 100 + i), 0);
	}
	assert_int_equal(feedback_push_via(&f, "X", 0, 0), -1);
	assert_int_equal(f.nvia, FB_VIA_MAX);
	feedback_copy(&g, &f);
	assert_ptr_not_equal(g.via, f.via);
	assert_int_equal(g.nvia, FB_VIA_MAX);
	assert_string_equal(g.via[3].body, "B3");
	assert_int_equal(feedback_pop_via(&f, &hop), 0);
	assert_string_equal(hop.body, "B7");
	assert_int_equal(hop.since, 7);
	assert_int_equal(hop.deadline, 107);
	assert_int_equal(f.nvia, FB_VIA_MAX - 1);
	assert_string_equal(g.via[7].body, "B7");
	while (f.nvia > 0)
		assert_int_equal(feedback_pop_via(&f, &hop), 0);
	assert_string_equal(hop.body, "B0");
	assert_null(f.via);
	feedback_clear_via(&g);
	assert_null(g.via);
	assert_int_equal(g.nvia, 0);
	assert_int_equal(feedback_push_via(&g, "SXD", 1, 2), 0);
	feedback_clear(&g);
	assert_null(g.via);
	feedback_clear(&f);
}

/*
 * Test functions:
 *   alert_remove_unit
 */
static void
test_alert_remove_unit(void **state)
{
	struct alert	a, b;
	char		id[MODEL_ID_MAX];
	int		i;

	(void)state;
	memset(&a, 0, sizeof a);
	assert_int_equal(alert_add_unit(&a, "U1"), 0);
	assert_int_equal(alert_add_unit(&a, "U2"), 0);
	assert_int_equal(alert_add_unit(&a, "U3"), 0);
	assert_true(alert_remove_unit(&a, "U2"));
	assert_int_equal(a.nunits, 2);
	assert_string_equal(a.units[0], "U1");
	assert_string_equal(a.units[1], "U3");
	assert_string_equal(a.units[2], "");
	assert_false(alert_remove_unit(&a, "U2"));
	assert_true(alert_remove_unit(&a, "U3"));
	assert_true(alert_remove_unit(&a, "U1"));
	assert_int_equal(a.nunits, 0);
	assert_null(a.units);	/* None: no array. */

	/* At most ALERT_MAX_UNITS ids that fit; a copy is its own. */
	for (i = 0; i < ALERT_MAX_UNITS; i++) {
		snprintf(id, sizeof id, "U-%d", i);
		assert_int_equal(alert_add_unit(&a, id), 0);
	}
	assert_int_equal(alert_add_unit(&a, "U-X"), -1);
	alert_copy(&b, &a);
	assert_ptr_not_equal(b.units, a.units);
	assert_string_equal(b.units[ALERT_MAX_UNITS - 1], "U-7");
	alert_clear_units(&a);
	assert_null(a.units);
	assert_int_equal(alert_add_unit(&a, "U-0123456789ABCDEF"), -1);
	assert_int_equal(a.nunits, 0);
	assert_true(alert_has_unit(&b, "U-3"));
	alert_clear(&b);
	alert_clear(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_parse),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_alert_fsm),
		cmocka_unit_test(test_alert_copy),
		cmocka_unit_test(test_hospital_status),
		cmocka_unit_test(test_alert_fsm_more),
		cmocka_unit_test(test_unit_cycle),
		cmocka_unit_test(test_feedback_fsm),
		cmocka_unit_test(test_handler_copy),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_history_packed),
		cmocka_unit_test(test_feedback_via),
		cmocka_unit_test(test_alert_clock),
		cmocka_unit_test(test_alert_remove_unit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

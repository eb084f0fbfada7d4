/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/kind.c: the table of item kinds, its lookups and
 * accessors, and the store's operations on any kind.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/* A valid item of each kind, as the wire has it. */
static const char *const t_items[KIND_COUNT] = {
	[KIND_ALERT] = "{\"id\":\"A-1\",\"kind\":\"fire\",\"severity\":3,"
	    "\"area\":\"HL\",\"place\":\"p\",\"source\":\"manual\","
	    "\"title\":\"t\",\"state\":\"new\",\"disposition\":\"none\","
	    "\"acked_by\":null,\"units\":[],\"escalation\":0,\"created\":1,"
	    "\"updated\":1,\"deadline\":0,\"exercise\":false,\"version\":4,"
	    "\"history\":[{\"ts\":1,\"by\":\"\",\"what\":\"created\","
	    "\"text\":\"manual\"}]}",
	[KIND_UNIT] = "{\"id\":\"U-1\",\"type\":\"fire\",\"area\":\"CP\","
	    "\"name\":\"n\",\"status\":\"available\",\"alert\":\"\","
	    "\"version\":2}",
	[KIND_HOSPITAL] = "{\"id\":\"H-1\",\"name\":\"n\",\"area\":\"UB\","
	    "\"smart\":true,\"beds\":10,\"beds_used\":1,\"icu\":2,"
	    "\"icu_used\":0,\"er_waiting\":0,\"ambulances\":1,"
	    "\"diversion\":false,\"version\":7}",
	[KIND_SCHOOL] = "{\"id\":\"S-1\",\"name\":\"n\",\"area\":\"MC\","
	    "\"level\":\"th\",\"enrolled\":10,\"present\":9,"
	    "\"smart_classrooms\":1,\"version\":1}",
	[KIND_FEEDBACK] = "{\"id\":\"PA-1\",\"channel\":\"app\","
	    "\"area\":\"HL\",\"category\":\"water\",\"text\":\"t\","
	    "\"state\":\"new\",\"dept\":\"\",\"reply\":null,"
	    "\"received\":1,\"deadline\":2,\"version\":3}",
};

static const char *const t_ids[KIND_COUNT] = {
	"A-1", "U-1", "H-1", "S-1", "PA-1"
};
static const char *const t_areas[KIND_COUNT] = {
	"HL", "CP", "UB", "MC", "HL"
};
static const uint32_t t_versions[KIND_COUNT] = { 4, 2, 7, 1, 3 };

/* Decode the test item of kind k into u; fails the test when it cannot. */
static void
t_decode(const struct kind *k, union kind_item *u)
{
	json_t	*o;
	char	*cause = NULL;

	o = json_loads(t_items[k->index], 0, NULL);
	assert_non_null(o);
	if (k->decode(o, u, 0, &cause) != 0)
		fail_msg("%s: %s", k->name, cause);
	json_decref(o);
}

/*
 * Test functions:
 *   kind_get, kind_find, kind_find_plural, kind_find_arg
 */
static void
test_lookups(void **state)
{
	const struct kind	*k;
	size_t			 i;

	(void)state;
	for (i = 0; i < KIND_COUNT; i++) {
		k = kind_get(i);
		assert_int_equal(k->index, i);
		assert_ptr_equal(kind_find(k->name), k);
		assert_ptr_equal(kind_find_plural(k->plural), k);
		assert_ptr_equal(kind_find_arg(k->arg), k);
		assert_int_equal(k->changed, 1 << i);
		assert_non_null(k->label);
	}
	assert_ptr_equal(kind_find("hospital"), &kind_table[KIND_HOSPITAL]);
	assert_ptr_equal(kind_find_arg("case"), &kind_table[KIND_FEEDBACK]);
	assert_ptr_equal(kind_find_plural("alerts"), &kind_table[KIND_ALERT]);
	assert_null(kind_find("case"));
	assert_null(kind_find("alerts"));
	assert_null(kind_find("Alert"));
	assert_null(kind_find(""));
	assert_null(kind_find(NULL));
	assert_null(kind_find_arg("feedback"));
	/* The store's change bits are the kinds'. */
	assert_int_equal(kind_get(KIND_ALERT)->changed, STORE_CH_ALERTS);
	assert_int_equal(kind_get(KIND_UNIT)->changed, STORE_CH_UNITS);
	assert_int_equal(kind_get(KIND_HOSPITAL)->changed,
	    STORE_CH_HOSPITALS);
	assert_int_equal(kind_get(KIND_SCHOOL)->changed, STORE_CH_SCHOOLS);
	assert_int_equal(kind_get(KIND_FEEDBACK)->changed,
	    STORE_CH_FEEDBACK);
	/* Only hospitals and schools are gauges. */
	for (i = 0; i < KIND_COUNT; i++)
		assert_int_equal((kind_get(i)->flags & KIND_GAUGE) != 0,
		    i == KIND_HOSPITAL || i == KIND_SCHOOL);
}

/*
 * Test functions:
 *   kind_first_arg
 */
static void
test_first_arg(void **state)
{
	json_t		*args;
	const char	*id = NULL;

	(void)state;
	args = json_pack("{s:s s:s}", "case", "PA-7", "text", "x");
	assert_ptr_equal(kind_first_arg(args, &id),
	    &kind_table[KIND_FEEDBACK]);
	assert_string_equal(id, "PA-7");
	json_decref(args);
	args = json_pack("{s:s s:[s]}", "alert", "A-2", "units", "U-1");
	assert_ptr_equal(kind_first_arg(args, &id), &kind_table[KIND_ALERT]);
	assert_string_equal(id, "A-2");
	json_decref(args);
	id = NULL;
	args = json_pack("{s:i}", "unit", 3);
	assert_null(kind_first_arg(args, &id));
	assert_null(id);
	json_decref(args);
	assert_null(kind_first_arg(NULL, &id));
}

/*
 * Test functions:
 *   kind_id, kind_area, kind_version, kind_set_version, kind_history,
 *   encode, decode, copy, clear and touch through the table
 */
static void
test_accessors_and_codec(void **state)
{
	const struct kind	*k;
	union kind_item		 u, c, back;
	json_t			*o, *o2;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	for (i = 0; i < KIND_COUNT; i++) {
		k = kind_get(i);
		t_decode(k, &u);
		assert_string_equal(kind_id(k, &u), t_ids[i]);
		assert_string_equal(kind_area(k, &u), t_areas[i]);
		assert_int_equal(kind_version(k, &u), t_versions[i]);
		kind_set_version(k, &u, 99);
		assert_int_equal(kind_version(k, &u), 99);
		if (i == KIND_ALERT || i == KIND_FEEDBACK)
			assert_non_null(kind_history(k, &u));
		else
			assert_null(kind_history(k, &u));

		/* A copy is deep and encodes the same. */
		k->copy(&c, &u);
		o = k->encode(&u);
		k->clear(&u);
		if (k->decode(o, &back, 0, &cause) != 0)
			fail_msg("%s: %s", k->name, cause);
		assert_string_equal(kind_id(k, &back), t_ids[i]);
		assert_int_equal(kind_version(k, &back), 99);
		json_decref(o);
		o = k->encode(&c);
		o2 = k->encode(&back);
		assert_true(json_equal(o, o2));
		json_decref(o);
		json_decref(o2);
		k->clear(&back);
		k->clear(&c);
	}
	/* The alert's history came along. */
	t_decode(kind_get(KIND_ALERT), &u);
	assert_int_equal(kind_history(kind_get(KIND_ALERT), &u)->n, 1);
	/* Touch stamps when it changed, and when made if it was not. */
	u.alert.created = 0;
	kind_get(KIND_ALERT)->touch(&u, 5000);
	assert_int_equal(u.alert.updated, 5000);
	assert_int_equal(u.alert.created, 5000);
	kind_get(KIND_ALERT)->touch(&u, 6000);
	assert_int_equal(u.alert.created, 5000);
	alert_clear(&u.alert);
	assert_null(kind_get(KIND_UNIT)->touch);
}

/*
 * Test functions:
 *   store_put, store_find, store_count, store_item (every kind)
 */
static void
test_store_any_kind(void **state)
{
	const struct kind	*k;
	struct store		*s = store_new();
	union kind_item		 u;
	void			*p;
	size_t			 i;

	(void)state;
	for (i = 0; i < KIND_COUNT; i++) {
		k = kind_get(i);
		s->changed = 0;
		assert_int_equal(store_count(s, k), 0);
		assert_null(store_find(s, k, t_ids[i]));
		t_decode(k, &u);
		p = store_put(s, k, &u);
		/* The argument is left zeroed, the store owns the strings. */
		assert_string_equal(kind_id(k, &u), "");
		assert_string_equal(kind_id(k, p), t_ids[i]);
		assert_int_equal(s->changed, k->changed);
		assert_int_equal(store_count(s, k), 1);
		assert_ptr_equal(store_item(s, k, 0), p);
		assert_ptr_equal(store_find(s, k, t_ids[i]), p);
		/* Replace: still one, the new version. */
		t_decode(k, &u);
		kind_set_version(k, &u, 42);
		p = store_put(s, k, &u);
		assert_int_equal(store_count(s, k), 1);
		assert_int_equal(kind_version(k, store_find(s, k, t_ids[i])),
		    42);
	}
	/* The typed arrays are the same items. */
	assert_int_equal(s->nalerts, 1);
	assert_ptr_equal(store_alert(s, "A-1"), &s->alerts[0]);
	assert_ptr_equal(store_feedback(s, "PA-1"), &s->feedback[0]);
	assert_ptr_equal(store_find(s, kind_find("school"), "S-1"),
	    &s->schools[0]);
	store_free(s);
}

/*
 * Test functions:
 *   proto_parse (every kind is an event kind on the wire)
 */
static void
test_wire_names(void **state)
{
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg;
	char		*text, *cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < KIND_COUNT; i++) {
		xasprintf(&text, "{\"type\":\"event\",\"seq\":1,\"ts\":1,"
		    "\"kind\":\"%s\",\"item\":%s}", kind_get(i)->name,
		    t_items[i]);
		msg = proto_parse(text, strlen(text), &type, &err, &cause);
		if (msg == NULL)
			fail_msg("%s: %s", kind_get(i)->name, cause);
		json_decref(msg);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_first_arg),
		cmocka_unit_test(test_accessors_and_codec),
		cmocka_unit_test(test_store_any_kind),
		cmocka_unit_test(test_wire_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

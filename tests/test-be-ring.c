/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for retained events (resume) and remembered command ids. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "be-idem.h"
#include "be-msg.h"
#include "proto.h"

static void
t_collect(void *arg, struct be_msg *m)
{
	uint64_t	*seqs = arg;

	seqs[++seqs[0]] = m->seq;
}

/* Add events first..last to the ring. */
static void
t_fill(struct be_retain *r, uint64_t first, uint64_t last)
{
	struct be_msg	*m;
	char		 text[32];
	uint64_t	 s;

	for (s = first; s <= last; s++) {
		snprintf(text, sizeof text, "{\"seq\":%llu}",
		    (unsigned long long)s);
		m = be_msg_new(text, strlen(text), s);
		be_retain_add(r, m);
		be_msg_unref(m);
	}
}

/*
 * Test functions:
 *   be_retain_new, be_retain_add, be_retain_covers, be_retain_since,
 *   be_retain_count, be_retain_free, be_msg_new, be_msg_text
 */
static void
test_retain(void **state)
{
	struct be_retain	*r;
	uint64_t		 seqs[16];

	(void)state;
	r = be_retain_new(5);
	assert_true(be_retain_covers(r, 0, 0));
	assert_false(be_retain_covers(r, 0, 3));
	t_fill(r, 1, 3);
	assert_int_equal(be_retain_count(r), 3);
	assert_true(be_retain_covers(r, 0, 3));
	assert_true(be_retain_covers(r, 3, 3));
	assert_false(be_retain_covers(r, 4, 3));	/* From the future. */

	t_fill(r, 4, 9);				/* 5..9 are left. */
	assert_int_equal(be_retain_count(r), 5);
	assert_false(be_retain_covers(r, 3, 9));
	assert_true(be_retain_covers(r, 4, 9));
	memset(seqs, 0, sizeof seqs);
	assert_int_equal(be_retain_since(r, 6, t_collect, seqs), 3);
	assert_int_equal(seqs[0], 3);
	assert_int_equal(seqs[1], 7);
	assert_int_equal(seqs[3], 9);
	memset(seqs, 0, sizeof seqs);
	assert_int_equal(be_retain_since(r, 9, t_collect, seqs), 0);
	be_retain_free(r);
	be_retain_free(NULL);
}

/*
 * Test functions:
 *   be_msg_new, be_msg_ref, be_msg_unref, be_msg_text
 */
static void
test_msg(void **state)
{
	struct be_msg	*m;

	(void)state;
	m = be_msg_new("abc", 3, 7);
	assert_string_equal((char *)be_msg_text(m), "abc");
	assert_int_equal(m->len, 3);
	assert_int_equal(m->seq, 7);
	assert_ptr_equal(be_msg_ref(m), m);
	assert_int_equal(m->refs, 2);
	be_msg_unref(m);
	be_msg_unref(m);
	be_msg_unref(NULL);
}

/*
 * Test functions:
 *   be_idem_new, be_idem_put, be_idem_find, be_idem_count, be_idem_free
 */
static void
test_idem(void **state)
{
	struct be_idem	*im;
	const char	*p, *r;
	char		 id[16], res[16];
	int		 i;

	(void)state;
	im = be_idem_new(100);
	assert_false(be_idem_find(im, "c-1", &p, &r));
	for (i = 0; i < 250; i++) {
		snprintf(id, sizeof id, "c-%d", i);
		snprintf(res, sizeof res, "r%d", i);
		be_idem_put(im, id, "payload", res);
	}
	assert_int_equal(be_idem_count(im), 100);
	/* The oldest are forgotten, the last 100 remembered. */
	assert_false(be_idem_find(im, "c-0", &p, &r));
	assert_false(be_idem_find(im, "c-149", &p, &r));
	assert_true(be_idem_find(im, "c-150", &p, &r));
	assert_string_equal(r, "r150");
	assert_true(be_idem_find(im, "c-249", &p, &r));
	assert_string_equal(p, "payload");
	assert_string_equal(r, "r249");
	be_idem_free(im);
	be_idem_free(NULL);
}

/*
 * Test functions:
 *   be_msg_batch (the events' texts as they are, in order, one message
 *   that parses as a batch whose elements are events)
 */
static void
test_batch(void **state)
{
	struct be_msg	*v[3], *b;
	enum proto_type	 type;
	enum proto_err	 err;
	json_t		*msg, *e;
	char		 text[96], *cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof text, "{\"type\":\"event\",\"seq\":%zu,"
		    "\"ts\":1,\"kind\":\"unit\",\"item\":{}}", 7 + i);
		v[i] = be_msg_new(text, strlen(text), 7 + i);
	}
	b = be_msg_batch(v, 3);
	assert_int_equal(b->seq, 9);
	assert_int_equal(b->len, strlen((char *)be_msg_text(b)));
	msg = proto_parse((char *)be_msg_text(b), b->len, &type, &err,
	    &cause);
	assert_non_null(msg);
	assert_int_equal(type, PROTO_BATCH);
	assert_int_equal(json_array_size(json_object_get(msg, "events")), 3);
	json_array_foreach(json_object_get(msg, "events"), i, e) {
		assert_int_equal(proto_check_event(e, &cause), 0);
		assert_int_equal(json_integer_value(json_object_get(e,
		    "seq")), 7 + i);
	}
	json_decref(msg);
	be_msg_unref(b);
	for (i = 0; i < 3; i++)
		be_msg_unref(v[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retain),
		cmocka_unit_test(test_msg),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_idem),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

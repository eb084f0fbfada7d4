/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for core/msglog.c: the message log. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msglog.h"

/* 10:42:07 UTC. */
#define T0	((int64_t)(10 * 3600 + 42 * 60 + 7) * 1000)

/*
 * Test functions:
 *   msglog_create, msglog_add, msglog_get, msglog_free
 */
static void
test_msglog_ring(void **state)
{
	struct msglog			*ml = msglog_create(3);
	const struct msglog_entry	*e;
	char				 text[16];
	int				 i;

	(void)state;
	assert_null(msglog_get(ml, 0));
	msglog_add(ml, T0, 0, "");		/* Nothing to log. */
	msglog_add(ml, T0, 0, NULL);
	assert_int_equal(ml->n, 0);
	for (i = 1; i <= 5; i++) {
		snprintf(text, sizeof text, "m%d", i);
		msglog_add(ml, T0 + i, i == 4, text);
	}
	/* The oldest went; the newest three stay, oldest first. */
	assert_int_equal(ml->n, 3);
	assert_int_equal(ml->added, 5);
	e = msglog_get(ml, 0);
	assert_string_equal(e->text, "m3");
	assert_int_equal(e->ts, T0 + 3);
	assert_false(e->error);
	assert_string_equal(msglog_get(ml, 1)->text, "m4");
	assert_true(msglog_get(ml, 1)->error);
	assert_string_equal(msglog_get(ml, 2)->text, "m5");
	assert_null(msglog_get(ml, 3));
	msglog_free(ml);
	msglog_free(NULL);
	assert_null(msglog_get(NULL, 0));
}

/*
 * Test functions:
 *   msglog_text (times, marks, newest first, wrapping, sanitising)
 */
static void
test_msglog_text(void **state)
{
	struct msglog	*ml = msglog_create(0);
	char		*s;

	(void)state;
	s = msglog_text(ml, 0, 0, 80);
	assert_string_equal(s, "");
	free(s);
	msglog_add(ml, T0, 0, "✓ ack A-0001");
	msglog_add(ml, T0 + 1000, 1,
	    "✗ dispatch A-0007 FIR-QY-01: đơn vị không sẵn sàng: "
	    "đang ngừng hoạt động");
	msglog_add(ml, T0 + 2000, 1, "link lost\x1b[2J: reconnecting");
	/* Not wrapped: one line each, the newest first. */
	s = msglog_text(ml, 0, 0, 0);
	assert_string_equal(s,
	    "10:42:09 ✗ link lost: reconnecting\n"
	    "10:42:08 ✗ dispatch A-0007 FIR-QY-01: đơn vị không sẵn sàng: "
	    "đang ngừng hoạt động\n"
	    "10:42:07 ✓ ack A-0001\n");
	free(s);
	/* Wrapped at 40 columns, at spaces, under the text; ASCII marks. */
	s = msglog_text(ml, 7 * 60, 1, 40);
	assert_string_equal(s,
	    "17:42:09 x link lost: reconnecting\n"
	    "17:42:08 ✗ dispatch A-0007 FIR-QY-01:\n"
	    "         đơn vị không sẵn sàng: đang\n"
	    "         ngừng hoạt động\n"
	    "17:42:07 ✓ ack A-0001\n");
	free(s);
	msglog_free(ml);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msglog_ring),
		cmocka_unit_test(test_msglog_text),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

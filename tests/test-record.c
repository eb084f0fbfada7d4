/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/record.c: the session recording's line format. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "record.h"
#include "xmalloc.h"

static char *
tmp_path(void)
{
	char	*p;

	xasprintf(&p, "/tmp/test-record-%d.rec", (int)getpid());
	unlink(p);
	return (p);
}

/* Read the file's lines as JSON objects into v; returns how many. */
static size_t
read_lines(const char *path, json_t **v, size_t max)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL;
	size_t	 cap = 0, n = 0;

	assert_non_null(f);
	while (getline(&line, &cap, f) > 0 && n < max) {
		assert_int_equal(line[strlen(line) - 1], '\n');
		v[n] = json_loads(line, 0, NULL);
		assert_non_null(v[n]);
		n++;
	}
	free(line);
	fclose(f);
	return (n);
}

/*
 * Test functions:
 *   record_open, record_msg, record_text, record_close, record_count
 */
static void
test_record_lines(void **state)
{
	struct recorder	*r;
	json_t		*v[8], *msg;
	char		*path = tmp_path(), *cause = NULL;
	size_t		 n, i;

	(void)state;
	clock_set_fixed(1795320000000LL);
	r = record_open(path, "ws://127.0.0.1:7600", &cause);
	assert_non_null(r);
	msg = json_pack("{s:s s:i}", "type", "event", "seq", 5);
	record_msg(r, "in", msg);
	json_decref(msg);
	clock_advance(1500);
	record_text(r, "out", "{\"type\":\"cmd\",\"id\":\"c-1\","
	    "\"cmd\":\"ack\",\"args\":{\"alert\":\"A-1\"}}");
	record_text(r, "out", "not json");	/* Skipped, not fatal. */
	assert_int_equal(record_count(r), 2);
	record_close(r);
	record_close(NULL);

	n = read_lines(path, v, 8);
	assert_int_equal(n, 4);
	assert_string_equal(json_string_value(json_object_get(v[0], "what")),
	    "start");
	assert_string_equal(json_string_value(json_object_get(v[0], "url")),
	    "ws://127.0.0.1:7600");
	assert_string_equal(json_string_value(json_object_get(v[1], "dir")),
	    "in");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    v[1], "msg"), "seq")), 5);
	assert_int_equal(json_integer_value(json_object_get(v[1], "t")),
	    1795320000000LL);
	assert_string_equal(json_string_value(json_object_get(v[2], "dir")),
	    "out");
	assert_int_equal(json_integer_value(json_object_get(v[2], "t")),
	    1795320001500LL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    v[2], "msg"), "cmd")), "ack");
	assert_string_equal(json_string_value(json_object_get(v[3], "what")),
	    "stop");
	assert_int_equal(json_integer_value(json_object_get(v[3],
	    "messages")), 2);
	for (i = 0; i < n; i++)
		json_decref(v[i]);

	/* An existing recording is never overwritten. */
	r = record_open(path, "ws://x", &cause);
	assert_null(r);
	assert_non_null(strstr(cause, "exists"));
	free(cause);
	unlink(path);
	free(path);
	clock_set_real();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_lines),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/reasons.c: the backend's refusals in Vietnamese. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "i18n.h"
#include "reasons.h"

/*
 * The names "{name}" of a format, sorted and joined by spaces, into buf:
 * what a format asks of the arguments.
 */
static void
arg_names(const char *format, char *buf, size_t sz)
{
	char		 names[16][32], tmp[32];
	const char	*p, *end;
	size_t		 n = 0, i, j, len;

	for (p = format; (p = strchr(p, '{')) != NULL; p = end + 1) {
		if ((end = strchr(p, '}')) == NULL)
			break;
		len = (size_t)(end - p - 1);
		assert_true(len < sizeof names[0] && n < 16);
		memcpy(names[n], p + 1, len);
		names[n][len] = '\0';
		n++;
	}
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (strcmp(names[j], names[i]) < 0) {
				memcpy(tmp, names[i], sizeof tmp);
				memcpy(names[i], names[j], sizeof tmp);
				memcpy(names[j], tmp, sizeof tmp);
			}
		}
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(buf, names[i], sz - strlen(buf) - 1);
		strncat(buf, " ", sz - strlen(buf) - 1);
	}
}

/*
 * Test functions:
 *   reasons_format (every reason of engine_reasons[] has a console
 *   format, naming the same arguments, translated into Vietnamese with
 *   the same arguments; the console knows no reason the engine lacks)
 */
static void
test_reasons_complete(void **state)
{
	const char	*name, *format, *vi;
	char		 want[512], got[512];
	size_t		 i, missing = 0;
	int		 r;

	(void)state;
	assert_int_equal(i18n_set_lang("vi"), 0);
	for (r = ENGINE_R_NONE + 1; r < ENGINE_R_COUNT; r++) {
		name = engine_reasons[r].name;
		if ((format = reasons_format(name)) == NULL) {
			print_error("no console translation of reason %s\n",
			    name);
			missing++;
			continue;
		}
		arg_names(engine_reasons[r].format, want, sizeof want);
		arg_names(format, got, sizeof got);
		if (strcmp(want, got) != 0)
			print_error("%s: engine names \"%s\", console \"%s\"\n",
			    name, want, got);
		assert_string_equal(want, got);
		vi = gettext(format);
		if (vi == format)
			print_error("%s: not in po/vi.po\n", name);
		assert_ptr_not_equal(vi, format);
		arg_names(vi, got, sizeof got);
		assert_string_equal(want, got);
	}
	assert_int_equal(missing, 0);
	for (i = 0; (name = reasons_name(i)) != NULL; i++)
		assert_int_not_equal(engine_reason_find(name), ENGINE_R_NONE);
	assert_int_equal(reasons_count(), ENGINE_R_COUNT - 1);
	i18n_set_lang("en");
}

/*
 * Test functions:
 *   reasons_message (named arguments put in, wire values in words,
 *   untrusted text sanitised, a missing argument, an unknown reason)
 */
static void
test_reasons_message(void **state)
{
	json_t	*args;
	char	*m;

	(void)state;
	args = json_pack("{s:s s:s s:s}", "cmd", "ack", "alert", "A-0004",
	    "state", "dispatched");
	i18n_set_lang("en");
	m = reasons_message("alert_not_new", args);
	assert_string_equal(m, "A-0004 is dispatched: only a new alert can "
	    "be acknowledged");
	free(m);
	i18n_set_lang("vi");
	m = reasons_message("alert_not_new", args);
	assert_string_equal(m, "A-0004 đang ở trạng thái đã điều động: chỉ "
	    "xác nhận được cảnh báo mới");
	free(m);
	/* Hostile text in an argument stays inert; a missing one is "?". */
	json_object_set_new(args, "unit", json_string("X\x1b[2J\x1b]0;p\x07Y"));
	json_object_set_new(args, "status", json_string("en_route"));
	m = reasons_message("unit_busy", args);
	assert_string_equal(m, "đơn vị XY đang bận với A-0004 (đang đến)");
	free(m);
	m = reasons_message("no_case", args);
	assert_string_equal(m, "không có phản ánh ?");
	free(m);
	assert_null(reasons_message("no_such_reason", args));
	assert_null(reasons_message(NULL, args));
	i18n_set_lang("en");
	json_decref(args);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons_complete),
		cmocka_unit_test(test_reasons_message),
	};

	if (i18n_init("en") != 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

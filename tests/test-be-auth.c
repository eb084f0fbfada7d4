/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for the tokens file and the operators it makes. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-auth.h"
#include "be-state.h"
#include "log.h"
#include "store.h"

static char	t_path[256];

/* Write text to a temporary file (t_path). */
static void
t_file(const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(t_path, sizeof t_path, "%s/test-be-auth.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(t_path);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load text; returns the cause of a failure (caller frees) or NULL. */
static char *
t_load(const char *text, struct be_auth **ap)
{
	char	*cause = NULL;

	t_file(text);
	*ap = NULL;
	if (be_auth_load(t_path, ap, &cause) != 0)
		assert_non_null(cause);
	unlink(t_path);
	return (cause);
}

/*
 * Test functions:
 *   be_auth_load, be_auth_count, be_auth_find, be_auth_free,
 *   operator_has_area
 */
static void
test_load_find(void **state)
{
	const struct be_auth_entry	*e;
	struct be_auth			*a;

	(void)state;
	assert_null(t_load(
	    "# tokens\n"
	    "\n"
	    "aaaaaaaaaaaaaaaa1 lan supervisor *   # all\n"
	    "bbbbbbbbbbbbbbbb2\tminh operator HL,CP\n"
	    "cccccccccccccccc3 hoa operator HL scoped\n", &a));
	assert_int_equal(be_auth_count(a), 3);

	e = be_auth_find(a, "Bearer aaaaaaaaaaaaaaaa1");
	assert_non_null(e);
	assert_string_equal(e->op.name, "lan");
	assert_string_equal(operator_role_name(e->op.role), "supervisor");
	assert_int_equal(e->op.nareas, 0);
	assert_true(operator_has_area(&e->op, "UB"));

	e = be_auth_find(a, "bearer  bbbbbbbbbbbbbbbb2 ");
	assert_non_null(e);
	assert_string_equal(e->op.name, "minh");
	assert_int_equal(e->op.nareas, 2);
	assert_true(operator_has_area(&e->op, "CP"));
	assert_false(operator_has_area(&e->op, "UB"));
	assert_true(operator_has_area(&e->op, ""));
	assert_false(e->scoped);

	e = be_auth_find(a, "Bearer cccccccccccccccc3");
	assert_non_null(e);
	assert_true(e->scoped);

	assert_null(be_auth_find(a, "Bearer aaaaaaaaaaaaaaaa"));
	assert_null(be_auth_find(a, "Bearer aaaaaaaaaaaaaaaa12"));
	assert_null(be_auth_find(a, "aaaaaaaaaaaaaaaa1"));
	assert_null(be_auth_find(a, "Basic aaaaaaaaaaaaaaaa1"));
	assert_null(be_auth_find(a, ""));
	assert_null(be_auth_find(a, NULL));
	be_auth_free(a);
	be_auth_free(NULL);
}

/*
 * Test functions:
 *   be_auth_load (act_as=), be_auth_find_name, be_auth_may_act_as
 */
static void
test_act_as(void **state)
{
	const struct be_auth_entry	*r, *e;
	struct be_auth			*a;

	(void)state;
	assert_null(t_load(
	    "aaaaaaaaaaaaaaaa1 lan supervisor *\n"
	    "bbbbbbbbbbbbbbbb2 minh operator HL\n"
	    "cccccccccccccccc3 relay-hl observer HL scoped act_as=minh,lan\n"
	    "dddddddddddddddd4 thu observer *\n", &a));
	r = be_auth_find(a, "Bearer cccccccccccccccc3");
	assert_non_null(r);
	assert_true(r->scoped);
	assert_int_equal(r->nact_as, 2);
	assert_true(be_auth_may_act_as(r, "minh"));
	assert_true(be_auth_may_act_as(r, "lan"));
	assert_false(be_auth_may_act_as(r, "thu"));
	assert_false(be_auth_may_act_as(r, NULL));
	/* An officer's own token acts for nobody. */
	e = be_auth_find_name(a, "minh");
	assert_non_null(e);
	assert_false(be_auth_may_act_as(e, "lan"));
	assert_false(be_auth_may_act_as(NULL, "lan"));
	assert_string_equal(e->op.name, "minh");
	assert_null(be_auth_find_name(a, "nobody"));
	be_auth_free(a);
}

/*
 * Test functions:
 *   be_auth_load (each mistake names its line)
 */
static void
test_mistakes(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "short lan supervisor *\n", ":1: the token must be" },
		{ "# x\naaaaaaaaaaaaaaaa1 lan boss *\n", ":2: the role must" },
		{ "aaaaaaaaaaaaaaaa1 lan supervisor\n", ":1: want TOKEN" },
		{ "aaaaaaaaaaaaaaaa1 l@n operator *\n", ":1: the name" },
		{ "aaaaaaaaaaaaaaaa1 lan operator H*L\n", ":1: an area" },
		{ "aaaaaaaaaaaaaaaa1 lan operator * scoped\n", "needs areas" },
		{ "aaaaaaaaaaaaaaaa1 lan operator HL loud\n", "after the areas" },
		{ "aaaaaaaaaaaaaaaa1 lan operator HL scoped scoped\n",
		  "at most once" },
		{ "aaaaaaaaaaaaaaaa1 r observer HL act_as=\n", "names no" },
		{ "aaaaaaaaaaaaaaaa1 r observer HL act_as=l@n\n",
		  "act_as name" },
		{ "aaaaaaaaaaaaaaaa1 r observer HL act_as=minh\n",
		  "relay r: minh is no operator" },
		{ "aaaaaaaaaaaaaaaa1 r observer HL act_as=s\n"
		  "bbbbbbbbbbbbbbbb2 s observer HL act_as=r\n",
		  "is a relay" },
		{ "aaaaaaaaaaaaaaaa1 lan operator HL\n"
		  "aaaaaaaaaaaaaaaa1 minh operator HL\n", ":2: this token" },
		{ "aaaaaaaaaaaaaaaa1 lan operator HL\n"
		  "bbbbbbbbbbbbbbbb2 lan operator HL\n", ":2: this name" },
		{ "# nothing\n", "no tokens" },
	};
	struct be_auth	*a;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = t_load(bad[i].text, &a);
		if (cause == NULL)
			fail_msg("case %zu was accepted", i);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: \"%s\"", i, cause);
		free(cause);
		assert_null(a);
	}
	assert_int_equal(be_auth_load("/nonexistent/tokens", &a, &cause), -1);
	free(cause);
}

/*
 * Test functions:
 *   be_auth_check_areas, be_auth_role_valid
 */
static void
test_areas(void **state)
{
	struct be_auth	*a;
	struct store	*s;
	char		*cause = NULL;

	(void)state;
	s = store_new();
	store_add_area(s, "HL", "Hạ Long");
	assert_null(t_load("aaaaaaaaaaaaaaaa1 lan operator HL\n", &a));
	assert_int_equal(be_auth_check_areas(a, s, &cause), 0);
	be_auth_free(a);
	assert_null(t_load("aaaaaaaaaaaaaaaa1 lan operator HL,XX\n", &a));
	assert_int_equal(be_auth_check_areas(a, s, &cause), -1);
	assert_non_null(strstr(cause, "no area XX"));
	free(cause);
	be_auth_free(a);
	store_free(s);
	assert_true(be_auth_role_valid("trainer"));
	assert_false(be_auth_role_valid("admin"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_find),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_act_as),
		cmocka_unit_test(test_areas),
	};

	log_open("/dev/null", "test-be-auth");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

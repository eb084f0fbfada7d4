/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for loading the province dataset and the simulator's texts. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "be-data.h"
#include "be-rng.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

/* Load two fixture files; returns 0 or -1 with *cause. */
static int
t_load(const char *prov, const char *texts, struct store *s,
    struct be_data **d, char **cause)
{
	struct be_rng	 rng;
	char		*p, *t;
	int		 rc;

	be_rng_seed(&rng, 1);
	xasprintf(&p, "%s/tests/data/%s", t_srcdir(), prov);
	xasprintf(&t, "%s/tests/data/%s", t_srcdir(), texts);
	rc = be_data_load_files(p, t, s, &rng, d, cause);
	free(p);
	free(t);
	return (rc);
}

/*
 * Test functions:
 *   be_data_load_files, be_data_fleet, be_data_area, be_data_free
 */
static void
test_fixture(void **state)
{
	struct store	*s = store_new();
	struct be_data	*d = NULL;
	struct hospital	*h;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	if (t_load("be-province.json", "be-texts.json", s, &d, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(s->province, "Tỉnh Thử");
	assert_string_equal(s->province_code, "TP");
	assert_int_equal(s->utc_offset_min, 420);
	assert_int_equal(s->nareas, 3);
	assert_string_equal(store_area(s, "HL")->name, "Hạ Long");
	assert_int_equal(s->ndepts, 2);
	assert_int_equal(s->nhospitals, 2);
	assert_int_equal(s->nschools, 3);
	assert_int_equal(s->nunits, 10);
	assert_int_equal(s->seq, 0);

	h = store_hospital(s, "BV-A");
	assert_non_null(h);
	assert_true(h->smart);
	assert_int_equal(h->beds, 500);
	assert_true(h->beds_used >= 500 * 55 / 100 && h->beds_used <= 450);
	assert_true(h->icu_used <= h->icu);
	assert_int_equal(be_data_fleet(d, "BV-A"), 4);
	assert_int_equal(be_data_fleet(d, "BV-X"), 0);
	assert_int_equal(store_school(s, "S-3")->level, SCHOOL_MN);
	assert_int_equal(store_unit(s, "TP-1")->type, UNIT_TRAFFIC_POLICE);

	assert_int_equal(d->nareas, 3);
	assert_int_equal(be_data_area(d, "HL")->nplaces, 2);
	assert_int_equal(be_data_area(d, "CT")->nplaces, 0);
	assert_true(be_data_area(d, "HL")->weight >
	    be_data_area(d, "CT")->weight);
	assert_null(be_data_area(d, "ZZ"));
	assert_int_equal(d->nroads, 1);
	assert_int_equal(d->ncameras, 1);
	assert_int_equal(d->nstations, 1);
	assert_int_equal(d->nalerts, 5);
	assert_int_equal(d->alerts[2].sev_lo, 2);
	assert_int_equal(d->alerts[2].sev_hi, 2);
	assert_int_equal(d->alerts[2].needs, BE_NEED_CAMERA | BE_NEED_ROAD);
	assert_int_equal(d->alerts[4].needs, BE_NEED_HOSPITAL);
	assert_int_equal(d->nfeedback, 2);
	assert_string_equal(d->feedback[1].dept, "SGTVT");
	assert_int_equal(d->feedback[1].channels,
	    (1U << FB_WEB) | (1U << FB_ZALO) | (1U << FB_SOCIAL));
	for (i = 0; i < d->nalerts; i++)
		assert_non_null(d->alerts[i].title);
	be_data_free(d);
	store_free(s);
	be_data_free(NULL);
}

/*
 * Test functions:
 *   be_data_load_files (broken province file: file and member named)
 */
static void
test_broken_province(void **state)
{
	struct store	*s = store_new();
	struct be_data	*d = NULL;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(t_load("be-province-broken.json", "be-texts.json",
	    s, &d, &cause), -1);
	assert_null(d);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "be-province-broken.json"));
	assert_non_null(strstr(cause, "hospitals[1].beds"));
	/* Nothing is kept. */
	assert_int_equal(s->nareas, 0);
	assert_int_equal(s->nhospitals, 0);
	free(cause);
	store_free(s);
}

/*
 * Test functions:
 *   be_data_load_files (unknown placeholder in a template)
 */
static void
test_broken_texts(void **state)
{
	struct store	*s = store_new();
	struct be_data	*d = NULL;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(t_load("be-province.json", "be-texts-broken.json",
	    s, &d, &cause), -1);
	assert_non_null(strstr(cause, "be-texts-broken.json"));
	assert_non_null(strstr(cause, "alerts[2].title"));
	assert_non_null(strstr(cause, "{bridge}"));
	free(cause);
	store_free(s);
}

/*
 * Test functions:
 *   be_data_load_files (missing file, not JSON)
 */
static void
test_missing_and_garbage(void **state)
{
	struct store	*s = store_new();
	struct be_data	*d = NULL;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(t_load("be-nonexistent.json", "be-texts.json", s, &d,
	    &cause), -1);
	assert_non_null(strstr(cause, "be-nonexistent.json"));
	free(cause);
	cause = NULL;
	/* A texts file is not a province file. */
	assert_int_equal(t_load("be-texts.json", "be-texts.json", s, &d,
	    &cause), -1);
	assert_non_null(strstr(cause, "province"));
	free(cause);
	store_free(s);
}

/*
 * Test functions:
 *   be_data_load (the shipped Quảng Ninh dataset, when present)
 */
static void
test_quangninh(void **state)
{
	struct store	*s;
	struct be_data	*d = NULL;
	struct be_rng	 rng;
	char		*dir, *cause = NULL;

	(void)state;
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (access(dir, R_OK) != 0) {
		free(dir);
		skip();
	}
	s = store_new();
	be_rng_seed(&rng, 1);
	if (be_data_load(dir, s, &rng, &d, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	assert_int_equal(s->nareas, 13);
	assert_true(s->nhospitals >= 20);
	assert_true(s->nschools >= 46);
	assert_true(s->nunits >= 13);
	assert_true(d->nalerts > 0);
	assert_true(d->nfeedback > 0);
	assert_non_null(store_area(s, "HL"));
	be_data_free(d);
	store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_broken_province),
		cmocka_unit_test(test_broken_texts),
		cmocka_unit_test(test_missing_and_garbage),
		cmocka_unit_test(test_quangninh),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

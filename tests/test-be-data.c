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
#include "be-world.h"
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
	size_t		 i, a, smart = 0, classrooms = 0;
	int		 types[UNIT_TYPE_COUNT];

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

	/* The seeds' scale. */
	for (i = 0; i < s->nhospitals; i++)
		smart += s->hospitals[i].smart;
	assert_int_equal(smart, 3);
	smart = 0;
	for (i = 0; i < s->nschools; i++) {
		smart += s->schools[i].smart_classrooms > 0;
		classrooms += s->schools[i].smart_classrooms;
	}
	assert_int_equal(smart, 46);
	assert_int_equal(classrooms, 551);
	assert_int_equal(d->nstations, 86);
	assert_true(d->ncameras >= 20);
	/* Every area has every type of unit. */
	for (a = 0; a < s->nareas; a++) {
		memset(types, 0, sizeof types);
		for (i = 0; i < s->nunits; i++) {
			if (strcmp(s->units[i].area, s->areas[a].code) == 0)
				types[s->units[i].type] = 1;
		}
		for (i = 0; i < UNIT_TYPE_COUNT; i++)
			assert_true(types[i]);
	}
	/* Stations have kinds; categories weights; outcomes in Vietnamese. */
	for (i = 0; i < d->nstations; i++)
		assert_true(d->stations[i].kind[0] != '\0');
	for (i = 0; i < d->nfeedback; i++)
		assert_true(d->feedback[i].weight > 0);
	for (i = 0; i < BE_OUT_COUNT; i++)
		assert_non_null(d->outcomes[i]);
	assert_non_null(strstr(be_data_outcome(d, BE_OUT_FIELD),
	    "hiện trường"));
	be_data_free(d);
	store_free(s);
}

/* Write text to a temporary file; returns its path (caller frees). */
static char *
t_temp(const char *text)
{
	char	*path;
	int	 fd;

	path = xstrdup("/tmp/test-be-data.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp failed");
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail_msg("write failed");
	close(fd);
	return (path);
}

/*
 * Test functions:
 *   be_data_load_files (texts.json "outcomes" and "weight"),
 *   be_data_outcome, be_data_category, be_data_fleet_info, be_world_init
 */
static void
test_texts_extras(void **state)
{
	static const struct {
		const char	*extra;
		const char	*want;
	} bad[] = {
		{ ",\"outcomes\":{\"fled\":\"x\"}", "outcomes.fled" },
		{ ",\"outcomes\":{\"field\":\"\"}", "outcomes.field" },
		{ ",\"outcomes\":[]", "outcomes" },
	};
	struct store	*s;
	struct be_data	*d = NULL;
	struct be_world	 w;
	struct be_rng	 rng;
	char		*prov, *texts, *cause = NULL, *body;
	size_t		 i;

	(void)state;
	xasprintf(&prov, "%s/tests/data/be-province.json", t_srcdir());
	s = store_new();
	be_rng_seed(&rng, 1);
	texts = t_temp("{\"roads\":[\"QL18\"],\"alerts\":[{\"kind\":"
	    "\"fire\",\"source\":\"citizen\",\"severity\":2,\"title\":"
	    "\"t\"}],\"feedback\":[{\"category\":\"health\",\"department\":"
	    "\"SYT\",\"channels\":[\"app\"],\"weight\":25,\"texts\":"
	    "[\"x\"]}],\"outcomes\":{\"field\":\"Xong\"}}");
	if (be_data_load_files(prov, texts, s, &rng, &d, &cause) != 0)
		fail_msg("%s", cause);
	unlink(texts);
	free(texts);
	assert_string_equal(be_data_outcome(d, BE_OUT_FIELD), "Xong");
	assert_string_equal(be_data_outcome(d, BE_OUT_DUPLICATE),
	    "duplicate of an alert already handled");
	assert_int_equal(be_data_category(d, "health")->weight, 25);
	assert_null(be_data_category(d, "water"));
	assert_non_null(be_data_fleet_info(d, "BV-A"));
	assert_true(be_data_fleet_info(d, "BV-A")->beds_pct >= 55);
	assert_null(be_data_fleet_info(d, "BV-Z"));
	/* The simulator's world starts at the usual rate and readings. */
	be_world_init(&w, d);
	assert_int_equal(w.alert_rate, 100);
	for (i = 0; i < d->nstations; i++)
		assert_int_equal(w.readings[i], d->stations[i].base);
	be_world_clear(&w);
	be_data_free(d);
	store_free(s);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&body, "{\"alerts\":[{\"kind\":\"fire\",\"source\":"
		    "\"citizen\",\"severity\":2,\"title\":\"t\"}],"
		    "\"feedback\":[{\"category\":\"health\",\"department\":"
		    "\"SYT\",\"channels\":[\"app\"],\"texts\":[\"x\"]}]%s}",
		    bad[i].extra);
		texts = t_temp(body);
		free(body);
		s = store_new();
		if (be_data_load_files(prov, texts, s, &rng, &d, &cause) == 0)
			fail_msg("case %zu loaded", i);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, cause,
			    bad[i].want);
		free(cause);
		unlink(texts);
		free(texts);
		store_free(s);
	}
	texts = t_temp("{\"alerts\":[{\"kind\":\"fire\",\"source\":"
	    "\"citizen\",\"severity\":2,\"title\":\"t\"}],\"feedback\":"
	    "[{\"category\":\"health\",\"department\":\"SYT\",\"channels\":"
	    "[\"app\"],\"weight\":-1,\"texts\":[\"x\"]}]}");
	s = store_new();
	assert_int_equal(be_data_load_files(prov, texts, s, &rng, &d, &cause),
	    -1);
	assert_non_null(strstr(cause, "feedback[0].weight"));
	free(cause);
	unlink(texts);
	free(texts);
	store_free(s);
	free(prov);
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
		cmocka_unit_test(test_texts_extras),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

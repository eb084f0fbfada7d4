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

#include <jansson.h>

#include "be-data.h"
#include "be-rng.h"
#include "be-world.h"
#include "log.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

static char	*t_temp(const char *);

/* Load two fixture files; returns 0 or -1 with *cause. */
static int
t_load(const char *prov, const char *texts, struct store *s,
    struct be_data **d, char **cause)
{
	struct be_rng	 rng;
	char		*p, *t;
	int		 rc;

	be_rng_seed(&rng, 1);
	xasprintf(&p, "%s/tests/data/%s", test_srcdir(), prov);
	xasprintf(&t, "%s/tests/data/%s", test_srcdir(), texts);
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
	/* Two departments, and a People's Committee for each area. */
	assert_int_equal(s->ndepts, 2 + 3);
	assert_string_equal(store_department(s, "UBND.HL")->name,
	    "UBND Hạ Long");
	assert_non_null(store_department(s, "UBND.CT"));
	assert_null(d->workcal);	/* Only be_data_load() has it. */
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

/* Copy a file. */
static void
t_copy(const char *from, const char *to)
{
	FILE	*in, *out;
	char	 buf[4096];
	size_t	 n;

	if ((in = fopen(from, "r")) == NULL || (out = fopen(to, "w")) == NULL)
		fail_msg("cannot copy %s to %s", from, to);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/*
 * Test functions:
 *   be_data_load_files (missing file, not JSON), be_data_load (no
 *   worktime.json)
 */
static void
test_missing_and_garbage(void **state)
{
	struct store	*s = store_new();
	struct be_data	*d = NULL;
	struct be_rng	 rng;
	char		*cause = NULL, *dir, *tmp, *from, *to;

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

	/* A dataset without its working time does not load. */
	xasprintf(&dir, "%s/tests/data", test_srcdir());
	xasprintf(&tmp, "%s/be-data-XXXXXX", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	xasprintf(&from, "%s/be-province.json", dir);
	xasprintf(&to, "%s/province.json", tmp);
	t_copy(from, to);
	free(from);
	free(to);
	xasprintf(&from, "%s/be-texts.json", dir);
	xasprintf(&to, "%s/texts.json", tmp);
	t_copy(from, to);
	free(from);
	free(to);
	be_rng_seed(&rng, 1);
	cause = NULL;
	assert_int_equal(be_data_load(tmp, s, &rng, &d, &cause), -1);
	assert_null(d);
	assert_non_null(strstr(cause, "worktime.json"));
	assert_int_equal(s->nareas, 0);
	free(cause);
	xasprintf(&to, "%s/province.json", tmp);
	unlink(to);
	free(to);
	xasprintf(&to, "%s/texts.json", tmp);
	unlink(to);
	free(to);
	rmdir(tmp);
	free(tmp);
	free(dir);
	store_free(s);
}

/* Load a dataset directory of the tree; skips the test when absent. */
static void
t_load_dir(const char *name, struct store **s, struct be_data **d)
{
	struct be_rng	 rng;
	char		*dir, *cause = NULL;

	xasprintf(&dir, "%s/data/%s", test_srcdir(), name);
	if (access(dir, R_OK) != 0) {
		free(dir);
		skip();
	}
	*s = store_new();
	be_rng_seed(&rng, 1);
	if (be_data_load(dir, *s, &rng, d, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
}

/*
 * The invariants both shipped datasets keep: the seeds' scale, every unit
 * type in every region (an area, or a display group when there are
 * groups), stations with kinds, weighted categories, outcomes in
 * Vietnamese.
 */
static void
t_check_shipped(struct store *s, struct be_data *d)
{
	size_t		 i, a, smart = 0, classrooms = 0;
	int		 types[UNIT_TYPE_COUNT];
	const char	*region;

	assert_true(s->nhospitals >= 20);
	assert_true(s->nschools >= 46);
	assert_true(d->nalerts > 0);
	assert_true(d->nfeedback > 0);
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
	for (a = 0; a < s->nareas; a++) {
		region = s->areas[a].group[0] != '\0' ? s->areas[a].group :
		    s->areas[a].code;
		memset(types, 0, sizeof types);
		for (i = 0; i < s->nunits; i++) {
			const struct area *ua = store_area(s,
			    s->units[i].area);

			if (strcmp(ua->group[0] != '\0' ? ua->group :
			    ua->code, region) == 0)
				types[s->units[i].type] = 1;
		}
		for (i = 0; i < UNIT_TYPE_COUNT; i++) {
			if (!types[i])
				fail_msg("no %s unit in %s",
				    unit_type_names[i], region);
		}
	}
	for (i = 0; i < d->nstations; i++)
		assert_true(d->stations[i].kind[0] != '\0');
	for (i = 0; i < d->nfeedback; i++)
		assert_true(d->feedback[i].weight > 0);
	for (i = 0; i < BE_OUT_COUNT; i++)
		assert_non_null(d->outcomes[i]);
	assert_non_null(strstr(be_data_outcome(d, BE_OUT_FIELD),
	    "hiện trường"));
	assert_non_null(strstr(be_data_outcome(d, BE_OUT_HANDBACK),
	    "thẩm quyền"));

	/* Every area's People's Committee is a body cases go to. */
	for (a = 0; a < s->nareas; a++) {
		char	body[MODEL_CODE_MAX];

		assert_int_equal(be_data_area_body(s->areas[a].code, body), 0);
		assert_non_null(store_department(s, body));
		assert_non_null(strstr(store_department(s, body)->name,
		    s->areas[a].name));
	}
	/* The working time: the calendar, the rules, the bands. */
	assert_non_null(d->workcal);
	assert_non_null(workcal_rule(d->workcal, "health", "normal"));
	assert_non_null(workcal_band(d->workcal, "fire", 4));
	assert_true(workcal_covers(d->workcal, 1795482000000LL));
}

/*
 * Test functions:
 *   be_data_load (the shipped Quảng Ninh dataset: the 54 communes of
 *   July 2025 with their official codes and names, as the reference
 *   list in data/reference has them)
 */
static void
test_quangninh(void **state)
{
	struct store	*s;
	struct be_data	*d = NULL;
	const struct area *a;
	FILE		*f;
	char		*path, line[4096], *code, *name, *tab;
	size_t		 i, j, nref = 0, phuong = 0, xa = 0, dk = 0;

	(void)state;
	t_load_dir("quangninh", &s, &d);
	assert_int_equal(s->nareas, 54);
	assert_int_equal(d->nareas, 54);

	/* Code for code, name for name, the reference list. */
	xasprintf(&path, "%s/data/reference/quangninh-2025-communes.tsv",
	    test_srcdir());
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open", path);
	free(path);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "code\t", 5) == 0)
			continue;
		code = line;
		if ((tab = strchr(code, '\t')) == NULL)
			fail_msg("bad reference line %s", line);
		*tab = '\0';
		name = tab + 1;
		if ((tab = strchr(name, '\t')) != NULL)
			*tab = '\0';
		if ((a = store_area(s, code)) == NULL)
			fail_msg("no area %s (%s)", code, name);
		assert_string_equal(a->name, name);
		nref++;
	}
	fclose(f);
	assert_int_equal(nref, 54);

	/* 30 phường, 22 xã, 2 đặc khu; every one with its display fields. */
	for (i = 0; i < s->nareas; i++) {
		a = &s->areas[i];
		assert_int_equal(strlen(a->code), 5);
		phuong += strncmp(a->name, "Phường ", strlen("Phường ")) == 0;
		xa += strncmp(a->name, "Xã ", strlen("Xã ")) == 0;
		dk += strncmp(a->name, "Đặc khu ", strlen("Đặc khu ")) == 0;
		assert_non_null(a->short_name);
		assert_non_null(strstr(a->name, a->short_name));
		assert_true(area_abbr_valid(a->abbr));
		assert_true(a->group[0] != '\0');
		assert_non_null(a->group_name);
		for (j = 0; j < i; j++)
			assert_string_not_equal(a->abbr, s->areas[j].abbr);
	}
	assert_int_equal(phuong, 30);
	assert_int_equal(xa, 22);
	assert_int_equal(dk, 2);
	/* Hà Khánh is no longer a phường: Cao Xanh was formed from it. */
	a = store_area(s, "06658");
	assert_string_equal(a->name, "Phường Cao Xanh");
	assert_non_null(strstr(a->former, "phường Hà Khánh"));
	assert_string_equal(store_area(s, "06673")->group_name, "Hạ Long");
	assert_null(store_area(s, "HL"));

	t_check_shipped(s, d);
	be_data_free(d);
	store_free(s);
}

/*
 * Test functions:
 *   be_data_load (the 13 districts before July 2025, data/quangninh-2024)
 */
static void
test_quangninh_2024(void **state)
{
	struct store	*s;
	struct be_data	*d = NULL;

	(void)state;
	t_load_dir("quangninh-2024", &s, &d);
	assert_int_equal(s->nareas, 13);
	assert_non_null(store_area(s, "HL"));
	assert_string_equal(store_area(s, "HL")->name, "Hạ Long");
	assert_null(store_area(s, "HL")->short_name);
	assert_string_equal(store_area(s, "HL")->group, "");
	t_check_shipped(s, d);
	be_data_free(d);
	store_free(s);
}

/* Every "area" of every list of a province file, and every "places" key. */
static void
t_check_items(const char *file, json_t *root)
{
	static const char *const lists[] = { "hospitals", "schools", "units",
	    "stations", "hotspots", "cameras" };
	json_t		*areas, *arr, *o, *v;
	const char	*code, *key;
	size_t		 i, j, k, n = 0;

	areas = json_object_get(root, "areas");
	for (k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		arr = json_object_get(root, lists[k]);
		assert_true(json_is_array(arr));
		json_array_foreach(arr, i, o) {
			code = json_string_value(json_object_get(o, "area"));
			if (code == NULL)
				fail_msg("%s: %s[%zu] has no area", file,
				    lists[k], i);
			json_array_foreach(areas, j, v) {
				if (strcmp(json_string_value(json_object_get(
				    v, "code")), code) == 0)
					break;
			}
			if (j == json_array_size(areas))
				fail_msg("%s: %s[%zu] (%s): no area %s", file,
				    lists[k], i, json_string_value(
				    json_object_get(o, "id")), code);
			n++;
		}
	}
	json_object_foreach(json_object_get(root, "places"), key, v) {
		json_array_foreach(areas, j, o) {
			if (strcmp(json_string_value(json_object_get(o,
			    "code")), key) == 0)
				break;
		}
		if (j == json_array_size(areas))
			fail_msg("%s: places: no area %s", file, key);
	}
	assert_true(n >= 500);
}

/*
 * Test functions:
 *   (the shipped files themselves: every item of both datasets has an
 *   area that exists, hotspots included, which the loader does not
 *   read; the 2025 file keeps every id of the 2024 one)
 */
static void
test_shipped_items(void **state)
{
	static const char *const lists[] = { "hospitals", "schools", "units",
	    "stations", "hotspots", "cameras" };
	json_t		*now, *then, *a, *b;
	json_error_t	 jerr;
	char		*p25, *p24;
	size_t		 k, i;

	(void)state;
	xasprintf(&p25, "%s/data/quangninh/province.json", test_srcdir());
	xasprintf(&p24, "%s/data/quangninh-2024/province.json", test_srcdir());
	if ((now = json_load_file(p25, 0, &jerr)) == NULL ||
	    (then = json_load_file(p24, 0, &jerr)) == NULL)
		fail_msg("%s", jerr.text);
	t_check_items(p25, now);
	t_check_items(p24, then);
	for (k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		a = json_object_get(now, lists[k]);
		b = json_object_get(then, lists[k]);
		assert_int_equal(json_array_size(a), json_array_size(b));
		for (i = 0; i < json_array_size(a); i++) {
			assert_string_equal(json_string_value(json_object_get(
			    json_array_get(a, i), "id")), json_string_value(
			    json_object_get(json_array_get(b, i), "id")));
			assert_string_equal(json_string_value(json_object_get(
			    json_array_get(a, i), "name")), json_string_value(
			    json_object_get(json_array_get(b, i), "name")));
		}
	}
	json_decref(now);
	json_decref(then);
	free(p25);
	free(p24);
}

/*
 * Test functions:
 *   be_data_load_files (groups and the areas' display fields), and their
 *   way through a snapshot: store_snapshot, store_load_snapshot
 */
static void
test_area_fields(void **state)
{
	static const struct {
		const char	*areas;
		const char	*want;
	} bad[] = {
		{ "{\"code\":\"A1\",\"name\":\"A\",\"group\":\"ZZ\"}",
		  "areas[0].group" },
		{ "{\"code\":\"A1\",\"name\":\"A\",\"abbr\":\"Hà\"}",
		  "areas[0].abbr" },
		{ "{\"code\":\"A1\",\"name\":\"A\",\"abbr\":\"ABCDE\"}",
		  "areas[0].abbr" },
		{ "{\"code\":\"G1\",\"name\":\"A\"}", "also a group" },
		{ "{\"code\":\"A1\",\"name\":\"A\",\"former\":[1]}",
		  "areas[0].former[0]" },
		{ "{\"code\":\"ABCDEFGHIJK\",\"name\":\"A\"}",
		  "areas[0].code: \"ABCDEFGHIJK\" is too long for its People's "
		  "Committee" },
	};
	struct store	*s, *c;
	struct be_data	*d = NULL;
	struct be_rng	 rng;
	const struct area *a;
	json_t		*snap;
	char		*prov, *texts, *body, *cause = NULL;
	size_t		 i;

	(void)state;
	xasprintf(&texts, "%s/tests/data/be-texts.json", test_srcdir());
	be_rng_seed(&rng, 1);
	prov = t_temp("{\"province\":{\"code\":\"T\",\"name\":\"T\"},"
	    "\"groups\":[{\"code\":\"G1\",\"name\":\"Miền Một\"}],"
	    "\"areas\":[{\"code\":\"00001\",\"name\":\"Phường Bãi Cháy\","
	    "\"short\":\"Bãi Cháy\",\"abbr\":\"BCha\",\"group\":\"G1\","
	    "\"former\":[\"phường Hùng Thắng\",\"phường Bãi Cháy\"]},"
	    "{\"code\":\"00002\",\"name\":\"Xã Hai\"}],"
	    "\"departments\":[{\"code\":\"SYT\",\"name\":\"Sở Y tế\"},"
	    "{\"code\":\"SGTVT\",\"name\":\"Sở GTVT\"},"
	    "{\"code\":\"UBND.00002\",\"name\":\"UBND xã Hai\"}],"
	    "\"hospitals\":[{\"id\":\"H\",\"name\":\"H\",\"area\":"
	    "\"00001\",\"beds\":10}],\"schools\":[],\"units\":[],"
	    "\"cameras\":[{\"id\":\"C\",\"name\":\"C\",\"area\":"
	    "\"00002\"}],\"stations\":[{\"id\":\"Q\",\"name\":\"Q\","
	    "\"area\":\"00002\",\"kind\":\"air\"}],\"roads\":[\"R\"]}");
	s = store_new();
	if (be_data_load_files(prov, texts, s, &rng, &d, &cause) != 0)
		fail_msg("%s", cause);
	unlink(prov);
	free(prov);
	a = store_area(s, "00001");
	assert_string_equal(a->short_name, "Bãi Cháy");
	assert_string_equal(a->abbr, "BCha");
	assert_string_equal(a->group, "G1");
	assert_string_equal(a->group_name, "Miền Một");
	assert_string_equal(a->former, "phường Hùng Thắng, phường Bãi Cháy");
	a = store_area(s, "00002");
	assert_null(a->short_name);
	assert_string_equal(a->abbr, "");
	assert_null(a->former);
	/* People's Committees: made, or the dataset's own kept. */
	assert_int_equal(s->ndepts, 4);
	assert_string_equal(store_department(s, "UBND.00001")->name,
	    "UBND Phường Bãi Cháy");
	assert_string_equal(store_department(s, "UBND.00002")->name,
	    "UBND xã Hai");

	/* A console gets them through the snapshot. */
	snap = store_snapshot(s);
	c = store_new();
	if (store_load_snapshot(c, snap, STORE_SANITIZE, &cause) != 0)
		fail_msg("%s", cause);
	a = store_area(c, "00001");
	assert_string_equal(a->short_name, "Bãi Cháy");
	assert_string_equal(a->abbr, "BCha");
	assert_string_equal(a->group_name, "Miền Một");
	assert_string_equal(a->former, "phường Hùng Thắng, phường Bãi Cháy");
	assert_null(store_area(c, "00002")->group_name);
	json_object_set_new(json_array_get(json_object_get(snap, "areas"), 0),
	    "abbr", json_string("toolong"));
	assert_int_equal(store_load_snapshot(c, snap, STORE_SANITIZE,
	    &cause), -1);
	assert_non_null(strstr(cause, "areas[0]"));
	free(cause);
	cause = NULL;
	json_decref(snap);
	store_free(c);
	be_data_free(d);
	store_free(s);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&body, "{\"province\":{\"code\":\"T\",\"name\":"
		    "\"T\"},\"groups\":[{\"code\":\"G1\",\"name\":\"G\"}],"
		    "\"areas\":[%s],\"departments\":[],\"hospitals\":[],"
		    "\"schools\":[],\"units\":[]}", bad[i].areas);
		prov = t_temp(body);
		free(body);
		s = store_new();
		if (be_data_load_files(prov, texts, s, &rng, &d, &cause) == 0)
			fail_msg("case %zu loaded", i);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, cause,
			    bad[i].want);
		free(cause);
		cause = NULL;
		unlink(prov);
		free(prov);
		store_free(s);
	}
	free(texts);
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
	xasprintf(&prov, "%s/tests/data/be-province.json", test_srcdir());
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
		cmocka_unit_test(test_quangninh_2024),
		cmocka_unit_test(test_shipped_items),
		cmocka_unit_test(test_area_fields),
		cmocka_unit_test(test_texts_extras),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Loading the province dataset and the simulator's texts. Every member is
 * checked before use; the first problem is reported as
 * "<file>: <member>: <what is wrong>", e.g.
 * "data/quangninh/province.json: hospitals[3].beds: must be an integer
 * from 1 to 100000", and nothing is kept.
 *
 * The store gets the province, areas, departments, hospitals (with
 * occupancy drawn from the seeded generator), schools and units; struct
 * be_data keeps the rest for the simulator.
 */

#include "be-data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "be-rng.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#define BE_DATA_NAME_MAX	512	/* Bytes, a name in the dataset. */

const char *const be_outcome_names[BE_OUT_COUNT] = {
	"field", "checked", "false_alarm", "duplicate", "transferred",
	"cancelled", "sensor_clear", "reply", "return", "transfer",
	"handback"
};

static const char *const be_outcome_defaults[BE_OUT_COUNT] = {
	"handled in the field",
	"checked: no field action needed",
	"checked on site: nothing found",
	"duplicate of an alert already handled",
	"transferred to the district",
	"cancelled by the caller",
	"readings back below the threshold",
	"Your report has been received and handled. Thank you.",
	"Not within our competence; please contact the competent agency.",
	"Beyond the commune's competence: for the department to handle.",
	"Not within the department's competence: for the commune to handle."
};
#define BE_DATA_TPL_MAX		2048	/* Bytes, one template. */

struct be_load {
	const char	*file;
	char		**cause;
};

static int __attribute__((format(printf, 4, 5)))
be_load_fail(struct be_load *l, const char *pfx, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	if (pfx != NULL && *pfx != '\0' && key != NULL)
		xasprintf(l->cause, "%s: %s.%s: %s", l->file, pfx, key, msg);
	else if (pfx != NULL && *pfx != '\0')
		xasprintf(l->cause, "%s: %s: %s", l->file, pfx, msg);
	else
		xasprintf(l->cause, "%s: %s: %s", l->file, key, msg);
	free(msg);
	return (-1);
}

static int
be_get_str(struct be_load *l, json_t *o, const char *pfx, const char *key,
    int required, size_t max, const char **out)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return (0);
		return (be_load_fail(l, pfx, key, "missing"));
	}
	if (!json_is_string(v))
		return (be_load_fail(l, pfx, key, "must be a string"));
	if (json_string_length(v) == 0)
		return (be_load_fail(l, pfx, key, "must not be empty"));
	if (json_string_length(v) != strlen(json_string_value(v)))
		return (be_load_fail(l, pfx, key, "must not contain NUL"));
	if (json_string_length(v) > max)
		return (be_load_fail(l, pfx, key, "longer than %zu bytes",
		    max));
	*out = json_string_value(v);
	return (0);
}

static int
be_get_code(struct be_load *l, json_t *o, const char *pfx, const char *key,
    char *buf, size_t sz)
{
	const char	*s;

	if (be_get_str(l, o, pfx, key, 1, sz, &s) != 0)
		return (-1);
	if (!model_id_valid(s, sz))
		return (be_load_fail(l, pfx, key, "\"%.40s\" is not a code of "
		    "[A-Za-z0-9_.-], at most %zu characters", s, sz - 1));
	snprintf(buf, sz, "%s", s);
	return (0);
}

static int
be_get_int(struct be_load *l, json_t *o, const char *pfx, const char *key,
    int required, json_int_t lo, json_int_t hi, int *out)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL && !required)
		return (0);
	if (v == NULL)
		return (be_load_fail(l, pfx, key, "missing"));
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return (be_load_fail(l, pfx, key, "must be an integer from "
		    "%" JSON_INTEGER_FORMAT " to %" JSON_INTEGER_FORMAT, lo,
		    hi));
	*out = (int)json_integer_value(v);
	return (0);
}

static int
be_get_bool(struct be_load *l, json_t *o, const char *pfx, const char *key,
    int *out)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		return (0);
	if (!json_is_boolean(v))
		return (be_load_fail(l, pfx, key, "must be true or false"));
	*out = json_is_true(v);
	return (0);
}

static int
be_get_enum(struct be_load *l, json_t *o, const char *pfx, const char *key,
    const char *const *names, int n, int *out)
{
	const char	*s;
	int		 i;

	if (be_get_str(l, o, pfx, key, 1, 64, &s) != 0)
		return (-1);
	if ((i = model_enum_parse(names, n, s)) == -1)
		return (be_load_fail(l, pfx, key, "unknown value \"%.40s\"",
		    s));
	*out = i;
	return (0);
}

static json_t *
be_get_array(struct be_load *l, json_t *o, const char *pfx, const char *key,
    int required)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL && !required)
		return (NULL);
	if (!json_is_array(v)) {
		be_load_fail(l, pfx, key, v == NULL ? "missing" :
		    "must be an array");
		return (NULL);
	}
	return (v);
}

static int
be_check_area(struct be_load *l, struct store *s, const char *pfx,
    const char *code)
{
	if (store_area(s, code) == NULL)
		return (be_load_fail(l, pfx, "area", "no area \"%s\" in "
		    "\"areas\"", code));
	return (0);
}

/* ==== Templates ==== */

static const struct {
	const char	*name;
	int		 need;
} be_data_placeholders[] = {
	{ "area", 0 },
	{ "place", 0 },
	{ "road", BE_NEED_ROAD },
	{ "camera", BE_NEED_CAMERA },
	{ "station", BE_NEED_STATION },
	{ "hospital", BE_NEED_HOSPITAL },
};
#define BE_DATA_NPLACEHOLDERS \
	(sizeof be_data_placeholders / sizeof be_data_placeholders[0])

/*
 * Find the placeholders of a template. Returns 0 and ORs BE_NEED_* into
 * *needs, or -1 and sets *bad to the first unknown placeholder (pointing
 * into tpl).
 */
static int
be_data_scan(const char *tpl, int *needs, const char **bad)
{
	const char	*p, *end;
	size_t		 i, len;

	for (p = tpl; (p = strchr(p, '{')) != NULL; p = end + 1) {
		if ((end = strchr(p, '}')) == NULL) {
			*bad = p;
			return (-1);
		}
		len = (size_t)(end - p - 1);
		for (i = 0; i < BE_DATA_NPLACEHOLDERS; i++) {
			if (strlen(be_data_placeholders[i].name) == len &&
			    strncmp(p + 1, be_data_placeholders[i].name,
			    len) == 0)
				break;
		}
		if (i == BE_DATA_NPLACEHOLDERS) {
			*bad = p;
			return (-1);
		}
		*needs |= be_data_placeholders[i].need;
	}
	return (0);
}

static int
be_data_template(struct be_load *l, struct be_data *d, const char *pfx,
    const char *key, const char *tpl, int *needs)
{
	const char	*bad;
	int		 n = 0;

	if (be_data_scan(tpl, &n, &bad) != 0)
		return (be_load_fail(l, pfx, key, "unknown placeholder at "
		    "\"%.20s\" (known: {area} {place} {road} {camera} "
		    "{station} {hospital})", bad));
	if ((n & BE_NEED_ROAD) && d->nroads == 0)
		return (be_load_fail(l, pfx, key, "uses {road} but there are "
		    "no roads"));
	if ((n & BE_NEED_CAMERA) && d->ncameras == 0)
		return (be_load_fail(l, pfx, key, "uses {camera} but the "
		    "province has no cameras"));
	if ((n & BE_NEED_STATION) && d->nstations == 0)
		return (be_load_fail(l, pfx, key, "uses {station} but the "
		    "province has no stations"));
	if ((n & BE_NEED_HOSPITAL) && d->nfleets == 0)
		return (be_load_fail(l, pfx, key, "uses {hospital} but the "
		    "province has no hospitals"));
	*needs = n;
	return (0);
}

/* ==== province.json ==== */

static int
be_data_province(struct be_load *l, json_t *root, struct store *s)
{
	json_t		*p;
	const char	*name;
	int		 off = 420;

	p = json_object_get(root, "province");
	if (!json_is_object(p))
		return (be_load_fail(l, NULL, "province", p == NULL ?
		    "missing" : "must be an object"));
	if (be_get_code(l, p, "province", "code", s->province_code,
	    sizeof s->province_code) != 0 ||
	    be_get_str(l, p, "province", "name", 1, BE_DATA_NAME_MAX,
	    &name) != 0 ||
	    be_get_int(l, p, "province", "utc_offset_min", 0, -720, 840,
	    &off) != 0)
		return (-1);
	free(s->province);
	s->province = xstrdup(name);
	s->utc_offset_min = off;
	return (0);
}

/*
 * The optional display groups ("groups": [{code, name}], the former
 * districts): their codes into codes[], their names into names[] (both
 * ngroups long, names borrowed from root). Returns 0 or -1.
 */
static int
be_data_groups(struct be_load *l, json_t *root, char (**codes)[MODEL_CODE_MAX],
    const char ***names, size_t *ngroups)
{
	json_t		*arr, *o;
	size_t		 i, j;
	char		 pfx[64];

	*ngroups = 0;
	if ((arr = be_get_array(l, root, NULL, "groups", 0)) == NULL)
		return (*l->cause != NULL ? -1 : 0);
	*codes = xcalloc(json_array_size(arr) + 1, sizeof **codes);
	*names = xcalloc(json_array_size(arr) + 1, sizeof **names);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "groups[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		if (be_get_code(l, o, pfx, "code", (*codes)[i],
		    MODEL_CODE_MAX) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &(*names)[i]) != 0)
			return (-1);
		for (j = 0; j < i; j++) {
			if (strcmp((*codes)[j], (*codes)[i]) == 0)
				return (be_load_fail(l, pfx, "code",
				    "duplicate group \"%s\"", (*codes)[i]));
		}
		(*ngroups)++;
	}
	return (0);
}

/*
 * An area's optional display members (short, abbr, group, former) into
 * a, whose code and name are set. Returns 0 or -1.
 */
static int
be_data_area_info(struct be_load *l, json_t *o, const char *pfx,
    struct area *a, char (*gcodes)[MODEL_CODE_MAX], const char **gnames,
    size_t ngroups)
{
	json_t		*arr, *v;
	const char	*str;
	char		 p[96], *tmp;
	size_t		 i;

	if (be_get_str(l, o, pfx, "short", 0, BE_DATA_NAME_MAX, &str) != 0)
		return (-1);
	if (str != NULL)
		a->short_name = xstrdup(str);
	if (be_get_str(l, o, pfx, "abbr", 0, MODEL_ABBR_MAX - 1,
	    &str) != 0)
		return (-1);
	if (str != NULL && !area_abbr_valid(str))
		return (be_load_fail(l, pfx, "abbr", "\"%s\" is not 1 to 4 "
		    "ASCII letters or digits", str));
	if (str != NULL)
		snprintf(a->abbr, sizeof a->abbr, "%s", str);
	if (be_get_str(l, o, pfx, "group", 0, MODEL_CODE_MAX - 1,
	    &str) != 0)
		return (-1);
	if (str != NULL) {
		for (i = 0; i < ngroups; i++) {
			if (strcmp(gcodes[i], str) == 0)
				break;
		}
		if (i == ngroups)
			return (be_load_fail(l, pfx, "group", "no group "
			    "\"%.40s\" in \"groups\"", str));
		snprintf(a->group, sizeof a->group, "%s", str);
		a->group_name = xstrdup(gnames[i]);
	}
	if ((arr = be_get_array(l, o, pfx, "former", 0)) == NULL)
		return (*l->cause != NULL ? -1 : 0);
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof p, "%s.former[%zu]", pfx, i);
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > BE_DATA_NAME_MAX ||
		    json_string_length(v) != strlen(json_string_value(v)))
			return (be_load_fail(l, p, NULL, "must be a non-empty "
			    "string of at most %d bytes", BE_DATA_NAME_MAX));
		tmp = a->former;
		xasprintf(&a->former, "%s%s%s", tmp != NULL ? tmp : "",
		    tmp != NULL ? ", " : "", json_string_value(v));
		free(tmp);
	}
	return (0);
}

static int
be_data_areas(struct be_load *l, json_t *root, struct store *s,
    struct be_data *d)
{
	json_t		*arr, *o;
	size_t		 i, j, ngroups = 0;
	const char	*name, **gnames = NULL;
	char		 pfx[64], (*gcodes)[MODEL_CODE_MAX] = NULL;
	struct area	 a;
	int		 pop = 0, rc = -1;

	if (be_data_groups(l, root, &gcodes, &gnames, &ngroups) != 0)
		goto out;
	if ((arr = be_get_array(l, root, NULL, "areas", 1)) == NULL)
		goto out;
	if (json_array_size(arr) == 0) {
		be_load_fail(l, NULL, "areas", "must not be empty");
		goto out;
	}
	d->areas = xcalloc(json_array_size(arr), sizeof *d->areas);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "areas[%zu]", i);
		if (!json_is_object(o)) {
			be_load_fail(l, pfx, NULL, "must be an object");
			goto out;
		}
		pop = 0;
		memset(&a, 0, sizeof a);
		if (be_get_code(l, o, pfx, "code", a.code,
		    sizeof a.code) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0 ||
		    be_get_int(l, o, pfx, "population", 0, 0, 100000000,
		    &pop) != 0)
			goto out;
		if (store_area(s, a.code) != NULL) {
			be_load_fail(l, pfx, "code", "duplicate area \"%s\"",
			    a.code);
			goto out;
		}
		for (j = 0; j < ngroups; j++) {
			if (strcmp(gcodes[j], a.code) == 0) {
				be_load_fail(l, pfx, "code", "\"%s\" is also "
				    "a group", a.code);
				goto out;
			}
		}
		a.name = xstrdup(name);
		if (be_data_area_info(l, o, pfx, &a, gcodes, gnames,
		    ngroups) != 0) {
			area_clear(&a);
			goto out;
		}
		store_put_area(s, &a);
		snprintf(d->areas[d->nareas].code, MODEL_CODE_MAX, "%s",
		    a.code);
		area_clear(&a);
		d->areas[d->nareas].weight = pop > 0 ? (unsigned)(pop / 1000 +
		    1) : 1;
		d->nareas++;
	}
	rc = 0;
out:
	free(gcodes);
	free(gnames);
	return (rc);
}

static int
be_data_departments(struct be_load *l, json_t *root, struct store *s)
{
	json_t		*arr, *o;
	size_t		 i;
	const char	*name;
	char		 pfx[64], code[MODEL_CODE_MAX];

	if ((arr = be_get_array(l, root, NULL, "departments", 1)) == NULL)
		return (-1);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "departments[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		if (be_get_code(l, o, pfx, "code", code, sizeof code) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0)
			return (-1);
		if (store_department(s, code) != NULL)
			return (be_load_fail(l, pfx, "code", "duplicate "
			    "department \"%s\"", code));
		store_add_department(s, code, name);
	}
	return (0);
}

/*
 * The People's Committee of an area: write its body's code into body.
 * Returns 0, or -1 when the area's code is too long for one.
 */
int
be_data_area_body(const char *area, char body[MODEL_CODE_MAX])
{
	if (strlen(BE_DATA_BODY_PREFIX) + strlen(area) >= MODEL_CODE_MAX)
		return (-1);
	snprintf(body, MODEL_CODE_MAX, "%s%s", BE_DATA_BODY_PREFIX, area);
	return (0);
}

/*
 * A People's Committee for every area, after the dataset's departments:
 * cases go to them, and between them and the departments. One the
 * dataset lists (by its code) is kept as it is.
 */
static int
be_data_bodies(struct be_load *l, struct store *s)
{
	char	 code[MODEL_CODE_MAX], *name, pfx[64];
	size_t	 i;

	for (i = 0; i < s->nareas; i++) {
		snprintf(pfx, sizeof pfx, "areas[%zu]", i);
		if (be_data_area_body(s->areas[i].code, code) != 0)
			return (be_load_fail(l, pfx, "code", "\"%s\" is too "
			    "long for its People's Committee, %s%s (at most "
			    "%zu characters)", s->areas[i].code,
			    BE_DATA_BODY_PREFIX, s->areas[i].code,
			    MODEL_CODE_MAX - 1 - strlen(BE_DATA_BODY_PREFIX)));
		if (store_department(s, code) != NULL)
			continue;
		xasprintf(&name, "%s%s", BE_DATA_BODY_NAME,
		    s->areas[i].name);
		store_add_department(s, code, name);
		free(name);
	}
	return (0);
}

static int
be_data_hospitals(struct be_load *l, json_t *root, struct store *s,
    struct be_data *d, struct be_rng *rng)
{
	json_t		*arr, *o;
	size_t		 i;
	const char	*name;
	char		 pfx[64];
	struct hospital	 h;

	if ((arr = be_get_array(l, root, NULL, "hospitals", 1)) == NULL)
		return (-1);
	d->fleets = xcalloc(json_array_size(arr) + 1, sizeof *d->fleets);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "hospitals[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		memset(&h, 0, sizeof h);
		if (be_get_code(l, o, pfx, "id", h.id, sizeof h.id) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0 ||
		    be_get_code(l, o, pfx, "area", h.area,
		    sizeof h.area) != 0 ||
		    be_check_area(l, s, pfx, h.area) != 0 ||
		    be_get_bool(l, o, pfx, "smart", &h.smart) != 0 ||
		    be_get_int(l, o, pfx, "beds", 1, 1, 100000,
		    &h.beds) != 0 ||
		    be_get_int(l, o, pfx, "icu", 0, 0, 10000, &h.icu) != 0 ||
		    be_get_int(l, o, pfx, "ambulances", 0, 0, 1000,
		    &h.ambulances) != 0)
			return (-1);
		if (store_hospital(s, h.id) != NULL)
			return (be_load_fail(l, pfx, "id", "duplicate id "
			    "\"%s\"", h.id));
		snprintf(d->fleets[d->nfleets].hospital, MODEL_ID_MAX, "%s",
		    h.id);
		d->fleets[d->nfleets].ambulances = h.ambulances;

		/*
		 * A plausible morning: 55-90 % of beds, 40-90 % of ICU,
		 * which is also what the hospital usually runs at.
		 */
		d->fleets[d->nfleets].beds_pct = be_rng_range(rng, 55, 90);
		d->fleets[d->nfleets].icu_pct = be_rng_range(rng, 40, 90);
		h.beds_used = h.beds * d->fleets[d->nfleets].beds_pct / 100;
		h.icu_used = h.icu * d->fleets[d->nfleets].icu_pct / 100;
		d->nfleets++;
		h.er_waiting = be_rng_range(rng, 0, 3 + h.beds / 100);
		h.ambulances -= be_rng_range(rng, 0, h.ambulances / 2);
		h.name = xstrdup(name);
		h.version = 1;
		store_put_hospital(s, &h);
	}
	return (0);
}

static int
be_data_schools(struct be_load *l, json_t *root, struct store *s)
{
	json_t		*arr, *o;
	size_t		 i;
	const char	*name;
	char		 pfx[64];
	struct school	 sc;
	int		 level;

	if ((arr = be_get_array(l, root, NULL, "schools", 1)) == NULL)
		return (-1);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "schools[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		memset(&sc, 0, sizeof sc);
		if (be_get_code(l, o, pfx, "id", sc.id, sizeof sc.id) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0 ||
		    be_get_code(l, o, pfx, "area", sc.area,
		    sizeof sc.area) != 0 ||
		    be_check_area(l, s, pfx, sc.area) != 0 ||
		    be_get_enum(l, o, pfx, "level", school_level_names,
		    SCHOOL_LEVEL_COUNT, &level) != 0 ||
		    be_get_int(l, o, pfx, "enrolled", 1, 1, 100000,
		    &sc.enrolled) != 0 ||
		    be_get_int(l, o, pfx, "smart_classrooms", 0, 0, 1000,
		    &sc.smart_classrooms) != 0)
			return (-1);
		if (store_school(s, sc.id) != NULL)
			return (be_load_fail(l, pfx, "id", "duplicate id "
			    "\"%s\"", sc.id));
		sc.level = level;
		sc.name = xstrdup(name);
		sc.version = 1;
		store_put_school(s, &sc);
	}
	return (0);
}

static int
be_data_units(struct be_load *l, json_t *root, struct store *s,
    struct be_rng *rng)
{
	json_t		*arr, *o;
	size_t		 i;
	const char	*name;
	char		 pfx[64];
	struct unit	 u;
	int		 type;

	if ((arr = be_get_array(l, root, NULL, "units", 1)) == NULL)
		return (-1);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "units[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		memset(&u, 0, sizeof u);
		if (be_get_code(l, o, pfx, "id", u.id, sizeof u.id) != 0 ||
		    be_get_enum(l, o, pfx, "type", unit_type_names,
		    UNIT_TYPE_COUNT, &type) != 0 ||
		    be_get_code(l, o, pfx, "area", u.area,
		    sizeof u.area) != 0 ||
		    be_check_area(l, s, pfx, u.area) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0)
			return (-1);
		if (store_unit(s, u.id) != NULL)
			return (be_load_fail(l, pfx, "id", "duplicate id "
			    "\"%s\"", u.id));
		u.type = type;
		u.name = xstrdup(name);
		/* One in twenty is in the workshop. */
		u.status = be_rng_percent(rng, 5) ? UNIT_OUT_OF_SERVICE :
		    UNIT_AVAILABLE;
		u.version = 1;
		store_put_unit(s, &u);
	}
	return (0);
}

static int
be_data_sites(struct be_load *l, json_t *root, struct store *s,
    const char *key, struct be_site **out, size_t *nout, struct be_rng *rng)
{
	json_t		*arr, *o;
	size_t		 i;
	const char	*name, *kind;
	char		 pfx[64];
	struct be_site	*site;

	if ((arr = be_get_array(l, root, NULL, key, 0)) == NULL)
		return (*l->cause != NULL ? -1 : 0);
	*out = xcalloc(json_array_size(arr) + 1, sizeof **out);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "%s[%zu]", key, i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		site = &(*out)[*nout];
		if (be_get_code(l, o, pfx, "id", site->id,
		    sizeof site->id) != 0 ||
		    be_get_code(l, o, pfx, "area", site->area,
		    sizeof site->area) != 0 ||
		    be_check_area(l, s, pfx, site->area) != 0 ||
		    be_get_str(l, o, pfx, "name", 1, BE_DATA_NAME_MAX,
		    &name) != 0 ||
		    be_get_str(l, o, pfx, "kind", 0, MODEL_CODE_MAX - 1,
		    &kind) != 0)
			return (-1);
		site->name = xstrdup(name);
		snprintf(site->kind, sizeof site->kind, "%s",
		    kind != NULL ? kind : "");
		/* Stations usually read 30-70 % of their threshold. */
		site->base = be_rng_range(rng, 30, 70);
		(*nout)++;
	}
	return (0);
}

static int
be_data_strings(struct be_load *l, json_t *arr, const char *pfx,
    char ***out, size_t *nout)
{
	json_t		*v;
	size_t		 i;
	char		 p[96];

	*out = xcalloc(json_array_size(arr) + 1, sizeof **out);
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof p, "%s[%zu]", pfx, i);
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > BE_DATA_NAME_MAX ||
		    json_string_length(v) != strlen(json_string_value(v)))
			return (be_load_fail(l, p, NULL, "must be a non-empty "
			    "string of at most %d bytes", BE_DATA_NAME_MAX));
		(*out)[(*nout)++] = xstrdup(json_string_value(v));
	}
	return (0);
}

static struct be_area_info *
be_data_area_rw(struct be_data *d, const char *code)
{
	size_t	i;

	for (i = 0; i < d->nareas; i++) {
		if (strcmp(d->areas[i].code, code) == 0)
			return (&d->areas[i]);
	}
	return (NULL);
}

static int
be_data_places(struct be_load *l, json_t *root, struct be_data *d)
{
	json_t			*obj, *arr;
	const char		*code;
	struct be_area_info	*a;
	char			 pfx[64];

	if ((obj = json_object_get(root, "places")) == NULL)
		return (0);
	if (!json_is_object(obj))
		return (be_load_fail(l, NULL, "places", "must be an object"));
	json_object_foreach(obj, code, arr) {
		snprintf(pfx, sizeof pfx, "places.%.32s", code);
		if ((a = be_data_area_rw(d, code)) == NULL)
			return (be_load_fail(l, pfx, NULL, "no such area in "
			    "\"areas\""));
		if (!json_is_array(arr))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "array"));
		if (a->places != NULL)
			return (be_load_fail(l, pfx, NULL, "duplicate"));
		if (be_data_strings(l, arr, pfx, &a->places,
		    &a->nplaces) != 0)
			return (-1);
	}
	return (0);
}

static int
be_data_format(struct be_load *l, json_t *root)
{
	int	format = 1;

	if (!json_is_object(root))
		return (be_load_fail(l, NULL, "(top level)", "must be an "
		    "object"));
	if (be_get_int(l, root, NULL, "format", 0, 1, 1, &format) != 0)
		return (-1);
	return (0);
}

static json_t *
be_data_read(struct be_load *l)
{
	json_error_t	 jerr;
	json_t		*root;

	root = json_load_file(l->file, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL && jerr.line > 0)
		xasprintf(l->cause, "%s:%d:%d: %s", l->file, jerr.line,
		    jerr.column, jerr.text);
	else if (root == NULL)
		xasprintf(l->cause, "%s", jerr.text);
	return (root);
}

static int
be_data_load_province(struct be_load *l, struct store *s, struct be_data *d,
    struct be_rng *rng)
{
	json_t	*root, *roads;
	int	 rc = -1;

	if ((root = be_data_read(l)) == NULL)
		return (-1);
	if (be_data_format(l, root) != 0 ||
	    be_data_province(l, root, s) != 0 ||
	    be_data_areas(l, root, s, d) != 0 ||
	    be_data_departments(l, root, s) != 0 ||
	    be_data_bodies(l, s) != 0 ||
	    be_data_hospitals(l, root, s, d, rng) != 0 ||
	    be_data_schools(l, root, s) != 0 ||
	    be_data_units(l, root, s, rng) != 0 ||
	    be_data_sites(l, root, s, "cameras", &d->cameras,
	    &d->ncameras, rng) != 0 ||
	    be_data_sites(l, root, s, "stations", &d->stations,
	    &d->nstations, rng) != 0 ||
	    be_data_places(l, root, d) != 0)
		goto out;
	if ((roads = be_get_array(l, root, NULL, "roads", 0)) != NULL &&
	    be_data_strings(l, roads, "roads", &d->roads, &d->nroads) != 0)
		goto out;
	if (*l->cause != NULL)
		goto out;
	rc = 0;
out:
	json_decref(root);
	return (rc);
}

/* ==== texts.json ==== */

static int
be_data_alert_tpls(struct be_load *l, json_t *root, struct be_data *d)
{
	json_t			*arr, *o, *sev;
	size_t			 i;
	const char		*title;
	char			 pfx[64];
	struct be_alert_tpl	*t;
	int			 kind, source;

	if ((arr = be_get_array(l, root, NULL, "alerts", 1)) == NULL)
		return (-1);
	if (json_array_size(arr) == 0)
		return (be_load_fail(l, NULL, "alerts", "must not be empty"));
	d->alerts = xcalloc(json_array_size(arr), sizeof *d->alerts);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "alerts[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		t = &d->alerts[d->nalerts];
		if (be_get_enum(l, o, pfx, "kind", alert_kind_names,
		    ALERT_KIND_COUNT, &kind) != 0 ||
		    be_get_enum(l, o, pfx, "source", alert_source_names,
		    SOURCE_COUNT, &source) != 0 ||
		    be_get_str(l, o, pfx, "title", 1, BE_DATA_TPL_MAX,
		    &title) != 0 ||
		    be_get_int(l, o, pfx, "deadline_min", 0, 0, 10080,
		    &t->deadline_min) != 0)
			return (-1);
		sev = json_object_get(o, "severity");
		if (json_is_integer(sev) && json_integer_value(sev) >= 1 &&
		    json_integer_value(sev) <= 4) {
			t->sev_lo = t->sev_hi = (int)json_integer_value(sev);
		} else if (json_is_array(sev) && json_array_size(sev) == 2 &&
		    json_is_integer(json_array_get(sev, 0)) &&
		    json_is_integer(json_array_get(sev, 1))) {
			t->sev_lo = (int)json_integer_value(
			    json_array_get(sev, 0));
			t->sev_hi = (int)json_integer_value(
			    json_array_get(sev, 1));
		} else
			t->sev_lo = 0;
		if (t->sev_lo < 1 || t->sev_hi > 4 || t->sev_lo > t->sev_hi)
			return (be_load_fail(l, pfx, "severity", "must be 1-4 "
			    "or [low, high] within 1-4"));
		if (be_data_template(l, d, pfx, "title", title,
		    &t->needs) != 0)
			return (-1);
		t->kind = kind;
		t->source = source;
		t->title = xstrdup(title);
		d->nalerts++;
	}
	return (0);
}

static int
be_data_feedback_tpls(struct be_load *l, json_t *root, struct store *s,
    struct be_data *d)
{
	json_t			*arr, *o, *ch, *texts, *v;
	size_t			 i, j;
	char			 pfx[64], p[96];
	struct be_fb_tpl	*t;
	int			 c, needs, weight;

	if ((arr = be_get_array(l, root, NULL, "feedback", 1)) == NULL)
		return (-1);
	if (json_array_size(arr) == 0)
		return (be_load_fail(l, NULL, "feedback", "must not be "
		    "empty"));
	d->feedback = xcalloc(json_array_size(arr), sizeof *d->feedback);
	json_array_foreach(arr, i, o) {
		snprintf(pfx, sizeof pfx, "feedback[%zu]", i);
		if (!json_is_object(o))
			return (be_load_fail(l, pfx, NULL, "must be an "
			    "object"));
		t = &d->feedback[d->nfeedback++];
		if (be_get_code(l, o, pfx, "category", t->category,
		    sizeof t->category) != 0 ||
		    be_get_code(l, o, pfx, "department", t->dept,
		    sizeof t->dept) != 0)
			return (-1);
		if (store_department(s, t->dept) == NULL)
			return (be_load_fail(l, pfx, "department", "no "
			    "department \"%s\" in the province", t->dept));
		if ((ch = be_get_array(l, o, pfx, "channels", 1)) == NULL)
			return (-1);
		json_array_foreach(ch, j, v) {
			c = json_is_string(v) ? MODEL_ENUM_PARSE(
			    fb_channel_names, json_string_value(v)) : -1;
			if (c == -1) {
				snprintf(p, sizeof p, "%s.channels[%zu]", pfx,
				    j);
				return (be_load_fail(l, p, NULL, "unknown "
				    "channel"));
			}
			t->channels |= 1U << c;
		}
		if (t->channels == 0)
			return (be_load_fail(l, pfx, "channels", "must not be "
			    "empty"));
		weight = 10;
		if (be_get_int(l, o, pfx, "weight", 0, 0, 1000,
		    &weight) != 0)
			return (-1);
		t->weight = (unsigned)weight;
		if ((texts = be_get_array(l, o, pfx, "texts", 1)) == NULL)
			return (-1);
		if (json_array_size(texts) == 0)
			return (be_load_fail(l, pfx, "texts", "must not be "
			    "empty"));
		t->texts = xcalloc(json_array_size(texts), sizeof *t->texts);
		json_array_foreach(texts, j, v) {
			snprintf(p, sizeof p, "%s.texts[%zu]", pfx, j);
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) > BE_DATA_TPL_MAX ||
			    json_string_length(v) !=
			    strlen(json_string_value(v)))
				return (be_load_fail(l, p, NULL, "must be a "
				    "non-empty string of at most %d bytes",
				    BE_DATA_TPL_MAX));
			needs = 0;
			if (be_data_template(l, d, p, NULL,
			    json_string_value(v), &needs) != 0)
				return (-1);
			if (needs != 0)
				return (be_load_fail(l, p, NULL, "feedback "
				    "texts may use only {place} and {area}"));
			t->texts[t->ntexts++] = xstrdup(json_string_value(v));
		}
	}
	return (0);
}

/* The optional "outcomes" object: a text per known outcome. */
static int
be_data_outcomes(struct be_load *l, json_t *root, struct be_data *d)
{
	json_t		*o = json_object_get(root, "outcomes"), *v;
	const char	*key;
	int		 i;

	if (o == NULL)
		return (0);
	if (!json_is_object(o))
		return (be_load_fail(l, NULL, "outcomes", "must be an object"));
	json_object_foreach(o, key, v) {
		if ((i = MODEL_ENUM_PARSE(be_outcome_names, key)) == -1)
			return (be_load_fail(l, "outcomes", key, "unknown "
			    "outcome"));
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > BE_DATA_NAME_MAX ||
		    json_string_length(v) != strlen(json_string_value(v)))
			return (be_load_fail(l, "outcomes", key, "must be a "
			    "non-empty string of at most %d bytes",
			    BE_DATA_NAME_MAX));
		free(d->outcomes[i]);
		d->outcomes[i] = xstrdup(json_string_value(v));
	}
	return (0);
}

static int
be_data_load_texts(struct be_load *l, struct store *s, struct be_data *d)
{
	json_t	*root, *roads;
	int	 rc = -1;

	if ((root = be_data_read(l)) == NULL)
		return (-1);
	if (be_data_format(l, root) != 0)
		goto out;
	/* Roads may live in either file; texts.json's are added. */
	if ((roads = be_get_array(l, root, NULL, "roads", 0)) != NULL) {
		char	**more = NULL;
		size_t	  nmore = 0, i;

		if (be_data_strings(l, roads, "roads", &more, &nmore) != 0) {
			for (i = 0; i < nmore; i++)
				free(more[i]);
			free(more);
			goto out;
		}
		d->roads = xreallocarray(d->roads, d->nroads + nmore + 1,
		    sizeof *d->roads);
		for (i = 0; i < nmore; i++)
			d->roads[d->nroads++] = more[i];
		free(more);
	} else if (*l->cause != NULL)
		goto out;
	if (be_data_alert_tpls(l, root, d) != 0 ||
	    be_data_feedback_tpls(l, root, s, d) != 0 ||
	    be_data_outcomes(l, root, d) != 0)
		goto out;
	rc = 0;
out:
	json_decref(root);
	return (rc);
}

/* ==== Public ==== */

/*
 * Load province.json and texts.json from dir (see be_data_load_files()),
 * and the province's working time: dir's worktime.json and the calendar
 * it names (workcal_load()), into (*out)->workcal, which the engine
 * borrows (engine_set_workcal()). Returns 0, or -1 with *cause set (the
 * file, the member, the problem; caller frees) and nothing kept.
 */
int
be_data_load(const char *dir, struct store *s, struct be_rng *rng,
    struct be_data **out, char **cause)
{
	char	*province, *texts;
	int	 rc;

	xasprintf(&province, "%s/province.json", dir);
	xasprintf(&texts, "%s/texts.json", dir);
	rc = be_data_load_files(province, texts, s, rng, out, cause);
	free(province);
	free(texts);
	if (rc == 0 && workcal_load(dir, s->utc_offset_min, &(*out)->workcal,
	    cause) != 0) {
		be_data_free(*out);
		*out = NULL;
		store_clear(s);
		rc = -1;
	}
	return (rc);
}

/*
 * Load the province file into the store, which must be empty, and the
 * texts file into a new struct be_data. The generator draws the initial
 * occupancy. Returns 0 and sets *out (caller frees with be_data_free()),
 * or -1 with *cause set to an allocated "<file>: <member>: <problem>"
 * message (caller frees); the store is then cleared.
 */
int
be_data_load_files(const char *province, const char *texts,
    struct store *s, struct be_rng *rng, struct be_data **out, char **cause)
{
	struct be_load	 l;
	struct be_data	*d;

	*out = NULL;
	*cause = NULL;
	d = xcalloc(1, sizeof *d);
	l.cause = cause;
	l.file = province;
	if (be_data_load_province(&l, s, d, rng) != 0)
		goto fail;
	l.file = texts;
	if (be_data_load_texts(&l, s, d) != 0)
		goto fail;
	*out = d;
	return (0);

fail:
	if (*cause == NULL)
		xasprintf(cause, "%s: cannot load", l.file);
	be_data_free(d);
	store_clear(s);
	return (-1);
}

static void
be_data_free_strings(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * Free the data. NULL is a no-op.
 */
void
be_data_free(struct be_data *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nareas; i++)
		be_data_free_strings(d->areas[i].places, d->areas[i].nplaces);
	free(d->areas);
	be_data_free_strings(d->roads, d->nroads);
	for (i = 0; i < d->ncameras; i++)
		free(d->cameras[i].name);
	free(d->cameras);
	for (i = 0; i < d->nstations; i++)
		free(d->stations[i].name);
	free(d->stations);
	free(d->fleets);
	for (i = 0; i < d->nalerts; i++)
		free(d->alerts[i].title);
	free(d->alerts);
	for (i = 0; i < d->nfeedback; i++)
		be_data_free_strings(d->feedback[i].texts,
		    d->feedback[i].ntexts);
	free(d->feedback);
	for (i = 0; i < BE_OUT_COUNT; i++)
		free(d->outcomes[i]);
	workcal_free(d->workcal);
	free(d);
}

/*
 * The ambulance fleet of a hospital as given in the dataset, or 0.
 */
int
be_data_fleet(const struct be_data *d, const char *hospital)
{
	size_t	i;

	for (i = 0; i < d->nfleets; i++) {
		if (strcmp(d->fleets[i].hospital, hospital) == 0)
			return (d->fleets[i].ambulances);
	}
	return (0);
}

/*
 * The simulator's record of a hospital (fleet, usual occupancy), or NULL.
 * Borrowed.
 */
const struct be_fleet *
be_data_fleet_info(const struct be_data *d, const char *hospital)
{
	size_t	i;

	for (i = 0; i < d->nfleets; i++) {
		if (strcmp(d->fleets[i].hospital, hospital) == 0)
			return (&d->fleets[i]);
	}
	return (NULL);
}

/*
 * The feedback template of a category (its department, channels, texts),
 * or NULL. Borrowed.
 */
const struct be_fb_tpl *
be_data_category(const struct be_data *d, const char *category)
{
	size_t	i;

	for (i = 0; i < d->nfeedback; i++) {
		if (strcmp(d->feedback[i].category, category) == 0)
			return (&d->feedback[i]);
	}
	return (NULL);
}

/*
 * The text for an outcome: the dataset's, or the English default.
 * Borrowed.
 */
const char *
be_data_outcome(const struct be_data *d, enum be_outcome o)
{
	if (d != NULL && d->outcomes[o] != NULL)
		return (d->outcomes[o]);
	return (be_outcome_defaults[o]);
}

/*
 * The simulator's view of an area (weight, places), or NULL. Borrowed.
 */
const struct be_area_info *
be_data_area(const struct be_data *d, const char *code)
{
	return (be_data_area_rw((struct be_data *)d, code));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for core/engine.c without any backend: a store of our own and a
 * test sink that applies each change to it and logs it. Every command
 * runs through its success and every refusal code it has, each first as
 * a dry run, which must answer as the real run does and change nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "sanitize.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#define T_NOW	1795482000000LL	/* Tuesday 24/11/2026 08:00 at UTC+7. */
#define T_LOG	64

/*
 * The sink: every change goes through the wire form (as the backend's
 * store takes it: an item it cannot decode is a bug of the engine), is
 * applied to the sink's store and logged.
 */
struct t_sink {
	struct store	*store;
	uint64_t	 seq;
	size_t		 n;			/* Changes taken. */
	char		 log[T_LOG][96];	/* "kind id vN by cmd". */
	int64_t		 ts[T_LOG];
	size_t		 fail_at;		/* Refuse this change; 0. */
	int64_t		 now;
	unsigned	 ids;			/* For t_new_id(). */
};

struct t_fix {
	struct t_sink	 sink;
	struct store	*store;
	struct engine	*e;
	struct workcal	*wc;		/* Owned; NULL: none. */
};

static const char *const t_hl[] = { "HL" };

static const struct operator t_op = { .name = "op1",
    .role = OPERATOR_OPERATOR };
static const struct operator t_op_hl = { .name = "op-hl",
    .role = OPERATOR_OPERATOR, .areas = t_hl, .nareas = 1 };
static const struct operator t_observer = { .name = "obs",
    .role = OPERATOR_OBSERVER };
static const struct operator t_trainer = { .name = "tr",
    .role = OPERATOR_TRAINER, .areas = t_hl, .nareas = 1 };
static const struct operator t_super = { .name = "boss",
    .role = OPERATOR_SUPERVISOR };
static const struct operator t_stranger = { .name = "who",
    .role = OPERATOR_UNKNOWN };

static int
t_emit(void *arg, const struct kind *k, const void *item, const char *by,
    const char *cmd, int64_t ts, uint64_t *seq)
{
	struct t_sink	*t = arg;
	union kind_item	 u;
	json_t		*o;
	char		*cause = NULL;

	if (t->fail_at != 0 && t->n + 1 == t->fail_at)
		return (-1);
	o = k->encode(item);
	if (k->decode(o, &u, 0, &cause) != 0)
		fail_msg("the engine made a bad %s: %s", k->name, cause);
	json_decref(o);
	assert_true(t->n < T_LOG);
	snprintf(t->log[t->n], sizeof t->log[t->n], "%s %s v%u %s %s",
	    k->name, kind_id(k, item), kind_version(k, item),
	    by != NULL ? by : "-", cmd != NULL ? cmd : "-");
	t->ts[t->n] = ts;
	t->n++;
	store_put(t->store, k, &u);
	t->store->seq = ++t->seq;
	if (seq != NULL)
		*seq = t->seq;
	return (0);
}

static int64_t
t_now(void *arg)
{
	return (((struct t_sink *)arg)->now);
}

static void
t_new_id(void *arg, const struct kind *k, char id[MODEL_ID_MAX])
{
	struct t_sink	*t = arg;

	snprintf(id, MODEL_ID_MAX, "T%c-%u", k->name[0], ++t->ids);
}

static void
t_alert(struct store *s, const char *id, const char *area,
    enum alert_state state)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	a.kind = ALERT_FIRE;
	a.severity = 3;
	snprintf(a.area, sizeof a.area, "%s", area);
	a.place = xstrdup("Bãi Cháy");
	a.source = SOURCE_CITIZEN;
	a.title = xstrdup("Cháy nhà dân");
	a.state = state;
	a.created = a.updated = T_NOW - 60000;
	a.version = 1;
	history_add(&a.hist, a.created, "", "created", "citizen");
	if (state == ALERT_CLOSED)
		a.disposition = DISPOSITION_FALSE_ALARM;
	store_put_alert(s, &a);
}

static void
t_unit(struct store *s, const char *id, const char *area,
    enum unit_status status, const char *alert)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "%s", id);
	u.type = UNIT_AMBULANCE;
	snprintf(u.area, sizeof u.area, "%s", area);
	u.name = xstrdup(id);
	u.status = status;
	snprintf(u.alert, sizeof u.alert, "%s", alert);
	u.version = 1;
	store_put_unit(s, &u);
}

static void
t_case(struct store *s, const char *id, const char *area, enum fb_state state,
    const char *dept)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	f.channel = FB_HOTLINE;
	snprintf(f.area, sizeof f.area, "%s", area);
	snprintf(f.category, sizeof f.category, "health");
	snprintf(f.dept, sizeof f.dept, "%s", dept);
	f.text = xstrdup("Trạm y tế đóng cửa");
	f.state = state;
	f.received = T_NOW - 3600000;
	f.deadline = T_NOW + 3600000;
	f.version = 1;
	store_put_feedback(s, &f);
}

static void
t_hospital(struct store *s, const char *id, const char *area, int diversion)
{
	struct hospital	h;

	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "%s", id);
	h.name = xstrdup(id);
	snprintf(h.area, sizeof h.area, "%s", area);
	h.beds = 100;
	h.diversion = diversion;
	h.version = 1;
	store_put_hospital(s, &h);
}

/*
 * The province of every test: alerts, units, cases and hospitals in each
 * state a refusal needs, in two areas.
 */
static struct t_fix *
t_fixture(void)
{
	struct engine_sink	 sink = { .emit = t_emit, .now = t_now };
	struct t_fix		*f;
	struct store		*s;
	struct alert		*a;
	char			 id[MODEL_ID_MAX];
	int			 i;

	f = xcalloc(1, sizeof *f);
	s = f->store = f->sink.store = store_new();
	f->sink.now = T_NOW;
	store_add_area(s, "HL", "Hạ Long");
	store_add_area(s, "CP", "Cẩm Phả");
	store_add_area(s, "CT", "Cô Tô");
	store_add_department(s, "SYT", "Sở Y tế");
	store_add_department(s, "STNMT", "Sở Tài nguyên và Môi trường");
	t_alert(s, "A-1", "HL", ALERT_NEW);
	t_alert(s, "A-2", "HL", ALERT_ACKNOWLEDGED);
	t_alert(s, "A-3", "CP", ALERT_NEW);
	t_alert(s, "A-4", "HL", ALERT_DISPATCHED);
	t_alert(s, "A-5", "HL", ALERT_RESOLVED);
	t_alert(s, "A-6", "HL", ALERT_CLOSED);
	t_alert(s, "A-7", "HL", ALERT_ACKNOWLEDGED);
	t_alert(s, "A-8", "HL", ALERT_DISPATCHED);
	store_alert(s, "A-7")->escalation = ALERT_MAX_ESCALATION;
	a = store_alert(s, "A-4");
	alert_add_unit(a, "U-BUSY");
	a = store_alert(s, "A-8");
	for (i = 0; i < ALERT_MAX_UNITS; i++) {
		snprintf(id, sizeof id, "U-FULL%d", i % 10);
		assert_int_equal(alert_add_unit(a, id), 0);
		t_unit(s, id, "HL", UNIT_ON_SCENE, "A-8");
	}
	t_unit(s, "U-HL", "HL", UNIT_AVAILABLE, "");
	t_unit(s, "U-HL2", "HL", UNIT_AVAILABLE, "");
	t_unit(s, "U-CP", "CP", UNIT_AVAILABLE, "");
	t_unit(s, "U-OOS", "HL", UNIT_OUT_OF_SERVICE, "");
	t_unit(s, "U-BUSY", "HL", UNIT_DISPATCHED, "A-4");
	t_case(s, "F-1", "HL", FB_NEW, "");
	t_case(s, "F-2", "HL", FB_ASSIGNED, "SYT");
	t_case(s, "F-3", "HL", FB_ANSWERED, "SYT");
	t_case(s, "F-4", "CP", FB_NEW, "");
	t_case(s, "F-5", "HL", FB_CLOSED, "SYT");
	t_hospital(s, "H-1", "HL", 0);
	t_hospital(s, "H-2", "CP", 1);
	s->seq = f->sink.seq = 100;
	sink.arg = &f->sink;
	f->e = engine_new(s, &sink);
	return (f);
}

static void
t_fixture_free(struct t_fix *f)
{
	engine_free(f->e);
	store_free(f->store);
	workcal_free(f->wc);
	free(f);
}

/* The source tree (TRUCBAN_SRCDIR, or "."). */
static const char *
t_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

/*
 * The fixture with Quảng Ninh's working time (data/quangninh): its
 * calendar, deadline rules and response bands, at UTC+7.
 */
static struct t_fix *
t_fixture_wc(void)
{
	struct t_fix	*f = t_fixture();
	char		*dir, *cause = NULL;

	f->store->utc_offset_min = 420;
	xasprintf(&dir, "%s/data/quangninh", t_srcdir());
	if (workcal_load(dir, 420, &f->wc, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	engine_set_workcal(f->e, f->wc);
	assert_ptr_equal(engine_workcal(f->e), f->wc);
	return (f);
}

/* A local time in Vietnam, "YYYY-MM-DD HH:MM", as ms. */
static int64_t
t_at(const char *s)
{
	int64_t	ms;

	if (workcal_parse_time(s, 420, &ms) != 0)
		fail_msg("bad time %s", s);
	return (ms);
}

/* Assert that t is the local time want. */
static void
t_is_at(int64_t t, const char *want)
{
	char	buf[32];

	workcal_format(t, 420, buf, sizeof buf);
	assert_string_equal(buf, want);
}

/* Run a command on f, with flags; args is JSON text. */
static int
t_run(struct t_fix *f, const struct operator *op, const char *cmd,
    const char *args, int flags, struct engine_outcome *out)
{
	json_error_t	 jerr;
	json_t		*a;
	int		 rc;

	if ((a = json_loads(args, 0, &jerr)) == NULL)
		fail_msg("bad test args %s: %s", args, jerr.text);
	rc = engine_run(f->e, op, cmd, a, flags, out);
	json_decref(a);
	return (rc);
}

/* The reasons the tests saw the engine refuse with. */
static int	t_seen[ENGINE_R_COUNT];

/*
 * A refusal's reason: in the table, of the code refused with, with an
 * argument for every "{name}" of its format and "cmd", and the message
 * made from them.
 */
static void
t_check_reason(const struct engine_outcome *out, const char *what)
{
	const struct engine_reason_info	*ri;
	const char			*p, *end;
	json_t				*v;
	const char			*key;
	char				 name[32], *msg;

	if (out->reason <= ENGINE_R_NONE || out->reason >= ENGINE_R_COUNT)
		fail_msg("%s: no reason (%d)", what, out->reason);
	ri = &engine_reasons[out->reason];
	if (ri->code != out->err)
		fail_msg("%s: %s is %s in the table, refused as %s", what,
		    ri->name, proto_err_names[ri->code],
		    proto_err_names[out->err]);
	if (!json_is_object(out->args) ||
	    !json_is_string(json_object_get(out->args, "cmd")))
		fail_msg("%s: %s: no args, or no cmd", what, ri->name);
	json_object_foreach(out->args, key, v) {
		if (!json_is_string(v))
			fail_msg("%s: %s: args.%s is not a string", what,
			    ri->name, key);
	}
	for (p = ri->format; (p = strchr(p, '{')) != NULL; p = end + 1) {
		end = strchr(p, '}');
		assert_non_null(end);
		assert_true((size_t)(end - p - 1) < sizeof name);
		memcpy(name, p + 1, (size_t)(end - p - 1));
		name[end - p - 1] = '\0';
		if (json_object_get(out->args, name) == NULL)
			fail_msg("%s: %s names {%s}, not in its args", what,
			    ri->name, name);
	}
	msg = engine_reason_message(out->reason, out->args);
	assert_string_equal(msg, out->msg);
	free(msg);
	t_seen[out->reason] = 1;
}

/*
 * One command on a fresh fixture: as a dry run, then for real. The dry
 * run changes nothing and answers as the real run does; a refusal changes
 * nothing either and has code, a reason and a message holding want.
 */
struct t_cmd_case {
	const struct operator	*op;
	const char		*cmd;
	const char		*args;
	const char		*code;		/* NULL: ok. */
	const char		*want;		/* In the message; or NULL. */
};

static void
t_check(const struct t_cmd_case *c)
{
	struct t_fix		*f = t_fixture();
	struct engine_outcome	 dry, out;
	char			 d0[17], d1[17];
	int			 rc_dry, rc;

	store_digest(f->store, d0);
	rc_dry = t_run(f, c->op, c->cmd, c->args, ENGINE_DRY, &dry);
	store_digest(f->store, d1);
	if (f->sink.n != 0 || strcmp(d0, d1) != 0)
		fail_msg("%s %s: the dry run changed something", c->cmd,
		    c->args);
	assert_int_equal(dry.seq, 0);
	assert_int_equal(dry.changes, 0);
	assert_string_equal(dry.item, "");

	rc = t_run(f, c->op, c->cmd, c->args, 0, &out);
	if (rc != rc_dry || (rc != 0 && (out.err != dry.err ||
	    strcmp(out.msg, dry.msg) != 0)))
		fail_msg("%s %s: dry run %d %s \"%s\", real run %d %s \"%s\"",
		    c->cmd, c->args, rc_dry, rc_dry ? proto_err_names[dry.err] :
		    "ok", rc_dry ? dry.msg : "", rc, rc ?
		    proto_err_names[out.err] : "ok", rc ? out.msg : "");
	if (c->code == NULL) {
		if (rc != 0)
			fail_msg("%s %s: refused: %s: %s", c->cmd, c->args,
			    proto_err_names[out.err], out.msg);
		assert_true(f->sink.n > 0);
		assert_int_equal(out.changes, f->sink.n);
		assert_int_equal(out.seq, f->sink.seq);
	} else {
		if (rc == 0)
			fail_msg("%s %s: accepted, wanted %s", c->cmd, c->args,
			    c->code);
		if (strcmp(proto_err_names[out.err], c->code) != 0)
			fail_msg("%s %s: %s (\"%s\"), wanted %s", c->cmd,
			    c->args, proto_err_names[out.err], out.msg,
			    c->code);
		if (c->want != NULL && strstr(out.msg, c->want) == NULL)
			fail_msg("%s %s: \"%s\" lacks \"%s\"", c->cmd, c->args,
			    out.msg, c->want);
		if (strchr(out.msg, '\n') != NULL)
			fail_msg("%s: message is not one line", c->cmd);
		t_check_reason(&out, c->args);
		assert_int_equal(dry.reason, out.reason);
		assert_true(json_equal(dry.args, out.args));
		store_digest(f->store, d1);
		assert_int_equal(f->sink.n, 0);
		assert_string_equal(d0, d1);
	}
	engine_outcome_clear(&dry);
	engine_outcome_clear(&out);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (every command: success and each refusal code, dry run
 *   first)
 */
static void
test_every_command(void **state)
{
	static const struct t_cmd_case cases[] = {
		/* ack */
		{ &t_op, "ack", "{\"alert\":\"A-1\"}", NULL, NULL },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":1}", NULL,
		    NULL },
		{ &t_op, "ack", "{}", "bad_args", "ack" },
		{ &t_op, "ack", "{\"alert\":\"A 1\"}", "bad_args", "valid id" },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"x\":1}", "bad_args",
		    NULL },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":0}",
		    "bad_args", "version" },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":-1}",
		    "bad_args", "version" },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":null}",
		    "bad_args", "version" },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":"
		    "4294967296}", "bad_args", "version" },
		{ &t_op, "divert", "{\"hospital\":\"H-1\",\"on\":true,"
		    "\"version\":-1}", "bad_args", "version" },
		{ &t_op, "close_case", "{\"case\":\"F-3\",\"version\":-1}",
		    "bad_args", "version" },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"out_of_service\",\"version\":-1}", "bad_args",
		    "version" },
		{ &t_op, "ack", "{\"alert\":\"A-99\"}", "not_found",
		    "no alert A-99" },
		{ &t_observer, "ack", "{\"alert\":\"A-1\"}", "forbidden",
		    "cannot change anything" },
		{ &t_stranger, "ack", "{\"alert\":\"A-1\"}", "forbidden",
		    "cannot change anything" },
		{ &t_op_hl, "ack", "{\"alert\":\"A-3\"}", "forbidden",
		    "A-3 is in Cẩm Phả (CP): you act only in HL" },
		{ &t_op, "ack", "{\"alert\":\"A-1\",\"version\":7}",
		    "stale_version", "you saw version 7, it is now version 1" },
		{ &t_op, "ack", "{\"alert\":\"A-2\"}", "bad_state",
		    "acknowledged" },
		/* dispatch */
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-HL\",\"U-HL2\"]}", NULL, NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-4\",\"units\":"
		    "[\"U-HL\"]}", NULL, NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":\"U-HL\"}",
		    "bad_args", "array" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":[]}",
		    "bad_args", "1 to 8" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-HL\",\"U-HL\"]}", "bad_args", "twice" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":[7]}",
		    "bad_args", "units[0]" },
		{ &t_op, "dispatch", "{\"alert\":\"A-99\",\"units\":"
		    "[\"U-HL\"]}", "not_found", "no alert A-99" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-99\"]}", "not_found", "no unit U-99" },
		{ &t_op_hl, "dispatch", "{\"alert\":\"A-3\",\"units\":"
		    "[\"U-HL\"]}", "forbidden", "A-3 is in Cẩm Phả" },
		{ &t_op_hl, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-CP\"]}", "forbidden", "U-CP is in Cẩm Phả" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-HL\"],\"version\":2}", "stale_version", NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-6\",\"units\":"
		    "[\"U-HL\"]}", "bad_state", "A-6 is closed" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-OOS\"]}", "unit_unavailable",
		    "unit U-OOS is out_of_service" },
		{ &t_op, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-HL\",\"U-BUSY\"]}", "unit_unavailable",
		    "U-BUSY is dispatched on A-4" },
		/* unit_status */
		{ &t_op, "unit_status", "{\"unit\":\"U-BUSY\",\"status\":"
		    "\"en_route\"}", NULL, NULL },
		{ &t_op, "unit_status", "{\"unit\":\"U-BUSY\",\"status\":"
		    "\"on_scene\"}", NULL, NULL },
		{ &t_op, "unit_status", "{\"unit\":\"U-OOS\",\"status\":"
		    "\"available\"}", NULL, NULL },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"dispatched\"}", "bad_args", "status" },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"gone\"}", "bad_args", "status" },
		{ &t_op, "unit_status", "{\"unit\":\"U-99\",\"status\":"
		    "\"available\"}", "not_found", "no unit U-99" },
		{ &t_op_hl, "unit_status", "{\"unit\":\"U-CP\",\"status\":"
		    "\"out_of_service\"}", "forbidden", "U-CP is in" },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"out_of_service\",\"version\":4}", "stale_version",
		    "U-HL changed" },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"available\"}", "bad_state", "already available" },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"en_route\"}", "bad_state", "dispatch it first" },
		/* note */
		{ &t_op, "note", "{\"alert\":\"A-6\",\"text\":\"x\"}", NULL,
		    NULL },
		{ &t_op, "note", "{\"alert\":\"A-1\"}", "bad_args", "note" },
		{ &t_op, "note", "{\"alert\":\"A-1\",\"text\":\"\"}",
		    "bad_args", "empty" },
		{ &t_op, "note", "{\"alert\":\"A-99\",\"text\":\"x\"}",
		    "not_found", NULL },
		{ &t_observer, "note", "{\"alert\":\"A-1\",\"text\":\"x\"}",
		    "forbidden", NULL },
		{ &t_op, "note", "{\"alert\":\"A-1\",\"text\":\"x\","
		    "\"version\":3}", "stale_version", NULL },
		/* escalate */
		{ &t_op, "escalate", "{\"alert\":\"A-1\"}", NULL, NULL },
		{ &t_op, "escalate", "{\"alert\":\"A-1\",\"level\":2}",
		    "bad_args", NULL },
		{ &t_op_hl, "escalate", "{\"alert\":\"A-3\"}", "forbidden",
		    NULL },
		{ &t_op, "escalate", "{\"alert\":\"A-7\"}", "bad_state",
		    "highest escalation level" },
		{ &t_op, "escalate", "{\"alert\":\"A-6\"}", "bad_state",
		    "reopen it first" },
		/* mute */
		{ &t_op, "mute", "{\"alert\":\"A-1\",\"minutes\":5}", NULL,
		    NULL },
		{ &t_op, "mute", "{\"alert\":\"A-1\",\"minutes\":0}",
		    "bad_args", "1 to 240" },
		{ &t_op, "mute", "{\"alert\":\"A-1\",\"minutes\":241}",
		    "bad_args", "1 to 240" },
		{ &t_op, "mute", "{\"alert\":\"A-5\",\"minutes\":5}",
		    "bad_state", "reopen it first" },
		/* resolve */
		{ &t_op, "resolve", "{\"alert\":\"A-4\",\"text\":\"xong\"}",
		    NULL, NULL },
		{ &t_op, "resolve", "{\"alert\":\"A-1\",\"text\":\"\"}",
		    "bad_args", NULL },
		{ &t_op, "resolve", "{\"alert\":\"A-5\"}", "bad_state",
		    "already resolved" },
		/* close */
		{ &t_op, "close", "{\"alert\":\"A-5\",\"disposition\":"
		    "\"resolved\"}", NULL, NULL },
		{ &t_op, "close", "{\"alert\":\"A-1\",\"disposition\":"
		    "\"duplicate\",\"reason\":\"A-2\"}", NULL, NULL },
		{ &t_op, "close", "{\"alert\":\"A-1\",\"disposition\":"
		    "\"none\"}", "bad_args", "disposition" },
		{ &t_op, "close", "{\"alert\":\"A-1\",\"disposition\":"
		    "\"false_alarm\"}", "bad_args",
		    "give a reason to close it as false_alarm" },
		{ &t_op, "close", "{\"alert\":\"A-6\",\"disposition\":"
		    "\"resolved\"}", "bad_state", "already closed" },
		/* reopen */
		{ &t_op, "reopen", "{\"alert\":\"A-6\",\"reason\":\"x\"}",
		    NULL, NULL },
		{ &t_op, "reopen", "{\"alert\":\"A-6\"}", "bad_args",
		    "reason" },
		{ &t_op, "reopen", "{\"alert\":\"A-1\",\"reason\":\"x\"}",
		    "bad_state", "still open" },
		/* assign */
		{ &t_op, "assign", "{\"case\":\"F-1\",\"dept\":\"SYT\"}",
		    NULL, NULL },
		{ &t_op, "assign", "{\"case\":\"F-1\",\"dept\":\"S Y T\"}",
		    "bad_args", "dept" },
		{ &t_op, "assign", "{\"case\":\"F-99\",\"dept\":\"SYT\"}",
		    "not_found", "no feedback case F-99" },
		{ &t_op, "assign", "{\"case\":\"F-1\",\"dept\":\"NOPE\"}",
		    "not_found", "no department NOPE" },
		{ &t_op_hl, "assign", "{\"case\":\"F-4\",\"dept\":\"SYT\"}",
		    "forbidden", "F-4 is in Cẩm Phả" },
		{ &t_op, "assign", "{\"case\":\"F-1\",\"dept\":\"SYT\","
		    "\"version\":2}", "stale_version", NULL },
		{ &t_op, "assign", "{\"case\":\"F-2\",\"dept\":\"SYT\"}",
		    "bad_state", "already assigned to SYT" },
		{ &t_op, "assign", "{\"case\":\"F-3\",\"dept\":\"SYT\"}",
		    "bad_state", NULL },
		/* reply */
		{ &t_op, "reply", "{\"case\":\"F-2\",\"text\":\"Đã xử lý\"}",
		    NULL, NULL },
		{ &t_op, "reply", "{\"case\":\"F-2\",\"text\":5}", "bad_args",
		    NULL },
		{ &t_op, "reply", "{\"case\":\"F-1\",\"text\":\"x\"}",
		    "bad_state", "assign it to a department first" },
		/* return */
		{ &t_op, "return", "{\"case\":\"F-1\",\"reason\":\"x\"}",
		    NULL, NULL },
		{ &t_op, "return", "{\"case\":\"F-1\"}", "bad_args",
		    "reason" },
		{ &t_op, "return", "{\"case\":\"F-3\",\"reason\":\"x\"}",
		    "bad_state", NULL },
		/* transfer (F-2 is with SYT: a case of before hand-offs) */
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"STNMT\","
		    "\"reason\":\"x\"}", NULL, NULL },
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"STNMT\"}",
		    "bad_args", "transfer: give a reason" },
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"S T\","
		    "\"reason\":\"x\"}", "bad_args",
		    "\"to\" is not a valid department code" },
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"NOPE\","
		    "\"reason\":\"x\"}", "not_found", "no department NOPE" },
		{ &t_op_hl, "transfer", "{\"case\":\"F-4\",\"to\":\"SYT\","
		    "\"reason\":\"x\"}", "forbidden", "F-4 is in Cẩm Phả" },
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"STNMT\","
		    "\"reason\":\"x\",\"version\":3}", "stale_version", NULL },
		{ &t_op, "transfer", "{\"case\":\"F-1\",\"to\":\"SYT\","
		    "\"reason\":\"x\"}", "bad_state",
		    "cannot transfer F-1: it is new" },
		{ &t_op, "transfer", "{\"case\":\"F-2\",\"to\":\"SYT\","
		    "\"reason\":\"x\"}", "bad_state",
		    "F-2 is already with SYT" },
		{ &t_op, "transfer", "{\"case\":\"F-3\",\"to\":\"STNMT\","
		    "\"reason\":\"x\"}", "bad_state", "it is answered" },
		/* close_case */
		{ &t_op, "close_case", "{\"case\":\"F-3\"}", NULL, NULL },
		{ &t_op, "close_case", "{\"case\":\"F-3\",\"version\":7}",
		    "stale_version", NULL },
		{ &t_op, "close_case", "{\"case\":\"F-1\"}", "bad_state",
		    "only an answered or returned case" },
		{ &t_op, "close_case", "{\"case\":\"F-5\"}", "bad_state",
		    "F-5 is closed" },
		/* divert */
		{ &t_op, "divert", "{\"hospital\":\"H-1\",\"on\":true}", NULL,
		    NULL },
		{ &t_op, "divert", "{\"hospital\":\"H-1\",\"on\":\"yes\"}",
		    "bad_args", NULL },
		{ &t_op, "divert", "{\"hospital\":\"H-99\",\"on\":true}",
		    "not_found", "no hospital H-99" },
		{ &t_op_hl, "divert", "{\"hospital\":\"H-2\",\"on\":false}",
		    "forbidden", "H-2 is in Cẩm Phả" },
		{ &t_op, "divert", "{\"hospital\":\"H-1\",\"on\":true,"
		    "\"version\":9}", "stale_version", NULL },
		{ &t_op, "divert", "{\"hospital\":\"H-2\",\"on\":true}",
		    "bad_state", "already on diversion" },
		/* A trainer outside a drill: nothing live. */
		{ &t_trainer, "divert", "{\"hospital\":\"H-2\",\"on\":false}",
		    "forbidden", "H-2 is live, not an exercise" },
		/* inject */
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"CT\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    NULL, NULL },
		{ &t_super, "inject", "{\"kind\":\"feedback\",\"item\":"
		    "{\"channel\":\"zalo\",\"area\":\"HL\",\"category\":"
		    "\"water\",\"text\":\"Mất nước\"}}", NULL, NULL },
		{ &t_trainer, "inject", "{\"kind\":\"unit\",\"item\":{}}",
		    "bad_args", "alert or feedback" },
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"lava\",\"severity\":4,\"area\":\"CT\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    "bad_args", "unknown kind" },
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"ZZ\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    "not_found", "no area ZZ" },
		{ &t_op, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"CT\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    "forbidden", "only a trainer or a supervisor" },
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"C T\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    "bad_args", "not a valid area code" },
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":5,\"area\":\"CT\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\"}}",
		    "bad_args", "1 to 4" },
		{ &t_trainer, "inject", "{\"kind\":\"alert\",\"item\":"
		    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"CT\","
		    "\"place\":\"x\",\"source\":\"manual\",\"title\":\"y\","
		    "\"deadline_min\":99999}}", "bad_args", "0 to 10080" },
		{ &t_super, "inject", "{\"kind\":\"feedback\",\"item\":"
		    "{\"channel\":\"zalo\",\"area\":\"HL\",\"category\":"
		    "\"wa ter\",\"text\":\"Mất nước\"}}", "bad_args",
		    "\"category\" is not a valid code" },
		{ &t_super, "inject", "{\"kind\":\"feedback\",\"item\":5}",
		    "bad_args", "\"item\" must be an object" },
		/* More states. */
		{ &t_op, "divert", "{\"hospital\":\"H-1\",\"on\":false}",
		    "bad_state", "already off diversion" },
		{ &t_op, "unit_status", "{\"unit\":\"U-OOS\",\"status\":"
		    "\"en_route\"}", "bad_state", "make it available first" },
		{ &t_op, "unit_status", "{\"unit\":\"U-FULL0\",\"status\":"
		    "\"en_route\"}", "bad_state",
		    "U-FULL0 is on_scene: it cannot go en_route" },
		/* Not a command. */
		{ &t_op, "explode", "{}", "unknown_command", "explode" },
	};
	struct t_cmd_case	 c;
	char			*args, *text;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		t_check(&cases[i]);

	/* A text one byte over the limit. */
	text = xmalloc(PROTO_MAX_TEXT + 2);
	memset(text, 'x', PROTO_MAX_TEXT + 1);
	text[PROTO_MAX_TEXT + 1] = '\0';
	xasprintf(&args, "{\"alert\":\"A-1\",\"text\":\"%s\"}", text);
	c.op = &t_op;
	c.cmd = "note";
	c.args = args;
	c.code = "bad_args";
	c.want = "note: the text is too long (4097 bytes, at most 4096)";
	t_check(&c);
	free(args);
	free(text);
}

/*
 * Test functions:
 *   engine_run (the order of checks, for every command: with faults of
 *   several kinds at once, the code is the first of bad_args, not_found,
 *   forbidden, stale_version, bad_state, unit_unavailable)
 */
static void
test_order(void **state)
{
#define T_ALERT(args)	"{\"kind\":\"alert\",\"item\":{\"kind\":\"flood\"," \
	"\"severity\":2,\"place\":\"x\",\"source\":\"manual\"," \
	"\"title\":\"y\"," args "}}"
	static const struct t_cmd_case cases[] = {
		/* ack */
		{ &t_observer, "ack", "{\"alert\":\"A 1\"}", "bad_args",
		    NULL },
		{ &t_observer, "ack", "{\"alert\":\"A-99\"}", "not_found",
		    NULL },
		{ &t_stranger, "ack", "{\"alert\":\"A-99\"}", "not_found",
		    NULL },
		{ &t_op_hl, "ack", "{\"alert\":\"A-3\",\"version\":7}",
		    "forbidden", NULL },
		{ &t_op, "ack", "{\"alert\":\"A-2\",\"version\":7}",
		    "stale_version", NULL },
		/* dispatch */
		{ &t_observer, "dispatch", "{\"alert\":\"A-99\","
		    "\"units\":[]}", "bad_args", NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-6\",\"units\":"
		    "[\"U-99\"]}", "not_found", "no unit U-99" },
		{ &t_observer, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-99\"]}", "not_found", NULL },
		{ &t_op_hl, "dispatch", "{\"alert\":\"A-3\",\"units\":"
		    "[\"U-OOS\"],\"version\":7}", "forbidden", NULL },
		{ &t_op_hl, "dispatch", "{\"alert\":\"A-1\",\"units\":"
		    "[\"U-CP\"],\"version\":7}", "forbidden", NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-6\",\"units\":"
		    "[\"U-OOS\"],\"version\":7}", "stale_version", NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-6\",\"units\":"
		    "[\"U-OOS\"]}", "bad_state", NULL },
		{ &t_op, "dispatch", "{\"alert\":\"A-8\",\"units\":"
		    "[\"U-OOS\"]}", "bad_state", "A-8 already has 8 units" },
		/* unit_status */
		{ &t_observer, "unit_status", "{\"unit\":\"U 1\","
		    "\"status\":\"available\"}", "bad_args", NULL },
		{ &t_observer, "unit_status", "{\"unit\":\"U-99\","
		    "\"status\":\"available\"}", "not_found", NULL },
		{ &t_op_hl, "unit_status", "{\"unit\":\"U-CP\",\"status\":"
		    "\"available\",\"version\":7}", "forbidden", NULL },
		{ &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
		    "\"available\",\"version\":7}", "stale_version", NULL },
		/* note */
		{ &t_observer, "note", "{\"alert\":\"A-1\"}", "bad_args",
		    NULL },
		{ &t_observer, "note", "{\"alert\":\"A-99\",\"text\":\"x\"}",
		    "not_found", NULL },
		{ &t_op_hl, "note", "{\"alert\":\"A-3\",\"text\":\"x\","
		    "\"version\":7}", "forbidden", NULL },
		/* escalate */
		{ &t_op_hl, "escalate", "{\"alert\":\"A-3\",\"version\":7}",
		    "forbidden", NULL },
		{ &t_op, "escalate", "{\"alert\":\"A-7\",\"version\":7}",
		    "stale_version", NULL },
		/* mute */
		{ &t_observer, "mute", "{\"alert\":\"A-99\",\"minutes\":0}",
		    "bad_args", NULL },
		{ &t_op, "mute", "{\"alert\":\"A-5\",\"minutes\":5,"
		    "\"version\":9}", "stale_version", NULL },
		/* resolve */
		{ &t_observer, "resolve", "{\"alert\":\"A-5\"}", "forbidden",
		    NULL },
		{ &t_op, "resolve", "{\"alert\":\"A-5\",\"version\":3}",
		    "stale_version", NULL },
		/* close */
		{ &t_observer, "close", "{\"alert\":\"A-99\","
		    "\"disposition\":\"none\"}", "bad_args", NULL },
		{ &t_observer, "close", "{\"alert\":\"A-6\","
		    "\"disposition\":\"resolved\"}", "forbidden", NULL },
		/* reopen */
		{ &t_observer, "reopen", "{\"alert\":\"A-1\",\"reason\":"
		    "\"x\"}", "forbidden", NULL },
		{ &t_op, "reopen", "{\"alert\":\"A-1\",\"reason\":\"x\","
		    "\"version\":5}", "stale_version", NULL },
		/* assign */
		{ &t_observer, "assign", "{\"case\":\"F-99\",\"dept\":"
		    "\"NOPE\"}", "not_found", "F-99" },
		{ &t_op, "assign", "{\"case\":\"F-1\",\"dept\":\"NOPE\","
		    "\"version\":9}", "not_found", "no department NOPE" },
		{ &t_op_hl, "assign", "{\"case\":\"F-4\",\"dept\":"
		    "\"NOPE\"}", "not_found", "no department NOPE" },
		{ &t_op, "assign", "{\"case\":\"F-3\",\"dept\":\"SYT\","
		    "\"version\":9}", "stale_version", NULL },
		/* reply */
		{ &t_observer, "reply", "{\"case\":\"F-1\",\"text\":\"\"}",
		    "bad_args", NULL },
		{ &t_op, "reply", "{\"case\":\"F-1\",\"text\":\"x\","
		    "\"version\":9}", "stale_version", NULL },
		/* return */
		{ &t_observer, "return", "{\"case\":\"F-3\",\"reason\":"
		    "\"x\"}", "forbidden", NULL },
		/* close_case */
		{ &t_observer, "close_case", "{\"case\":\"F-1\"}",
		    "forbidden", NULL },
		{ &t_op, "close_case", "{\"case\":\"F-1\",\"version\":9}",
		    "stale_version", NULL },
		/* divert */
		{ &t_observer, "divert", "{\"hospital\":\"H-99\",\"on\":"
		    "\"yes\"}", "bad_args", NULL },
		{ &t_observer, "divert", "{\"hospital\":\"H-99\",\"on\":"
		    "true}", "not_found", NULL },
		{ &t_op, "divert", "{\"hospital\":\"H-2\",\"on\":true,"
		    "\"version\":9}", "stale_version", NULL },
		/* inject */
		{ &t_op, "inject", "{\"kind\":\"alert\",\"item\":{}}",
		    "bad_args", NULL },
		{ &t_op, "inject", T_ALERT("\"area\":\"ZZ\""), "not_found",
		    "no area ZZ" },
		{ &t_observer, "inject", T_ALERT("\"area\":\"HL\""),
		    "forbidden", NULL },
		/* Not a command, whoever asks. */
		{ &t_observer, "explode", "{\"x\":1}", "unknown_command",
		    NULL },
	};
#undef T_ALERT
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		t_check(&cases[i]);
}

/* The changes a sink saw, as one string. */
static const char *
t_logged(struct t_fix *f)
{
	static char	 text[T_LOG * 97];
	size_t		 i, len = 0;

	text[0] = '\0';
	for (i = 0; i < f->sink.n; i++)
		len += snprintf(text + len, sizeof text - len, "%s\n",
		    f->sink.log[i]);
	return (text);
}

/*
 * Test functions:
 *   engine_run (what the changes are: kinds, versions, who and what, the
 *   time, the history, units released)
 */
static void
test_changes(void **state)
{
	struct t_fix		*f;
	struct engine_outcome	 out;
	const struct alert	*a;
	const struct history_entry *e;
	struct history_entry	 ebuf;

	(void)state;
	f = t_fixture();
	assert_int_equal(t_run(f, &t_op, "ack", "{\"alert\":\"A-1\"}", 0,
	    &out), 0);
	assert_string_equal(t_logged(f), "alert A-1 v2 op1 ack\n");
	assert_int_equal(f->sink.ts[0], T_NOW);
	assert_int_equal(out.seq, 101);
	a = store_alert(f->store, "A-1");
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_string_equal(a->acked_by, "op1");
	assert_int_equal(a->updated, T_NOW);
	e = history_at(&a->hist, a->hist.n - 1, &ebuf);
	assert_string_equal(e->what, "ack");
	assert_string_equal(e->by, "op1");
	assert_int_equal(e->ts, T_NOW);

	/* Dispatch: the alert, then each unit; a new alert is acked. */
	f->sink.n = 0;
	f->sink.now = T_NOW + 1000;
	assert_int_equal(t_run(f, &t_super, "dispatch", "{\"alert\":\"A-3\","
	    "\"units\":[\"U-CP\",\"U-HL\"]}", 0, &out), 0);
	assert_string_equal(t_logged(f), "alert A-3 v2 boss dispatch\n"
	    "unit U-CP v2 boss dispatch\nunit U-HL v2 boss dispatch\n");
	assert_int_equal(out.changes, 3);
	assert_int_equal(out.seq, 104);
	a = store_alert(f->store, "A-3");
	assert_int_equal(a->state, ALERT_DISPATCHED);
	assert_string_equal(a->acked_by, "boss");
	assert_string_equal(history_text(&a->hist, a->hist.n - 1),
	    "U-CP, U-HL");
	assert_string_equal(store_unit(f->store, "U-HL")->alert, "A-3");
	assert_int_equal(store_unit(f->store, "U-HL")->status,
	    UNIT_DISPATCHED);

	/* Resolve: the units still on the job come back. */
	f->sink.n = 0;
	assert_int_equal(t_run(f, &t_op, "resolve", "{\"alert\":\"A-3\"}", 0,
	    &out), 0);
	assert_string_equal(t_logged(f), "alert A-3 v3 op1 resolve\n"
	    "unit U-CP v3 op1 resolve\nunit U-HL v3 op1 resolve\n");
	assert_int_equal(store_unit(f->store, "U-HL")->status,
	    UNIT_RETURNING);

	/* On scene moves the alert; available releases the last unit. */
	f->sink.n = 0;
	assert_int_equal(t_run(f, &t_op, "unit_status", "{\"unit\":"
	    "\"U-BUSY\",\"status\":\"on_scene\"}", 0, &out), 0);
	assert_string_equal(t_logged(f), "unit U-BUSY v2 op1 unit_status\n"
	    "alert A-4 v2 op1 unit_status\n");
	assert_int_equal(store_alert(f->store, "A-4")->state, ALERT_ON_SCENE);
	f->sink.n = 0;
	assert_int_equal(t_run(f, &t_op, "unit_status", "{\"unit\":"
	    "\"U-BUSY\",\"status\":\"available\"}", 0, &out), 0);
	assert_int_equal(f->sink.n, 2);
	a = store_alert(f->store, "A-4");
	assert_int_equal(a->nunits, 0);
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_string_equal(store_unit(f->store, "U-BUSY")->alert, "");
	engine_outcome_clear(&out);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (inject: the engine's numbering, the sink's, after a
 *   restore), engine_new_id, engine_restored, engine_last_number,
 *   engine_set_exercise, engine_exercise
 */
static void
test_new_ids(void **state)
{
	struct t_fix		*f;
	struct engine_sink	 sink = { .emit = t_emit, .now = t_now,
				    .new_id = t_new_id };
	struct engine		*e2;
	struct engine_outcome	 out;
	json_t			*args;
	const struct alert	*a;
	char			 id[MODEL_ID_MAX];
	static const char	 inject[] = "{\"kind\":\"alert\",\"item\":"
	    "{\"kind\":\"flood\",\"severity\":4,\"area\":\"CT\",\"place\":"
	    "\"x\",\"source\":\"manual\",\"title\":\"y\"}}";

	(void)state;
	f = t_fixture();
	assert_int_equal(engine_last_number(f->e, kind_get(KIND_ALERT)), 0);
	assert_int_equal(t_run(f, &t_trainer, "inject", inject, 0, &out), 0);
	assert_string_equal(out.item, "A-0001");
	a = store_alert(f->store, "A-0001");
	assert_non_null(a);
	assert_int_equal(a->version, 1);
	assert_int_equal(a->created, T_NOW);
	assert_true(a->exercise);	/* A trainer's: always. */
	assert_string_equal(history_what(&a->hist, 0), "created");
	assert_string_equal(history_by(&a->hist, 0), "tr");
	assert_int_equal(engine_last_number(f->e, kind_get(KIND_ALERT)), 1);
	/* An id the store holds is skipped. */
	t_alert(f->store, "A-0002", "HL", ALERT_NEW);
	engine_set_exercise(f->e, 1);
	assert_true(engine_exercise(f->e));
	assert_int_equal(t_run(f, &t_trainer, "inject", inject, 0, &out), 0);
	assert_string_equal(out.item, "A-0003");
	assert_true(store_alert(f->store, "A-0003")->exercise);

	/* After a restore, numbers go on from the highest held. */
	t_alert(f->store, "A-0042", "HL", ALERT_NEW);
	t_case(f->store, "PA-0007", "HL", FB_NEW, "");
	engine_restored(f->e);
	engine_new_id(f->e, kind_get(KIND_ALERT), id);
	assert_string_equal(id, "A-0043");
	engine_new_id(f->e, kind_get(KIND_FEEDBACK), id);
	assert_string_equal(id, "PA-0008");

	/* A sandbox numbers its own. */
	sink.arg = &f->sink;
	e2 = engine_new(f->store, &sink);
	args = json_loads(inject, 0, NULL);
	assert_int_equal(engine_run(e2, &t_trainer, "inject", args, 0, &out),
	    0);
	json_decref(args);
	assert_string_equal(out.item, "Ta-1");
	assert_non_null(store_alert(f->store, "Ta-1"));
	engine_free(e2);
	engine_free(NULL);
	engine_outcome_clear(&out);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_emit (stamps the version and the alert's times; the sink's
 *   clock; NULL by and cmd for a change nobody commanded)
 */
static void
test_emit(void **state)
{
	struct t_fix	*f;
	struct hospital	 h;
	struct alert	 a;
	uint64_t	 seq = 0;

	(void)state;
	f = t_fixture();
	hospital_copy(&h, store_hospital(f->store, "H-1"));
	h.beds_used = 50;
	assert_int_equal(engine_emit(f->e, kind_get(KIND_HOSPITAL), &h, NULL,
	    NULL, &seq), 0);
	assert_int_equal(h.version, 2);		/* Stamped in place. */
	assert_int_equal(seq, 101);
	assert_string_equal(t_logged(f), "hospital H-1 v2 - -\n");
	assert_int_equal(store_hospital(f->store, "H-1")->beds_used, 50);
	hospital_clear(&h);

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "B-1");
	a.severity = 2;
	snprintf(a.area, sizeof a.area, "HL");
	a.place = xstrdup("p");
	a.title = xstrdup("t");
	f->sink.now = T_NOW + 5;
	assert_int_equal(engine_emit(f->e, kind_get(KIND_ALERT), &a, "sim",
	    NULL, NULL), 0);
	assert_int_equal(a.version, 1);
	assert_int_equal(a.created, T_NOW + 5);
	assert_int_equal(a.updated, T_NOW + 5);
	assert_int_equal(engine_now(f->e), T_NOW + 5);
	alert_clear(&a);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (a sink that refuses a change: internal; the dry run does
 *   not see it), engine_cmd_exists
 */
static void
test_sink_refuses(void **state)
{
	struct t_fix		*f;
	struct engine_outcome	 out;

	(void)state;
	f = t_fixture();
	f->sink.fail_at = 1;
	assert_int_equal(t_run(f, &t_op, "ack", "{\"alert\":\"A-1\"}",
	    ENGINE_DRY, &out), 0);
	assert_int_equal(t_run(f, &t_op, "ack", "{\"alert\":\"A-1\"}", 0,
	    &out), -1);
	assert_int_equal(out.err, PROTO_E_INTERNAL);
	assert_non_null(strstr(out.msg, "A-1"));
	assert_int_equal(out.changes, 0);
	t_check_reason(&out, "a sink that refuses");
	assert_int_equal(out.reason, ENGINE_R_APPLY_FAILED);
	engine_outcome_clear(&out);
	assert_null(out.msg);
	engine_outcome_clear(&out);

	/* Args that are not an object. */
	assert_int_equal(engine_run(f->e, &t_op, "ack", NULL, 0, &out), -1);
	assert_int_equal(out.err, PROTO_E_BAD_ARGS);
	t_check_reason(&out, "args NULL");
	assert_int_equal(out.reason, ENGINE_R_ARGS_NOT_OBJECT);
	assert_null(out.args != NULL ? json_object_get(out.args, "x") : NULL);
	engine_outcome_clear(&out);
	assert_null(out.args);

	assert_true(engine_cmd_exists("close_case"));
	assert_false(engine_cmd_exists("explode"));
	assert_false(engine_cmd_exists(NULL));
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (close with a reason of up to PROTO_MAX_TEXT bytes is
 *   accepted: its history text "disposition: reason" is cut on a
 *   character boundary to the limit, and ends with "…")
 */
static void
test_long_reason(void **state)
{
	struct t_fix			*f;
	struct engine_outcome		 out;
	const struct history_entry	*e;
	struct history_entry		 ebuf;
	const struct alert		*a;
	json_t				*args;
	char				*reason;
	size_t				 len, i;

	(void)state;
	/* 1365 times "ố" (3 bytes) and an "x": 4,096 bytes. */
	reason = xmalloc(PROTO_MAX_TEXT + 1);
	for (i = 0; i + 3 < PROTO_MAX_TEXT; i += 3)
		memcpy(reason + i, "\xe1\xbb\x91", 3);
	reason[i++] = 'x';
	reason[i] = '\0';
	assert_int_equal(strlen(reason), PROTO_MAX_TEXT);
	f = t_fixture();
	args = json_pack("{s:s s:s s:s}", "alert", "A-1", "disposition",
	    "false_alarm", "reason", reason);
	assert_int_equal(engine_run(f->e, &t_op, "close", args, ENGINE_DRY,
	    &out), 0);
	if (engine_run(f->e, &t_op, "close", args, 0, &out) != 0)
		fail_msg("close: %s: %s", proto_err_names[out.err], out.msg);
	a = store_alert(f->store, "A-1");
	assert_int_equal(a->state, ALERT_CLOSED);
	assert_int_equal(a->disposition, DISPOSITION_FALSE_ALARM);
	e = history_at(&a->hist, a->hist.n - 1, &ebuf);
	len = strlen(e->text);
	assert_true(len <= PROTO_MAX_TEXT);
	assert_true(len > PROTO_MAX_TEXT - 8);
	assert_true(utf8_valid(e->text, len));
	assert_memory_equal(e->text, "false_alarm: \xe1\xbb\x91", 16);
	assert_string_equal(e->text + len - 3, "\xe2\x80\xa6");
	/* A reason that fits is kept whole. */
	json_object_set_new(args, "alert", json_string("A-2"));
	json_object_set_new(args, "reason", json_string("trùng A-1"));
	assert_int_equal(engine_run(f->e, &t_op, "close", args, 0, &out), 0);
	a = store_alert(f->store, "A-2");
	assert_string_equal(history_text(&a->hist, a->hist.n - 1),
	    "false_alarm: trùng A-1");
	json_decref(args);
	free(reason);
	engine_outcome_clear(&out);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_feedback_due (two working days in working hours)
 */
static void
test_feedback_due(void **state)
{
	(void)state;
	/* Tuesday 08:00: 15 working hours later is Thursday 08:00. */
	assert_int_equal(engine_feedback_due(T_NOW, 420),
	    T_NOW + 48 * 3600000LL);
	/* Before 1970 in local time: the received time itself. */
	assert_int_equal(engine_feedback_due(0, -420), 0);
}

/* Inject an alert of kind and severity (and extra members) as boss. */
static const struct alert *
t_inject_alert(struct t_fix *f, const char *kind, int severity,
    const char *extra)
{
	struct engine_outcome	 out;
	char			*args;

	xasprintf(&args, "{\"kind\":\"alert\",\"item\":{\"kind\":\"%s\","
	    "\"severity\":%d,\"area\":\"HL\",\"place\":\"x\",\"source\":"
	    "\"manual\",\"title\":\"y\"%s}}", kind, severity, extra);
	if (t_run(f, &t_super, "inject", args, 0, &out) != 0)
		fail_msg("inject: %s", out.msg);
	free(args);
	return (store_alert(f->store, out.item));
}

/* Run a command that must be accepted. */
static void
t_ok(struct t_fix *f, const struct operator *op, const char *cmd,
    const char *args)
{
	struct engine_outcome	out;

	if (t_run(f, op, cmd, args, 0, &out) != 0)
		fail_msg("%s %s: %s", cmd, args, out.msg);
	engine_outcome_clear(&out);
}

/*
 * Test functions:
 *   engine_set_workcal, engine_workcal, engine_alert_clocks (an alert's
 *   stage deadlines from the response bands per severity, round the
 *   clock; a drill's deadline_min; ict alerts; without a calendar)
 */
static void
test_alert_bands(void **state)
{
	static const struct {
		int	 severity;
		int	 ack, dispatch, on_scene;	/* Minutes. */
	} bands[] = {
		{ 4, 2, 5, 20 }, { 3, 5, 10, 30 }, { 2, 15, 30, 60 },
		{ 1, 30, 120, 240 },
	};
	struct t_fix		*f;
	const struct alert	*a;
	size_t			 i;
	int64_t			 t;

	(void)state;
	f = t_fixture_wc();
	/* 23:50 on Ngày Văn hóa Việt Nam: alerts keep no office hours. */
	t = f->sink.now = t_at("2026-11-24 23:50");
	for (i = 0; i < sizeof bands / sizeof bands[0]; i++) {
		a = t_inject_alert(f, "fire", bands[i].severity, "");
		assert_int_equal(a->created, t);
		assert_int_equal(a->due_ack, t + bands[i].ack * 60000LL);
		assert_int_equal(a->due_dispatch, t + bands[i].dispatch *
		    60000LL);
		assert_int_equal(a->due_on_scene, t + bands[i].on_scene *
		    60000LL);
		assert_int_equal(a->deadline, a->due_ack);
		assert_int_equal(a->acked_at + a->dispatched_at +
		    a->on_scene_at, 0);
		assert_null(a->handler);
	}
	/* A drill's deadline_min is the first response; later never sooner. */
	a = t_inject_alert(f, "fire", 4, ",\"deadline_min\":10");
	assert_int_equal(a->due_ack, t + 10 * 60000LL);
	assert_int_equal(a->deadline, a->due_ack);
	assert_int_equal(a->due_dispatch, t + 10 * 60000LL);
	assert_int_equal(a->due_on_scene, t + 20 * 60000LL);
	a = t_inject_alert(f, "fire", 4, ",\"deadline_min\":1");
	assert_int_equal(a->due_ack, t + 60000LL);
	assert_int_equal(a->due_dispatch, t + 5 * 60000LL);
	/* An ict alert sends no units: only the acknowledgement. */
	a = t_inject_alert(f, "ict", 3, "");
	assert_int_equal(a->due_ack, t + 5 * 60000LL);
	assert_int_equal(a->due_dispatch, 0);
	assert_int_equal(a->due_on_scene, 0);
	t_fixture_free(f);

	/* Without a calendar, only deadline_min. */
	f = t_fixture();
	assert_null(engine_workcal(f->e));
	a = t_inject_alert(f, "fire", 4, "");
	assert_int_equal(a->due_ack + a->due_dispatch + a->due_on_scene +
	    a->deadline, 0);
	a = t_inject_alert(f, "fire", 4, ",\"deadline_min\":10");
	assert_int_equal(a->deadline, T_NOW + 10 * 60000LL);
	assert_int_equal(a->due_ack, a->deadline);
	assert_int_equal(a->due_dispatch + a->due_on_scene, 0);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (each stage's clock stops when the alert first reaches
 *   it, and only then; the handler is who acknowledged it or last
 *   dispatched to it; a recall keeps the stamps; reopen starts a new
 *   cycle)
 */
static void
test_alert_stages(void **state)
{
	struct t_fix		*f;
	const struct alert	*a;
	char			 id[MODEL_ID_MAX], args[128];
	int64_t			 t;

	(void)state;
	f = t_fixture_wc();
	t = f->sink.now;
	a = t_inject_alert(f, "fire", 3, "");
	snprintf(id, sizeof id, "%s", a->id);
	f->sink.now = t + 60000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\"}", id);
	t_ok(f, &t_op, "ack", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->acked_at, t + 60000);
	assert_string_equal(a->handler, "op1");
	assert_int_equal(a->dispatched_at, 0);
	/* A note or an escalation changes no clock, nor the handler. */
	f->sink.now = t + 90000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\",\"text\":\"x\"}",
	    id);
	t_ok(f, &t_super, "note", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->acked_at, t + 60000);
	assert_string_equal(a->handler, "op1");

	f->sink.now = t + 180000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\",\"units\":"
	    "[\"U-HL\"]}", id);
	t_ok(f, &t_super, "dispatch", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->acked_at, t + 60000);
	assert_int_equal(a->dispatched_at, t + 180000);
	assert_string_equal(a->handler, "boss");
	/* More units later: the last dispatcher handles it; no new stamp. */
	f->sink.now = t + 240000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\",\"units\":"
	    "[\"U-HL2\"]}", id);
	t_ok(f, &t_op, "dispatch", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->dispatched_at, t + 180000);
	assert_string_equal(a->handler, "op1");

	f->sink.now = t + 600000;
	t_ok(f, &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
	    "\"on_scene\"}");
	a = store_alert(f->store, id);
	assert_int_equal(a->state, ALERT_ON_SCENE);
	assert_int_equal(a->on_scene_at, t + 600000);
	f->sink.now = t + 660000;
	t_ok(f, &t_op, "unit_status", "{\"unit\":\"U-HL2\",\"status\":"
	    "\"on_scene\"}");
	assert_int_equal(store_alert(f->store, id)->on_scene_at, t + 600000);

	/* Both units leave before the work is done: recalled, stamps kept. */
	t_ok(f, &t_op, "unit_status", "{\"unit\":\"U-HL\",\"status\":"
	    "\"available\"}");
	t_ok(f, &t_op, "unit_status", "{\"unit\":\"U-HL2\",\"status\":"
	    "\"available\"}");
	a = store_alert(f->store, id);
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_int_equal(a->acked_at, t + 60000);
	assert_int_equal(a->dispatched_at, t + 180000);
	assert_int_equal(a->on_scene_at, t + 600000);

	/* Resolved, then reopened an hour later: a new cycle from then. */
	snprintf(args, sizeof args, "{\"alert\":\"%s\"}", id);
	t_ok(f, &t_op, "resolve", args);
	f->sink.now = t + 3600000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\",\"reason\":"
	    "\"cháy lại\"}", id);
	t_ok(f, &t_super, "reopen", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->state, ALERT_ACKNOWLEDGED);
	assert_int_equal(a->acked_at, t + 3600000);
	assert_int_equal(a->dispatched_at, 0);
	assert_int_equal(a->on_scene_at, 0);
	assert_int_equal(a->due_ack, t + 3600000 + 5 * 60000LL);
	assert_int_equal(a->deadline, a->due_ack);
	assert_int_equal(a->due_dispatch, t + 3600000 + 10 * 60000LL);
	assert_int_equal(a->due_on_scene, t + 3600000 + 30 * 60000LL);
	assert_string_equal(a->handler, "boss");
	assert_string_equal(a->acked_by, "op1");	/* The first ack. */
	f->sink.now = t + 3700000;
	snprintf(args, sizeof args, "{\"alert\":\"%s\",\"units\":"
	    "[\"U-HL\"]}", id);
	t_ok(f, &t_op, "dispatch", args);
	a = store_alert(f->store, id);
	assert_int_equal(a->dispatched_at, t + 3700000);
	assert_string_equal(a->handler, "op1");

	/* Dispatching a new alert acknowledges it at the same instant. */
	f->sink.now = t + 3800000;
	t_ok(f, &t_super, "dispatch", "{\"alert\":\"A-1\",\"units\":"
	    "[\"U-HL2\"]}");
	a = store_alert(f->store, "A-1");
	assert_int_equal(a->acked_at, t + 3800000);
	assert_int_equal(a->dispatched_at, t + 3800000);
	assert_string_equal(a->acked_by, "boss");
	assert_string_equal(a->handler, "boss");
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_run (inject of a case), engine_case_clocks, engine_case_due
 *   (deadlines in working time by the rules: a case received on the last
 *   working afternoon before Tết 2026 and before 2 September 2026 is due
 *   after the holidays; urgent cases; without a calendar)
 */
static void
test_case_clocks(void **state)
{
	static const struct {
		const char	*received, *category;
		int		 urgent;
		const char	*assign, *deadline;
	} cases[] = {
		/* Tết Bính Ngọ: 14/2 to 22/2 off. */
		{ "2026-02-13 16:00", "education", 0, "2026-02-23 16:00",
		    "2026-02-27 17:00" },
		{ "2026-02-13 16:00", "education", 1, "2026-02-23 10:30",
		    "2026-02-24 17:00" },
		/* Quốc khánh: 29/8 to 2/9 off; power, 4 hours and 1 day. */
		{ "2026-08-28 15:00", "power", 0, "2026-09-03 09:30",
		    "2026-09-03 17:00" },
		{ "2026-08-28 15:00", "water", 1, "2026-08-28 16:00",
		    "2026-09-03 15:00" },
		/* Ngày Văn hóa Việt Nam: 24/11/2026 off. */
		{ "2026-11-24 08:00", "health", 0, "2026-11-25 17:00",
		    "2026-12-01 17:00" },
	};
	struct engine_outcome	 out;
	struct t_fix		*f;
	const struct feedback	*c;
	char			*args;
	size_t			 i;

	(void)state;
	f = t_fixture_wc();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		f->sink.now = t_at(cases[i].received);
		xasprintf(&args, "{\"kind\":\"feedback\",\"item\":"
		    "{\"channel\":\"hotline\",\"area\":\"HL\","
		    "\"category\":\"%s\",\"text\":\"x\",\"urgent\":%s}}",
		    cases[i].category, cases[i].urgent ? "true" : "false");
		if (t_run(f, &t_super, "inject", args, 0, &out) != 0)
			fail_msg("inject: %s", out.msg);
		free(args);
		c = store_feedback(f->store, out.item);
		assert_int_equal(c->received, f->sink.now);
		assert_int_equal(c->urgent, cases[i].urgent);
		t_is_at(c->due_assign, cases[i].assign);
		t_is_at(c->deadline, cases[i].deadline);
		assert_int_equal(engine_case_due(f->e, c, c->received),
		    c->deadline);
		assert_string_equal(c->holder, "");
		assert_int_equal(c->held_since, c->received);
		assert_null(c->handler);
		assert_int_equal(c->nvia, 0);
	}
	t_fixture_free(f);

	/* Without a calendar: two days of 7.5 working hours, no accept. */
	f = t_fixture();
	assert_int_equal(t_run(f, &t_super, "inject", "{\"kind\":"
	    "\"feedback\",\"item\":{\"channel\":\"hotline\",\"area\":"
	    "\"HL\",\"category\":\"water\",\"text\":\"x\"}}", 0, &out),
	    0);
	c = store_feedback(f->store, out.item);
	assert_int_equal(c->deadline, engine_feedback_due(T_NOW,
	    f->store->utc_offset_min));
	assert_int_equal(c->due_assign, 0);
	assert_false(c->urgent);
	t_fixture_free(f);
}

/* Run a command on case id that must be accepted; returns the case. */
static const struct feedback *
t_case_cmd(struct t_fix *f, const struct operator *op, const char *cmd,
    const char *id, const char *more)
{
	char	*args;

	xasprintf(&args, "{\"case\":\"%s\"%s}", id, more);
	t_ok(f, op, cmd, args);
	free(args);
	return (store_feedback(f->store, id));
}

/* The last entry of a case's history: what, by and text. */
static void
t_last_hop(const struct feedback *c, const char *what, const char *by,
    const char *text)
{
	struct history_entry		 buf;
	const struct history_entry	*e = history_at(&c->hist,
					    c->hist.n - 1, &buf);

	assert_string_equal(e->what, what);
	assert_string_equal(e->by, by);
	assert_string_equal(e->text, text);
}

/*
 * Test functions:
 *   engine_run (assign, transfer and return between a commune's People's
 *   Committee and provincial departments: the holder, since when, the
 *   handler, the history of each hop, and the clock: a transfer starts
 *   the receiver's, a return goes on with the original's; the final
 *   return to the citizen; transfers refused back to a body the case
 *   came through, to its holder, beyond FB_VIA_MAX)
 */
static void
test_hand_offs(void **state)
{
	struct engine_outcome	 out;
	struct t_fix		*f;
	const struct feedback	*c;
	struct feedback		 deep;
	char			 id[MODEL_ID_MAX], args[128];
	int64_t			 received, due0, since0, due1;
	int			 i;
	char			 body[MODEL_CODE_MAX];

	(void)state;
	f = t_fixture_wc();
	store_add_department(f->store, "UBND.HL", "UBND Hạ Long");
	store_add_department(f->store, "SXD", "Sở Xây dựng");
	/* Monday 2/3/2026, 09:00: construction, 10 working days. */
	received = f->sink.now = t_at("2026-03-02 09:00");
	assert_int_equal(t_run(f, &t_super, "inject", "{\"kind\":"
	    "\"feedback\",\"item\":{\"channel\":\"app\",\"area\":\"HL\","
	    "\"category\":\"construction\",\"text\":\"Xây trái phép\"}}", 0,
	    &out), 0);
	snprintf(id, sizeof id, "%s", out.item);
	c = store_feedback(f->store, id);
	assert_int_equal(c->received, received);
	due0 = c->deadline;
	t_is_at(due0, "2026-03-16 17:00");

	/* The desk assigns it to the commune: its clock goes on. */
	since0 = f->sink.now = t_at("2026-03-02 09:30");
	c = t_case_cmd(f, &t_op, "assign", id, ",\"dept\":\"UBND.HL\"");
	assert_string_equal(c->holder, "UBND.HL");
	assert_string_equal(c->dept, "UBND.HL");
	assert_int_equal(c->held_since, since0);
	assert_int_equal(c->deadline, due0);
	assert_string_equal(c->handler, "op1");
	assert_int_equal(c->nvia, 0);
	t_last_hop(c, "assign", "op1", "UBND.HL");

	/* The commune: not ours, the department's. Its clock starts. */
	f->sink.now = t_at("2026-03-03 10:00");
	c = t_case_cmd(f, &t_op, "transfer", id, ",\"to\":\"SXD\","
	    "\"reason\":\"Vượt thẩm quyền cấp xã\"");
	assert_int_equal(c->state, FB_ASSIGNED);
	assert_string_equal(c->holder, "SXD");
	assert_string_equal(c->dept, "SXD");
	assert_int_equal(c->held_since, f->sink.now);
	t_is_at(c->deadline, "2026-03-17 17:00");
	assert_int_equal(c->deadline, engine_case_due(f->e, c, f->sink.now));
	due1 = c->deadline;
	assert_int_equal(c->nvia, 1);
	assert_string_equal(c->via[0].body, "UBND.HL");
	assert_int_equal(c->via[0].since, since0);
	assert_int_equal(c->via[0].deadline, due0);
	t_last_hop(c, "transfer", "op1",
	    "UBND.HL \xe2\x86\x92 SXD: Vượt thẩm quyền cấp xã");

	/* The department returns it: the commune's clock goes on. */
	f->sink.now = t_at("2026-03-04 14:00");
	c = t_case_cmd(f, &t_super, "return", id, ",\"reason\":"
	    "\"Không thuộc thẩm quyền của Sở\"");
	assert_int_equal(c->state, FB_ASSIGNED);
	assert_string_equal(c->holder, "UBND.HL");
	assert_int_equal(c->held_since, since0);
	assert_int_equal(c->deadline, due0);
	assert_int_equal(c->nvia, 0);
	assert_null(c->reply);
	assert_string_equal(c->handler, "boss");
	t_last_hop(c, "return", "boss",
	    "SXD \xe2\x86\x92 UBND.HL: Không thuộc thẩm quyền của "
	    "Sở");

	/* And transfers it back, after the department's answer: anew. */
	f->sink.now = t_at("2026-03-05 08:00");
	c = t_case_cmd(f, &t_op, "transfer", id, ",\"to\":\"SXD\","
	    "\"reason\":\"Theo phân cấp, thuộc Sở\"");
	assert_string_equal(c->holder, "SXD");
	t_is_at(c->deadline, "2026-03-19 17:00");
	assert_true(c->deadline > due1);
	/* The department starts, then passes it on once more. */
	f->sink.now = t_at("2026-03-05 10:00");
	c = t_case_cmd(f, &t_op, "transfer", id, ",\"to\":\"STNMT\","
	    "\"reason\":\"Đất đai\"");
	assert_int_equal(c->nvia, 2);
	assert_string_equal(c->via[1].body, "SXD");
	/* Not back to one it came through, nor to its holder. */
	for (i = 0; i < 2; i++) {
		snprintf(args, sizeof args, "{\"case\":\"%s\",\"to\":\"%s\","
		    "\"reason\":\"x\"}", id, i == 0 ? "UBND.HL" : "STNMT");
		assert_int_equal(t_run(f, &t_op, "transfer", args, 0, &out),
		    -1);
		assert_int_equal(out.err, PROTO_E_BAD_STATE);
		t_check_reason(&out, "transfer back");
		assert_int_equal(out.reason, i == 0 ?
		    ENGINE_R_CASE_CAME_THROUGH : ENGINE_R_CASE_HELD);
		engine_outcome_clear(&out);
	}
	/* Returns unwind: to SXD, then to the commune. */
	f->sink.now = t_at("2026-03-06 09:00");
	c = t_case_cmd(f, &t_op, "return", id, ",\"reason\":\"Không phải\"");
	assert_string_equal(c->holder, "SXD");
	assert_int_equal(c->held_since, t_at("2026-03-05 08:00"));
	t_is_at(c->deadline, "2026-03-19 17:00");
	c = t_case_cmd(f, &t_op, "return", id, ",\"reason\":\"Không phải\"");
	assert_string_equal(c->holder, "UBND.HL");
	assert_int_equal(c->deadline, due0);
	/* The commune's return ends it: returned to the citizen. */
	f->sink.now = t_at("2026-03-06 10:00");
	c = t_case_cmd(f, &t_op, "return", id, ",\"reason\":"
	    "\"Tranh chấp dân sự, đề nghị khởi kiện tại "
	    "Tòa án\"");
	assert_int_equal(c->state, FB_RETURNED);
	assert_string_equal(c->holder, "");
	assert_string_equal(c->dept, "UBND.HL");
	assert_int_equal(c->held_since, f->sink.now);
	assert_string_equal(c->reply, "Tranh chấp dân sự, đề nghị "
	    "khởi kiện tại Tòa án");
	t_last_hop(c, "return", "op1", "UBND.HL: Tranh chấp dân sự, "
	    "đề nghị khởi kiện tại Tòa án");
	/* Every hop is in the history, in order. */
	assert_int_equal(c->hist.n, 9);
	assert_string_equal(history_what(&c->hist, 1), "assign");
	assert_string_equal(history_what(&c->hist, 2), "transfer");
	assert_string_equal(history_what(&c->hist, 3), "return");
	assert_string_equal(history_what(&c->hist, 4), "transfer");
	assert_string_equal(history_what(&c->hist, 5), "transfer");
	assert_string_equal(history_what(&c->hist, 6), "return");
	/* The desk may assign it after all: a fresh route. */
	c = t_case_cmd(f, &t_op, "assign", id, ",\"dept\":\"SXD\"");
	assert_string_equal(c->holder, "SXD");
	assert_int_equal(c->deadline, due0);
	t_last_hop(c, "assign", "op1", "SXD");

	/* A new case returned at the desk, as before hand-offs. */
	c = t_case_cmd(f, &t_op, "return", "F-1", ",\"reason\":\"Không\"");
	assert_int_equal(c->state, FB_RETURNED);
	t_last_hop(c, "return", "op1", "Không");

	/* At most FB_VIA_MAX hops. */
	feedback_copy(&deep, store_feedback(f->store, "F-2"));
	for (i = 0; deep.nvia < FB_VIA_MAX; i++) {
		snprintf(body, sizeof body, "B%d", i);
		assert_int_equal(feedback_push_via(&deep, body, 0, 0), 0);
	}
	assert_int_equal(feedback_push_via(&deep, "B9", 0, 0), -1);
	store_put_feedback(f->store, &deep);
	assert_int_equal(t_run(f, &t_op, "transfer", "{\"case\":\"F-2\","
	    "\"to\":\"STNMT\",\"reason\":\"x\"}", 0, &out), -1);
	t_check_reason(&out, "too many hops");
	assert_int_equal(out.reason, ENGINE_R_TOO_MANY_HOPS);
	assert_non_null(strstr(out.msg, "passed on 8 times"));
	engine_outcome_clear(&out);
	t_fixture_free(f);
}

/*
 * Test functions:
 *   engine_reasons, engine_reason_name, engine_reason_find,
 *   engine_reason_message (every reason has a unique name, a format, a
 *   code, and is in docs/protocol.md §7; the tests above saw the engine
 *   refuse with each of its own)
 */
static void
test_reasons(void **state)
{
	const struct engine_reason_info	*ri;
	json_t				*args;
	char				*doc, *msg, want[64], *path;
	long				 len;
	FILE				*f;
	int				 r, q, unseen = 0;

	(void)state;
	xasprintf(&path, "%s/docs/protocol.md", t_srcdir());
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	doc = xmalloc((size_t)len + 1);
	assert_int_equal(fread(doc, 1, (size_t)len, f), (size_t)len);
	doc[len] = '\0';
	fclose(f);
	free(path);
	assert_null(engine_reason_name(ENGINE_R_NONE));
	assert_null(engine_reason_name(ENGINE_R_COUNT));
	assert_int_equal(engine_reason_find("nonsense"), ENGINE_R_NONE);
	assert_int_equal(engine_reason_find(NULL), ENGINE_R_NONE);
	for (r = ENGINE_R_NONE + 1; r < ENGINE_R_COUNT; r++) {
		ri = &engine_reasons[r];
		if (ri->name == NULL || ri->format == NULL || *ri->format ==
		    '\0')
			fail_msg("reason %d has no name or format", r);
		assert_string_equal(engine_reason_name(r), ri->name);
		assert_int_equal(engine_reason_find(ri->name), r);
		assert_true(model_id_valid(ri->name, 32));
		for (q = ENGINE_R_NONE + 1; q < r; q++)
			assert_string_not_equal(engine_reasons[q].name,
			    ri->name);
		/* The reason and its code are a row of §7's table. */
		snprintf(want, sizeof want, "| `%s` | `%s` |", ri->name,
		    proto_err_names[ri->code]);
		if (strstr(doc, want) == NULL)
			fail_msg("docs/protocol.md lacks \"%s\"", want);
		/* The engine's own were seen; the server's are its tests'. */
		if (r < ENGINE_R_BAD_COMMAND_ID && !t_seen[r])
			unseen += fprintf(stderr, "no test saw the engine "
			    "refuse with %s\n", ri->name) > 0;
	}
	free(doc);
	assert_int_equal(unseen, 0);

	/* Arguments fill the format; a missing one reads "?". */
	args = json_pack("{s:s s:s}", "alert", "A-7", "state", "dispatched");
	msg = engine_reason_message(ENGINE_R_ALERT_NOT_NEW, args);
	assert_string_equal(msg, "A-7 is dispatched: only a new alert can be "
	    "acknowledged");
	free(msg);
	json_object_del(args, "state");
	msg = engine_reason_message(ENGINE_R_ALERT_NOT_NEW, args);
	assert_string_equal(msg, "A-7 is ?: only a new alert can be "
	    "acknowledged");
	free(msg);
	msg = engine_reason_message(ENGINE_R_COUNT, args);
	assert_string_equal(msg, "");
	free(msg);
	json_decref(args);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_new_ids),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_sink_refuses),
		cmocka_unit_test(test_long_reason),
		cmocka_unit_test(test_feedback_due),
		cmocka_unit_test(test_alert_bands),
		cmocka_unit_test(test_alert_stages),
		cmocka_unit_test(test_case_clocks),
		cmocka_unit_test(test_hand_offs),
		cmocka_unit_test(test_reasons),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A recorded shift for the tests: an engine's events, as a console records. */

#include "test-shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "record.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The province: two areas (HL, CP), two departments, five units, a
 * hospital, two new alerts and a new feedback case, at seq 10. The
 * engine's sink gives each change the next seq, applies it to the store
 * and, while the link is up, records it as received; while it is down
 * the events wait, and come (as a resume would bring them) when it is up
 * again. The officer's commands are recorded going out, and their
 * results coming in, as the console records them.
 */

static json_t	*test_shift_missed;

static int
test_shift_emit(void *arg, const struct kind *k, const void *item,
    const char *by, const char *cmd, int64_t ts, uint64_t *seq)
{
	struct test_shift	*sh = arg;
	json_t			*ev;
	char			*cause = NULL;

	ev = proto_event_new(sh->store->seq + 1, ts, k->name, k->encode(item));
	if (by != NULL)
		json_object_set_new(ev, "by", json_string(by));
	if (cmd != NULL)
		json_object_set_new(ev, "cmd", json_string(cmd));
	if (store_apply_event(sh->store, ev, 0, &cause) != 0)
		fatalx("%s: %s", __func__, cause);
	if (seq != NULL)
		*seq = sh->store->seq;
	if (sh->up)
		record_msg(sh->rec, "in", ev);
	else
		json_array_append(test_shift_missed, ev);
	json_decref(ev);
	return (0);
}

static void
test_shift_unit(struct store *s, const char *id, enum unit_type type,
    const char *area)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "%s", id);
	u.type = type;
	snprintf(u.area, sizeof u.area, "%s", area);
	u.name = xstrdup(id);
	u.version = 1;
	store_put_unit(s, &u);
}

static void
test_shift_put_alert(struct store *s, const char *id, int severity,
    const char *area, int64_t now)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	a.kind = ALERT_FLOOD;
	a.severity = severity;
	snprintf(a.area, sizeof a.area, "%s", area);
	a.place = xstrdup("Bãi Cháy");
	a.source = SOURCE_SENSOR;
	a.title = xstrdup("Ngập sâu đường Hạ Long");
	a.created = a.updated = now;
	a.deadline = now + 15 * 60000;
	a.version = 1;
	store_put_alert(s, &a);
}

static json_t *
test_shift_welcome(struct test_shift *sh)
{
	return (json_pack("{s:s s:i s:s s:s s:s s:[] s:I s:b}", "type",
	    "welcome", "proto", 1, "server", "test", "operator",
	    sh->officer.name, "role", "supervisor", "areas", "seq",
	    (json_int_t)sh->store->seq, "exercise", 0));
}

/*
 * A shift recorded into a new file at path, started at TEST_SHIFT_T0
 * (the clock is frozen there). Free with test_shift_free().
 */
struct test_shift *
test_shift_new(const char *path)
{
	struct test_shift	*sh;
	struct engine_sink	 sink;
	struct hospital		 h;
	struct feedback		 f;
	struct store		*s;
	json_t			*w;
	char			*cause = NULL;

	clock_set_fixed(TEST_SHIFT_T0);
	sh = xcalloc(1, sizeof *sh);
	s = sh->store = store_new();
	free(s->province);
	s->province = xstrdup("Quảng Ninh");
	snprintf(s->province_code, sizeof s->province_code, "QN");
	s->utc_offset_min = 420;
	store_add_area(s, "HL", "Phường Hạ Long");
	store_add_area(s, "CP", "Phường Cẩm Phả");
	store_add_department(s, "SYT", "Sở Y tế");
	store_add_department(s, "STNMT", "Sở TN&MT");
	test_shift_unit(s, "AMB-1", UNIT_AMBULANCE, "HL");
	test_shift_unit(s, "FIR-1", UNIT_FIRE, "HL");
	test_shift_unit(s, "RES-1", UNIT_RESCUE, "CP");
	test_shift_unit(s, "POL-1", UNIT_POLICE, "CP");
	test_shift_unit(s, "AMB-2", UNIT_AMBULANCE, "CP");
	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "H-1");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	snprintf(h.area, sizeof h.area, "HL");
	h.beds = 100;
	h.beds_used = 60;
	h.icu = 10;
	h.er_waiting = 3;
	h.version = 1;
	store_put_hospital(s, &h);
	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "PA-1");
	f.channel = FB_HOTLINE;
	snprintf(f.area, sizeof f.area, "HL");
	snprintf(f.category, sizeof f.category, "env");
	f.text = xstrdup("Nước suối có mùi lạ \033[31m");
	f.received = TEST_SHIFT_T0 - 60000;
	f.deadline = TEST_SHIFT_T0 + 86400000;
	f.version = 1;
	store_put_feedback(s, &f);
	test_shift_put_alert(s, "A-1", 3, "HL", TEST_SHIFT_T0 - 30000);
	test_shift_put_alert(s, "A-2", 4, "CP", TEST_SHIFT_T0 - 20000);
	s->seq = 10;

	sh->officer.name = "lan";
	sh->officer.role = OPERATOR_SUPERVISOR;
	sh->colleague.name = "sim";
	sh->colleague.role = OPERATOR_SUPERVISOR;
	memset(&sink, 0, sizeof sink);
	sink.emit = test_shift_emit;
	sink.arg = sh;
	sh->engine = engine_new(s, &sink);
	engine_restored(sh->engine);
	test_shift_missed = json_array();

	if ((sh->rec = record_open(path, "ws://127.0.0.1:7600",
	    &cause)) == NULL)
		fatalx("%s: %s", __func__, cause);
	w = test_shift_welcome(sh);
	record_start(sh->rec, s, w, 1);
	json_decref(w);
	sh->up = 1;
	return (sh);
}

/*
 * End the recording (its stop mark) and free the shift.
 */
void
test_shift_free(struct test_shift *sh)
{
	if (sh == NULL)
		return;
	record_close(sh->rec);
	engine_free(sh->engine);
	store_free(sh->store);
	json_decref(test_shift_missed);
	test_shift_missed = NULL;
	free(sh);
}

/* Time passes. */
void
test_shift_tick(struct test_shift *sh, int64_t ms)
{
	(void)sh;
	clock_advance(ms);
}

/*
 * op runs cmd with args (stolen). The officer's command is recorded
 * going out and its result coming in. Returns 0, or -1 when refused.
 */
int
test_shift_cmd(struct test_shift *sh, const struct operator *op,
    const char *cmd, json_t *args)
{
	struct engine_outcome	 out;
	json_t			*msg;
	char			 id[32];
	int			 rc;

	snprintf(id, sizeof id, "c-test-%llu",
	    (unsigned long long)++sh->ncmds);
	if (op == &sh->officer && sh->up) {
		msg = proto_cmd_new(id, cmd, json_copy(args));
		record_msg(sh->rec, "out", msg);
		json_decref(msg);
	}
	rc = engine_run(sh->engine, op, cmd, args, 0, &out);
	if (op == &sh->officer && sh->up) {
		msg = rc == 0 ? proto_result_ok(id, out.seq) :
		    proto_result_err(id, out.err, out.msg);
		record_msg(sh->rec, "in", msg);
		json_decref(msg);
	}
	engine_outcome_clear(&out);
	json_decref(args);
	return (rc);
}

/* The province raises a new alert. */
void
test_shift_alert(struct test_shift *sh, const char *id, int severity,
    const char *area)
{
	struct alert	*a;
	struct store	*tmp = store_new();

	test_shift_put_alert(tmp, id, severity, area, clock_now());
	a = store_alert(tmp, id);
	engine_emit(sh->engine, kind_get(KIND_ALERT), a, NULL, NULL, NULL);
	store_free(tmp);
}

/* A hospital's reading: its ER waiting. */
void
test_shift_reading(struct test_shift *sh, const char *hospital,
    int er_waiting)
{
	struct hospital	h;

	hospital_copy(&h, store_hospital(sh->store, hospital));
	h.er_waiting = er_waiting;
	engine_emit(sh->engine, kind_get(KIND_HOSPITAL), &h, NULL, NULL,
	    NULL);
	hospital_clear(&h);
}

/*
 * The console's link goes down (up 0), or comes up again (1: the missed
 * events come, as a resume brings them; 2: a snapshot with gap set).
 */
void
test_shift_link(struct test_shift *sh, int up)
{
	json_t	*w, *ev, *snap;
	size_t	 i;

	if (!up) {
		record_link(sh->rec, 0, "test");
		sh->up = 0;
		return;
	}
	record_link(sh->rec, 1, NULL);
	w = test_shift_welcome(sh);
	record_msg(sh->rec, "in", w);
	json_decref(w);
	if (up == 2) {
		snap = store_snapshot(sh->store);
		json_object_set_new(snap, "type", json_string("snapshot"));
		json_object_set_new(snap, "gap", json_true());
		record_msg(sh->rec, "in", snap);
		json_decref(snap);
	} else {
		json_array_foreach(test_shift_missed, i, ev)
			record_msg(sh->rec, "in", ev);
	}
	json_array_clear(test_shift_missed);
	sh->up = 1;
}

/* The backend's digest of its state now. */
void
test_shift_digest(struct test_shift *sh, char out[17])
{
	store_digest(sh->store, out);
}

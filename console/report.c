/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The shift report of a recording: who did what, when, how fast. */

#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "clock.h"
#include "i18n.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "record.h"
#include "sanitize.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The report reads the recording through once: its state, then every
 * event received, applied to a store of its own (for names and places).
 * An item is in the report when an event with a command changed it (an
 * officer's, a colleague's, a unit's, a scenario's) or the event created
 * it (version 1). Each such event is a row: when, who, what, and the
 * text its history gave it (the units of a dispatch, the reason of a
 * close). A unit's part in a dispatch is on the alert's row. For an
 * alert, the time to acknowledge is from its creation to the first event
 * that took it out of "new", the time to dispatch to its first
 * dispatch. A damaged recording is reported up to the damage, which the
 * report says.
 */

struct report_row {
	int64_t		 ts;
	char		*by;		/* Sanitised; "" for the province. */
	char		 what[HISTORY_WHAT_MAX];
	char		*text;		/* Sanitised. */
	int64_t		 to_ack;	/* ms; -1: not this row. */
	int64_t		 to_dispatch;
};

struct report_item {
	const struct kind	*k;
	char			 id[MODEL_ID_MAX];
	int64_t			 created;	/* 0: not known. */
	int64_t			 ack_at;
	int64_t			 dispatch_at;
	struct report_row	*rows;
	size_t			 nrows;
};

struct report {
	struct store		*store;
	struct report_item	*items;
	size_t			 nitems;
	json_t			*index;		/* "kind:id": n. */
	uint64_t		 events, messages, downs;
	int64_t			 t0, t1;
	char			*damage;
	void			(*print)(const char *);
	int			 csv;
};

static struct report_item *
report_item(struct report *r, const struct kind *k, const char *id)
{
	struct report_item	*it;
	json_t			*v;
	char			 key[64];

	snprintf(key, sizeof key, "%s:%s", k->name, id);
	if ((v = json_object_get(r->index, key)) != NULL)
		return (&r->items[json_integer_value(v)]);
	r->items = xreallocarray(r->items, r->nitems + 1, sizeof *r->items);
	it = &r->items[r->nitems];
	memset(it, 0, sizeof *it);
	it->k = k;
	snprintf(it->id, sizeof it->id, "%s", id);
	json_object_set_new(r->index, key, json_integer((json_int_t)
	    r->nitems++));
	return (it);
}

/* The text of the item's last history entry, if it is what's. */
static char *
report_text(const struct kind *k, void *item, const char *what)
{
	struct history		*h;
	const struct unit	*u;
	const struct hospital	*hp;
	char			*s;

	if (k->flags & KIND_HISTORY) {
		h = kind_history(k, item);
		if (h->n > 0 && strcmp(history_what(h, h->n - 1), what) == 0)
			return (xstrdup(history_text(h, h->n - 1)));
		return (xstrdup(""));
	}
	if (k->index == KIND_UNIT) {
		u = item;
		xasprintf(&s, "%s%s%s", unit_status_names[u->status],
		    u->alert[0] != '\0' ? " " : "", u->alert);
		return (s);
	}
	if (k->index == KIND_HOSPITAL) {
		hp = item;
		return (xstrdup(hp->diversion ? _("diversion on") :
		    _("diversion off")));
	}
	return (xstrdup(""));
}

/* One event received: applied, and a row when someone did something. */
static void
report_event(struct report *r, json_t *ev)
{
	const struct kind	*k;
	struct report_item	*it;
	struct report_row	*row;
	json_t			*jitem = json_object_get(ev, "item");
	const char		*by, *cmd, *id;
	void			*item;
	struct alert		*a;
	char			*cause = NULL;
	int64_t			 ts;
	int			 created;

	k = kind_find(json_string_value(json_object_get(ev, "kind")));
	if (k == NULL || store_apply_item(r->store, k->name, jitem,
	    STORE_SANITIZE, &cause) != 0) {
		free(cause);
		return;
	}
	r->events++;
	id = json_string_value(json_object_get(jitem, "id"));
	by = json_string_value(json_object_get(ev, "by"));
	cmd = json_string_value(json_object_get(ev, "cmd"));
	ts = json_integer_value(json_object_get(ev, "ts"));
	item = store_find(r->store, k, id);
	created = kind_version(k, item) == 1;
	if ((cmd == NULL && !created) || (k->index == KIND_UNIT && cmd !=
	    NULL && strcmp(cmd, "dispatch") == 0))
		return;
	it = report_item(r, k, id);
	it->rows = xreallocarray(it->rows, it->nrows + 1, sizeof *it->rows);
	row = &it->rows[it->nrows++];
	row->ts = ts;
	row->by = sanitize_text(by != NULL ? by : "", by != NULL ?
	    strlen(by) : 0, 0);
	snprintf(row->what, sizeof row->what, "%s", cmd != NULL ? cmd :
	    "created");
	row->text = report_text(k, item, row->what);
	row->to_ack = row->to_dispatch = -1;
	if (k->index != KIND_ALERT)
		return;
	a = item;
	it->created = a->created;
	if (it->ack_at == 0 && a->state != ALERT_NEW) {
		it->ack_at = ts;
		row->to_ack = ts - a->created;
	}
	if (it->dispatch_at == 0 && cmd != NULL &&
	    strcmp(cmd, "dispatch") == 0) {
		it->dispatch_at = ts;
		row->to_dispatch = ts - a->created;
	}
}

/* Read the recording at path into r. Returns 0, or -1 with *cause. */
static int
report_read(struct report *r, const char *path, char **cause)
{
	struct record_reader	*rd;
	struct record_line	 line;
	json_t			*msg;
	const char		*type;
	char			*why = NULL;
	enum record_status	 st;

	if ((rd = record_reader_open(path, cause)) == NULL)
		return (-1);
	while ((st = record_read(rd, &line, &why)) == RECORD_LINE) {
		if (r->t0 == 0)
			r->t0 = line.t;
		if (line.t > r->t1)
			r->t1 = line.t;
		if (line.dir == RECORD_MARK) {
			if (strcmp(line.what, "down") == 0)
				r->downs++;
			if (strcmp(line.what, "stop") == 0)
				break;
			continue;
		}
		if (line.dir == RECORD_OUT)
			continue;
		r->messages++;
		if ((msg = json_loadb(line.text, line.len, 0, NULL)) == NULL) {
			xasprintf(&r->damage, "line %zu: a message that cannot "
			    "be read", line.lineno);
			break;
		}
		type = json_string_value(json_object_get(msg, "type"));
		if (type != NULL && strcmp(type, "snapshot") == 0) {
			if (store_load_snapshot(r->store, msg, STORE_SANITIZE,
			    &why) != 0) {
				xasprintf(&r->damage, "line %zu: %s",
				    line.lineno, why);
				free(why);
				why = NULL;
				json_decref(msg);
				break;
			}
		} else if (type != NULL && strcmp(type, "event") == 0)
			report_event(r, msg);
		json_decref(msg);
	}
	if (st == RECORD_DAMAGED)
		r->damage = why;
	else
		free(why);
	r->store->changed = 0;
	record_reader_free(rd);
	return (0);
}

/* "1 min 20 s", "49 s". */
static void
report_span(int64_t ms, char *buf, size_t len)
{
	int64_t	s = (ms + 500) / 1000;

	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, _("%lld s"), (long long)s);
	else if (s < 3600)
		snprintf(buf, len, _("%lld min %lld s"), (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, len, _("%lld h %lld min"), (long long)(s / 3600),
		    (long long)(s / 60 % 60));
}

/* The date and time of ms at the province, ISO 8601 with its offset. */
static void
report_iso(struct report *r, int64_t ms, char *buf, size_t len)
{
	int	off = r->store->utc_offset_min;
	time_t	t = (time_t)(ms / 1000 + (int64_t)off * 60);
	struct tm tm;
	char	 d[24];

	gmtime_r(&t, &tm);
	strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s%c%02d:%02d", d, off < 0 ? '-' : '+',
	    abs(off) / 60, abs(off) % 60);
}

static int
report_cmp_ms(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* The median of the n ms in v (sorted in place), or -1. */
static int64_t
report_median(int64_t *v, size_t n)
{
	if (n == 0)
		return (-1);
	qsort(v, n, sizeof *v, report_cmp_ms);
	return (n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

static int
report_cmp_items(const void *a, const void *b)
{
	const struct report_item	*x = a, *y = b;

	if (x->rows[0].ts != y->rows[0].ts)
		return (x->rows[0].ts < y->rows[0].ts ? -1 : 1);
	return (strcmp(x->id, y->id));
}

static void
report_line(struct report *r, struct buf *b)
{
	r->print(buf_str(b));
	buf_truncate(b, 0);
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void
report_csv_field(struct buf *b, const char *s, int last)
{
	const char	*p;

	if (strpbrk(s, ",\"\n\r") == NULL)
		buf_adds(b, s);
	else {
		buf_addc(b, '"');
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				buf_addc(b, '"');
			buf_addc(b, *p);
		}
		buf_addc(b, '"');
	}
	if (!last)
		buf_addc(b, ',');
}

static const char *
report_who(const char *by)
{
	return (*by != '\0' ? by : _("the province"));
}

static void
report_csv(struct report *r)
{
	struct buf		 b = BUF_INIT;
	struct report_item	*it;
	struct report_row	*row;
	char			 iso[48], n1[24], n2[24];
	size_t			 i, j;

	report_csv_field(&b, _("time"), 0);
	report_csv_field(&b, _("item"), 0);
	report_csv_field(&b, _("kind"), 0);
	report_csv_field(&b, _("who"), 0);
	report_csv_field(&b, _("what"), 0);
	report_csv_field(&b, _("detail"), 0);
	report_csv_field(&b, _("time_to_ack_s"), 0);
	report_csv_field(&b, _("time_to_dispatch_s"), 1);
	report_line(r, &b);
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		for (j = 0; j < it->nrows; j++) {
			row = &it->rows[j];
			report_iso(r, row->ts, iso, sizeof iso);
			n1[0] = n2[0] = '\0';
			if (row->to_ack >= 0)
				snprintf(n1, sizeof n1, "%.1f",
				    (double)row->to_ack / 1000.0);
			if (row->to_dispatch >= 0)
				snprintf(n2, sizeof n2, "%.1f",
				    (double)row->to_dispatch / 1000.0);
			report_csv_field(&b, iso, 0);
			report_csv_field(&b, it->id, 0);
			report_csv_field(&b, it->k->name, 0);
			report_csv_field(&b, report_who(row->by), 0);
			report_csv_field(&b, row->what, 0);
			report_csv_field(&b, row->text, 0);
			report_csv_field(&b, n1, 0);
			report_csv_field(&b, n2, 1);
			report_line(r, &b);
		}
	}
	buf_free(&b);
}

/* "A-0003 flood, severity 3, Phường Bãi Cháy: Ngập sâu ..." */
static void
report_label(struct report *r, struct buf *b, struct report_item *it)
{
	void			*item = store_find(r->store, it->k, it->id);
	const struct alert	*a;
	const struct feedback	*f;
	const struct area	*ar;
	const char		*area;

	buf_printf(b, "%s  ", it->id);
	if (item == NULL) {
		buf_adds(b, _(it->k->label));
		return;
	}
	area = kind_area(it->k, item);
	ar = area != NULL ? store_area(r->store, area) : NULL;
	switch (it->k->index) {
	case KIND_ALERT:
		a = item;
		buf_printf(b, _("%s, severity %d"), alert_kind_names[a->kind],
		    a->severity);
		break;
	case KIND_FEEDBACK:
		f = item;
		buf_printf(b, "%s, %s", _("feedback case"),
		    fb_channel_names[f->channel]);
		break;
	default:
		buf_adds(b, _(it->k->label));
		break;
	}
	if (ar != NULL)
		buf_printf(b, ", %s", ar->name);
	if (it->k->index == KIND_ALERT)
		buf_printf(b, ": %s", ((const struct alert *)item)->title);
}

static void
report_text_out(struct report *r, const char *path)
{
	struct buf		 b = BUF_INIT;
	struct report_item	*it;
	struct report_row	*row;
	int64_t			*acks, *disps;
	size_t			 nacks = 0, ndisps = 0, nalerts = 0, ncases = 0;
	size_t			 i, j;
	char			 t0[48], hms[16], span[48], s1[48];

	acks = xcalloc(r->nitems + 1, sizeof *acks);
	disps = xcalloc(r->nitems + 1, sizeof *disps);
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		if (it->k->index == KIND_ALERT) {
			nalerts++;
			if (it->ack_at != 0 && it->created != 0)
				acks[nacks++] = it->ack_at - it->created;
			if (it->dispatch_at != 0 && it->created != 0)
				disps[ndisps++] = it->dispatch_at - it->created;
		} else if (it->k->index == KIND_FEEDBACK)
			ncases++;
	}
	report_iso(r, r->t0, t0, sizeof t0);
	report_span(r->t1 - r->t0, span, sizeof span);
	buf_printf(&b, _("Shift report: %s, from %s for %s"),
	    r->store->province != NULL ? r->store->province : "", t0, span);
	report_line(r, &b);
	buf_printf(&b, ngettext("Recording %s: %llu messages, %llu events, "
	    "the link lost %llu time", "Recording %s: %llu messages, %llu "
	    "events, the link lost %llu times", r->downs), path,
	    (unsigned long long)r->messages, (unsigned long long)r->events,
	    (unsigned long long)r->downs);
	report_line(r, &b);
	if (r->damage != NULL) {
		buf_printf(&b, _("The recording is damaged (%s): reported up "
		    "to there"), r->damage);
		report_line(r, &b);
	}
	buf_printf(&b, _("Items acted on: %zu (%zu alerts, %zu feedback "
	    "cases)"), r->nitems, nalerts, ncases);
	report_line(r, &b);
	report_span(report_median(acks, nacks), span, sizeof span);
	report_span(report_median(disps, ndisps), s1, sizeof s1);
	buf_printf(&b, _("Alerts acknowledged: %zu, median time to "
	    "acknowledge %s; dispatched: %zu, median time to dispatch %s"),
	    nacks, span, ndisps, s1);
	report_line(r, &b);
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		report_line(r, &b);
		report_label(r, &b, it);
		report_line(r, &b);
		for (j = 0; j < it->nrows; j++) {
			row = &it->rows[j];
			clock_hms(row->ts, r->store->utc_offset_min, hms,
			    sizeof hms);
			buf_printf(&b, "  %s  %-10s %-12s %s", hms,
			    row->what, report_who(row->by), row->text);
			if (row->to_ack >= 0) {
				report_span(row->to_ack, span, sizeof span);
				buf_printf(&b, _("  (acknowledged after %s)"),
				    span);
			}
			if (row->to_dispatch >= 0) {
				report_span(row->to_dispatch, span,
				    sizeof span);
				buf_printf(&b, _("  (dispatched after %s)"),
				    span);
			}
			report_line(r, &b);
		}
	}
	free(acks);
	free(disps);
	buf_free(&b);
}

/*
 * Write the shift report of the recording at path, as text (REPORT_TEXT)
 * or CSV (REPORT_CSV), line by line through print, in the language set
 * up (i18n). Returns 0 (a damaged recording is reported up to the damage,
 * and the report says so), or -1 with *cause set (allocated; caller
 * frees) when path is not a recording.
 */
int
report_write(const char *path, int format, void (*print)(const char *),
    char **cause)
{
	struct report	 r;
	size_t		 i, j;
	int		 rv = 0;

	memset(&r, 0, sizeof r);
	r.store = store_new();
	r.index = json_object();
	r.print = print;
	r.csv = format == REPORT_CSV;
	if (report_read(&r, path, cause) != 0)
		rv = -1;
	else {
		qsort(r.items, r.nitems, sizeof *r.items, report_cmp_items);
		if (r.csv)
			report_csv(&r);
		else
			report_text_out(&r, path);
	}
	for (i = 0; i < r.nitems; i++) {
		for (j = 0; j < r.items[i].nrows; j++) {
			free(r.items[i].rows[j].by);
			free(r.items[i].rows[j].text);
		}
		free(r.items[i].rows);
	}
	free(r.items);
	free(r.damage);
	json_decref(r.index);
	store_free(r.store);
	return (rv);
}

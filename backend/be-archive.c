/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The archive of items that left the live state (docs/journal.md
 * "Archive", docs/protocol.md "archive"). One file, DIR/archive.jsonl,
 * append-only, one record a line:
 *
 *	SEQ TS KIND ID AREA<tab>EVENT
 *
 * where EVENT is the "remove" event that took the item out (compact JSON,
 * the item as it was last), and the fields before the tab repeat what a
 * scan needs without parsing it. Records are in seq order, so in time
 * order. The journal holds every remove event too: a record the archive
 * lost in a crash (written, not yet synced) comes back when the journal
 * replays its event (be_archive_add() skips what it has).
 *
 * Memory: the sparse index, one (ts, offset) every BE_ARCHIVE_STRIDE
 * records, so a query for a time range starts near it; months of
 * archive cost a few kilobytes. Without a state directory the archive is
 * an unlinked temporary file: as durable as the state, which is to say
 * not at all, and as bounded.
 */

#include "be-archive.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kind.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "proto.h"
#include "xmalloc.h"

struct be_archive_mark {
	int64_t		 ts;
	off_t		 off;
};

struct be_archive {
	FILE			*f;	/* Read and append. */
	char			*path;	/* NULL: temporary. */
	off_t			 size;	/* Bytes of whole records. */
	uint64_t		 last_seq;
	size_t			 count;	/* Records. */
	int			 dirty;	/* Unsynced appends. */

	struct be_archive_mark	*marks;	/* Every STRIDE-th one. */
	size_t			 nmarks;
};

/* The fields of a record line before the tab. */
struct be_archive_rec {
	uint64_t	 seq;
	int64_t		 ts;
	char		 kind[MODEL_CODE_MAX];
	char		 id[MODEL_ID_MAX];
	char		 area[MODEL_CODE_MAX];
	const char	*event;		/* After the tab. */
};

/*
 * Read the head of a record line. Returns 0, or -1 when it is not one.
 */
static int
be_archive_parse(const char *line, struct be_archive_rec *r)
{
	unsigned long long	 seq;
	long long		 ts;
	const char		*tab;
	char			 kind[MODEL_CODE_MAX], id[MODEL_ID_MAX];
	char			 area[MODEL_CODE_MAX];

	if ((tab = strchr(line, '\t')) == NULL || sscanf(line,
	    "%llu %lld %15s %15s %15s", &seq, &ts, kind, id, area) != 5)
		return (-1);
	r->seq = seq;
	r->ts = ts;
	memcpy(r->kind, kind, sizeof r->kind);
	memcpy(r->id, id, sizeof r->id);
	memcpy(r->area, area, sizeof r->area);
	r->event = tab + 1;
	return (0);
}

static void
be_archive_mark(struct be_archive *ar, int64_t ts, off_t off)
{
	if (ar->count % BE_ARCHIVE_STRIDE != 0)
		return;
	ar->marks = xreallocarray(ar->marks, ar->nmarks + 1,
	    sizeof *ar->marks);
	ar->marks[ar->nmarks].ts = ts;
	ar->marks[ar->nmarks].off = off;
	ar->nmarks++;
}

/*
 * Read the archive through: index it, find its last seq, hand every
 * record's kind and id to cb, and cut off a torn last line (a crash in
 * the middle of an append). Returns 0, or -1 with *cause set.
 */
static int
be_archive_scan(struct be_archive *ar, be_archive_id_cb cb, void *arg,
    char **cause)
{
	struct be_archive_rec	 r;
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 n;
	off_t			 off = 0;

	rewind(ar->f);
	while ((n = getline(&line, &cap, ar->f)) > 0) {
		if (line[n - 1] != '\n')
			break;		/* Torn: cut off below. */
		line[n - 1] = '\0';
		if (be_archive_parse(line, &r) != 0) {
			xasprintf(cause, "%s: not an archive record at byte "
			    "%lld", ar->path, (long long)off);
			free(line);
			return (-1);
		}
		be_archive_mark(ar, r.ts, off);
		ar->count++;
		ar->last_seq = r.seq;
		if (cb != NULL)
			cb(arg, r.kind, r.id);
		off += n;
	}
	free(line);
	if (ferror(ar->f)) {
		xasprintf(cause, "%s: %s", ar->path, strerror(errno));
		return (-1);
	}
	if (ftruncate(fileno(ar->f), off) != 0) {
		xasprintf(cause, "%s: %s", ar->path, strerror(errno));
		return (-1);
	}
	ar->size = off;
	return (0);
}

/*
 * Open the archive in dir (created if missing), or a temporary one when
 * dir is NULL. cb (may be NULL) sees every record's kind and id, so that
 * ids are never given twice. Returns 0, or -1 with *cause set (allocated;
 * caller frees).
 */
int
be_archive_open(const char *dir, be_archive_id_cb cb, void *arg,
    struct be_archive **out, char **cause)
{
	struct be_archive	*ar;
	int			 fd;

	ar = xcalloc(1, sizeof *ar);
	if (dir == NULL) {
		ar->f = tmpfile();
		if (ar->f == NULL) {
			xasprintf(cause, "a temporary archive: %s",
			    strerror(errno));
			free(ar);
			return (-1);
		}
	} else {
		xasprintf(&ar->path, "%s/%s", dir, BE_ARCHIVE_FILE);
		(void)mkdir(dir, 0700);		/* The journal's, too. */
		fd = open(ar->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd == -1 || (ar->f = fdopen(fd, "r+")) == NULL) {
			xasprintf(cause, "%s: %s", ar->path, strerror(errno));
			if (fd != -1)
				close(fd);
			free(ar->path);
			free(ar);
			return (-1);
		}
	}
	if (be_archive_scan(ar, cb, arg, cause) != 0) {
		be_archive_free(ar);
		return (-1);
	}
	*out = ar;
	return (0);
}

/* Free the archive (after syncing what it wrote). NULL is a no-op. */
void
be_archive_free(struct be_archive *ar)
{
	if (ar == NULL)
		return;
	if (ar->dirty && ar->path != NULL && (fflush(ar->f) != 0 ||
	    fdatasync(fileno(ar->f)) != 0))
		log_warn("archive: %s: %s", ar->path, strerror(errno));
	fclose(ar->f);
	free(ar->path);
	free(ar->marks);
	free(ar);
}

/*
 * Append a remove event (borrowed) unless the archive has its seq
 * already (the journal replaying what the archive kept). Durable at the
 * next be_archive_sync(). Returns 0, or -1 when it could not be written
 * (logged: the journal still has the event).
 */
int
be_archive_add(struct be_archive *ar, json_t *ev)
{
	json_t		*item = json_object_get(ev, "item");
	const char	*kind, *id, *area;
	char		*text;
	json_int_t	 seq, ts;
	int		 n;

	seq = json_integer_value(json_object_get(ev, "seq"));
	ts = json_integer_value(json_object_get(ev, "ts"));
	kind = json_string_value(json_object_get(ev, "kind"));
	id = json_string_value(json_object_get(item, "id"));
	area = json_string_value(json_object_get(item, "area"));
	if (seq <= 0 || (uint64_t)seq <= ar->last_seq)
		return (0);
	if (kind == NULL || id == NULL)
		return (-1);
	if (area == NULL || *area == '\0')
		area = "-";
	text = proto_dump(ev);
	if (fseeko(ar->f, ar->size, SEEK_SET) != 0 ||
	    (n = fprintf(ar->f, "%" JSON_INTEGER_FORMAT " %"
	    JSON_INTEGER_FORMAT " %s %s %s\t%s\n", seq, ts, kind, id, area,
	    text)) < 0 || fflush(ar->f) != 0) {
		log_warn("archive: cannot append %s %s: %s", kind, id,
		    strerror(errno));
		free(text);
		clearerr(ar->f);
		(void)ftruncate(fileno(ar->f), ar->size);
		return (-1);
	}
	free(text);
	be_archive_mark(ar, ts, ar->size);
	ar->size += n;
	ar->count++;
	ar->last_seq = (uint64_t)seq;
	ar->dirty = 1;
	return (0);
}

/*
 * Make every append durable. Returns 0, or -1 with *cause set.
 */
int
be_archive_sync(struct be_archive *ar, char **cause)
{
	if (!ar->dirty || ar->path == NULL)
		return (0);
	if (fflush(ar->f) != 0 || fdatasync(fileno(ar->f)) != 0) {
		xasprintf(cause, "%s: %s", ar->path, strerror(errno));
		return (-1);
	}
	ar->dirty = 0;
	return (0);
}

uint64_t
be_archive_last_seq(const struct be_archive *ar)
{
	return (ar->last_seq);
}

size_t
be_archive_count(const struct be_archive *ar)
{
	return (ar->count);
}

/* Where a query from time from starts: the last mark before it. */
static off_t
be_archive_start(const struct be_archive *ar, int64_t from)
{
	size_t	lo = 0, hi = ar->nmarks, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ar->marks[mid].ts < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo == 0 ? 0 : ar->marks[lo - 1].off);
}

/* An optional integer member of a query, in [lo, hi]. */
static int
be_archive_int(json_t *msg, const char *key, json_int_t lo, json_int_t hi,
    json_int_t *v, char **cause)
{
	json_t	*m = json_object_get(msg, key);

	if (m == NULL)
		return (0);
	if (!json_is_integer(m) || json_integer_value(m) < lo ||
	    json_integer_value(m) > hi) {
		xasprintf(cause, "member \"%s\" must be an integer from %"
		    JSON_INTEGER_FORMAT " to %" JSON_INTEGER_FORMAT, key, lo,
		    hi);
		return (-1);
	}
	*v = json_integer_value(m);
	return (0);
}

/* The query's members, checked. Returns 0, or -1 with *cause set. */
static int
be_archive_args(const struct be_archive *ar, json_t *msg,
    const struct kind **k, json_int_t *from, json_int_t *to,
    json_int_t *limit, off_t *off, char **cause)
{
	json_t		*m;
	const char	*s;
	char		*end;
	unsigned long long v;

	*k = NULL;
	if ((m = json_object_get(msg, "kind")) != NULL) {
		s = json_string_value(m);
		if (s == NULL || (*k = kind_find(s)) == NULL ||
		    ((*k)->index != KIND_ALERT &&
		    (*k)->index != KIND_FEEDBACK)) {
			xasprintf(cause, "member \"kind\" must be alert or "
			    "feedback");
			return (-1);
		}
	}
	*from = 0;
	*to = INT64_MAX;
	*limit = BE_ARCHIVE_PAGE;
	if (be_archive_int(msg, "from", 0, INT64_MAX, from, cause) ||
	    be_archive_int(msg, "to", 0, INT64_MAX, to, cause) ||
	    be_archive_int(msg, "limit", 1, BE_ARCHIVE_PAGE_MAX, limit,
	    cause))
		return (-1);
	*off = be_archive_start(ar, *from);
	if ((m = json_object_get(msg, "cursor")) != NULL) {
		s = json_string_value(m);
		errno = 0;
		v = s != NULL && *s >= '0' && *s <= '9' ? strtoull(s, &end,
		    10) : 0;
		if (s == NULL || *s < '0' || *s > '9' || *end != '\0' ||
		    errno != 0 || v > (unsigned long long)ar->size) {
			xasprintf(cause, "member \"cursor\" is not a cursor "
			    "this archive gave");
			return (-1);
		}
		*off = (off_t)v;
	}
	return (0);
}

/*
 * Answer an archive query (docs/protocol.md "archive"): a page of the
 * items that left the live state from "from" to "to" (ms, the time they
 * left), of one kind or both, in the order they left, at most "limit";
 * for a scoped operator (scope not NULL) only those of its areas. Reads
 * at most BE_ARCHIVE_SCAN_MAX bytes; "next" is where the next page
 * starts, absent at the end. Returns the result (new reference).
 */
json_t *
be_archive_query(struct be_archive *ar, const struct operator *scope,
    json_t *msg)
{
	struct be_archive_rec	 r;
	const struct kind	*k;
	const char		*qid;
	json_t			*items, *ev, *res;
	json_int_t		 from, to, limit;
	char			*line = NULL, *cause = NULL, next[32];
	size_t			 cap = 0;
	ssize_t			 n;
	off_t			 off, got = 0;
	int			 more = 0;

	qid = json_string_value(json_object_get(msg, "id"));
	if (qid == NULL)
		qid = "";
	if (be_archive_args(ar, msg, &k, &from, &to, &limit, &off,
	    &cause) != 0) {
		res = proto_result_err(qid, PROTO_E_BAD_MESSAGE, cause);
		free(cause);
		return (res);
	}
	items = json_array();
	if (fflush(ar->f) != 0 || fseeko(ar->f, off, SEEK_SET) != 0)
		off = ar->size;
	while (off < ar->size) {
		if ((json_int_t)json_array_size(items) >= limit ||
		    got >= BE_ARCHIVE_SCAN_MAX) {
			more = 1;
			break;
		}
		if ((n = getline(&line, &cap, ar->f)) <= 0)
			break;
		off += n;
		got += n;
		line[n - 1] = '\0';
		if (be_archive_parse(line, &r) != 0 || r.ts < from)
			continue;
		if (r.ts >= to)
			break;		/* In time order: none further. */
		if ((k != NULL && strcmp(r.kind, k->name) != 0) ||
		    (scope != NULL && !operator_has_area(scope, r.area)))
			continue;
		if ((ev = json_loads(r.event, 0, NULL)) == NULL)
			continue;
		json_array_append_new(items, json_pack("{s:s s:I s:I s:O}",
		    "kind", r.kind, "seq", (json_int_t)r.seq, "ts",
		    (json_int_t)r.ts, "item", json_object_get(ev, "item")));
		json_decref(ev);
	}
	free(line);
	res = json_pack("{s:s s:s s:b s:o}", "type", "result", "id", qid,
	    "ok", 1, "items", items);
	if (more) {
		snprintf(next, sizeof next, "%lld", (long long)off);
		json_object_set_new(res, "next", json_string(next));
	}
	return (res);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The outbox: commands kept on disk until their result arrives. */

#include "outbox.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "dlog.h"
#include "i18n.h"
#include "log.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * The file is a log of records (core/dlog.c: a CRC-32, a space, the JSON
 * text, a newline), one of three kinds:
 *
 *	{"id":"c-1a2b-7","cmd":"ack","summary":"ack A-0012","ts":1795...,
 *	 "msg":{"type":"cmd","id":"c-1a2b-7","cmd":"ack","args":{...}}}
 *	{"upd":"c-1a2b-7","msg":{...}}
 *	{"done":"c-1a2b-7"}
 *
 * An add record is written and synced before the command counts as
 * accepted (and before it goes on the wire); an upd record when a held
 * command takes a new version (before it is first sent); a done record
 * when its result has arrived. Loading replays the log: adds with their
 * last upd, minus dones, in order. A command held behind an earlier one
 * on the same item was never sent (the connection sends a command only
 * when no earlier one on its item is left), so its text may still
 * change. The first format had no checksums: a line that starts with '{'
 * is read as such a record.
 *
 * A line that cannot be read back (a bad checksum, not a record, a torn
 * last line without its newline) is set aside in path.bad, appended and
 * synced, never rewritten, with why and when, before the outbox file is
 * rewritten without it: a command is never lost with only a log line.
 * The quarantine record is {"ts","why","line"} with the line as it was,
 * or "hex" instead of "line" when it is not UTF-8 text.
 *
 * The file is rewritten (compacted) when it was loaded with dead or bad
 * records, and when dead records pile up (dlog_rewrite(): path.tmp,
 * synced, renamed over path, the directory synced). When the last command
 * is done the file is simply truncated. One console at a time owns an
 * outbox: path.lock is held with flock(). Every file is opened as
 * dlog_open_private() does: never through a link, created 0600.
 */

static void
outbox_entry_free(struct outbox_entry *e)
{
	free(e->cmd);
	free(e->summary);
	free(e->text);
	json_decref(e->msg);
	free(e);
}

/* The text of e's add record; caller frees. */
static char *
outbox_record(struct outbox_entry *e)
{
	json_t	*rec;
	char	*text;

	rec = json_pack("{s:s s:s s:s s:I s:O}", "id", e->id, "cmd", e->cmd,
	    "summary", e->summary, "ts", (json_int_t)e->queued, "msg", e->msg);
	if (rec == NULL || (text = json_dumps(rec, JSON_COMPACT)) == NULL)
		fatalx("%s: cannot build the record of %s", __func__, e->id);
	json_decref(rec);
	return (text);
}

static void
outbox_key_add(struct outbox_entry *e, const char *kind, const char *id)
{
	if (id == NULL || e->ntouch == OUTBOX_TOUCH_MAX)
		return;
	snprintf(e->touch[e->ntouch++], OUTBOX_KEY_MAX, "%s:%s", kind, id);
}

/* Work out which items the command names and changes. */
static void
outbox_keys(struct outbox_entry *e)
{
	static const char *const kinds[] = { "alert", "case", "unit",
	    "hospital" };
	json_t		*args, *units, *u;
	const char	*id;
	size_t		 i;

	e->key[0] = '\0';
	e->ntouch = 0;
	args = json_object_get(e->msg, "args");
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if ((id = json_string_value(json_object_get(args,
		    kinds[i]))) != NULL) {
			outbox_key_add(e, kinds[i], id);
			break;
		}
	}
	if (e->ntouch > 0)
		snprintf(e->key, sizeof e->key, "%s", e->touch[0]);
	units = json_object_get(args, "units");
	json_array_foreach(units, i, u)
		outbox_key_add(e, "unit", json_string_value(u));
}

/*
 * Whether msg is a command message that id may carry: an object with that
 * "id" and a "cmd" string.
 */
static int
outbox_msg_ok(json_t *msg, const char *id)
{
	const char	*mid;

	return (json_is_object(msg) &&
	    (mid = json_string_value(json_object_get(msg, "id"))) != NULL &&
	    strcmp(mid, id) == 0 &&
	    json_string_value(json_object_get(msg, "cmd")) != NULL);
}

/* Give e the message msg (stolen) and its text. */
static void
outbox_set_msg(struct outbox_entry *e, json_t *msg)
{
	free(e->text);
	json_decref(e->msg);
	e->msg = msg;
	e->text = proto_dump(msg);
	outbox_keys(e);
}

static struct outbox_entry *
outbox_insert(struct outbox *ob, const char *id, const char *cmd,
    const char *summary, json_t *msg, int64_t ts)
{
	struct outbox_entry	*e;

	e = xcalloc(1, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", id);
	e->cmd = xstrdup(cmd);
	e->summary = xstrdup(summary);
	outbox_set_msg(e, msg);
	e->queued = ts;
	e->state = OUTBOX_QUEUED;
	TAILQ_INSERT_TAIL(&ob->list, e, entry);
	ob->n++;
	return (e);
}

static void
outbox_unlink(struct outbox *ob, struct outbox_entry *e)
{
	TAILQ_REMOVE(&ob->list, e, entry);
	ob->n--;
	outbox_entry_free(e);
}

/* Apply one record of the file; returns 0, or -1 for a bad record. */
static int
outbox_load_record(struct outbox *ob, const char *text, size_t len)
{
	json_t		*rec, *msg;
	const char	*id, *cmd, *summary, *done, *upd;
	json_int_t	 ts = 0;
	struct outbox_entry *e;
	int		 rv = -1;

	if ((rec = json_loadb(text, len, 0, NULL)) == NULL)
		return (-1);
	if ((done = json_string_value(json_object_get(rec, "done"))) !=
	    NULL) {
		if ((e = outbox_find(ob, done)) != NULL)
			outbox_unlink(ob, e);
		rv = 0;
		goto out;
	}
	if ((upd = json_string_value(json_object_get(rec, "upd"))) != NULL) {
		msg = json_object_get(rec, "msg");
		if (!outbox_msg_ok(msg, upd))
			goto out;
		if ((e = outbox_find(ob, upd)) != NULL)
			outbox_set_msg(e, json_incref(msg));
		rv = 0;
		goto out;
	}
	if (json_unpack(rec, "{s:s s:s s:s s?I s:o}", "id", &id, "cmd", &cmd,
	    "summary", &summary, "ts", &ts, "msg", &msg) != 0)
		goto out;
	if (strlen(id) >= PROTO_CMD_ID_MAX || !outbox_msg_ok(msg, id) ||
	    !utf8_valid(summary, strlen(summary)) ||
	    !utf8_valid(cmd, strlen(cmd)))
		goto out;
	if (outbox_find(ob, id) == NULL)
		outbox_insert(ob, id, cmd, summary, json_incref(msg), ts);
	rv = 0;
out:
	json_decref(rec);
	return (rv);
}

/*
 * Set len bytes of the file (a line that cannot be read back) aside in
 * path.bad, synced. Returns 0, or -1 when it cannot be kept there.
 */
static int
outbox_quarantine(struct outbox *ob, const char *line, size_t len,
    const char *why)
{
	struct buf	 hex = BUF_INIT;
	json_t		*rec, *v = NULL;
	char		*text, *c = NULL;
	size_t		 i;
	int		 rc;

	if (ob->bad == NULL) {
		xasprintf(&text, "%s.bad", ob->name);
		ob->bad = dlog_open(ob->dirfd, text, &c);
		free(text);
		if (ob->bad == NULL) {
			log_warn("outbox: cannot set a bad record aside: %s",
			    c);
			free(c);
			return (-1);
		}
	}
	rec = json_pack("{s:I s:s}", "ts", (json_int_t)clock_now(), "why",
	    why);
	if (utf8_valid(line, len) && memchr(line, '\0', len) == NULL)
		v = json_stringn(line, len);
	if (v != NULL)
		json_object_set_new(rec, "line", v);
	else {
		for (i = 0; i < len; i++)
			buf_printf(&hex, "%02x", (unsigned char)line[i]);
		json_object_set_new(rec, "hex", json_string(buf_str(&hex)));
		buf_free(&hex);
	}
	if ((text = json_dumps(rec, JSON_COMPACT)) == NULL)
		fatalx("%s: cannot serialise", __func__);
	json_decref(rec);
	rc = dlog_append(ob->bad, text, strlen(text), &c);
	free(text);
	if (rc != 0) {
		log_warn("outbox: cannot set a bad record aside: %s", c);
		free(c);
		return (-1);
	}
	ob->quarantined++;
	ob->dropped++;
	log_warn("%s: a record that cannot be read (%s, %zu bytes) set aside "
	    "in %s", ob->path, why, len, ob->bad_path);
	return (0);
}

/* Count the records of path.bad, when there is one. */
static void
outbox_count_bad(struct outbox *ob)
{
	struct dlog_map		 m;
	struct dlog_reader	 r;
	char			*name, *c = NULL;
	int			 rc;

	xasprintf(&name, "%s.bad", ob->name);
	rc = dlog_map(ob->dirfd, name, 0, &m, &c);
	free(name);
	if (rc != 0) {
		if (errno != ENOENT)
			log_warn("outbox: %s", c);
		free(c);
		return;
	}
	dlog_reader_init(&r, m.p, m.size, 0);
	while (dlog_read(&r) != DLOG_END)
		ob->quarantined++;
	dlog_unmap(&m);
}

/*
 * Read the file back. Returns 0, with *keep set when a bad record could
 * not be set aside (the file must then not be rewritten); -1 with *cause
 * set when it cannot be read.
 */
static int
outbox_load(struct outbox *ob, int *keep, char **cause)
{
	struct dlog_map		 m;
	struct dlog_reader	 r;
	enum dlog_status	 s;
	char			*c = NULL;

	if (dlog_map_fd(ob->log->fd, &m, &c) != 0) {
		xasprintf(cause, "%s: %s", ob->path, c);
		free(c);
		return (-1);
	}
	dlog_reader_init(&r, m.p, m.size, DLOG_READ_BARE);
	while ((s = dlog_read(&r)) != DLOG_END) {
		ob->records++;
		if (s == DLOG_OK && outbox_load_record(ob, r.text, r.len) == 0)
			continue;
		if (s == DLOG_BAD && r.end - r.start == 1)
			continue;		/* An empty line. */
		if (outbox_quarantine(ob, (const char *)m.p + r.start,
		    r.end - r.start - (s == DLOG_TORN ? 0 : 1),
		    s == DLOG_OK ? "not a command record" : r.why) != 0)
			*keep = 1;
	}
	dlog_unmap(&m);
	return (0);
}

/*
 * Open the outbox at path (created if missing, mode 0600, never through a
 * symbolic link) and load what it holds, every command queued; records
 * that cannot be read back are set aside in path.bad. path NULL gives an
 * outbox in memory only. Returns the outbox (free with outbox_free), or
 * NULL with *cause set (allocated; caller frees): the file cannot be
 * opened, or another console holds it.
 */
struct outbox *
outbox_open(const char *path, char **cause)
{
	struct outbox	*ob;
	char		*lock, *c = NULL;
	int		 keep = 0;

	ob = xcalloc(1, sizeof *ob);
	TAILQ_INIT(&ob->list);
	ob->dirfd = ob->lockfd = -1;
	if (path == NULL)
		return (ob);
	ob->path = xstrdup(path);
	xasprintf(&ob->bad_path, "%s.bad", path);
	if ((ob->dirfd = dlog_open_dir(path, &ob->name, &c)) == -1)
		goto fail_c;
	xasprintf(&lock, "%s.lock", ob->name);
	ob->lockfd = dlog_lock(ob->dirfd, lock, &c);
	free(lock);
	if (ob->lockfd == -1) {
		if (errno == EWOULDBLOCK) {
			free(c);
			xasprintf(cause, _("%s is in use by another trucban"),
			    path);
			goto fail;
		}
		goto fail_c;
	}
	if ((ob->log = dlog_open(ob->dirfd, ob->name, &c)) == NULL)
		goto fail_c;
	outbox_count_bad(ob);
	if (outbox_load(ob, &keep, cause) != 0)
		goto fail;
	/* A failed rewrite loses nothing: the file still has it all. */
	if (!keep && (ob->dropped > 0 || ob->records != ob->n) &&
	    outbox_compact(ob, &c) != 0) {
		log_warn("%s", c);
		free(c);
		c = NULL;
	}
	if (ob->n > 0)
		log_info("%s: %zu command%s waiting from before", path, ob->n,
		    ob->n == 1 ? "" : "s");
	if (ob->quarantined > 0)
		log_warn("%s: %zu record%s that could not be read set aside",
		    ob->bad_path, ob->quarantined,
		    ob->quarantined == 1 ? "" : "s");
	return (ob);

fail_c:
	xasprintf(cause, "%s: %s", path, c);
	free(c);
fail:
	outbox_free(ob);
	return (NULL);
}

/*
 * Close the outbox and free it; what is queued stays on disk. NULL is
 * fine.
 */
void
outbox_free(struct outbox *ob)
{
	struct outbox_entry	*e;

	if (ob == NULL)
		return;
	while ((e = TAILQ_FIRST(&ob->list)) != NULL) {
		TAILQ_REMOVE(&ob->list, e, entry);
		outbox_entry_free(e);
	}
	dlog_free(ob->log);
	dlog_free(ob->bad);
	if (ob->lockfd != -1)
		close(ob->lockfd);
	if (ob->dirfd != -1)
		close(ob->dirfd);
	free(ob->name);
	free(ob->bad_path);
	free(ob->path);
	free(ob);
}

/* Append one record (text, borrowed) and sync; on failure nothing stays. */
static int
outbox_append(struct outbox *ob, const char *text, char **cause)
{
	if (ob->log == NULL)
		return (0);
	if (dlog_append(ob->log, text, strlen(text), NULL) != 0) {
		xasprintf(cause, _("cannot write the outbox %s: %s"),
		    ob->path, strerror(errno));
		return (-1);
	}
	ob->records++;
	return (0);
}

/*
 * Accept a command: its message msg (stolen), an object with the command
 * id ("id") and verb ("cmd"), under summary. It is on disk (synced) when
 * this returns. Returns the entry (owned by the outbox; state
 * OUTBOX_QUEUED), or NULL with *cause set (allocated; caller frees) when
 * it is not a command message, its id is taken or too long, or it could
 * not be written.
 */
struct outbox_entry *
outbox_add_new(struct outbox *ob, const char *summary, json_t *msg,
    char **cause)
{
	struct outbox_entry	*e;
	const char		*id;
	char			*text;

	id = json_string_value(json_object_get(msg, "id"));
	if (id == NULL || !outbox_msg_ok(msg, id)) {
		xasprintf(cause, "%s: not a command message", __func__);
		json_decref(msg);
		return (NULL);
	}
	if (strlen(id) >= PROTO_CMD_ID_MAX || outbox_find(ob, id) != NULL) {
		xasprintf(cause, "%s: bad or repeated command id %s",
		    __func__, id);
		json_decref(msg);
		return (NULL);
	}
	e = outbox_insert(ob, id, json_string_value(json_object_get(msg,
	    "cmd")), summary, msg, clock_now());
	text = outbox_record(e);
	if (outbox_append(ob, text, cause) != 0) {
		outbox_unlink(ob, e);
		free(text);
		return (NULL);
	}
	free(text);
	return (e);
}

/*
 * Accept a command: id, its verb cmd, summary and the whole message text
 * (parsed; its "id" and "cmd" must be id and cmd). As outbox_add_new().
 */
struct outbox_entry *
outbox_add(struct outbox *ob, const char *id, const char *cmd,
    const char *summary, const char *text, char **cause)
{
	json_t	*msg;

	if ((msg = json_loads(text, 0, NULL)) == NULL || !outbox_msg_ok(msg,
	    id) || strcmp(json_string_value(json_object_get(msg, "cmd")),
	    cmd) != 0) {
		xasprintf(cause, "%s: bad message text for %s", __func__, id);
		json_decref(msg);
		return (NULL);
	}
	return (outbox_add_new(ob, summary, msg, cause));
}

/*
 * The result of id has arrived: forget the command (a done record, or
 * the file truncated when it was the last one, or compacted when dead
 * records pile up). Returns 0, or -1 when id is not in the outbox.
 */
int
outbox_done(struct outbox *ob, const char *id)
{
	struct outbox_entry	*e;
	json_t			*rec;
	char			*text, *cause = NULL;

	if ((e = outbox_find(ob, id)) == NULL)
		return (-1);
	outbox_unlink(ob, e);
	if (ob->log == NULL)
		return (0);
	if (ob->n == 0) {
		if (dlog_truncate(ob->log, 0) != 0)
			log_warn("%s: truncate: %s", ob->path,
			    strerror(errno));
		else
			ob->records = 0;
		return (0);
	}
	rec = json_pack("{s:s}", "done", id);
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (outbox_append(ob, text, &cause) != 0) {
		/* The result may be reported again after a restart. */
		log_warn("%s", cause);
		free(cause);
		cause = NULL;
	}
	free(text);
	if (ob->records > ob->n + OUTBOX_COMPACT_AT &&
	    outbox_compact(ob, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	return (0);
}

/* Give e (not yet sent) the message msg (stolen), on disk first. */
static int
outbox_update_msg(struct outbox *ob, struct outbox_entry *e, json_t *msg,
    char **cause)
{
	json_t	*rec;
	char	*text;

	if (!outbox_msg_ok(msg, e->id)) {
		xasprintf(cause, "%s: not a message of %s", __func__, e->id);
		json_decref(msg);
		return (-1);
	}
	rec = json_pack("{s:s s:O}", "upd", e->id, "msg", msg);
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (outbox_append(ob, text, cause) != 0) {
		free(text);
		json_decref(msg);
		return (-1);
	}
	free(text);
	outbox_set_msg(e, msg);
	return (0);
}

/*
 * Give e (not yet sent) a new message text (parsed; its "id" must be
 * e's), on disk before this returns. Returns 0, or -1 with *cause set
 * (allocated; caller frees); e is then unchanged.
 */
int
outbox_update(struct outbox *ob, struct outbox_entry *e, const char *text,
    char **cause)
{
	json_t	*msg;

	if ((msg = json_loads(text, 0, NULL)) == NULL) {
		xasprintf(cause, "%s: bad message text", __func__);
		return (-1);
	}
	return (outbox_update_msg(ob, e, msg, cause));
}

/*
 * Make e (not yet sent) carry version v of the item it names ("version"
 * in its args), on disk before this returns. Returns 0 (also when it
 * carries v already), or -1 with *cause set (allocated; caller frees); e
 * is then unchanged.
 */
int
outbox_set_version(struct outbox *ob, struct outbox_entry *e, uint32_t v,
    char **cause)
{
	json_t	*msg, *args;

	if (outbox_entry_version(e) == (int64_t)v)
		return (0);
	msg = json_deep_copy(e->msg);
	if (!json_is_object(args = json_object_get(msg, "args"))) {
		xasprintf(cause, "%s: %s has no args", __func__, e->id);
		json_decref(msg);
		return (-1);
	}
	json_object_set_new(args, "version", json_integer(v));
	return (outbox_update_msg(ob, e, msg, cause));
}

/*
 * The command message of e, parsed (borrowed: owned by e, valid until e
 * changes or goes). Never NULL.
 */
json_t *
outbox_entry_msg(const struct outbox_entry *e)
{
	return (e->msg);
}

/*
 * The "args" object of e's message (borrowed, as outbox_entry_msg()), or
 * NULL when it has none.
 */
json_t *
outbox_entry_args(const struct outbox_entry *e)
{
	json_t	*args = json_object_get(e->msg, "args");

	return (json_is_object(args) ? args : NULL);
}

/*
 * The text of e's message, as it goes on the wire (borrowed, as
 * outbox_entry_msg()).
 */
const char *
outbox_entry_text(const struct outbox_entry *e)
{
	return (e->text);
}

/*
 * The version of its item that e carries ("version" in its args), or -1
 * when it carries none.
 */
int64_t
outbox_entry_version(const struct outbox_entry *e)
{
	json_t	*v = json_object_get(outbox_entry_args(e), "version");

	return (json_is_integer(v) ? (int64_t)json_integer_value(v) : -1);
}

/*
 * How many records that could not be read back are set aside in the
 * quarantine file (outbox_quarantine_path()), from this load and earlier
 * ones: what the officer should be told about. 0 for an outbox in memory.
 */
size_t
outbox_quarantined(const struct outbox *ob)
{
	return (ob->quarantined);
}

/*
 * The quarantine file, path.bad (borrowed), or NULL for an outbox in
 * memory.
 */
const char *
outbox_quarantine_path(const struct outbox *ob)
{
	return (ob->bad_path);
}

/*
 * 1 if e changes the item key ("alert:A-1"), else 0.
 */
int
outbox_touches(const struct outbox_entry *e, const char *key)
{
	int	i;

	if (*key == '\0')
		return (0);
	for (i = 0; i < e->ntouch; i++) {
		if (strcmp(e->touch[i], key) == 0)
			return (1);
	}
	return (0);
}

/*
 * 1 if e must wait: an earlier command in the outbox changes the item e
 * names first. Else 0.
 */
int
outbox_held(struct outbox *ob, struct outbox_entry *e)
{
	struct outbox_entry	*p;

	TAILQ_FOREACH(p, &ob->list, entry) {
		if (p == e)
			return (0);
		if (outbox_touches(p, e->key))
			return (1);
	}
	return (0);
}

/*
 * The entry with id, or NULL. Owned by the outbox.
 */
struct outbox_entry *
outbox_find(struct outbox *ob, const char *id)
{
	struct outbox_entry	*e;

	TAILQ_FOREACH(e, &ob->list, entry) {
		if (strcmp(e->id, id) == 0)
			return (e);
	}
	return (NULL);
}

/*
 * How many commands are in state.
 */
size_t
outbox_count(struct outbox *ob, enum outbox_state state)
{
	struct outbox_entry	*e;
	size_t			 n = 0;

	TAILQ_FOREACH(e, &ob->list, entry) {
		if (e->state == state)
			n++;
	}
	return (n);
}

/*
 * The link went down: every command sent and not answered goes back to
 * the queue, to be sent again (same id) on the next link.
 */
void
outbox_requeue(struct outbox *ob)
{
	struct outbox_entry	*e;

	TAILQ_FOREACH(e, &ob->list, entry)
		e->state = OUTBOX_QUEUED;
}

/*
 * Rewrite the file with the live records only (see the comment at the
 * top). Returns 0, or -1 with *cause set (allocated; caller frees); the
 * old file is then untouched.
 */
int
outbox_compact(struct outbox *ob, char **cause)
{
	struct outbox_entry	*e;
	struct buf		 b = BUF_INIT;
	char			*text, *c = NULL;
	size_t			 n = 0;

	if (ob->log == NULL)
		return (0);
	TAILQ_FOREACH(e, &ob->list, entry) {
		text = outbox_record(e);
		dlog_frame(&b, text, strlen(text));
		free(text);
		n++;
	}
	if (dlog_rewrite(ob->log, b.s != NULL ? b.s : "", b.len, &c) != 0) {
		xasprintf(cause, _("cannot write the outbox %s: %s"),
		    ob->path, c);
		free(c);
		buf_free(&b);
		return (-1);
	}
	buf_free(&b);
	ob->records = n;
	log_debug("%s: compacted to %zu records", ob->path, n);
	return (0);
}

/*
 * The outbox as text, one command a line, oldest first: "⧗ 10:01:02 ack
 * A-0012 (sent)", and a last line when records that could not be read are
 * set aside. Returns an allocated string; caller frees.
 */
char *
outbox_text(struct outbox *ob, int utc_offset_min, int ascii)
{
	struct outbox_entry	*e;
	struct buf		 b = BUF_INIT;
	char			 hms[16];

	TAILQ_FOREACH(e, &ob->list, entry) {
		clock_hms(e->queued, utc_offset_min, hms, sizeof hms);
		buf_printf(&b, "%s %s %s (%s)\n", ascii ? "-" : "⧗", hms,
		    e->summary, e->state == OUTBOX_SENT ?
		    _("sent, no result yet") : _("queued"));
	}
	if (b.len == 0)
		buf_adds(&b, _("Nothing waiting: every command has its "
		    "result.\n"));
	if (ob->quarantined > 0) {
		buf_printf(&b, "%s ", ascii ? "!" : "⚠");
		buf_printf(&b, ngettext("%zu record that could not be read "
		    "is set aside in %s.\n", "%zu records that could not be "
		    "read are set aside in %s.\n", ob->quarantined),
		    ob->quarantined, ob->bad_path);
	}
	return (buf_detach(&b));
}

/*
 * The path of name in the console's state directory,
 * $XDG_STATE_HOME/trucban (default ~/.local/state/trucban), which is
 * created (0700) if needed. Returns an allocated string (caller frees),
 * or NULL when there is no such directory and none can be made.
 */
char *
outbox_state_path(const char *name)
{
	const char	*state = getenv("XDG_STATE_HOME"), *home;
	char		*dir, *path, *p;

	if (state == NULL || *state != '/') {
		if ((home = getenv("HOME")) == NULL || *home == '\0')
			return (NULL);
		xasprintf(&dir, "%s/.local/state/trucban", home);
	} else
		xasprintf(&dir, "%s/trucban", state);
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			free(dir);
			return (NULL);
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		free(dir);
		return (NULL);
	}
	xasprintf(&path, "%s/%s", dir, name);
	free(dir);
	return (path);
}

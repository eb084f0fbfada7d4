/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The outbox: commands kept on disk until their result arrives. */

#include "outbox.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * The file is a log of records, one JSON object per line:
 *
 *	{"id":"c-1a2b-7","cmd":"ack","summary":"ack A-0012","ts":1795...,
 *	 "msg":{"type":"cmd","id":"c-1a2b-7","cmd":"ack","args":{...}}}
 *	{"upd":"c-1a2b-7","msg":{...}}
 *	{"done":"c-1a2b-7"}
 *
 * An add record is written and fsynced before the command counts as
 * accepted (and before it goes on the wire); an upd record when a held
 * command takes a new version (before it is first sent); a done record
 * when its result has arrived. Loading replays the log: adds with their
 * last upd, minus dones, in order. A command held behind an earlier one
 * on the same item was never sent (the connection sends a command only
 * when no earlier one on its item is left), so its text may still
 * change. A
 * line without its newline is the torn end of a write a crash interrupted
 * and is dropped, as is a line that is not a record (logged); the command
 * it held had not been reported as accepted.
 *
 * The file is rewritten (compacted) when it was loaded with dead or bad
 * records, and when dead records pile up: the live records go to
 * path.tmp, which is fsynced and renamed over path, and the directory is
 * fsynced. When the last command is done the file is simply truncated.
 * One console at a time owns an outbox: path.lock is held with flock().
 */

static int
outbox_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

static int
outbox_sync(struct outbox *ob, int fd)
{
	ob->nsync++;
	return (ob->sync(fd));
}

/* Sync the directory of the file, so a new name survives a crash. */
static void
outbox_sync_dir(struct outbox *ob)
{
	char	*dir, *slash;
	int	 dfd;

	dir = xstrdup(ob->path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		if (outbox_sync(ob, dfd) != 0)
			log_warn("%s: fsync: %s", dir, strerror(errno));
		close(dfd);
	}
	free(dir);
}

static void
outbox_entry_free(struct outbox_entry *e)
{
	free(e->cmd);
	free(e->summary);
	free(e->text);
	free(e);
}

/* The add record of e, with its newline; caller frees. */
static char *
outbox_record(struct outbox_entry *e)
{
	json_t	*msg, *rec;
	char	*line, *out;

	if ((msg = json_loads(e->text, 0, NULL)) == NULL)
		fatalx("%s: bad message text", __func__);
	rec = json_pack("{s:s s:s s:s s:I s:o}", "id", e->id, "cmd", e->cmd,
	    "summary", e->summary, "ts", (json_int_t)e->queued, "msg", msg);
	line = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	xasprintf(&out, "%s\n", line);
	free(line);
	return (out);
}

static void
outbox_key_add(struct outbox_entry *e, const char *kind, const char *id)
{
	if (id == NULL || e->ntouch == OUTBOX_TOUCH_MAX)
		return;
	snprintf(e->touch[e->ntouch++], OUTBOX_KEY_MAX, "%s:%s", kind, id);
}

/* Work out which items the command names and changes, from its text. */
static void
outbox_keys(struct outbox_entry *e)
{
	static const char *const kinds[] = { "alert", "case", "unit",
	    "hospital" };
	json_t		*msg, *args, *units, *u;
	const char	*id;
	size_t		 i;

	e->key[0] = '\0';
	e->ntouch = 0;
	if ((msg = json_loads(e->text, 0, NULL)) == NULL)
		return;
	args = json_object_get(msg, "args");
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
	json_decref(msg);
}

static void
outbox_set_text(struct outbox_entry *e, const char *text)
{
	free(e->text);
	e->text = xstrdup(text);
	outbox_keys(e);
}

static struct outbox_entry *
outbox_insert(struct outbox *ob, const char *id, const char *cmd,
    const char *summary, const char *text, int64_t ts)
{
	struct outbox_entry	*e;

	e = xcalloc(1, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", id);
	e->cmd = xstrdup(cmd);
	e->summary = xstrdup(summary);
	outbox_set_text(e, text);
	e->queued = ts;
	e->state = OUTBOX_QUEUED;
	TAILQ_INSERT_TAIL(&ob->list, e, entry);
	ob->n++;
	return (e);
}

/* Apply one line of the file; returns 0, or -1 for a bad record. */
static int
outbox_load_line(struct outbox *ob, const char *line, size_t len)
{
	json_t		*rec, *msg;
	const char	*id, *cmd, *summary, *done, *mid, *upd;
	json_int_t	 ts = 0;
	struct outbox_entry *e;
	char		*text;
	int		 rv = -1;

	if ((rec = json_loadb(line, len, 0, NULL)) == NULL)
		return (-1);
	if ((done = json_string_value(json_object_get(rec, "done"))) !=
	    NULL) {
		if ((e = outbox_find(ob, done)) != NULL) {
			TAILQ_REMOVE(&ob->list, e, entry);
			ob->n--;
			outbox_entry_free(e);
		}
		rv = 0;
		goto out;
	}
	if ((upd = json_string_value(json_object_get(rec, "upd"))) != NULL) {
		msg = json_object_get(rec, "msg");
		if (!json_is_object(msg) || (mid = json_string_value(
		    json_object_get(msg, "id"))) == NULL ||
		    strcmp(mid, upd) != 0)
			goto out;
		if ((e = outbox_find(ob, upd)) != NULL) {
			text = proto_dump(msg);
			outbox_set_text(e, text);
			free(text);
		}
		rv = 0;
		goto out;
	}
	if (json_unpack(rec, "{s:s s:s s:s s?I s:o}", "id", &id, "cmd", &cmd,
	    "summary", &summary, "ts", &ts, "msg", &msg) != 0)
		goto out;
	if (strlen(id) >= PROTO_CMD_ID_MAX || !json_is_object(msg) ||
	    (mid = json_string_value(json_object_get(msg, "id"))) == NULL ||
	    strcmp(mid, id) != 0 ||
	    json_string_value(json_object_get(msg, "cmd")) == NULL ||
	    !utf8_valid(summary, strlen(summary)))
		goto out;
	if (outbox_find(ob, id) == NULL) {
		text = proto_dump(msg);
		outbox_insert(ob, id, cmd, summary, text, ts);
		free(text);
	}
	rv = 0;
out:
	json_decref(rec);
	return (rv);
}

static int
outbox_load(struct outbox *ob, char **cause)
{
	struct stat	 sb;
	char		*buf, *p, *nl, *end;
	size_t		 got = 0;
	ssize_t		 n;

	if (fstat(ob->fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", ob->path, strerror(errno));
		return (-1);
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		n = pread(ob->fd, buf + got, (size_t)sb.st_size - got,
		    (off_t)got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	end = buf + got;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			log_warn("%s: torn last record (%zu bytes) dropped",
			    ob->path, (size_t)(end - p));
			ob->dropped++;
			break;
		}
		ob->records++;
		if (nl == p)
			continue;
		if (outbox_load_line(ob, p, (size_t)(nl - p)) != 0) {
			log_warn("%s: bad record dropped: %.60s", ob->path,
			    p);
			ob->dropped++;
		}
	}
	free(buf);
	return (0);
}

/*
 * Open the outbox at path (created if missing, mode 0600) and load what
 * it holds, every command queued; path NULL gives an outbox in memory
 * only. Returns the outbox (free with outbox_free), or NULL with *cause
 * set (allocated; caller frees): the file cannot be opened, or another
 * console holds it.
 */
struct outbox *
outbox_open(const char *path, char **cause)
{
	struct outbox	*ob;
	struct stat	 sb;
	char		*lock;
	int		 created;

	ob = xcalloc(1, sizeof *ob);
	TAILQ_INIT(&ob->list);
	ob->fd = ob->lockfd = -1;
	ob->sync = fsync;
	if (path == NULL)
		return (ob);
	ob->path = xstrdup(path);
	xasprintf(&lock, "%s.lock", path);
	ob->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (ob->lockfd == -1) {
		xasprintf(cause, "%s: %s", lock, strerror(errno));
		free(lock);
		goto fail;
	}
	if (flock(ob->lockfd, LOCK_EX | LOCK_NB) == -1) {
		xasprintf(cause, _("%s is in use by another trucban"), path);
		free(lock);
		goto fail;
	}
	free(lock);
	created = stat(path, &sb) == -1 && errno == ENOENT;
	ob->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (ob->fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (created)
		outbox_sync_dir(ob);
	if (outbox_load(ob, cause) != 0)
		goto fail;
	if ((ob->dropped > 0 || ob->records != ob->n) &&
	    outbox_compact(ob, cause) != 0)
		goto fail;
	if (ob->n > 0)
		log_info("%s: %zu command%s waiting from before", path, ob->n,
		    ob->n == 1 ? "" : "s");
	return (ob);

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
	if (ob->fd != -1)
		close(ob->fd);
	if (ob->lockfd != -1)
		close(ob->lockfd);
	free(ob->path);
	free(ob);
}

/* Append one line and sync; on failure cut the file back. */
static int
outbox_append(struct outbox *ob, const char *line, char **cause)
{
	struct stat	sb;
	off_t		before = -1;

	if (ob->path == NULL)
		return (0);
	if (fstat(ob->fd, &sb) == 0)
		before = sb.st_size;
	if (outbox_write_all(ob->fd, line, strlen(line)) != 0 ||
	    outbox_sync(ob, ob->fd) != 0) {
		xasprintf(cause, _("cannot write the outbox %s: %s"),
		    ob->path, strerror(errno));
		if (before != -1 && ftruncate(ob->fd, before) == -1)
			log_warn("%s: ftruncate: %s", ob->path,
			    strerror(errno));
		return (-1);
	}
	ob->records++;
	return (0);
}

/*
 * Accept a command: id, its verb cmd, summary and the whole message text
 * (copied). It is on disk (fsynced) when this returns. Returns the entry
 * (owned by the outbox; state OUTBOX_QUEUED), or NULL with *cause set
 * (allocated; caller frees) when it could not be written.
 */
struct outbox_entry *
outbox_add(struct outbox *ob, const char *id, const char *cmd,
    const char *summary, const char *text, char **cause)
{
	struct outbox_entry	*e;
	char			*line;

	if (strlen(id) >= PROTO_CMD_ID_MAX || outbox_find(ob, id) != NULL) {
		xasprintf(cause, "%s: bad or repeated command id %s",
		    __func__, id);
		return (NULL);
	}
	e = outbox_insert(ob, id, cmd, summary, text, clock_now());
	line = outbox_record(e);
	if (outbox_append(ob, line, cause) != 0) {
		TAILQ_REMOVE(&ob->list, e, entry);
		ob->n--;
		outbox_entry_free(e);
		free(line);
		return (NULL);
	}
	free(line);
	return (e);
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
	char			*line, *tmp, *cause = NULL;

	if ((e = outbox_find(ob, id)) == NULL)
		return (-1);
	TAILQ_REMOVE(&ob->list, e, entry);
	ob->n--;
	outbox_entry_free(e);
	if (ob->path == NULL)
		return (0);
	if (ob->n == 0) {
		if (ftruncate(ob->fd, 0) == -1 ||
		    outbox_sync(ob, ob->fd) == -1)
			log_warn("%s: truncate: %s", ob->path,
			    strerror(errno));
		else
			ob->records = 0;
		return (0);
	}
	rec = json_pack("{s:s}", "done", id);
	tmp = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	xasprintf(&line, "%s\n", tmp);
	free(tmp);
	if (outbox_append(ob, line, &cause) != 0) {
		/* The result may be reported again after a restart. */
		log_warn("%s", cause);
		free(cause);
	}
	free(line);
	if (ob->records > ob->n + OUTBOX_COMPACT_AT &&
	    outbox_compact(ob, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	return (0);
}

/*
 * Give e (not yet sent) a new message text (copied), on disk before this
 * returns. Returns 0, or -1 with *cause set (allocated; caller frees); e
 * is then unchanged.
 */
int
outbox_update(struct outbox *ob, struct outbox_entry *e, const char *text,
    char **cause)
{
	json_t	*msg, *rec;
	char	*tmp, *line;

	if ((msg = json_loads(text, 0, NULL)) == NULL) {
		xasprintf(cause, "%s: bad message text", __func__);
		return (-1);
	}
	rec = json_pack("{s:s s:o}", "upd", e->id, "msg", msg);
	tmp = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	xasprintf(&line, "%s\n", tmp);
	free(tmp);
	if (outbox_append(ob, line, cause) != 0) {
		free(line);
		return (-1);
	}
	free(line);
	outbox_set_text(e, text);
	return (0);
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
	char			*tmp, *line;
	int			 fd;
	size_t			 n = 0;

	if (ob->path == NULL)
		return (0);
	xasprintf(&tmp, "%s.tmp", ob->path);
	fd = open(tmp, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	TAILQ_FOREACH(e, &ob->list, entry) {
		line = outbox_record(e);
		if (outbox_write_all(fd, line, strlen(line)) != 0) {
			free(line);
			goto fail;
		}
		free(line);
		n++;
	}
	if (outbox_sync(ob, fd) != 0 || rename(tmp, ob->path) != 0)
		goto fail;
	outbox_sync_dir(ob);
	close(ob->fd);
	ob->fd = fd;
	ob->records = n;
	log_debug("%s: compacted to %zu records", ob->path, n);
	free(tmp);
	return (0);

fail:
	xasprintf(cause, _("cannot write the outbox %s: %s"), tmp,
	    strerror(errno));
	close(fd);
	unlink(tmp);
	free(tmp);
	return (-1);
}

/*
 * The outbox as text, one command a line, oldest first: "⧗ 10:01:02 ack
 * A-0012 (sent)". Returns an allocated string; caller frees.
 */
char *
outbox_text(struct outbox *ob, int utc_offset_min, int ascii)
{
	struct outbox_entry	*e;
	char			*text = xstrdup(""), *tmp, hms[16];

	TAILQ_FOREACH(e, &ob->list, entry) {
		clock_hms(e->queued, utc_offset_min, hms, sizeof hms);
		xasprintf(&tmp, "%s%s %s %s (%s)\n", text, ascii ? "-" : "⧗",
		    hms, e->summary, e->state == OUTBOX_SENT ?
		    _("sent, no result yet") : _("queued"));
		free(text);
		text = tmp;
	}
	if (*text == '\0') {
		free(text);
		text = xstrdup(_("Nothing waiting: every command has its "
		    "result.\n"));
	}
	return (text);
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

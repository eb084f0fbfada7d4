/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Session recordings: the writer, the sessions folder and the reader. */

#include "record.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "dlog.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/*
 * A recording is a text file of lines, each one JSON object (the format
 * in docs/recording.md):
 *
 *   {"t":MS,"dir":"mark","what":"start","format":2,...who, where...}
 *   {"t":MS,"dir":"state","msg":{"type":"snapshot",...the state...}}
 *   {"t":MS,"dir":"in","msg":{...a message as received...}}
 *   {"t":MS,"dir":"out","msg":{...a message as sent...}}
 *   {"t":MS,"dir":"mark","what":"down","why":"..."}
 *   {"t":MS,"dir":"mark","what":"up"}
 *   {"t":MS,"dir":"mark","what":"mark","text":"..."}
 *   {"t":MS,"dir":"mark","what":"stop","messages":N}
 *
 * The file is made new and private (core/dlog.c: 0600, never through a
 * link) when the recording is asked for; its first two lines are written
 * when the console holds a state (record_start(): at once for ":record",
 * at the first snapshot for "--record"), so every recording can be
 * replayed from its start. Lines
 * are written whole and flushed one by one: a recording cut short by a
 * crash loses at most its last line. A write that fails (the disk is
 * full) stops the recording, never the console; the hook says so.
 *
 * "in", "out" and "state" lines are written by hand in exactly that
 * shape, member order and all, so the reader can take the message out of
 * a line without parsing it (the sync parses it anyway); any other line,
 * and any line a tool rewrote, it parses whole.
 */

struct recorder {
	FILE			*f;		/* NULL once stopped. */
	char			*path;
	char			*url;
	unsigned long		 n;		/* "in" and "out" lines. */
	uint64_t		 bytes;		/* Written. */
	int			 started;	/* Header and state written. */

	record_stopped_cb	 hook;
	void			*hook_arg;

	char			*capdir;	/* Sessions folder, or NULL. */
	uint64_t		 cap;		/* Its size cap. */
	uint64_t		 checked;	/* bytes at the last check. */
};

static const char *const record_dirs[] = {
	[RECORD_IN] = "in",
	[RECORD_OUT] = "out",
	[RECORD_MARK] = "mark",
	[RECORD_STATE] = "state"
};

/* ==== Writing ==== */

/* The recording stops by itself: close the file and tell the hook. */
static void
record_stop(struct recorder *r, const char *why)
{
	if (r->f == NULL)
		return;
	log_warn("recording %s stopped: %s", r->path, why);
	fclose(r->f);
	r->f = NULL;
	if (r->hook != NULL)
		r->hook(r->hook_arg, r->path, why);
}

/* The sessions folder is over its cap: make room, or stop. */
static void
record_check_cap(struct recorder *r)
{
	char	*cause = NULL, *why;

	if (r->capdir == NULL || r->f == NULL ||
	    r->bytes - r->checked < RECORD_ROTATE_EVERY)
		return;
	r->checked = r->bytes;
	if (r->bytes > r->cap) {
		xasprintf(&why, "the size cap of the sessions (%" PRIu64
		    " MB) is reached", r->cap / (1024 * 1024));
		record_stop(r, why);
		free(why);
		return;
	}
	if (record_rotate(r->capdir, r->cap, r->path, &cause) < 0) {
		log_warn("%s", cause);
		free(cause);
	}
}

/* Write len bytes of whole lines and flush them. */
static void
record_write(struct recorder *r, const char *s, size_t len)
{
	char	*why;

	if (r->f == NULL)
		return;
	if (fwrite(s, 1, len, r->f) != len || fflush(r->f) != 0) {
		xasprintf(&why, "cannot write: %s", strerror(errno));
		record_stop(r, why);
		free(why);
		return;
	}
	r->bytes += len;
	record_check_cap(r);
}

/* Write a line of a message: {"t":MS,"dir":DIR,"msg":TEXT}. */
static void
record_msg_line(struct recorder *r, enum record_dir dir, const char *text)
{
	struct buf	b = BUF_INIT;

	buf_printf(&b, "{\"t\":%" PRId64 ",\"dir\":\"%s\",\"msg\":%s}\n",
	    clock_now(), record_dirs[dir], text);
	record_write(r, b.s, b.len);
	buf_free(&b);
}

/* Write a mark line; steals line, adds "t" and "dir" in front. */
static void
record_mark_line(struct recorder *r, json_t *fields)
{
	json_t	*line;
	char	*text;

	line = json_pack("{s:I s:s}", "t", (json_int_t)clock_now(), "dir",
	    "mark");
	json_object_update(line, fields);
	json_decref(fields);
	text = proto_dump(line);
	json_decref(line);
	record_write(r, text, strlen(text));
	record_write(r, "\n", 1);
	free(text);
}

/*
 * Start a recording into a new file at path (0600, never through a
 * symbolic link); url names the backend in its header. Nothing is written
 * until record_start(). Returns the recorder (close with record_close),
 * or NULL with *cause set (allocated; caller frees) when the file exists
 * or cannot be made.
 */
struct recorder *
record_open(const char *path, const char *url, char **cause)
{
	struct recorder	*r;
	FILE		*f;
	char		*why = NULL;

	/* A private file, and a new one: never an existing one. */
	if ((f = dlog_fopen_private(path, "wx", &why)) == NULL) {
		if (errno == EEXIST)
			xasprintf(cause, "%s: exists; record into a new file",
			    path);
		else
			*cause = xstrdup(why);
		free(why);
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->f = f;
	r->path = xstrdup(path);
	r->url = xstrdup(url != NULL ? url : "");
	return (r);
}

/*
 * Write the stop mark (when the recording started and still writes),
 * close the file and free the recorder; a file the recording never
 * started (no state came) is removed, empty. NULL is a no-op.
 */
void
record_close(struct recorder *r)
{
	if (r == NULL)
		return;
	if (r->started)
		record_mark_line(r, json_pack("{s:s s:I}", "what", "stop",
		    "messages", (json_int_t)r->n));
	if (r->f != NULL)
		fclose(r->f);
	if (!r->started && unlink(r->path) == 0)
		log_info("recording %s never started: removed", r->path);
	free(r->path);
	free(r->url);
	free(r->capdir);
	free(r);
}

/*
 * Call hook(arg, path, why) when the recording stops by itself (a write
 * failed, the size cap). NULL: only the log says it.
 */
void
record_set_hook(struct recorder *r, record_stopped_cb hook, void *arg)
{
	r->hook = hook;
	r->hook_arg = arg;
}

/*
 * The recording is one of the sessions in dir (copied), which may hold
 * at most max_bytes: every RECORD_ROTATE_EVERY bytes the oldest other
 * sessions are removed to keep it so, and the recording stops when it
 * alone is over.
 */
void
record_set_cap(struct recorder *r, const char *dir, uint64_t max_bytes)
{
	free(r->capdir);
	r->capdir = xstrdup(dir);
	r->cap = max_bytes;
}

/*
 * Write the header and the state: who the backend says we are (welcome,
 * the last welcome message; NULL when none came yet), the store's state
 * (borrowed) and whether the link is up now. Once only; messages given
 * before it are not recorded. Returns 0, or -1 when the recording does
 * not write (any more).
 */
int
record_start(struct recorder *r, const struct store *st,
    const json_t *welcome, int online)
{
	json_t	*h, *snap, *areas;
	char	*text;

	if (r->started)
		return (r->f != NULL ? 0 : -1);
	if (r->f == NULL)
		return (-1);
	r->started = 1;
	areas = json_object_get(welcome, "areas");
	areas = json_is_array(areas) ? json_incref(areas) : json_array();
	h = json_pack("{s:s s:i s:s s:i s:s s:s? s:s? s:o s:b s:{s:s s:s} "
	    "s:b s:O}", "what", "start", "format", RECORD_FORMAT, "client",
	    "trucban " TRUCBAN_VERSION, "proto", PROTO_VERSION, "url",
	    r->url, "operator", json_string_value(json_object_get(welcome,
	    "operator")), "role", json_string_value(json_object_get(welcome,
	    "role")), "areas", areas, "exercise",
	    json_is_true(json_object_get(welcome, "exercise")), "province",
	    "code", st->province_code, "name", st->province != NULL ?
	    st->province : "", "online", online != 0, "welcome",
	    welcome != NULL ? welcome : json_null());
	if (h == NULL)
		fatalx("%s: cannot build the header", __func__);
	record_mark_line(r, h);

	snap = store_snapshot(st);
	json_object_set_new(snap, "type", json_string("snapshot"));
	json_object_set_new(snap, "gap", json_false());
	text = proto_dump(snap);
	json_decref(snap);
	record_msg_line(r, RECORD_STATE, text);
	free(text);
	log_info("recording %s started at seq %" PRIu64, r->path, st->seq);
	return (r->f != NULL ? 0 : -1);
}

/* 1 once the header and state are written. */
int
record_started(const struct recorder *r)
{
	return (r != NULL && r->started);
}

/* 1 while lines go to the file: not stopped by an error or the cap. */
int
record_writing(const struct recorder *r)
{
	return (r != NULL && r->f != NULL);
}

const char *
record_path(const struct recorder *r)
{
	return (r->path);
}

/* Messages recorded so far. */
unsigned long
record_count(const struct recorder *r)
{
	return (r->n);
}

/* Bytes written so far. */
uint64_t
record_bytes(const struct recorder *r)
{
	return (r->bytes);
}

/*
 * Record one message (borrowed) in direction dir ("in" or "out"). r may
 * be NULL; nothing is recorded before record_start().
 */
void
record_msg(struct recorder *r, const char *dir, const json_t *msg)
{
	char	*text;

	if (r == NULL || r->f == NULL || !r->started)
		return;
	text = proto_dump(msg);
	r->n++;
	record_msg_line(r, strcmp(dir, "out") == 0 ? RECORD_OUT : RECORD_IN,
	    text);
	free(text);
}

/*
 * Record one serialised message of our own making in direction dir.
 */
void
record_text(struct recorder *r, const char *dir, const char *text)
{
	json_t	*msg;

	if (r == NULL || r->f == NULL || !r->started)
		return;
	if ((msg = json_loads(text, 0, NULL)) == NULL) {
		log_warn("recording: an unparsable %s message skipped", dir);
		return;
	}
	record_msg(r, dir, msg);
	json_decref(msg);
}

/*
 * The link came up (up 1) or went down (why may be NULL).
 */
void
record_link(struct recorder *r, int up, const char *why)
{
	if (r == NULL || r->f == NULL || !r->started)
		return;
	if (up || why == NULL)
		record_mark_line(r, json_pack("{s:s}", "what", up ? "up" :
		    "down"));
	else
		record_mark_line(r, json_pack("{s:s s:s}", "what", "down",
		    "why", why));
}

/*
 * A mark an officer or trainer put in (text may be NULL), for a replay to
 * seek to.
 */
void
record_mark(struct recorder *r, const char *text)
{
	if (r == NULL || r->f == NULL || !r->started)
		return;
	record_mark_line(r, json_pack("{s:s s:s}", "what", "mark", "text",
	    text != NULL ? text : ""));
}

/* ==== The sessions folder ==== */

/*
 * The path of a new session's recording in dir, named by the time now
 * (UTC) and the process: "DIR/2026-12-02T07-08-05Z-4242.rec". Caller
 * frees.
 */
char *
record_session_path(const char *dir, int64_t now)
{
	struct tm	 tm;
	time_t		 secs = (time_t)(now / 1000);
	char		 stamp[32], *path;

	gmtime_r(&secs, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%SZ", &tm);
	xasprintf(&path, "%s/%s-%ld%s", dir, stamp, (long)getpid(),
	    RECORD_SUFFIX);
	return (path);
}

struct record_file {
	char		*name;
	time_t		 mtime;
	uint64_t	 size;
};

static int
record_file_cmp(const void *a, const void *b)
{
	const struct record_file	*x = a, *y = b;

	if (x->mtime != y->mtime)
		return (x->mtime < y->mtime ? -1 : 1);
	return (strcmp(x->name, y->name));
}

/*
 * Keep the recordings in dir (regular files named *.rec) to max_bytes
 * together: remove the oldest first, never keep (a path, or NULL).
 * Returns how many were removed, or -1 with *cause set (allocated;
 * caller frees) when dir cannot be read.
 */
int
record_rotate(const char *dir, uint64_t max_bytes, const char *keep,
    char **cause)
{
	DIR			*d;
	struct dirent		*de;
	struct stat		 sb;
	struct record_file	*v = NULL;
	size_t			 n = 0, i, len;
	uint64_t		 total = 0;
	const char		*base = NULL;
	int			 removed = 0;

	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	if (keep != NULL)
		base = (base = strrchr(keep, '/')) != NULL ? base + 1 : keep;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= strlen(RECORD_SUFFIX) || strcmp(de->d_name + len -
		    strlen(RECORD_SUFFIX), RECORD_SUFFIX) != 0 ||
		    fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		total += (uint64_t)sb.st_size;
		if (base != NULL && strcmp(de->d_name, base) == 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].name = xstrdup(de->d_name);
		v[n].mtime = sb.st_mtime;
		v[n].size = (uint64_t)sb.st_size;
		n++;
	}
	if (v != NULL)
		qsort(v, n, sizeof *v, record_file_cmp);
	for (i = 0; i < n && total > max_bytes; i++) {
		if (unlinkat(dirfd(d), v[i].name, 0) != 0) {
			log_warn("sessions: cannot remove %s/%s: %s", dir,
			    v[i].name, strerror(errno));
			continue;
		}
		log_info("sessions: removed %s/%s (%" PRIu64 " bytes) for "
		    "room", dir, v[i].name, v[i].size);
		total -= v[i].size;
		removed++;
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
	return (removed);
}

/* ==== Reading ==== */

static void
record_reader_drop(struct record_reader *rd)
{
	json_decref(rd->cur);
	rd->cur = NULL;
	free(rd->text);
	rd->text = NULL;
}

/*
 * The start mark on the first line: a recording of format 2. Returns 0,
 * or -1 with *cause set.
 */
static int
record_reader_start(struct record_reader *rd, char **cause)
{
	struct record_line	 line;
	json_int_t		 format;
	char			*why = NULL;

	if (rd->size == 0) {
		*cause = xstrdup("empty: not a recording");
		return (-1);
	}
	if (record_read(rd, &line, &why) != RECORD_LINE ||
	    line.dir != RECORD_MARK || strcmp(line.what, "start") != 0) {
		xasprintf(cause, "not a trucban recording (its first line "
		    "is not a start mark%s%s)", why != NULL ? ": " : "",
		    why != NULL ? why : "");
		free(why);
		return (-1);
	}
	format = json_integer_value(json_object_get(line.line, "format"));
	if (format < RECORD_FORMAT) {
		*cause = xstrdup("a recording of format 1, which does not "
		    "start with the state: it cannot be replayed; record the "
		    "session again with this version (format 2)");
		return (-1);
	}
	if (format > RECORD_FORMAT) {
		xasprintf(cause, "a recording of format %" JSON_INTEGER_FORMAT
		    ", newer than this console reads (%d)", format,
		    RECORD_FORMAT);
		return (-1);
	}
	rd->header = json_incref(line.line);
	return (0);
}

/*
 * Read the recording in buf (len bytes, borrowed: it must outlive the
 * reader), positioned after its start mark. Returns the reader (free
 * with record_reader_free), or NULL with *cause set (allocated; caller
 * frees) when it is not a recording of format 2.
 */
struct record_reader *
record_reader_new(const void *buf, size_t len, char **cause)
{
	struct record_reader	*rd;

	rd = xcalloc(1, sizeof *rd);
	rd->p = buf;
	rd->size = len;
	if (record_reader_start(rd, cause) != 0) {
		record_reader_free(rd);
		return (NULL);
	}
	return (rd);
}

/*
 * Open the recording at path (mapped, read only), positioned after its
 * start mark. Returns the reader (free with record_reader_free), or NULL
 * with *cause set (allocated; caller frees).
 */
struct record_reader *
record_reader_open(const char *path, char **cause)
{
	struct record_reader	*rd;
	struct stat		 sb;
	void			*map = NULL;
	char			*why = NULL;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		close(fd);
		return (NULL);
	}
	if (sb.st_size > 0 && (map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	close(fd);
	rd = xcalloc(1, sizeof *rd);
	rd->p = map;
	rd->size = (size_t)sb.st_size;
	rd->map = map;
	rd->mapsize = rd->size;
	if (record_reader_start(rd, &why) != 0) {
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		record_reader_free(rd);
		return (NULL);
	}
	return (rd);
}

/*
 * Free the reader and its mapping. NULL is a no-op.
 */
void
record_reader_free(struct record_reader *rd)
{
	if (rd == NULL)
		return;
	record_reader_drop(rd);
	json_decref(rd->header);
	if (rd->map != NULL)
		munmap(rd->map, rd->mapsize);
	free(rd);
}

/*
 * The start mark (borrowed): format, client, url, operator, role, areas,
 * exercise, province, online, welcome.
 */
const json_t *
record_reader_header(const struct record_reader *rd)
{
	return (rd->header);
}

/*
 * Go to the line at byte off, which is line lineno + 1 (a place a line
 * was read from, or 0 and 0 for the start).
 */
void
record_reader_seek(struct record_reader *rd, size_t off, size_t lineno)
{
	record_reader_drop(rd);
	rd->off = off <= rd->size ? off : rd->size;
	rd->lineno = lineno;
}

/* Match the literal s at *p (before e); moves *p past it. */
static int
record_lit(const char **p, const char *e, const char *s)
{
	size_t	n = strlen(s);

	if ((size_t)(e - *p) < n || memcmp(*p, s, n) != 0)
		return (0);
	*p += n;
	return (1);
}

/*
 * The shape the writer makes for a message line, read without parsing
 * the message: {"t":MS,"dir":"in","msg":{...}}. Only "in" lines (the
 * bulk of a recording, which the sync parses anyway); 0 for anything
 * else, which is then parsed whole.
 */
static int
record_fast(const char *s, size_t len, struct record_line *line)
{
	const char	*p = s, *e = s + len;
	int64_t		 t = 0;
	int		 digits = 0, neg = 0;

	if (!record_lit(&p, e, "{\"t\":"))
		return (0);
	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	while (p < e && *p >= '0' && *p <= '9') {
		if (++digits > 18)
			return (0);
		t = t * 10 + (*p++ - '0');
	}
	if (digits == 0 || !record_lit(&p, e, ",\"dir\":\"in\",\"msg\":") ||
	    e - p < 3 || *p != '{' || e[-1] != '}' || e[-2] != '}')
		return (0);
	line->t = neg ? -t : t;
	line->dir = RECORD_IN;
	line->text = p;
	line->len = (size_t)(e - 1 - p);
	return (1);
}

/*
 * Read the next line into *line. Returns RECORD_LINE, RECORD_END at the
 * end, or RECORD_DAMAGED with *cause set (allocated; caller frees) when
 * the line is not one of a recording: not a JSON object, without its
 * time, direction or message, or cut short (no end of line); the reader
 * then stays at that line.
 */
enum record_status
record_read(struct record_reader *rd, struct record_line *line,
    char **cause)
{
	const char	*s, *nl, *dir;
	json_t		*v, *msg, *t;
	json_error_t	 jerr;
	size_t		 len, i;

	record_reader_drop(rd);
	memset(line, 0, sizeof *line);
	if (rd->off >= rd->size)
		return (RECORD_END);
	s = rd->p + rd->off;
	line->off = rd->off;
	line->lineno = rd->lineno + 1;
	if ((nl = memchr(s, '\n', rd->size - rd->off)) == NULL) {
		xasprintf(cause, "line %zu (byte %zu) is cut short: no end of "
		    "line", line->lineno, line->off);
		return (RECORD_DAMAGED);
	}
	len = (size_t)(nl - s);
	if (record_fast(s, len, line))
		goto done;

	if ((v = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		xasprintf(cause, "line %zu (byte %zu) is not JSON: %s",
		    line->lineno, line->off, jerr.text);
		return (RECORD_DAMAGED);
	}
	t = json_object_get(v, "t");
	dir = json_string_value(json_object_get(v, "dir"));
	for (i = 0; dir != NULL && i < sizeof record_dirs /
	    sizeof record_dirs[0]; i++) {
		if (strcmp(dir, record_dirs[i]) == 0)
			break;
	}
	if (!json_is_object(v) || !json_is_integer(t) || dir == NULL ||
	    i == sizeof record_dirs / sizeof record_dirs[0]) {
		xasprintf(cause, "line %zu (byte %zu) is not a line of a "
		    "recording (it needs \"t\" and \"dir\")", line->lineno,
		    line->off);
		json_decref(v);
		return (RECORD_DAMAGED);
	}
	line->t = json_integer_value(t);
	line->dir = (enum record_dir)i;
	if (line->dir == RECORD_MARK) {
		line->what = json_string_value(json_object_get(v, "what"));
		if (line->what == NULL) {
			xasprintf(cause, "line %zu (byte %zu): a mark without "
			    "\"what\"", line->lineno, line->off);
			json_decref(v);
			return (RECORD_DAMAGED);
		}
		line->line = v;
	} else {
		msg = json_object_get(v, "msg");
		if (!json_is_object(msg) || !json_is_string(json_object_get(msg,
		    "type"))) {
			xasprintf(cause, "line %zu (byte %zu): a message line "
			    "without its message", line->lineno, line->off);
			json_decref(v);
			return (RECORD_DAMAGED);
		}
		rd->text = proto_dump(msg);
		line->text = rd->text;
		line->len = strlen(rd->text);
		line->line = v;
	}
	rd->cur = v;
done:
	rd->off += len + 1;
	rd->lineno++;
	return (RECORD_LINE);
}

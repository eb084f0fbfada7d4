/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Session recording: inbound and outbound messages with their times. */

#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * A recording is a text file of lines, each one JSON object (format in
 * docs/recording.md):
 *
 *   {"t":MS,"dir":"mark","what":"start","url":URL,"client":..,"proto":1}
 *   {"t":MS,"dir":"in","msg":{...the message as received...}}
 *   {"t":MS,"dir":"out","msg":{...the message as sent...}}
 *   {"t":MS,"dir":"mark","what":"stop","messages":N}
 *
 * Lines are written whole and flushed one by one, so a recording cut
 * short by a crash loses at most its last line. An existing file is never
 * overwritten. A write error stops the recording and is logged.
 */

struct recorder {
	FILE		*f;
	char		*path;
	unsigned long	 n;
};

/* Write one line; steals line. */
static void
record_line(struct recorder *r, json_t *line)
{
	char	*text;

	if (r->f == NULL || line == NULL) {
		json_decref(line);
		return;
	}
	text = proto_dump(line);
	json_decref(line);
	if (fprintf(r->f, "%s\n", text) < 0 || fflush(r->f) != 0) {
		log_warn("recording %s stopped: %s", r->path, strerror(errno));
		fclose(r->f);
		r->f = NULL;
	}
	free(text);
}

/*
 * Start recording into a new file at path; url names the backend in the
 * first line. Returns the recorder (close with record_close), or NULL with
 * *cause set (allocated; caller frees) when the file exists or cannot be
 * created.
 */
struct recorder *
record_open(const char *path, const char *url, char **cause)
{
	struct recorder	*r;
	FILE		*f;

	if ((f = fopen(path, "wx")) == NULL) {
		xasprintf(cause, "%s: %s", path, errno == EEXIST ?
		    "exists; record into a new file" : strerror(errno));
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->f = f;
	r->path = xstrdup(path);
	record_line(r, json_pack("{s:I s:s s:s s:s s:s s:i}",
	    "t", (json_int_t)clock_now(), "dir", "mark", "what", "start",
	    "url", url != NULL ? url : "", "client", "trucban "
	    TRUCBAN_VERSION, "proto", PROTO_VERSION));
	return (r);
}

/*
 * Write the stop mark, close the file and free the recorder. NULL is a
 * no-op.
 */
void
record_close(struct recorder *r)
{
	if (r == NULL)
		return;
	record_line(r, json_pack("{s:I s:s s:s s:I}", "t",
	    (json_int_t)clock_now(), "dir", "mark", "what", "stop",
	    "messages", (json_int_t)r->n));
	if (r->f != NULL)
		fclose(r->f);
	free(r->path);
	free(r);
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

/*
 * Record one message (borrowed) in direction dir ("in" or "out").
 */
void
record_msg(struct recorder *r, const char *dir, const json_t *msg)
{
	if (r == NULL || r->f == NULL)
		return;
	r->n++;
	record_line(r, json_pack("{s:I s:s s:O}", "t",
	    (json_int_t)clock_now(), "dir", dir, "msg", msg));
}

/*
 * Record one serialised message of our own making in direction dir.
 */
void
record_text(struct recorder *r, const char *dir, const char *text)
{
	json_t	*msg;

	if (r == NULL || r->f == NULL)
		return;
	if ((msg = json_loads(text, 0, NULL)) == NULL) {
		log_warn("recording: an unparsable %s message skipped", dir);
		return;
	}
	record_msg(r, dir, msg);
	json_decref(msg);
}

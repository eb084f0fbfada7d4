/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Session recordings for training (docs/recording.md, format 2): a header
 * that says who recorded what, the state as the console held it when the
 * recording started, then every message in and out, the link going up and
 * down and the marks an officer or trainer put in, each with its time,
 * one JSON object per line. The writer never stops the console: a full
 * disk or the size cap stops the recording and says so. The reader is
 * what a replay (console/replay.c) and the shift report read with; it
 * reads a damaged file up to the damage and says where it is.
 *
 *	struct recorder	*r = record_open(path, url, &cause);
 *
 *	record_start(r, store, welcome, online);	(header and state)
 *	record_msg(r, "in", msg);
 *	record_close(r);
 */

#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct store;
struct recorder;

#define RECORD_FORMAT		2
#define RECORD_SUFFIX		".rec"
#define RECORD_SESSIONS_MB	512	/* Default cap of the sessions. */
#define RECORD_ROTATE_EVERY	(1024 * 1024)	/* Bytes between checks. */

/* Told when a recording stops by itself (disk full, size cap). */
typedef void	(*record_stopped_cb)(void *arg, const char *path,
		    const char *why);

struct recorder	*record_open(const char *path, const char *url,
		     char **cause);
void		 record_close(struct recorder *);
void		 record_set_hook(struct recorder *, record_stopped_cb,
		     void *arg);
void		 record_set_cap(struct recorder *, const char *dir,
		     uint64_t max_bytes);
int		 record_start(struct recorder *, const struct store *,
		     const json_t *welcome, int online);
int		 record_started(const struct recorder *);
int		 record_writing(const struct recorder *);
const char	*record_path(const struct recorder *);
unsigned long	 record_count(const struct recorder *);
uint64_t	 record_bytes(const struct recorder *);
void		 record_msg(struct recorder *, const char *dir,
		     const json_t *msg);
void		 record_text(struct recorder *, const char *dir,
		     const char *text);
void		 record_link(struct recorder *, int up, const char *why);
void		 record_mark(struct recorder *, const char *text);

char		*record_session_path(const char *dir, int64_t now);
int		 record_rotate(const char *dir, uint64_t max_bytes,
		     const char *keep, char **cause);

/* ==== Reading ==== */

enum record_dir {
	RECORD_IN,			/* Received from the backend. */
	RECORD_OUT,			/* Sent to it. */
	RECORD_MARK,			/* start, stop, up, down, mark. */
	RECORD_STATE			/* The state when it started. */
};

/* One line as read; valid until the next read or seek. */
struct record_line {
	int64_t		 t;		/* ms, the console's clock. */
	enum record_dir	 dir;
	const char	*text;		/* IN, OUT, STATE: the message; not */
	size_t		 len;		/* NUL-terminated. */
	json_t		*line;		/* MARK: the whole line (borrowed). */
	const char	*what;		/* MARK: "start", "up", "mark" ... */
	size_t		 lineno;	/* From 1. */
	size_t		 off;		/* Its first byte. */
};

enum record_status {
	RECORD_END = 0,			/* Nothing more. */
	RECORD_LINE,			/* A line; *line is set. */
	RECORD_DAMAGED			/* Not a line of a recording. */
};

/* Reads a recording in memory (a file mapped, or a buffer). */
struct record_reader {
	const char	*p;
	size_t		 size;
	void		*map;		/* Owned mapping, or NULL. */
	size_t		 mapsize;
	size_t		 off;		/* Where the next line starts. */
	size_t		 lineno;	/* Lines read so far. */
	json_t		*header;	/* The start mark (owned). */
	json_t		*cur;		/* The last line parsed (owned). */
	char		*text;		/* Its message, serialised (owned). */
};

struct record_reader	*record_reader_open(const char *path, char **cause);
struct record_reader	*record_reader_new(const void *buf, size_t len,
			     char **cause);
void			 record_reader_free(struct record_reader *);
const json_t		*record_reader_header(const struct record_reader *);
enum record_status	 record_read(struct record_reader *,
			     struct record_line *, char **cause);
void			 record_reader_seek(struct record_reader *,
			     size_t off, size_t lineno);

#endif

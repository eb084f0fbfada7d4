/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Protocol v1 codec (docs/protocol.md): JSON text frames over websockets.
 * proto_parse() validates every inbound message before anybody reads it;
 * the encoders build messages as new jansson references.
 */

#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

#define PROTO_VERSION		1
#define PROTO_SUBPROTOCOL	"trucban.v1"
#define PROTO_MAX_FRAME		(256 * 1024)	/* Client to server, bytes. */
#define PROTO_MAX_DOWN_FRAME	(16 * 1024 * 1024) /* Server to client. */
#define PROTO_MAX_TEXT		4096		/* Bytes, one free text. */
#define PROTO_MAX_ARGS		32		/* Ids in one command. */
#define PROTO_CMD_ID_MAX	64		/* Command ids, with the NUL. */
#define PROTO_BATCH_MAX		1024		/* Events in one batch. */
#define PROTO_BATCH_BYTES	(1024 * 1024)	/* Event text in one batch. */

enum proto_type {
	PROTO_HELLO,		/* client -> server */
	PROTO_WELCOME,		/* server -> client */
	PROTO_SNAPSHOT,		/* server -> client */
	PROTO_EVENT,		/* server -> client */
	PROTO_CMD,		/* client -> server */
	PROTO_RESULT,		/* server -> client */
	PROTO_ERROR,		/* server -> client */
	PROTO_GET,		/* client -> server: one item */
	PROTO_DIGEST,		/* client -> server: state hash */
	PROTO_PRESENCE,		/* server -> client: who is connected */
	PROTO_FOLLOW,		/* server -> trainer: a trainee's command */
	PROTO_DRILL,		/* server -> trainer: the drill, per trainee */
	PROTO_ARCHIVE,		/* client -> server: archived items */
	PROTO_BATCH,		/* server -> client: events, in order */
	PROTO_TYPE_COUNT
};

enum proto_err {
	PROTO_E_BAD_MESSAGE,
	PROTO_E_UNSUPPORTED_VERSION,
	PROTO_E_UNAUTHORIZED,
	PROTO_E_FORBIDDEN,
	PROTO_E_UNKNOWN_COMMAND,
	PROTO_E_BAD_ARGS,
	PROTO_E_NOT_FOUND,
	PROTO_E_BAD_STATE,
	PROTO_E_STALE_VERSION,
	PROTO_E_UNIT_UNAVAILABLE,
	PROTO_E_CONFLICT,	/* Same command id, other payload. */
	PROTO_E_TOO_LARGE,
	PROTO_E_RATE_LIMITED,
	PROTO_E_NOT_READY,	/* Command before hello. */
	PROTO_E_INTERNAL,
	PROTO_E_COUNT
};

extern const char *const proto_type_names[PROTO_TYPE_COUNT];
extern const char *const proto_err_names[PROTO_E_COUNT];

/*
 * Parse and validate one inbound frame of len bytes. Returns a new
 * reference to the message object and sets *type; on any problem returns
 * NULL and sets *err and *cause (allocated, caller frees).
 */
json_t	*proto_parse(const char *buf, size_t len, enum proto_type *type,
	     enum proto_err *err, char **cause);

/*
 * A batch's envelope says only that "events" is an array: each element is
 * checked as an event envelope by its reader with proto_check_event(), so
 * one bad element costs itself, as a lone event would. Returns 0, or -1
 * with *cause set (caller frees).
 */
int	 proto_check_event(json_t *, char **cause);

/* Serialise compactly; caller frees. */
char	*proto_dump(const json_t *);

/* Entity codecs. Encoders return new references. Decoders validate the
 * object fully, fill the struct (which they clear first) and return 0, or
 * return -1 with *cause set. With sanitize, free text is sanitised. */
json_t	*proto_alert_encode(const struct alert *);
int	 proto_alert_decode(json_t *, struct alert *, int sanitize, char **);
json_t	*proto_unit_encode(const struct unit *);
int	 proto_unit_decode(json_t *, struct unit *, int sanitize, char **);
json_t	*proto_hospital_encode(const struct hospital *);
int	 proto_hospital_decode(json_t *, struct hospital *, int sanitize,
	     char **);
json_t	*proto_school_encode(const struct school *);
int	 proto_school_decode(json_t *, struct school *, int sanitize,
	     char **);
json_t	*proto_feedback_encode(const struct feedback *);
int	 proto_feedback_decode(json_t *, struct feedback *, int sanitize,
	     char **);

/* Message builders; all return new references. */
json_t	*proto_hello_new(const char *client, int64_t resume_seq);
json_t	*proto_event_new(uint64_t seq, int64_t ts, const char *kind,
	     json_t *item /* stolen */);
json_t	*proto_remove_new(uint64_t seq, int64_t ts, const char *kind,
	     json_t *item /* stolen */);
json_t	*proto_event_delta(json_t *ev, uint64_t from, size_t add);
json_t	*proto_cmd_new(const char *id, const char *cmd,
	     json_t *args /* stolen */);
json_t	*proto_result_ok(const char *id, uint64_t seq);
json_t	*proto_result_err(const char *id, enum proto_err, const char *msg);
json_t	*proto_result_refused(const char *id, enum proto_err,
	     const char *reason, json_t *args /* borrowed */, const char *msg);
json_t	*proto_error_new(enum proto_err, const char *msg);

/*
 * Command ids: a client makes them unique (prefix + counter); the backend
 * remembers them. Writes "<prefix>-<n>" into buf.
 */
void	 proto_cmd_id(char *buf, size_t sz, const char *prefix, uint64_t n);

#endif

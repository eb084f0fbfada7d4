/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Officers' commands (docs/protocol.md "cmd and result") and the read-only
 * requests "get" and "digest", applied to a struct be_state without any
 * network: the server calls these with a parsed message and queues the
 * result; the simulator and tests call them directly.
 */

#ifndef BE_CMD_H
#define BE_CMD_H

#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "proto.h"

struct be_operator;
struct be_state;

#define BE_CMD_ID_MAX	PROTO_CMD_ID_MAX

/* What be_cmd_run() did. */
struct be_cmd_outcome {
	uint64_t	 seq;		/* Last event produced; 0: none. */
	char		 item[MODEL_ID_MAX];	/* inject: the new id. */
	enum proto_err	 err;		/* When refused. */
	char		*msg;		/* When refused; owned. */
};

json_t	*be_cmd_exec(struct be_state *, const struct be_operator *,
	     json_t *msg);
int	 be_cmd_run(struct be_state *, const struct be_operator *,
	     const char *name, json_t *args, struct be_cmd_outcome *);
int	 be_cmd_check(struct be_state *, const struct be_operator *,
	     const char *name, json_t *args, struct be_cmd_outcome *);
void	 be_cmd_outcome_clear(struct be_cmd_outcome *);
json_t	*be_cmd_get(struct be_state *, json_t *msg);
json_t	*be_cmd_digest(struct be_state *, json_t *msg);
int64_t	 be_cmd_feedback_due(int64_t received, int utc_offset_min);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Officers' commands as messages (docs/protocol.md "cmd and result"):
 * the envelope, idempotency and results around the engine, and the
 * read-only requests "get" and "digest", applied to a struct be_state
 * without any network: the server calls these with a parsed message and
 * queues the result; tests call them directly.
 */

#ifndef BE_CMD_H
#define BE_CMD_H

#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "proto.h"

struct be_state;
struct operator;

#define BE_CMD_ID_MAX	PROTO_CMD_ID_MAX

json_t	*be_cmd_exec(struct be_state *, const struct operator *,
	     json_t *msg);
json_t	*be_cmd_get(struct be_state *, json_t *msg);
json_t	*be_cmd_digest(struct be_state *, json_t *msg);

#endif

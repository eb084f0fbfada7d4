/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Officers' commands as messages (docs/protocol.md "cmd and result"):
 * the envelope, idempotency and results around the engine, applied to a
 * struct be_state without any network: the server calls be_cmd_exec()
 * with a parsed message and queues the result; tests call it directly.
 */

#ifndef BE_CMD_H
#define BE_CMD_H

#include <jansson.h>

#include "engine.h"
#include "proto.h"

struct be_state;
struct operator;

#define BE_CMD_ID_MAX	PROTO_CMD_ID_MAX

json_t	*be_cmd_exec(struct be_state *, const struct operator *,
	     json_t *msg);
json_t	*be_cmd_refuse(const char *id, enum engine_reason, const char *key,
	     const char *value);

#endif

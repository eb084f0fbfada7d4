/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Officers' commands (docs/protocol.md "cmd and result") and the read-only
 * requests "get" and "digest", applied to a struct be_state without any
 * network: the server calls these with a parsed message and queues the
 * result; tests call them directly.
 */

#ifndef BE_CMD_H
#define BE_CMD_H

#include <jansson.h>

#include "proto.h"

struct be_operator;
struct be_state;

#define BE_CMD_ID_MAX	PROTO_CMD_ID_MAX

json_t	*be_cmd_exec(struct be_state *, const struct be_operator *,
	     json_t *msg);
json_t	*be_cmd_get(struct be_state *, json_t *msg);
json_t	*be_cmd_digest(struct be_state *, json_t *msg);

#endif

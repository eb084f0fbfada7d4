/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * What the backend answers without changing anything (docs/protocol.md):
 * the welcome, snapshots (whole, or as an area-scoped operator sees
 * them), one item ("get") and the digest of the state.
 */

#ifndef BE_QUERY_H
#define BE_QUERY_H

#include <jansson.h>

struct be_state;
struct operator;

json_t	*be_query_welcome(const struct be_state *, const struct operator *);
json_t	*be_query_snapshot(const struct be_state *, int gap,
	     const struct operator *);
void	 be_query_digest_for(const struct be_state *,
	     const struct operator *, char out[17]);
json_t	*be_query_get(struct be_state *, json_t *msg);
json_t	*be_query_digest(struct be_state *, json_t *msg);
json_t	*be_query_archive(struct be_state *, const struct operator *scope,
	     json_t *msg);

#endif

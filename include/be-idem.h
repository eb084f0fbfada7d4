/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Command idempotency: remembers, for the last N command ids, the
 * canonical payload and the serialised result, so a repeated id gets the
 * first result again and a reused id with another payload is refused.
 */

#ifndef BE_IDEM_H
#define BE_IDEM_H

#include <stddef.h>

struct be_idem;

struct be_idem	*be_idem_new(size_t cap);
void		 be_idem_free(struct be_idem *);
int		 be_idem_find(struct be_idem *, const char *id,
		     const char **payload, const char **result);
void		 be_idem_put(struct be_idem *, const char *id,
		     const char *payload, const char *result);
size_t		 be_idem_count(const struct be_idem *);
void		 be_idem_foreach(const struct be_idem *,
		     void (*)(void *, const char *id, const char *payload,
		     const char *result), void *);

#endif

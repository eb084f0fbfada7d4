/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The string pool: one copy of each distinct string a history holds, for
 * the whole process, found again by its bytes and counted by its users.
 * A string is named by a 32-bit id, so that a history entry holds three
 * ids instead of three pointers (model.h). The empty string is id 0,
 * always there and never counted.
 *
 * Ownership: strpool_get() and strpool_hold() take a reference, which
 * strpool_put() gives back; the string goes with its last reference. A
 * pointer from strpool_str() is valid while the caller holds a
 * reference. strpool_intern() and strpool_release() do the same by
 * pointer, for a struct's string fields (an item held by a store,
 * model.h). Not thread-safe: only the thread of the store uses it.
 */

#ifndef STRPOOL_H
#define STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#define STRPOOL_EMPTY	0	/* "". */

uint32_t	 strpool_get(const char *, size_t len);
void		 strpool_hold(uint32_t);
void		 strpool_put(uint32_t);
const char	*strpool_str(uint32_t);
const char	*strpool_intern(const char *);
int		 strpool_release(const char *);

/* Counts (tests, bench-snapshot): distinct strings and their bytes. */
size_t		 strpool_count(void);
size_t		 strpool_bytes(void);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The process's pool of shared, counted strings (strpool.h). */

#include "strpool.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/*
 * The strings by id in one array (a freed id is reused: the free ids are
 * a list through their hash field), and an open-addressing index of the
 * ids by hash, linear probing, at most 70 % full, removal by backward
 * shift as in idmap.c. A pointer to a string finds its id through its
 * bytes (strpool_release()), so a field that was given a string of its
 * own instead is told apart. A history of 100,000 items holds half a million
 * entries but a few hundred distinct authors, command names and machine
 * texts (a unit's id, "on scene", a disposition): each is kept once.
 */
struct strpool_ent {
	char		*s;		/* Owned; NULL when the id is free. */
	uint32_t	 refs;
	uint32_t	 hash;		/* Or the next free id. */
};

static struct strpool_ent	*strpool_v;
static uint32_t			 strpool_n, strpool_cap, strpool_free;
static uint32_t			*strpool_index;	/* Ids; 0: empty. */
static size_t			 strpool_icap, strpool_live, strpool_nbytes;
static char			 strpool_empty[] = "";

/* 32-bit FNV-1a of len bytes. */
static uint32_t
strpool_hash(const char *s, size_t len)
{
	uint32_t	h = 0x811c9dc5U;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x01000193U;
	}
	return (h);
}

/* Put id into the index at its hash's first empty slot. */
static void
strpool_insert(uint32_t id)
{
	size_t	k, mask = strpool_icap - 1;

	for (k = strpool_v[id].hash & mask; strpool_index[k] != 0;
	    k = (k + 1) & mask)
		;
	strpool_index[k] = id;
}

/* Double the index (or make the first) and put every live id again. */
static void
strpool_grow_index(void)
{
	uint32_t	*old = strpool_index;
	size_t		 oldcap = strpool_icap, i;

	strpool_icap = oldcap == 0 ? 256 : oldcap * 2;
	strpool_index = xcalloc(strpool_icap, sizeof *strpool_index);
	for (i = 0; i < oldcap; i++) {
		if (old[i] != 0)
			strpool_insert(old[i]);
	}
	free(old);
}

/*
 * A reference to the pool's copy of the len bytes at s (which need not
 * be NUL-terminated), made when there is none. Returns its id.
 */
uint32_t
strpool_get(const char *s, size_t len)
{
	struct strpool_ent	*e;
	uint32_t		 h, id;
	size_t			 k, mask;

	if (len == 0)
		return (STRPOOL_EMPTY);
	h = strpool_hash(s, len);
	if (strpool_icap != 0) {
		mask = strpool_icap - 1;
		for (k = h & mask; (id = strpool_index[k]) != 0;
		    k = (k + 1) & mask) {
			e = &strpool_v[id];
			if (e->hash == h && strncmp(e->s, s, len) == 0 &&
			    e->s[len] == '\0') {
				strpool_hold(id);
				return (id);
			}
		}
	}

	if (strpool_free != 0) {
		id = strpool_free;
		strpool_free = strpool_v[id].hash;
	} else {
		if (strpool_n == strpool_cap) {
			if (strpool_cap >= UINT32_MAX / 2)
				fatalx("%s: too many strings", __func__);
			strpool_cap = strpool_cap == 0 ? 256 : strpool_cap * 2;
			strpool_v = xreallocarray(strpool_v, strpool_cap,
			    sizeof *strpool_v);
		}
		if (strpool_n == 0) {
			/* Id 0 is "", never in the index. */
			strpool_v[0].s = strpool_empty;
			strpool_v[0].refs = 0;
			strpool_v[0].hash = 0;
			strpool_n = 1;
		}
		id = strpool_n++;
	}
	e = &strpool_v[id];
	e->s = xmalloc(len + 1);
	memcpy(e->s, s, len);
	e->s[len] = '\0';
	e->refs = 1;
	e->hash = h;
	if ((strpool_live + 1) * 10 > strpool_icap * 7)
		strpool_grow_index();
	strpool_insert(id);
	strpool_live++;
	strpool_nbytes += len + 1;
	return (id);
}

/*
 * One more reference to id (a copy of something that holds it).
 */
void
strpool_hold(uint32_t id)
{
	if (id == STRPOOL_EMPTY)
		return;
	if (id >= strpool_n || strpool_v[id].s == NULL)
		fatalx("%s: no string %u", __func__, id);
	if (++strpool_v[id].refs == 0)
		fatalx("%s: too many references", __func__);
}

/*
 * Give back a reference to id; the string goes with the last.
 */
void
strpool_put(uint32_t id)
{
	struct strpool_ent	*e;
	size_t			 i, j, k, mask;

	if (id == STRPOOL_EMPTY)
		return;
	if (id >= strpool_n || strpool_v[id].s == NULL)
		fatalx("%s: no string %u", __func__, id);
	e = &strpool_v[id];
	if (--e->refs > 0)
		return;

	/* Out of the index; the ids after it in its run move back. */
	mask = strpool_icap - 1;
	for (i = e->hash & mask; strpool_index[i] != id; i = (i + 1) & mask)
		;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (strpool_index[j] == 0)
			break;
		k = strpool_v[strpool_index[j]].hash & mask;
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			strpool_index[i] = strpool_index[j];
			i = j;
		}
	}
	strpool_index[i] = 0;

	strpool_nbytes -= strlen(e->s) + 1;
	free(e->s);
	e->s = NULL;
	e->hash = strpool_free;
	strpool_free = id;
	strpool_live--;
}

/*
 * The string of id (borrowed: valid while a reference is held).
 */
const char *
strpool_str(uint32_t id)
{
	if (id == STRPOOL_EMPTY)
		return (strpool_empty);
	if (id >= strpool_n || strpool_v[id].s == NULL)
		fatalx("%s: no string %u", __func__, id);
	return (strpool_v[id].s);
}

/*
 * The pool's copy of the string s with a reference taken, for a field
 * that held s: NULL stays NULL. Give it back with strpool_release().
 */
const char *
strpool_intern(const char *s)
{
	if (s == NULL)
		return (NULL);
	return (strpool_str(strpool_get(s, strlen(s))));
}

/*
 * Give back the reference of a string from strpool_intern() (NULL: none).
 * Returns 0, or -1 when s is not the pool's (nothing done: a string of
 * the caller's own, which it frees).
 */
int
strpool_release(const char *s)
{
	uint32_t	h, id;
	size_t		k, mask;

	if (s == NULL || s == strpool_empty)
		return (0);
	if (strpool_icap == 0)
		return (-1);
	h = strpool_hash(s, strlen(s));
	mask = strpool_icap - 1;
	for (k = h & mask; (id = strpool_index[k]) != 0; k = (k + 1) & mask) {
		if (strpool_v[id].s == s) {
			strpool_put(id);
			return (0);
		}
	}
	return (-1);
}

/* The number of distinct strings held, "" aside. */
size_t
strpool_count(void)
{
	return (strpool_live);
}

/* Their bytes, each with its NUL. */
size_t
strpool_bytes(void)
{
	return (strpool_nbytes);
}

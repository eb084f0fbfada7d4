/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The received messages' jansson trees in a region (jarena.h). */

#include "jarena.h"

#include <stdlib.h>

#include <jansson.h>

#include "xmalloc.h"

/*
 * Under AddressSanitizer the free parts of a chunk are poisoned, so that
 * a value used after its chunk was reset is still caught (a value freed
 * while others in its chunk live is not: the chunk keeps it addressable).
 */
#if defined(__SANITIZE_ADDRESS__)
#define JARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JARENA_ASAN 1
#endif
#endif
#ifdef JARENA_ASAN
#include <sanitizer/asan_interface.h>
#define JARENA_POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define JARENA_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define JARENA_POISON(p, n)	((void)(p), (void)(n))
#define JARENA_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

/*
 * A chunk holds the trees of several events (an event's tree is a few
 * KiB); a batch or a snapshot part larger than a chunk goes on in the
 * next one, set aside meanwhile, and its large values to malloc().
 */
#define JARENA_CHUNK	(256 * 1024)
#define JARENA_BIG	(JARENA_CHUNK / 8)
#define JARENA_ALIGN	16
#define JARENA_ASIDE	4

struct jarena_chunk {
	char	*base;		/* NULL: none. */
	size_t	 used;		/* Bytes cut, from base. */
	size_t	 live;		/* Allocations not yet freed. */
};

static struct jarena_chunk	 jarena_cur;
static struct jarena_chunk	 jarena_aside_v[JARENA_ASIDE];
static size_t			 jarena_naside;
static char			*jarena_spare;	/* An idle chunk, or NULL. */
static int			 jarena_on_process;
static _Thread_local int	 jarena_on;
static size_t			 jarena_served, jarena_spilled;

static int
jarena_in(const struct jarena_chunk *c, const void *p)
{
	const char	*q = p;

	return (c->base != NULL && q >= c->base && q < c->base + JARENA_CHUNK);
}

/* A chunk's memory to keep as the spare, or to free. */
static void
jarena_release(char *base)
{
	if (jarena_spare == NULL) {
		JARENA_POISON(base, JARENA_CHUNK);
		jarena_spare = base;
	} else {
		JARENA_UNPOISON(base, JARENA_CHUNK);
		free(base);
	}
}

/*
 * A fresh current chunk; the one before, whose values still live, is set
 * aside. Returns 0 when JARENA_ASIDE are already set aside.
 */
static int
jarena_next(void)
{
	if (jarena_cur.base != NULL && jarena_cur.live > 0) {
		if (jarena_naside == JARENA_ASIDE)
			return (0);
		jarena_aside_v[jarena_naside++] = jarena_cur;
		jarena_cur.base = NULL;
	}
	if (jarena_cur.base == NULL) {
		if ((jarena_cur.base = jarena_spare) != NULL)
			jarena_spare = NULL;
		else {
			jarena_cur.base = xmalloc(JARENA_CHUNK);
			JARENA_POISON(jarena_cur.base, JARENA_CHUNK);
		}
	}
	jarena_cur.used = 0;
	jarena_cur.live = 0;
	return (1);
}

static void *
jarena_malloc(size_t n)
{
	size_t	off;
	void	*p;

	if (!jarena_on)
		return (malloc(n));
	if (n > JARENA_BIG) {
		jarena_spilled++;
		return (malloc(n));
	}
	off = (jarena_cur.used + JARENA_ALIGN - 1) &
	    ~(size_t)(JARENA_ALIGN - 1);
	if (jarena_cur.base == NULL || off + n > JARENA_CHUNK) {
		if (!jarena_next()) {
			jarena_spilled++;
			return (malloc(n));
		}
		off = 0;
	}
	p = jarena_cur.base + off;
	jarena_cur.used = off + n;
	jarena_cur.live++;
	jarena_served++;
	JARENA_UNPOISON(p, n);
	return (p);
}

static void
jarena_free(void *p)
{
	struct jarena_chunk	*c;
	size_t			 i;

	if (p == NULL)
		return;
	if (jarena_in(&jarena_cur, p)) {
		if (--jarena_cur.live == 0) {
			JARENA_POISON(jarena_cur.base, jarena_cur.used);
			jarena_cur.used = 0;
		}
		return;
	}
	for (i = 0; i < jarena_naside; i++) {
		c = &jarena_aside_v[i];
		if (!jarena_in(c, p))
			continue;
		if (--c->live == 0) {
			jarena_release(c->base);
			*c = jarena_aside_v[--jarena_naside];
		}
		return;
	}
	free(p);
}

/* Under jansson, for the whole process; before any jansson value. */
void
jarena_install(void)
{
	if (jarena_on_process)
		return;
	json_set_alloc_funcs(jarena_malloc, jarena_free);
	jarena_on_process = 1;
}

int
jarena_installed(void)
{
	return (jarena_on_process);
}

/* This thread's jansson allocations into the region, until jarena_end(). */
void
jarena_begin(void)
{
	if (jarena_on_process)
		jarena_on = 1;
}

void
jarena_end(void)
{
	jarena_on = 0;
}

void
jarena_stats(struct jarena_stats *st)
{
	size_t	i;

	st->chunks = (jarena_cur.base != NULL) + jarena_naside +
	    (jarena_spare != NULL);
	st->aside = jarena_naside;
	st->live = jarena_cur.live;
	for (i = 0; i < jarena_naside; i++)
		st->live += jarena_aside_v[i].live;
	st->served = jarena_served;
	st->spilled = jarena_spilled;
}

/* Give back the chunks without a live value (the spare, an idle current). */
void
jarena_trim(void)
{
	if (jarena_spare != NULL) {
		JARENA_UNPOISON(jarena_spare, JARENA_CHUNK);
		free(jarena_spare);
		jarena_spare = NULL;
	}
	if (jarena_cur.base != NULL && jarena_cur.live == 0) {
		JARENA_UNPOISON(jarena_cur.base, JARENA_CHUNK);
		free(jarena_cur.base);
		jarena_cur.base = NULL;
		jarena_cur.used = 0;
	}
}

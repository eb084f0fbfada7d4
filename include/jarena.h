/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * jarena: the jansson trees of received messages in a region instead of
 * one malloc() and free() per value. A console parses every message it
 * receives into a tree that lives until the message is applied, then
 * goes whole; a malloc() and a free() a value were about a fifth of
 * jansson's instructions on an event (docs/bench.md). Between
 * jarena_begin() and jarena_end() this thread's jansson allocations are
 * cut from the current chunk; a chunk whose allocations have all been
 * freed is used again from its start. Nothing is reused while any value
 * in it lives: each chunk counts its live allocations, so a value kept
 * past its message (json_incref()) only keeps its chunk, which is set
 * aside and freed with its last value. At most four chunks are set
 * aside; beyond that, and for values over 32 KiB, allocations go to
 * malloc().
 *
 * jarena_install() puts the allocator under jansson for the whole
 * process, before any jansson value exists; only a single-threaded
 * process may install it (the console does; the backend, with its NATS
 * threads, does not). Without it, jarena_begin() and jarena_end() do
 * nothing. Outside begin/end jansson gets malloc()'s memory, so a text
 * from json_dumps() there may still be given to free().
 */

#ifndef JARENA_H
#define JARENA_H

#include <stddef.h>

struct jarena_stats {
	size_t	chunks;		/* Chunks held: current, set aside, spare. */
	size_t	aside;		/* Set aside, with values still alive. */
	size_t	live;		/* Live allocations in chunks. */
	size_t	served;		/* Allocations served from chunks, ever. */
	size_t	spilled;	/* Allocations inside begin/end to malloc(). */
};

void	jarena_install(void);
int	jarena_installed(void);
void	jarena_begin(void);
void	jarena_end(void);
void	jarena_stats(struct jarena_stats *);
void	jarena_trim(void);

#endif

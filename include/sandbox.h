/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A training sandbox: the backend's part for a console that replays a
 * recording (console/replay.c), on this machine. It answers what the
 * console sends (commands, digest requests) by running the core engine
 * (core/engine.c), with every check a backend makes, as the recording's
 * operator, against the console's own store, and hands each change back
 * as the event a backend would send, for the console's sync to apply.
 * Nothing leaves the machine.
 */

#ifndef SANDBOX_H
#define SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct kind;
struct store;
struct sandbox;

/* What the sandbox asks of its host. Every member is required. */
struct sandbox_hooks {
	/*
	 * The engine changed an item: text (len bytes) is the event
	 * message, with the seq next_seq() gave. The host applies it to
	 * the store before it returns, as a backend would: the engine reads
	 * the store back.
	 */
	void	 (*event)(void *arg, const char *text, size_t len);
	/* The answer to a message: a result (text). */
	void	 (*answer)(void *arg, const char *text, size_t len);
	/* The seq for the next event. */
	uint64_t (*next_seq)(void *arg);
	/* The time now, ms: the recording's clock. */
	int64_t	 (*now)(void *arg);
	void	*arg;
};

struct sandbox	*sandbox_new(struct store *, const struct sandbox_hooks *,
		     const char *operator, const char *role,
		     const json_t *areas, int exercise);
void		 sandbox_free(struct sandbox *);
void		 sandbox_refuse(struct sandbox *, const char *why);
int		 sandbox_handle(struct sandbox *, const char *text,
		     size_t len);
uint64_t	 sandbox_commands(const struct sandbox *);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The terminal: the only module that starts and stops curses. Redraws are
 * batched into frames (at most one every SCREEN_FRAME_MS, one doupdate()
 * each), scheduled on the libwebsockets loop.
 */

#ifndef SCREEN_H
#define SCREEN_H

#include <curses.h>

struct lws_context;
struct layout;

#define SCREEN_FRAME_MS		100	/* Frame cap: 10 per second. */
#define SCREEN_TICK_MS		1000	/* The clock in the header. */

int	 screen_start(struct lws_context *, struct layout *, int colour,
	     char **cause);
void	 screen_stop(void);
int	 screen_active(void);
WINDOW	*screen_input(void);
void	 screen_request(void);
void	 screen_redraw(void);
void	 screen_resize(void);
void	 screen_touch(void);
void	 screen_frame(void);
void	 screen_set_frame_hook(void (*)(void *), void *);
int	 screen_theme(const char *name, char **cause);
int	 screen_lang(const char *lang, char **cause);

#endif

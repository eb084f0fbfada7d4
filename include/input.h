/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Keyboard dispatch. The keys one read of the terminal gives (a burst)
 * go, one by one, to the open overlay, the prompt (a y/n question or the
 * command line), the focused panel, then the key tables (console/key.c),
 * whose bindings are command lines run through console/cmd.c.
 */

#ifndef INPUT_H
#define INPUT_H

#include <wchar.h>

struct layout;
struct cmd_ctx;

/* One key as read: a character, or an ncurses KEY_* code (fkey 1). */
struct input_ev {
	int		 fkey;
	wint_t		 wc;
};

/* A source of keys: fills *ev and returns 1, or returns 0 when none is
 * left in this burst. */
typedef int	(*input_next_cb)(void *arg, struct input_ev *ev);

void	 input_init(struct layout *, struct cmd_ctx *);
void	 input_free(void);
void	 input_set_table(const char *);
int	 input_read(void);
int	 input_burst(input_next_cb next, void *arg);
int	 input_key(int fkey, wint_t wc, int meta);

#endif

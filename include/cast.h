/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The screen as an asciicast (asciicast v2, what "asciinema play"
 * plays), for the after-action review: trucban --asciicast FILE, live or
 * in a replay. Each frame the console draws, the rows that changed are
 * written as they are on the terminal, read back from curses' own copy
 * of it (curscr), with their colours and attributes.
 */

#ifndef CAST_H
#define CAST_H

#include <stdint.h>

struct cast;

struct cast	*cast_open(const char *path, const char *title,
		     char **cause);
void		 cast_frame(struct cast *);
void		 cast_close(struct cast *);
uint64_t	 cast_events(const struct cast *);

#endif

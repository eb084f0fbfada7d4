/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* An off-screen ncurses terminal for render tests (technotes §5). */

#ifndef TEST_TERM_H
#define TEST_TERM_H

#include <stdio.h>

#include <curses.h>

struct test_term {
	SCREEN	*scr;
	FILE	*out;		/* What ncurses writes (bytes per frame). */
	FILE	*in;
};

int	test_term_open(struct test_term *, int lines, int cols);
void	test_term_close(struct test_term *);

#endif

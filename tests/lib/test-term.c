/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* An off-screen ncurses terminal for render tests (technotes §5). */

#include "test-term.h"

#include <stdlib.h>

/*
 * Open an xterm-256color screen of lines x cols that writes into a
 * temporary file (t->out, for counting bytes) and reads from /dev/null,
 * and make it the current one. Returns 0, or -1 when it cannot.
 */
int
test_term_open(struct test_term *t, int lines, int cols)
{
	char	buf[16];

	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	t->out = tmpfile();
	t->in = fopen("/dev/null", "r");
	if (t->out == NULL || t->in == NULL)
		return (-1);
	if ((t->scr = newterm("xterm-256color", t->out, t->in)) == NULL)
		return (-1);
	set_term(t->scr);
	return (0);
}

/*
 * End and free the screen and close its files.
 */
void
test_term_close(struct test_term *t)
{
	endwin();
	delscreen(t->scr);
	fclose(t->out);
	fclose(t->in);
}

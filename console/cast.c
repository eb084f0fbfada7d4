/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The screen as an asciicast v2: the rows that changed, frame by frame. */

#include "cast.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>
#include <jansson.h>

#include "buf.h"
#include "clock.h"
#include "dlog.h"
#include "log.h"
#include "xmalloc.h"

/*
 * An asciicast v2 file is a header line (a JSON object: version 2, the
 * terminal's width and height, when it started) and then one event a
 * line, [SECONDS, "o", TEXT]: what the terminal was given at that time
 * since the start.
 *
 * We do not tap the bytes ncurses writes (it writes to the terminal's
 * descriptor itself). After each frame's doupdate(), curscr is what the
 * terminal shows: each row is rendered from it into text (characters,
 * colours as SGR, the terminal's default colours kept as default), and
 * a row that differs from the last frame's is written whole at its
 * place, then the cursor goes where the terminal's is. The first frame
 * and a frame after the size changed clear the screen and write every
 * row. A frame that changed nothing writes nothing. The file is made new
 * and private (0600): a console's screen shows what citizens wrote.
 */

struct cast {
	FILE		*f;
	char		*path;
	char		*title;
	int64_t		 start;		/* clock_mono() of the header. */
	int		 lines, cols;
	char		**rows;		/* As written last. */
	uint64_t	 events;
	int		 failed;
};

/* The line-drawing set, for characters drawn with A_ALTCHARSET. */
static const struct {
	char		 c;
	const char	*u;
} cast_acs[] = {
	{ 'j', "┘" }, { 'k', "┐" }, { 'l', "┌" }, { 'm', "└" },
	{ 'n', "┼" }, { 'q', "─" }, { 't', "├" }, { 'u', "┤" },
	{ 'v', "┴" }, { 'w', "┬" }, { 'x', "│" }, { 'a', "▒" },
	{ '`', "◆" }, { 'f', "°" }, { 'g', "±" }, { '~', "·" },
	{ '0', "█" }, { 'h', "░" }, { '+', "→" }, { ',', "←" },
	{ '-', "↑" }, { '.', "↓" }
};

/*
 * Start an asciicast in a new file at path (0600, never an existing file
 * or a link), titled title. Nothing is written before the first frame,
 * which gives the size. Returns it (close with cast_close), or NULL with
 * *cause set (allocated; caller frees).
 */
struct cast *
cast_open(const char *path, const char *title, char **cause)
{
	struct cast	*c;
	FILE		*f;
	char		*why = NULL;

	if ((f = dlog_fopen_private(path, "wx", &why)) == NULL) {
		if (errno == EEXIST)
			xasprintf(cause, "--asciicast %s: exists; write into a "
			    "new file", path);
		else
			xasprintf(cause, "--asciicast %s", why);
		free(why);
		return (NULL);
	}
	c = xcalloc(1, sizeof *c);
	c->f = f;
	c->path = xstrdup(path);
	c->title = xstrdup(title != NULL ? title : "trucban");
	return (c);
}

static void
cast_free_rows(struct cast *c)
{
	int	i;

	for (i = 0; i < c->lines; i++)
		free(c->rows[i]);
	free(c->rows);
	c->rows = NULL;
}

/*
 * Close the file and free the cast. NULL is a no-op.
 */
void
cast_close(struct cast *c)
{
	if (c == NULL)
		return;
	if (c->f != NULL && fclose(c->f) != 0)
		log_warn("asciicast %s: %s", c->path, strerror(errno));
	log_info("asciicast %s: %" PRIu64 " events", c->path, c->events);
	cast_free_rows(c);
	free(c->path);
	free(c->title);
	free(c);
}

/* Events written so far. */
uint64_t
cast_events(const struct cast *c)
{
	return (c->events);
}

/* The SGR of a colour number: fg (base 30) or bg (base 40). */
static void
cast_colour(struct buf *b, int n, int base)
{
	if (n < 0)
		buf_printf(b, ";%d", base + 9);
	else if (n < 8)
		buf_printf(b, ";%d", base + n);
	else if (n < 16)
		buf_printf(b, ";%d", base + 60 + n - 8);
	else
		buf_printf(b, ";%d;5;%d", base + 8, n);
}

static void
cast_sgr(struct buf *b, attr_t attrs, int pair)
{
	int	fg = -1, bg = -1;

	buf_adds(b, "\033[0");
	if (attrs & A_BOLD)
		buf_adds(b, ";1");
	if (attrs & A_DIM)
		buf_adds(b, ";2");
	if (attrs & A_UNDERLINE)
		buf_adds(b, ";4");
	if (attrs & A_BLINK)
		buf_adds(b, ";5");
	if (attrs & (A_REVERSE | A_STANDOUT))
		buf_adds(b, ";7");
	if (pair > 0 && extended_pair_content(pair, &fg, &bg) == OK) {
		if (fg >= 0)
			cast_colour(b, fg, 30);
		if (bg >= 0)
			cast_colour(b, bg, 40);
	}
	buf_addc(b, 'm');
}

/* Row y of curscr as terminal text. Caller frees. */
static char *
cast_row(int y, int cols)
{
	struct buf	 b = BUF_INIT;
	cchar_t		 cc;
	wchar_t		 wch[CCHARW_MAX + 1];
	attr_t		 attrs, cur_attrs = 0;
	short		 spair;
	int		 x, pair, cur_pair = 0, w, i;
	char		 mb[MB_LEN_MAX + 1];
	size_t		 n, j;
	mbstate_t	 ps;

	for (x = 0; x < cols; x++) {
		if (mvwin_wch(curscr, y, x, &cc) == ERR)
			break;
		memset(wch, 0, sizeof wch);
		pair = 0;
		if (getcchar(&cc, wch, &attrs, &spair, &pair) == ERR)
			break;
		attrs &= ~A_COLOR;
		if (x == 0 || attrs != cur_attrs || pair != cur_pair) {
			cast_sgr(&b, attrs, pair);
			cur_attrs = attrs;
			cur_pair = pair;
		}
		if (wch[0] == L'\0') {
			buf_addc(&b, ' ');
			continue;
		}
		if ((attrs & A_ALTCHARSET) && wch[0] < 128) {
			for (j = 0; j < sizeof cast_acs / sizeof cast_acs[0];
			    j++) {
				if (cast_acs[j].c == (char)wch[0])
					break;
			}
			buf_adds(&b, j < sizeof cast_acs / sizeof cast_acs[0] ?
			    cast_acs[j].u : " ");
			continue;
		}
		w = wcwidth(wch[0]);
		for (i = 0; i < CCHARW_MAX && wch[i] != L'\0'; i++) {
			memset(&ps, 0, sizeof ps);
			if ((n = wcrtomb(mb, wch[i], &ps)) == (size_t)-1)
				buf_addc(&b, '?');
			else
				buf_add(&b, mb, n);
		}
		if (w == 2)
			x++;	/* The wide character's second column. */
	}
	buf_adds(&b, "\033[0m");
	return (buf_detach(&b));
}

/* One event: [seconds, "o", text]. */
static void
cast_event(struct cast *c, const char *text)
{
	json_t	*ev;
	char	*line;

	ev = json_pack("[f s s]", (double)(clock_mono() - c->start) / 1000.0,
	    "o", text);
	line = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (line == NULL)
		fatalx("%s: cannot serialise", __func__);
	if (fprintf(c->f, "%s\n", line) < 0 || fflush(c->f) != 0) {
		log_warn("asciicast %s stopped: %s", c->path,
		    strerror(errno));
		c->failed = 1;
	}
	free(line);
	c->events++;
}

static void
cast_header(struct cast *c, int cols, int lines)
{
	json_t		*h;
	const char	*term = getenv("TERM");
	char		*text;

	c->start = clock_mono();
	h = json_pack("{s:i s:i s:i s:I s:s s:{s:s}}", "version", 2,
	    "width", cols, "height", lines, "timestamp",
	    (json_int_t)(clock_now() / 1000), "title", c->title, "env",
	    "TERM", term != NULL ? term : "xterm-256color");
	text = json_dumps(h, JSON_COMPACT);
	json_decref(h);
	if (fprintf(c->f, "%s\n", text) < 0 || fflush(c->f) != 0)
		c->failed = 1;
	free(text);
}

/*
 * After a frame (doupdate()): write the rows of the screen that changed
 * since the last frame, and where the cursor is.
 */
void
cast_frame(struct cast *c)
{
	struct buf	 out = BUF_INIT;
	char		*row;
	int		 lines, cols, y, x, full = 0;

	if (c == NULL || c->failed || curscr == NULL)
		return;
	getmaxyx(curscr, lines, cols);
	if (lines <= 0 || cols <= 0)
		return;
	if (c->start == 0)
		cast_header(c, cols, lines);
	if (lines != c->lines || cols != c->cols) {
		cast_free_rows(c);
		c->lines = lines;
		c->cols = cols;
		c->rows = xcalloc((size_t)lines, sizeof *c->rows);
		buf_adds(&out, "\033[0m\033[2J");
		full = 1;
	}
	for (y = 0; y < lines; y++) {
		row = cast_row(y, cols);
		if (!full && c->rows[y] != NULL &&
		    strcmp(row, c->rows[y]) == 0) {
			free(row);
			continue;
		}
		buf_printf(&out, "\033[%d;1H%s", y + 1, row);
		free(c->rows[y]);
		c->rows[y] = row;
	}
	if (out.len > 0) {
		getyx(curscr, y, x);
		buf_printf(&out, "\033[%d;%dH", y + 1, x + 1);
		cast_event(c, buf_str(&out));
	}
	buf_free(&out);
}

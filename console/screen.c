/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The terminal: curses start and stop, frames, resize and repaint. */

#include "screen.h"

#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "clock.h"
#include "i18n.h"
#include "layout.h"
#include "log.h"
#include "prompt.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * Anything that changes what is on screen calls screen_request(). That
 * only sets a flag and, if no frame is scheduled, schedules one on the lws
 * loop: soon if the last frame was long ago, else SCREEN_FRAME_MS after
 * it. A frame draws what is dirty with wnoutrefresh and ends in exactly
 * one doupdate(), so a burst of events costs one frame and ncurses sends
 * only the cells that changed; a frame in which nothing changed sends
 * nothing. A tick each second keeps the clock going (the layout redraws
 * only what the second changed). When the layout holds gauge readings
 * back (its gauge rate), the frame that shows them is scheduled for when
 * they are due.
 *
 * The terminal is in raw mode: Ctrl-C, Ctrl-S and Ctrl-Q are keys (the
 * readline prompt wants them); Ctrl-C quits through the key table. Keys
 * are read from a 1x1 pad, because wget_wch() on a window may refresh it
 * and a pad is never refreshed that way.
 */

#define SCREEN_SOON_MS	5		/* Coalesce a burst of changes. */

static struct {
	struct lws_context	*ctx;
	struct layout		*layout;
	SCREEN			*scr;
	WINDOW			*pad;
	int			 active;
	int			 pending;
	int			 painted;	/* A frame with state. */
	int64_t			 last;		/* clock_mono(), last frame. */
	void			(*frame_hook)(void *);
	void			*frame_arg;
	int64_t			 at;		/* When the frame is due. */
	lws_sorted_usec_list_t	 sul_frame;
	lws_sorted_usec_list_t	 sul_tick;
} screen;

static void	screen_schedule(int64_t);

static void
screen_frame_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	screen_frame();
}

static void
screen_tick_cb(lws_sorted_usec_list_t *sul)
{
	int64_t	ms;

	(void)sul;
	if (!screen.active)
		return;
	screen_request();
	ms = SCREEN_TICK_MS - clock_now() % SCREEN_TICK_MS + 2;
	lws_sul_schedule(screen.ctx, 0, &screen.sul_tick, screen_tick_cb,
	    ms * LWS_US_PER_MS);
}

/*
 * Start curses on the terminal (stdin/stdout), with colour unless colour
 * is 0, and size the layout (borrowed) and the bottom line. Frames are
 * scheduled on ctx. Returns 0, or -1 with *cause set (allocated; caller
 * frees).
 */
int
screen_start(struct lws_context *ctx, struct layout *layout, int colour,
    char **cause)
{
	const char	*term = getenv("TERM");

	screen.ctx = ctx;
	screen.layout = layout;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("not a terminal (stdin and stdout must be "
		    "one)");
		return (-1);
	}
	if ((screen.scr = newterm(NULL, stdout, stdin)) == NULL) {
		xasprintf(cause, "cannot use the terminal type %s",
		    term != NULL ? term : "(TERM not set)");
		return (-1);
	}
	set_term(screen.scr);
	screen.active = 1;
	raw();
	noecho();
	set_escdelay(25);
	curs_set(1);
	theme_init(colour);
	screen.pad = newpad(1, 1);
	keypad(screen.pad, TRUE);
	nodelay(screen.pad, TRUE);
	layout_resize(layout, LINES, COLS);
	prompt_resize(LINES, COLS);
	clearok(curscr, TRUE);
	screen_request();
	lws_sul_schedule(ctx, 0, &screen.sul_tick, screen_tick_cb,
	    SCREEN_TICK_MS * LWS_US_PER_MS);
	log_info("screen %dx%d, %s", COLS, LINES, colour ? "colour" :
	    "no colour");
	return (0);
}

/*
 * Restore the terminal. Safe to call twice and from the fatal hook.
 */
void
screen_stop(void)
{
	if (!screen.active)
		return;
	screen.active = 0;
	lws_sul_cancel(&screen.sul_frame);
	lws_sul_cancel(&screen.sul_tick);
	if (screen.pad != NULL)
		delwin(screen.pad);
	screen.pad = NULL;
	endwin();
	delscreen(screen.scr);
	screen.scr = NULL;
}

/*
 * 1 while curses owns the terminal.
 */
int
screen_active(void)
{
	return (screen.active);
}

/*
 * The pad keys are read from (nodelay, keypad on), or NULL when stopped.
 */
WINDOW *
screen_input(void)
{
	return (screen.active ? screen.pad : NULL);
}

/*
 * Ask for a frame: now-ish, but never sooner than SCREEN_FRAME_MS after
 * the last one.
 */
void
screen_request(void)
{
	int64_t	wait;

	screen.pending = 1;
	wait = screen.last + SCREEN_FRAME_MS - clock_mono();
	if (wait > SCREEN_FRAME_MS)
		wait = SCREEN_FRAME_MS;
	screen_schedule(wait);
}

/*
 * Have the frame drawn in wait ms (at least SCREEN_SOON_MS), or sooner
 * when it is scheduled sooner already.
 */
static void
screen_schedule(int64_t wait)
{
	int64_t	now = clock_mono();

	if (!screen.active || screen.ctx == NULL)
		return;
	if (wait < SCREEN_SOON_MS)
		wait = SCREEN_SOON_MS;
	if (!lws_dll2_is_detached(&screen.sul_frame.list)) {
		if (screen.at <= now + wait)
			return;
		lws_sul_cancel(&screen.sul_frame);
	}
	screen.at = now + wait;
	lws_sul_schedule(screen.ctx, 0, &screen.sul_frame, screen_frame_cb,
	    wait * LWS_US_PER_MS);
}

/*
 * Draw one frame: panels and chrome that are dirty, the bottom line, the
 * cursor, then one doupdate(); schedule the next when the layout holds
 * readings back.
 */
void
screen_frame(void)
{
	int64_t	due;

	if (!screen.active || !screen.pending)
		return;
	screen.pending = 0;
	screen.last = clock_mono();
	layout_store_changed(screen.layout);
	layout_draw(screen.layout, clock_now());
	prompt_draw();
	if (!prompt_place_cursor() && !prompt_pager_active())
		layout_place_cursor(screen.layout);
	doupdate();
	/* Readings held back: a frame when they are due. */
	if ((due = layout_gauge_due(screen.layout)) >= 0) {
		screen.pending = 1;
		screen_schedule(due - screen.last);
	}
	/*
	 * The first frame that shows the backend's state (a snapshot names
	 * the province), logged for whoever wants to know how long a start
	 * takes (make bench: first_paint_ms, docs/bench.md).
	 */
	if (!screen.painted && *screen.layout->store->province != '\0') {
		screen.painted = 1;
		log_info("first frame with the province's state");
	}
	if (screen.frame_hook != NULL)
		screen.frame_hook(screen.frame_arg);
}

/*
 * Call hook(arg) after every frame is on the terminal (the asciicast);
 * NULL: none.
 */
void
screen_set_frame_hook(void (*hook)(void *), void *arg)
{
	screen.frame_hook = hook;
	screen.frame_arg = arg;
}

/*
 * Lay everything out again at the current size and draw it all (after an
 * overlay closes, or to repair the screen).
 */
void
screen_touch(void)
{
	if (!screen.active)
		return;
	layout_resize(screen.layout, LINES, COLS);
	prompt_resize(LINES, COLS);
	screen_request();
}

/*
 * Ctrl-L: repaint the whole terminal at the next frame.
 */
void
screen_redraw(void)
{
	if (!screen.active)
		return;
	clearok(curscr, TRUE);
	screen_touch();
}

/*
 * The terminal changed size (SIGWINCH): tell curses, then re-lay out.
 */
void
screen_resize(void)
{
	struct winsize	ws;

	if (!screen.active)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_row == 0 ||
	    ws.ws_col == 0) {
		log_warn("TIOCGWINSZ failed; size unchanged");
		return;
	}
	resizeterm(ws.ws_row, ws.ws_col);
	log_debug("resize %dx%d", COLS, LINES);
	clearok(curscr, TRUE);
	screen_touch();
}

/*
 * Switch to the theme called name (see theme_load()) and redraw
 * everything. Returns the number of warnings the file gave (the first is
 * in *cause, allocated), or -1 with *cause set (allocated; caller frees)
 * when there is no such theme; the old one then stays.
 */
int
screen_theme(const char *name, char **cause)
{
	int	rv;

	if ((rv = theme_load(name, cause)) < 0)
		return (-1);
	if (screen.layout != NULL) {
		screen.layout->dirty_chrome = 1;
		screen_touch();
	}
	return (rv);
}

/*
 * Switch the language to "vi" or "en" and redraw everything. Returns 0,
 * or -1 with *cause set (allocated; caller frees).
 */
int
screen_lang(const char *lang, char **cause)
{
	if (i18n_set_lang(lang) != 0) {
		xasprintf(cause, _("vi or en, not %s"), lang);
		return (-1);
	}
	if (screen.layout != NULL) {
		layout_set_view(screen.layout, screen.layout->view.ascii,
		    i18n_is_en());
		screen_touch();
	}
	return (0);
}

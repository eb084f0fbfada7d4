/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Keyboard dispatch: bursts of keys to the prompt, the panel, the tables. */

#include "input.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "buf.h"
#include "cmd.h"
#include "i18n.h"
#include "key.h"
#include "layout.h"
#include "log.h"
#include "model.h"
#include "panel.h"
#include "prompt.h"
#include "screen.h"

/*
 * Order of dispatch for one key: an open overlay takes any key (scrolls,
 * or closes); the prompt takes every key while it is open, a y/n question
 * first, then the command line; else the focused panel's own key() hook
 * (Schools: Enter and Esc go into an area and back), unless it shows a
 * detail; then the binding of the key in the focused panel's table, then
 * in the replay's table during a replay, then in the root table. A binding runs its command line through cmd_run(),
 * with the selected row's id in place of "%s".
 *
 * Keys come in bursts: what one read of the terminal gives, which is one
 * key when the officer types at a local terminal, and several when keys
 * arrive in bunches (over SSH, from a paste, typed ahead). No action may
 * depend on how keys were bunched:
 *
 * - ESC and the key after it in the same burst are two keys (Esc, then
 *   the key), except in the command line, where they are one Alt+key for
 *   readline (M-b, M-f); a lone ESC closes the command line.
 * - When a y/n question opens or is answered, the rest of the burst is
 *   dropped: those keys were typed before the officer saw the question or
 *   its outcome. While the question is open only its answers count
 *   (console/prompt.c), so text typed on never runs as panel keys.
 *
 * Keys are ints: function keys are ncurses KEY_* codes, and characters
 * are their code points, but only ASCII ones: KEY_UP (0403) is also
 * U+0103 "ă", so non-ASCII characters never reach the key tables.
 */

static struct layout	*input_layout;
static struct cmd_ctx	*input_cmd;
static int		 input_empty;		/* Reads that found nothing. */
static const char	*input_table;		/* Before root; or NULL. */

/*
 * Set up dispatch to layout and the command context (both borrowed).
 */
void
input_init(struct layout *layout, struct cmd_ctx *ctx)
{
	input_layout = layout;
	input_cmd = ctx;
}

/*
 * Look at the key table called table (static; "replay" during a replay)
 * after the focused panel's and before root; NULL: none.
 */
void
input_set_table(const char *table)
{
	input_table = table;
}

/*
 * Forget the layout and context, and free the key tables.
 */
void
input_free(void)
{
	input_layout = NULL;
	input_cmd = NULL;
	input_table = NULL;
	key_free();
}

/* Put id in place of each "%s" in command. Caller frees. */
static char *
input_expand(const char *command, const char *id)
{
	struct buf	 out = BUF_INIT;
	const char	*p;

	for (p = command; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			buf_adds(&out, id);
			p++;
		} else
			buf_addc(&out, *p);
	}
	return (buf_detach(&out));
}

static void
input_run_binding(const struct key_binding *b)
{
	struct panel	*p = layout_focused(input_layout);
	const char	*id = NULL;
	char		*line, name[16];

	if (strstr(b->command, "%s") != NULL) {
		if (p != NULL)
			id = panel_selected(p);
		if (id == NULL || !model_id_valid(id, MODEL_ID_MAX)) {
			layout_message(input_layout, 1, _("%s: nothing "
			    "selected"), key_string(b->key, name, sizeof name));
			screen_request();
			return;
		}
	}
	line = input_expand(b->command, id != NULL ? id : "");
	cmd_run(input_cmd, line);
	free(line);
	screen_request();
}

/*
 * Handle one key: fkey is 1 for an ncurses function key (wc is then a
 * KEY_* code); meta is 1 for Alt+key in the command line. Returns 1 if
 * something took the key, else 0.
 */
int
input_key(int fkey, wint_t wc, int meta)
{
	const struct key_binding	*b = NULL;
	struct panel			*p;
	int				 key;

	if (prompt_pager_active()) {
		if (!prompt_pager_key(fkey, wc))
			prompt_pager_close();
		return (1);
	}
	if (prompt_active()) {
		prompt_key(fkey, wc, meta);
		return (1);
	}
	if (meta || (!fkey && wc >= 128) || input_layout == NULL)
		return (0);
	key = (int)wc;
	if ((!fkey && key == '\n') || (fkey && key == KEY_ENTER))
		key = '\r';
	p = layout_focused(input_layout);
	if (p != NULL && (~p->flags & PANEL_DETAIL) &&
	    panel_key(p, key) == PANEL_KEY_HANDLED) {
		screen_request();
		return (1);
	}
	if (p != NULL)
		b = key_lookup(p->cls->name, key);
	if (b == NULL && input_table != NULL)
		b = key_lookup(input_table, key);
	if (b == NULL)
		b = key_lookup("root", key);
	if (b == NULL)
		return (0);
	input_run_binding(b);
	return (1);
}

/*
 * Dispatch a burst of keys, taken from next(arg) until it has none (see
 * the comment at the top). Returns how many keys it took.
 */
int
input_burst(input_next_cb next, void *arg)
{
	struct input_ev	 ev, ev2;
	int		 n = 0, have, asking, drop = 0;

	have = next(arg, &ev);
	while (have) {
		n++;
		if (drop) {
			have = next(arg, &ev);
			continue;
		}
		asking = prompt_asking();
		if (!ev.fkey && ev.wc == 27 && prompt_active() && !asking &&
		    !prompt_pager_active()) {
			/* ESC and a key together are Alt+key here. */
			if (!next(arg, &ev2))
				input_key(0, 27, 0);
			else if (ev2.fkey) {
				input_key(0, 27, 0);
				ev = ev2;
				continue;
			} else {
				n++;
				input_key(0, ev2.wc, 1);
			}
		} else
			input_key(ev.fkey, ev.wc, 0);
		if (prompt_asking() != asking)
			drop = 1;
		have = next(arg, &ev);
	}
	return (n);
}

/* The terminal as a source of keys: what it has now. */
static int
input_next_tty(void *arg, struct input_ev *ev)
{
	WINDOW	*w = arg;
	int	 r;

	if (!screen_active() || (r = wget_wch(w, &ev->wc)) == ERR)
		return (0);
	ev->fkey = (r == KEY_CODE_YES);
	return (1);
}

/*
 * Read and dispatch every key the terminal has, as one burst. Returns 0,
 * or -1 when the terminal seems gone (readable again and again with
 * nothing to read).
 */
int
input_read(void)
{
	WINDOW	*w = screen_input();

	if (w == NULL)
		return (0);
	if (input_burst(input_next_tty, w) == 0) {
		if (++input_empty >= 100) {
			log_warn("terminal input gone");
			return (-1);
		}
	} else
		input_empty = 0;
	return (0);
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Keyboard dispatch and the key binding table. */

#include "input.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cmd.h"
#include "layout.h"
#include "log.h"
#include "model.h"
#include "panel.h"
#include "prompt.h"
#include "screen.h"
#include "xmalloc.h"

/*
 * Order of dispatch for one key: an open overlay takes any key and closes;
 * a pending y/n question takes the answer; an open prompt takes every key;
 * else the layout (focus, selection, zoom), then the bindings of the
 * focused panel's class, then the root bindings. A binding runs its
 * command line through cmd_run(), after putting the selected row's id in
 * place of "%s" and, if the binding asks, after a "y".
 *
 * Keys are ints: function keys are ncurses KEY_* codes, and characters are
 * their code points, but only ASCII ones: KEY_UP (0403) is also U+0103
 * "ă", so non-ASCII characters never reach the layout or the tables.
 */

const struct input_binding input_bindings[] = {
	{ "alerts", "a", "ack %s", "Acknowledge the selected alert",
	  "ack", NULL },
	{ "alerts", "d", "prompt \"dispatch %s \"",
	  "Dispatch units to the selected alert (opens the command line)",
	  "dispatch", NULL },
	{ "root", ":", "prompt", "Open the command line", "command",
	  NULL },
	{ "root", "?", "keys", "Show these keys", "keys", NULL },
	{ "root", "q", "quit", "Quit (asks first)", "quit",
	  "Thoát? / Quit? (y/n)" },
	{ "root", "C-c", "quit", "Quit at once", NULL, NULL },
	{ "root", "C-l", "redraw", "Repaint the whole screen", NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

static struct layout	*input_layout;
static struct cmd_ctx	*input_cmd;
static char		*input_ask_cmd;		/* Command awaiting y/n. */
static const char	*input_ask_text;
static int		 input_empty;		/* Reads that found nothing. */

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
 * Forget a pending question.
 */
void
input_free(void)
{
	free(input_ask_cmd);
	input_ask_cmd = NULL;
	input_ask_text = NULL;
}

/*
 * The key code of a key name: "a", "C-x", "Enter", "Tab", "Esc", "Space",
 * "BSpace", "Up", "Down", "Left", "Right", "Home", "End", "PgUp", "PgDn",
 * "F1".."F12". Returns -1 for an unknown name.
 */
int
input_key_parse(const char *name)
{
	static const struct {
		const char	*name;
		int		 key;
	} names[] = {
		{ "Enter", '\r' }, { "Tab", '\t' }, { "Esc", 27 },
		{ "Space", ' ' }, { "BSpace", KEY_BACKSPACE },
		{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT },
		{ "Right", KEY_RIGHT }, { "Home", KEY_HOME },
		{ "End", KEY_END }, { "PgUp", KEY_PPAGE },
		{ "PgDn", KEY_NPAGE }, { "BTab", KEY_BTAB }
	};
	size_t	i;
	int	n;

	if (name[0] != '\0' && name[1] == '\0')
		return ((unsigned char)name[0] < 128 ?
		    (unsigned char)name[0] : -1);
	if (strncmp(name, "C-", 2) == 0 && name[2] != '\0' &&
	    name[3] == '\0') {
		if (name[2] >= 'a' && name[2] <= 'z')
			return (name[2] - 'a' + 1);
		if (name[2] >= '@' && name[2] <= '_')
			return (name[2] - '@');
		return (-1);
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i].name, name) == 0)
			return (names[i].key);
	}
	if (name[0] == 'F' && (n = atoi(name + 1)) >= 1 && n <= 12)
		return (KEY_F(n));
	return (-1);
}

/* Put id in place of each "%s" in command. Caller frees. */
static char *
input_expand(const char *command, const char *id)
{
	const char	*p;
	char		*out, *tmp;

	out = xstrdup("");
	for (p = command; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			xasprintf(&tmp, "%s%s", out, id);
			p++;
		} else
			xasprintf(&tmp, "%s%c", out, *p);
		free(out);
		out = tmp;
	}
	return (out);
}

static const struct input_binding *
input_lookup(const char *table, int key)
{
	const struct input_binding	*b;

	for (b = input_bindings; b->table != NULL; b++) {
		if (strcmp(b->table, table) == 0 &&
		    input_key_parse(b->key) == key)
			return (b);
	}
	return (NULL);
}

static void
input_run_binding(const struct input_binding *b)
{
	struct panel	*p = layout_focused(input_layout);
	const char	*id = NULL;
	char		*line;

	if (strstr(b->command, "%s") != NULL) {
		if (p != NULL)
			id = panel_selected(p);
		if (id == NULL || !model_id_valid(id, MODEL_ID_MAX)) {
			layout_message(input_layout, 1, "%s: nothing selected",
			    b->key);
			screen_request();
			return;
		}
	}
	line = input_expand(b->command, id != NULL ? id : "");
	if (b->ask != NULL) {
		free(input_ask_cmd);
		input_ask_cmd = line;
		input_ask_text = b->ask;
		prompt_changed();
		return;
	}
	cmd_run(input_cmd, line);
	free(line);
	screen_request();
}

static void
input_answer(wint_t wc)
{
	char	*line = input_ask_cmd;

	input_ask_cmd = NULL;
	input_ask_text = NULL;
	prompt_changed();
	if (wc == 'y' || wc == 'Y')
		cmd_run(input_cmd, line);
	free(line);
}

/*
 * Handle one key: fkey is 1 for an ncurses function key (wc is then a
 * KEY_* code); meta is 1 when it came after ESC.
 */
void
input_key(int fkey, wint_t wc, int meta)
{
	const struct input_binding	*b = NULL;
	struct panel			*p;
	int				 key;

	if (prompt_pager_active()) {
		prompt_pager_close();
		return;
	}
	if (input_ask_cmd != NULL) {
		input_answer(fkey ? 0 : wc);
		return;
	}
	if (prompt_active()) {
		prompt_key(fkey, wc, meta);
		return;
	}
	if (meta || (!fkey && wc >= 128))
		return;
	key = (int)wc;
	if (layout_key(input_layout, key)) {
		screen_request();
		return;
	}
	if (!fkey && key == '\n')
		key = '\r';
	if ((p = layout_focused(input_layout)) != NULL)
		b = input_lookup(p->cls->name, key);
	if (b == NULL)
		b = input_lookup("root", key);
	if (b != NULL)
		input_run_binding(b);
}

/*
 * Read and dispatch every key the terminal has. Returns 0, or -1 when the
 * terminal seems gone (readable again and again with nothing to read).
 */
int
input_read(void)
{
	WINDOW	*w = screen_input();
	wint_t	 wc, wc2;
	int	 r, r2, n = 0;

	if (w == NULL)
		return (0);
	while ((r = wget_wch(w, &wc)) != ERR) {
		n++;
		if (r == OK && wc == 27) {
			r2 = wget_wch(w, &wc2);
			if (r2 == ERR)
				input_key(0, 27, 0);
			else if (r2 == KEY_CODE_YES) {
				input_key(0, 27, 0);
				input_key(1, wc2, 0);
			} else
				input_key(0, wc2, 1);
		} else
			input_key(r == KEY_CODE_YES, wc, 0);
		if (!screen_active())
			break;
	}
	if (n == 0) {
		if (++input_empty >= 100) {
			log_warn("terminal input gone");
			return (-1);
		}
	} else
		input_empty = 0;
	return (0);
}

/*
 * The key help, generated from input_bindings. Returns an allocated
 * string; caller frees.
 */
char *
input_help_text(void)
{
	const struct input_binding	*b;
	char				*text = xstrdup(""), *tmp, *where;

	for (b = input_bindings; b->table != NULL; b++) {
		if (strcmp(b->table, "root") == 0)
			where = xstrdup("");
		else
			xasprintf(&where, " (%s)", b->table);
		xasprintf(&tmp, "%s%-6s %s%s\n", text, b->key, b->note, where);
		free(where);
		free(text);
		text = tmp;
	}
	return (text);
}

/*
 * The short hint line ("a ack  : command  ? keys  q quit"). Returns an
 * allocated string; caller frees.
 */
char *
input_hint_text(void)
{
	const struct input_binding	*b;
	char				*text = xstrdup(""), *tmp;

	for (b = input_bindings; b->table != NULL; b++) {
		if (b->label == NULL)
			continue;
		xasprintf(&tmp, "%s%s%s %s", text, *text != '\0' ? "  " : "",
		    b->key, b->label);
		free(text);
		text = tmp;
	}
	return (text);
}

/*
 * The y/n question waiting for an answer, or NULL. Borrowed.
 */
const char *
input_question(void)
{
	return (input_ask_text);
}

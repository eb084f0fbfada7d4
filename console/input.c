/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Keyboard dispatch and the key binding table. */

#include "input.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cmd.h"
#include "i18n.h"
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
	{ "alerts", "a", "ack %s", N_("Acknowledge the selected alert"),
	  "ack", NULL },
	{ "alerts", "d", "prompt \"dispatch %s \"",
	  N_("Dispatch units to the selected alert (opens the command line)"),
	  "dispatch", NULL },
	{ "alerts", "s", "prompt \"status %s \"",
	  N_("Set the status of the selected alert's units (opens the command "
	  "line; the status word last)"), NULL, NULL },
	{ "alerts", "n", "prompt \"note %s \"",
	  N_("Add a note to the selected alert (opens the command line)"), NULL,
	  NULL },
	{ "alerts", "e", "escalate %s", N_("Escalate the selected alert"), NULL,
	  NULL },
	{ "alerts", "r", "resolve %s", N_("Resolve the selected alert"),
	  "resolve", NULL },
	{ "alerts", "m", "mute %s",
	  N_("Mute the selected alert for 30 minutes"),
	  NULL, NULL },
	{ "feedback", "c", "prompt \"assign %s \"",
	  N_("Assign the selected case to a department (opens the command "
	  "line)"), NULL, NULL },
	{ "feedback", "r", "prompt \"reply %s \"",
	  N_("Reply to the selected case (opens the command line)"), NULL,
	  NULL },
	{ "root", ":", "prompt", N_("Open the command line"), "command",
	  NULL },
	{ "root", "?", "keys", N_("Show these keys"), "keys", NULL },
	{ "root", "/", "prompt \"search \"",
	  N_("Search the focused panel, accents ignored (opens the command "
	  "line)"),
	  "search", NULL },
	{ "root", "f", "prompt \"filter \"",
	  N_("Filter every panel by area or severity (opens the command line)"),
	  NULL, NULL },
	{ "root", "q", "quit", N_("Quit (asks first)"), "quit",
	  "Thoát? / Quit? (y/n)" },
	{ "root", "C-c", "quit", N_("Quit at once"), NULL, NULL },
	{ "root", "C-l", "redraw", N_("Repaint the whole screen"), NULL, NULL },
	{ "root", "R", "retry", N_("Send again the commands refused because "
	  "the item had changed"), NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

static struct layout	*input_layout;
static struct cmd_ctx	*input_cmd;
static char		*input_ask_cmd;		/* Command awaiting y/n. */
static char		*input_ask_text;
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
	free(input_ask_text);
	input_ask_text = NULL;
	input_unbind_all();
}

/*
 * Ask question (y/n) on the bottom line; on "y" run line as confirmed
 * (cmd_run_confirmed). Both are copied. Replaces a question pending.
 */
void
input_ask(const char *question, const char *line)
{
	free(input_ask_cmd);
	free(input_ask_text);
	input_ask_cmd = xstrdup(line);
	input_ask_text = xstrdup(question);
	prompt_changed();
	screen_request();
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

/*
 * Bindings from the configuration file ("bind KEY COMMAND"), looked at
 * before input_bindings; one with a NULL command hides the key's default.
 * All strings owned.
 */
static struct input_binding	*input_user;
static size_t			 input_nuser;

/*
 * Bind key (a key name, as input_key_parse() reads it) in table ("root"
 * or a panel class) to command, a command line where "%s" is the
 * selected item's id; NULL command unbinds the key. Replaces an earlier
 * binding of the same key. Returns 0, or -1 for a key name that means
 * nothing.
 */
int
input_bind(const char *table, const char *key, const char *command)
{
	struct input_binding	*b;
	size_t			 i;

	if (input_key_parse(key) == -1)
		return (-1);
	for (i = 0; i < input_nuser; i++) {
		b = &input_user[i];
		if (strcmp(b->table, table) == 0 &&
		    input_key_parse(b->key) == input_key_parse(key))
			break;
	}
	if (i == input_nuser) {
		input_user = xreallocarray(input_user, input_nuser + 1,
		    sizeof *input_user);
		input_nuser++;
	} else {
		b = &input_user[i];
		free((char *)b->table);
		free((char *)b->key);
		free((char *)b->command);
		free((char *)b->note);
	}
	b = &input_user[i];
	memset(b, 0, sizeof *b);
	b->table = xstrdup(table);
	b->key = xstrdup(key);
	b->command = command != NULL ? xstrdup(command) : NULL;
	b->note = command != NULL ? xprintf(":%s", command) : NULL;
	return (0);
}

/* Forget the configuration's bindings. */
void
input_unbind_all(void)
{
	size_t	i;

	for (i = 0; i < input_nuser; i++) {
		free((char *)input_user[i].table);
		free((char *)input_user[i].key);
		free((char *)input_user[i].command);
		free((char *)input_user[i].note);
	}
	free(input_user);
	input_user = NULL;
	input_nuser = 0;
}

static const struct input_binding *
input_lookup(const char *table, int key)
{
	const struct input_binding	*b;
	size_t				 i;

	for (i = 0; i < input_nuser; i++) {
		b = &input_user[i];
		if (strcmp(b->table, table) == 0 &&
		    input_key_parse(b->key) == key)
			return (b->command != NULL ? b : NULL);
	}
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
		input_ask(b->ask, line);
		free(line);
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
	free(input_ask_text);
	input_ask_text = NULL;
	prompt_changed();
	if (wc == 'y' || wc == 'Y')
		cmd_run_confirmed(input_cmd, line);
	else {
		layout_message(input_layout, 0, _("Not done: %s"), line);
		screen_request();
	}
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
		if (!prompt_pager_key(fkey, wc))
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
	char				*text, *tmp, *where;
	size_t				 i;
	int				 pass;

	/* The layout's keys, then the bindings: the user's first. */
	text = layout_help_text();
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; ; i++) {
			if (pass == 0) {
				if (i >= input_nuser)
					break;
				b = &input_user[i];
				if (b->command == NULL)
					continue;
			} else {
				b = &input_bindings[i];
				if (b->table == NULL)
					break;
				if (input_lookup(b->table,
				    input_key_parse(b->key)) != b)
					continue;	/* Rebound. */
			}
			if (strcmp(b->table, "root") == 0)
				where = xstrdup("");
			else
				xasprintf(&where, " (%s)", _(panel_find_class(
				    b->table) != NULL ? panel_find_class(
				    b->table)->title : b->table));
			xasprintf(&tmp, "%s%-10s %s%s\n", text, b->key,
			    pass == 0 ? b->note : _(b->note), where);
			free(where);
			free(text);
			text = tmp;
		}
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

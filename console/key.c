/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The key tables: built-in bindings, bind and unbind, and the help. */

#include "key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "buf.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "panel.h"
#include "xmalloc.h"

/*
 * The bindings are one list in the order they were made: the built-in
 * ones first, in the order of key_defaults[], then the ones the officer
 * added. Binding a key that is bound already replaces its command in
 * place, so the help keeps its order. A binding's note and hint come from
 * the built-in table: a key bound to the command a built-in binding of
 * the same table runs shares its note (the help shows "Down, J  Select
 * the row below"), and only a built-in binding still in place shows on
 * the hint line. The help lists one line per command of a table, with
 * every key bound to it.
 *
 * Keys are ints: ASCII characters are themselves (Enter is '\r', Tab
 * '\t', Esc 27, Ctrl-X 1 to 31), other keys ncurses KEY_* codes.
 */

const struct key_default key_defaults[] = {
	{ "root", "Tab", "focus next", N_("Focus the next panel"), NULL },
	{ "root", "BTab", "focus prev", N_("Focus the previous panel"),
	  NULL },
	{ "root", "1", "focus alerts", N_("Focus Alerts"), NULL },
	{ "root", "2", "focus hospitals", N_("Focus Hospitals"), NULL },
	{ "root", "3", "focus schools", N_("Focus Schools"), NULL },
	{ "root", "4", "focus feedback", N_("Focus Feedback"), NULL },
	{ "root", "5", "focus units", N_("The unit board: every unit's status, "
	  "area and alert (Esc: back)"), NULL },
	{ "root", "6", "focus overview", N_("The overview: open work per area, "
	  "and what each operator holds (Esc: back)"), NULL },
	{ "root", "z", "zoom", N_("Zoom the focused panel (again: back to "
	  "all)"), NULL },
	{ "root", "Up", "select up", N_("Select the row above (scroll up in "
	  "a detail)"), NULL },
	{ "root", "k", "select up", NULL, NULL },
	{ "root", "Down", "select down", N_("Select the row below (scroll "
	  "down in a detail)"), NULL },
	{ "root", "j", "select down", NULL, NULL },
	{ "root", "PgUp", "select page-up", N_("One page up"), NULL },
	{ "root", "PgDn", "select page-down", N_("One page down"), NULL },
	{ "root", "Home", "select top", N_("First row"), NULL },
	{ "root", "g", "select top", NULL, NULL },
	{ "root", "End", "select bottom", N_("Last row"), NULL },
	{ "root", "G", "select bottom", NULL, NULL },
	{ "root", "Enter", "detail", N_("Detail of the selected row, with its "
	  "history (Schools: the area's schools)"), NULL },
	{ "root", "Esc", "back", N_("Back: close the detail, leave an area, "
	  "clear the search"), NULL },
	{ "root", "+", "filter severity +1",
	  N_("Show only more severe alerts"), NULL },
	{ "root", "-", "filter severity -1",
	  N_("Show less severe alerts again"), NULL },
	{ "root", "]", "filter area next", N_("Show only the next area"),
	  NULL },
	{ "root", "[", "filter area prev", N_("Show only the previous area"),
	  NULL },
	{ "root", "0", "filter clear",
	  N_("Clear the area, severity and search filters"), NULL },
	{ "alerts", "a", "ack %s", N_("Acknowledge the selected alert"),
	  NC_("key hint", "ack") },
	{ "alerts", "d", "prompt \"dispatch %s \"",
	  N_("Dispatch units to the selected alert (opens the command line)"),
	  NC_("key hint", "dispatch") },
	{ "alerts", "s", "prompt \"status %s \"",
	  N_("Set the status of the selected alert's units (opens the command "
	  "line; the status word last)"), NULL },
	{ "alerts", "n", "prompt \"note %s \"",
	  N_("Add a note to the selected alert (opens the command line)"),
	  NULL },
	{ "alerts", "e", "escalate %s", N_("Escalate the selected alert"),
	  NULL },
	{ "alerts", "r", "resolve %s", N_("Resolve the selected alert"),
	  NC_("key hint", "resolve") },
	{ "alerts", "m", "mute %s",
	  N_("Mute the selected alert for 30 minutes"), NULL },
	{ "feedback", "c", "prompt \"assign %s \"",
	  N_("Assign the selected case to a department (opens the command "
	  "line)"), NULL },
	{ "feedback", "r", "prompt \"reply %s \"",
	  N_("Reply to the selected case (opens the command line)"), NULL },
	{ "units", "s", "prompt \"status %s \"",
	  N_("Set the selected unit's status (opens the command line; "
	  "available puts it back in service)"), NULL },
	{ "root", ":", "prompt", N_("Open the command line"),
	  NC_("key hint", "command") },
	{ "root", "?", "keys", N_("Show these keys"), NC_("key hint", "keys") },
	{ "root", "/", "prompt \"search \"",
	  N_("Search the focused panel, accents ignored (opens the command "
	  "line)"), NC_("key hint", "search") },
	{ "root", "f", "prompt \"filter \"",
	  N_("Filter every panel by area or severity (opens the command "
	  "line)"), NULL },
	{ "root", "q", "confirm quit", N_("Quit (asks first)"),
	  NC_("key hint", "quit") },
	{ "root", "C-c", "quit", N_("Quit at once"), NULL },
	{ "root", "C-l", "redraw", N_("Repaint the whole screen"), NULL },
	{ "root", "L", "messages", N_("The message log: every result, refusal "
	  "and notice, with its time, in full"), NULL },
	{ "root", "R", "retry", N_("Send again the commands refused because "
	  "the item had changed"), NULL },
	{ "root", "M", "mark", N_("Put a mark here: in the recording being "
	  "made, or the replay"), NULL },
	{ "replay", "Space", "replay toggle", N_("Pause the replay, or play "
	  "on"), NULL },
	{ "replay", ".", "replay step", N_("Play the next message alone, "
	  "then pause"), NULL },
	{ "replay", ">", "replay faster", N_("Faster: up to 64x, then as fast "
	  "as possible"), NULL },
	{ "replay", "<", "replay slower", N_("Slower: down to 0.25x"), NULL },
	{ "replay", "Right", "replay seek +30s", N_("30 seconds on"), NULL },
	{ "replay", "Left", "replay seek -30s", N_("30 seconds back"), NULL },
	{ "replay", "N", "replay next alert", N_("On to the next new alert"),
	  NULL },
	{ "replay", "P", "replay prev alert", N_("Back to the alert before"),
	  NULL },
	{ "replay", "}", "replay next mark", N_("On to the next mark"), NULL },
	{ "replay", "{", "replay prev mark", N_("Back to the mark before"),
	  NULL },
	{ "replay", "S", "score", N_("Your score against the recorded officer, "
	  "so far"), NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* Key names besides single characters, C-x and F1-F12. */
static const struct {
	const char	*name;
	int		 key;
} key_names[] = {
	{ "Enter", '\r' }, { "Tab", '\t' }, { "BTab", KEY_BTAB },
	{ "Esc", 27 }, { "Space", ' ' }, { "BSpace", KEY_BACKSPACE },
	{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "IC", KEY_IC },
	{ "DC", KEY_DC }
};

/* How key_keys() writes the keys. */
enum key_style {
	KEY_STYLE_TEXT,			/* Up, k */
	KEY_STYLE_MARKDOWN,		/* `Up`, `k` */
	KEY_STYLE_ROFF			/* "Up" ", " "k", for .BR */
};

static struct key_binding	*key_list;
static size_t			 key_n;
static int			 key_ready;	/* Defaults installed. */

static void	key_setup(void);
static void	key_clear(void);
static char	*key_keys(size_t, enum key_style);

/*
 * The key code of a key name, as the help writes it: a character ("a",
 * ":"), "C-x" (a control character), "Enter", "Tab", "BTab", "Esc",
 * "Space", "BSpace", "Up", "Down", "Left", "Right", "Home", "End", "PgUp",
 * "PgDn", "IC", "DC", "F1" to "F12". Returns the code, or -1 for a name
 * that means nothing (or a character beyond ASCII).
 */
int
key_parse(const char *name)
{
	size_t	i;
	int	n, key = -1;
	char	c;

	if (name[0] != '\0' && name[1] == '\0')
		key = (unsigned char)name[0] < 128 ?
		    (unsigned char)name[0] : -1;
	else if (strncmp(name, "C-", 2) == 0 && name[2] != '\0' &&
	    name[3] == '\0') {
		c = name[2];
		if (c >= 'a' && c <= 'z')
			key = c - 'a' + 1;
		else if (c >= '@' && c <= '_')
			key = c - '@';
	} else if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9' &&
	    (n = atoi(name + 1)) >= 1 && n <= 12 &&
	    strlen(name) == (n >= 10 ? 3 : 2))
		key = KEY_F(n);
	else {
		for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
			if (strcmp(key_names[i].name, name) == 0)
				key = key_names[i].key;
		}
	}
	/* A terminal sends Enter as either. */
	return (key == '\n' ? '\r' : key);
}

/*
 * The name of key as key_parse() reads it ("C-l", "Enter", "a"), written
 * into buf (len bytes). Returns buf.
 */
const char *
key_string(int key, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, len, "%s", key_names[i].name);
			return (buf);
		}
	}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key >= 0 && key < 32)
		snprintf(buf, len, "C-%c", '@' + key);
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, len, "F%d", key - KEY_F0);
	else
		snprintf(buf, len, "0x%x", (unsigned)key);
	return (buf);
}

/*
 * 1 if table names a key table ("root", "replay" or a panel class), else
 * 0.
 */
int
key_table_valid(const char *table)
{
	return (strcmp(table, "root") == 0 || strcmp(table, "replay") == 0 ||
	    panel_find_class(table) != NULL);
}

/*
 * Check that command is a command line the command table runs: a known
 * command with words that fit its arguments ("%s" taken for an id).
 * Returns 0, or -1 with *cause set (allocated; caller frees).
 */
int
key_check_command(const char *command, char **cause)
{
	const struct cmd_entry	*ce;
	struct cmd_args		 args;
	struct buf		 line = BUF_INIT;
	const char		*p;
	int			 rv = -1;

	for (p = command; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			buf_adds(&line, "A-0");
			p++;
		} else
			buf_addc(&line, *p);
	}
	if (cmd_tokenize(buf_str(&line), &args, cause) != 0)
		goto out;
	if (args.argc == 0)
		*cause = xstrdup(_("no command"));
	else if ((ce = cmd_find(args.argv[0], cause)) != NULL &&
	    cmd_bind(ce, &args, cause) == 0)
		rv = 0;
	cmd_args_free(&args);
out:
	buf_free(&line);
	return (rv);
}

static void
key_setup(void)
{
	if (!key_ready)
		key_reset();
}

/* The built-in note of command in table, or NULL. */
static const char *
key_default_note(const char *table, const char *command)
{
	const struct key_default	*d;

	for (d = key_defaults; d->table != NULL; d++) {
		if (d->note != NULL && strcmp(d->table, table) == 0 &&
		    strcmp(d->command, command) == 0)
			return (d->note);
	}
	return (NULL);
}

/* The hint of the built-in binding of key to command in table, or NULL. */
static const char *
key_default_hint(const char *table, int key, const char *command)
{
	const struct key_default	*d;

	for (d = key_defaults; d->table != NULL; d++) {
		if (d->hint != NULL && strcmp(d->table, table) == 0 &&
		    key_parse(d->key) == key &&
		    strcmp(d->command, command) == 0)
			return (d->hint);
	}
	return (NULL);
}

/*
 * Set up the tables if need be; check table and the key name. Returns
 * the key's code, or -1 with *cause set (allocated; caller frees).
 */
static int
key_resolve(const char *table, const char *key, char **cause)
{
	int	k;

	key_setup();
	if (!key_table_valid(table)) {
		xasprintf(cause, _("no key table \"%s\" (root, replay, or a "
		    "panel: alerts, hospitals, schools, feedback)"), table);
		return (-1);
	}
	if ((k = key_parse(key)) == -1)
		xasprintf(cause, _("unknown key \"%s\""), key);
	return (k);
}

/*
 * Bind key (a name, see key_parse()) in table ("root" or a panel class)
 * to command, a command line where "%s" stands for the selected row's
 * id; a key bound already in that table gets the new command in its
 * place. Returns 0, or -1 with *cause set (allocated; caller frees) for
 * an unknown table or key, or a command the command table refuses.
 */
int
key_bind(const char *table, const char *key, const char *command,
    char **cause)
{
	struct key_binding	*b = NULL;
	size_t			 i;
	int			 k;

	if ((k = key_resolve(table, key, cause)) == -1 ||
	    key_check_command(command, cause) != 0)
		return (-1);
	for (i = 0; i < key_n; i++) {
		if (key_list[i].key == k &&
		    strcmp(key_list[i].table, table) == 0) {
			b = &key_list[i];
			free(b->command);
			break;
		}
	}
	if (b == NULL) {
		key_list = xreallocarray(key_list, key_n + 1,
		    sizeof *key_list);
		b = &key_list[key_n++];
		b->table = xstrdup(table);
		b->key = k;
	}
	b->command = xstrdup(command);
	b->note = key_default_note(table, command);
	b->hint = key_default_hint(table, k, command);
	return (0);
}

/*
 * Take key out of table; a key not bound there is no error. Returns 0, or
 * -1 with *cause set (allocated; caller frees) for an unknown table or
 * key.
 */
int
key_unbind(const char *table, const char *key, char **cause)
{
	size_t	i;
	int	k;

	if ((k = key_resolve(table, key, cause)) == -1)
		return (-1);
	for (i = 0; i < key_n; i++) {
		if (key_list[i].key != k ||
		    strcmp(key_list[i].table, table) != 0)
			continue;
		free(key_list[i].table);
		free(key_list[i].command);
		memmove(&key_list[i], &key_list[i + 1],
		    (key_n - i - 1) * sizeof *key_list);
		key_n--;
		break;
	}
	return (0);
}

/*
 * The binding of key in table, or NULL. Borrowed: valid until the next
 * bind, unbind or reset.
 */
const struct key_binding *
key_lookup(const char *table, int key)
{
	size_t	i;

	key_setup();
	for (i = 0; i < key_n; i++) {
		if (key_list[i].key == key &&
		    strcmp(key_list[i].table, table) == 0)
			return (&key_list[i]);
	}
	return (NULL);
}

/*
 * The name of the first key of table bound to command (exactly that
 * command line), written into buf (len bytes). Returns buf, or NULL when
 * no key runs it.
 */
const char *
key_for_command(const char *table, const char *command, char *buf,
    size_t len)
{
	size_t	i;

	key_setup();
	for (i = 0; i < key_n; i++) {
		if (strcmp(key_list[i].table, table) == 0 &&
		    strcmp(key_list[i].command, command) == 0)
			return (key_string(key_list[i].key, buf, len));
	}
	return (NULL);
}

static void
key_clear(void)
{
	size_t	i;

	for (i = 0; i < key_n; i++) {
		free(key_list[i].table);
		free(key_list[i].command);
	}
	free(key_list);
	key_list = NULL;
	key_n = 0;
}

/*
 * Forget every binding and install the built-in ones, through key_bind().
 */
void
key_reset(void)
{
	const struct key_default	*d;
	char				*cause = NULL;

	key_clear();
	key_ready = 1;
	for (d = key_defaults; d->table != NULL; d++) {
		if (key_bind(d->table, d->key, d->command, &cause) != 0)
			fatalx("%s: built-in key %s: %s", __func__, d->key,
			    cause);
	}
}

/*
 * Free every binding; the next use installs the built-in ones again.
 */
void
key_free(void)
{
	key_clear();
	key_ready = 0;
}

/* ==== Help ==== */

/*
 * The keys of binding i's table bound to its command, if i is the first
 * of them (else NULL), written in style. Caller frees.
 */
static char *
key_keys(size_t i, enum key_style style)
{
	struct key_binding	*b = &key_list[i], *o;
	struct buf		 keys = BUF_INIT;
	char			 name[16];
	size_t			 j;
	int			 n = 0;

	for (j = 0; j < key_n; j++) {
		o = &key_list[j];
		if (strcmp(o->table, b->table) != 0 ||
		    strcmp(o->command, b->command) != 0)
			continue;
		if (j < i)
			return (NULL);
		key_string(o->key, name, sizeof name);
		switch (style) {
		case KEY_STYLE_TEXT:
			buf_printf(&keys, "%s%s", n > 0 ? ", " : "", name);
			break;
		case KEY_STYLE_MARKDOWN:
			buf_printf(&keys, "%s`%s`", n > 0 ? ", " : "", name);
			break;
		case KEY_STYLE_ROFF:
			buf_adds(&keys, n > 0 ? " \", \" \"" : "\"");
			if (strcmp(name, "\"") == 0)
				buf_adds(&keys, "\\(dq");
			else
				cmd_roff(&keys, name, 0);
			buf_addc(&keys, '"');
			break;
		}
		n++;
	}
	return (buf_detach(&keys));
}

/* Where a table's keys work ("Alerts"), untranslated; NULL for root. */
static const char *
key_where(const char *table)
{
	const struct panel_class	*cls;

	if (strcmp(table, "root") == 0)
		return (NULL);
	if (strcmp(table, "replay") == 0)
		return (N_("Replay"));
	cls = panel_find_class(table);
	return (cls != NULL ? cls->title : table);
}

/*
 * The key help for '?' and --keys, one line per command of each table,
 * with every key bound to it and its note (translated), or the command
 * itself: "Down, J    Select the row below", "a          Acknowledge the
 * selected alert (Alerts)", "F5         :search hospital". The commands
 * without a note (the officer's own) come first. Returns an allocated
 * string; caller frees.
 */
char *
key_list_text(void)
{
	struct key_binding	*b;
	struct buf		 text = BUF_INIT;
	const char		*where;
	char			*keys;
	size_t			 i;
	int			 pass;

	key_setup();
	/* The officer's own commands first, then the built-in ones. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < key_n; i++) {
			b = &key_list[i];
			if ((b->note == NULL) != (pass == 0))
				continue;
			if ((keys = key_keys(i, KEY_STYLE_TEXT)) == NULL)
				continue;
			buf_printf(&text, "%-10s ", keys);
			if (b->note != NULL)
				buf_adds(&text, _(b->note));
			else
				buf_printf(&text, ":%s", b->command);
			if ((where = key_where(b->table)) != NULL)
				buf_printf(&text, " (%s)", _(where));
			buf_addc(&text, '\n');
			free(keys);
		}
	}
	return (buf_detach(&text));
}

/*
 * The short hint line: the keys of the built-in bindings that have a
 * hint and are still in place ("a ack  d dispatch  : command  q quit").
 * Returns an allocated string; caller frees.
 */
char *
key_hint_text(void)
{
	struct buf	 text = BUF_INIT;
	char		 name[16];
	size_t		 i;

	key_setup();
	for (i = 0; i < key_n; i++) {
		if (key_list[i].hint == NULL)
			continue;
		buf_printf(&text, "%s%s %s", text.len > 0 ? "  " : "",
		    key_string(key_list[i].key, name, sizeof name),
		    C_("key hint", key_list[i].hint));
	}
	return (buf_detach(&text));
}

/*
 * The key table of README.md, in Markdown and English (the test checks
 * the README holds exactly this). Returns an allocated string; caller
 * frees.
 */
char *
key_markdown_text(void)
{
	struct key_binding	*b;
	struct buf		 text = BUF_INIT;
	const char		*where, *p;
	char			*keys;
	size_t			 i;

	key_setup();
	buf_adds(&text, "| key | where | what it does |\n"
	    "| --- | --- | --- |\n");
	for (i = 0; i < key_n; i++) {
		b = &key_list[i];
		if ((keys = key_keys(i, KEY_STYLE_MARKDOWN)) == NULL)
			continue;
		where = key_where(b->table);
		buf_printf(&text, "| %s | %s | ", keys, where != NULL ?
		    where : "anywhere");
		if (b->note == NULL)
			buf_printf(&text, "`:%s`", b->command);
		else {
			for (p = b->note; *p != '\0'; p++) {
				if (*p == '|')
					buf_addc(&text, '\\');
				buf_addc(&text, *p);
			}
		}
		buf_adds(&text, " |\n");
		free(keys);
	}
	return (buf_detach(&text));
}

/*
 * The KEYS list of docs/trucban.1, in roff: for each command of each
 * table its keys, the panel where they work, the command and its note
 * (the test checks the man page holds exactly this). Returns an
 * allocated string; caller frees.
 */
char *
key_man_text(void)
{
	struct key_binding	*b;
	struct buf		 out = BUF_INIT;
	const char		*where;
	char			*keys;
	size_t			 i;

	key_setup();
	for (i = 0; i < key_n; i++) {
		b = &key_list[i];
		if ((keys = key_keys(i, KEY_STYLE_ROFF)) == NULL)
			continue;
		buf_printf(&out, ".TP\n.BR %s\n", keys);
		free(keys);
		if ((where = key_where(b->table)) != NULL) {
			buf_addc(&out, '(');
			cmd_roff(&out, where, 0);
			buf_adds(&out, ") ");
		}
		buf_adds(&out, "\\fB");
		cmd_roff(&out, b->command, 0);
		buf_adds(&out, "\\fP");
		if (b->note != NULL) {
			buf_adds(&out, ": ");
			cmd_roff(&out, b->note, 0);
		}
		buf_addc(&out, '\n');
	}
	return (buf_detach(&out));
}

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The key tables. Key bindings are commands (tmux, weechat): a key is
 * bound to a command line of console/cmd.c, with a note for the help.
 * The "root" table is looked at for every key; a panel class's table
 * ("alerts", "feedback", ...) when that panel has the focus, before the
 * root table; the "replay" table during a replay, before the root table. "%s" in a command stands for the id of the focused panel's
 * selected row. The built-in bindings (key_defaults[]) are installed
 * through key_bind(), the same function the bind command and the
 * configuration file use, so the help ('?', --keys, the README and the
 * man page) is generated from what is bound now.
 */

#ifndef KEY_H
#define KEY_H

#include <stddef.h>

/* A built-in binding. */
struct key_default {
	const char	*table;		/* "root", "replay" or a panel
					   class name. */
	const char	*key;		/* "a", ":", "C-l", "Enter", "F1". */
	const char	*command;	/* A command line; "%s": the id. */
	const char	*note;		/* N_(); one line for the help. */
	const char	*hint;		/* A word for the hint line, or NULL. */
};

/* A binding as it is now. */
struct key_binding {
	char		*table;		/* Owned. */
	int		 key;		/* A key code (key_parse()). */
	char		*command;	/* Owned. */
	const char	*note;		/* Static, N_(); NULL: none. */
	const char	*hint;		/* Static; NULL: not a hint. */
};

/* NULL-terminated (table == NULL). */
extern const struct key_default key_defaults[];

int			 key_parse(const char *name);
const char		*key_string(int key, char *buf, size_t len);
int			 key_table_valid(const char *table);
int			 key_check_command(const char *command, char **cause);

int			 key_bind(const char *table, const char *key,
			     const char *command, char **cause);
int			 key_unbind(const char *table, const char *key,
			     char **cause);
const struct key_binding *key_lookup(const char *table, int key);
const char		*key_for_command(const char *table,
			     const char *command, char *buf, size_t len);
void			 key_reset(void);
void			 key_free(void);

char			*key_list_text(void);
char			*key_hint_text(void);
char			*key_markdown_text(void);
char			*key_man_text(void);

#endif

/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Keyboard dispatch. Keys are read from the terminal until none is left
 * and go to the open overlay, the y/n question, the prompt, the layout,
 * then the key tables. Key bindings are commands: each is a command line
 * from console/cmd.c, so the help and the man page come from the table.
 */

#ifndef INPUT_H
#define INPUT_H

#include <wchar.h>

struct layout;
struct cmd_ctx;

struct input_binding {
	const char	*table;		/* "root" or a panel class name. */
	const char	*key;		/* "a", ":", "C-l", "Enter", "F1". */
	const char	*command;	/* "%s" is the selected item's id. */
	const char	*note;		/* One line for the help. */
	const char	*label;		/* Short word for the hint line. */
	const char	*ask;		/* A y/n question first, or NULL. */
};

/* NULL-terminated (table == NULL). */
extern const struct input_binding input_bindings[];

#define INPUT_META	0x40000000	/* Alt/Meta held (ESC prefix). */

void	 input_init(struct layout *, struct cmd_ctx *);
void	 input_free(void);
int	 input_read(void);
void	 input_key(int fkey, wint_t wc, int meta);
void	 input_ask(const char *question, const char *line);
int	 input_key_parse(const char *name);
int	 input_bind(const char *table, const char *key, const char *command);
void	 input_unbind_all(void);
char	*input_help_text(void);
char	*input_hint_text(void);
const char *input_question(void);

#endif

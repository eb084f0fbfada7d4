/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's one command table: what the ':' prompt runs, what key
 * bindings run, what "help" and the man page list. Commands reach the
 * world only through struct cmd_ops, so tests can replace the network and
 * the screen.
 */

#ifndef CMD_H
#define CMD_H

#include <stddef.h>

#include <jansson.h>

#include "store.h"

enum cmd_retval {
	CMD_ERROR = -1,
	CMD_OK = 0,
	CMD_WAIT			/* Reply pending from the backend. */
};

#define CMD_MAX_WORDS	64		/* Words in one command line. */

/* A tokenised command line; argv[0] is the command word as typed. */
struct cmd_args {
	int		 argc;
	char		**argv;		/* Owned, NULL-terminated. */
};

/*
 * The effects a command may have. main.c points these at the connection,
 * the prompt and the screen; tests point them at recorders. arg is passed
 * back unchanged. Any hook may be NULL except message.
 */
struct cmd_ops {
	/* 1 when the backend link is up and commands can be sent. */
	int	(*online)(void *arg);
	/*
	 * Send one backend command; args is stolen. summary ("ack A-0003")
	 * names it in the result message. Returns 0, or -1 with *cause set
	 * (allocated; caller frees).
	 */
	int	(*send)(void *arg, const char *cmd, json_t *args,
		    const char *summary, char **cause);
	/* Ask the backend for its state digest; as send. */
	int	(*digest)(void *arg, char **cause);
	/* One line for the message line. */
	void	(*message)(void *arg, int error, const char *text);
	/* Several lines of text in an overlay (help, keys). */
	void	(*pager)(void *arg, const char *title, const char *text);
	/* Open the command prompt with text already typed (may be ""). */
	void	(*prompt)(void *arg, const char *text);
	void	(*redraw)(void *arg);
	void	(*quit)(void *arg);
};

struct cmd_ctx {
	struct store		*store;		/* Borrowed. */
	const struct cmd_ops	*ops;		/* Borrowed. */
	void			*arg;
};

struct cmd_entry {
	const char	*name;
	const char	*alias;		/* Vietnamese without diacritics. */
	int		 lower;		/* Min positionals. */
	int		 upper;		/* Max positionals; -1 = no limit. */
	const char	*usage;		/* "ID UNIT [UNIT...]". */
	const char	*help;		/* One sentence. */
	const char	*complete;	/* Completer per positional; the last
					   repeats: "alert.dispatch unit". */

	int		 cflags;
#define CMD_NEEDCONN	0x1		/* Refused while disconnected. */

	enum cmd_retval	(*exec)(struct cmd_ctx *, struct cmd_args *);
};

/* Alphabetical, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

const struct cmd_entry	*cmd_find(const char *name, char **cause);
int			 cmd_tokenize(const char *line, struct cmd_args *,
			     char **cause);
void			 cmd_args_free(struct cmd_args *);
char			*cmd_quote(const char *word);
enum cmd_retval		 cmd_run(struct cmd_ctx *, const char *line);
void			 cmd_error(struct cmd_ctx *, const char *, ...)
			     __attribute__((format(printf, 2, 3)));
void			 cmd_print(struct cmd_ctx *, const char *, ...)
			     __attribute__((format(printf, 2, 3)));
char			**cmd_complete(struct store *, const char *line,
			     size_t start, const char *text, size_t *n);
void			 cmd_complete_free(char **);
char			*cmd_help_text(void);

#endif

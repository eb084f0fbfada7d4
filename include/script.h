/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Scripted use: run command lines against a backend without a screen
 * (trucban --script FILE, trucban -c 'cmd; cmd'), one result line each,
 * for trainers' scripts, cron-style checks and tests.
 */

#ifndef SCRIPT_H
#define SCRIPT_H

#define SCRIPT_TIMEOUT	10		/* Seconds, default deadline. */

/* Exit statuses. */
#define SCRIPT_OK	0		/* Every command succeeded. */
#define SCRIPT_FAILED	1		/* One was refused or wrong. */
#define SCRIPT_NOLINK	2		/* No link, link lost, deadline. */

struct script_opts {
	const char	*url;
	const char	*file;		/* "-" for stdin; or NULL. */
	const char	*commands;	/* -c; or NULL. */
	int		 timeout;	/* Seconds for the link and for each
					   line's results. */
	const char	*token;		/* Bearer token, or NULL. */
	const char	*ca;		/* CA file for wss://, or NULL. */
	/* Where result lines go (main.c prints them). */
	void		(*print)(const char *line);
};

char	**script_split(const char *text, int *n);
void	  script_split_free(char **, int);
int	  script_run(const struct script_opts *, char **cause);

#endif

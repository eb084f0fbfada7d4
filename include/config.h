/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's configuration file, $XDG_CONFIG_HOME/trucban/config
 * (~/.config/trucban/config): the backend URL, the token file, theme,
 * language, ASCII mode, how often the screen shows gauges, the
 * recording of every session, and key bindings. Command-line flags
 * override it.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

/* One "bind [-T TABLE] KEY COMMAND" or "unbind [-T TABLE] KEY" line. */
struct config_bind {
	char		*table;		/* "root" or a panel class. */
	char		*key;		/* "F2", "C-x", "a". */
	char		*command;	/* NULL for unbind. */
	int		 line;
};

struct config {
	char			*path;		/* The file read, or NULL. */
	char			*url;
	char			*token_file;
	char			*theme;
	char			*lang;
	int			 ascii;		/* -1 unset, 0 no, 1 yes. */
	int			 sessions;	/* Record every session: 1. */
	long			 sessions_max_mb; /* 0: the default. */
	long			 gauge_ms;	/* gauge_refresh; -1 unset. */
	struct config_bind	*binds;
	size_t			 nbinds;
	int			 warnings;
	char			 warning[256];	/* The first: file:line. */
};

void	 config_init(struct config *);
void	 config_free(struct config *);
char	*config_default_path(void);
int	 config_load(struct config *, const char *path, char **cause);
int	 config_parse(struct config *, const char *text, const char *file);
int	 config_apply_keys(struct config *);
char	*config_expand(const char *path);

#endif

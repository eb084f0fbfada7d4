/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The configuration file: settings and key bindings. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "log.h"
#include "xmalloc.h"

/*
 * The file is plain text, one setting or command per line; '#' starts a
 * comment line and blank lines are skipped:
 *
 *	url = wss://ioc.example.vn:7681
 *	token_file = ~/.config/trucban/token
 *	theme = high-contrast
 *	lang = vi
 *	ascii = no
 *	sessions = yes
 *	sessions_max_mb = 512
 *	gauge_refresh = 5
 *	bind F2 ack %s
 *	bind -T feedback x "assign %s SYT"
 *	unbind z
 *
 * Settings are "name = value"; values run to the end of the line (blanks
 * at both ends trimmed, one pair of surrounding quotes removed).
 * gauge_refresh is the seconds between two showings of the hospital and
 * school figures on screen (0 to 600, tenths allowed; 0 shows every
 * reading). "bind
 * [-T TABLE] KEY COMMAND..." binds KEY (a name as in the help: "a", "C-x",
 * "F2", "Enter") in TABLE ("root" by default, or a panel: alerts,
 * hospitals, schools, feedback) to a command line, where "%s" is the
 * selected item's id; "unbind [-T TABLE] KEY" takes a key away. Both are
 * the commands of the same names (console/cmd-key.c), through the same
 * key_bind() and key_unbind(). The names of the layout's actions of
 * earlier versions ("bind J down") still mean the commands that replaced
 * them ("select down"). An unknown setting, a bad value or a bad line is
 * a warning with the file and line, never an error: the console starts
 * anyway.
 */

#define CONFIG_MAX_FILE	(256 * 1024)

/* The layout's actions of earlier versions, and the commands now. */
static const struct {
	const char	*action;
	const char	*command;
} config_actions[] = {
	{ "focus-next", "focus next" },
	{ "focus-prev", "focus prev" },
	{ "focus-1", "focus alerts" },
	{ "focus-2", "focus hospitals" },
	{ "focus-3", "focus schools" },
	{ "focus-4", "focus feedback" },
	{ "up", "select up" },
	{ "down", "select down" },
	{ "page-up", "select page-up" },
	{ "page-down", "select page-down" },
	{ "top", "select top" },
	{ "bottom", "select bottom" },
	{ "severity-up", "filter severity +1" },
	{ "severity-down", "filter severity -1" },
	{ "area-next", "filter area next" },
	{ "area-prev", "filter area prev" },
	{ "clear", "filter clear" },
};

static void	config_warn(struct config *, const char *, int, const char *,
		    ...) __attribute__((format(printf, 4, 5)));
static char	*config_trim(char *);
static char	*config_word(char **);
static char	*config_keyword(char *, const char *, const char **, char **);
static void	config_set(char **, const char *);
static int	config_yesno(const char *);

/* "yes", "on", "1": 1; "no", "off", "0": 0; anything else -1. */
static int
config_yesno(const char *value)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "on") == 0 ||
	    strcmp(value, "1") == 0)
		return (1);
	if (strcmp(value, "no") == 0 || strcmp(value, "off") == 0 ||
	    strcmp(value, "0") == 0)
		return (0);
	return (-1);
}
static int	config_seconds(const char *, long *);

/* Set every field to "not given". */
void
config_init(struct config *cf)
{
	memset(cf, 0, sizeof *cf);
	cf->ascii = -1;
	cf->gauge_ms = -1;
}

/* Free what the configuration holds (not cf itself). */
void
config_free(struct config *cf)
{
	size_t	i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nbinds; i++) {
		free(cf->binds[i].table);
		free(cf->binds[i].key);
		free(cf->binds[i].command);
	}
	free(cf->binds);
	free(cf->path);
	free(cf->url);
	free(cf->token_file);
	free(cf->theme);
	free(cf->lang);
	config_init(cf);
}

/*
 * The default path: $XDG_CONFIG_HOME/trucban/config, else
 * ~/.config/trucban/config. Returns it allocated (caller frees), or NULL
 * when neither variable is set.
 */
char *
config_default_path(void)
{
	const char	*v;
	char		*p;

	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
		xasprintf(&p, "%s/trucban/config", v);
	else if ((v = getenv("HOME")) != NULL && *v != '\0')
		xasprintf(&p, "%s/.config/trucban/config", v);
	else
		p = NULL;
	return (p);
}

/*
 * Expand a leading "~/" to $HOME. Returns an allocated string; caller
 * frees.
 */
char *
config_expand(const char *path)
{
	const char	*home;
	char		*p;

	if (path[0] == '~' && path[1] == '/' &&
	    (home = getenv("HOME")) != NULL) {
		xasprintf(&p, "%s%s", home, path + 1);
		return (p);
	}
	return (xstrdup(path));
}

static void
config_warn(struct config *cf, const char *file, int line, const char *fmt,
    ...)
{
	char		 msg[200];
	const char	*base;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Read before the log is open: main.c logs what is kept here. */
	/* The screen has room for the file's name, not its path. */
	if ((base = strrchr(file, '/')) != NULL)
		file = base + 1;
	if (cf->warnings == 0)
		snprintf(cf->warning, sizeof cf->warning, "%s:%d: %s", file,
		    line, msg);
	cf->warnings++;
}

static char *
config_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	if (e - s >= 2 && ((s[0] == '"' && e[-1] == '"') ||
	    (s[0] == '\'' && e[-1] == '\''))) {
		e[-1] = '\0';
		s++;
	}
	return (s);
}

/* The next blank-separated word of *s (NUL-terminated in place), or NULL. */
static char *
config_word(char **s)
{
	char	*w;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	if (**s == '\0')
		return (NULL);
	w = *s;
	while (**s != '\0' && **s != ' ' && **s != '\t')
		(*s)++;
	if (**s != '\0')
		*(*s)++ = '\0';
	return (w);
}

/*
 * If line is "VERB [-T TABLE] KEY...", set *table (to "root" without
 * -T) and *key, either NULL when missing, and return the rest of the
 * line, trimmed; else return NULL.
 */
static char *
config_keyword(char *line, const char *verb, const char **table, char **key)
{
	size_t	 len = strlen(verb);
	char	*w;

	if (strncmp(line, verb, len) != 0 || (line[len] != ' ' &&
	    line[len] != '\t' && line[len] != '\0'))
		return (NULL);
	line += len;
	*table = "root";
	if ((w = config_word(&line)) != NULL && strcmp(w, "-T") == 0) {
		*table = config_word(&line);
		w = config_word(&line);
	}
	*key = w;
	return (config_trim(line));
}

static void
config_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/*
 * Read s, seconds from 0 to 600 with at most one decimal ("5", "2.5"),
 * into *ms. Returns 0, or -1 (*ms unchanged) when it is not that.
 */
static int
config_seconds(const char *s, long *ms)
{
	long	whole = 0, tenths = 0;
	int	digits = 0;

	for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
		whole = whole * 10 + (*s - '0');
	if (digits == 0)
		return (-1);
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		tenths = s[1] - '0';
		s += 2;
	}
	if (*s != '\0' || whole * 10 + tenths > 6000)
		return (-1);
	*ms = whole * 1000 + tenths * 100;
	return (0);
}

/*
 * Read the settings in text (file names it in warnings) into cf; later
 * lines win. Returns the number of warnings (also in cf->warnings, the
 * first in cf->warning).
 */
int
config_parse(struct config *cf, const char *text, const char *file)
{
	struct config_bind	*b;
	char			*copy, *line, *next, *eq, *key, *value, *k;
	char			*end;
	const char		*table;
	int			 lineno = 0, before = cf->warnings, n;
	long			 mb;

	if (cf->path == NULL)
		cf->path = xstrdup(file);
	copy = xstrdup(text != NULL ? text : "");
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		line = config_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((value = config_keyword(line, "bind", &table, &k)) !=
		    NULL) {
			if (table == NULL || k == NULL || *value == '\0') {
				config_warn(cf, file, lineno,
				    "bind [-T TABLE] KEY COMMAND");
				continue;
			}
			goto add;
		}
		if ((value = config_keyword(line, "unbind", &table, &k)) !=
		    NULL) {
			if (table == NULL || k == NULL || *value != '\0') {
				config_warn(cf, file, lineno,
				    "unbind [-T TABLE] KEY");
				continue;
			}
			value = NULL;
			goto add;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			config_warn(cf, file, lineno,
			    "not \"name = value\": %.40s", line);
			continue;
		}
		*eq = '\0';
		key = config_trim(line);
		value = config_trim(eq + 1);
		if (strcmp(key, "url") == 0)
			config_set(&cf->url, value);
		else if (strcmp(key, "token_file") == 0)
			config_set(&cf->token_file, value);
		else if (strcmp(key, "theme") == 0)
			config_set(&cf->theme, value);
		else if (strcmp(key, "lang") == 0) {
			if (strcmp(value, "vi") != 0 &&
			    strcmp(value, "en") != 0)
				config_warn(cf, file, lineno,
				    "lang is vi or en, not \"%.20s\"", value);
			else
				config_set(&cf->lang, value);
		} else if (strcmp(key, "ascii") == 0) {
			if ((n = config_yesno(value)) != -1)
				cf->ascii = n;
			else
				config_warn(cf, file, lineno,
				    "ascii is yes or no, not \"%.20s\"",
				    value);
		} else if (strcmp(key, "sessions") == 0) {
			if ((n = config_yesno(value)) == -1)
				config_warn(cf, file, lineno,
				    "sessions is yes or no, not \"%.20s\"",
				    value);
			else
				cf->sessions = n;
		} else if (strcmp(key, "sessions_max_mb") == 0) {
			mb = strtol(value, &end, 10);
			if (end == value || *end != '\0' || mb < 1 ||
			    mb > 1024 * 1024)
				config_warn(cf, file, lineno, "sessions_max_mb "
				    "is 1 to 1048576, not \"%.20s\"", value);
			else
				cf->sessions_max_mb = mb;
		} else if (strcmp(key, "gauge_refresh") == 0) {
			if (config_seconds(value, &cf->gauge_ms) != 0)
				config_warn(cf, file, lineno,
				    "gauge_refresh is seconds from 0 to 600, "
				    "not \"%.20s\"", value);
		} else
			config_warn(cf, file, lineno,
			    "unknown setting \"%.40s\"", key);
		continue;
add:
		if (key_parse(k) == -1) {
			config_warn(cf, file, lineno, "unknown key \"%.20s\"",
			    k);
			continue;
		}
		cf->binds = xreallocarray(cf->binds, cf->nbinds + 1,
		    sizeof *cf->binds);
		b = &cf->binds[cf->nbinds++];
		b->table = xstrdup(table);
		b->key = xstrdup(k);
		b->command = value != NULL ? xstrdup(value) : NULL;
		b->line = lineno;
	}
	free(copy);
	return (cf->warnings - before);
}

/*
 * Read the file at path (NULL: the default path, where a missing file is
 * no error) into cf. Returns the number of warnings, or -1 with *cause
 * set (allocated; caller frees) when a file named on purpose cannot be
 * read.
 */
int
config_load(struct config *cf, const char *path, char **cause)
{
	FILE		*f;
	struct stat	 sb;
	char		*p, *text;
	size_t		 n;
	int		 rv;

	if (path != NULL)
		p = config_expand(path);
	else if ((p = config_default_path()) == NULL)
		return (0);
	if ((f = fopen(p, "r")) == NULL) {
		if (path == NULL && errno == ENOENT) {
			free(p);
			return (0);
		}
		xasprintf(cause, "%s: %s", p, strerror(errno));
		free(p);
		return (-1);
	}
	/* A regular file, or /dev/null to read none. */
	if (fstat(fileno(f), &sb) != 0 || (!S_ISREG(sb.st_mode) &&
	    strcmp(p, "/dev/null") != 0) || sb.st_size > CONFIG_MAX_FILE) {
		xasprintf(cause, "%s: not a configuration file", p);
		fclose(f);
		free(p);
		return (-1);
	}
	text = xmalloc((size_t)sb.st_size + 1);
	n = fread(text, 1, (size_t)sb.st_size, f);
	text[n] = '\0';
	fclose(f);
	free(cf->path);
	cf->path = p;
	rv = config_parse(cf, text, p);
	free(text);
	return (rv);
}

/*
 * Install the file's bindings and unbindings, in order, in the key tables
 * (key_bind(), key_unbind()). Returns the number of warnings added (lines
 * that could not be used: an unknown table, a command the command table
 * refuses).
 */
int
config_apply_keys(struct config *cf)
{
	struct config_bind	*b;
	const char		*file = cf->path != NULL ? cf->path : "config";
	const char		*command;
	char			*cause;
	size_t			 i, j;
	int			 before = cf->warnings, rv;

	for (i = 0; i < cf->nbinds; i++) {
		b = &cf->binds[i];
		cause = NULL;
		if ((command = b->command) == NULL)
			rv = key_unbind(b->table, b->key, &cause);
		else {
			for (j = 0; j < sizeof config_actions /
			    sizeof config_actions[0]; j++) {
				if (strcmp(config_actions[j].action,
				    command) == 0) {
					log_info("%s:%d: \"%s\" is now \"%s\"",
					    file, b->line, command,
					    config_actions[j].command);
					command = config_actions[j].command;
					break;
				}
			}
			rv = key_bind(b->table, b->key, command, &cause);
		}
		if (rv != 0)
			config_warn(cf, file, b->line, "%s", cause);
		free(cause);
	}
	return (cf->warnings - before);
}

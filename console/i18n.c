/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The UI language: gettext set up for Vietnamese or English. */

#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/*
 * English is the source language (the msgids); Vietnamese comes from the
 * catalogue. The language is chosen by --lang, else by the environment:
 * the first entry of LANGUAGE, else the first of LC_ALL, LC_MESSAGES and
 * LANG that is set; "vi..." gives Vietnamese, anything else English.
 *
 * It is applied through LANGUAGE, which glibc's gettext reads before the
 * locale, so it works whether or not a vi_VN locale is installed. glibc
 * ignores LANGUAGE when the message locale is exactly "C" or "POSIX"
 * (checked on Debian 12: LANG=C with LANGUAGE=vi stays English, while
 * C.UTF-8 with LANGUAGE=vi is Vietnamese). So when the message locale is
 * C, it is switched to C.UTF-8, which glibc 2.35 and later always has;
 * that changes nothing else (character handling stays with LC_CTYPE, so
 * an ASCII terminal stays in ASCII mode). The catalogue is always read as
 * UTF-8 and the screen folds it to ASCII where it must.
 *
 * The catalogue is looked for in $TRUCBAN_LOCALEDIR, then next to the
 * program (BUILD/locale, for BUILD/trucban and BUILD/tests/test-*: running
 * from the tree needs no install), then in the install directory.
 */

#ifndef TRUCBAN_LOCALEDIR
#define TRUCBAN_LOCALEDIR	"/usr/local/share/locale"
#endif

static char	i18n_dir[PATH_MAX + 32];
static char	i18n_cur[8] = "en";

static int	i18n_has_catalogue(const char *);

/* 1 when dir holds the Vietnamese catalogue. */
static int
i18n_has_catalogue(const char *dir)
{
	char	path[PATH_MAX + 96];

	snprintf(path, sizeof path, "%s/vi/LC_MESSAGES/%s.mo", dir,
	    I18N_DOMAIN);
	return (access(path, R_OK) == 0);
}

/*
 * The language the environment asks for: "vi" or "en" (static strings).
 */
const char *
i18n_from_env(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char		*v;
	size_t			 i;

	if ((v = getenv("LANGUAGE")) != NULL && *v != '\0')
		return (strncmp(v, "vi", 2) == 0 ? "vi" : "en");
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return (strncmp(v, "vi", 2) == 0 ? "vi" : "en");
	}
	return ("en");
}

/*
 * Set up gettext for lang ("vi" or "en"; NULL: from the environment).
 * Call after setlocale(LC_ALL, ""). Returns 0, or -1 for an unknown
 * language (English is then used).
 */
int
i18n_init(const char *lang)
{
	char		 exe[PATH_MAX], *slash;
	const char	*env;
	ssize_t		 n;
	int		 rv = 0;

	i18n_dir[0] = '\0';
	if ((env = getenv("TRUCBAN_LOCALEDIR")) != NULL && *env != '\0')
		snprintf(i18n_dir, sizeof i18n_dir, "%s", env);
	else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(i18n_dir, sizeof i18n_dir, "%s/locale", exe);
			if (!i18n_has_catalogue(i18n_dir)) {
				snprintf(i18n_dir, sizeof i18n_dir,
				    "%s/../locale", exe);
				if (!i18n_has_catalogue(i18n_dir))
					i18n_dir[0] = '\0';
			}
		}
	}
	if (i18n_dir[0] == '\0')
		snprintf(i18n_dir, sizeof i18n_dir, "%s", TRUCBAN_LOCALEDIR);
	bindtextdomain(I18N_DOMAIN, i18n_dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
	if (lang == NULL)
		lang = i18n_from_env();
	if (i18n_set_lang(lang) != 0) {
		i18n_set_lang("en");
		rv = -1;
	}
	log_info("language %s, catalogue in %s%s", i18n_cur, i18n_dir,
	    i18n_has_catalogue(i18n_dir) ? "" : " (missing)");
	return (rv);
}

/*
 * Switch the language to "vi" or "en" (strings fetched with _() from now
 * on; the caller redraws). Returns 0, or -1 (unchanged) for another.
 */
int
i18n_set_lang(const char *lang)
{
	const char	*msg;

	if (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
		return (-1);
	snprintf(i18n_cur, sizeof i18n_cur, "%s", lang);
	setenv("LANGUAGE", lang, 1);
	msg = setlocale(LC_MESSAGES, NULL);
	if (msg == NULL || strcmp(msg, "C") == 0 ||
	    strcmp(msg, "POSIX") == 0) {
		if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "C.utf8");
	}
	/* textdomain() drops the translations gettext has cached. */
	textdomain(I18N_DOMAIN);
	return (0);
}

/* Return the language in use, "vi" or "en" (static storage). */
const char *
i18n_lang(void)
{
	return (i18n_cur);
}

/* Return 1 when the language in use is English. */
int
i18n_is_en(void)
{
	return (strcmp(i18n_cur, "en") == 0);
}

/* Return the directory the catalogue is read from (static storage). */
const char *
i18n_localedir(void)
{
	return (i18n_dir);
}

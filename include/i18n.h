/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Translation of the strings an officer reads. Write them in English and
 * wrap them: _("Quit?") where they are used, N_("Quit?") in static tables
 * (translated where they are shown). The catalogue (po/vi.po, built into
 * LOCALEDIR/vi/LC_MESSAGES/trucban.mo) is set up by i18n_init() in the
 * console; the language can change while it runs (i18n_set_lang()).
 */

#ifndef I18N_H
#define I18N_H

#include <libintl.h>
#include <stdio.h>

#define _(s)	gettext(s)
#define N_(s)	(s)
/* With a context, for short words that mean different things. */
#define C_(c, s)	i18n_cgettext((c), (s))
#define NC_(c, s)	(s)

/* gettext of msgid in context ctx (as pgettext); msgid when none. */
static inline const char *
i18n_cgettext(const char *ctx, const char *msgid)
{
	char		 key[256];
	const char	*t;

	if (snprintf(key, sizeof key, "%s\004%s", ctx, msgid) >=
	    (int)sizeof key)
		return (msgid);
	t = gettext(key);
	return (t == key ? msgid : t);
}

#define I18N_DOMAIN	"trucban"

int		 i18n_init(const char *lang);
int		 i18n_set_lang(const char *lang);
const char	*i18n_lang(void);
int		 i18n_is_en(void);
const char	*i18n_localedir(void);
const char	*i18n_from_env(void);

#endif
